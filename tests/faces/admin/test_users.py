"""The admin users page: create, change role, disable; the last administrator is protected."""

from __future__ import annotations

import re

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


async def _sign_in(client: httpx.AsyncClient, email: str) -> str:
    form = await client.get("/admin/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    await client.post(
        "/admin/login", data={"csrf": token, "email": email, "password": factories.ADMIN_PASSWORD}
    )
    page = await client.get("/admin/customers")
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def _uuid_of(page: str, email: str) -> str:
    rows = re.findall(r'action="/admin/users/([0-9a-f-]{36})".*?Role of ([^"]+)"', page, re.S)
    return next(uuid for uuid, who in rows if who == email)


async def test_create_then_disable_an_admin_and_its_session_ends(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    token = await _sign_in(client, factories.ADMIN_EMAIL)
    created = await client.post(
        "/admin/users",
        data={
            "csrf": token,
            "email": "helper@example.com",
            "password": factories.ADMIN_PASSWORD,
            "role": "support",
        },
    )
    assert created.status_code == 303
    page = (await client.get("/admin/users")).text
    assert "helper@example.com" in page
    async with httpx.AsyncClient(
        transport=client._transport, base_url="http://testserver"
    ) as other:
        await _sign_in(other, "helper@example.com")
        assert (await other.get("/api/customers")).status_code == 200
        target = _uuid_of(page, "helper@example.com")
        disabled = await client.post(
            f"/admin/users/{target}", data={"csrf": token, "role": "support", "status": "0"}
        )
        assert disabled.status_code == 303
        assert (await other.get("/api/customers")).status_code == 401
    log = (await client.get("/admin/audit")).text
    assert re.findall(r"<td>(admin_\w+)</td>", log) == ["admin_changed", "admin_created"]


async def test_the_last_administrator_cannot_be_disabled_or_demoted(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    token = await _sign_in(client, factories.ADMIN_EMAIL)
    me = _uuid_of((await client.get("/admin/users")).text, factories.ADMIN_EMAIL)
    for change in ({"role": "support", "status": "1"}, {"role": "administrator", "status": "0"}):
        refused = await client.post(f"/admin/users/{me}", data={"csrf": token, **change})
        assert refused.status_code == 400
        assert (
            "The last active administrator cannot be disabled or given another role" in refused.text
        )
    assert (await client.get("/api/customers")).status_code == 200


async def test_support_admins_cannot_manage_admin_users(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services, email="support@example.com", role="support")
    token = await _sign_in(client, "support@example.com")
    assert (await client.get("/admin/users")).status_code == 403
    refused = await client.post(
        "/admin/users",
        data={"csrf": token, "email": "x@example.com", "password": factories.ADMIN_PASSWORD},
    )
    assert refused.status_code == 403


async def test_a_malformed_or_unknown_admin_id_changes_nothing(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    token = await _sign_in(client, factories.ADMIN_EMAIL)
    fields = {
        "csrf": token,
        "email": "stray@example.com",
        "password": factories.ADMIN_PASSWORD,
        "role": "support",
        "status": "1",
    }
    for target in ("not-a-uuid", "00000000-0000-4000-8000-000000000000"):
        response = await client.post(f"/admin/users/{target}", data=fields)
        assert response.status_code == 404
        assert "Admin user not found" in response.text
    assert "stray@example.com" not in (await client.get("/admin/users")).text
    assert "admin_created" not in (await client.get("/admin/audit")).text
