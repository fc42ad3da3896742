"""ASGI middleware shared by every face: request ids, trusted proxies and the body cap."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("patron")

# Renders an error (status, message) in the format of the face that owns the path.
ErrorRenderer = Callable[[int, str], Response]


class ErrorFormats:
    """Which face renders errors for which path prefix (longest prefix wins)."""

    def __init__(self, default: ErrorRenderer) -> None:
        self._default = default
        self._by_prefix: list[tuple[str, ErrorRenderer]] = []

    def register(self, prefix: str, renderer: ErrorRenderer) -> None:
        self._by_prefix.append((prefix, renderer))
        self._by_prefix.sort(key=lambda item: len(item[0]), reverse=True)

    def for_path(self, path: str) -> ErrorRenderer:
        for prefix, renderer in self._by_prefix:
            if path.startswith(prefix):
                return renderer
        return self._default


current_request_id: ContextVar[str] = ContextVar("patron_request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (the request being served, or ``-``) to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class RequestIdMiddleware:
    """Gives each request an id (``X-Request-ID`` out, ``scope['state']['request_id']`` in)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        token = current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)


class TrustedProxyMiddleware:
    """Applies ``X-Forwarded-For``/``-Proto`` only when the peer is a configured proxy."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str]) -> None:
        self.app = app
        self.networks = [ipaddress.ip_network(item, strict=False) for item in trusted]

    def _trusted(self, host: str | None) -> bool:
        if not host or not self.networks:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("client"):
            host, port = scope["client"]
            if self._trusted(host):
                headers = dict(scope["headers"])
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                # Walk from the right, skipping our own proxies; the first other hop is the client.
                hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
                while hops and self._trusted(hops[-1]):
                    hops.pop()
                if hops:
                    scope = {**scope, "client": (hops[-1], port)}
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
                if proto in ("http", "https"):
                    scope = {**scope, "scheme": proto}
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Refuses bodies over ``limit`` bytes with 413, by Content-Length and by counting bytes."""

    def __init__(self, app: ASGIApp, limit: int, formats: ErrorFormats) -> None:
        self.app = app
        self.limit = limit
        self.formats = formats

    def _too_large(self, scope: Scope) -> Response:
        return self.formats.for_path(scope["path"])(413, "Request body is too large")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._too_large(scope)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._too_large(scope)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


access_log = logging.getLogger("patron.access")
# Query parameters whose values are credentials; their values never reach a log line.
SECRET_PARAMETERS = frozenset({"token", "api_key", "_token", "sid", "password"})
# Paths whose last segments are credentials (the older EverShop session routes).
SECRET_PATH_PREFIXES = ("/api/customers/sessions/",)


def loggable_target(path: str, query: str) -> str:
    """The request target with credentials replaced by ``[redacted]``."""
    for prefix in SECRET_PATH_PREFIXES:
        if path.startswith(prefix):
            path = prefix + "[redacted]"
    if not query:
        return path
    parts = []
    for pair in query.split("&"):
        name, sep, _value = pair.partition("=")
        parts.append(f"{name}=[redacted]" if sep and name in SECRET_PARAMETERS else pair)
    return f"{path}?{'&'.join(parts)}"


class AccessLogMiddleware:
    """One line per request: client, method, redacted target, status, milliseconds, request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            client = scope.get("client") or ("-", 0)
            target = loggable_target(
                scope["path"], scope.get("query_string", b"").decode("latin-1")
            )
            duration = round((time.perf_counter() - started) * 1000, 1)
            access_log.info(
                '%s "%s %s" %d %.1fms',
                client[0],
                scope["method"],
                target,
                status,
                duration,
                extra={
                    "client": client[0],
                    "method": scope["method"],
                    "target": target,
                    "status": status,
                    "duration_ms": duration,
                },
            )
