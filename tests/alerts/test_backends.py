"""Routing and the outbox on both stores (a SQLite file and a real PostgreSQL server): two
concurrent senders still deliver each message exactly once, and reruns add nothing."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from pantau.alerts import deliver_due, load_channels, route_pending
from pantau.settings import Settings
from pantau.store import Agency, Alert, AuditEntry, Database, Issue, User
from pantau.store.workflow_models import AlertDelivery, AlertEndpoint, Notification, RoutingRule
from tests.alerts.receivers import HTTPReceiver
from tests.alerts.support import START

ALERTS = 20
SECRET = "rahasia-webhook-uji-" + "b" * 20


def _setup(db: Database, hook: str) -> None:
    db.upgrade()
    with db.writer() as s:
        agency = Agency(name="Diskominfo Uji", short_name="Uji", level="kota")
        s.add(agency)
        s.flush()
        s.add(
            User(
                username="ana",
                full_name="Ana",
                password_hash="-",
                role="analis",
                agency_id=agency.id,
                email="ana@uji.test",
            )
        )
        ep = AlertEndpoint(name="gerbang", channel="webhook", address=hook)
        s.add(ep)
        s.flush()
        s.add(
            RoutingRule(
                name="semua",
                audience="mandated",
                roles=["analis"],
                channels=["inapp"],
                endpoint_ids=[ep.id],
            )
        )
        for n in range(ALERTS):
            issue = Issue(label=f"Isu {n}", agency_id=agency.id, risk=60.0, stage="current")
            s.add(issue)
            s.flush()
            s.add(
                Alert(issue_id=issue.id, kind="stage", stage="current", risk=60.0, raised_at=START)
            )
            s.add(
                Alert(issue_id=issue.id, kind="risk", stage="current", risk=70.0, raised_at=START)
            )


def test_concurrent_senders_on_both_stores(store_url: str) -> None:
    receiver = HTTPReceiver(answer={"ok": True}).start()
    db = Database(store_url)
    try:
        _setup(db, receiver.url + "/hook")
        settings = Settings.from_env(
            {},
            database_url=store_url,
            alert_webhook_secret=SECRET,
            alert_webhook_allow_hosts="127.0.0.0/8",
            alert_throttle_per_hour=1000,
        )
        routed = route_pending(db, settings)
        assert (routed.alerts, routed.duplicates, routed.deliveries) == (
            2 * ALERTS,
            ALERTS,
            2 * ALERTS,
        )
        assert route_pending(db, settings).alerts == 0
        senders = [Database(store_url) for _ in range(2)]
        channels = load_channels(settings)

        def run(one: Database) -> None:
            while deliver_due(one, channels, settings, limit=2).sent:
                pass

        threads = [threading.Thread(target=run, args=(one,)) for one in senders]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for one in senders:
            one.dispose()
        assert deliver_due(db, channels, settings).sent == 0
        keys = [r.headers["x-pantau-delivery"] for r in receiver.received]
        assert len(keys) == len(set(keys)) == ALERTS
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Notification)) == ALERTS
            statuses = set(s.scalars(select(AlertDelivery.status)))
            sent = s.scalar(select(func.count()).where(AuditEntry.action == "alert.delivery.sent"))
        assert statuses == {"sent"}
        assert sent == 2 * ALERTS
    finally:
        receiver.stop()
        db.dispose()
