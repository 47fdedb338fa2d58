"""``pantau newsroom sync``: the newsroom's round by hand (``pantau run`` runs it on its own).

Releases whose embargo has passed enter monitoring as the official channel, every visible
release is compared with the news of its window to link its pick-up (a full pass, where the run
loop compares only what it analyzed), and tomorrow's press-conference reminders are queued. Every
step is idempotent, so it can run beside ``pantau run`` or from cron.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, out
from pantau.cli.core import open_store

__all__ = ["newsroom_app"]

newsroom_app = typer.Typer(help="Ruang berita publik (/rilis): rilis terjadwal dan pemberitaan.")
app.add_typer(newsroom_app, name="newsroom")


@newsroom_app.command("sync")
def sync(
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="URL basis data.")
    ] = None,
) -> None:
    """Masukkan rilis yang embargonya lewat ke pemantauan dan tautkan berita yang memuatnya."""
    from pantau.newsroom.rounds import run_round

    settings, db = open_store(database_url)
    report = run_round(db, settings, full=True)
    out.print(f"rilis_masuk_pemantauan: {report.entered}")
    out.print(f"pemberitaan_baru: {report.linked}")
    out.print(f"pengingat_undangan: {report.reminders}")
    err.print("Selesai: rilis terjadwal dan pemberitaan diperbarui.")
