"""In-memory stand-ins for the core's ports, for unit tests of ``patron.core``.

They behave like the SQL implementations where the core can tell the difference: ids are
assigned on ``add``; the unique indexes are checked on ``add``, ``flush`` and ``commit`` and a
known one raises the same ``Conflict`` the SQL unit of work raises; deleting a customer takes its
addresses and sessions with it. What they do not do is roll back: a change made without a commit
is kept (tests that care look at ``FakeUnitOfWork.commits``). Repositories hand out the stored
objects themselves, as an ORM session does, except ``find_with_owner``, which like its SQL
twin returns detached copies.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Generic, Self, TypeVar

from patron.core.entities import (
    AdminSession,
    AdminUser,
    AuditEntry,
    Base,
    Customer,
    CustomerAddress,
    CustomerListItem,
    CustomerOrder,
    CustomerProperty,
    CustomerSession,
    CustomerToken,
)
from patron.core.errors import Conflict, ErrorCode, InvalidInput
from patron.core.passwords import Argon2Parameters, PasswordHasher, Verification
from patron.core.ports import OrderHistory, OrderQueries, OrderRow, UnitOfWork
from patron.storage.uow import DUPLICATE_LIST_ITEM, DUPLICATE_PROPERTY

START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
CHEAP_ARGON2 = Argon2Parameters(memory_cost=1024, time_cost=1, parallelism=1)


class UniqueViolation(Exception):
    """A unique index the SQL unit of work does not translate would have refused the write."""


class FixedClock:
    """A clock that moves only when told to; always timezone-aware UTC."""

    def __init__(self, now: datetime = START) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock wants an aware datetime")
        self._now = now.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by ``delta`` or by ``timedelta(**parts)``; returns the new time."""
        self._now += delta if delta is not None else timedelta(**parts)
        return self._now


_T = TypeVar("_T")


def _check_unique(
    items: Iterable[_T], key: Callable[[_T], Hashable | None], fail: Callable[[], Exception]
) -> None:
    seen: set[Hashable] = set()
    for item in items:
        value = key(item)
        if value is None:
            continue
        if value in seen:
            raise fail()
        seen.add(value)


def _email_conflict() -> Conflict:
    return Conflict("Email is already used", code=ErrorCode.email_already_registered, field="email")


def _violation(index: str) -> Callable[[], Exception]:
    return lambda: UniqueViolation(index)


