"""Bulk customer SQL: upserts for imports and keyset-batched reads for exports.

On PostgreSQL an upsert stages its rows with COPY (asyncpg ``copy_records_to_table``) into a
temporary table and moves them with one ``INSERT … SELECT … ON CONFLICT``; elsewhere it is one
batched ``executemany`` of ``INSERT … ON CONFLICT``. Either way one transaction per batch.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, any_, bindparam, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from patron.core.customer_imports import NAME_FIELDS, PROFILE_FIELDS
from patron.core.entities import Customer, CustomerSession, CustomerToken

CUSTOMER: Table = Customer.__table__  # type: ignore[assignment]
SESSION: Table = CustomerSession.__table__  # type: ignore[assignment]
TOKEN: Table = CustomerToken.__table__  # type: ignore[assignment]
# Every column an import writes on insert (meta_data and version take fixed values).
INSERT_COLUMNS = (
    "uuid",
    "store_id",
    "status",
    "group_id",
    "email",
    "email_key",
    "login_name",
    "login_key",
    "password_hash",
    *NAME_FIELDS,
    "name_key",
    *PROFILE_FIELDS,
    "newsletter",
    "created_at",
    "updated_at",
)
STAGE = "patron_customer_import"
IN_CHUNK = 1000  # keys per IN (...) list: SQLite allows 32,766 parameters, stay well below


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + IN_CHUNK] for i in range(0, len(items), IN_CHUNK)]


def _among(column: ColumnElement[Any], chunk: Sequence[Any], postgres: bool) -> ColumnElement[bool]:
    """``column IN chunk``; on PostgreSQL ``= ANY($1)``: one array parameter, so one
    prepared statement serves every batch, whatever its size."""
    if postgres:
        return column == any_(bindparam(None, list(chunk), type_=ARRAY(column.type)))
    return column.in_(chunk)


class SqlCustomerBulk:
    """``CustomerBulk`` on SQLite and PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._written = 0
        self._analyzed_at = 0

    def _chunks(self, items: Sequence[Any]) -> list[Sequence[Any]]:
        return [items] if self._postgres else _chunks(items)

    async def _refresh_statistics(self, written: int) -> None:
        """ANALYZE each time this import has doubled what it wrote (PostgreSQL).

        Planned on the statistics of a near-empty table, the key lookups of the next batch
        scan the whole store instead of the unique indexes (seconds per batch after 100k rows);
        doubling keeps the ANALYZE runs to a handful per import.
        """
        self._written += written
        if not self._postgres or self._written < 2 * max(self._analyzed_at, 1000):
            return
        async with self._engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("ANALYZE customer")
        self._analyzed_at = self._written

    async def existing(
        self, store_id: int, email_keys: Sequence[str]
    ) -> Mapping[str, tuple[int, int, str]]:
        c = CUSTOMER.c
        found: dict[str, tuple[int, int, str]] = {}
        async with self._engine.connect() as conn:
            for chunk in self._chunks(email_keys):
                result = await conn.execute(
                    select(c.email_key, c.customer_id, c.status, c.password_hash).where(
                        c.store_id == store_id, _among(c.email_key, chunk, self._postgres)
                    )
                )
                found.update({row[0]: (row[1], row[2], row[3]) for row in result})
        return found

    async def login_owners(self, store_id: int, login_keys: Sequence[str]) -> Mapping[str, str]:
        c = CUSTOMER.c
        found: dict[str, str] = {}
        async with self._engine.connect() as conn:
            for chunk in self._chunks(login_keys):
                result = await conn.execute(
                    select(c.login_key, c.email_key).where(
                        c.store_id == store_id, _among(c.login_key, chunk, self._postgres)
                    )
                )
                found.update({row[0]: row[1] for row in result})
        return found

    async def uuid_owners(self, uuids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        c = CUSTOMER.c
        found: dict[uuid.UUID, str] = {}
        async with self._engine.connect() as conn:
            for chunk in self._chunks(uuids):
                result = await conn.execute(
                    select(c.uuid, c.email_key).where(_among(c.uuid, chunk, self._postgres))
                )
                found.update({row[0]: row[1] for row in result})
        return found

    async def upsert(
        self,
        store_id: int,
        rows: Sequence[tuple[Mapping[str, Any], frozenset[str]]],
        *,
        end_sessions_of: Sequence[int],
        now: datetime,
    ) -> None:
        groups: dict[frozenset[str], list[Mapping[str, Any]]] = {}
        for values, given in rows:
            groups.setdefault(given, []).append(values)
        async with self._engine.begin() as conn:
            for given, grouped in groups.items():
                updated = [name for name in INSERT_COLUMNS if name in given]
                if self._postgres:
                    await _copy_upsert(conn, grouped, updated)
                else:
                    await _batched_upsert(conn, grouped, updated)
            await _end_sessions(conn, end_sessions_of, now)
        await self._refresh_statistics(len(rows))


async def _batched_upsert(
    conn: AsyncConnection, rows: Sequence[Mapping[str, Any]], updated: Sequence[str]
) -> None:
    stmt = sqlite.insert(CUSTOMER)
    changes: dict[str, Any] = {name: stmt.excluded[name] for name in updated}
    changes |= {"updated_at": stmt.excluded.updated_at, "version": CUSTOMER.c.version + 1}
    stmt = stmt.on_conflict_do_update(index_elements=["store_id", "email_key"], set_=changes)
    params = [
        {**{name: values[name] for name in INSERT_COLUMNS}, "meta_data": {}, "version": 1}
        for values in rows
    ]
    await conn.execute(stmt, params)


async def _copy_upsert(
    conn: AsyncConnection, rows: Sequence[Mapping[str, Any]], updated: Sequence[str]
) -> None:
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    columns = ", ".join(INSERT_COLUMNS)
    # CREATE … AS … WITH NO DATA copies the column types but no constraint or default.
    await conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} AS "  # noqa: S608 - fixed names
        f"SELECT {columns} FROM customer WITH NO DATA"
    )
    await conn.exec_driver_sql(f"TRUNCATE {STAGE}")
    await driver.copy_records_to_table(
        STAGE,
        records=[tuple(values[name] for name in INSERT_COLUMNS) for values in rows],
        columns=list(INSERT_COLUMNS),
    )
    changes = ", ".join(f"{name} = EXCLUDED.{name}" for name in (*updated, "updated_at"))
    await conn.exec_driver_sql(
        f"INSERT INTO customer ({columns}, meta_data, version) "  # noqa: S608 - fixed names
        f"SELECT {columns}, '{{}}'::json, 1 FROM {STAGE} "
        f"ON CONFLICT (store_id, email_key) DO UPDATE SET {changes}, "
        "version = customer.version + 1"
    )


