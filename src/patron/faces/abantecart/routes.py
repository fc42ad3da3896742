"""AbanteCart storefront API routes (``/index.php?rt=a/account/…``). Thin: read, call the core,
shape the answer in ``schemas``.

The order of checks is AbanteCart's: a route with illegal characters is refused, a preflight
is answered (before the key, unlike upstream, so CORS works), the API switch and key are
checked, an idle-expired session is redirected once, and only then is the route looked up.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from patron.core import addresses, auth, customers, orders
from patron.core.customers import NewCustomer
from patron.core.entities import Customer
from patron.core.errors import AuthenticationFailed, Conflict, DomainError, InvalidInput
from patron.core.normalise import php_trim
from patron.core.passwords import check_password
from patron.faces._shared.http import client_info
from patron.faces._shared.services import Services, services_of
from patron.faces.abantecart import forms, schemas
from patron.faces.abantecart.errors import (
    ALREADY_LOGGED_IN,
    API_DISABLED,
    LOGIN_FAILED,
    LOGOUT_FAILED,
    NOT_LOGGED_IN,
    render_domain_error,
)
from patron.faces.abantecart.transport import RT_CHARACTERS, TOKEN_SHAPE, ApiCall, forbidden

router = APIRouter(tags=["AbanteCart"])
FACE = "abantecart"
STORE = 1
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]


@dataclass
class Context:
    """One call and what answering it needs."""

    call: ApiCall
    services: Services
    request: Request

    async def customer(self, token: str | None) -> Customer | None:
        """The customer whose live session ``token`` names (looked up once per call)."""
        token = php_trim(token or "")
        if not TOKEN_SHAPE.fullmatch(token):
            return None
        if token not in self.call.cache:
            found = await auth.resolve_customer(
                self.services.uow(), self.services.clock, token=token, policy=self.services.sessions
            )
            self.call.cache[token] = found[1] if found else None
        customer: Customer | None = self.call.cache[token]
        return customer

    async def signed_in(self) -> Customer | None:
        """The customer named by the ``token`` of the method's parameter set."""
        return await self.customer(self.call.params.get("token"))

    def not_logged_in(self) -> Response:
        return self.call.respond(401, {"error": NOT_LOGGED_IN})


Handler = Callable[[Context], Awaitable[Response]]


# ---- routes ---------------------------------------------------------------------------------


async def login(ctx: Context) -> Response:
    """A ``token`` (even empty) asks whether it is alive; else log in by login name."""
    call = ctx.call
    if "token" in call.form:
        if await ctx.signed_in():
            return call.respond(200, {"status": 1, "request": "authorized"})
        return call.respond(401, {"status": 0, "request": "unauthorized"})
    name = call.form.get("loginname", call.form.get("email"))
    services = ctx.services
    try:
        login = await auth.login_customer(
            services.uow(),
            services.hasher,
            services.clock,
            store_id=STORE,
            login_name=php_trim(name or ""),
            password=call.form.get("password", ""),
            client=client_info(ctx.request, FACE),
            policy=services.sessions,
            throttle=services.throttle,
        )
    except AuthenticationFailed:
        return call.respond(401, {"status": 0, "error": LOGIN_FAILED})
    return call.respond(200, {"status": 1, "success": "Logged in", "token": login.token})


async def logout(ctx: Context) -> Response:
    """End the session named by ``token`` (query for GET, body for POST)."""
    if await ctx.signed_in() is None:
        return ctx.call.respond(401, {"status": 0, "error": LOGOUT_FAILED})
    token = php_trim(ctx.call.params.get("token", ""))
    await auth.logout_customer(ctx.services.uow(), ctx.services.clock, token=token)
    return ctx.call.respond(200, {"status": 1, "success": "Logged out"})


async def account(ctx: Context) -> Response:
    """The signed-in customer's summary."""
    customer = await ctx.signed_in()
    if customer is None:
        return ctx.not_logged_in()
    return ctx.call.respond(200, schemas.account_body(customer))


