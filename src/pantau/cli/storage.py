"""Storage commands on PostgreSQL: the monthly partitions of mentions and their retention."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail
from pantau.cli.core import DatabaseUrl, open_store

__all__ = ["partitions_cmd", "retention_cmd"]


def _today(value: str | None) -> date:
    if not value:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--today {value!r}: tulis tanggal YYYY-MM-DD.")


Today = Annotated[
    str | None, typer.Option("--today", help="Hitung dari tanggal ini (YYYY-MM-DD, UTC).")
]


@app.command("partitions")
def partitions_cmd(
    ahead: Annotated[
        int | None,
        typer.Option(min=0, help="Bulan ke depan (bawaan: setelan mention_partitions_ahead)."),
    ] = None,
    today: Today = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Buat partisi bulanan sebutan yang belum ada (PostgreSQL) lalu cetak daftarnya:
    nama, bulan, perkiraan jumlah baris."""
    from pantau.store.partitions import ensure, is_partitioned, list_partitions

    settings, db = open_store(database_url)
    with db.engine.begin() as conn:
        if not is_partitioned(conn):
            fail("Partisi bulanan hanya ada di PostgreSQL; SQLite menyimpan satu tabel.")
        made = ensure(
            conn, _today(today), settings.mention_partitions_ahead if ahead is None else ahead
        )
        found = list_partitions(conn)
    for part in found:
        month = part.month.strftime("%Y-%m") if part.month else "-"
        typer.echo(f"{part.name}\t{month}\t{part.rows}")
    err.print(f"{len(made)} partisi baru, {len(found)} partisi seluruhnya.")


@app.command("retention")
def retention_cmd(
    months: Annotated[
        int | None,
        typer.Option(
            min=1, help="Bulan penuh yang disimpan (bawaan: setelan mention_retention_months)."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Hanya tampilkan yang akan dihapus.")] = False,
    today: Today = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Hapus sebutan yang lebih tua dari masa simpan dengan membuang partisi bulanannya
    (PostgreSQL), beserta label, data pribadi dan rujukan lain ke sebutan itu."""
    from pantau.store.all_models import Base
    from pantau.store.audit import record
    from pantau.store.partitions import add_months, drop_before, is_partitioned, month_of
    from pantau.store.partitions import references as mention_references

    settings, db = open_store(database_url)
    keep = settings.mention_retention_months if months is None else months
    if keep <= 0:
        fail(
            "Masa simpan 0 berarti simpan semua: beri --months N "
            "atau setel mention_retention_months."
        )
    cutoff = add_months(month_of(_today(today)), -keep)
    with db.engine.begin() as conn:
        if not is_partitioned(conn):
            fail("Retensi per partisi hanya ada di PostgreSQL; SQLite menyimpan satu tabel.")
        gone = drop_before(conn, cutoff, mention_references(Base.metadata), dry_run=dry_run)
    for part in gone:
        typer.echo(f"{part.name}\t{part.rows}")
    if dry_run:
        err.print(f"{len(gone)} partisi sebelum {cutoff:%Y-%m} akan dihapus (uji coba).")
        return
    if gone:
        with db.writer() as session:
            record(
                session,
                actor="cli",
                action="mentions.retention",
                object_type="mentions",
                after={"before": cutoff.isoformat(), "partitions": [p.name for p in gone]},
            )
    err.print(f"{len(gone)} partisi sebelum {cutoff:%Y-%m} dihapus.")
