"""Logging in: throttling per user name, address and known device, with hashing off the write lock.

1. Throttle (a read, before and again once a check slot is held): failures are counted per
   user name and per client address from unknown devices, and per device for a browser the
   user logged in from before (a signed cookie the web layer verifies). Past the allowance
   each further failure doubles the wait, up to a ceiling, so guessing slows to a crawl while
   the owner, on a known device, keeps logging in.
2. Verify the password with argon2 outside any transaction, through :class:`PasswordGate`,
   which bounds how many checks from unknown devices run at once (argon2id m=64 MiB, t=3,
   p=4: 0.1-0.9 s on up to 4 cores). A flood of wrong passwords then neither holds the store's
   single writer nor takes more CPU than that many checks, nor ties up worker threads.
3. Record the outcome (a short write) before giving the slot back: a failure row, or nothing
   on success. With one slot (the default) a burst gets exactly its allowance.

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
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pantau.store.db import Database
from pantau.store.models import LoginFailure, User
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal
from pantau.workflow.users import principal_of, verify_password

__all__ = ["LoginAttempt", "LoginPolicy", "LoginResult", "PasswordGate", "authenticate", "backoff"]

#: Seconds an attempt waits for a free password check before it is refused as busy: enough for
#: a few people logging in at the same moment (a check takes 0.1-0.9 s), short under a flood.
GATE_WAIT_SECONDS = 2.0
#: How often a waiting attempt looks for a free slot.
GATE_POLL_SECONDS = 0.05
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
    devices have their own slot so that a flood never queues the owner behind it.

    Waiting for a slot polls from the event loop instead of blocking a worker thread, so a flood
    of waiting logins cannot use up the thread pool the pages run in.
    """

    def __init__(self, concurrency: int, *, wait: float = GATE_WAIT_SECONDS) -> None:
        self._unknown = threading.BoundedSemaphore(max(1, concurrency))
        self._known = threading.BoundedSemaphore(1)
        self.wait = wait
        self.waiting = 0  # attempts polling for a slot now (read from the event loop only)

    def _semaphore(self, known: bool) -> threading.BoundedSemaphore:
        return self._known if known else self._unknown

    async def enter(self, *, known: bool) -> bool:
        """Take a slot, waiting at most ``wait`` seconds; ``False`` when none came free."""
        semaphore = self._semaphore(known)
        deadline = time.monotonic() + self.wait
        self.waiting += 1
        try:
            while not semaphore.acquire(blocking=False):
                if time.monotonic() >= deadline:
                    return False
                await anyio.sleep(GATE_POLL_SECONDS)
            return True
        finally:
            self.waiting -= 1

    def leave(self, *, known: bool) -> None:
        self._semaphore(known).release()

    @contextmanager
    def held(self, *, known: bool) -> Iterator[None]:
        """Hold a slot from outside the event loop (operations and tests)."""
        semaphore = self._semaphore(known)
        semaphore.acquire()
        try:
            yield
        finally:
            semaphore.release()


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


@dataclass(frozen=True)
class _Prepared:
    wait: int
    stored: str | None = None
    principal: Principal | None = None


def _prepare(db: Database, attempt: LoginAttempt, policy: LoginPolicy) -> _Prepared:
    with db.session() as s:
        wait = _wait(s, attempt, policy, utcnow())
        if wait:
            return _Prepared(wait)
        user = s.scalar(select(User).where(User.username == attempt.username))
        if user is None:
            return _Prepared(0)
        return _Prepared(0, user.password_hash, principal_of(user) if user.active else None)


def _record_failure(db: Database, attempt: LoginAttempt) -> None:
    now = utcnow()
    with db.writer() as s:
        s.execute(delete(LoginFailure).where(LoginFailure.at < now - KEEP_FAILURES))
        s.add(
            LoginFailure(
                username=attempt.username, address=attempt.address, device=attempt.device, at=now
            )
        )


async def authenticate(
    db: Database, attempt: LoginAttempt, policy: LoginPolicy, gate: PasswordGate
) -> LoginResult:
    """Check ``attempt`` in three steps (throttle, verify, record); see the module docstring.

    The store is touched and argon2 runs in worker threads; only the wait for a password-check
    slot happens on the event loop.
    """
    attempt = LoginAttempt(
        attempt.username.strip().lower()[:64],
        attempt.password,
        attempt.address[:64],
        attempt.device,
    )
    known = attempt.device is not None
    prepared = await anyio.to_thread.run_sync(_prepare, db, attempt, policy)
    if prepared.wait:
        return LoginResult(None, retry_after=prepared.wait)
    if not await gate.enter(known=known):
        return LoginResult(None, busy=True)
    try:
        # Again inside the slot: attempts that queued together would otherwise all have
        # passed the first look, and a burst would get past the allowance.
        prepared = await anyio.to_thread.run_sync(_prepare, db, attempt, policy)
        if prepared.wait:
            return LoginResult(None, retry_after=prepared.wait)
        ok = await anyio.to_thread.run_sync(verify_password, attempt.password, prepared.stored)
        if ok and prepared.principal is not None:
            return LoginResult(prepared.principal)
        # Recorded before the slot is given back, so the next attempt's second look sees it.
        await anyio.to_thread.run_sync(_record_failure, db, attempt)
        return LoginResult(None)
    finally:
        gate.leave(known=known)
