"""Bulk actions: one operation on many issues, each checked and applied on its own.

An issue the principal may not change, or that refuses the change, is reported with its reason
and the others still go through (each in its own savepoint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from pantau.workflow.claims import claim, release
from pantau.workflow.following import subscribe
from pantau.workflow.handling import assign, set_status
from pantau.workflow.permissions import PermissionDenied, Principal
from pantau.workflow.statuses import IssueNotFound, WorkflowError

__all__ = ["BULK_OPS", "MAX_BULK", "BulkResult", "bulk_apply"]

logger = logging.getLogger(__name__)

#: Most issues in one bulk request: a morning triage of a busy province, not a table dump.
MAX_BULK = 200


def _status(s: Session, p: Principal, i: int, a: dict[str, Any]) -> None:
    set_status(
        s,
        p,
        i,
        str(a.get("status", "")),
        note=str(a.get("note", "")),
        lessons=str(a.get("lessons", "")),
    )


def _assign(s: Session, p: Principal, i: int, a: dict[str, Any]) -> None:
    agency = a.get("agency_id")
    user = a.get("user_id")
    assign(
        s,
        p,
        i,
        agency_id=int(agency) if agency is not None else None,
        user_id=int(user) if user is not None else None,
        note=str(a.get("note", "")),
    )


BULK_OPS: dict[str, Callable[[Session, Principal, int, dict[str, Any]], object]] = {
    "status": _status,
    "assign": _assign,
    "claim": lambda s, p, i, a: claim(s, p, i),
    "release": lambda s, p, i, a: release(s, p, i),
    "subscribe": lambda s, p, i, a: subscribe(s, p, issue_id=i),
}


@dataclass
class BulkResult:
    """Which issues changed and why the others did not."""

    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def bulk_apply(
    session: Session,
    principal: Principal,
    op: str,
    issue_ids: Sequence[int],
    args: dict[str, Any] | None = None,
) -> BulkResult:
    """Apply ``op`` to every issue in ``issue_ids`` (each checked on its own)."""
    if op not in BULK_OPS:
        raise WorkflowError("op", f"operasi {op!r} tidak dikenal; pilih: {', '.join(BULK_OPS)}")
    ids = list(dict.fromkeys(int(i) for i in issue_ids))
    if not ids:
        raise WorkflowError("issue_ids", "pilih minimal satu isu")
    if len(ids) > MAX_BULK:
        raise WorkflowError("issue_ids", f"paling banyak {MAX_BULK} isu sekaligus")
    result = BulkResult()
    for issue_id in ids:
        try:
            with session.begin_nested():
                BULK_OPS[op](session, principal, issue_id, args or {})
        except (PermissionDenied, WorkflowError, IssueNotFound) as exc:
            result.failed[issue_id] = str(exc)
            continue
        result.done.append(issue_id)
    logger.info(
        "bulk %s by %s: %d done, %d refused",
        op,
        principal.username,
        len(result.done),
        len(result.failed),
    )
    return result
