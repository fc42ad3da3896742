"""One JSON:API request: who calls (``sid`` cookie or ``X-Session-ID``), its CSRF token, and
its query parameters and body, read once.

A dead session (expired, revoked, unknown) makes the request anonymous, as DECISIONS says for
this face. Every response carries the CSRF token; an anonymous caller without a nonce cookie
gets one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request

from patron.core import auth
from patron.core.entities import Customer, CustomerSession
from patron.faces._shared.services import Services, services_of
from patron.faces.jsonapi import csrf

STATE_KEY = "jsonapi_call"
_FIELDS_KEY = re.compile(r"fields\[([^\]]*)\]")


class _Invalid:
    """The body is not JSON."""


INVALID = _Invalid()


@dataclass
class Caller:
    """A signed-in customer and the session it used (detached copies, read for checks)."""

    session: CustomerSession
    customer: Customer


@dataclass
class Call:
    """What every handler of this face needs about the request."""

    request: Request
    services: Services
    caller: Caller | None
    csrf_key: bytes
    csrf_token: str = ""
    nonce_to_set: str | None = None
    # Set by the handlers: which sub-resource, and whether ``data`` was a list (for pointers).
    data_is_list: bool = False
    _body: Any = field(default=None, repr=False)
    _body_read: bool = False

    @property
    def resource(self) -> str:
        """The resource named by the path (``customer``...), "" for the root."""
        return self.request.url.path.removeprefix("/jsonapi").strip("/")

    @property
    def related(self) -> str:
        """The sub-resource named by ``related`` ("" for the customer itself)."""
        return self.param("related") or ""

    @property
    def base(self) -> str:
        """Scheme, host and port of the request, for absolute links."""
        return str(self.request.base_url).rstrip("/")

    def param(self, name: str) -> str | None:
        """A query parameter (the last one wins, as in PHP)."""
        values = self.request.query_params.getlist(name)
        return values[-1] if values else None

    def fields(self) -> dict[str, list[str]]:
        """``fields[<type>]=a,b`` parameters as type -> attribute names."""
        found: dict[str, list[str]] = {}
        for key, value in self.request.query_params.multi_items():
            match = _FIELDS_KEY.fullmatch(key)
            if match:
                found[match.group(1)] = value.split(",")
        return found

    def pretty(self) -> bool:
        """PHP truthiness of ``pretty``: anything but absent, "" and "0"."""
        return self.param("pretty") not in (None, "", "0")

    async def body(self) -> Any:
        """The body parsed as JSON whatever its content type (as upstream), or ``INVALID``."""
        if not self._body_read:
            raw = await self.request.body()
            try:
                self._body = orjson.loads(raw) if raw.strip() else INVALID
            except orjson.JSONDecodeError:
                self._body = INVALID
            self._body_read = True
        return self._body

    async def presented_token(self) -> str | None:
        """The CSRF token the request carries: query, header, then a body member."""
        for value in (self.param(csrf.NAME), self.request.headers.get(csrf.HEADER)):
            if value:
                return value
        body = await self.body()
        if isinstance(body, dict) and isinstance(body.get(csrf.NAME), str):
            return str(body[csrf.NAME])
        media = self.request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if body is INVALID and media == "application/x-www-form-urlencoded":
            form = dict(parse_qsl((await self.request.body()).decode("utf-8", "replace")))
            return form.get(csrf.NAME)
        return None

    def signed_out(self) -> None:
        """The session ended during this request (account deleted, password changed)."""
        self.caller = None
        self.bind_to_nonce()

    def bind_to_nonce(self) -> None:
        """Bind the token to the nonce cookie, making a nonce when there is none."""
        nonce = self.request.cookies.get(csrf.NONCE_COOKIE)
        if nonce is None or not csrf.is_nonce(nonce):
            nonce = csrf.new_nonce()
            self.nonce_to_set = nonce
        self.csrf_token = csrf.nonce_token(self.csrf_key, nonce)


def _raw_session(request: Request) -> str | None:
    return request.headers.get("x-session-id") or request.cookies.get(csrf.SESSION_COOKIE)


async def begin(request: Request) -> Call:
    """Resolve the caller and its CSRF token; the result is kept on ``request.state``."""
    services = services_of(request)
    caller = None
    raw = _raw_session(request)
    if raw:
        found = await auth.resolve_customer(
            services.uow(), services.clock, token=raw, policy=services.sessions
        )
        caller = Caller(*found) if found else None
    call = Call(
        request=request,
        services=services,
        caller=caller,
        csrf_key=csrf.signing_key(services.tokens.secret),
    )
    if caller is not None:
        call.csrf_token = csrf.session_token(call.csrf_key, caller.session.uuid)
    else:
        call.bind_to_nonce()
    setattr(request.state, STATE_KEY, call)
    return call


def call_of(request: Request) -> Call:
    """The call ``begin`` set up for this request."""
    call: Call = getattr(request.state, STATE_KEY)
    return call
