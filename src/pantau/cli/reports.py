"""Reports and exports: ``pantau report daily|weekly|make|send|subscribe`` and ``pantau export``."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, progress
from pantau.cli.core import DatabaseUrl, open_store
from pantau.i18n import format_number, translations

if TYPE_CHECKING:
    from pantau.store.db import Database
    from pantau.store.search import MentionFilter

__all__ = [
    "export",
    "report_daily",
    "report_make",
    "report_send",
    "report_subscribe",
    "report_weekly",
]

report_app = typer.Typer(
    help="Laporan harian dan mingguan (PDF, HTML, DOCX).", no_args_is_help=True
)
app.add_typer(report_app, name="report")

FormatOpt = Annotated[str, typer.Option("--format", help="pdf, html atau docx.")]
OutputOpt = Annotated[
    Path, typer.Option("--output", "-o", help="Berkas keluaran ('-' untuk stdout).")
]
ProvinceOpt = Annotated[
    str | None,
    typer.Option(
        "--province",
        help="Hanya satu provinsi (kode Kemendagri, mis. 64) pada pemasangan beberapa provinsi; "
        "bawaan: semuanya.",
    ),
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Hari laporan YYYY-MM-DD (zona waktu setelan); bawaan: hari terakhir berdata.",
    ),
]


def _day(raw: str | None, tz: str, db: Database) -> date:
    from pantau.reports.documents import default_day

    if raw is None:
        with db.session() as s:
            return default_day(s, tz)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fail(f"--date {raw!r}: gunakan format YYYY-MM-DD, mis. 2026-11-20")
    raise AssertionError("unreachable")  # fail() exits


def _write(data: bytes, output: Path) -> None:
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"--output {output}: tidak dapat ditulis ({exc.strerror})")


def _scope(province: str | None) -> AbstractContextManager[None]:
    """Everything read inside covers ``province`` only (all provinces when None)."""
    from pantau.store import tenancy

    if province is not None and not (len(province) == 2 and province.isdigit()):
        fail(f"--province {province!r}: gunakan kode Kemendagri dua digit, mis. 64")
    return tenancy.scope(frozenset({province}) if province else None)


def _report(
    kind: str,
    raw_date: str | None,
    fmt: str,
    output: Path,
    database_url: str | None,
    province: str | None = None,
) -> None:
    from pantau.reports.kinds import ReportKindNotFound, report_kind
    from pantau.reports.render import FORMATS, render_report
    from pantau.writing.letterhead import letterhead_for

    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: pilih pdf, html atau docx")
    try:
        spec = report_kind(kind)
    except ReportKindNotFound as exc:
        fail(str(exc))
        return
    settings, db = open_store(database_url)
    with _scope(province):
        day = _day(raw_date, settings.timezone, db)
    with _scope(province), err.status(f"Menyusun laporan {day.isoformat()}…"):
        with db.session() as s:
            report = spec.build(s, day, settings.timezone)
            letterhead = letterhead_for(s, None)  # the network's lead agency
        data = render_report(report, fmt, base_url=settings.public_url, letterhead=letterhead)
    _write(data, output)
    err.print(
        f"{report.title} {day.isoformat()}: {format_number(report.total)} sebutan, "
        f"{len(report.issues)} isu, {format_number(len(data))} bita -> {output}"
    )


@report_app.command("daily")
def report_daily(
    format: FormatOpt,
    output: OutputOpt,
    date: DateOpt = None,
    province: ProvinceOpt = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Laporan Monitoring Media untuk satu hari."""
    _report("daily", date, format, output, database_url, province)


