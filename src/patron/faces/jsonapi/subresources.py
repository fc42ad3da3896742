"""The customer's sub-resources: ``related=address``, ``property`` and ``relationships``.

Owner-only: every lookup is scoped to the signed-in customer, so another customer's item
answers exactly like a missing one, which behaves as upstream: GET without ``data``, PATCH 404
without ``errors``, DELETE skipped. List items are seen only for the domains ``include`` names,
and only while active (status and date window), as in Aimeos.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from starlette.responses import Response

from patron.core import addresses, lists, properties
from patron.core.errors import ErrorCode, NotFound
from patron.faces.jsonapi import documents, schemas
from patron.faces.jsonapi.bodies import attributes_of, entries_of, ids_of, signed_in
from patron.faces.jsonapi.context import Call, Caller

STORE = 1
# The one field patron's address table cannot do without (Aimeos marks it required too).
ADDRESS_REQUIRED = {"country": "Country is required"}
Row = Mapping[str, Any]
Fields = dict[str, Any]
MISSING_ITEM = frozenset(
    {ErrorCode.address_not_found, ErrorCode.property_not_found, ErrorCode.list_item_not_found}
)


def visible(rows: Sequence[Row], domains: Sequence[str], now: datetime) -> list[Row]:
    """The list items of ``domains`` that are active at ``now``."""
    return [
        row
        for row in rows
        if row["domain"] in domains
        and lists.active(row["status"], row["date_start"], row["date_end"], now)
    ]


def _domains(call: Call) -> list[str]:
    return schemas.list_domains(schemas.include_names(call.param("include")))


@dataclass(frozen=True)
class Kind:
    """How one sub-resource reads, renders and changes its items."""

    id_column: str
    read: Callable[[Mapping[str, Any]], Fields]
    entry: Callable[[Call, Row], dict[str, Any]]
    load: Callable[[Call, Caller], Awaitable[Sequence[Row]]]
    add: Callable[[Call, Caller, list[Fields]], Awaitable[Sequence[Row]]]
    change: Callable[[Call, Caller, int, Fields], Awaitable[Row]]
    remove: Callable[[Call, Caller, list[int]], Awaitable[int]]
    # ``meta.total`` of a GET by ``relatedid``: 1 when found, except for properties (Aimeos).
    total_of_one: Callable[[Sequence[Row], Row | None], int] = lambda _rows, row: int(bool(row))


# ---- the four methods, for any kind --------------------------------------------------------


async def get_items(kind: Kind, call: Call) -> Response:
    """The caller's items (an empty list for anonymous callers), or the one ``relatedid`` names."""
    rows = await kind.load(call, call.caller) if call.caller else []
    wanted = call.param("relatedid")
    if not wanted:
        return documents.sub_items(call, len(rows), [kind.entry(call, r) for r in rows])
    row = next((r for r in rows if str(r[kind.id_column]) == wanted), None)
    total = kind.total_of_one(rows, row)
    if row is None:
        return documents.sub_items(call, total)
    return documents.sub_items(call, total, kind.entry(call, row))


async def post_items(kind: Kind, call: Call) -> Response:
    """Add the entries of ``data`` in one transaction; 201 with the caller's items."""
    caller = signed_in(call)
    rows = await kind.add(call, caller, await entries_of(call, kind.read))
    return documents.sub_items(call, len(rows), [kind.entry(call, r) for r in rows], 201)


async def patch_item(kind: Kind, call: Call) -> Response:
    """Change the item ``relatedid`` names; 404 without ``errors`` when the caller has none."""
    caller = signed_in(call)
    fields = kind.read(await attributes_of(call))
    item_id = schemas.item_id(call.param("relatedid"))
    if item_id is None:
        return documents.sub_items(call, 0, status=404)
    try:
        row = await kind.change(call, caller, item_id, fields)
    except NotFound as exc:
        if exc.code not in MISSING_ITEM:
            raise
        return documents.sub_items(call, 0, status=404)
    return documents.sub_items(call, 1, kind.entry(call, row))


async def delete_items(kind: Kind, call: Call) -> Response:
    """Remove the items named by ``relatedid`` or ``data``; others are skipped. Always 200."""
    ids = await ids_of(call)
    if call.caller is not None and ids:
        await kind.remove(call, call.caller, ids)
    return documents.sub_items(call, 0)


# ---- addresses -----------------------------------------------------------------------------


