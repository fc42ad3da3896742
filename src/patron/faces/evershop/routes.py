"""EverShop Customer REST API routes. Thin: parse, call the core, shape the answer."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from patron.core import addresses, auth, customers, privacy, recovery, tokens
from patron.core.audit import Actor
from patron.core.customers import NewCustomer
from patron.core.entities import CustomerSession
from patron.core.errors import AuthenticationRequired, InvalidInput, NotFound
from patron.core.normalise import is_email, parse_uuid
from patron.core.policies import Action, ensure_allowed
from patron.faces._shared.http import (
    client_info,
    etag,
    if_match,
    is_https,
    json_object,
    json_or_form,
)
from patron.faces._shared.idempotency import run_idempotent
from patron.faces._shared.responses import JSONResponse
from patron.faces._shared.services import Services, services_of
from patron.faces.evershop import docs, schemas
from patron.faces.evershop.auth import (
    ADMIN_COOKIE,
    CUSTOMER_COOKIE,
    LEGACY_CUSTOMER_COOKIE,
    AdminCaller,
    CustomerCaller,
    current_admin,
    current_customer,
    session_token,
)
from patron.faces.evershop.errors import EverShopRoute, render_domain_error

router = APIRouter(route_class=EverShopRoute, tags=["EverShop"])
FACE = "evershop"
STORE = 1
PROFILE_LOGIN = "You must be logged in to update your profile"
ADDRESS_LOGIN = "You must be logged in to manage your addresses"
SESSION_LOGIN = "You must be logged in to manage your sessions"


def ok(data: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"data": data}, headers=headers)


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    services = services_of(request)
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request, services.settings.cookie_secure),
    )


def _clear_cookie(request: Request, response: Response, name: str) -> None:
    services = services_of(request)
    response.delete_cookie(
        name,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request, services.settings.cookie_secure),
    )


def _uuid(text: str) -> uuid.UUID:
    parsed = parse_uuid(text)
    if parsed is None:
        raise NotFound("Customer not found")
    return parsed


async def _admin(request: Request, action: Action) -> AdminCaller:
    caller = await current_admin(request)
    if caller is None:
        raise AuthenticationRequired("Unauthorized")
    ensure_allowed(caller.admin, action)
    return caller


def _actor(request: Request, admin: AdminCaller) -> Actor:
    """The admin behind an admin API call, for the audit log."""
    return Actor(f"admin:{admin.admin.admin_user_id}", ip=_ip(request), face=FACE)


async def _customer(request: Request, message: str) -> CustomerCaller:
    caller = await current_customer(request)
    if caller is None:
        raise AuthenticationRequired(message)
    return caller


async def _credentials(request: Request, *, form: bool) -> tuple[str, str]:
    body = await (json_or_form(request) if form else json_object(request))
    return schemas.required_str(body, "email"), schemas.required_str(body, "password")


# ---- the admin reads ----------------------------------------------------------------------
# Defined first: FastAPI tries routes in the order they were added, and these two are the most
# requested (no other GET route has their shape, so the order changes no answer).


@router.get("/api/customers/{customer_id}")
async def get_customer(request: Request, customer_id: str) -> Response:
    """One customer with its addresses."""
    services = services_of(request)
    await _admin(request, Action.view_customers)
    row, found = await customers.get_customer_with_addresses(
        services.queries, store_id=STORE, customer_uuid=_uuid(customer_id)
    )
    return ok(
        {**schemas.customer_body(row), "addresses": [schemas.embedded_address(a) for a in found]},
        etag(row.version),
    )


@router.get("/api/customers")
async def list_customers(request: Request) -> Response:
    """One page of customers with EverShop's grid filters and the documented envelope."""
    services = services_of(request)
    await _admin(request, Action.view_customers)
    flt, echoed = schemas.list_filter(
        request.query_params, max_limit=services.settings.list_max_limit
    )
    page = await customers.list_customers(services.queries, flt)
    return JSONResponse(schemas.list_body(page, flt, echoed))


# ---- customer sign-in -------------------------------------------------------------------


