"""Signing in and out: password checks, sessions and the tokens that name them.

A session token is 32 random bytes shown once as 64 hex characters; only its SHA-256 is
stored. Every face resolves its credentials to the same sessions through this module.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from patron.core import audit, normalise
from patron.core.audit import Actor
from patron.core.entities import (
    DEFAULT_STORE_ID,
    AdminSession,
    AdminUser,
    Customer,
    CustomerSession,
)
from patron.core.errors import AuthenticationFailed, ErrorCode, NotFound
from patron.core.passwords import PasswordHasher
from patron.core.ports import Clock, SessionRepository, UnitOfWork
from patron.core.throttle import Throttle

INVALID_CREDENTIALS = "Invalid email or password"
LOGIN = "login"
ADMIN_LOGIN = "admin-login"
_S = TypeVar("_S", CustomerSession, AdminSession)
_O = TypeVar("_O", Customer, AdminUser)


@dataclass(frozen=True)
class SessionPolicy:
    """How long sessions live: idle and absolute limits, and how often last-seen is written."""

    idle: timedelta = timedelta(hours=24)
    absolute: timedelta = timedelta(days=30)
    touch_every: timedelta = timedelta(minutes=1)


@dataclass(frozen=True)
class ClientInfo:
    """Where a sign-in came from, kept on the session for the owner to review."""

    face: str
    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class CustomerLogin:
    """A new customer session: the raw token is shown to the client once and never stored."""

    token: str
    session: CustomerSession
    customer: Customer


@dataclass(frozen=True)
class AdminLogin:
    """A new admin session: the raw token is shown to the client once and never stored."""

    token: str
    session: AdminSession
    admin: AdminUser


def new_token() -> str:
    """A fresh session token from the operating system's CSPRNG."""
    return secrets.token_hex(32)


