"""JSON:API documents as Aimeos renders them: ``meta``, ``links``, then ``errors`` or ``data``.

Links are absolute and built the way Aimeos' Laravel host builds them: the resource in the
path, every other parameter in the query string, RFC 3986-encoded, null values dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import orjson
from starlette.responses import Response

from patron.faces._shared.http import is_https
from patron.faces.jsonapi import csrf, schemas
from patron.faces.jsonapi.context import Call

MEDIA_TYPE = "application/vnd.api+json"
ALLOW = "DELETE,GET,OPTIONS,PATCH,POST"
DATA_HEADERS = {"Allow": ALLOW, "Cache-Control": "no-cache, private"}
OPTIONS_HEADERS = {"Allow": ALLOW, "Cache-Control": "max-age=300"}
ROOT_HEADERS = {"Allow": "GET", "Cache-Control": "max-age=300"}
# Request parameters echoed into ``links.self`` (Aimeos' list), in the order they came.
SELF_PARAMETERS = frozenset(
    {"id", "related", "relatedid", "filter", "page", "sort", "include", "fields"}
)
SUB_SELF_ALLOW = ["DELETE", "GET", "PATCH"]
LIST_ALLOW = ["GET", "POST"]
Params = Iterable[tuple[str, str | None]]


class JsonApiResponse(Response):
    """``application/vnd.api+json`` rendered once by orjson (two-space indent when pretty)."""

    media_type = MEDIA_TYPE

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        *,
        pretty: bool = False,
    ) -> None:
        self._pretty = pretty
        super().__init__(content, status_code, headers)

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_INDENT_2 if self._pretty else 0)


def url(call: Call, resource: str, params: Params = ()) -> str:
    """``<base>/jsonapi/<resource>?<params>``, null values dropped."""
    query = "&".join(
        f"{quote(key, safe='')}={quote(value, safe='')}"
        for key, value in params
        if value is not None
    )
    return f"{call.base}/jsonapi/{resource}" + (f"?{query}" if query else "")


def _echoed(call: Call, *, without: str | None = None) -> list[tuple[str, str | None]]:
    params: dict[str, str] = {}
    for key, value in call.request.query_params.multi_items():
        if key.split("[", 1)[0] in SELF_PARAMETERS and key != without:
            params[key] = value
    return list(params.items())


def self_link(call: Call) -> str:
    """This request's URL, rebuilt from the parameters Aimeos echoes."""
    return url(call, call.resource, _echoed(call))


def related_link(call: Call) -> str:
    """This request's URL without ``relatedid``."""
    return url(call, call.resource, _echoed(call, without="relatedid"))


def meta(call: Call, total: int | None = None) -> dict[str, Any]:
    """The ``meta`` every document starts with; ``total`` when the document has one."""
    base = call.services.settings.jsonapi_content_baseurl
    found: dict[str, Any] = {} if total is None else {"total": total}
    found["prefix"] = None
    found["content-baseurl"] = base
    found["content-baseurls"] = {"fs-media": base, "fs-mimeicon": base, "fs-theme": base}
    found["csrf"] = {"name": csrf.NAME, "value": call.csrf_token}
    return found


