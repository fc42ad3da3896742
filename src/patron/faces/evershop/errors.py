"""EverShop's error format: ``{"error":{"status":N,"message":"…"}}`` with HTTP status N."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from patron.core.errors import (
    AuthenticationFailed,
    DomainError,
    TooManyAttempts,
)
from patron.faces._shared.errors import http_status
from patron.faces._shared.http import BodyNotObject
from patron.faces._shared.responses import JSONResponse

log = logging.getLogger("patron.evershop")

NOT_OBJECT = "Request body must be a JSON object"
THROTTLED = "Too many requests. Please slow down and try again later."


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """One error in EverShop's envelope."""
    return JSONResponse({"error": {"status": status, "message": message}}, status, headers)


def status_of(exc: DomainError) -> int:
    """The HTTP status EverShop's documentation gives each kind of failure: a failed sign-in
    is 400 there, not 401."""
    return http_status(exc, {AuthenticationFailed: 400})


def render_domain_error(exc: DomainError) -> Response:
    """Render any core error; throttling adds ``Retry-After``."""
    if isinstance(exc, TooManyAttempts):
        return error_response(429, THROTTLED, {"Retry-After": str(exc.retry_after)})
    return error_response(status_of(exc), exc.message)


class EverShopRoute(APIRoute):
    """Routes of this face turn core errors and bad bodies into EverShop error bodies."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as exc:
                return render_domain_error(exc)
            except BodyNotObject:
                return error_response(400, NOT_OBJECT)

        return handle