async def history(ctx: Context) -> Response:
    """The signed-in customer's orders, newest first, one page."""
    customer = await ctx.signed_in()
    if customer is None:
        return ctx.not_logged_in()
    limit = ctx.services.settings.abantecart_history_limit
    found = await orders.order_history(
        ctx.services.order_queries, customer_id=customer.customer_id, limit=limit
    )
    return ctx.call.respond(200, schemas.history_body(found, limit))


def _given(call: ApiCall, names: tuple[str, ...]) -> dict[str, str | None]:
    return {name: call.text(name) for name in names}


async def edit_form(ctx: Context) -> Response:
    """The profile form with the stored values (query parameters override them)."""
    customer = await ctx.signed_in()
    if customer is None:
        return ctx.not_logged_in()
    given = _given(ctx.call, forms.PROFILE_TEXT)
    return ctx.call.respond(200, {"fields": forms.profile_fields(customer, given, {})})


async def _login_name_problem(ctx: Context, login_name: str | None) -> str | None:
    if login_name is None:
        return None
    if not schemas.login_name_valid(login_name):
        return schemas.LOGINNAME
    # 1.4.2 does not leave the customer out of this check: resending the own name fails.
    taken = await customers.taken_identifiers(
        ctx.services.uow(), store_id=STORE, login_name=login_name
    )
    return schemas.LOGINNAME_TAKEN if taken else None


async def edit(ctx: Context) -> Response:
    """Replace the profile (names, email, phones, newsletter; login name when sent)."""
    customer = await ctx.signed_in()
    if customer is None:
        return ctx.not_logged_in()
    call, services = ctx.call, ctx.services
    given = _given(call, forms.PROFILE_TEXT)
    login_name = call.text("loginname")
    email_changed = given["email"] != customer.email
    taken = (
        await customers.taken_identifiers(
            services.uow(),
            store_id=STORE,
            email=given["email"],
            exclude_customer_id=customer.customer_id,
        )
        if email_changed and schemas.email_valid(given["email"])
        else set()
    )
    errors = forms.profile_errors(
        given,
        email_changed=email_changed,
        login_name_problem=await _login_name_problem(ctx, login_name),
        email_taken="email" in taken,
    )
    if not errors:
        try:
            await customers.update_customer(
                services.uow(),
                services.hasher,
                services.clock,
                store_id=STORE,
                customer_uuid=customer.uuid,
                changes=forms.profile_changes(customer, given, login_name=login_name),
                policy=services.passwords,
            )
        except InvalidInput as exc:
            errors = forms.errors_from_core(exc, forms.EDIT_MESSAGES)
        except Conflict:
            errors = {"warning": schemas.EDIT_EMAIL_TAKEN}
        else:
            return call.respond(200, {"status": 1, "text_message": schemas.EDIT_SUCCESS})
    return call.respond(200, forms.profile_failure_body(customer, given, errors))


async def create_form(ctx: Context) -> Response:
    """The empty registration form."""
    return ctx.call.respond(200, forms.registration_form_body())


def _registration(call: ApiCall) -> forms.Registration:
    return forms.Registration(
        values=_given(call, forms.REGISTRATION_TEXT),
        password=call.form.get("password"),
        confirm=call.form.get("confirm"),
        agreed="agree" in call.form,
    )


async def _registration_errors(ctx: Context, form: forms.Registration) -> dict[str, str]:
    login_name = form.get("loginname")
    taken = await customers.taken_identifiers(
        ctx.services.uow(),
        store_id=STORE,
        email=form.get("email") or None,
        login_name=login_name if schemas.login_name_valid(login_name) else None,
    )
    try:
        check_password(form.password or "", ctx.services.passwords)
        problem = None
    except InvalidInput as exc:
        problem = exc.message
    return forms.registration_errors(form, taken=taken, password_problem=problem)


