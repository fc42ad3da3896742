"""Export and erasure: after an erase, the customer's personal data is nowhere in the database."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from patron.core.entities import Base
from patron.faces._shared.services import Services
from tests import factories
from tests.faces.abantecart import wire

pytestmark = pytest.mark.anyio
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
EMAIL, PHONE, FIRST, LAST, LOGIN = (
    "erin.erasable@example.com",
    "5550199887",
    "Erinaceous",
    "Erasablesson",
    "erin_erasable",
)


async def _everything(services: Services) -> str:
    dump = []
    async with services.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in (await conn.execute(select(table))).all():
                dump.append(repr(tuple(row)))
    return "\n".join(dump)


async def _admin_page(client: httpx.AsyncClient, services: Services, uuid: str) -> str:
    await factories.create_admin(services)
    form = await client.get("/admin/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    await client.post(
        "/admin/login",
        data={"csrf": token, "email": factories.ADMIN_EMAIL, "password": factories.ADMIN_PASSWORD},
    )
    page = await client.get(f"/admin/customers/edit/{uuid}")
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


async def test_erase_leaves_no_personal_data_anywhere(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await wire.signup(client, LOGIN, EMAIL, firstname=FIRST, lastname=LAST, telephone=PHONE)
    listed = (
        await client.patch(
            "/api/customers/me",
            json={"full_name": f"{FIRST} {LAST}"},
            headers={"X-Session-ID": token},
        )
    ).json()["data"]
    uuid = listed["uuid"]
    client.cookies.clear()
    csrf = await _admin_page(client, services, uuid)
    await client.put(
        f"/api/customers/{uuid}/orders/501",
        json={"status_id": 1, "total": "10", "currency_code": "USD", "name": f"{FIRST} {LAST}"},
    )
    await client.post(
        f"/admin/customers/edit/{uuid}/profile",
        data={
            "csrf": csrf,
            "full_name": f"{FIRST} Q. {LAST}",
            "email": EMAIL,
            "status": "1",
            "group_id": "1",
        },
    )
    assert EMAIL in await _everything(services)

    refused = await client.post(f"/admin/customers/edit/{uuid}/erase", data={"csrf": csrf})
    assert refused.status_code == 400
    assert "Tick the box to confirm the erasure" in refused.text
    erased = await client.post(
        f"/admin/customers/edit/{uuid}/erase", data={"csrf": csrf, "confirm": "erase"}
    )
    assert erased.status_code == 303

    everything = await _everything(services)
    for value in (EMAIL, PHONE, FIRST, LAST, LOGIN):
        assert value.lower() not in everything.lower(), value
    orders = (await client.get(f"/api/customers/{uuid}/orders")).status_code
    assert orders == 404  # the customer is gone, its order summary kept unlinked
    assert "customer_erased" in (await client.get("/admin/audit")).text
    assert "[erased]" in everything


async def test_export_downloads_everything_but_secrets(
    client: httpx.AsyncClient, services: Services
) -> None:
    created = await factories.register(client, email=EMAIL, full_name=f"{FIRST} {LAST}")
    await factories.customer_login(client, email=EMAIL)
    client.cookies.clear()
    await _admin_page(client, services, created["uuid"])
    response = await client.get(f"/admin/customers/edit/{created['uuid']}/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    document = response.json()
    assert document["customer"]["email"] == EMAIL
    assert len(document["sessions"]) == 1
    assert "password_hash" not in document["customer"]
    assert "token_hash" not in document["sessions"][0]
    assert "$argon2id$" not in response.text


async def test_support_admins_can_neither_export_nor_erase(
    client: httpx.AsyncClient, services: Services
) -> None:
    created = await factories.register(client)
    await factories.create_admin(services, email="support@example.com", role="support")
    form = await client.get("/admin/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    await client.post(
        "/admin/login",
        data={"csrf": token, "email": "support@example.com", "password": factories.ADMIN_PASSWORD},
    )
    page = await client.get(f"/admin/customers/edit/{created['uuid']}")
    csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    assert "Erase customer" not in page.text
    assert (await client.get(f"/admin/customers/edit/{created['uuid']}/export")).status_code == 403
    erase = await client.post(
        f"/admin/customers/edit/{created['uuid']}/erase", data={"csrf": csrf, "confirm": "erase"}
    )
    assert erase.status_code == 403
