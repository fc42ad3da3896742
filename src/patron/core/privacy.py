"""Privacy requests: export everything stored about a customer, and erase it.

Erasure deletes the account with everything that hangs off it (addresses, sessions with their
addresses and user agents, tokens, properties, list items, idempotency records), keeps the
shop's order summaries without the customer (name captured on the order replaced), and
replaces the customer's values inside audit entries by ``[erased]`` while keeping who did what
and when.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from patron.core import audit
from patron.core.audit import Actor
from patron.core.errors import ErrorCode, NotFound
from patron.core.ports import Clock, UnitOfWork

ERASED = "[erased]"
_NEVER_EXPORTED = frozenset({"password_hash", "token_hash", "email_key", "login_key", "name_key"})


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(entity: Any) -> dict[str, Any]:
    columns = entity.__table__.columns.keys()
    return {c: _plain(getattr(entity, c)) for c in columns if c not in _NEVER_EXPORTED}


async def export_customer(
    uow: UnitOfWork, clock: Clock, *, store_id: int, customer_uuid: uuid.UUID, actor: Actor
) -> dict[str, Any]:
    """Everything stored about the customer (never hashes or tokens); the export is audited.

    Raises ``NotFound`` for an unknown customer.
    """
    async with uow:
        customer = await uow.customers.get(store_id, customer_uuid)
        if customer is None:
            raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
        cid = customer.customer_id
        document = {
            "customer": _row(customer),
            "addresses": [_row(a) for a in await uow.addresses.list_for(cid)],
            "properties": [_row(p) for p in await uow.properties.list_for(cid)],
            "list_items": [_row(i) for i in await uow.list_items.list_for(cid)],
            "orders": [_row(o) for o in await uow.orders.list_for(cid, offset=0, limit=100_000)],
            "sessions": [_row(s) for s in await uow.customer_sessions.list_for(cid)],
            "audit": [_row(e) for e in await uow.audit.for_customer(cid)],
        }
        await audit.record(
            uow,
            clock,
            actor=actor,
            action="customer_exported",
            customer_id=cid,
            store_id=store_id,
        )
        await uow.commit()
    return document


async def erase_customer(
    uow: UnitOfWork, clock: Clock, *, store_id: int, customer_uuid: uuid.UUID, actor: Actor
) -> None:
    """Erase the customer's personal data (see the module text). Raises ``NotFound``."""
    async with uow:
        customer = await uow.customers.get(store_id, customer_uuid, lock=True)
        if customer is None:
            raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
        cid = customer.customer_id
        for order in await uow.orders.list_for(cid, offset=0, limit=1_000_000):
            order.customer_id = None
            order.name = ERASED
        for entry in await uow.audit.for_customer(cid):
            entry.changes = {key: [ERASED, ERASED] for key in entry.changes}
        await uow.idempotency.forget(cid, [customer.email, str(customer.uuid)])
        await uow.customers.delete(customer)
        await audit.record(
            uow, clock, actor=actor, action="customer_erased", customer_id=cid, store_id=store_id
        )
        await uow.commit()
