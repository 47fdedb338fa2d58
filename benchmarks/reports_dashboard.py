"""Dashboard and export speed on a large store: overview, issue and search pages, and exports.

Fills SQLite (and PostgreSQL, a throwaway server like the tests') with synthetic mentions and
issues, then times the real pages through the in-process HTTP client beside a plain
``SELECT count(*) FROM mentions`` on the same store in the same run, and measures the peak memory
of ``pantau export`` on the whole table against an export of a tenth of it (flat memory: the two
peaks should be about equal).

    .venv/bin/python benchmarks/reports_dashboard.py --mentions 1000000 --issues 20000

Results go to stdout and to benchmarks/results/reports.md (``--write``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"
RESULTS = ROOT / "benchmarks" / "results" / "reports.md"

REGIONS = ["64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11", "64.71", "64.72", "64.74"]
TOPIC_WORDS = (
    "banjir",
    "jalan",
    "rusak",
    "harga",
    "cabai",
    "listrik",
    "padam",
    "air",
    "bersih",
    "sekolah",
    "rumah",
    "sakit",
    "antrean",
    "bansos",
    "pupuk",
    "tambang",
    "batu",
    "bara",
    "kebakaran",
    "hutan",
    "longsor",
    "jembatan",
    "macet",
    "pasar",
    "pelabuhan",
    "bandara",
    "ikn",
    "gubernur",
    "bupati",
    "wali",
    "kota",
    "dinas",
    "pelayanan",
    "izin",
    "pajak",
    "sampah",
    "rob",
    "sungai",
    "mahakam",
    "samarinda",
    "balikpapan",
    "bontang",
    "kutai",
    "tenggarong",
    "sangatta",
    "berau",
    "paser",
    "penajam",
)
# A Zipf vocabulary like real text: filler words (kata1, kata2, ...) with the topic words spread
# over ranks 30-300, so a two-word search matches a few percent of mentions, not all of them.
VOCABULARY = [f"kata{i}" for i in range(1, 5001)]
for _n, _w in enumerate(TOPIC_WORDS):
    VOCABULARY.insert(30 + 5 * _n, _w)
WORDS = TOPIC_WORDS
CHANNELS = ["social"] * 6 + ["news"] * 3 + ["complaint"]
SENTIMENTS = ["negative"] * 4 + ["neutral"] * 4 + ["positive"] * 2
# Languages and noise as the text stage finds them in Kalimantan streams: mostly Indonesian,
# some English and Malay; about one post in twelve is gambling spam, an ad, a job offer or a
# greeting (the share noise.py found in the demo stream).
LANGS = ["id"] * 93 + ["en"] * 4 + ["ms"] * 2 + ["jv"]
NOISE = [None] * 92 + ["judi"] * 3 + ["iklan"] * 3 + ["loker"] + ["sapaan"]
#: The benchmark's one watchlist: mentions whose text has this word carry it.
WATCHWORD = "banjir"
#: Every EMOJI_EVERY-th mention ends with EMOJI (2.7 %, about the share of posts with a mask or
#: prayer emoji in the demo stream); by position, so stores filled before it can be brought in
#: line with one UPDATE (see --add-emoji).
EMOJI = "😷"
EMOJI_EVERY = 37
END = datetime(2026, 11, 20, 12, tzinfo=UTC)
DAYS = 30
BATCH = 10_000


def _issue_rows(rng: random.Random, issues: int) -> list[dict]:  # type: ignore[type-arg]
    rows = []
    for i in range(1, issues + 1):
        first = END - timedelta(hours=rng.uniform(0, DAYS * 24))
        words = rng.sample(WORDS, 4)
        rows.append(
            {
                "id": i,
                "label": " ".join(words).capitalize(),
                "key_phrases": words,
                "regions": [rng.choice(REGIONS)],
                "channels": {"social": 1},
                "first_seen": first,
                "last_seen": min(END, first + timedelta(hours=rng.uniform(1, 96))),
                "crossover": rng.random() < 0.1,
                "stage": rng.choice(["potential", "emerging", "current", "crisis", "dormant"]),
                "status": "baru",
                "risk": rng.uniform(0, 100),
                "risk_components": {},
                "size": 0,
                "sentiment_mix": {},
                "summary": {},
                "created_at": END,
                "updated_at": END,
            }
        )
    return rows


MENTION_COLUMNS = [
    "source_id",
    "external_id",
    "channel",
    "title",
    "text",
    "author",
    "outlet",
    "published_at",
    "fetched_at",
    "sentiment",
    "regions",
    "watch",
    "extra",
    "notes",
    "likes",
    "shares",
    "comments",
    "views",
    "coordinated",
    "issue_id",
    "lang",
    "noise",
]


def _mention_rows(rng: random.Random, start: int, stop: int, cum: list[float]):  # type: ignore[no-untyped-def]
    """Mentions as tuples in MENTION_COLUMNS order; datetimes as naive UTC text, JSON as text."""
    for n in range(start, stop):
        ch = rng.choice(CHANNELS)
        issue = _pick(rng, cum) + 1 if rng.random() < 0.7 else None
        text = " ".join(rng.choices(VOCABULARY, cum_weights=ZIPF_CUM, k=rng.randint(8, 30)))
        published = END - timedelta(seconds=rng.uniform(0, DAYS * 86400))
        yield (
            {"news": 1, "social": 2, "complaint": 3}[ch],
            f"b{n}",
            ch,
            text[:60] if ch == "news" else None,
            f"{text} {EMOJI}" if n % EMOJI_EVERY == 0 else text,
            f"akun{rng.randint(1, 50_000)}",
            f"media{rng.randint(1, 40)}" if ch == "news" else None,
            published.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds"),
            END.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds"),
            rng.choice(SENTIMENTS),
            json.dumps([rng.choice(REGIONS)]),
            json.dumps([WATCHWORD.capitalize()]) if WATCHWORD in text.split() else "[]",
            "{}",
            "[]",
            rng.randint(0, 200),
            0,
            0,
            0,
            False,
            issue,
            rng.choice(LANGS),
            rng.choice(NOISE),
        )


def _migration(name: str):  # type: ignore[no-untyped-def]
    """A migration module, for its own backfill statements (what `pantau init` runs on old
    data)."""
    path = ROOT / f"src/pantau/store/migrations/versions/{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _rollup_backfill(dialect: str) -> list[str]:
    return _migration("0010_tenants_rollup").backfill(dialect)  # type: ignore[no-any-return]


def fill(db, mentions: int, issues: int, seed: int = 7) -> None:  # type: ignore[no-untyped-def]
    """Bulk-load synthetic issues (Zipf-sized) and mentions over DAYS days, 70 % in an issue.

    Like any bulk load, triggers are off while rows go in; the full-text index, the rollup and
    the analysis page's range counts are then built in one pass each, exactly as the triggers
    would have built them.
    """
    from sqlalchemy import insert

    from pantau.store.models import Agency, Issue, Source, Watchlist

    rng = random.Random(seed)
    with db.writer() as s:
        for n, ch in enumerate(("news", "social", "complaint")):
            s.add(Source(id=n + 1, name=f"bench-{ch}", kind="import", channel=ch, health="ok"))
        s.add(Agency(id=1, name="Diskominfo Bench", level="provinsi"))
        s.add(Watchlist(id=1, agency_id=1, name=WATCHWORD.capitalize(), query=WATCHWORD))
        rows = _issue_rows(rng, issues)
        for k in range(0, len(rows), BATCH):
            s.execute(insert(Issue), rows[k : k + BATCH])
    cum = list(_accumulate([1 / (r**0.9) for r in range(1, issues + 1)]))
    cols = ", ".join(MENTION_COLUMNS)
    t0 = time.perf_counter()
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if db.dialect == "sqlite":
            triggers = [
                sql
                for (sql,) in cur.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'mentions'"
                )
            ]
            for name in [t.split()[2] for t in triggers]:
                cur.execute(f"DROP TRIGGER {name}")
            marks = ", ".join("?" for _ in MENTION_COLUMNS)
            for start in range(0, mentions, BATCH):
                stop = min(mentions, start + BATCH)
                cur.executemany(
                    f"INSERT INTO mentions ({cols}) VALUES ({marks})",
                    list(_mention_rows(rng, start, stop, cum)),
                )
                _progress(stop, t0)
            cur.execute("INSERT INTO mention_fts(mention_fts) VALUES ('rebuild')")
            cur.execute(_migration("0010_daily3_mention_symbols").backfill())
            for sql in _rollup_backfill("sqlite"):
                cur.execute(sql)
            for sql in triggers:
                cur.execute(sql)
        else:
            from benchmarks import pg_fill

            _partitions_for_fill(db)
            pg_fill.fill_mentions(
                raw,
                sys.modules[__name__],
                mentions,
                cum,
                _rollup_backfill("postgresql"),
                END,
                DAYS,
                _progress,
            )
        raw.commit()
    finally:
        raw.close()
    # the range counts' triggers were off too: counted afresh where the page's windows start,
    # as `pantau run` keeps them (pantau.store.range_counts)
    from pantau.reports.analysis_ranges import slide_to_newest

    with db.writer() as s:
        slide_to_newest(s)


def add_emoji(db) -> None:  # type: ignore[no-untyped-def]
    """Give a store filled before EMOJI existed the emoji the generator now writes (idempotent)."""
    from sqlalchemy import text

    with db.engine.begin() as conn:
        done = conn.execute(
            text(
                "UPDATE mentions SET text = text || :tail "
                "WHERE CAST(substr(external_id, 2) AS BIGINT) % :every = 0 AND text NOT LIKE :end"
            ),
            {"tail": f" {EMOJI}", "every": EMOJI_EVERY, "end": f"%{EMOJI}"},
        )
    print(f"  {done.rowcount:,} mentions given {EMOJI}", file=sys.stderr, flush=True)


def _progress(done: int, t0: float) -> None:
    if done % 100_000 == 0:
        rate = done / (time.perf_counter() - t0)
        print(f"  {done:,} mentions ({rate:,.0f}/s)", file=sys.stderr, flush=True)


def _accumulate(values: list[float]) -> list[float]:
    out, total = [], 0.0
    for v in values:
        total += v
        out.append(total)
    return out


ZIPF_CUM = _accumulate([1 / r for r in range(1, len(VOCABULARY) + 1)])


def _pick(rng: random.Random, cum: list[float]) -> int:
    import bisect

    return bisect.bisect_left(cum, rng.random() * cum[-1])


def _times(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()  # warm-up: connection pool, template compilation
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def _partitions_for_fill(db) -> None:  # type: ignore[no-untyped-def]
    """Every month the generated mentions fall in gets its partition before the COPY."""
    from pantau.store.partitions import add_months, create_month, ensure, month_of

    with db.engine.begin() as conn:
        ensure(conn, END.date(), 0)
        month = month_of(END - timedelta(days=DAYS))
        while month <= month_of(END):
            create_month(conn, month)
            month = add_months(month, 1)


#: The row every other is compared with, measured in the same run (p50 / count(*)).
COUNT_ROW = "SELECT count(*) FROM mentions"


def measure(
    url: str, repeat: int, skip_scan: bool = False, only: Sequence[str] = ()
) -> dict[str, tuple[float, float]]:
    """p50/p95 in ms of the pages and of SELECT count(*), through the real app; ``skip_scan``
    leaves out the emoji search, a substring scan of every mention (minutes at 10M); ``only``
    keeps the rows whose name holds one of its words (and the count, always)."""
    import re

    from fastapi.testclient import TestClient
    from sqlalchemy import select, text

    from pantau.settings import Settings
    from pantau.store import Database
    from pantau.store.models import Issue, User
    from pantau.workflow.users import create_user

    db = Database(url)
    with db.writer() as s:
        if s.scalar(select(User.id).where(User.username == "bench")) is None:
            create_user(
                s,
                username="bench",
                password="bench-password-123",
                role="koordinator",
                full_name="Bench",
            )
        issue_ids = list(s.scalars(select(Issue.id).order_by(Issue.risk.desc()).limit(50)))
    settings = Settings.from_env({}, database_url=url, secret_key="b" * 40, data_dir=str(OUT))
    from pantau.web.app import create_app

    client = TestClient(create_app(settings, db), base_url="http://127.0.0.1")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post(
        "/login", data={"username": "bench", "password": "bench-password-123", "csrf_token": token}
    )
    rng = random.Random(3)

    def get(path: str) -> None:
        resp = client.get(path)
        if resp.status_code != 200:
            raise RuntimeError(f"{path}: {resp.status_code}")

    def count() -> None:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM mentions")).scalar()

    pages: dict[str, Callable[[], None]] = {
        COUNT_ROW: count,
        "overview, 7 days (/)": lambda: get("/"),
        "overview, 24 hours": lambda: get("/?range=24h"),
        "overview, 7 days, one kab/kota": lambda: get("/?region=64.72"),
        "issue page (top 50 by risk)": lambda: get(f"/issues/{rng.choice(issue_ids)}"),
        # ids 1-5 are the largest issues by construction (Zipf rank 1-5: 10,000-24,000 mentions)
        "issue page (5 largest issues)": lambda: get(f"/issues/{rng.randint(1, 5)}"),
        "search 'banjir samarinda', page 1": lambda: get("/search?q=banjir+samarinda"),
        # no words: the newest of everything (PostgreSQL sorted the whole table for it)
        "search, no words, page 1": lambda: get("/search"),
        "search, news only, page 1": lambda: get("/search?channel=news"),
        # the professional filters: a kab/kota with a sentiment, NOT, an author, an outlet,
        # an issue, and an emoji (the symbol index, pantau.store.symbols)
        # the overview with the professional filters: rollup dimensions (kab/kota, sentiment,
        # issue, channel, language, noise) and the mention-level ones (author, outlet, watchlist)
        "overview, one kab/kota + negative": lambda: get("/?region=64.72&sentiment=negative"),
        "overview, one issue (top 50)": lambda: get(f"/?issue={rng.choice(issue_ids)}"),
        "overview, news in English": lambda: get("/?channel=news&lang=en"),
        "overview, noise hidden": lambda: get("/?noise=hide"),
        "overview, one author": lambda: get(f"/?author=akun{rng.randint(1, 50_000)}"),
        "overview, one outlet": lambda: get(f"/?outlet=media{rng.randint(1, 40)}"),
        "overview, watchlist": lambda: get("/?watchlist=1"),
        "overview, 30 days of dates, one kab/kota": lambda: get(
            "/?since=2026-10-22&until=2026-11-20&region=64.71"
        ),
        "search, one kab/kota + negative": lambda: get("/search?region=64.72&sentiment=negative"),
        "search 'banjir -jalan', page 1": lambda: get("/search?q=banjir+-jalan"),
        "search, one author": lambda: get(f"/search?author=akun{rng.randint(1, 50_000)}"),
        "search, one outlet": lambda: get(f"/search?outlet=media{rng.randint(1, 40)}"),
        "search, one issue (top 50), negative": lambda: get(
            f"/search?issue={rng.choice(issue_ids)}&sentiment=negative"
        ),
        # the analysis page: places, share of voice, outlets and authors against the period before
        "search, one kab/kota": lambda: get("/search?region=64.72"),
        "search, negative only": lambda: get("/search?sentiment=negative"),
        "search, watchlist": lambda: get("/search?watchlist=1"),
        "analysis, 7 days (/analisis)": lambda: get("/analisis"),
        "analysis, 30 days": lambda: get("/analisis?range=30d"),
        "analysis, kecamatan of one kab/kota": lambda: get("/analisis?region=64.72"),
    }
    if not skip_scan:  # emoji: the symbol index's lookups (a text scan before it)
        pages["search 'banjir 😷', page 1"] = lambda: get("/search?q=banjir+%F0%9F%98%B7")
        pages["search '😷', page 1"] = lambda: get("/search?q=%F0%9F%98%B7")
    # the count first: every other row is read beside it (p50 / count(*))
    out = {
        name: _times(fn, repeat)
        for name, fn in pages.items()
        if name == COUNT_ROW or not only or any(w in name for w in only)
    }
    db.dispose()
    return out


def export_peak(url: str, since: str | None) -> tuple[float, float, int]:
    """Seconds, peak RSS (MiB) and rows of ``pantau export --format csv`` in a child process."""
    args = [
        sys.executable,
        "-c",
        "from pantau.cli import main; main()",
        "export",
        "--format",
        "csv",
        "--output",
        str(OUT / "export.csv"),
    ]
    if since:
        args += ["--since", since]
    env = {**os.environ, "PANTAU_DATABASE_URL": url, "PANTAU_DATA_DIR": str(OUT)}
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, env=None); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    seconds, rss_kib = done.stdout.split()
    with (OUT / "export.csv").open("rb") as fh:
        rows = sum(1 for _ in fh) - 1
    return float(seconds), int(rss_kib) / 1024, rows


def run_backend(name: str, url: str, args: argparse.Namespace) -> list[str]:
    from pantau.store import Database

    db = Database(url)
    db.upgrade()
    t = time.perf_counter()
    if not args.reuse:
        fill(db, args.mentions, args.issues)
    elif args.add_emoji:
        add_emoji(db)
    fill_s = time.perf_counter() - t
    # fresh planner statistics and (PostgreSQL) the visibility map that index-only scans need,
    # as autovacuum would give a store that has been running
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if db.dialect == "sqlite" else "VACUUM ANALYZE")
    db.dispose()
    print(f"{name}: filled in {fill_s:.0f} s", file=sys.stderr, flush=True)
    if args.fill_only:
        return [f"{name}: {args.mentions:,} mentions filled in {fill_s:.0f} s"]
    timings = measure(url, args.repeat, args.skip_scan, args.only)
    base = timings[COUNT_ROW][0]
    lines = [
        f"### {name}: {args.mentions:,} mentions, {args.issues:,} issues (filled in "
        f"{fill_s:.0f} s)",
        "",
        "| what | p50 ms | p95 ms | p50 / count(*) |",
        "|---|---:|---:|---:|",
    ]
    for what, (p50, p95) in timings.items():
        lines.append(f"| {what} | {p50:.1f} | {p95:.1f} | {p50 / base:.2f} |")
    if not args.skip_export:
        tenth = (END - timedelta(days=DAYS / 10)).date().isoformat()
        s_small, rss_small, n_small = export_peak(url, tenth)
        s_all, rss_all, n_all = export_peak(url, None)
        lines += [
            "",
            "| export (CSV, whole result) | rows | seconds | rows/s | peak RSS MiB |",
            "|---|---:|---:|---:|---:|",
            f"| since {tenth} | {n_small:,} | {s_small:.0f} | {n_small / s_small:,.0f} | "
            f"{rss_small:.0f} |",
            f"| everything | {n_all:,} | {s_all:.0f} | {n_all / s_all:,.0f} | {rss_all:.0f} |",
            f"| ratio everything / tenth | {n_all / max(1, n_small):.1f} | | | "
            f"{rss_all / rss_small:.2f} |",
        ]
    print("\n".join(lines), flush=True)
    return lines


def main() -> None:
    global DAYS  # the generator and the export window read it
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--issues", type=int, default=20_000)
    parser.add_argument(
        "--days", type=int, default=DAYS, help="days the mentions spread over, ending at END"
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-scan", action="store_true", help="leave out the emoji searches")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the stores already filled (see --pg-url)"
    )
    parser.add_argument(
        "--fill-only", action="store_true", help="fill (and vacuum), measure later with --reuse"
    )
    parser.add_argument(
        "--add-emoji",
        action="store_true",
        help="with --reuse: give a store filled before EMOJI existed its emoji first",
    )
    parser.add_argument(
        "--pg-url", help="PostgreSQL: fill this server's store, or measure it with --reuse"
    )
    parser.add_argument(
        "--sqlite-path", type=Path, default=OUT / "reports-bench.db", help="the SQLite store"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the rows whose name holds this (repeatable; e.g. analysis, search)",
    )
    parser.add_argument("--write", action="store_true", help="write the results markdown")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where --write writes")
    args = parser.parse_args()
    DAYS = args.days
    OUT.mkdir(parents=True, exist_ok=True)
    sections: list[str] = []
    for name in args.backends.split(","):
        if name == "sqlite":
            path = args.sqlite_path
            for p in [] if args.reuse else path.parent.glob(f"{path.name}*"):
                p.unlink()
            sections += [*run_backend(name, f"sqlite:///{path}", args), ""]
        elif args.pg_url:  # an existing server: filled unless --reuse
            sections += [*run_backend(name, args.pg_url, args), ""]
        else:
            from tests.support.pgserver import PostgresServer

            server = PostgresServer()
            try:
                sections += [*run_backend(name, server.start(), args), ""]
            finally:
                server.stop()
    if args.write:
        head = [
            "# Reports stage: dashboard and export benchmark",
            "",
            f"`{' '.join(['python', 'benchmarks/reports_dashboard.py', *sys.argv[1:]])}` "
            f"on {os.cpu_count()} shared cores, {datetime.now(UTC):%Y-%m-%d}.",
            "",
        ]
        args.results.write_text("\n".join(head + sections) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
