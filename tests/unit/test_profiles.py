"""The customer-level profile (Aimeos' own address), login names, registration quota and the
current-password rule, against the in-memory fakes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from patron.core import customers
from patron.core.auth import ClientInfo, SessionPolicy, login_customer
from patron.core.customers import RegistrationQuota
from patron.core.entities import Customer
from patron.core.errors import Conflict, ErrorCode, InvalidInput, PermissionDenied
from patron.core.passwords import PasswordPolicy
from tests.fakes import FakeUnitOfWork, FixedClock, SpyHasher
from tests.unit.conftest import PASSWORD, Register

pytestmark = pytest.mark.anyio

PROFILE = {
    "address_1": "12 St James's Square",
    "address_2": "",
    "address_3": None,
    "postcode": "SW1Y 4JH",
    "city": "London",
    "province": "Westminster",
    "country": "gb",
    "birthday": date(1815, 12, 10),
    "longitude": -0.135,
    "latitude": 51.507,
    "language": "en_GB",
}


async def _update(
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    customer: Customer,
    changes: dict[str, Any],
    **kw: Any,
) -> Customer:
    return await customers.update_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        customer_uuid=customer.uuid,
        changes=changes,
        policy=PasswordPolicy(),
        **kw,
    )


async def test_registration_stores_the_customers_own_address(register: Register) -> None:
    customer = await register(profile=PROFILE)
    assert (customer.address_1, customer.address_2, customer.address_3) == (
        "12 St James's Square",
        "",
        None,
    )
    assert (customer.postcode, customer.city, customer.province) == (
        "SW1Y 4JH",
        "London",
        "Westminster",
    )
    assert customer.country == "GB"
    assert customer.birthday == date(1815, 12, 10)
    assert (customer.longitude, customer.latitude) == (-0.135, 51.507)
    assert customer.language == "en_GB"


async def test_update_changes_only_the_profile_fields_given(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(profile=PROFILE)
    changed = await _update(uow, hasher, clock, customer, {"city": "Bath", "country": None})
    assert (changed.city, changed.country, changed.postcode) == ("Bath", None, "SW1Y 4JH")


@pytest.mark.parametrize(
    ("profile", "field", "message"),
    [
        ({"country": "GBR"}, "country", "Country must be a two-letter ISO 3166-1 code"),
        ({"country": "1A"}, "country", "Country must be a two-letter ISO 3166-1 code"),
        ({"birthday": "1815-12-10"}, "birthday", "Birthday must be a date"),
        ({"longitude": 181}, "longitude", "Longitude must be between -180 and 180"),
        ({"latitude": -90.5}, "latitude", "Latitude must be between -90 and 90"),
        ({"latitude": float("nan")}, "latitude", "Latitude must be between -90 and 90"),
        ({"longitude": "1.5"}, "longitude", "Longitude must be a number"),
        ({"longitude": True}, "longitude", "Longitude must be a number"),
        ({"city": 5}, "city", "City must be a string"),
        ({"postcode": "x" * 65}, "postcode", "Postcode must be at most 64 characters"),
        ({"province": "a\x00b"}, "province", "Province must not contain NUL characters"),
        ({"login_name": "ada lovelace"}, "login_name", "Login name must not contain spaces"),
        ({"login_name": ""}, "login_name", "Login name is required and cannot be empty"),
    ],
)
async def test_bad_profile_values_name_the_field(
    register: Register, profile: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await register(profile=profile)
    assert (caught.value.field, caught.value.message) == (field, message)


# --- login names ------------------------------------------------------------------------------


async def test_a_login_name_is_stored_and_keyed(register: Register) -> None:
    customer = await register(profile={"login_name": "Ada.K"})
    assert (customer.login_name, customer.login_key) == ("Ada.K", "ada.k")


async def test_a_login_name_equal_to_the_email_follows_the_email(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(email="ada@example.com", profile={"login_name": "ADA@example.com"})
    assert customer.login_name is None
    changed = await _update(uow, hasher, clock, customer, {"email": "king@example.com"})
    assert changed.login_key == "king@example.com"


async def test_a_taken_login_name_is_a_conflict_on_the_login_name(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register(email="ada@example.com", profile={"login_name": "countess"})
    bob = await register(email="bob@example.com")
    with pytest.raises(Conflict) as caught:
        await _update(uow, hasher, clock, bob, {"login_name": "Countess"})
    assert (caught.value.code, caught.value.field, caught.value.message) == (
        ErrorCode.login_name_taken,
        "login_name",
        "Login name is already used",
    )
    with pytest.raises(Conflict) as caught:
        await register(email="cy@example.com", profile={"login_name": "COUNTESS"})
    assert caught.value.code == ErrorCode.login_name_taken


async def test_a_taken_email_stays_an_email_conflict_when_a_login_name_is_given(
    register: Register,
) -> None:
    await register(email="ada@example.com")
    with pytest.raises(Conflict) as caught:
        await register(email="ADA@example.com", profile={"login_name": "someone"})
    assert (caught.value.code, caught.value.field) == (ErrorCode.email_already_registered, "email")


async def test_a_login_name_equal_to_another_customers_email_is_taken(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register(email="ada@example.com")
    bob = await register(email="bob@example.com")
    with pytest.raises(Conflict) as caught:
        await _update(uow, hasher, clock, bob, {"login_name": "ada@example.com"})
    assert caught.value.code == ErrorCode.login_name_taken


# --- registration quota -----------------------------------------------------------------------


async def test_the_quota_counts_stored_accounts_per_ip_within_the_window(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock, hasher: SpyHasher
) -> None:
    quota = RegistrationQuota(limit=3, window=timedelta(hours=4))
    for n in range(3):
        await register(email=f"u{n}@example.com", created_ip="198.51.100.1", quota=quota)
    hashed = len(hasher.hashed)
    with pytest.raises(PermissionDenied) as caught:
        await register(email="u3@example.com", created_ip="198.51.100.1", quota=quota)
    assert (caught.value.code, caught.value.message) == (
        ErrorCode.registration_quota_reached,
        "Temporary limit reached",
    )
    assert len(hasher.hashed) == hashed  # refused before any hashing
    assert len(uow.customers.rows) == 3
    # Another address is not affected; the window slides.
    await register(email="v0@example.com", created_ip="198.51.100.2", quota=quota)
    clock.advance(hours=4, seconds=1)
    await register(email="u3@example.com", created_ip="198.51.100.1", quota=quota)


async def test_a_quota_of_zero_or_an_unknown_ip_is_not_limited(register: Register) -> None:
    for n in range(5):
        await register(
            email=f"u{n}@example.com", created_ip="198.51.100.1", quota=RegistrationQuota(0)
        )
        await register(email=f"w{n}@example.com", created_ip=None, quota=RegistrationQuota(1))


# --- current password -------------------------------------------------------------------------


async def _sessions(uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock) -> str:
    login = await login_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        email="ada@example.com",
        password=PASSWORD,
        client=ClientInfo(face="jsonapi"),
        policy=SessionPolicy(),
    )
    return login.token


@pytest.mark.parametrize(
    ("current", "message"),
    [
        (None, "The current password is required to change the password"),
        ("", "The current password is required to change the password"),
        ("wrong-password", "The current password is not correct"),
    ],
)
async def test_a_new_password_needs_the_current_one_when_required(
    register: Register,
    *,
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    current: str | None,
    message: str,
) -> None:
    customer = await register()
    before = customer.password_hash
    with pytest.raises(InvalidInput) as caught:
        await _update(
            uow,
            hasher,
            clock,
            customer,
            {"password": "New-password-1"},
            current_password=current,
            require_current_password=True,
        )
    assert (caught.value.field, caught.value.message) == ("current_password", message)
    assert customer.password_hash == before


async def test_the_right_current_password_changes_it_and_ends_sessions(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    await _sessions(uow, hasher, clock)
    changed = await _update(
        uow,
        hasher,
        clock,
        customer,
        {"password": "New-password-1"},
        current_password=PASSWORD,
        require_current_password=True,
    )
    assert (await hasher.verify(changed.password_hash, "New-password-1")).ok
    assert all(s.revoked_at is not None for s in uow.customer_sessions.rows)


async def test_the_current_password_is_not_asked_for_other_changes(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    changed = await _update(
        uow, hasher, clock, customer, {"city": "Bath"}, require_current_password=True
    )
    assert changed.city == "Bath"
    assert hasher.verified == []
