from __future__ import annotations

import hashlib
import re
import uuid
from datetime import timedelta

import bcrypt
import pytest

from patron.core import auth
from patron.core.admins import create_admin
from patron.core.auth import ClientInfo, CustomerLogin, SessionPolicy
from patron.core.entities import Customer, CustomerSession
from patron.core.errors import AuthenticationFailed, ErrorCode
from patron.core.passwords import PasswordPolicy
from tests.fakes import START, FakeUnitOfWork, FixedClock, SpyHasher
from tests.unit.conftest import PASSWORD, Register

pytestmark = pytest.mark.anyio

POLICY = SessionPolicy()
CLIENT = ClientInfo(face="evershop", ip="203.0.113.7", user_agent="pytest")


async def _login(
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    *,
    email: str = "ada@example.com",
    password: str = PASSWORD,
    client: ClientInfo = CLIENT,
) -> CustomerLogin:
    return await auth.login_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        email=email,
        password=password,
        client=client,
        policy=POLICY,
    )


async def _resolve(
    uow: FakeUnitOfWork, clock: FixedClock, token: str
) -> tuple[CustomerSession, Customer] | None:
    return await auth.resolve_customer(uow, clock, token=token, policy=POLICY)


# --- login ----------------------------------------------------------------------------------


async def test_login_opens_a_session_that_stores_only_the_token_hash(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    commits = uow.commits
    login = await _login(uow, hasher, clock)
    assert re.fullmatch(r"[0-9a-f]{64}", login.token)
    assert login.customer is customer
    assert uow.customer_sessions.rows == [login.session]
    session = login.session
    assert session.token_hash == hashlib.sha256(login.token.encode()).hexdigest()
    stored = [str(value) for value in vars(session).values()]
    assert not any(login.token in value for value in stored)
    assert session.customer_id == customer.customer_id
    assert session.store_id == 1
    assert (session.face, session.ip, session.user_agent) == ("evershop", "203.0.113.7", "pytest")
    assert session.created_at == session.last_seen_at == START
    assert session.expires_at == START + timedelta(days=30)
    assert session.revoked_at is None
    assert isinstance(session.uuid, uuid.UUID)
    assert uow.commits == commits + 1


async def test_each_login_opens_a_new_session(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    first = await _login(uow, hasher, clock)
    second = await _login(uow, hasher, clock)
    assert first.token != second.token
    assert first.session.uuid != second.session.uuid
    assert len(uow.customer_sessions.rows) == 2


async def test_login_finds_the_account_by_email_key(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register(email="Ada@Example.com")
    login = await _login(uow, hasher, clock, email="  ADA@example.COM ")
    assert login.customer is customer


async def test_a_long_user_agent_is_cut_and_an_empty_one_is_none(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    long = await _login(uow, hasher, clock, client=ClientInfo(face="x", user_agent="u" * 600))
    assert long.session.user_agent == "u" * 512
    empty = await _login(uow, hasher, clock, client=ClientInfo(face="x", user_agent=""))
    assert empty.session.user_agent is None


@pytest.mark.parametrize(
    "case",
    [
        ("nobody@example.com", PASSWORD, 1),  # unknown email
        ("ada@example.com", PASSWORD + "x", 1),  # wrong password
        ("ada@example.com", PASSWORD, 0),  # disabled account, right password
    ],
    ids=["unknown-email", "wrong-password", "disabled"],
)
async def test_login_failures_look_the_same(
    register: Register,
    uow: FakeUnitOfWork,
    hasher: SpyHasher,
    clock: FixedClock,
    case: tuple[str, str, int],
) -> None:
    email, password, status = case
    await register(status=status)
    commits = uow.commits
    hasher.verified.clear()
    with pytest.raises(AuthenticationFailed) as caught:
        await _login(uow, hasher, clock, email=email, password=password)
    assert caught.value.message == "Invalid email or password"
    assert caught.value.code == ErrorCode.invalid_credentials
    assert caught.value.field is None
    assert len(hasher.verified) == 1  # one password check on every path
    assert uow.customer_sessions.rows == []
    assert uow.commits == commits


async def test_unknown_email_verifies_against_the_dummy_hash(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    with pytest.raises(AuthenticationFailed):
        await _login(uow, hasher, clock, email="nobody@example.com")
    assert hasher.verified == [None]


async def test_a_legacy_bcrypt_hash_is_replaced_at_login(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    legacy = bcrypt.hashpw(b"old-evershop-pw", bcrypt.gensalt(rounds=4)).decode()
    customer.password_hash = legacy
    await _login(uow, hasher, clock, password="old-evershop-pw")
    assert customer.password_hash.startswith("$argon2id$")
    assert (await hasher.verify(customer.password_hash, "old-evershop-pw")).ok
    commits = uow.commits
    await _login(uow, hasher, clock, password="old-evershop-pw")  # works again, on argon2id
    assert uow.commits == commits + 1


async def test_a_failed_login_keeps_the_legacy_hash(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    legacy = bcrypt.hashpw(b"old-evershop-pw", bcrypt.gensalt(rounds=4)).decode()
    customer.password_hash = legacy
    with pytest.raises(AuthenticationFailed):
        await _login(uow, hasher, clock, password="not-the-old-pw")
    assert customer.password_hash == legacy


# --- resolve --------------------------------------------------------------------------------


async def test_resolve_finds_the_session_and_customer_by_token_or_uuid(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    login = await _login(uow, hasher, clock)
    for found in (
        await _resolve(uow, clock, login.token),
        await auth.resolve_customer(uow, clock, session_uuid=login.session.uuid, policy=POLICY),
    ):
        assert found is not None
        session, owner = found
        assert session.session_id == login.session.session_id
        assert session.token_hash == login.session.token_hash
        assert owner.customer_id == customer.customer_id
        assert owner.email == customer.email


async def test_resolve_with_nothing_or_an_unknown_token_is_none(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    login = await _login(uow, hasher, clock)
    assert await auth.resolve_customer(uow, clock, policy=POLICY) is None
    assert await _resolve(uow, clock, "0" * 64) is None
    assert await _resolve(uow, clock, login.session.token_hash) is None  # the hash is no token
    assert await auth.resolve_customer(uow, clock, session_uuid=uuid.uuid4(), policy=POLICY) is None


async def test_a_session_idle_for_24_hours_is_dead(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    used = await _login(uow, hasher, clock)
    unused = await _login(uow, hasher, clock)
    clock.set(START + timedelta(hours=24) - timedelta(seconds=1))
    assert await _resolve(uow, clock, used.token) is not None
    clock.set(START + timedelta(hours=24))
    assert await _resolve(uow, clock, unused.token) is None
    assert await _resolve(uow, clock, used.token) is not None  # used a second ago
    clock.set(used.session.last_seen_at + timedelta(hours=24))
    assert await _resolve(uow, clock, used.token) is None


async def test_idle_expiry_is_counted_from_the_last_use(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    login = await _login(uow, hasher, clock)
    clock.advance(hours=20)
    assert await _resolve(uow, clock, login.token) is not None
    clock.advance(hours=20)  # 40 h after login, 20 h after last use
    assert await _resolve(uow, clock, login.token) is not None


async def test_a_session_dies_30_days_after_login_however_busy(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    login = await _login(uow, hasher, clock)
    end = START + timedelta(days=30)
    while clock.advance(hours=20) < end:
        assert await _resolve(uow, clock, login.token) is not None
    clock.set(end - timedelta(seconds=1))
    assert await _resolve(uow, clock, login.token) is not None
    clock.set(end)
    assert await _resolve(uow, clock, login.token) is None


async def test_a_revoked_session_is_dead(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    login = await _login(uow, hasher, clock)
    login.session.revoked_at = clock.now()
    assert await _resolve(uow, clock, login.token) is None


async def test_a_disabled_or_deleted_customer_has_no_live_session(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    customer = await register()
    login = await _login(uow, hasher, clock)
    customer.status = 0
    assert await _resolve(uow, clock, login.token) is None
    customer.status = 1
    assert await _resolve(uow, clock, login.token) is not None
    uow.customers.rows.clear()  # gone without the cascade: still no customer
    assert await _resolve(uow, clock, login.token) is None


async def test_last_seen_is_written_at_most_once_a_minute(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    login = await _login(uow, hasher, clock)
    session = login.session
    commits = uow.commits

    clock.advance(seconds=59)
    assert await _resolve(uow, clock, login.token) is not None
    assert session.last_seen_at == START
    assert uow.commits == commits

    clock.advance(seconds=1)
    assert await _resolve(uow, clock, login.token) is not None
    assert session.last_seen_at == START + timedelta(seconds=60)
    assert uow.commits == commits + 1

    clock.advance(seconds=30)
    assert await _resolve(uow, clock, login.token) is not None
    assert session.last_seen_at == START + timedelta(seconds=60)
    assert uow.commits == commits + 1


# --- logout and ending sessions -----------------------------------------------------------


async def test_logout_ends_only_that_session(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    first = await _login(uow, hasher, clock)
    second = await _login(uow, hasher, clock)
    clock.advance(seconds=5)
    await auth.logout_customer(uow, clock, token=first.token)
    assert first.session.revoked_at == clock.now()
    assert await _resolve(uow, clock, first.token) is None
    assert await _resolve(uow, clock, second.token) is not None


async def test_logout_twice_keeps_the_first_end_time(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await register()
    login = await _login(uow, hasher, clock)
    await auth.logout_customer(uow, clock, token=login.token)
    commits = uow.commits
    clock.advance(hours=1)
    await auth.logout_customer(uow, clock, token=login.token)
    assert login.session.revoked_at == START
    assert uow.commits == commits


async def test_logout_with_an_unknown_token_is_quiet(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await auth.logout_customer(uow, clock, token="f" * 64)
    assert uow.commits == 0


class _Two:
    """Two customers with two sessions each."""

    def __init__(self, ada: Customer, bob: Customer, logins: dict[str, CustomerLogin]) -> None:
        self.ada, self.bob, self.logins = ada, bob, logins

    def revoked(self) -> set[str]:
        return {name for name, login in self.logins.items() if login.session.revoked_at}


@pytest.fixture
async def two(
    register: Register, uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> _Two:
    ada = await register(email="ada@example.com")
    bob = await register(email="bob@example.com", full_name="Bob Babbage")
    logins = {
        "ada1": await _login(uow, hasher, clock, email="ada@example.com"),
        "ada2": await _login(uow, hasher, clock, email="ada@example.com"),
        "bob1": await _login(uow, hasher, clock, email="bob@example.com"),
        "bob2": await _login(uow, hasher, clock, email="bob@example.com"),
    }
    return _Two(ada, bob, logins)


async def test_an_owner_ends_only_its_own_sessions(
    two: _Two, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    logins = two.logins
    ids = [
        logins["ada1"].token,
        logins["bob1"].token,
        str(logins["bob2"].session.uuid),
        str(logins["ada2"].session.uuid),
    ]
    await auth.end_customer_sessions(uow, clock, ids=ids, owner_id=two.ada.customer_id)
    assert two.revoked() == {"ada1", "ada2"}


async def test_without_an_owner_any_session_may_be_ended(
    two: _Two, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    logins = two.logins
    ids = [logins["ada1"].token, logins["bob2"].session.uuid.hex]  # 32-hex form too
    await auth.end_customer_sessions(uow, clock, ids=ids, owner_id=None)
    assert two.revoked() == {"ada1", "bob2"}


async def test_a_customer_uuid_ends_all_of_that_customers_sessions(
    two: _Two, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    await auth.end_customer_sessions(uow, clock, ids=[str(two.bob.uuid)], owner_id=None)
    assert two.revoked() == {"bob1", "bob2"}


async def test_an_owner_may_end_all_its_sessions_by_its_uuid_but_not_anothers(
    two: _Two, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ids = [str(two.ada.uuid), str(two.bob.uuid)]
    await auth.end_customer_sessions(uow, clock, ids=ids, owner_id=two.ada.customer_id)
    assert two.revoked() == {"ada1", "ada2"}


async def test_names_that_match_nothing_are_ignored(
    two: _Two, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    ids = [
        "garbage",
        "",
        str(uuid.uuid4()),
        f"{two.ada.uuid}\n",  # once crashed parse_uuid with a ValueError
        two.logins["ada1"].session.token_hash,
    ]
    await auth.end_customer_sessions(uow, clock, ids=ids, owner_id=None)
    assert two.revoked() == set()


async def test_ended_sessions_no_longer_resolve(
    two: _Two, uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    login = two.logins["ada1"]
    await auth.end_customer_sessions(uow, clock, ids=[login.token], owner_id=None)
    assert await _resolve(uow, clock, login.token) is None
    assert await _resolve(uow, clock, two.logins["ada2"].token) is not None


# --- admins ---------------------------------------------------------------------------------


async def test_admin_login_resolve_and_logout(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    admin = await create_admin(
        uow,
        hasher,
        clock,
        email="Root@Example.com",
        password="Admin-Pass-2024",
        policy=PasswordPolicy(),
    )
    login = await auth.login_admin(
        uow,
        hasher,
        clock,
        email="root@example.com",
        password="Admin-Pass-2024",
        client=CLIENT,
        policy=POLICY,
    )
    assert login.session.token_hash == hashlib.sha256(login.token.encode()).hexdigest()
    found = await auth.resolve_admin(uow, clock, token=login.token, policy=POLICY)
    assert found is not None
    assert found[0].session_id == login.session.session_id
    assert found[1].admin_user_id == admin.admin_user_id
    clock.advance(hours=24)
    assert await auth.resolve_admin(uow, clock, token=login.token, policy=POLICY) is None
    clock.set(START)
    await auth.logout_admin(uow, clock, session_id=login.session.session_id)
    assert await auth.resolve_admin(uow, clock, token=login.token, policy=POLICY) is None


@pytest.mark.parametrize(
    "case",
    [
        ("nobody@example.com", "Admin-Pass-2024", 1),
        ("root@example.com", "Admin-Pass-2025", 1),
        ("root@example.com", "Admin-Pass-2024", 0),
    ],
    ids=["unknown-email", "wrong-password", "disabled"],
)
async def test_admin_login_failures_look_the_same(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock, case: tuple[str, str, int]
) -> None:
    email, password, status = case
    admin = await create_admin(
        uow,
        hasher,
        clock,
        email="root@example.com",
        password="Admin-Pass-2024",
        policy=PasswordPolicy(),
    )
    admin.status = status
    hasher.verified.clear()
    with pytest.raises(AuthenticationFailed, match=r"^Invalid email or password$"):
        await auth.login_admin(
            uow, hasher, clock, email=email, password=password, client=CLIENT, policy=POLICY
        )
    assert len(hasher.verified) == 1
    assert uow.admin_sessions.rows == []
