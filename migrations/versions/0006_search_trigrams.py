"""trigram indexes for substring search on PostgreSQL (keyword, name and login searches)

The customer searches match a folded substring (``name_key LIKE '%term%'``); a B-tree cannot
serve that, so each search read every row of the store. pg_trgm's GIN indexes serve such
patterns of three or more characters. Where the role may not create the extension, the
migration leaves the indexes out and says so: searches stay correct, only slower.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("name_key", "email_key", "login_key")

log = logging.getLogger("alembic.runtime.migration")


def _index(column: str) -> str:
    return f"ix_customer_{column}_trgm"


def _trigram_schema(bind: sa.Connection) -> str | None:
    """The schema holding pg_trgm, installing it when missing and allowed; None otherwise."""
    find = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_trgm'"
    )
    schema = bind.execute(find).scalar()
    if schema is not None:
        return str(schema)
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm is not available (%s); substring searches stay unindexed", exc.orig)
        return None
    found = bind.execute(find).scalar()
    return None if found is None else str(found)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = _trigram_schema(bind)
    if schema is None:
        return
    opclass = f'"{schema}".gin_trgm_ops'
    for column in COLUMNS:
        op.execute(f"CREATE INDEX {_index(column)} ON customer USING gin ({column} {opclass})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS {_index(column)}")
