"""The overview's matching-issues statement alone (the ``WITH matching`` one of
:mod:`pantau.reports.issue_ranking`), timed inside whole overview calls on an existing store.

The page benchmark (``reports_dashboard.py``) times the whole page, of which this statement is
a third to a half with a filter; on a shared box its load swamps a change of 20 ms. Run this
with two trees in turn (``PYTHONPATH=TREE/src``) for a before and after of the statement
under the same load.

Usage: ``PYTHONPATH=src .venv/bin/python benchmarks/reports_matching.py [--url URL] [--calls
N] [PARAM=VALUE ...]``; by default the SQLite store ``reports_dashboard.py`` fills (it runs
first in ``run_all.py``) with noise hidden. Prints the median, min and max in ms of all calls
but the first (which warms the caches).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from statistics import median
from typing import Any

from sqlalchemy import event

from pantau.reports.filters import DashFilter
from pantau.reports.overview import overview
from pantau.store import Database

ROOT = Path(__file__).resolve().parents[1]

#: The zone the benchmark's stores were read in (WITA: Kalimantan Timur's).
TZ = "Asia/Makassar"
#: How the statement starts (the common table of issue_ranking._ranked_in_sql).
MARK = "WITH matching"
#: The store reports_dashboard.py fills by default.
DEFAULT_STORE = ROOT / "benchmarks" / "out" / "reports-bench.db"
DEFAULT_URL = f"sqlite:///{DEFAULT_STORE}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="the store's database URL")
    parser.add_argument(
        "params", nargs="*", default=["noise=hide"], help="the overview's query, as PARAM=VALUE"
    )
    parser.add_argument("--calls", type=int, default=11)
    args = parser.parse_intermixed_args()
    params = dict(p.split("=", 1) for p in args.params)
    if args.url == DEFAULT_URL and not DEFAULT_STORE.exists():
        raise SystemExit(f"no store at {DEFAULT_STORE}: fill it with reports_dashboard.py first")
    db = Database(args.url)
    times: list[float] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(db.engine, "after_cursor_execute")
    def _stop(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith(MARK):
            times.append((time.perf_counter() - conn.info["started"]) * 1000)

    for _ in range(args.calls):
        with db.session() as s:
            overview(s, DashFilter.from_params(params), TZ)
    db.dispose()
    timed = sorted(times[1:])
    if not timed:
        raise SystemExit(f"no {MARK!r} statement ran: a filter of the rollups is needed")
    print(
        f"median {median(timed):.1f} ms, min {timed[0]:.1f}, max {timed[-1]:.1f} (n={len(timed)})"
    )


if __name__ == "__main__":
    main()
