"""Reading request documents the way Aimeos does, with 400s where Aimeos would fail.

Aimeos parses the body as JSON whatever the content type, so this face does too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from patron.core.errors import AuthenticationRequired, InvalidInput, at_entry
from patron.faces.jsonapi import schemas
from patron.faces.jsonapi.context import Call, Caller
from patron.faces.jsonapi.errors import INVALID_BODY, DocumentError

LOGIN_REQUIRED = "Authentication required"
ATTRIBUTES_MISSING = "Attributes are missing"
ID_MISSING = "ID is missing"
MAX_ENTRIES = 100


def signed_in(call: Call) -> Caller:
    """The caller, or 401 ``Authentication required`` (DECISIONS: anonymous writes)."""
    if call.caller is None:
        raise AuthenticationRequired(LOGIN_REQUIRED)
    return call.caller


def _attributes(value: Any) -> dict[str, Any] | None:
    """An attributes object; PHP's ``[]`` is an empty one."""
    if value == []:
        return {}
    return value if isinstance(value, dict) else None


async def attributes_of(call: Call) -> dict[str, Any]:
    """``data.attributes`` of a single-resource document, else 400 ``Invalid JSON in body``."""
    body = await call.body()
    data = body.get("data") if isinstance(body, dict) else None
    attributes = _attributes(data.get("attributes")) if isinstance(data, dict) else None
    if attributes is None:
        raise DocumentError(400, INVALID_BODY, "/data/attributes")
    return attributes


async def _data(call: Call) -> list[Any]:
    """``data`` as a list of entries (one object or an array of them)."""
    body = await call.body()
    data = body.get("data") if isinstance(body, dict) else None
    if data is None:
        raise DocumentError(400, INVALID_BODY, "/data")
    if not isinstance(data, list):
        return [data]
    call.data_is_list = True
    if len(data) > MAX_ENTRIES:
        raise DocumentError(400, f"At most {MAX_ENTRIES} entries per request", "/data")
    return data


def _entry_pointer(call: Call, index: int, member: str) -> str:
    return f"/data/{index}/{member}" if call.data_is_list else f"/data/{member}"


async def entries_of(
    call: Call, read: Callable[[Mapping[str, Any]], dict[str, Any]]
) -> list[dict[str, Any]]:
    """The canonical fields of each entry of ``data`` (POST to a sub-resource)."""
    found = []
    for index, entry in enumerate(await _data(call)):
        attributes = _attributes(entry.get("attributes")) if isinstance(entry, dict) else None
        if attributes is None:
            pointer = _entry_pointer(call, index, "attributes")
            raise DocumentError(400, ATTRIBUTES_MISSING, pointer)
        try:
            found.append(read(attributes))
        except InvalidInput as exc:
            raise at_entry(index, exc) from None
    return found


async def ids_of(call: Call) -> list[int]:
    """The sub-items a DELETE names: ``relatedid``, else the ``id`` of each entry of ``data``.

    Ids that cannot be a sub-item's number are dropped: they belong to nobody's items.
    """
    related = call.param("relatedid")
    if related is not None:
        found = schemas.item_id(related)
        return [found] if found is not None else []
    ids = []
    for index, entry in enumerate(await _data(call)):
        if not isinstance(entry, dict) or "id" not in entry:
            raise DocumentError(400, ID_MISSING, _entry_pointer(call, index, "id"))
        found = schemas.item_id(entry["id"])
        if found is not None:
            ids.append(found)
    return ids
