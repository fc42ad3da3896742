"""Server-owned fields sent to the JSON:API and AbanteCart write routes change nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from patron.faces._shared.services import Services
from tests import factories
from tests.faces.abantecart import wire

pytestmark = pytest.mark.anyio
JSONAPI = {"Content-Type": "application/vnd.api+json"}


async def _row(services: Services, email: str) -> dict[str, Any]:
    async with services.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT customer_id, store_id, status, group_id, date_verified, version, "
                    "password_hash, created_at FROM customer WHERE email = :e"
                ),
                {"e": email},
            )
        ).one()
    return dict(row._mapping)


def _untouched(row: dict[str, Any]) -> None:
    assert row["customer_id"] != 999_999
    assert (row["store_id"], row["status"], row["group_id"], row["date_verified"]) == (
        1,
        1,
        1,
        None,
    )
    assert row["password_hash"].startswith("$argon2id$")
    assert "2001" not in str(row["created_at"])


FORGED_JSONAPI = {
    "customer.id": "999999",
    "customer.siteid": "9",
    "customer.status": 0,
    "customer.groups": ["5"],
    "customer.dateverified": "2001-01-01",
    "customer.ctime": "2001-01-01 00:00:00",
    "customer.mtime": "2001-01-01 00:00:00",
    "customer.editor": "attacker",
}


async def test_jsonapi_registration_and_update_ignore_server_owned_attributes(
    client: httpx.AsyncClient, services: Services
) -> None:
    body = {
        "data": {
            "id": "999999",
            "attributes": {
                **FORGED_JSONAPI,
                "customer.email": "j@example.com",
                "customer.password": "Secret-67c44859",
            },
        }
    }
    created = await client.post("/jsonapi/customer", json=body, headers=JSONAPI)
    assert created.status_code == 201, created.text
    _untouched(await _row(services, "j@example.com"))
    client.cookies.clear()
    sid = await factories.customer_login(client, email="j@example.com")
    client.cookies.clear()
    patched = await client.patch(
        "/jsonapi/customer",
        json={"data": {"attributes": {**FORGED_JSONAPI, "customer.firstname": "J"}}},
        headers={**JSONAPI, "X-Session-ID": sid},
    )
    assert patched.status_code == 200, patched.text
    _untouched(await _row(services, "j@example.com"))


async def test_abantecart_registration_and_edit_ignore_server_owned_fields(
    client: httpx.AsyncClient, services: Services
) -> None:
    forged = {
        "customer_id": "999999",
        "store_id": "9",
        "status": "0",
        "approved": "0",
        "customer_group_id": "5",
        "salt": "abc",
        "password_hash": "x",
        "date_added": "2001",
    }
    token = await wire.signup(client, "acc_forger", "f@example.com", **forged)
    _untouched(await _row(services, "f@example.com"))
    edit = {**forged, "token": token, "firstname": "F", "lastname": "G", "email": "f@example.com"}
    response = await wire.post(client, "a/account/edit", edit)
    assert response.json()["status"] == 1, response.text
    _untouched(await _row(services, "f@example.com"))