async def _load_addresses(call: Call, caller: Caller) -> Sequence[Row]:
    found = await call.services.sub_items.sub_items(
        caller.customer.customer_id, addresses=True, properties=False, list_items=False
    )
    return found.addresses


async def _add_addresses(call: Call, caller: Caller, entries: list[Fields]) -> Sequence[Row]:
    found = await addresses.add_addresses(
        call.services.uow(),
        call.services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        entries=entries,
        required=ADDRESS_REQUIRED,
    )
    return [schemas.columns(a) for a in found]


async def _change_address(call: Call, caller: Caller, item_id: int, fields: Fields) -> Row:
    address = await addresses.change_address(
        call.services.uow(),
        call.services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        address_id=item_id,
        fields=fields,
        required=ADDRESS_REQUIRED,
    )
    return schemas.columns(address)


async def _remove_addresses(call: Call, caller: Caller, ids: list[int]) -> int:
    return await addresses.remove_addresses(
        call.services.uow(), store_id=STORE, customer_uuid=caller.customer.uuid, address_ids=ids
    )


ADDRESSES = Kind(
    id_column="customer_address_id",
    read=schemas.address_fields,
    entry=documents.address_entry,
    load=_load_addresses,
    add=_add_addresses,
    change=_change_address,
    remove=_remove_addresses,
)


# ---- properties ----------------------------------------------------------------------------


async def _load_properties(call: Call, caller: Caller) -> Sequence[Row]:
    found = await call.services.sub_items.sub_items(
        caller.customer.customer_id, addresses=False, properties=True, list_items=False
    )
    return found.properties


async def _add_properties(call: Call, caller: Caller, entries: list[Fields]) -> Sequence[Row]:
    found = await properties.add_properties(
        call.services.uow(),
        call.services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        entries=entries,
    )
    return [schemas.columns(p) for p in found]


async def _change_property(call: Call, caller: Caller, item_id: int, fields: Fields) -> Row:
    item = await properties.change_property(
        call.services.uow(),
        call.services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        property_id=item_id,
        fields=fields,
    )
    return schemas.columns(item)


async def _remove_properties(call: Call, caller: Caller, ids: list[int]) -> int:
    return await properties.remove_properties(
        call.services.uow(), store_id=STORE, customer_uuid=caller.customer.uuid, property_ids=ids
    )


PROPERTIES = Kind(
    id_column="customer_property_id",
    read=schemas.property_fields,
    entry=documents.property_entry,
    load=_load_properties,
    add=_add_properties,
    change=_change_property,
    remove=_remove_properties,
    # Aimeos counts 1 whenever the customer has any property, found or not.
    total_of_one=lambda rows, _row: int(bool(rows)),
)


# ---- list items ----------------------------------------------------------------------------


async def _load_list_items(call: Call, caller: Caller) -> Sequence[Row]:
    domains = _domains(call)
    if not domains:
        return []
    found = await call.services.sub_items.sub_items(
        caller.customer.customer_id, addresses=False, properties=False, list_items=True
    )
    return visible(found.list_items, domains, call.services.clock.now())


async def _add_list_items(call: Call, caller: Caller, entries: list[Fields]) -> Sequence[Row]:
    found = await lists.add_list_items(
        call.services.uow(),
        call.services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        entries=entries,
        domains=_domains(call),
    )
    return [schemas.columns(i) for i in found]


async def _change_list_item(call: Call, caller: Caller, item_id: int, fields: Fields) -> Row:
    item = await lists.change_list_item(
        call.services.uow(),
        call.services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        list_id=item_id,
        fields=fields,
        domains=_domains(call),
    )
    return schemas.columns(item)


async def _remove_list_items(call: Call, caller: Caller, ids: list[int]) -> int:
    return await lists.remove_list_items(
        call.services.uow(),
        call.services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        list_ids=ids,
        domains=_domains(call),
    )


LIST_ITEMS = Kind(
    id_column="customer_list_id",
    read=schemas.list_fields,
    entry=documents.list_entry,
    load=_load_list_items,
    add=_add_list_items,
    change=_change_list_item,
    remove=_remove_list_items,
)


def _methods(kind: Kind) -> dict[str, Callable[[Call], Awaitable[Response]]]:
    return {
        "GET": partial(get_items, kind),
        "POST": partial(post_items, kind),
        "PATCH": partial(patch_item, kind),
        "DELETE": partial(delete_items, kind),
    }


# By the value of ``related``.
HANDLERS = {
    "address": _methods(ADDRESSES),
    "property": _methods(PROPERTIES),
    "relationships": _methods(LIST_ITEMS),
}
