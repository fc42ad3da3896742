"""Addresses through the admin routes and the customer's own ``/me`` routes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.faces.evershop import wire
from tests.faces.evershop.conftest import ClientFactory
from tests.faces.evershop.wire import STAMP, UUID, assert_error, assert_json

pytestmark = pytest.mark.anyio

ADDRESS = {
    "full_name": "John A. Smith",
    "telephone": "555-123-4567",
    "address_1": "123 Main Street",
    "address_2": "Apt 4B",
    "city": "Springfield",
    "province": "IL",
    "country": "US",
    "postcode": "62701",
}
MISSING_ALL = (
    "Full name is required, Address is required, Province is required, Country is required, "
    "Postcode is required"
)
ME_LOGIN = "You must be logged in to manage your addresses"


def address_body(
    fields: dict[str, Any],
    *,
    address_id: int = 1,
    customer_id: int = 1,
    is_default: bool = False,
    address_uuid: object = UUID,
    created_at: object = STAMP,
    updated_at: object = STAMP,
) -> dict[str, Any]:
    """An address as the address routes return it."""
    return {
        "customer_address_id": address_id,
        "uuid": address_uuid,
        "customer_id": customer_id,
        "full_name": fields.get("full_name"),
        "telephone": fields.get("telephone"),
        "address_1": fields.get("address_1"),
        "address_2": fields.get("address_2"),
        "postcode": fields.get("postcode"),
        "city": fields.get("city"),
        "province": fields.get("province"),
        "country": fields.get("country"),
        "created_at": created_at,
        "updated_at": updated_at,
        "is_default": is_default,
    }


def embedded(body: dict[str, Any]) -> dict[str, Any]:
    """The same address as ``GET /api/customers/{uuid}`` embeds it."""
    keys = (
        "customer_address_id",
        "uuid",
        "full_name",
        "telephone",
        "address_1",
        "address_2",
        "city",
        "province",
        "country",
        "postcode",
        "is_default",
    )
    return {key: body[key] for key in keys}


async def _embedded(admin: httpx.AsyncClient, customer_uuid: str) -> list[dict[str, Any]]:
    response = await admin.get(f"/api/customers/{customer_uuid}")
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["data"]["addresses"]
    return found


@pytest.fixture
async def john(admin: httpx.AsyncClient) -> dict[str, Any]:
    return await wire.create(admin)


@pytest.fixture
async def shopper(john: dict[str, Any], new_client: ClientFactory) -> httpx.AsyncClient:
    """John, signed in through ``/customer/login`` (``sid`` cookie)."""
    http = await new_client()
    await wire.login(http)
    return http


# ---- admin routes ------------------------------------------------------------------------


async def test_admin_create_update_delete(admin: httpx.AsyncClient, john: dict[str, Any]) -> None:
    base = f"/api/customers/{john['uuid']}/addresses"
    response = await admin.post(base, json={**ADDRESS, "is_default": True})
    created = assert_json(
        response,
        200,
        {"data": {**address_body(ADDRESS, is_default=True), "links": wire.address_links()}},
    )["data"]
    href = f"{base}/{created['uuid']}"
    assert created["links"] == wire.address_links(href)
    assert created["created_at"] == created["updated_at"]
    wire.assert_recent(created["created_at"])
    assert await _embedded(admin, john["uuid"]) == [embedded(created)]

    response = await admin.patch(href, json={"city": "Shelbyville", "telephone": None})
    changed = {**ADDRESS, "city": "Shelbyville", "telephone": None}
    updated = assert_json(
        response,
        200,
        {
            "data": {
                **address_body(
                    changed,
                    is_default=True,
                    address_uuid=created["uuid"],
                    created_at=created["created_at"],
                ),
                "links": wire.address_links(href),
            }
        },
    )["data"]
    assert updated["updated_at"] > created["updated_at"]
    assert await _embedded(admin, john["uuid"]) == [embedded(updated)]

    response = await admin.delete(href)
    assert_json(response, 200, {"data": {k: v for k, v in updated.items() if k != "links"}})
    assert await _embedded(admin, john["uuid"]) == []
    assert_error(await admin.delete(href), 404, "Address not found")
    assert_error(await admin.patch(href, json={"city": "X"}), 404, "Address not found")


async def test_admin_address_by_32_hex_customer_id(
    admin: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    hex_id = john["uuid"].replace("-", "")
    response = await admin.post(f"/api/customers/{hex_id}/addresses", json=ADDRESS)
    data = response.json()["data"]
    assert response.status_code == 200
    # Links name the customer by its canonical uuid.
    assert data["links"] == wire.address_links(
        f"/api/customers/{john['uuid']}/addresses/{data['uuid']}"
    )


_CREATE_VALIDATION_CASES = [
    ({}, MISSING_ALL),
    ({"telephone": "1", "city": "X"}, MISSING_ALL),
    (
        {"full_name": "  ", "address_1": "", "province": "IL", "country": "US", "postcode": ""},
        "Full name is required, Address is required, Postcode is required",
    ),
    ({**ADDRESS, "province": None}, "Province is required"),
    ({**ADDRESS, "country": "USA"}, "Country must be a two-letter ISO 3166-1 code"),
    ({**ADDRESS, "country": "1A"}, "Country must be a two-letter ISO 3166-1 code"),
    ({**ADDRESS, "is_default": "yes"}, "Is default must be a boolean"),
    ({**ADDRESS, "city": 5}, "City must be a string"),
    ({**ADDRESS, "postcode": "9" * 65}, "Postcode must be at most 64 characters"),
]


async def test_create_validation(
    admin: httpx.AsyncClient,
    shopper: httpx.AsyncClient,
    john: dict[str, Any],
    subtests: pytest.Subtests,
) -> None:
    for fields, message in _CREATE_VALIDATION_CASES:
        with subtests.test(fields=fields, message=message):
            for client, base in (
                (admin, f"/api/customers/{john['uuid']}/addresses"),
                (shopper, "/api/customers/me/addresses"),
            ):
                assert_error(await client.post(base, json=fields), 400, message)
            assert await _embedded(admin, john["uuid"]) == []


async def test_update_validation(admin: httpx.AsyncClient, john: dict[str, Any]) -> None:
    base = f"/api/customers/{john['uuid']}/addresses"
    created = (await admin.post(base, json=ADDRESS)).json()["data"]
    href = f"{base}/{created['uuid']}"
    for fields, message in (
        ({"address_1": ""}, "Address is required"),
        ({"full_name": None, "postcode": " "}, "Full name is required, Postcode is required"),
        ({"country": "usa"}, "Country must be a two-letter ISO 3166-1 code"),
        ({"is_default": 1}, "Is default must be a boolean"),
    ):
        assert_error(await admin.patch(href, json=fields), 400, message)
    assert await _embedded(admin, john["uuid"]) == [embedded(created)]


async def test_country_is_upper_cased(admin: httpx.AsyncClient, john: dict[str, Any]) -> None:
    response = await admin.post(
        f"/api/customers/{john['uuid']}/addresses", json={**ADDRESS, "country": "de"}
    )
    assert response.json()["data"]["country"] == "DE"


async def test_only_one_default(admin: httpx.AsyncClient, john: dict[str, Any]) -> None:
    base = f"/api/customers/{john['uuid']}/addresses"
    first = (await admin.post(base, json={**ADDRESS, "is_default": True})).json()["data"]
    second = (
        await admin.post(base, json={**ADDRESS, "address_1": "2 Elm", "is_default": True})
    ).json()["data"]
    third = (await admin.post(base, json={**ADDRESS, "address_1": "3 Oak"})).json()["data"]
    assert (first["is_default"], second["is_default"], third["is_default"]) == (True, True, False)
    defaults = [a["is_default"] for a in await _embedded(admin, john["uuid"])]
    assert defaults == [False, True, False]
    response = await admin.patch(f"{base}/{third['uuid']}", json={"is_default": True})
    assert response.json()["data"]["is_default"] is True
    assert [a["is_default"] for a in await _embedded(admin, john["uuid"])] == [False, False, True]
    # Setting the default again keeps it; unsetting leaves none.
    await admin.patch(f"{base}/{third['uuid']}", json={"is_default": True})
    assert [a["is_default"] for a in await _embedded(admin, john["uuid"])] == [False, False, True]
    await admin.patch(f"{base}/{third['uuid']}", json={"is_default": False})
    assert [a["is_default"] for a in await _embedded(admin, john["uuid"])] == [False] * 3


async def test_defaults_are_per_customer(admin: httpx.AsyncClient, john: dict[str, Any]) -> None:
    jane = await wire.create(admin, "jane@example.com", "Jane Doe")
    await admin.post(
        f"/api/customers/{john['uuid']}/addresses", json={**ADDRESS, "is_default": True}
    )
    await admin.post(
        f"/api/customers/{jane['uuid']}/addresses", json={**ADDRESS, "is_default": True}
    )
    assert [a["is_default"] for a in await _embedded(admin, john["uuid"])] == [True]
    assert [a["is_default"] for a in await _embedded(admin, jane["uuid"])] == [True]


async def test_admin_address_of_another_customer_is_404(
    admin: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    jane = await wire.create(admin, "jane@example.com", "Jane Doe")
    johns = (await admin.post(f"/api/customers/{john['uuid']}/addresses", json=ADDRESS)).json()
    wrong = f"/api/customers/{jane['uuid']}/addresses/{johns['data']['uuid']}"
    assert_error(await admin.patch(wrong, json={"city": "X"}), 404, "Address not found")
    assert_error(await admin.delete(wrong), 404, "Address not found")
    assert await _embedded(admin, john["uuid"]) == [embedded(johns["data"])]


async def test_admin_unknown_ids(admin: httpx.AsyncClient, john: dict[str, Any]) -> None:
    for customer_id in ("not-a-uuid", "433ba97f-8be7-4be9-be3f-a9f341f2b89f"):
        response = await admin.post(f"/api/customers/{customer_id}/addresses", json=ADDRESS)
        assert_error(response, 404, "Customer not found")
    base = f"/api/customers/{john['uuid']}/addresses"
    for address_id in ("not-a-uuid", "433ba97f-8be7-4be9-be3f-a9f341f2b89f"):
        assert_error(await admin.patch(f"{base}/{address_id}", json={}), 404, "Address not found")
        assert_error(await admin.delete(f"{base}/{address_id}"), 404, "Address not found")


async def test_admin_routes_need_an_admin(
    anon: httpx.AsyncClient, shopper: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    base = f"/api/customers/{john['uuid']}/addresses"
    some = f"{base}/433ba97f-8be7-4be9-be3f-a9f341f2b89f"
    for client in (anon, shopper):
        assert_error(await client.post(base, json=ADDRESS), 401, "Unauthorized")
        assert_error(await client.patch(some, json={"city": "X"}), 401, "Unauthorized")
        assert_error(await client.delete(some), 401, "Unauthorized")


# ---- the customer's own addresses --------------------------------------------------------


async def test_me_create_update_delete(
    admin: httpx.AsyncClient, shopper: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    jane = await wire.create(admin, "jane@example.com", "Jane Doe")
    response = await shopper.post(
        "/api/customers/me/addresses",
        json={
            **ADDRESS,
            # Ids and owners in the body are ignored.
            "customer_id": jane["customer_id"],
            "customer_address_id": 77,
            "uuid": "433ba97f-8be7-4be9-be3f-a9f341f2b89f",
            "address_id": 77,
        },
    )
    created = assert_json(
        response,
        200,
        {"data": {**address_body(ADDRESS), "links": wire.address_links()}},
    )["data"]
    assert created["uuid"] != "433ba97f-8be7-4be9-be3f-a9f341f2b89f"
    href = f"/api/customers/me/addresses/{created['uuid']}"
    assert created["links"] == wire.address_links(href)
    assert await _embedded(admin, john["uuid"]) == [embedded(created)]
    assert await _embedded(admin, jane["uuid"]) == []

    response = await shopper.patch(href, json={"postcode": "62702", "is_default": True})
    updated = assert_json(
        response,
        200,
        {
            "data": {
                **address_body(
                    {**ADDRESS, "postcode": "62702"},
                    is_default=True,
                    address_uuid=created["uuid"],
                    created_at=created["created_at"],
                ),
                "links": wire.address_links(href),
            }
        },
    )["data"]
    assert updated["updated_at"] > created["updated_at"]

    response = await shopper.delete(href)
    assert_json(response, 200, {"data": {k: v for k, v in updated.items() if k != "links"}})
    assert await _embedded(admin, john["uuid"]) == []
    assert_error(await shopper.delete(href), 404, "Address not found")


async def test_me_by_header_and_bearer(
    anon: httpx.AsyncClient, shopper: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    sid = await wire.login(anon)
    response = await anon.post(
        "/api/customers/me/addresses", json=ADDRESS, headers={"X-Session-ID": sid}
    )
    assert response.status_code == 200
    tokens = (
        await anon.post(
            "/api/customer/tokens", json={"email": john["email"], "password": wire.PASSWORD}
        )
    ).json()["data"]
    response = await anon.post(
        "/api/customers/me/addresses",
        json=ADDRESS,
        headers={"Authorization": f"Bearer {tokens['accessToken']}"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["customer_address_id"] == 2


async def test_me_cannot_touch_another_customers_address(
    admin: httpx.AsyncClient, shopper: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    jane = await wire.create(admin, "jane@example.com", "Jane Doe")
    janes = (await admin.post(f"/api/customers/{jane['uuid']}/addresses", json=ADDRESS)).json()[
        "data"
    ]
    href = f"/api/customers/me/addresses/{janes['uuid']}"
    assert_error(await shopper.patch(href, json={"city": "Stolen"}), 404, "Address not found")
    assert_error(await shopper.delete(href), 404, "Address not found")
    assert await _embedded(admin, jane["uuid"]) == [embedded(janes)]
    assert_error(
        await shopper.patch("/api/customers/me/addresses/not-a-uuid", json={}),
        404,
        "Address not found",
    )


async def test_me_without_session_is_401(
    anon: httpx.AsyncClient, admin: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    some = "/api/customers/me/addresses/433ba97f-8be7-4be9-be3f-a9f341f2b89f"
    for client in (anon, admin):  # an admin is not a customer
        assert_error(await client.post("/api/customers/me/addresses", json=ADDRESS), 401, ME_LOGIN)
        assert_error(await client.patch(some, json={"city": "X"}), 401, ME_LOGIN)
        assert_error(await client.delete(some), 401, ME_LOGIN)
    response = await anon.post(
        "/api/customers/me/addresses", json=ADDRESS, headers={"X-Session-ID": "f" * 64}
    )
    assert_error(response, 401, ME_LOGIN)


async def test_addresses_go_with_a_deleted_customer(
    admin: httpx.AsyncClient, shopper: httpx.AsyncClient, john: dict[str, Any]
) -> None:
    created = (await shopper.post("/api/customers/me/addresses", json=ADDRESS)).json()["data"]
    await admin.delete(f"/api/customers/{john['uuid']}")
    href = f"/api/customers/me/addresses/{created['uuid']}"
    assert_error(await shopper.patch(href, json={"city": "X"}), 401, ME_LOGIN)
    again = await wire.create(admin)
    assert await _embedded(admin, again["uuid"]) == []
