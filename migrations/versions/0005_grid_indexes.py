"""indexes for the admin grid's sortable columns (keyset pages stay index walks)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_customer_store_id_name_key": ["store_id", "name_key", "customer_id"],
    "ix_customer_store_id_created_at": ["store_id", "created_at", "customer_id"],
    "ix_customer_store_id_status": ["store_id", "status", "customer_id"],
}


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
