"""``pantau alerts``: deliver the outbox (once or watching), the daily digest, dead letters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out
from pantau.cli.core import DatabaseUrl

if TYPE_CHECKING:
    from pantau.alerts.runner import RoundReport

__all__ = ["alerts_app"]

alerts_app = typer.Typer(
    help="Peringatan: kirim kotak keluar, ringkasan harian, surat mati.", no_args_is_help=True
)
app.add_typer(alerts_app, name="alerts")


def _summary(report: RoundReport) -> None:
    r, d = report.routed, report.delivery
    err.print(
        f"Dirutekan: {r.alerts} peringatan ({r.duplicates} duplikat), {r.deliveries} kiriman "
        f"({r.held} ditahan untuk ringkasan); ringkasan dibuat: {report.digests}; "
        f"terkirim: {d.sent}, dijadwalkan ulang: {d.retried}, gagal permanen: {d.dead}"
    )


@alerts_app.command("deliver")
def deliver(
    watch: Annotated[
        bool, typer.Option(help="Terus berjalan, satu putaran tiap --interval.")
    ] = False,
    interval: Annotated[float, typer.Option(help="Detik antarputaran saat --watch.")] = 30.0,
    rounds: Annotated[int | None, typer.Option(help="Berhenti setelah sekian putaran.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Rutekan peringatan baru lalu kirim yang sudah jatuh tempo (dengan percobaan ulang)."""
    from pantau.alerts.runner import run_round
    from pantau.alerts.runner import watch as watch_loop
    from pantau.cli.core import open_store

    settings, db = open_store(database_url)
    if interval <= 0:
        fail("--interval harus lebih dari 0 detik")
    try:
        if watch or rounds:
            watch_loop(db, settings, interval=interval, rounds=rounds, on_round=_summary)
        else:
            _summary(run_round(db, settings))
    except ValueError as exc:  # a bad setting such as alert_quiet_hours
        fail(str(exc))
    finally:
        db.dispose()


@alerts_app.command("digest")
def digest(database_url: DatabaseUrl = None) -> None:
    """Buat ringkasan harian dari peringatan yang ditahan sekarang juga, lalu kirim."""
    from pantau.alerts.runner import run_round
    from pantau.cli.core import open_store

    settings, db = open_store(database_url)
    try:
        _summary(run_round(db, settings, digest=True))
    finally:
        db.dispose()


@alerts_app.command("dead-letters")
def dead_letters_cmd(
    fmt: Annotated[str, typer.Option("--format", help="table atau json")] = "table",
    database_url: DatabaseUrl = None,
) -> None:
    """Tampilkan kiriman yang menyerah (surat mati) agar bisa diperiksa dan dikirim ulang."""
    from rich.table import Table

    from pantau.alerts.outbox import dead_letters
    from pantau.cli.core import open_store

    if fmt not in ("table", "json"):
        fail("--format: pilih table atau json")
    _, db = open_store(database_url)
    with db.session() as s:
        rows = [
            {
                "id": r.id,
                "key": r.key,
                "channel": r.channel,
                "recipient": r.recipient,
                "address": r.address,
                "attempts": r.attempts,
                "error": r.last_error,
                "subject": r.subject,
            }
            for r in dead_letters(s)
        ]
    db.dispose()
    if fmt == "json":
        for row in rows:
            out.print(json.dumps(row, ensure_ascii=False), markup=False)
        return
    table = Table("id", "kanal", "penerima", "percobaan", "galat", "subjek")
    for row in rows:
        table.add_row(
            *(
                str(row[k] or "")
                for k in ("id", "channel", "address", "attempts", "error", "subject")
            )
        )
    out.print(table)
    err.print(f"{len(rows)} surat mati")


@alerts_app.command("resend")
def resend_cmd(
    ids: Annotated[list[int] | None, typer.Argument(help="Id kiriman yang dikirim ulang.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Kirim ulang semua surat mati.")] = False,
    actor: Annotated[str, typer.Option(help="Nama pelaku di log audit.")] = "cli",
    database_url: DatabaseUrl = None,
) -> None:
    """Kembalikan surat mati ke kotak keluar (percobaan diulang dari nol)."""
    from pantau.alerts.outbox import dead_letters, resend
    from pantau.cli.core import open_store

    if not ids and not all_:
        fail("sebutkan id kiriman atau --all")
    _, db = open_store(database_url)
    with db.writer() as s:
        chosen = [r.id for r in dead_letters(s, limit=100_000)] if all_ else list(ids or [])
        done = [i for i in chosen if resend(s, i, actor=actor)]
    db.dispose()
    missing = sorted(set(chosen) - set(done))
    err.print(f"{len(done)} kiriman dikembalikan ke kotak keluar")
    if missing:
        fail(f"bukan surat mati atau tidak ada: {', '.join(map(str, missing))}", code=1)


@alerts_app.command("bounce")
def bounce_cmd(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Surel pantulan (.eml) atau kotak surat mbox; kosong: stdin."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Catat pantulan permanen dari laporan status pengiriman (DSN) yang kembali.

    Untuk server surat: alias ``pantau-bounce: "|pantau alerts bounce"`` pada alamat
    ``alert_bounce_address``. Pesan yang tidak terbaca dilewati dan dilaporkan, tidak
    menghentikan yang lain; kode keluar tetap 0 agar server surat tidak memantulkannya lagi.
    """
    import sys

    from pantau.alerts.bounces import read_bounces, split_mailbox
    from pantau.cli.core import open_store

    messages: list[bytes] = []
    for path in files or []:
        try:
            messages += split_mailbox(path.read_bytes())
        except OSError as exc:
            fail(f"{path}: {exc.strerror or exc}")
    if not files:
        messages = split_mailbox(sys.stdin.buffer.read())
    _, db = open_store(database_url)
    with db.writer() as s:
        report = read_bounces(s, messages)
    db.dispose()
    out.print(f"pantulan_tercatat: {report.recorded}")
    out.print(f"sudah_tercatat: {report.again}")
    out.print(f"pantulan_sementara: {report.soft}")
    out.print(f"tanpa_kiriman: {len(report.unmatched)}")
    out.print(f"tidak_terbaca: {report.unreadable}")
    for address in report.unmatched:
        err.print(f"  tidak ada kiriman pantau ke {address}")
