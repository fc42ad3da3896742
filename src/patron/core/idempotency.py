"""Idempotent creation: the same ``Idempotency-Key`` and body within 24 hours get the first answer.

Keys are scoped by caller and route. A key reused with another body is refused; a key whose
first request is still running gets a conflict; a first request that failed unexpectedly frees
its key so that the client can retry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from patron.core.entities import IdempotencyRecord
from patron.core.errors import Conflict, ErrorCode, IdempotencyKeyReused
from patron.core.ports import Clock, UnitOfWork

LIFETIME = timedelta(hours=24)
REUSED = "This Idempotency-Key was used with a different request"
RUNNING = "A request with this Idempotency-Key is still being processed"


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer, to send again."""

    status: int
    content_type: str
    body: str


@dataclass(frozen=True)
class Claim:
    """A key this request now holds; ``finish`` or ``release`` it."""

    record_id: int


def fingerprint(body: bytes) -> str:
    """What identifies "the same request" besides scope, route and key."""
    return hashlib.sha256(body).hexdigest()


async def claim(
    uow: UnitOfWork, clock: Clock, *, scope: str, route: str, key: str, body: bytes
) -> Claim | StoredAnswer:
    """Hold ``key`` for this request, or return the stored answer of its first use.

    Raises ``IdempotencyKeyReused`` when the key came with another body and ``Conflict`` while
    the first request with the key is still running.
    """
    now = clock.now()
    digest = fingerprint(body)
    async with uow:
        for _ in range(2):
            record = IdempotencyRecord(
                scope=scope,
                route=route,
                key=key,
                fingerprint=digest,
                created_at=now,
                expires_at=now + LIFETIME,
            )
            if await uow.idempotency.try_add(record):
                await uow.commit()
                return Claim(record.record_id)
            found = await uow.idempotency.get(scope, route, key)
            if found is None:
                continue  # released in between: try again
            if found.expires_at <= now:
                await uow.idempotency.remove(found.record_id)
                continue
            if found.fingerprint != digest:
                raise IdempotencyKeyReused(REUSED)
            if found.status is None or found.body is None:
                raise Conflict(RUNNING, code=ErrorCode.idempotency_in_progress)
            return StoredAnswer(found.status, found.content_type or "application/json", found.body)
    raise Conflict(RUNNING, code=ErrorCode.idempotency_in_progress)


async def finish(
    uow: UnitOfWork, claimed: Claim, answer: StoredAnswer, *, customer_id: int | None = None
) -> None:
    """Store the answer for replays; ``customer_id`` ties it to the customer it concerns."""
    async with uow:
        await uow.idempotency.complete(
            claimed.record_id,
            status=answer.status,
            content_type=answer.content_type,
            body=answer.body,
            customer_id=customer_id,
        )
        await uow.commit()


async def release(uow: UnitOfWork, claimed: Claim) -> None:
    """Give the key back after an unexpected failure, so that a retry runs again."""
    async with uow:
        await uow.idempotency.remove(claimed.record_id)
        await uow.commit()
