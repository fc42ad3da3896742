"""Password reset and email verification by single-use emailed tokens.

Requests answer the same whether or not the account exists; the message is sent in the
background by the mailer, so response times do not reveal it either. Tokens are 32 random bytes,
stored as SHA-256, single-use, and a newer token or any password change voids the older ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from patron.core import audit, normalise
from patron.core.audit import Actor
from patron.core.auth import hash_token, new_token
from patron.core.customers import next_updated_at
from patron.core.entities import Customer, CustomerToken
from patron.core.errors import InvalidInput
from patron.core.passwords import PasswordHasher, PasswordPolicy, check_password
from patron.core.ports import Clock, Mailer, UnitOfWork
from patron.core.throttle import Throttle

RESET = "password_reset"
VERIFY = "email_verification"
INVALID_TOKEN = "Token is invalid or expired"


@dataclass(frozen=True)
class RecoveryPolicy:
    """Lifetimes of emailed tokens."""

    reset_ttl: timedelta = timedelta(hours=1)
    verify_ttl: timedelta = timedelta(hours=24)


async def _issue(
    uow: UnitOfWork, clock: Clock, customer: Customer, purpose: str, ttl: timedelta
) -> str:
    """Replace the customer's tokens for ``purpose`` by a new one; returns the raw token."""
    token = new_token()
    now = clock.now()
    await uow.customer_tokens.delete_for(customer.customer_id, purpose)
    await uow.customer_tokens.add(
        CustomerToken(
            customer_id=customer.customer_id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return token


async def request_password_reset(
    uow: UnitOfWork,
    clock: Clock,
    mailer: Mailer,
    *,
    store_id: int,
    email: str,
    policy: RecoveryPolicy,
    throttle: Throttle | None = None,
    ip: str | None = None,
) -> None:
    """Email a reset link when an enabled account has ``email``; otherwise do nothing, silently.

    With a ``throttle`` every request counts, per account and per address, known or not.
    """
    key = normalise.email_key(email)
    if throttle is not None:
        await throttle.check(RESET, account=f"{store_id}:{key}", ip=ip)
        await throttle.failed(RESET, account=f"{store_id}:{key}", ip=ip)
    async with uow:
        customer = await uow.customers.get_by_email_key(store_id, key)
    if customer is None or customer.status != 1:
        return
    await _mail_token(uow, clock, mailer, customer, purpose=RESET, ttl=policy.reset_ttl)


async def _mail_token(
    uow: UnitOfWork,
    clock: Clock,
    mailer: Mailer,
    customer: Customer,
    *,
    purpose: str,
    ttl: timedelta,
) -> None:
    async with uow:
        token = await _issue(uow, clock, customer, purpose, ttl)
        await uow.commit()
    await mailer.send(purpose, customer.email, {"token": token, "name": customer.full_name or ""})


async def _redeem(uow: UnitOfWork, purpose: str, token: str, now: datetime) -> Customer:
    """The enabled customer a live token of ``purpose`` belongs to; its tokens are spent."""
    found = await uow.customer_tokens.find(purpose, hash_token(token))
    if found is None or found.expires_at <= now:
        raise InvalidInput.one("token", INVALID_TOKEN)
    customer = await uow.customers.get_by_id(found.customer_id)
    if customer is None or customer.status != 1:
        raise InvalidInput.one("token", INVALID_TOKEN)
    customer.updated_at = next_updated_at(customer.updated_at, now)
    await uow.customer_tokens.delete_for(customer.customer_id, purpose)
    return customer


async def reset_password(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    token: str,
    password: str,
    policy: PasswordPolicy,
) -> Customer:
    """Set a new password with a reset token; ends every session and voids other reset tokens.

    Raises ``InvalidInput`` (field ``token``) for an unknown, used or expired token, and for a
    password the policy refuses (field ``password``).
    """
    check_password(password, policy)
    new_hash = await hasher.hash(password)
    async with uow:
        now = clock.now()
        customer = await _redeem(uow, RESET, token, now)
        customer.password_hash = new_hash
        await uow.customer_sessions.revoke_all(customer.customer_id, now)
        await audit.record(
            uow,
            clock,
            actor=Actor(f"customer:{customer.customer_id}"),
            action="password_reset",
            customer_id=customer.customer_id,
            store_id=customer.store_id,
            changes={"password": ["[secret]", "[secret]"]},
        )
        await uow.commit()
    return customer


async def send_verification(
    uow: UnitOfWork, clock: Clock, mailer: Mailer, *, customer: Customer, policy: RecoveryPolicy
) -> None:
    """Email a verification link to ``customer`` (after registration or on request)."""
    await _mail_token(uow, clock, mailer, customer, purpose=VERIFY, ttl=policy.verify_ttl)


async def request_verification(
    uow: UnitOfWork,
    clock: Clock,
    mailer: Mailer,
    *,
    store_id: int,
    email: str,
    policy: RecoveryPolicy,
) -> None:
    """Send a new verification link to an unverified account; silent for anything else."""
    async with uow:
        customer = await uow.customers.get_by_email_key(store_id, normalise.email_key(email))
    if customer is None or customer.status != 1 or customer.date_verified is not None:
        return
    await send_verification(uow, clock, mailer, customer=customer, policy=policy)


async def verify_email(uow: UnitOfWork, clock: Clock, *, token: str) -> Customer:
    """Mark the email of the token's customer verified; raises ``InvalidInput`` for a bad token."""
    async with uow:
        now = clock.now()
        customer = await _redeem(uow, VERIFY, token, now)
        customer.date_verified = now.date()
        await audit.record(
            uow,
            clock,
            actor=Actor(f"customer:{customer.customer_id}"),
            action="email_verified",
            customer_id=customer.customer_id,
            store_id=customer.store_id,
        )
        await uow.commit()
    return customer
