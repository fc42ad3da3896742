"""Small request helpers used by more than one face."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from patron.core.auth import ClientInfo


class BodyNotObject(Exception):
    """The body is not a JSON object (wrong content type, malformed JSON, or another JSON type)."""


def client_info(request: Request, face: str) -> ClientInfo:
    """Where the request came from (the proxy middleware has already applied trusted headers)."""
    return ClientInfo(
        face=face,
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


def is_https(request: Request, cookie_secure: str) -> bool:
    """Whether cookies should carry ``Secure``: per the setting, or by the request's scheme."""
    if cookie_secure == "auto":
        return request.url.scheme == "https"
    return cookie_secure == "true"


def if_match(request: Request) -> frozenset[int] | None:
    """The record versions an ``If-Match`` header accepts; None when absent or ``*``.

    patron's entity tags are strong, ``"<version>"``; weak or foreign tags match nothing.
    """
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    versions = set()
    for raw in header.split(","):
        tag = raw.strip()
        if (
            len(tag) >= 3
            and tag[0] == tag[-1] == '"'
            and tag[1:-1].isascii()
            and tag[1:-1].isdigit()
        ):
            versions.add(int(tag[1:-1]))
    return frozenset(versions)


def etag(version: int) -> dict[str, str]:
    """The ``ETag`` header for a record version."""
    return {"ETag": f'"{version}"'}


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object; an empty body counts as ``{}``. Raises ``BodyNotObject``."""
    raw = await request.body()
    if not raw.strip():
        return {}
    if not _is_json(request.headers.get("content-type", "")):
        raise BodyNotObject
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BodyNotObject from None
    if not isinstance(value, dict):
        raise BodyNotObject
    return value


async def json_or_form(request: Request) -> dict[str, Any]:
    """A JSON object or a url-encoded/multipart form, as the platform's login pages accept."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        return {key: value for key, value in form.items() if isinstance(value, str)}
    return await json_object(request)
