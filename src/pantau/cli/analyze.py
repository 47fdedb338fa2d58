"""``pantau analyze``: the ``text`` stage on JSON Lines, without a database.

One JSON object per input line with at least ``text`` (optional ``id``, ``title``,
``published_at``, ``channel``, ``url``, ``author``); one output line per input line, in the same
order (DESIGN.md contract). A line that cannot be read gives ``{"line": N, "error": "..."}`` and
the stream goes on. Lines are read and analyzed in batches, so memory stays constant however
long the stream. Progress and the summary go to stderr.

Watchlists (``--watchlist FILE``): a JSON object ``{"name": "query", ...}``, or one
``name: query`` per line (``#`` starts a comment).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, progress

__all__ = ["analyze_cmd", "read_watchlists"]


def read_watchlists(path: str) -> dict[str, str]:
    """Watchlists from a JSON object or ``name: query`` lines; exits 2 on an unreadable file."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: berkas kata kunci tidak dapat dibaca ({exc}).")
    stripped = raw.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            fail(f"{path}: JSON tidak valid pada baris {exc.lineno} kolom {exc.colno}.")
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            fail(f"{path}: harus berupa objek JSON {{nama: kueri}} berisi teks.")
        return dict(data)
    out: dict[str, str] = {}
    for number, line in enumerate(raw.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, query = line.partition(":")
        if not sep or not name.strip() or not query.strip():
            fail(f"{path} baris {number}: tulis 'nama: kueri', misalnya 'banjir: banjir OR rob'.")
        out[name.strip()] = query.strip()
    return out


def _parse(line: bytes, number: int) -> dict[str, Any] | str:
    """The record on ``line``, or the reason it cannot be read (in Indonesian)."""
    if not line:
        return "baris kosong"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"bukan UTF-8 (byte ke-{exc.start} tidak valid)"
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"JSON tidak valid pada kolom {exc.colno}: {exc.msg}"
    if not isinstance(record, dict):
        return "baris harus berupa objek JSON"
    if not isinstance(record.get("text"), str):
        return "kolom 'text' wajib ada dan berupa teks"
    rid = record.get("id")
    if rid is not None and not isinstance(rid, str | int):
        return "kolom 'id' harus berupa teks atau angka"
    return record


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(stream, 1):
        yield number, line.strip()


def _flush(analyzer: Any, pending: list[tuple[int, dict[str, Any] | str]], out: IO[str]) -> int:
    """Analyze and write one batch in input order; returns the number of error lines."""
    records = [item for _, item in pending if isinstance(item, dict)]
    try:
        results = iter(analyzer.process(records))
    except Exception:  # one bad record must not sink the batch: retry one by one
        results = iter([_one(analyzer, r) for r in records])
    errors = 0
    for number, item in pending:
        if isinstance(item, dict):
            result = next(results)
            if "error" in result and "lang" not in result:
                result = {"line": number, **result}
                errors += 1
        else:
            result = {"line": number, "error": item}
            errors += 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()  # a reader downstream sees each batch as soon as it is done
    return errors


def _one(analyzer: Any, record: dict[str, Any]) -> dict[str, Any]:
    try:
        return dict(analyzer.analyze(record))
    except Exception as exc:
        return {"error": f"gagal dianalisis: {type(exc).__name__}: {exc}"}


@app.command("analyze")
def analyze_cmd(
    input_: Annotated[
        str, typer.Option("--input", "-i", help="Berkas JSON Lines masukan (- = stdin).")
    ] = "-",
    output: Annotated[
        str, typer.Option("--output", "-o", help="Berkas JSON Lines keluaran (- = stdout).")
    ] = "-",
    watchlist: Annotated[
        str | None,
        typer.Option(
            "--watchlist",
            "-w",
            help="Berkas kata kunci: JSON {nama: kueri} atau baris 'nama: kueri'.",
        ),
    ] = None,
) -> None:
    """Analisis teks: bahasa, sentimen, wilayah, kata kunci, dan duplikat per baris JSON."""
    from pantau.settings import get_settings
    from pantau.text import Analyzer, WatchlistError

    settings = get_settings()
    lists = read_watchlists(watchlist) if watchlist else {}
    try:
        analyzer = Analyzer(lists, settings=settings)
    except WatchlistError as exc:
        fail(f"{watchlist}: {exc}")
    batch_size = max(1, int(settings.analyze_batch_size))
    total = errors = 0
    with ExitStack() as stack:
        try:
            src = sys.stdin.buffer if input_ == "-" else stack.enter_context(open(input_, "rb"))
            dst = (
                sys.stdout
                if output == "-"
                else stack.enter_context(open(output, "w", encoding="utf-8"))
            )
        except OSError as exc:
            fail(f"berkas tidak dapat dibuka: {exc}")
        bar = stack.enter_context(progress())
        task = bar.add_task("Menganalisis", total=None)
        pending: list[tuple[int, dict[str, Any] | str]] = []
        for number, line in _lines(src):
            pending.append((number, _parse(line, number)))
            if len(pending) >= batch_size:
                errors += _flush(analyzer, pending, dst)
                total += len(pending)
                bar.update(task, completed=total)
                pending = []
        if pending:
            errors += _flush(analyzer, pending, dst)
            total += len(pending)
        dst.flush()
    err.print(f"{total} baris dianalisis, {errors} baris galat.")
