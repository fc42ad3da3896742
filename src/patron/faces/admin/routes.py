"""Admin console pages: sign-in, the customer grid and the customer page. Server-rendered
(Jinja2), no JavaScript; every form carries a CSRF token; every page the security headers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from patron.core import addresses as address_book
from patron.core import admins, audit, auth, customers, groups, orders, privacy
from patron.core.audit import Actor
from patron.core.errors import AuthenticationFailed, DomainError, NotFound, TooManyAttempts
from patron.core.normalise import parse_uuid
from patron.core.policies import Action, Role, allows
from patron.core.ports import CustomerFilter
from patron.faces._shared.http import client_info, is_https
from patron.faces._shared.responses import JSONResponse
from patron.faces._shared.services import Services, services_of
from patron.faces.admin import cursors, security

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
FACE = "admin"
STORE = 1
ADMIN_COOKIE = "asid"  # the same admin sessions as the EverShop admin API
PAGE_SIZE = 20
AUDIT_PAGE = 50
SORTS = {"name": "full_name", "email": "email", "created": "created_at", "status": "status"}


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    return security.harden(response)


def _csrf_key(services: Services) -> bytes:
    return security.key(services.tokens.secret)


async def _admin(request: Request) -> tuple[Any, Any] | None:
    services = services_of(request)
    token = request.cookies.get(ADMIN_COOKIE)
    if not token:
        return None
    return await auth.resolve_admin(
        services.uow(), services.clock, token=token, policy=services.sessions
    )


def _forbidden(request: Request) -> Response:
    return _page(request, "forbidden.html", {"title": "Forbidden"}, 403)


@router.get("/admin/login")
async def login_page(request: Request) -> Response:
    """The sign-in form."""
    return await _login_form(request)


async def _login_form(
    request: Request, *, error: str | None = None, email: str = "", status: int = 200
) -> Response:
    services = services_of(request)
    nonce, fresh = security.nonce(request)
    context = {
        "title": "Sign in",
        "csrf": security.token_for(_csrf_key(services), nonce),
        "error": error,
        "email": email,
    }
    response = _page(request, "login.html", context, status)
    if fresh:
        response.set_cookie(
            security.NONCE_COOKIE,
            nonce,
            httponly=True,
            samesite="lax",
            path="/admin",
            secure=is_https(request, services.settings.cookie_secure),
        )
    return response


@router.post("/admin/login")
async def login(request: Request) -> Response:
    """Check the form's CSRF token and the credentials; on success a new admin session."""
    services = services_of(request)
    form = await request.form()
    nonce = request.cookies.get(security.NONCE_COOKIE)
    if not security.matches(_csrf_key(services), nonce, form.get("csrf")):
        return _forbidden(request)
    email = str(form.get("email") or "")
    try:
        login = await auth.login_admin(
            services.uow(),
            services.hasher,
            services.clock,
            email=email,
            password=str(form.get("password") or ""),
            client=client_info(request, FACE),
            policy=services.sessions,
            throttle=services.throttle,
        )
    except AuthenticationFailed:
        return await _login_form(
            request, error="Invalid email or password", email=email, status=400
        )
    except TooManyAttempts as exc:
        response = await _login_form(
            request, error="Too many attempts; try again later", email=email, status=429
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = RedirectResponse("/admin/customers", status_code=303)
    response.set_cookie(
        ADMIN_COOKIE,
        login.token,
        httponly=True,
        samesite="lax",
        path="/",
        max_age=services.settings.session_absolute_seconds,
        secure=is_https(request, services.settings.cookie_secure),
    )
    return security.harden(response)


@router.post("/admin/logout")
async def logout(request: Request) -> Response:
    """End the admin session (CSRF-checked) and go back to the sign-in page."""
    services = services_of(request)
    found = await _admin(request)
    form = await request.form()
    if found is None:
        return security.harden(RedirectResponse("/admin/login", status_code=303))
    session, _ = found
    if not security.matches(_csrf_key(services), str(session.uuid), form.get("csrf")):
        return _forbidden(request)
    await auth.logout_admin(services.uow(), services.clock, session_id=session.session_id)
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(ADMIN_COOKIE, path="/", httponly=True, samesite="lax")
    return security.harden(response)


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) < 10 else None


