"""People and coordination: users, roles, the one permission check, and the issue workflow."""

from pantau.workflow.bulk import BulkResult, bulk_apply
from pantau.workflow.cases import Case, similar_cases
from pantau.workflow.claims import Holder, claim, handover, holder_of, release
from pantau.workflow.discussion import add_comment, record_action, visible_comments
from pantau.workflow.following import mark_read, notify, subscribe, unread_count, unsubscribe
from pantau.workflow.handling import assign, escalate, handoff, set_status
from pantau.workflow.lessons import Lessons, add_lessons
from pantau.workflow.logins import authenticate
from pantau.workflow.panel import PanelState, panel_state
from pantau.workflow.permissions import (
    ACTIONS,
    PermissionDenied,
    Principal,
    allowed,
    authorize,
)
from pantau.workflow.statuses import (
    ACTION_KINDS,
    STATUSES,
    STEPS,
    TRANSITIONS,
    ClaimConflict,
    IssueNotFound,
    WorkflowError,
)
from pantau.workflow.users import UserError, create_user

__all__ = [
    "ACTIONS",
    "ACTION_KINDS",
    "STATUSES",
    "STEPS",
    "TRANSITIONS",
    "BulkResult",
    "Case",
    "ClaimConflict",
    "Holder",
    "IssueNotFound",
    "Lessons",
    "PanelState",
    "PermissionDenied",
    "Principal",
    "UserError",
    "WorkflowError",
    "add_comment",
    "add_lessons",
    "allowed",
    "assign",
    "authenticate",
    "authorize",
    "bulk_apply",
    "claim",
    "create_user",
    "escalate",
    "handoff",
    "handover",
    "holder_of",
    "mark_read",
    "notify",
    "panel_state",
    "record_action",
    "release",
    "set_status",
    "similar_cases",
    "subscribe",
    "unread_count",
    "unsubscribe",
    "visible_comments",
]
