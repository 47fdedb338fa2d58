"""``pantau replay``: the ``issues`` stage on a JSON Lines stream, without a database.

Feeds a time-ordered stream (``id``, ``text``, optional ``published_at``, ``channel``,
``author``, ``title`` and any enrichment fields) through clustering and detection in stream time,
online: each line is assigned when it is read, with nothing from later lines.

- Assignments (``--assignments``, default stdout): one line per input line, in input order,
  ``{id, issue, first_issue}``: ``first_issue`` is where the mention went when it arrived,
  ``issue`` the issue that holds it at the end of the stream (after merges and splits, as the
  store shows it); both are ``null`` for a post the analyzer flagged as ``noise``, which joins
  no issue.
  A line that cannot be read gives ``{"line": N, "error": "..."}`` and the stream goes on.
- Alerts (``--alerts``): ``{issue, raised_at, stage, risk, reasons, first_seen, size, kind,
  label}`` each time an issue is raised, written as they happen.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, progress

if TYPE_CHECKING:
    from pantau.ingest.limits import RecordLimits

__all__ = ["read_stream", "replay_cmd"]


def read_stream(src: IO[bytes], limits: RecordLimits | None = None) -> Any:
    """Yield ``(line number, Mention or error text)`` for each non-empty line of ``src``.

    A line whose ``published_at`` lies outside the sane window (``limits``) is an error line:
    fed to the tracker, a date in year 2999 would move its clock there for good."""
    from pantau.issues import Mention, MentionError

    for number, raw in enumerate(src, 1):
        line = raw.strip()
        if not line:
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            mention = Mention.from_dict(record)
        except UnicodeDecodeError as exc:
            yield number, f"bukan UTF-8 (byte ke-{exc.start} tidak valid)"
            continue
        except json.JSONDecodeError as exc:
            yield number, f"JSON tidak valid pada kolom {exc.colno}: {exc.msg}"
            continue
        except (MentionError, RecursionError, ValueError, OverflowError) as exc:
            yield number, str(exc) or f"baris tidak terbaca ({type(exc).__name__})"
            continue
        problem = limits and mention.published_at and limits.date_problem(mention.published_at)
        yield number, f"published_at: {problem}" if problem else mention


@app.command("replay")
def replay_cmd(
    stream: Annotated[str, typer.Argument(help="Berkas JSON Lines berurutan waktu (- = stdin).")],
    assignments: Annotated[
        str,
        typer.Option("--assignments", "-a", help="Keluaran penempatan {id, issue} (- = stdout)."),
    ] = "-",
    alerts: Annotated[
        str | None, typer.Option("--alerts", help="Keluaran peringatan JSON Lines.")
    ] = None,
) -> None:
    """Putar ulang aliran sebutan: kelompokkan jadi isu secara daring dan naikkan peringatan."""
    from pantau.ingest.limits import RecordLimits
    from pantau.issues import IssueTracker
    from pantau.issues.tracker import moved_by_splits
    from pantau.settings import SettingsError, get_settings

    try:
        settings = get_settings()
        tracker = IssueTracker(settings)
        limits = RecordLimits.from_settings(settings)
    except SettingsError as exc:
        fail(str(exc))
    rows: list[tuple[int, str, str | None] | tuple[int, str]] = []
    n_alerts = errors = 0
    moved: dict[str, str] = {}  # mention id -> the issue a split moved it to
    started = time.perf_counter()
    with ExitStack() as stack:
        try:
            src = sys.stdin.buffer if stream == "-" else stack.enter_context(open(stream, "rb"))
            alert_out = stack.enter_context(open(alerts, "w", encoding="utf-8")) if alerts else None
        except OSError as exc:
            fail(f"berkas tidak dapat dibuka: {exc}")
        bar = stack.enter_context(progress())
        task = bar.add_task("Memutar ulang", total=None)
        for number, item in read_stream(src, limits):
            if isinstance(item, str):
                rows.append((number, item))
                errors += 1
                continue
            assignment = tracker.update(item)
            rows.append((number, assignment.id, assignment.issue))
            moved_by_splits(tracker.drain_splits(), moved)
            for alert in tracker.drain_alerts():
                n_alerts += 1
                if alert_out is not None:
                    alert_out.write(json.dumps(alert.to_dict(), ensure_ascii=False) + "\n")
            if len(rows) % 1000 == 0:
                bar.update(task, completed=len(rows))
        try:
            dst = (
                sys.stdout
                if assignments == "-"
                else stack.enter_context(open(assignments, "w", encoding="utf-8"))
            )
        except OSError as exc:
            fail(f"berkas tidak dapat dibuka: {exc}")
        for row in rows:
            if len(row) == 2:
                record: dict[str, Any] = {"line": row[0], "error": row[1]}
            else:
                first = row[2]  # None: a noise post, in no issue
                record = {
                    "id": row[1],
                    "issue": tracker.resolve(moved.get(row[1], first)) if first else None,
                    "first_issue": first,
                }
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
        dst.flush()
    elapsed = max(time.perf_counter() - started, 1e-9)
    done = len(rows) - errors
    err.print(
        f"{done} sebutan diputar ulang ({done / elapsed:,.0f}/detik), "
        f"{len(tracker.states)} isu aktif, {n_alerts} peringatan, {errors} baris galat."
    )
