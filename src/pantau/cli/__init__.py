"""The ``pantau`` command: typer + rich. Stdout carries data; progress and summaries go to stderr.

Each command group lives in its own module listed in ``COMMAND_MODULES``; importing a module
registers its commands on :data:`app`. Heavy imports stay inside the command functions so that
``pantau --help`` is instant. Options every command shares (``pantau --database-url URL ...``)
are read once, by the app's callback, into :data:`options`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Annotated

import typer

__all__ = ["COMMAND_MODULES", "GlobalOptions", "app", "main", "options"]

app = typer.Typer(
    name="pantau",
    help="pantau: pemantauan isu dan komunikasi krisis untuk Humas pemerintah.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass
class GlobalOptions:
    """What ``pantau [OPTIONS] COMMAND`` was given before the command."""

    database_url: str | None = None


#: The global options of the running invocation (reset by each one).
options = GlobalOptions()


@app.callback()
def _global_options(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="URL basis data untuk perintah apa pun (menimpa PANTAU_DATABASE_URL).",
        ),
    ] = None,
) -> None:
    """pantau: pemantauan isu dan komunikasi krisis untuk Humas pemerintah."""
    options.database_url = database_url


#: Modules that register commands on ``app`` (one line per stage; add yours here).
COMMAND_MODULES: tuple[str, ...] = (
    "pantau.cli.core",
    "pantau.cli.network",
    "pantau.cli.labels",
    "pantau.cli.demo",
    "pantau.cli.lint",
    "pantau.cli.reports",
    "pantau.cli.ingest",
    "pantau.cli.analyze",
    "pantau.cli.reanalyze",
    "pantau.cli.alerts",
    "pantau.cli.replay",
    "pantau.cli.pdp",
    "pantau.cli.access",
    "pantau.cli.operations",
    "pantau.cli.storage",
    "pantau.cli.newsroom",
    "pantau.cli.cases",
)


def _load() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    """Entry point of the ``pantau`` console script."""
    _load()
    app()
