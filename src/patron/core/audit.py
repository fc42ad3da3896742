"""The audit log: who did what to which customer, when, from where. Append-only.

Services call ``record`` inside their own unit of work, so an entry is written exactly when the
change it describes is. Secrets never enter it: ``redact`` drops them from change sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from patron.core.entities import AuditEntry
from patron.core.ports import Clock, UnitOfWork

SECRET_FIELDS = frozenset({"password", "password_hash", "token", "current_password"})


@dataclass(frozen=True)
class Actor:
    """Who acts, and through which face and address."""

    name: str  # "admin:<id>", "customer:<id>" or "system"
    ip: str | None = None
    face: str | None = None


def redact(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The change set without secret values (a changed password shows as changed, not as text)."""
    return {
        key: ["[secret]", "[secret]"] if key in SECRET_FIELDS else value
        for key, value in changes.items()
    }


async def record(
    uow: UnitOfWork,
    clock: Clock,
    *,
    actor: Actor,
    action: str,
    customer_id: int | None,
    store_id: int = 1,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Add one entry to the open unit of work (the caller commits)."""
    await uow.audit.add(
        AuditEntry(
            at=clock.now(),
            actor=actor.name,
            action=action,
            customer_id=customer_id,
            store_id=store_id,
            changes=redact(changes or {}),
            ip=actor.ip,
            face=actor.face,
        )
    )


async def customer_timeline(uow: UnitOfWork, *, customer_id: int) -> list[AuditEntry]:
    """Every entry about one customer, oldest first."""
    async with uow:
        return list(await uow.audit.for_customer(customer_id))


async def search(
    uow: UnitOfWork,
    *,
    before_id: int | None = None,
    limit: int = 50,
    action: str | None = None,
    actor: str | None = None,
    customer_id: int | None = None,
) -> list[AuditEntry]:
    """One page of the audit log, newest first; pass the last id seen as ``before_id``."""
    async with uow:
        return list(
            await uow.audit.search(
                before_id=before_id,
                limit=limit,
                action=action,
                actor=actor,
                customer_id=customer_id,
            )
        )
