"""The hot reads: fixed statements that run on every authenticated request.

On PostgreSQL they go straight to an asyncpg pool: each SQLAlchemy Core statement is compiled
once to its SQL text and then prepared by asyncpg per connection. That skips what a pooled
SQLAlchemy connection costs per checkout (a liveness ping, BEGIN and ROLLBACK: three round
trips around a one-statement read) and the result-processing layer. Connections go back to
the pool without asyncpg's reset query (the reads leave no session state); asyncpg still drops
a connection it finds closed. A read that fails because the server went away is retried once
on a fresh connection (reads are safe to repeat). Elsewhere (SQLite) the statements run through
the engine as usual.

Statements given here take plain parameters (uuid, int, str, timezone-aware datetime) that need
no bind processing, and select columns whose values asyncpg already returns in their Python
form.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from patron.storage.db import is_unavailable


class Reads:
    """Runs fixed read statements; one per app, shared by the query objects."""

    def __init__(self, engine: AsyncEngine, *, pool_size: int = 10) -> None:
        self._engine = engine
        self._pool_size = pool_size
        self._native = engine.dialect.name == "postgresql"
        self._pool: Any = None
        self._opening: asyncio.Lock | None = None
        self._compiled: dict[int, tuple[Select[Any], str, tuple[str, ...], dict[str, Any]]] = {}

    async def all(self, stmt: Select[Any], params: dict[str, Any]) -> Sequence[Any]:
        """The rows of ``stmt`` (tuples by position; dict(row) gives the columns by name)."""
        if not self._native:
            async with self._engine.connect() as conn:
                rows: Sequence[Any] = (await conn.execute(stmt, params)).all()
                return rows
        sql, names, fixed = self._sql(stmt)
        args = [params[name] if name in params else fixed[name] for name in names]
        for attempt in (1, 2):
            pool = self._pool or await self._open()
            try:
                return await pool.fetch(sql, *args)  # type: ignore[no-any-return]
            except Exception as exc:
                if attempt == 2 or not is_unavailable(exc):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def first(self, stmt: Select[Any], params: dict[str, Any]) -> Any | None:
        rows = await self.all(stmt, params)
        return rows[0] if rows else None

    async def dicts(self, stmt: Select[Any], params: dict[str, Any]) -> list[dict[str, Any]]:
        """The rows of ``stmt`` as column-name dictionaries."""
        rows = await self.all(stmt, params)
        return [dict(row) if self._native else dict(row._mapping) for row in rows]

    def _sql(self, stmt: Select[Any]) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        """SQL text, parameter names in order, and the values fixed in the statement."""
        found = self._compiled.get(id(stmt))
        if found is None or found[0] is not stmt:
            compiled = stmt.compile(dialect=self._engine.dialect)
            found = (stmt, str(compiled), tuple(compiled.positiontup or ()), compiled.params)
            self._compiled[id(stmt)] = found
        return found[1], found[2], found[3]

    async def _open(self) -> Any:
        import asyncpg  # noqa: PLC0415 - only needed for PostgreSQL

        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._pool is None:
                url = self._engine.url.set(drivername="postgresql")
                self._pool = await asyncpg.create_pool(
                    make_url(url).render_as_string(hide_password=False),
                    min_size=0,
                    max_size=self._pool_size,
                    init=_json_codecs,
                    reset=_nothing_to_reset,
                )
        return self._pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()


async def _nothing_to_reset(conn: Any) -> None:
    """Reads leave no session state behind (no SET, LISTEN, cursor or advisory lock), so the
    release skips asyncpg's reset query: one round trip less per read. asyncpg still rolls
    back a transaction left open and closes a connection found broken."""


async def _json_codecs(conn: Any) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=_json_text, decoder=orjson.loads, schema="pg_catalog"
        )


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()
