"""The outbox: backoff, dead letters, and exactly one delivery across concurrent senders and a
real restart of ``pantau alerts deliver`` (killed while the receiver is down, then rerun)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.alerts import deliver_due, load_channels, route_pending
from pantau.store import AuditEntry, Database
from pantau.store.workflow_models import AlertDelivery, AlertEndpoint, Notification, RoutingRule
from tests.alerts.receivers import HTTPReceiver
from tests.alerts.support import START, add_alert, add_issue, make_env, user_id
from tests.conftest import AppEnv

ROOT = Path(__file__).resolve().parents[2]
SECRET = "rahasia-webhook-uji-" + "r" * 20


def _wire(env: AppEnv, receiver: HTTPReceiver, issues: int = 3) -> None:
    """Rina's agency gets telegram + in-app, and a webhook endpoint gets every alert."""
    from pantau.store.workflow_models import AlertPreference

    with env.db.writer() as s:
        s.add(AlertPreference(user_id=user_id(env, "rina"), telegram_chat_id="555"))
        ep = AlertEndpoint(name="gerbang", channel="webhook", address=receiver.url + "/hook")
        s.add(ep)
        s.flush()
        s.add(
            RoutingRule(
                name="uji",
                audience="mandated",
                roles=["analis"],
                channels=["telegram", "inapp"],
                endpoint_ids=[ep.id],
            )
        )
    for n in range(issues):
        add_alert(env, add_issue(env, f"Isu uji nomor {n} di Samarinda"))


def _counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        rows = s.execute(
            select(AlertDelivery.channel, AlertDelivery.status, func.count()).group_by(
                AlertDelivery.channel, AlertDelivery.status
            )
        ).all()
    return {f"{c}/{st}": n for c, st, n in rows}


def test_backoff_doubles_then_dead_letter(tmp_path: Path, seeded_db_file: Path) -> None:
    down = HTTPReceiver()  # never started: connection refused
    env = make_env(
        tmp_path,
        seeded_db_file,
        alert_telegram_api=down.url,
        alert_telegram_token="1:X",
        alert_webhook_secret=SECRET,
        alert_webhook_allow_hosts="127.0.0.0/8",
        alert_retry_base=30.0,
        alert_retry_max_delay=100.0,
        alert_max_attempts=4,
    )
    _wire(env, down, issues=1)
    route_pending(env.db, env.settings, now=START)
    channels = load_channels(env.settings)
    now, waits = START, []
    for _ in range(4):
        report = deliver_due(env.db, channels, env.settings, now=now)
        assert report.sent == 0 or now == START  # only the in-app row goes out, at once
        assert deliver_due(env.db, channels, env.settings, now=now).retried == 0  # not due yet
        with env.db.session() as s:
            nxt = s.scalar(
                select(AlertDelivery.next_attempt_at).where(AlertDelivery.channel == "webhook")
            )
        waits.append((nxt - now).total_seconds())
        now = nxt
    assert waits[:3] == [30.0, 60.0, 100.0]  # doubled, then capped at the maximum delay
    assert _counts(env.db) == {"inapp/sent": 1, "telegram/dead": 1, "webhook/dead": 1}
    with env.db.session() as s:
        retries = s.scalar(select(func.count()).where(AuditEntry.action == "alert.delivery.retry"))
        dead = s.scalar(select(func.count()).where(AuditEntry.action == "alert.delivery.dead"))
    assert (retries, dead) == (6, 2)


