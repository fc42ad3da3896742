"""Helpers for the AbanteCart contract tests: requests as AbanteCart clients send them, and
byte-for-byte comparison of bodies with the golden files made from the 1.4.2 captures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "abantecart"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = "application/json"
EMPTY = "text/plain;charset=utf-8"
TOKEN = re.compile(r"[0-9a-f]{64}")
PASSWORD = "Aa1-c8d9bce7e72b"
NOT_LOGGED_IN = b'{"error":"Not logged in or Login attempt failed!"}'
LOGIN_FAILED = b'{"status":0,"error":"Login attempt failed!"}'

# The registration form of the captures (create_post_ok), field by field.
REGISTRATION = {
    "loginname": "acc_27efe76afede4c",
    "firstname": "First",
    "lastname": "Last",
    "email": "abc-c9178c8b7a94467f@example.com",
    "telephone": "435435435",
    "fax": "434543543",
    "company": "",
    "address_1": "12 Main Street",
    "address_2": "",
    "city": "Springfield",
    "postcode": "62701",
    "country_id": "223",
    "zone_id": "3624",
    "password": PASSWORD,
    "confirm": PASSWORD,
    "agree": "1",
    "newsletter": "0",
}


def golden(name: str) -> bytes:
    """The golden body of a capture."""
    return (GOLDEN / f"{name}.txt").read_bytes()


def url(rt: str | None, **query: str) -> str:
    """``/index.php`` with ``rt`` first, encoded as the captures' clients encoded it."""
    params = ({"rt": rt} if rt is not None else {}) | query
    return "/index.php" + (f"?{urlencode(params)}" if params else "")


async def post(
    client: httpx.AsyncClient,
    rt: str | None,
    data: dict[str, str] | bytes | None = None,
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A form POST (an ``x-www-form-urlencoded`` body, possibly empty)."""
    body = data if isinstance(data, bytes) else urlencode(data or {}).encode()
    return await client.post(
        url(rt, **(query or {})), content=body, headers={**FORM, **(headers or {})}
    )


async def get(client: httpx.AsyncClient, rt: str | None, **query: str) -> httpx.Response:
    return await client.get(url(rt, **query))


def assert_body(
    response: httpx.Response,
    status: int,
    expected: bytes,
    *,
    content_type: str = JSON,
    replace: dict[str, str] | None = None,
) -> None:
    """Exact status, content type and body bytes (after replacing generated values)."""
    for old, new in (replace or {}).items():
        expected = expected.replace(old.encode(), new.encode())
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == content_type
    assert response.content == expected


def assert_golden(response: httpx.Response, status: int, name: str, **kw: Any) -> None:
    """``assert_body`` against the golden file ``name``."""
    assert_body(response, status, golden(name), **kw)


async def register(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    """``a/account/create`` with the captures' form, changed by ``fields``; must succeed."""
    response = await post(client, "a/account/create", {**REGISTRATION, **fields})
    assert response.status_code == 200
    assert response.json()["status"] == 1, response.text
    return response


async def login(client: httpx.AsyncClient, loginname: str, password: str = PASSWORD) -> str:
    """``a/account/login``; returns the token."""
    response = await post(client, "a/account/login", {"loginname": loginname, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    assert TOKEN.fullmatch(token)
    return token


async def signup(client: httpx.AsyncClient, loginname: str, email: str, **fields: str) -> str:
    """Register and log in; returns the token."""
    await register(client, loginname=loginname, email=email, **fields)
    return await login(client, loginname, fields.get("password", PASSWORD))
