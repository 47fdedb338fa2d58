"""Human corrections that the machine respects: rename, dismiss, merge, move and split.

Each correction changes the store at once (pages, counts and reports show it), is audited, and
is queued (:class:`~pantau.store.workflow_models.IssueCorrection`) for the live tracker, which
applies the queue before its next batch (:func:`apply_pending`) so that the next mentions follow
the decision: a merged issue's posts go to the survivor, a split stays split, a moved post's
neighbours follow it, a named issue keeps its name and a dismissed pattern never alerts again.
Every correction can be undone: a merge or a move by the opposite move, a dismissal by
:func:`restore`, a name by renaming.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pantau.issues import IssueTracker
from pantau.issues import Mention as TrackerMention
from pantau.issues.corrections import keep_apart, merge_issues, regroup
from pantau.records import Enrichment, RegionTag
from pantau.store.audit import record_by
from pantau.store.models import Issue, Mention, Region
from pantau.store.regions import region_name
from pantau.store.types import utcnow
from pantau.store.workflow_models import IssueCorrection, MentionLabel
from pantau.text.analyzer import analyzed_text
from pantau.text.normalize import normalize_tokens
from pantau.text.precise import OFFICER
from pantau.text.retrain import OfficeLabel
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.statuses import WorkflowError, authorize_on, load_issue

__all__ = [
    "apply_pending",
    "dismiss",
    "dismissed_like",
    "export_labels",
    "merge",
    "move_mentions",
    "relabel",
    "rename",
    "restore",
    "sentiment_labels",
    "split",
]

logger = logging.getLogger(__name__)

MAX_LABEL = 200
MIN_REASON = 5
#: Mentions one move or split may carry: a page of search results, not a whole stream.
MAX_MOVE = 5_000
#: Key phrases a new issue must share with a dismissed one to be dismissed with it (Jaccard):
#: half of the phrases and at least two, so one shared place name is never enough.
PATTERN_OVERLAP = 0.5
PATTERN_MIN_SHARED = 2


def _audit(
    session: Session, principal: Principal, action: str, issue_id: int, **after: Any
) -> None:
    record_by(
        session,
        principal,
        action=action,
        object_type="issue",
        object_id=issue_id,
        after=after,
    )


def _queue(
    session: Session, principal: Principal | None, kind: str, issue_id: int, **data: Any
) -> None:
    target = data.pop("target_id", None)
    session.add(
        IssueCorrection(
            kind=kind,
            issue_id=issue_id,
            target_id=target,
            data=data,
            user_id=principal.id if principal else None,
        )
    )


def _recount(session: Session, issue_id: int | None) -> None:
    """Size and time span from the mentions the issue holds now."""
    if issue_id is None:
        return
    issue = session.get(Issue, issue_id)
    if issue is None:
        return
    size, first, last = session.execute(
        select(
            func.count(Mention.id), func.min(Mention.published_at), func.max(Mention.published_at)
        ).where(Mention.issue_id == issue_id)
    ).one()
    issue.size = int(size or 0)
    issue.first_seen, issue.last_seen = first, last


def rename(session: Session, principal: Principal, issue_id: int, label: str) -> Issue:
    """Give the issue a name a person chose; the tracker's label no longer replaces it."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.correct", issue)
    label = " ".join((label or "").split())
    if not label or len(label) > MAX_LABEL:
        raise WorkflowError("label", f"judul isu wajib diisi, paling panjang {MAX_LABEL} karakter")
    before = issue.label
    issue.label, issue.label_locked = label, True
    _audit(session, principal, "issue.rename", issue.id, label=label, before=before)
    return issue


