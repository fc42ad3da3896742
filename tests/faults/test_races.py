"""A hundred parallel registrations of one email: exactly one account, 99 conflicts, both DBs."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import text

from patron.faces._shared.services import Services

pytestmark = pytest.mark.anyio


async def test_a_hundred_racing_registrations_make_one_account(
    client: httpx.AsyncClient, services: Services
) -> None:
    body = {"email": "race@example.com", "password": "Secret-67c44859", "full_name": "Race"}
    responses = await asyncio.gather(
        *(client.post("/api/customers", json=body) for _ in range(100))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 99
    conflicts = {r.content for r in responses if r.status_code == 409}
    assert conflicts == {b'{"error":{"status":409,"message":"Email is already used"}}'}
    async with services.engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM customer"))).scalar_one()
    assert count == 1
