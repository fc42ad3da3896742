"""Customer properties: typed key/language/value pairs a storefront keeps for a customer.

A property is unique per (customer, type, language, value); a unique index decides, and a
duplicate is ``InvalidInput`` naming ``property``. Language "" means "every language".
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from patron.core.customers import next_updated_at
from patron.core.entities import Customer, CustomerProperty
from patron.core.errors import ErrorCode, FieldProblem, InvalidInput, NotFound, at_entry
from patron.core.ports import Clock, UnitOfWork

MAX_TYPE = 64
MAX_LANGUAGE = 16
MAX_VALUE = 255


def is_code(text: str) -> bool:
    """A code: printable, without whitespace (type and domain names)."""
    return bool(text) and all(ch.isprintable() and not ch.isspace() for ch in text)


def _text_problem(name: str, value: object, max_length: int) -> str | None:
    label = name.capitalize()
    if not isinstance(value, str):
        return f"{label} must be a string"
    if "\x00" in value:  # PostgreSQL text cannot hold it
        return f"{label} must not contain NUL characters"
    if len(value) > max_length:
        return f"{label} must be at most {max_length} characters"
    return None


def _check(fields: Mapping[str, Any], *, creating: bool) -> None:
    problems: list[FieldProblem] = []
    if creating or "type" in fields:
        kind = fields.get("type")
        problem = _text_problem("type", kind, MAX_TYPE) if kind is not None else None
        if kind is None or kind == "":
            problem = "Type is required"
        elif problem is None and not is_code(kind):
            problem = "Type must not contain spaces"
        if problem:
            problems.append(FieldProblem("type", problem))
    for name, max_length in (("language", MAX_LANGUAGE), ("value", MAX_VALUE)):
        if fields.get(name) is not None:
            problem = _text_problem(name, fields[name], max_length)
            if problem:
                problems.append(FieldProblem(name, problem))
    if problems:
        raise InvalidInput(problems, message=", ".join(p.message for p in problems))


def _apply(item: CustomerProperty, fields: Mapping[str, Any]) -> None:
    if "type" in fields:
        item.type = fields["type"]
    for name in ("language", "value"):  # stored as "" when cleared: both are in the unique key
        if name in fields:
            setattr(item, name, fields[name] or "")


async def _owner(uow: UnitOfWork, store_id: int, customer_uuid: uuid.UUID) -> Customer:
    customer = await uow.customers.get(store_id, customer_uuid)
    if customer is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return customer


def _key(fields: Mapping[str, Any]) -> tuple[Any, ...]:
    return (fields.get("type"), fields.get("language") or "", fields.get("value") or "")


async def add_properties(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    entries: Sequence[Mapping[str, Any]],
) -> list[CustomerProperty]:
    """Add every entry in one transaction; return all properties of the customer afterwards.

    Identical entries within one call collapse into one. Raises ``NotFound`` for an unknown
    customer, ``InvalidInput`` (``meta["index"]`` names the entry) for bad fields and
    ``InvalidInput`` naming ``property`` when the customer already has one of them.
    """
    unique: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    for index, fields in enumerate(entries):
        try:
            _check(fields, creating=True)
        except InvalidInput as exc:
            raise at_entry(index, exc) from None
        unique.setdefault(_key(fields), fields)
    now = clock.now().replace(microsecond=0)
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        for fields in unique.values():
            item = CustomerProperty(
                store_id=store_id,
                customer_id=customer.customer_id,
                language="",
                value="",
                created_at=now,
                updated_at=now,
            )
            _apply(item, fields)
            await uow.properties.add(item)
        found = list(await uow.properties.list_for(customer.customer_id))
        await uow.commit()
    return found


async def change_property(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    property_id: int,
    fields: Mapping[str, Any],
) -> CustomerProperty:
    """Change the property ``property_id`` of this customer.

    Raises ``NotFound(property_not_found)`` when the customer has no such property (another
    customer's included), ``InvalidInput`` for bad fields or when the change would duplicate
    another property of the customer.
    """
    _check(fields, creating=False)
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        item = await uow.properties.get(customer.customer_id, property_id)
        if item is None:
            raise NotFound("Property not found", code=ErrorCode.property_not_found)
        _apply(item, fields)
        item.updated_at = next_updated_at(item.updated_at, clock.now())
        await uow.flush()
        await uow.commit()
    return item


async def remove_properties(
    uow: UnitOfWork, *, store_id: int, customer_uuid: uuid.UUID, property_ids: Collection[int]
) -> int:
    """Remove those of ``property_ids`` that belong to this customer; return how many."""
    removed = 0
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        for property_id in dict.fromkeys(property_ids):
            item = await uow.properties.get(customer.customer_id, property_id)
            if item is not None:
                await uow.properties.delete(item)
                removed += 1
        await uow.commit()
    return removed
