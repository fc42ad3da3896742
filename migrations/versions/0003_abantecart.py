"""customer order summaries (AbanteCart order history)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Branched from 0001 on purpose: the JSON:API work adds 0002 in parallel, and the merge chains
this revision after it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "customer_order",
        sa.Column("customer_order_id", ID, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", ID, nullable=True),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("status_name", sa.String(length=64), nullable=True),
        sa.Column("date_added", sa.DateTime(timezone=True), nullable=True),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=15, scale=4), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=15, scale=8), nullable=False),
        sa.Column("symbol_left", sa.String(length=12), nullable=False),
        sa.Column("symbol_right", sa.String(length=12), nullable=False),
        sa.Column("decimal_place", sa.SmallInteger(), nullable=False),
        sa.Column("decimal_point", sa.String(length=4), nullable=False),
        sa.Column("thousand_point", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.customer_id"],
            name=op.f("fk_customer_order_customer_id_customer"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("customer_order_id", name=op.f("pk_customer_order")),
    )
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.create_index(
            "uq_customer_order_store_id_order_id", ["store_id", "order_id"], unique=True
        )
        batch_op.create_index(
            "ix_customer_order_customer_id_order_id", ["customer_id", "order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_order_customer_id_order_id")
        batch_op.drop_index("uq_customer_order_store_id_order_id")
    op.drop_table("customer_order")
