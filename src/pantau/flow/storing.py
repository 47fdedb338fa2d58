"""Storing what the issue trackers found: their issues, merges and alerts, as rows of the store.

The trackers (:mod:`pantau.issues`) keep issues as plain summaries in memory; after each batch
the pipeline (:mod:`pantau.flow.pipeline`) hands this module the keys of the issues a batch
touched, and it writes them in the batch's transaction: a new issue is created and audited, a
known one takes its summary's figures, an issue the tracker merged away points at the one it
joined (its mentions move with it), the part of an issue the tracker split off takes the
mentions the tracker moved, and alerts are stored unless people dismissed their issue.

A name a person gave an issue stays (``label_locked``), and an issue that repeats one people
dismissed as noise is dismissed with it, audited, so it never alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pantau.issues import Alert as TrackerAlert
from pantau.issues import IssueSummary, IssueTracker
from pantau.issues.tracker import Split
from pantau.store.audit import record
from pantau.store.models import Alert, Issue, Mention
from pantau.store.regions import kab_kota_of, region_name
from pantau.store.types import utcnow
from pantau.workflow.corrections import dismissed_like
from pantau.workflow.escalation import set_detected_stage

__all__ = [
    "apply_summary",
    "dismissed",
    "store_alerts",
    "store_issues",
    "store_merges",
    "store_splits",
]

#: Mention ids per UPDATE when a split moves them (a split moves at most
#: :data:`pantau.issues.cluster_splitting.SPLIT_MAX_DOCS`; SQLite binds up to 32,766 variables).
SPLIT_CHUNK = 500
#: The summary's parts an issue keeps in its ``summary`` column (the rest have columns of their
#: own): what the issue page's timeline, authors, outlets and history panels show.
SUMMARY_PARTS = (
    "timeline",
    "top_authors",
    "top_outlets",
    "engagement",
    "coordinated_groups",
    "merged_from",
    "previous_episode",
)


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def store_issues(
    s: Session,
    tracker: IssueTracker,
    tenant: str | None,
    keys: set[str],
    splits: Sequence[Split] = (),
) -> dict[str, int]:
    """Create or update the issues ``keys`` of ``tracker`` (of province ``tenant``) and those
    it retired since the last batch, mark the ones it merged and move the mentions of its
    ``splits`` (drained by the caller, who places the batch's own mentions with
    :func:`pantau.issues.tracker.moved_by_splits`); returns each key's issue id."""
    # Issues that left the tracker's memory in this batch: an issue can be born and retire
    # within one batch (an old backlog replayed in stream time), and then only its retired
    # summary knows its label and figures.
    retired = {r.id: r for r in tracker.drain_retired()}
    wanted = keys | retired.keys()
    existing = {i.key: i for i in s.scalars(select(Issue).where(Issue.key.in_(wanted)))}
    for key in sorted(retired.keys() - keys):
        if key in existing:
            set_detected_stage(existing[key], retired[key].stage)  # the rest was stored
    ids: dict[str, int] = {}
    for key in sorted(keys):
        summary = tracker.summary(key) or retired.get(key)
        issue = existing.get(key)
        if issue is None:
            issue = Issue(key=key, label="", tenant=tenant)
            s.add(issue)
        if summary is not None:
            apply_summary(issue, summary)
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
            dismissed(s, issue)  # a noise pattern people dismissed, come back
        ids[key] = issue.id
    store_merges(s, tracker, ids)
    store_splits(s, tracker, splits, ids)
    return ids


def store_splits(
    s: Session, tracker: IssueTracker, splits: Sequence[Split], ids: dict[str, int]
) -> None:
    """Move the stored mentions each split moved to the new issue (the caller put both issues
    in ``keys``; mentions of this batch are placed by the caller), audited. A mention a person
    placed stays where that person put it."""
    for _, source, new, mids in splits:
        target = ids.get(tracker.resolve(new))
        if target is None:
            continue
        numbers = [int(m) for m in mids if m.isdigit()]
        for chunk in range(0, len(numbers), SPLIT_CHUNK):
            s.execute(
                update(Mention)
                .where(
                    Mention.id.in_(numbers[chunk : chunk + SPLIT_CHUNK]),
                    Mention.issue_id.is_not(None),
                    Mention.placed_by_id.is_(None),
                )
                .values(issue_id=target)
            )
        # recorded as a person's split is (workflow.corrections.split): on the issue split
        record(
            s,
            actor="pipeline",
            action="issue.split",
            object_type="issue",
            object_id=ids.get(tracker.resolve(source)),
            after={"new_issue": target, "mentions": len(numbers)},
        )


def store_merges(s: Session, tracker: IssueTracker, ids: dict[str, int]) -> None:
    """Mark issues the tracker merged since the last batch and move their mentions."""
    for _, gone, _into in tracker.drain_merges():
        issue = s.scalar(select(Issue).where(Issue.key == gone, Issue.merged_into_id.is_(None)))
        if issue is None:
            continue
        target_key = tracker.resolve(gone)
        target = ids.get(target_key) or s.scalar(select(Issue.id).where(Issue.key == target_key))
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


def dismissed(s: Session, issue: Issue) -> bool:
    """Whether people dismissed the issue, or one it repeats (a noise pattern come back:
    then it is dismissed with it, audited)."""
    if issue.dismissed_at is not None:
        return True
    like = dismissed_like(s, issue)
    if like is None:
        return False
    issue.dismissed_at = utcnow()
    issue.dismissed_reason = f"mirip isu #{like.id} yang diabaikan: {like.dismissed_reason}"
    record(
        s,
        actor="pipeline",
        action="issue.dismiss",
        object_type="issue",
        object_id=issue.id,
        after={"like": like.id, "reason": issue.dismissed_reason},
    )
    return True


def apply_summary(issue: Issue, summary: IssueSummary) -> None:
    """Copy a tracker's summary of an issue onto its stored row."""
    data = summary.to_dict()
    if not issue.label_locked:  # a name a person gave stays
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
    set_detected_stage(issue, summary.stage)
    issue.risk = float(summary.risk)
    if summary.risk_reasons:  # a retired summary has none: keep the last ones stored
        issue.risk_components = {str(r["component"]): r for r in summary.risk_reasons}
    issue.size = summary.size
    issue.sentiment_mix = summary.sentiment
    issue.summary = {k: data[k] for k in SUMMARY_PARTS}
    issue.summary["representative"] = summary.label  # the post the title stands for


def store_alerts(s: Session, alerts: list[TrackerAlert], ids: dict[str, int]) -> None:
    """Store the trackers' alerts (``ids``: each alert's issue key -> issue id), except those
    of issues people dismissed."""
    alerting = s.scalars(select(Issue).where(Issue.id.in_({ids[a.issue] for a in alerts})))
    muted = {i.id for i in alerting if dismissed(s, i)}
    for a in alerts:
        if ids[a.issue] in muted:  # people said it is noise: it never alerts
            continue
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
