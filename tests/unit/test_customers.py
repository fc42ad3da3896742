from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from patron.core import customers
from patron.core.auth import ClientInfo, SessionPolicy, login_customer
from patron.core.customers import next_updated_at
from patron.core.entities import Customer, CustomerAddress
from patron.core.errors import Conflict, ErrorCode, InvalidInput, NotFound
from patron.core.passwords import PasswordPolicy
from tests.fakes import START, FakeUnitOfWork, FixedClock, SpyHasher
from tests.unit.conftest import PASSWORD, Register

pytestmark = pytest.mark.anyio


async def _update(
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    customer: Customer,
    **changes: Any,
) -> Customer:
    return await customers.update_customer(
        uow,
        hasher,
        clock,
        store_id=customer.store_id,
        customer_uuid=customer.uuid,
        changes=changes,
        policy=PasswordPolicy(),
    )


async def _login(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock, email: str, password: str = PASSWORD
) -> str:
    login = await login_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        email=email,
        password=password,
        client=ClientInfo(face="evershop"),
        policy=SessionPolicy(),
    )
    return login.token


def _live_sessions(uow: FakeUnitOfWork, customer: Customer) -> int:
    return sum(
        1
        for s in uow.customer_sessions.rows
        if s.customer_id == customer.customer_id and s.revoked_at is None
    )


# --- register -------------------------------------------------------------------------------


