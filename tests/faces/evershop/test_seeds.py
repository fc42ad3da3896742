"""Every request/response example of seeds 000, 001 and 002, reproduced on the wire.

Bodies are compared whole; only generated values (uuids, times, sids, tokens) are matched by
format. Seed 000's requests authenticate with the ``asid`` cookie, seeds 001/002's with the
``admin_token`` cookie holding an admin JWT.
"""

from __future__ import annotations

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories
from tests.faces.evershop import wire
from tests.faces.evershop.conftest import ClientFactory
from tests.faces.evershop.wire import JWT, SID, STAMP, UUID, assert_json

pytestmark = pytest.mark.anyio

JOHN = "john.smith@example.com"


async def test_seed000_create_a_customer(admin: httpx.AsyncClient) -> None:
    response = await admin.post(
        "/api/customers",
        headers={"Accept": "application/json"},
        json={"email": JOHN, "password": wire.PASSWORD, "full_name": "John Smith"},
    )
    body = assert_json(
        response,
        200,
        {"data": {**wire.customer(1, JOHN, "John Smith"), "links": wire.admin_links()}},
    )
    data = body["data"]
    assert data["links"] == wire.admin_links(data["uuid"])
    assert data["created_at"] == data["updated_at"]
    wire.assert_recent(data["created_at"])
    wire.assert_no_secrets(response)


async def test_seed000_update_a_customer(admin: httpx.AsyncClient) -> None:
    created = await wire.create(admin, JOHN, "John Smith")
    response = await admin.patch(
        f"/api/customers/{created['uuid']}", json={"full_name": "John A. Smith"}
    )
    body = assert_json(
        response,
        200,
        {
            "data": {
                **wire.customer(
                    1, JOHN, "John A. Smith", uuid=created["uuid"], created_at=created["created_at"]
                ),
                "links": wire.admin_links(created["uuid"]),
            }
        },
    )
    assert body["data"]["updated_at"] > created["updated_at"]
    wire.assert_no_secrets(response)


async def test_seed000_delete_a_customer(admin: httpx.AsyncClient) -> None:
    created = await wire.create(admin, JOHN, "John Smith")
    updated = (
        await admin.patch(f"/api/customers/{created['uuid']}", json={"full_name": "John A. Smith"})
    ).json()["data"]
    response = await admin.delete(f"/api/customers/{created['uuid']}")
    assert_json(
        response,
        200,
        {
            "data": wire.customer(
                1,
                JOHN,
                "John A. Smith",
                uuid=created["uuid"],
                created_at=created["created_at"],
                updated_at=updated["updated_at"],
            )
        },
    )
    wire.assert_no_secrets(response)


