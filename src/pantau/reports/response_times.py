"""Response times ("waktu tanggap") for reports and exports: the ledger as CSV and as lines.

The weekly brief's "waktu tanggap" section, the ledger page and API, and the CSV an officer files
with their functional-post credit records all come from :func:`response_rows`: the workflow's
response times (:func:`pantau.workflow.ledger.issue_times`) with the media pick-up of each
issue's releases, read through the newsroom's :func:`pantau.newsroom.pickup.issue_pickups`.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy.orm import Session

from pantau.newsroom.pickup import issue_pickups
from pantau.reports.export import csv_safe
from pantau.workflow.ledger import IssueTimes, LedgerRow, issue_times, ledger

__all__ = ["CSV_COLUMNS", "ledger_csv", "response_rows", "with_pickups"]

#: Column names of the CSV export, in Indonesian.
CSV_COLUMNS = (
    "jenis",
    "nama",
    "isu",
    "median_jam_ke_klaim",
    "median_jam_ke_pernyataan",
    "median_jam_ke_selesai",
    "pernyataan_per_isu",
    "porsi_selesai_dengan_pelajaran",
    "media_memuat_rilis",
    "median_jam_ke_dimuat",
    "nama_media",
)


def with_pickups(session: Session, times: list[IssueTimes]) -> list[IssueTimes]:
    """Each issue's outlets and hours to pick-up, from the releases that answered it.

    An article published just before its release (an embargo leak, a clock off) counts as
    carried at once: zero hours, never negative.
    """
    for t in times:
        first: dict[int, float] = {}
        for p in issue_pickups(session, t.issue_id):
            t.outlets.add(p.outlet)
            if p.lag_seconds is not None:
                hours = max(0.0, p.lag_seconds / 3600)
                first[p.release_id] = min(first.get(p.release_id, hours), hours)
        t.pickup_hours = list(first.values())
    return times


def response_rows(session: Session, start: datetime, end: datetime) -> list[LedgerRow]:
    """The ledger over issues first alerted in [start, end), with their releases' pick-up."""
    return ledger(with_pickups(session, issue_times(session, start, end)))


def ledger_csv(rows: list[LedgerRow]) -> str:
    """The ledger as CSV: a header row, empty cells where nothing happened, no formulas."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        cells = (
            r.kind,
            r.name,
            r.issues,
            r.hours_to_claim,
            r.hours_to_statement,
            r.hours_to_close,
            r.statements_per_issue,
            r.closed_with_lessons,
            r.outlets,
            r.hours_to_pickup,
            "; ".join(r.outlet_names),
        )
        writer.writerow(list(csv_safe(cells)))
    return buf.getvalue()
