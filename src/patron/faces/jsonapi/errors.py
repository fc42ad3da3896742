"""JSON:API error documents and the route class that renders them.

Errors come inside the normal document (``meta``, ``links.self``, ``errors``), as Aimeos renders
them. Each error object has Aimeos' ``title``; validation failures add ``source.pointer`` at
the attribute (DECISIONS: 400, not upstream's 404/500). Unsupported methods get Aimeos' bare
``{"errors":[{"title":"Not allowed for this resource"}]}`` with 403.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from patron.core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    TooManyAttempts,
)
from patron.faces._shared.errors import http_status
from patron.faces.jsonapi import csrf, documents, schemas
from patron.faces.jsonapi.context import Call, begin

log = logging.getLogger("patron.jsonapi")

NOT_ALLOWED = "Not allowed for this resource"
INVALID_BODY = "Invalid JSON in body"
THROTTLED = "Too many requests. Please slow down and try again later."
# Errors about a whole entry rather than one attribute.
ENTRY_FIELDS = frozenset({"property", "list_item"})


class DocumentError(Exception):
    """The request document is unusable (not JSON, ``data`` missing...) or names no resource."""

    def __init__(self, status: int, title: str, pointer: str | None = None) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.pointer = pointer


class CsrfMismatch(Exception):
    """A protected request did not present this caller's CSRF token."""


def bare(status: int, title: str) -> Response:
    """An error document with nothing but ``errors`` (Aimeos' error template)."""
    body = orjson.dumps({"errors": [{"title": title}]})
    return Response(body, status, media_type=documents.MEDIA_TYPE)


def error_response(status: int, message: str) -> Response:
    """Errors raised outside this face's routes (404, 405, 413, 500), for ``ErrorFormats``.

    Aimeos never answers 405: a method a resource does not support is 403.
    """
    if status == 405:
        return bare(403, NOT_ALLOWED)
    return bare(status, message)


def status_of(exc: DomainError) -> int:
    """The HTTP status of a core error on this face."""
    return http_status(exc)


def pointer(call: Call, field: str, index: object = None) -> str:
    """Where in the request document ``field`` (a canonical name) was given."""
    data = "/data"
    if call.data_is_list and isinstance(index, int):
        data += f"/{index}"
    if field in ENTRY_FIELDS:
        return data
    attribute = schemas.POINTERS.get(call.related, {}).get(field)
    return f"{data}/attributes/{attribute}" if attribute else data


def error_objects(call: Call, exc: DomainError) -> list[dict[str, Any]]:
    """One error object per problem, pointing at the attribute when there is one."""
    if isinstance(exc, TooManyAttempts):
        return [{"title": THROTTLED}]
    index = exc.meta.get("index")
    if isinstance(exc, InvalidInput):
        return [
            {"title": p.message, "source": {"pointer": pointer(call, p.field, index)}}
            for p in exc.problems
        ]
    if isinstance(exc, Conflict) and exc.field:
        return [{"title": exc.message, "source": {"pointer": pointer(call, exc.field, index)}}]
    return [{"title": exc.message}]


def render_domain_error(call: Call, exc: DomainError) -> Response:
    """Any core error as a document; throttling adds ``Retry-After``."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
    return documents.error(call, status_of(exc), error_objects(call, exc), headers)


def render_document_error(call: Call, exc: DocumentError) -> Response:
    """A request document that cannot be used."""
    found: dict[str, Any] = {"title": exc.title}
    if exc.pointer is not None:
        found["source"] = {"pointer": exc.pointer}
    return documents.error(call, exc.status, [found])


async def check_csrf(call: Call) -> None:
    """Raise ``CsrfMismatch`` when the request must present the token and does not."""
    request = call.request
    if csrf.is_protected(request.method, request.cookies) and not csrf.matches(
        await call.presented_token(), call.csrf_token
    ):
        raise CsrfMismatch


class JsonApiRoute(APIRoute):
    """Routes of this face: caller and CSRF first, then the handler; errors as documents."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            call = await begin(request)
            try:
                await check_csrf(call)
                return await handler(request)
            except DomainError as exc:
                return render_domain_error(call, exc)
            except DocumentError as exc:
                return render_document_error(call, exc)
            except CsrfMismatch:
                return documents.error(call, 419, [{"title": csrf.MISMATCH}])

        return handle
