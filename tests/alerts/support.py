"""Building a seeded store with issues and alerts for the alert and workflow tests.

Rows the issues stage would write (issues, alerts) are created directly; every other change in
the tests goes through pantau's own functions, which write the audit log.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pantau.store import Agency, Alert, Issue, User
from pantau.store.audit import record
from tests.conftest import AppEnv

SAMARINDA = "64.72"
BALIKPAPAN = "64.71"
START = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 WITA


def make_env(tmp: Path, seeded: Path, **overrides: object) -> AppEnv:
    """A fresh copy of the seeded store whose users have e-mail addresses."""
    env = AppEnv(tmp, seeded, **overrides)
    with env.db.writer() as s:
        for user in s.scalars(select(User)):
            before = {"email": user.email}
            user.email = f"{user.username}@kaltim.test"
            record(
                s,
                actor="test-setup",
                action="user.update",
                object_type="user",
                object_id=user.id,
                before=before,
                after={"email": user.email},
            )
    return env


def mail_env(tmp: Path, seeded: Path, smtp: Any, **overrides: object) -> AppEnv:
    """:func:`make_env` sending mail to the local STARTTLS server ``smtp``."""
    return make_env(
        tmp,
        seeded,
        alert_smtp_port=smtp.port,
        alert_smtp_ca_file=str(smtp.cert),
        **{"alert_mail_from": "pantau@kaltim.test", **overrides},
    )


def agency_id(env: AppEnv, short_name: str) -> int:
    with env.db.session() as s:
        found = s.scalar(select(Agency.id).where(Agency.short_name == short_name))
    if found is None:
        raise LookupError(short_name)
    return found


def user_id(env: AppEnv, username: str) -> int:
    with env.db.session() as s:
        found = s.scalar(select(User.id).where(User.username == username))
    if found is None:
        raise LookupError(username)
    return found


def add_issue(
    env: AppEnv,
    label: str = "Banjir rob di Samarinda Ulu",
    *,
    region: str = SAMARINDA,
    risk: float = 72.0,
    stage: str = "current",
    agency: int | None = None,
    crossover: bool = False,
) -> int:
    with env.db.writer() as s:
        issue = Issue(
            label=label,
            regions=[{"code": region, "name": region}],
            risk=risk,
            stage=stage,
            size=12,
            first_seen=START,
            last_seen=START,
            agency_id=agency,
            channels={"social": 8, "news": 4},
            crossover=crossover,
        )
        s.add(issue)
        s.flush()
        return issue.id


def add_alert(
    env: AppEnv,
    issue_id: int,
    *,
    kind: str = "stage",
    stage: str = "current",
    risk: float = 72.0,
) -> int:
    with env.db.writer() as s:
        alert = Alert(
            issue_id=issue_id,
            kind=kind,
            stage=stage,
            risk=risk,
            raised_at=START,
            reasons=[{"component": "volume", "text": "volume naik 4x dalam 1 jam"}],
        )
        s.add(alert)
        s.flush()
        return alert.id
