"""Scale: the national peak replayed at N times its rate through two ``pantau run`` workers.

A throwaway PostgreSQL server (like the tests'), two ``pantau run`` processes on it (one owns the
clustering, one stands by) and a pusher that stores generated mentions as the push API does, in
batches, at a fixed rate for a while, then waits for the backlog to drain. Each level reports
what went in, what the workers analyzed per second while it ran, the backlog left when pushing
stopped, and the lag from storing to analysis (p50 / p95). The highest level whose backlog stays
near zero is what this machine sustains; the capacity plan reads the figures against the
national peak it assumes (139 mentions per second).

Usage: ``.venv/bin/python benchmarks/scale_peak.py [--levels 1,2,4,8] [--seconds 30]``; writes
``benchmarks/results/scale_peak.md`` with ``--write``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402
from tests.scale.streams import generate  # noqa: E402
from tests.support.pgserver import PostgresServer  # noqa: E402

from pantau.ingest.sink import write_mentions  # noqa: E402
from pantau.records import MentionIn  # noqa: E402
from pantau.store import Database, Mention, Source  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "scale_peak.md"
#: The national peak the capacity plan assumes: 5 million mentions a day, 10 % of them in the
#: busiest hour (docs/capacity.md).
NATIONAL_PEAK_PER_S = 139
#: Mentions per push request, as a busy push-API client sends them.
PUSH_BATCH = 50
#: Longest wait for a level's backlog to drain before the next level starts.
DRAIN_S = 300


def texts(count: int) -> list[str]:
    out = []
    for line in generate(count):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("text"):
            out.append(str(record["text"]))
    return out


def push_level(db: Database, pool: list[str], level: int, rate: float, seconds: float) -> int:
    """Store mentions at ``rate`` per second for ``seconds``; returns how many were stored."""
    with db.writer() as s:
        source = s.scalar(select(Source).where(Source.name == "dorong"))
        if source is None:
            source = Source(name="dorong", kind="push", channel="social")
            s.add(source)
            s.flush()
        source_id = source.id
    sent = 0
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(rate * elapsed) + PUSH_BATCH
        if sent >= due:
            time.sleep(0.01)
            continue
        now = datetime.now(UTC)
        batch = [
            MentionIn(
                external_id=f"L{level}-{sent + k}",
                text=f"{pool[(sent + k) % len(pool)]} {sent + k}",
                published_at=now,
                author=f"akun{(sent + k) % 500}",
            )
            for k in range(PUSH_BATCH)
        ]
        with db.writer() as s:
            src = s.get(Source, source_id)
            assert src is not None
            summary, _ = write_mentions(s, src, batch)
        sent += summary.imported
    return sent


def measure(db: Database, level: int) -> tuple[int, float, float]:
    """(backlog, lag p50, lag p95 in seconds) of the level's mentions."""
    prefix = f"L{level}-%"
    with db.session() as s:
        backlog = s.scalar(
            select(func.count()).where(
                Mention.external_id.like(prefix), Mention.analyzed_at.is_(None)
            )
        )
        row = s.execute(
            text(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), "
                "percentile_cont(0.95) WITHIN GROUP (ORDER BY lag) FROM (SELECT "
                "extract(epoch FROM analyzed_at - fetched_at) AS lag FROM mentions "
                "WHERE external_id LIKE :p AND analyzed_at IS NOT NULL) t"
            ),
            {"p": prefix},
        ).one()
    return int(backlog or 0), float(row[0] or 0), float(row[1] or 0)


def analyzed(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).where(Mention.analyzed_at.is_not(None))) or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,2,4,8", help="multiples of the national peak")
    parser.add_argument("--seconds", type=float, default=30.0, help="push time per level")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    server = PostgresServer()
    url = server.start()
    workers: list[subprocess.Popen[bytes]] = []
    lines = [
        f"# Scale: the national peak replayed at N x ({platform.machine()}, "
        f"{os.cpu_count()} shared cores, {datetime.now(UTC):%Y-%m-%d})",
        "",
        f"`python benchmarks/scale_peak.py {' '.join(sys.argv[1:])}`: two `pantau run` workers "
        "(one owner, one standby) on one PostgreSQL, mentions pushed in batches of "
        f"{PUSH_BATCH} at N x {NATIONAL_PEAK_PER_S}/s for {args.seconds:.0f} s per level.",
        "",
        "| N x peak | pushed /s | analyzed /s while pushing | backlog at stop | lag p50 s "
        "| lag p95 s | drained in s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    try:
        db = Database(url)
        db.upgrade()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
        env.update(PANTAU_DATABASE_URL=url, PANTAU_DATA_DIR=str(server.dir))
        cmd = [sys.executable, "-c", "from pantau.cli import main; main()", "run"]
        workers = [subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL) for _ in range(2)]
        pool = texts(5000)
        push_level(db, pool, 0, 50, 5)  # warm-up: models loaded, an owner chosen
        deadline = time.monotonic() + DRAIN_S
        while measure(db, 0)[0] and time.monotonic() < deadline:
            time.sleep(1)
        for level in (int(x) for x in args.levels.split(",")):
            rate = level * NATIONAL_PEAK_PER_S
            before, t0 = analyzed(db), time.monotonic()
            sent = push_level(db, pool, level, rate, args.seconds)
            pushed_s = time.monotonic() - t0
            done = (analyzed(db) - before) / pushed_s
            backlog = measure(db, level)[0]
            t1 = time.monotonic()
            while measure(db, level)[0] and time.monotonic() - t1 < DRAIN_S:
                time.sleep(0.5)
            drained = time.monotonic() - t1
            _, p50, p95 = measure(db, level)
            row = (
                f"| {level} | {sent / pushed_s:,.0f} | {done:,.0f} | {backlog:,} | {p50:.1f} "
                f"| {p95:.1f} | {drained:.0f} |"
            )
            print(row, flush=True)
            lines.append(row)
        db.dispose()
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(60)
            except subprocess.TimeoutExpired:
                w.kill()
        server.stop()
    if args.write:
        OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
