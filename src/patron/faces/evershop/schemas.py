"""EverShop's vocabulary: request members in, response bodies out.

Validation messages follow EverShop's own wording where it has one, always naming the field
and the rule. Unknown members are ignored; server-owned members are dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from patron.core.entities import Customer, CustomerAddress
from patron.core.errors import InvalidInput
from patron.core.ports import AddressRow, CustomerFilter, CustomerPage, CustomerRow
from patron.core.tokens import stamp

LABELS = {
    "email": "Email",
    "password": "Password",
    "full_name": "Full name",
    "refreshToken": "Refresh token",
}
# Bounds that keep list parameters inside the database's 64-bit integers (page x limit too).
MAX_PAGE = 2**31 - 1
MAX_ID = 2**63 - 1
_INTEGER_RE = re.compile(r"-?[0-9]+")
SORT_KEYS = ("customer_id", "email", "full_name", "status", "created_at")
FILTER_KEYS = ("keyword", "full_name", "email", "status", "group_id", "ob", "od", "limit")
ADDRESS_MEMBERS = (
    "full_name",
    "telephone",
    "address_1",
    "address_2",
    "city",
    "province",
    "country",
    "postcode",
    "is_default",
)


def _label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def required_str(body: Mapping[str, Any], key: str) -> str:
    """A required string member; missing or another type is a 400 naming it."""
    if key not in body:
        raise InvalidInput.one(key, f"must have required property '{key}'")
    return optional_str(body, key) or ""


def optional_str(body: Mapping[str, Any], key: str) -> str | None:
    """An optional string member (absent -> None); another type is a 400 naming it."""
    value = body.get(key)
    if key in body and not isinstance(value, str):
        raise InvalidInput.one(key, f"{_label(key)} must be a string")
    return value


def parse_status(value: object) -> int:
    """EverShop's status enum: ``"0"``, ``"1"``, ``0`` or ``1``."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInput.one("status", "Status must be a string or number")
    if value not in ("0", "1", 0, 1):
        raise InvalidInput.one("status", "Status must be either 0, 1, '0', or '1'")
    return int(value)


def parse_group_id(value: object) -> int:
    """A customer group id: a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise InvalidInput.one("group_id", "Group id must be a positive integer")
    return value


def admin_changes(body: Mapping[str, Any]) -> dict[str, Any]:
    """What an admin PATCH may change: email, password, full name, status and group."""
    changes: dict[str, Any] = {}
    for key in ("email", "password", "full_name"):
        if key in body:
            changes[key] = optional_str(body, key)
    if "status" in body:
        changes["status"] = parse_status(body["status"])
    if "group_id" in body:
        changes["group_id"] = parse_group_id(body["group_id"])
    return changes


def profile_changes(body: Mapping[str, Any]) -> dict[str, Any]:
    """What a customer may change of itself here: full name and email."""
    changes: dict[str, Any] = {}
    for key in ("full_name", "email"):
        if key in body:
            changes[key] = optional_str(body, key)
    if not changes:
        raise InvalidInput.one("body", "There is nothing to update")
    if changes.get("full_name") is not None and not changes["full_name"].strip():
        raise InvalidInput.one("full_name", "Full name cannot be empty")
    return changes


def address_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The address members EverShop knows; ids and owners in the body are ignored."""
    return {key: body[key] for key in ADDRESS_MEMBERS if key in body}


def customer_body(row: CustomerRow | Customer) -> dict[str, Any]:
    """The eight public customer fields, in the documented order."""
    return {
        "customer_id": row.customer_id,
        "uuid": str(row.uuid),
        "status": row.status,
        "group_id": row.group_id,
        "email": row.email,
        "full_name": row.full_name,
        "created_at": stamp(row.created_at),
        "updated_at": stamp(row.updated_at),
    }


def _link(rel: str, href: str, action: str, types: str) -> dict[str, Any]:
    return {"rel": rel, "href": href, "action": action, "types": [types]}


def admin_links(customer_uuid: str) -> list[dict[str, Any]]:
    """The links EverShop adds after an admin create or update."""
    return [
        _link("customerGrid", "/admin/customers", "GET", "text/xml"),
        _link("edit", f"/admin/customers/edit/{customer_uuid}", "GET", "text/xml"),
    ]


def self_links() -> list[dict[str, Any]]:
    """The link EverShop adds after a customer updates itself."""
    return [_link("self", "/api/customers/me", "PATCH", "application/json")]


