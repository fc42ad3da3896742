"""The unit of work: one database transaction over every repository.

Uniqueness is decided by unique indexes; a violation of a known index becomes the core's
``Conflict`` here, so two racing writes give one success and one clean conflict, never a 500.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from patron.core.errors import Conflict, ErrorCode, InvalidInput, PreconditionFailed
from patron.storage.repositories import (
    SqlAddresses,
    SqlAdmins,
    SqlAdminSessions,
    SqlAudit,
    SqlCustomers,
    SqlCustomerSessions,
    SqlGroups,
    SqlIdempotency,
    SqlListItems,
    SqlOrders,
    SqlProperties,
    SqlTokens,
)

STALE = "The customer was changed by another request; read it again"
DUPLICATE_PROPERTY = "The customer already has this property"
DUPLICATE_LIST_ITEM = "The customer already has this item in that list"

_CONFLICTS: tuple[tuple[str, ErrorCode, str], ...] = (
    ("email_key", ErrorCode.email_already_registered, "Email is already used"),
    ("login_key", ErrorCode.email_already_registered, "Email is already used"),
    ("admin_user", ErrorCode.admin_email_taken, "An admin user with this email already exists"),
)


def translate_integrity_error(exc: IntegrityError) -> Exception:
    """Map a known unique or foreign-key violation to a domain error; others pass through."""
    text = str(exc.orig)
    # Checked first: these tables' names contain "customer_", and a foreign-key failure on them
    # must not read as a duplicate, hence the "unique" test.
    if "unique" in text.lower() and "customer_property" in text:
        return InvalidInput.one("property", DUPLICATE_PROPERTY)
    if "unique" in text.lower() and "customer_list" in text:
        return InvalidInput.one("list_item", DUPLICATE_LIST_ITEM)
    if "admin_user" in text and ("email" in text):
        return Conflict(_CONFLICTS[2][2], code=_CONFLICTS[2][1])
    for marker, code, message in _CONFLICTS[:2]:
        if marker in text:
            return Conflict(message, code=code, field="email")
    if "group" in text or "FOREIGN KEY" in text:
        return InvalidInput.one("group_id", "Customer group does not exist")
    return exc


class SqlUnitOfWork:
    """Opens a session on enter, rolls back on exit unless committed. Reusable, one at a time."""

    customers: SqlCustomers
    addresses: SqlAddresses
    orders: SqlOrders
    properties: SqlProperties
    list_items: SqlListItems
    admins: SqlAdmins
    customer_tokens: SqlTokens
    idempotency: SqlIdempotency
    audit: SqlAudit
    groups: SqlGroups
    customer_sessions: SqlCustomerSessions
    admin_sessions: SqlAdminSessions

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        session = self._sessions()
        self._session = session
        self.customers = SqlCustomers(session)
        self.addresses = SqlAddresses(session)
        self.orders = SqlOrders(session)
        self.properties = SqlProperties(session)
        self.list_items = SqlListItems(session)
        self.admins = SqlAdmins(session)
        self.customer_tokens = SqlTokens(session)
        self.idempotency = SqlIdempotency(session)
        self.audit = SqlAudit(session)
        self.groups = SqlGroups(session)
        self.customer_sessions = SqlCustomerSessions(session)
        self.admin_sessions = SqlAdminSessions(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        # close() rolls back whatever was not committed and detaches the loaded objects
        # without expiring them, so callers can read what the service returns.
        await session.close()
        if isinstance(exc, StaleDataError):
            # Another transaction changed the row between our read and our write.
            raise PreconditionFailed(STALE) from None
        if isinstance(exc, IntegrityError):
            translated = translate_integrity_error(exc)
            if translated is not exc:
                raise translated from None

    def _current(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def flush(self) -> None:
        await self._current().flush()

    async def commit(self) -> None:
        await self._current().commit()
