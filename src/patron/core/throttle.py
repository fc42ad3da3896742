"""Throttling and lockout of sign-in, reset and registration attempts, the same on every face.

Per account (keyed by an HMAC of the login key, never the identifier itself): after
``backoff_after`` consecutive failures each further attempt waits, doubling from one second up
to ``backoff_max``; at ``lockout_after`` failures the account is locked for ``lockout_seconds``
or until an admin releases it; a success clears the count. Per client IP: at most ``ip_limit``
failures per ``ip_window``. Unknown accounts are counted exactly like known ones, so throttling
reveals nothing about which exist.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from typing import Literal, Protocol

from patron.core.errors import TooManyAttempts
from patron.core.ports import Clock

THROTTLED = "Too many attempts; try again later"


@dataclass(frozen=True)
class Counter:
    """How many attempts a key has made: since ``first_at``, the latest at ``last_at``."""

    count: int
    first_at: float
    last_at: float


class CounterStore(Protocol):
    """Atomic counters shared by every worker (Redis), or by one database, or one process."""

    async def get(self, key: str) -> Counter | None: ...

    async def hit(
        self, key: str, *, now: float, span: float, mode: Literal["idle", "window"], ttl: int
    ) -> Counter:
        """Count one attempt. The count restarts when ``span`` seconds passed since the last
        attempt (``idle``) or since the first one (``window``)."""
        ...

    async def clear(self, key: str) -> None: ...


@dataclass(frozen=True)
class ThrottlePolicy:
    """Thresholds; the defaults are those the security requirements name."""

    enabled: bool = True
    backoff_after: int = 10
    backoff_max: int = 900
    lockout_after: int = 100
    lockout_seconds: int = 3600
    ip_limit: int = 100
    ip_window: int = 900


def account_wait(counter: Counter | None, now: float, policy: ThrottlePolicy) -> int:
    """Seconds the account must wait before its next attempt (0 = go ahead)."""
    if counter is None or counter.count < policy.backoff_after:
        return 0
    if counter.count >= policy.lockout_after:
        until = counter.last_at + policy.lockout_seconds
    else:
        delay = min(2.0 ** (counter.count - policy.backoff_after), policy.backoff_max)
        until = counter.last_at + delay
    return max(0, math.ceil(until - now))


def ip_wait(counter: Counter | None, now: float, policy: ThrottlePolicy) -> int:
    """Seconds the client address must wait (0 = go ahead)."""
    if counter is None or counter.count < policy.ip_limit:
        return 0
    return max(0, math.ceil(counter.first_at + policy.ip_window - now))


class Throttle:
    """Checks and counts attempts of one kind (``action``: login, reset, register)."""

    def __init__(
        self, store: CounterStore, clock: Clock, policy: ThrottlePolicy, *, secret: bytes
    ) -> None:
        self.store = store
        self.clock = clock
        self.policy = policy
        self._secret = secret

    def key(self, kind: str, action: str, value: str) -> str:
        """A counter key that names no identifier or address in clear."""
        digest = hmac.new(self._secret, f"{action}\0{value}".encode(), hashlib.sha256)
        return f"{kind}:{digest.hexdigest()[:40]}"

    async def check(self, action: str, *, account: str | None, ip: str | None) -> None:
        """Raise ``TooManyAttempts`` (with the wait) when the account or the address must wait."""
        if not self.policy.enabled:
            return
        now = self.clock.now().timestamp()
        waits = [0]
        if account is not None:
            counter = await self.store.get(self.key("account", action, account))
            waits.append(account_wait(counter, now, self.policy))
        if ip is not None:
            counter = await self.store.get(self.key("ip", action, ip))
            waits.append(ip_wait(counter, now, self.policy))
        if max(waits) > 0:
            raise TooManyAttempts(THROTTLED, retry_after=max(waits))

    async def failed(self, action: str, *, account: str | None, ip: str | None) -> None:
        """Count a failed (or, for registrations and resets, any) attempt."""
        if not self.policy.enabled:
            return
        now = self.clock.now().timestamp()
        p = self.policy
        if account is not None:
            await self.store.hit(
                self.key("account", action, account),
                now=now,
                span=p.lockout_seconds,
                mode="idle",
                ttl=p.lockout_seconds * 2,
            )
        if ip is not None:
            await self.store.hit(
                self.key("ip", action, ip),
                now=now,
                span=p.ip_window,
                mode="window",
                ttl=p.ip_window * 2,
            )

    async def succeeded(self, action: str, *, account: str) -> None:
        """A success clears the account's consecutive failures."""
        if self.policy.enabled:
            await self.store.clear(self.key("account", action, account))

    async def release(self, action: str, *, account: str) -> None:
        """An admin lifts a lockout."""
        await self.store.clear(self.key("account", action, account))


class MemoryCounters:
    """Counters in this process: the fallback when Redis is down, and the store for tests."""

    def __init__(self) -> None:
        self._counters: dict[str, tuple[Counter, float]] = {}

    async def get(self, key: str) -> Counter | None:
        found = self._counters.get(key)
        return found[0] if found else None

    async def hit(
        self, key: str, *, now: float, span: float, mode: Literal["idle", "window"], ttl: int
    ) -> Counter:
        found = self._counters.get(key)
        counter = found[0] if found and found[1] > now else None
        since = (counter.last_at if mode == "idle" else counter.first_at) if counter else now
        if counter is None or now - since >= span:
            counter = Counter(1, now, now)
        else:
            counter = Counter(counter.count + 1, counter.first_at, now)
        self._counters[key] = (counter, now + ttl)
        return counter

    async def clear(self, key: str) -> None:
        self._counters.pop(key, None)
