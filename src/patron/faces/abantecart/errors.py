"""AbanteCart's failure bodies: a bare ``{"error":…}`` (or ``status:0`` on login and logout).

The texts are AbanteCart 1.4.2's. Per-route failures are built by the routes; this module
holds the texts, the answer to unexpected core errors, and the renderer the app uses for
``/index.php`` when no route ran (body too large, unhandled error).
"""

from __future__ import annotations

from starlette.responses import Response

from patron.core.errors import (
    AuthenticationFailed,
    AuthenticationRequired,
    DomainError,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from patron.faces.abantecart.transport import EMPTY_TYPE, JSON_TYPE, NO_CACHE, ApiCall, php_json

API_DISABLED = "Access to API is disabled!"
NOT_LOGGED_IN = "Not logged in or Login attempt failed!"
LOGIN_FAILED = "Login attempt failed!"
LOGOUT_FAILED = "Not logged in logout attempt failed!"
ALREADY_LOGGED_IN = "Already Logged in. Can not create new account."
THROTTLED = "Too many attempts"


def error_response(status: int, message: str) -> Response:
    """An error outside any route (413, 500, a method the endpoint does not take), in the
    face's JSON shape; 405 is empty as AbanteCart sends it."""
    if status == 405:
        return Response(b"", 405, {"Content-Type": EMPTY_TYPE, **NO_CACHE})
    body = php_json({"error": message}).encode()
    return Response(body, status, {"Content-Type": JSON_TYPE, **NO_CACHE})


def render_domain_error(call: ApiCall, exc: DomainError) -> Response:
    """A core error no route turned into its own body: throttling (DECISIONS: 429 with
    ``Retry-After``), lost sessions as 401, the rest as 400 with the core's message."""
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
        return call.respond(429, {"status": 0, "error": THROTTLED}, headers)
    if isinstance(exc, AuthenticationFailed):
        return call.respond(401, {"status": 0, "error": LOGIN_FAILED})
    if isinstance(exc, AuthenticationRequired | NotFound | PermissionDenied):
        # The account behind a live token vanished or changed mid-request.
        return call.respond(401, {"error": NOT_LOGGED_IN})
    # Conflict, InvalidInput: the create and edit routes answer these in their own forms.
    return call.respond(400, {"status": 0, "error": exc.message})
