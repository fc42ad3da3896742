"""The throttle's counter stores: the database (both) and a real Redis server."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator

import pytest

from patron.core.throttle import CounterStore
from patron.faces._shared.services import Services
from patron.storage.counters import RedisCounters, SqlCounters

pytestmark = pytest.mark.anyio
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def redis_counters() -> AsyncIterator[RedisCounters]:
    store = RedisCounters(REDIS_URL, prefix=f"patron-test-{secrets.token_hex(4)}:")
    yield store
    await store.close()


async def _exercise(store: CounterStore) -> None:
    now = time.time()
    assert await store.get("k") is None
    first = await store.hit("k", now=now, span=60, mode="idle", ttl=120)
    second = await store.hit("k", now=now + 1, span=60, mode="idle", ttl=120)
    assert (first.count, second.count) == (1, 2)
    assert (second.first_at, second.last_at) == (pytest.approx(now), pytest.approx(now + 1))
    fresh = await store.hit("k", now=now + 100, span=60, mode="idle", ttl=120)
    assert fresh.count == 1
    await store.hit("w", now=now, span=60, mode="window", ttl=120)
    await store.hit("w", now=now + 50, span=60, mode="window", ttl=120)
    rolled = await store.hit("w", now=now + 61, span=60, mode="window", ttl=120)
    assert rolled.count == 1
    got = await store.get("k")
    assert got is not None
    assert got.count == 1
    await store.clear("k")
    assert await store.get("k") is None


async def test_database_counters(services: Services) -> None:
    await _exercise(SqlCounters(services.engine))


async def test_redis_counters(redis_counters: RedisCounters) -> None:
    await _exercise(redis_counters)


async def test_redis_down_falls_back_to_the_process(caplog: pytest.LogCaptureFixture) -> None:
    store = RedisCounters("redis://127.0.0.1:1/0")
    try:
        now = time.time()
        first = await store.hit("k", now=now, span=60, mode="idle", ttl=120)
        second = await store.hit("k", now=now, span=60, mode="idle", ttl=120)
        assert (first.count, second.count) == (1, 2)
        assert "counting in this process" in caplog.text
    finally:
        await store.close()
