"""Server-side login sessions: the cookie names a row, so a session can be ended from here.

The signed cookie carries a random session id; the store keeps only its SHA-256 (a copy of the
database does not hand out live sessions). Every authenticated request looks the row up, so
logout, deactivation and a password change end a session at once, on every worker.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from pantau.store.access_models import UserSession
from pantau.store.models import User
from pantau.store.types import utcnow

__all__ = ["end_session", "end_user_sessions", "session_user", "start_session"]

#: Bytes of randomness in a session id (256 bits: guessing one is out of reach).
SESSION_ID_BYTES = 32
#: Expired sessions are kept this long (who was logged in from where, for an investigation).
KEEP_ENDED = timedelta(days=30)


def _key(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def start_session(
    session: Session,
    user_id: int,
    *,
    max_age: int,
    address: str = "",
    user_agent: str = "",
) -> str:
    """Record a new login of ``user_id``; returns the session id for the cookie."""
    sid = secrets.token_urlsafe(SESSION_ID_BYTES)
    now = utcnow()
    session.execute(delete(UserSession).where(UserSession.expires_at < now - KEEP_ENDED))
    session.add(
        UserSession(
            id=_key(sid),
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(seconds=max_age),
            address=address[:64] or None,
            user_agent=user_agent[:255] or None,
        )
    )
    session.execute(update(User).where(User.id == user_id).values(last_login_at=now))
    return sid


def session_user(session: Session, sid: str | None) -> User | None:
    """The active user of a live session ``sid``, or ``None`` if ended, expired or unknown."""
    if not sid:
        return None
    row = session.get(UserSession, _key(sid))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def end_session(session: Session, sid: str | None, *, reason: str = "logout") -> bool:
    """End one session (logout); returns whether a live one was ended."""
    if not sid:
        return False
    row = session.get(UserSession, _key(sid))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at, row.revoked_reason = utcnow(), reason
    return True


def end_user_sessions(session: Session, user_id: int, *, reason: str) -> int:
    """End every live session of ``user_id``; returns how many."""
    live = select(UserSession.id).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    ids = list(session.scalars(live))
    if ids:
        session.execute(
            update(UserSession)
            .where(UserSession.id.in_(ids))
            .values(revoked_at=utcnow(), revoked_reason=reason)
        )
    return len(ids)
