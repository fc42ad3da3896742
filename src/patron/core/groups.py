"""Customer groups: list, create, rename, delete. Group 1 (``Default``) always exists."""

from __future__ import annotations

import uuid

from patron.core import audit
from patron.core.audit import Actor
from patron.core.entities import DEFAULT_GROUP_ID, CustomerGroup
from patron.core.errors import Conflict, ErrorCode, InvalidInput, NotFound
from patron.core.ports import Clock, UnitOfWork

MAX_NAME = 255


def _check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput.one("group_name", "Group name is required and cannot be empty")
    if len(cleaned) > MAX_NAME or "\x00" in cleaned:
        raise InvalidInput.one("group_name", f"Group name must be at most {MAX_NAME} characters")
    return cleaned


async def list_groups(uow: UnitOfWork, *, store_id: int) -> list[tuple[CustomerGroup, int]]:
    """Every group of the store with its number of customers, in id order."""
    async with uow:
        return list(await uow.groups.list_with_counts(store_id))


async def create_group(
    uow: UnitOfWork, clock: Clock, *, store_id: int, name: str, actor: Actor
) -> CustomerGroup:
    """Add a group; raises ``InvalidInput`` for an empty or too long name."""
    now = clock.now().replace(microsecond=0)
    group = CustomerGroup(
        uuid=uuid.uuid4(),
        store_id=store_id,
        group_name=_check_name(name),
        created_at=now,
        updated_at=now,
    )
    async with uow:
        await uow.groups.add(group)
        await audit.record(
            uow,
            clock,
            actor=actor,
            action="group_created",
            customer_id=None,
            store_id=store_id,
            changes={"group_name": [None, group.group_name]},
        )
        await uow.commit()
    return group


async def rename_group(
    uow: UnitOfWork, clock: Clock, *, store_id: int, group_id: int, name: str, actor: Actor
) -> CustomerGroup:
    """Rename a group; raises ``NotFound`` or ``InvalidInput``."""
    cleaned = _check_name(name)
    async with uow:
        group = await uow.groups.get(store_id, group_id)
        if group is None:
            raise NotFound("Group not found", code=ErrorCode.group_not_found)
        before = group.group_name
        group.group_name = cleaned
        group.updated_at = clock.now().replace(microsecond=0)
        await audit.record(
            uow,
            clock,
            actor=actor,
            action="group_renamed",
            customer_id=None,
            store_id=store_id,
            changes={"group_name": [before, cleaned]},
        )
        await uow.commit()
    return group


async def delete_group(
    uow: UnitOfWork, clock: Clock, *, store_id: int, group_id: int, actor: Actor
) -> None:
    """Delete an empty group. Raises ``NotFound``, and ``Conflict(group_in_use)`` for the
    default group or a group that still has customers."""
    async with uow:
        group = await uow.groups.get(store_id, group_id)
        if group is None:
            raise NotFound("Group not found", code=ErrorCode.group_not_found)
        if group_id == DEFAULT_GROUP_ID:
            raise Conflict("The default group cannot be deleted", code=ErrorCode.group_in_use)
        members = await uow.groups.members(group_id)
        if members:
            raise Conflict(
                f"The group still has {members} customer{'s' if members != 1 else ''}; "
                "move them to another group first",
                code=ErrorCode.group_in_use,
            )
        await uow.groups.delete(group)
        await audit.record(
            uow,
            clock,
            actor=actor,
            action="group_deleted",
            customer_id=None,
            store_id=store_id,
            changes={"group_name": [group.group_name, None]},
        )
        await uow.commit()
