"""Order summaries: what a shop reports of its customers' orders, for their order history.

patron takes no orders. A shop pushes one summary per order (admin API or ``patron orders
import``); the storefront faces show them. The summary keeps what a history needs and nothing
more: status, date, line count, total and how to format it in the order's currency.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from patron.core import normalise
from patron.core.entities import Customer, CustomerOrder
from patron.core.errors import ErrorCode, FieldProblem, InvalidInput, NotFound
from patron.core.ports import Clock, OrderHistory, OrderQueries, UnitOfWork

MAX_ORDER_ID = 2**63 - 1
MAX_INT = 2**31 - 1
# Numeric(15, 4) and Numeric(15, 8): the largest magnitudes the columns hold.
MAX_TOTAL = Decimal("99999999999.9999")
MAX_RATE = Decimal("9999999.99999999")
MAX_DECIMAL_PLACES = 8
TEXT_LIMITS = {
    "status_name": 64,
    "symbol_left": 12,
    "symbol_right": 12,
    "decimal_point": 4,
    "thousand_point": 4,
    "name": 255,
}
_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
_CURRENCY_RE = re.compile(r"[A-Za-z]{3}")
_ZERO_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00"})


@dataclass(frozen=True)
class OrderSummary:
    """One order as a shop reports it; ``total`` is in the shop's default currency."""

    order_id: int
    status_id: int
    total: Decimal
    currency_code: str
    status_name: str | None = None
    date_added: datetime | None = None
    line_count: int = 0
    currency_rate: Decimal = Decimal(1)
    symbol_left: str = ""
    symbol_right: str = ""
    decimal_place: int = 2
    decimal_point: str = "."
    thousand_point: str = ","
    name: str = ""


FIELDS = tuple(f.name for f in fields(OrderSummary))
REQUIRED = ("order_id", "status_id", "total", "currency_code")


@dataclass(frozen=True)
class OrderImport:
    """One line of an import file: the order's fields and who it belongs to."""

    line: int
    values: Mapping[str, Any]
    customer_uuid: str | None = None
    customer_email: str | None = None


@dataclass(frozen=True)
class ImportProblem:
    """Why one line of an import was not stored."""

    line: int
    message: str


@dataclass
class _Problems:
    found: list[FieldProblem] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.found.append(FieldProblem(name, message))


def _integer(value: object, name: str, low: int, high: int, problems: _Problems) -> int | None:
    if isinstance(value, str) and _INTEGER_RE.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(name, f"{name} must be an integer")
        return None
    if not low <= value <= high:
        problems.add(name, f"{name} must be between {low} and {high}")
        return None
    return value


def _decimal(value: object, name: str, high: Decimal, problems: _Problems) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.add(name, f"{name} must be a number")
        return None
    try:
        # str() first: a JSON 1234.5 arrives as a float and must not carry binary noise.
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems.add(name, f"{name} must be a number")
        return None
    if not number.is_finite() or abs(number) > high:
        problems.add(name, f"{name} must be a number of at most {high} in size")
        return None
    return number


def _text(value: object, name: str, problems: _Problems) -> str | None:
    if not isinstance(value, str):
        problems.add(name, f"{name} must be a string")
        return None
    if "\x00" in value:
        problems.add(name, f"{name} must not contain NUL characters")
        return None
    if len(value) > TEXT_LIMITS[name]:
        problems.add(name, f"{name} must be at most {TEXT_LIMITS[name]} characters")
        return None
    return value


def _date(value: object, problems: _Problems) -> datetime | None:
    if value is None or (isinstance(value, str) and value.strip() in _ZERO_DATES):
        return None
    try:
        moment = datetime.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        problems.add("date_added", "date_added must be a date and time (YYYY-MM-DD HH:MM:SS)")
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _parse_field(name: str, value: Any, problems: _Problems) -> Any:
    """The typed value of one field, or None after recording why it is not valid."""
    match name:
        case "order_id":
            return _integer(value, name, 1, MAX_ORDER_ID, problems)
        case "status_id" | "line_count":
            return _integer(value, name, 0, MAX_INT, problems)
        case "decimal_place":
            return _integer(value, name, 0, MAX_DECIMAL_PLACES, problems)
        case "total":
            return _decimal(value, name, MAX_TOTAL, problems)
        case "currency_rate":
            rate = _decimal(value, name, MAX_RATE, problems)
            if rate is not None and rate <= 0:
                problems.add(name, f"{name} must be greater than 0")
                return None
            return rate
        case "currency_code":
            if not isinstance(value, str) or not _CURRENCY_RE.fullmatch(value.strip()):
                problems.add(name, f"{name} must be a three-letter currency code")
                return None
            return value.strip().upper()
        case "date_added":
            return _date(value, problems)
        case _:
            return _text(value, name, problems)


def order_from_fields(values: Mapping[str, Any]) -> OrderSummary:
    """Read an order summary from JSON or text values (CSV cells are strings).

    Missing optional fields take their defaults; unknown keys are ignored. Raises
    ``InvalidInput`` listing every field at fault.
    """
    problems = _Problems()
    parsed: dict[str, Any] = {}
    for name in FIELDS:
        value = values.get(name)
        if value is None or value == "":
            # Absent, null or an empty CSV cell: the default, where the field has one.
            if name in REQUIRED:
                problems.add(name, f"{name} is required")
            continue
        parsed[name] = _parse_field(name, value, problems)
    if problems.found:
        raise InvalidInput(problems.found, message=", ".join(p.message for p in problems.found))
    return OrderSummary(**parsed)


