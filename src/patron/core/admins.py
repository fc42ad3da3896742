"""Admin users: created from the command line, listed for operators."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from patron.core import normalise
from patron.core.entities import AdminUser
from patron.core.errors import InvalidInput
from patron.core.passwords import PasswordHasher, PasswordPolicy, check_password
from patron.core.policies import Role
from patron.core.ports import Clock, UnitOfWork


async def create_admin(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    email: str,
    password: str,
    role: str = Role.administrator,
    full_name: str | None = None,
    policy: PasswordPolicy,
) -> AdminUser:
    """Create an enabled admin user.

    Raises ``InvalidInput`` for a bad email, role or password and
    ``Conflict(admin_email_taken)`` when the email is already an admin's.
    """
    email = normalise.clean_email(email)
    if not normalise.is_email(email):
        raise InvalidInput.one(
            "email", "Email must be a valid email address (e.g., user@example.com)"
        )
    if role not in set(Role):
        raise InvalidInput.one("role", f"Role must be one of: {', '.join(Role)}")
    check_password(password, policy)
    now = clock.now().replace(microsecond=0)
    admin = AdminUser(
        uuid=uuid.uuid4(),
        email=email,
        email_key=normalise.email_key(email),
        full_name=full_name or email.split("@", 1)[0],
        password_hash=await hasher.hash(password),
        role=role,
        status=1,
        created_at=now,
        updated_at=now,
    )
    async with uow:
        await uow.admins.add(admin)
        await uow.commit()
    return admin


async def list_admins(uow: UnitOfWork) -> Sequence[AdminUser]:
    """All admin users, oldest first."""
    async with uow:
        return await uow.admins.list_all()
