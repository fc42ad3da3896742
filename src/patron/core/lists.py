"""Customer list items: links from a customer to items of other domains.

A storefront keeps favourites (``product``, type ``favorite``) and watch lists (type ``watch``)
this way. An item is *active* when its status is positive and now lies inside its date window;
callers see only active items of the domains they name. Group memberships are not list items
a customer may manage (``PermissionDenied``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from patron.core.customers import next_updated_at
from patron.core.entities import Customer, CustomerListItem
from patron.core.errors import (
    ErrorCode,
    FieldProblem,
    InvalidInput,
    NotFound,
    PermissionDenied,
    at_entry,
)
from patron.core.ports import Clock, UnitOfWork
from patron.core.properties import is_code

GROUP_DOMAINS = frozenset({"group", "customer/group"})
NO_GROUPS = "You are not allowed to manage groups"
DEFAULT_TYPE = "default"
MAX_DOMAIN = 32
MAX_REFID = 36
MAX_TYPE = 64
MAX_POSITION = 2**31 - 1
STATUSES = range(-2, 2)  # -2 archived, -1 review, 0 disabled, 1 enabled


def active(status: int, start: datetime | None, end: datetime | None, now: datetime) -> bool:
    """Enabled, and ``now`` inside the date window ``start``..``end`` (open ends allowed)."""
    return status > 0 and (start is None or start <= now) and (end is None or end >= now)


def is_active(item: CustomerListItem, now: datetime) -> bool:
    """Whether ``item`` is active at ``now`` (see ``active``)."""
    return active(item.status, item.date_start, item.date_end, now)


def _visible(item: CustomerListItem, domains: Collection[str], now: datetime) -> bool:
    return item.domain in domains and is_active(item, now)


def _text_problem(name: str, value: object, max_length: int, *, code: bool) -> str | None:
    label = name.capitalize()
    if not isinstance(value, str) or not value:
        return f"{label} is required"
    if "\x00" in value:
        return f"{label} must not contain NUL characters"
    if len(value) > max_length:
        return f"{label} must be at most {max_length} characters"
    if code and not is_code(value):
        return f"{label} must not contain spaces"
    return None


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _int_problem(name: str, value: object, allowed: range) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        return f"{name.capitalize()} must be a whole number from {allowed[0]} to {allowed[-1]}"
    return None


def _problems(fields: Mapping[str, Any], *, creating: bool) -> list[FieldProblem]:
    problems: list[FieldProblem] = []

    def add(name: str, problem: str | None) -> None:
        if problem:
            problems.append(FieldProblem(name, problem))

    for name, max_length, code in (("domain", MAX_DOMAIN, True), ("refid", MAX_REFID, False)):
        if creating or name in fields:
            add(name, _text_problem(name, fields.get(name), max_length, code=code))
    if fields.get("type"):  # empty means the default type
        add("type", _text_problem("type", fields["type"], MAX_TYPE, code=True))
    if "config" in fields:
        config = fields["config"]
        if not isinstance(config, dict):
            add("config", "Config must be an object")
        elif _has_nul(config):
            add("config", "Config must not contain NUL characters")
    for name in ("date_start", "date_end"):
        value = fields.get(name)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            add(name, f"{name.replace('_', ' ').capitalize()} must be a date and time")
    if fields.get("position") is not None:
        add("position", _int_problem("position", fields["position"], range(MAX_POSITION + 1)))
    if fields.get("status") is not None:
        add("status", _int_problem("status", fields["status"], STATUSES))
    return problems


def _check(fields: Mapping[str, Any], *, creating: bool) -> None:
    problems = _problems(fields, creating=creating)
    if problems:
        raise InvalidInput(problems, message=", ".join(p.message for p in problems))
    if fields.get("domain") in GROUP_DOMAINS:
        raise PermissionDenied(NO_GROUPS)


def _apply(item: CustomerListItem, fields: Mapping[str, Any]) -> None:
    for name in ("domain", "refid", "date_start", "date_end"):
        if name in fields:
            setattr(item, name, fields[name])
    if "type" in fields:
        item.type = fields["type"] or DEFAULT_TYPE
    if "config" in fields:
        item.config = dict(fields["config"] or {})
    if "position" in fields:
        item.position = fields["position"] or 0
    if "status" in fields:
        item.status = 1 if fields["status"] is None else fields["status"]


async def _owner(uow: UnitOfWork, store_id: int, customer_uuid: uuid.UUID) -> Customer:
    customer = await uow.customers.get(store_id, customer_uuid)
    if customer is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return customer


def _ordered(items: Iterable[CustomerListItem]) -> list[CustomerListItem]:
    return sorted(items, key=lambda i: (i.position, i.customer_list_id))


async def add_list_items(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    entries: Sequence[Mapping[str, Any]],
    domains: Collection[str],
) -> list[CustomerListItem]:
    """Add every entry in one transaction.

    Returns the active items of ``domains`` and the new items, in list order. Raises
    ``NotFound`` for an unknown customer, ``InvalidInput`` (``meta["index"]`` names the entry)
    for bad fields or an item already in that list, and ``PermissionDenied`` for groups.
    """
    for index, fields in enumerate(entries):
        try:
            _check(fields, creating=True)
        except (InvalidInput, PermissionDenied) as exc:
            raise at_entry(index, exc) from None
    now = clock.now()
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        added: list[CustomerListItem] = []
        for fields in entries:
            item = CustomerListItem(
                store_id=store_id,
                customer_id=customer.customer_id,
                type=DEFAULT_TYPE,
                config={},
                date_start=None,
                date_end=None,
                position=0,
                status=1,
                created_at=now.replace(microsecond=0),
                updated_at=now.replace(microsecond=0),
            )
            _apply(item, fields)
            await uow.list_items.add(item)
            added.append(item)
        every = await uow.list_items.list_for(customer.customer_id)
        await uow.commit()
    shown = {i.customer_list_id: i for i in every if _visible(i, domains, now)}
    shown.update((i.customer_list_id, i) for i in added)
    return _ordered(shown.values())


async def visible_item(
    uow: UnitOfWork, customer: Customer, list_id: int, domains: Collection[str], now: datetime
) -> CustomerListItem:
    """The customer's item ``list_id`` when it is active and of one of ``domains``."""
    item = await uow.list_items.get(customer.customer_id, list_id)
    if item is None or not _visible(item, domains, now):
        raise NotFound("List item not found", code=ErrorCode.list_item_not_found)
    if item.domain in GROUP_DOMAINS:
        raise PermissionDenied(NO_GROUPS)
    return item