def dismiss(session: Session, principal: Principal, issue_id: int, reason: str) -> Issue:
    """Dismiss the issue as noise or spam: off every list and count, never alerted again."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.correct", issue)
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise WorkflowError("reason", f"alasan wajib diisi (minimal {MIN_REASON} karakter)")
    issue.dismissed_at, issue.dismissed_reason = utcnow(), reason
    _audit(session, principal, "issue.dismiss", issue.id, reason=reason)
    return issue


def restore(session: Session, principal: Principal, issue_id: int) -> Issue:
    """Undo a dismissal."""
    issue = load_issue(session, issue_id)
    authorize_on(principal, "issue.correct", issue)
    issue.dismissed_at, issue.dismissed_reason = None, None
    _audit(session, principal, "issue.restore", issue.id)
    return issue


def merge(session: Session, principal: Principal, issue_id: int, into_id: int) -> Issue:
    """Merge issue ``issue_id`` into ``into_id`` (two copies of one matter)."""
    gone, into = load_issue(session, issue_id), load_issue(session, into_id)
    if gone.id == into.id:
        raise WorkflowError("into_id", "isu tidak dapat digabung dengan dirinya sendiri")
    if into.merged_into_id is not None:
        raise WorkflowError(
            "into_id", f"isu #{into.id} sudah digabung ke isu #{into.merged_into_id}"
        )
    authorize_on(principal, "issue.correct", gone)
    authorize_on(principal, "issue.correct", into)
    if gone.tenant != into.tenant:  # each province is clustered apart (pantau.store.tenancy)
        raise WorkflowError("into_id", f"isu #{into.id} milik provinsi lain")
    gone.merged_into_id = into.id
    session.execute(update(Mention).where(Mention.issue_id == gone.id).values(issue_id=into.id))
    _recount(session, into.id)
    _queue(session, principal, "merge", gone.id, target_id=into.id)
    _audit(session, principal, "issue.merge", gone.id, merged_into=into.id, by="person")
    return into


def move_mentions(
    session: Session,
    principal: Principal,
    mention_ids: Sequence[int],
    to_issue_id: int | None,
    *,
    reason: str = "",
) -> list[int]:
    """Move mentions to another issue, or out of any issue (``None``: noise, with a reason).

    Returns the issues whose mentions changed.
    """
    ids = sorted(set(int(i) for i in mention_ids))
    if not ids:
        raise WorkflowError("mention_ids", "pilih minimal satu sebutan")
    if len(ids) > MAX_MOVE:
        raise WorkflowError("mention_ids", f"paling banyak {MAX_MOVE} sebutan sekali pindah")
    target = load_issue(session, to_issue_id) if to_issue_id is not None else None
    if target is not None:
        if target.merged_into_id is not None:
            raise WorkflowError(
                "to_issue_id", f"isu #{target.id} sudah digabung; pilih isu tujuannya"
            )
        authorize_on(principal, "issue.correct", target)
    elif len(" ".join(reason.split())) < MIN_REASON:
        raise WorkflowError("reason", "mengeluarkan sebutan dari isu memerlukan alasan (mis. spam)")
    rows = session.scalars(select(Mention).where(Mention.id.in_(ids))).all()
    missing = sorted(set(ids) - {m.id for m in rows})
    if missing:
        raise WorkflowError(
            "mention_ids", f"sebutan tidak ada: {', '.join(map(str, missing[:10]))}"
        )
    if target is not None and any(m.tenant != target.tenant for m in rows):
        raise WorkflowError("to_issue_id", f"isu #{target.id} milik provinsi lain")
    sources = sorted({m.issue_id for m in rows if m.issue_id is not None})
    for source_id in sources:
        authorize_on(principal, "issue.correct", load_issue(session, source_id))
    for m in rows:
        m.issue_id = target.id if target else None
        m.placed_by_id = principal.id
    touched = sorted({*sources, *([target.id] if target else [])})
    for issue_id in touched:
        _recount(session, issue_id)
    _queue(session, principal, "regroup", touched[0] if touched else 0, issues=touched)
    for issue_id in touched:
        _audit(
            session,
            principal,
            "issue.move_mentions",
            issue_id,
            mentions=ids[:100],
            to=target.id if target else None,
            reason=reason or None,
        )
    return touched


def split(
    session: Session,
    principal: Principal,
    issue_id: int,
    *,
    mention_ids: Sequence[int] = (),
    phrase: str = "",
    label: str = "",
) -> Issue:
    """Split off a new issue: the chosen mentions, or those containing a key phrase."""
    source = load_issue(session, issue_id)
    authorize_on(principal, "issue.correct", source)
    chosen = set(int(i) for i in mention_ids)
    words = normalize_tokens(phrase) if phrase.strip() else []
    if words:
        wanted = " ".join(words)
        for mid, title, text in session.execute(
            select(Mention.id, Mention.title, Mention.text).where(Mention.issue_id == source.id)
        ):
            said = " ".join(normalize_tokens(f"{title or ''} {text}"))
            if f" {wanted} " in f" {said} ":
                chosen.add(int(mid))
    if not chosen:
        raise WorkflowError("phrase" if phrase else "mention_ids", "tidak ada sebutan yang dipisah")
    held = set(
        session.scalars(
            select(Mention.id).where(Mention.issue_id == source.id, Mention.id.in_(chosen))
        )
    )
    if held != chosen:
        raise WorkflowError("mention_ids", f"{len(chosen - held)} sebutan bukan bagian isu ini")
    if len(held) == source.size or not session.scalar(
        select(func.count(Mention.id)).where(Mention.issue_id == source.id, Mention.id.not_in(held))
    ):
        raise WorkflowError("mention_ids", "pisahkan sebagian sebutan, bukan semuanya")
    name = " ".join((label or phrase or "").split())[:MAX_LABEL] or f"Pecahan isu #{source.id}"
    new = Issue(
        label=name,
        label_locked=bool(label.strip()),
        stage=source.stage,
        detected_stage=source.detected_stage or source.stage,
        regions=source.regions,
        agency_id=source.agency_id,
        tenant=source.tenant,
    )
    session.add(new)
    session.flush()
    session.execute(
        update(Mention)
        .where(Mention.id.in_(held))
        .values(issue_id=new.id, placed_by_id=principal.id)
    )
    _recount(session, source.id)
    _recount(session, new.id)
    _queue(session, principal, "split", source.id, target_id=new.id)
    _audit(session, principal, "issue.split", source.id, new_issue=new.id, mentions=len(held))
    _audit(session, principal, "issue.create", new.id, split_from=source.id, label=name)
    return new


def _phrases(issue: Issue) -> set[str]:
    return {str(p.get("phrase") if isinstance(p, dict) else p) for p in issue.key_phrases or []}


def dismissed_like(session: Session, issue: Issue) -> Issue | None:
    """A dismissed issue whose key phrases this new issue repeats (a pattern come back)."""
    mine = _phrases(issue)
    if len(mine) < PATTERN_MIN_SHARED:
        return None
    for other in session.scalars(
        select(Issue).where(Issue.dismissed_at.is_not(None), Issue.id != issue.id)
    ):
        theirs = _phrases(other)
        shared = mine & theirs
        if (
            len(shared) >= PATTERN_MIN_SHARED
            and len(shared) / len(mine | theirs) >= PATTERN_OVERLAP
        ):
            return other
    return None


# --- the tracker's side --------------------------------------------------------------------
def stored_record(m: Mention) -> TrackerMention:
    """A stored, analyzed mention as the tracker reads it: what the text stage stored, turned
    into the tracker's record in the one place that does it (``Mention.enriched``)."""
    learned = Enrichment(
        id=m.id,
        lang=m.lang or "",
        sentiment=m.sentiment or "neutral",
        sentiment_score=float(m.sentiment_score or 0.0),
        regions=[RegionTag(code=code, name=region_name(code)) for code in m.regions or []],
        dup_of=str(m.dup_of_id) if m.dup_of_id else None,
        normalized=" ".join(normalize_tokens(m.text)),
        coordinated="stored" if m.coordinated else None,
    )
    return TrackerMention.enriched(m, learned)


