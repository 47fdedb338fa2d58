"""People correct the tracker: merge two issues, regroup an issue's mentions, keep two apart.

The store holds what a person decided (which mentions belong to which issue); these functions
bring the tracker's memory in line, so that the next mentions follow the decision: a merged
issue's posts land in the survivor, an issue rebuilt from the mentions a person left in it
scores new posts by those mentions' words (a moved post's neighbours follow it), and two issues
split apart are never merged again, however close they grow.

>>> from datetime import UTC, datetime, timedelta
>>> from pantau.issues.records import Mention
>>> t = IssueTracker()
>>> at = lambda i: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i)
>>> flood = [Mention(f"f{i}", "banjir sempaja air masuk rumah", at(i)) for i in range(3)]
>>> pdam = [Mention(f"p{i}", "air pdam keruh sempaja mati", at(3 + i)) for i in range(2)]
>>> [a.issue for a in t.process(flood + pdam)[0]]  # the machine puts them together
['isu-1', 'isu-1', 'isu-1', 'isu-1', 'isu-1']
>>> split = regroup(t, None, pdam)
>>> regroup(t, "isu-1", flood)
'isu-1'
>>> keep_apart(t, "isu-1", split)
>>> t.update(Mention("p9", "air pdam keruh lagi", at(9))).issue == split
True
>>> t.states[split].size, t.states["isu-1"].size
(3, 3)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pantau.issues.clustering import ClusterFeature
from pantau.issues.records import Mention
from pantau.issues.risk import sensitive_words
from pantau.issues.summary import IssueState
from pantau.issues.tracker import IssueTracker, _cluster_id

__all__ = ["keep_apart", "merge_issues", "regroup"]

logger = logging.getLogger(__name__)


def merge_issues(tracker: IssueTracker, gone: str, into: str) -> None:
    """Fold issue ``gone`` into ``into``: its mentions and its future posts belong there."""
    gone, into = tracker.resolve(gone), tracker.resolve(into)
    if gone == into:
        return
    clusters = tracker.clusterer.clusters
    g, i = _cluster_id(gone), _cluster_id(into)
    if g in clusters and i in clusters:
        tracker.clusterer.merge(g, i)
    elif g in clusters:  # the survivor left memory: the absorbed cluster takes its place
        cf = clusters.pop(g)
        cf.id = i
        clusters[i] = cf
        for word in cf.counts:
            post = tracker.clusterer.postings.get(word)
            if post is not None:
                post.discard(g)
                post.add(i)
    tracker._merge(gone, into, tracker.now)


def regroup(tracker: IssueTracker, issue: str | None, mentions: Sequence[Mention]) -> str:
    """Rebuild an issue's cluster and figures from exactly ``mentions`` (a new issue when
    ``issue`` is None); returns the issue's id. An issue left with no mentions is forgotten."""
    clusterer = tracker.clusterer
    if issue is None:
        cid = clusterer.next_id
        clusterer.next_id += 1
        issue = tracker.issue_key(cid)
    else:
        issue = tracker.resolve(issue)
        cid = _cluster_id(issue)
    old = clusterer.clusters.pop(cid, None)
    if old is not None:
        clusterer._remove_from_index(old)
    before = tracker.states.pop(issue, None)
    ordered = sorted(mentions, key=lambda m: (m.published_at is None, m.published_at, m.id))
    if not ordered:
        return issue
    times = [m.published_at.timestamp() if m.published_at else tracker.now for m in ordered]
    cf = clusterer.clusters[cid] = ClusterFeature(cid, first_time=times[0], last_time=times[0])
    cf.members = None  # a person decided this grouping: the machine never splits it again
    state = IssueState(issue, times[0], times[0])
    for m, now in zip(ordered, times, strict=True):
        words, evidence = tracker.evidence(m)
        clusterer._add(cf, evidence, sum(evidence.values()), now)
        state.add(m, now, words, sensitive_words(words))
    if before is not None:  # what was raised stays raised: no second alert for the same stage
        state.max_rank = before.max_rank
        state.crossover_alerted = before.crossover_alerted
        state.stage = before.stage
    tracker.states[issue] = state
    logger.debug("issue %s regrouped from %d mentions", issue, len(ordered))
    return issue


def keep_apart(tracker: IssueTracker, a: str, b: str) -> None:
    """Never merge issues ``a`` and ``b`` again (a person split them)."""
    ca, cb = _cluster_id(tracker.resolve(a)), _cluster_id(tracker.resolve(b))
    if ca != cb:
        tracker.clusterer.apart.add((min(ca, cb), max(ca, cb)))
