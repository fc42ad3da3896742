"""Helpers for the JSON:API contract tests: expected documents and whole-response assertions.

Expected bodies are written out in full; generated values (CSRF tokens) are matched by format.
Clients talk to ``http://localhost:8000`` so links read as in seed 003.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.faces.evershop.wire import Re

BASE = "http://localhost:8000"
MEDIA_TYPE = "application/vnd.api+json"
TOKEN = Re(r"[A-Za-z0-9_-]{43}")
PASSWORD = "Secret-67c44859"
DATA_HEADERS = {
    "content-type": MEDIA_TYPE,
    "allow": "DELETE,GET,OPTIONS,PATCH,POST",
    "cache-control": "no-cache, private",
}
OPTIONS_HEADERS = {**DATA_HEADERS, "cache-control": "max-age=300"}
ROOT_HEADERS = {"content-type": MEDIA_TYPE, "allow": "GET", "cache-control": "max-age=300"}
BARE_HEADERS = {"content-type": MEDIA_TYPE}
CUSTOMER_URL = f"{BASE}/jsonapi/customer"
# Attributes of the empty (anonymous) customer, in Aimeos' order.
EMPTY_CUSTOMER: dict[str, Any] = {
    "customer.id": None,
    "customer.salutation": "",
    "customer.company": "",
    "customer.vatid": "",
    "customer.title": "",
    "customer.firstname": "",
    "customer.lastname": "",
    "customer.address1": "",
    "customer.address2": "",
    "customer.address3": "",
    "customer.postal": "",
    "customer.city": "",
    "customer.state": "",
    "customer.languageid": None,
    "customer.countryid": None,
    "customer.telephone": "",
    "customer.mobile": "",
    "customer.email": "",
    "customer.telefax": "",
    "customer.website": "",
    "customer.longitude": None,
    "customer.latitude": None,
    "customer.birthday": None,
    "customer.label": "",
    "customer.code": "",
}
EMPTY_ADDRESS: dict[str, Any] = {
    "customer.address.type": "delivery",
    "customer.address.salutation": "",
    "customer.address.company": "",
    "customer.address.vatid": "",
    "customer.address.title": "",
    "customer.address.firstname": "",
    "customer.address.lastname": "",
    "customer.address.address1": "",
    "customer.address.address2": "",
    "customer.address.address3": "",
    "customer.address.postal": "",
    "customer.address.city": "",
    "customer.address.state": "",
    "customer.address.countryid": None,
    "customer.address.languageid": None,
    "customer.address.telephone": "",
    "customer.address.telefax": "",
    "customer.address.mobile": "",
    "customer.address.email": "",
    "customer.address.website": "",
    "customer.address.longitude": None,
    "customer.address.latitude": None,
    "customer.address.birthday": None,
    "customer.address.position": 0,
}


def meta(total: int | None = None, token: object = TOKEN) -> dict[str, Any]:
    """The ``meta`` every document starts with."""
    found: dict[str, Any] = {} if total is None else {"total": total}
    found.update(
        {
            "prefix": None,
            "content-baseurl": "",
            "content-baseurls": {"fs-media": "", "fs-mimeicon": "", "fs-theme": ""},
            "csrf": {"name": "_token", "value": token},
        }
    )
    return found


def url(resource: str = "customer", query: str = "") -> str:
    return f"{BASE}/jsonapi/{resource}" + (f"?{query}" if query else "")


def assert_headers(response: httpx.Response, headers: dict[str, str]) -> None:
    """The listed headers exactly, and none of the other two of Allow/Cache-Control."""
    for name in ("content-type", "allow", "cache-control"):
        assert response.headers.get(name) == headers.get(name), (name, response.headers)


def assert_doc(
    response: httpx.Response,
    status: int,
    body: Any,
    headers: dict[str, str] = DATA_HEADERS,
) -> Any:
    """Exact status, content type, Allow and Cache-Control, and the whole body."""
    assert response.status_code == status, response.text
    assert_headers(response, headers)
    parsed = response.json()
    assert parsed == body
    return parsed


def error_doc(
    status_self: str,
    *errors: dict[str, Any],
    related: str | None = None,
    token: object = TOKEN,
) -> dict[str, Any]:
    """An error document: ``meta`` (total 0), ``links.self`` (and ``related``), ``errors``."""
    links = {"self": status_self}
    if related is not None:
        links["related"] = related
    return {"meta": meta(0, token), "links": links, "errors": list(errors)}


def invalid(title: str, pointer: str) -> dict[str, Any]:
    return {"title": title, "source": {"pointer": pointer}}


def sub_links(customer_id: str | None) -> dict[str, Any]:
    prefix = f"id={customer_id}&" if customer_id else ""
    return {
        f"customer/{name}": {
            "href": url(query=f"{prefix}related={name}"),
            "allow": ["GET", "POST"],
        }
        for name in ("address", "property", "relationships", "review")
    }


def customer_entry(customer_id: str | None, attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": customer_id,
        "type": "customer",
        "links": {
            "self": {
                "href": url(query=f"id={customer_id}" if customer_id else ""),
                "allow": ["DELETE", "GET", "PATCH"],
            }
        },
        "attributes": attributes,
    }


def customer_doc(
    customer_id: str | None,
    attributes: dict[str, Any],
    *,
    self_link: str = CUSTOMER_URL,
    relationships: dict[str, Any] | None = None,
    included: list[Any] | None = None,
    token: object = TOKEN,
) -> dict[str, Any]:
    """The whole customer document of a GET or PATCH."""
    entry = customer_entry(customer_id, attributes)
    if relationships is not None:
        entry["relationships"] = relationships
    return {
        "meta": meta(1, token),
        "links": {"self": self_link, **sub_links(customer_id)},
        "data": entry,
        "included": included or [],
    }


def id_only_doc(customer_id: str, *, self_link: str = CUSTOMER_URL) -> dict[str, Any]:
    """The 201 answer to a POST of the customer."""
    entry = customer_entry(customer_id, {"customer.id": customer_id})
    return {
        "meta": meta(1),
        "links": {"self": self_link, **sub_links(customer_id)},
        "data": entry,
        "included": [],
    }


def customer_attributes(customer_id: str, email: str, **values: Any) -> dict[str, Any]:
    """The 25 attributes of a stored customer: defaults, ``customer.code`` = email, overrides."""
    found = {**EMPTY_CUSTOMER, "customer.id": customer_id, "customer.email": email}
    found["customer.code"] = email
    for key, value in values.items():
        found[f"customer.{key}"] = value
    return found


def address_attributes(address_id: str, **values: Any) -> dict[str, Any]:
    found = {"customer.address.id": address_id, **EMPTY_ADDRESS}
    for key, value in values.items():
        found[f"customer.address.{key}"] = value
    return found


def address_links(customer_id: str, address_id: str, basket: str) -> dict[str, Any]:
    return {
        "self": {
            "href": url(query=f"id={customer_id}&related=address&relatedid={address_id}"),
            "allow": ["DELETE", "GET", "PATCH"],
        },
        "basket.address": {
            "href": url("basket", f"id=default&related=address&relatedid={basket}"),
            "allow": ["POST"],
        },
    }


def address_entry(customer_id: str, address_id: str, **values: Any) -> dict[str, Any]:
    """An address as the address sub-resource shows it."""
    return {
        "id": address_id,
        "type": "customer.address",
        "links": address_links(customer_id, address_id, "delivery"),
        "attributes": address_attributes(address_id, **values),
    }


def property_entry(
    customer_id: str, property_id: str, type_: str, value: str, language: str | None = None
) -> dict[str, Any]:
    return {
        "id": property_id,
        "type": "customer.property",
        "links": {
            "self": {
                "href": url(query=f"id={customer_id}&related=property&relatedid={property_id}"),
                "allow": ["DELETE", "GET", "PATCH"],
            }
        },
        "attributes": {
            "customer.property.id": property_id,
            "customer.property.languageid": language,
            "customer.property.value": value,
            "customer.property.type": type_,
        },
    }


def list_attributes(list_id: str, refid: str, **values: Any) -> dict[str, Any]:
    found = {
        "customer.lists.id": list_id,
        "customer.lists.domain": "product",
        "customer.lists.refid": refid,
        "customer.lists.datestart": None,
        "customer.lists.dateend": None,
        "customer.lists.config": [],
        "customer.lists.position": 0,
        "customer.lists.status": 1,
        "customer.lists.type": "default",
    }
    for key, value in values.items():
        found[f"customer.lists.{key}"] = value
    return found


def list_entry(
    customer_id: str, list_id: str, refid: str, include: str = "product", **values: Any
) -> dict[str, Any]:
    query = f"id={customer_id}&related=relationships&relatedid={list_id}&include={include}"
    return {
        "id": list_id,
        "type": "customer.lists",
        "links": {"self": {"href": url(query=query), "allow": ["DELETE", "GET", "PATCH"]}},
        "attributes": list_attributes(list_id, refid, **values),
    }


def sub_doc(
    self_link: str,
    total: int,
    data: Any = ...,
    *,
    related: str | None = None,
    token: object = TOKEN,
) -> dict[str, Any]:
    """A sub-resource document (``data`` left out when ``...``)."""
    links = {"self": self_link}
    if related is not None:
        links["related"] = related
    found: dict[str, Any] = {"meta": meta(total, token), "links": links}
    if data is not ...:
        found["data"] = data
    return found


@dataclass
class Shopper:
    """A JSON:API client as Aimeos' storefront is one: it keeps cookies, reads ``meta.csrf``
    from every answer and sends the token back with each write (``X-CSRF-TOKEN``)."""

    http: httpx.AsyncClient
    token: str = ""
    sid: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def _remember(self, response: httpx.Response) -> httpx.Response:
        if response.headers.get("content-type") == MEDIA_TYPE:
            body = response.json()
            csrf = body.get("meta", {}).get("csrf") if isinstance(body, dict) else None
            if csrf:
                self.token = csrf["value"]
        return response

    async def refresh(self) -> str:
        """Read the current token as a client does: ``OPTIONS /jsonapi``."""
        self._remember(await self.http.options("/jsonapi", headers=self.extra))
        return self.token

    async def request(
        self, method: str, target: str, *, json: Any = None, csrf: bool = True, **kw: Any
    ) -> httpx.Response:
        headers = {**self.extra, **kw.pop("headers", {})}
        if csrf and method not in ("GET", "OPTIONS"):
            headers.setdefault("X-CSRF-TOKEN", self.token or await self.refresh())
        response = await self.http.request(method, target, json=json, headers=headers, **kw)
        return self._remember(response)

    async def get(self, target: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", target, **kw)

    async def post(self, target: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.request("POST", target, json=json, **kw)

    async def patch(self, target: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.request("PATCH", target, json=json, **kw)

    async def delete(self, target: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.request("DELETE", target, json=json, **kw)

    async def login(self, email: str, password: str = PASSWORD) -> str:
        """``POST /customer/login`` (EverShop's face): the ``sid`` cookie, and a new token."""
        response = await self.http.post(
            "/customer/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        self.sid = response.json()["data"]["sid"]
        await self.refresh()
        assert self.sid is not None
        return self.sid


def attributes(**values: Any) -> dict[str, Any]:
    """``{"data": {"attributes": {...}}}`` from ``customer.x=...`` keywords written ``x=``."""
    return {"data": {"attributes": {f"customer.{k}": v for k, v in values.items()}}}
