"""The fakes must refuse what the database refuses, or the unit tests prove too little."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from patron.core.entities import Customer, CustomerAddress, CustomerSession
from patron.core.errors import Conflict
from tests.fakes import START, FakeUnitOfWork, FixedClock, UniqueViolation

pytestmark = pytest.mark.anyio


def _customer(email_key: str, login_key: str | None = None, store_id: int = 1) -> Customer:
    return Customer(
        uuid=uuid.uuid4(),
        store_id=store_id,
        email=email_key,
        email_key=email_key,
        login_key=login_key or email_key,
    )


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock()
    assert clock.now() == clock.now() == START
    assert clock.advance(minutes=2) == START + timedelta(minutes=2)
    assert clock.advance(timedelta(seconds=1)) == START + timedelta(minutes=2, seconds=1)
    clock.set(START)
    assert clock.now() == START
    assert clock.now().utcoffset() == timedelta(0)


async def test_ids_are_assigned_on_add() -> None:
    uow = FakeUnitOfWork()
    first, second = _customer("a@x.io"), _customer("b@x.io")
    await uow.customers.add(first)
    await uow.customers.add(second)
    assert (first.customer_id, second.customer_id) == (1, 2)


@pytest.mark.parametrize(
    "duplicate",
    [lambda: _customer("a@x.io", "other"), lambda: _customer("other@x.io", "a@x.io")],
    ids=["email_key", "login_key"],
)
async def test_keys_are_unique_per_store(duplicate: object) -> None:
    uow = FakeUnitOfWork()
    await uow.customers.add(_customer("a@x.io"))
    with pytest.raises(Conflict, match=r"^Email is already used$"):
        await uow.customers.add(duplicate())  # type: ignore[operator]
    assert len(uow.customers.rows) == 1
    await uow.customers.add(_customer("a@x.io", store_id=2))


async def test_a_change_that_breaks_uniqueness_fails_at_commit() -> None:
    uow = FakeUnitOfWork()
    first, second = _customer("a@x.io"), _customer("b@x.io")
    await uow.customers.add(first)
    await uow.customers.add(second)
    second.email_key = "a@x.io"
    async with uow:
        with pytest.raises(Conflict):
            await uow.commit()
    assert uow.commits == 0


async def test_two_default_addresses_are_refused() -> None:
    uow = FakeUnitOfWork()
    await uow.addresses.add(CustomerAddress(uuid=uuid.uuid4(), customer_id=1, is_default=True))
    with pytest.raises(UniqueViolation):
        await uow.addresses.add(CustomerAddress(uuid=uuid.uuid4(), customer_id=1, is_default=True))
    await uow.addresses.add(CustomerAddress(uuid=uuid.uuid4(), customer_id=2, is_default=True))


async def test_commit_needs_async_with_and_async_with_is_not_reentrant() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(RuntimeError):
        await uow.commit()
    async with uow:
        with pytest.raises(RuntimeError):
            await uow.__aenter__()
        await uow.commit()
    assert uow.commits == 1


async def test_groups_are_1_plus_the_configured_ones() -> None:
    uow = FakeUnitOfWork(groups=[5])
    assert await uow.customers.group_exists(1, 1)
    assert await uow.customers.group_exists(1, 5)
    assert not await uow.customers.group_exists(1, 2)


async def test_find_with_owner_returns_copies_like_a_core_select() -> None:
    uow = FakeUnitOfWork()
    customer = _customer("a@x.io")
    await uow.customers.add(customer)
    stored = CustomerSession(
        uuid=uuid.uuid4(),
        token_hash="h" * 64,
        customer_id=customer.customer_id,
        last_seen_at=START,
    )
    await uow.customer_sessions.add(stored)
    found = await uow.customer_sessions.find_with_owner(token_hash="h" * 64)
    assert found is not None
    session, owner = found
    assert (session.session_id, owner.customer_id) == (stored.session_id, customer.customer_id)
    session.last_seen_at = START + timedelta(hours=1)
    owner.status = 0
    assert stored.last_seen_at == START
    assert customer.status != 0
    assert await uow.customer_sessions.find_with_owner(session_uuid=stored.uuid) is not None
    uow.customers.rows.clear()
    assert await uow.customer_sessions.find_with_owner(token_hash="h" * 64) is None