class FakeCustomers:
    """Customers in a list; unique per (store_id, email_key) and (store_id, login_key)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.rows: list[Customer] = []
        self.groups: set[int] = {1}
        self._next_id = 1

    def check(self, extra: Sequence[Customer] = ()) -> None:
        rows = [*self.rows, *extra]
        _check_unique(rows, lambda c: c.uuid, _violation("customer.uuid"))
        _check_unique(rows, lambda c: (c.store_id, c.email_key), _email_conflict)
        _check_unique(rows, lambda c: (c.store_id, c.login_key), _email_conflict)

    async def add(self, customer: Customer) -> None:
        self.check([customer])
        customer.customer_id = self._next_id
        self._next_id += 1
        self.rows.append(customer)

    async def get(
        self, store_id: int, customer_uuid: uuid.UUID, *, lock: bool = False
    ) -> Customer | None:
        return next(
            (c for c in self.rows if c.store_id == store_id and c.uuid == customer_uuid), None
        )

    async def get_by_id(self, customer_id: int) -> Customer | None:
        return next((c for c in self.rows if c.customer_id == customer_id), None)

    async def replace_hash(self, customer_id: int, old: str, new: str) -> None:
        found = await self.get_by_id(customer_id)
        if found is not None and found.password_hash == old:
            found.password_hash = new

    async def get_by_email_key(self, store_id: int, email_key: str) -> Customer | None:
        return next(
            (c for c in self.rows if c.store_id == store_id and c.email_key == email_key), None
        )

    async def get_by_login_key(self, store_id: int, login_key: str) -> Customer | None:
        return next(
            (c for c in self.rows if c.store_id == store_id and c.login_key == login_key), None
        )

    async def delete(self, customer: Customer) -> None:
        self.rows.remove(customer)
        # ON DELETE SET NULL: the shop's order records stay.
        for order in self._uow.orders.rows:
            if order.customer_id == customer.customer_id:
                order.customer_id = None
        # ON DELETE CASCADE, as the foreign keys say.
        self._uow.addresses.rows[:] = [
            a for a in self._uow.addresses.rows if a.customer_id != customer.customer_id
        ]
        self._uow.customer_sessions.rows[:] = [
            s for s in self._uow.customer_sessions.rows if s.customer_id != customer.customer_id
        ]
        self._uow.customer_tokens.rows[:] = [
            t for t in self._uow.customer_tokens.rows if t.customer_id != customer.customer_id
        ]
        for repo in (self._uow.properties, self._uow.list_items):
            repo.rows[:] = [r for r in repo.rows if r.customer_id != customer.customer_id]

    async def group_exists(self, store_id: int, group_id: int) -> bool:
        return group_id in self.groups

    async def count_created_from(self, store_id: int, ip: str, *, since: datetime) -> int:
        return sum(
            1
            for c in self.rows
            if c.store_id == store_id and c.created_ip == ip and c.created_at >= since
        )


class FakeAddresses:
    """Addresses in a list; at most one default per customer."""

    def __init__(self) -> None:
        self.rows: list[CustomerAddress] = []
        self._next_id = 1

    def check(self, extra: Sequence[CustomerAddress] = ()) -> None:
        rows = [*self.rows, *extra]
        _check_unique(rows, lambda a: a.uuid, _violation("customer_address.uuid"))
        _check_unique(
            rows,
            lambda a: a.customer_id if a.is_default else None,
            _violation("uq_customer_address_default"),
        )

    async def add(self, address: CustomerAddress) -> None:
        self.check([address])
        address.customer_address_id = self._next_id
        self._next_id += 1
        self.rows.append(address)

    async def get(self, customer_id: int, address_uuid: uuid.UUID) -> CustomerAddress | None:
        return next(
            (a for a in self.rows if a.customer_id == customer_id and a.uuid == address_uuid),
            None,
        )

    async def get_by_id(self, customer_id: int, address_id: int) -> CustomerAddress | None:
        return next(
            (
                a
                for a in self.rows
                if a.customer_id == customer_id and a.customer_address_id == address_id
            ),
            None,
        )

    async def list_for(self, customer_id: int) -> Sequence[CustomerAddress]:
        return sorted(
            (a for a in self.rows if a.customer_id == customer_id),
            key=lambda a: a.customer_address_id,
        )

    async def clear_default(self, customer_id: int) -> None:
        for address in self.rows:
            if address.customer_id == customer_id:
                address.is_default = False

    async def delete(self, address: CustomerAddress) -> None:
        self.rows.remove(address)


class FakeTokens:
    """Emailed single-use tokens in a list; unique by hash."""

    def __init__(self) -> None:
        self.rows: list[CustomerToken] = []
        self._next_id = 1

    def check(self, extra: Sequence[CustomerToken] = ()) -> None:
        _check_unique([*self.rows, *extra], lambda t: t.token_hash, _violation("token_hash"))

    async def add(self, token: CustomerToken) -> None:
        self.check([token])
        token.token_id = self._next_id
        self._next_id += 1
        self.rows.append(token)

    async def find(self, purpose: str, token_hash: str) -> CustomerToken | None:
        return next(
            (t for t in self.rows if t.purpose == purpose and t.token_hash == token_hash), None
        )

    async def delete_for(self, customer_id: int, purpose: str) -> None:
        self.rows[:] = [
            t for t in self.rows if not (t.customer_id == customer_id and t.purpose == purpose)
        ]


class FakeOrders:
    """Order summaries in a list; unique per (store_id, order_id)."""

    def __init__(self) -> None:
        self.rows: list[CustomerOrder] = []
        self._next_id = 1

    def check(self, extra: Sequence[CustomerOrder] = ()) -> None:
        rows = [*self.rows, *extra]
        _check_unique(
            rows, lambda o: (o.store_id, o.order_id), _violation("uq_customer_order_store_id")
        )

    async def add(self, order: CustomerOrder) -> None:
        self.check([order])
        order.customer_order_id = self._next_id
        self._next_id += 1
        self.rows.append(order)

    async def get(self, store_id: int, order_id: int) -> CustomerOrder | None:
        return next(
            (o for o in self.rows if o.store_id == store_id and o.order_id == order_id), None
        )

    def _of(self, customer_id: int) -> list[CustomerOrder]:
        return sorted(
            (o for o in self.rows if o.customer_id == customer_id),
            key=lambda o: (-o.order_id, o.store_id),
        )

    async def list_for(
        self, customer_id: int, *, offset: int, limit: int
    ) -> Sequence[CustomerOrder]:
        return self._of(customer_id)[offset : offset + limit]

    async def count_for(self, customer_id: int) -> int:
        return len(self._of(customer_id))

    async def delete(self, order: CustomerOrder) -> None:
        self.rows.remove(order)


class FakeOrderQueries:
    """The order history read over ``FakeOrders``, as the SQL query computes it."""

    def __init__(self, orders: FakeOrders) -> None:
        self._orders = orders

    async def history(self, customer_id: int, *, limit: int) -> OrderHistory:
        shown = [o for o in self._orders._of(customer_id) if o.status_id > 0]
        rows = [
            OrderRow(
                order_id=o.order_id,
                name=o.name,
                status_name=o.status_name,
                date_added=o.date_added,
                line_count=o.line_count,
                total=o.total,
                currency_rate=o.currency_rate,
                symbol_left=o.symbol_left,
                symbol_right=o.symbol_right,
                decimal_place=o.decimal_place,
                decimal_point=o.decimal_point,
                thousand_point=o.thousand_point,
            )
            for o in shown[:limit]
        ]
        return OrderHistory(rows=rows, total=len(shown))


_R = TypeVar("_R", CustomerProperty, CustomerListItem)


class _FakeOwned(Generic[_R]):
    """Rows that belong to a customer, with an id column and one unique index."""

    id_column: str
    duplicate: str
    field: str

    def __init__(self) -> None:
        self.rows: list[_R] = []
        self._next_id = 1

    def key(self, item: _R) -> Hashable:
        raise NotImplementedError

    def check(self, extra: Sequence[_R] = ()) -> None:
        _check_unique(
            [*self.rows, *extra], self.key, lambda: InvalidInput.one(self.field, self.duplicate)
        )

    async def add(self, item: _R) -> None:
        self.check([item])
        setattr(item, self.id_column, self._next_id)
        self._next_id += 1
        self.rows.append(item)

    async def get(self, customer_id: int, item_id: int) -> _R | None:
        return next(
            (
                r
                for r in self.rows
                if r.customer_id == customer_id and getattr(r, self.id_column) == item_id
            ),
            None,
        )

    async def delete(self, item: _R) -> None:
        self.rows.remove(item)


class FakeProperties(_FakeOwned[CustomerProperty]):
    """Properties in a list; unique per (customer, type, language, value)."""

    id_column = "customer_property_id"
    duplicate = DUPLICATE_PROPERTY
    field = "property"

    def key(self, item: CustomerProperty) -> Hashable:
        return (item.customer_id, item.type, item.language, item.value)

    async def list_for(self, customer_id: int) -> Sequence[CustomerProperty]:
        return sorted(
            (r for r in self.rows if r.customer_id == customer_id),
            key=lambda r: r.customer_property_id,
        )


class FakeListItems(_FakeOwned[CustomerListItem]):
    """List items in a list; unique per (customer, domain, type, refid)."""

    id_column = "customer_list_id"
    duplicate = DUPLICATE_LIST_ITEM
    field = "list_item"

    def key(self, item: CustomerListItem) -> Hashable:
        return (item.customer_id, item.domain, item.type, item.refid)

    async def list_for(self, customer_id: int) -> Sequence[CustomerListItem]:
        return sorted(
            (r for r in self.rows if r.customer_id == customer_id),
            key=lambda r: (r.position, r.customer_list_id),
        )


class FakeAudit:
    """The audit log in a list."""

    def __init__(self) -> None:
        self.rows: list[AuditEntry] = []

    async def add(self, entry: AuditEntry) -> None:
        entry.audit_id = len(self.rows) + 1
        self.rows.append(entry)

    async def for_customer(self, customer_id: int) -> Sequence[AuditEntry]:
        return [e for e in self.rows if e.customer_id == customer_id]

    async def search(
        self,
        *,
        before_id: int | None,
        limit: int,
        action: str | None = None,
        actor: str | None = None,
        customer_id: int | None = None,
    ) -> Sequence[AuditEntry]:
        found = [
            e
            for e in reversed(self.rows)
            if (before_id is None or e.audit_id < before_id)
            and (not action or e.action == action)
            and (not actor or e.actor == actor)
            and (customer_id is None or e.customer_id == customer_id)
        ]
        return found[:limit]


class FakeAdmins:
    """Admin users in a list; unique by email_key."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.rows: list[AdminUser] = []
        self._next_id = 1

    def check(self, extra: Sequence[AdminUser] = ()) -> None:
        rows = [*self.rows, *extra]
        _check_unique(rows, lambda a: a.uuid, _violation("admin_user.uuid"))
        _check_unique(
            rows,
            lambda a: a.email_key,
            lambda: Conflict(
                "An admin user with this email already exists", code=ErrorCode.admin_email_taken
            ),
        )

    async def add(self, admin: AdminUser) -> None:
        self.check([admin])
        admin.admin_user_id = self._next_id
        self._next_id += 1
        self.rows.append(admin)

    async def get_by_id(self, admin_user_id: int) -> AdminUser | None:
        return next((a for a in self.rows if a.admin_user_id == admin_user_id), None)

    async def get_by_email_key(self, email_key: str) -> AdminUser | None:
        return next((a for a in self.rows if a.email_key == email_key), None)

    async def list_all(self) -> Sequence[AdminUser]:
        return sorted(self.rows, key=lambda a: a.admin_user_id)


