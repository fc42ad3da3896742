from __future__ import annotations

import pytest

from patron.core.entities import AdminUser
from patron.core.errors import ErrorCode, PermissionDenied
from patron.core.policies import Action, Role, allows, ensure_allowed


def _admin(role: str) -> AdminUser:
    return AdminUser(role=role, status=1)


@pytest.mark.parametrize("action", list(Action))
def test_an_administrator_may_do_everything(action: Action) -> None:
    assert allows(_admin(Role.administrator), action)
    ensure_allowed(_admin(Role.administrator), action)


@pytest.mark.parametrize(
    "action", [Action.view_customers, Action.edit_customer, Action.manage_sessions]
)
def test_support_may_view_edit_and_manage_sessions(action: Action) -> None:
    assert allows(_admin(Role.support), action)


@pytest.mark.parametrize("action", [Action.delete_customer, Action.create_customer])
def test_support_may_not_create_or_delete_customers(action: Action) -> None:
    assert not allows(_admin(Role.support), action)
    with pytest.raises(PermissionDenied) as caught:
        ensure_allowed(_admin(Role.support), action)
    assert caught.value.code == ErrorCode.permission_denied
    assert caught.value.message == "Insufficient permissions"


@pytest.mark.parametrize("role", ["", "root", "Administrator", "*"])
@pytest.mark.parametrize("action", list(Action))
def test_an_unknown_role_may_do_nothing(role: str, action: Action) -> None:
    assert not allows(_admin(role), action)