@report_app.command("weekly")
def report_weekly(
    format: FormatOpt,
    output: OutputOpt,
    date: DateOpt = None,
    province: ProvinceOpt = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Isu Aktual: lima isu teratas tujuh hari yang berakhir pada tanggal itu."""
    _report("weekly", date, format, output, database_url, province)


@report_app.command("make")
def report_make(
    kind: Annotated[str, typer.Argument(help="Jenis laporan: daily, weekly atau dari plugin.")],
    format: FormatOpt,
    output: OutputOpt,
    date: DateOpt = None,
    province: ProvinceOpt = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Laporan jenis apa pun yang terpasang, termasuk jenis dari plugin (mis. laporan bulanan)."""
    _report(kind, date, format, output, database_url, province)


@report_app.command("send")
def report_send(
    date: DateOpt = None,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Terus berjalan: kirim laporan kemarin setiap hari setelah reports_send_time.",
        ),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Kirim laporan kepada pimpinan yang berlangganan (yang sudah terkirim tidak diulang)."""
    import time as clock

    from pantau.reports.delivery import MailSender, due_day, send_due
    from pantau.store.types import utcnow

    settings, db = open_store(database_url)
    sender = MailSender(settings)
    if not watch:
        day = _day(date, settings.timezone, db)
        summary = send_due(db, settings, day, sender)
        err.print(f"{day.isoformat()}: {summary.describe()}")
        for line in summary.failed:
            err.print(f"  gagal: {line}")
        if summary.failed:
            raise typer.Exit(1)
        return
    err.print(f"Menunggu pukul {settings.reports_send_time} setiap hari (Ctrl+C untuk berhenti).")
    while True:  # sending is idempotent: a restart or a second look sends nothing twice
        try:
            due = due_day(utcnow(), settings.timezone, settings.reports_send_time)
        except ValueError as exc:
            fail(str(exc))
            return
        if due is not None:
            summary = send_due(db, settings, due, sender)
            if summary.sent or summary.failed:
                err.print(f"{due.isoformat()}: {summary.describe()}")
        clock.sleep(settings.reports_watch_interval)


@report_app.command("subscribe")
def report_subscribe(
    username: Annotated[str, typer.Argument(help="Pengguna penerima laporan.")],
    kind: Annotated[str, typer.Option(help="daily atau weekly.")] = "daily",
    format: FormatOpt = "pdf",
    off: Annotated[bool, typer.Option("--off", help="Hentikan langganan.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Daftarkan (atau hentikan) langganan laporan lewat surel untuk seorang pengguna."""
    from sqlalchemy import select

    from pantau.reports.delivery import subscribe
    from pantau.store.models import User

    _, db = open_store(database_url)
    with db.writer() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            fail(f"pengguna {username!r} tidak ditemukan; buat dengan `pantau user add`")
            return
        if not user.email and not off:
            err.print(
                f"Perhatian: {username} belum punya alamat surel; laporan belum bisa dikirim."
            )
        try:
            subscribe(s, user.id, kind, format, active=not off, actor="cli")
        except ValueError as exc:
            fail(str(exc))
    state = "dihentikan" if off else f"aktif ({format})"
    err.print(f"Langganan {kind} untuk {username}: {state}.")


@app.command("export")
def export(
    format: Annotated[str, typer.Option("--format", help="csv atau jsonl.")] = "jsonl",
    output: OutputOpt = Path("-"),
    q: Annotated[str, typer.Option("--q", help="Kata pencarian (seperti halaman Cari).")] = "",
    channel: Annotated[str | None, typer.Option(help="news, social, complaint, official.")] = None,
    since: Annotated[str | None, typer.Option(help="Dari hari YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Sampai hari YYYY-MM-DD (termasuk).")] = None,
    issue: Annotated[int | None, typer.Option(help="Hanya sebutan isu ini.")] = None,
    sentiment: Annotated[str | None, typer.Option(help="positive, neutral, negative.")] = None,
    region: Annotated[
        str | None, typer.Option(help="Kode wilayah: kab/kota (64.72) atau kecamatan.")
    ] = None,
    author: Annotated[str | None, typer.Option(help="Penulis atau akun, persis.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Nama media, persis.")] = None,
    watchlist: Annotated[int | None, typer.Option(help="ID kata kunci.")] = None,
    lang: Annotated[str | None, typer.Option(help="Kode bahasa, mis. id.")] = None,
    noise: Annotated[
        str | None, typer.Option(help="hide: tanpa derau (judi, iklan, ...); only: derau saja.")
    ] = None,
    unmask: Annotated[
        bool,
        typer.Option(help="Data pribadi tanpa sensor; perlu --as pengguna berizin pii.view."),
    ] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", help="Pengguna yang meminta ekspor (dicatat di audit).")
    ] = None,
    province: ProvinceOpt = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Ekspor semua sebutan yang cocok sebagai CSV atau JSON Lines, tanpa batas baris; filter
    seperti halaman Cari.

    NIK, nomor telepon, surel, pelat dan rekening tersensor kecuali --unmask oleh pengguna
    yang berizin melihat data pribadi (pii.view)."""
    from pantau.reports.export import FORMATS, export_lines
    from pantau.web.search_form import read_search

    if format not in FORMATS:
        fail(f"--format {format!r}: pilih csv atau jsonl")
    settings, db = open_store(database_url)
    # the search page's reading of the same filters, so the command exports what it shows
    given = {
        "q": q,
        "channel": channel,
        "since": since,
        "until": until,
        "issue": issue,
        "sentiment": sentiment,
        "region": region,
        "author": author,
        "outlet": outlet,
        "watchlist": watchlist,
        "lang": lang,
        "noise": noise,
    }
    form = read_search(
        {k: str(v) for k, v in given.items() if v not in (None, "")},
        settings.timezone,
        translations("id").gettext,
    )
    if form.errors:
        fail("; ".join(form.errors))
    f = form.filter
    if unmask:
        _audit_unmasked_export(db, as_user, format, f)
    rows = 0

    def count(n: int) -> None:
        nonlocal rows
        rows = n

    to_stdout = str(output) == "-"
    sink = sys.stdout if to_stdout else output.open("w", encoding="utf-8", newline="")
    try:
        with _scope(province), progress() as bar:
            task = bar.add_task("Mengekspor…", total=None)
            for piece in export_lines(
                db, f, format, tz=settings.timezone, on_row=count, unmask=unmask
            ):
                sink.write(piece)
                bar.update(task, completed=rows)
    finally:
        if not to_stdout:
            sink.close()
        else:
            sink.flush()
    err.print(f"Ekspor selesai: {format_number(rows)} sebutan -> {output}")


def _audit_unmasked_export(db: Database, username: str | None, fmt: str, f: MentionFilter) -> None:
    """Check that ``username`` may see personal data and record the export, or fail."""
    from pantau.cli.pdp import authorized
    from pantau.workflow.disclosure import audit_view

    with db.writer() as s:
        principal = authorized(s, username, "--unmask")
        audit_view(s, principal, f"cli export {fmt}", filter=_filter_record(f))


def _filter_record(f: MentionFilter) -> dict[str, object]:
    return {k: str(v) for k, v in vars(f).items() if v not in (None, "", {})}