_S = TypeVar("_S", CustomerSession, AdminSession)
_O = TypeVar("_O", Customer, AdminUser)
_E = TypeVar("_E", bound=Base)


def detached_copy(entity: _E) -> _E:
    """A new instance with the same column values, like a row read with a Core select."""
    columns = entity.__table__.columns
    return type(entity)(**{c.key: getattr(entity, c.key) for c in columns})


class _FakeSessions(Generic[_S, _O]):
    """Sessions of one kind in a list; unique by uuid and token hash."""

    owner: str

    def __init__(self, owners: Callable[[], Sequence[_O]]) -> None:
        self.rows: list[_S] = []
        self._owners: Callable[[], Sequence[_O]] = owners
        self._next_id = 1

    def check(self, extra: Sequence[_S] = ()) -> None:
        rows = [*self.rows, *extra]
        _check_unique(rows, lambda s: s.uuid, _violation("session.uuid"))
        _check_unique(rows, lambda s: s.token_hash, _violation("session.token_hash"))

    async def add(self, session: _S) -> None:
        self.check([session])
        session.session_id = self._next_id
        self._next_id += 1
        self.rows.append(session)

    async def find_by_hash(self, token_hash: str) -> _S | None:
        return next((s for s in self.rows if s.token_hash == token_hash), None)

    async def find_by_uuid(self, session_uuid: uuid.UUID) -> _S | None:
        return next((s for s in self.rows if s.uuid == session_uuid), None)

    async def find_with_owner(
        self, *, token_hash: str | None = None, session_uuid: uuid.UUID | None = None
    ) -> tuple[_S, _O] | None:
        """Detached copies, as the SQL one reads them: changing them changes nothing stored."""
        if token_hash:
            session = await self.find_by_hash(token_hash)
        else:
            session = await self.find_by_uuid(session_uuid)  # type: ignore[arg-type]
        if session is None:
            return None
        owner_id = getattr(session, self.owner)
        owner = next((o for o in self._owners() if getattr(o, self.owner) == owner_id), None)
        if owner is None:  # the inner join finds nothing
            return None
        return detached_copy(session), detached_copy(owner)

    async def revoke(self, session_ids: Sequence[int], at: datetime) -> None:
        for session in self.rows:
            if session.session_id in session_ids and session.revoked_at is None:
                session.revoked_at = at

    async def list_for(self, owner_id: int) -> Sequence[_S]:
        return [s for s in self.rows if getattr(s, self.owner) == owner_id]

    async def revoke_all(self, owner_id: int, at: datetime) -> None:
        for session in self.rows:
            if getattr(session, self.owner) == owner_id and session.revoked_at is None:
                session.revoked_at = at

    async def touch(self, session_id: int, at: datetime) -> None:
        for session in self.rows:
            if session.session_id == session_id:
                session.last_seen_at = at


