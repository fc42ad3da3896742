"""Order summaries against the real databases: uniqueness, the history read, ON DELETE SET NULL,
exact money, and lookup by login key."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from patron.core import customers, orders
from patron.core.entities import CustomerOrder
from patron.core.orders import order_from_fields
from patron.faces._shared.services import Services
from tests.storage.test_repositories import NOW, _add, _customer

pytestmark = pytest.mark.anyio


def _order(order_id: int, status_id: int = 1, **values: object) -> orders.OrderSummary:
    return order_from_fields(
        {
            "order_id": order_id,
            "status_id": status_id,
            "total": "10",
            "currency_code": "USD",
            **values,
        }
    )


async def test_history_reads_placed_orders_newest_first_with_their_count(
    services: Services,
) -> None:
    ada = _customer("ada@example.com")
    await _add(services, ada)
    for order_id, status in ((1, 1), (2, 0), (5, 2), (3, 5), (4, 99)):
        await orders.put_order(
            services.uow(),
            services.clock,
            store_id=1,
            customer_uuid=ada.uuid,
            order=_order(order_id, status),
        )
    history = await services.order_queries.history(ada.customer_id, limit=3)
    assert [row.order_id for row in history.rows] == [5, 4, 3]
    assert history.total == 4
    empty = await services.order_queries.history(ada.customer_id + 1, limit=3)
    assert (empty.rows, empty.total) == ([], 0)


async def test_money_and_dates_come_back_exactly(services: Services) -> None:
    ada = _customer("ada@example.com")
    await _add(services, ada)
    summary = _order(
        1,
        total="99999999999.9999",
        currency_rate="0.79330000",
        date_added="2026-05-07 10:00:00",
        symbol_left="£",
    )
    await orders.put_order(
        services.uow(), services.clock, store_id=1, customer_uuid=ada.uuid, order=summary
    )
    (row,) = (await services.order_queries.history(ada.customer_id, limit=1)).rows
    assert (row.total, row.currency_rate) == (Decimal("99999999999.9999"), Decimal("0.79330000"))
    assert row.date_added == datetime(2026, 5, 7, 10, tzinfo=UTC)
    assert row.symbol_left == "£"


async def test_deleting_a_customer_keeps_the_orders_unlinked(services: Services) -> None:
    ada = _customer("ada@example.com")
    await _add(services, ada)
    await orders.put_order(
        services.uow(), services.clock, store_id=1, customer_uuid=ada.uuid, order=_order(1)
    )
    await customers.delete_customer(services.uow(), store_id=1, customer_uuid=ada.uuid)
    async with services.uow() as uow:
        kept = await uow.orders.get(1, 1)
    assert kept is not None
    assert kept.customer_id is None


async def test_order_ids_are_unique_per_store(services: Services) -> None:
    ada = _customer("ada@example.com")
    await _add(services, ada)
    async with services.uow() as uow:
        for store_id in (1, 2):
            await uow.orders.add(
                CustomerOrder(
                    store_id=store_id,
                    order_id=1,
                    customer_id=ada.customer_id,
                    status_id=1,
                    line_count=0,
                    total=Decimal(1),
                    currency_code="USD",
                    currency_rate=Decimal(1),
                    symbol_left="",
                    symbol_right="",
                    decimal_place=2,
                    decimal_point=".",
                    thousand_point=",",
                    name="",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        await uow.commit()
    async with services.uow() as uow:
        assert await uow.orders.count_for(ada.customer_id) == 2


async def test_customers_are_found_by_login_key(services: Services) -> None:
    ada = _customer("ada@example.com")
    ada.login_name, ada.login_key = "Ada_L", "ada_l"
    await _add(services, ada)
    async with services.uow() as uow:
        found = await uow.customers.get_by_login_key(1, "ada_l")
        assert found is not None
        assert found.customer_id == ada.customer_id
        assert await uow.customers.get_by_login_key(1, "ada@example.com") is None
        assert await uow.customers.get_by_login_key(1, "a\x00") is None