async def create(ctx: Context) -> Response:
    """Register a customer with a default address. No token comes back: log in next."""
    call, services = ctx.call, ctx.services
    if await ctx.signed_in():
        return call.respond(401, {"error": ALREADY_LOGGED_IN})
    form = _registration(call)
    # Counted before the form is checked: its "already registered" warnings must be throttled.
    await customers.count_registration(services.throttle, client_info(ctx.request, FACE).ip)
    errors = await _registration_errors(ctx, form)
    if not errors:
        profile, address = forms.new_customer_values(form)
        data = NewCustomer(
            email=form.get("email") or "",
            password=form.password or "",
            profile=profile,
            login_name=form.get("loginname"),
            newsletter=schemas.php_int(form.get("newsletter")) != 0,
            created_ip=client_info(ctx.request, FACE).ip,
        )
        try:
            await addresses.register_with_address(
                services.uow(),
                services.hasher,
                services.clock,
                data=data,
                address=address,
                policy=services.passwords,
            )
        except InvalidInput as exc:
            errors = forms.errors_from_core(exc, forms.CREATE_MESSAGES)
        except Conflict:
            # Someone took the email or login name since the check: name which, as 1.4.2 does.
            errors = await _registration_errors(ctx, form) or {
                "warning": schemas.CREATE_EMAIL_TAKEN
            }
        else:
            return call.respond(200, _created(services))
    return call.respond(200, forms.registration_failure_body(form, errors))


def _created(services: Services) -> dict[str, object]:
    settings = services.settings
    return {
        "mail_template_data": {
            "store_name": settings.abantecart_store_name,
            "login_url": settings.public_url.rstrip("/") + "/index.php?rt=account/login",
        },
        "status": 1,
        "text_message": schemas.CREATE_SUCCESS,
    }


ROUTES: dict[str, dict[str, Handler]] = {
    "a/account/login": {"POST": login},
    "a/account/logout": {"GET": logout, "POST": logout},
    "a/account/account": {"POST": account},
    "a/account/history": {"POST": history},
    "a/account/edit": {"GET": edit_form, "POST": edit},
    "a/account/create": {"GET": create_form, "POST": create},
}


# ---- the endpoint ---------------------------------------------------------------------------


def _api_open(services: Services, call: ApiCall) -> bool:
    settings = services.settings
    if not settings.abantecart_enabled:
        return False
    key = settings.abantecart_api_key.get_secret_value()
    if not key:
        return True
    given = call.api_key()
    return given is not None and hmac.compare_digest(given.encode(), key.encode())


async def _expired(ctx: Context) -> bool:
    """Whether the session-selecting token names a session that only idled out (ended now)."""
    token = ctx.call.session_token()
    if token is None or await ctx.customer(token) is not None:
        return False
    services = ctx.services
    return await auth.end_idle_customer_session(
        services.uow(), services.clock, token=token, policy=services.sessions
    )


@router.api_route("/index.php", methods=METHODS, include_in_schema=False)
async def index(request: Request) -> Response:
    """Every AbanteCart storefront API call; ``rt`` picks the route."""
    call = await ApiCall.read(request)
    rt = call.route
    if rt is not None and not RT_CHARACTERS.fullmatch(rt):
        return forbidden()
    if not rt or not rt.startswith("a/"):
        return call.respond(404, {"error": "Not Found"})
    if call.method == "OPTIONS":
        return call.preflight()
    ctx = Context(call, services_of(request), request)
    if not _api_open(ctx.services, call):
        return call.respond(401, {"error": API_DISABLED})
    try:
        if await _expired(ctx):
            return call.redirect_without_token()
        handler = ROUTES.get(rt, {})
        if not handler:
            return call.empty_page()
        method = handler.get(call.method)
        if method is None:
            return call.respond(405, {})
        return await method(ctx)
    except DomainError as exc:
        return render_domain_error(call, exc)
