"""Operations commands: backup and restore of the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail
from pantau.cli.core import open_store

__all__ = ["backup_cmd", "restore_cmd"]


@app.command("backup")
def backup_cmd(
    file: Annotated[Path, typer.Argument(help="Berkas cadangan yang dibuat (mode 0600).")],
    overwrite: Annotated[bool, typer.Option(help="Timpa berkas yang sudah ada.")] = False,
    database_url: Annotated[str | None, typer.Option(help="URL basis data.")] = None,
) -> None:
    """Cadangkan basis data selagi pantau berjalan (SQLite: backup API; PostgreSQL: pg_dump)."""
    from pantau.store.backup import BackupError, backup

    _, db = open_store(database_url)
    try:
        with err.status(f"Mencadangkan {db.safe_url}…"):
            result = backup(db, file, overwrite=overwrite)
    except BackupError as exc:
        fail(str(exc))
    err.print(f"Cadangan {result.dialect} tersimpan di {result.path} ({result.bytes:,} byte).")


@app.command("restore")
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="Berkas dari `pantau backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Jangan tanya lagi.")] = False,
    database_url: Annotated[str | None, typer.Option(help="URL basis data.")] = None,
) -> None:
    """Pulihkan basis data dari cadangan; isinya kini DIGANTI. Hentikan serve/run dahulu."""
    from pantau.store.backup import BackupError, restore

    _, db = open_store(database_url)
    if not yes and not typer.confirm(f"Ganti seluruh isi {db.safe_url} dengan {file}?"):
        fail("dibatalkan", code=1)
    try:
        with err.status(f"Memulihkan {db.safe_url}…"):
            revision = restore(db, file)
    except BackupError as exc:
        fail(str(exc))
    err.print(f"Basis data dipulihkan dari {file} (revisi {revision}).")
