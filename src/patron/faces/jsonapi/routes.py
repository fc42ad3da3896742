"""Aimeos JSON:API routes. Thin: read the document, call the core, render the answer.

``/jsonapi`` describes the resources; ``/jsonapi/customer`` is the signed-in customer, and
``?related=address|property|relationships`` its sub-resources (``subresources.py``). The
``id`` parameter never selects a customer: the session decides, as in Aimeos.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from patron.core import customers
from patron.core.customers import NewCustomer, RegistrationQuota
from patron.core.entities import Customer
from patron.core.errors import PermissionDenied
from patron.faces._shared.http import client_info, etag, if_match
from patron.faces._shared.idempotency import run_idempotent
from patron.faces.jsonapi import documents, options, schemas, subresources
from patron.faces.jsonapi.bodies import attributes_of, signed_in
from patron.faces.jsonapi.context import Call, Caller, call_of
from patron.faces.jsonapi.errors import (
    NOT_ALLOWED,
    DocumentError,
    JsonApiRoute,
    bare,
    render_domain_error,
)

router = APIRouter(route_class=JsonApiRoute, tags=["Aimeos JSON:API"])
FACE = "jsonapi"
STORE = 1
REGISTRATION_CLOSED = "Registration is closed"


def _missing(call: Call) -> DocumentError:
    name = call.resource + (f"/{call.related}" if call.related else "")
    return DocumentError(404, f'Resource "{name}" is not available')


# ---- discovery ---------------------------------------------------------------------------


@router.get("/jsonapi", operation_id="jsonapi_root_get")
@router.head("/jsonapi", include_in_schema=False)
@router.options("/jsonapi", operation_id="jsonapi_root_options")
async def discover(request: Request) -> Response:
    """The resource list (Aimeos' Laravel host answers ``GET /jsonapi`` like ``OPTIONS``)."""
    return documents.root(call_of(request), options.RESOURCES)


@router.api_route("/jsonapi", methods=["POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
@router.put("/jsonapi/{resource}", include_in_schema=False)
async def not_allowed(request: Request) -> Response:
    """Methods no resource supports: 403, never 405 (Aimeos)."""
    return bare(403, NOT_ALLOWED)


@router.options("/jsonapi/{resource}")
async def describe(request: Request, resource: str) -> Response:
    """The attributes a resource's writes take."""
    call = call_of(request)
    attributes = options.ATTRIBUTES.get(call.related) if resource == "customer" else None
    if attributes is None:
        raise _missing(call)
    return documents.description(call, attributes)


# ---- the customer ------------------------------------------------------------------------


async def _read(call: Call, item: Customer | None, *, status: int = 200) -> Response:
    """The customer document with what ``include`` names (nothing for anonymous callers)."""
    names = schemas.include_names(call.param("include"))
    domains = schemas.list_domains(names)
    if item is None:
        return documents.customer(call, None, status=status)
    found = await call.services.sub_items.sub_items(
        item.customer_id,
        addresses=schemas.ADDRESS_INCLUDE in names,
        properties=schemas.PROPERTY_INCLUDE in names,
        list_items=bool(domains),
    )
    now = call.services.clock.now()
    return documents.customer(
        call,
        item,
        addresses=found.addresses,
        list_items=subresources.visible(found.list_items, domains, now),
        properties=found.properties,
        status=status,
    )


async def _update(call: Call, caller: Caller, attributes: dict[str, Any]) -> Customer:
    """Apply a write of the signed-in customer to itself (PATCH, or POST while signed in)."""
    write = schemas.customer_write(attributes)
    if not write.changes:
        return caller.customer
    services = call.services
    customer = await customers.update_customer(
        services.uow(),
        services.hasher,
        services.clock,
        store_id=STORE,
        customer_uuid=caller.customer.uuid,
        changes=write.changes,
        policy=services.passwords,
        current_password=write.current_password,
        require_current_password=services.settings.jsonapi_require_old_password,
        expected_versions=if_match(call.request),
    )
    if "password" in write.changes:
        call.signed_out()  # a new password ends every session, this one included
    return customer


async def _register(call: Call, attributes: dict[str, Any]) -> Customer:
    services = call.services
    if not services.settings.public_registration:
        raise PermissionDenied(REGISTRATION_CLOSED)
    profile = schemas.customer_write(attributes).changes
    data = NewCustomer(
        email=profile.pop("email", None) or "",
        password=profile.pop("password", None) or "",
        created_ip=client_info(call.request, FACE).ip,
        profile=profile,
    )
    quota = RegistrationQuota(
        limit=services.settings.jsonapi_registration_limit,
        window=timedelta(seconds=services.settings.jsonapi_registration_window_seconds),
    )
    return await customers.register_customer(
        services.uow(),
        services.hasher,
        services.clock,
        data=data,
        policy=services.passwords,
        quota=quota,
        throttle=services.throttle,
    )


def _versioned(response: Response, customer: Customer | None) -> Response:
    """The customer record's version as a strong ETag (for If-Match on PATCH)."""
    if customer is not None:
        response.headers.update(etag(customer.version))
    return response


async def get_customer(call: Call) -> Response:
    """The signed-in customer, or the empty customer (200, ``data.id`` null) for anyone else."""
    customer = call.caller.customer if call.caller else None
    return _versioned(await _read(call, customer), customer)


async def post_customer(call: Call) -> Response:
    """Self-registration; signed in, it updates the own account under the PATCH rules.

    An ``Idempotency-Key`` makes a repeated registration answer as the first one did."""

    async def scope() -> str:
        ip = call.request.client.host if call.request.client else "-"
        return f"customer:{call.caller.customer.customer_id}" if call.caller else f"anonymous:{ip}"

    async def handle() -> Response:
        attributes = await attributes_of(call)
        if call.caller is not None:
            customer = await _update(call, call.caller, attributes)
        else:
            customer = await _register(call, attributes)
        return documents.customer_id_only(call, customer.customer_id)

    return await run_idempotent(
        call.request,
        scope=scope,
        handler=handle,
        render_error=lambda exc: render_domain_error(call, exc),
    )


async def patch_customer(call: Call) -> Response:
    """A partial update of the signed-in customer; 401 for anyone else. With ``If-Match`` the
    change applies only to that version of the record (412 otherwise)."""
    caller = signed_in(call)
    customer = await _update(call, caller, await attributes_of(call))
    return _versioned(await _read(call, customer), customer)


async def delete_customer(call: Call) -> Response:
    """Delete the signed-in customer's account (its sessions and sub-items go with it)."""
    if call.caller is not None:
        await customers.delete_customer(
            call.services.uow(), store_id=STORE, customer_uuid=call.caller.customer.uuid
        )
        call.signed_out()
    return documents.deleted(call)


CUSTOMER = {
    "GET": get_customer,
    "POST": post_customer,
    "PATCH": patch_customer,
    "DELETE": delete_customer,
}


async def _dispatch(request: Request) -> Response:
    call = call_of(request)
    handlers = CUSTOMER if not call.related else subresources.HANDLERS.get(call.related)
    if handlers is None:
        raise _missing(call)
    method = "GET" if request.method == "HEAD" else request.method
    return await handlers[method](call)


@router.get("/jsonapi/customer")
@router.head("/jsonapi/customer", include_in_schema=False)
async def read_customer(request: Request) -> Response:
    """The customer, or with ``related`` its addresses, properties or list items."""
    return await _dispatch(request)


@router.post("/jsonapi/customer")
async def create_customer(request: Request) -> Response:
    """Register (anonymous), or add sub-items with ``related``."""
    return await _dispatch(request)


@router.patch("/jsonapi/customer")
async def update_customer(request: Request) -> Response:
    """Change the customer, or one sub-item with ``related`` and ``relatedid``."""
    return await _dispatch(request)


@router.delete("/jsonapi/customer")
async def remove_customer(request: Request) -> Response:
    """Delete the account, or sub-items with ``related``."""
    return await _dispatch(request)


@router.api_route(
    "/jsonapi/{resource}", methods=["GET", "POST", "PATCH", "DELETE"], include_in_schema=False
)
async def other_resource(request: Request, resource: str) -> Response:
    """Resources the root document lists that patron does not serve."""
    raise _missing(call_of(request))
