"""Ingest commands: ``source add|list|test``, ``import``, ``quarantine list|retry``, ``run``."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out, progress, progress_callback
from pantau.cli.core import DatabaseUrl, open_store

__all__ = ["import_cmd", "quarantine_list", "quarantine_retry", "run", "source_add", "source_list"]

source_app = typer.Typer(
    help="Kelola sumber (feed, sitemap, impor, API dorong).", no_args_is_help=True
)
quarantine_app = typer.Typer(help="Rekaman yang ditolak validasi.", no_args_is_help=True)
app.add_typer(source_app, name="source")
app.add_typer(quarantine_app, name="quarantine")


@source_app.command("add")
def source_add(
    name: Annotated[str, typer.Argument(help="Nama unik sumber.")],
    kind: Annotated[str, typer.Option(help="Jenis konektor: rss, sitemap, x-v2, ..., push.")],
    url: Annotated[str | None, typer.Option(help="Alamat feed atau sitemap.")] = None,
    channel: Annotated[str | None, typer.Option(help="news, social, complaint, official.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Nama media.")] = None,
    tier: Annotated[str | None, typer.Option(help="national atau local.")] = None,
    interval: Annotated[int, typer.Option(help="Detik antar-poll.")] = 900,
    token: Annotated[
        bool, typer.Option(help="Buat token API dorong (ditampilkan sekali).")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Tambah sumber."""
    from pantau.ingest.registry import ConnectorNotFound
    from pantau.ingest.sources import SourceError, add_source, issue_token

    _settings, db = open_store(database_url)
    try:
        with db.writer() as session:
            src = add_source(
                session,
                name=name,
                kind=kind,
                url=url,
                channel=channel,
                outlet=outlet,
                tier=tier,
                interval=interval,
            )
            secret = issue_token(src) if token or kind == "push" else None
    except (SourceError, ConnectorNotFound) as exc:
        fail(str(exc))
    err.print(f"Sumber [bold]{name}[/] ({kind}) ditambahkan.")
    if secret:
        err.print("Token API (simpan sekarang, tidak ditampilkan lagi):")
        out.print(secret)


