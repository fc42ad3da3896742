"""Login names (AbanteCart ``loginname``), login by them, and idle-expired sessions."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from patron.core import addresses, auth, customers
from patron.core.auth import ClientInfo, SessionPolicy
from patron.core.customers import NewCustomer
from patron.core.errors import AuthenticationFailed, Conflict, InvalidInput
from patron.core.passwords import PasswordPolicy
from tests.fakes import FakeUnitOfWork, FixedClock, SpyHasher
from tests.unit.conftest import PASSWORD, Register

pytestmark = pytest.mark.anyio

POLICY = SessionPolicy()
CLIENT = ClientInfo(face="abantecart")


async def _login_by_name(
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    name: str,
    *,
    password: str = PASSWORD,
    policy: SessionPolicy = POLICY,
) -> auth.CustomerLogin:
    return await auth.login_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        login_name=name,
        password=password,
        client=CLIENT,
        policy=policy,
    )


async def test_a_login_name_is_stored_and_keys_the_account(register: Register) -> None:
    customer = await register(login_name="Ada_Lovelace")
    assert customer.login_name == "Ada_Lovelace"
    assert customer.login_key == "ada_lovelace"
    assert customer.email_key == "ada@example.com"


async def test_without_a_login_name_the_email_is_the_login_key(register: Register) -> None:
    customer = await register(email="Ada@Example.com")
    assert customer.login_name is None
    assert customer.login_key == "ada@example.com"


async def test_login_by_name_ignores_case_and_nfkc_forms(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(login_name="ada_l")
    login = await _login_by_name(uow, hasher, clock, "ＡＤＡ_L")  # full-width letters
    assert login.customer is customer
    assert login.session.face == "abantecart"


async def test_login_by_name_of_an_account_without_one_uses_the_email(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    login = await _login_by_name(uow, hasher, clock, "ADA@example.com")
    assert login.customer is customer


async def test_with_a_login_name_the_email_is_no_login_name(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register(login_name="ada_l")
    with pytest.raises(AuthenticationFailed):
        await _login_by_name(uow, hasher, clock, "ada@example.com")


@pytest.mark.parametrize(
    "case",
    [("nobody", PASSWORD, 1), ("ada_l", PASSWORD + "x", 1), ("ada_l", PASSWORD, 0), ("", "", 1)],
    ids=["unknown", "wrong-password", "disabled", "empty"],
)
async def test_login_by_name_fails_alike_with_one_verification(
    register: Register,
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    case: tuple[str, str, int],
) -> None:
    name, password, status = case
    await register(login_name="ada_l", status=status)
    hasher.verified.clear()
    with pytest.raises(AuthenticationFailed) as caught:
        await _login_by_name(uow, hasher, clock, name, password=password)
    assert caught.value.message == "Invalid email or password"
    assert len(hasher.verified) == 1
    if name in ("nobody", ""):
        assert hasher.verified == [None]  # the dummy hash: no account, same work


async def test_login_needs_an_email_or_a_login_name(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    with pytest.raises(TypeError):
        await auth.login_customer(
            uow, hasher, clock, store_id=1, password="x", client=CLIENT, policy=POLICY
        )


async def test_a_login_name_equal_to_another_email_conflicts(register: Register) -> None:
    await register(email="bob@example.com")
    with pytest.raises(Conflict):
        await register(login_name="BOB@example.com")


async def test_an_empty_login_name_is_refused(register: Register) -> None:
    with pytest.raises(InvalidInput) as caught:
        await register(login_name="  ")
    assert caught.value.field == "login_name"


async def test_update_changes_the_login_name_and_newsletter(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(login_name="ada_l")
    await customers.update_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        customer_uuid=customer.uuid,
        changes={"login_name": "Countess", "newsletter": True},
        policy=PasswordPolicy(),
    )
    assert (customer.login_name, customer.login_key, customer.newsletter) == (
        "Countess",
        "countess",
        True,
    )
    await customers.update_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        customer_uuid=customer.uuid,
        changes={"login_name": None},
        policy=PasswordPolicy(),
    )
    assert customer.login_key == "ada@example.com"


async def test_update_refuses_a_newsletter_that_is_not_a_boolean(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    with pytest.raises(InvalidInput, match="Newsletter must be a boolean"):
        await customers.update_customer(
            uow,
            hasher,
            clock,
            store_id=1,
            customer_uuid=customer.uuid,
            changes={"newsletter": "1"},
            policy=PasswordPolicy(),
        )


async def test_taken_identifiers(register: Register, uow: FakeUnitOfWork) -> None:
    ada = await register(login_name="ada_l")
    await register(email="bob@example.com")

    async def taken(**kw: object) -> set[str]:
        return await customers.taken_identifiers(uow, store_id=1, **kw)  # type: ignore[arg-type]

    assert await taken(email="ADA@example.com", login_name="ADA_L") == {"email", "login_name"}
    assert await taken(email="carol@example.com", login_name="carol") == set()
    assert await taken(login_name="bob@example.com") == {"login_name"}  # bob has no login name
    assert await taken(email="ada@example.com", exclude_customer_id=ada.customer_id) == set()
    assert await taken(email="a\x00b", login_name="\x00") == set()
    assert await customers.taken_identifiers(uow, store_id=2, email="ada@example.com") == set()


async def test_register_with_address_stores_both_at_once(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    data = NewCustomer(
        email="ada@example.com",
        password=PASSWORD,
        profile={"first_name": "Ada", "last_name": "Lovelace"},
        login_name="ada_l",
        newsletter=True,
    )
    address = {"first_name": "Ada", "last_name": "Lovelace", "country": "us", "province": None}
    customer, row = await addresses.register_with_address(
        uow, hasher, clock, data=data, address=address, policy=PasswordPolicy()
    )
    assert customer.full_name == "Ada Lovelace"
    assert customer.newsletter is True
    assert uow.addresses.rows == [row]
    assert (row.customer_id, row.is_default, row.country, row.full_name) == (
        customer.customer_id,
        True,
        "US",
        "Ada Lovelace",
    )
    assert uow.commits == 1


async def test_register_with_address_refuses_a_bad_address_before_storing(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    data = NewCustomer(email="ada@example.com", password=PASSWORD)
    with pytest.raises(InvalidInput) as caught:
        await addresses.register_with_address(
            uow, hasher, clock, data=data, address={"country": "USA"}, policy=PasswordPolicy()
        )
    assert caught.value.field == "country"
    assert uow.customers.rows == []
    assert hasher.hashed == []


# ---- idle-expired sessions ------------------------------------------------------------------


async def test_an_idle_session_is_ended_once_and_reported(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register(login_name="ada_l")
    login = await _login_by_name(uow, hasher, clock, "ada_l")
    policy = SessionPolicy(idle=timedelta(minutes=120))
    clock.advance(minutes=119)
    assert not await auth.end_idle_customer_session(uow, clock, token=login.token, policy=policy)
    clock.advance(minutes=2)
    assert await auth.resolve_customer(uow, clock, token=login.token, policy=policy) is None
    assert await auth.end_idle_customer_session(uow, clock, token=login.token, policy=policy)
    assert login.session.revoked_at == clock.now()
    assert not await auth.end_idle_customer_session(uow, clock, token=login.token, policy=policy)


async def test_revoked_unknown_and_worn_out_sessions_are_not_idle(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register(login_name="ada_l")
    policy = SessionPolicy(idle=timedelta(hours=1), absolute=timedelta(hours=2))
    revoked = await _login_by_name(uow, hasher, clock, "ada_l")
    await auth.logout_customer(uow, clock, token=revoked.token)
    worn = await _login_by_name(uow, hasher, clock, "ada_l", policy=policy)
    clock.advance(hours=3)
    for token in (revoked.token, worn.token, hashlib.sha256(b"x").hexdigest()):
        assert not await auth.end_idle_customer_session(uow, clock, token=token, policy=policy)
