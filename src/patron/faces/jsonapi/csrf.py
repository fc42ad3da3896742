"""CSRF for the JSON:API face: a double-submit token bound to a cookie (DECISIONS, Aimeos face).

The token in ``meta.csrf.value`` is an HMAC of the caller's session id when signed in, else of
a random nonce kept in the ``patron_csrf`` cookie; it rotates at sign-in because the session
changes. A state-changing request that carries a patron cookie (``sid`` or ``patron_csrf``) must
present the token as the ``_token`` query parameter or body member, or in ``X-CSRF-TOKEN``.
Requests without such a cookie are exempt: their credentials, if any, came in a header that a
foreign page cannot set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Mapping

NAME = "_token"
NONCE_COOKIE = "patron_csrf"
SESSION_COOKIE = "sid"
HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MISMATCH = "CSRF token mismatch"
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")


def signing_key(secret: str) -> bytes:
    """The CSRF key, derived from the app secret (every other key comes from it too)."""
    return hmac.new(secret.encode(), b"patron/jsonapi/csrf", hashlib.sha256).digest()


def _sign(key: bytes, subject: str) -> str:
    digest = hmac.new(key, subject.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def session_token(key: bytes, session_uuid: uuid.UUID) -> str:
    """The token of a signed-in caller: bound to its session."""
    return _sign(key, f"session:{session_uuid}")


def nonce_token(key: bytes, nonce: str) -> str:
    """The token of an anonymous caller: bound to its nonce cookie."""
    return _sign(key, f"nonce:{nonce}")


def new_nonce() -> str:
    """A fresh nonce for the ``patron_csrf`` cookie (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def is_nonce(value: str | None) -> bool:
    """Whether a cookie value has the shape of a nonce this face made."""
    return value is not None and _NONCE.fullmatch(value) is not None


def is_protected(method: str, cookies: Mapping[str, str]) -> bool:
    """Whether the request must present the token: unsafe, and carrying a patron cookie."""
    return method in UNSAFE_METHODS and (SESSION_COOKIE in cookies or NONCE_COOKIE in cookies)


def matches(presented: object, expected: str) -> bool:
    """Constant-time comparison that tolerates any presented value."""
    if not isinstance(presented, str) or not presented:
        return False
    return hmac.compare_digest(presented.encode("utf-8", "replace"), expected.encode())
