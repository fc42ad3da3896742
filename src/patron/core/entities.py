"""The canonical records, as SQLAlchemy 2.0 declarative classes.

This is the only core module that imports SQLAlchemy. The customer record is the superset of
what every face shows (EverShop, Aimeos, AbanteCart), so a new face adds tables, not rewrites.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DEFAULT_STORE_ID = 1
DEFAULT_GROUP_ID = 1

# A BIGINT primary key on PostgreSQL, and SQLite's rowid alias there.
IdType = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps in UTC: ``timestamptz`` on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with predictable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class CustomerGroup(Base):
    """A customer group; id 1 is ``Default`` and cannot be deleted."""

    __tablename__ = "customer_group"

    customer_group_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid(), unique=True)
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)
    group_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Customer(Base):
    """One customer account, holding every field any face reads or writes."""

    __tablename__ = "customer"
    __table_args__ = (
        Index("uq_customer_store_id_email_key", "store_id", "email_key", unique=True),
        Index("uq_customer_store_id_login_key", "store_id", "login_key", unique=True),
        Index("ix_customer_group_id", "group_id"),
        Index("ix_customer_created_ip", "created_ip", "created_at"),
        # The admin grid's sort orders, so that keyset pages are index walks.
        Index("ix_customer_store_id_name_key", "store_id", "name_key", "customer_id"),
        Index("ix_customer_store_id_created_at", "store_id", "created_at", "customer_id"),
        Index("ix_customer_store_id_status", "store_id", "status", "customer_id"),
        # The EverShop list's default order: its offsets walk this index alone.
        Index("ix_customer_store_id_customer_id", "store_id", "customer_id"),
    )

    customer_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid(), unique=True)
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)
    status: Mapped[int] = mapped_column(SmallInteger, default=1)
    group_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customer_group.customer_group_id"), default=DEFAULT_GROUP_ID
    )
    email: Mapped[str] = mapped_column(String(255))
    email_key: Mapped[str] = mapped_column(String(255))
    login_name: Mapped[str | None] = mapped_column(String(255))
    login_key: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    # Case-folded name, so name searches agree on SQLite and PostgreSQL.
    name_key: Mapped[str] = mapped_column(String(255), default="")
    salutation: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(64))
    company: Mapped[str | None] = mapped_column(String(255))
    vat_id: Mapped[str | None] = mapped_column(String(64))
    telephone: Mapped[str | None] = mapped_column(String(64))
    fax: Mapped[str | None] = mapped_column(String(64))
    mobile: Mapped[str | None] = mapped_column(String(64))
    website: Mapped[str | None] = mapped_column(String(255))
    birthday: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    # The customer's own (billing) address, which Aimeos keeps on the customer record itself;
    # delivery addresses of every face live in ``customer_address``.
    address_1: Mapped[str | None] = mapped_column(String(255))
    address_2: Mapped[str | None] = mapped_column(String(255))
    address_3: Mapped[str | None] = mapped_column(String(255))
    postcode: Mapped[str | None] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(255))
    province: Mapped[str | None] = mapped_column(String(255))
    longitude: Mapped[float | None]
    latitude: Mapped[float | None]
    newsletter: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str | None] = mapped_column(String(255))
    meta_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    date_verified: Mapped[date | None] = mapped_column(Date)
    created_ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Bumped by every UPDATE of the row and checked in its WHERE clause (optimistic locking);
    # faces show it as the ETag.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}


class CustomerTally(Base):
    """How many customers a store has per status and group. Written only by the database's
    triggers on ``customer`` (migration 0007), so list totals need no count over customers."""

    __tablename__ = "customer_tally"

    store_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    group_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=False)
    customers: Mapped[int] = mapped_column(BigInteger)


class CustomerAddress(Base):
    """An address of a customer; the superset of the three platforms' address fields."""

    __tablename__ = "customer_address"
    __table_args__ = (
        Index("ix_customer_address_customer_id", "customer_id"),
        # At most one default address per customer.
        Index(
            "uq_customer_address_default",
            "customer_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    customer_address_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid(), unique=True)
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)
    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customer.customer_id", ondelete="CASCADE")
    )
    full_name: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    company: Mapped[str | None] = mapped_column(String(255))
    vat_id: Mapped[str | None] = mapped_column(String(64))
    salutation: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(64))
    address_1: Mapped[str | None] = mapped_column(String(255))
    address_2: Mapped[str | None] = mapped_column(String(255))
    address_3: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(255))
    province: Mapped[str | None] = mapped_column(String(255))
    postcode: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    telephone: Mapped[str | None] = mapped_column(String(64))
    telefax: Mapped[str | None] = mapped_column(String(64))
    mobile: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(255))
    longitude: Mapped[float | None]
    latitude: Mapped[float | None]
    birthday: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(16))
    type: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CustomerProperty(Base):
    """A key/language/value pair stored for a customer (Aimeos' customer properties)."""

    __tablename__ = "customer_property"
    __table_args__ = (
        # One row per (customer, type, language, value); it also serves lookups by customer.
        Index(
            "uq_customer_property_customer_id_type_language_value",
            "customer_id",
            "type",
            "language",
            "value",
            unique=True,
        ),
    )

    customer_property_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)
    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customer.customer_id", ondelete="CASCADE")
    )
    type: Mapped[str] = mapped_column(String(64))
    # "" means "every language": a NULL would escape the unique index.
    language: Mapped[str] = mapped_column(String(16), default="")
    value: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CustomerListItem(Base):
    """A link from a customer to an item of another domain: favourites, watch list and the like."""

    __tablename__ = "customer_list"
    __table_args__ = (
        # The same item is linked at most once per customer, domain and list type.
        Index(
            "uq_customer_list_customer_id_domain_type_refid",
            "customer_id",
            "domain",
            "type",
            "refid",
            unique=True,
        ),
    )

    customer_list_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)
    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customer.customer_id", ondelete="CASCADE")
    )
    domain: Mapped[str] = mapped_column(String(32))
    refid: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(64), default="default")
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    date_start: Mapped[datetime | None]
    date_end: Mapped[datetime | None]
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[int] = mapped_column(SmallInteger, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AdminUser(Base):
    """A member of the shop's staff who signs in to the admin API and pages."""

    __tablename__ = "admin_user"

    admin_user_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid(), unique=True)
    email: Mapped[str] = mapped_column(String(255))
    email_key: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32), default="administrator")
    status: Mapped[int] = mapped_column(SmallInteger, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CustomerToken(Base):
    """A single-use emailed token (password reset, email verification); only its hash is kept."""

    __tablename__ = "customer_token"
    __table_args__ = (Index("ix_customer_token_customer_id_purpose", "customer_id", "purpose"),)

    token_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customer.customer_id", ondelete="CASCADE")
    )
    purpose: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class IdempotencyRecord(Base):
    """The first answer to a creating request sent with an ``Idempotency-Key``.

    ``scope`` names the caller (``admin:<id>``, ``customer:<id>`` or ``anonymous:<ip>``) and
    ``route`` the operation, so keys never collide across callers or routes. ``status`` is NULL
    while the first request is still running.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (
        Index("uq_idempotency_record_scope_route_key", "scope", "route", "key", unique=True),
        Index("ix_idempotency_record_customer_id", "customer_id"),
    )

    record_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(80))
    route: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("customer.customer_id", ondelete="CASCADE")
    )
    status: Mapped[int | None] = mapped_column(SmallInteger)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ThrottleCounter(Base):
    """An attempt counter, when no Redis is configured; keys are HMACs, never identifiers."""

    __tablename__ = "throttle_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[float] = mapped_column(Float)
    last_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)


class AuditEntry(Base):
    """One append-only record of an admin change or a security event.

    ``actor`` names who acted (``admin:<id>``, ``customer:<id>`` or ``system``); ``changes`` maps
    field names to ``[before, after]`` and never holds a password, hash or token.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_customer_id_at", "customer_id", "at"),)

    audit_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(IdType)
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))
    face: Mapped[str | None] = mapped_column(String(32))


