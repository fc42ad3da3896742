"""The customer tally (migration 0007): database triggers keep customers per store, status and
group exact through inserts, bulk loads, updates, deletes and truncation, and the EverShop
list's totals come from it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, select, text, update

from patron.core.entities import Customer, CustomerGroup
from patron.core.ports import CustomerFilter
from patron.faces._shared.services import Services

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 1, 1, tzinfo=UTC)
_C = Customer.__table__.c


def _row(n: int, *, status: int = 1, group_id: int = 1, store_id: int = 1) -> dict[str, object]:
    return {
        "uuid": uuid.uuid4(),
        "store_id": store_id,
        "status": status,
        "group_id": group_id,
        "email": f"t{n}@example.com",
        "email_key": f"t{n}@example.com",
        "login_key": f"t{n}@example.com",
        "password_hash": "x",
        "full_name": f"T {n}",
        "name_key": f"t {n}",
        "newsletter": False,
        "meta_data": {},
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }


async def _tally(services: Services) -> dict[tuple[int, int, int], int]:
    async with services.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT store_id, status, group_id, customers FROM customer_tally")
        )
        return {(r[0], r[1], r[2]): r[3] for r in rows if r[3]}


async def _counted(services: Services) -> dict[tuple[int, int, int], int]:
    async with services.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT store_id, status, group_id, count(*) FROM customer"
                " GROUP BY store_id, status, group_id"
            )
        )
        return {(r[0], r[1], r[2]): r[3] for r in rows}


async def _second_group(services: Services) -> int:
    async with services.engine.begin() as conn:
        return int(
            (
                await conn.execute(
                    insert(CustomerGroup)
                    .values(uuid=uuid.uuid4(), group_name="VIP", created_at=NOW, updated_at=NOW)
                    .returning(CustomerGroup.customer_group_id)
                )
            ).scalar_one()
        )


async def test_triggers_keep_the_tally_exact(services: Services) -> None:
    vip = await _second_group(services)
    async with services.engine.begin() as conn:
        await conn.execute(insert(Customer.__table__), [_row(n, status=n % 2) for n in range(30)])
        await conn.execute(
            insert(Customer.__table__), [_row(100 + n, store_id=2) for n in range(4)]
        )
    assert await _tally(services) == {(1, 0, 1): 15, (1, 1, 1): 15, (2, 1, 1): 4}

    async with services.engine.begin() as conn:
        # Moves between buckets; an update that leaves them alone changes nothing.
        await conn.execute(update(Customer).where(_C.email_key.like("t1%")).values(group_id=vip))
        await conn.execute(
            update(Customer).where(_C.email_key == "t2@example.com").values(status=0)
        )
        await conn.execute(update(Customer).values(full_name="Renamed"))
        await conn.execute(delete(Customer).where(_C.email_key.like("t2%")))
    assert await _tally(services) == await _counted(services)
    assert sum((await _tally(services)).values()) == 34 - 11  # t2 and t20..t29 are gone

    async with services.engine.begin() as conn:
        await conn.execute(text("DELETE FROM customer"))
    assert await _tally(services) == {}


async def test_a_rolled_back_insert_leaves_no_count(services: Services) -> None:
    async with services.engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(insert(Customer.__table__), [_row(n) for n in range(5)])
        await transaction.rollback()
    assert await _tally(services) == {}


async def test_truncate_clears_the_tally_on_postgres(services: Services) -> None:
    if not services.settings.database_url.startswith("postgresql"):
        pytest.skip("TRUNCATE is PostgreSQL's")
    async with services.engine.begin() as conn:
        await conn.execute(insert(Customer.__table__), [_row(n) for n in range(3)])
        await conn.execute(text("TRUNCATE customer CASCADE"))
    assert await _tally(services) == {}


async def test_list_totals_come_from_the_tally(services: Services) -> None:
    vip = await _second_group(services)
    rows = [_row(n, status=n % 2, group_id=vip if n < 6 else 1) for n in range(25)]
    async with services.engine.begin() as conn:
        await conn.execute(insert(Customer.__table__), rows)
        # Skew the tally on purpose: a total read from it shows the skew, a count would not.
        await conn.execute(text("UPDATE customer_tally SET customers = customers + 1000"))
    page = await services.queries.page(CustomerFilter())
    assert page.total == 25 + 4000  # four buckets: status 0/1 x group 1/vip
    assert (await services.queries.page(CustomerFilter(status=1))).total == 12 + 2000
    assert (await services.queries.page(CustomerFilter(group_id=vip))).total == 6 + 2000
    both = await services.queries.page(CustomerFilter(group_id=vip, status=0))
    assert both.total == 3 + 1000
    # Other filters count the matching rows.
    short = await services.queries.page(CustomerFilter(keyword="T1", limit=50))
    assert sorted(r.email for r in short.rows) == sorted(
        f"t{n}@example.com" for n in (1, *range(10, 20))
    )
    assert short.total == 11
    # LIKE's wildcards in a term are plain characters, short or long.
    for term in ("t_", "%", "t 1_", "t_1"):
        assert (await services.queries.page(CustomerFilter(keyword=term))).total == 0, term
    assert (await services.queries.page(CustomerFilter(keyword="t 2"))).total == 6  # t 2, t 20-24
    assert (await services.queries.page(CustomerFilter(store_id=3))).total == 0


async def test_pages_keep_their_order_at_every_offset(services: Services) -> None:
    async with services.engine.begin() as conn:
        await conn.execute(insert(Customer.__table__), [_row(n) for n in range(45)])
    for order_by, descending in (("customer_id", False), ("email", True), ("full_name", False)):
        seen = []
        for number in (1, 2, 3):
            flt = CustomerFilter(order_by=order_by, descending=descending, page=number, limit=20)
            seen += [r.email for r in (await services.queries.page(flt)).rows]
        async with services.engine.connect() as conn:
            column = {"customer_id": _C.customer_id, "email": _C.email_key}.get(
                order_by, _C.name_key
            )
            ordered = select(_C.email).order_by(
                column.desc() if descending else column,
                _C.customer_id.desc() if descending else _C.customer_id,
            )
            expected = list((await conn.execute(ordered)).scalars())
        assert seen == expected, order_by


async def test_the_grid_keyword_finds_login_names(services: Services) -> None:
    """Login names equal to the email match through the email; others on their own."""
    rows = [_row(n) for n in range(3)]
    rows[1] |= {"login_name": "Shopper-Zed", "login_key": "shopper-zed"}
    async with services.engine.begin() as conn:
        await conn.execute(insert(Customer.__table__), rows)
    for term, expected in (
        ("zed", ["t1@example.com"]),
        ("ze", ["t1@example.com"]),
        ("t2@", ["t2@example.com"]),
    ):
        page = await services.queries.grid(
            CustomerFilter(keyword=term, keyword_login_name=True), after=None, before=None
        )
        assert sorted(r.email for r in page.rows) == expected, term
    zed = await services.queries.grid(CustomerFilter(keyword="zed"), after=None, before=None)
    assert zed.rows == []  # the EverShop list does not search login names


async def test_keyword_and_name_matches_stay_within_one_field(services: Services) -> None:
    """Name and email share one trigram-indexed search key (migration 0009), joined by a
    control character: no term matches across the join, and the name filter ignores emails."""
    async with services.engine.begin() as conn:
        await conn.execute(insert(Customer.__table__), [_row(n) for n in range(12)])
    page = services.queries.page
    assert (await page(CustomerFilter(keyword="example.com"))).total == 12  # emails
    assert (await page(CustomerFilter(keyword="t 1"))).total == 3  # names: t 1, t 10, t 11
    for term in ("1t1", "1\x1ft1", "\x1f", "1 t1@"):
        assert (await page(CustomerFilter(keyword=term))).total == 0, repr(term)
    assert (await page(CustomerFilter(full_name="t 1"))).total == 3
    assert (await page(CustomerFilter(full_name="example"))).total == 0
    assert (await page(CustomerFilter(full_name="t1@"))).total == 0
    grid = await services.queries.grid(
        CustomerFilter(keyword="1\x1ft1", keyword_login_name=True), after=None, before=None
    )
    assert grid.rows == []
