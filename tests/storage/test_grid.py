"""The admin grid's keyset pages and its total: exact, capped when filtered, estimated on
PostgreSQL for a large unfiltered table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, text

from patron.core.entities import Customer
from patron.core.ports import CustomerFilter
from patron.faces._shared.services import Services
from patron.storage.queries import GRID_COUNT_CAP

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def _fill(services: Services, count: int) -> None:
    rows = [
        {
            "uuid": uuid.uuid4(),
            "store_id": 1,
            "status": n % 2,
            "group_id": 1,
            "email": f"c{n}@example.com",
            "email_key": f"c{n}@example.com",
            "login_key": f"c{n}@example.com",
            "password_hash": "x",
            "full_name": f"C {n}",
            "name_key": f"c {n}",
            "newsletter": False,
            "meta_data": {},
            "created_at": NOW,
            "updated_at": NOW,
            "version": 1,
        }
        for n in range(count)
    ]
    async with services.engine.begin() as conn:
        await conn.execute(insert(Customer.__table__), rows)


async def test_keyset_pages_walk_every_row_once(services: Services) -> None:
    await _fill(services, 45)
    seen: list[int] = []
    after = None
    while True:
        page = await services.queries.grid(CustomerFilter(limit=20), after=after, before=None)
        seen += [row.customer_id for row in page.rows]
        if not page.has_next:
            break
        after = page.last_key
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == 45
    assert page.total == 45
    assert (page.estimated, page.at_least) == (False, False)


async def test_filtered_totals_are_capped(services: Services) -> None:
    await _fill(services, GRID_COUNT_CAP * 2 + 10)
    page = await services.queries.grid(CustomerFilter(status=1), after=None, before=None)
    assert (page.total, page.at_least) == (GRID_COUNT_CAP, True)
    if services.settings.database_url.startswith("postgresql"):
        async with services.engine.begin() as conn:
            await conn.execute(text("ANALYZE customer"))
        whole = await services.queries.grid(CustomerFilter(), after=None, before=None)
        assert whole.estimated
        assert abs(whole.total - (GRID_COUNT_CAP * 2 + 10)) < 1000