def _apply(order: CustomerOrder, data: OrderSummary, customer_id: int, now: datetime) -> None:
    for name in FIELDS:
        setattr(order, name, getattr(data, name))
    order.customer_id = customer_id
    order.updated_at = now


async def _customer(uow: UnitOfWork, store_id: int, customer_uuid: uuid.UUID) -> Customer:
    customer = await uow.customers.get(store_id, customer_uuid)
    if customer is None:
        raise NotFound("Customer not found", code=ErrorCode.customer_not_found)
    return customer


async def _upsert(
    uow: UnitOfWork, store_id: int, customer_id: int, data: OrderSummary, now: datetime
) -> CustomerOrder:
    order = await uow.orders.get(store_id, data.order_id)
    if order is None:
        order = CustomerOrder(store_id=store_id, created_at=now)
        _apply(order, data, customer_id, now)
        await uow.orders.add(order)
    else:
        _apply(order, data, customer_id, now)
    return order


async def put_order(
    uow: UnitOfWork,
    clock: Clock,
    *,
    store_id: int,
    customer_uuid: uuid.UUID,
    order: OrderSummary,
) -> CustomerOrder:
    """Store the summary of ``order`` for the customer, replacing any earlier one.

    An order is unique per store: putting it under another customer moves it there, as the
    shop says whose it is. Raises ``NotFound`` for an unknown customer.
    """
    now = clock.now().replace(microsecond=0)
    async with uow:
        customer = await _customer(uow, store_id, customer_uuid)
        stored = await _upsert(uow, store_id, customer.customer_id, order, now)
        await uow.commit()
    return stored


async def delete_order(
    uow: UnitOfWork, *, store_id: int, customer_uuid: uuid.UUID, order_id: int
) -> CustomerOrder:
    """Remove one order summary of the customer and return it as it was.

    Raises ``NotFound`` for an unknown customer, and for an order that does not exist or
    belongs to someone else.
    """
    async with uow:
        customer = await _customer(uow, store_id, customer_uuid)
        order = await uow.orders.get(store_id, order_id)
        if order is None or order.customer_id != customer.customer_id:
            raise NotFound("Order not found", code=ErrorCode.order_not_found)
        await uow.orders.delete(order)
        await uow.commit()
    return order


async def list_orders(
    uow: UnitOfWork, *, store_id: int, customer_uuid: uuid.UUID, page: int, limit: int
) -> tuple[Sequence[CustomerOrder], int]:
    """One page of the customer's order summaries (every status, newest order id first) and
    their number. Raises ``NotFound`` for an unknown customer."""
    async with uow:
        customer = await _customer(uow, store_id, customer_uuid)
        total = await uow.orders.count_for(customer.customer_id)
        found = await uow.orders.list_for(
            customer.customer_id, offset=(page - 1) * limit, limit=limit
        )
    return found, total


async def order_history(queries: OrderQueries, *, customer_id: int, limit: int) -> OrderHistory:
    """The customer's newest ``limit`` orders with a status above 0, and how many there are."""
    return await queries.history(customer_id, limit=limit)


async def _owner_of(
    uow: UnitOfWork, store_id: int, row: OrderImport, cache: dict[str, Customer | None]
) -> Customer | None:
    if row.customer_uuid:
        key = "uuid:" + row.customer_uuid.strip()
        if key not in cache:
            parsed = normalise.parse_uuid(row.customer_uuid.strip())
            cache[key] = await uow.customers.get(store_id, parsed) if parsed else None
        return cache[key]
    email = normalise.email_key(row.customer_email or "")
    key = "email:" + email
    if key not in cache:
        cache[key] = await uow.customers.get_by_email_key(store_id, email) if email else None
    return cache[key]


async def import_orders(
    uow: UnitOfWork, clock: Clock, *, store_id: int, rows: Sequence[OrderImport]
) -> list[ImportProblem]:
    """Store every valid row (one transaction for all of them) and return the others' problems.

    A row names its customer by ``customer_uuid`` or, without one, by ``customer_email``.
    Rows with bad fields or an unknown customer are skipped, never half-stored.
    """
    now = clock.now().replace(microsecond=0)
    problems: list[ImportProblem] = []
    cache: dict[str, Customer | None] = {}
    async with uow:
        for row in rows:
            try:
                data = order_from_fields(row.values)
            except InvalidInput as exc:
                problems.append(ImportProblem(row.line, exc.message))
                continue
            if not (row.customer_uuid or row.customer_email):
                problems.append(
                    ImportProblem(row.line, "customer_uuid or customer_email is required")
                )
                continue
            customer = await _owner_of(uow, store_id, row, cache)
            if customer is None:
                problems.append(ImportProblem(row.line, "Customer not found"))
                continue
            await _upsert(uow, store_id, customer.customer_id, data, now)
        await uow.commit()
    return problems
