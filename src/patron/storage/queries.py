"""Read paths: column selects with SQLAlchemy Core, mapped straight to row dataclasses."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from patron.core import normalise
from patron.core.entities import (
    Customer,
    CustomerAddress,
    CustomerListItem,
    CustomerOrder,
    CustomerProperty,
    CustomerTally,
    UTCDateTime,
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
from patron.storage.reads import Reads

_C = Customer.__table__.c
_A = CustomerAddress.__table__.c
_T = CustomerTally.__table__.c
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


TRIGRAM = 3  # the shortest term a trigram index can serve
# Joins the folded name and email in the one trigram-indexed search key (migration 0009). A term
# without it cannot match across the join; a term with it is checked against each field.
KEY_SEPARATOR = "\x1f"


# ``name_key || chr(31) || email_key`` exactly as migration 0009 indexes it, so PostgreSQL's
# planner matches the expression to the index (chr(31) written out: a bound 31 would not match).
_SEARCH_KEY = _C.name_key.op("||")(literal_column("chr(31)")).op("||")(_C.email_key)


class _ByDialect(ColumnElement[bool]):
    """A condition written one way for PostgreSQL, where the search key's trigram index serves
    it, and another elsewhere: SQLite reads every row either way, and building the key for each
    of them made its keyword count a third slower than testing the two fields (93 against
    68 ms at 200,000 customers)."""

    inherit_cache = True
    _traverse_internals = [
        ("postgres", InternalTraversal.dp_clauseelement),
        ("portable", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, postgres: ColumnElement[bool], portable: ColumnElement[bool]) -> None:
        self.postgres = postgres
        self.portable = portable


@compiles(_ByDialect)
def _by_dialect_sql(element: _ByDialect, compiler: Any, **kw: Any) -> str:
    chosen = element.postgres if compiler.dialect.name == "postgresql" else element.portable
    return f"({compiler.process(chosen, **kw)})"


class _Shape(NamedTuple):
    """Which filters are set: statements are built and compiled once per shape."""

    keyword: bool
    login_name: bool
    full_name: bool
    email: bool
    status: bool
    group_id: bool
    created_from: bool
    created_before: bool
    # A term the search key's trigram index cannot serve: too short, or holding the separator.
    plain_keyword: bool
    plain_full_name: bool


def _unindexed(term: str) -> bool:
    return len(term) < TRIGRAM or KEY_SEPARATOR in term


def _shape(flt: CustomerFilter) -> _Shape:
    keyword = normalise.fold(flt.keyword) if flt.keyword else ""
    full_name = normalise.fold(flt.full_name) if flt.full_name else ""
    return _Shape(
        keyword=bool(keyword),
        login_name=bool(keyword) and flt.keyword_login_name,
        full_name=bool(full_name),
        email=bool(flt.email),
        status=flt.status is not None,
        group_id=flt.group_id is not None,
        created_from=flt.created_from is not None,
        created_before=flt.created_before is not None,
        plain_keyword=_unindexed(keyword),
        plain_full_name=_unindexed(full_name),
    )


_UNFILTERED = _shape(CustomerFilter())


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (escape character ``/``)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _filter_params(flt: CustomerFilter) -> dict[str, Any]:
    params: dict[str, Any] = {"store_id": flt.store_id}
    if flt.keyword:
        params["keyword"] = _like(normalise.fold(flt.keyword))
    if flt.full_name:
        params["full_name"] = _like(normalise.fold(flt.full_name))
    if flt.email:
        params["email"] = normalise.email_key(flt.email)
    for name in ("status", "group_id", "created_from", "created_before"):
        value = getattr(flt, name)
        if value is not None:
            params[name] = value
    return params


def _matches(column: Any, name: str) -> ColumnElement[bool]:
    return column.like(bindparam(name), escape="/")  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _where(shape: _Shape) -> tuple[ColumnElement[bool], ...]:
    where: list[ColumnElement[bool]] = [_C.store_id == bindparam("store_id")]
    if shape.keyword:
        fields = or_(_matches(_C.name_key, "keyword"), _matches(_C.email_key, "keyword"))
        if shape.plain_keyword:
            # Read row by row. A prepared statement's generic plan cannot see the term, so the
            # login name is hidden from its trigram index, whose scan for a short term would
            # read every entry (three times slower than reading the table).
            login = _C.login_key.concat("")
            matches: list[ColumnElement[bool]] = [fields]
        else:
            login = _C.login_key
            matches = [_ByDialect(_matches(_SEARCH_KEY, "keyword"), fields)]
        if shape.login_name:
            # A login name equal to the email matches when the email does; the login name's
            # trigram index holds only the others (migration 0008).
            matches.append(and_(_C.login_key != _C.email_key, _matches(login, "keyword")))
        where.append(or_(*matches))
    if shape.full_name:
        name = _matches(_C.name_key, "full_name")
        if shape.plain_full_name:
            where.append(name)
        else:  # the search key's index narrows, then the name decides
            where.append(_ByDialect(and_(_matches(_SEARCH_KEY, "full_name"), name), name))
    if shape.email:
        where.append(_C.email_key == bindparam("email"))
    if shape.status:
        where.append(_C.status == bindparam("status"))
    if shape.group_id:
        where.append(_C.group_id == bindparam("group_id"))
    if shape.created_from:
        where.append(_C.created_at >= bindparam("created_from", type_=UTCDateTime()))
    if shape.created_before:
        where.append(_C.created_at < bindparam("created_before", type_=UTCDateTime()))
    return tuple(where)


def _order(column: Any, descending: bool) -> list[Any]:
    order = [column.desc() if descending else column.asc()]
    if column is not _C.customer_id:
        order.append(_C.customer_id.desc() if descending else _C.customer_id.asc())
    return order


@lru_cache(maxsize=256)
def _page_statements(shape: _Shape, order_by: str, descending: bool) -> tuple[Select[Any], ...]:
    """The total and the rows of one list page, for one filter shape and order."""
    where = _where(shape)
    order = _order(SORTABLE.get(order_by, _C.customer_id), descending)
    # Deferred join: the offset walks an index for ids only; whole rows are read for the
    # page alone.
    ids = (
        select(_C.customer_id.label("id"))
        .where(*where)
        .order_by(*order)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery()
    )
    rows = select(*_ROW_COLUMNS).join(ids, ids.c.id == _C.customer_id).order_by(*order)
    if (
        shape.keyword
        or shape.full_name
        or shape.email
        or shape.created_from
        or shape.created_before
    ):
        total = select(func.count()).select_from(Customer.__table__).where(*where)
    else:
        # Only store, status and group filter: the triggers' tally has the total in a few rows.
        tallied = [_T.store_id == bindparam("store_id")]
        if shape.status:
            tallied.append(_T.status == bindparam("status"))
        if shape.group_id:
            tallied.append(_T.group_id == bindparam("group_id"))
        total = select(func.coalesce(func.sum(_T.customers), 0)).where(*tallied)
    return total, rows


@lru_cache(maxsize=256)
def _grid_statement(shape: _Shape, order_by: str, descending: bool, from_edge: bool) -> Select[Any]:
    """One keyset page of the admin grid (one row more than asked: is there a next page?)."""
    column = SORTABLE.get(order_by, _C.customer_id)
    where = list(_where(shape))
    if from_edge:
        key = tuple_(column, _C.customer_id)
        edge = tuple_(bindparam("edge_key", type_=column.type), bindparam("edge_id"))
        where.append(key < edge if descending else key > edge)
    order = [column.desc(), _C.customer_id.desc()] if descending else [column, _C.customer_id]
    return select(*_ROW_COLUMNS, column).where(*where).order_by(*order).limit(bindparam("limit"))


@lru_cache(maxsize=64)
def _grid_count(shape: _Shape) -> Select[Any]:
    capped = (
        select(literal(1))
        .select_from(Customer.__table__)
        .where(*_where(shape))
        .limit(GRID_COUNT_CAP + 1)
    )
    return select(func.count()).select_from(capped.subquery())


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
_ESTIMATE: Select[Any] = (
    select(literal_column("reltuples::bigint"))
    .select_from(text("pg_class"))
    .where(text("relname = 'customer'"))
)


class SqlCustomerQueries:
    """Customer reads straight off the engine (the fixed ones through ``Reads``), no ORM
    entities."""

    def __init__(self, engine: AsyncEngine, reads: Reads) -> None:
        self._engine = engine
        self._reads = reads

    async def _all(self, stmt: Select[Any], **params: Any) -> Sequence[Any]:
        return await self._reads.all(stmt, params)

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
        backwards = before is not None
        # Walking backwards is walking forwards in the opposite order, then flipping the rows.
        descending = flt.descending != backwards
        edge = before if backwards else after
        shape, filtered = _shape(flt), _filter_params(flt)
        stmt = _grid_statement(shape, flt.order_by, descending, edge is not None)
        params = filtered | {"limit": flt.limit + 1}
        if edge is not None:
            params |= {"edge_key": edge[0], "edge_id": edge[1]}
        found = list(await self._reads.all(stmt, params))
        total, estimated, at_least = await self._grid_total(shape, filtered)
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

    async def _grid_total(self, shape: _Shape, params: dict[str, Any]) -> tuple[int, bool, bool]:
        """Exact when cheap; the planner's estimate for the whole table on PostgreSQL; counted
        up to a cap when filtered (no full scans for a page header)."""
        if shape == _UNFILTERED and self._engine.dialect.name == "postgresql":
            estimate = (await self._reads.all(_ESTIMATE, {}))[0][0]
            if estimate is not None and estimate >= GRID_COUNT_CAP:
                return int(estimate), True, False
        count = (await self._reads.all(_grid_count(shape), params))[0][0]
        if count > GRID_COUNT_CAP:
            return GRID_COUNT_CAP, False, True
        return int(count), False, False

    async def page(self, flt: CustomerFilter) -> CustomerPage:
        total_stmt, rows_stmt = _page_statements(_shape(flt), flt.order_by, flt.descending)
        params = _filter_params(flt)
        total = (await self._reads.all(total_stmt, params))[0][0]
        if not total:
            return CustomerPage(rows=[], total=0)
        params.update(limit=flt.limit, offset=(flt.page - 1) * flt.limit)
        rows = await self._reads.all(rows_stmt, params)
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
    """Order history reads (the index on customer_id, order_id serves both the page and the
    count)."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def history(self, customer_id: int, *, limit: int) -> OrderHistory:
        params = {"customer_id": customer_id, "limit": limit}
        total = (await self._reads.all(_HISTORY_COUNT, params))[0][0]
        rows = await self._reads.all(_HISTORY, params) if total else []
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
    """Addresses, properties and list items of one customer."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def sub_items(
        self, customer_id: int, *, addresses: bool, properties: bool, list_items: bool
    ) -> SubItems:
        if not (addresses or properties or list_items):
            return SubItems()
        params = {"customer_id": customer_id}
        found: dict[str, Sequence[Any]] = {}
        for key, wanted, stmt in (
            ("addresses", addresses, _ALL_ADDRESSES),
            ("properties", properties, _ALL_PROPERTIES),
            ("list_items", list_items, _ALL_LIST_ITEMS),
        ):
            if wanted:
                found[key] = await self._reads.dicts(stmt, params)
        return SubItems(**found)
