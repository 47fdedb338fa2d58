"""Alerts raised from mentions that carry personal data say nothing of it in clear."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pantau.alerts.dispatch import event_of
from pantau.alerts.messages import alert_message
from pantau.flow import Pipeline
from pantau.ingest.sink import write_mentions
from pantau.records import MentionIn
from pantau.settings import Settings
from pantau.store import Alert, Database, Issue, Source

T0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)


def _citizen(i: int) -> tuple[str, str, str]:
    return f"6472031208900{i:03d}", f"0812-345-{i:05d}", f"warga{i}@gmail.com"


def test_alert_messages_carry_no_personal_data(pii_db: Database) -> None:
    posts = []
    for i in range(1, 61):
        nik, phone, email = _citizen(i)
        text = (
            f"banjir parah di sempaja samarinda air masuk rumah, saya NIK {nik} "
            f"hp {phone} email {email} minta bantuan"
        )
        posts.append(MentionIn(f"m{i}", text, published_at=T0 + timedelta(minutes=3 * i)))
    with pii_db.writer() as s:
        source = Source(name="warga", kind="push", channel="social")
        s.add(source)
        s.flush()
        write_mentions(s, source, posts)
    Pipeline(pii_db, Settings.from_env({})).run_pending()
    clear = [v for i in range(1, 61) for v in _citizen(i)]
    with pii_db.session() as s:
        issues = list(s.scalars(select(Issue)))
        alerts = list(s.scalars(select(Alert)))
        assert issues and alerts
        said = [json.dumps([i.label, i.key_phrases, i.summary]) for i in issues]
        for alert in alerts:
            msg = alert_message(event_of(s, alert), "http://pantau.local/", "k")
            said += [msg.subject, msg.body, json.dumps(msg.payload, default=str)]
    assert not [v for v in clear if any(v in text for text in said)]
