"""``a/account/account`` and ``a/account/history``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.faces.abantecart import wire
from tests.faces.abantecart.wire import assert_body, assert_golden, get, post

pytestmark = pytest.mark.anyio


async def test_account(client: httpx.AsyncClient) -> None:
    token = await wire.signup(
        client,
        "acc_43fc9c61b5db",
        "abc-43fc9c61b5db4b21@example.com",
        firstname="Joe",
        lastname="Doe",
    )
    response = await post(client, "a/account/account", {"token": token})
    customer_id = response.json()["customer_id"]
    assert isinstance(customer_id, int)
    assert_golden(
        response, 200, "account_ok", replace={'"customer_id":2': f'"customer_id":{customer_id}'}
    )


async def test_account_escapes_on_output_and_stores_raw(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    token = await wire.signup(
        client,
        "acc_8a4cc647e46d",
        "abc-8a4cc647e46d461d@example.com",
        firstname="Jörg",
        lastname='T&J <b>"q" \'',
    )
    response = await post(client, "a/account/account", {"token": token})
    customer_id = response.json()["customer_id"]
    assert_golden(
        response,
        200,
        "account_unicode_escaped",
        replace={'"customer_id":3': f'"customer_id":{customer_id}'},
    )
    # Other faces read the clean value.
    listed = (await admin.get("/api/customers")).json()["data"][0]
    assert listed["full_name"] == 'Jörg T&J <b>"q" \''


@pytest.mark.parametrize(
    ("name", "body"), [("account_no_token", b""), ("account_bad_token", b"token=not-a-real-token")]
)
async def test_account_needs_a_live_token(
    client: httpx.AsyncClient, name: str, body: bytes
) -> None:
    assert_golden(await post(client, "a/account/account", body), 401, name)


async def test_account_is_post_only(client: httpx.AsyncClient) -> None:
    token = await wire.signup(client, "acc_43fc9c61b5db", "abc-43fc9c61b5db4b21@example.com")
    response = await get(client, "a/account/account", token=token)
    assert_golden(response, 405, "account_get_405", content_type=wire.EMPTY)


async def test_a_session_from_another_face_works_here(client: httpx.AsyncClient) -> None:
    await client.post(
        "/api/customers",
        json={"email": "ada@example.com", "password": wire.PASSWORD, "full_name": "Ada Lovelace"},
    )
    login = await client.post(
        "/customer/login", json={"email": "ada@example.com", "password": wire.PASSWORD}
    )
    sid = login.json()["data"]["sid"]
    body = (await post(client, "a/account/account", {"token": sid})).json()
    assert (body["firstname"], body["lastname"], body["email"]) == (
        "Ada",
        "Lovelace",
        "ada@example.com",
    )


# ---- history -------------------------------------------------------------------------------

# The orders behind the history_with_orders capture (history_with_orders.db.txt): order id,
# status id, currency, rate, total, date added, first and last name, line count.
CAPTURED_ORDERS = [
    (1, 1, "USD", "1.00000000", "1234.5000", "2026-05-07 10:00:00", "Ord Name", 2),
    (2, 0, "USD", "1.00000000", "10.0000", "2026-05-08 10:00:00", "Incomplete Order", 1),
    (3, 5, "EUR", "0.93850000", "100.0000", "2026-05-09 10:00:00", "Euro Buyer", 1),
    (4, 99, "USD", "1.00000000", "-5.0000", "2026-05-10 10:00:00", "Neg Total", 0),
    (5, 2, "GBP", "0.79330000", "1000000.0000", "0000-00-00 00:00:00", "Zero Date", 3),
]
# AbanteCart's stock order statuses and currencies (status 99 has no name).
STATUSES = {1: "Pending", 2: "Processing", 5: "Completed"}
CURRENCIES: dict[str, dict[str, Any]] = {
    "USD": {"symbol_left": "$"},
    "EUR": {"symbol_right": "€"},
    "GBP": {"symbol_left": "£"},
}


async def _push_captured_orders(admin: httpx.AsyncClient, customer_uuid: str) -> None:
    for order_id, status, currency, rate, total, date, name, lines in CAPTURED_ORDERS:
        body = {
            "status_id": status,
            "status_name": STATUSES.get(status),
            "date_added": date,
            "line_count": lines,
            "total": total,
            "currency_code": currency,
            "currency_rate": rate,
            "name": name,
            **CURRENCIES[currency],
        }
        response = await admin.put(f"/api/customers/{customer_uuid}/orders/{order_id}", json=body)
        assert response.status_code == 200, response.text


async def test_history_without_orders(client: httpx.AsyncClient) -> None:
    token = await wire.signup(client, "acc_43fc9c61b5db", "abc-43fc9c61b5db4b21@example.com")
    assert_golden(await post(client, "a/account/history", {"token": token}), 200, "history_empty")
    body = {"token": token, "page": "2", "limit": "5"}
    assert_golden(await post(client, "a/account/history", body), 200, "history_empty_page_limit")


async def test_history_with_orders(client: httpx.AsyncClient, admin: httpx.AsyncClient) -> None:
    token = await wire.signup(
        client,
        "acc_hist_person",
        "abc-f16eb2cabae0427e@example.com",
        firstname="Hist",
        lastname="Person",
    )
    customer_uuid = (await admin.get("/api/customers")).json()["data"][0]["uuid"]
    await _push_captured_orders(admin, customer_uuid)
    response = await post(client, "a/account/history", {"token": token})
    assert_golden(response, 200, "history_with_orders")
    body = {"token": token, "page": "2", "limit": "1"}
    assert_golden(
        await post(client, "a/account/history", body), 200, "history_with_orders_page_limit"
    )


async def test_history_is_one_page_of_the_configured_size(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    token = await wire.signup(client, "acc_hist_person", "abc-f16eb2cabae0427e@example.com")
    customer_uuid = (await admin.get("/api/customers")).json()["data"][0]["uuid"]
    order = {"status_id": 1, "total": "1", "currency_code": "USD"}
    for order_id in range(1, 23):
        await admin.put(f"/api/customers/{customer_uuid}/orders/{order_id}", json=order)
    body = (await post(client, "a/account/history", {"token": token})).json()
    assert body["limit"] == "20"
    assert [o["order_id"] for o in body["orders"]] == [str(n) for n in range(22, 2, -1)]
    assert (body["total_orders"], body["page"]) == (22, 1)


async def test_history_escapes_what_the_shop_sent(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    token = await wire.signup(client, "acc_hist_person", "abc-f16eb2cabae0427e@example.com")
    customer_uuid = (await admin.get("/api/customers")).json()["data"][0]["uuid"]
    order = {
        "status_id": 1,
        "status_name": "<b>Sent</b>",
        "total": "1234567.891",
        "currency_code": "JPY",
        "decimal_place": 0,
        "thousand_point": ".",
        "symbol_right": " ¥&",
        "name": 'A & "B"',
    }
    await admin.put(f"/api/customers/{customer_uuid}/orders/9", json=order)
    (row,) = (await post(client, "a/account/history", {"token": token})).json()["orders"]
    assert row == {
        "order_id": "9",
        "name": "A &amp; &quot;B&quot;",
        "status": "&lt;b&gt;Sent&lt;/b&gt;",
        "date_added": "",
        "products": 0,
        "total": "1.234.568 ¥&amp;",
    }


@pytest.mark.parametrize(
    ("name", "body"), [("history_no_token", b"token=not-a-real-token"), ("history_no_token", b"")]
)
async def test_history_needs_a_live_token(
    client: httpx.AsyncClient, name: str, body: bytes
) -> None:
    assert_golden(await post(client, "a/account/history", body), 401, name)


async def test_history_is_post_only(client: httpx.AsyncClient) -> None:
    token = await wire.signup(client, "acc_43fc9c61b5db", "abc-43fc9c61b5db4b21@example.com")
    response = await get(client, "a/account/history", token=token)
    assert_golden(response, 405, "history_get_405", content_type=wire.EMPTY)
    # AbanteCart's method-segment route (rt=a/account/history/post) is not served.
    response = await get(client, "a/account/history/post", token=token)
    assert_body(response, 200, b"", content_type="text/html; charset=utf-8")
