"""Customer accounts: registration, profile changes, deletion and reads."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from patron.core import audit, normalise
from patron.core.audit import Actor
from patron.core.entities import DEFAULT_GROUP_ID, DEFAULT_STORE_ID, Customer
from patron.core.errors import (
    Conflict,
    ErrorCode,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
)
from patron.core.passwords import PasswordHasher, PasswordPolicy, check_password
from patron.core.ports import (
    AddressRow,
    Clock,
    CustomerFilter,
    CustomerPage,
    CustomerQueries,
    CustomerRow,
    GridPage,
    UnitOfWork,
)
from patron.core.throttle import Throttle

MAX_TEXT = 255
STATUSES = (0, 1)
# Profile fields stored as short text, with their longest accepted length.
TEXT_FIELDS: dict[str, int] = {
    "first_name": MAX_TEXT,
    "last_name": MAX_TEXT,
    "salutation": 32,
    "title": 64,
    "company": MAX_TEXT,
    "vat_id": 64,
    "telephone": 64,
    "fax": 64,
    "mobile": 64,
    "website": MAX_TEXT,
    "language": 16,
    "label": MAX_TEXT,
    "address_1": MAX_TEXT,
    "address_2": MAX_TEXT,
    "address_3": MAX_TEXT,
    "postcode": 64,
    "city": MAX_TEXT,
    "province": MAX_TEXT,
}
# Profile fields that are not free text: each has its own rule in ``_check_value``.
VALUE_FIELDS = ("country", "birthday", "longitude", "latitude", "login_name")
LABELS = {"full_name": "Full name", "email": "Email", "login_name": "Login name"}
QUOTA_REACHED = "Temporary limit reached"
REGISTER = "register"
VERSION_MISMATCH = "The customer has changed since it was read"


@dataclass(frozen=True)
class RegistrationQuota:
    """At most ``limit`` new accounts per client IP within ``window`` (0 = no limit)."""

    limit: int = 3
    window: timedelta = timedelta(hours=4)


@dataclass(frozen=True)
class NewCustomer:
    """What a registration gives; server-owned fields are set only by trusted callers."""

    email: str
    password: str
    full_name: str | None = None
    store_id: int = DEFAULT_STORE_ID
    status: int = 1
    group_id: int = DEFAULT_GROUP_ID
    created_ip: str | None = None
    login_name: str | None = None
    newsletter: bool = False
    profile: Mapping[str, Any] = field(default_factory=dict)


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _check_text(name: str, value: object, max_length: int, *, required: bool = False) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise InvalidInput.one(name, f"{_label(name)} must be a string")
    if "\x00" in value:  # PostgreSQL text cannot hold it; SQLite would, so refuse it on both
        raise InvalidInput.one(name, f"{_label(name)} must not contain NUL characters")
    if required and not value.strip():
        raise InvalidInput.one(name, f"{_label(name)} is required and cannot be empty")
    if len(value) > max_length:
        raise InvalidInput.one(name, f"{_label(name)} must be at most {max_length} characters")


def _check_email(email: str) -> str:
    _check_text("email", email, MAX_TEXT, required=True)
    cleaned = normalise.clean_email(email)
    if not normalise.is_email(cleaned):
        raise InvalidInput.one(
            "email", "Email must be a valid email address (e.g., user@example.com)"
        )
    return cleaned


def _check_status(status: int) -> None:
    if status not in STATUSES:
        raise InvalidInput.one("status", "Status must be either 0, 1, '0', or '1'")


async def ensure_group_exists(uow: UnitOfWork, store_id: int, group_id: int) -> None:
    """Raise ``InvalidInput`` naming ``group_id`` unless the group exists in the store."""
    if not await uow.customers.group_exists(store_id, group_id):
        raise InvalidInput.one("group_id", f"Customer group {group_id} does not exist")


def next_updated_at(previous: datetime, now: datetime) -> datetime:
    """A change time that is later than ``previous`` even at the one-second grain faces show."""
    now = now.replace(microsecond=0)
    floor = previous.replace(microsecond=0)
    return now if now > floor else floor + timedelta(seconds=1)


def _apply_names(customer: Customer, changes: Mapping[str, Any]) -> None:
    """The name rule: what a write gives is stored; missing parts are derived from the rest."""
    if "full_name" in changes:
        customer.full_name = changes["full_name"]
        if "first_name" not in changes and "last_name" not in changes:
            if customer.full_name:
                customer.first_name, customer.last_name = normalise.split_full_name(
                    customer.full_name
                )
            else:
                customer.first_name = customer.last_name = None
    for part in ("first_name", "last_name"):
        if part in changes:
            setattr(customer, part, changes[part])
    if "full_name" not in changes and ("first_name" in changes or "last_name" in changes):
        customer.full_name = normalise.join_names(customer.first_name, customer.last_name)
    customer.name_key = normalise.fold(customer.full_name or "")


def _apply_email(customer: Customer, email: str) -> None:
    customer.email = email
    customer.email_key = normalise.email_key(email)
    customer.login_key = normalise.login_key(customer.login_name, email)


def is_country(code: str) -> bool:
    """True for the shape of an ISO 3166-1 alpha-2 code (two ASCII letters, any case)."""
    return len(code) == 2 and code.isascii() and code.isalpha()


def _check_coordinate(name: str, value: object, bound: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput.one(name, f"{_label(name)} must be a number")
    if not math.isfinite(value) or not -bound <= value <= bound:
        raise InvalidInput.one(name, f"{_label(name)} must be between -{bound} and {bound}")


def _check_login_name(value: object) -> None:
    _check_text("login_name", value, MAX_TEXT, required=True)
    if any(char.isspace() or not char.isprintable() for char in str(value)):
        raise InvalidInput.one("login_name", "Login name must not contain spaces")


def _check_value(name: str, value: object) -> None:
    """The rules of the profile fields that are not free text; None always clears."""
    if value is None:
        return
    if name == "country" and not (isinstance(value, str) and is_country(value)):
        raise InvalidInput.one("country", "Country must be a two-letter ISO 3166-1 code")
    if name == "birthday" and not (isinstance(value, date) and not isinstance(value, datetime)):
        raise InvalidInput.one("birthday", "Birthday must be a date")
    if name in ("longitude", "latitude"):
        _check_coordinate(name, value, 180 if name == "longitude" else 90)
    if name == "login_name":
        _check_login_name(value)


def _check_profile(profile: Mapping[str, Any]) -> None:
    for name, value in profile.items():
        if name in TEXT_FIELDS:
            _check_text(name, value, TEXT_FIELDS[name])
        elif name in VALUE_FIELDS:
            _check_value(name, value)
        elif name == "full_name":
            _check_text(name, value, MAX_TEXT, required=True)


def _apply_login_name(customer: Customer, login_name: str | None) -> None:
    """A login name equal to the email is stored as NULL: "follow the email" (DECISIONS)."""
    if login_name is not None and normalise.fold(login_name.strip()) == customer.email_key:
        login_name = None
    customer.login_name = login_name
    customer.login_key = normalise.login_key(login_name, customer.email)


def _apply_profile(customer: Customer, profile: Mapping[str, Any]) -> None:
    """Store the profile fields ``profile`` names (names and email are applied elsewhere)."""
    for name in TEXT_FIELDS.keys() & profile.keys():
        setattr(customer, name, profile[name])
    for name in ("birthday", "longitude", "latitude"):
        if name in profile:
            setattr(customer, name, profile[name])
    if "country" in profile:
        customer.country = profile["country"].upper() if profile["country"] else None
    if "login_name" in profile:
        _apply_login_name(customer, profile["login_name"])


async def _check_quota(
    uow: UnitOfWork, clock: Clock, *, store_id: int, ip: str | None, quota: RegistrationQuota
) -> None:
    """Refuse a registration when ``ip`` created ``quota.limit`` accounts within the window."""
    if ip is None or quota.limit <= 0:
        return
    async with uow:
        count = await uow.customers.count_created_from(
            store_id, ip, since=clock.now() - quota.window
        )
    if count >= quota.limit:
        raise PermissionDenied(QUOTA_REACHED, code=ErrorCode.registration_quota_reached)


async def _explain_conflict(
    uow: UnitOfWork, exc: Conflict, *, store_id: int, email: str | None, customer_uuid: uuid.UUID
) -> Conflict:
    """Say whether the email or the login name is taken, when a write set a login name.

    The unique indexes decide; this read only picks the message for the answer. ``email`` is
    None when the write kept the email, which then cannot be the one in conflict.
    """
    if email is not None:
        async with uow:
            other = await uow.customers.get_by_email_key(store_id, normalise.email_key(email))
        if other is not None and other.uuid != customer_uuid:
            return exc
    return Conflict(
        "Login name is already used", code=ErrorCode.login_name_taken, field="login_name"
    )


async def count_registration(throttle: Throttle | None, ip: str | None) -> None:
    """Count a registration attempt against the client address; raises ``TooManyAttempts``
    while that address must wait. Every face's registration calls this first."""
    if throttle is not None:
        await throttle.check(REGISTER, account=None, ip=ip)
        await throttle.failed(REGISTER, account=None, ip=ip)


