"""``pantau newsroom sync``: the newsroom's periodic round (run it from cron or a timer).

Releases whose embargo has passed enter monitoring as the official channel, and the news that
arrived since is compared with every visible release to link its pick-up. Both steps are
idempotent, so the round can run as often as the feeds are polled.
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
    from pantau.newsroom import enter_due
    from pantau.newsroom.pickup import link_pickups

    settings, db = open_store(database_url)
    with db.writer() as s:
        due = enter_due(s, settings)
        linked = link_pickups(s)
    out.print(f"rilis_masuk_pemantauan: {due}")
    out.print(f"pemberitaan_baru: {linked}")
    err.print("Selesai: rilis terjadwal dan pemberitaan diperbarui.")
