"""Admin pages' protections: CSRF tokens bound to the session (or a pre-login nonce) and the
security headers every admin page carries."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

NONCE_COOKIE = "patron_admin_nonce"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def key(secret: str) -> bytes:
    """The CSRF key, derived from the JWT secret (one secret to manage)."""
    return hmac.new(secret.encode(), b"patron admin csrf", hashlib.sha256).digest()


def token_for(csrf_key: bytes, binding: str) -> str:
    """The form token for a session's public id, or for the pre-login nonce."""
    return hmac.new(csrf_key, binding.encode(), hashlib.sha256).hexdigest()


def matches(csrf_key: bytes, binding: str | None, presented: object) -> bool:
    """True when ``presented`` is the token for ``binding``."""
    if not binding or not isinstance(presented, str):
        return False
    return hmac.compare_digest(token_for(csrf_key, binding), presented)


def nonce(request: Request) -> tuple[str, bool]:
    """The pre-login nonce of this browser, and whether it is new (to be set as a cookie)."""
    found = request.cookies.get(NONCE_COOKIE)
    if found and len(found) == 43:
        return found, False
    return secrets.token_urlsafe(32), True


def harden(response: Response) -> Response:
    """Add the security headers."""
    response.headers.update(HEADERS)
    return response
