"""The analysis stages of the flow: text -> issues on the mentions waiting in the store.

The same stage code as ``pantau analyze`` and ``pantau replay`` runs here; this module only reads
pending mentions, hands plain records to the stages, and writes their output back. Each batch is
one transaction that also saves the tracker's snapshot, so a crash at any point is repaired by
running again: the uncommitted batch is simply processed anew.

A :class:`Pipeline` is built once per process and kept warm: the trackers restored once, the text
stage's models loaded and its near-duplicate index refilled once, when the process first runs
that stage (a worker that only clusters never loads them), and the watchlists re-read on each
round but recompiled only when they changed.

Each province (tenant) has its own tracker (:mod:`pantau.flow.trackers`): once the text stage
has placed a mention (:func:`pantau.store.tenancy.mention_tenant`), the mention goes to its
province's tracker, and what the trackers find is stored by :mod:`pantau.flow.storing`.

With several workers on PostgreSQL a process runs only the trackers of the provinces it owns
(:class:`~pantau.flow.trackers.Provinces`, :mod:`pantau.flow.share`): the text stage marks a
mention of another province ``cluster_pending``, and that province's owner clusters it from the
stored row (:meth:`Pipeline.cluster_waiting`), clearing the marker and saving its tracker in one
transaction fenced by the province's epoch, so a mention is clustered once whoever dies.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pantau.flow.precise import Budget, follow_rereads, reread_hot
from pantau.flow.storing import store_alerts, store_issues
from pantau.flow.trackers import TRACKER, Provinces, ProvinceTrackers
from pantau.flow.writes import analyzed_columns, write_mentions
from pantau.ingest.limits import RecordLimits
from pantau.issues import IssueTracker
from pantau.issues import Mention as TrackerMention
from pantau.issues.tracker import moved_by_splits
from pantau.settings import Settings
from pantau.store.db import Database
from pantau.store.models import Mention, Source, StageState
from pantau.store.tenancy import (
    known_tenants,
    mention_tenant,
    partition_of,
    tenant_in,
)
from pantau.store.types import utcnow
from pantau.store.watchlists import active_queries, own_hits, watch_provinces
from pantau.text import Analyzer, WatchlistError
from pantau.text.analyzer import normalized_text
from pantau.text.precise import PreciseSentiment
from pantau.workflow.corrections import stored_record

__all__ = ["BATCH_SIZE", "Pipeline", "PipelineResult", "Progress", "text_record"]

logger = logging.getLogger(__name__)

#: Mentions per micro-batch: large enough to amortize the analyzer's vector work, small enough
#: that a batch commits within a second on SQLite.
BATCH_SIZE = 500
#: Analyzed mentions put back into the near-duplicate index on start; a day of a busy province.
WARM_DUPLICATES = 20_000

#: Told ``(done, total)`` after each batch of a round; the CLI draws its progress bar with it.
Progress = Callable[[int, int], None]


@dataclass
class PipelineResult:
    processed: int = 0
    batches: int = 0
    issues_touched: set[int] = field(default_factory=set)
    alerts: int = 0
    #: mentions of hot issues the precise sentiment tier read again
    reread: int = 0

    def add(self, other: PipelineResult) -> None:
        """Count ``other``'s work in this result too (a run's totals over its rounds)."""
        self.processed += other.processed
        self.batches += other.batches
        self.issues_touched |= other.issues_touched
        self.alerts += other.alerts
        self.reread += other.reread

    def describe(self) -> str:
        precise = f", {self.reread} dibaca ulang oleh tingkat presisi" if self.reread else ""
        return (
            f"{self.processed} sebutan dalam {self.batches} kelompok, "
            f"{len(self.issues_touched)} isu diperbarui, {self.alerts} peringatan{precise}"
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def text_record(m: Any) -> dict[str, Any]:
    """The text stage's input record of a stored mention (a :class:`Mention` or a row with its
    ``id, text, title, author, published_at, channel``)."""
    return {
        "id": str(m.id),
        "text": m.text,
        "title": m.title,
        "author": m.author,
        "published_at": _iso(m.published_at),
        "channel": m.channel,
    }


def _compile_watchlists(analyzer: Analyzer, watchlists: dict[str, str]) -> None:
    """Give ``analyzer`` the watchlists; a query that does not parse is skipped with an error
    naming it, so one agency's typo never stops the analysis of every mention."""
    watch = dict(watchlists)
    while True:
        try:
            analyzer.set_watchlists(watch)
        except WatchlistError as exc:
            logger.error("kata kunci %s dilewati: %s", exc.name, exc)
            del watch[exc.name]
        else:
            return


