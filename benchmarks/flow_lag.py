"""Flow: how long a stored mention waits for analysis, and what an idle round costs.

1. Lag: a real ``pantau run`` process (no feed configured, default ``flow_max_lag_seconds``)
   while another process stores mentions one by one, as the push API or ``pantau import`` does;
   the time from each commit until the mention is analyzed. The baseline, the runner before the
   flow package, analyzed stored mentions only after its own feed poll brought something new:
   without feeds, never.
2. An idle round (nothing pending) with 20,000 analyzed mentions in the store: the pipeline
   kept warm against the pipeline rebuilt each round (analyzer models loaded, watchlists
   compiled, the near-duplicate index refilled), as the runner did before.

Usage: ``.venv/bin/python benchmarks/flow_lag.py [--mentions N]``; writes
``benchmarks/results/flow.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pantau.flow import Pipeline  # noqa: E402
from pantau.flow.pipeline import WARM_DUPLICATES  # noqa: E402
from pantau.settings import REGISTRY, Settings  # noqa: E402
from pantau.store import Database, Mention, Source  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "flow.md"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _store(folder: Path) -> tuple[Database, int]:
    db = Database(f"sqlite:///{folder / 'flow.db'}")
    db.upgrade()
    with db.writer() as s:
        source = Source(name="dorong", kind="push", channel="social")
        s.add(source)
        s.flush()
        return db, source.id


def _pending(db: Database) -> int:
    with db.session() as s:
        query = select(func.count()).select_from(Mention).where(Mention.analyzed_at.is_(None))
        return int(s.scalar(query) or 0)


def _wait_analyzed(db: Database, limit: float = 120.0) -> float:
    start = time.monotonic()
    while _pending(db):
        if time.monotonic() - start > limit:
            raise RuntimeError(f"not analyzed within {limit} s")
        time.sleep(0.01)
    return time.monotonic() - start


def measure_lag(folder: Path, mentions: int) -> list[float]:
    db, source_id = _store(folder)
    env = dict(os.environ, PANTAU_DATABASE_URL=str(db.engine.url), PANTAU_DATA_DIR=str(folder))
    env["PYTHONPATH"] = str(ROOT / "src")
    runner = subprocess.Popen(
        [sys.executable, "-c", "from pantau.cli import main; main()", "run"],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        with db.writer() as s:  # the first proves the process is up and warm
            s.add(Mention(source_id=source_id, external_id="w0", text="banjir", channel="social"))
        _wait_analyzed(db)
        lags = []
        for i in range(1, mentions + 1):
            time.sleep(0.37 * i % 2.0)  # land at different points of the look interval
            with db.writer() as s:
                text = f"jalan poros sangatta rusak lagi nomor {i}"
                s.add(Mention(source_id=source_id, external_id=f"w{i}", text=text, channel="news"))
            lags.append(_wait_analyzed(db))
        return lags
    finally:
        runner.terminate()
        runner.wait(60)
        db.dispose()


def measure_idle_round(folder: Path) -> tuple[float, float]:
    """CPU seconds of an idle round: (rebuilt, min of 3), (warm, median of 20)."""
    db, source_id = _store(folder)
    rows = [
        {
            "source_id": source_id,
            "external_id": f"m{i}",
            "channel": "social",
            "text": f"banjir jalan rusak harga cabai naik di kota nomor {i}, warga mengeluh",
            "author": f"akun{i % 500}",
            "published_at": T0 + timedelta(seconds=30 * i),
            "analyzed_at": T0,
        }
        for i in range(WARM_DUPLICATES)
    ]
    with db.writer() as s:
        s.execute(insert(Mention), rows)
    settings = Settings.from_env({})
    rebuilt = []
    for _ in range(3):
        start = time.process_time()
        Pipeline(db, settings).run_pending()
        rebuilt.append(time.process_time() - start)
    pipeline = Pipeline(db, settings)
    warm = []
    for _ in range(20):
        start = time.process_time()
        pipeline.run_pending()
        warm.append(time.process_time() - start)
    db.dispose()
    return min(rebuilt), statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "lag").mkdir()
        (Path(tmp) / "idle").mkdir()
        lags = sorted(measure_lag(Path(tmp) / "lag", args.mentions))
        rebuilt, warm = measure_idle_round(Path(tmp) / "idle")
    setting = REGISTRY["flow_max_lag_seconds"].default
    load = os.getloadavg()[0]
    OUT.write_text(
        f"# Flow benchmark (SQLite file, load average {load:.1f} at the end)\n\n"
        "Command: `.venv/bin/python benchmarks/flow_lag.py`\n\n"
        "| measure | pantau | baseline |\n|---|---|---|\n"
        f"| lag from commit to analyzed, {len(lags)} mentions stored by another process, "
        f"no feed | min {lags[0]:.2f} s, median {statistics.median(lags):.2f} s, "
        f"max {lags[-1]:.2f} s (`flow_max_lag_seconds` {setting}) | the runner before the flow "
        "package: never without a feed (it analyzed only after a poll that brought something; "
        "not run here) |\n"
        f"| idle round, {WARM_DUPLICATES:,} analyzed mentions in the store (same run) | "
        f"{warm * 1000:.1f} CPU-ms (pipeline kept warm) | {rebuilt:.2f} CPU-s (rebuilt each "
        "round) |\n",
        encoding="utf-8",
    )
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
