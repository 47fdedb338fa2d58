"""Bounces counted: a real SMTP server (aiosmtpd) refusing an address at RCPT or after DATA, a
returned delivery status notification read by ``pantau alerts bounce``, and a contact that
bounced ``media_max_bounces`` times receiving nothing more (and shown so on the media page)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pantau.alerts.bounces import parse_report, split_mailbox
from pantau.alerts.channels import load_channel
from pantau.alerts.outbox import deliver_due
from pantau.cli import _load, app
from pantau.newsroom.media import add_contact, add_member, contacts_of, create_list, send_release
from pantau.store.workflow_models import AlertDelivery, DeliveryBounce
from tests.alerts.receivers import MailBox, SMTPServer
from tests.alerts.support import mail_env
from tests.conftest import AppEnv
from tests.newsroom.fixtures import principal, published_release
from tests.writing_web.desk_fixtures import logged_in

GONE = "hilang@kaltimpost.test"  # the server knows no such mailbox
FULL = "penuh@tribun.test"  # the mailbox is full for now: a soft refusal, retried
LATE = "eko@tribun.test"  # accepted, then returned as undeliverable; later refused after DATA


class Refusing(MailBox):
    """A mailbox that refuses some recipients at RCPT or after DATA, and keeps the envelope."""

    def __init__(self) -> None:
        super().__init__()
        self.at_rcpt = {
            GONE: "550 5.1.1 <hilang@kaltimpost.test>: user unknown",
            FULL: "452 4.2.2 mailbox full",
        }
        self.at_data: dict[str, str] = {}
        self.senders: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, _o: Any
    ) -> str:
        if address in self.at_rcpt:
            return self.at_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        refused = [self.at_data[a] for a in envelope.rcpt_tos if a in self.at_data]
        if refused:
            return refused[0]
        self.senders.append(envelope.mail_from)
        return await super().handle_DATA(server, session, envelope)


def _dsn(returned: EmailMessage) -> bytes:
    """The notification a receiving server sends back for ``returned`` (RFC 3464 layout)."""
    headers = "".join(f"{k}: {v}\n" for k, v in returned.items())
    return (
        "From: MAILER-DAEMON@mx.tribun.test\nTo: pantulan@kaltim.test\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.tribun.test\n\n"
        f"Final-Recipient: rfc822; {LATE}\nAction: failed\nStatus: 5.2.1\n"
        "Diagnostic-Code: smtp; 550 5.2.1 mailbox disabled\n\n"
        f"--B\nContent-Type: text/rfc822-headers\n\n{headers}\n--B--\n"
    ).encode()


def _contacts(env: AppEnv) -> int:
    with env.db.writer() as s:
        rina = principal(s, "rina")
        media_list = create_list(s, rina, rina.agency_id, "Media Samarinda")
        for name, email in (
            ("Ani", "ani@kaltimpost.test"),
            ("Hilang", GONE),
            ("Penuh", FULL),
            ("Eko", LATE),
        ):
            contact = add_contact(
                s, rina, rina.agency_id, name=name, outlet="Media", email=email, consent=True
            )
            add_member(s, rina, media_list.id, contact.id)
        return media_list.id


def _send(env: AppEnv, list_id: int, headline: str) -> int:
    release = published_release(env, headline=headline)
    with env.db.writer() as s:
        return send_release(s, principal(s, "koord"), release.id, list_id, env.settings)


def test_hard_bounces_are_counted_and_stop_mail_to_the_contact(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    box = Refusing()
    with SMTPServer(tmp_path, box) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp, alert_bounce_address="pantulan@kaltim.test")
        channels = {"email": load_channel("email", env.settings)}
        list_id = _contacts(env)
        assert _send(env, list_id, "Pemkot Samarinda Buka Posko Pengungsian Banjir") == 4
        report = deliver_due(env.db, channels, env.settings)
        assert (report.sent, report.dead, report.retried) == (2, 1, 1)
        assert set(box.senders) == {"pantulan@kaltim.test"}  # bounces go to the piped mailbox
        with env.db.session() as s:
            [bounce] = s.scalars(select(DeliveryBounce)).all()
            assert (bounce.address, bounce.status, bounce.source) == (GONE, "5.1.1", "smtp")
            soft = s.scalar(select(AlertDelivery).where(AlertDelivery.address == FULL))
            assert soft.status == "pending" and "452" in (soft.last_error or "")

        # Eko's server accepted the mail, then sent it back: the DSN is read from a file.
        [returned] = [m for m in box.messages if m["To"] == LATE]
        dsn = tmp_path / "pantulan.eml"
        dsn.write_bytes(_dsn(returned))
        _load()
        cli = {"PANTAU_DATABASE_URL": env.settings.database_url}
        first = CliRunner().invoke(app, ["alerts", "bounce", str(dsn)], env=cli)
        assert first.exit_code == 0, first.output
        assert "pantulan_tercatat: 1" in first.stdout
        again = CliRunner().invoke(app, ["alerts", "bounce"], input=dsn.read_bytes(), env=cli)
        assert "pantulan_tercatat: 0" in again.stdout and "sudah_tercatat: 1" in again.stdout

        # A second release: Hilang refused at RCPT again, Eko's server now refuses after DATA.
        box.at_data[LATE] = "554 5.7.1 message refused"
        assert _send(env, list_id, "Pemkot Samarinda Tambah Dua Posko Banjir Sempaja") == 4
        deliver_due(env.db, channels, env.settings)
        with env.db.session() as s:
            counts = {c.email: c.bounces for c in contacts_of(s, principal(s, "rina").agency_id)}
        assert counts == {"ani@kaltimpost.test": 0, GONE: 2, FULL: 0, LATE: 2}

        # media_max_bounces = 2: the third release goes to Ani and Penuh only.
        assert _send(env, list_id, "Pemkot Samarinda Tutup Posko Banjir Sempaja") == 2
        officer, token = logged_in(env, "rina")
        page = officer.get("/kelola-media").text
        assert page.count('class="stopped"') == 2 and "user unknown" in page

        # The officer corrects Hilang's address: the old bounces no longer count.
        with env.db.session() as s:
            gone = s.scalar(select(AlertDelivery).where(AlertDelivery.address == GONE))
            gone_id = str(gone.payload["contact_id"])
        fix = {"csrf_token": token, "contact_id": gone_id, "email": "hilang@kaltimpost.test"}
        assert officer.post("/kelola-media/alamat", data=fix).status_code == 422  # the same one
        fix["email"] = "hilang.baru@kaltimpost.test"
        assert (
            officer.post("/kelola-media/alamat", data=fix, follow_redirects=False).status_code
            == 303
        )
        assert officer.get("/kelola-media").text.count('class="stopped"') == 1
        assert _send(env, list_id, "Pemkot Samarinda Bersihkan Lumpur Banjir Sempaja") == 3
        env.db.dispose()


def test_unreadable_and_soft_notifications_count_nothing() -> None:
    assert split_mailbox(b"From a@b Mon Jan 1\nSubject: x\n\nhi\nFrom c@d Tue\nSubject: y\n\n") == [
        b"Subject: x\n\nhi\n",
        b"Subject: y\n\n",
    ]
    delayed = _dsn(EmailMessage()).replace(
        b"Action: failed\nStatus: 5.2.1", b"Action: delayed\nStatus: 4.4.1"
    )
    [item] = parse_report(delayed)
    assert item.status.startswith("4") and item.key is None
    with pytest.raises(ValueError, match="RFC 3464"):
        parse_report(b"Subject: halo\n\nbukan laporan")


def test_mail_waiting_for_a_contact_who_unsubscribed_is_taken_out_of_the_outbox(
    app_env: AppEnv,
) -> None:
    from pantau.newsroom.media import unsubscribe, unsubscribe_token
    from pantau.newsroom.rounds import run_round

    list_id = _contacts(app_env)
    assert _send(app_env, list_id, "Pemkot Samarinda Buka Posko Pengungsian Banjir") == 4
    secret = app_env.settings.secret_key
    with app_env.db.writer() as s:
        ani = s.scalar(select(AlertDelivery).where(AlertDelivery.address == "ani@kaltimpost.test"))
        unsubscribe(s, unsubscribe_token(int(ani.payload["contact_id"]), secret), secret)
    assert run_round(app_env.db, app_env.settings).cancelled == 1
    assert run_round(app_env.db, app_env.settings).cancelled == 0
    with app_env.db.session() as s:
        statuses = {d.address: d.status for d in s.scalars(select(AlertDelivery))}
    assert statuses["ani@kaltimpost.test"] == "dead"
    assert [a for a, st in statuses.items() if st == "pending"] == [GONE, FULL, LATE]


def test_returned_message_or_only_the_recipient_finds_the_delivery(app_env: AppEnv) -> None:
    from pantau.alerts.bounces import read_bounces

    list_id = _contacts(app_env)
    _send(app_env, list_id, "Pemkot Samarinda Buka Posko Pengungsian Banjir")
    with app_env.db.writer() as s:
        for row in s.scalars(select(AlertDelivery)):
            row.status, row.sent_at = "sent", row.created_at
        ani = s.scalar(select(AlertDelivery).where(AlertDelivery.address == "ani@kaltimpost.test"))
        ani_key = ani.key
    whole = EmailMessage()  # a server that returns the whole message, not only its headers
    whole["To"], whole["X-Pantau-Delivery"] = "ani@kaltimpost.test", ani_key
    whole.set_content("isi rilis")
    returned = (
        _dsn(EmailMessage())
        .replace(LATE.encode(), b"ani@kaltimpost.test")
        .replace(
            b"Content-Type: text/rfc822-headers\n\n\n",
            b"Content-Type: message/rfc822\n\n" + whole.as_bytes(),
        )
    )
    assert [r.key for r in parse_report(returned)] == [ani_key]
    bare = _dsn(EmailMessage())  # no returned headers at all: the recipient's latest mail
    assert [r.key for r in parse_report(bare)] == [None]
    with app_env.db.writer() as s:
        report = read_bounces(s, [returned, bare, b"Subject: bukan laporan\n\nhalo"])
        assert (report.recorded, report.unreadable, report.unmatched) == (2, 1, [])
        found = {b.address: b.source for b in s.scalars(select(DeliveryBounce))}
    assert found == {"ani@kaltimpost.test": "dsn", LATE: "dsn"}
