"""Admin users: created from the command line, listed for operators."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from patron.core import audit, normalise
from patron.core.audit import Actor
from patron.core.entities import AdminUser
from patron.core.errors import ErrorCode, InvalidInput, NotFound, PermissionDenied
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
    actor: Actor | None = None,
) -> AdminUser:
    """Create an enabled admin user; with an ``actor``, audited in the same transaction.

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
        if actor is not None:
            await audit.record(
                uow,
                clock,
                actor=actor,
                action="admin_created",
                customer_id=None,
                changes={"admin": [None, admin.email], "role": [None, admin.role]},
            )
        await uow.commit()
    return admin


async def list_admins(uow: UnitOfWork) -> Sequence[AdminUser]:
    """All admin users, oldest first."""
    async with uow:
        return await uow.admins.list_all()


async def change_admin(
    uow: UnitOfWork,
    clock: Clock,
    *,
    admin_uuid: uuid.UUID,
    role: str | None = None,
    status: int | None = None,
    actor: Actor,
) -> AdminUser:
    """Change an admin user's role or status (disabled admins' sessions stop at once).

    Raises ``NotFound``, ``InvalidInput`` for an unknown role or status, and
    ``PermissionDenied`` when the change would leave no active administrator.
    """
    if role is not None and role not in set(Role):
        raise InvalidInput.one("role", f"Role must be one of: {', '.join(Role)}")
    if status is not None and status not in (0, 1):
        raise InvalidInput.one("status", "Status must be 0 or 1")
    async with uow:
        found = [a for a in await uow.admins.list_all() if a.uuid == admin_uuid]
        if not found:
            raise NotFound("Admin user not found", code=ErrorCode.admin_not_found)
        admin = found[0]
        before: dict[str, str | int] = {"role": admin.role, "status": admin.status}
        new_role = role or admin.role
        new_status = admin.status if status is None else status
        after: dict[str, str | int] = {"role": new_role, "status": new_status}
        others = [
            a
            for a in await uow.admins.list_all()
            if a.admin_user_id != admin.admin_user_id
            and a.role == Role.administrator
            and a.status == 1
        ]
        stays_admin = new_role == Role.administrator and new_status == 1
        if not others and not stays_admin:
            raise PermissionDenied(
                "The last active administrator cannot be disabled or given another role"
            )
        admin.role, admin.status = new_role, new_status
        admin.updated_at = clock.now().replace(microsecond=0)
        await audit.record(
            uow,
            clock,
            actor=actor,
            action="admin_changed",
            customer_id=None,
            changes={
                **{k: [before[k], after[k]] for k in before if before[k] != after[k]},
                "admin": [admin.email, admin.email],
            },
        )
        await uow.commit()
    return admin
