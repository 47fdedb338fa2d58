"""Sending the due reports to subscribed leaders through a real SMTP server (STARTTLS)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pantau.reports.delivery import MailSender, due_day, send_due, subscribe
from pantau.store import AuditEntry, User
from pantau.store.reports_models import ReportSubscription
from tests.alerts.receivers import SMTPServer, free_port
from tests.conftest import AppEnv
from tests.reports.sample import DAY

SUNDAY = DAY.replace(day=22)  # the weekly brief goes out for Sundays


def _subscribe(env: AppEnv) -> None:
    with env.db.writer() as s:
        for name, email in (("pimpinan", "kadis@kaltimprov.go.id"), ("koord", None)):
            user = s.scalar(select(User).where(User.username == name))
            user.email = email
            subscribe(s, user.id, "daily", "pdf", actor="test")
        kadis = s.scalar(select(User.id).where(User.username == "pimpinan"))
        subscribe(s, kadis, "weekly", "docx", actor="test")


@pytest.mark.slow
def test_due_reports_are_mailed_once(sample_env: AppEnv, tmp_path: Path) -> None:
    _subscribe(sample_env)
    with SMTPServer(tmp_path) as smtp:
        settings = sample_env.settings.replace(
            alert_smtp_port=smtp.port, alert_smtp_ca_file=str(smtp.cert)
        )
        first = send_due(sample_env.db, settings, SUNDAY, MailSender(settings))
        again = send_due(sample_env.db, settings, SUNDAY, MailSender(settings))
    assert first.sent == ["pimpinan:daily", "pimpinan:weekly"]
    assert first.failed == ["koord:daily: pengguna tidak punya alamat surel"]
    assert again.sent == [] and again.skipped == ["pimpinan:daily", "pimpinan:weekly"]
    assert len(smtp.box.messages) == 2 and all(smtp.box.tls)
    daily, weekly = smtp.box.messages
    assert daily["To"] == "kadis@kaltimprov.go.id"
    assert daily["Subject"] == "[pantau] Laporan Monitoring Media 2026-11-22"
    attachment = next(daily.iter_attachments())
    assert attachment.get_filename() == "laporan-harian-2026-11-22.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert next(weekly.iter_attachments()).get_filename() == "isu-aktual-2026-11-22.docx"
    with sample_env.db.session() as s:
        subs = s.scalars(select(ReportSubscription).order_by(ReportSubscription.id)).all()
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "report_subscription")
        ).all()
    assert [str(x.last_sent_day) for x in subs] == ["2026-11-22", "None", "2026-11-22"]
    assert actions.count("report.send") == 2 and "report.send_failed" in actions


@pytest.mark.slow
def test_a_down_server_is_recorded_and_retried_next_run(sample_env: AppEnv) -> None:
    _subscribe(sample_env)
    settings = sample_env.settings.replace(alert_smtp_port=free_port())
    summary = send_due(sample_env.db, settings, DAY, MailSender(settings))
    assert summary.sent == [] and len(summary.failed) == 2
    with sample_env.db.session() as s:
        sub = s.scalar(select(ReportSubscription).where(ReportSubscription.kind == "daily"))
    assert sub.last_sent_day is None and "Connection refused" in (sub.last_error or "")


def test_due_day_refuses_a_bad_time() -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        due_day(datetime(2026, 11, 21, tzinfo=UTC), "Asia/Makassar", "setengah tujuh")
