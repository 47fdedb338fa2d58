"""Shared rich consoles: ``out`` for data on stdout, ``err`` for progress and summaries."""

from __future__ import annotations

from typing import NoReturn

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = ["err", "fail", "out", "progress"]

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False)


def progress() -> Progress:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def fail(message: str, code: int = 2) -> NoReturn:
    """Print an actionable error on stderr and exit with ``code``."""
    import typer

    err.print(f"[bold red]Galat:[/] {message}", markup=True)
    raise typer.Exit(code)