class FakeCustomerSessions(_FakeSessions[CustomerSession, Customer]):
    """Customer sessions in memory."""

    owner = "customer_id"


class FakeAdminSessions(_FakeSessions[AdminSession, AdminUser]):
    """Admin sessions in memory."""

    owner = "admin_user_id"


class FakeUnitOfWork:
    """The ``UnitOfWork`` port over in-memory repositories; counts commits, never rolls back.

    Like the SQL one it is reusable but not re-entrant, and ``flush``/``commit`` work only
    inside ``async with``. The repositories stay readable outside, for assertions.
    """

    def __init__(self, *, groups: Iterable[int] = ()) -> None:
        self.customers = FakeCustomers(self)
        self.customers.groups.update(groups)
        self.addresses = FakeAddresses()
        self.orders = FakeOrders()
        self.properties = FakeProperties()
        self.list_items = FakeListItems()
        self.admins = FakeAdmins(self)
        self.customer_tokens = FakeTokens()
        self.audit = FakeAudit()
        self.customer_sessions = FakeCustomerSessions(lambda: self.customers.rows)
        self.admin_sessions = FakeAdminSessions(lambda: self.admins.rows)
        self.commits = 0
        self.entered = 0
        self._active = False

    async def __aenter__(self) -> Self:
        if self._active:
            raise RuntimeError("unit of work is already in use")
        self._active = True
        self.entered += 1
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._active = False

    def _require_active(self) -> None:
        if not self._active:
            raise RuntimeError("unit of work used outside 'async with'")

    def _check(self) -> None:
        self.customers.check()
        self.addresses.check()
        self.orders.check()
        self.properties.check()
        self.list_items.check()
        self.admins.check()
        self.customer_tokens.check()
        self.customer_sessions.check()
        self.admin_sessions.check()

    async def flush(self) -> None:
        self._require_active()
        self._check()

    async def commit(self) -> None:
        self._require_active()
        self._check()
        self.commits += 1


class SpyHasher(PasswordHasher):
    """The real hasher with cheap argon2id parameters, recording what it was asked to do."""

    def __init__(self, params: Argon2Parameters = CHEAP_ARGON2) -> None:
        super().__init__(params, threads=2)
        self.hashed: list[str] = []
        self.verified: list[str | None] = []

    async def hash(self, password: str) -> str:
        self.hashed.append(password)
        return await super().hash(password)

    async def verify(self, stored_hash: str | None, password: str) -> Verification:
        self.verified.append(stored_hash)
        return await super().verify(stored_hash, password)


def _conforms(uow: FakeUnitOfWork) -> UnitOfWork:
    """Type-checked only: mypy fails here if the fake drifts from the ``UnitOfWork`` port."""
    return uow


def _conforms_queries(queries: FakeOrderQueries) -> OrderQueries:
    """Type-checked only, like ``_conforms``."""
    return queries
