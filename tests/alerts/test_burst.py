"""A burst of 1,000 alert-worthy events: deduplicated, throttled per recipient, digested daily,
crises pushed regardless, in-app notifications complete; quiet hours hold pushes but not crises."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.alerts import build_digests, route_pending, run_round
from pantau.store import Alert, AuditEntry, Issue
from pantau.store.workflow_models import AlertDelivery, AlertDispatch, Notification
from tests.alerts.receivers import SMTPServer
from tests.alerts.support import SAMARINDA, START, add_alert, add_issue, mail_env, make_env

BURST = 1000
CRISES = 5
DUPLICATES = 100
PER_HOUR = 10  # alert_throttle_per_hour in this test


def _status(env, recipient_name: str, channel: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from pantau.store import User

    with env.db.session() as s:
        uid = s.scalar(select(User.id).where(User.username == recipient_name))
        rows = s.execute(
            select(AlertDelivery.status, func.count())
            .where(
                AlertDelivery.user_id == uid,
                AlertDelivery.channel == channel,
                AlertDelivery.kind == "alert",
            )
            .group_by(AlertDelivery.status)
        ).all()
    return dict(rows)


@pytest.mark.slow
def test_burst_of_1000_is_throttled_and_digested(tmp_path: Path, seeded_db_file: Path) -> None:
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp, alert_throttle_per_hour=PER_HOUR)
        with env.db.writer() as s:
            issues = [
                Issue(
                    label=f"Keluhan air PDAM wilayah {n}",
                    regions=[{"code": SAMARINDA}],
                    risk=70.0,
                    stage="current",
                    size=10,
                    first_seen=START,
                    last_seen=START,
                )
                for n in range(BURST)
            ]
            s.add_all(issues)
            s.flush()
            s.add_all(
                Alert(issue_id=i.id, kind="stage", stage="current", risk=70.0, raised_at=START)
                for i in issues
            )
        crisis_ids = [
            add_issue(env, f"Krisis {n}", risk=90.0, stage="crisis") for n in range(CRISES)
        ]
        for cid in crisis_ids:
            add_alert(env, cid, stage="crisis", risk=90.0)
        with env.db.writer() as s:  # the same stage raised again (a risk jump): duplicates
            s.add_all(
                Alert(issue_id=i.id, kind="risk", stage="current", risk=80.0, raised_at=START)
                for i in issues[:DUPLICATES]
            )
        routed = route_pending(env.db, env.settings, now=START)
        assert routed.alerts == BURST + CRISES + DUPLICATES
        assert routed.duplicates == DUPLICATES
        # pushes: PER_HOUR normal alerts, every crisis; the rest held for the digest
        assert _status(env, "rina", "email") == {
            "pending": PER_HOUR + CRISES,
            "held": BURST - PER_HOUR,
        }
        assert _status(env, "koord", "email") == {
            "pending": PER_HOUR + CRISES,
            "held": BURST - PER_HOUR,
        }
        assert _status(env, "pimpinan", "email") == {"pending": CRISES}  # crises only
        assert _status(env, "rina", "inapp") == {"pending": BURST + CRISES}  # never throttled
        assert _status(env, "budi", "inapp") == {}  # Balikpapan has no mandate here
        assert route_pending(env.db, env.settings, now=START).alerts == 0  # idempotent

        report = run_round(env.db, env.settings, now=START, digest=True)
        assert report.digests == 2
        assert report.delivery.dead == 0, report.delivery.errors[:3]
    mails = smtp.box.messages
    digests = [m for m in mails if "Ringkasan harian" in m["Subject"]]
    assert len(mails) == 3 * CRISES + 2 * PER_HOUR + 2
    assert sorted(m["To"] for m in digests) == ["koord@kaltim.test", "rina@kaltim.test"]
    for d in digests:
        assert (
            d["Subject"] == f"[pantau] Ringkasan harian 20/11/2026: {BURST - PER_HOUR} peringatan"
        )
        items = [ln for ln in d.get_content().splitlines() if ln.startswith("- ")]
        assert len(items) == BURST - PER_HOUR
    with env.db.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(Notification))
            == 2 * (BURST + CRISES) + CRISES
        )
        assert s.scalar(select(func.count()).where(AlertDelivery.status == "held")) == 0
        dispatched = s.scalar(select(func.count()).select_from(AlertDispatch))
        routes = s.scalar(select(func.count()).where(AuditEntry.action == "alert.route"))
        dups = s.scalar(select(func.count()).where(AuditEntry.action == "alert.duplicate"))
    assert dispatched == routes + dups == BURST + CRISES + DUPLICATES
    # one digest per recipient and channel per day: nothing more today
    assert build_digests(env.db, env.settings, now=START + timedelta(hours=2)) == 0


def test_quiet_hours_hold_pushes_but_a_crisis_goes_at_once(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    env = make_env(tmp_path, seeded_db_file, alert_quiet_hours="22:00-06:00")
    night = START.replace(hour=15)  # 23:00 WITA
    add_alert(env, add_issue(env, "Isu malam"))
    add_alert(
        env, add_issue(env, "Krisis malam", risk=95.0, stage="crisis"), stage="crisis", risk=95.0
    )
    route_pending(env.db, env.settings, now=night)
    with env.db.session() as s:
        rows = s.execute(
            select(AlertDelivery.channel, AlertDelivery.crisis, AlertDelivery.next_attempt_at)
        ).all()
    morning = START.replace(hour=22)  # 06:00 WITA the next day
    for channel, crisis, at in rows:
        if channel == "email" and not crisis:
            assert at == morning
        else:
            assert at == night