async def test_seed000_login(admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    await wire.create(admin, JOHN, "John Smith")
    response = await anon.post(
        "/customer/login",
        headers={"Accept": "application/json"},
        json={"email": JOHN, "password": wire.PASSWORD},
    )
    body = assert_json(response, 200, {"data": {"sid": SID}})
    value, attributes = wire.cookie_attributes(wire.set_cookies(response)["sid"])
    assert value == body["data"]["sid"]
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    assert "secure" not in attributes  # plain http


async def test_seed000_logout(admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    await wire.create(admin, JOHN, "John Smith")
    sid = await wire.login(anon)
    assert await wire.signed_in(anon)
    response = await anon.post("/customers/logout", headers={"Accept": "application/json"})
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(anon, **{"X-Session-ID": sid})


async def test_seed000_get_a_customer(admin: httpx.AsyncClient) -> None:
    created = await wire.create(admin, JOHN, "John Smith")
    updated = (
        await admin.patch(f"/api/customers/{created['uuid']}", json={"full_name": "John A. Smith"})
    ).json()["data"]
    address = await admin.post(
        f"/api/customers/{created['uuid']}/addresses",
        json={
            "full_name": "John A. Smith",
            "telephone": "555-123-4567",
            "address_1": "123 Main Street",
            "address_2": "Apt 4B",
            "city": "Springfield",
            "province": "IL",
            "country": "US",
            "postcode": "62701",
            "is_default": True,
        },
    )
    assert address.status_code == 200, address.text
    response = await admin.get(
        f"/api/customers/{created['uuid']}", headers={"Accept": "application/json"}
    )
    assert_json(
        response,
        200,
        {
            "data": {
                **wire.customer(
                    1,
                    JOHN,
                    "John A. Smith",
                    uuid=created["uuid"],
                    created_at=created["created_at"],
                    updated_at=updated["updated_at"],
                ),
                "addresses": [
                    {
                        "customer_address_id": 1,
                        "uuid": address.json()["data"]["uuid"],
                        "full_name": "John A. Smith",
                        "telephone": "555-123-4567",
                        "address_1": "123 Main Street",
                        "address_2": "Apt 4B",
                        "city": "Springfield",
                        "province": "IL",
                        "country": "US",
                        "postcode": "62701",
                        "is_default": True,
                    }
                ],
            }
        },
    )
    wire.assert_no_secrets(response)


async def test_seed000_list_all_customers(admin: httpx.AsyncClient) -> None:
    jane = await wire.create(admin, "jane.doe@example.com", "Jane Doe")
    john = await wire.create(admin, JOHN, "John Smith")
    updated = (
        await admin.patch(f"/api/customers/{john['uuid']}", json={"full_name": "John A. Smith"})
    ).json()["data"]
    response = await admin.get("/api/customers", headers={"Accept": "application/json"})
    assert_json(
        response,
        200,
        {
            "data": [
                wire.customer(
                    1,
                    "jane.doe@example.com",
                    "Jane Doe",
                    uuid=jane["uuid"],
                    created_at=jane["created_at"],
                    updated_at=jane["updated_at"],
                ),
                wire.customer(
                    2,
                    JOHN,
                    "John A. Smith",
                    uuid=john["uuid"],
                    created_at=john["created_at"],
                    updated_at=updated["updated_at"],
                ),
            ],
            "links": {
                "first": "/api/customers?page=1",
                "last": "/api/customers?page=1",
                "prev": None,
                "next": None,
            },
            "meta": {
                "current_page": 1,
                "from": 1,
                "last_page": 1,
                "path": "/api/customers",
                "per_page": 20,
                "to": 2,
                "total": 2,
            },
        },
    )
    wire.assert_no_secrets(response)


async def test_seed000_error_format(admin: httpx.AsyncClient) -> None:
    response = await admin.get("/api/customers/433ba97f-8be7-4be9-be3f-a9f341f2b89f")
    assert_json(response, 404, {"error": {"status": 404, "message": "Customer not found"}})


async def test_seed000_session_by_header_and_cookie(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    """ "include the session ID in the X-Session-ID header", or the cookie."""
    await wire.create(admin, JOHN, "John Smith")
    sid = await wire.login(await new_client())
    assert await wire.signed_in(anon, **{"X-Session-ID": sid})
    assert await wire.signed_in(anon, Cookie=f"sid={sid}")


# ---- seeds 001 and 002: the same CRUD authenticated by the admin_token cookie ------------


@pytest.fixture
async def admin_token(services: Services, anon: httpx.AsyncClient) -> dict[str, str]:
    """``Cookie: admin_token=<jwt>`` headers, as seeds 001 and 002 send them."""
    await factories.create_admin(services)
    response = await anon.post(
        "/api/user/tokens",
        json={"email": factories.ADMIN_EMAIL, "password": factories.ADMIN_PASSWORD},
    )
    assert response.status_code == 200, response.text
    return {
        "Accept": "application/json",
        "Cookie": f"admin_token={response.json()['data']['accessToken']}",
    }


WK = "wkVPyU6LG9nQ1kwTn3Or"
SS = "Ssbvz5pUbOXPCFv5WDrd@gmail.com"


async def test_seed001_create_update_delete(
    anon: httpx.AsyncClient, admin_token: dict[str, str]
) -> None:
    created = await anon.post(
        "/api/customers",
        headers=admin_token,
        json={"email": f"{WK}@email.com", "password": wire.PASSWORD, "full_name": WK, "status": 1},
    )
    data = assert_json(
        created,
        200,
        {"data": {**wire.customer(1, f"{WK}@email.com", WK), "links": wire.admin_links()}},
    )["data"]
    assert data["links"][1]["href"] == f"/admin/customers/edit/{data['uuid']}"

    updated = await anon.patch(
        f"/api/customers/{data['uuid']}",
        headers=admin_token,
        json={"email": SS, "password": "another-Secret-1", "full_name": "abc"},
    )
    changed = assert_json(
        updated,
        200,
        {
            "data": {
                **wire.customer(1, SS, "abc", uuid=data["uuid"], created_at=data["created_at"]),
                "links": wire.admin_links(data["uuid"]),
            }
        },
    )["data"]
    assert changed["updated_at"] > data["updated_at"]
    wire.assert_no_secrets(updated)

    deleted = await anon.delete(f"/api/customers/{data['uuid']}", headers=admin_token)
    assert_json(
        deleted,
        200,
        {
            "data": wire.customer(
                1,
                SS,
                "abc",
                uuid=data["uuid"],
                created_at=data["created_at"],
                updated_at=changed["updated_at"],
            )
        },
    )
    gone = await anon.get(f"/api/customers/{data['uuid']}", headers=admin_token)
    wire.assert_error(gone, 404, "Customer not found")


async def test_seed001_create_a_customer_session(
    anon: httpx.AsyncClient, admin_token: dict[str, str], new_client: ClientFactory
) -> None:
    created = await anon.post(
        "/api/customers",
        headers=admin_token,
        json={"email": f"{WK}@email.com", "password": wire.PASSWORD, "full_name": WK},
    )
    customer = created.json()["data"]
    shopper = await new_client()
    response = await shopper.post(
        "/api/customers/sessions",
        headers={"Accept": "application/json"},
        json={"email": f"{WK}@email.com", "password": wire.PASSWORD},
    )
    body = assert_json(response, 200, {"data": {"token": JWT, "sid": SID}})
    token = body["data"]["token"]
    claims = wire.jwt_payload(token)
    assert {"customer", "sid", "iat", "exp"} <= claims.keys()
    assert claims["customer"]["uuid"] == customer["uuid"]
    assert claims["customer"]["email"] == f"{WK}@email.com"
    assert "password" not in str(claims).lower()
    assert claims["sid"] == UUID
    assert claims["exp"] > claims["iat"]
    value, attributes = wire.cookie_attributes(wire.set_cookies(response)["token"])
    assert value == token
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    # The token works as a Bearer and, in the cookie jar, as the legacy cookie.
    assert await wire.signed_in(anon, Authorization=f"Bearer {token}")
    assert await wire.signed_in(shopper)
    # ... and so does the sid.
    assert await wire.signed_in(anon, **{"X-Session-ID": body["data"]["sid"]})


async def test_seed001_delete_a_customer_session(
    anon: httpx.AsyncClient, admin_token: dict[str, str], new_client: ClientFactory
) -> None:
    await anon.post(
        "/api/customers",
        headers=admin_token,
        json={"email": f"{WK}@email.com", "password": wire.PASSWORD, "full_name": WK},
    )
    shopper = await new_client()
    session = (
        await shopper.post(
            "/api/customers/sessions", json={"email": f"{WK}@email.com", "password": wire.PASSWORD}
        )
    ).json()["data"]
    assert await wire.signed_in(shopper)
    response = await shopper.post(
        f"/api/customers/sessions/{session['sid']}", headers={"Accept": "application/json"}
    )
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(shopper)
    assert not await wire.signed_in(anon, Authorization=f"Bearer {session['token']}")
    assert not await wire.signed_in(anon, **{"X-Session-ID": session["sid"]})


async def test_seed001_created_at_is_a_mysql_style_stamp(admin: httpx.AsyncClient) -> None:
    data = await wire.create(admin)
    assert data["created_at"] == STAMP
    assert data["updated_at"] == STAMP