async def change_list_item(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    list_id: int,
    fields: Mapping[str, Any],
    domains: Collection[str],
) -> CustomerListItem:
    """Change one active item of ``domains`` of this customer.

    Raises ``NotFound(list_item_not_found)`` when there is no such item for this customer (also
    when it is inactive or of another domain), ``InvalidInput`` for bad fields or a duplicate,
    and ``PermissionDenied`` for groups.
    """
    _check(fields, creating=False)
    now = clock.now()
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        item = await visible_item(uow, customer, list_id, domains, now)
        _apply(item, fields)
        item.updated_at = next_updated_at(item.updated_at, now)
        await uow.flush()
        await uow.commit()
    return item


async def remove_list_items(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    list_ids: Collection[int],
    domains: Collection[str],
) -> int:
    """Remove those of ``list_ids`` that are active items of ``domains`` of this customer.

    Others are skipped; returns how many were removed. Raises ``PermissionDenied`` for groups.
    """
    now = clock.now()
    removed = 0
    async with uow:
        customer = await _owner(uow, store_id, customer_uuid)
        for list_id in dict.fromkeys(list_ids):
            try:
                item = await visible_item(uow, customer, list_id, domains, now)
            except NotFound:
                continue
            await uow.list_items.delete(item)
            removed += 1
        await uow.commit()
    return removed
