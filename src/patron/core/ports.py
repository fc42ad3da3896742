"""What the core needs from the outside world, as Protocols.

``storage`` implements them over SQLAlchemy; ``tests/fakes.py`` implements them in memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from patron.core.entities import (
    AdminSession,
    AdminUser,
    AuditEntry,
    Customer,
    CustomerAddress,
    CustomerGroup,
    CustomerListItem,
    CustomerOrder,
    CustomerProperty,
    CustomerSession,
    CustomerToken,
    IdempotencyRecord,
)


class Clock(Protocol):
    """Tells the time, in UTC."""

    def now(self) -> datetime: ...


class CustomerRepository(Protocol):
    """Customer records for writes and checks."""

    async def add(self, customer: Customer) -> None: ...
    async def get(
        self, store_id: int, customer_uuid: uuid.UUID, *, lock: bool = False
    ) -> Customer | None:
        """The customer; ``lock`` holds the row until the transaction ends (writers queue)."""
        ...

    async def get_by_id(self, customer_id: int) -> Customer | None: ...
    async def replace_hash(self, customer_id: int, old: str, new: str) -> None:
        """Store ``new`` in place of ``old`` (a stronger hash of the same password); nothing
        when the stored hash is no longer ``old``. Not a change of the record: no new version."""
        ...

    async def get_by_email_key(self, store_id: int, email_key: str) -> Customer | None: ...
    async def get_by_login_key(self, store_id: int, login_key: str) -> Customer | None: ...
    async def delete(self, customer: Customer) -> None: ...
    async def group_exists(self, store_id: int, group_id: int) -> bool: ...
    async def count_created_from(self, store_id: int, ip: str, *, since: datetime) -> int:
        """How many accounts of the store were created from ``ip`` at or after ``since``."""
        ...


class AddressRepository(Protocol):
    """Addresses of customers."""

    async def add(self, address: CustomerAddress) -> None: ...
    async def get(self, customer_id: int, address_uuid: uuid.UUID) -> CustomerAddress | None: ...
    async def get_by_id(self, customer_id: int, address_id: int) -> CustomerAddress | None: ...
    async def list_for(self, customer_id: int) -> Sequence[CustomerAddress]: ...
    async def clear_default(self, customer_id: int) -> None: ...
    async def delete(self, address: CustomerAddress) -> None: ...


class TokenRepository(Protocol):
    """Single-use emailed tokens."""

    async def add(self, token: CustomerToken) -> None: ...
    async def find(self, purpose: str, token_hash: str) -> CustomerToken | None: ...
    async def delete_for(self, customer_id: int, purpose: str) -> None: ...


class IdempotencyRepository(Protocol):
    """Stored first answers of creating requests."""

    async def try_add(self, record: IdempotencyRecord) -> bool:
        """Insert ``record``; False (and nothing written) when its key is already taken."""
        ...

    async def get(self, scope: str, route: str, key: str) -> IdempotencyRecord | None: ...
    async def remove(self, record_id: int) -> None: ...
    async def forget(self, customer_id: int, values: Sequence[str]) -> None:
        """Delete the records of a customer, and those whose stored answer names ``values``."""
        ...

    async def complete(
        self, record_id: int, *, status: int, content_type: str, body: str, customer_id: int | None
    ) -> None: ...


class GroupRepository(Protocol):
    """Customer groups and how many customers each holds."""

    async def add(self, group: CustomerGroup) -> None: ...
    async def get(self, store_id: int, group_id: int) -> CustomerGroup | None: ...
    async def list_with_counts(self, store_id: int) -> Sequence[tuple[CustomerGroup, int]]: ...
    async def members(self, group_id: int) -> int: ...
    async def delete(self, group: CustomerGroup) -> None: ...


class AuditRepository(Protocol):
    """The append-only audit log."""

    async def add(self, entry: AuditEntry) -> None: ...
    async def for_customer(self, customer_id: int) -> Sequence[AuditEntry]: ...
    async def search(
        self,
        *,
        before_id: int | None,
        limit: int,
        action: str | None = None,
        actor: str | None = None,
        customer_id: int | None = None,
    ) -> Sequence[AuditEntry]:
        """Newest first, below ``before_id`` (keyset paging), matching the given filters."""
        ...


class Mailer(Protocol):
    """Sends one templated message; ``kind`` names the template, ``context`` fills it."""

    async def send(self, kind: str, to: str, context: dict[str, str]) -> None: ...


class OrderRepository(Protocol):
    """Order summaries, unique per (store_id, order_id)."""

    async def add(self, order: CustomerOrder) -> None: ...
    async def get(self, store_id: int, order_id: int) -> CustomerOrder | None: ...
    async def list_for(
        self, customer_id: int, *, offset: int, limit: int
    ) -> Sequence[CustomerOrder]: ...
    async def count_for(self, customer_id: int) -> int: ...
    async def delete(self, order: CustomerOrder) -> None: ...


class PropertyRepository(Protocol):
    """Key/language/value properties of customers."""

    async def add(self, item: CustomerProperty) -> None: ...
    async def get(self, customer_id: int, property_id: int) -> CustomerProperty | None: ...
    async def list_for(self, customer_id: int) -> Sequence[CustomerProperty]: ...
    async def delete(self, item: CustomerProperty) -> None: ...


class ListItemRepository(Protocol):
    """List items (favourites, watch list...) of customers."""

    async def add(self, item: CustomerListItem) -> None: ...
    async def get(self, customer_id: int, list_id: int) -> CustomerListItem | None: ...
    async def list_for(self, customer_id: int) -> Sequence[CustomerListItem]: ...
    async def delete(self, item: CustomerListItem) -> None: ...


class AdminRepository(Protocol):
    """Admin users."""

    async def add(self, admin: AdminUser) -> None: ...
    async def get_by_id(self, admin_user_id: int) -> AdminUser | None: ...
    async def get_by_email_key(self, email_key: str) -> AdminUser | None: ...
    async def list_all(self) -> Sequence[AdminUser]: ...


_S = TypeVar("_S", CustomerSession, AdminSession)
_O_co = TypeVar("_O_co", Customer, AdminUser, covariant=True)


class SessionRepository(Protocol[_S, _O_co]):
    """Sessions of one kind (customer or admin), found by token hash or public id."""

    async def add(self, session: _S) -> None: ...
    async def find_by_hash(self, token_hash: str) -> _S | None: ...
    async def find_by_uuid(self, session_uuid: uuid.UUID) -> _S | None: ...
    async def find_with_owner(
        self, *, token_hash: str | None = None, session_uuid: uuid.UUID | None = None
    ) -> tuple[_S, _O_co] | None:
        """The session and its owner in one read (detached copies, for checks only)."""
        ...

    async def revoke(self, session_ids: Sequence[int], at: datetime) -> None: ...
    async def revoke_all(self, owner_id: int, at: datetime) -> None: ...
    async def list_for(self, owner_id: int) -> Sequence[_S]: ...
    async def touch(self, session_id: int, at: datetime) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over every repository; the service that opens it commits it."""

    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def addresses(self) -> AddressRepository: ...
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def properties(self) -> PropertyRepository: ...
    @property
    def list_items(self) -> ListItemRepository: ...
    @property
    def admins(self) -> AdminRepository: ...
    @property
    def customer_tokens(self) -> TokenRepository: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def groups(self) -> GroupRepository: ...
    @property
    def customer_sessions(self) -> SessionRepository[CustomerSession, Customer]: ...
    @property
    def admin_sessions(self) -> SessionRepository[AdminSession, AdminUser]: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def flush(self) -> None: ...
    async def commit(self) -> None: ...