async def _login(request: Request, *, form: bool = True) -> auth.CustomerLogin:
    services = services_of(request)
    email, password = await _credentials(request, form=form)
    return await auth.login_customer(
        services.uow(),
        services.hasher,
        services.clock,
        store_id=STORE,
        email=email,
        password=password,
        client=client_info(request, FACE),
        policy=services.sessions,
        throttle=services.throttle,
    )


@router.post("/customer/login", openapi_extra=docs.body(docs.Credentials))
async def customer_login(request: Request) -> Response:
    """Sign a customer in: a new session, its id in ``data.sid`` and the ``sid`` cookie."""
    login = await _login(request)
    response = ok({"sid": login.token})
    max_age = services_of(request).settings.session_absolute_seconds
    _set_cookie(request, response, CUSTOMER_COOKIE, login.token, max_age)
    return response


@router.get("/customer/logout", operation_id="customer_logout_get")
@router.post("/customer/logout", operation_id="customer_logout_post")
@router.post("/customers/logout", operation_id="customers_logout_post")
async def customer_logout(request: Request) -> Response:
    """End the caller's session (by cookie, ``X-Session-ID`` or JWT); always ``{"data":{}}``."""
    services = services_of(request)
    token = session_token(request)
    if token:
        await auth.logout_customer(services.uow(), services.clock, token=token)
    else:
        # Signed in by a Bearer JWT or the legacy ``token`` cookie: end the session it names.
        caller = await current_customer(request)
        if caller is not None:
            await auth.end_customer_sessions(
                services.uow(),
                services.clock,
                ids=[str(caller.session.uuid)],
                owner_id=caller.customer.customer_id,
            )
    response = ok({})
    _clear_cookie(request, response, CUSTOMER_COOKIE)
    if LEGACY_CUSTOMER_COOKIE in request.cookies:
        _clear_cookie(request, response, LEGACY_CUSTOMER_COOKIE)
    return response


@router.post("/api/customers/sessions", openapi_extra=docs.body(docs.Credentials))
async def legacy_create_session(request: Request) -> Response:
    """The 1.0 release-candidate login: a session JWT and its sid, plus the ``token`` cookie."""
    services = services_of(request)
    login = await _login(request, form=False)
    lifetime = services.tokens.legacy_session
    token = tokens.issue(
        services.tokens,
        token_type="customer",
        kind="session",
        subject=tokens.customer_claims(login.customer),
        session_uuid=login.session.uuid,
        now=services.clock.now(),
        lifetime=lifetime,
    )
    response = ok({"token": token, "sid": login.token})
    _set_cookie(request, response, LEGACY_CUSTOMER_COOKIE, token, lifetime)
    return response


@router.post("/api/customers/sessions/{ids}", operation_id="legacy_end_sessions_post")
@router.delete("/api/customers/sessions/{ids}", operation_id="legacy_end_sessions_delete")
async def legacy_end_sessions(request: Request, ids: str) -> Response:
    """End sessions named by sids or customer uuids: a customer its own, an admin any."""
    services = services_of(request)
    admin = await current_admin(request)
    customer = None if admin else await current_customer(request)
    if admin or customer:
        await auth.end_customer_sessions(
            services.uow(),
            services.clock,
            ids=[part.strip() for part in ids.split(",") if part.strip()][:100],
            owner_id=None if admin else customer.customer.customer_id if customer else None,
            store_id=STORE,
        )
    return ok({})


# ---- JSON Web Tokens (EverShop 2.x) -------------------------------------------------------


def _token_pair(
    services: Services,
    token_type: tokens.TokenType,
    subject: dict[str, Any],
    session_uuid: uuid.UUID,
) -> dict[str, str]:
    config = services.tokens
    access, refresh = (
        (config.customer_access, config.customer_refresh)
        if token_type == "customer"
        else (config.admin_access, config.admin_refresh)
    )
    now = services.clock.now()
    return {
        "accessToken": tokens.issue(
            config,
            token_type=token_type,
            kind="access",
            subject=subject,
            session_uuid=session_uuid,
            now=now,
            lifetime=access,
        ),
        "refreshToken": tokens.issue(
            config,
            token_type=token_type,
            kind="refresh",
            subject=subject,
            session_uuid=session_uuid,
            now=now,
            lifetime=refresh,
        ),
    }


