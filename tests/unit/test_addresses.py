from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from patron.core import addresses
from patron.core.entities import Customer, CustomerAddress
from patron.core.errors import ErrorCode, InvalidInput, NotFound
from tests.fakes import START, FakeUnitOfWork, FixedClock
from tests.unit.conftest import Register

pytestmark = pytest.mark.anyio

VALID = {
    "full_name": "Ada Lovelace",
    "address_1": "12 St James's Square",
    "city": "London",
    "province": "Westminster",
    "country": "gb",
    "postcode": "SW1Y 4JH",
}


async def _add(
    uow: FakeUnitOfWork, clock: FixedClock, customer: Customer, **fields: Any
) -> CustomerAddress:
    _, address = await addresses.add_address(
        uow, clock, store_id=1, customer_uuid=customer.uuid, fields={**VALID, **fields}
    )
    return address


async def _update(
    uow: FakeUnitOfWork, clock: FixedClock, customer: Customer, address: CustomerAddress, **f: Any
) -> CustomerAddress:
    _, changed = await addresses.update_address(
        uow, clock, store_id=1, customer_uuid=customer.uuid, address_uuid=address.uuid, fields=f
    )
    return changed


@pytest.fixture
async def ada(register: Register) -> Customer:
    return await register()


async def test_add_stores_the_address_for_the_customer(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    clock.advance(seconds=5, microseconds=500)
    address = await _add(uow, clock, ada)
    assert await uow.addresses.list_for(ada.customer_id) == [address]
    assert address.customer_id == ada.customer_id
    assert address.customer_address_id == 1
    assert address.store_id == 1
    assert address.city == "London"
    assert address.is_default is False
    assert address.created_at == address.updated_at == START + timedelta(seconds=5)


async def test_missing_required_fields_are_listed_in_one_message(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await addresses.add_address(uow, clock, store_id=1, customer_uuid=ada.uuid, fields={})
    error = caught.value
    assert error.message == (
        "Full name is required, Address is required, Province is required, "
        "Country is required, Postcode is required"
    )
    assert [p.field for p in error.problems] == [
        "full_name",
        "address_1",
        "province",
        "country",
        "postcode",
    ]
    assert error.field == "full_name"
    assert uow.addresses.rows == []


async def test_blank_required_fields_count_as_missing(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add(uow, clock, ada, address_1="   ", postcode=None)
    assert caught.value.message == "Address is required, Postcode is required"
    assert caught.value.field == "address_1"


async def test_the_country_is_upper_cased(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    assert (await _add(uow, clock, ada, country="gb")).country == "GB"
    assert (await _add(uow, clock, ada, country="Us")).country == "US"


@pytest.mark.parametrize("country", ["G1", "GBR", "g", "É1", "ÉS", "  "])
async def test_the_country_must_be_two_letters(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock, country: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add(uow, clock, ada, country=country)
    assert {p.field for p in caught.value.problems} == {"country"}
    assert uow.addresses.rows == []


async def test_a_three_letter_country_names_the_iso_rule(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add(uow, clock, ada, country="GBR")
    assert "Country must be a two-letter ISO 3166-1 code" in caught.value.message


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"city": 12}, "city"),
        ({"postcode": "9" * 65}, "postcode"),
        ({"is_default": "yes"}, "is_default"),
        ({"is_default": 1}, "is_default"),
    ],
)
async def test_other_bad_fields_are_refused(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add(uow, clock, ada, **fields)
    assert caught.value.field == field


async def test_full_name_alone_gives_first_and_last(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    address = await _add(uow, clock, ada, full_name="Augusta Ada King")
    assert (address.first_name, address.last_name) == ("Augusta Ada", "King")


async def test_first_and_last_name_rebuild_full_name_on_update(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    address = await _add(uow, clock, ada)
    await _update(uow, clock, ada, address, last_name="King")
    assert (address.full_name, address.first_name, address.last_name) == (
        "Ada King",
        "Ada",
        "King",
    )


async def test_only_one_address_is_the_default(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    first = await _add(uow, clock, ada, is_default=True)
    second = await _add(uow, clock, ada, is_default=True)
    assert (first.is_default, second.is_default) == (False, True)
    third = await _add(uow, clock, ada)
    assert (first.is_default, second.is_default, third.is_default) == (False, True, False)
    await _update(uow, clock, ada, first, is_default=True)
    assert [a.is_default for a in await uow.addresses.list_for(ada.customer_id)] == [
        True,
        False,
        False,
    ]


async def test_another_customers_default_is_left_alone(
    ada: Customer, register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    bob = await register(email="bob@example.com", full_name="Bob Babbage")
    bobs = await _add(uow, clock, bob, is_default=True)
    await _add(uow, clock, ada, is_default=True)
    assert bobs.is_default is True


async def test_update_checks_only_the_fields_it_gives(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    address = await _add(uow, clock, ada)
    await _update(uow, clock, ada, address, city="Cambridge", country="us")
    assert (address.city, address.country, address.postcode) == ("Cambridge", "US", "SW1Y 4JH")
    with pytest.raises(InvalidInput) as caught:
        await _update(uow, clock, ada, address, postcode="  ")
    assert caught.value.message == "Postcode is required"
    assert address.postcode == "SW1Y 4JH"


async def test_update_moves_updated_at_forward(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    address = await _add(uow, clock, ada)
    await _update(uow, clock, ada, address, city="Bath")
    assert address.updated_at == START + timedelta(seconds=1)
    assert address.created_at == START


async def test_an_address_of_another_customer_is_not_found(
    ada: Customer, register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    bob = await register(email="bob@example.com", full_name="Bob Babbage")
    bobs = await _add(uow, clock, bob)
    with pytest.raises(NotFound) as caught:
        await _update(uow, clock, ada, bobs, city="Elsewhere")
    assert caught.value.code == ErrorCode.address_not_found
    assert bobs.city == "London"
    with pytest.raises(NotFound):
        await addresses.delete_address(
            uow, store_id=1, customer_uuid=ada.uuid, address_uuid=bobs.uuid
        )
    assert uow.addresses.rows == [bobs]


async def test_an_unknown_customer_is_not_found(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    with pytest.raises(NotFound) as caught:
        await addresses.add_address(
            uow, clock, store_id=1, customer_uuid=uuid.uuid4(), fields=VALID
        )
    assert caught.value.code == ErrorCode.customer_not_found


async def test_delete_removes_one_address(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    gone = await _add(uow, clock, ada)
    kept = await _add(uow, clock, ada)
    _, deleted = await addresses.delete_address(
        uow, store_id=1, customer_uuid=ada.uuid, address_uuid=gone.uuid
    )
    assert deleted is gone
    assert await uow.addresses.list_for(ada.customer_id) == [kept]


async def test_a_three_letter_country_is_reported_once(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add(uow, clock, ada, country="GBR")
    assert caught.value.message == "Country must be a two-letter ISO 3166-1 code"
