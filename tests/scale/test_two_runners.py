"""Two ``pantau run`` workers on one store share the pipeline: one runs the text stage, the other
waits for it (each clusters its share of the provinces, ``tests/scale/test_province_workers``);
when the text stage's owner is SIGKILLed the other takes over, and a restarted worker joins as
the waiter. A stream stored while this happens is analyzed with none lost and none counted
twice."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.store import Database, Issue, Mention
from tests.scale.streams import store

PANTAU = [sys.executable, "-c", "from pantau.cli import main; main()", "run"]
T0 = datetime(2026, 11, 2, tzinfo=UTC)
TOPICS = [
    "banjir rob merendam rumah warga di sempaja samarinda nomor {i}",
    "jalan poros sangatta bontang rusak berlubang kecelakaan lagi nomor {i}",
    "harga cabai di pasar segiri naik lagi emak emak pusing nomor {i}",
]
#: The text stage's lock is the clustering lock of partition "default".
OWNER = re.compile(r"proses (\d+) memegang pengelompokan default ")
#: Mentions pushed in all, in chunks, while the workers run (one killed half-way).
TOTAL, CHUNK = 1200, 40
#: Longest wait for the stream to be analyzed after the last chunk (two loaded CPU cores).
SETTLE_S = 120


class Worker:
    """A ``pantau run`` process whose log is read as it runs."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(PANTAU, env=env, stderr=subprocess.PIPE, text=True)
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)

    def owns(self) -> bool:
        return any(
            m and int(m.group(1)) == self.proc.pid for m in map(OWNER.search, list(self.log))
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(5)


def push(db: Database, start: int, count: int) -> None:
    """Store mentions as the push API does: one transaction per request."""
    rows = range(start, start + count)
    store(
        db,
        "dorong",
        (
            (f"d{i}", TOPICS[i % 3].format(i=i), T0 + timedelta(seconds=30 * i), f"akun{i % 50}")
            for i in rows
        ),
    )


def wait_for(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    pytest.fail(f"waited {timeout} s for {what}")


def settled_counts(db: Database) -> tuple[int, int, int]:
    """Once nothing waits for analysis: mentions stored, placed in an issue, and counted by the
    issues' sizes."""
    with db.session() as s:

        def settled() -> bool:
            waiting = Mention.analyzed_at.is_(None) | Mention.cluster_pending.is_not(None)
            pending = s.scalar(select(func.count()).where(waiting))
            s.rollback()
            return pending == 0

        wait_for(settled, SETTLE_S, "the stream to be analyzed")
        mentions = s.scalar(select(func.count(Mention.id)))
        placed = s.scalar(select(func.count(Mention.id)).where(Mention.issue_id.is_not(None)))
        counted = s.scalar(select(func.sum(Issue.size)).where(Issue.merged_into_id.is_(None)))
    return int(mentions or 0), int(placed or 0), int(counted or 0)


def start_workers(
    pg_server_url: str, tmp_path: Path, **extra: str
) -> tuple[Database, dict[str, str]]:
    """A fresh PostgreSQL store and the environment of the ``pantau run`` workers on it."""
    from tests.conftest import new_pg_database

    url = new_pg_database(pg_server_url)
    db = Database(url)
    db.upgrade()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env.update(
        PANTAU_DATABASE_URL=url,
        PANTAU_DATA_DIR=str(tmp_path),
        PANTAU_FLOW_MAX_LAG_SECONDS="0.2",
        **extra,
    )
    return db, env


@pytest.mark.slow
@pytest.mark.postgres
def test_sigkilled_owner_is_replaced_with_nothing_lost_or_doubled(
    pg_server_url: str, tmp_path: Path
) -> None:
    db, env = start_workers(pg_server_url, tmp_path)
    workers = [Worker(env), Worker(env)]
    try:
        wait_for(lambda: any(w.owns() for w in workers), 60, "a clustering owner")
        for start in range(0, TOTAL, CHUNK):
            push(db, start, CHUNK)
            time.sleep(0.05)
            if start == TOTAL // 2:
                owner = next(w for w in workers if w.owns())
                owner.proc.send_signal(signal.SIGKILL)
                owner.proc.wait()
                waiter = next(w for w in workers if w is not owner)
                wait_for(waiter.owns, 30, "the waiting worker to take over")
                workers = [waiter, Worker(env)]  # the killed one, restarted
        mentions, placed, counted = settled_counts(db)
        assert mentions == placed == TOTAL  # none lost
        assert counted == TOTAL  # none counted twice (nor dropped from its issue)
        assert not workers[1].owns()  # the restarted worker waits behind the new owner
    finally:
        for w in workers:
            w.stop()
        db.dispose()


#: The clustering lease of the paused-owner test: short, so the hand-over is quick.
LEASE_S = "5"


@pytest.mark.slow
@pytest.mark.postgres
def test_a_paused_owner_is_replaced_and_its_late_writes_are_refused(
    pg_server_url: str, tmp_path: Path
) -> None:
    """SIGSTOP the owner: its lease runs out and the other worker takes over; SIGCONT it: it
    learns it lost the clustering (its fencing epoch is old) and writes nothing stale."""
    db, env = start_workers(pg_server_url, tmp_path, PANTAU_CLUSTERING_LEASE_SECONDS=LEASE_S)
    workers = [Worker(env), Worker(env)]
    try:
        wait_for(lambda: any(w.owns() for w in workers), 60, "a clustering owner")
        owner = next(w for w in workers if w.owns())
        waiter = next(w for w in workers if w is not owner)
        for start in range(0, TOTAL, CHUNK):
            push(db, start, CHUNK)
            time.sleep(0.05)
            if start == TOTAL // 2:
                owner.proc.send_signal(signal.SIGSTOP)
                wait_for(waiter.owns, 60, "the waiting worker to take over from the paused one")
        owner.proc.send_signal(signal.SIGCONT)
        try:
            mentions, placed, counted = settled_counts(db)
        except BaseException:
            print("".join(owner.log[-30:]), "".join(waiter.log[-30:]), sep="\n----\n")
            raise
        assert mentions == placed == TOTAL  # none lost
        assert counted == TOTAL  # none counted twice by the stale owner
        wait_for(
            lambda: any("kehilangan pengelompokan" in line for line in owner.log),
            30,
            "the resumed worker to learn it lost the clustering",
        )
        assert owner.proc.poll() is None  # it waits as the standby, no traceback, no exit
    finally:
        for w in workers:
            w.proc.send_signal(signal.SIGCONT)
            w.stop()
        db.dispose()
