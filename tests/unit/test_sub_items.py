"""Batch address writes by number, customer properties and list items, against the fakes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from patron.core import addresses, lists, properties
from patron.core.entities import Customer, CustomerListItem
from patron.core.errors import ErrorCode, InvalidInput, NotFound, PermissionDenied
from tests.fakes import START, FakeUnitOfWork, FixedClock
from tests.unit.conftest import Register

pytestmark = pytest.mark.anyio

AIMEOS_REQUIRED = {"country": "Country is required"}


@pytest.fixture
async def ada(register: Register) -> Customer:
    return await register()


@pytest.fixture
async def bob(register: Register) -> Customer:
    return await register(email="bob@example.com", full_name="Bob Builder")


# --- addresses --------------------------------------------------------------------------------


async def _add_addresses(
    uow: FakeUnitOfWork, clock: FixedClock, customer: Customer, *entries: dict[str, Any]
) -> list[Any]:
    return await addresses.add_addresses(
        uow,
        clock,
        store_id=1,
        customer_uuid=customer.uuid,
        entries=entries,
        required=AIMEOS_REQUIRED,
    )


async def test_add_addresses_adds_all_in_one_commit_and_returns_every_address(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    first = await _add_addresses(uow, clock, ada, {"country": "de", "city": "Berlin"})
    commits = uow.commits
    found = await _add_addresses(
        uow,
        clock,
        ada,
        {"country": "fr", "first_name": "Ada", "last_name": "King", "position": 2},
        {"country": "gb", "birthday": date(2000, 1, 1), "longitude": 10.5, "language": "en"},
    )
    assert uow.commits == commits + 1
    assert [a.customer_address_id for a in found] == [1, 2, 3]
    assert found[0] is first[0]
    assert (found[1].country, found[1].full_name, found[1].position) == ("FR", "Ada King", 2)
    assert (found[2].birthday, found[2].longitude, found[2].language) == (
        date(2000, 1, 1),
        10.5,
        "en",
    )
    assert found[2].is_default is False


async def test_a_bad_entry_names_its_index_and_adds_nothing(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add_addresses(uow, clock, ada, {"country": "de"}, {"city": "Paris"})
    assert (caught.value.field, caught.value.message, caught.value.meta) == (
        "country",
        "Country is required",
        {"index": 1},
    )
    assert uow.addresses.rows == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"position": -1}, "position", "Position must be a whole number"),
        ({"position": 2**31}, "position", f"Position must be at most {2**31 - 1}"),
        ({"latitude": 91}, "latitude", "Latitude must be between -90 and 90"),
        ({"birthday": "2000-01-01"}, "birthday", "Birthday must be a date"),
        ({"language": 5}, "language", "Language must be a string"),
    ],
)
async def test_address_value_rules(
    ada: Customer,
    *,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    fields: dict[str, Any],
    field: str,
    message: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add_addresses(uow, clock, ada, {"country": "de", **fields})
    assert (caught.value.field, caught.value.message) == (field, message)


async def test_change_address_by_number_only_for_its_owner(
    ada: Customer, bob: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    [address] = await _add_addresses(uow, clock, ada, {"country": "de"})
    clock.advance(seconds=3)
    changed = await addresses.change_address(
        uow,
        clock,
        store_id=1,
        customer_uuid=ada.uuid,
        address_id=address.customer_address_id,
        fields={"city": "Bonn", "position": None},
        required=AIMEOS_REQUIRED,
    )
    assert (changed.city, changed.position, changed.updated_at) == (
        "Bonn",
        0,
        START + timedelta(seconds=3),
    )
    with pytest.raises(NotFound) as caught:
        await addresses.change_address(
            uow,
            clock,
            store_id=1,
            customer_uuid=bob.uuid,
            address_id=address.customer_address_id,
            fields={"city": "Hacked"},
        )
    assert caught.value.code == ErrorCode.address_not_found
    with pytest.raises(InvalidInput):
        await addresses.change_address(
            uow,
            clock,
            store_id=1,
            customer_uuid=ada.uuid,
            address_id=address.customer_address_id,
            fields={"country": ""},
            required=AIMEOS_REQUIRED,
        )
    assert address.city == "Bonn"


async def test_remove_addresses_skips_what_is_not_the_callers(
    ada: Customer, bob: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    mine = await _add_addresses(uow, clock, ada, {"country": "de"}, {"country": "fr"})
    [theirs] = await _add_addresses(uow, clock, bob, {"country": "gb"})
    removed = await addresses.remove_addresses(
        uow,
        store_id=1,
        customer_uuid=ada.uuid,
        address_ids=[
            mine[0].customer_address_id,
            theirs.customer_address_id,
            99,
            mine[0].customer_address_id,
        ],
    )
    assert removed == 1
    assert [a.customer_address_id for a in uow.addresses.rows] == [2, 3]


# --- properties -------------------------------------------------------------------------------


async def _add_properties(
    uow: FakeUnitOfWork, clock: FixedClock, customer: Customer, *entries: dict[str, Any]
) -> list[Any]:
    return await properties.add_properties(
        uow, clock, store_id=1, customer_uuid=customer.uuid, entries=entries
    )


async def test_properties_are_added_and_identical_entries_collapse(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    found = await _add_properties(
        uow,
        clock,
        ada,
        {"type": "newsletter", "value": "weekly"},
        {"type": "newsletter", "value": "weekly", "language": None},
        {"type": "note", "language": "de", "value": "Hallo"},
    )
    assert [(p.customer_property_id, p.type, p.language, p.value) for p in found] == [
        (1, "newsletter", "", "weekly"),
        (2, "note", "de", "Hallo"),
    ]
    assert uow.commits == 2  # registration, then one for the batch


async def test_a_duplicate_property_is_invalid_input(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await _add_properties(uow, clock, ada, {"type": "note", "value": "x"})
    with pytest.raises(InvalidInput) as caught:
        await _add_properties(uow, clock, ada, {"type": "note", "value": "x"})
    assert (caught.value.field, caught.value.message) == (
        "property",
        "The customer already has this property",
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "type", "Type is required"),
        ({"type": ""}, "type", "Type is required"),
        ({"type": "two words"}, "type", "Type must not contain spaces"),
        ({"type": "x" * 65}, "type", "Type must be at most 64 characters"),
        ({"type": 5}, "type", "Type must be a string"),
        ({"type": "a", "value": "v" * 256}, "value", "Value must be at most 255 characters"),
        ({"type": "a", "value": "a\x00"}, "value", "Value must not contain NUL characters"),
        ({"type": "a", "language": ["de"]}, "language", "Language must be a string"),
    ],
)
async def test_property_rules(
    ada: Customer,
    *,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    fields: dict[str, Any],
    field: str,
    message: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add_properties(uow, clock, ada, {"type": "ok"}, fields)
    assert (caught.value.field, caught.value.message, caught.value.meta) == (
        field,
        message,
        {"index": 1},
    )


async def test_change_and_remove_properties_only_for_the_owner(
    ada: Customer, bob: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    [item] = await _add_properties(uow, clock, ada, {"type": "note", "value": "x"})
    changed = await properties.change_property(
        uow,
        clock,
        store_id=1,
        customer_uuid=ada.uuid,
        property_id=item.customer_property_id,
        fields={"value": None, "language": "en"},
    )
    assert (changed.value, changed.language) == ("", "en")
    with pytest.raises(NotFound) as caught:
        await properties.change_property(
            uow,
            clock,
            store_id=1,
            customer_uuid=bob.uuid,
            property_id=item.customer_property_id,
            fields={"value": "hacked"},
        )
    assert caught.value.code == ErrorCode.property_not_found
    assert (
        await properties.remove_properties(
            uow, store_id=1, customer_uuid=bob.uuid, property_ids=[item.customer_property_id]
        )
        == 0
    )
    assert (
        await properties.remove_properties(
            uow, store_id=1, customer_uuid=ada.uuid, property_ids=[item.customer_property_id]
        )
        == 1
    )
    assert uow.properties.rows == []


async def test_a_change_that_duplicates_another_property_is_refused(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    found = await _add_properties(
        uow, clock, ada, {"type": "note", "value": "a"}, {"type": "note", "value": "b"}
    )
    with pytest.raises(InvalidInput) as caught:
        await properties.change_property(
            uow,
            clock,
            store_id=1,
            customer_uuid=ada.uuid,
            property_id=found[1].customer_property_id,
            fields={"value": "a"},
        )
    assert caught.value.field == "property"


# --- list items -------------------------------------------------------------------------------

PRODUCT = {"domain": "product", "refid": "42", "type": "favorite"}


async def _add_items(
    uow: FakeUnitOfWork,
    clock: FixedClock,
    customer: Customer,
    *entries: dict[str, Any],
    domains: tuple[str, ...] = ("product",),
) -> list[Any]:
    return await lists.add_list_items(
        uow, clock, store_id=1, customer_uuid=customer.uuid, entries=entries, domains=domains
    )


async def test_list_items_get_defaults_and_come_back_in_list_order(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    found = await _add_items(
        uow,
        clock,
        ada,
        {**PRODUCT, "position": 2},
        {"domain": "product", "refid": "7", "config": {"timeframe": "7"}, "position": 1},
    )
    assert [(i.refid, i.type, i.status, i.config, i.position) for i in found] == [
        ("7", "default", 1, {"timeframe": "7"}, 1),
        ("42", "favorite", 1, {}, 2),
    ]


async def test_add_returns_visible_items_of_the_domains_and_the_new_ones(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await _add_items(uow, clock, ada, {"domain": "supplier", "refid": "1"}, domains=())
    await _add_items(uow, clock, ada, {**PRODUCT, "status": 0}, domains=())
    found = await _add_items(uow, clock, ada, {"domain": "product", "refid": "9"})
    assert [(i.domain, i.refid) for i in found] == [("product", "9")]
    found = await _add_items(
        uow, clock, ada, {"domain": "product", "refid": "10"}, domains=("product", "supplier")
    )
    assert [(i.domain, i.refid) for i in found] == [
        ("supplier", "1"),
        ("product", "9"),
        ("product", "10"),
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"refid": "1"}, "domain", "Domain is required"),
        ({"domain": "product"}, "refid", "Refid is required"),
        ({"domain": "a b", "refid": "1"}, "domain", "Domain must not contain spaces"),
        ({**PRODUCT, "refid": "x" * 37}, "refid", "Refid must be at most 36 characters"),
        ({**PRODUCT, "type": "a b"}, "type", "Type must not contain spaces"),
        ({**PRODUCT, "config": ["a"]}, "config", "Config must be an object"),
        ({**PRODUCT, "config": {"a": "\x00"}}, "config", "Config must not contain NUL characters"),
        ({**PRODUCT, "status": 2}, "status", "Status must be a whole number from -2 to 1"),
        (
            {**PRODUCT, "position": -1},
            "position",
            f"Position must be a whole number from 0 to {2**31 - 1}",
        ),
        (
            {**PRODUCT, "date_start": datetime(2024, 1, 1)},
            "date_start",
            "Date start must be a date and time",
        ),
    ],
)
async def test_list_item_rules(
    ada: Customer,
    *,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    fields: dict[str, Any],
    field: str,
    message: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _add_items(uow, clock, ada, fields)
    assert (caught.value.field, caught.value.message, caught.value.meta) == (
        field,
        message,
        {"index": 0},
    )


@pytest.mark.parametrize("domain", ["group", "customer/group"])
async def test_groups_cannot_be_managed(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock, domain: str
) -> None:
    with pytest.raises(PermissionDenied) as caught:
        await _add_items(uow, clock, ada, {"domain": domain, "refid": "1"})
    assert caught.value.message == "You are not allowed to manage groups"
    [item] = await _add_items(uow, clock, ada, PRODUCT)
    with pytest.raises(PermissionDenied):
        await lists.change_list_item(
            uow,
            clock,
            store_id=1,
            customer_uuid=ada.uuid,
            list_id=item.customer_list_id,
            fields={"domain": domain},
            domains=("product",),
        )


async def test_duplicates_in_one_list_are_invalid_input(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await _add_items(uow, clock, ada, PRODUCT)
    with pytest.raises(InvalidInput) as caught:
        await _add_items(uow, clock, ada, PRODUCT)
    assert (caught.value.field, caught.value.message) == (
        "list_item",
        "The customer already has this item in that list",
    )
    await _add_items(uow, clock, ada, {**PRODUCT, "type": "watch"})


async def test_only_active_items_of_the_named_domains_can_be_changed_or_removed(
    ada: Customer, bob: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    later = START + timedelta(days=1)
    items = await _add_items(
        uow,
        clock,
        ada,
        PRODUCT,
        {"domain": "product", "refid": "43", "date_start": later},
        {"domain": "product", "refid": "44", "status": -1},
    )
    ids = {i.refid: i.customer_list_id for i in items}

    async def change(customer: Customer, list_id: int, domains: tuple[str, ...]) -> Any:
        return await lists.change_list_item(
            uow,
            clock,
            store_id=1,
            customer_uuid=customer.uuid,
            list_id=list_id,
            fields={"position": 5, "config": {"stock": "1"}},
            domains=domains,
        )

    for customer, list_id, domains in (
        (ada, ids["42"], ()),  # its domain was not named
        (ada, ids["43"], ("product",)),  # not started yet
        (ada, ids["44"], ("product",)),  # disabled
        (bob, ids["42"], ("product",)),  # not bob's
    ):
        with pytest.raises(NotFound) as caught:
            await change(customer, list_id, domains)
        assert caught.value.code == ErrorCode.list_item_not_found
    changed = await change(ada, ids["42"], ("product",))
    assert (changed.position, changed.config) == (5, {"stock": "1"})
    clock.set(later + timedelta(seconds=1))
    assert (await change(ada, ids["43"], ("product",))).position == 5

    removed = await lists.remove_list_items(
        uow,
        clock,
        store_id=1,
        customer_uuid=bob.uuid,
        list_ids=list(ids.values()),
        domains=("product",),
    )
    assert removed == 0
    removed = await lists.remove_list_items(
        uow,
        clock,
        store_id=1,
        customer_uuid=ada.uuid,
        list_ids=list(ids.values()),
        domains=("product",),
    )
    assert removed == 2
    assert [i.refid for i in uow.list_items.rows] == ["44"]


async def test_the_date_window_closes(ada: Customer, clock: FixedClock) -> None:
    item = CustomerListItem(
        status=1, date_start=None, date_end=datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    )
    assert lists.is_active(item, clock.now())
    assert not lists.is_active(item, clock.advance(seconds=1))


async def test_deleting_a_customer_takes_its_properties_and_list_items(
    ada: Customer, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await _add_properties(uow, clock, ada, {"type": "note"})
    await _add_items(uow, clock, ada, PRODUCT)
    async with uow:
        await uow.customers.delete(ada)
        await uow.commit()
    assert (uow.properties.rows, uow.list_items.rows) == ([], [])
