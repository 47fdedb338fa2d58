"""Import benchmark: a 100k-line JSON Lines export into the store vs a bare executemany.

Run: ``.venv/bin/python benchmarks/ingest_import.py [--lines 100000] [--no-postgres]``

For each backend (a SQLite file; a throwaway PostgreSQL server when its binaries are present)
the same rows are written twice into fresh databases:
1. ``pantau import`` path (``import_file``): read and parse JSONL (X API v2 tweets, one per
   line), validate, canonicalize URLs, check identity against the store, insert with
   ``ON CONFLICT DO NOTHING ... RETURNING`` in batches, write health;
2. baseline: the DB-API ``executemany`` of the already-built rows, no parsing, no checks.
Prints mentions/s of both and their ratio, and writes ``benchmarks/results/ingest.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import text  # noqa: E402

from pantau.ingest.imports import import_file  # noqa: E402
from pantau.ingest.sources import import_source  # noqa: E402
from pantau.settings import Settings  # noqa: E402
from pantau.store.db import Database  # noqa: E402

#: The acceptance floor from issue 3: the import reaches at least half the bare insert's rate.
MIN_RATIO = 0.5
T0 = datetime(2024, 9, 24, tzinfo=UTC)
WORDS = [
    "banjir",
    "jalan",
    "rusak",
    "samarinda",
    "balikpapan",
    "bontang",
    "pemkot",
    "warga",
    "air",
    "keruh",
    "mbg",
    "sekolah",
]


def make_file(path: Path, lines: int) -> None:
    """X API v2 tweets with an expanded author, one per line (as twarc2 flattens them)."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            body = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(12))
            tweet = {
                "id": str(1838500000000000000 + i),
                "text": f"{body} #{i}",
                "author_id": str(1000 + i % 5000),
                "created_at": (T0 + timedelta(seconds=7 * i)).isoformat().replace("+00:00", "Z"),
                "lang": "in",
                "public_metrics": {
                    "retweet_count": i % 7,
                    "reply_count": i % 3,
                    "like_count": i % 50,
                    "quote_count": 0,
                    "impression_count": 100 + i,
                },
                "author": {
                    "id": str(1000 + i % 5000),
                    "username": f"warga{i % 5000}",
                    "public_metrics": {"followers_count": 10 + i % 900},
                },
            }
            fh.write(json.dumps(tweet, ensure_ascii=False) + "\n")


def bare_rows(path: Path, source_id: int) -> list[dict[str, object]]:
    """The same mentions as plain column dicts, built before the clock starts."""
    from pantau.ingest.x_v2 import tweet_to_mention

    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            m = tweet_to_mention(json.loads(line), {})
            rows.append(
                {
                    "source_id": source_id,
                    "external_id": m.external_id,
                    "url": m.url,
                    "canonical_url": m.url,
                    "author": m.author,
                    "author_followers": m.author_followers,
                    "channel": m.channel,
                    "platform": m.platform,
                    "published_at": m.published_at.replace(tzinfo=None) if m.published_at else None,
                    "fetched_at": now,
                    "text": m.text,
                    "likes": m.likes,
                    "shares": m.shares,
                    "comments": m.comments,
                    "views": m.views,
                    "lang": m.lang,
                    "extra": json.dumps(m.extra),
                    "notes": "[]",
                    "regions": "[]",
                    "watch": "[]",
                    "coordinated": False,
                }
            )
    return rows


def bare_insert(db: Database, rows: list[dict[str, object]], batch: int) -> float:
    """Seconds for a DB-API executemany of ``rows`` in ``batch``-sized transactions."""
    cols = list(rows[0])
    mark = "?" if db.dialect == "sqlite" else "%s"
    sql = f"INSERT INTO mentions ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
    raw = db.engine.raw_connection()
    try:
        start = time.perf_counter()
        cur = raw.cursor()
        for i in range(0, len(rows), batch):
            cur.executemany(sql, [tuple(r[c] for c in cols) for r in rows[i : i + batch]])
            raw.commit()
        return time.perf_counter() - start
    finally:
        raw.close()


def run_backend(name: str, url_a: str, url_b: str, path: Path, lines: int) -> dict[str, float]:
    settings = Settings.from_env({}, database_url=url_a)
    db = Database(url_a)
    db.upgrade()
    start = time.perf_counter()
    summary = import_file(db, path, "x-v2", settings, source_name="bench")
    t_import = time.perf_counter() - start
    if summary.imported != lines:
        raise SystemExit(f"{name}: imported {summary.imported} of {lines}")
    start = time.perf_counter()
    again = import_file(db, path, "x-v2", settings, source_name="bench")
    t_reimport = time.perf_counter() - start
    if again.imported != 0:
        raise SystemExit(f"{name}: re-import added {again.imported}")
    db.dispose()
    base = Database(url_b)
    base.upgrade()
    with base.writer() as s:
        sid = import_source(s, "bench", "x-v2", "social").id
    rows = bare_rows(path, sid)
    t_bare = bare_insert(base, rows, settings.import_batch_size)
    with base.session() as s:
        if s.execute(text("SELECT count(*) FROM mentions")).scalar() != lines:
            raise SystemExit(f"{name}: bare insert count wrong")
    base.dispose()
    return {
        "import": lines / t_import,
        "reimport": lines / t_reimport,
        "bare": lines / t_bare,
        "ratio": (lines / t_import) / (lines / t_bare),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.jsonl"
        make_file(path, args.lines)
        results["SQLite"] = run_backend(
            "sqlite", f"sqlite:///{tmp}/a.db", f"sqlite:///{tmp}/b.db", path, args.lines
        )
        if not args.no_postgres:
            from tests.conftest import new_pg_database
            from tests.support.pgserver import PostgresServer

            server = PostgresServer()
            try:
                server_url = server.start()
                results["PostgreSQL"] = run_backend(
                    "postgresql",
                    new_pg_database(server_url),
                    new_pg_database(server_url),
                    path,
                    args.lines,
                )
            finally:
                server.stop()
    lines = [
        f"# Ingest: import benchmark ({args.lines:,} JSONL lines, X API v2 tweets)",
        "",
        "Command: `.venv/bin/python benchmarks/ingest_import.py`; both columns measured in the same"
        " run on fresh databases. Floor: import >= "
        f"{MIN_RATIO} x bare insert.",
        "",
        "| backend | `pantau import` mentions/s | re-import (all duplicates) lines/s "
        "| bare `executemany` rows/s | ratio import/bare |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['import']:,.0f} | {r['reimport']:,.0f} | {r['bare']:,.0f} "
            f"| {r['ratio']:.2f} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    out = ROOT / "benchmarks" / "results" / "ingest.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    worst = min(r["ratio"] for r in results.values())
    if worst < MIN_RATIO:
        raise SystemExit(f"import rate below {MIN_RATIO} x bare insert: {worst:.2f}")


if __name__ == "__main__":
    main()
