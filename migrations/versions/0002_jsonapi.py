"""Aimeos JSON:API: the customer's own address, address languages, properties and list items

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IdType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# Aimeos keeps the customer's billing address on the customer record itself.
CUSTOMER_COLUMNS = (
    ("address_1", sa.String(length=255)),
    ("address_2", sa.String(length=255)),
    ("address_3", sa.String(length=255)),
    ("postcode", sa.String(length=64)),
    ("city", sa.String(length=255)),
    ("province", sa.String(length=255)),
    ("longitude", sa.Double()),
    ("latitude", sa.Double()),
)


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        for name, type_ in CUSTOMER_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("customer_address", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))

    op.create_table(
        "customer_property",
        sa.Column("customer_property_id", IdType, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", IdType, nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.customer_id"],
            name=op.f("fk_customer_property_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_property_id", name=op.f("pk_customer_property")),
    )
    with op.batch_alter_table("customer_property", schema=None) as batch_op:
        batch_op.create_index(
            "uq_customer_property_customer_id_type_language_value",
            ["customer_id", "type", "language", "value"],
            unique=True,
        )

    op.create_table(
        "customer_list",
        sa.Column("customer_list_id", IdType, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", IdType, nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.Column("refid", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("date_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("date_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.customer_id"],
            name=op.f("fk_customer_list_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_list_id", name=op.f("pk_customer_list")),
    )
    with op.batch_alter_table("customer_list", schema=None) as batch_op:
        batch_op.create_index(
            "uq_customer_list_customer_id_domain_type_refid",
            ["customer_id", "domain", "type", "refid"],
            unique=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_list", schema=None) as batch_op:
        batch_op.drop_index("uq_customer_list_customer_id_domain_type_refid")
    op.drop_table("customer_list")
    with op.batch_alter_table("customer_property", schema=None) as batch_op:
        batch_op.drop_index("uq_customer_property_customer_id_type_language_value")
    op.drop_table("customer_property")
    with op.batch_alter_table("customer_address", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        for name, _type in reversed(CUSTOMER_COLUMNS):
            batch_op.drop_column(name)
