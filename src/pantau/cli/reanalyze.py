"""``pantau reanalyze``: the text stage again over the stored mentions, after a model change."""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, progress_callback
from pantau.cli.core import DatabaseUrl, open_store

__all__ = ["reanalyze_cmd"]


def _since(value: str | None) -> datetime | None:
    """``YYYY-MM-DD`` or an ISO 8601 time; without a zone it is UTC."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since {value!r}: tulis tanggal YYYY-MM-DD atau waktu ISO 8601.")
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@app.command("reanalyze")
def reanalyze_cmd(
    since: Annotated[
        str | None,
        typer.Option(help="Hanya sebutan yang terbit sejak tanggal ini (YYYY-MM-DD, UTC)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Jalankan di klaster Dask lokal dengan N pekerja."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Alamat penjadwal Dask yang sudah berjalan."),
    ] = None,
    restart: Annotated[
        bool, typer.Option(help="Mulai dari awal, bukan melanjutkan pekerjaan yang terputus.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Analisis ulang sebutan tersimpan (bahasa, sentimen, wilayah, kata kunci) setelah model
    berganti; bertahap, dapat dilanjutkan, tanpa menahan alur langsung."""
    from pantau.scale import connect
    from pantau.scale.reanalyze import Reanalyzer

    if workers is not None and scheduler:
        fail("pilih salah satu: --workers atau --scheduler.")
    start = _since(since)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings, db = open_store(database_url)
    stop = threading.Event()

    def _stop(_signum: int, _frame: object) -> None:
        err.print("Berhenti setelah kelompok yang berjalan; jalankan lagi untuk melanjutkan.")
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with ExitStack() as stack:
            cluster = workers is not None or bool(scheduler)
            client = stack.enter_context(connect(workers, scheduler)) if cluster else None
            job = Reanalyzer(db, settings, client=client)
            advance = stack.enter_context(progress_callback("Menganalisis ulang"))
            result = job.run(since=start, restart=restart, progress=advance, stop=stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        db.dispose()
    err.print(result.describe() + ("." if result.finished else "; belum selesai."))
