"""the login-name trigram index covers only login names that differ from the email

Most customers sign in with their email, so their folded login name equals the folded email,
which the email's trigram index already serves. Indexing those names a second time cost a third
of a bulk import's index work for no search it could answer alone. The keyword search now
matches ``login_key`` only where it differs from ``email_key`` (the same rows match), and the
index holds just those rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHOLE = "ix_customer_login_key_trgm"
PARTIAL = "ix_customer_login_name_trgm"


def _trigram_schema() -> str | None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    found = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()
    return None if found is None else str(found)


def upgrade() -> None:
    schema = _trigram_schema()
    if schema is None:
        return  # no trigram indexes here (0006 said why)
    op.execute(f"DROP INDEX IF EXISTS {WHOLE}")
    op.execute(
        f'CREATE INDEX {PARTIAL} ON customer USING gin (login_key "{schema}".gin_trgm_ops)'
        " WHERE login_key <> email_key"
    )


def downgrade() -> None:
    schema = _trigram_schema()
    if schema is None:
        return
    op.execute(f"DROP INDEX IF EXISTS {PARTIAL}")
    op.execute(f'CREATE INDEX {WHOLE} ON customer USING gin (login_key "{schema}".gin_trgm_ops)')
