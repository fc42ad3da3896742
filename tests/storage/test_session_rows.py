"""Session rows read for authentication become entities before anything else has used the ORM
in the process (a fresh worker's first request)."""

from __future__ import annotations

import subprocess
import sys

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
