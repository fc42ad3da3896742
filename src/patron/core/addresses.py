"""Customer addresses: add, change, remove; at most one default per customer."""

from __future__ import annotations

import math
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from patron.core import audit, normalise
from patron.core.audit import Actor
from patron.core.customers import (
    NewCustomer,
    count_registration,
    ensure_group_exists,
    new_customer,
    next_updated_at,
)
from patron.core.entities import DEFAULT_GROUP_ID, Customer, CustomerAddress
from patron.core.errors import ErrorCode, FieldProblem, InvalidInput, NotFound, at_entry
from patron.core.passwords import PasswordHasher, PasswordPolicy
from patron.core.ports import Clock, UnitOfWork
from patron.core.throttle import Throttle

REQUIRED = {
    "full_name": "Full name is required",
    "address_1": "Address is required",
    "province": "Province is required",
    "country": "Country is required",
    "postcode": "Postcode is required",
}
# Every writable text field with its longest accepted length.
TEXT_FIELDS: dict[str, int] = {
    "full_name": 255,
    "first_name": 255,
    "last_name": 255,
    "company": 255,
    "vat_id": 64,
    "salutation": 32,
    "title": 64,
    "address_1": 255,
    "address_2": 255,
    "address_3": 255,
    "city": 255,
    "province": 255,
    "postcode": 64,
    "country": 2,
    "telephone": 64,
    "telefax": 64,
    "mobile": 64,
    "email": 255,
    "website": 255,
    "type": 32,
    "language": 16,
}
MAX_POSITION = 2**31 - 1


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _value_problem(name: str, value: object) -> str | None:
    """The rule broken by a non-text field (None clears it, so it breaks none)."""
    if value is None:
        return None
    if name == "birthday":
        ok = isinstance(value, date) and not isinstance(value, datetime)
        return None if ok else "Birthday must be a date"
    if name == "position":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return "Position must be a whole number"
        return None if value <= MAX_POSITION else f"Position must be at most {MAX_POSITION}"
    bound = 180 if name == "longitude" else 90
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{_label(name)} must be a number"
    if not math.isfinite(value) or not -bound <= value <= bound:
        return f"{_label(name)} must be between -{bound} and {bound}"
    return None


VALUE_FIELDS = ("longitude", "latitude", "birthday", "position")


def _check(
    fields: Mapping[str, Any], *, creating: bool, required: Mapping[str, str] = REQUIRED
) -> None:
    problems: list[FieldProblem] = []
    for name, message in required.items():
        value = fields.get(name)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if (creating or name in fields) and blank:
            problems.append(FieldProblem(name, message))
    for name, max_length in TEXT_FIELDS.items():
        value = fields.get(name)
        if value is None or any(p.field == name for p in problems):
            continue
        if not isinstance(value, str):
            problems.append(FieldProblem(name, f"{_label(name)} must be a string"))
        elif "\x00" in value and name != "country":  # PostgreSQL text cannot hold it
            problems.append(FieldProblem(name, f"{_label(name)} must not contain NUL characters"))
        elif len(value) > max_length and name != "country":  # country has its own rule below
            problems.append(
                FieldProblem(name, f"{_label(name)} must be at most {max_length} characters")
            )
    country = fields.get("country")
    if isinstance(country, str) and country.strip() and not _is_country(country):
        problems.append(FieldProblem("country", "Country must be a two-letter ISO 3166-1 code"))
    if "is_default" in fields and not isinstance(fields["is_default"], bool):
        problems.append(FieldProblem("is_default", "Is default must be a boolean"))
    for name in VALUE_FIELDS:
        problem = _value_problem(name, fields.get(name))
        if problem:
            problems.append(FieldProblem(name, problem))
    if problems:
        raise InvalidInput(problems, message=", ".join(p.message for p in problems))