async def _token_credentials(request: Request) -> tuple[str, str]:
    body = await json_object(request)
    for key, label in (("email", "Email"), ("password", "Password")):
        if key not in body:
            raise InvalidInput.one(key, f"{label} is required")
        if not isinstance(body[key], str):
            raise InvalidInput.one(key, f"{label} must be a string")
    return body["email"], body["password"]


@router.post("/api/customer/tokens", openapi_extra=docs.body(docs.Credentials))
async def customer_tokens(request: Request) -> Response:
    """Sign a customer in and return an access and a refresh JWT for the new session."""
    services = services_of(request)
    email, password = await _token_credentials(request)
    login = await auth.login_customer(
        services.uow(),
        services.hasher,
        services.clock,
        store_id=STORE,
        email=email,
        password=password,
        client=client_info(request, FACE),
        policy=services.sessions,
        throttle=services.throttle,
    )
    subject = tokens.customer_claims(login.customer)
    return ok(_token_pair(services, "customer", subject, login.session.uuid))


async def _refresh_claims(request: Request, token_type: tokens.TokenType) -> tokens.TokenClaims:
    services = services_of(request)
    body = await json_object(request)
    refresh = schemas.required_str(body, "refreshToken")
    claims = tokens.read(services.tokens, refresh, token_type=token_type, kinds=("refresh",))
    if claims is None:
        raise AuthenticationRequired("Invalid refresh token")
    return claims


@router.post("/api/customer/token/refresh", openapi_extra=docs.body(docs.Refresh))
async def customer_token_refresh(request: Request) -> Response:
    """A new access token for a live session named by a refresh token."""
    services = services_of(request)
    claims = await _refresh_claims(request, "customer")
    found = await auth.resolve_customer(
        services.uow(), services.clock, session_uuid=claims.session_uuid, policy=services.sessions
    )
    if found is None:
        raise AuthenticationRequired("Customer not found or inactive")
    session, customer = found
    pair = _token_pair(services, "customer", tokens.customer_claims(customer), session.uuid)
    return ok({"accessToken": pair["accessToken"]})


# ---- admin sign-in -----------------------------------------------------------------------


async def _admin_login(request: Request, *, form: bool) -> auth.AdminLogin:
    services = services_of(request)
    email, password = await (
        _credentials(request, form=True) if form else _token_credentials(request)
    )
    return await auth.login_admin(
        services.uow(),
        services.hasher,
        services.clock,
        email=email,
        password=password,
        client=client_info(request, FACE),
        policy=services.sessions,
        throttle=services.throttle,
    )


@router.post("/admin/user/login", openapi_extra=docs.body(docs.Credentials))
async def admin_login(request: Request) -> Response:
    """Sign an admin in: a new admin session, its id in ``data.sid`` and the ``asid`` cookie."""
    login = await _admin_login(request, form=True)
    response = ok({"sid": login.token})
    max_age = services_of(request).settings.session_absolute_seconds
    _set_cookie(request, response, ADMIN_COOKIE, login.token, max_age)
    return response


@router.get("/admin/user/logout", operation_id="admin_logout_get")
@router.post("/admin/user/logout", operation_id="admin_logout_post")
async def admin_logout(request: Request) -> Response:
    """End the admin session; without one, go to the sign-in page as EverShop does."""
    services = services_of(request)
    caller = await current_admin(request)
    if caller is None:
        return RedirectResponse("/admin/login", status_code=302)
    await auth.logout_admin(services.uow(), services.clock, session_id=caller.session.session_id)
    response = ok({})
    _clear_cookie(request, response, ADMIN_COOKIE)
    return response


@router.post("/api/user/tokens", openapi_extra=docs.body(docs.Credentials))
async def admin_tokens(request: Request) -> Response:
    """Sign an admin in and return an access and a refresh JWT for the new session."""
    login = await _admin_login(request, form=False)
    services = services_of(request)
    subject = tokens.admin_claims(login.admin)
    return ok(_token_pair(services, "admin", subject, login.session.uuid))


