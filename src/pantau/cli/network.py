"""``pantau network``: load a province's network (agencies, mandates, watchlists, users) from a
YAML file, or write the one in the store out again."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, out
from pantau.cli.core import load_network_file, open_store

__all__ = ["network_app"]

network_app = typer.Typer(
    help="Jaringan Humas: instansi, mandat, kata kunci dan pengguna dari/ke berkas YAML.",
    no_args_is_help=True,
)
app.add_typer(network_app, name="network")


@network_app.command("load")
def network_load(
    path: Annotated[Path, typer.Argument(help="Berkas YAML jaringan.")],
    database_url: Annotated[str | None, typer.Option(help="URL basis data.")] = None,
) -> None:
    """Muat atau perbarui instansi, mandat, kata kunci dan pengguna dari berkas YAML."""
    load_network_file(database_url, path)


@network_app.command("export")
def network_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Berkas tujuan (bawaan: stdout).")
    ] = None,
    database_url: Annotated[str | None, typer.Option(help="URL basis data.")] = None,
) -> None:
    """Tulis jaringan yang tersimpan sebagai YAML (tanpa kata sandi)."""
    from pantau.workflow.network_file import dump_network

    _, db = open_store(database_url)
    with db.session() as s:
        text = dump_network(s)
    if output is None:
        out.print(text, end="", markup=False, highlight=False, soft_wrap=True)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Jaringan ditulis ke {output}")