class Pipeline:
    """Holds the analyzer and the issue tracker between batches (restored from the store)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        fence: Callable[[Session], None] | None = None,
        provinces: Provinces | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        #: called last in each batch's transaction; raises to refuse a stale owner's writes
        self.fence = fence
        self.provinces = provinces
        self.limits = RecordLimits.from_settings(settings)
        self.home = settings.province
        #: partition (a province code, or "nasional") -> its tracker
        self.trackers = ProvinceTrackers(db, settings, provinces)
        self.watchlists: dict[str, str] = {}
        self.watch_provinces: dict[str, str | None] = {}
        self.refresh_watchlists()
        self.precise_budget = Budget(settings.precise_per_minute, settings.precise_per_round)

    # --- the models, loaded on first use -------------------------------------------------------
    # A worker that only clusters the provinces it owns (another runs the text stage) rebuilds
    # normalized text from the stored rows and never reads with these: built in ``__init__``,
    # the analyzer and its warmed near-duplicate index cost such a worker seconds of start and
    # the memory of models it does not use (benchmarks/flow_worker_start.py).
    @cached_property
    def analyzer(self) -> Analyzer:
        """The text stage's analyzer, built when this process first runs the stage: with the
        active watchlists, and its near-duplicate index warmed from the store as it is then."""
        analyzer = Analyzer(settings=self.settings)
        _compile_watchlists(analyzer, self.watchlists)
        self._warm_duplicate_index(analyzer)
        return analyzer

    @cached_property
    def precise(self) -> PreciseSentiment | None:
        """The precise sentiment tier, loaded on first use; ``None`` when it is turned off or
        the encoder is not installed (the fast readings stand)."""
        if self.settings.precise_per_minute > 0 and self.settings.precise_per_round > 0:
            return PreciseSentiment.load(self.settings)
        return None

    def take_text_stage(self) -> None:
        """This process takes the text stage over from another worker. The trackers stay (each
        province's is this process's own, current or adopted from its snapshot) and so do the
        models; only the near-duplicate index, if the stage ran here before, is refilled from
        the store, since the other worker analyzed mentions it never saw."""
        if self._loaded("analyzer"):
            self.analyzer.forget_duplicates()
            self._warm_duplicate_index(self.analyzer)

    def loaded_models(self) -> list[str]:
        """The lazy models this process has built so far (``analyzer``, ``precise``)."""
        return [name for name in ("analyzer", "precise") if self._loaded(name)]

    def _loaded(self, name: str) -> bool:
        return name in vars(self)  # where cached_property keeps what it built

    @property
    def tracker(self) -> IssueTracker:
        """The tracker of the installation's own province."""
        return self.tracker_for(self.home)

    def tracker_for(self, tenant: str | None) -> IssueTracker:
        """The tracker of province ``tenant`` (``None``: mentions of no province)."""
        return self.trackers.tracker_for(tenant)

    # --- the provinces this process clusters -------------------------------------------------
    def owns(self, partition: str) -> bool:
        """Whether this process runs ``partition``'s tracker (every one without ``provinces``)."""
        return self.trackers.owns(partition)

    def adopt(self, partition: str) -> None:
        """Take ``partition``'s tracker from the snapshot its last owner committed."""
        self.trackers.adopt(partition)

    def drop(self, partition: str) -> None:
        """Forget ``partition``'s tracker: another process owns it now."""
        self.trackers.drop(partition)

    def refresh_watchlists(self) -> bool:
        """Re-read the active watchlists; recompile them only when they changed (returns whether
        they did). A query that does not parse is skipped with an error naming it, so one
        agency's typo never stops the analysis of every mention."""
        with self.db.session() as s:
            watch = active_queries(s)
            self.watch_provinces = watch_provinces(s)
        if watch == self.watchlists:
            return False
        self.watchlists = dict(watch)
        if self._loaded("analyzer"):  # else compiled when the analyzer is built
            _compile_watchlists(self.analyzer, watch)
        return True

    def _warm_duplicate_index(self, analyzer: Analyzer) -> None:
        """Refill the near-duplicate index with the newest analyzed mentions after a restart."""
        with self.db.session() as s:
            recent = s.execute(
                select(
                    Mention.id, Mention.text, Mention.title, Mention.author, Mention.published_at
                )
                .where(Mention.analyzed_at.is_not(None))
                .order_by(Mention.id.desc())
                .limit(WARM_DUPLICATES)
            ).all()
        records = [
            {
                "id": str(r.id),
                "text": r.text,
                "title": r.title,
                "author": r.author,
                "published_at": _iso(r.published_at),
            }
            for r in reversed(recent)
        ]
        if records:
            analyzer.remember(records)

    # --- the loop --------------------------------------------------------------------------
    def pending(self) -> int:
        """How many stored mentions wait for analysis."""
        with self.db.session() as s:
            return int(
                s.scalar(select(func.count(Mention.id)).where(Mention.analyzed_at.is_(None))) or 0
            )

    def run_pending(
        self,
        *,
        batch_size: int = BATCH_SIZE,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        text_stage: bool = True,
    ) -> PipelineResult:
        """Process every mention not analyzed yet, oldest first, batch by batch (until ``stop``
        is set: a backlog of hours must not hold up a shutdown longer than one batch).

        The mentions of this process's provinces that wait for it are clustered first, so a
        province's mentions are clustered in the order the text stage placed them; without
        ``text_stage`` (another worker runs it) that is all this round does."""
        result = PipelineResult()

        def stopped() -> bool:
            return stop is not None and stop.is_set()

        if self.provinces is not None:
            for partition in self.waiting_partitions():
                while not stopped() and self.cluster_waiting(partition, batch_size, result):
                    pass
        if text_stage:
            self.refresh_watchlists()
            todo = self.pending() if progress is not None else 0
            while not stopped() and self.run_batch(batch_size, result):
                if progress is not None:
                    # mentions stored during the round raise the total, not overflow the bar
                    todo = max(todo, result.processed)
                    progress(result.processed, todo)
        if not stopped():
            result.reread += self.reread_hot()
        return result

    def reread_hot(self) -> int:
        """Read mentions of issues at stage emerging or hotter again with the precise tier,
        within its budget, in one transaction (:mod:`pantau.flow.precise`); their issues'
        sentiment mix and risk follow. Returns how many were read."""
        limit = self.precise_budget.available()
        tier = self.precise if limit > 0 else None
        if tier is None:
            return 0
        with self.db.writer() as s:
            owned = None if self.provinces is None else set(self.trackers)
            reread = reread_hot(s, tier, limit, owned)
            if not reread:
                return 0
            self.precise_budget.spend(len(reread))
            partitions = follow_rereads(s, reread, self.trackers)
            if partitions:
                state = s.get(StageState, TRACKER)
                self.trackers.save(s, partitions, state.position if state else 0)
            self._fence(s, partitions)
        return len(reread)

    def run_batch(self, batch_size: int, result: PipelineResult) -> int:
        """One micro-batch in one transaction; returns how many mentions it processed."""
        analyzer = self.analyzer  # built (and warmed from the store) before the transaction
        with self.db.writer() as s:
            corrected = self.trackers.apply_corrections(s)  # people's corrections come first
            rows = s.scalars(
                select(Mention)
                .where(Mention.analyzed_at.is_(None))
                .order_by(Mention.published_at.asc().nulls_last(), Mention.id)
                .limit(batch_size)
            ).all()
            if not rows:
                if corrected:
                    state = s.get(StageState, TRACKER)
                    self.trackers.save(s, set(self.trackers), state.position if state else 0)
                    self._fence(s, set(self.trackers), text_stage=True)
                return 0
            enriched = analyzer.enrich([text_record(m) for m in rows])
            tenants = known_tenants(s, self.home)
            provinces: dict[int, str | None] = {
                sid: province
                for sid, province in s.execute(
                    select(Source.id, Source.province).where(
                        Source.id.in_({m.source_id for m in rows})
                    )
                )
            }
            tracker_in: dict[str | None, list[TrackerMention]] = {}
            now = utcnow()
            out: list[dict[str, Any]] = []  # each mention's new columns, written in one go
            for m, e in zip(rows, enriched, strict=True):
                tenant = mention_tenant(e.region_codes, provinces.get(m.source_id), tenants)
                waits = not self.owns(partition_of(tenant))  # its province's owner clusters it
                # a province's watchlists tag its own mentions (and route them to its agencies)
                watch = own_hits(list(e.watch), self.watch_provinces, tenant)
                out.append(analyzed_columns(m, e, tenant, watch, waits=waits, now=now))
                if waits:
                    continue
                record = TrackerMention.enriched(m, e)
                # stream time only moves forward: one far-future date (stored before the
                # writers checked the window) would leave every later issue dormant
                record.published_at = self.limits.plausible(m.published_at)
                tracker_in.setdefault(tenant, []).append(record)
            touched, by_mention = self._cluster(s, tracker_in, result)
            for values in out:
                values["issue_id"] = by_mention.get(str(values["id"]))
            write_mentions(s, out, {m.id: m.published_at for m in rows})
            changed = touched | (set(self.trackers) if corrected else set())
            self.trackers.save(s, changed, rows[-1].id)
            self._fence(s, changed, text_stage=True)
            result.processed += len(rows)
            result.batches += 1
            return len(rows)

    def waiting_partitions(self) -> list[str]:
        """This process's provinces with mentions waiting for it, busiest first."""
        with self.db.session() as s:
            counts = s.execute(
                select(Mention.tenant, func.count())
                .where(Mention.cluster_pending.is_not(None))
                .group_by(Mention.tenant)
            ).all()
        busiest = sorted(((-n, partition_of(t)) for t, n in counts))
        return [p for _, p in busiest if self.owns(p)]

    def cluster_waiting(self, partition: str, batch_size: int, result: PipelineResult) -> int:
        """Cluster one batch of ``partition``'s mentions that the text stage placed while
        another worker (or none) owned it, oldest first; returns how many.

        Each tracker record is rebuilt from the stored row (the text stage's normalized text
        again, its places, duplicate link and noise kind), so nothing but the clustering runs
        again. The issue ids, the cleared markers and the province's tracker snapshot commit
        together, fenced by the province's epoch: a batch is clustered once, by one owner."""
        with self.db.writer() as s:
            corrected = self.trackers.apply_corrections(s)
            rows = s.scalars(
                select(Mention)
                .where(tenant_in(Mention.tenant, {partition}), Mention.cluster_pending.is_not(None))
                .order_by(Mention.published_at.asc().nulls_last(), Mention.id)
                .limit(batch_size)
            ).all()
            touched = set(self.trackers) if corrected else set()
            if rows:
                records = [self._waiting_record(m) for m in rows]
                clustered, by_mention = self._cluster(s, {rows[0].tenant: records}, result)
                touched |= clustered
                write_mentions(
                    s,
                    [
                        {"id": m.id, "cluster_pending": None, "issue_id": by_mention.get(str(m.id))}
                        for m in rows
                    ],
                    {m.id: m.published_at for m in rows},
                )
                result.processed += len(rows)
                result.batches += 1
            if touched:
                state = s.get(StageState, self.trackers.state_name(partition))
                position = rows[-1].id if rows else (state.position if state else 0)
                self.trackers.save(s, touched, position)
                self._fence(s, touched)
            return len(rows)

    def _waiting_record(self, m: Mention) -> TrackerMention:
        """The tracker record the text stage would have handed over for stored mention ``m``."""
        record = dataclasses.replace(
            stored_record(m),
            normalized=normalized_text(m.title, m.text, self.settings.max_text_chars),
            noise=m.noise,
        )
        record.published_at = self.limits.plausible(m.published_at)
        return record

    def _cluster(
        self,
        s: Session,
        tracker_in: dict[str | None, list[TrackerMention]],
        result: PipelineResult,
    ) -> tuple[set[str], dict[str, int]]:
        """Run each province's records through its tracker and store the issues and alerts;
        returns the partitions whose trackers changed and each clustered mention's issue id."""
        by_mention: dict[str, int] = {}
        for tenant, records in tracker_in.items():
            tracker = self.tracker_for(tenant)
            assignments, alerts = tracker.process(records)
            splits = tracker.drain_splits()
            moved = moved_by_splits(splits)
            keys = {tracker.resolve(moved.get(a.id, a.issue)) for a in assignments if a.issue}
            keys |= {tracker.resolve(a.issue) for a in alerts}
            keys |= {tracker.resolve(issue) for _, old, new, _ in splits for issue in (old, new)}
            ids = store_issues(s, tracker, tenant, keys, splits)
            for a in assignments:
                if a.issue:  # none for a noise post
                    by_mention[a.id] = ids[tracker.resolve(moved.get(a.id, a.issue))]
            store_alerts(s, alerts, {a.issue: ids[tracker.resolve(a.issue)] for a in alerts})
            result.issues_touched |= set(ids.values())
            result.alerts += len(alerts)
        return {partition_of(t) for t in tracker_in}, by_mention

    def _fence(self, s: Session, partitions: Collection[str], *, text_stage: bool = False) -> None:
        """Refuse the transaction's writes unless this process still owns what it wrote: the
        text stage (``text_stage``; one process runs every stage when it owns every province)
        and the trackers of ``partitions``."""
        s.flush()  # the batch's writes first, so the check is the transaction's last word
        if self.fence is not None and (text_stage or self.provinces is None):
            self.fence(s)
        self.trackers.fence(s, partitions)