def check_account_fields(
    *,
    email: str,
    full_name: str | None,
    login_name: str | None,
    newsletter: object,
    status: int,
    profile: Mapping[str, Any],
) -> str:
    """Check everything a registration checks except the password; returns the cleaned email.

    Bulk imports call this on rows whose password hash comes from another shop. Raises
    ``InvalidInput`` naming the first field at fault.
    """
    cleaned = _check_email(email)
    if full_name is not None:
        _check_text("full_name", full_name, MAX_TEXT, required=True)
    if login_name is not None:
        _check_login_name(login_name)
    if not isinstance(newsletter, bool):
        raise InvalidInput.one("newsletter", "Newsletter must be a boolean")
    _check_profile(profile)
    _check_status(status)
    return cleaned


def _check_new(data: NewCustomer, policy: PasswordPolicy) -> str:
    """Check a registration's input; returns the cleaned email."""
    email = check_account_fields(
        email=data.email,
        full_name=data.full_name,
        login_name=data.login_name,
        newsletter=data.newsletter,
        status=data.status,
        profile=data.profile,
    )
    check_password(data.password, policy)
    return email


async def _build(hasher: PasswordHasher, clock: Clock, data: NewCustomer, email: str) -> Customer:
    password_hash = await hasher.hash(data.password)
    now = clock.now().replace(microsecond=0)
    customer = Customer(
        uuid=uuid.uuid4(),
        store_id=data.store_id,
        status=data.status,
        group_id=data.group_id,
        login_name=None,
        password_hash=password_hash,
        meta_data={},
        newsletter=data.newsletter,
        created_ip=data.created_ip,
        created_at=now,
        updated_at=now,
    )
    _apply_email(customer, email)
    names = dict(data.profile)
    if data.full_name is not None:
        names["full_name"] = data.full_name
    _apply_names(customer, names)
    _apply_profile(customer, data.profile)
    if data.login_name is not None:
        _apply_login_name(customer, data.login_name)
    return customer


