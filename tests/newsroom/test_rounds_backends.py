"""The newsroom round's store work on both backends (SQLite file, then PostgreSQL): the
day-before reminder, mail withdrawn for a contact who bounced too often, and the pick-up mark."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pantau.newsroom.rounds import PICKUP_STATE, run_round
from pantau.settings import Settings
from pantau.store import Agency, Database
from pantau.store.models import StageState
from pantau.store.newsroom_models import MediaContact, PressEvent, PressInvitation
from pantau.store.types import utcnow
from pantau.store.workflow_models import AlertDelivery, DeliveryBounce


def test_round_reminds_withdraws_and_keeps_its_mark(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    settings = Settings.from_env({}, database_url=store_url, secret_key="k" * 40)
    now = utcnow()
    with db.writer() as s:
        agency = Agency(name="Diskominfo Contoh", short_name="Contoh", level="kota")
        s.add(agency)
        s.flush()
        ani, gone = (
            MediaContact(agency_id=agency.id, name=n, outlet="Media", email=e, consent_at=now)
            for n, e in (("Ani", "ani@media.test"), ("Hilang", "hilang@media.test"))
        )
        s.add_all([ani, gone])
        s.flush()
        event = PressEvent(
            agency_id=agency.id, headline="Konferensi Pers", topic="banjir", place="Aula",
            starts_at=now + timedelta(hours=20), text="UNDANGAN PELIPUTAN", created_by="rina",
        )  # fmt: skip
        s.add(event)
        s.flush()
        for contact in (ani, gone):
            s.add(
                PressInvitation(
                    event_id=event.id, contact_id=contact.id, invited_at=now - timedelta(days=2)
                )
            )
        for n in range(2):  # two hard bounces of Hilang's address, and one more mail waiting
            row = AlertDelivery(
                key=f"rilis:{n}:kontak:{gone.id}:email", kind="rilis", channel="email",
                recipient=f"contact:{gone.id}", address=gone.email, subject="s", body="b",
                status="dead",
            )  # fmt: skip
            s.add(row)
            s.flush()
            s.add(
                DeliveryBounce(
                    delivery_id=row.id, address=gone.email, status="5.1.1", source="smtp"
                )
            )
        s.add(
            AlertDelivery(
                key=f"rilis:9:kontak:{gone.id}:email", kind="rilis", channel="email",
                recipient=f"contact:{gone.id}", address=gone.email, subject="s", body="b",
            )
        )  # fmt: skip
    report = run_round(db, settings)
    assert (report.reminders, report.cancelled, report.linked) == (1, 1, 0)
    again = run_round(db, settings)
    assert (again.reminders, again.cancelled) == (0, 0)
    with db.session() as s:
        reminder = s.scalar(select(AlertDelivery).where(AlertDelivery.key.like("%pengingat")))
        assert reminder is not None and reminder.address == "ani@media.test"
        waiting = s.scalar(select(AlertDelivery).where(AlertDelivery.key.like("rilis:9:%")))
        assert waiting is not None and waiting.status == "dead"
        mark = s.get(StageState, PICKUP_STATE)
        assert mark is not None and "analyzed_since" in mark.state
    db.dispose()