class _SessionColumns:
    """What customer and admin sessions share; only the SHA-256 of the token is kept."""

    session_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid(), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    face: Mapped[str] = mapped_column(String(32))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class CustomerSession(_SessionColumns, Base):
    """A customer's signed-in session."""

    __tablename__ = "customer_session"
    __table_args__ = (Index("ix_customer_session_customer_id", "customer_id"),)

    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customer.customer_id", ondelete="CASCADE")
    )
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)


class AdminSession(_SessionColumns, Base):
    """An admin user's signed-in session."""

    __tablename__ = "admin_session"
    __table_args__ = (Index("ix_admin_session_admin_user_id", "admin_user_id"),)

    admin_user_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("admin_user.admin_user_id", ondelete="CASCADE")
    )


class CustomerOrder(Base):
    """A summary of one order a shop placed for a customer, as the shop reported it.

    patron does not take orders; it keeps what the shop sends so the storefront faces can show
    an order history. Deleting the customer keeps the row with ``customer_id`` set to NULL.
    ``total`` is in the shop's default currency; ``currency_rate`` converts it to the order's
    currency, which the ``symbol_*``, ``decimal_*`` and ``thousand_point`` columns format.
    """

    __tablename__ = "customer_order"
    __table_args__ = (
        Index("uq_customer_order_store_id_order_id", "store_id", "order_id", unique=True),
        Index("ix_customer_order_customer_id_order_id", "customer_id", "order_id"),
    )

    customer_order_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    store_id: Mapped[int] = mapped_column(Integer, default=DEFAULT_STORE_ID)
    order_id: Mapped[int] = mapped_column(BigInteger)
    customer_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("customer.customer_id", ondelete="SET NULL")
    )
    status_id: Mapped[int] = mapped_column(Integer)
    status_name: Mapped[str | None] = mapped_column(String(64))
    date_added: Mapped[datetime | None]
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[Decimal] = mapped_column(Numeric(15, 4))
    currency_code: Mapped[str] = mapped_column(String(3))
    currency_rate: Mapped[Decimal] = mapped_column(Numeric(15, 8))
    symbol_left: Mapped[str] = mapped_column(String(12), default="")
    symbol_right: Mapped[str] = mapped_column(String(12), default="")
    decimal_place: Mapped[int] = mapped_column(SmallInteger, default=2)
    decimal_point: Mapped[str] = mapped_column(String(4), default=".")
    thousand_point: Mapped[str] = mapped_column(String(4), default=",")
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
