"""customers, addresses, groups, admin users and sessions

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_user",
        sa.Column(
            "admin_user_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("email_key", sa.String(length=255), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("admin_user_id", name=op.f("pk_admin_user")),
        sa.UniqueConstraint("email_key", name=op.f("uq_admin_user_email_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_admin_user_uuid")),
    )
    op.create_table(
        "customer_group",
        sa.Column(
            "customer_group_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_group_id", name=op.f("pk_customer_group")),
        sa.UniqueConstraint("uuid", name=op.f("uq_customer_group_uuid")),
    )
    op.create_table(
        "admin_session",
        sa.Column(
            "session_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "admin_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("face", sa.String(length=32), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["admin_user_id"],
            ["admin_user.admin_user_id"],
            name=op.f("fk_admin_session_admin_user_id_admin_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_admin_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_admin_session_token_hash")),
        sa.UniqueConstraint("uuid", name=op.f("uq_admin_session_uuid")),
    )
    with op.batch_alter_table("admin_session", schema=None) as batch_op:
        batch_op.create_index("ix_admin_session_admin_user_id", ["admin_user_id"], unique=False)

    op.create_table(
        "customer",
        sa.Column(
            "customer_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("group_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("email_key", sa.String(length=255), nullable=False),
        sa.Column("login_name", sa.String(length=255), nullable=True),
        sa.Column("login_key", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=True),
        sa.Column("first_name", sa.String(length=255), nullable=True),
        sa.Column("last_name", sa.String(length=255), nullable=True),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("salutation", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=64), nullable=True),
        sa.Column("company", sa.String(length=255), nullable=True),
        sa.Column("vat_id", sa.String(length=64), nullable=True),
        sa.Column("telephone", sa.String(length=64), nullable=True),
        sa.Column("fax", sa.String(length=64), nullable=True),
        sa.Column("mobile", sa.String(length=64), nullable=True),
        sa.Column("website", sa.String(length=255), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("newsletter", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=True),
        sa.Column("meta_data", sa.JSON(), nullable=False),
        sa.Column("date_verified", sa.Date(), nullable=True),
        sa.Column("created_ip", sa.String(length=45), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["customer_group.customer_group_id"],
            name=op.f("fk_customer_group_id_customer_group"),
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer")),
        sa.UniqueConstraint("uuid", name=op.f("uq_customer_uuid")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index("ix_customer_created_ip", ["created_ip", "created_at"], unique=False)
        batch_op.create_index("ix_customer_group_id", ["group_id"], unique=False)
        batch_op.create_index(
            "uq_customer_store_id_email_key", ["store_id", "email_key"], unique=True
        )
        batch_op.create_index(
            "uq_customer_store_id_login_key", ["store_id", "login_key"], unique=True
        )

    op.create_table(
        "customer_address",
        sa.Column(
            "customer_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("full_name", sa.String(length=255), nullable=True),
        sa.Column("first_name", sa.String(length=255), nullable=True),
        sa.Column("last_name", sa.String(length=255), nullable=True),
        sa.Column("company", sa.String(length=255), nullable=True),
        sa.Column("vat_id", sa.String(length=64), nullable=True),
        sa.Column("salutation", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(length=64), nullable=True),
        sa.Column("address_1", sa.String(length=255), nullable=True),
        sa.Column("address_2", sa.String(length=255), nullable=True),
        sa.Column("address_3", sa.String(length=255), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=True),
        sa.Column("province", sa.String(length=255), nullable=True),
        sa.Column("postcode", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("telephone", sa.String(length=64), nullable=True),
        sa.Column("telefax", sa.String(length=64), nullable=True),
        sa.Column("mobile", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("website", sa.String(length=255), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.customer_id"],
            name=op.f("fk_customer_address_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_address_id", name=op.f("pk_customer_address")),
        sa.UniqueConstraint("uuid", name=op.f("uq_customer_address_uuid")),
    )
    with op.batch_alter_table("customer_address", schema=None) as batch_op:
        batch_op.create_index("ix_customer_address_customer_id", ["customer_id"], unique=False)
        batch_op.create_index(
            "uq_customer_address_default",
            ["customer_id"],
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        )

    op.create_table(
        "customer_session",
        sa.Column(
            "session_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("face", sa.String(length=32), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.customer_id"],
            name=op.f("fk_customer_session_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_customer_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_customer_session_token_hash")),
        sa.UniqueConstraint("uuid", name=op.f("uq_customer_session_uuid")),
    )
    with op.batch_alter_table("customer_session", schema=None) as batch_op:
        batch_op.create_index("ix_customer_session_customer_id", ["customer_id"], unique=False)

    # Group 1 is the default group every customer starts in; it can never be deleted.
    now = datetime.now(UTC).replace(microsecond=0)
    group = sa.table(
        "customer_group",
        sa.column("customer_group_id", sa.Integer),
        sa.column("uuid", sa.Uuid),
        sa.column("store_id", sa.Integer),
        sa.column("group_name", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        group,
        [
            {
                "customer_group_id": 1,
                "uuid": uuid.uuid4(),
                "store_id": 1,
                "group_name": "Default",
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('customer_group', 'customer_group_id'), 1)"
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_session", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_session_customer_id")

    op.drop_table("customer_session")
    with op.batch_alter_table("customer_address", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_customer_address_default",
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        )
        batch_op.drop_index("ix_customer_address_customer_id")

    op.drop_table("customer_address")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index("uq_customer_store_id_login_key")
        batch_op.drop_index("uq_customer_store_id_email_key")
        batch_op.drop_index("ix_customer_group_id")
        batch_op.drop_index("ix_customer_created_ip")

    op.drop_table("customer")
    with op.batch_alter_table("admin_session", schema=None) as batch_op:
        batch_op.drop_index("ix_admin_session_admin_user_id")

    op.drop_table("admin_session")
    op.drop_table("customer_group")
    op.drop_table("admin_user")