@source_app.command("list")
def source_list(
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Daftar sumber beserta kesehatannya."""
    from sqlalchemy import select

    from pantau.store.models import Source

    _settings, db = open_store(database_url)
    with db.session() as session:
        rows: list[dict[str, Any]] = [
            {
                "name": s.name,
                "kind": s.kind,
                "url": s.url,
                "channel": s.channel,
                "health": s.health,
                "error_streak": s.error_streak,
                "last_error": s.last_error,
                "last_success_at": s.last_success_at.isoformat() if s.last_success_at else None,
                "last_item_at": s.last_item_at.isoformat() if s.last_item_at else None,
            }
            for s in session.scalars(select(Source).order_by(Source.name))
        ]
    if as_json:
        out.print(json.dumps(rows, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table("nama", "jenis", "kanal", "kesehatan", "gagal", "berhasil terakhir", "galat")
    for r in rows:
        table.add_row(
            r["name"],
            r["kind"],
            r["channel"],
            r["health"],
            str(r["error_streak"]),
            r["last_success_at"] or "-",
            (r["last_error"] or "")[:60],
        )
    out.print(table)


@source_app.command("test")
def source_test(
    name: Annotated[str, typer.Argument(help="Nama sumber.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Coba ambil satu sumber tanpa menyimpan apa pun; tampilkan hasilnya."""
    from pantau.ingest.source_admin import trial_poll
    from pantau.ingest.sources import SourceError, find_source

    settings, db = open_store(database_url)
    with db.session() as session:
        src = find_source(session, name)
        if src is None:
            fail(f"sumber {name!r} tidak ada; lihat `pantau source list`")
            return
        try:
            result = trial_poll(src, settings)
        except SourceError as exc:
            fail(f"sumber {name!r}: {exc}")
            return
    for m in result.mentions:
        out.print(
            json.dumps(
                {
                    "title": m.title,
                    "url": m.url,
                    "published_at": m.published_at.isoformat() if m.published_at else None,
                    "chars": len(m.text),
                    "notes": m.notes,
                },
                ensure_ascii=False,
            )
        )
    err.print(f"{len(result.mentions)} butir, {len(result.quarantine)} dikarantina.")
    if result.error:
        fail(f"sumber {name!r} gagal: {result.error}", code=1)


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Berkas ekspor.")],
    fmt: Annotated[
        str, typer.Option("--format", help="x-v2, meta, youtube, tiktok, lapor, mapping:BERKAS")
    ],
    source: Annotated[str | None, typer.Option(help="Nama sumber (baku import:FORMAT).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Impor ekspor platform; ringkasan: diimpor, duplikat, dikarantina beserta alasannya."""
    from pantau.ingest.imports import import_file
    from pantau.ingest.mapping import MappingError
    from pantau.ingest.registry import ConnectorNotFound
    from pantau.ingest.sources import SourceError

    settings, db = open_store(database_url)
    try:
        with progress() as bar:
            task = bar.add_task(f"Mengimpor {file.name}", total=None)
            summary = import_file(
                db,
                file,
                fmt,
                settings,
                source_name=source,
                progress=lambda n: bar.advance(task, n),
            )
    except (MappingError, ConnectorNotFound, SourceError, ValueError) as exc:
        fail(str(exc))
    err.print(
        f"Diimpor: {summary.imported}, duplikat: {summary.duplicates}, "
        f"dikarantina: {summary.quarantined}"
    )
    for line in summary.describe_reasons():
        err.print(f"  {line}", markup=False, highlight=False)
    out.print(
        json.dumps(
            {
                "imported": summary.imported,
                "duplicates": summary.duplicates,
                "quarantined": summary.quarantined,
            }
        )
    )


@quarantine_app.command("list")
def quarantine_list(
    source: Annotated[str | None, typer.Option(help="Hanya dari sumber ini.")] = None,
    limit: Annotated[int, typer.Option(help="Paling banyak baris.")] = 100,
    database_url: DatabaseUrl = None,
) -> None:
    """Daftar rekaman yang dikarantina: id, asal, baris, kolom, alasan (JSON per baris)."""
    from pantau.ingest.quarantine import list_quarantine
    from pantau.ingest.sources import find_source

    _settings, db = open_store(database_url)
    with db.session() as session:
        src = find_source(session, source) if source else None
        if source and src is None:
            fail(f"sumber {source!r} tidak ada")
        for q in list_quarantine(session, source=src, limit=limit):
            out.print(
                json.dumps(
                    {
                        "id": q.id,
                        "origin": q.origin,
                        "line": q.line,
                        "field": q.field,
                        "reason": q.reason,
                    },
                    ensure_ascii=False,
                )
            )


@quarantine_app.command("retry")
def quarantine_retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Id karantina (kosong: semua).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Coba ulang rekaman yang dikarantina (setelah berkas, pemetaan atau pantau diperbaiki)."""
    from pantau.ingest.quarantine import list_quarantine, retry_quarantine
    from pantau.store.models import Quarantine

    settings, db = open_store(database_url)
    resolved = failed = 0
    with db.writer() as session:
        items = (
            [q for i in ids if (q := session.get(Quarantine, i)) is not None]
            if ids
            else list_quarantine(session, limit=10_000)
        )
        for q in items:
            outcome = retry_quarantine(session, q, max_chars=settings.max_text_chars)
            resolved += outcome.resolved
            failed += not outcome.resolved
            if outcome.reason:
                err.print(f"  #{q.id}: {outcome.reason}")
    err.print(f"Berhasil: {resolved}, masih gagal: {failed}")


@app.command()
def run(
    once: Annotated[
        bool,
        typer.Option(help="Satu putaran: ambil sumber, analisis yang tertunda, berhenti."),
    ] = False,
    pipeline: Annotated[
        bool, typer.Option(help="Analisis setiap sebutan tersimpan (umpan, API, impor, LAPOR!).")
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Ambil semua sumber sesuai jadwalnya dan analisis setiap sebutan baru sampai dihentikan
    (SIGTERM/SIGINT: berhenti rapi)."""
    from pantau.flow import Flow
    from pantau.privacy.retention import RetentionTask
    from pantau.store.partitions import MaintenanceTask

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings, db = open_store(database_url)
    flow = Flow(db, settings, analyze=pipeline)
    flow.poller.each_round.append(RetentionTask(db, settings.pii_retention_days))
    flow.poller.each_round.append(
        MaintenanceTask(db, settings.mention_partitions_ahead, settings.mention_retention_months)
    )
    with flow.signal_handlers():
        if once:
            with progress_callback("Menganalisis sebutan") as advance:
                flow.progress = advance
                stats = flow.run_once()
        else:
            stats = flow.run()
    s, a = stats.ingest.summary, stats.analysis
    err.print(
        f"Selesai: {stats.ingest.polls} poll, {stats.ingest.failures} gagal, {s.imported} sebutan "
        f"baru, {s.duplicates} duplikat, {s.quarantined} dikarantina."
    )
    err.print(f"Analisis: {a.processed} sebutan, {a.alerts} peringatan, {stats.routed} dirutekan.")
    err.print(f"Ruang berita: {stats.newsroom.describe()}.")
