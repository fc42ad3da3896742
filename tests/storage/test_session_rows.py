"""Session rows read for authentication become entities before anything else has used the ORM
in the process (a fresh worker's first request)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import text

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio

FRESH_PROCESS = """
from datetime import UTC, datetime
from patron.core.entities import AdminSession
from patron.storage.repositories import SqlAdminSessions

keys = SqlAdminSessions._session_keys
now = datetime(2026, 1, 1, tzinfo=UTC)
values = {key: None for key in keys} | {"session_id": 7, "last_seen_at": now}
from patron.storage.repositories import _transient
session = _transient(AdminSession, keys, [values[key] for key in keys])
print(session.session_id, session.revoked_at, session.last_seen_at.year)
"""


def test_a_session_row_reads_back_in_a_fresh_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "7 None 2026"), done.stderr[-500:]


async def test_a_touch_skips_a_session_row_another_request_holds(
    services: Services, client: httpx.AsyncClient
) -> None:
    """Requests of one session that all find it due for a touch do not queue on its row: while
    another transaction holds it, a touch returns at once and leaves it to that one."""
    if not services.settings.database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    await factories.create_admin(services)
    await factories.admin_login(client)
    async with services.engine.connect() as conn:
        session_id, seen = (
            await conn.execute(text("SELECT session_id, last_seen_at FROM admin_session"))
        ).one()
    later = seen + timedelta(minutes=5)
    async with services.engine.connect() as holder:
        await holder.begin()
        await holder.execute(
            text("SELECT 1 FROM admin_session WHERE session_id = :i FOR UPDATE"), {"i": session_id}
        )
        async with services.uow() as uow:
            await asyncio.wait_for(uow.admin_sessions.touch(session_id, later), timeout=3)
            await uow.commit()
        await holder.rollback()
    async with services.uow() as uow:
        await uow.admin_sessions.touch(session_id, later)  # free again: it writes
        await uow.commit()
    async with services.engine.connect() as conn:
        now_seen = (await conn.execute(text("SELECT last_seen_at FROM admin_session"))).scalar()
    assert now_seen == later