def _records(session: Session, issue_id: int) -> list[TrackerMention]:
    rows = session.scalars(select(Mention).where(Mention.issue_id == issue_id).order_by(Mention.id))
    return [stored_record(m) for m in rows]


def apply_pending(
    session: Session,
    tracker_of: Callable[[Issue], IssueTracker],
    ours: Callable[[Issue], bool] | None = None,
) -> int:
    """Apply queued corrections to the live trackers (the pipeline calls this before a batch);
    ``tracker_of`` gives the tracker of an issue's province. With ``ours``, only corrections of
    the issues it accepts (a worker's own provinces): the others wait for their own worker."""
    rows = session.scalars(
        select(IssueCorrection)
        .where(IssueCorrection.applied_at.is_(None))
        .order_by(IssueCorrection.id)
    ).all()
    if ours is not None:
        rows = [r for r in rows if (issue := session.get(Issue, r.issue_id)) is None or ours(issue)]
    for row in rows:
        source = session.get(Issue, row.issue_id)
        target = session.get(Issue, row.target_id) if row.target_id else None
        if row.kind == "merge" and source and target and source.key and target.key:
            merge_issues(tracker_of(source), source.key, target.key)
        elif row.kind == "regroup":
            for issue_id in row.data.get("issues", []):
                issue = session.get(Issue, issue_id)
                if issue is not None and issue.key:
                    regroup(tracker_of(issue), issue.key, _records(session, issue.id))
        elif row.kind == "split" and source and target:
            tracker = tracker_of(source)
            if source.key:
                regroup(tracker, source.key, _records(session, source.id))
            target.key = regroup(tracker, target.key, _records(session, target.id))
            if source.key:
                keep_apart(tracker, source.key, target.key)
        row.applied_at = utcnow()
    if rows:
        logger.info("%d koreksi diterapkan pada pelacak isu", len(rows))
    return len(rows)


