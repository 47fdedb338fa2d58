"""Subscriptions (follow an issue or a watchlist) and in-app notifications of workflow events."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.models import User, Watchlist
from pantau.store.types import utcnow
from pantau.store.workflow_models import Notification, Subscription
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.statuses import WorkflowError, load_issue

__all__ = [
    "agency_members",
    "followers",
    "mark_read",
    "notify",
    "notify_followers",
    "subscribe",
    "unread_count",
    "unsubscribe",
]

logger = logging.getLogger(__name__)


def subscribe(
    session: Session,
    principal: Principal,
    *,
    issue_id: int | None = None,
    watchlist_id: int | None = None,
) -> Subscription:
    """Follow an issue or a watchlist (idempotent)."""
    authorize(principal, "issue.subscribe")
    if (issue_id is None) == (watchlist_id is None):
        raise WorkflowError("target", "pilih satu: isu atau kata kunci yang diikuti")
    if issue_id is not None:
        load_issue(session, issue_id)
    elif session.get(Watchlist, watchlist_id) is None:
        raise WorkflowError("watchlist_id", f"kata kunci #{watchlist_id} tidak ada")
    found = session.scalar(
        select(Subscription).where(
            Subscription.user_id == principal.id,
            Subscription.issue_id.is_(None)
            if issue_id is None
            else Subscription.issue_id == issue_id,
            Subscription.watchlist_id.is_(None)
            if watchlist_id is None
            else Subscription.watchlist_id == watchlist_id,
        )
    )
    if found is not None:
        return found
    sub = Subscription(user_id=principal.id, issue_id=issue_id, watchlist_id=watchlist_id)
    session.add(sub)
    session.flush()
    record_by(
        session,
        principal,
        action="subscription.create",
        object_type="subscription",
        object_id=sub.id,
        after={"issue_id": issue_id, "watchlist_id": watchlist_id},
    )
    return sub


def unsubscribe(session: Session, principal: Principal, subscription_id: int) -> None:
    """Stop following; only one's own subscriptions."""
    sub = session.get(Subscription, subscription_id)
    if sub is None or sub.user_id != principal.id:
        raise WorkflowError("subscription", f"langganan #{subscription_id} tidak ditemukan")
    before = {"issue_id": sub.issue_id, "watchlist_id": sub.watchlist_id}
    session.delete(sub)
    record_by(
        session,
        principal,
        action="subscription.delete",
        object_type="subscription",
        object_id=subscription_id,
        before=before,
    )


def followers(session: Session, issue_id: int) -> list[int]:
    """Ids of the users following an issue."""
    return list(
        session.scalars(select(Subscription.user_id).where(Subscription.issue_id == issue_id))
    )


def notify(
    session: Session,
    user_ids: Iterable[int],
    *,
    title: str,
    body: str = "",
    issue_id: int | None = None,
    exclude: int | None = None,
) -> int:
    """Put a notification in each user's notification centre (once per user)."""
    sent = 0
    for uid in sorted(set(user_ids)):
        if uid == exclude:
            continue
        link = f"/issues/{issue_id}" if issue_id else "/notifications"
        session.add(Notification(user_id=uid, issue_id=issue_id, title=title, body=body, link=link))
        sent += 1
    return sent


def notify_followers(
    session: Session,
    issue_id: int,
    title: str,
    body: str = "",
    *,
    exclude: int | None = None,
    also: Iterable[int] = (),
) -> int:
    """Notify an issue's followers (and ``also`` these users), except the one who acted."""
    return notify(
        session,
        [*followers(session, issue_id), *also],
        title=title,
        body=body,
        issue_id=issue_id,
        exclude=exclude,
    )


def agency_members(session: Session, agency_id: int | None, roles: Iterable[str] = ()) -> list[int]:
    """Active users of an agency (optionally of some roles)."""
    if agency_id is None:
        return []
    stmt = select(User.id).where(User.agency_id == agency_id, User.active.is_(True))
    wanted = tuple(roles)
    if wanted:
        stmt = stmt.where(User.role.in_(wanted))
    return list(session.scalars(stmt))


def unread_count(session: Session, user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(
    session: Session,
    principal: Principal,
    notification_id: int | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Mark one (or, with None, every) notification of the principal as read."""
    stmt = update(Notification).where(
        Notification.user_id == principal.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    done = session.execute(stmt.values(read_at=now or utcnow()))
    count = int(getattr(done, "rowcount", 0) or 0)
    if count:
        record_by(
            session,
            principal,
            action="notification.read",
            object_type="notification",
            object_id=notification_id if notification_id is not None else "semua",
            after={"read": count},
        )
    return count
