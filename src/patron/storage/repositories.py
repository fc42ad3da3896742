"""SQLAlchemy implementations of the core's repositories."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, Table, bindparam, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.attributes import manager_of_class

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
from patron.storage.reads import Reads


class SqlCustomers:
    """Customers in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, customer: Customer) -> None:
        self._s.add(customer)
        await self._s.flush()

    async def get(
        self, store_id: int, customer_uuid: uuid.UUID, *, lock: bool = False
    ) -> Customer | None:
        stmt = select(Customer).where(Customer.uuid == customer_uuid, Customer.store_id == store_id)
        # FOR UPDATE on PostgreSQL; SQLite has one writer at a time anyway.
        return await self._s.scalar(stmt.with_for_update() if lock else stmt)

    async def get_by_id(self, customer_id: int) -> Customer | None:
        return await self._s.get(Customer, customer_id)

    async def replace_hash(self, customer_id: int, old: str, new: str) -> None:
        # On the table, not the entity: no version check or bump, so concurrent sign-ins that
        # all found the old hash cannot fail each other; the first one replaces it.
        table: Table = Customer.__table__  # type: ignore[assignment]
        await self._s.execute(
            update(table)
            .where(table.c.customer_id == customer_id, table.c.password_hash == old)
            .values(password_hash=new)
        )

    async def get_by_email_key(self, store_id: int, email_key: str) -> Customer | None:
        if "\x00" in email_key:  # never stored (refused on write); PostgreSQL would raise
            return None
        return await self._s.scalar(
            select(Customer).where(Customer.store_id == store_id, Customer.email_key == email_key)
        )

    async def get_by_login_key(self, store_id: int, login_key: str) -> Customer | None:
        if "\x00" in login_key:  # never stored (refused on write); PostgreSQL would raise
            return None
        return await self._s.scalar(
            select(Customer).where(Customer.store_id == store_id, Customer.login_key == login_key)
        )

    async def delete(self, customer: Customer) -> None:
        await self._s.delete(customer)
        await self._s.flush()

    async def count_created_from(self, store_id: int, ip: str, *, since: datetime) -> int:
        count = await self._s.scalar(
            select(func.count()).where(
                Customer.created_ip == ip,
                Customer.created_at >= since,
                Customer.store_id == store_id,
            )
        )
        return int(count or 0)

    async def group_exists(self, store_id: int, group_id: int) -> bool:
        found = await self._s.scalar(
            select(CustomerGroup.customer_group_id).where(
                CustomerGroup.customer_group_id == group_id, CustomerGroup.store_id == store_id
            )
        )
        return found is not None


class SqlAddresses:
    """Customer addresses in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, address: CustomerAddress) -> None:
        self._s.add(address)
        await self._s.flush()

    async def get(self, customer_id: int, address_uuid: uuid.UUID) -> CustomerAddress | None:
        return await self._s.scalar(
            select(CustomerAddress).where(
                CustomerAddress.uuid == address_uuid, CustomerAddress.customer_id == customer_id
            )
        )

    async def get_by_id(self, customer_id: int, address_id: int) -> CustomerAddress | None:
        return await self._s.scalar(
            select(CustomerAddress).where(
                CustomerAddress.customer_address_id == address_id,
                CustomerAddress.customer_id == customer_id,
            )
        )

    async def list_for(self, customer_id: int) -> Sequence[CustomerAddress]:
        rows = await self._s.scalars(
            select(CustomerAddress)
            .where(CustomerAddress.customer_id == customer_id)
            .order_by(CustomerAddress.customer_address_id)
        )
        return rows.all()

    async def clear_default(self, customer_id: int) -> None:
        await self._s.execute(
            update(CustomerAddress)
            .where(CustomerAddress.customer_id == customer_id, CustomerAddress.is_default.is_(True))
            .values(is_default=False)
            .execution_options(synchronize_session="fetch")
        )

    async def delete(self, address: CustomerAddress) -> None:
        await self._s.delete(address)
        await self._s.flush()


class SqlProperties:
    """Customer properties in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, item: CustomerProperty) -> None:
        self._s.add(item)
        await self._s.flush()

    async def get(self, customer_id: int, property_id: int) -> CustomerProperty | None:
        return await self._s.scalar(
            select(CustomerProperty).where(
                CustomerProperty.customer_property_id == property_id,
                CustomerProperty.customer_id == customer_id,
            )
        )

    async def list_for(self, customer_id: int) -> Sequence[CustomerProperty]:
        rows = await self._s.scalars(
            select(CustomerProperty)
            .where(CustomerProperty.customer_id == customer_id)
            .order_by(CustomerProperty.customer_property_id)
        )
        return rows.all()

    async def delete(self, item: CustomerProperty) -> None:
        await self._s.delete(item)
        await self._s.flush()


