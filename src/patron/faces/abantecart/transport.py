"""AbanteCart's request and response machinery, as 1.4.2 sends it on the wire.

One endpoint, ``/index.php``: the route comes from ``rt`` (query first, then form body), GET
parameters from the query, POST parameters from form bodies only (JSON is not read). Answers
are PHP ``json_encode`` output (or XML, or a query string), optionally wrapped for JSONP, with
the Origin echoed for CORS. Bodies are built here byte for byte; nothing else in the face
serialises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from patron.core.normalise import php_trim

# A route holding anything else is refused before any routing, as ARequest does.
RT_CHARACTERS = re.compile(r"[A-Za-z0-9_/]*")
# AbanteCart's session-id shape; our tokens (64 hex digits) fit it.
TOKEN_SHAPE = re.compile(r"[-,a-zA-Z0-9]{1,128}")
# JSONP callbacks: a JavaScript identifier path, nothing that could be script.
CALLBACK_SHAPE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$.]*")
# PHP turns these array keys into integers, which changes how XML names them.
_PHP_INT_KEY = re.compile(r"0|-?[1-9][0-9]*")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FORMATS = ("json", "xml", "qs")
JSON_TYPE = "application/json"
EMPTY_TYPE = "text/plain;charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
NO_CACHE = {
    "X-Content-Type-Options": "nosniff",
    "Expires": "Thu, 19 Nov 1981 08:52:00 GMT",
    "Cache-Control": "no-store, no-cache, must-revalidate",
    "Pragma": "no-cache",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
    "Access-Control-Max-Age": "60",
}

Data = Mapping[str, Any]


# ---- PHP-compatible encoders ----------------------------------------------------------------


def php_json(data: Any) -> str:
    """``json_encode`` with default flags: ASCII only (``\\uXXXX``), ``\\/``, no spaces."""
    # "/" can only occur inside strings in JSON text, so escaping it after the fact is exact.
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def _is_int_key(key: object) -> bool:
    return isinstance(key, int) or (isinstance(key, str) and bool(_PHP_INT_KEY.fullmatch(key)))


def _xml_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        value = "1" if value else ""
    text = str(value)
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(raw, entity)
    return text.replace("\r", "&#13;")


def _items(data: Data | Sequence[Any]) -> list[tuple[Any, Any]]:
    return list(data.items()) if isinstance(data, Mapping) else list(enumerate(data))


def _xml_write(data: Data | Sequence[Any], old_key: str, out: list[str]) -> None:
    # PHP's XMLWriter helper in ARest: string keys become elements; integer keys of a nested
    # array are dropped (children go straight into the parent), integer keys of scalars are
    # appended to the parent's name ("options" + "223" -> <options223>).
    for key, value in _items(data):
        if isinstance(value, Mapping | list):
            if _is_int_key(key):
                _xml_write(value, str(key), out)
                continue
            inner: list[str] = []
            _xml_write(value, str(key), inner)
            out.append(f"<{key}>{''.join(inner)}</{key}>" if inner else f"<{key}/>")
            continue
        name = f"{old_key}{key}" if _is_int_key(key) else str(key)
        text = _xml_text(value)
        out.append(f"<{name}/>" if text is None else f"<{name}>{text}</{name}>")


def php_xml(data: Data) -> str:
    """ARest's XML: a declaration, then the elements with no single root."""
    out: list[str] = []
    _xml_write(data, "", out)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(out)


def _urlencode(text: str) -> str:
    # PHP's urlencode: like quote_plus, but "~" is escaped too.
    return quote_plus(text, safe="").replace("~", "%7E")


def _qs_pairs(data: Data | Sequence[Any], prefix: str | None, out: list[str]) -> None:
    for key, value in _items(data):
        name = f"{prefix}[{key}]" if prefix is not None else str(key)
        if value is None:
            continue
        if isinstance(value, Mapping | list):
            _qs_pairs(value, name, out)
            continue
        text = ("1" if value else "0") if isinstance(value, bool) else str(value)
        out.append(f"{_urlencode(name)}={_urlencode(text)}")


def php_qs(data: Data) -> str:
    """``http_build_query``: nested keys in brackets, nulls and empty arrays left out."""
    out: list[str] = []
    _qs_pairs(data, None, out)
    return "&".join(out)


# ---- the request ----------------------------------------------------------------------------


