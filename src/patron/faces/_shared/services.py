"""The objects every request uses, built once per app from the settings."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request

from patron.core.auth import SessionPolicy
from patron.core.passwords import Argon2Parameters, PasswordHasher, PasswordPolicy
from patron.core.recovery import RecoveryPolicy
from patron.core.throttle import CounterStore, Throttle, ThrottlePolicy
from patron.core.tokens import TokenConfig
from patron.mail import MailSettings, TemplateMailer
from patron.settings import Settings
from patron.storage.counters import RedisCounters, SqlCounters
from patron.storage.db import make_engine, make_sessionmaker
from patron.storage.queries import SqlCustomerQueries, SqlOrderQueries, SqlSubItemQueries
from patron.storage.reads import Reads
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
    reads: Reads
    hasher: PasswordHasher
    clock: SystemClock
    tokens: TokenConfig
    sessions: SessionPolicy
    passwords: PasswordPolicy
    queries: SqlCustomerQueries
    sessionmaker: async_sessionmaker[AsyncSession]
    mailer: TemplateMailer
    recovery: RecoveryPolicy
    throttle: Throttle
    order_queries: SqlOrderQueries
    sub_items: SqlSubItemQueries

    @classmethod
    def build(cls, settings: Settings) -> Services:
        """Create the engine and hasher for ``settings`` (no connection is opened yet)."""
        engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
        reads = Reads(engine, pool_size=settings.db_pool_size)
        argon = settings.argon2
        secret = settings.resolved_jwt_secret()
        clock = SystemClock()
        counters: CounterStore = (
            RedisCounters(settings.redis_url) if settings.redis_url else SqlCounters(engine)
        )
        return cls(
            settings=settings,
            engine=engine,
            reads=reads,
            hasher=PasswordHasher(
                Argon2Parameters(argon.memory_cost, argon.time_cost, argon.parallelism),
                threads=settings.hash_threads or None,
                prestashop_cookie_key=settings.prestashop_cookie_key.get_secret_value(),
            ),
            clock=clock,
            tokens=TokenConfig(secret=secret),
            sessions=SessionPolicy(
                idle=timedelta(seconds=settings.session_idle_seconds),
                absolute=timedelta(seconds=settings.session_absolute_seconds),
            ),
            passwords=PasswordPolicy(
                min_length=settings.password_min_length, blocklist=settings.password_blocklist
            ),
            queries=SqlCustomerQueries(engine, reads),
            sessionmaker=make_sessionmaker(engine),
            mailer=TemplateMailer(
                MailSettings(
                    sender=settings.mail_from,
                    public_url=settings.public_url,
                    outbox=settings.var_dir / "outbox",
                    host=settings.smtp_host,
                    port=settings.smtp_port,
                    security=settings.smtp_security,
                    username=settings.smtp_username,
                    password=settings.smtp_password.get_secret_value(),
                )
            ),
            recovery=RecoveryPolicy(
                reset_ttl=timedelta(seconds=settings.reset_token_seconds),
                verify_ttl=timedelta(seconds=settings.verify_token_seconds),
            ),
            throttle=Throttle(
                counters,
                clock,
                ThrottlePolicy(enabled=settings.throttle_enabled),
                secret=hmac.new(secret.encode(), b"patron throttle keys", hashlib.sha256).digest(),
            ),
            order_queries=SqlOrderQueries(reads),
            sub_items=SqlSubItemQueries(reads),
        )

    async def close(self) -> None:
        """Close the database pools (the engine's and the hot reads')."""
        await self.reads.close()
        await self.engine.dispose()

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work (one per request)."""
        return SqlUnitOfWork(self.sessionmaker, self.reads)


def services_of(request: Request) -> Services:
    """The app's services, set up by ``create_app``."""
    services: Services = request.app.state.services
    return services
