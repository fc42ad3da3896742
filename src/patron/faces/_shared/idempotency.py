"""``Idempotency-Key`` on creating requests, for any face: replay the first answer of a key."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from patron.core import idempotency
from patron.core.errors import DomainError, InvalidInput
from patron.faces._shared.services import services_of

HEADER = "Idempotency-Key"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


async def run_idempotent(
    request: Request,
    *,
    scope: Callable[[], Awaitable[str]],
    handler: Callable[[], Awaitable[Response]],
    render_error: Callable[[DomainError], Response],
) -> Response:
    """Run ``handler`` once per key: a repeat with the same body gets the stored first answer.

    ``scope`` names the caller (asked only when the request carries a key).
    Errors the handler raises are rendered by the face first, so that they are replayed too;
    a 5xx or an unexpected exception frees the key for a retry.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return await handler()
    if not _KEY.match(key):
        raise InvalidInput.one(HEADER, f"{HEADER} must be 1 to 255 visible ASCII characters")
    services = services_of(request)
    matched = request.scope.get("route")
    route = f"{request.method} {getattr(matched, 'path', request.url.path)}"
    claimed = await idempotency.claim(
        services.uow(),
        services.clock,
        scope=await scope(),
        route=route,
        key=key,
        body=await request.body(),
    )
    if isinstance(claimed, idempotency.StoredAnswer):
        return Response(
            claimed.body,
            status_code=claimed.status,
            headers={"content-type": claimed.content_type, "Idempotent-Replayed": "true"},
        )
    try:
        try:
            response = await handler()
        except DomainError as exc:
            response = render_error(exc)
    except BaseException:
        await idempotency.release(services.uow(), claimed)
        raise
    if response.status_code >= 500:
        await idempotency.release(services.uow(), claimed)
        return response
    answer = idempotency.StoredAnswer(
        status=response.status_code,
        content_type=response.headers.get("content-type", "application/json"),
        body=bytes(response.body).decode("utf-8"),
    )
    await idempotency.finish(services.uow(), claimed, answer)
    return response
