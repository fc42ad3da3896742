"""Bad input never reaches a 500: malformed documents, wrong types, NUL characters, huge bodies,
odd ids and credentials; every core error renders as a JSON:API document."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import text

from patron.core.errors import (
    AuthenticationFailed,
    AuthenticationRequired,
    Conflict,
    DomainError,
    ErrorCode,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from patron.faces._shared.services import Services
from patron.faces.jsonapi.errors import JsonApiRoute
from patron.main import create_app
from tests.faces.jsonapi.conftest import ADA
from tests.faces.jsonapi.wire import (
    BARE_HEADERS,
    BASE,
    CUSTOMER_URL,
    EMPTY_CUSTOMER,
    PASSWORD,
    Shopper,
    assert_doc,
    attributes,
    customer_doc,
    error_doc,
    invalid,
    url,
)

pytestmark = pytest.mark.anyio

INVALID_BODY = "Invalid JSON in body"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'"data"',
        b"42",
        b'{"data": null}',
        b'{"data": []}',
        b'{"data": [{"attributes": {}}]}',
        b'{"data": {"attributes": null}}',
        b'{"data": {"attributes": "x"}}',
        b'{"data": {"attributes": 5}}',
        b"\xff\xfe{}",
        b'{"data": {"attributes": {"customer.city": "\\ud800"}}}',
        b"[" * 2000 + b"]" * 2000,
        b'{"data": {"attributes": {"customer.longitude": 1e400}}}',
    ],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_unusable_customer_documents_answer_400(
    ada: Shopper, method: str, content: bytes
) -> None:
    response = await ada.request(
        method, "/jsonapi/customer", content=content, headers={"content-type": "application/json"}
    )
    body = error_doc(CUSTOMER_URL, invalid(INVALID_BODY, "/data/attributes"))
    assert_doc(response, 400, body)


async def test_the_content_type_is_not_checked_as_in_aimeos(anon: Shopper) -> None:
    # jQuery's default (form-encoded) with a JSON body, as Aimeos' own examples send it.
    response = await anon.request(
        "POST",
        "/jsonapi/customer",
        content=b'{"data":{"attributes":{"customer.email":"a@example.com",'
        b'"customer.password":"Secret-67c44859"}}}',
        headers={"content-type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("value", "title"),
    [
        ({"city": "x"}, "Email must be a string"),
        (["x"], "Email must be a string"),
        ("a\x00@example.com", "Email must not contain NUL characters"),
    ],
)
async def test_wrong_types_and_nul_characters_answer_400(
    anon: Shopper, value: Any, title: str
) -> None:
    response = await anon.post("/jsonapi/customer", json=attributes(email=value, password=PASSWORD))
    if "\x00" in str(value):
        title = 'Invalid characters in email address: "a\x00@example.com"'
    body = error_doc(CUSTOMER_URL, invalid(title, "/data/attributes/customer.email"))
    assert_doc(response, 400, body)


@pytest.mark.parametrize(
    "attribute",
    ["customer.password", "customer.oldpassword", "customer.code", "customer.label"],
)
async def test_nul_characters_anywhere_are_refused(ada: Shopper, attribute: str) -> None:
    values = {"customer.oldpassword": PASSWORD, attribute: "a\x00b"}
    if attribute == "customer.oldpassword":
        values["customer.password"] = "New-password-1"
    response = await ada.patch("/jsonapi/customer", json={"data": {"attributes": values}})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/vnd.api+json"


async def test_bodies_over_the_cap_answer_413_in_this_format(anon: Shopper) -> None:
    huge = b'{"data":{"attributes":{"customer.city":"' + b"x" * (1024 * 1024) + b'"}}}'
    response = await anon.request(
        "POST", "/jsonapi/customer", content=huge, headers={"content-type": "application/json"}
    )
    assert_doc(response, 413, {"errors": [{"title": "Request body is too large"}]}, BARE_HEADERS)

    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 65536

    response = await anon.http.post("/jsonapi/customer?related=address", content=chunks())
    assert_doc(response, 413, {"errors": [{"title": "Request body is too large"}]}, BARE_HEADERS)


@pytest.mark.parametrize(
    "query",
    [
        "include=customer/address%00,product%00,%00",
        "include=" + ",".join(f"d{n}" for n in range(50)),
        "include=" + "x" * 5000,
        "fields%5Bcustomer%5D=%00",
        "id=%00&relatedid=%00",
        "related=address&relatedid=%00",
        "related=address&relatedid=99999999999999999999999",
        "related=relationships&include=%00product",
        "pretty=%00",
    ],
)
async def test_odd_query_parameters_never_fail(ada: Shopper, query: str) -> None:
    response = await ada.get(f"/jsonapi/customer?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.api+json"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Session-ID": "x" * 5000},
        {"X-Session-ID": "%00"},
        {"Cookie": "sid=%00; patron_csrf=%00"},
        {"Cookie": "patron_csrf=" + "a" * 43},
    ],
)
async def test_odd_credentials_read_as_anonymous(anon: Shopper, headers: dict[str, str]) -> None:
    response = await anon.http.get("/jsonapi/customer", headers=headers)
    assert_doc(response, 200, customer_doc(None, EMPTY_CUSTOMER))


async def test_odd_ids_in_a_delete_body_are_skipped(ada: Shopper) -> None:
    response = await ada.delete(
        "/jsonapi/customer?related=property",
        json={"data": [{"id": None}, {"id": True}, {"id": 1.5}, {"id": ["1"]}, {"id": -1}]},
    )
    assert response.status_code == 200, response.text


# ---- every core error, rendered ----------------------------------------------------------

CASES: list[tuple[DomainError, int, list[dict[str, Any]]]] = [
    (
        InvalidInput.one("city", "City is odd"),
        400,
        [invalid("City is odd", "/data/attributes/customer.city")],
    ),
    (InvalidInput.one("elsewhere", "Odd"), 400, [invalid("Odd", "/data")]),
    (
        AuthenticationFailed("Invalid email or password"),
        401,
        [{"title": "Invalid email or password"}],
    ),
    (
        AuthenticationRequired("Authentication required"),
        401,
        [{"title": "Authentication required"}],
    ),
    (PermissionDenied("No"), 403, [{"title": "No"}]),
    (NotFound("Customer not found"), 404, [{"title": "Customer not found"}]),
    (
        Conflict("Email is already used", field="email"),
        409,
        [invalid("Email is already used", "/data/attributes/customer.email")],
    ),
    (Conflict("Taken"), 409, [{"title": "Taken"}]),
]


def _boom_app(services: Services, exc: Exception) -> Any:
    app = create_app(services.settings, services)
    router = APIRouter(route_class=JsonApiRoute)

    @router.get("/jsonapi/customer/boom")
    async def boom() -> None:
        raise exc

    app.include_router(router)
    return app


async def _get(app: Any, target: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        return await http.get(target)


@pytest.mark.parametrize(("exc", "status", "errors"), CASES)
async def test_core_errors_render_as_documents(
    services: Services, exc: DomainError, status: int, errors: list[dict[str, Any]]
) -> None:
    response = await _get(_boom_app(services, exc), "/jsonapi/customer/boom")
    assert_doc(response, status, error_doc(url("customer/boom"), *errors), BARE_HEADERS)


async def test_every_error_code_renders_without_a_500(services: Services) -> None:
    for code in ErrorCode:
        for kind in (InvalidInput, NotFound, Conflict, PermissionDenied):
            exc = (
                InvalidInput.one("x", code.value)
                if kind is InvalidInput
                else kind(code.value, code=code)
            )
            response = await _get(_boom_app(services, exc), "/jsonapi/customer/boom")
            assert 400 <= response.status_code < 500
            assert response.json()["errors"][0]["title"] == code.value


async def test_throttling_answers_429_with_retry_after(services: Services) -> None:
    exc = TooManyAttempts("slow down", retry_after=30)
    response = await _get(_boom_app(services, exc), "/jsonapi/customer/boom")
    body = error_doc(
        url("customer/boom"), {"title": "Too many requests. Please slow down and try again later."}
    )
    assert_doc(response, 429, body, BARE_HEADERS)
    assert response.headers["retry-after"] == "30"


async def test_unexpected_errors_answer_500_with_a_request_id(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = await _get(_boom_app(services, RuntimeError("secret")), "/jsonapi/customer/boom")
    request_id = response.headers["x-request-id"]
    body = {"errors": [{"title": f"Internal server error (request id {request_id})"}]}
    assert_doc(response, 500, body, BARE_HEADERS)
    assert "secret" not in response.text


async def test_a_customer_deleted_mid_request_is_not_a_500(
    ada: Shopper, services: Services
) -> None:
    async with services.engine.begin() as conn:
        await conn.execute(text("DELETE FROM customer"))
    # The session went with the customer: the request reads as anonymous.
    response = await ada.patch("/jsonapi/customer", json=attributes(city="x"))
    assert response.status_code in (401, 419)
    login = await ada.http.post("/customer/login", json={"email": ADA, "password": PASSWORD})
    assert login.status_code == 400
