"""Fixtures for core unit tests: fakes only, no database, no app."""

from __future__ import annotations

from typing import Any, Protocol

import pytest

from patron.core.auth import SessionPolicy
from patron.core.customers import NewCustomer, register_customer
from patron.core.entities import Customer
from patron.core.passwords import PasswordPolicy
from tests.fakes import FakeUnitOfWork, FixedClock, SpyHasher


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def hasher() -> SpyHasher:
    """The real hasher with cheap argon2id parameters; one per test, so its records and its
    capacity limiter belong to that test alone."""
    return SpyHasher()


@pytest.fixture
def password_policy() -> PasswordPolicy:
    return PasswordPolicy()


@pytest.fixture
def session_policy() -> SessionPolicy:
    return SessionPolicy()


PASSWORD = "Secret-67c44859"


class Register(Protocol):
    async def __call__(
        self, email: str = ..., full_name: str | None = ..., **kw: Any
    ) -> Customer: ...


@pytest.fixture
def register(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock, password_policy: PasswordPolicy
) -> Register:
    """Register a customer through the real service; keyword arguments go to ``NewCustomer``
    (``quota`` goes to ``register_customer``)."""

    async def _register(
        email: str = "ada@example.com", full_name: str | None = "Ada Lovelace", **kw: Any
    ) -> Customer:
        kw.setdefault("password", PASSWORD)
        quota = kw.pop("quota", None)
        data = NewCustomer(email=email, full_name=full_name, **kw)
        return await register_customer(
            uow, hasher, clock, data=data, policy=password_policy, quota=quota
        )

    return _register