def _day(text: str | None, *, next_day: bool = False) -> datetime | None:
    """A ``YYYY-MM-DD`` form value as the start of that day (or of the next one), UTC."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if next_day and day == date.max:
        return None  # "up to the end of the last day there is": no bound
    return start + timedelta(days=1) if next_day else start


def _cleaned(query: Mapping[str, str], names: Iterable[str], limit: int) -> dict[str, str]:
    """The named query parameters that are set, cut to ``limit`` characters, without NUL (in
    no stored text, and refused by PostgreSQL in a parameter)."""
    found = {name: query.get(name, "").replace("\x00", "")[:limit] for name in names}
    return {name: value for name, value in found.items() if value}


def _grid_filter(request: Request) -> tuple[CustomerFilter, dict[str, str]]:
    query = request.query_params
    sort = query.get("sort", "")
    descending = sort.startswith("-")
    order_by = SORTS.get(sort.lstrip("-"), "customer_id")
    status = _int(query.get("status"))
    kept = _cleaned(
        query, ("keyword", "status", "group_id", "sort", "created_from", "created_to"), 100
    )
    flt = CustomerFilter(
        keyword_login_name=True,
        created_from=_day(kept.get("created_from")),
        created_before=_day(kept.get("created_to"), next_day=True),
        keyword=kept.get("keyword", "").strip() or None,
        status=status if status in (0, 1) else None,
        group_id=_int(query.get("group_id")),
        order_by=order_by,
        descending=descending,
        limit=PAGE_SIZE,
    )
    return flt, kept


@router.get("/admin/customers")
async def customer_grid(request: Request) -> Response:
    """The customer grid: search, filters, sortable columns, 20 per page, the total."""
    checked = await _signed_in(request, Action.view_customers)
    if isinstance(checked, Response):
        return checked
    services, session, admin = checked
    flt, kept = _grid_filter(request)
    query = request.query_params
    page = await customers.grid(
        services.queries,
        flt,
        after=cursors.decode(query.get("after"), flt.order_by),
        before=cursors.decode(query.get("before"), flt.order_by),
    )

    def link(**changes: Any) -> str:
        return "/admin/customers?" + urlencode({**kept, **changes})

    context = {
        "title": "Customers",
        "admin": admin,
        "csrf": security.token_for(_csrf_key(services), str(session.uuid)),
        "rows": page.rows,
        "total": page.total,
        "estimated": page.estimated,
        "at_least": page.at_least,
        "previous": link(before=cursors.encode(page.first_key))
        if page.has_previous and page.first_key
        else None,
        "next": link(after=cursors.encode(page.last_key))
        if page.has_next and page.last_key
        else None,
        "query": kept,
        "done": request.query_params.get("done"),
        "can_delete": allows(admin, Action.delete_customer),
        "sort_link": lambda column: link(
            sort=("-" + column) if kept.get("sort") == column else column
        ),
    }
    return _page(request, "customers.html", context)


@router.get("/admin/customers/edit/{customer_id}")
async def customer_page(request: Request, customer_id: str) -> Response:
    """One customer: profile (editable), password, addresses, live sessions and the audit
    timeline."""
    return await _customer_page(request, customer_id)


async def _customer_page(
    request: Request,
    customer_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    """The customer page; after a failed form, with 400 and the core's messages."""
    status = 400 if errors else 200
    checked = await _signed_in(request, None)
    if isinstance(checked, Response):
        return checked
    services, session, admin = checked
    parsed = parse_uuid(customer_id)
    try:
        if parsed is None:
            raise DomainError("Customer not found")
        row, addresses = await customers.get_customer_with_addresses(
            services.queries, store_id=STORE, customer_uuid=parsed
        )
    except DomainError:
        return _page(request, "not_found.html", {"title": "Customer not found"}, 404)
    live = await auth.list_customer_sessions(
        services.uow(), services.clock, customer_id=row.customer_id, policy=services.sessions
    )
    timeline = await audit.customer_timeline(services.uow(), customer_id=row.customer_id)
    order_rows, order_total = await orders.list_orders(
        services.uow(), store_id=STORE, customer_uuid=row.uuid, page=1, limit=20
    )
    context = {
        "title": row.full_name or row.email,
        "admin": admin,
        "csrf": security.token_for(_csrf_key(services), str(session.uuid)),
        "customer": row,
        "addresses": addresses,
        "sessions": live,
        "timeline": timeline,
        "orders": order_rows,
        "order_total": order_total,
        "can_edit": allows(admin, Action.edit_customer),
        "can_erase": allows(admin, Action.erase_customer),
        "notice": request.query_params.get("done"),
        "errors": errors or {},
        "values": values or {},
        "details_groups": DETAILS,
        "details": values
        if values and values.get("details")
        else await _details(services, row.uuid),
    }
    return _page(request, "customer.html", context, status)