async def test_register_stores_the_account_and_commits(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    clock.set(START + timedelta(microseconds=654321))
    customer = await register()
    assert uow.customers.rows == [customer]
    assert uow.commits == 1
    assert customer.customer_id == 1
    assert isinstance(customer.uuid, uuid.UUID)
    assert customer.status == 1
    assert customer.group_id == 1
    assert customer.store_id == 1
    assert customer.login_name is None
    assert customer.created_at == customer.updated_at == START  # whole seconds
    assert customer.password_hash.startswith("$argon2id$")
    assert (await hasher.verify(customer.password_hash, PASSWORD)).ok


async def test_register_trims_the_email_and_keeps_its_case(register: Register) -> None:
    customer = await register(email="  Ada.Lovelace@Example.COM \n")
    assert customer.email == "Ada.Lovelace@Example.COM"
    assert customer.email_key == "ada.lovelace@example.com"
    assert customer.login_key == "ada.lovelace@example.com"


async def test_full_name_alone_gives_first_and_last_at_the_last_space(register: Register) -> None:
    customer = await register(full_name="Ada King Lovelace")
    assert customer.full_name == "Ada King Lovelace"
    assert (customer.first_name, customer.last_name) == ("Ada King", "Lovelace")
    assert customer.name_key == "ada king lovelace"


async def test_full_name_of_one_word_is_a_first_name(register: Register) -> None:
    customer = await register(full_name="Ada")
    assert (customer.full_name, customer.first_name, customer.last_name) == ("Ada", "Ada", None)


async def test_first_and_last_without_full_name_rebuild_it(register: Register) -> None:
    customer = await register(full_name=None, profile={"first_name": "Ada", "last_name": "King"})
    assert (customer.full_name, customer.first_name, customer.last_name) == (
        "Ada King",
        "Ada",
        "King",
    )
    assert customer.name_key == "ada king"


async def test_first_name_alone_rebuilds_full_name_trimmed(register: Register) -> None:
    customer = await register(full_name=None, profile={"first_name": "Ada"})
    assert customer.full_name == "Ada"
    assert customer.last_name is None


async def test_a_write_that_gives_every_name_stores_exactly_that(register: Register) -> None:
    customer = await register(
        full_name="Countess of Lovelace", profile={"first_name": "Ada", "last_name": "King"}
    )
    assert (customer.full_name, customer.first_name, customer.last_name) == (
        "Countess of Lovelace",
        "Ada",
        "King",
    )


async def test_profile_fields_are_stored(register: Register) -> None:
    customer = await register(profile={"telephone": "+44 20 7946 0000", "company": "Engines"})
    assert customer.telephone == "+44 20 7946 0000"
    assert customer.company == "Engines"


@pytest.mark.parametrize(
    "case",
    [
        ({"email": "not-an-email"}, "email", "Email must be a valid email address"),
        ({"email": "ada@"}, "email", "Email must be a valid email address"),
        ({"email": "   "}, "email", "Email is required and cannot be empty"),
        ({"email": "a@b.co" + "m" * 255}, "email", "Email must be at most 255 characters"),
        ({"full_name": ""}, "full_name", "Full name is required and cannot be empty"),
        ({"full_name": "   "}, "full_name", "Full name is required and cannot be empty"),
        ({"full_name": "x" * 256}, "full_name", "Full name must be at most 255 characters"),
        ({"status": 2}, "status", "Status must be either 0, 1, '0', or '1'"),
        ({"status": -1}, "status", "Status must be either 0, 1"),
        ({"password": "1234567"}, "password", "Password must be at least 8 characters"),
        ({"profile": {"telephone": 5}}, "telephone", "Telephone must be a string"),
        (
            {"profile": {"salutation": "x" * 33}},
            "salutation",
            "Salutation must be at most 32 characters",
        ),
    ],
)
async def test_register_refuses_bad_input_naming_the_field(
    register: Register,
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    case: tuple[dict[str, Any], str, str],
) -> None:
    kwargs, field, message = case
    with pytest.raises(InvalidInput) as caught:
        await register(**kwargs)
    assert caught.value.field == field
    assert caught.value.code == ErrorCode.invalid_input
    assert caught.value.message.startswith(message)
    assert uow.customers.rows == []
    assert uow.commits == 0
    assert hasher.hashed == []  # refused before the expensive part


async def test_register_refuses_an_unknown_group(register: Register, uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidInput) as caught:
        await register(group_id=7)
    assert caught.value.field == "group_id"
    assert uow.customers.rows == []


async def test_register_accepts_a_configured_group(register: Register, uow: FakeUnitOfWork) -> None:
    uow.customers.groups.add(7)
    assert (await register(group_id=7)).group_id == 7


async def test_register_can_create_a_disabled_account(register: Register) -> None:
    assert (await register(status=0)).status == 0


async def test_register_refuses_an_email_taken_in_another_case(
    register: Register, uow: FakeUnitOfWork
) -> None:
    await register(email="ada@example.com")
    with pytest.raises(Conflict) as caught:
        await register(email=" ADA@Example.com")
    assert caught.value.message == "Email is already used"
    assert caught.value.code == ErrorCode.email_already_registered
    assert len(uow.customers.rows) == 1
    assert uow.commits == 1


async def test_the_same_email_may_register_in_another_store(register: Register) -> None:
    first = await register(email="ada@example.com")
    second = await register(email="ada@example.com", store_id=2)
    assert first.customer_id != second.customer_id


# --- update ---------------------------------------------------------------------------------


async def test_email_change_recomputes_the_keys(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(email="ada@example.com")
    await _update(uow, hasher, clock, customer, email="  Countess@Example.org ")
    assert customer.email == "Countess@Example.org"
    assert customer.email_key == "countess@example.org"
    assert customer.login_key == "countess@example.org"
    assert await uow.customers.get_by_email_key(1, "ada@example.com") is None
    assert await uow.customers.get_by_email_key(1, "countess@example.org") is customer


async def test_email_change_keeps_an_explicit_login_name_as_the_login_key(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(email="ada@example.com")
    customer.login_name = "AdaL"
    await _update(uow, hasher, clock, customer, email="countess@example.org")
    assert customer.login_key == "adal"


async def test_email_change_to_a_taken_email_conflicts(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register(email="ada@example.com")
    other = await register(email="charles@example.com", full_name="Charles Babbage")
    with pytest.raises(Conflict, match="Email is already used"):
        await _update(uow, hasher, clock, other, email="ADA@example.com")


async def test_invalid_email_change_changes_nothing(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(email="ada@example.com")
    with pytest.raises(InvalidInput) as caught:
        await _update(uow, hasher, clock, customer, email="nope")
    assert caught.value.field == "email"
    assert customer.email == "ada@example.com"
    assert uow.commits == 1


async def test_full_name_change_alone_splits_again(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(full_name="Ada Lovelace")
    await _update(uow, hasher, clock, customer, full_name="Augusta Ada King")
    assert (customer.first_name, customer.last_name) == ("Augusta Ada", "King")
    assert customer.name_key == "augusta ada king"


async def test_last_name_change_alone_rebuilds_full_name(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(full_name="Ada Lovelace")
    await _update(uow, hasher, clock, customer, last_name="King")
    assert (customer.full_name, customer.first_name, customer.last_name) == (
        "Ada King",
        "Ada",
        "King",
    )


async def test_password_change_replaces_the_hash_and_ends_every_session(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(email="ada@example.com")
    other = await register(email="charles@example.com", full_name="Charles Babbage")
    for _ in range(2):
        await _login(uow, hasher, clock, "ada@example.com")
    await _login(uow, hasher, clock, "charles@example.com")
    old_hash = customer.password_hash
    clock.advance(minutes=5)
    await _update(uow, hasher, clock, customer, password="A-whole-new-one")
    assert customer.password_hash != old_hash
    assert (await hasher.verify(customer.password_hash, "A-whole-new-one")).ok
    assert _live_sessions(uow, customer) == 0
    assert all(
        s.revoked_at == clock.now()
        for s in uow.customer_sessions.rows
        if s.customer_id == customer.customer_id
    )
    assert _live_sessions(uow, other) == 1


async def test_a_too_short_new_password_is_refused_and_nothing_changes(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    await _login(uow, hasher, clock, customer.email)
    old_hash = customer.password_hash
    with pytest.raises(InvalidInput, match="at least 8 characters"):
        await _update(uow, hasher, clock, customer, password="short")
    with pytest.raises(InvalidInput, match="Password must be a string"):
        await _update(uow, hasher, clock, customer, password=None)
    assert customer.password_hash == old_hash
    assert _live_sessions(uow, customer) == 1


async def test_disabling_ends_every_session(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    await _login(uow, hasher, clock, customer.email)
    await _update(uow, hasher, clock, customer, status=0)
    assert customer.status == 0
    assert _live_sessions(uow, customer) == 0


@pytest.mark.parametrize("changes", [{"status": 1}, {"full_name": "Ada King"}, {"company": "X"}])
async def test_other_changes_keep_the_sessions(
    register: Register,
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    changes: dict[str, Any],
) -> None:
    customer = await register()
    await _login(uow, hasher, clock, customer.email)
    await _update(uow, hasher, clock, customer, **changes)
    assert _live_sessions(uow, customer) == 1


async def test_bad_status_is_refused(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    with pytest.raises(InvalidInput) as caught:
        await _update(uow, hasher, clock, customer, status=3)
    assert caught.value.field == "status"
    assert customer.status == 1


async def test_group_change_checks_the_group(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    with pytest.raises(InvalidInput) as caught:
        await _update(uow, hasher, clock, customer, group_id=9)
    assert caught.value.field == "group_id"
    assert customer.group_id == 1
    uow.customers.groups.add(9)
    await _update(uow, hasher, clock, customer, group_id=9)
    assert customer.group_id == 9


async def test_updated_at_strictly_increases_even_within_one_second(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    assert customer.updated_at == START
    clock.advance(milliseconds=300)
    await _update(uow, hasher, clock, customer, company="A")
    assert customer.updated_at == START + timedelta(seconds=1)
    await _update(uow, hasher, clock, customer, company="B")
    assert customer.updated_at == START + timedelta(seconds=2)
    clock.advance(minutes=10)
    await _update(uow, hasher, clock, customer, company="C")
    assert customer.updated_at == START + timedelta(minutes=10)
    assert customer.created_at == START


@pytest.mark.parametrize(
    ("previous", "now", "expected"),
    [
        ("12:00:00", "12:00:05.700", "12:00:05"),
        ("12:00:00", "12:00:00.999", "12:00:01"),
        ("12:00:00.400", "12:00:00.100", "12:00:01"),
        ("12:00:05", "12:00:01", "12:00:06"),  # a clock that went back
    ],
)
def test_next_updated_at(previous: str, now: str, expected: str) -> None:
    def at(text: str) -> datetime:
        return datetime.fromisoformat(f"2024-05-01T{text}+00:00")

    result = next_updated_at(at(previous), at(now))
    assert result == at(expected)
    assert result.microsecond == 0
    assert result.tzinfo == UTC


async def test_update_of_an_unknown_customer_is_not_found(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    with pytest.raises(NotFound) as caught:
        await customers.update_customer(
            uow,
            hasher,
            clock,
            store_id=1,
            customer_uuid=uuid.uuid4(),
            changes={"company": "X"},
            policy=PasswordPolicy(),
        )
    assert caught.value.code == ErrorCode.customer_not_found
    assert caught.value.message == "Customer not found"


async def test_update_in_another_store_is_not_found(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    with pytest.raises(NotFound):
        await customers.update_customer(
            uow,
            hasher,
            clock,
            store_id=2,
            customer_uuid=customer.uuid,
            changes={"company": "X"},
            policy=PasswordPolicy(),
        )
    assert customer.company is None


# --- delete and metafields ------------------------------------------------------------------


async def test_delete_removes_the_customer_with_addresses_and_sessions(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(email="ada@example.com")
    keep = await register(email="charles@example.com", full_name="Charles Babbage")
    await _login(uow, hasher, clock, "ada@example.com")
    await _login(uow, hasher, clock, "charles@example.com")
    await uow.addresses.add(
        CustomerAddress(uuid=uuid.uuid4(), customer_id=customer.customer_id, country="GB")
    )
    deleted = await customers.delete_customer(uow, store_id=1, customer_uuid=customer.uuid)
    assert deleted is customer
    assert uow.customers.rows == [keep]
    assert uow.addresses.rows == []
    assert [s.customer_id for s in uow.customer_sessions.rows] == [keep.customer_id]
    with pytest.raises(NotFound):
        await customers.delete_customer(uow, store_id=1, customer_uuid=customer.uuid)


async def test_delete_frees_the_email(register: Register, uow: FakeUnitOfWork) -> None:
    customer = await register(email="ada@example.com")
    await customers.delete_customer(uow, store_id=1, customer_uuid=customer.uuid)
    again = await register(email="ada@example.com")
    assert again.customer_id != customer.customer_id


async def test_delete_of_an_unknown_customer_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):
        await customers.delete_customer(uow, store_id=1, customer_uuid=uuid.uuid4())
    assert uow.commits == 0


async def test_metafields_merge_and_null_removes(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    customer = await register()
    await customers.update_metafields(
        uow, clock, store_id=1, customer_uuid=customer.uuid, metafields={"a": 1, "b": "x"}
    )
    result = await customers.update_metafields(
        uow, clock, store_id=1, customer_uuid=customer.uuid, metafields={"a": None, "c": [1]}
    )
    assert result == {"b": "x", "c": [1]}
    assert customer.meta_data == result
    assert customer.updated_at == START + timedelta(seconds=2)
