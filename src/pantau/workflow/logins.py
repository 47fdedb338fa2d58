"""Logging in: throttling per user name, address and known device, with hashing off the write lock.

1. Throttle (a read): failures are counted per user name and per client address from unknown
   devices, and per device for a browser the user logged in from before (a signed cookie the
   web layer verifies). Past the allowance each further failure doubles the wait, up to a
   ceiling, so guessing slows to a crawl while the owner, on a known device, keeps logging in.
2. Verify the password with argon2 outside any transaction, through :class:`PasswordGate`,
   which bounds how many checks from unknown devices run at once (each costs ~50 ms of CPU).
   A flood of wrong passwords then neither holds the store's single writer nor starves the CPU
   the push API needs.
3. Record the outcome (a short write): a failure row, or nothing on success.

A throttled or refused attempt records nothing, so a flood cannot extend its own lock-out of
the owner's known device nor fill the table.

>>> policy = LoginPolicy(max_failures=2, first_wait=60, max_wait=900)
>>> from datetime import datetime, UTC
>>> t = datetime(2026, 12, 1, tzinfo=UTC)
>>> backoff([t, t], 2, policy, now=t)
60
>>> backoff([t, t, t], 2, policy, now=t)
120
>>> backoff([t], 2, policy, now=t)
0
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pantau.store.db import Database
from pantau.store.models import LoginFailure, User
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal
from pantau.workflow.users import principal_of, verify_password

__all__ = ["LoginAttempt", "LoginPolicy", "LoginResult", "PasswordGate", "authenticate", "backoff"]

#: Seconds an attempt from an unknown device waits for a free password check before it is
#: refused as busy: long enough to ride out a burst, short enough to free the worker thread.
GATE_WAIT_SECONDS = 2.0
#: Failure rows older than this are deleted (they no longer count: see ``max_wait``).
KEEP_FAILURES = timedelta(days=1)


@dataclass(frozen=True)
class LoginPolicy:
    """How many failures are allowed per key and how the wait grows after them."""

    max_failures: int = 5
    max_failures_per_address: int = 20
    first_wait: int = 60
    max_wait: int = 900

    @classmethod
    def from_settings(cls, settings: Any) -> LoginPolicy:
        return cls(
            max_failures=settings.login_max_failures,
            max_failures_per_address=settings.login_max_failures_per_address,
            first_wait=settings.login_window,
            max_wait=settings.login_backoff_max,
        )


@dataclass(frozen=True)
class LoginAttempt:
    """One try: ``device`` is set when the browser proved it logged in as this user before."""

    username: str
    password: str
    address: str = ""
    device: str | None = None


@dataclass(frozen=True)
class LoginResult:
    """A principal on success; otherwise ``retry_after`` seconds (throttled) or ``busy``."""

    principal: Principal | None
    retry_after: int = 0
    busy: bool = False

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0


class PasswordGate:
    """Bounds concurrent argon2 checks: unknown devices share ``concurrency`` slots, known
    devices have their own slot so that a flood never queues the owner behind it."""

    def __init__(self, concurrency: int) -> None:
        self._unknown = threading.BoundedSemaphore(max(1, concurrency))
        self._known = threading.BoundedSemaphore(1)

    @contextmanager
    def slot(self, *, known: bool, timeout: float = GATE_WAIT_SECONDS) -> Iterator[bool]:
        sem = self._known if known else self._unknown
        acquired = sem.acquire(timeout=timeout)
        try:
            yield acquired
        finally:
            if acquired:
                sem.release()


def backoff(failures: Sequence[datetime], limit: int, policy: LoginPolicy, *, now: datetime) -> int:
    """Seconds still to wait after ``failures`` (oldest first) against an allowance of ``limit``."""
    excess = len(failures) - limit
    if excess < 0:
        return 0
    wait = min(policy.first_wait * 2**excess, policy.max_wait)
    remaining = (max(failures) + timedelta(seconds=wait) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def _failures(session: Session, since: datetime, *conds: ColumnElement[bool]) -> list[datetime]:
    stmt = select(LoginFailure.at).where(LoginFailure.at >= since, *conds)
    return list(session.scalars(stmt.order_by(LoginFailure.at)))


def _wait(session: Session, attempt: LoginAttempt, policy: LoginPolicy, now: datetime) -> int:
    since = now - timedelta(seconds=policy.max_wait)
    if attempt.device is not None:
        # The owner's browser: only its own failures count, so attackers elsewhere cannot
        # lock it out, while a stolen device cookie still gets no more guesses than anyone.
        own = _failures(session, since, LoginFailure.device == attempt.device)
        return backoff(own, policy.max_failures, policy, now=now)
    unknown = LoginFailure.device.is_(None)
    by_name = _failures(session, since, unknown, LoginFailure.username == attempt.username)
    by_address = _failures(session, since, unknown, LoginFailure.address == attempt.address)
    return max(
        backoff(by_name, policy.max_failures, policy, now=now),
        backoff(by_address, policy.max_failures_per_address, policy, now=now),
    )


def authenticate(
    db: Database, attempt: LoginAttempt, policy: LoginPolicy, gate: PasswordGate
) -> LoginResult:
    """Check ``attempt`` in three steps (throttle, verify, record); see the module docstring."""
    username = attempt.username.strip().lower()[:64]
    attempt = LoginAttempt(username, attempt.password, attempt.address[:64], attempt.device)
    now = utcnow()
    with db.session() as s:
        wait = _wait(s, attempt, policy, now)
        if wait:
            return LoginResult(None, retry_after=wait)
        user = s.scalar(select(User).where(User.username == username))
        stored = user.password_hash if user is not None else None
        principal = principal_of(user) if user is not None and user.active else None
    with gate.slot(known=attempt.device is not None) as acquired:
        if not acquired:
            return LoginResult(None, busy=True)
        ok = verify_password(attempt.password, stored)
    if ok and principal is not None:
        return LoginResult(principal)
    with db.writer() as s:
        s.execute(delete(LoginFailure).where(LoginFailure.at < now - KEEP_FAILURES))
        s.add(
            LoginFailure(username=username, address=attempt.address, device=attempt.device, at=now)
        )
    return LoginResult(None)
