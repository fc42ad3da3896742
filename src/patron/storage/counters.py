"""Attempt counters for the throttle: in Redis when configured, else in the database.

When Redis stops answering, counting goes on in the process (logged) and returns to Redis by
itself once it answers again.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Literal

import redis.asyncio as aioredis
from redis.exceptions import RedisError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from patron.core.entities import ThrottleCounter
from patron.core.throttle import Counter, MemoryCounters

log = logging.getLogger("patron.throttle")
_T = ThrottleCounter.__table__.c


def _next(found: Counter | None, now: float, span: float, mode: str) -> Counter:
    if found is None or now - (found.last_at if mode == "idle" else found.first_at) >= span:
        return Counter(1, now, now)
    return Counter(found.count + 1, found.first_at, now)


class SqlCounters:
    """Counters in the ``throttle_counter`` table (row locks keep increments exact)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, key: str) -> Counter | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(_T.count, _T.first_at, _T.last_at, _T.expires_at).where(_T.key == key)
                )
            ).first()
        if row is None or row[3] <= time.time():
            return None
        return Counter(row[0], row[1], row[2])

    async def hit(
        self, key: str, *, now: float, span: float, mode: Literal["idle", "window"], ttl: int
    ) -> Counter:
        for _ in range(3):
            try:
                return await self._hit(key, now, span, mode, ttl)
            except IntegrityError:
                continue  # another worker inserted the same key first: count on its row
        raise RuntimeError("could not count an attempt")  # pragma: no cover

    async def _hit(self, key: str, now: float, span: float, mode: str, ttl: int) -> Counter:
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    select(_T.count, _T.first_at, _T.last_at, _T.expires_at)
                    .where(_T.key == key)
                    .with_for_update()
                )
            ).first()
            found = Counter(row[0], row[1], row[2]) if row is not None and row[3] > now else None
            counter = _next(found, now, span, mode)
            values: dict[str, Any] = {
                "count": counter.count,
                "first_at": counter.first_at,
                "last_at": counter.last_at,
                "expires_at": now + ttl,
            }
            if row is None:
                await conn.execute(insert(ThrottleCounter).values(key=key, **values))
            else:
                await conn.execute(update(ThrottleCounter).where(_T.key == key).values(**values))
        return counter

    async def clear(self, key: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(delete(ThrottleCounter).where(_T.key == key))


# One round trip, atomic: read, restart or increment, write, set the expiry.
_HIT = """
local v = redis.call('HMGET', KEYS[1], 'count', 'first', 'last')
local now, span, ttl, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local count, first, last = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
if count == nil or (mode == 'idle' and now - last >= span)
    or (mode == 'window' and now - first >= span) then
  count, first = 0, now
end
count = count + 1
redis.call('HSET', KEYS[1], 'count', count, 'first', tostring(first), 'last', tostring(now))
redis.call('EXPIRE', KEYS[1], ttl)
return {count, tostring(first), tostring(now)}
"""


class RedisCounters:
    """Counters in Redis, shared by every worker and instance; the process when Redis is down."""

    RETRY_AFTER = 5.0

    def __init__(self, url: str, *, prefix: str = "patron:throttle:") -> None:
        self._redis = aioredis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
        )
        self._script = self._redis.register_script(_HIT)
        self._prefix = prefix
        self._fallback = MemoryCounters()
        self._down_until = 0.0

    def _usable(self) -> bool:
        return time.monotonic() >= self._down_until

    def _went_down(self, exc: RedisError) -> None:
        if self._usable():
            log.warning("Redis is not answering (%s); counting in this process", type(exc).__name__)
        self._down_until = time.monotonic() + self.RETRY_AFTER

    async def get(self, key: str) -> Counter | None:
        if self._usable():
            try:
                found = await self._redis.hmget(self._prefix + key, "count", "first", "last")
            except RedisError as exc:
                self._went_down(exc)
            else:
                if found[0] is None:
                    return None
                return Counter(int(found[0]), float(found[1] or 0), float(found[2] or 0))
        return await self._fallback.get(key)

    async def hit(
        self, key: str, *, now: float, span: float, mode: Literal["idle", "window"], ttl: int
    ) -> Counter:
        if self._usable():
            try:
                count, first, last = await self._script(
                    keys=[self._prefix + key], args=[now, span, ttl, mode]
                )
            except RedisError as exc:
                self._went_down(exc)
            else:
                return Counter(int(count), float(first), float(last))
        return await self._fallback.hit(key, now=now, span=span, mode=mode, ttl=ttl)

    async def clear(self, key: str) -> None:
        if self._usable():
            try:
                await self._redis.delete(self._prefix + key)
            except RedisError as exc:
                self._went_down(exc)
        await self._fallback.clear(key)

    async def close(self) -> None:
        await self._redis.aclose()