def embedded_address(row: AddressRow) -> dict[str, Any]:
    """An address inside ``GET /api/customers/{uuid}``, as the documentation shows it."""
    return {
        "customer_address_id": row.customer_address_id,
        "uuid": str(row.uuid),
        "full_name": row.full_name,
        "telephone": row.telephone,
        "address_1": row.address_1,
        "address_2": row.address_2,
        "city": row.city,
        "province": row.province,
        "country": row.country,
        "postcode": row.postcode,
        "is_default": row.is_default,
    }


def address_body(address: CustomerAddress) -> dict[str, Any]:
    """An address as the address routes return it."""
    return {
        "customer_address_id": address.customer_address_id,
        "uuid": str(address.uuid),
        "customer_id": address.customer_id,
        "full_name": address.full_name,
        "telephone": address.telephone,
        "address_1": address.address_1,
        "address_2": address.address_2,
        "postcode": address.postcode,
        "city": address.city,
        "province": address.province,
        "country": address.country,
        "created_at": stamp(address.created_at),
        "updated_at": stamp(address.updated_at),
        "is_default": address.is_default,
    }


def address_links(base: str) -> list[dict[str, Any]]:
    """Edit and delete links for an address at ``base``."""
    return [
        _link("edit", base, "UPDATE", "application/json"),
        _link("delete", base, "DELETE", "application/json"),
    ]


def _int_param(query: Mapping[str, str], key: str, *, maximum: int | None = None) -> int | None:
    raw = query.get(key)
    if raw is None or raw == "":
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not _INTEGER_RE.fullmatch(raw):
        raise InvalidInput.one(key, f"{key} must be an integer")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise InvalidInput.one(key, f"{key} must be at most {maximum}")
    return value


def _text_param(query: Mapping[str, str], key: str) -> str | None:
    value = query.get(key) or None
    if value is not None and "\x00" in value:
        raise InvalidInput.one(key, f"{key} must not contain NUL characters")
    return value


def list_filter(
    query: Mapping[str, str], *, max_limit: int
) -> tuple[CustomerFilter, dict[str, str]]:
    """Read the grid's query parameters; return the filter and the parameters to echo in links."""
    page = _int_param(query, "page", maximum=MAX_PAGE)
    page = 1 if page is None else page
    if page < 1:
        raise InvalidInput.one("page", "page must be an integer of at least 1")
    limit = _int_param(query, "limit")
    if limit is not None and limit < 1:
        raise InvalidInput.one("limit", "limit must be an integer of at least 1")
    status = _int_param(query, "status")
    if status is not None and status not in (0, 1):
        raise InvalidInput.one("status", "status must be 0 or 1")
    group_key = "group_id" if "group_id" in query else "group"
    group_id = _int_param(query, group_key, maximum=MAX_ID)
    if group_id is not None and group_id < 1:
        raise InvalidInput.one("group_id", "group_id must be a positive integer")
    order_by = query.get("ob") or "customer_id"
    if order_by not in SORT_KEYS:
        raise InvalidInput.one("ob", f"ob must be one of: {', '.join(SORT_KEYS)}")
    direction = (query.get("od") or "asc").lower()
    if direction not in ("asc", "desc"):
        raise InvalidInput.one("od", "od must be asc or desc")
    flt = CustomerFilter(
        keyword=_text_param(query, "keyword"),
        full_name=_text_param(query, "full_name"),
        email=_text_param(query, "email"),
        status=status,
        group_id=group_id,
        order_by=order_by,
        descending=direction == "desc",
        page=page,
        limit=min(limit or 20, max_limit),
    )
    echoed = {key: query[key] for key in FILTER_KEYS if query.get(key)}
    if group_id is not None:
        echoed["group_id"] = str(group_id)
    if limit is not None:
        echoed["limit"] = str(flt.limit)  # the page size in use, after the cap
    return flt, echoed


def list_body(page: CustomerPage, flt: CustomerFilter, echoed: dict[str, str]) -> dict[str, Any]:
    """The documented list envelope: ``data``, ``links`` and ``meta``."""
    last_page = max(1, math.ceil(page.total / flt.limit))

    def link(number: int) -> str:
        return "/api/customers?" + urlencode({**echoed, "page": number})

    first_index = (flt.page - 1) * flt.limit + 1
    rows: Sequence[CustomerRow] = page.rows
    return {
        "data": [customer_body(row) for row in rows],
        "links": {
            "first": link(1),
            "last": link(last_page),
            "prev": link(flt.page - 1) if flt.page > 1 else None,
            "next": link(flt.page + 1) if flt.page < last_page else None,
        },
        "meta": {
            "current_page": flt.page,
            "from": first_index if rows else None,
            "last_page": last_page,
            "path": "/api/customers",
            "per_page": flt.limit,
            "to": first_index + len(rows) - 1 if rows else None,
            "total": page.total,
        },
    }
