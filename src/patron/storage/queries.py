"""Read paths: column selects with SQLAlchemy Core, mapped straight to row dataclasses."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, literal, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from patron.core import normalise
from patron.core.entities import (
    Customer,
    CustomerAddress,
    CustomerListItem,
    CustomerOrder,
    CustomerProperty,
)
from patron.core.ports import (
    AddressRow,
    CustomerFilter,
    CustomerPage,
    CustomerRow,
    GridPage,
    OrderHistory,
    OrderRow,
    SubItems,
)

_C = Customer.__table__.c
_A = CustomerAddress.__table__.c
_ROW_COLUMNS = (
    _C.customer_id,
    _C.uuid,
    _C.status,
    _C.group_id,
    _C.email,
    _C.full_name,
    _C.created_at,
    _C.updated_at,
    _C.version,
)
_ADDRESS_COLUMNS = (
    _A.customer_address_id,
    _A.uuid,
    _A.customer_id,
    _A.full_name,
    _A.telephone,
    _A.address_1,
    _A.address_2,
    _A.city,
    _A.province,
    _A.country,
    _A.postcode,
    _A.is_default,
    _A.created_at,
    _A.updated_at,
)
SORTABLE = {
    "customer_id": _C.customer_id,
    "email": _C.email_key,
    "full_name": _C.name_key,
    "status": _C.status,
    "created_at": _C.created_at,
}


def _conditions(flt: CustomerFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [_C.store_id == flt.store_id]
    if flt.keyword:
        term = normalise.fold(flt.keyword)
        matches = [
            _C.name_key.contains(term, autoescape=True),
            _C.email_key.contains(term, autoescape=True),
        ]
        if flt.keyword_login_name:
            matches.append(_C.login_key.contains(term, autoescape=True))
        where.append(or_(*matches))
    if flt.full_name:
        where.append(_C.name_key.contains(normalise.fold(flt.full_name), autoescape=True))
    if flt.email:
        where.append(_C.email_key == normalise.email_key(flt.email))
    if flt.status is not None:
        where.append(_C.status == flt.status)
    if flt.group_id is not None:
        where.append(_C.group_id == flt.group_id)
    if flt.created_from is not None:
        where.append(_C.created_at >= flt.created_from)
    if flt.created_before is not None:
        where.append(_C.created_at < flt.created_before)
    return where


# Built once: the statements of the hot reads differ only in their parameters.
_GET_ROW = select(*_ROW_COLUMNS).where(
    _C.uuid == bindparam("customer_uuid"), _C.store_id == bindparam("store_id")
)
_GET_WITH_ADDRESSES = (
    select(*_ROW_COLUMNS, *(column.label(f"a_{column.key}") for column in _ADDRESS_COLUMNS))
    .select_from(Customer.__table__.outerjoin(CustomerAddress.__table__))
    .where(_C.uuid == bindparam("customer_uuid"), _C.store_id == bindparam("store_id"))
    .order_by(_A.customer_address_id)
)
_ADDRESSES_OF = (
    select(*_ADDRESS_COLUMNS)
    .where(_A.customer_id == bindparam("customer_id"))
    .order_by(_A.customer_address_id)
)
_ROW_WIDTH = len(_ROW_COLUMNS)
_ADDRESS_KEYS = [column.key for column in _ADDRESS_COLUMNS]


GRID_COUNT_CAP = 10_000
_ESTIMATE = text("SELECT reltuples::bigint FROM pg_class WHERE relname = 'customer'")


class SqlCustomerQueries:
    """Customer reads straight off the engine, no ORM entities."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _all(self, stmt: Select[Any], **params: Any) -> Sequence[Any]:
        async with self._engine.connect() as conn:
            rows: Sequence[Any] = (await conn.execute(stmt, params)).all()
            return rows

    async def get_row(self, store_id: int, customer_uuid: uuid.UUID) -> CustomerRow | None:
        rows = await self._all(_GET_ROW, store_id=store_id, customer_uuid=customer_uuid)
        return CustomerRow(*rows[0]) if rows else None

    async def get_with_addresses(
        self, store_id: int, customer_uuid: uuid.UUID
    ) -> tuple[CustomerRow, list[AddressRow]] | None:
        rows = await self._all(_GET_WITH_ADDRESSES, store_id=store_id, customer_uuid=customer_uuid)
        if not rows:
            return None
        customer = CustomerRow(*rows[0][:_ROW_WIDTH])
        found = [AddressRow(*row[_ROW_WIDTH:]) for row in rows if row[_ROW_WIDTH] is not None]
        return customer, found

    async def addresses_of(self, customer_id: int) -> Sequence[AddressRow]:
        rows = await self._all(_ADDRESSES_OF, customer_id=customer_id)
        return [AddressRow(*row) for row in rows]

    async def grid(
        self, flt: CustomerFilter, *, after: tuple[Any, int] | None, before: tuple[Any, int] | None
    ) -> GridPage:
        column = SORTABLE.get(flt.order_by, _C.customer_id)
        where = _conditions(flt)
        backwards = before is not None
        # Walking backwards is walking forwards in the opposite order, then flipping the rows.
        descending = flt.descending != backwards
        key = tuple_(column, _C.customer_id)
        edge = before if backwards else after
        if edge is not None:
            where.append(key < tuple_(*edge) if descending else key > tuple_(*edge))
        order = [column.desc(), _C.customer_id.desc()] if descending else [column, _C.customer_id]
        stmt = select(*_ROW_COLUMNS, column).where(*where).order_by(*order).limit(flt.limit + 1)
        async with self._engine.connect() as conn:
            found = list((await conn.execute(stmt)).all())
            total, estimated, at_least = await self._grid_total(conn, flt)
        more = len(found) > flt.limit
        found = found[: flt.limit]
        if backwards:
            found.reverse()
        rows = [CustomerRow(*row[:-1]) for row in found]
        keys = [(row[-1], row[0]) for row in found]
        return GridPage(
            rows=rows,
            first_key=keys[0] if keys else None,
            last_key=keys[-1] if keys else None,
            has_previous=more if backwards else edge is not None,
            has_next=edge is not None if backwards else more,
            total=total,
            estimated=estimated,
            at_least=at_least,
        )

    async def _grid_total(self, conn: Any, flt: CustomerFilter) -> tuple[int, bool, bool]:
        """Exact when cheap; the planner's estimate for the whole table on PostgreSQL; counted
        up to a cap when filtered (no full scans for a page header)."""
        filtered = any(
            (
                flt.keyword,
                flt.full_name,
                flt.email,
                flt.status is not None,
                flt.group_id is not None,
                flt.created_from,
                flt.created_before,
            )
        )
        if not filtered and conn.dialect.name == "postgresql":
            estimate = (await conn.execute(_ESTIMATE)).scalar()
            if estimate is not None and estimate >= GRID_COUNT_CAP:
                return int(estimate), True, False
        capped = (
            select(literal(1))
            .select_from(Customer.__table__)
            .where(*_conditions(flt))
            .limit(GRID_COUNT_CAP + 1)
        )
        count = (
            await conn.execute(select(func.count()).select_from(capped.subquery()))
        ).scalar_one()
        if count > GRID_COUNT_CAP:
            return GRID_COUNT_CAP, False, True
        return int(count), False, False

    async def page(self, flt: CustomerFilter) -> CustomerPage:
        where = _conditions(flt)
        column = SORTABLE.get(flt.order_by, _C.customer_id)
        order = [column.desc() if flt.descending else column.asc()]
        if column is not _C.customer_id:
            order.append(_C.customer_id.desc() if flt.descending else _C.customer_id.asc())
        stmt = (
            select(*_ROW_COLUMNS)
            .where(*where)
            .order_by(*order)
            .limit(flt.limit)
            .offset((flt.page - 1) * flt.limit)
        )
        count = select(func.count()).select_from(Customer.__table__).where(*where)
        async with self._engine.connect() as conn:
            total = (await conn.execute(count)).scalar_one()
            rows = (await conn.execute(stmt)).all() if total else []
        return CustomerPage(rows=[CustomerRow(*row) for row in rows], total=int(total))


