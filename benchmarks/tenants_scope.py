"""What the tenant scope costs a query: the search page's reads, national vs one province.

Seeds a SQLite store with ``--mentions`` mentions split between two provinces (64 and 63), then
times the search page's first page and its count, unfiltered and for a word, as a national
principal (no criteria) and as a Kaltim one (``tenancy.scope({"64"})``: every statement gets
the loader criteria of every scoped model). Prints the median of ``--repeat`` runs in ms.

    python benchmarks/tenants_scope.py --mentions 50000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from pantau.store import Database, Mention, Source, tenancy
from pantau.store.search import MentionFilter, count_mentions, search_mentions

WORDS = ("banjir", "jalan", "listrik", "sampah", "harga", "macet")


def _seed(db: Database, n: int) -> None:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    with db.writer() as s:
        sources = [
            Source(name=f"s{p}", kind="mapping", channel="social", province=p) for p in ("64", "63")
        ]
        s.add_all(sources)
        s.flush()
        rows = [
            {
                "source_id": sources[i % 2].id,
                "tenant": sources[i % 2].province,
                "external_id": str(i),
                "channel": "social",
                "text": f"{WORDS[i % len(WORDS)]} di kota nomor {i}",
                "published_at": t0 + timedelta(seconds=30 * i),
                "fetched_at": t0,
                "regions": [],
                "watch": [],
                "extra": {},
                "notes": [],
                "analyzed_at": t0,
            }
            for i in range(n)
        ]
        for start in range(0, n, 5_000):
            s.execute(insert(Mention), rows[start : start + 5_000])


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.upgrade()
        _seed(db, args.mentions)
        cases = {"all": MentionFilter(), "q=banjir": MentionFilter(q="banjir")}
        print(f"{args.mentions} mentions, 2 provinces; median of {args.repeat} runs, ms")
        print(f"{'query':<22}{'national':>10}{'province 64':>14}")
        for name, f in cases.items():
            for what, call in (
                ("page", lambda f=f: _page(db, f)),
                ("count", lambda f=f: _count(db, f)),
            ):
                national = _median_ms(call, args.repeat)
                with tenancy.scope(frozenset({"64"})):
                    provincial = _median_ms(call, args.repeat)
                print(f"{what + ' ' + name:<22}{national:>10.1f}{provincial:>14.1f}")
        db.dispose()


def _page(db: Database, f: MentionFilter) -> object:
    with db.session() as s:
        return search_mentions(s, f, limit=50)


def _count(db: Database, f: MentionFilter) -> object:
    with db.session() as s:
        return count_mentions(s, f)


if __name__ == "__main__":
    main()
