"""Who may do what. Two admin roles: ``administrator`` (everything) and ``support``."""

from __future__ import annotations

from enum import StrEnum

from patron.core.entities import AdminUser
from patron.core.errors import PermissionDenied


class Role(StrEnum):
    """Admin roles."""

    administrator = "administrator"
    support = "support"


class Action(StrEnum):
    """Admin actions that a role may or may not allow."""

    view_customers = "view_customers"
    create_customer = "create_customer"
    edit_customer = "edit_customer"
    delete_customer = "delete_customer"
    manage_sessions = "manage_sessions"
    manage_groups = "manage_groups"
    manage_admins = "manage_admins"
    erase_customer = "erase_customer"
    export_customer = "export_customer"


_SUPPORT_ALLOWS = frozenset({Action.view_customers, Action.edit_customer, Action.manage_sessions})


def allows(admin: AdminUser, action: Action) -> bool:
    """True when ``admin``'s role permits ``action``."""
    if admin.role == Role.administrator:
        return True
    return admin.role == Role.support and action in _SUPPORT_ALLOWS


def ensure_allowed(admin: AdminUser, action: Action) -> None:
    """Raise ``PermissionDenied`` unless ``admin``'s role permits ``action``."""
    if not allows(admin, action):
        raise PermissionDenied("Insufficient permissions")
