"""``patron bench seed`` on both databases: the rows read back through patron's own queries,
the known customer signs in, and a second run adds more without clashing."""

from __future__ import annotations

import anyio
import httpx
import pytest

from patron.core import normalise
from patron.core.ports import CustomerFilter
from patron.faces._shared.services import Services
from patron.storage import seed

pytestmark = pytest.mark.anyio


async def test_seeded_customers_read_back_and_the_known_one_signs_in(
    services: Services, client: httpx.AsyncClient
) -> None:
    password_hash = await services.hasher.hash(seed.BENCH_PASSWORD)
    url = services.settings.database_url
    added = await anyio.to_thread.run_sync(seed.seed, url, 60, password_hash, lambda _n: None)
    assert added == 60

    page = await services.queries.page(CustomerFilter(limit=100))
    assert page.total == 60
    assert page.rows[0].email == seed.BENCH_EMAIL
    found = await services.queries.get_with_addresses(1, seed.bench_uuid(2))
    assert found is not None
    row, addresses = found
    assert row.customer_id == 2
    assert [a.customer_id for a in addresses] == [2]
    histories = [await services.order_queries.history(cid, limit=5) for cid in range(1, 61)]
    assert sum(h.total for h in histories) > 0
    assert all(o.total > 0 for h in histories for o in h.rows)
    async with services.uow() as uow:
        other = await uow.customers.get_by_email_key(1, normalise.email_key(page.rows[1].email))
    assert other is not None
    assert other.name_key == normalise.fold(other.full_name or "")

    response = await client.post(
        "/customer/login", json={"email": seed.BENCH_EMAIL, "password": seed.BENCH_PASSWORD}
    )
    assert response.status_code == 200, response.text

    await anyio.to_thread.run_sync(seed.seed, url, 10, password_hash, lambda _n: None)
    again = await services.queries.page(CustomerFilter(limit=100))
    assert again.total == 70
    assert sum(r.email == seed.BENCH_EMAIL for r in again.rows) == 1


def test_seeded_emails_are_ones_patron_accepts() -> None:
    """A seeded set exports and imports again whole: every address passes sign-up's check."""
    emails = [
        row[seed.CUSTOMER_COLUMNS.index("email")]
        for rows in seed.generate(1, 5000, "x", include_known=True, json_meta=str)
        for row in rows.customers
    ]
    assert len(emails) == 5000
    assert [e for e in emails if not normalise.is_email(e)] == []