async def new_customer(
    hasher: PasswordHasher, clock: Clock, *, data: NewCustomer, policy: PasswordPolicy
) -> Customer:
    """Check ``data`` and build the account with its password hashed, not yet stored.

    Raises ``InvalidInput`` for a bad email, name, login name, profile field, password or status.
    """
    return await _build(hasher, clock, data, _check_new(data, policy))


async def register_customer(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    data: NewCustomer,
    policy: PasswordPolicy,
    quota: RegistrationQuota | None = None,
    throttle: Throttle | None = None,
    actor: Actor | None = None,
) -> Customer:
    """Create an account and return it; with an ``actor`` (an admin) the audit log records it.

    Raises ``InvalidInput`` for a bad email, name, profile field, password, status or group,
    ``Conflict(email_already_registered)`` when the email is taken in that store (or
    ``login_name_taken`` for a login name), and ``PermissionDenied(registration_quota_reached)``
    when ``quota`` is given and ``data.created_ip`` has used it up (counted from stored accounts,
    so it survives restarts). With a ``throttle``, every attempt counts against the client
    address (``TooManyAttempts``).
    """
    await count_registration(throttle, data.created_ip)
    email = _check_new(data, policy)
    if quota is not None:
        # Before hashing: a client over its quota must not cost a hash per attempt.
        await _check_quota(uow, clock, store_id=data.store_id, ip=data.created_ip, quota=quota)
    customer = await _build(hasher, clock, data, email)
    try:
        async with uow:
            if data.group_id != DEFAULT_GROUP_ID:
                await ensure_group_exists(uow, data.store_id, data.group_id)
            await uow.customers.add(customer)
            if actor is not None:
                await audit.record(
                    uow,
                    clock,
                    actor=actor,
                    action="customer_created",
                    customer_id=customer.customer_id,
                    store_id=data.store_id,
                    changes={"email": [None, customer.email], "status": [None, customer.status]},
                )
            await uow.commit()
    except Conflict as exc:
        if customer.login_name is None:
            raise
        raise await _explain_conflict(
            uow, exc, store_id=data.store_id, email=email, customer_uuid=customer.uuid
        ) from None
    return customer


