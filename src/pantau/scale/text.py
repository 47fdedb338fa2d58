"""The text stage on a Dask cluster, with the same output as :class:`pantau.text.Analyzer`.

Each batch is prepared on a worker (:meth:`Analyzer.prepare`: everything that depends on one
record only) and linked here, in input order, through one near-duplicate index
(:meth:`Analyzer.link`). Batches are the same ones the single-process run makes, so even the
floating-point sums of a batch's matrix products are the same and the scores match to the bit.

Workers keep one analyzer per configuration (settings and watchlists), built on first use, so
models load once per worker process and a shared scheduler can serve runs with different
watchlists. Secrets never travel: workers get the settings without them.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pantau.records import Enrichment
from pantau.scale.cluster import IN_FLIGHT_PER_WORKER
from pantau.settings import REGISTRY, Settings
from pantau.text import Analyzer, Prepared

if TYPE_CHECKING:  # the CLI imports this module for Outcome: keep Dask out of its start-up
    from distributed import Client, Future

__all__ = ["ClusterAnalyzer", "LocalAnalyzer", "Outcome", "failure", "prepare_outcomes"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Analyzers kept by a worker process, one per configuration; a few watchlist edits' worth.
_CACHE_SIZE = 4
_ANALYZERS: dict[str, Analyzer] = {}


@dataclass
class Outcome:
    """One record's result: its enrichment, or why it could not be analyzed (Indonesian)."""

    enrichment: Enrichment | None = None
    error: str | None = None


def failure(exc: Exception) -> str:
    """The error line's text for a record the stage could not analyze."""
    return f"gagal dianalisis: {type(exc).__name__}: {exc}"


def _secret(name: str) -> bool:
    return name in REGISTRY and REGISTRY[name].secret


def _analyzer(key: str, settings: Settings, watchlists: Mapping[str, str]) -> Analyzer:
    analyzer = _ANALYZERS.get(key)
    if analyzer is None:
        while len(_ANALYZERS) >= _CACHE_SIZE:
            del _ANALYZERS[next(iter(_ANALYZERS))]
        analyzer = _ANALYZERS[key] = Analyzer(watchlists, settings=settings)
    return analyzer


def prepare_outcomes(
    analyzer: Analyzer, records: Sequence[Mapping[str, Any]]
) -> Prepared | list[Prepared | str]:
    """The batch prepared at once, or, when one record sinks the batch, each record on its own
    (its error in place of a record that fails), so one bad record never costs its batch."""
    try:
        return analyzer.prepare(records)
    except Exception:
        out: list[Prepared | str] = []
        for record in records:
            try:
                out.append(analyzer.prepare([record]))
            except Exception as exc:
                out.append(failure(exc))
        return out


def prepare_batch(
    key: str,
    settings: Settings,
    watchlists: Mapping[str, str],
    records: Sequence[Mapping[str, Any]],
) -> Prepared | list[Prepared | str]:
    """Runs on a worker: :func:`prepare_outcomes` with the worker's analyzer for this
    configuration."""
    return prepare_outcomes(_analyzer(key, settings, watchlists), records)


class LocalAnalyzer:
    """Enriches batches in this process; the same :meth:`map` as :class:`ClusterAnalyzer`.

    With ``link=False`` the near-duplicate pass is left out (``dup_of`` and ``coordinated``
    stay unset): what a re-analysis of stored mentions wants, since those links are history.
    """

    def __init__(
        self,
        watchlists: Mapping[str, str] | None = None,
        *,
        settings: Settings,
        link: bool = True,
    ) -> None:
        self.watchlists = dict(watchlists or {})
        self.settings = settings
        self.analyzer = Analyzer(self.watchlists, settings=settings)
        self.link = link

    def map(
        self, batches: Iterable[tuple[T, Sequence[Mapping[str, Any]]]]
    ) -> Iterator[tuple[T, list[Outcome]]]:
        """For each ``(tag, records)``, ``(tag, outcomes)`` in the same order."""
        for tag, records in batches:
            yield tag, finish(self.analyzer, prepare_outcomes(self.analyzer, records), self.link)


def finish(
    analyzer: Analyzer, prepared: Prepared | list[Prepared | str], link: bool
) -> list[Outcome]:
    """Each record's outcome, linked in order through ``analyzer``'s index when ``link``."""
    if isinstance(prepared, Prepared):
        return [Outcome(e) for e in (analyzer.link(prepared) if link else prepared.enrichments)]
    return [
        Outcome(error=p) if isinstance(p, str) else finish(analyzer, p, link)[0] for p in prepared
    ]


class ClusterAnalyzer:
    """Enriches batches on a Dask cluster: workers prepare, this process links in order through
    ``local``'s analyzer (whose watchlists and settings the workers get, secrets left out)."""

    def __init__(self, client: Client, local: LocalAnalyzer) -> None:
        self.client = client
        self.local = local
        public = {k: v for k, v in local.settings.values.items() if not _secret(k)}
        self.settings = Settings(public)
        self.watchlists = dict(local.watchlists)
        self.key = hashlib.sha256(
            pickle.dumps((sorted(public.items()), sorted(self.watchlists.items())))
        ).hexdigest()
        self.failures = 0  # batches the cluster could not do, done in this process instead
        self.lost = False  # the cluster is gone: every later batch is done here

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(
        self, batches: Iterable[tuple[T, Sequence[Mapping[str, Any]]]]
    ) -> Iterator[tuple[T, list[Outcome]]]:
        """For each ``(tag, records)``, ``(tag, outcomes)`` in the same order, one outcome per
        record; at most :data:`IN_FLIGHT_PER_WORKER` batches per worker wait at a time."""
        window = IN_FLIGHT_PER_WORKER * self.workers()
        settings = self.client.scatter(self.settings, broadcast=True)
        flight: deque[tuple[T, list[Mapping[str, Any]], Future | None]] = deque()
        for tag, records in batches:
            batch = list(records)
            future = None
            if not self.lost:
                try:
                    future = self.client.submit(
                        prepare_batch, self.key, settings, self.watchlists, batch, pure=False
                    )
                except Exception as exc:  # the scheduler is gone: this process does the rest
                    self._lose(exc)
            flight.append((tag, batch, future))
            if len(flight) >= window:
                yield self._done(*flight.popleft())
        while flight:
            yield self._done(*flight.popleft())

    def _done(
        self, tag: T, records: list[Mapping[str, Any]], future: Future | None
    ) -> tuple[T, list[Outcome]]:
        """The batch's outcomes; a batch the cluster lost is prepared here instead.

        Dask already moves a dead worker's tasks to the others (a task whose workers die
        ``distributed.scheduler.allowed-failures`` times ends in ``KilledWorker``); whatever
        still fails, the worker's death or the scheduler's, costs this process one batch of
        work, never the run or its output, which is the same either way.
        """
        prepared: Prepared | list[Prepared | str] | None = None
        if future is not None:
            try:
                prepared = future.result()
                future.release()
            except Exception as exc:
                self._lose(exc, keep=True)
        if prepared is None:
            prepared = prepare_outcomes(self.local.analyzer, records)
        return tag, finish(self.local.analyzer, prepared, self.local.link)

    def _lose(self, exc: Exception, *, keep: bool = False) -> None:
        self.failures += 1
        logger.warning(
            "klaster Dask gagal mengerjakan satu batch (%s: %s); batch itu dikerjakan di proses "
            "ini%s",
            type(exc).__name__,
            exc,
            "" if keep else ", begitu pula sisanya",
        )
        if not keep:
            self.lost = True