@dataclass(frozen=True)
class CustomerFilter:
    """The list filters every face may use; ``None`` means "not filtered"."""

    store_id: int = 1
    keyword: str | None = None
    full_name: str | None = None
    email: str | None = None
    status: int | None = None
    group_id: int | None = None
    order_by: str = "customer_id"
    descending: bool = False
    page: int = 1
    limit: int = 20
    # The admin grid's extras: the keyword also matches login names; a creation date range.
    keyword_login_name: bool = False
    created_from: datetime | None = None
    created_before: datetime | None = None


@dataclass(frozen=True)
class CustomerRow:
    """The columns the read paths show of a customer."""

    customer_id: int
    uuid: uuid.UUID
    status: int
    group_id: int
    email: str
    full_name: str | None
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class AddressRow:
    """The columns the read paths show of an address."""

    customer_address_id: int
    uuid: uuid.UUID
    customer_id: int
    full_name: str | None
    telephone: str | None
    address_1: str | None
    address_2: str | None
    city: str | None
    province: str | None
    country: str
    postcode: str | None
    is_default: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class GridPage:
    """One keyset page of customers: rows, the rows' edge keys for paging, and a total that is
    exact, an estimate (``estimated``) or a lower bound (``at_least``)."""

    rows: Sequence[CustomerRow]
    first_key: tuple[Any, int] | None
    last_key: tuple[Any, int] | None
    has_previous: bool
    has_next: bool
    total: int
    estimated: bool = False
    at_least: bool = False