class SqlListItems:
    """Customer list items in the database, in list order (position, then age)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, item: CustomerListItem) -> None:
        self._s.add(item)
        await self._s.flush()

    async def get(self, customer_id: int, list_id: int) -> CustomerListItem | None:
        return await self._s.scalar(
            select(CustomerListItem).where(
                CustomerListItem.customer_list_id == list_id,
                CustomerListItem.customer_id == customer_id,
            )
        )

    async def list_for(self, customer_id: int) -> Sequence[CustomerListItem]:
        rows = await self._s.scalars(
            select(CustomerListItem)
            .where(CustomerListItem.customer_id == customer_id)
            .order_by(CustomerListItem.position, CustomerListItem.customer_list_id)
        )
        return rows.all()

    async def delete(self, item: CustomerListItem) -> None:
        await self._s.delete(item)
        await self._s.flush()


class SqlTokens:
    """Emailed single-use tokens in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, token: CustomerToken) -> None:
        self._s.add(token)
        await self._s.flush()

    async def find(self, purpose: str, token_hash: str) -> CustomerToken | None:
        return await self._s.scalar(
            select(CustomerToken).where(
                CustomerToken.token_hash == token_hash, CustomerToken.purpose == purpose
            )
        )

    async def delete_for(self, customer_id: int, purpose: str) -> None:
        await self._s.execute(
            delete(CustomerToken)
            .where(CustomerToken.customer_id == customer_id, CustomerToken.purpose == purpose)
            .execution_options(synchronize_session="fetch")
        )


class SqlIdempotency:
    """Stored first answers of creating requests."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def try_add(self, record: IdempotencyRecord) -> bool:
        try:
            async with self._s.begin_nested():
                self._s.add(record)
        except IntegrityError:
            return False
        return True

    async def get(self, scope: str, route: str, key: str) -> IdempotencyRecord | None:
        return await self._s.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope,
                IdempotencyRecord.route == route,
                IdempotencyRecord.key == key,
            )
        )

    async def remove(self, record_id: int) -> None:
        await self._s.execute(
            delete(IdempotencyRecord)
            .where(IdempotencyRecord.record_id == record_id)
            .execution_options(synchronize_session="fetch")
        )

    async def forget(self, customer_id: int, values: Sequence[str]) -> None:
        named = [IdempotencyRecord.body.contains(v, autoescape=True) for v in values if v]
        await self._s.execute(
            delete(IdempotencyRecord)
            .where(or_(IdempotencyRecord.customer_id == customer_id, *named))
            .execution_options(synchronize_session="fetch")
        )

    async def complete(
        self, record_id: int, *, status: int, content_type: str, body: str, customer_id: int | None
    ) -> None:
        await self._s.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.record_id == record_id)
            .values(status=status, content_type=content_type, body=body, customer_id=customer_id)
            .execution_options(synchronize_session="fetch")
        )


class SqlOrders:
    """Order summaries in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, order: CustomerOrder) -> None:
        self._s.add(order)
        await self._s.flush()

    async def get(self, store_id: int, order_id: int) -> CustomerOrder | None:
        return await self._s.scalar(
            select(CustomerOrder).where(
                CustomerOrder.store_id == store_id, CustomerOrder.order_id == order_id
            )
        )

    async def list_for(
        self, customer_id: int, *, offset: int, limit: int
    ) -> Sequence[CustomerOrder]:
        rows = await self._s.scalars(
            select(CustomerOrder)
            .where(CustomerOrder.customer_id == customer_id)
            .order_by(CustomerOrder.order_id.desc(), CustomerOrder.store_id)
            .offset(offset)
            .limit(limit)
        )
        return rows.all()

    async def count_for(self, customer_id: int) -> int:
        total = await self._s.scalar(
            select(func.count()).where(CustomerOrder.customer_id == customer_id)
        )
        return int(total or 0)

    async def delete(self, order: CustomerOrder) -> None:
        await self._s.delete(order)
        await self._s.flush()


