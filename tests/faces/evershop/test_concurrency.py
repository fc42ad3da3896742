"""Racing writes on PostgreSQL: the unique email index decides, every loser gets a clean 409."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import text

from patron.faces._shared.services import Services
from patron.settings import Settings
from tests.faces.evershop import wire
from tests.faces.evershop.wire import assert_error

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _postgres_only(settings: Settings) -> None:
    if "sqlite" in settings.database_url:
        pytest.skip("concurrent writers need PostgreSQL")


async def _rows(services: Services, email_key: str) -> int:
    async with services.engine.connect() as conn:
        count = await conn.scalar(
            text("SELECT count(*) FROM customer WHERE email_key = :k"), {"k": email_key}
        )
    assert isinstance(count, int)
    return count


async def test_50_concurrent_registrations_of_one_email(
    anon: httpx.AsyncClient, services: Services
) -> None:
    body = {"email": "race@example.com", "password": wire.PASSWORD, "full_name": "Race Condition"}
    responses = await asyncio.gather(*(anon.post("/api/customers", json=body) for _ in range(50)))
    winners = [r for r in responses if r.status_code == 200]
    losers = [r for r in responses if r.status_code != 200]
    assert len(winners) == 1
    assert len(losers) == 49
    for response in losers:
        assert_error(response, 409, "Email is already used")
    assert await _rows(services, "race@example.com") == 1
    await wire.login(anon, "race@example.com")


async def test_concurrent_case_variants_of_one_email(
    anon: httpx.AsyncClient, services: Services
) -> None:
    variants = ["race@example.com", "RACE@example.com", " Race@Example.COM ", "race@EXAMPLE.com"]
    responses = await asyncio.gather(
        *(
            anon.post(
                "/api/customers",
                json={"email": variants[i % 4], "password": wire.PASSWORD, "full_name": "R"},
            )
            for i in range(20)
        )
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 19
    assert await _rows(services, "race@example.com") == 1


async def test_concurrent_email_changes_to_one_address(
    admin: httpx.AsyncClient, services: Services
) -> None:
    people = [await wire.create(admin, f"p{i}@example.com", f"P {i}") for i in range(10)]
    responses = await asyncio.gather(
        *(
            admin.patch(f"/api/customers/{person['uuid']}", json={"email": "taken@example.com"})
            for person in people
        )
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    for response in responses:
        if response.status_code == 409:
            assert_error(response, 409, "Email is already used")
    assert await _rows(services, "taken@example.com") == 1
