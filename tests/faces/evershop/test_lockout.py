"""An admin (or the command line) lifts a lockout, and the audit log says who did."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest
from sqlalchemy import text

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio


async def _lock(client: httpx.AsyncClient) -> None:
    for _ in range(11):
        await client.post(
            "/customer/login", json={"email": "john.smith@example.com", "password": "bad-pass-1"}
        )


async def test_an_admin_releases_a_lockout_and_it_is_audited(
    client: httpx.AsyncClient, services: Services
) -> None:
    created = await factories.register(client)
    await _lock(client)
    assert (
        await client.post(
            "/customer/login",
            json={"email": "john.smith@example.com", "password": factories.CUSTOMER_PASSWORD},
        )
    ).status_code == 429
    await factories.create_admin(services)
    await factories.admin_login(client)
    released = await client.delete(f"/api/customers/{created['uuid']}/lockout")
    assert (released.status_code, released.json()) == (200, {"data": {}})
    client.cookies.clear()
    await factories.customer_login(client)
    async with services.engine.connect() as conn:
        rows = (
            await conn.execute(text("SELECT actor, action, customer_id, ip, face FROM audit_entry"))
        ).all()
    assert [tuple(r) for r in rows] == [
        ("admin:1", "lockout_released", created["customer_id"], "203.0.113.7", "evershop")
    ]


async def test_customers_cannot_release_lockouts(client: httpx.AsyncClient) -> None:
    created = await factories.register(client)
    await factories.customer_login(client)
    response = await client.delete(f"/api/customers/{created['uuid']}/lockout")
    assert response.status_code == 401


async def test_the_command_line_releases_a_lockout(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.register(client)
    await _lock(client)
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": services.settings.database_url,
        "PATRON_VAR_DIR": str(services.settings.var_dir),
        "PATRON_JWT_SECRET": services.settings.jwt_secret.get_secret_value(),
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "patron.cli", "customers", "unlock", "JOHN.smith@example.com"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (
        0,
        "released the sign-in lockout of JOHN.smith@example.com",
    )
    await factories.customer_login(client)
    missing = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "patron.cli", "customers", "unlock", "ghost@example.com"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (missing.returncode, missing.stderr.strip()) == (1, "error: no customer has this email")