async def taken_identifiers(
    uow: UnitOfWork,
    *,
    store_id: int,
    email: str | None = None,
    login_name: str | None = None,
    exclude_customer_id: int | None = None,
) -> set[str]:
    """Which of ``email`` and ``login_name`` another account already uses (``"email"``,
    ``"login_name"``), for forms that name every problem at once.

    The unique indexes still decide at write time; this only reads.
    """
    taken: set[str] = set()
    async with uow:
        if email is not None and "\x00" not in email:
            other = await uow.customers.get_by_email_key(store_id, normalise.email_key(email))
            if other is not None and other.customer_id != exclude_customer_id:
                taken.add("email")
        if login_name is not None and "\x00" not in login_name:
            key = normalise.login_key(login_name, "")
            other = await uow.customers.get_by_login_key(store_id, key)
            if other is not None and other.customer_id != exclude_customer_id:
                taken.add("login_name")
    return taken


async def _load(
    uow: UnitOfWork, store_id: int, customer_uuid: uuid.UUID, *, lock: bool = False
) -> Customer:
    customer = await uow.customers.get(store_id, customer_uuid, lock=lock)
    if customer is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return customer


async def update_customer(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    changes: Mapping[str, Any],
    policy: PasswordPolicy,
    current_password: str | None = None,
    require_current_password: bool = False,
    expected_versions: frozenset[int] | None = None,
    actor: Actor | None = None,
) -> Customer:
    """Apply ``changes`` (already limited by the caller to what it may change) and return the row.

    With an ``actor`` the audit log records each changed field's before and after values
    (a new password only as changed).

    A new password or a disabled status ends every session of the customer. With
    ``require_current_password`` a new password needs ``current_password`` to match the stored
    one, else ``InvalidInput`` naming ``current_password``. With ``expected_versions`` (a
    client's If-Match) the change applies only to one of them, else ``PreconditionFailed``;
    without it, a change that races another is simply tried again.
    Raises ``NotFound``, ``InvalidInput`` and ``Conflict`` like ``register_customer``.
    """
    email = _check_email(changes["email"]) if "email" in changes else None
    _check_profile(changes)
    if "newsletter" in changes and not isinstance(changes["newsletter"], bool):
        raise InvalidInput.one("newsletter", "Newsletter must be a boolean")
    if "status" in changes:
        _check_status(changes["status"])
    password = changes.get("password")
    if "password" in changes:
        if not isinstance(password, str):
            raise InvalidInput.one("password", "Password must be a string")
        check_password(password, policy)
    verified_hash = None
    if "password" in changes and require_current_password:
        verified_hash = await _verify_current_password(
            uow, hasher, store_id, customer_uuid, current_password
        )
    new_hash = await hasher.hash(password) if isinstance(password, str) else None
    try:
        for attempt in range(3):
            try:
                return await _store_changes(
                    uow,
                    clock,
                    store_id=store_id,
                    customer_uuid=customer_uuid,
                    changes=changes,
                    email=email,
                    new_hash=new_hash,
                    verified_hash=verified_hash,
                    expected_versions=expected_versions,
                    actor=actor,
                )
            except PreconditionFailed:
                if expected_versions is not None or attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
    except Conflict as exc:
        if changes.get("login_name") is None:
            raise
        raise await _explain_conflict(
            uow, exc, store_id=store_id, email=email, customer_uuid=customer_uuid
        ) from None


async def _verify_current_password(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    store_id: int,
    customer_uuid: uuid.UUID,
    current_password: str | None,
) -> str:
    """The stored hash, once ``current_password`` has been checked against it."""
    if not current_password:
        raise InvalidInput.one(
            "current_password", "The current password is required to change the password"
        )
    async with uow:
        customer = await _load(uow, store_id, customer_uuid)
    # Verify outside the transaction, as sign-in does: no connection waits for the hash.
    if not (await hasher.verify(customer.password_hash, current_password)).ok:
        raise InvalidInput.one("current_password", "The current password is not correct")
    return customer.password_hash