async def _signed_in(
    request: Request, action: Action | None
) -> tuple[Services, Any, Any] | Response:
    """A page's first check: a live admin session and, when ``action`` is given, the role's
    right to it. The services, session and admin, or the response that refuses the request."""
    services = services_of(request)
    found = await _admin(request)
    if found is None:
        return security.harden(RedirectResponse("/admin/login", status_code=303))
    session, admin = found
    if action is not None and not allows(admin, action):
        return _forbidden(request)
    return services, session, admin


async def _posted(
    request: Request, action: Action | None
) -> tuple[Services, Any, Any, Any] | Response:
    """Common checks of an admin form: a live admin session, the form's CSRF token and, when
    ``action`` is given, the role's right to it. The services, session, admin and form, or the
    response that refuses the request."""
    checked = await _signed_in(request, action)
    if isinstance(checked, Response):
        return checked
    services, session, admin = checked
    form = await request.form()
    if not security.matches(_csrf_key(services), str(session.uuid), form.get("csrf")):
        return _forbidden(request)
    return services, session, admin, form


async def _form_action(
    request: Request, customer_id: str, action: Action = Action.edit_customer
) -> tuple[Services, Any, uuid.UUID, Any] | Response:
    """Common checks of a customer-page form: those of ``_posted`` and the customer id."""
    checked = await _posted(request, action)
    if isinstance(checked, Response):
        return checked
    services, _, admin, form = checked
    parsed = parse_uuid(customer_id)
    if parsed is None:
        return _page(request, "not_found.html", {"title": "Customer not found"}, 404)
    return services, admin, parsed, form


def _back(customer_uuid: uuid.UUID, done: str) -> Response:
    return security.harden(
        RedirectResponse(f"/admin/customers/edit/{customer_uuid}?done={done}", status_code=303)
    )


async def _save(
    request: Request,
    services: Services,
    admin: Any,
    customer_uuid: uuid.UUID,
    changes: dict[str, Any],
) -> dict[str, str]:
    """Apply ``changes`` through the core as this admin; the core's errors, by field."""
    try:
        await customers.update_customer(
            services.uow(),
            services.hasher,
            services.clock,
            store_id=STORE,
            customer_uuid=customer_uuid,
            changes=changes,
            policy=services.passwords,
            actor=_actor(request, admin),
        )
    except DomainError as exc:
        return {exc.field or "form": exc.message}
    return {}


