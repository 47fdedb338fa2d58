"""The newsroom's timed work, one round at a time: for ``pantau run`` and ``pantau newsroom sync``.

A round (1) brings the releases whose embargo or schedule has passed into monitoring as the
official channel and links the news that already carried them, (2) links the news articles
analyzed since the last round to the visible releases they reproduce, (3) queues the
reminders of tomorrow's press conferences, and (4) takes mail still waiting for contacts who
unsubscribed or bounced too often since out of the outbox. Every step is idempotent, so two
processes running rounds on one store, or a round repeated after a crash, add nothing twice.

Where the last round stopped is kept in the store (``stage_state``), so a restarted loop goes on
from there instead of comparing every release with every article again; the first round on a
store makes that full pass once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from pantau.newsroom.invitations import queue_reminders
from pantau.newsroom.media import cancel_stopped
from pantau.newsroom.pickup import link_analyzed, link_pickups
from pantau.newsroom.publish import enter_due
from pantau.settings import Settings
from pantau.store.db import Database
from pantau.store.models import StageState
from pantau.store.types import utcnow

__all__ = ["PICKUP_STATE", "NewsroomReport", "NewsroomRound", "run_round"]

logger = logging.getLogger(__name__)

#: The ``stage_state`` row holding when the pick-up pass last looked at analyzed news.
PICKUP_STATE = "newsroom_pickup"
#: How far back each incremental pass looks again: a batch's ``analyzed_at`` is stamped before
#: its transaction commits, so a batch committing while the last round ran would otherwise be
#: skipped. A batch of the flow commits in seconds; ten minutes covers a slow store many times,
#: and looking again costs only a few comparisons (linked articles are not compared twice).
ANALYZED_SLACK = timedelta(minutes=10)


@dataclass
class NewsroomReport:
    """What one newsroom round did."""

    entered: int = 0  # releases whose embargo passed, now in monitoring
    linked: int = 0  # news articles newly linked as pick-up
    reminders: int = 0  # press-conference reminders queued
    cancelled: int = 0  # waiting mail to contacts who unsubscribed or bounced since

    def describe(self) -> str:
        return (
            f"{self.entered} rilis masuk pemantauan, {self.linked} pemberitaan baru, "
            f"{self.reminders} pengingat undangan, {self.cancelled} surel dibatalkan"
        )

    def add(self, other: NewsroomReport) -> None:
        """Count ``other``'s work in this report too (a run's totals over its rounds)."""
        self.entered += other.entered
        self.linked += other.linked
        self.reminders += other.reminders
        self.cancelled += other.cancelled

    def __bool__(self) -> bool:
        return bool(self.entered or self.linked or self.reminders or self.cancelled)


def _link(s: Session, now: datetime, *, full: bool) -> int:
    """Link pick-up since the saved mark (all of it the first time, or when ``full``)."""
    looked = utcnow()  # the mark is the analysis's clock, whatever moment the round stands for
    state = s.get(StageState, PICKUP_STATE)
    if state is None:
        state = StageState(name=PICKUP_STATE, state={})
        s.add(state)
    since = state.state.get("analyzed_since")
    if full or since is None:
        linked = link_pickups(s, now=now)
    else:
        linked = link_analyzed(s, datetime.fromisoformat(since) - ANALYZED_SLACK, now=now)
    state.state = {"analyzed_since": looked.isoformat()}
    return linked


def run_round(
    db: Database, settings: Settings, *, now: datetime | None = None, full: bool = False
) -> NewsroomReport:
    """One round of the newsroom's timed work; ``full`` compares every release with its news."""
    now = now or utcnow()
    report = NewsroomReport()
    with db.writer() as s:
        entered = enter_due(s, settings, now=now)
        for release_id in entered:  # what carried it while under embargo (a leak) or before
            report.linked += link_pickups(s, release_id=release_id, now=now)
        report.entered = len(entered)
    with db.writer() as s:
        report.linked += _link(s, now, full=full)
    with db.writer() as s:
        report.reminders = queue_reminders(s, settings, now=now)
        report.cancelled = cancel_stopped(s, settings, now=now)
    if report:
        logger.info("ruang berita: %s", report.describe())
    return report


class NewsroomRound:
    """:func:`run_round` on a schedule, for a loop that calls it every pass (``pantau run``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.every = max(0.0, float(settings.newsroom_round_seconds))
        self._next = float("-inf")  # the first call runs

    def __call__(self, *, force: bool = False) -> NewsroomReport | None:
        """Run a round when due (or ``force``); a failure is logged and retried next time."""
        if not force and time.monotonic() < self._next:
            return None
        self._next = time.monotonic() + self.every
        try:
            return run_round(self.db, self.settings)
        except Exception:  # the store restarting must not end the loop: the round is idempotent
            logger.exception("putaran ruang berita gagal; dicoba lagi dalam %ss", self.every)
            return None
