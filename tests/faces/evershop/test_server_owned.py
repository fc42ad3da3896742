"""Every write route ignores or refuses the server-owned fields sent to it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio
FORGED: dict[str, Any] = {
    "customer_id": 999_999,
    "uuid": "11111111-1111-4111-8111-111111111111",
    "created_at": "2001-01-01 00:00:00",
    "updated_at": "2001-01-01 00:00:00",
    "password_hash": "$2b$04$forgedforgedforgedforgedforgedforgedforgedforgedforgedf",
    "password": None,
    "store_id": 7,
    "meta_data": {"vip": True},
    "version": 99,
    "login_key": "forged",
    "email_key": "forged",
    "customer_address_id": 999_999,
    "is_admin": True,
}


def _without(keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in FORGED.items() if k not in keys and v is not None}


async def _row(services: Services, email: str) -> dict[str, Any]:
    async with services.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT customer_id, uuid, store_id, status, group_id, password_hash, "
                    "meta_data, version, login_key, email_key FROM customer WHERE email = :e"
                ),
                {"e": email},
            )
        ).one()
    return dict(row._mapping)


def _assert_untouched(row: dict[str, Any], body: dict[str, Any]) -> None:
    assert row["customer_id"] != 999_999
    assert str(row["uuid"]).replace("-", "") != "1" * 32
    assert row["store_id"] == 1
    assert row["password_hash"].startswith("$argon2id$")
    assert row["meta_data"] in ({}, "{}")
    assert row["login_key"] == row["email_key"] != "forged"
    assert body["created_at"] != "2001-01-01 00:00:00"
    assert body["updated_at"] != "2001-01-01 00:00:00"


async def test_anonymous_registration_ignores_every_server_owned_field(
    client: httpx.AsyncClient, services: Services
) -> None:
    body = {
        **_without(()),
        "email": "a@example.com",
        "password": "Secret-67c44859",
        "full_name": "A",
        "status": 0,
        "group_id": 5,
    }
    response = await client.post("/api/customers", json=body)
    assert response.status_code == 200
    row = await _row(services, "a@example.com")
    _assert_untouched(row, response.json()["data"])
    assert (row["status"], row["group_id"], row["version"]) == (1, 1, 1)


async def test_admin_create_and_update_ignore_them(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    await factories.admin_login(client)
    created = await client.post(
        "/api/customers",
        json={
            **_without(()),
            "email": "b@example.com",
            "password": "Secret-67c44859",
            "full_name": "B",
        },
    )
    assert created.status_code == 200
    uuid = created.json()["data"]["uuid"]
    patched = await client.patch(
        f"/api/customers/{uuid}", json={**_without(("uuid",)), "full_name": "B2"}
    )
    assert patched.status_code == 200
    assert patched.json()["data"]["uuid"] == uuid
    _assert_untouched(await _row(services, "b@example.com"), patched.json()["data"])


async def test_customer_self_update_ignores_them_and_status_and_group(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.register(client, email="c@example.com")
    sid = await factories.customer_login(client, email="c@example.com")
    response = await client.patch(
        "/api/customers/me",
        json={**_without(()), "status": 0, "group_id": 3, "full_name": "C2"},
        headers={"X-Session-ID": sid},
    )
    assert response.status_code == 200
    row = await _row(services, "c@example.com")
    _assert_untouched(row, response.json()["data"])
    assert (row["status"], row["group_id"]) == (1, 1)


async def test_address_writes_ignore_ids_and_owners(client: httpx.AsyncClient) -> None:
    await factories.register(client, email="d@example.com")
    sid = await factories.customer_login(client, email="d@example.com")
    address = {
        "full_name": "D",
        "address_1": "1 St",
        "province": "IL",
        "country": "US",
        "postcode": "1",
        "customer_id": 1_234,
        "uuid": FORGED["uuid"],
        "customer_address_id": 999_999,
        "created_at": "2001-01-01 00:00:00",
    }
    created = await client.post(
        "/api/customers/me/addresses", json=address, headers={"X-Session-ID": sid}
    )
    data = created.json()["data"]
    assert created.status_code == 200
    assert data["uuid"] != FORGED["uuid"]
    assert data["customer_address_id"] != 999_999
    assert data["customer_id"] != 1_234
    assert data["created_at"] != "2001-01-01 00:00:00"
