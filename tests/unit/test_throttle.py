"""Backoff, lockout and per-address limits, against in-process counters and a fixed clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from patron.core.errors import TooManyAttempts
from patron.core.throttle import MemoryCounters, Throttle, ThrottlePolicy
from tests.fakes import FixedClock

pytestmark = pytest.mark.anyio


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def throttle(clock: FixedClock) -> Throttle:
    return Throttle(MemoryCounters(), clock, ThrottlePolicy(), secret=b"k")


async def _fail(
    throttle: Throttle, times: int, *, account: str = "1:ada", ip: str | None = None
) -> None:
    for _ in range(times):
        await throttle.failed("login", account=account, ip=ip)


async def _wait(throttle: Throttle, *, account: str | None = "1:ada", ip: str | None = None) -> int:
    try:
        await throttle.check("login", account=account, ip=ip)
    except TooManyAttempts as exc:
        return exc.retry_after
    return 0


async def test_ten_failures_are_free_then_the_wait_doubles_up_to_fifteen_minutes(
    throttle: Throttle, clock: FixedClock
) -> None:
    await _fail(throttle, 9)
    assert await _wait(throttle) == 0
    await _fail(throttle, 1)
    assert await _wait(throttle) == 1
    await _fail(throttle, 1)
    assert await _wait(throttle) == 2
    await _fail(throttle, 3)
    assert await _wait(throttle) == 16
    clock.advance(timedelta(seconds=16))
    assert await _wait(throttle) == 0
    await _fail(throttle, 20)
    assert await _wait(throttle) == 900


async def test_a_hundred_failures_lock_the_account_for_an_hour(
    throttle: Throttle, clock: FixedClock
) -> None:
    await _fail(throttle, 100)
    assert await _wait(throttle) == 3600
    clock.advance(timedelta(minutes=59))
    assert await _wait(throttle) == 60
    clock.advance(timedelta(minutes=1))
    assert await _wait(throttle) == 0
    await _fail(throttle, 1)  # an hour of quiet: counting starts again
    assert await _wait(throttle) == 0


async def test_success_and_admin_release_clear_the_count(throttle: Throttle) -> None:
    await _fail(throttle, 50)
    await throttle.succeeded("login", account="1:ada")
    assert await _wait(throttle) == 0
    await _fail(throttle, 100)
    await throttle.release("login", account="1:ada")
    assert await _wait(throttle) == 0


async def test_accounts_are_counted_apart(throttle: Throttle) -> None:
    await _fail(throttle, 20, account="1:ada")
    assert await _wait(throttle, account="1:bob") == 0


async def test_an_address_gets_a_hundred_failures_per_fifteen_minutes(
    throttle: Throttle, clock: FixedClock
) -> None:
    for n in range(100):
        await throttle.failed("login", account=f"1:user{n}", ip="198.51.100.7")
    assert await _wait(throttle, account="1:fresh", ip="198.51.100.7") == 900
    assert await _wait(throttle, account="1:fresh", ip="198.51.100.8") == 0
    clock.advance(timedelta(minutes=15))
    assert await _wait(throttle, account="1:fresh", ip="198.51.100.7") == 0


async def test_keys_name_no_identifier(throttle: Throttle) -> None:
    key = throttle.key("account", "login", "1:ada@example.com")
    assert "ada" not in key
    assert key == throttle.key("account", "login", "1:ada@example.com")
    assert key != throttle.key("account", "reset", "1:ada@example.com")


async def test_a_disabled_throttle_never_refuses(clock: FixedClock) -> None:
    throttle = Throttle(MemoryCounters(), clock, ThrottlePolicy(enabled=False), secret=b"k")
    await _fail(throttle, 200)
    assert await _wait(throttle) == 0