@router.post("/admin/customers/edit/{customer_id}/profile")
async def save_profile(request: Request, customer_id: str) -> Response:
    """Save name, email, status and group; errors show next to the inputs."""
    checked = await _form_action(request, customer_id)
    if isinstance(checked, Response):
        return checked
    services, admin, customer_uuid, form = checked
    values = {k: str(form.get(k) or "") for k in ("full_name", "email", "status", "group_id")}
    changes: dict[str, Any] = {
        "full_name": values["full_name"],
        "email": values["email"],
    }
    errors: dict[str, str] = {}
    if values["status"] in ("0", "1"):
        changes["status"] = int(values["status"])
    else:
        errors["status"] = "Status must be enabled or disabled"
    if values["group_id"].isdigit() and len(values["group_id"]) < 10:
        changes["group_id"] = int(values["group_id"])
    else:
        errors["group_id"] = "Group must be a group id"
    if not errors:
        errors = await _save(request, services, admin, customer_uuid, changes)
    if errors:
        return await _customer_page(request, str(customer_uuid), errors=errors, values=values)
    return _back(customer_uuid, "profile")


@router.post("/admin/customers/edit/{customer_id}/password")
async def set_password(request: Request, customer_id: str) -> Response:
    """Set a new password (the policy applies); every session of the customer ends."""
    checked = await _form_action(request, customer_id)
    if isinstance(checked, Response):
        return checked
    services, admin, customer_uuid, form = checked
    changes = {"password": str(form.get("password") or "")}
    errors = await _save(request, services, admin, customer_uuid, changes)
    if errors:
        message = next(iter(errors.values()))
        return await _customer_page(request, str(customer_uuid), errors={"password": message})
    return _back(customer_uuid, "password")


@router.post("/admin/customers/edit/{customer_id}/sessions")
async def revoke_sessions(request: Request, customer_id: str) -> Response:
    """End one session (``session`` field) or all of them."""
    checked = await _form_action(request, customer_id)
    if isinstance(checked, Response):
        return checked
    services, admin, customer_uuid, form = checked
    try:
        row = await customers.get_customer(
            services.queries, store_id=STORE, customer_uuid=customer_uuid
        )
        one = parse_uuid(str(form.get("session") or ""))
        if one is not None:
            await auth.revoke_customer_session(
                services.uow(),
                services.clock,
                customer_id=row.customer_id,
                session_uuid=one,
                actor=_actor(request, admin),
            )
        else:
            await auth.revoke_customer_sessions(
                services.uow(),
                services.clock,
                customer_id=row.customer_id,
                actor=_actor(request, admin),
            )
    except DomainError:
        return _page(request, "not_found.html", {"title": "Not found"}, 404)
    return _back(customer_uuid, "sessions")


def _actor(request: Request, admin: Any) -> Actor:
    return Actor(f"admin:{admin.admin_user_id}", ip=client_info(request, FACE).ip, face=FACE)


@router.get("/admin/audit")
async def audit_page(request: Request) -> Response:
    """The audit log, newest first, 50 per page, filtered by action, actor or customer id."""
    checked = await _signed_in(request, None)
    if isinstance(checked, Response):
        return checked
    services, session, admin = checked
    query = request.query_params
    kept = _cleaned(query, ("action", "actor", "customer_id"), 80)
    entries = await audit.search(
        services.uow(),
        before_id=_int(query.get("before")),
        limit=AUDIT_PAGE,
        action=kept.get("action"),
        actor=kept.get("actor"),
        customer_id=_int(kept.get("customer_id")),
    )
    older = (
        "/admin/audit?" + urlencode({**kept, "before": entries[-1].audit_id})
        if len(entries) == AUDIT_PAGE
        else None
    )
    context = {
        "title": "Audit log",
        "admin": admin,
        "csrf": security.token_for(_csrf_key(services), str(session.uuid)),
        "entries": entries,
        "query": kept,
        "older": older,
    }
    return _page(request, "audit.html", context)


@router.get("/admin/groups")
async def groups_page(request: Request) -> Response:
    """Customer groups with their sizes; administrators create, rename and delete them."""
    return await _groups_page(request)


