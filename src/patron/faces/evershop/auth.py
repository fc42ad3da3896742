"""Who is calling, by EverShop's credentials.

Customer: ``X-Session-ID``, the ``sid`` cookie, a customer Bearer JWT or the legacy ``token``
cookie. Admin: the ``asid`` cookie, an admin Bearer JWT or the legacy ``admin_token`` cookie.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from patron.core import auth, tokens
from patron.core.entities import AdminSession, AdminUser, Customer, CustomerSession
from patron.faces._shared.services import Services, services_of

CUSTOMER_COOKIE = "sid"
ADMIN_COOKIE = "asid"
LEGACY_CUSTOMER_COOKIE = "token"
LEGACY_ADMIN_COOKIE = "admin_token"


@dataclass(frozen=True)
class CustomerCaller:
    """A signed-in customer and the session it used."""

    session: CustomerSession
    customer: Customer


@dataclass(frozen=True)
class AdminCaller:
    """A signed-in admin user and the session it used."""

    session: AdminSession
    admin: AdminUser


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def session_token(request: Request) -> str | None:
    """The raw customer session token the request carries (header first, then cookie)."""
    return request.headers.get("x-session-id") or request.cookies.get(CUSTOMER_COOKIE)


async def _customer_by_jwt(services: Services, token: str) -> CustomerCaller | None:
    claims = tokens.read(services.tokens, token, token_type="customer", kinds=("access", "session"))
    if claims is None:
        return None
    found = await auth.resolve_customer(
        services.uow(), services.clock, session_uuid=claims.session_uuid, policy=services.sessions
    )
    return CustomerCaller(*found) if found else None


async def current_customer(request: Request) -> CustomerCaller | None:
    """The live customer session named by the request, or None."""
    services = services_of(request)
    raw = session_token(request)
    if raw:
        found = await auth.resolve_customer(
            services.uow(), services.clock, token=raw, policy=services.sessions
        )
        if found:
            return CustomerCaller(*found)
    for token in (bearer(request), request.cookies.get(LEGACY_CUSTOMER_COOKIE)):
        if token:
            caller = await _customer_by_jwt(services, token)
            if caller:
                return caller
    return None


async def _admin_by_jwt(services: Services, token: str) -> AdminCaller | None:
    claims = tokens.read(services.tokens, token, token_type="admin", kinds=("access",))
    if claims is None:
        return None
    found = await auth.resolve_admin(
        services.uow(), services.clock, session_uuid=claims.session_uuid, policy=services.sessions
    )
    return AdminCaller(*found) if found else None


async def current_admin(request: Request) -> AdminCaller | None:
    """The live admin session named by the request, or None."""
    services = services_of(request)
    raw = request.cookies.get(ADMIN_COOKIE)
    if raw:
        found = await auth.resolve_admin(
            services.uow(), services.clock, token=raw, policy=services.sessions
        )
        if found:
            return AdminCaller(*found)
    for token in (bearer(request), request.cookies.get(LEGACY_ADMIN_COOKIE)):
        if token:
            caller = await _admin_by_jwt(services, token)
            if caller:
                return caller
    return None
