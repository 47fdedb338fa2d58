"""System notices (a source gone silent or failing): in-app notes to the people who run pantau.

Issue alerts go through routing and the outbox; a system notice concerns the installation, so it
goes to every active admin and coordinator's notification centre, once per change of state. It
is written in the caller's transaction, like the audit log, so any stage may raise one without
importing a later stage.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.models import User
from pantau.store.workflow_models import Notification

__all__ = ["SYSTEM_ROLES", "notify_system_roles"]

#: Roles that look after sources and the quarantine (see ``quarantine.manage`` in ACTIONS).
SYSTEM_ROLES = ("admin", "koordinator")


def notify_system_roles(session: Session, *, title: str, body: str, link: str) -> int:
    """Notify every active admin and coordinator; returns how many were notified."""
    users = session.scalars(
        select(User.id).where(User.role.in_(SYSTEM_ROLES), User.active.is_(True))
    ).all()
    for uid in users:
        session.add(Notification(user_id=uid, title=title, body=body, link=link))
    return len(users)