@router.post("/api/user/token/refresh", openapi_extra=docs.body(docs.Refresh))
async def admin_token_refresh(request: Request) -> Response:
    """A new admin access token for a live session named by a refresh token."""
    services = services_of(request)
    claims = await _refresh_claims(request, "admin")
    found = await auth.resolve_admin(
        services.uow(), services.clock, session_uuid=claims.session_uuid, policy=services.sessions
    )
    if found is None:
        raise AuthenticationRequired("User not found or inactive")
    session, admin = found
    pair = _token_pair(services, "admin", tokens.admin_claims(admin), session.uuid)
    return ok({"accessToken": pair["accessToken"]})


# ---- customers ---------------------------------------------------------------------------


@router.post("/api/customers", openapi_extra=docs.body(docs.CustomerCreate))
async def create_customer(request: Request) -> Response:
    """Admin creation, or storefront registration when open (server-owned fields ignored)."""
    services = services_of(request)
    admin = await current_admin(request)
    if admin is not None:
        ensure_allowed(admin.admin, Action.create_customer)
    elif not services.settings.public_registration:
        raise AuthenticationRequired("Unauthorized")

    async def scope() -> str:
        return f"admin:{admin.admin.admin_user_id}" if admin else f"anonymous:{_ip(request)}"

    return await run_idempotent(
        request,
        scope=scope,
        handler=lambda: _create_customer(request, admin),
        render_error=render_domain_error,
    )


async def _create_customer(request: Request, admin: AdminCaller | None) -> Response:
    services = services_of(request)
    body = await json_object(request)
    data = NewCustomer(
        email=schemas.required_str(body, "email"),
        password=schemas.required_str(body, "password"),
        full_name=schemas.required_str(body, "full_name"),
        status=schemas.parse_status(body["status"]) if admin and "status" in body else 1,
        group_id=schemas.parse_group_id(body["group_id"]) if admin and "group_id" in body else 1,
        created_ip=client_info(request, FACE).ip,
    )
    customer = await customers.register_customer(
        services.uow(),
        services.hasher,
        services.clock,
        data=data,
        policy=services.passwords,
        throttle=services.throttle,
        actor=_actor(request, admin) if admin else None,
    )
    if services.settings.email_verification:
        await recovery.send_verification(
            services.uow(),
            services.clock,
            services.mailer,
            customer=customer,
            policy=services.recovery,
        )
    return ok({**schemas.customer_body(customer), "links": schemas.admin_links(str(customer.uuid))})


@router.patch("/api/customers/me", openapi_extra=docs.body(docs.ProfileUpdate))
async def update_me(request: Request) -> Response:
    """A customer changes its own full name or email."""
    services = services_of(request)
    caller = await _customer(request, PROFILE_LOGIN)
    changes = schemas.profile_changes(await json_object(request))
    customer = await customers.update_customer(
        services.uow(),
        services.hasher,
        services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        changes=changes,
        policy=services.passwords,
        expected_versions=if_match(request),
    )
    body = {**schemas.customer_body(customer), "links": schemas.self_links()}
    return ok(body, etag(customer.version))


@router.patch("/api/customers/{customer_id}", openapi_extra=docs.body(docs.CustomerUpdate))
async def update_customer(request: Request, customer_id: str) -> Response:
    """An admin changes email, password, full name, status or group."""
    services = services_of(request)
    admin = await _admin(request, Action.edit_customer)
    customer_uuid = _uuid(customer_id)
    changes = schemas.admin_changes(await json_object(request))
    customer = await customers.update_customer(
        services.uow(),
        services.hasher,
        services.clock,
        store_id=STORE,
        customer_uuid=customer_uuid,
        changes=changes,
        policy=services.passwords,
        expected_versions=if_match(request),
        actor=_actor(request, admin),
    )
    body = {**schemas.customer_body(customer), "links": schemas.admin_links(str(customer.uuid))}
    return ok(body, etag(customer.version))