@dataclass(frozen=True)
class CustomerPage:
    """One page of customers and the exact number that match."""

    rows: Sequence[CustomerRow]
    total: int


class CustomerQueries(Protocol):
    """Read-only paths, tuned for speed (column selects, no ORM entities)."""

    async def get_row(self, store_id: int, customer_uuid: uuid.UUID) -> CustomerRow | None: ...
    async def get_with_addresses(
        self, store_id: int, customer_uuid: uuid.UUID
    ) -> tuple[CustomerRow, list[AddressRow]] | None: ...
    async def addresses_of(self, customer_id: int) -> Sequence[AddressRow]: ...
    async def page(self, flt: CustomerFilter) -> CustomerPage: ...
    async def grid(
        self, flt: CustomerFilter, *, after: tuple[Any, int] | None, before: tuple[Any, int] | None
    ) -> GridPage:
        """A keyset page after the key ``after`` or before ``before`` (neither: the first)."""
        ...


@dataclass(frozen=True)
class OrderRow:
    """The columns an order history shows of one order."""

    order_id: int
    name: str
    status_name: str | None
    date_added: datetime | None
    line_count: int
    total: Decimal
    currency_rate: Decimal
    symbol_left: str
    symbol_right: str
    decimal_place: int
    decimal_point: str
    thousand_point: str


@dataclass(frozen=True)
class OrderHistory:
    """The newest orders of a customer and how many there are in all."""

    rows: Sequence[OrderRow]
    total: int


class OrderQueries(Protocol):
    """Read-only order paths, column selects only."""

    async def history(self, customer_id: int, *, limit: int) -> OrderHistory:
        """Orders with a status above 0, newest order id first, and their count."""
        ...


@dataclass(frozen=True)
class SubItems:
    """A customer's addresses, properties and list items as column mappings (oldest first)."""

    addresses: Sequence[Mapping[str, Any]] = ()
    properties: Sequence[Mapping[str, Any]] = ()
    list_items: Sequence[Mapping[str, Any]] = ()


class SubItemQueries(Protocol):
    """Read-only paths for what hangs off one customer, one connection per call."""

    async def sub_items(
        self, customer_id: int, *, addresses: bool, properties: bool, list_items: bool
    ) -> SubItems: ...


class CustomerBulk(Protocol):
    """Bulk customer writes and reads for imports and exports, many rows per statement."""

    async def existing(
        self, store_id: int, email_keys: Sequence[str]
    ) -> Mapping[str, tuple[int, int, str]]:
        """Stored accounts among ``email_keys``: key -> (customer_id, status, password_hash)."""
        ...

    async def login_owners(self, store_id: int, login_keys: Sequence[str]) -> Mapping[str, str]:
        """Which account (its email key) holds each of ``login_keys``."""
        ...

    async def uuid_owners(self, uuids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, str]:
        """Which account (its email key) has each of ``uuids``."""
        ...

    async def upsert(
        self,
        store_id: int,
        rows: Sequence[tuple[Mapping[str, Any], frozenset[str]]],
        *,
        end_sessions_of: Sequence[int],
        now: datetime,
    ) -> None:
        """Insert each row, or update the given columns of the account with its email key, and
        end the sessions of ``end_sessions_of``; all in one transaction."""
        ...
