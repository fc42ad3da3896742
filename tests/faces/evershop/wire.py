"""Helpers for EverShop contract tests: value matchers and whole-response assertions.

Expected bodies are written out in full; generated values (uuids, timestamps, session ids,
tokens) are matched by format with the ``Re`` matchers below, everything else by equality.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

JSON_TYPE = "application/json; charset=utf-8"


class Re:
    """Equal to any string that fully matches ``pattern``."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.pattern.fullmatch(other) is not None

    def __repr__(self) -> str:
        return f"Re({self.pattern.pattern!r})"


UUID = Re(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
STAMP = Re(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
SID = Re(r"[0-9a-f]{64}")
JWT = Re(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
ARGON2ID = Re(r"\$argon2id\$.+")


def admin_links(customer_uuid: str | None = None) -> list[dict[str, Any]]:
    """The ``links`` block of seed 000's create and update samples (any uuid when None)."""
    href: object = (
        f"/admin/customers/edit/{customer_uuid}"
        if customer_uuid
        else Re(r"/admin/customers/edit/" + UUID.pattern.pattern)
    )
    return [
        {"rel": "customerGrid", "href": "/admin/customers", "action": "GET", "types": ["text/xml"]},
        {
            "rel": "edit",
            "href": href,
            "action": "GET",
            "types": ["text/xml"],
        },
    ]


def self_links() -> list[dict[str, Any]]:
    """The ``links`` block after ``PATCH /api/customers/me``."""
    return [
        {
            "rel": "self",
            "href": "/api/customers/me",
            "action": "PATCH",
            "types": ["application/json"],
        }
    ]


def address_links(href: str | None = None) -> list[dict[str, Any]]:
    """The ``links`` block after an address create or update (any address href when None)."""
    target: object = href or Re(
        rf"/api/customers/(me|{UUID.pattern.pattern})/addresses/{UUID.pattern.pattern}"
    )
    return [
        {"rel": "edit", "href": target, "action": "UPDATE", "types": ["application/json"]},
        {"rel": "delete", "href": target, "action": "DELETE", "types": ["application/json"]},
    ]


def customer(
    customer_id: int,
    email: str,
    full_name: str,
    *,
    status: int = 1,
    group_id: int = 1,
    uuid: object = UUID,
    created_at: object = STAMP,
    updated_at: object = STAMP,
) -> dict[str, Any]:
    """A customer body with its eight public fields, in the documented order."""
    return {
        "customer_id": customer_id,
        "uuid": uuid,
        "status": status,
        "group_id": group_id,
        "email": email,
        "full_name": full_name,
        "created_at": created_at,
        "updated_at": updated_at,
    }


def error(status: int, message: str) -> dict[str, Any]:
    """EverShop's error envelope."""
    return {"error": {"status": status, "message": message}}


def assert_json(response: httpx.Response, status: int, body: Any) -> Any:
    """Exact status, content type and whole body; returns the parsed body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == JSON_TYPE
    parsed = response.json()
    assert parsed == body
    return parsed


def assert_error(response: httpx.Response, status: int, message: str) -> None:
    assert_json(response, status, error(status, message))


def assert_no_secrets(response: httpx.Response) -> None:
    """No password, hash or hash-like value anywhere in the body."""
    text = response.text
    assert "password" not in text.lower()
    assert "$argon2" not in text
    for prefix in ("$2a$", "$2b$", "$2y$"):
        assert prefix not in text


def parse_stamp(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def assert_recent(stamp: str, slack: timedelta = timedelta(seconds=30)) -> None:
    """A ``YYYY-MM-DD HH:MM:SS`` stamp in UTC close to now."""
    moment = parse_stamp(stamp)
    now = datetime.now(UTC)
    assert now - slack <= moment <= now + timedelta(seconds=2), (stamp, now)


def jwt_payload(token: str) -> dict[str, Any]:
    """The claims of a JWT, read without checking the signature."""
    payload = token.split(".")[1]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    claims: dict[str, Any] = json.loads(decoded)
    return claims


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """Each ``Set-Cookie`` header of ``response`` by cookie name."""
    found: dict[str, str] = {}
    for header in response.headers.get_list("set-cookie"):
        name = header.split("=", 1)[0].strip()
        found[name] = header
    return found


def cookie_attributes(header: str) -> tuple[str, set[str]]:
    """The value of a ``Set-Cookie`` header and its attributes, lower-cased."""
    first, *rest = [part.strip() for part in header.split(";")]
    return first.split("=", 1)[1], {part.lower() for part in rest}


PASSWORD = "Secret-67c44859"


async def create(
    admin: httpx.AsyncClient,
    email: str = "john.smith@example.com",
    full_name: str = "John Smith",
    password: str = PASSWORD,
    **extra: Any,
) -> dict[str, Any]:
    """Create a customer through the admin API; returns ``data``."""
    response = await admin.post(
        "/api/customers",
        json={"email": email, "password": password, "full_name": full_name, **extra},
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def login(
    client: httpx.AsyncClient, email: str = "john.smith@example.com", password: str = PASSWORD
) -> str:
    """``POST /customer/login``; returns the sid (the client keeps the cookie)."""
    response = await client.post("/customer/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    sid: str = response.json()["data"]["sid"]
    return sid


async def signed_in(client: httpx.AsyncClient, **headers: str) -> bool:
    """Whether the request's customer credentials are alive, without changing anything.

    ``PATCH /api/customers/me`` with an empty object answers 400 "There is nothing to update"
    to a signed-in customer and 401 to anyone else.
    """
    response = await client.patch("/api/customers/me", json={}, headers=headers)
    if response.status_code == 401:
        assert response.json() == error(401, "You must be logged in to update your profile")
        return False
    assert response.json() == error(400, "There is nothing to update"), response.text
    return True
