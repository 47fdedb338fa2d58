"""Response times ("waktu tanggap") for reports and exports: the ledger as CSV and as lines.

The weekly brief's "waktu tanggap" section and the CSV an officer files with their
functional-post credit records both come from :func:`pantau.workflow.ledger.ledger`.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy.orm import Session

from pantau.reports.export import csv_safe
from pantau.workflow.ledger import LedgerRow, issue_times, ledger

__all__ = ["CSV_COLUMNS", "ledger_csv", "response_rows"]

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
)


def response_rows(session: Session, start: datetime, end: datetime) -> list[LedgerRow]:
    """The ledger over issues first alerted in [start, end)."""
    return ledger(issue_times(session, start, end))


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
        )
        writer.writerow(list(csv_safe(cells)))
    return buf.getvalue()