@router.delete("/api/customers/{customer_id}")
async def delete_customer(request: Request, customer_id: str) -> Response:
    """Delete an account; its orders, once there are any, are kept."""
    services = services_of(request)
    admin = await _admin(request, Action.delete_customer)
    customer = await customers.delete_customer(
        services.uow(),
        store_id=STORE,
        customer_uuid=_uuid(customer_id),
        clock=services.clock,
        actor=_actor(request, admin),
    )
    return ok(schemas.customer_body(customer))


@router.patch("/api/customers/{customer_id}/metafields", openapi_extra=docs.body(docs.Metafields))
async def update_metafields(request: Request, customer_id: str) -> Response:
    """Merge key/value meta data into a customer."""
    services = services_of(request)
    admin = await _admin(request, Action.edit_customer)
    customer_uuid = _uuid(customer_id)
    body = await json_object(request)
    metafields = body.get("metafields")
    if not isinstance(metafields, dict):
        raise InvalidInput.one("metafields", "metafields must be an object")
    meta = await customers.update_metafields(
        services.uow(),
        services.clock,
        store_id=STORE,
        customer_uuid=customer_uuid,
        metafields=metafields,
        actor=_actor(request, admin),
    )
    return ok({"metaData": meta})


# ---- addresses ---------------------------------------------------------------------------


def _address_uuid(text: str) -> uuid.UUID:
    parsed = parse_uuid(text)
    if parsed is None:
        raise NotFound("Address not found")
    return parsed


async def _address_owner(
    request: Request, customer_id: str | None
) -> tuple[uuid.UUID, str, Actor | None]:
    """The customer whose addresses are addressed, the base path of their links, and the
    admin acting (None when customers change their own)."""
    if customer_id is None:
        caller = await _customer(request, ADDRESS_LOGIN)
        return caller.customer.uuid, "/api/customers/me/addresses", None
    admin = await _admin(request, Action.edit_customer)
    customer_uuid = _uuid(customer_id)
    return customer_uuid, f"/api/customers/{customer_uuid}/addresses", _actor(request, admin)


async def _create_address(request: Request, customer_id: str | None) -> Response:
    return await run_idempotent(
        request,
        scope=lambda: _caller_scope(request),
        handler=lambda: _add_address(request, customer_id),
        render_error=render_domain_error,
    )


async def _caller_scope(request: Request) -> str:
    """Who is calling, for idempotency keys: an admin, a customer or an address."""
    admin = await current_admin(request)
    if admin is not None:
        return f"admin:{admin.admin.admin_user_id}"
    customer = await current_customer(request)
    if customer is not None:
        return f"customer:{customer.customer.customer_id}"
    return f"anonymous:{_ip(request)}"


def _ip(request: Request) -> str:
    return request.client.host if request.client else "-"


async def _add_address(request: Request, customer_id: str | None) -> Response:
    services = services_of(request)
    owner, base, actor = await _address_owner(request, customer_id)
    fields = schemas.address_fields(await json_object(request))
    _, address = await addresses.add_address(
        services.uow(),
        services.clock,
        store_id=STORE,
        customer_uuid=owner,
        fields=fields,
        actor=actor,
    )
    href = f"{base}/{address.uuid}"
    return ok({**schemas.address_body(address), "links": schemas.address_links(href)})


async def _update_address(request: Request, customer_id: str | None, address_id: str) -> Response:
    services = services_of(request)
    owner, base, actor = await _address_owner(request, customer_id)
    fields = schemas.address_fields(await json_object(request))
    _, address = await addresses.update_address(
        services.uow(),
        services.clock,
        store_id=STORE,
        customer_uuid=owner,
        address_uuid=_address_uuid(address_id),
        fields=fields,
        actor=actor,
    )
    href = f"{base}/{address.uuid}"
    return ok({**schemas.address_body(address), "links": schemas.address_links(href)})


async def _delete_address(request: Request, customer_id: str | None, address_id: str) -> Response:
    services = services_of(request)
    owner, _, actor = await _address_owner(request, customer_id)
    _, address = await addresses.delete_address(
        services.uow(),
        store_id=STORE,
        customer_uuid=owner,
        address_uuid=_address_uuid(address_id),
        clock=services.clock,
        actor=actor,
    )
    return ok(schemas.address_body(address))


