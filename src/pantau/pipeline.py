"""The live pipeline: text -> issues on the mentions waiting in the store, in micro-batches.

The same stage code as ``pantau analyze`` and ``pantau replay`` runs here; this module only reads
pending mentions, hands plain records to the stages, and writes their output back. Each batch is
one transaction that also saves the tracker's snapshot, so a crash at any point is repaired by
running again: the uncommitted batch is simply processed anew.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pantau.issues import Alert as TrackerAlert
from pantau.issues import IssueSummary, IssueTracker
from pantau.issues import Mention as TrackerMention
from pantau.settings import Settings
from pantau.store.audit import record
from pantau.store.db import Database
from pantau.store.models import Agency, Alert, Issue, Mention, StageState, Watchlist
from pantau.store.regions import kab_kota_of, region_name
from pantau.store.types import utcnow
from pantau.text import Analyzer

__all__ = ["BATCH_SIZE", "Pipeline", "PipelineResult"]

logger = logging.getLogger(__name__)

#: Mentions per micro-batch: large enough to amortize the analyzer's vector work, small enough
#: that a batch commits within a second on SQLite.
BATCH_SIZE = 500
TRACKER = "issue_tracker"
#: Analyzed mentions put back into the near-duplicate index on start; a day of a busy province.
WARM_DUPLICATES = 20_000


@dataclass
class PipelineResult:
    processed: int = 0
    batches: int = 0
    issues_touched: set[int] = field(default_factory=set)
    alerts: int = 0

    def describe(self) -> str:
        return (
            f"{self.processed} sebutan dalam {self.batches} kelompok, "
            f"{len(self.issues_touched)} isu diperbarui, {self.alerts} peringatan"
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Pipeline:
    """Holds the analyzer and the issue tracker between batches (restored from the store)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        with db.session() as s:
            watch = {
                f"{agency or 'umum'}/{name}": query
                for name, query, agency in s.execute(
                    select(Watchlist.name, Watchlist.query, Agency.short_name)
                    .join(Agency, Agency.id == Watchlist.agency_id, isouter=True)
                    .where(Watchlist.active.is_(True))
                )
            }
            saved = s.get(StageState, TRACKER)
            snapshot = dict(saved.state) if saved and saved.state else None
        self.analyzer = Analyzer(watch, settings=settings)
        self._warm_duplicate_index()
        self.tracker = (
            IssueTracker.restore(snapshot, settings) if snapshot else IssueTracker(settings)
        )

    def _warm_duplicate_index(self) -> None:
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
            self.analyzer.remember(records)

    # --- the loop --------------------------------------------------------------------------
    def run_pending(
        self, *, batch_size: int = BATCH_SIZE, progress: bool = False
    ) -> PipelineResult:
        """Process every mention not analyzed yet, oldest first, batch by batch."""
        result = PipelineResult()
        with self.db.session() as s:
            todo = s.scalar(select(func.count(Mention.id)).where(Mention.analyzed_at.is_(None)))
        bar = None
        if progress and todo:
            from pantau.cli.console import progress as make_progress

            bar = make_progress()
            bar.start()
            task = bar.add_task("Menganalisis sebutan", total=todo)
        try:
            while True:
                done = self.run_batch(batch_size, result)
                if not done:
                    break
                if bar is not None:
                    bar.advance(task, done)
        finally:
            if bar is not None:
                bar.stop()
        return result

    def run_batch(self, batch_size: int, result: PipelineResult) -> int:
        """One micro-batch in one transaction; returns how many mentions it processed."""
        with self.db.writer() as s:
            rows = s.scalars(
                select(Mention)
                .where(Mention.analyzed_at.is_(None))
                .order_by(Mention.published_at.asc().nulls_last(), Mention.id)
                .limit(batch_size)
            ).all()
            if not rows:
                return 0
            enriched = self.analyzer.process([self._text_record(m) for m in rows])
            tracker_in = []
            now = utcnow()
            for m, e in zip(rows, enriched, strict=True):
                m.lang = e["lang"]
                m.sentiment = e["sentiment"]["label"]
                m.sentiment_score = float(e["sentiment"]["score"])
                m.regions = [r["code"] for r in e["regions"]]
                m.watch = e["watch"]
                m.coordinated = bool(e["coordinated"])
                m.dup_of_id = int(e["dup_of"]) if e["dup_of"] else None
                if e.get("notes"):
                    m.notes = [*m.notes, *e["notes"]]
                m.analyzed_at = now
                tracker_in.append(self._tracker_record(m, e))
            assignments, alerts = self.tracker.process(tracker_in)
            keys = {self.tracker.resolve(a.issue) for a in assignments if a.issue}
            keys |= {self.tracker.resolve(a.issue) for a in alerts}
            ids = self._store_issues(s, keys)
            by_mention = {a.id: self.tracker.resolve(a.issue) for a in assignments if a.issue}
            for m in rows:
                key = by_mention.get(str(m.id))  # none for a noise post
                m.issue_id = ids[key] if key else None
            self._store_alerts(
                s, alerts, {a.issue: ids[self.tracker.resolve(a.issue)] for a in alerts}
            )
            self._save_state(s, rows[-1].id)
            result.processed += len(rows)
            result.batches += 1
            result.issues_touched |= set(ids.values())
            result.alerts += len(alerts)
            return len(rows)

    # --- records in ------------------------------------------------------------------------
    @staticmethod
    def _text_record(m: Mention) -> dict[str, Any]:
        return {
            "id": str(m.id),
            "text": m.text,
            "title": m.title,
            "author": m.author,
            "published_at": _iso(m.published_at),
            "channel": m.channel,
        }

    @staticmethod
    def _tracker_record(m: Mention, e: dict[str, Any]) -> TrackerMention:
        return TrackerMention(
            id=str(m.id),
            text=m.text,
            published_at=m.published_at,
            channel=m.channel,
            title=m.title,
            author=m.author,
            author_followers=m.author_followers or 0,
            outlet=m.outlet,
            likes=m.likes,
            shares=m.shares,
            comments=m.comments,
            views=m.views,
            normalized=e["normalized"],
            sentiment=e["sentiment"]["label"],
            sentiment_score=float(e["sentiment"]["score"]),
            regions=list(m.regions),
            region_names={r["code"]: r["name"] for r in e["regions"] if r.get("name")},
            coordinated=bool(e["coordinated"]),
            dup_of=e["dup_of"],
            noise=e.get("noise"),
        )

    # --- records out -----------------------------------------------------------------------
    def _store_issues(self, s: Session, keys: set[str]) -> dict[str, int]:
        # Issues that left the tracker's memory in this batch: an issue can be born and retire
        # within one batch (an old backlog replayed in stream time), and then only its retired
        # summary knows its label and figures.
        retired = {r.id: r for r in self.tracker.drain_retired()}
        wanted = keys | retired.keys()
        existing = {i.key: i for i in s.scalars(select(Issue).where(Issue.key.in_(wanted)))}
        for key in sorted(retired.keys() - keys):
            if key in existing:
                existing[key].stage = retired[key].stage  # the rest was stored while it lived
        ids: dict[str, int] = {}
        for key in sorted(keys):
            summary = self.tracker.summary(key) or retired.get(key)
            issue = existing.get(key)
            if issue is None:
                issue = Issue(key=key, label="")
                s.add(issue)
            if summary is not None:
                self._apply(issue, summary)
            s.flush()
            if key not in existing:
                record(
                    s,
                    actor="pipeline",
                    action="issue.create",
                    object_type="issue",
                    object_id=issue.id,
                    after={"label": issue.label, "key": key},
                )
            ids[key] = issue.id
        self._store_merges(s, ids)
        return ids

    def _store_merges(self, s: Session, ids: dict[str, int]) -> None:
        """Mark issues the tracker merged since the last batch and move their mentions."""
        for _, gone, _into in self.tracker.drain_merges():
            issue = s.scalar(select(Issue).where(Issue.key == gone, Issue.merged_into_id.is_(None)))
            if issue is None:
                continue
            target_key = self.tracker.resolve(gone)
            target = ids.get(target_key) or s.scalar(
                select(Issue.id).where(Issue.key == target_key)
            )
            if target is None or target == issue.id:
                continue
            issue.merged_into_id = target
            s.execute(update(Mention).where(Mention.issue_id == issue.id).values(issue_id=target))
            record(
                s,
                actor="pipeline",
                action="issue.merge",
                object_type="issue",
                object_id=issue.id,
                after={"merged_into": target},
            )

    @staticmethod
    def _apply(issue: Issue, summary: IssueSummary) -> None:
        data = summary.to_dict()
        issue.label = (summary.title or summary.label)[:500]  # what lists and reports show
        issue.key_phrases = summary.key_phrases
        issue.regions = [
            {"code": code, "name": region_name(code), "count": n}
            for code, n in sorted(summary.regions.items(), key=lambda kv: -kv[1])
            if kab_kota_of(code) or len(code) == 2
        ]
        issue.channels = summary.channels
        issue.first_seen = _parse(summary.first_seen)
        issue.last_seen = _parse(summary.last_seen)
        issue.first_social_at = _parse(summary.first_social)
        issue.first_news_at = _parse(summary.first_news)
        issue.crossover = summary.crossover
        issue.lead_time_seconds = summary.lead_time_seconds
        issue.stage = summary.stage
        issue.risk = float(summary.risk)
        if summary.risk_reasons:  # a retired summary has none: keep the last ones stored
            issue.risk_components = {str(r["component"]): r for r in summary.risk_reasons}
        issue.size = summary.size
        issue.sentiment_mix = summary.sentiment
        issue.summary = {
            k: data[k]
            for k in (
                "timeline",
                "top_authors",
                "top_outlets",
                "engagement",
                "coordinated_groups",
                "merged_from",
                "previous_episode",
            )
        }
        issue.summary["representative"] = summary.label  # the post the title stands for

    @staticmethod
    def _store_alerts(s: Session, alerts: list[TrackerAlert], ids: dict[str, int]) -> None:
        for a in alerts:
            s.add(
                Alert(
                    issue_id=ids[a.issue],
                    kind=a.kind,
                    stage=a.stage,
                    risk=a.risk,
                    reasons=a.reasons,
                    raised_at=a.raised_at,
                )
            )

    def _save_state(self, s: Session, position: int) -> None:
        state = s.get(StageState, TRACKER)
        if state is None:
            state = StageState(name=TRACKER)
            s.add(state)
        state.state = self.tracker.snapshot()
        state.position = position
