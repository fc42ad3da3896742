"""Discovery: the root document, the per-resource descriptions, and what is not served."""

from __future__ import annotations

from typing import Any

import pytest

from tests.faces.jsonapi.wire import (
    BARE_HEADERS,
    DATA_HEADERS,
    OPTIONS_HEADERS,
    ROOT_HEADERS,
    TOKEN,
    Shopper,
    assert_doc,
    error_doc,
    meta,
    url,
)

pytestmark = pytest.mark.anyio

RESOURCES = (
    "attribute",
    "basket",
    "catalog",
    "customer",
    "locale",
    "order",
    "product",
    "review",
    "service",
    "site",
    "stock",
    "subscription",
    "supplier",
)
S, F, I = "string", "float", "integer"  # noqa: E741
ADDRESS_FIELDS = [
    ("salutation", S, "", False),
    ("company", S, "", False),
    ("vatid", S, "", False),
    ("title", S, "", False),
    ("firstname", S, "", False),
    ("lastname", S, "", True),
    ("address1", S, "", True),
    ("address2", S, "", False),
    ("address3", S, "", False),
    ("postal", S, "", False),
    ("city", S, "", True),
    ("state", S, "", False),
    ("countryid", S, "", True),
    ("languageid", S, "", False),
    ("telephone", S, "", False),
    ("telefax", S, "", False),
    ("email", S, "", False),
    ("website", S, "", False),
    ("longitude", F, "", False),
    ("latitude", F, "", False),
]
CUSTOMER = [
    *(("customer." + name, *rest) for name, *rest in ADDRESS_FIELDS),
    ("customer.label", S, "", True),
    ("customer.code", S, "", False),
    ("customer.password", S, "", False),
    ("customer.birthday", S, "", False),
    ("customer.status", I, "1", False),
]
ADDRESS = [
    *(("customer.address." + name, *rest) for name, *rest in ADDRESS_FIELDS),
    ("customer.address.birthday", S, "", False),
]
PROPERTY = [
    ("customer.property.type", S, "", True),
    ("customer.property.languageid", S, "", False),
    ("customer.property.value", S, "", False),
]
RELATIONSHIPS = [
    ("customer.lists.refid", S, "", True),
    ("customer.lists.domain", S, "", True),
    ("customer.lists.type", S, "", False),
    ("customer.lists.config", S, "[]", False),
    ("customer.lists.datestart", S, "", False),
    ("customer.lists.dateend", S, "", False),
    ("customer.lists.status", S, "1", False),
]


def _root(query: str = "") -> dict[str, Any]:
    return {
        "meta": {
            **meta(),
            "locale": {},
            "resources": {name: url(name, query) for name in RESOURCES},
        }
    }


@pytest.mark.parametrize("method", ["OPTIONS", "GET"])
async def test_the_root_lists_every_resource(anon: Shopper, method: str) -> None:
    response = await anon.request(method, "/jsonapi")
    assert_doc(response, 200, _root(), ROOT_HEADERS)
    assert response.json()["meta"]["csrf"]["value"] == anon.token


async def test_locale_and_currency_are_carried_into_every_resource_url(anon: Shopper) -> None:
    response = await anon.request("OPTIONS", "/jsonapi?currency=EUR&locale=de&x=1")
    assert_doc(response, 200, _root("locale=de&currency=EUR"), ROOT_HEADERS)


def _described(response: Any, expected: list[tuple[str, str, str, bool]]) -> None:
    attributes = response.json()["meta"]["attributes"]
    assert [
        (key, a["type"], a["default"], a["required"]) for key, a in attributes.items()
    ] == expected
    for description in attributes.values():
        assert list(description) == ["label", "type", "default", "required"]
        assert isinstance(description["label"], str)
        assert description["label"]


@pytest.mark.parametrize(
    ("related", "expected", "count"),
    [
        ("", CUSTOMER, 25),
        ("?related=address", ADDRESS, 21),
        ("?related=property", PROPERTY, 3),
        ("?related=relationships", RELATIONSHIPS, 7),
    ],
)
async def test_options_describe_the_attributes(
    anon: Shopper, related: str, expected: list[Any], count: int
) -> None:
    response = await anon.request("OPTIONS", f"/jsonapi/customer{related}")
    body = response.json()
    assert_doc(
        response,
        200,
        {"meta": {**meta(), "attributes": body["meta"]["attributes"]}},
        OPTIONS_HEADERS,
    )
    _described(response, expected)
    assert len(expected) == count


async def test_the_old_password_and_mobile_are_accepted_but_not_listed(anon: Shopper) -> None:
    attributes = (await anon.request("OPTIONS", "/jsonapi/customer")).json()["meta"]["attributes"]
    assert "customer.oldpassword" not in attributes
    assert "customer.mobile" not in attributes


@pytest.mark.parametrize("resource", ["basket", "product", "order", "nothing-here"])
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE", "OPTIONS"])
async def test_resources_patron_does_not_serve_answer_404(
    anon: Shopper, resource: str, method: str
) -> None:
    response = await anon.request(method, f"/jsonapi/{resource}", csrf=False)
    body = error_doc(url(resource), {"title": f'Resource "{resource}" is not available'})
    assert_doc(response, 404, body, BARE_HEADERS)


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE", "OPTIONS"])
async def test_unknown_sub_resources_answer_404(anon: Shopper, method: str) -> None:
    response = await anon.request(method, "/jsonapi/customer?related=review", csrf=False)
    body = error_doc(
        url(query="related=review"), {"title": 'Resource "customer/review" is not available'}
    )
    assert_doc(response, 404, body, DATA_HEADERS)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/jsonapi/customer"),
        ("PUT", "/jsonapi/customer?related=address"),
        ("PUT", "/jsonapi/basket"),
        ("PUT", "/jsonapi"),
        ("POST", "/jsonapi"),
        ("PATCH", "/jsonapi"),
        ("DELETE", "/jsonapi"),
        ("TRACE", "/jsonapi/customer"),
    ],
)
async def test_unsupported_methods_answer_403_not_allowed(
    anon: Shopper, method: str, path: str
) -> None:
    response = await anon.http.request(method, path)
    body = {"errors": [{"title": "Not allowed for this resource"}]}
    assert_doc(response, 403, body, BARE_HEADERS)


async def test_unknown_paths_under_jsonapi_answer_in_this_format(anon: Shopper) -> None:
    response = await anon.http.get("/jsonapi/customer/address")
    assert_doc(response, 404, {"errors": [{"title": "Not Found"}]}, BARE_HEADERS)


async def test_every_answer_carries_the_token_and_anonymous_callers_get_a_nonce(
    anon: Shopper,
) -> None:
    first = await anon.http.get("/jsonapi/customer")
    cookie = first.headers["set-cookie"]
    assert cookie.startswith("patron_csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    token = first.json()["meta"]["csrf"]["value"]
    assert token == TOKEN
    # The nonce is kept: the token stays the same and no new cookie is set.
    again = await anon.http.request("OPTIONS", "/jsonapi/customer?related=address")
    assert "set-cookie" not in again.headers
    assert again.json()["meta"]["csrf"]["value"] == token


@pytest.mark.parametrize(
    "path", ["/jsonapi", "/jsonapi/customer", "/jsonapi/customer?related=address"]
)
async def test_head_answers_like_get_without_a_body(anon: Shopper, path: str) -> None:
    response = await anon.http.head(path)
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-type"] == "application/vnd.api+json"