def test_two_senders_at_once_deliver_each_message_once(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    receiver = HTTPReceiver(answer={"ok": True}).start()
    try:
        env = make_env(
            tmp_path,
            seeded_db_file,
            alert_telegram_api=receiver.url,
            alert_telegram_token="1:X",
            alert_webhook_secret=SECRET,
            alert_webhook_allow_hosts="127.0.0.0/8",
        )
        _wire(env, receiver, issues=10)
        route_pending(env.db, env.settings)
        # two "processes": separate engines and locks on the same SQLite file
        dbs = [Database(env.settings.database_url) for _ in range(2)]
        channels = load_channels(env.settings)

        def run(db: Database) -> None:
            while deliver_due(db, channels, env.settings, limit=3).sent:
                pass

        threads = [threading.Thread(target=run, args=(db,)) for db in dbs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for db in dbs:
            db.dispose()
    finally:
        receiver.stop()
    keys = [r.headers["x-pantau-delivery"] for r in receiver.received if r.path == "/hook"]
    texts = [r.json()["text"] for r in receiver.received if r.path.endswith("/sendMessage")]
    assert len(keys) == len(set(keys)) == 10
    assert len(texts) == len(set(texts)) == 10
    with env.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 10
    assert _counts(env.db) == {"inapp/sent": 10, "telegram/sent": 10, "webhook/sent": 10}


def _start(env_vars: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    code = "from pantau.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "alerts", "deliver", *args],
        env=env_vars,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(check, proc: subprocess.Popen[bytes], what: str, limit: float = 90) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if check():
            return
        if proc.poll() is not None:
            raise AssertionError(f"deliver exited: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_receiver_down_then_back_delivers_once_across_a_restart(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    receiver = HTTPReceiver(answer={"ok": True})  # down for now: nothing listens on its port
    env = make_env(tmp_path, seeded_db_file)
    _wire(env, receiver, issues=3)
    env_vars = dict(os.environ)
    env_vars.update(
        PANTAU_DATABASE_URL=env.settings.database_url,
        PANTAU_DATA_DIR=str(tmp_path),
        PANTAU_ALERT_TELEGRAM_API=receiver.url,
        PANTAU_ALERT_TELEGRAM_TOKEN="9:T",
        PANTAU_ALERT_WEBHOOK_SECRET=SECRET,
        PANTAU_ALERT_WEBHOOK_ALLOW_HOSTS="127.0.0.0/8",
        PANTAU_ALERT_RETRY_BASE="0.2",
        PANTAU_ALERT_RETRY_MAX_DELAY="0.5",
        PANTAU_ALERT_MAX_ATTEMPTS="1000",
        PANTAU_ALERT_HTTP_TIMEOUT="3",
        PANTAU_ALERT_LEASE_SECONDS="5",
        # the tree under test, not whichever checkout pantau was installed from
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )

    def retried_twice() -> bool:
        with env.db.session() as s:
            low = s.scalar(
                select(func.min(AlertDelivery.attempts)).where(AlertDelivery.channel != "inapp")
            )
        return bool(low and low >= 2)

    first = _start(env_vars, "--watch", "--interval", "0.1")
    try:
        _wait(retried_twice, first, "two failed attempts per message")
    finally:
        first.send_signal(signal.SIGKILL)  # a crash, not a clean shutdown
        first.wait(30)
    assert receiver.received == []
    assert _counts(env.db) == {"inapp/sent": 3, "telegram/pending": 3, "webhook/pending": 3}

    receiver.start()
    try:

        def all_sent() -> bool:
            return _counts(env.db) == {"inapp/sent": 3, "telegram/sent": 3, "webhook/sent": 3}

        second = _start(env_vars, "--watch", "--interval", "0.1")
        try:
            _wait(all_sent, second, "every message delivered after the receiver came back")
            time.sleep(1.0)  # several more rounds: nothing may go out again
        finally:
            second.send_signal(signal.SIGKILL)
            second.wait(30)
        once = subprocess.run(
            [sys.executable, "-c", "from pantau.cli import main; main()", "alerts", "deliver"],
            env=env_vars,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert once.returncode == 0, once.stderr
        assert "terkirim: 0" in once.stderr
    finally:
        receiver.stop()
    hooks = [r.headers["x-pantau-delivery"] for r in receiver.received if r.path == "/hook"]
    chats = [r.json()["text"] for r in receiver.received if r.path == "/bot9:T/sendMessage"]
    assert len(receiver.received) == 6
    assert len(set(hooks)) == 3 and len(set(chats)) == 3
    with env.db.session() as s:
        attempts = list(
            s.scalars(select(AlertDelivery.attempts).where(AlertDelivery.channel != "inapp"))
        )
        sent_audits = s.scalar(
            select(func.count()).where(AuditEntry.action == "alert.delivery.sent")
        )
    assert min(attempts) >= 3  # two or more failures, then the success
    assert sent_audits == 9