@router.post("/api/customers/me/addresses", openapi_extra=docs.body(docs.Address))
async def create_my_address(request: Request) -> Response:
    """A customer adds an address to its own account."""
    return await _create_address(request, None)


@router.patch("/api/customers/me/addresses/{address_id}", openapi_extra=docs.body(docs.Address))
async def update_my_address(request: Request, address_id: str) -> Response:
    """A customer changes one of its own addresses."""
    return await _update_address(request, None, address_id)


@router.delete("/api/customers/me/addresses/{address_id}")
async def delete_my_address(request: Request, address_id: str) -> Response:
    """A customer removes one of its own addresses."""
    return await _delete_address(request, None, address_id)


@router.post("/api/customers/{customer_id}/addresses", openapi_extra=docs.body(docs.Address))
async def create_address(request: Request, customer_id: str) -> Response:
    """An admin adds an address to a customer."""
    return await _create_address(request, customer_id)


@router.patch(
    "/api/customers/{customer_id}/addresses/{address_id}", openapi_extra=docs.body(docs.Address)
)
async def update_address(request: Request, customer_id: str, address_id: str) -> Response:
    """An admin changes an address of a customer."""
    return await _update_address(request, customer_id, address_id)


@router.delete("/api/customers/{customer_id}/addresses/{address_id}")
async def delete_address(request: Request, customer_id: str, address_id: str) -> Response:
    """An admin removes an address of a customer."""
    return await _delete_address(request, customer_id, address_id)


# ---- password reset and email verification -----------------------------------------------


def _email_member(body: dict[str, Any]) -> str:
    email = schemas.required_str(body, "email")
    if not is_email(email.strip()):
        raise InvalidInput.one(
            "email", "Email must be a valid email address (e.g., user@example.com)"
        )
    return email


@router.post("/api/customers/reset-password", openapi_extra=docs.body(docs.EmailOnly))
async def request_password_reset(request: Request) -> Response:
    """Email a reset link if the account exists; the answer is the same either way."""
    services = services_of(request)
    email = _email_member(await json_object(request))
    await recovery.request_password_reset(
        services.uow(),
        services.clock,
        services.mailer,
        store_id=STORE,
        email=email,
        policy=services.recovery,
        throttle=services.throttle,
        ip=_ip(request),
    )
    return ok({})


@router.post("/api/customers/password", openapi_extra=docs.body(docs.PasswordReset))
async def reset_password(request: Request) -> Response:
    """Choose a new password with a reset token; every session of the customer ends."""
    services = services_of(request)
    body = await json_object(request)
    token = schemas.required_str(body, "token")
    password = schemas.required_str(body, "password")
    await recovery.reset_password(
        services.uow(),
        services.hasher,
        services.clock,
        token=token,
        password=password,
        policy=services.passwords,
    )
    return JSONResponse({})


@router.post("/api/customers/verify-email", openapi_extra=docs.body(docs.TokenOnly))
async def verify_email(request: Request) -> Response:
    """Confirm an email address with the token from the verification message."""
    services = services_of(request)
    token = schemas.required_str(await json_object(request), "token")
    await recovery.verify_email(services.uow(), services.clock, token=token)
    return ok({})


@router.post("/api/customers/verify-email/resend", openapi_extra=docs.body(docs.EmailOnly))
async def resend_verification(request: Request) -> Response:
    """Send a new verification link to an unverified account; the same answer either way."""
    services = services_of(request)
    email = _email_member(await json_object(request))
    await recovery.request_verification(
        services.uow(),
        services.clock,
        services.mailer,
        store_id=STORE,
        email=email,
        policy=services.recovery,
    )
    return ok({})


# ---- sessions -----------------------------------------------------------------------------


def _session_body(session: CustomerSession, current: CustomerSession | None) -> dict[str, Any]:
    return {
        "uuid": str(session.uuid),
        "face": session.face,
        "ip": session.ip,
        "user_agent": session.user_agent,
        "created_at": tokens.stamp(session.created_at),
        "last_seen_at": tokens.stamp(session.last_seen_at),
        "expires_at": tokens.stamp(session.expires_at),
        "current": current is not None and session.session_id == current.session_id,
    }