def respond(
    call: Call, body: dict[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """The response, with the nonce cookie when this call made one."""
    response = JsonApiResponse(body, status, headers, pretty=call.pretty())
    if call.nonce_to_set:
        response.set_cookie(
            csrf.NONCE_COOKIE,
            call.nonce_to_set,
            path="/",
            httponly=True,
            samesite="lax",
            secure=is_https(call.request, call.services.settings.cookie_secure),
        )
    return response


def headers_for(call: Call) -> dict[str, str]:
    """Data headers on the customer resource; other resources answer with the type alone."""
    return DATA_HEADERS if call.resource == "customer" else {}


def error(
    call: Call,
    status: int,
    errors: list[dict[str, Any]],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error document: ``meta`` (total 0), ``links.self``, ``errors``."""
    links = {"self": self_link(call)}
    if call.related == "relationships" and call.resource == "customer":
        links["related"] = related_link(call)
    body = {"meta": meta(call, 0), "links": links, "errors": errors}
    return respond(call, body, status, {**headers_for(call), **(headers or {})})


# --- root and descriptions -----------------------------------------------------------------


def root(call: Call, resources: Sequence[str]) -> Response:
    """``OPTIONS``/``GET /jsonapi``: where the resources are."""
    extra = [(name, call.param(name) or None) for name in ("locale", "currency")]
    body = {
        "meta": {
            **meta(call),
            "locale": {},
            "resources": {name: url(call, name, extra) for name in resources},
        }
    }
    return respond(call, body, 200, ROOT_HEADERS)


def description(call: Call, attributes: Mapping[str, Any]) -> Response:
    """``OPTIONS /jsonapi/customer[?related=…]``: the attributes a write may carry."""
    return respond(call, {"meta": {**meta(call), "attributes": attributes}}, 200, OPTIONS_HEADERS)


# --- the customer ----------------------------------------------------------------------------


def _sub_links(call: Call, customer_id: str | None) -> dict[str, Any]:
    return {
        f"customer/{name}": {
            "href": url(call, "customer", [("id", customer_id), ("related", name)]),
            "allow": LIST_ALLOW,
        }
        for name in ("address", "property", "relationships", "review")
    }


def _customer_entry(call: Call, customer_id: str | None) -> dict[str, Any]:
    return {
        "id": customer_id,
        "type": "customer",
        "links": {
            "self": {
                "href": url(call, "customer", [("id", customer_id)]),
                "allow": ["DELETE", "GET", "PATCH"],
            }
        },
    }


def address_links(call: Call, row: Mapping[str, Any], basket: str) -> dict[str, Any]:
    """``self`` and ``basket.address`` of an address (``basket`` names the basket address)."""
    params = [
        ("id", str(row["customer_id"])),
        ("related", "address"),
        ("relatedid", str(row["customer_address_id"])),
    ]
    basket_params = [("id", "default"), ("related", "address"), ("relatedid", basket)]
    return {
        "self": {"href": url(call, "customer", params), "allow": SUB_SELF_ALLOW},
        "basket.address": {"href": url(call, "basket", basket_params), "allow": ["POST"]},
    }


def property_links(call: Call, row: Mapping[str, Any]) -> dict[str, Any]:
    """``self`` of a property."""
    params = [
        ("id", str(row["customer_id"])),
        ("related", "property"),
        ("relatedid", str(row["customer_property_id"])),
    ]
    return {"self": {"href": url(call, "customer", params), "allow": SUB_SELF_ALLOW}}


def _list_relationship(call: Call, row: Mapping[str, Any]) -> dict[str, Any]:
    rtype = row["domain"].replace("/", ".")
    params = [
        ("id", str(row["customer_id"])),
        ("related", "relationships"),
        ("relatedid", str(row["customer_list_id"])),
    ]
    return {
        "id": row["refid"],
        "type": rtype,
        "attributes": schemas.list_attributes(row),
        "links": {"self": {"href": url(call, rtype, params), "allow": ["DELETE", "PATCH"]}},
    }


def _relationships(
    call: Call,
    addresses: Sequence[Mapping[str, Any]],
    list_items: Sequence[Mapping[str, Any]],
    properties: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for row in addresses:
        entry = {"id": str(row["customer_address_id"]), "type": "customer.address"}
        found.setdefault("customer.address", {"data": []})["data"].append(entry)
    for row in list_items:
        entry = _list_relationship(call, row)
        found.setdefault(entry["type"], {"data": []})["data"].append(entry)
    for row in properties:
        entry = {"id": str(row["customer_property_id"]), "type": "customer.property"}
        found.setdefault("customer.property", {"data": []})["data"].append(entry)
    return found


def _included(
    call: Call,
    addresses: Sequence[Mapping[str, Any]],
    properties: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Addresses, then the items list entries point at (none are served), then properties;
    each (type, id) once."""
    fields = call.fields()
    seen: set[tuple[str, str]] = set()
    found: list[dict[str, Any]] = []

    def add(rtype: str, attributes: dict[str, Any], links: dict[str, Any]) -> None:
        key = (rtype, attributes[f"{rtype}.id"])
        if key not in seen:
            seen.add(key)
            found.append(
                {
                    "id": key[1],
                    "type": rtype,
                    "attributes": schemas.only(attributes, fields.get(rtype)),
                    "links": links,
                }
            )

    for row in addresses:
        add(
            "customer.address",
            schemas.address_attributes(row),
            address_links(call, row, "payment"),
        )
    for row in properties:
        add("customer.property", schemas.property_attributes(row), property_links(call, row))
    return found


def customer(
    call: Call,
    item: Any | None,
    *,
    addresses: Sequence[Mapping[str, Any]] = (),
    list_items: Sequence[Mapping[str, Any]] = (),
    properties: Sequence[Mapping[str, Any]] = (),
    status: int = 200,
) -> Response:
    """The customer document of GET and PATCH (``item`` None: the empty, anonymous customer)."""
    customer_id = str(item.customer_id) if item is not None else None
    entry = _customer_entry(call, customer_id)
    attributes = schemas.customer_attributes(item)
    entry["attributes"] = schemas.only(attributes, call.fields().get("customer"))
    relationships = _relationships(call, addresses, list_items, properties)
    if relationships:
        entry["relationships"] = relationships
    body = {
        "meta": meta(call, 1),
        "links": {"self": self_link(call), **_sub_links(call, customer_id)},
        "data": entry,
        "included": _included(call, addresses, properties),
    }
    return respond(call, body, status, DATA_HEADERS)


def customer_id_only(call: Call, customer_id: int) -> Response:
    """The answer to a POST: 201 with nothing but the id ("don't expose more data")."""
    entry = _customer_entry(call, str(customer_id))
    entry["attributes"] = {"customer.id": str(customer_id)}
    body = {
        "meta": meta(call, 1),
        "links": {"self": self_link(call), **_sub_links(call, str(customer_id))},
        "data": entry,
        "included": [],
    }
    return respond(call, body, 201, DATA_HEADERS)


def deleted(call: Call) -> Response:
    """The answer to a DELETE: ``meta`` with total 0 and ``links.self``; no data."""
    body = {"meta": meta(call, 0), "links": {"self": self_link(call)}}
    return respond(call, body, 200, DATA_HEADERS)


# --- sub-resources ---------------------------------------------------------------------------

_NO_DATA = object()


def address_entry(call: Call, row: Mapping[str, Any]) -> dict[str, Any]:
    """One address of the address sub-resource."""
    attributes = schemas.address_attributes(row)
    return {
        "id": attributes["customer.address.id"],
        "type": "customer.address",
        "links": address_links(call, row, "delivery"),
        "attributes": schemas.only(attributes, call.fields().get("customer.address")),
    }


def property_entry(call: Call, row: Mapping[str, Any]) -> dict[str, Any]:
    """One property of the property sub-resource."""
    attributes = schemas.property_attributes(row)
    return {
        "id": attributes["customer.property.id"],
        "type": "customer.property",
        "links": property_links(call, row),
        "attributes": schemas.only(attributes, call.fields().get("customer.property")),
    }


def list_entry(call: Call, row: Mapping[str, Any]) -> dict[str, Any]:
    """One list item of the relationships sub-resource."""
    attributes = schemas.list_attributes(row)
    params = [
        ("id", str(row["customer_id"])),
        ("related", "relationships"),
        ("relatedid", attributes["customer.lists.id"]),
        ("include", call.param("include") or None),
    ]
    return {
        "id": attributes["customer.lists.id"],
        "type": "customer.lists",
        "links": {"self": {"href": url(call, "customer", params), "allow": SUB_SELF_ALLOW}},
        "attributes": schemas.only(attributes, call.fields().get("customer.lists")),
    }


def sub_items(call: Call, total: int, data: object = _NO_DATA, status: int = 200) -> Response:
    """A sub-resource document; ``data`` is left out when there is nothing to show."""
    links = {"self": self_link(call)}
    if call.related == "relationships":
        links["related"] = related_link(call)
    body: dict[str, Any] = {"meta": meta(call, total), "links": links}
    if data is not _NO_DATA:
        body["data"] = data
    return respond(call, body, status, DATA_HEADERS)
