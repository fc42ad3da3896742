"""The error contract: status, envelope and message for each kind of failure."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.faces.evershop import wire
from tests.faces.evershop.wire import assert_error, assert_json

pytestmark = pytest.mark.anyio

JOHN = "john.smith@example.com"
VALID = {"email": JOHN, "password": wire.PASSWORD, "full_name": "John Smith"}
NOT_OBJECT = "Request body must be a JSON object"
TOO_LARGE = "Request body is too large"
MIB = 1024 * 1024


async def _total(admin: httpx.AsyncClient) -> int:
    total: int = (await admin.get("/api/customers")).json()["meta"]["total"]
    return total


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in VALID.items() if k != key}


_CREATE_VALIDATION_CASES = [
    ({}, "must have required property 'email'"),
    (_without("email"), "must have required property 'email'"),
    (_without("password"), "must have required property 'password'"),
    (_without("full_name"), "must have required property 'full_name'"),
    ({**VALID, "email": 42}, "Email must be a string"),
    ({**VALID, "email": None}, "Email must be a string"),
    ({**VALID, "password": ["x"]}, "Password must be a string"),
    ({**VALID, "full_name": {"a": 1}}, "Full name must be a string"),
    (
        {**VALID, "email": "john"},
        "Email must be a valid email address (e.g., user@example.com)",
    ),
    (
        {**VALID, "email": "john@"},
        "Email must be a valid email address (e.g., user@example.com)",
    ),
    (
        {**VALID, "email": "jo hn@example.com"},
        "Email must be a valid email address (e.g., user@example.com)",
    ),
    ({**VALID, "email": ""}, "Email is required and cannot be empty"),
    ({**VALID, "email": "   "}, "Email is required and cannot be empty"),
    ({**VALID, "full_name": ""}, "Full name is required and cannot be empty"),
    ({**VALID, "full_name": "  "}, "Full name is required and cannot be empty"),
    ({**VALID, "full_name": "x" * 256}, "Full name must be at most 255 characters"),
    ({**VALID, "password": "short"}, "Password must be at least 8 characters"),
    ({**VALID, "password": "1234567"}, "Password must be at least 8 characters"),
    ({**VALID, "password": ""}, "Password is required and cannot be empty"),
    ({**VALID, "password": "p" * 1025}, "Password must be at most 1024 characters"),
]


async def test_create_validation(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, subtests: pytest.Subtests
) -> None:
    for body, message in _CREATE_VALIDATION_CASES:
        with subtests.test(body=body, message=message):
            for client in (anon, admin):
                assert_error(await client.post("/api/customers", json=body), 400, message)
            assert await _total(admin) == 0


_ADMIN_CREATE_STATUS_OUTSIDE_ENUM_CASES = [
    (2, "Status must be either 0, 1, '0', or '1'"),
    (-1, "Status must be either 0, 1, '0', or '1'"),
    ("2", "Status must be either 0, 1, '0', or '1'"),
    ("active", "Status must be either 0, 1, '0', or '1'"),
    (" 1", "Status must be either 0, 1, '0', or '1'"),
    (1.0, "Status must be a string or number"),
    (True, "Status must be a string or number"),
    (None, "Status must be a string or number"),
    ([1], "Status must be a string or number"),
]


async def test_admin_create_status_outside_enum(
    admin: httpx.AsyncClient, subtests: pytest.Subtests
) -> None:
    for status, message in _ADMIN_CREATE_STATUS_OUTSIDE_ENUM_CASES:
        with subtests.test(status=status, message=message):
            response = await admin.post("/api/customers", json={**VALID, "status": status})
            assert_error(response, 400, message)
            assert await _total(admin) == 0


async def test_password_length_counts_code_points(anon: httpx.AsyncClient) -> None:
    """Eight characters of four bytes each pass; seven do not (NFKC, code points)."""
    response = await anon.post("/api/customers", json={**VALID, "password": "\U0001f600" * 7})
    assert_error(response, 400, "Password must be at least 8 characters")
    response = await anon.post("/api/customers", json={**VALID, "password": "\U0001f600" * 8})
    assert response.status_code == 200
    await wire.login(anon, password="\U0001f600" * 8)


async def test_password_is_not_trimmed_or_escaped(anon: httpx.AsyncClient) -> None:
    password = "  <b>pass</b> & 'x'  "
    await wire.create(anon, password=password)
    await wire.login(anon, password=password)
    response = await anon.post(
        "/customer/login", json={"email": JOHN, "password": password.strip()}
    )
    assert_error(response, 400, "Invalid email or password")


# ---- bodies that are not JSON objects ------------------------------------------------------


_BODY_MUST_BE_A_JSON_OBJECT_CASES = [
    (b'{"email": "john.smith@example.com",', "application/json"),
    (b"{'email': 'x'}", "application/json"),
    (b"[]", "application/json"),
    (b'[{"email": "john.smith@example.com"}]', "application/json"),
    (b'"a string"', "application/json"),
    (b"42", "application/json"),
    (b"null", "application/json"),
    (b"\xff\xfe{", "application/json"),
    (
        b"email=john.smith%40example.com&password=x&full_name=J",
        "application/x-www-form-urlencoded",
    ),
    (b'{"email": "john.smith@example.com"}', "text/plain"),
    (b'{"email": "john.smith@example.com"}', ""),
]


async def test_body_must_be_a_json_object(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, subtests: pytest.Subtests
) -> None:
    created = await wire.create(admin)
    for content, content_type in _BODY_MUST_BE_A_JSON_OBJECT_CASES:
        with subtests.test(content=content, content_type=content_type):
            headers = {"Content-Type": content_type} if content_type else {}
            for client, method, path in (
                (anon, "POST", "/api/customers"),
                (admin, "POST", "/api/customers"),
                (admin, "PATCH", f"/api/customers/{created['uuid']}"),
                (admin, "PATCH", f"/api/customers/{created['uuid']}/metafields"),
                (admin, "POST", f"/api/customers/{created['uuid']}/addresses"),
            ):
                response = await client.request(method, path, content=content, headers=headers)
                assert_error(response, 400, NOT_OBJECT)
            assert await _total(admin) == 1


async def test_multipart_form_is_not_json(anon: httpx.AsyncClient) -> None:
    response = await anon.post("/api/customers", files={"email": (None, JOHN)})
    assert_error(response, 400, NOT_OBJECT)


async def test_json_with_charset_and_vendor_type_is_accepted(anon: httpx.AsyncClient) -> None:
    response = await anon.post(
        "/api/customers",
        content=json.dumps(VALID).encode(),
        headers={"Content-Type": "Application/JSON; charset=UTF-8"},
    )
    assert response.status_code == 200, response.text
    response = await anon.post(
        "/api/customers",
        content=json.dumps({**VALID, "email": "jane@example.com"}).encode(),
        headers={"Content-Type": "application/vnd.api+json"},
    )
    assert response.status_code == 200, response.text


# ---- body cap ------------------------------------------------------------------------------


async def test_body_over_cap_with_content_length(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    body = {**VALID, "full_name": "x" * (2 * 1000 * 1000)}
    for client, path in (
        (anon, "/api/customers"),
        (admin, "/api/customers"),
        (anon, "/customer/login"),
        (admin, "/api/customers/433ba97f-8be7-4be9-be3f-a9f341f2b89f"),
    ):
        response = await client.post(path, json=body)
        assert_error(response, 413, TOO_LARGE)
    assert await _total(admin) == 0


async def test_body_over_cap_streamed(admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "john.smith@example.com", "password": "Secret-67c44859", "full_name": "'
        for _ in range(40):
            yield b"x" * 50_000
        yield b'"}'

    response = await anon.post(
        "/api/customers", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_error(response, 413, TOO_LARGE)
    assert await _total(admin) == 0


async def test_body_under_cap_is_read(admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    padding = "p" * (MIB - 200)
    response = await anon.post("/api/customers", json={**VALID, "padding": padding})
    assert len(response.request.content) <= MIB
    assert response.status_code == 200, response.text[:200]

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "jane@example.com", "password": "Secret-67c44859", '
        yield b'"full_name": "J", "p": "'
        for _ in range(10):
            yield b"x" * 100_000
        yield b'"}'

    response = await anon.post(
        "/api/customers", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text[:200]
    assert await _total(admin) == 2


async def test_lying_content_length_is_refused(anon: httpx.AsyncClient) -> None:
    response = await anon.post(
        "/api/customers",
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": "not-a-number"},
    )
    assert_error(response, 413, TOO_LARGE)


# ---- routing and authorisation errors --------------------------------------------------------


_UNKNOWN_API_PATH_IS_404_CASES = [
    ("GET", "/api/nothing"),
    ("POST", "/api/customers/a/b/c/d"),
    ("GET", "/api/customers/me/addresses/x/y"),
    ("DELETE", "/api/customer/tokens/x"),
]


async def test_unknown_api_path_is_404(anon: httpx.AsyncClient, subtests: pytest.Subtests) -> None:
    for method, path in _UNKNOWN_API_PATH_IS_404_CASES:
        with subtests.test(method=method, path=path):
            response = await anon.request(method, path)
            assert_json(response, 404, {"error": {"status": 404, "message": "Not Found"}})


async def test_wrong_method_is_405(anon: httpx.AsyncClient) -> None:
    response = await anon.put("/api/customers")
    assert_json(response, 405, {"error": {"status": 405, "message": "Method Not Allowed"}})


async def test_admin_routes_without_credentials_are_401(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    created = await wire.create(admin)
    path = f"/api/customers/{created['uuid']}"
    for method, target, body in (
        ("GET", "/api/customers", None),
        ("GET", path, None),
        ("PATCH", path, {"full_name": "X"}),
        ("DELETE", path, None),
        ("PATCH", f"{path}/metafields", {"metafields": {}}),
        ("GET", "/api/customers/not-a-uuid", None),
    ):
        response = await anon.request(method, target, json=body)
        assert_error(response, 401, "Unauthorized")
    assert (await admin.get(path)).json()["data"]["full_name"] == "John Smith"


async def test_patch_me_without_session(anon: httpx.AsyncClient) -> None:
    response = await anon.patch("/api/customers/me", json={"full_name": "X"})
    assert_error(response, 401, "You must be logged in to update your profile")
    # No session is reported before a bad body.
    response = await anon.patch(
        "/api/customers/me", content=b"[", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 401, "You must be logged in to update your profile")


# ---- values the database cannot hold: a clean 400 on both databases, never a 500 ---------------


async def test_nul_characters_are_refused(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    created = await wire.create(admin)
    path = f"/api/customers/{created['uuid']}"
    for client, method, target, body, message in (
        (
            anon,
            "POST",
            "/api/customers",
            {**VALID, "full_name": "a\x00b"},
            "Full name must not contain NUL characters",
        ),
        (
            anon,
            "POST",
            "/api/customers",
            {**VALID, "email": "a\x00@example.com"},
            "Email must not contain NUL characters",
        ),
        (admin, "PATCH", path, {"full_name": "\x00"}, "Full name must not contain NUL characters"),
        (
            admin,
            "PATCH",
            path,
            {"email": "x\x00@example.com"},
            "Email must not contain NUL characters",
        ),
        (
            admin,
            "POST",
            f"{path}/addresses",
            {
                "full_name": "J",
                "address_1": "1\x00",
                "province": "IL",
                "country": "US",
                "postcode": "1",
                "city": "\x00",
            },
            "Address 1 must not contain NUL characters, City must not contain NUL characters",
        ),
    ):
        assert_error(await client.request(method, target, json=body), 400, message)
    sid = await wire.login(anon)
    response = await anon.patch(
        "/api/customers/me", json={"full_name": "a\x00"}, headers={"X-Session-ID": sid}
    )
    assert_error(response, 400, "Full name must not contain NUL characters")
    for target in (
        "/customer/login",
        "/api/customer/tokens",
        "/api/customers/sessions",
        "/admin/user/login",
        "/api/user/tokens",
    ):
        response = await anon.post(
            target, json={"email": "john.smith@example.com\x00", "password": wire.PASSWORD}
        )
        assert_error(response, 400, "Invalid email or password")
    got = (await admin.get(path)).json()["data"]
    assert got == {**{k: v for k, v in created.items() if k != "links"}, "addresses": []}


_GROUP_ID_OUT_OF_RANGE_CASES = [2**64 - 1, 2**63, 0, -1, "2", 1.5, True]


async def test_group_id_out_of_range(admin: httpx.AsyncClient, subtests: pytest.Subtests) -> None:
    created = await wire.create(admin, "someone@example.com")
    for group_id in _GROUP_ID_OUT_OF_RANGE_CASES:
        with subtests.test(group_id=group_id):
            response = await admin.post("/api/customers", json={**VALID, "group_id": group_id})
            assert_error(response, 400, "Group id must be a positive integer")
            response = await admin.patch(
                f"/api/customers/{created['uuid']}", json={"group_id": group_id}
            )
            assert_error(response, 400, "Group id must be a positive integer")
