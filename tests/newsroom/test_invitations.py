"""Press-conference invitations: the undangan peliputan composed from the event, mailed through
the outbox by real SMTP (aiosmtpd) with a personal signed RSVP link, answered without login
(idempotent, forged links and cross-site posts refused), the attendee list, and the reminder the
day before queued by the newsroom round of the run loop."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pantau.alerts.channels import load_channel
from pantau.alerts.outbox import deliver_due
from pantau.newsroom import PublishError
from pantau.newsroom.invitations import (
    REMINDER_LEAD,
    answer,
    create_event,
    event_of,
    invite,
    rsvp_token,
)
from pantau.newsroom.media import (
    add_contact,
    add_member,
    create_list,
    unsubscribe,
    unsubscribe_token,
)
from pantau.newsroom.rounds import run_round
from pantau.store.newsroom_models import MediaContact, PressEvent, PressInvitation
from pantau.store.types import utcnow
from tests.alerts.receivers import SMTPServer
from tests.alerts.support import mail_env
from tests.conftest import AppEnv
from tests.newsroom.fixtures import principal
from tests.writing_web.desk_fixtures import logged_in

TOPIC = "penanganan banjir Sempaja dan pembukaan posko aduan"
PLACE = "Ruang Rapat Diskominfo Samarinda, Jl. Kesuma Bangsa"
SPEAKER = "Kepala Diskominfo Samarinda Ahmad Rizal"


def media_list(env: AppEnv, *contacts: tuple[str, str]) -> int:
    """A list of the Samarinda office holding ``(name, e-mail)`` contacts."""
    with env.db.writer() as s:
        rina = principal(s, "rina")
        made = create_list(s, rina, rina.agency_id, "Media Samarinda")
        for name, email in contacts:
            contact = add_contact(
                s, rina, rina.agency_id, name=name, outlet=f"Media {name}", email=email,
                consent=True,
            )  # fmt: skip
            add_member(s, rina, made.id, contact.id)
        return made.id


def _event(env: AppEnv, days: float) -> int:
    with env.db.writer() as s:
        return create_event(
            s, principal(s, "rina"), env.settings, headline="Konferensi Pers Penanganan Banjir",
            topic=TOPIC, starts_at=utcnow() + timedelta(days=days), place=PLACE,
            speakers=[SPEAKER], contact_name="Rina", contact_phone="0812-1111-2222",
        ).id  # fmt: skip


def _links(box_messages: list, to: str) -> list[str]:
    return [
        m.group(0)
        for msg in box_messages
        if msg["To"] == to
        for m in [re.search(r"/rilis/undangan/[^\s]+", msg.get_content())]
        if m
    ]


def test_invitation_rsvp_attendee_list_and_reminder(tmp_path: Path, seeded_db_file: Path) -> None:
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp)
        channels = {"email": load_channel("email", env.settings)}
        list_id = media_list(
            env, ("Ani", "ani@kaltimpost.test"), ("Eko", "eko@tribun.test"), ("Tono", "t@x.test")
        )
        event_id = _event(env, days=3)
        with env.db.writer() as s:
            rina = principal(s, "rina")
            tono = s.scalar(select(MediaContact.id).where(MediaContact.name == "Tono"))
            secret = env.settings.secret_key
            unsubscribe(s, unsubscribe_token(tono, secret), secret)
            assert invite(s, rina, event_id, list_id, env.settings) == 2  # Tono unsubscribed
            assert invite(s, rina, event_id, list_id, env.settings) == 0
        assert deliver_due(env.db, channels, env.settings).sent == 2
        ani_mail = next(m for m in smtp.box.messages if m["To"] == "ani@kaltimpost.test")
        body = ani_mail.get_content()
        assert body.startswith("UNDANGAN PELIPUTAN") and TOPIC in body and PLACE in body
        assert SPEAKER in body and "Narahubung" in body
        [ani_link] = _links(smtp.box.messages, "ani@kaltimpost.test")
        [eko_link] = _links(smtp.box.messages, "eko@tribun.test")
        assert ani_link != eko_link  # personal links

        client = env.client()  # no login: a journalist following the mail's link
        form = client.get(ani_link)
        assert form.status_code == 200 and 'id="rsvp-form"' in form.text and TOPIC in form.text
        assert "no-store" in form.headers["cache-control"]
        ics = client.get(f"{ani_link}/kalender.ics")
        assert ics.headers["content-type"].startswith("text/calendar")
        assert (
            "BEGIN:VEVENT" in ics.text
            and "\r\nLOCATION:Ruang Rapat Diskominfo Samarinda\\, Jl" in ics.text
        )
        done = client.post(ani_link, data={"answer": "hadir"})
        assert done.status_code == 200 and 'id="rsvp-done"' in done.text
        with env.db.session() as s:
            first = s.scalar(
                select(PressInvitation.answered_at).where(PressInvitation.answer == "hadir")
            )
        client.post(ani_link, data={"answer": "hadir"})  # the same answer again: nothing changes
        with env.db.session() as s:
            again = s.scalar(
                select(PressInvitation.answered_at).where(PressInvitation.answer == "hadir")
            )
        assert first is not None and again == first
        no_name = client.post(eko_link, data={"answer": "wakil", "delegate": " "})
        assert no_name.status_code == 422 and 'id="rsvp-problem"' in no_name.text
        forged = ani_link.rsplit("/", 1)[0] + "/MQ.palsu"
        assert client.get(forged).status_code == 404
        assert client.post(forged, data={"answer": "tidak_hadir"}).status_code == 404
        elsewhere = client.post(
            eko_link, data={"answer": "tidak_hadir"}, headers={"Origin": "https://jahat.example"}
        )
        assert elsewhere.status_code == 403
        client.post(eko_link, data={"answer": "wakil", "delegate": "Budi <b>Santoso</b>"})

        officer, _ = logged_in(env, "rina")
        page = officer.get(f"/kelola-media/undangan/{event_id}").text
        assert re.search(r'id="count-hadir">1<', page) and re.search(r'id="count-wakil">1<', page)
        assert "Budi &lt;b&gt;Santoso&lt;/b&gt;" in page  # what a stranger typed is escaped
        client.post(eko_link, data={"answer": "wakil", "delegate": '=HYPERLINK("x")'})
        sheet = officer.get(f"/kelola-media/undangan/{event_id}/daftar-hadir.csv").text
        assert sheet.splitlines()[0] == "nama,media,jawaban,yang_mewakili,dijawab,tanda_tangan"
        assert "Ani,Media Ani,hadir,," in sheet and "'=HYPERLINK" in sheet  # no formula runs
        assert officer.get(f"/kelola-media/undangan/{event_id}").status_code == 200
        other, _ = logged_in(env, "budi")  # another agency's analyst
        assert other.get(f"/kelola-media/undangan/{event_id}").status_code == 403

        # The day before: the round reminds both (neither declined), once.
        day_before = utcnow() + timedelta(days=3) - REMINDER_LEAD + timedelta(minutes=5)
        assert run_round(env.db, env.settings, now=day_before).reminders == 2
        assert run_round(env.db, env.settings, now=day_before).reminders == 0
        assert deliver_due(env.db, channels, env.settings).sent == 2
        reminders = [m for m in smtp.box.messages if m["Subject"].startswith("Pengingat")]
        assert len(reminders) == 2 and "/rilis/undangan/" in reminders[0].get_content()
        env.db.dispose()


def test_event_needs_a_future_time_and_late_invitations_get_no_reminder(app_env: AppEnv) -> None:
    with app_env.db.writer() as s:
        rina = principal(s, "rina")
        with pytest.raises(PublishError) as past:
            create_event(
                s, rina, app_env.settings, headline="Konferensi Pers", topic=TOPIC,
                starts_at=utcnow() - timedelta(hours=1), place=PLACE, speakers=[],
                contact_name="Rina",
            )  # fmt: skip
        assert past.value.field == "starts_at"
        with pytest.raises(PublishError) as no_contact:
            create_event(
                s, rina, app_env.settings, headline="Konferensi Pers", topic=TOPIC,
                starts_at=utcnow() + timedelta(days=1), place=PLACE, speakers=[], contact_name="",
            )  # fmt: skip
        assert "narahubung" in str(no_contact.value)
    list_id = media_list(app_env, ("Ani", "ani@kaltimpost.test"))
    event_id = _event(app_env, days=0.5)  # invited twelve hours ahead: the invitation suffices
    with app_env.db.writer() as s:
        assert invite(s, principal(s, "rina"), event_id, list_id, app_env.settings) == 1
    assert run_round(app_env.db, app_env.settings).reminders == 0
    with app_env.db.session() as s:
        event = event_of(s, principal(s, "rina"), event_id)
    assert event.count("") == 1 and event.speakers == (SPEAKER,)
    with app_env.db.writer() as s:  # the press conference has begun: no answer, no invitation
        s.get(PressEvent, event_id).starts_at = utcnow() - timedelta(minutes=1)
        token = rsvp_token(s.scalar(select(PressInvitation.id)), app_env.settings.secret_key)
        with pytest.raises(PublishError, match="sudah dimulai"):
            answer(s, token, app_env.settings.secret_key, "hadir")
        with pytest.raises(PublishError, match="sudah dimulai"):
            invite(s, principal(s, "rina"), event_id, list_id, app_env.settings)
