"""Order summaries of a customer, for shops to push (admin API, EverShop's envelope and errors).

``GET /api/customers/{uuid}/orders``, ``PUT`` and ``DELETE /api/customers/{uuid}/orders/{id}``.
The storefront faces show these summaries as the customer's order history.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from patron.core import orders
from patron.core.entities import CustomerOrder
from patron.core.errors import AuthenticationRequired, ErrorCode, InvalidInput, NotFound
from patron.core.normalise import parse_uuid
from patron.core.policies import Action, ensure_allowed
from patron.core.tokens import stamp
from patron.faces._shared.http import json_object
from patron.faces._shared.responses import JSONResponse
from patron.faces._shared.services import services_of
from patron.faces.evershop import docs
from patron.faces.evershop.auth import current_admin
from patron.faces.evershop.errors import EverShopRoute

router = APIRouter(route_class=EverShopRoute, tags=["EverShop: order summaries"])
STORE = 1
MAX_LIMIT = 100


async def _admin(request: Request, action: Action) -> None:
    caller = await current_admin(request)
    if caller is None:
        raise AuthenticationRequired("Unauthorized")
    ensure_allowed(caller.admin, action)


def _customer_uuid(text: str) -> uuid.UUID:
    parsed = parse_uuid(text)
    if parsed is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return parsed


def _order_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= orders.MAX_ORDER_ID:
        raise NotFound("Order not found", code=ErrorCode.order_not_found)
    return int(text)


def order_body(order: CustomerOrder, customer_uuid: uuid.UUID | None) -> dict[str, Any]:
    """One order summary; money as decimal strings, times as ``YYYY-MM-DD HH:MM:SS`` UTC."""
    return {
        "order_id": order.order_id,
        "customer_uuid": str(customer_uuid) if customer_uuid else None,
        "status_id": order.status_id,
        "status_name": order.status_name,
        "date_added": stamp(order.date_added) if order.date_added else None,
        "line_count": order.line_count,
        "total": f"{order.total:.4f}",
        "currency_code": order.currency_code,
        "currency_rate": f"{order.currency_rate:.8f}",
        "symbol_left": order.symbol_left,
        "symbol_right": order.symbol_right,
        "decimal_place": order.decimal_place,
        "decimal_point": order.decimal_point,
        "thousand_point": order.thousand_point,
        "name": order.name,
        "created_at": stamp(order.created_at),
        "updated_at": stamp(order.updated_at),
    }


def _page_param(request: Request, key: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(key)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise InvalidInput.one(key, f"{key} must be an integer of at least 1")
    return min(int(raw), maximum)


@router.get("/api/customers/{customer_id}/orders")
async def list_orders(request: Request, customer_id: str) -> Response:
    """A customer's order summaries, every status, newest order id first (``page``, ``limit``
    up to 100)."""
    services = services_of(request)
    await _admin(request, Action.view_customers)
    customer_uuid = _customer_uuid(customer_id)
    page = _page_param(request, "page", 1, 2**31 - 1)
    limit = _page_param(request, "limit", 20, MAX_LIMIT)
    found, total = await orders.list_orders(
        services.uow(), store_id=STORE, customer_uuid=customer_uuid, page=page, limit=limit
    )
    return JSONResponse(
        {
            "data": [order_body(order, customer_uuid) for order in found],
            "meta": {
                "current_page": page,
                "per_page": limit,
                "last_page": max(1, math.ceil(total / limit)),
                "total": total,
            },
        }
    )


@router.put(
    "/api/customers/{customer_id}/orders/{order_id}", openapi_extra=docs.body(docs.OrderSummary)
)
async def put_order(request: Request, customer_id: str, order_id: str) -> Response:
    """Create or replace the summary of one order and link it to this customer."""
    services = services_of(request)
    await _admin(request, Action.edit_customer)
    customer_uuid = _customer_uuid(customer_id)
    body = await json_object(request)
    summary = orders.order_from_fields({**body, "order_id": order_id})
    stored = await orders.put_order(
        services.uow(), services.clock, store_id=STORE, customer_uuid=customer_uuid, order=summary
    )
    return JSONResponse({"data": order_body(stored, customer_uuid)})


@router.delete("/api/customers/{customer_id}/orders/{order_id}")
async def delete_order(request: Request, customer_id: str, order_id: str) -> Response:
    """Remove the summary of one of the customer's orders."""
    services = services_of(request)
    await _admin(request, Action.edit_customer)
    customer_uuid = _customer_uuid(customer_id)
    removed = await orders.delete_order(
        services.uow(), store_id=STORE, customer_uuid=customer_uuid, order_id=_order_id(order_id)
    )
    return JSONResponse({"data": order_body(removed, customer_uuid)})