async def _form(request: Request) -> dict[str, str]:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if request.method != "POST" or media not in FORM_TYPES:
        return {}  # PHP fills $_POST from form bodies of POSTs only
    try:
        async with request.form() as form:
            return {key: value for key, value in form.items() if isinstance(value, str)}
    except HTTPException:
        return {}  # a malformed multipart body leaves $_POST empty, as PHP does


@dataclass
class ApiCall:
    """One request to ``/index.php``: its parameters as AbanteCart reads them."""

    method: str
    query: dict[str, str]
    form: dict[str, str]
    origin: str | None
    base_url: str
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    async def read(cls, request: Request) -> ApiCall:
        """Read the query and, for a form POST, the body."""
        return cls(
            method=request.method.upper(),
            query=dict(request.query_params.items()),
            form=await _form(request),
            origin=request.headers.get("origin"),
            base_url=str(request.base_url),
        )

    @property
    def params(self) -> dict[str, str]:
        """The method's parameter set: the query for GET (and DELETE), the form for POST."""
        return self.form if self.method == "POST" else self.query

    def text(self, name: str) -> str | None:
        """A parameter of the method's set, trimmed as AbanteCart trims every input."""
        value = self.params.get(name)
        return None if value is None else php_trim(value)

    @property
    def route(self) -> str | None:
        """``rt`` from the query, else from the form body."""
        return self.query.get("rt", self.form.get("rt"))

    @property
    def format(self) -> str:
        """The response format, read from the query only; anything unknown is JSON."""
        wanted = php_trim(self.query.get("format", ""))
        return wanted if wanted in FORMATS else "json"

    @property
    def callback(self) -> str | None:
        """A JSONP callback of the method's set, when it is a safe JavaScript name."""
        value = self.text("callback")
        return value if value and CALLBACK_SHAPE.fullmatch(value) else None

    def session_token(self) -> str | None:
        """The token that selects the session: query first, then form body."""
        value = php_trim(self.query.get("token") or self.form.get("token") or "")
        return value if TOKEN_SHAPE.fullmatch(value) else None

    def api_key(self) -> str | None:
        """``api_key`` from the form body, else from the query."""
        value = self.form.get("api_key", self.query.get("api_key"))
        return None if value is None else php_trim(value)

    # ---- answers ------------------------------------------------------------------------

    def _cors(self) -> dict[str, str]:
        if self.origin is None:
            return {}
        return {
            "Access-Control-Allow-Origin": self.origin,
            "Access-Control-Allow-Credentials": "true",
            "Vary": "Origin",
        }

    def respond(
        self, status: int, data: Data, headers: Mapping[str, str] | None = None
    ) -> Response:
        """ARest::sendResponse: the body in the requested format, CORS and no-cache headers."""
        if not data:
            body, media = "", EMPTY_TYPE
        elif self.format == "xml":
            body, media = php_xml(data), "application/xml"
        elif self.format == "qs":
            body, media = php_qs(data), EMPTY_TYPE
        else:
            body, media = php_json(data), JSON_TYPE
            if self.callback:
                body = f"{self.callback}({body})"
        all_headers = {"Content-Type": media, **NO_CACHE, **self._cors(), **(headers or {})}
        return Response(body.encode("utf-8"), status, all_headers)

    def preflight(self) -> Response:
        """A CORS preflight answered with 204 and the headers upstream sends (upstream: 405)."""
        return Response(None, 204, {**NO_CACHE, **self._cors(), **PREFLIGHT})

    def empty_page(self) -> Response:
        """What AbanteCart sends for an unknown ``a/`` route: 200, no body, HTML type."""
        return Response(b"", 200, {"Content-Type": HTML_TYPE, **NO_CACHE, **self._cors()})

    def redirect_without_token(self) -> Response:
        """The idle-expiry answer: 302 to the same route, query minus ``token`` (and ``rt``,
        ``s``, which lead), built as AbanteCart's ``currentURL`` builds it."""
        rt = self.query.get("rt") or "index/home"
        rest = "&".join(
            f"{quote(key, safe='/[]')}={quote(value, safe='/,:@')}"
            for key, value in self.query.items()
            if key not in ("rt", "s", "token")
        )
        location = f"{self.base_url}index.php?rt={quote(rt, safe='/')}&{rest}"
        return Response(b"", 302, {"Location": location, "Content-Type": HTML_TYPE, **NO_CACHE})


def forbidden() -> Response:
    """ARequest's answer to a route with illegal characters."""
    return Response(
        b"Forbidden", 403, {"Content-Type": HTML_TYPE, "X-Content-Type-Options": "nosniff"}
    )
