"""Repositories, unit of work and read queries against the real databases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from patron.core import normalise
from patron.core.entities import Customer, CustomerAddress, CustomerListItem, CustomerProperty
from patron.core.errors import Conflict, InvalidInput
from patron.core.ports import CustomerFilter
from patron.faces._shared.services import Services
from patron.storage.uow import DUPLICATE_LIST_ITEM, DUPLICATE_PROPERTY

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 11, 24, 10, 0, 0, tzinfo=UTC)


def _customer(email: str, full_name: str = "Ada Lovelace") -> Customer:
    return Customer(
        uuid=uuid.uuid4(),
        store_id=1,
        status=1,
        group_id=1,
        email=email,
        email_key=normalise.email_key(email),
        login_name=None,
        login_key=normalise.login_key(None, email),
        password_hash="x",
        full_name=full_name,
        name_key=normalise.fold(full_name),
        meta_data={},
        newsletter=False,
        created_at=NOW,
        updated_at=NOW,
    )


async def _add(services: Services, customer: Customer) -> None:
    async with services.uow() as uow:
        await uow.customers.add(customer)
        await uow.commit()


async def test_email_uniqueness_ignores_case_and_compatibility_forms(services: Services) -> None:
    await _add(services, _customer("Ada@Example.com"))
    with pytest.raises(Conflict) as caught:
        await _add(services, _customer("  ａda@EXAMPLE.COM "))
    assert caught.value.message == "Email is already used"


async def test_timestamps_come_back_in_utc(services: Services) -> None:
    customer = _customer("time@example.com")
    await _add(services, customer)
    row = await services.queries.get_row(1, customer.uuid)
    assert row is not None
    assert row.created_at == NOW
    assert row.created_at.tzinfo is not None


async def test_only_one_default_address_per_customer(services: Services) -> None:
    customer = _customer("addr@example.com")
    await _add(services, customer)

    def address(default: bool) -> CustomerAddress:
        return CustomerAddress(
            uuid=uuid.uuid4(),
            store_id=1,
            customer_id=customer.customer_id,
            country="US",
            is_default=default,
            position=0,
            created_at=NOW,
            updated_at=NOW,
        )

    async with services.uow() as uow:
        await uow.addresses.add(address(True))
        await uow.addresses.add(address(False))
        await uow.commit()
    with pytest.raises(IntegrityError):
        async with services.uow() as uow:
            await uow.addresses.add(address(True))


async def test_deleting_a_customer_removes_addresses_and_sessions(services: Services) -> None:
    customer = _customer("gone@example.com")
    await _add(services, customer)
    async with services.uow() as uow:
        await uow.addresses.add(
            CustomerAddress(
                uuid=uuid.uuid4(),
                store_id=1,
                customer_id=customer.customer_id,
                country="US",
                is_default=True,
                position=0,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await uow.commit()
    async with services.uow() as uow:
        loaded = await uow.customers.get(1, customer.uuid)
        assert loaded is not None
        await uow.customers.delete(loaded)
        await uow.commit()
    assert await services.queries.addresses_of(customer.customer_id) == []


async def test_page_filters_sorts_and_counts(services: Services) -> None:
    for email, name in [
        ("b@example.com", "Bob 100%"),
        ("a@example.com", "Alice"),
        ("c_x@example.com", "Carol"),
    ]:
        await _add(services, _customer(email, name))
    page = await services.queries.page(CustomerFilter(order_by="email"))
    assert [row.email for row in page.rows] == ["a@example.com", "b@example.com", "c_x@example.com"]
    assert page.total == 3
    literal = await services.queries.page(CustomerFilter(keyword="0%"))
    assert [row.full_name for row in literal.rows] == ["Bob 100%"]
    underscore = await services.queries.page(CustomerFilter(keyword="c_"))
    assert [row.email for row in underscore.rows] == ["c_x@example.com"]
    second = await services.queries.page(CustomerFilter(limit=2, page=2))
    assert [row.email for row in second.rows] == ["c_x@example.com"]
    assert second.total == 3


# --- the JSON:API tables ----------------------------------------------------------------------


def _property(customer: Customer, type_: str = "note", value: str = "x") -> CustomerProperty:
    return CustomerProperty(
        store_id=1,
        customer_id=customer.customer_id,
        type=type_,
        language="",
        value=value,
        created_at=NOW,
        updated_at=NOW,
    )


def _list_item(customer: Customer, refid: str = "42", **kw: object) -> CustomerListItem:
    values: dict[str, object] = {
        "store_id": 1,
        "customer_id": customer.customer_id,
        "domain": "product",
        "refid": refid,
        "type": "favorite",
        "config": {},
        "position": 0,
        "status": 1,
        "created_at": NOW,
        "updated_at": NOW,
        **kw,
    }
    return CustomerListItem(**values)


async def test_duplicate_properties_and_list_items_become_invalid_input(
    services: Services,
) -> None:
    customer = _customer("props@example.com")
    await _add(services, customer)
    async with services.uow() as uow:
        await uow.properties.add(_property(customer))
        await uow.list_items.add(_list_item(customer))
        await uow.commit()
    for add, field, message in (
        (lambda u: u.properties.add(_property(customer)), "property", DUPLICATE_PROPERTY),
        (lambda u: u.list_items.add(_list_item(customer)), "list_item", DUPLICATE_LIST_ITEM),
    ):
        with pytest.raises(InvalidInput) as caught:
            async with services.uow() as uow:
                await add(uow)
        assert (caught.value.field, caught.value.message) == (field, message)


async def test_sub_item_queries_read_columns_in_order(services: Services) -> None:
    customer = _customer("subs@example.com")
    await _add(services, customer)
    async with services.uow() as uow:
        await uow.list_items.add(_list_item(customer, "b", position=2, config={"stock": "1"}))
        await uow.list_items.add(_list_item(customer, "a", position=1, date_start=NOW))
        await uow.properties.add(_property(customer, value="2"))
        await uow.properties.add(_property(customer, value="1"))
        await uow.commit()
    found = await services.sub_items.sub_items(
        customer.customer_id, addresses=True, properties=True, list_items=True
    )
    assert found.addresses == []
    assert [p["value"] for p in found.properties] == ["2", "1"]
    assert [(i["refid"], i["config"], i["date_start"]) for i in found.list_items] == [
        ("a", {}, NOW),
        ("b", {"stock": "1"}, None),
    ]
    nothing = await services.sub_items.sub_items(
        customer.customer_id, addresses=False, properties=False, list_items=False
    )
    assert (nothing.addresses, nothing.properties, nothing.list_items) == ((), (), ())


async def test_deleting_a_customer_removes_properties_and_list_items(services: Services) -> None:
    customer = _customer("cascade@example.com")
    await _add(services, customer)
    async with services.uow() as uow:
        await uow.properties.add(_property(customer))
        await uow.list_items.add(_list_item(customer))
        await uow.commit()
    async with services.uow() as uow:
        loaded = await uow.customers.get(1, customer.uuid)
        assert loaded is not None
        await uow.customers.delete(loaded)
        await uow.commit()
    found = await services.sub_items.sub_items(
        customer.customer_id, addresses=True, properties=True, list_items=True
    )
    assert (found.properties, found.list_items) == ([], [])


async def test_accounts_created_from_an_ip_are_counted_since_a_moment(
    services: Services,
) -> None:
    for n, (ip, moment) in enumerate(
        [
            ("198.51.100.1", NOW),
            ("198.51.100.1", NOW - timedelta(hours=5)),
            ("198.51.100.2", NOW),
            ("198.51.100.1", NOW + timedelta(seconds=1)),
        ]
    ):
        customer = _customer(f"ip{n}@example.com")
        customer.created_ip, customer.created_at = ip, moment
        await _add(services, customer)
    async with services.uow() as uow:
        count = await uow.customers.count_created_from(
            1, "198.51.100.1", since=NOW - timedelta(hours=4)
        )
    assert count == 2
