"""``pantau alerts`` in-process: deliver, dead letters as JSON, resend one or all, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.store import AuditEntry
from pantau.store.workflow_models import AlertDelivery, AlertEndpoint, RoutingRule
from tests.alerts.support import add_alert, add_issue, make_env

_load()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_dead_letters_listed_and_resent(
    tmp_path: Path, seeded_db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = make_env(tmp_path, seeded_db_file)
    monkeypatch.setenv("PANTAU_DATABASE_URL", env.settings.database_url)
    monkeypatch.setenv("PANTAU_ALERT_DEFAULT_CHANNELS", "inapp")
    monkeypatch.delenv("PANTAU_ALERT_WEBHOOK_SECRET", raising=False)
    with env.db.writer() as s:
        s.add(AlertEndpoint(name="wa", channel="webhook", address="http://127.0.0.1:9/x"))
        s.flush()
        s.add(
            RoutingRule(
                name="wa",
                audience="all",
                roles=["koordinator"],
                channels=["inapp"],
                endpoint_ids=[1],
            )
        )
    for n in range(2):
        add_alert(env, add_issue(env, f"Isu {n}"))
    first = run("alerts", "deliver")
    assert first.exit_code == 0, first.output
    assert "gagal permanen: 2" in first.output  # unsigned webhooks are never sent
    listed = run("alerts", "dead-letters", "--format", "json")
    rows = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == 2 and "WEBHOOK_SECRET" in rows[0]["error"]
    assert run("alerts", "resend", str(rows[0]["id"])).exit_code == 0
    assert run("alerts", "resend", str(rows[0]["id"])).exit_code == 1  # no longer dead
    assert run("alerts", "resend").exit_code == 2
    assert run("alerts", "resend", "--all").exit_code == 0
    with env.db.session() as s:
        pending = s.scalar(select(func.count()).where(AlertDelivery.status == "pending"))
        resends = s.scalar(select(func.count()).where(AuditEntry.action == "alert.delivery.resend"))
    assert (pending, resends) == (2, 2)
    assert run("alerts", "dead-letters", "--format", "xml").exit_code == 2
    table = run("alerts", "dead-letters")
    assert table.exit_code == 0 and "0 surat mati" in table.output
