from __future__ import annotations

import pytest

from patron.core.admins import create_admin, list_admins
from patron.core.errors import Conflict, ErrorCode, InvalidInput
from patron.core.passwords import PasswordPolicy
from tests.fakes import START, FakeUnitOfWork, FixedClock, SpyHasher

pytestmark = pytest.mark.anyio

PASSWORD = "Admin-Pass-2024"


async def _create(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock, email: str, **kw: str
) -> object:
    kw.setdefault("password", PASSWORD)
    return await create_admin(uow, hasher, clock, email=email, policy=PasswordPolicy(), **kw)


async def test_create_admin(uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock) -> None:
    admin = await create_admin(
        uow,
        hasher,
        clock,
        email=" Root@Example.com ",
        password=PASSWORD,
        role="support",
        policy=PasswordPolicy(),
    )
    assert (admin.email, admin.email_key) == ("Root@Example.com", "root@example.com")
    assert admin.full_name == "Root"
    assert (admin.role, admin.status) == ("support", 1)
    assert admin.created_at == START
    assert (await hasher.verify(admin.password_hash, PASSWORD)).ok
    assert uow.commits == 1


async def test_the_email_is_unique_whatever_its_case(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await _create(uow, hasher, clock, "root@example.com")
    with pytest.raises(Conflict) as caught:
        await _create(uow, hasher, clock, "ROOT@example.com")
    assert caught.value.code == ErrorCode.admin_email_taken
    assert len(uow.admins.rows) == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"email": "root"}, "email"),
        ({"email": "root@example.com", "role": "owner"}, "role"),
        ({"email": "root@example.com", "password": "short"}, "password"),
    ],
)
async def test_bad_input_is_refused(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock, kw: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await _create(uow, hasher, clock, **kw)
    assert caught.value.field == field
    assert uow.admins.rows == []


async def test_list_admins_oldest_first(
    uow: FakeUnitOfWork, hasher: SpyHasher, clock: FixedClock
) -> None:
    await _create(uow, hasher, clock, "b@example.com")
    await _create(uow, hasher, clock, "a@example.com")
    assert [a.email for a in await list_admins(uow)] == ["b@example.com", "a@example.com"]
