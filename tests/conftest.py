"""Shared fixtures: settings, databases (SQLite always, PostgreSQL when configured), apps, clients.

PostgreSQL tests run when ``PATRON_TEST_POSTGRES_URL`` is set (CI sets it; there a missing server
fails the run). Each test session creates its own database on that server and drops it after,
so parallel runs cannot collide.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from patron.cli import upgrade_database
from patron.faces._shared.services import Services
from patron.main import create_app
from patron.settings import Settings
from patron.storage.db import make_engine

POSTGRES_ENV = "PATRON_TEST_POSTGRES_URL"
TABLES = (
    "customer_session",
    "admin_session",
    "customer_address",
    "customer_token",
    "idempotency_record",
    "throttle_counter",
    "audit_entry",
    "customer_order",
    "customer_property",
    "customer_list",
    "customer",
    "admin_user",
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _admin_url(url: str) -> str:
    return str(make_url(url).set(drivername="postgresql+asyncpg"))


async def _create_database(server_url: str, name: str) -> None:
    engine = make_engine(_admin_url(server_url))
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


async def _drop_database(server_url: str, name: str) -> None:
    engine = make_engine(_admin_url(server_url))
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated database of its own on the PostgreSQL server, for this test session."""
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    name = f"patron_test_{secrets.token_hex(4)}"
    asyncio.run(_create_database(server_url, name))
    url = str(
        make_url(_admin_url(server_url)).set(database=name).render_as_string(hide_password=False)
    )
    try:
        upgrade_database(url)
        yield url
    finally:
        asyncio.run(_drop_database(server_url, name))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is much faster)."""
    path = tmp_path_factory.mktemp("template") / "patron.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    return path


async def _truncate(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        await conn.execute(text("DELETE FROM customer_group WHERE customer_group_id <> 1"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A freshly migrated, empty database: SQLite, and PostgreSQL when configured."""
    if request.param == "sqlite":
        path = tmp_path / "patron.sqlite3"
        path.write_bytes(sqlite_template.read_bytes())
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_truncate(url))
    yield url


def make_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for tests: cheap argon2id parameters, a fixed secret, files under ``tmp_path``."""
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "jwt_secret": "test-secret-" + "x" * 32,
        "var_dir": tmp_path / "var",
        "argon2": {"memory_cost": 1024, "time_cost": 1, "parallelism": 1},
        **overrides,
    }
    return Settings.model_validate(values)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    built = Services.build(settings)
    yield built
    await built.close()


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the real app in process."""
    app = create_app(services.settings, services)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