class SqlGroups:
    """Customer groups in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, group: CustomerGroup) -> None:
        self._s.add(group)
        await self._s.flush()

    async def get(self, store_id: int, group_id: int) -> CustomerGroup | None:
        return await self._s.scalar(
            select(CustomerGroup).where(
                CustomerGroup.customer_group_id == group_id, CustomerGroup.store_id == store_id
            )
        )

    async def list_with_counts(self, store_id: int) -> Sequence[tuple[CustomerGroup, int]]:
        members = (
            select(func.count())
            .where(Customer.group_id == CustomerGroup.customer_group_id)
            .scalar_subquery()
        )
        rows = await self._s.execute(
            select(CustomerGroup, members)
            .where(CustomerGroup.store_id == store_id)
            .order_by(CustomerGroup.customer_group_id)
        )
        return [(group, int(count)) for group, count in rows.all()]

    async def members(self, group_id: int) -> int:
        count = await self._s.scalar(select(func.count()).where(Customer.group_id == group_id))
        return int(count or 0)

    async def delete(self, group: CustomerGroup) -> None:
        await self._s.delete(group)
        await self._s.flush()


class SqlAudit:
    """The audit log in the database (rows are only ever added)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, entry: AuditEntry) -> None:
        self._s.add(entry)
        await self._s.flush()

    async def for_customer(self, customer_id: int) -> Sequence[AuditEntry]:
        rows = await self._s.scalars(
            select(AuditEntry)
            .where(AuditEntry.customer_id == customer_id)
            .order_by(AuditEntry.at, AuditEntry.audit_id)
        )
        return rows.all()

    async def search(
        self,
        *,
        before_id: int | None,
        limit: int,
        action: str | None = None,
        actor: str | None = None,
        customer_id: int | None = None,
    ) -> Sequence[AuditEntry]:
        stmt = select(AuditEntry).order_by(AuditEntry.audit_id.desc()).limit(limit)
        if before_id is not None:
            stmt = stmt.where(AuditEntry.audit_id < before_id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        if actor:
            stmt = stmt.where(AuditEntry.actor == actor)
        if customer_id is not None:
            stmt = stmt.where(AuditEntry.customer_id == customer_id)
        return (await self._s.scalars(stmt)).all()


class SqlAdmins:
    """Admin users in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, admin: AdminUser) -> None:
        self._s.add(admin)
        await self._s.flush()

    async def get_by_id(self, admin_user_id: int) -> AdminUser | None:
        return await self._s.get(AdminUser, admin_user_id)

    async def get_by_email_key(self, email_key: str) -> AdminUser | None:
        if "\x00" in email_key:  # never stored (refused on write); PostgreSQL would raise
            return None
        return await self._s.scalar(select(AdminUser).where(AdminUser.email_key == email_key))

    async def list_all(self) -> Sequence[AdminUser]:
        rows = await self._s.scalars(select(AdminUser).order_by(AdminUser.admin_user_id))
        return rows.all()


_S = TypeVar("_S", CustomerSession, AdminSession)
_T = TypeVar("_T")
_O = TypeVar("_O", Customer, AdminUser)


def _transient(model: type[_T], keys: Sequence[str], values: Sequence[Any]) -> _T:
    """An unattached entity holding ``values``, built the way the ORM builds loaded rows
    (no constructor, no attribute events): a quarter of the cost of ``model(**values)``."""
    manager = manager_of_class(model)
    if not manager.mapper.configured:
        configure_mappers()  # a constructor or a query would do it; new_instance() does not
    entity: _T = manager.new_instance()
    entity.__dict__.update(zip(keys, values, strict=True))
    return entity


class _SqlSessions(Generic[_S, _O]):
    """Sessions of one kind; ``owner`` is the column naming whose session it is."""

    model: type[_S]
    owner_model: type[_O]
    owner: ClassVar[str]
    _by_hash: ClassVar[Select[Any]]
    _by_uuid: ClassVar[Select[Any]]
    _session_keys: ClassVar[tuple[str, ...]]
    _owner_keys: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls) -> None:
        # Build the session-and-owner reads once per kind; only the key changes per request.
        super().__init_subclass__()
        table, owner_table = cls.model.__table__, cls.owner_model.__table__
        joined = select(*table.columns, *owner_table.columns).select_from(
            table.join(owner_table, table.c[cls.owner] == owner_table.c[cls.owner])
        )
        cls._by_hash = joined.where(table.c.token_hash == bindparam("key"))
        cls._by_uuid = joined.where(table.c.uuid == bindparam("key"))
        cls._session_keys = tuple(table.columns.keys())
        cls._owner_keys = tuple(owner_table.columns.keys())

    def __init__(self, session: Callable[[], AsyncSession], reads: Reads) -> None:
        self._session = session
        self._reads = reads

    @property
    def _s(self) -> AsyncSession:
        # Opened on first use: finding a session is a plain read (``Reads``), and most
        # requests do nothing else here.
        return self._session()

    async def add(self, item: _S) -> None:
        self._s.add(item)
        await self._s.flush()

    async def find_by_hash(self, token_hash: str) -> _S | None:
        return await self._s.scalar(select(self.model).where(self.model.token_hash == token_hash))

    async def find_by_uuid(self, session_uuid: uuid.UUID) -> _S | None:
        return await self._s.scalar(select(self.model).where(self.model.uuid == session_uuid))

    async def find_with_owner(
        self, *, token_hash: str | None = None, session_uuid: uuid.UUID | None = None
    ) -> tuple[_S, _O] | None:
        # One read for both rows, outside the unit's transaction: the hot path of every
        # authenticated request.
        if token_hash is not None:
            row = await self._reads.first(self._by_hash, {"key": token_hash})
        else:
            row = await self._reads.first(self._by_uuid, {"key": session_uuid})
        if row is None:
            return None
        values = tuple(row)
        split = len(self._session_keys)
        session = _transient(self.model, self._session_keys, values[:split])
        owner = _transient(self.owner_model, self._owner_keys, values[split:])
        return session, owner

    async def revoke(self, session_ids: Sequence[int], at: datetime) -> None:
        await self._s.execute(
            update(self.model)
            .where(self.model.session_id.in_(session_ids), self.model.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session="fetch")
        )

    async def revoke_all(self, owner_id: int, at: datetime) -> None:
        await self._s.execute(
            update(self.model)
            .where(self.model.__table__.c[self.owner] == owner_id, self.model.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session="fetch")
        )

    async def list_for(self, owner_id: int) -> Sequence[_S]:
        rows = await self._s.scalars(
            select(self.model)
            .where(self.model.__table__.c[self.owner] == owner_id)
            .order_by(self.model.session_id)
        )
        return rows.all()

    async def touch(self, session_id: int, at: datetime) -> None:
        # All the requests of a busy session find it due for a touch at the same moment: the
        # first takes the row, the others skip it (SKIP LOCKED, PostgreSQL) instead of
        # queueing behind its commit. SQLite has one writer at a time anyway.
        table: Table = self.model.__table__  # type: ignore[assignment]
        free = (
            select(table.c.session_id)
            .where(table.c.session_id == session_id)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        await self._s.execute(
            update(table)
            .where(table.c.session_id == free, table.c.last_seen_at < at)
            .values(last_seen_at=at)
        )


class SqlCustomerSessions(_SqlSessions[CustomerSession, Customer]):
    """Customer sessions in the database."""

    model = CustomerSession
    owner_model = Customer
    owner = "customer_id"


class SqlAdminSessions(_SqlSessions[AdminSession, AdminUser]):
    """Admin sessions in the database."""

    model = AdminSession
    owner_model = AdminUser
    owner = "admin_user_id"
