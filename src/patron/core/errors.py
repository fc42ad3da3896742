"""Domain errors: the only way the core reports a failure to its callers.

Faces map each category (the class) to their own status codes and bodies; the ``code`` tells
them which situation it was, and ``field`` names the input at fault when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar


class ErrorCode(StrEnum):
    """Every situation the core can report, in snake_case."""

    invalid_input = "invalid_input"
    customer_not_found = "customer_not_found"
    address_not_found = "address_not_found"
    session_not_found = "session_not_found"
    order_not_found = "order_not_found"
    property_not_found = "property_not_found"
    list_item_not_found = "list_item_not_found"
    group_not_found = "group_not_found"
    group_in_use = "group_in_use"
    admin_not_found = "admin_not_found"
    email_already_registered = "email_already_registered"
    login_name_taken = "login_name_taken"
    admin_email_taken = "admin_email_taken"
    invalid_credentials = "invalid_credentials"
    authentication_required = "authentication_required"
    invalid_token = "invalid_token"
    permission_denied = "permission_denied"
    version_mismatch = "version_mismatch"
    idempotency_key_reused = "idempotency_key_reused"
    idempotency_in_progress = "idempotency_in_progress"
    too_many_attempts = "too_many_attempts"
    registration_quota_reached = "registration_quota_reached"


@dataclass(frozen=True)
class FieldProblem:
    """One input that broke one rule, with a message a person can act on."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    default_code = ErrorCode.invalid_input

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | None = None,
        field: str | None = None,
        meta: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.meta = meta or {}


_E = TypeVar("_E", bound=DomainError)


def at_entry(index: int, exc: _E) -> _E:
    """Mark ``exc`` as caused by entry ``index`` (from 0) of a batch, in ``meta["index"]``."""
    exc.meta["index"] = index
    return exc


class NotFound(DomainError):
    """Raised when the thing asked for does not exist (or the caller may not know it does)."""

    default_code = ErrorCode.customer_not_found


class Conflict(DomainError):
    """Raised when a write would break a uniqueness rule, such as a second account per email."""

    default_code = ErrorCode.email_already_registered


class InvalidInput(DomainError):
    """Raised when input breaks a rule; ``problems`` lists every field at fault, first first."""

    default_code = ErrorCode.invalid_input

    def __init__(self, problems: list[FieldProblem], *, message: str | None = None) -> None:
        first = problems[0]
        super().__init__(message or first.message, field=first.field)
        self.problems = problems

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        """Build the error for a single field."""
        return cls([FieldProblem(field, message)])


class AuthenticationFailed(DomainError):
    """Raised when credentials do not prove an identity (wrong password, unknown account...)."""

    default_code = ErrorCode.invalid_credentials


class AuthenticationRequired(DomainError):
    """Raised when an action needs an identity and the caller presented none that is alive."""

    default_code = ErrorCode.authentication_required


class PermissionDenied(DomainError):
    """Raised when the caller is known but its role does not allow the action."""

    default_code = ErrorCode.permission_denied


class PreconditionFailed(DomainError):
    """Raised when a write names a version of a record (If-Match) that is no longer current."""

    default_code = ErrorCode.version_mismatch


class IdempotencyKeyReused(DomainError):
    """Raised when an ``Idempotency-Key`` comes back with a different request body."""

    default_code = ErrorCode.idempotency_key_reused


class TooManyAttempts(DomainError):
    """Raised when a throttle refuses an attempt; ``retry_after`` is in seconds."""

    default_code = ErrorCode.too_many_attempts

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
