"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, select, text

from patron.cli import alembic_config, upgrade_database
from patron.core.entities import Base, Customer
from patron.core.ports import CustomerFilter
from patron.storage.db import in_models, make_engine
from patron.storage.queries import _filter_params, _shape, _where

pytestmark = pytest.mark.anyio


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": in_models}
    )
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    await engine.dispose()
    assert diff == []


async def test_default_group_is_seeded(database_url: str) -> None:
    engine = make_engine(database_url)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(text("SELECT customer_group_id, group_name FROM customer_group"))
        ).all()
    await engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "Default")]


async def test_upgrade_is_idempotent_and_at_head(database_url: str) -> None:
    upgrade_database(database_url)
    engine = make_engine(database_url)
    async with engine.connect() as conn:
        version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    assert version == head
    assert {
        "customer",
        "customer_order",
        "customer_address",
        "customer_group",
        "admin_user",
        "customer_session",
        "admin_session",
        "customer_token",
        "customer_property",
        "customer_list",
    } <= tables


def test_the_jsonapi_revision_downgrades_and_upgrades_again(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'down.sqlite3'}"
    upgrade_database(url)
    command.downgrade(alembic_config(url), "0001")
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        columns = {c["name"] for c in inspect(conn).get_columns("customer")}
    engine.dispose()
    assert not {"customer_property", "customer_list"} & tables
    assert "city" not in columns
    upgrade_database(url)


def test_upgrade_on_an_empty_sqlite_file(tmp_path: Any) -> None:
    path = tmp_path / "nested" / "fresh.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    assert path.exists()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    engine = make_engine(url)
    async with engine.connect() as conn:
        mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar_one()
        fks = (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one()
    await engine.dispose()
    assert (mode, fks) == ("wal", 1)


async def test_substring_searches_can_use_the_trigram_indexes(postgres_url: str) -> None:
    """The keyword search's own conditions (name or email through their shared search key,
    login name) and the name filter are planned as scans of the pg_trgm indexes when the
    planner is kept off whole-table reads. The store condition is left out: on an empty table
    the store's B-tree would win and hide the answer."""
    keyword = CustomerFilter(keyword="Smith", keyword_login_name=True)
    by_name = CustomerFilter(full_name="Smith")
    engine = make_engine(postgres_url)
    plans = []
    async with engine.connect() as conn:
        await conn.execute(text("SET enable_seqscan = off"))
        for flt in (keyword, by_name):
            _store, *conditions = _where(_shape(flt))
            statement = select(Customer.customer_id).where(*conditions)
            sql = statement.params(_filter_params(flt)).compile(
                dialect=conn.dialect, compile_kwargs={"literal_binds": True}
            )
            plans.append("\n".join((await conn.execute(text(f"EXPLAIN {sql}"))).scalars()))
    await engine.dispose()
    assert "ix_customer_search_trgm" in plans[0]
    assert "ix_customer_login_name_trgm" in plans[0]
    assert "ix_customer_search_trgm" in plans[1]
    assert not any("Seq Scan" in plan for plan in plans)
