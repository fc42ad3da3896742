"""Order summaries in the core: parsing, upsert, delete, lists, history and import."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from patron.core import customers, orders
from patron.core.errors import ErrorCode, InvalidInput, NotFound
from patron.core.orders import OrderImport, OrderSummary, order_from_fields
from tests.fakes import FakeOrderQueries, FakeUnitOfWork, FixedClock
from tests.unit.conftest import Register

pytestmark = pytest.mark.anyio

MINIMAL = {"order_id": 7, "status_id": 1, "total": "12.5", "currency_code": "usd"}


def test_minimal_fields_take_the_defaults() -> None:
    assert order_from_fields(MINIMAL) == OrderSummary(
        order_id=7, status_id=1, total=Decimal("12.5"), currency_code="USD"
    )


def test_text_cells_are_read_like_json_values() -> None:
    cells = {
        "order_id": "5",
        "status_id": "2",
        "status_name": "Processing",
        "date_added": "2026-05-07 10:00:00",
        "line_count": "3",
        "total": "1000000.0000",
        "currency_code": "GBP",
        "currency_rate": "0.79330000",
        "symbol_left": "£",
        "symbol_right": "",
        "decimal_place": "2",
        "decimal_point": "",
        "thousand_point": "",
        "name": "Zero Date",
        "customer_email": "ignored@example.com",
    }
    summary = order_from_fields(cells)
    assert summary.date_added == datetime(2026, 5, 7, 10, tzinfo=UTC)
    assert (summary.total, summary.currency_rate) == (
        Decimal("1000000.0000"),
        Decimal("0.79330000"),
    )
    assert (summary.decimal_point, summary.thousand_point) == (".", ",")  # empty = default
    assert (summary.line_count, summary.decimal_place, summary.symbol_left) == (3, 2, "£")


def test_json_floats_keep_their_decimal_text() -> None:
    assert order_from_fields({**MINIMAL, "total": 1234.5}).total == Decimal("1234.5")


@pytest.mark.parametrize(
    "date",
    ["0000-00-00 00:00:00", "0000-00-00", None, ""],
)
def test_zero_and_empty_dates_are_none(date: Any) -> None:
    assert order_from_fields({**MINIMAL, "date_added": date}).date_added is None


def test_dates_with_an_offset_are_stored_in_utc() -> None:
    summary = order_from_fields({**MINIMAL, "date_added": "2026-05-07T12:00:00+02:00"})
    assert summary.date_added == datetime(2026, 5, 7, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"order_id": None}, "order_id"),
        ({"order_id": 0}, "order_id"),
        ({"order_id": "x"}, "order_id"),
        ({"order_id": True}, "order_id"),
        ({"order_id": 2**63}, "order_id"),
        ({"status_id": -1}, "status_id"),
        ({"status_id": 1.5}, "status_id"),
        ({"total": "NaN"}, "total"),
        ({"total": "1e30"}, "total"),
        ({"total": "abc"}, "total"),
        ({"total": [1]}, "total"),
        ({"currency_code": "US"}, "currency_code"),
        ({"currency_code": 840}, "currency_code"),
        ({"currency_rate": 0}, "currency_rate"),
        ({"currency_rate": "-1"}, "currency_rate"),
        ({"decimal_place": 9}, "decimal_place"),
        ({"line_count": -2}, "line_count"),
        ({"date_added": "yesterday"}, "date_added"),
        ({"date_added": 17}, "date_added"),
        ({"name": "x" * 256}, "name"),
        ({"name": 5}, "name"),
        ({"symbol_left": "a\x00"}, "symbol_left"),
        ({"status_name": "s" * 65}, "status_name"),
    ],
)
def test_bad_fields_are_named(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        order_from_fields({**MINIMAL, **changes})
    assert [p.field for p in caught.value.problems] == [field]


def test_every_problem_is_listed() -> None:
    with pytest.raises(InvalidInput) as caught:
        order_from_fields({"status_id": "x"})
    assert [p.field for p in caught.value.problems] == [
        "order_id",
        "status_id",
        "total",
        "currency_code",
    ]
    assert caught.value.message == (
        "order_id is required, status_id must be an integer, total is required, "
        "currency_code is required"
    )


async def test_put_creates_then_replaces_and_can_move_an_order(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ada = await register()
    bob = await register(email="bob@example.com", full_name="Bob")
    first = await orders.put_order(
        uow, clock, store_id=1, customer_uuid=ada.uuid, order=order_from_fields(MINIMAL)
    )
    assert (first.customer_id, first.created_at, first.updated_at) == (
        ada.customer_id,
        clock.now(),
        clock.now(),
    )
    clock.advance(minutes=1)
    again = order_from_fields({**MINIMAL, "status_id": 0, "name": "Ada L"})
    second = await orders.put_order(uow, clock, store_id=1, customer_uuid=bob.uuid, order=again)
    assert second is first
    assert len(uow.orders.rows) == 1
    assert (second.customer_id, second.status_id, second.name) == (bob.customer_id, 0, "Ada L")
    assert second.updated_at > second.created_at


async def test_put_for_an_unknown_customer_is_not_found(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(NotFound) as caught:
        await orders.put_order(
            uow, clock, store_id=1, customer_uuid=uuid.uuid4(), order=order_from_fields(MINIMAL)
        )
    assert caught.value.code == ErrorCode.customer_not_found


async def test_delete_only_the_customers_own_order(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ada = await register()
    bob = await register(email="bob@example.com", full_name="Bob")
    await orders.put_order(
        uow, clock, store_id=1, customer_uuid=ada.uuid, order=order_from_fields(MINIMAL)
    )
    for owner, order_id in ((bob.uuid, 7), (ada.uuid, 8)):
        with pytest.raises(NotFound) as caught:
            await orders.delete_order(uow, store_id=1, customer_uuid=owner, order_id=order_id)
        assert caught.value.code == ErrorCode.order_not_found
    removed = await orders.delete_order(uow, store_id=1, customer_uuid=ada.uuid, order_id=7)
    assert removed.order_id == 7
    assert uow.orders.rows == []


async def test_list_pages_newest_first_with_every_status(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ada = await register()
    for order_id, status in ((1, 1), (3, 0), (2, 5)):
        summary = order_from_fields({**MINIMAL, "order_id": order_id, "status_id": status})
        await orders.put_order(uow, clock, store_id=1, customer_uuid=ada.uuid, order=summary)
    found, total = await orders.list_orders(
        uow, store_id=1, customer_uuid=ada.uuid, page=1, limit=2
    )
    assert ([o.order_id for o in found], total) == ([3, 2], 3)
    found, _ = await orders.list_orders(uow, store_id=1, customer_uuid=ada.uuid, page=2, limit=2)
    assert [o.order_id for o in found] == [1]


async def test_history_shows_only_placed_orders(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ada = await register()
    for order_id, status in ((1, 1), (2, 0), (3, 5), (4, 99)):
        summary = order_from_fields({**MINIMAL, "order_id": order_id, "status_id": status})
        await orders.put_order(uow, clock, store_id=1, customer_uuid=ada.uuid, order=summary)
    history = await orders.order_history(
        FakeOrderQueries(uow.orders), customer_id=ada.customer_id, limit=2
    )
    assert ([row.order_id for row in history.rows], history.total) == ([4, 3], 3)


async def test_deleting_the_customer_keeps_the_orders(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ada = await register()
    await orders.put_order(
        uow, clock, store_id=1, customer_uuid=ada.uuid, order=order_from_fields(MINIMAL)
    )
    await customers.delete_customer(uow, store_id=1, customer_uuid=ada.uuid)
    assert [(o.order_id, o.customer_id) for o in uow.orders.rows] == [(7, None)]


async def test_import_stores_good_rows_and_reports_the_rest(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ada = await register(email="Ada@Example.com")
    rows = [
        OrderImport(2, {**MINIMAL, "order_id": "1"}, customer_email=" ada@EXAMPLE.com "),
        OrderImport(3, {**MINIMAL, "order_id": "2"}, customer_uuid=str(ada.uuid)),
        OrderImport(4, {**MINIMAL, "order_id": "3"}, customer_email="nobody@example.com"),
        OrderImport(5, {**MINIMAL, "order_id": "4"}, customer_uuid="not-a-uuid"),
        OrderImport(6, {**MINIMAL, "order_id": "5"}),
        OrderImport(7, {**MINIMAL, "total": "x"}, customer_email="ada@example.com"),
        OrderImport(
            8, {**MINIMAL, "order_id": "1", "status_id": "3"}, customer_email="ada@example.com"
        ),
    ]
    problems = await orders.import_orders(uow, clock, store_id=1, rows=rows)
    assert [(p.line, p.message) for p in problems] == [
        (4, "Customer not found"),
        (5, "Customer not found"),
        (6, "customer_uuid or customer_email is required"),
        (7, "total must be a number"),
    ]
    assert sorted((o.order_id, o.status_id) for o in uow.orders.rows) == [(1, 3), (2, 1)]
    assert all(o.customer_id == ada.customer_id for o in uow.orders.rows)
    assert uow.commits == 2  # the registration, then one for the whole batch
