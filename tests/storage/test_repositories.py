"""Repositories, unit of work and read queries against the real databases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from patron.core import normalise
from patron.core.entities import Customer, CustomerAddress
from patron.core.errors import Conflict
from patron.core.ports import CustomerFilter
from patron.faces._shared.services import Services

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