async def _end_sessions(conn: AsyncConnection, customer_ids: Sequence[int], now: datetime) -> None:
    """Revoke the live sessions of ``customer_ids`` and void their reset links."""
    for chunk in _chunks(customer_ids):
        await conn.execute(
            update(SESSION)
            .where(SESSION.c.customer_id.in_(chunk), SESSION.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await conn.execute(
            TOKEN.delete().where(
                TOKEN.c.customer_id.in_(chunk), TOKEN.c.purpose == "password_reset"
            )
        )


async def stream_customers(
    engine: AsyncEngine,
    *,
    store_id: int,
    columns: Sequence[str],
    batch_size: int = 2000,
) -> AsyncIterator[dict[str, Any]]:
    """Every customer of the store, ``columns`` only, in ``customer_id`` order.

    Keyset batches (``customer_id > last``), each on a fresh short read, so memory stays
    constant and no transaction is held open across the whole export.
    """
    c = CUSTOMER.c
    selected = [c[name] for name in columns]
    last = 0
    while True:
        async with engine.connect() as conn:
            result = await conn.execute(
                select(c.customer_id, *selected)
                .where(c.store_id == store_id, c.customer_id > last)
                .order_by(c.customer_id)
                .limit(batch_size)
            )
            rows = result.all()
        for row in rows:
            yield dict(zip(columns, row[1:], strict=True))
        if len(rows) < batch_size:
            return
        last = rows[-1][0]
