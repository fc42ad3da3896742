"""The HTTP status of each kind of core error, shared by the faces that answer with one."""

from __future__ import annotations

from collections.abc import Mapping

from patron.core.errors import (
    AuthenticationFailed,
    AuthenticationRequired,
    Conflict,
    DomainError,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    TooManyAttempts,
)

STATUS: Mapping[type[DomainError], int] = {
    InvalidInput: 400,
    AuthenticationFailed: 401,
    AuthenticationRequired: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    IdempotencyKeyReused: 422,
    TooManyAttempts: 429,
}


def http_status(exc: DomainError, overrides: Mapping[type[DomainError], int] | None = None) -> int:
    """The status of ``exc``: a face's ``overrides`` first, then ``STATUS``; 400 otherwise."""
    for table in (overrides or {}, STATUS):
        for kind, status in table.items():
            if isinstance(exc, kind):
                return status
    return 400
