"""``patron audit export`` writes the audit log as JSON lines."""

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


async def test_audit_export_writes_json_lines(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    await factories.admin_login(client)
    created = await factories.register(client)
    await client.patch(f"/api/customers/{created['uuid']}", json={"full_name": "Renamed"})
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": services.settings.database_url,
        "PATRON_VAR_DIR": str(services.settings.var_dir),
        "PATRON_JWT_SECRET": services.settings.jwt_secret.get_secret_value(),
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "patron.cli", "audit", "export"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["action"] for line in lines] == ["customer_updated", "customer_created"]
    assert lines[0]["changes"] == {"full_name": ["John Smith", "Renamed"]}
    assert lines[0]["actor"] == "admin:1"
    assert done.stderr.strip() == "exported 2 audit entries"