async def _groups_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    checked = await _signed_in(request, None)
    if isinstance(checked, Response):
        return checked
    services, session, admin = checked
    context = {
        "title": "Customer groups",
        "admin": admin,
        "csrf": security.token_for(_csrf_key(services), str(session.uuid)),
        "groups": await groups.list_groups(services.uow(), store_id=STORE),
        "can_manage": allows(admin, Action.manage_groups),
        "error": error,
        "notice": request.query_params.get("done"),
    }
    return _page(request, "groups.html", context, status)


@router.post("/admin/groups")
@router.post("/admin/groups/{group_id}/rename")
@router.post("/admin/groups/{group_id}/delete")
async def change_groups(request: Request) -> Response:
    """Create (no id), rename or delete a group; refusals are shown on the page."""
    checked = await _posted(request, Action.manage_groups)
    if isinstance(checked, Response):
        return checked
    services, _, admin, form = checked
    raw_id = request.path_params.get("group_id")
    group_id = _int(raw_id)
    if raw_id is not None and group_id is None:
        return await _groups_page(request, error="Group not found", status=404)
    actor = _actor(request, admin)
    name = str(form.get("group_name") or "")
    try:
        if group_id is None:
            await groups.create_group(
                services.uow(), services.clock, store_id=STORE, name=name, actor=actor
            )
        elif request.url.path.endswith("/delete"):
            await groups.delete_group(
                services.uow(), services.clock, store_id=STORE, group_id=group_id, actor=actor
            )
        else:
            await groups.rename_group(
                services.uow(),
                services.clock,
                store_id=STORE,
                group_id=group_id,
                name=name,
                actor=actor,
            )
    except DomainError as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return await _groups_page(request, error=exc.message, status=status)
    return security.harden(RedirectResponse("/admin/groups?done=1", status_code=303))


@router.get("/admin/users")
async def users_page(request: Request) -> Response:
    """Admin users (administrators only): list, create, disable or enable, change role."""
    return await _users_page(request)


async def _users_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    checked = await _signed_in(request, Action.manage_admins)
    if isinstance(checked, Response):
        return checked
    services, session, admin = checked
    context = {
        "title": "Admin users",
        "admin": admin,
        "csrf": security.token_for(_csrf_key(services), str(session.uuid)),
        "users": await admins.list_admins(services.uow()),
        "roles": [role.value for role in Role],
        "error": error,
        "notice": request.query_params.get("done"),
    }
    return _page(request, "users.html", context, status)


@router.post("/admin/users")
@router.post("/admin/users/{admin_id}")
async def change_users(request: Request) -> Response:
    """Create an admin user (no id) or change one's role and status."""
    checked = await _posted(request, Action.manage_admins)
    if isinstance(checked, Response):
        return checked
    services, _, admin, form = checked
    raw_id = request.path_params.get("admin_id")
    target = parse_uuid(str(raw_id)) if raw_id is not None else None
    if raw_id is not None and target is None:
        return await _users_page(request, error="Admin user not found", status=404)
    role = str(form.get("role") or "") or None
    try:
        if target is None:
            await admins.create_admin(
                services.uow(),
                services.hasher,
                services.clock,
                email=str(form.get("email") or ""),
                password=str(form.get("password") or ""),
                role=role or Role.administrator,
                policy=services.passwords,
                actor=_actor(request, admin),
            )
        else:
            status_value = str(form.get("status") or "")
            await admins.change_admin(
                services.uow(),
                services.clock,
                admin_uuid=target,
                role=role,
                status=int(status_value) if status_value in ("0", "1") else None,
                actor=_actor(request, admin),
            )
    except DomainError as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return await _users_page(request, error=exc.message, status=status)
    return security.harden(RedirectResponse("/admin/users?done=1", status_code=303))


