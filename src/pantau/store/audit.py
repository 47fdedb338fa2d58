"""Writing to the append-only audit log (the database refuses updates and deletes)."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from pantau.store.models import AuditEntry

__all__ = ["Actor", "Requester", "record", "record_by"]


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: object = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_id: int | None = None,
) -> AuditEntry:
    """Append one audit entry (who, what, before/after) in the caller's transaction."""
    entry = AuditEntry(
        actor=actor,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


class Actor(Protocol):
    """Whoever acts for a request: a logged-in user or an API token (``Principal`` fits)."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...


class Requester(Actor, Protocol):
    """Whoever asks a stage to change something: named in the audit log, asked for permissions.

    The workflow's ``Principal`` is one; stages take this protocol instead of importing it, so a
    stage needs nothing of the one that hands it users and roles.
    """

    @property
    def agency_id(self) -> int | None: ...

    def require(self, action: str, *, agency_id: int | None = None) -> None:
        """Raise (a ``PermissionError``) unless this requester may do ``action``."""
        ...


def record_by(
    session: Session,
    actor: Actor,
    *,
    action: str,
    object_type: str,
    object_id: object = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry for what ``actor`` did, under their name and user id."""
    return record(
        session,
        actor=actor.username,
        actor_id=actor.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )
