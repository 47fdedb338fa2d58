"""``pantau run``: every stage for one process, poll -> store -> analyze -> issues -> route.

Two loops share one stop event. A polling thread runs :class:`pantau.ingest.runner.Runner` on the
sources' schedules; the main thread looks for stored mentions that wait for analysis, whatever
brought them (a feed, the push API, ``pantau import``, LAPOR!), at least every
``flow_max_lag_seconds`` and at once when the poller wrote a batch, so no mention waits for an
unrelated poll. The :class:`~pantau.flow.pipeline.Pipeline` is built once and kept warm; after
any failure it is dropped and rebuilt from the store's snapshot, because its in-memory tracker
may hold a batch whose transaction rolled back. Alerts the analysis raised are routed into the
outbox at once (in-app notifications written); e-mail, Telegram and webhooks go out from here
only with ``flow_deliver_alerts``, else from ``pantau alerts deliver --watch``. After the
analysis, the newsroom's timed work runs every ``newsroom_round_seconds`` (embargoed releases
enter monitoring, the analyzed news is linked as their pick-up, invitation reminders are queued).

On PostgreSQL several workers share the analysis: one runs the text stage (the holder of the
clustering lock), and each clusters its fair share of the provinces (:mod:`pantau.flow.share`),
settled again at the start of every round. On SQLite the one owner runs every stage.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

from pantau.alerts.runner import RoundReport, route_and_notify, run_round
from pantau.flow.ownership import ClusteringOwner, FencedOut
from pantau.flow.pipeline import Pipeline, PipelineResult, Progress
from pantau.flow.share import FairShare, busiest_provinces
from pantau.ingest.fetch import SafeFetcher
from pantau.ingest.runner import Runner, RunStats
from pantau.newsroom.rounds import NewsroomReport, NewsroomRound
from pantau.reports.analysis_ranges import slide_to_newest
from pantau.settings import Settings
from pantau.store.db import Database

__all__ = ["DELIVER_EVERY", "Flow", "FlowStats"]

logger = logging.getLogger(__name__)

#: Seconds between delivery rounds when ``pantau run`` delivers alerts itself: the default
#: interval of ``pantau alerts deliver --watch``, so retries come as often either way.
DELIVER_EVERY = 30.0
#: Seconds between slides of the analysis page's author counts: the page's windows move by the
#: hour, and until a slide each read subtracts the mentions since the last one.
SLIDE_EVERY = 300.0


@dataclass
class FlowStats:
    """What a run did, for the CLI summary."""

    ingest: RunStats
    analysis: PipelineResult = field(default_factory=PipelineResult)
    routed: int = 0
    newsroom: NewsroomReport = field(default_factory=NewsroomReport)


class Flow:
    """Runs the stages for one process until stopped (or one pass with :meth:`run_once`)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        analyze: bool = True,
        progress: Progress | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.analyze = analyze
        self.progress = progress
        self.stop_event = threading.Event()
        self._stored = threading.Event()  # the poller wrote mentions: analyze without waiting
        self.poller = Runner(db, settings, [self._on_write], stop_event=self.stop_event)
        self.stats = FlowStats(ingest=self.poller.stats)
        self._pipeline: Pipeline | None = None
        # several `pantau run` on one store: one analyzes; one paused past its lease holds
        # neither the clustering nor any row lock
        self.owner = ClusteringOwner(db, lease_seconds=settings.clustering_lease_seconds)
        lease = settings.clustering_lease_seconds
        self.share = FairShare(db, lease) if db.dialect == "postgresql" else None
        self._text_stage = False  # whether the pipeline was built as the text stage's owner
        db.limit_idle_transactions(settings.clustering_lease_seconds)
        self._delivered_at = float("-inf")  # the first round delivers
        self._slid_at = float("-inf")
        self.newsroom = NewsroomRound(db, settings)

    def _on_write(self, _db: Database, ids: list[str]) -> None:
        if ids:
            self._stored.set()

    @contextmanager
    def signal_handlers(self) -> Iterator[None]:
        """Stop gracefully on SIGTERM and SIGINT (the current source and batch finish first);
        the previous handlers come back on exit, so an embedding process keeps its own."""

        def _stop(signum: int, _frame: FrameType | None) -> None:
            logger.info("sinyal %s diterima; berhenti setelah pekerjaan yang berjalan", signum)
            self.stop()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self) -> None:
        self.stop_event.set()
        self._stored.set()

    # --- the two ways to run -----------------------------------------------------------------
    def run_once(self) -> FlowStats:
        """Poll the due sources once, then analyze every pending mention and route its alerts."""
        with SafeFetcher(self.settings) as fetcher:
            self.poller.poll_due(fetcher)
        if self.analyze:
            try:
                self.analyze_pending()
            finally:
                self.release()
        self._newsroom(force=True)
        self._slide(force=True)
        return self.stats

    def run(self) -> FlowStats:
        """Poll on schedule in a thread and analyze within the lag setting, until stopped."""
        poll = threading.Thread(target=self._poll_forever, name="pantau-poll", daemon=True)
        poll.start()
        lag = max(0.05, float(self.settings.flow_max_lag_seconds))
        try:
            while not self.stop_event.is_set():
                self._stored.clear()
                if self.analyze:
                    self.analyze_pending()
                self._newsroom()
                self._slide()
                self._stored.wait(lag)
        finally:
            self.stop()
            poll.join()
            self.release()
        return self.stats

    def release(self) -> None:
        """Give up the text stage and this worker's provinces (a clean stop: the others take
        them on their next round, not after a lease)."""
        self.owner.release()
        if self.share is not None:
            self.share.release()

    def _poll_forever(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.poller.run()
            except Exception:  # the store restarting must not end polling: try again later
                logger.exception("putaran ambil sumber gagal; dicoba lagi")
                self.stop_event.wait(self.settings.run_tick)

    # --- the later stages --------------------------------------------------------------------
    def analyze_pending(self) -> PipelineResult | None:
        """Analyze every pending mention and route the alerts that raised; ``None`` on failure.

        The pipeline is transactional and idempotent, so a failure is logged and the work is
        retried on the next round by a pipeline rebuilt from the store. Only the process that
        owns the clustering analyzes; the others wait here, round after round, to take over.
        """
        try:
            pipeline = self._claim()
            if pipeline is None:
                return None
            result = pipeline.run_pending(
                progress=self.progress, stop=self.stop_event, text_stage=self._text_stage
            )
        except FencedOut as exc:  # another worker took over while this one was away
            logger.warning("%s; menunggu lagi sebagai cadangan", exc)
            self._pipeline = None
            self.release()
            return None
        except Exception:
            logger.exception("tahap analisis gagal; dicoba lagi pada putaran berikutnya")
            self._pipeline = None
            return None
        if result.processed:
            logger.info("analisis: %s", result.describe())
            self.stats.analysis.add(result)
        self._route(raised=result.alerts > 0)
        return result

    def _claim(self) -> Pipeline | None:
        """Claim this round's work and the pipeline to do it with; ``None`` when there is none.

        Alone (SQLite), the clustering lock's holder does everything. With a share, the holder
        runs the text stage and every worker its provinces: the pipeline drops the provinces
        given up and takes the ones gained from their snapshots, and when this worker takes the
        text stage over it keeps its trackers (:meth:`Pipeline.take_text_stage`: only the
        near-duplicate index is warmed from the store again)."""
        text_stage = self.owner.claim()
        if self.share is None:
            self._text_stage = text_stage
            if not text_stage:
                self._pipeline = None  # a later claim starts from the owner's last snapshot
            elif self._pipeline is None:
                self._pipeline = Pipeline(self.db, self.settings, fence=self.owner.fence)
            return self._pipeline
        with self.db.session() as s:
            busiest = busiest_provinces(s, self.settings.province)
        gained, lost = self.share.rebalance(busiest)
        if self._pipeline is None:
            self._pipeline = Pipeline(
                self.db, self.settings, fence=self.owner.fence, provinces=self.share.locks
            )
        else:
            for partition in lost:
                self._pipeline.drop(partition)
            for partition in gained:
                self._pipeline.adopt(partition)
            if text_stage and not self._text_stage:
                self._pipeline.take_text_stage()
        self._text_stage = text_stage
        return self._pipeline if text_stage or self.share.locks.held else None

    def _newsroom(self, *, force: bool = False) -> None:
        """The newsroom's round when due: after the analysis, so its news is linked at once."""
        report = self.newsroom(force=force)
        if report:
            self.stats.newsroom.add(report)

    def _slide(self, *, force: bool = False) -> None:
        """Slide the author counts when due; a failure is logged and retried next time."""
        if not force and time.monotonic() - self._slid_at < SLIDE_EVERY:
            return
        self._slid_at = time.monotonic()
        try:
            with self.db.writer() as s:
                slide_to_newest(s)
        except Exception:  # the page reads the mentions meanwhile: nothing is lost
            logger.exception("penggeseran hitungan penulis gagal; dicoba lagi nanti")

    def _route(self, *, raised: bool) -> None:
        deliver = bool(self.settings.flow_deliver_alerts)
        due = deliver and time.monotonic() - self._delivered_at >= DELIVER_EVERY
        if not (raised or due):
            return
        try:
            report: RoundReport
            if deliver:
                report = run_round(self.db, self.settings)
                self._delivered_at = time.monotonic()
            else:
                report = route_and_notify(self.db, self.settings)
        except Exception:  # routing is idempotent: what failed is routed next round
            logger.exception("perutean peringatan gagal; dicoba lagi pada putaran berikutnya")
            return
        self.stats.routed += report.routed.alerts