@router.get("/admin/customers/edit/{customer_id}/export")
async def export_customer(request: Request, customer_id: str) -> Response:
    """Download everything stored about the customer as JSON (administrators only; audited)."""
    checked = await _signed_in(request, Action.export_customer)
    if isinstance(checked, Response):
        return checked
    services, _, admin = checked
    parsed = parse_uuid(customer_id)
    try:
        if parsed is None:
            raise DomainError("Customer not found")
        document = await privacy.export_customer(
            services.uow(),
            services.clock,
            store_id=STORE,
            customer_uuid=parsed,
            actor=_actor(request, admin),
        )
    except DomainError:
        return _page(request, "not_found.html", {"title": "Customer not found"}, 404)
    response = JSONResponse(document)
    response.headers["Content-Disposition"] = f'attachment; filename="customer-{parsed}.json"'
    return security.harden(response)


@router.post("/admin/customers/edit/{customer_id}/erase")
async def erase_customer(request: Request, customer_id: str) -> Response:
    """Erase the customer's personal data, once the confirmation box is ticked."""
    checked = await _form_action(request, customer_id, Action.erase_customer)
    if isinstance(checked, Response):
        return checked
    services, admin, parsed, form = checked
    if form.get("confirm") != "erase":
        return await _customer_page(
            request, customer_id, errors={"erase": "Tick the box to confirm the erasure"}
        )
    try:
        await privacy.erase_customer(
            services.uow(),
            services.clock,
            store_id=STORE,
            customer_uuid=parsed,
            actor=_actor(request, admin),
        )
    except DomainError:
        return _page(request, "not_found.html", {"title": "Customer not found"}, 404)
    return security.harden(RedirectResponse("/admin/customers?erased=1", status_code=303))


BULK = {
    "enable": Action.edit_customer,
    "disable": Action.edit_customer,
    "delete": Action.delete_customer,
}


@router.post("/admin/customers/bulk")
async def bulk_action(request: Request) -> Response:
    """Enable, disable or delete the ticked customers: first a confirmation page, then the
    change (``confirm=yes``). Each change goes through the core and the audit log."""
    checked = await _posted(request, None)
    if isinstance(checked, Response):
        return checked
    services, session, admin, form = checked
    csrf = security.token_for(_csrf_key(services), str(session.uuid))
    action = str(form.get("action") or "")
    if action not in BULK or not allows(admin, BULK[action]):
        return _forbidden(request)
    ids = [u for u in (parse_uuid(str(v)) for v in form.getlist("ids")) if u is not None][:100]
    if form.get("confirm") != "yes":
        rows = []
        for customer_uuid in ids:
            try:
                rows.append(
                    await customers.get_customer(
                        services.queries, store_id=STORE, customer_uuid=customer_uuid
                    )
                )
            except DomainError:
                continue
        context = {"title": "Confirm", "admin": admin, "csrf": csrf, "action": action, "rows": rows}
        return _page(request, "confirm.html", context)
    actor = _actor(request, admin)
    for customer_uuid in ids:
        try:
            if action == "delete":
                await customers.delete_customer(
                    services.uow(),
                    store_id=STORE,
                    customer_uuid=customer_uuid,
                    clock=services.clock,
                    actor=actor,
                )
            else:
                await customers.update_customer(
                    services.uow(),
                    services.hasher,
                    services.clock,
                    store_id=STORE,
                    customer_uuid=customer_uuid,
                    changes={"status": int(action == "enable")},
                    policy=services.passwords,
                    actor=actor,
                )
        except DomainError:
            continue  # gone meanwhile: nothing to do for it
    return security.harden(RedirectResponse(f"/admin/customers?done={action}", status_code=303))


ADDRESS_FIELDS = (
    "full_name",
    "telephone",
    "address_1",
    "address_2",
    "city",
    "province",
    "postcode",
    "country",
)


