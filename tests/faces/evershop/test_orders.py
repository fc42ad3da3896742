"""The order-summary admin API: ``GET /api/customers/{uuid}/orders``, ``PUT`` and ``DELETE
/api/customers/{uuid}/orders/{order_id}``, in EverShop's envelope and error format."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories
from tests.faces.evershop import wire
from tests.faces.evershop.conftest import ClientFactory
from tests.faces.evershop.wire import STAMP, assert_error, assert_json

pytestmark = pytest.mark.anyio

ORDER = {
    "status_id": 2,
    "status_name": "Processing",
    "date_added": "2026-05-07 10:00:00",
    "line_count": 3,
    "total": "1000000",
    "currency_code": "gbp",
    "currency_rate": 0.7933,
    "symbol_left": "£",
    "name": "Zero Date",
}


def _body(order_id: int, customer_uuid: str, **changes: Any) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "customer_uuid": customer_uuid,
        "status_id": 2,
        "status_name": "Processing",
        "date_added": "2026-05-07 10:00:00",
        "line_count": 3,
        "total": "1000000.0000",
        "currency_code": "GBP",
        "currency_rate": "0.79330000",
        "symbol_left": "£",
        "symbol_right": "",
        "decimal_place": 2,
        "decimal_point": ".",
        "thousand_point": ",",
        "name": "Zero Date",
        "created_at": STAMP,
        "updated_at": STAMP,
        **changes,
    }


async def _customer(admin: httpx.AsyncClient, email: str = "john.smith@example.com") -> str:
    customer_uuid: str = (await wire.create(admin, email=email))["uuid"]
    return customer_uuid


async def test_put_get_and_delete(admin: httpx.AsyncClient) -> None:
    owner = await _customer(admin)
    base = f"/api/customers/{owner}/orders"
    assert_json(await admin.put(f"{base}/5", json=ORDER), 200, {"data": _body(5, owner)})
    replaced = {"status_id": 0, "total": -5, "currency_code": "USD"}
    expected = _body(
        5,
        owner,
        status_id=0,
        status_name=None,
        date_added=None,
        line_count=0,
        total="-5.0000",
        currency_code="USD",
        currency_rate="1.00000000",
        symbol_left="",
        name="",
    )
    assert_json(await admin.put(f"{base}/5", json=replaced), 200, {"data": expected})
    await admin.put(f"{base}/7", json=ORDER)
    listed = {
        "data": [_body(7, owner), expected],
        "meta": {"current_page": 1, "per_page": 20, "last_page": 1, "total": 2},
    }
    assert_json(await admin.get(base), 200, listed)
    paged = await admin.get(base, params={"page": "2", "limit": "1"})
    assert paged.json()["data"] == [expected]
    assert paged.json()["meta"] == {"current_page": 2, "per_page": 1, "last_page": 2, "total": 2}
    assert_json(await admin.delete(f"{base}/5"), 200, {"data": expected})
    assert_error(await admin.delete(f"{base}/5"), 404, "Order not found")
    assert [o["order_id"] for o in (await admin.get(base)).json()["data"]] == [7]


async def test_put_moves_an_order_to_the_customer_named(admin: httpx.AsyncClient) -> None:
    first, second = await _customer(admin), await _customer(admin, "jane@example.com")
    await admin.put(f"/api/customers/{first}/orders/5", json=ORDER)
    response = await admin.put(f"/api/customers/{second}/orders/5", json=ORDER)
    assert response.json()["data"]["customer_uuid"] == second
    assert (await admin.get(f"/api/customers/{first}/orders")).json()["data"] == []
    assert_error(await admin.delete(f"/api/customers/{first}/orders/5"), 404, "Order not found")


async def test_validation_names_every_field(admin: httpx.AsyncClient) -> None:
    owner = await _customer(admin)
    response = await admin.put(f"/api/customers/{owner}/orders/5", json={"total": "x"})
    assert_error(
        response,
        400,
        "status_id is required, total must be a number, currency_code is required",
    )
    response = await admin.put(f"/api/customers/{owner}/orders/abc", json=ORDER)
    assert_error(response, 400, "order_id must be an integer")
    response = await admin.put(f"/api/customers/{owner}/orders/5", content=b"[]")
    assert_error(response, 400, "Request body must be a JSON object")
    response = await admin.get(f"/api/customers/{owner}/orders", params={"limit": "0"})
    assert_error(response, 400, "limit must be an integer of at least 1")


async def test_unknown_customers_and_orders_are_404(admin: httpx.AsyncClient) -> None:
    missing = str(uuid.uuid4())
    assert_error(await admin.get(f"/api/customers/{missing}/orders"), 404, "Customer not found")
    assert_error(await admin.get("/api/customers/nope/orders"), 404, "Customer not found")
    response = await admin.put(f"/api/customers/{missing}/orders/5", json=ORDER)
    assert_error(response, 404, "Customer not found")
    owner = await _customer(admin)
    for order_id in ("0", "x", "99999999999999999999", "５"):
        response = await admin.delete(f"/api/customers/{owner}/orders/{order_id}")
        assert_error(response, 404, "Order not found")


async def test_only_admins_and_only_editors_write(
    services: Services, admin: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    owner = await _customer(admin)
    anon = await new_client()
    base = f"/api/customers/{owner}/orders"
    assert_error(await anon.get(base), 401, "Unauthorized")
    assert_error(await anon.put(f"{base}/5", json=ORDER), 401, "Unauthorized")
    customer = await new_client()
    await wire.login(customer)
    assert_error(await customer.get(base), 401, "Unauthorized")
    await factories.create_admin(services, email="support@example.com", role="support")
    support = await new_client()
    await factories.admin_login(support, email="support@example.com")
    assert (await support.put(f"{base}/5", json=ORDER)).status_code == 200
    assert (await support.get(base)).status_code == 200


async def test_deleting_the_customer_keeps_the_orders(
    services: Services, admin: httpx.AsyncClient
) -> None:
    owner = await _customer(admin)
    await admin.put(f"/api/customers/{owner}/orders/5", json=ORDER)
    assert (await admin.delete(f"/api/customers/{owner}")).status_code == 200
    async with services.uow() as uow:
        kept = await uow.orders.get(1, 5)
    assert kept is not None
    assert (kept.customer_id, kept.name) == (None, "Zero Date")


async def test_the_routes_are_in_the_openapi_document(admin: httpx.AsyncClient) -> None:
    spec = (await admin.get("/openapi.json")).json()
    assert "get" in spec["paths"]["/api/customers/{customer_id}/orders"]
    item = spec["paths"]["/api/customers/{customer_id}/orders/{order_id}"]
    assert "requestBody" in item["put"]
    assert "delete" in item
