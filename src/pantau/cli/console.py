"""Shared rich consoles: ``out`` for data on stdout, ``err`` for progress and summaries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

__all__ = ["err", "fail", "out", "progress", "progress_callback"]

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


@contextmanager
def progress_callback(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar driven by ``(done, total)`` calls, the callback the stages accept; it
    appears with the first call, so a round with nothing to do draws nothing."""
    with progress() as bar:
        task = bar.add_task(description, total=None, visible=False)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=True)

        yield advance


def fail(message: str, code: int = 2) -> NoReturn:
    """Print an actionable error on stderr and exit with ``code``."""
    import typer

    err.print(f"[bold red]Galat:[/] {message}", markup=True)
    raise typer.Exit(code)
