"""The ``pantau`` command: typer + rich. Stdout carries data; progress and summaries go to stderr.

Each command group lives in its own module listed in ``COMMAND_MODULES``; importing a module
registers its commands on :data:`app`. Heavy imports stay inside the command functions so that
``pantau --help`` is instant.
"""

from __future__ import annotations

import importlib

import typer

__all__ = ["COMMAND_MODULES", "app", "main"]

app = typer.Typer(
    name="pantau",
    help="pantau: pemantauan isu dan komunikasi krisis untuk Humas pemerintah.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Modules that register commands on ``app`` (one line per stage; add yours here).
COMMAND_MODULES: tuple[str, ...] = (
    "pantau.cli.core",
    "pantau.cli.demo",
    "pantau.cli.lint",
    "pantau.cli.reports",
    "pantau.cli.ingest",
    "pantau.cli.analyze",
    "pantau.cli.alerts",
    "pantau.cli.replay",
    "pantau.cli.newsroom",
)


def _load() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    """Entry point of the ``pantau`` console script."""
    _load()
    app()