@router.post("/admin/customers/edit/{customer_id}/addresses")
@router.post("/admin/customers/edit/{customer_id}/addresses/{address_id}")
@router.post("/admin/customers/edit/{customer_id}/addresses/{address_id}/delete")
async def change_address(request: Request, customer_id: str) -> Response:
    """Add an address (no id), change one (fields, "default") or delete one."""
    checked = await _form_action(request, customer_id)
    if isinstance(checked, Response):
        return checked
    services, admin, customer_uuid, form = checked
    address_uuid = parse_uuid(str(request.path_params.get("address_id", "")))
    fields: dict[str, Any] = {
        k: str(form.get(k) or "").strip() or None for k in ADDRESS_FIELDS if k in form
    }
    if "is_default" in form:
        fields["is_default"] = form.get("is_default") == "1"
    try:
        if address_uuid is None:
            await address_book.add_address(
                services.uow(),
                services.clock,
                store_id=STORE,
                customer_uuid=customer_uuid,
                fields=fields,
                actor=_actor(request, admin),
            )
        elif request.url.path.endswith("/delete"):
            await address_book.delete_address(
                services.uow(),
                store_id=STORE,
                customer_uuid=customer_uuid,
                address_uuid=address_uuid,
                clock=services.clock,
                actor=_actor(request, admin),
            )
        else:
            await address_book.update_address(
                services.uow(),
                services.clock,
                store_id=STORE,
                customer_uuid=customer_uuid,
                address_uuid=address_uuid,
                fields=fields,
                actor=_actor(request, admin),
            )
    except DomainError as exc:
        return await _customer_page(request, str(customer_uuid), errors={"address": exc.message})
    return _back(customer_uuid, "address")


# The details form, grouped as the page shows them: (group, [(field, label)]).
DETAILS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Name",
        (
            ("salutation", "Salutation"),
            ("title", "Title"),
            ("first_name", "First name"),
            ("last_name", "Last name"),
            ("login_name", "Login name"),
            ("label", "Label"),
        ),
    ),
    (
        "Contact",
        (
            ("telephone", "Telephone"),
            ("mobile", "Mobile"),
            ("fax", "Fax"),
            ("website", "Website"),
            ("language", "Language"),
        ),
    ),
    ("Company", (("company", "Company"), ("vat_id", "VAT id"))),
    (
        "Billing address",
        (
            ("address_1", "Address"),
            ("address_2", "Address (line 2)"),
            ("address_3", "Address (line 3)"),
            ("postcode", "Postcode"),
            ("city", "City"),
            ("province", "Province"),
            ("country", "Country"),
        ),
    ),
    ("Other", (("birthday", "Birthday (YYYY-MM-DD)"),)),
)


async def _details(services: Services, customer_uuid: uuid.UUID) -> dict[str, str]:
    async with services.uow() as uow:
        customer = await uow.customers.get(STORE, customer_uuid)
    if customer is None:
        return {}
    values = {name: getattr(customer, name) for _, fields in DETAILS for name, _ in fields}
    values["newsletter"] = "1" if customer.newsletter else ""
    return {k: "" if v is None else str(v) for k, v in values.items()}


@router.post("/admin/customers/edit/{customer_id}/details")
async def save_details(request: Request, customer_id: str) -> Response:
    """Save every other profile field; empty inputs clear a field."""
    checked = await _form_action(request, customer_id)
    if isinstance(checked, Response):
        return checked
    services, admin, customer_uuid, form = checked
    changes: dict[str, Any] = {}
    for _, fields in DETAILS:
        for name, _ in fields:
            if name in form:
                changes[name] = str(form.get(name) or "").strip() or None
    errors: dict[str, str] = {}
    if changes.get("birthday"):
        try:
            changes["birthday"] = date.fromisoformat(changes["birthday"])
        except ValueError:
            errors["birthday"] = "Birthday must be a date (YYYY-MM-DD)"
    changes["newsletter"] = form.get("newsletter") == "1"
    if not errors:
        errors = await _save(request, services, admin, customer_uuid, changes)
    if errors:
        values = {k: "" if v is None else str(v) for k, v in changes.items()}
        return await _customer_page(
            request, str(customer_uuid), errors=errors, values={"details": "1", **values}
        )
    return _back(customer_uuid, "details")