def _is_country(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha()


def _apply(address: CustomerAddress, fields: Mapping[str, Any]) -> None:
    for name in TEXT_FIELDS.keys() & fields.keys():
        value = fields[name]
        setattr(address, name, value.upper() if name == "country" and value else value)
    for name in VALUE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(address, name, 0 if name == "position" and value is None else value)
    if "full_name" in fields and not ({"first_name", "last_name"} & fields.keys()):
        address.first_name, address.last_name = normalise.split_full_name(fields["full_name"])
    elif "full_name" not in fields and ({"first_name", "last_name"} & fields.keys()):
        address.full_name = normalise.join_names(address.first_name, address.last_name)


async def _owner(uow: UnitOfWork, store_id: int, customer_uuid: uuid.UUID) -> Customer:
    customer = await uow.customers.get(store_id, customer_uuid)
    if customer is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return customer


async def _address(uow: UnitOfWork, customer_id: int, address_uuid: uuid.UUID) -> CustomerAddress:
    address = await uow.addresses.get(customer_id, address_uuid)
    if address is None:
        raise NotFound("Address not found", code=ErrorCode.address_not_found)
    return address


async def add_address(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    fields: Mapping[str, Any],
    actor: Actor | None = None,
) -> tuple[Customer, CustomerAddress]:
    """Add an address; ``is_default`` true makes it the only default. With an ``actor`` (an
    admin) the audit log records it.

    Raises ``NotFound`` for an unknown customer and ``InvalidInput`` for missing or bad fields.
    """
    _check(fields, creating=True)
    now = clock.now().replace(microsecond=0)
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        is_default = bool(fields.get("is_default", False))
        if is_default:
            await uow.addresses.clear_default(customer.customer_id)
        address = CustomerAddress(
            uuid=uuid.uuid4(),
            store_id=store_id,
            customer_id=customer.customer_id,
            is_default=is_default,
            position=0,
            created_at=now,
            updated_at=now,
        )
        _apply(address, fields)
        await uow.addresses.add(address)
        await _audit(
            uow,
            clock,
            actor,
            action="address_added",
            customer=customer,
            address=address,
            fields=fields,
        )
        await uow.commit()
    return customer, address


async def _audit(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor | None,
    *,
    action: str,
    customer: Customer,
    address: CustomerAddress,
    fields: Mapping[str, Any],
) -> None:
    """Record an admin's address change (customers' own changes are not admin actions)."""
    if actor is None:
        return
    changes: dict[str, Any] = {"address": [None, str(address.uuid)]}
    changes.update({k: [None, v] for k, v in fields.items() if isinstance(v, str | bool)})
    await audit.record(
        uow,
        clock,
        actor=actor,
        action=action,
        customer_id=customer.customer_id,
        store_id=customer.store_id,
        changes=changes,
    )


async def update_address(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    address_uuid: uuid.UUID,
    fields: Mapping[str, Any],
    actor: Actor | None = None,
) -> tuple[Customer, CustomerAddress]:
    """Change some fields of one address of one customer (audited with an ``actor``).

    Raises ``NotFound`` when the customer or the address (of that customer) does not exist.
    """
    _check(fields, creating=False)
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        address = await _address(uow, customer.customer_id, address_uuid)
        if fields.get("is_default") is True and not address.is_default:
            await uow.addresses.clear_default(customer.customer_id)
        if "is_default" in fields:
            address.is_default = fields["is_default"]
        _apply(address, fields)
        address.updated_at = next_updated_at(address.updated_at, clock.now())
        await _audit(
            uow,
            clock,
            actor,
            action="address_changed",
            customer=customer,
            address=address,
            fields=fields,
        )
        await uow.commit()
    return customer, address


async def delete_address(
    uow: UnitOfWork,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    address_uuid: uuid.UUID,
    clock: Clock | None = None,
    actor: Actor | None = None,
) -> tuple[Customer, CustomerAddress]:
    """Remove one address of one customer and return it as it was; raises ``NotFound``.
    With an ``actor`` and ``clock`` the audit log records it."""
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        address = await _address(uow, customer.customer_id, address_uuid)
        await uow.addresses.delete(address)
        if clock is not None:
            await _audit(
                uow,
                clock,
                actor,
                action="address_deleted",
                customer=customer,
                address=address,
                fields={},
            )
        await uow.commit()
    return customer, address


async def add_addresses(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    entries: Sequence[Mapping[str, Any]],
    required: Mapping[str, str] = REQUIRED,
) -> list[CustomerAddress]:
    """Add every entry in one transaction and return all addresses of the customer afterwards.

    ``required`` maps the fields a new address must have to the message when one is missing.
    Raises ``NotFound`` for an unknown customer and ``InvalidInput`` (with ``meta["index"]``
    naming the entry) for missing or bad fields; nothing is added then.
    """
    for index, fields in enumerate(entries):
        try:
            _check(fields, creating=True, required=required)
        except InvalidInput as exc:
            raise at_entry(index, exc) from None
    now = clock.now().replace(microsecond=0)
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        for fields in entries:
            address = CustomerAddress(
                uuid=uuid.uuid4(),
                store_id=store_id,
                customer_id=customer.customer_id,
                is_default=False,
                position=0,
                created_at=now,
                updated_at=now,
            )
            _apply(address, fields)
            await uow.addresses.add(address)
        found = list(await uow.addresses.list_for(customer.customer_id))
        await uow.commit()
    return found


async def change_address(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    address_id: int,
    fields: Mapping[str, Any],
    required: Mapping[str, str] = REQUIRED,
) -> CustomerAddress:
    """Change some fields of the address ``address_id`` of this customer, found by its number.

    Raises ``NotFound(address_not_found)`` when this customer has no such address (another
    customer's address included) and ``InvalidInput`` for bad fields.
    """
    _check(fields, creating=False, required=required)
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        address = await uow.addresses.get_by_id(customer.customer_id, address_id)
        if address is None:
            raise NotFound("Address not found", code=ErrorCode.address_not_found)
        _apply(address, fields)
        address.updated_at = next_updated_at(address.updated_at, clock.now())
        await uow.commit()
    return address


async def remove_addresses(
    uow: UnitOfWork, *, store_id: int, customer_uuid: uuid.UUID, address_ids: Collection[int]
) -> int:
    """Remove those of ``address_ids`` that belong to this customer; others are skipped.

    Returns how many were removed. Raises ``NotFound`` for an unknown customer.
    """
    removed = 0
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        for address_id in dict.fromkeys(address_ids):
            address = await uow.addresses.get_by_id(customer.customer_id, address_id)
            if address is not None:
                await uow.addresses.delete(address)
                removed += 1
        await uow.commit()
    return removed


async def register_with_address(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    data: NewCustomer,
    address: Mapping[str, Any],
    policy: PasswordPolicy,
    throttle: Throttle | None = None,
) -> tuple[Customer, CustomerAddress]:
    """Create an account and its default address in one transaction.

    The address needs only a country here (the caller's form has its own rules); every other
    field is checked for type and length. Raises what ``register_customer`` raises, and
    ``InvalidInput`` for a bad address field.
    """
    await count_registration(throttle, data.created_ip)
    _check(address, creating=True, required={"country": REQUIRED["country"]})
    customer = await new_customer(hasher, clock, data=data, policy=policy)
    async with uow:
        if data.group_id != DEFAULT_GROUP_ID:
            await ensure_group_exists(uow, data.store_id, data.group_id)
        await uow.customers.add(customer)
        row = CustomerAddress(
            uuid=uuid.uuid4(),
            store_id=data.store_id,
            customer_id=customer.customer_id,
            is_default=True,
            position=0,
            created_at=customer.created_at,
            updated_at=customer.created_at,
        )
        _apply(row, address)
        await uow.addresses.add(row)
        await uow.commit()
    return customer, row