# --- what the text stage read --------------------------------------------------------------
SENTIMENTS = ("positive", "neutral", "negative")


def relabel(
    session: Session,
    principal: Principal,
    mention_id: int,
    *,
    sentiment: str | None = None,
    regions: Sequence[str] | None = None,
) -> Mention:
    """Correct a mention's sentiment or regions; kept as labelled data for retraining."""
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise WorkflowError("mention_id", f"sebutan #{mention_id} tidak ada")
    issue = session.get(Issue, mention.issue_id) if mention.issue_id else None
    if issue is not None:
        authorize_on(principal, "issue.correct", issue)
    else:
        authorize(principal, "issue.correct")
    changes: list[tuple[str, Any, Any]] = []
    if sentiment is not None:
        if sentiment not in SENTIMENTS:
            raise WorkflowError("sentiment", f"pilih salah satu: {', '.join(SENTIMENTS)}")
        changes.append(("sentiment", mention.sentiment, sentiment))
        mention.sentiment, mention.sentiment_score = sentiment, 1.0
        mention.sentiment_tier = OFFICER
    if regions is not None:
        codes = sorted({str(c).strip() for c in regions if str(c).strip()})
        known = set(session.scalars(select(Region.code).where(Region.code.in_(codes))))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise WorkflowError("regions", f"kode wilayah tidak dikenal: {', '.join(unknown[:5])}")
        changes.append(("regions", list(mention.regions or []), codes))
        mention.regions = codes
    if not changes:
        raise WorkflowError("sentiment", "isi sentimen atau wilayah yang benar")
    for name, before, after in changes:
        session.add(
            MentionLabel(
                mention_id=mention.id, field=name, value=after, before=before, user_id=principal.id
            )
        )
    record_by(
        session,
        principal,
        action="mention.relabel",
        object_type="mention",
        object_id=mention.id,
        before={n: b for n, b, _ in changes},
        after={n: a for n, _, a in changes},
    )
    return mention


def export_labels(session: Session) -> list[dict[str, Any]]:
    """Every correction with the mention's text: training data for the text stage."""
    rows = session.execute(
        select(MentionLabel, Mention.text, Mention.title, Mention.lang)
        .join(Mention, Mention.id == MentionLabel.mention_id)
        .order_by(MentionLabel.id)
    )
    return [
        {
            "id": str(label.mention_id),
            "text": text,
            "title": title,
            "lang": lang,
            "field": label.field,
            label.field: label.value,
            "was": label.before,
            "corrected_at": label.at.isoformat(),
        }
        for label, text, title, lang in rows
    ]


def sentiment_labels(session: Session) -> list[OfficeLabel]:
    """The officers' sentiment corrections, oldest first, each with the text the analyzer read
    (title and body): what ``pantau labels retrain`` learns from."""
    rows = session.execute(
        select(MentionLabel.mention_id, MentionLabel.value, Mention.title, Mention.text)
        .join(Mention, Mention.id == MentionLabel.mention_id)
        .where(MentionLabel.field == "sentiment")
        .order_by(MentionLabel.id)
    )
    return [
        OfficeLabel(key=str(mid), text=analyzed_text(title, text), label=str(value))
        for mid, value, title, text in rows
    ]
