"""Privacy requests through the admin API and the command line."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio


async def test_export_and_erase_through_the_admin_api(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    await factories.admin_login(client)
    created = await factories.register(client)
    exported = await client.get(f"/api/customers/{created['uuid']}/export")
    assert exported.status_code == 200
    data = exported.json()["data"]
    assert set(data) == {
        "customer",
        "addresses",
        "properties",
        "list_items",
        "orders",
        "sessions",
        "audit",
    }
    assert data["customer"]["email"] == "john.smith@example.com"
    assert "password_hash" not in data["customer"]
    erased = await client.post(f"/api/customers/{created['uuid']}/erase")
    assert (erased.status_code, erased.json()) == (200, {"data": {}})
    assert (await client.get(f"/api/customers/{created['uuid']}")).status_code == 404
    again = await factories.register(client)  # the email is free again
    assert again["email"] == "john.smith@example.com"


async def test_support_admins_cannot_export_or_erase(
    client: httpx.AsyncClient, services: Services
) -> None:
    created = await factories.register(client)
    await factories.create_admin(services, email="s@example.com", role="support")
    await factories.admin_login(client, email="s@example.com")
    forbidden = {"error": {"status": 403, "message": "Insufficient permissions"}}
    assert (await client.get(f"/api/customers/{created['uuid']}/export")).json() == forbidden
    assert (await client.post(f"/api/customers/{created['uuid']}/erase")).json() == forbidden


async def test_the_command_line_exports_and_erases(
    client: httpx.AsyncClient, services: Services
) -> None:
    created = await factories.register(client)
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": services.settings.database_url,
        "PATRON_VAR_DIR": str(services.settings.var_dir),
        "PATRON_JWT_SECRET": services.settings.jwt_secret.get_secret_value(),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "patron.cli", "customers", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    exported = await asyncio.to_thread(run, "export-data", created["uuid"])
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["customer"]["email"] == "john.smith@example.com"
    unconfirmed = await asyncio.to_thread(run, "erase", created["uuid"])
    assert unconfirmed.returncode == 2
    erased = await asyncio.to_thread(run, "erase", created["uuid"], "--yes")
    assert (erased.returncode, erased.stdout.strip()) == (0, f"erased customer {created['uuid']}")
    missing = await asyncio.to_thread(run, "erase", created["uuid"], "--yes")
    assert missing.returncode == 1
