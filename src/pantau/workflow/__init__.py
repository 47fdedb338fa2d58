"""People and coordination: users, roles, the one permission check, and (later) the workflow."""

from pantau.workflow.permissions import (
    ACTIONS,
    PermissionDenied,
    Principal,
    allowed,
    authorize,
)
from pantau.workflow.users import UserError, authenticate, create_user

__all__ = [
    "ACTIONS",
    "PermissionDenied",
    "Principal",
    "UserError",
    "allowed",
    "authenticate",
    "authorize",
    "create_user",
]
