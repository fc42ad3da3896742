"""Fixtures for core unit tests: fakes only, no database, no app."""

from __future__ import annotations

import pytest

from patron.core.auth import SessionPolicy
from patron.core.passwords import PasswordPolicy
from tests.fakes import FakeUnitOfWork, FixedClock, SpyHasher


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture(scope="session")
def session_hasher() -> SpyHasher:
    return SpyHasher()


@pytest.fixture
def hasher(session_hasher: SpyHasher) -> SpyHasher:
    """One hasher per run (its dummy hash costs a hash); its records start empty per test."""
    session_hasher.hashed.clear()
    session_hasher.verified.clear()
    return session_hasher


@pytest.fixture
def password_policy() -> PasswordPolicy:
    return PasswordPolicy()


@pytest.fixture
def session_policy() -> SessionPolicy:
    return SessionPolicy()
