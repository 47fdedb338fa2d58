"""``pantau reanalyze``: the text stage again over stored mentions, after a model change.

What is re-read is what depends on one mention and the models: language, sentiment and its
score, regions and watchlist hits. Near-duplicate links, bursts and issue assignments stay as the
live pipeline made them: they are the stream's history, and people have acted on the issues; so
does a mention's province (its issue was clustered there), whose own watchlists alone tag it.

The job walks the mentions already analyzed, by id, up to the newest one when it started (newer
ones are analyzed live, with the new models), in batches. Each batch is read in a short read
transaction, analyzed outside any transaction (in this process or on a Dask cluster), and
written back in one small write transaction together with the checkpoint in ``stage_state``, so
the live pipeline waits at most one batch's write for the store and an interrupted job resumes
after the last batch written. Running a batch twice writes the same values: it is idempotent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pantau.flow.pipeline import text_record
from pantau.flow.writes import write_mentions
from pantau.scale.text import ClusterAnalyzer, LocalAnalyzer, Outcome
from pantau.settings import Settings
from pantau.store.db import Database
from pantau.store.models import Mention, StageState
from pantau.store.types import utcnow
from pantau.store.watchlists import active_queries, own_hits, watch_provinces
from pantau.text import QuerySyntaxError, compile_query
from pantau.text.precise import OFFICER, PRECISE

__all__ = [
    "CHECKPOINT",
    "REANALYZE_BATCH",
    "Batch",
    "Reanalysis",
    "Reanalyzer",
    "usable_watchlists",
    "write_postgresql",
]

logger = logging.getLogger(__name__)

#: The ``stage_state`` row holding the job's checkpoint.
CHECKPOINT = "reanalyze"
#: Mentions per batch and write transaction: a 500-row update commits in tens of milliseconds on
#: SQLite here, so the live pipeline's own batch (the same size) never waits long for the writer.
REANALYZE_BATCH = 500

#: What the job rewrites: the columns the text stage fills from one mention and the models. A
#: mention whose sentiment an officer or the precise tier gave keeps it; the new fast reading
#: goes beside it (``sentiment_fast``), as the precise tier itself puts it.
STORED = (
    Mention.lang,
    Mention.sentiment,
    Mention.sentiment_score,
    Mention.sentiment_fast,
    Mention.sentiment_fast_score,
    Mention.regions,
    Mention.watch,
)
STORED_NAMES = tuple(c.key for c in STORED)


@dataclass
class Batch:
    """One batch as read: the last id, and by id the stored values (by column name), province
    and date."""

    upto: int
    stored: dict[int, dict[str, Any]]
    tenants: dict[int, str | None]
    published: dict[int, datetime | None]
    #: Mentions whose sentiment an officer or the precise tier read: the fast model's new
    #: reading does not replace it.
    kept: frozenset[int] = frozenset()


#: Told ``(done, total)`` after each batch written.
Progress = Callable[[int, int], None]


@dataclass
class Reanalysis:
    """What a run did: mentions rewritten, how many of them changed, and where it started."""

    rewritten: int = 0
    changed: int = 0
    batches: int = 0
    resumed_after: int = 0  # the checkpoint a resumed job started after (0: a fresh job)
    total: int = 0
    finished: bool = False

    def describe(self) -> str:
        start = f", dilanjutkan setelah sebutan {self.resumed_after}" if self.resumed_after else ""
        return (
            f"{self.rewritten} sebutan dianalisis ulang dalam {self.batches} kelompok, "
            f"{self.changed} berubah{start}"
        )


def usable_watchlists(watch: dict[str, str]) -> dict[str, str]:
    """The watchlists whose query parses; one that does not is left out with an error naming it."""
    out = {}
    for name, query in watch.items():
        try:
            compile_query(query)
        except QuerySyntaxError as exc:
            logger.error("kata kunci %s dilewati: %s", name, exc)
        else:
            out[name] = query
    return out


class Reanalyzer:
    """Runs (or resumes) the re-analysis job on ``db``; on a cluster when given a client."""

    def __init__(self, db: Database, settings: Settings, *, client: Any = None) -> None:
        self.db = db
        self.settings = settings
        with db.session() as s:
            watch = usable_watchlists(active_queries(s))
            self.owners = watch_provinces(s)
        local = LocalAnalyzer(watch, settings=settings, link=False)
        self.runner: LocalAnalyzer | ClusterAnalyzer = (
            local if client is None else ClusterAnalyzer(client, local)
        )

    def _start(self, since: datetime | None, restart: bool) -> tuple[int, int, Reanalysis]:
        """The job's (position, last id, result so far): resumed from an unfinished checkpoint
        of the same ``since``, else a fresh job up to the newest analyzed mention now."""
        key = since.isoformat() if since else None
        with self.db.writer() as s:
            state = s.get(StageState, CHECKPOINT)
            saved = dict(state.state) if state and state.state else {}
            if state and not restart and not saved.get("finished") and saved.get("since") == key:
                logger.info("melanjutkan analisis ulang setelah sebutan %s", state.position)
                done = Reanalysis(resumed_after=state.position, total=int(saved.get("total", 0)))
                return state.position, int(saved["last"]), done
            last = int(
                s.scalar(select(func.max(Mention.id)).where(Mention.analyzed_at.is_not(None))) or 0
            )
            total = self._count(s, since, 0, last)
            fresh = {"since": key, "last": last, "total": total, "started_at": utcnow().isoformat()}
            if state is None:
                s.add(StageState(name=CHECKPOINT, state=fresh, position=0))
            else:
                state.state, state.position = fresh, 0
            return 0, last, Reanalysis(total=total)

    def _count(self, s: Session, since: datetime | None, after: int, last: int) -> int:
        return int(s.scalar(self._todo(select(func.count(Mention.id)), since, after, last)) or 0)

    @staticmethod
    def _todo(query: Any, since: datetime | None, after: int, last: int) -> Any:
        query = query.where(
            Mention.analyzed_at.is_not(None), Mention.id > after, Mention.id <= last
        )
        if since is not None:
            query = query.where(func.coalesce(Mention.published_at, Mention.fetched_at) >= since)
        return query

    def _batches(
        self, since: datetime | None, position: int, last: int, size: int
    ) -> Iterator[tuple[Batch, list[dict[str, Any]]]]:
        """``(batch, records)`` of each batch, each batch read in its own short transaction."""
        columns = select(
            Mention.id,
            Mention.text,
            Mention.title,
            Mention.author,
            Mention.published_at,
            Mention.channel,
            Mention.tenant,
            Mention.sentiment_tier,
            *STORED,
        )
        while True:
            with self.db.session() as s:
                rows = s.execute(
                    self._todo(columns, since, position, last).order_by(Mention.id).limit(size)
                ).all()
            if not rows:
                return
            position = rows[-1].id
            batch = Batch(
                upto=position,
                stored={r.id: {k: r._mapping[k] for k in STORED_NAMES} for r in rows},
                tenants={r.id: r.tenant for r in rows},
                published={r.id: r.published_at for r in rows},
                kept=frozenset(r.id for r in rows if r.sentiment_tier in (PRECISE, OFFICER)),
            )
            yield batch, [text_record(r) for r in rows]

    def run(
        self,
        *,
        since: datetime | None = None,
        restart: bool = False,
        batch_size: int = REANALYZE_BATCH,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
    ) -> Reanalysis:
        """Re-analyze every analyzed mention (published since ``since``), resuming an
        interrupted job unless ``restart``; stops after the current batch once ``stop`` is set."""
        position, last, result = self._start(since, restart)
        done_before = 0
        if result.resumed_after:
            with self.db.session() as s:
                left = int(
                    s.scalar(self._todo(select(func.count(Mention.id)), since, position, last)) or 0
                )
            done_before = max(0, result.total - left)
        batches = self._batches(since, position, last, max(1, batch_size))
        for batch, outcomes in self.runner.map(batches):
            changed = self._write(batch, outcomes)
            result.rewritten += len(outcomes)
            result.changed += changed
            result.batches += 1
            if progress is not None:
                progress(done_before + result.rewritten, result.total)
            if stop is not None and stop.is_set():
                return result
        with self.db.writer() as s:
            state = s.get(StageState, CHECKPOINT)
            if state is not None:
                state.state = {**state.state, "finished": True, "finished_at": utcnow().isoformat()}
        result.finished = True
        return result

    def _write(self, batch: Batch, outcomes: list[Outcome]) -> int:
        """The values that changed in one batch, and the checkpoint, in one write transaction;
        returns how many mentions changed."""
        rows = []
        for outcome in outcomes:
            e = outcome.enrichment
            if e is None:  # a text the stage cannot read keeps its earlier analysis
                logger.error("analisis ulang: %s", outcome.error)
                continue
            mention_id = int(str(e.id))
            watch = own_hits(list(e.watch), self.owners, batch.tenants.get(mention_id))
            stored = batch.stored.get(mention_id, {})
            values = {
                "lang": e.lang,
                "sentiment": e.sentiment,
                "sentiment_score": e.sentiment_score,
                "sentiment_fast": stored.get("sentiment_fast"),
                "sentiment_fast_score": stored.get("sentiment_fast_score"),
                "regions": e.region_codes,
                "watch": watch,
            }
            if mention_id in batch.kept:
                values.update(
                    sentiment=stored["sentiment"],
                    sentiment_score=stored["sentiment_score"],
                    sentiment_fast=e.sentiment,
                    sentiment_fast_score=e.sentiment_score,
                )
            if values != stored:
                rows.append({"id": mention_id, **values})
        with self.db.writer() as s:
            if rows and self.db.dialect == "postgresql":
                write_postgresql(s, rows, batch.published)
            elif rows:
                s.execute(update(Mention), rows)  # one UPDATE by primary key, many parameters
            state = s.get(StageState, CHECKPOINT)
            if state is not None:
                state.position = batch.upto
        return len(rows)


def write_postgresql(
    s: Session, rows: list[dict[str, Any]], published: dict[int, datetime | None]
) -> None:
    """Write ``rows`` (id and :data:`STORED_NAMES`) in one statement joined on the partition
    key too (two when some mentions have no date), so each row is found in its own month's
    partition and the rollup's statement trigger counts the batch once: the live pipeline's
    batch write (:func:`pantau.flow.writes.write_mentions`)."""
    write_mentions(s, rows, published)
