"""The unit of work: one database transaction over every repository.

Uniqueness is decided by unique indexes; a violation of a known index becomes the core's
``Conflict`` here, so two racing writes give one success and one clean conflict, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Generic, Self, TypeVar, overload

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from patron.core.errors import Conflict, ErrorCode, InvalidInput, PreconditionFailed
from patron.storage.reads import Reads
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

_R = TypeVar("_R")

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


class _Repository(Generic[_R]):
    """A repository of the unit, made on first use inside ``async with`` (the session too):
    a unit that only reads through ``Reads``, or finds nothing to do, opens no session."""

    def __init__(self, make: Callable[[SqlUnitOfWork], _R]) -> None:
        self._make = make
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, unit: None, owner: type) -> Self: ...
    @overload
    def __get__(self, unit: SqlUnitOfWork, owner: type) -> _R: ...
    def __get__(self, unit: SqlUnitOfWork | None, owner: type) -> _R | Self:
        if unit is None:
            return self
        repository = self._make(unit)
        unit.__dict__[self._name] = repository  # later reads skip this descriptor
        unit._made.append(self._name)
        return repository


def _plain(cls: Callable[[AsyncSession], _R]) -> Callable[[SqlUnitOfWork], _R]:
    return lambda unit: cls(unit._current())


def _sessions(
    cls: Callable[[Callable[[], AsyncSession], Reads], _R],
) -> Callable[[SqlUnitOfWork], _R]:
    return lambda unit: cls(unit._current, unit._reads)


class SqlUnitOfWork:
    """Opens a session on first use, rolls back on exit unless committed. Reusable, one at a
    time."""

    customers = _Repository(_plain(SqlCustomers))
    addresses = _Repository(_plain(SqlAddresses))
    orders = _Repository(_plain(SqlOrders))
    properties = _Repository(_plain(SqlProperties))
    list_items = _Repository(_plain(SqlListItems))
    admins = _Repository(_plain(SqlAdmins))
    customer_tokens = _Repository(_plain(SqlTokens))
    idempotency = _Repository(_plain(SqlIdempotency))
    audit = _Repository(_plain(SqlAudit))
    groups = _Repository(_plain(SqlGroups))
    customer_sessions = _Repository(_sessions(SqlCustomerSessions))
    admin_sessions = _Repository(_sessions(SqlAdminSessions))

    def __init__(self, sessions: async_sessionmaker[AsyncSession], reads: Reads) -> None:
        self._sessions = sessions
        self._reads = reads
        self._session: AsyncSession | None = None
        self._inside = False
        self._made: list[str] = []

    async def __aenter__(self) -> Self:
        self._inside = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._inside = False
        for name in self._made:
            del self.__dict__[name]
        self._made.clear()
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
        if not self._inside:
            raise RuntimeError("unit of work used outside 'async with'")
        if self._session is None:
            self._session = self._sessions()
        return self._session

    async def flush(self) -> None:
        await self._current().flush()

    async def commit(self) -> None:
        await self._current().commit()
