"""``pantau cases import``: a province's past cases from a spreadsheet (CSV) into the library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err
from pantau.cli.core import open_store

__all__ = ["cases_app"]

cases_app = typer.Typer(
    help="Pustaka kasus: impor kasus lama dari spreadsheet.", no_args_is_help=True
)
app.add_typer(cases_app, name="cases")


@cases_app.command("import")
def cases_import(
    path: Annotated[Path, typer.Argument(help="Berkas CSV kasus (UTF-8, baris judul kolom).")],
    database_url: Annotated[str | None, typer.Option(help="URL basis data.")] = None,
) -> None:
    """Impor kasus lama; baris yang salah dikarantina dengan nomor baris dan alasannya.

    Kolom: judul, mulai, selesai (YYYY-MM-DD); pelajaran sebagai berhasil, gagal, lain_kali
    (dipisah ';') dan/atau pelajaran (catatan bebas); opsional wilayah, instansi, tindakan,
    kata_kunci.
    """
    from pantau.workflow.case_import import import_cases

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]Tidak bisa membaca {path}: {exc}[/red]")
        raise typer.Exit(2) from exc
    _, db = open_store(database_url)
    with db.writer() as s:
        result = import_cases(s, text, actor="cli")
    for line, reason in result.quarantined:
        err.print(f"baris {line}: {reason}", markup=False, highlight=False)
    err.print(
        f"{len(result.imported)} kasus diimpor, {result.duplicates} sudah ada, "
        f"{len(result.quarantined)} dikarantina"
    )
