"""Alerts reach real receivers on 127.0.0.1: SMTP with STARTTLS, Telegram Bot API, webhooks."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from pantau.alerts import run_round, verify
from pantau.alerts.webhook import WebhookChannel
from pantau.settings import Settings
from pantau.store import AuditEntry
from pantau.store.workflow_models import AlertDelivery, AlertEndpoint, AlertPreference, RoutingRule
from tests.alerts.receivers import HTTPReceiver, SMTPServer
from tests.alerts.support import add_alert, add_issue, mail_env, make_env, user_id
from tests.conftest import PASSWORD, LiveServer

SECRET = "rahasia-webhook-uji-" + "k" * 20


def test_email_over_starttls_has_indonesian_subject_and_a_working_link(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp)
        issue = add_issue(env, "Banjir rob di Samarinda Ulu, warga mengungsi")
        add_alert(env, issue)
        with LiveServer(env.app) as server:
            settings = env.settings.replace(base_url=server.url)
            report = run_round(env.db, settings, now=None)
            assert report.delivery.dead == 0, report.delivery.errors
            mails = {m["To"]: m for m in smtp.box.messages}
            assert set(mails) == {"rina@kaltim.test", "koord@kaltim.test"}
            assert all(smtp.box.tls)  # every message came over STARTTLS
            mail = mails["rina@kaltim.test"]
            assert mail["Subject"] == (
                "[pantau] Isu aktual: Banjir rob di Samarinda Ulu, warga mengungsi"
            )
            body = mail.get_content()
            assert "Tahap: aktual · Risiko: 72/100" in body
            assert "volume naik 4x dalam 1 jam" in body
            link = re.search(r"Buka isu: (\S+)", body).group(1)
            assert link == f"{server.url}/issues/{issue}"
            with httpx.Client(base_url=server.url) as web:
                token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
                web.post(
                    "/login",
                    data={
                        "username": "rina",
                        "password": PASSWORD,
                        "csrf_token": token.group(1),
                        "next": "/",
                    },
                )
                page = web.get(link)
            assert page.status_code == 200
            assert "Banjir rob di Samarinda Ulu" in page.text
    with env.db.session() as s:
        sent = s.scalar(select(func.count()).where(AlertDelivery.status == "sent")) or 0
        audited = s.scalar(select(func.count()).where(AuditEntry.action == "alert.delivery.sent"))
    assert sent == audited == 4  # two mails, two in-app notifications


def test_a_label_with_line_breaks_is_one_subject_line_not_a_header(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    """A label is words from the internet; a line break in it used to make every e-mail of the
    alert fail (the header is refused), and must never become a header of its own."""
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp)
        add_alert(env, add_issue(env, "Banjir rob\r\nBcc: semua@contoh.test\n di Sempaja"))
        report = run_round(env.db, env.settings, now=None)
    assert report.delivery.dead == 0, report.delivery.errors
    assert len(smtp.box.messages) == 2
    for mail in smtp.box.messages:
        assert (
            mail["Subject"] == "[pantau] Isu aktual: Banjir rob Bcc: semua@contoh.test di Sempaja"
        )
        assert mail["Bcc"] is None and "semua@contoh.test" not in mail["To"]


def test_a_channel_error_of_one_delivery_does_not_stop_the_round(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    """An address the mail library chokes on (a line break in a stored endpoint) is one failed
    delivery with its reason, retried later; every other delivery of the round goes out."""
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp)
        with env.db.writer() as s:
            s.add(AlertEndpoint(name="rusak", channel="email", address="a@kaltim.test\nBcc: b"))
            s.add(AlertEndpoint(name="humas", channel="email", address="humas@kaltim.test"))
            s.flush()
            s.add(RoutingRule(name="dua", min_risk=0, roles=["-"], endpoint_ids=[1, 2]))
        add_alert(env, add_issue(env))
        report = run_round(env.db, env.settings, now=None)
    assert report.delivery.retried == 1 and len(report.delivery.errors) == 1
    assert "galat tak terduga" in report.delivery.errors[0]
    assert [m["To"] for m in smtp.box.messages] == ["humas@kaltim.test"]
    with env.db.session() as s:
        failed = s.scalars(select(AlertDelivery).where(AlertDelivery.status == "pending")).one()
    assert failed.address.startswith("a@kaltim.test") and "ValueError" in (failed.last_error or "")


def test_telegram_and_signed_webhook_reach_local_servers(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    telegram = HTTPReceiver(answer={"ok": True, "result": {"message_id": 7}}).start()
    hook = HTTPReceiver(answer={"diterima": True}).start()
    try:
        env = make_env(
            tmp_path,
            seeded_db_file,
            alert_telegram_api=telegram.url,
            alert_telegram_token="123:ABC",
            alert_webhook_secret=SECRET,
            alert_webhook_allow_hosts="127.0.0.0/8",
            base_url="https://pantau.kaltimprov.test",
        )
        rina = user_id(env, "rina")
        with env.db.writer() as s:
            s.add(AlertPreference(user_id=rina, telegram_chat_id="-100777", channels=["telegram"]))
            s.add(AlertEndpoint(name="gateway-wa", channel="webhook", address=hook.url + "/wa"))
            s.flush()
            s.add(
                RoutingRule(
                    name="samarinda-telegram",
                    min_risk=60,
                    regions=["64.72"],
                    audience="mandated",
                    roles=["analis"],
                    channels=["telegram", "email"],
                    endpoint_ids=[1],
                )
            )
        issue = add_issue(env, "Jalan longsor di Samarinda Seberang")
        add_alert(env, issue)
        report = run_round(env.db, env.settings)
    finally:
        telegram.stop()
        hook.stop()
    assert report.delivery.dead == 0, report.delivery.errors
    # Telegram: the bot token in the path, the user's chat id, Indonesian text with the link
    [tg] = telegram.received
    assert tg.path == "/bot123:ABC/sendMessage"
    sent = tg.json()
    assert sent["chat_id"] == "-100777"
    assert sent["text"].startswith("[pantau] Isu aktual: Jalan longsor di Samarinda")
    assert f"https://pantau.kaltimprov.test/issues/{issue}" in sent["text"]
    # rina preferred telegram only: no e-mail row for her
    with env.db.session() as s:
        channels = set(
            s.scalars(select(AlertDelivery.channel).where(AlertDelivery.user_id == rina))
        )
    assert channels == {"telegram"}
    # webhook: JSON body, timestamp and HMAC-SHA256 signature that verify
    [wh] = hook.received
    assert wh.path == "/wa"
    ts, sig = wh.headers["x-pantau-timestamp"], wh.headers["x-pantau-signature"]
    expected = hmac.new(SECRET.encode(), ts.encode() + b"." + wh.body, hashlib.sha256).hexdigest()
    assert sig == "sha256=" + expected
    assert verify(SECRET, ts, wh.body, sig)
    assert not verify("kunci-lain", ts, wh.body, sig)
    assert not verify(SECRET, ts, wh.body.replace(b"longsor", b"aman"), sig)
    payload = wh.json()
    assert payload["issue_id"] == issue and payload["type"] == "pantau.alert"
    assert payload["link"] == f"https://pantau.kaltimprov.test/issues/{issue}"
    assert wh.headers["x-pantau-delivery"] == payload["delivery"]


def test_telegram_refusal_is_a_dead_letter_that_can_be_resent(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    from pantau.alerts import dead_letters, resend

    telegram = HTTPReceiver(status=400, answer={"ok": False, "description": "chat not found"})
    telegram.start()
    try:
        env = make_env(
            tmp_path,
            seeded_db_file,
            alert_telegram_api=telegram.url,
            alert_telegram_token="123:ABC",
            alert_default_channels="telegram",
        )
        with env.db.writer() as s:
            s.add(AlertPreference(user_id=user_id(env, "rina"), telegram_chat_id="42"))
        add_alert(env, add_issue(env))
        first = run_round(env.db, env.settings)
        assert first.delivery.dead == 1 and first.delivery.sent == 0
        with env.db.writer() as s:
            [dead] = dead_letters(s)
            assert "chat not found" in (dead.last_error or "")
            assert resend(s, dead.id, actor="admin")
        telegram.status, telegram.answer = 200, {"ok": True}
        second = run_round(env.db, env.settings)
    finally:
        telegram.stop()
    assert second.delivery.sent == 1
    assert len(telegram.received) == 2
    with env.db.session() as s:
        actions = list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_type == "alert_delivery")
                .order_by(AuditEntry.id)
            )
        )
    assert actions == ["alert.delivery.dead", "alert.delivery.resend", "alert.delivery.sent"]


def test_telegram_rate_limit_waits_as_long_as_telegram_asks(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    from datetime import timedelta

    from sqlalchemy import select as sel

    from tests.alerts.support import START

    telegram = HTTPReceiver(
        status=429,
        answer={
            "ok": False,
            "description": "Too Many Requests",
            "parameters": {"retry_after": 120},
        },
    )
    telegram.start()
    try:
        env = make_env(
            tmp_path,
            seeded_db_file,
            alert_telegram_api=telegram.url,
            alert_telegram_token="1:T",
            alert_default_channels="telegram",
            alert_retry_base=5.0,
        )
        with env.db.writer() as s:
            s.add(AlertPreference(user_id=user_id(env, "rina"), telegram_chat_id="77"))
        add_alert(env, add_issue(env))
        report = run_round(env.db, env.settings, now=START)
    finally:
        telegram.stop()
    assert report.delivery.retried == 1 and report.delivery.dead == 0
    with env.db.session() as s:
        row = s.scalars(sel(AlertDelivery).where(AlertDelivery.channel == "telegram")).one()
    assert row.next_attempt_at == START + timedelta(seconds=120)  # not the 5 s backoff
    assert "Too Many Requests" in (row.last_error or "")


def test_webhook_to_a_loopback_or_metadata_address_is_refused_unless_allowed(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    hook = HTTPReceiver(answer={"diterima": True}).start()
    try:
        env = make_env(tmp_path, seeded_db_file, alert_webhook_secret=SECRET)
        with env.db.writer() as s:
            s.add(AlertEndpoint(name="lokal", channel="webhook", address=hook.url + "/wa"))
            s.add(
                AlertEndpoint(
                    name="metadata", channel="webhook", address="http://169.254.169.254/x"
                )
            )
            s.flush()
            s.add(
                RoutingRule(name="titik", min_risk=0, roles=["-"], endpoint_ids=[1, 2])
            )  # endpoints only
        add_alert(env, add_issue(env, "Banjir di Sempaja"))
        report = run_round(env.db, env.settings)
    finally:
        hook.stop()
    assert hook.received == []  # nothing left the machine
    with env.db.session() as s:
        rows = list(s.execute(select(AlertDelivery.status, AlertDelivery.last_error)))
    assert sorted(status for status, _ in rows) == ["dead", "dead"], report.delivery.errors
    assert all("ditolak" in (error or "") for _, error in rows)
    assert any("loopback" in (error or "") for _, error in rows)
    assert any("link-local" in (error or "") for _, error in rows)


def test_webhook_connections_are_checked_on_the_address_they_open(tmp_path: Path) -> None:
    """A name that resolved to a public address at the check and to 127.0.0.1 a moment later
    (DNS rebinding) is refused when the connection opens, not only before."""
    hook = HTTPReceiver(answer={"diterima": True}).start()
    try:
        strict = WebhookChannel(Settings.from_env({"PANTAU_ALERT_WEBHOOK_SECRET": SECRET}))
        with pytest.raises(httpx.ConnectError, match="loopback"):
            strict._http().post(hook.url + "/wa", content=b"{}")  # past the pre-send check
        allowed = WebhookChannel(
            Settings.from_env(
                {
                    "PANTAU_ALERT_WEBHOOK_SECRET": SECRET,
                    "PANTAU_ALERT_WEBHOOK_ALLOW_HOSTS": "127.0.0.0/8",
                }
            )
        )
        assert allowed._http().post(hook.url + "/wa", content=b"{}").status_code == 200
    finally:
        hook.stop()
    assert len(hook.received) == 1