async def _session_owner(
    request: Request, customer_id: str | None
) -> tuple[int, CustomerSession | None]:
    """Whose sessions: the caller's own (``me``) or, for an admin, any customer's."""
    if customer_id is None:
        caller = await _customer(request, SESSION_LOGIN)
        return caller.customer.customer_id, caller.session
    await _admin(request, Action.manage_sessions)
    row = await customers.get_customer(
        services_of(request).queries, store_id=STORE, customer_uuid=_uuid(customer_id)
    )
    return row.customer_id, None


async def _list_sessions(request: Request, customer_id: str | None) -> Response:
    services = services_of(request)
    owner, current = await _session_owner(request, customer_id)
    found = await auth.list_customer_sessions(
        services.uow(), services.clock, customer_id=owner, policy=services.sessions
    )
    return ok([_session_body(session, current) for session in found])


async def _revoke_session(request: Request, customer_id: str | None, session_id: str) -> Response:
    services = services_of(request)
    owner, _ = await _session_owner(request, customer_id)
    parsed = parse_uuid(session_id)
    if parsed is None:
        raise NotFound("Session not found")
    await auth.revoke_customer_session(
        services.uow(), services.clock, customer_id=owner, session_uuid=parsed
    )
    return ok({})


@router.get("/api/customers/me/sessions")
async def list_my_sessions(request: Request) -> Response:
    """The caller's live sessions (never their tokens); ``current`` marks the one in use."""
    return await _list_sessions(request, None)


@router.delete("/api/customers/me/sessions/{session_id}")
async def revoke_my_session(request: Request, session_id: str) -> Response:
    """End one of the caller's sessions by its public id."""
    return await _revoke_session(request, None, session_id)


@router.get("/api/customers/{customer_id}/sessions")
async def list_sessions(request: Request, customer_id: str) -> Response:
    """An admin lists a customer's live sessions."""
    return await _list_sessions(request, customer_id)


@router.delete("/api/customers/{customer_id}/sessions")
async def revoke_sessions(request: Request, customer_id: str) -> Response:
    """An admin ends every session of a customer."""
    services = services_of(request)
    owner, _ = await _session_owner(request, customer_id)
    await auth.revoke_customer_sessions(services.uow(), services.clock, customer_id=owner)
    return ok({})


@router.delete("/api/customers/{customer_id}/sessions/{session_id}")
async def revoke_session(request: Request, customer_id: str, session_id: str) -> Response:
    """An admin ends one session of a customer."""
    return await _revoke_session(request, customer_id, session_id)


@router.delete("/api/customers/{customer_id}/lockout")
async def release_lockout(request: Request, customer_id: str) -> Response:
    """An admin lifts a customer's sign-in backoff or lockout; the audit log records it."""
    services = services_of(request)
    caller = await _admin(request, Action.manage_sessions)
    await auth.release_lockout(
        services.uow(),
        services.clock,
        services.throttle,
        store_id=STORE,
        customer_uuid=_uuid(customer_id),
        actor=_actor(request, caller),
    )
    return ok({})


# ---- privacy requests ---------------------------------------------------------------------


@router.get("/api/customers/{customer_id}/export")
async def export_customer_data(request: Request, customer_id: str) -> Response:
    """Everything stored about a customer, as one JSON document (administrators; audited)."""
    services = services_of(request)
    admin = await _admin(request, Action.export_customer)
    document = await privacy.export_customer(
        services.uow(),
        services.clock,
        store_id=STORE,
        customer_uuid=_uuid(customer_id),
        actor=_actor(request, admin),
    )
    return ok(document)


@router.post("/api/customers/{customer_id}/erase")
async def erase_customer_data(request: Request, customer_id: str) -> Response:
    """Erase a customer's personal data: the account goes, orders stay without the customer,
    audit entries keep who did what but not the values (administrators; audited)."""
    services = services_of(request)
    admin = await _admin(request, Action.erase_customer)
    await privacy.erase_customer(
        services.uow(),
        services.clock,
        store_id=STORE,
        customer_uuid=_uuid(customer_id),
        actor=_actor(request, admin),
    )
    return ok({})
