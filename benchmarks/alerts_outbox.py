"""Alerts: routing and outbox throughput against naive baselines measured in the same run.

1. Routing a burst of alerts: ``route_pending`` (batched reads, one transaction per 200 alerts)
   against a baseline that routes each alert in its own transaction with per-alert queries.
2. In-app delivery: the batched transactional path against the per-row lease path (one lease,
   one send and one commit per message), on the same rows.
3. Webhook delivery to a local receiver through the per-row lease path (messages per second),
   with the count of duplicates the receiver saw (must be 0).

Usage: ``.venv/bin/python benchmarks/alerts_outbox.py [--alerts N]``; writes
``benchmarks/results/alerts.md``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.alerts.receivers import HTTPReceiver  # noqa: E402

from pantau.alerts import deliver_due, route_pending  # noqa: E402
from pantau.alerts.dispatch import _endpoints, _mandates, _people, event_of, load_rules  # noqa: E402
from pantau.alerts.inapp import InAppChannel  # noqa: E402
from pantau.alerts.messages import alert_message  # noqa: E402
from pantau.alerts.routing import dedup_key, route  # noqa: E402
from pantau.alerts.webhook import WebhookChannel  # noqa: E402
from pantau.settings import Settings  # noqa: E402
from pantau.store import Agency, Alert, Database, Issue, User  # noqa: E402
from pantau.store.audit import record  # noqa: E402
from pantau.store.types import utcnow  # noqa: E402
from pantau.store.workflow_models import (  # noqa: E402
    AlertDelivery,
    AlertDispatch,
    AlertEndpoint,
    RoutingRule,
)

OUT = ROOT / "benchmarks" / "results" / "alerts.md"


def make_store(folder: Path, name: str, alerts: int, hook: str | None = None) -> Database:
    db = Database(f"sqlite:///{folder / name}")
    db.upgrade()
    with db.writer() as s:
        agency = Agency(name="Diskominfo Uji", short_name="Uji", level="kota")
        s.add(agency)
        s.flush()
        for n, role in enumerate(("analis", "analis", "koordinator")):
            s.add(
                User(
                    username=f"u{n}",
                    full_name=f"U{n}",
                    password_hash="-",
                    role=role,
                    agency_id=agency.id,
                    email=f"u{n}@uji.test",
                )
            )
        if hook:
            ep = AlertEndpoint(name="gerbang", channel="webhook", address=hook)
            s.add(ep)
            s.flush()
            s.add(
                RoutingRule(
                    name="gerbang",
                    audience="all",
                    roles=["koordinator"],
                    channels=["inapp"],
                    endpoint_ids=[ep.id],
                )
            )
        issues = [
            Issue(label=f"Isu {n}", agency_id=agency.id, risk=70.0, stage="current")
            for n in range(alerts)
        ]
        s.add_all(issues)
        s.flush()
        s.add_all(Alert(issue_id=i.id, kind="stage", stage="current", risk=70.0) for i in issues)
    return db


def naive_route(db: Database, settings: Settings) -> int:
    """Baseline: one transaction and fresh queries per alert."""
    with db.session() as s:
        rules, people = load_rules(s, settings), _people(s)
        mandates, endpoints = _mandates(s), _endpoints(s)
        ids = list(s.scalars(select(Alert.id).order_by(Alert.id)))
    for alert_id in ids:
        with db.writer() as s:
            alert = s.get(Alert, alert_id)
            event = event_of(s, alert)
            key = dedup_key(event)
            if s.scalar(select(AlertDispatch.alert_id).where(AlertDispatch.dedup_key == key)):
                continue
            targets = route(event, rules, people, mandates, endpoints)
            s.add(
                AlertDispatch(
                    alert_id=alert_id,
                    issue_id=event.issue_id,
                    dedup_key=key,
                    recipients=len(targets),
                )
            )
            for t in targets:
                dkey = f"alert:{alert_id}:{t.recipient}:{t.channel}"
                m = alert_message(event, settings.base_url, dkey)
                s.add(
                    AlertDelivery(
                        key=dkey,
                        alert_id=alert_id,
                        issue_id=event.issue_id,
                        recipient=t.recipient,
                        user_id=t.user_id,
                        channel=t.channel,
                        address=t.address,
                        subject=m.subject,
                        body=m.body,
                        link=m.link,
                        payload=m.payload,
                        next_attempt_at=utcnow(),
                    )
                )
            record(s, actor="bench", action="alert.route", object_type="alert", object_id=alert_id)
    return len(ids)


class RowByRowInApp(InAppChannel):
    """Baseline: in-app through the per-row lease path, each notification its own commit."""

    transactional = False

    def __init__(self, settings: Settings, db: Database) -> None:
        super().__init__(settings)
        self.db = db

    def send(self, message, address, session=None):  # type: ignore[no-untyped-def]
        with self.db.writer() as s:
            super().send(message, address, s)


def drain(db: Database, channels, settings: Settings) -> int:  # type: ignore[no-untyped-def]
    sent = 0
    while True:
        n = deliver_due(db, channels, settings).sent
        if not n:
            return sent
        sent += n


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=1000)
    n = parser.parse_args().alerts
    lines = [
        f"# Alerts benchmark ({n} alerts, 3 users, SQLite file)",
        "",
        "Command: `.venv/bin/python benchmarks/alerts_outbox.py`",
        "",
        "| measure | pantau | baseline | ratio |",
        "|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings.from_env(
            {},
            alert_default_channels="inapp",
            alert_webhook_secret="bench-" + "x" * 30,
            # the receiver is on loopback, which webhooks refuse unless allowed (as in tests)
            alert_webhook_allow_hosts="127.0.0.0/8",
            alert_throttle_per_hour=10**6,
        )
        a = make_store(folder, "a.db", n)
        b = make_store(folder, "b.db", n)
        _, fast = timed(lambda: route_pending(a, settings))
        _, slow = timed(lambda: naive_route(b, settings))
        lines.append(
            f"| routing, alerts/s | {n / fast:,.0f} | {n / slow:,.0f} (one transaction "
            f"per alert) | {slow / fast:.1f}x |"
        )
        sent_a, fast = timed(lambda: drain(a, {"inapp": InAppChannel(settings)}, settings))
        sent_b, slow = timed(lambda: drain(b, {"inapp": RowByRowInApp(settings, b)}, settings))
        assert sent_a == sent_b, (sent_a, sent_b)
        lines.append(
            f"| in-app delivery, messages/s | {sent_a / fast:,.0f} | {sent_b / slow:,.0f}"
            f" (per-row lease and commit) | {slow / fast:.1f}x |"
        )
        receiver = HTTPReceiver(answer={"ok": True}).start()
        try:
            hooks = min(n, 300)
            c = make_store(folder, "c.db", hooks, hook=receiver.url + "/hook")
            route_pending(c, settings)
            channels = {"inapp": InAppChannel(settings), "webhook": WebhookChannel(settings)}
            _, took = timed(lambda: drain(c, channels, settings))
        finally:
            receiver.stop()
        keys = [r.headers["x-pantau-delivery"] for r in receiver.received]
        with c.session() as s:
            pending = s.scalar(select(func.count()).where(AlertDelivery.status != "sent"))
        assert len(set(keys)) == hooks, f"{hooks - len(set(keys))} webhooks not delivered"
        lines.append(
            f"| signed webhooks to 127.0.0.1, messages/s | {len(keys) / took:,.0f} | - | - |"
        )
        lines += [
            "",
            f"Webhook deliveries: {len(keys)} of {hooks}, duplicates seen by the "
            f"receiver: {len(keys) - len(set(keys))}, not sent: {pending}.",
        ]
        for db in (a, b, c):
            db.dispose()
    text = "\n".join(lines) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