def hash_token(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _fail() -> AuthenticationFailed:
    return AuthenticationFailed(INVALID_CREDENTIALS, code=ErrorCode.invalid_credentials)


async def _find_customer(
    uow: UnitOfWork, store_id: int, email: str | None, login_name: str | None
) -> Customer | None:
    if login_name is not None:
        return await uow.customers.get_by_login_key(store_id, normalise.login_key(login_name, ""))
    if email is None:
        raise TypeError("login_customer needs an email or a login name")
    return await uow.customers.get_by_email_key(store_id, normalise.email_key(email))


async def login_customer(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    store_id: int,
    email: str | None = None,
    login_name: str | None = None,
    password: str,
    client: ClientInfo,
    policy: SessionPolicy,
    throttle: Throttle | None = None,
) -> CustomerLogin:
    """Check the password and open a new session (never reusing one the client sent).

    The account is found by ``email``, or by ``login_name`` when that is given (a customer
    without one logs in with the email as login name). Unknown account, wrong password and a
    disabled account all raise the same ``AuthenticationFailed`` after the same work: a dummy
    hash is verified when no account matches. With a ``throttle``, raises ``TooManyAttempts``
    while the identifier or the address must wait.
    """
    identifier = (
        normalise.login_key(login_name, "")
        if login_name is not None
        else normalise.email_key(email or "")
    )
    account = f"{store_id}:{identifier}"
    if throttle is not None:
        await throttle.check(LOGIN, account=account, ip=client.ip)
    async with uow:
        found = await _find_customer(uow, store_id, email, login_name)
    # Hash outside any transaction: no connection is held while the hashing threads are busy.
    result = await hasher.verify(found.password_hash if found else None, password)
    if found is None or not result.ok:
        raise await _failed(throttle, LOGIN, account, client)
    async with uow:
        customer = await uow.customers.get_by_id(found.customer_id)
        if customer is None or customer.status != 1:
            raise await _failed(throttle, LOGIN, account, client)
        if result.new_hash is not None and found.password_hash:
            await uow.customers.replace_hash(
                customer.customer_id, found.password_hash, result.new_hash
            )
        token, session = _new_customer_session(customer, client, clock.now(), policy)
        await uow.customer_sessions.add(session)
        await uow.commit()
    if throttle is not None:
        await throttle.succeeded(LOGIN, account=account)
    return CustomerLogin(token=token, session=session, customer=customer)


async def _failed(
    throttle: Throttle | None, action: str, account: str, client: ClientInfo
) -> AuthenticationFailed:
    """Count a failed sign-in, then give the one error every failure gets."""
    if throttle is not None:
        await throttle.failed(action, account=account, ip=client.ip)
    return _fail()


def _session_fields(client: ClientInfo, now: datetime, policy: SessionPolicy) -> dict[str, Any]:
    """The columns every new session starts with (customer or admin)."""
    return {
        "uuid": uuid.uuid4(),
        "face": client.face,
        "ip": client.ip,
        "user_agent": (client.user_agent or "")[:512] or None,
        "created_at": now,
        "last_seen_at": now,
        "expires_at": now + policy.absolute,
        "revoked_at": None,
    }


def _new_customer_session(
    customer: Customer, client: ClientInfo, now: datetime, policy: SessionPolicy
) -> tuple[str, CustomerSession]:
    token = new_token()
    session = CustomerSession(
        token_hash=hash_token(token),
        customer_id=customer.customer_id,
        store_id=customer.store_id,
        **_session_fields(client, now, policy),
    )
    return token, session


def _alive(session: CustomerSession | AdminSession, now: datetime, policy: SessionPolicy) -> bool:
    return (
        session.revoked_at is None
        and now < session.expires_at
        and now < session.last_seen_at + policy.idle
    )


async def _live_session(
    repo: SessionRepository[_S, _O],
    now: datetime,
    *,
    token: str | None,
    session_uuid: uuid.UUID | None,
    policy: SessionPolicy,
) -> tuple[_S, _O] | None:
    """The session named by a raw token or a public id and its owner, when both are active."""
    if token is not None:
        found = await repo.find_with_owner(token_hash=hash_token(token))
    elif session_uuid is not None:
        found = await repo.find_with_owner(session_uuid=session_uuid)
    else:
        return None
    if found is None or not _alive(found[0], now, policy) or found[1].status != 1:
        return None
    return found


async def _touch(
    uow: UnitOfWork,
    repo: SessionRepository[_S, _O],
    session: _S,
    now: datetime,
    policy: SessionPolicy,
) -> None:
    """Record activity, at most once per ``policy.touch_every``."""
    if now - session.last_seen_at >= policy.touch_every:
        await repo.touch(session.session_id, now)
        await uow.commit()


async def resolve_customer(
    uow: UnitOfWork,
    clock: Clock,
    *,
    token: str | None = None,
    session_uuid: uuid.UUID | None = None,
    policy: SessionPolicy,
) -> tuple[CustomerSession, Customer] | None:
    """Find the live session named by a raw token or a public id, and its enabled customer.

    Returns None for an unknown, revoked or expired session or a disabled customer.
    """
    now = clock.now()
    async with uow:
        repo = uow.customer_sessions
        found = await _live_session(
            repo, now, token=token, session_uuid=session_uuid, policy=policy
        )
        if found is not None:
            await _touch(uow, repo, found[0], now, policy)
    return found


async def end_idle_customer_session(
    uow: UnitOfWork, clock: Clock, *, token: str, policy: SessionPolicy
) -> bool:
    """End the session named by ``token`` if idling is all that killed it, and say so.

    True only for a session that was neither revoked nor past its absolute lifetime but has
    been idle longer than ``policy.idle``; it is revoked here, so a second call answers False.
    Faces whose platform treats an idle-expired session apart from a dead one use this.
    """
    now = clock.now()
    async with uow:
        session = await uow.customer_sessions.find_by_hash(hash_token(token))
        if (
            session is None
            or session.revoked_at is not None
            or now >= session.expires_at
            or now < session.last_seen_at + policy.idle
        ):
            return False
        await uow.customer_sessions.revoke([session.session_id], now)
        await uow.commit()
    return True


async def logout_customer(uow: UnitOfWork, clock: Clock, *, token: str) -> None:
    """End the session named by ``token``; an unknown token is not an error."""
    async with uow:
        session = await uow.customer_sessions.find_by_hash(hash_token(token))
        if session is not None and session.revoked_at is None:
            await uow.customer_sessions.revoke([session.session_id], clock.now())
            await uow.commit()


async def end_customer_sessions(
    uow: UnitOfWork,
    clock: Clock,
    *,
    ids: Sequence[str],
    owner_id: int | None,
    store_id: int = DEFAULT_STORE_ID,
) -> None:
    """End the sessions named by raw tokens, session ids or customer uuids (a uuid means all).

    With ``owner_id`` (a customer acting for itself) only that customer's sessions are touched;
    with None (an admin) any. Names that match nothing are ignored.
    """
    now = clock.now()
    async with uow:
        for name in ids:
            parsed = normalise.parse_uuid(name)
            if parsed is not None:
                await _end_by_uuid(uow, store_id, parsed, owner_id, now)
                continue
            session = await uow.customer_sessions.find_by_hash(hash_token(name))
            if session is not None and owner_id in (None, session.customer_id):
                await uow.customer_sessions.revoke([session.session_id], now)
        await uow.commit()


async def _end_by_uuid(
    uow: UnitOfWork, store_id: int, name: uuid.UUID, owner_id: int | None, now: datetime
) -> None:
    session = await uow.customer_sessions.find_by_uuid(name)
    if session is not None:
        if owner_id in (None, session.customer_id):
            await uow.customer_sessions.revoke([session.session_id], now)
        return
    customer = await uow.customers.get(store_id, name)
    if customer is not None and owner_id in (None, customer.customer_id):
        await uow.customer_sessions.revoke_all(customer.customer_id, now)


async def login_admin(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    email: str,
    password: str,
    client: ClientInfo,
    policy: SessionPolicy,
    throttle: Throttle | None = None,
) -> AdminLogin:
    """Check an admin's password and open a new admin session.

    Raises the same ``AuthenticationFailed`` for an unknown email, a wrong password and a
    disabled user.
    """
    account = normalise.email_key(email)
    if throttle is not None:
        await throttle.check(ADMIN_LOGIN, account=account, ip=client.ip)
    async with uow:
        found = await uow.admins.get_by_email_key(account)
    result = await hasher.verify(found.password_hash if found else None, password)
    if found is None or not result.ok:
        raise await _failed(throttle, ADMIN_LOGIN, account, client)
    async with uow:
        admin = await uow.admins.get_by_id(found.admin_user_id)
        if admin is None or admin.status != 1:
            raise await _failed(throttle, ADMIN_LOGIN, account, client)
        if result.new_hash is not None:
            admin.password_hash = result.new_hash
        token = new_token()
        session = AdminSession(
            token_hash=hash_token(token),
            admin_user_id=admin.admin_user_id,
            **_session_fields(client, clock.now(), policy),
        )
        await uow.admin_sessions.add(session)
        await uow.commit()
    if throttle is not None:
        await throttle.succeeded(ADMIN_LOGIN, account=account)
    return AdminLogin(token=token, session=session, admin=admin)


async def resolve_admin(
    uow: UnitOfWork,
    clock: Clock,
    *,
    token: str | None = None,
    session_uuid: uuid.UUID | None = None,
    policy: SessionPolicy,
) -> tuple[AdminSession, AdminUser] | None:
    """Find the live admin session named by a raw token or public id, and its enabled user."""
    now = clock.now()
    async with uow:
        repo = uow.admin_sessions
        found = await _live_session(
            repo, now, token=token, session_uuid=session_uuid, policy=policy
        )
        if found is not None:
            await _touch(uow, repo, found[0], now, policy)
    return found


async def logout_admin(uow: UnitOfWork, clock: Clock, *, session_id: int) -> None:
    """End one admin session."""
    async with uow:
        await uow.admin_sessions.revoke([session_id], clock.now())
        await uow.commit()


async def list_customer_sessions(
    uow: UnitOfWork, clock: Clock, *, customer_id: int, policy: SessionPolicy
) -> list[CustomerSession]:
    """The customer's live sessions, oldest first (expired and revoked ones are left out)."""
    now = clock.now()
    async with uow:
        found = await uow.customer_sessions.list_for(customer_id)
    return [session for session in found if _alive(session, now, policy)]


async def revoke_customer_session(
    uow: UnitOfWork,
    clock: Clock,
    *,
    customer_id: int,
    session_uuid: uuid.UUID,
    actor: Actor | None = None,
) -> None:
    """End one session of the customer; raises ``NotFound`` for anyone else's or an unknown id.
    With an ``actor`` (an admin) the audit log records it."""
    async with uow:
        session = await uow.customer_sessions.find_by_uuid(session_uuid)
        if session is None or session.customer_id != customer_id:
            raise NotFound("Session not found", code=ErrorCode.session_not_found)
        await uow.customer_sessions.revoke([session.session_id], clock.now())
        if actor is not None:
            await audit.record(
                uow,
                clock,
                actor=actor,
                action="session_revoked",
                customer_id=customer_id,
                changes={"session": [str(session.uuid), None]},
            )
        await uow.commit()


async def revoke_customer_sessions(
    uow: UnitOfWork, clock: Clock, *, customer_id: int, actor: Actor | None = None
) -> None:
    """End every session of the customer (audited when an ``actor`` acts)."""
    async with uow:
        await uow.customer_sessions.revoke_all(customer_id, clock.now())
        if actor is not None:
            await audit.record(
                uow, clock, actor=actor, action="sessions_revoked", customer_id=customer_id
            )
        await uow.commit()


async def release_lockout(
    uow: UnitOfWork,
    clock: Clock,
    throttle: Throttle,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    actor: Actor,
) -> None:
    """An admin lifts the sign-in backoff or lockout of a customer (by email and login name),
    and the audit log says who did it. Raises ``NotFound`` for an unknown customer."""
    async with uow:
        customer = await uow.customers.get(store_id, customer_uuid)
        if customer is None:
            raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
        for identifier in {customer.email_key, customer.login_key}:
            await throttle.release(LOGIN, account=f"{store_id}:{identifier}")
        await audit.record(
            uow,
            clock,
            actor=actor,
            action="lockout_released",
            customer_id=customer.customer_id,
            store_id=store_id,
        )
        await uow.commit()