async def _store_changes(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    changes: Mapping[str, Any],
    email: str | None,
    new_hash: str | None,
    verified_hash: str | None,
    expected_versions: frozenset[int] | None,
    actor: Actor | None = None,
) -> Customer:
    async with uow:
        customer = await _load(uow, store_id, customer_uuid, lock=True)
        before = _snapshot(customer, changes)
        if expected_versions is not None and customer.version not in expected_versions:
            raise PreconditionFailed(VERSION_MISMATCH)
        if verified_hash is not None and customer.password_hash != verified_hash:
            # The password changed since it was verified: the old one proves nothing now.
            raise InvalidInput.one("current_password", "The current password is not correct")
        if "group_id" in changes and changes["group_id"] != customer.group_id:
            await ensure_group_exists(uow, store_id, changes["group_id"])
            customer.group_id = changes["group_id"]
        if email is not None:
            _apply_email(customer, email)
        _apply_names(customer, changes)
        _apply_profile(customer, changes)
        if "newsletter" in changes:
            customer.newsletter = changes["newsletter"]
        now = clock.now()
        ends_sessions = new_hash is not None or changes.get("status", 1) != 1
        if new_hash is not None:
            customer.password_hash = new_hash
        if "status" in changes:
            customer.status = changes["status"]
        customer.updated_at = next_updated_at(customer.updated_at, now)
        if ends_sessions:
            await uow.customer_sessions.revoke_all(customer.customer_id, now)
        if new_hash is not None:
            # Any password change voids outstanding reset links.
            await uow.customer_tokens.delete_for(customer.customer_id, "password_reset")
        if actor is not None:
            after = _snapshot(customer, changes)
            diff = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
            if new_hash is not None:
                diff["password"] = ["[secret]", "[secret]"]
            await audit.record(
                uow,
                clock,
                actor=actor,
                action="customer_updated",
                customer_id=customer.customer_id,
                store_id=store_id,
                changes=diff,
            )
        await uow.commit()
    return customer


_AUDITED = (
    "email",
    "full_name",
    "first_name",
    "last_name",
    "status",
    "group_id",
    "login_name",
    "newsletter",
    *TEXT_FIELDS,
    "country",
    "birthday",
    "longitude",
    "latitude",
)


def _snapshot(customer: Customer, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The audited fields a change may touch, as JSON-ready values."""
    names = [name for name in _AUDITED if name in changes or name in ("full_name", "email")]
    values = {name: getattr(customer, name, None) for name in names}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


async def delete_customer(
    uow: UnitOfWork,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    clock: Clock | None = None,
    actor: Actor | None = None,
) -> Customer:
    """Delete the account (its addresses and sessions go with it) and return it as it was;
    with an ``actor`` and ``clock`` the audit log records who did it.

    Raises ``NotFound`` when there is no such customer.
    """
    async with uow:
        customer = await _load(uow, store_id, customer_uuid)
        await uow.customers.delete(customer)
        if actor is not None and clock is not None:
            await audit.record(
                uow,
                clock,
                actor=actor,
                action="customer_deleted",
                customer_id=customer.customer_id,
                store_id=store_id,
            )
        await uow.commit()
    return customer


async def get_customer(
    queries: CustomerQueries, *, store_id: int, customer_uuid: uuid.UUID
) -> CustomerRow:
    """Return one customer's public columns; raises ``NotFound``."""
    row = await queries.get_row(store_id, customer_uuid)
    if row is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return row


async def get_customer_with_addresses(
    queries: CustomerQueries, *, store_id: int, customer_uuid: uuid.UUID
) -> tuple[CustomerRow, list[AddressRow]]:
    """Return one customer and its addresses (oldest first); raises ``NotFound``."""
    found = await queries.get_with_addresses(store_id, customer_uuid)
    if found is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return found


async def grid(
    queries: CustomerQueries,
    flt: CustomerFilter,
    *,
    after: tuple[Any, int] | None = None,
    before: tuple[Any, int] | None = None,
) -> GridPage:
    """One keyset page of the admin grid (fast on deep pages) with an exact, estimated or
    capped total."""
    return await queries.grid(flt, after=after, before=before)


async def list_customers(queries: CustomerQueries, flt: CustomerFilter) -> CustomerPage:
    """Return one page of customers matching ``flt`` with the exact total."""
    return await queries.page(flt)


async def update_metafields(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    metafields: Mapping[str, Any],
    actor: Actor | None = None,
) -> dict[str, Any]:
    """Merge ``metafields`` into the customer's meta data (a null value removes the key);
    audited with an ``actor``.

    Raises ``NotFound`` for an unknown customer.
    """
    async with uow:
        customer = await _load(uow, store_id, customer_uuid, lock=True)
        before = dict(customer.meta_data or {})
        merged = {**before, **metafields}
        customer.meta_data = {key: value for key, value in merged.items() if value is not None}
        customer.updated_at = next_updated_at(customer.updated_at, clock.now())
        if actor is not None:
            changed = {
                f"meta.{key}": [before.get(key), customer.meta_data.get(key)]
                for key in metafields
                if before.get(key) != customer.meta_data.get(key)
            }
            await audit.record(
                uow,
                clock,
                actor=actor,
                action="metafields_changed",
                customer_id=customer.customer_id,
                store_id=store_id,
                changes=changed,
            )
        await uow.commit()
    return customer.meta_data
