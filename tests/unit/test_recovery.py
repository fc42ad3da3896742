"""Password reset and email verification in the core, against the fakes."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from patron.core import auth, recovery
from patron.core.auth import ClientInfo, SessionPolicy
from patron.core.customers import update_customer
from patron.core.errors import AuthenticationFailed, InvalidInput
from patron.core.passwords import PasswordPolicy
from tests.fakes import FakeUnitOfWork, FixedClock, SpyHasher
from tests.unit.conftest import PASSWORD, Register

pytestmark = pytest.mark.anyio
POLICY = recovery.RecoveryPolicy()
NEW = "Brand-New-Pass-42"


class RecordingMailer:
    """Keeps what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, str]]] = []

    async def send(self, kind: str, to: str, context: dict[str, str]) -> None:
        self.sent.append((kind, to, context))


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


async def _request(
    uow: FakeUnitOfWork, clock: FixedClock, mailer: RecordingMailer, email: str
) -> str:
    await recovery.request_password_reset(
        uow, clock, mailer, store_id=1, email=email, policy=POLICY
    )
    return mailer.sent[-1][2]["token"]


async def test_a_reset_token_is_random_single_use_and_stored_only_as_a_hash(
    register: Register,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    mailer: RecordingMailer,
    hasher: SpyHasher,
) -> None:
    ada = await register()
    token = await _request(uow, clock, mailer, " ADA@example.com ")
    assert mailer.sent[0][:2] == ("password_reset", "ada@example.com")
    assert len(token) == 64
    stored = uow.customer_tokens.rows
    assert [t.token_hash for t in stored] == [hashlib.sha256(token.encode()).hexdigest()]
    assert stored[0].expires_at == clock.now() + timedelta(hours=1)
    await recovery.reset_password(
        uow, hasher, clock, token=token, password=NEW, policy=PasswordPolicy()
    )
    assert ada.password_hash.startswith("$argon2id$")
    assert uow.customer_tokens.rows == []
    with pytest.raises(InvalidInput) as caught:
        await recovery.reset_password(
            uow, hasher, clock, token=token, password=NEW, policy=PasswordPolicy()
        )
    assert (caught.value.field, caught.value.message) == ("token", "Token is invalid or expired")


async def test_unknown_and_disabled_accounts_get_no_message_and_no_error(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock, mailer: RecordingMailer
) -> None:
    ada = await register()
    ada.status = 0
    await recovery.request_password_reset(
        uow, clock, mailer, store_id=1, email="ada@example.com", policy=POLICY
    )
    await recovery.request_password_reset(
        uow, clock, mailer, store_id=1, email="ghost@example.com", policy=POLICY
    )
    assert mailer.sent == []
    assert uow.customer_tokens.rows == []


async def test_a_newer_token_voids_the_older_one(
    register: Register,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    mailer: RecordingMailer,
    hasher: SpyHasher,
) -> None:
    await register()
    first = await _request(uow, clock, mailer, "ada@example.com")
    second = await _request(uow, clock, mailer, "ada@example.com")
    with pytest.raises(InvalidInput):
        await recovery.reset_password(
            uow, hasher, clock, token=first, password=NEW, policy=PasswordPolicy()
        )
    await recovery.reset_password(
        uow, hasher, clock, token=second, password=NEW, policy=PasswordPolicy()
    )


async def test_tokens_expire_after_an_hour(
    register: Register,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    mailer: RecordingMailer,
    hasher: SpyHasher,
) -> None:
    await register()
    token = await _request(uow, clock, mailer, "ada@example.com")
    clock.advance(timedelta(hours=1))
    with pytest.raises(InvalidInput):
        await recovery.reset_password(
            uow, hasher, clock, token=token, password=NEW, policy=PasswordPolicy()
        )


async def test_a_password_change_voids_outstanding_reset_tokens(
    register: Register,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    mailer: RecordingMailer,
    hasher: SpyHasher,
) -> None:
    ada = await register()
    token = await _request(uow, clock, mailer, "ada@example.com")
    await update_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        customer_uuid=ada.uuid,
        changes={"password": NEW},
        policy=PasswordPolicy(),
    )
    with pytest.raises(InvalidInput):
        await recovery.reset_password(
            uow, hasher, clock, token=token, password="Another-Pass-77", policy=PasswordPolicy()
        )


async def test_a_completed_reset_ends_every_session_and_the_old_password(
    register: Register,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    mailer: RecordingMailer,
    hasher: SpyHasher,
    session_policy: SessionPolicy,
) -> None:
    await register()
    login = await auth.login_customer(
        uow,
        hasher,
        clock,
        store_id=1,
        email="ada@example.com",
        password=PASSWORD,
        client=ClientInfo(face="test"),
        policy=session_policy,
    )
    token = await _request(uow, clock, mailer, "ada@example.com")
    await recovery.reset_password(
        uow, hasher, clock, token=token, password=NEW, policy=PasswordPolicy()
    )
    assert await auth.resolve_customer(uow, clock, token=login.token, policy=session_policy) is None
    with pytest.raises(AuthenticationFailed):
        await auth.login_customer(
            uow,
            hasher,
            clock,
            store_id=1,
            email="ada@example.com",
            password=PASSWORD,
            client=ClientInfo(face="test"),
            policy=session_policy,
        )


async def test_the_new_password_must_meet_the_policy(
    register: Register,
    uow: FakeUnitOfWork,
    clock: FixedClock,
    mailer: RecordingMailer,
    hasher: SpyHasher,
) -> None:
    await register()
    token = await _request(uow, clock, mailer, "ada@example.com")
    with pytest.raises(InvalidInput) as caught:
        await recovery.reset_password(
            uow, hasher, clock, token=token, password="short", policy=PasswordPolicy()
        )
    assert caught.value.field == "password"
    assert len(uow.customer_tokens.rows) == 1  # a refused password does not spend the token


async def test_verification_marks_the_email_verified_once(
    register: Register, uow: FakeUnitOfWork, clock: FixedClock, mailer: RecordingMailer
) -> None:
    ada = await register()
    await recovery.request_verification(
        uow, clock, mailer, store_id=1, email="ada@example.com", policy=POLICY
    )
    kind, to, context = mailer.sent[0]
    assert (kind, to) == ("email_verification", "ada@example.com")
    await recovery.verify_email(uow, clock, token=context["token"])
    assert ada.date_verified == clock.now().date()
    with pytest.raises(InvalidInput):
        await recovery.verify_email(uow, clock, token=context["token"])
    await recovery.request_verification(
        uow, clock, mailer, store_id=1, email="ada@example.com", policy=POLICY
    )
    assert len(mailer.sent) == 1  # already verified: nothing more is sent
