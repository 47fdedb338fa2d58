"""Scale: ``pantau reanalyze`` throughput in this process and on local Dask clusters of 1 and 2
workers, on the same store in the same run (the ratio is the figure to read).

The store is a SQLite file of generated mentions (``tests/scale/streams.py``), all marked
analyzed by an "old model" (no language, no sentiment), so every mention is rewritten each run.
Cluster start-up and model loading are timed apart from the job. The result names the machine and
its CPU count: on a machine shared with other work, two workers cannot reach 2x.

Usage: ``.venv/bin/python benchmarks/scale_reanalyze.py [--mentions N]``; writes
``benchmarks/results/scale.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale.streams import generate, store  # noqa: E402

from pantau.scale import connect  # noqa: E402
from pantau.scale.reanalyze import Reanalyzer  # noqa: E402
from pantau.scale.text import ClusterAnalyzer, prepare_batch  # noqa: E402
from pantau.settings import Settings  # noqa: E402
from pantau.store import Database, Mention  # noqa: E402
from pantau.store.types import utcnow  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "scale.md"


def make_store(folder: Path, mentions: int, url: str | None = None) -> Database:
    db = Database(url or f"sqlite:///{folder / 'scale.db'}")
    db.upgrade()
    rows = []
    for n, line in enumerate(generate(mentions)):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # the generator's unreadable lines: not stored
            continue
        if "text" not in record:
            continue
        when = datetime.fromisoformat(record["published_at"])
        rows.append((f"g{n}", record["text"], when, record.get("author", "")))
    store(db, "bangkit", rows)
    with db.writer() as s:
        s.execute(update(Mention).values(analyzed_at=utcnow()))
    return db


def forget(db: Database) -> None:
    """Back to the "old model": no language, sentiment or places, so the next job rewrites every
    mention (the write path is measured, not skipped as unchanged)."""
    with db.writer() as s:
        s.execute(
            update(Mention).values(lang=None, sentiment=None, sentiment_score=None, regions=[])
        )


def timed(db: Database, settings: Settings, client: Any = None) -> tuple[int, float]:
    """Mentions rewritten and seconds for one whole job, models already loaded everywhere (a
    worker loads them on its first batch: warmed here with one record, outside the timing).
    A job over a store the same models analyzed writes nothing: the no-op baseline."""
    job = Reanalyzer(db, settings, client=client)
    if isinstance(job.runner, ClusterAnalyzer):
        r = job.runner
        client.run(prepare_batch, r.key, r.settings, r.watchlists, [{"text": "pemanasan"}])
    start = time.perf_counter()
    result = job.run(restart=True)
    return result.changed, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument(
        "--postgresql", action="store_true", help="a throwaway PostgreSQL server, not SQLite"
    )
    args = parser.parse_args()
    settings = Settings.from_env({})
    rows = []
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgresql:
            from tests.support.pgserver import PostgresServer

            server = PostgresServer()
        url = server.start() if server else None
        db = make_store(Path(tmp), args.mentions, url)
        for workers in (0, 1, 2):
            began = time.perf_counter()
            with connect(workers=workers) if workers else nullcontext() as client:
                if client is not None:
                    client.wait_for_workers(workers)
                startup = time.perf_counter() - began
                name = f"Dask, {workers} worker(s)" if workers else "in-process (no Dask)"
                forget(db)
                written, seconds = timed(db, settings, client)
                _, noop = timed(db, settings, client)
            rows.append((name, startup, written, seconds, noop))
        db.dispose()
        if server:
            server.stop()
    rate = {name: done / seconds for name, _, done, seconds, _ in rows}
    ratio = rate["Dask, 2 worker(s)"] / rate["Dask, 1 worker(s)"]
    store = "PostgreSQL (partitioned mentions)" if args.postgresql else "SQLite"
    lines = [
        "# Scale: reanalyze throughput",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other work "
        f"while measured), {store} store, batches of 500; job times exclude model loading.",
        f"Command: `python benchmarks/scale_reanalyze.py {' '.join(sys.argv[1:])}`",
        "",
        "| run | cluster start (s) | mentions written | job (s) | mentions/s | no-op job (s) "
        "| no-op mentions/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {startup:.1f} | {done} | {seconds:.1f} | {done / seconds:.0f} | "
            f"{noop:.1f} | {done / noop:.0f} |"
            for name, startup, done, seconds, noop in rows
        ),
        "",
        f"2 workers / 1 worker: **{ratio:.2f}x**. The no-op job reads and analyzes the same "
        "mentions and writes nothing (the models find what is stored): the time between the two "
        "is the write path's.",
        "",
    ]
    out = OUT.with_name("scale_pg.md") if args.postgresql else OUT
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
