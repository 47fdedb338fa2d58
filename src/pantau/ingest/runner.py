"""The polling edge of ``pantau run``: poll every due source on its schedule, write what is new,
keep health. What happens to the stored mentions next is :mod:`pantau.flow`'s business; it hears
of each written batch through ``after_write``.

Crash safety: a poll's mentions are written in batches as they are read (a slow feed's first
articles are visible while the rest are still fetched), each its own transaction, and the
source's state (ETag, Last-Modified, health) is committed only after the last batch. A crash
mid-poll therefore leaves some mentions stored and the old state; the next poll fetches the
feed again, skips every article already stored (by canonical URL, before fetching it) and
writes the rest: nothing lost, nothing doubled. SIGTERM and SIGINT stop the loop after the
current source.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, select

from pantau.ingest.connector import PollContext
from pantau.ingest.fetch import SafeFetcher
from pantau.ingest.health import record_poll
from pantau.ingest.registry import ConnectorNotFound, get_connector
from pantau.ingest.sink import WriteSummary, write_mentions, write_quarantine
from pantau.ingest.sources import spec_of
from pantau.records import MentionIn
from pantau.settings import Settings
from pantau.store.db import Database
from pantau.store.models import Mention, Source

__all__ = ["RunStats", "Runner"]

logger = logging.getLogger(__name__)

#: Called with the ids of each batch of newly stored mentions (the flow wakes its analysis).
AfterWrite = Callable[[Database, list[str]], None]


@dataclass
class RunStats:
    """What a run did, for the CLI summary."""

    polls: int = 0
    failures: int = 0
    summary: WriteSummary = field(default_factory=WriteSummary)


class Runner:
    """Polls due sources until stopped."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        after_write: list[AfterWrite] | None = None,
        *,
        stop_event: threading.Event | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.stop_event = stop_event or threading.Event()
        self.after_write = after_write or []
        # housekeeping that runs once a round whatever was polled (retention of personal data);
        # each task decides for itself whether it is due and never raises
        self.each_round: list[Callable[[], object]] = []
        self.stats = RunStats()

    def due_sources(self, now: datetime) -> list[int]:
        """Ids of enabled polling sources whose interval has passed."""
        with self.db.session() as session:
            rows = session.scalars(select(Source).where(Source.enabled.is_(True))).all()
            due = []
            for src in rows:
                try:
                    kind = get_connector(src.kind).kind
                except ConnectorNotFound:
                    continue
                if kind != "poll":
                    continue
                last = src.last_polled_at
                if last is None or last + timedelta(seconds=src.interval_seconds) <= now:
                    due.append(src.id)
            return due

    def _seen(self, url: str) -> bool:
        with self.db.session() as session:
            return bool(session.scalar(select(exists().where(Mention.canonical_url == url))))

    def poll_source(self, source_id: int, fetcher: SafeFetcher) -> WriteSummary:
        """Poll one source, write its mentions in batches, then commit its state and health."""
        now = datetime.now(UTC)
        with self.db.session() as session:
            source = session.get(Source, source_id)
            if source is None:
                return WriteSummary()
            spec = spec_of(source)
        connector = get_connector(spec.kind)
        total = WriteSummary()
        pending: list[MentionIn] = []
        gone = False  # the source was deleted while it was being polled

        def write(batch: list[MentionIn]) -> None:
            nonlocal gone
            with self.db.writer() as session:
                source = session.get(Source, source_id)
                if source is None:
                    gone = True
                    return
                summary, rejected = write_mentions(
                    session, source, batch, max_chars=self.settings.max_text_chars
                )
                summary.quarantined = write_quarantine(session, source, rejected)
            total.add(summary)
            for hook in self.after_write:
                hook(self.db, summary.inserted_ids)

        def emit(mention: MentionIn) -> None:
            pending.append(mention)
            if len(pending) >= self.settings.import_batch_size and not gone:
                write(pending[:])
                pending.clear()

        ctx = PollContext(fetcher, self.settings, seen=self._seen, now=now, emit=emit)
        try:
            result = connector.poll(spec, ctx)
        except Exception as exc:  # a plugin's bug must not stop the other sources
            logger.exception("konektor %s gagal pada sumber %s", spec.kind, spec.name)
            result = None
            error: str | None = f"konektor gagal: {type(exc).__name__}: {exc}"
        else:
            error = result.error
        size = self.settings.import_batch_size
        rest = pending + (result.mentions if result else [])
        for start in range(0, len(rest), size):
            if gone:
                return total
            write(rest[start : start + size])
        if gone:
            return total
        with self.db.writer() as session:
            source = session.get(Source, source_id)
            if source is None:
                return total
            if result is not None:
                total.quarantined += write_quarantine(session, source, result.quarantine)
                if not result.error:
                    source.state = {**(source.state or {}), **result.state}
            record_poll(
                session,
                source,
                now=now,
                settings=self.settings,
                error=error,
                item_times=total.times,
            )
        self.stats.polls += 1
        self.stats.failures += 1 if error else 0
        self.stats.summary.add(total)
        logger.info(
            "sumber %s: %d baru, %d duplikat%s",
            spec.name,
            total.imported,
            total.duplicates,
            f", galat: {error}" if error else "",
        )
        return total

    def poll_due(self, fetcher: SafeFetcher) -> None:
        """Poll every source that is due now, one after the other (stops early when asked)."""
        for source_id in self.due_sources(datetime.now(UTC)):
            if self.stop_event.is_set():
                return
            self.poll_source(source_id, fetcher)

    def run(self, *, once: bool = False) -> RunStats:
        """Poll due sources until stopped (or one round with ``once``)."""
        with SafeFetcher(self.settings) as fetcher:
            while not self.stop_event.is_set():
                self.poll_due(fetcher)
                for task in self.each_round:
                    task()
                if once:
                    break
                self.stop_event.wait(self.settings.run_tick)
        return self.stats
