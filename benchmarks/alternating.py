"""Two or more ways of one job timed in the same run, alternately.

A benchmark that compares a before with an after on this shared box runs them in turn, round
after round (before, after, before, after, ...), so a burst of load from other work falls on
each way alike instead of on whichever ran during it. :func:`alternate` is that loop, for every
benchmark that compares ways (``flow_write_path``, ``pg_update_triggers``,
``analysis_range_writes``, ``flow_worker_start``); each keeps its own set-up, checks and table.

>>> calls = []
>>> def way(name):
...     return lambda run: calls.append((name, run.round, run.number)) or run.number
>>> alternate({"before": way("before"), "after": way("after")}, rounds=2)
{'before': [1, 3], 'after': [2, 4]}
>>> calls
[('before', 0, 1), ('after', 0, 2), ('before', 1, 3), ('after', 1, 4)]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple, TypeVar

__all__ = ["Run", "alternate", "in_tree", "timed"]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Run(NamedTuple):
    """Which run a way is called for: its ``round`` (from 0) and its ``number`` among all the
    runs of every way (from 1; a way that writes may vary what it writes by it, so that every
    run changes every row)."""

    round: int
    number: int


def alternate(
    ways: Mapping[K, Callable[[Run], T]],
    rounds: int,
    *,
    check: Callable[[K], None] | None = None,
) -> dict[K, list[T]]:
    """Call each of ``ways`` once a round, in their order, for ``rounds`` rounds; returns what
    each call measured, by way, in run order. ``check(way)`` runs after each call, outside what
    the call measured, and raises when the run left a wrong result: a fast path that is a
    wrong one must not win."""
    out: dict[K, list[T]] = {key: [] for key in ways}
    number = 0
    for round_ in range(rounds):
        for key, way in ways.items():
            number += 1
            out[key].append(way(Run(round_, number)))
            if check is not None:
                check(key)
    return out


def timed(job: Callable[[], object]) -> float:
    """Seconds ``job()`` took (wall clock, the time a user waits)."""
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def in_tree(tree: str, args: list[str], env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run ``python ARGS`` in a fresh interpreter that imports pantau from ``tree`` (a ``src``
    folder: the code before or after), with ``env`` added; returns the JSON object its last
    line of output prints. Each way of a comparison starts cold, its imports its own."""
    proc = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": tree, **(env or {})},
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))