_O = CustomerOrder.__table__.c
_SHOWN = (_O.customer_id == bindparam("customer_id")) & (_O.status_id > 0)
_HISTORY = (
    select(
        _O.order_id,
        _O.name,
        _O.status_name,
        _O.date_added,
        _O.line_count,
        _O.total,
        _O.currency_rate,
        _O.symbol_left,
        _O.symbol_right,
        _O.decimal_place,
        _O.decimal_point,
        _O.thousand_point,
    )
    .where(_SHOWN)
    .order_by(_O.order_id.desc(), _O.store_id)
    .limit(bindparam("limit"))
)
_HISTORY_COUNT = select(func.count()).select_from(CustomerOrder.__table__).where(_SHOWN)


class SqlOrderQueries:
    """Order history reads straight off the engine (the index on customer_id, order_id serves
    both the page and the count)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def history(self, customer_id: int, *, limit: int) -> OrderHistory:
        params = {"customer_id": customer_id, "limit": limit}
        async with self._engine.connect() as conn:
            total = (await conn.execute(_HISTORY_COUNT, params)).scalar_one()
            rows: Sequence[Any] = (await conn.execute(_HISTORY, params)).all() if total else []
        return OrderHistory(rows=[OrderRow(*row) for row in rows], total=int(total))


_P = CustomerProperty.__table__.c
_L = CustomerListItem.__table__.c
_ALL_ADDRESSES = (
    select(*CustomerAddress.__table__.columns)
    .where(_A.customer_id == bindparam("customer_id"))
    .order_by(_A.customer_address_id)
)
_ALL_PROPERTIES = (
    select(*CustomerProperty.__table__.columns)
    .where(_P.customer_id == bindparam("customer_id"))
    .order_by(_P.customer_property_id)
)
_ALL_LIST_ITEMS = (
    select(*CustomerListItem.__table__.columns)
    .where(_L.customer_id == bindparam("customer_id"))
    .order_by(_L.position, _L.customer_list_id)
)


class SqlSubItemQueries:
    """Addresses, properties and list items of one customer, straight off the engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def sub_items(
        self, customer_id: int, *, addresses: bool, properties: bool, list_items: bool
    ) -> SubItems:
        if not (addresses or properties or list_items):
            return SubItems()
        params = {"customer_id": customer_id}
        found: dict[str, Sequence[Any]] = {}
        async with self._engine.connect() as conn:
            for key, wanted, stmt in (
                ("addresses", addresses, _ALL_ADDRESSES),
                ("properties", properties, _ALL_PROPERTIES),
                ("list_items", list_items, _ALL_LIST_ITEMS),
            ):
                if wanted:
                    result = await conn.execute(stmt, params)
                    found[key] = [row._mapping for row in result]
        return SubItems(**found)
