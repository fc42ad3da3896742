"""The objects every request uses, built once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request

from patron.core.auth import SessionPolicy
from patron.core.passwords import Argon2Parameters, PasswordHasher, PasswordPolicy
from patron.core.tokens import TokenConfig
from patron.settings import Settings
from patron.storage.db import make_engine, make_sessionmaker
from patron.storage.queries import SqlCustomerQueries, SqlSubItemQueries
from patron.storage.uow import SqlUnitOfWork


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Services:
    """Engine, hasher, clock and the policies that the faces pass to the core."""

    settings: Settings
    engine: AsyncEngine
    hasher: PasswordHasher
    clock: SystemClock
    tokens: TokenConfig
    sessions: SessionPolicy
    passwords: PasswordPolicy
    queries: SqlCustomerQueries
    sessionmaker: async_sessionmaker[AsyncSession]
    sub_items: SqlSubItemQueries

    @classmethod
    def build(cls, settings: Settings) -> Services:
        """Create the engine and hasher for ``settings`` (no connection is opened yet)."""
        engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
        argon = settings.argon2
        return cls(
            settings=settings,
            engine=engine,
            hasher=PasswordHasher(
                Argon2Parameters(argon.memory_cost, argon.time_cost, argon.parallelism),
                threads=settings.hash_threads or None,
            ),
            clock=SystemClock(),
            tokens=TokenConfig(secret=settings.resolved_jwt_secret()),
            sessions=SessionPolicy(
                idle=timedelta(seconds=settings.session_idle_seconds),
                absolute=timedelta(seconds=settings.session_absolute_seconds),
            ),
            passwords=PasswordPolicy(min_length=settings.password_min_length),
            queries=SqlCustomerQueries(engine),
            sessionmaker=make_sessionmaker(engine),
            sub_items=SqlSubItemQueries(engine),
        )

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work (one per request)."""
        return SqlUnitOfWork(self.sessionmaker)


def services_of(request: Request) -> Services:
    """The app's services, set up by ``create_app``."""
    services: Services = request.app.state.services
    return services
