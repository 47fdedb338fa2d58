"""The issue tracker: mentions in, issues, stages, risk and alerts out, one mention at a time.

River-style: :meth:`IssueTracker.update` takes one :class:`Mention` and returns its
:class:`Assignment`; :meth:`IssueTracker.process` takes a batch and also returns the alerts raised
meanwhile. Stream time is the mentions' own ``published_at`` (a mention without one takes the
latest time seen), so replaying the same stream with the same settings gives the same output.
:meth:`snapshot` / :meth:`restore` let the live pipeline resume after a restart.

>>> from datetime import datetime, timedelta, timezone
>>> t0 = datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc)
>>> tr = IssueTracker()
>>> text = "Banjir setinggi lutut rendam perumahan warga Samarinda"
>>> out = [tr.update(Mention(str(i), f"{text} {i}", t0 + timedelta(minutes=i))) for i in range(6)]
>>> len({a.issue for a in out}), [a.stage for a in tr.drain_alerts()]
(1, ['emerging'])
"""

from __future__ import annotations

import heapq
import logging
import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from pantau.issues.cluster_store import MIN_COHESION
from pantau.issues.clustering import ClusterFeature, OnlineClusterer
from pantau.issues.coordination import CoordinationDetector
from pantau.issues.detection import CURRENT_SIZE, STAGES, Burst, BurstDetector
from pantau.issues.features import bag, tokens
from pantau.issues.records import Alert, Assignment, Mention
from pantau.issues.risk import (
    DEFAULT_WEIGHTS,
    INFLUENTIAL_FOLLOWERS,
    components,
    risk_score,
    risk_value,
    sensitive_words,
)
from pantau.issues.summary import REGION_PREFIX, IssueState, IssueSummary
from pantau.settings import Settings, get_settings

__all__ = ["IssueTracker", "Split", "moved_by_splits"]

#: A split as the tracker reports it: (stream time, issue split, new issue, moved mention ids).
Split = tuple[float, str, str, tuple[str, ...]]


def moved_by_splits(splits: Iterable[Split], into: dict[str, str] | None = None) -> dict[str, str]:
    """Mention id -> the issue ``splits`` (in stream order) left it in, added to ``into``: a
    later split of the new part wins. With :meth:`IssueTracker.resolve` it gives where a mention
    is now (``resolve(moved.get(id, arrival issue))``)."""
    out = {} if into is None else into
    for _, _, new, ids in splits:
        out.update(dict.fromkeys(ids, new))
    return out


logger = logging.getLogger(__name__)

#: Stand-in word for mentions with no content words (only links, emoji, handles); they gather in
#: one issue that is never raised, since it is about nothing that can be read.
NO_WORDS = "_"
#: Top words of an issue a headline must share (two of them) to count as news about the issue.
TOP_WORDS = 3
#: How often (in mentions) idle issues are looked for and retired...
RETIRE_EVERY = 2000
#: ... or after this much stream time, so a stream that resumes after a gap starts clean.
RETIRE_EVERY_SECONDS = 3600.0
#: Cosine of word counts from which a newly rising issue is part of an issue already raised; it
#: is merged into that one instead of alerting again (one crisis, one alert thread). The bar of
#: a merge (clustering.MERGE_SIMILARITY): at 0.2 the demo's rising Samarinda flood posts ("air
#: masuk rumah") were folded into the raised PDAM outage at 0.201 through the word "air".
#: CrisisLexT6 dense at 0.25: 2.83 alerted issues a crisis, noise 5/25 (0.2: 2.5, 2/19).
RELATED_SIMILARITY = 0.25
#: Linked mentions (posts that carry a link) an issue needs before its link share counts: one
#: shared link is one author's habit, two are the issue's. An issue whose posts share links more
#: than the stream's do is exempt from :data:`MIN_COHESION` (``reporting``).
REPORTING_MIN_LINKED = 2
#: Dots a region code needs to count as clustering evidence: kecamatan ("64.72.01") and desa
#: codes place an event; a kab/kota or province code is shared by every issue of the city, so
#: it pulled unrelated issues of one city together (the demo stream, Indonesian, 14 issues:
#: NMI 0.915 -> 0.957, B-cubed 0.872 -> 0.928; News-T and CrisisLexT6 carry no regions).
REGION_EVIDENCE_DEPTH = 2
#: A raised issue's episode has ended when, two days (``dormant_after``) or more after its
#: busiest 24 hours, its last two days hold at most this share of them: it is closed to new posts,
#: so that a later event of the same kind (a second flood weeks after the first, while the
#: first is still mentioned now and then) opens its own issue and is raised, instead of joining
#: an issue that was raised long ago (CrisisLexT6, two floods three weeks apart, the first
#: mentioned every 8 hours between: the second was raised at its 131st on-topic post, now at
#: its 15th; sampled to 1,000 posts a crisis, 33rd -> 13th).
EPISODE_END_SHARE = 0.1
#: Closed episodes remembered (their top words) to say which earlier issue a new one returns to.
MAX_EPISODES = 1000
EPISODE_WORDS = 50
#: Retired summaries held for the caller (the store) to collect; older ones are dropped.
MAX_RETIRED = 10_000
_RANK = {name: i for i, name in enumerate(STAGES)}
_RANK["dormant"] = -1


def _issue_id(cluster: int) -> str:
    return f"isu-{cluster}"


def _cluster_id(issue: str) -> int:
    return int(issue.rpartition("-")[2])


class IssueTracker:
    """Online clustering, burst and crossover detection, risk scoring and alerting."""

    def __init__(self, settings: Settings | None = None, namespace: str = "") -> None:
        s = settings or get_settings()
        #: Put before every issue id ("63/isu-5"): trackers of several provinces share one store.
        self.namespace = namespace
        self.weights = {**DEFAULT_WEIGHTS, **s.issues_risk_weights}
        self.retire_after = float(s.issues_retire_hours) * 3600.0
        self.alert_min_risk = float(s.issues_alert_min_risk)
        self.clusterer = OnlineClusterer()
        self.detector = BurstDetector(
            window=float(s.issues_window_minutes) * 60.0,
            min_support=int(s.issues_min_support),
            crisis_risk=float(s.issues_crisis_risk),
            day_support=int(s.issues_day_support),
            reference_rate=float(s.issues_reference_rate),
        )
        self.coordination = CoordinationDetector(
            window=float(s.issues_coordination_minutes) * 60.0,
            min_accounts=int(s.issues_coordination_accounts),
        )
        self.states: dict[str, IssueState] = {}
        self.merged_into: dict[str, str] = {}
        self.merge_log: list[tuple[float, str, str]] = []  # (stream time, gone, into)
        #: (stream time, issue split, new issue, ids of the mentions that moved to it)
        self.split_log: list[Split] = []
        self.alerted: set[str] = set()
        self.now = 0.0
        self.seen = 0
        self._swept = 0.0
        self._alerts: list[Alert] = []
        self._retired: list[IssueSummary] = []
        self.episodes: dict[str, dict[str, int]] = {}  # closed issue -> its top word counts
        #: Mentions the clusterer took, and how many of them carry a link: the stream's own
        #: link share, which an issue's is read against (see :meth:`reporting`).
        self.posts = 0
        self.linked_posts = 0

    def issue_key(self, cluster: int) -> str:
        """The id of the issue of clusterer cluster ``cluster``."""
        return self.namespace + _issue_id(cluster)

    # --- the incremental interface ---------------------------------------------------------
    def update(self, mention: Mention) -> Assignment:
        """Assign one mention to an issue, update that issue, and queue any alert it raises."""
        now = mention.published_at.timestamp() if mention.published_at else self.now
        self.now = max(self.now, now)
        self.seen += 1
        if self.retire_after > 0 and (
            self.seen % RETIRE_EVERY == 0 or self.now - self._swept >= RETIRE_EVERY_SECONDS
        ):
            self._swept = self.now
            self.retire(self.now - self.retire_after)
            self.close_episodes()
        if mention.noise:
            # greetings, ads, gambling, job offers: chatter, not a matter of public concern
            return Assignment(mention.id, None, False, 0.0)
        words, evidence = self.evidence(mention)
        linked = mention.linked
        self.posts += 1
        self.linked_posts += linked
        decision = self.clusterer.update(
            evidence, now, self.places(mention), mention.id, mention.channel, linked
        )
        issue = self.issue_key(decision.cluster)
        for gone, into in decision.merges:
            self._merge(self.issue_key(gone), self.issue_key(into), now)
        for kept, new, moved in decision.splits:
            self._split(kept, new, moved, mention.id, now)
        state = self.states.get(issue)
        if state is None:
            state = self.states[issue] = IssueState(issue, now, now)
        group = self.coordination.observe(words, mention.author, now)
        if group:
            state.groups.append(group)
        if mention.coordinated is None and self.coordination.is_coordinated(words, now):
            mention.coordinated = True
        sensitive = sensitive_words(words)
        onset = state.social_onset
        state.add(mention, now, words, sensitive)
        if (
            state.news_seen
            and not state.crossover_alerted
            and (mention.channel == "news" or decision.merges or onset != state.social_onset)
        ):
            counts = self.clusterer.clusters[decision.cluster].counts
            top = heapq.nlargest(TOP_WORDS, counts.items(), key=lambda kv: (kv[1], kv[0]))
            state.find_first_news({w for w, _ in top})
        burst = self.detector.observe(issue, now)
        self._judge(state, burst, now, self.clusterer.clusters[decision.cluster])
        return Assignment(mention.id, issue, decision.new, round(decision.margin, 3))

    @staticmethod
    def evidence(mention: Mention) -> tuple[list[str], dict[str, int]]:
        """The mention's words and the evidence the clusterer weighs: words and its places."""
        words = tokens(mention.normalized or mention.text)
        if mention.title and mention.title not in mention.text:
            words = tokens(mention.title) + words
        evidence = bag(words)
        for code in mention.regions:  # regions are evidence too: same place, likelier same issue
            if code.count(".") >= REGION_EVIDENCE_DEPTH:
                evidence[REGION_PREFIX + code] = 1
        return words, evidence or {NO_WORDS: 1}

    @staticmethod
    def places(mention: Mention) -> tuple[str, ...]:
        """The kab/kota codes a mention is placed in (from any deeper code too), sorted."""
        return tuple(sorted({".".join(c.split(".")[:2]) for c in mention.regions if "." in c}))

    def process(self, batch: Iterable[Mention]) -> tuple[list[Assignment], list[Alert]]:
        """Update with each mention of a micro-batch; returns its assignments and new alerts."""
        assignments = [self.update(m) for m in batch]
        return assignments, self.drain_alerts()

    def reread(self, issue: str, before: str | None, after: str) -> bool:
        """One of ``issue``'s mentions was read again (the precise sentiment tier): its
        sentiment moves from ``before`` to ``after`` in the counts the risk reads. Returns
        whether the issue is still in memory to count it."""
        state = self.states.get(self.resolve(issue))
        if state is None:
            return False
        if before and state.sentiment.get(before, 0) > 0:
            state.sentiment[before] -= 1
            if not state.sentiment[before]:
                del state.sentiment[before]  # as if it had never been counted
        state.sentiment[after] += 1
        return True

    def drain_alerts(self) -> list[Alert]:
        """Alerts raised since the last call, oldest first."""
        out, self._alerts = self._alerts, []
        return out

    def drain_merges(self) -> list[tuple[float, str, str]]:
        """Merges since the last call as ``(stream time, absorbed issue, surviving issue)``."""
        out, self.merge_log = self.merge_log, []
        return out

    def drain_splits(self) -> list[Split]:
        """Splits since the last call as ``(stream time, issue split, new issue, ids of the
        mentions moved to the new issue)``; the split issue keeps the others."""
        out, self.split_log = self.split_log, []
        return out

    def replay(
        self, mentions: Iterable[Mention]
    ) -> Iterator[tuple[Assignment, list[tuple[float, str, str]], list[Alert]]]:
        """Feed a stream; after each mention yield its assignment and the merges and alerts
        it caused (what ``pantau replay`` writes and what the quality gates score)."""
        for mention in mentions:
            assignment = self.update(mention)
            yield assignment, self.drain_merges(), self.drain_alerts()

    def drain_retired(self) -> list[IssueSummary]:
        """Summaries of issues that left memory since the last call (for the store)."""
        out, self._retired = self._retired, []
        return out

    def resolve(self, issue: str) -> str:
        """The issue an id now belongs to, following the merge history."""
        while issue in self.merged_into:
            issue = self.merged_into[issue]
        return issue

    # --- judgement -------------------------------------------------------------------------
    def facts(self, state: IssueState, burst: Burst) -> dict[str, Any]:
        """The numbers the risk score and the alert reasons are made of."""
        return {
            "size": state.size,
            **burst.describe(),
            # the window's count read against the support in force, as the support is read
            # against the stream: on a thin stream that needs 3 mentions, 3 weigh what a busy
            # stream's 4 do (sampled CrisisLexT6 seeds 1-5: medians 10 / 14 / 13 / 10.5 / 11 ->
            # 10 / 12.5 / 11.5 / 10.5 / 11; dense and busy streams unchanged)
            "volume": burst.recent * self.detector.min_support / max(burst.support, 1),
            "negative": state.sentiment.get("negative", 0),
            "sentiment_known": sum(state.sentiment.values()),
            "negative_share": state.sentiment.get("negative", 0)
            / max(sum(state.sentiment.values()), 1),
            "threshold": INFLUENTIAL_FOLLOWERS,
            "reach": state.reach + state.engagement.get("views", 0),
            "engagement": sum(state.engagement[k] for k in ("likes", "shares", "comments")),
            "influencers": state.influencers,
            "coordinated": state.coordinated,
            "crossover": state.crossed,
            "lead_hours": round(state.lead_time / 3600.0, 1),
            "complaints": state.channels.get("complaint", 0),
            "sensitive_mentions": state.sensitive_mentions,
            "categories": ", ".join(sorted(state.sensitive)) or "-",
            "region_count": len(state.regions),
        }

    def _stage(self, state: IssueState, burst: Burst) -> str:
        emerged = state.max_rank >= _RANK["emerging"]
        stage = self.detector.stage(burst, state.size, state.risk, emerged)
        if (
            stage == "potential"
            and state.size >= CURRENT_SIZE
            and not emerged
            and self.detector.risen(state.id, burst, self.now)
        ):
            return "emerging"  # grown big unnoticed, now rising: it emerges at any size
        if state.max_rank > _RANK[stage]:
            # Nor does a raised issue fall back when a quiet hour passes: it keeps the stage it
            # reached until it has been silent for ``dormant_after`` (see ``_summarize``).
            return STAGES[state.max_rank]
        return stage

    def _judge(self, state: IssueState, burst: Burst, now: float, cluster: ClusterFeature) -> None:
        if burst.day > state.peak_day:
            state.peak_day, state.peak_at = burst.day, now
        about_nothing = cluster.top_word == NO_WORDS
        cohesive = not about_nothing and (cluster.cohesion >= MIN_COHESION or self.reporting(state))
        crossing = state.crossed and not state.crossover_alerted
        quiet = burst.recent < burst.support
        if quiet and self.detector.active(burst):
            # only the day-long window is up: it can raise an issue to emerging, or to current
            # once the issue is big, nothing more; past that the risk arithmetic is skipped
            reachable = _RANK["current"] if state.size >= CURRENT_SIZE else _RANK["emerging"]
            quiet = state.max_rank >= reachable
        if not cohesive or (not crossing and (quiet or state.max_rank >= _RANK["crisis"])):
            state.stage = self._stage(state, burst)
            return  # nothing can be raised now: skip the risk arithmetic (summaries redo it)
        facts = self.facts(state, burst)
        values = components(facts)
        state.risk = risk_value(values, self.weights)
        state.stage = self._stage(state, burst)
        rank = _RANK[state.stage]
        if rank > state.max_rank and state.risk >= self.alert_min_risk:
            returning = None
            if state.max_rank == 0:
                if self._fold_into_related(state, now):
                    return
                returning = state.previous_episode = self._earlier_episode(cluster)
            state.max_rank = rank
            reasons = risk_score(values, facts, self.weights)[1]
            self._raise(state, now, "stage", reasons, facts, returning)
        if crossing and facts["crossover"] and state.max_rank > 0:
            state.crossover_alerted = True
            self._raise(state, now, "crossover", risk_score(values, facts, self.weights)[1], facts)

    def reporting(self, state: IssueState) -> bool:
        """Whether the issue's posts carry links more often than the stream's posts do (and at
        least :data:`REPORTING_MIN_LINKED` of them): people share sources about an event, not
        about their day (CrisisLexT6: 46% of on-topic tweets carry a link, 17% of off-topic
        ones). Such an issue needs no common word to be raised: an event told in varied words
        ("#CycloneOswald", "#BigWet", "this weather") is no longer held back by
        :data:`MIN_COHESION`, while a catch-all of chatter, which links no more than its
        stream, still is. Read against the stream's own share, not a fixed one, so a stream
        where every post links (a news feed) relaxes nothing. Sampled CrisisLexT6 seeds 1-5:
        medians 10 / 12 / 7 / 9 / 10 -> 10 / 10.5 / 7 / 9 / 6 (Alberta on seed 5: 20 -> 4),
        noise share 0.00-0.15 -> 0.00-0.13; seeds 6-10 14 / 10 / 12 / 11.5 / 16 -> 14 / 10 /
        11 / 11.5 / 12.5, noise 0.06-0.21 -> 0.06-0.21; no crisis later
        on any seed, dense or repeated (benchmarks/results/issues.md, seventh pass)."""
        if state.linked < REPORTING_MIN_LINKED:
            return False
        return state.linked * self.posts > self.linked_posts * state.size

    def _raise(
        self, state: IssueState, now: float, kind: str, reasons: list[dict[str, Any]],
        facts: dict[str, Any], returning: str | None = None,
    ) -> None:  # fmt: skip
        detail = [dict(r) for r in reasons]
        burst = {k: facts[k] for k in ("recent", "z", "growth", "day", "day_z")}
        if kind == "stage" and facts["recent"] < facts["support"]:
            # raised by the day-long window: say so first, the window's numbers would not
            day, z = facts["day"], facts["day_z"]
            text = f"{day} sebutan dalam 24 jam terakhir, z={z} (naik perlahan)"
            detail.insert(0, {"component": "burst", **burst, "text": text})
        else:
            detail.append({"component": "burst", **burst})
        if returning:  # first raised, and like an issue whose episode ended before
            text = f"muncul kembali: isu serupa {returning} sempat mereda dan ditutup"
            detail.insert(0, {"component": "episode", "previous": returning, "text": text})
        if kind == "crossover":
            text = f"isu medsos masuk berita setelah {facts['lead_hours']} jam"
            detail.insert(
                0, {"component": "crossover", "lead_time_seconds": state.lead_time, "text": text}
            )
        counts = self.clusterer.clusters[_cluster_id(state.id)].counts
        self.alerted.add(state.id)
        self._alerts.append(
            Alert(
                issue=state.id,
                raised_at=datetime.fromtimestamp(now, UTC),
                stage=state.stage,
                risk=round(state.risk, 1),
                reasons=detail,
                first_seen=datetime.fromtimestamp(state.first_seen, UTC),
                size=state.size,
                kind=kind,
                label=state.label(counts),
                title=state.title(counts),
            )
        )
        logger.debug("alert %s %s %s risk %.1f", kind, state.id, state.stage, state.risk)

    def _fold_into_related(self, state: IssueState, now: float) -> bool:
        """Merge a rising issue into the most similar issue already raised, if one is close."""
        cid = _cluster_id(state.id)
        best, best_sim = "", RELATED_SIMILARITY
        for other in sorted(self.alerted):
            if other == state.id or other not in self.states:
                continue
            if self.clusterer.kept_apart(cid, _cluster_id(other)):
                continue
            sim = self.clusterer.cosine(cid, _cluster_id(other))
            if sim >= best_sim:
                best, best_sim = other, sim
        if not best:
            return False
        self.clusterer.merge(cid, _cluster_id(best))
        self._merge(state.id, best, now)
        logger.debug("issue %s folded into raised issue %s (cosine %.2f)", state.id, best, best_sim)
        return True

    def _earlier_episode(self, cluster: ClusterFeature) -> str | None:
        """The closed issue most like a newly raised one (cosine of word counts at least
        :data:`RELATED_SIMILARITY`): the earlier episode it returns to, or None."""
        counts = cluster.counts
        best, best_sim = None, RELATED_SIMILARITY
        for issue, words in self.episodes.items():
            dot = sum(n * counts.get(w, 0) for w, n in words.items())
            if not dot:
                continue
            sim = dot / math.sqrt(sum(n * n for n in words.values()) * cluster.sumsq)
            if sim >= best_sim:
                best, best_sim = issue, sim
        return best

    def close_episodes(self) -> list[str]:
        """Close the raised issues whose episode has ended (see :data:`EPISODE_END_SHARE`):
        they leave memory as dormant and take no new posts; a later rise of the same matter
        opens a new issue that names them as its earlier episode."""
        ended = []
        quiet = self.detector.dormant_after
        for issue, state in self.states.items():
            if state.max_rank < _RANK["emerging"] or self.now - state.peak_at < quiet:
                continue
            lately = self.detector.count(issue, self.now, quiet)
            if lately <= EPISODE_END_SHARE * state.peak_day:
                ended.append(issue)
        for issue in ended:
            state = self.states.pop(issue)
            self.alerted.discard(issue)
            cf = self.clusterer.drop(_cluster_id(issue))
            state.stage = "dormant"
            self._retired.append(state.summary(cf.counts))
            self.detector.forget(issue)
            top = heapq.nlargest(EPISODE_WORDS, cf.counts.items(), key=lambda kv: (kv[1], kv[0]))
            self.episodes[issue] = dict(top)
            if len(self.episodes) > MAX_EPISODES:
                del self.episodes[next(iter(self.episodes))]
            logger.debug("episode of %s ended (peak %d a day)", issue, state.peak_day)
        del self._retired[:-MAX_RETIRED]
        return ended

    # --- merging, retirement, summaries ----------------------------------------------------
    def _merge(self, gone: str, into: str, now: float) -> None:
        self.merged_into[gone] = into
        self.merge_log.append((now, gone, into))
        if gone in self.alerted:
            self.alerted.discard(gone)
            self.alerted.add(into)
        lost = self.states.pop(gone, None)
        if lost is not None:
            if into in self.states:
                self.states[into].absorb(lost)
            else:
                lost.id = into
                self.states[into] = lost
        self.detector.merge(gone, into)

    def _split(self, kept: int, new: int, moved: tuple[str, ...], current: str, now: float) -> None:
        """The clusterer split cluster ``kept``: its mentions ``moved`` form issue ``new``.
        The new issue starts unraised (it alerts on its own rise) with the moved mentions'
        times, size and label candidates; the split issue (its older part) keeps its id, stage
        and alerts.
        ``current``, the mention being assigned, is counted afterwards by the caller."""
        source, target = self.issue_key(kept), self.issue_key(new)
        clusters = self.clusterer.clusters
        posts = {
            cid: [
                (t, ch, linked)
                for key, t, _w, _p, ch, linked in clusters[cid].members or ()
                if key != current
            ]
            for cid in (kept, new)
        }
        state = self.states.get(source)
        if state is None:  # cannot happen while the tracker feeds the clusterer
            return
        fresh = self.states[target] = state.split_off(
            target, posts[new], posts[kept], clusters[new].counts, clusters[kept].counts
        )
        for part, cid in ((state, kept), (fresh, new)):
            top = heapq.nlargest(
                TOP_WORDS, clusters[cid].counts.items(), key=lambda kv: (kv[1], kv[0])
            )
            part.find_first_news({w for w, _ in top})
        self.detector.regroup(source, [t for t, _, _ in posts[kept]])
        self.detector.regroup(target, [t for t, _, _ in posts[new]])
        self.split_log.append((now, source, target, moved))
        logger.debug("issue %s split: %d mentions to %s", source, fresh.size, target)

    def retire(self, before: float) -> list[str]:
        """Move issues idle since ``before`` out of memory; their summaries wait in
        :meth:`drain_retired`."""
        gone = [self.issue_key(c) for c in self.clusterer.clusters_idle(before)]
        for issue in gone:
            cid = _cluster_id(issue)
            state = self.states.pop(issue, None)
            self.alerted.discard(issue)
            if state is not None:
                state.stage = "dormant"
                self._retired.append(state.summary(self.clusterer.clusters[cid].counts))
            self.detector.forget(issue)
        self.clusterer.retire(before)
        del self._retired[:-MAX_RETIRED]
        return gone

    def summaries(self) -> list[IssueSummary]:
        """Summaries of the issues in memory, riskiest first."""
        out = [self._summarize(issue, state) for issue, state in self.states.items()]
        return sorted(out, key=lambda s: (-s.risk, -s.size, s.id))

    def summary(self, issue: str) -> IssueSummary | None:
        """The summary of one issue (following merges); ``None`` once it left memory."""
        issue = self.resolve(issue)
        state = self.states.get(issue)
        return None if state is None else self._summarize(issue, state)

    def _summarize(self, issue: str, state: IssueState) -> IssueSummary:
        burst = self.detector.measure(issue, self.now)
        facts = self.facts(state, burst)
        state.risk, reasons = risk_score(components(facts), facts, self.weights)
        if burst.recent == 0 and self.now - state.last_seen > self.detector.dormant_after:
            state.stage = "dormant"
        out = state.summary(self.clusterer.clusters[_cluster_id(issue)].counts)
        out.risk_reasons = reasons
        return out

    # --- persistence -----------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """JSON-safe state of the whole tracker (queued alerts included)."""
        return {
            "version": 1,
            "now": self.now,
            "seen": self.seen,
            "clusterer": self.clusterer.snapshot(),
            "detector": self.detector.snapshot(),
            "coordination": self.coordination.snapshot(),
            "states": [s.to_state() for s in self.states.values()],
            "merged_into": dict(self.merged_into),
            "merge_log": [list(x) for x in self.merge_log],
            "split_log": [[t, a, b, list(ids)] for t, a, b, ids in self.split_log],
            "alerted": sorted(self.alerted),
            "swept": self._swept,
            "alerts": [a.to_dict() for a in self._alerts],
            "episodes": {k: dict(v) for k, v in self.episodes.items()},
            "namespace": self.namespace,
            "posts": self.posts,
            "linked_posts": self.linked_posts,
        }

    @classmethod
    def restore(cls, state: dict[str, Any], settings: Settings | None = None) -> IssueTracker:
        """A tracker that continues exactly where :meth:`snapshot` left off."""
        out = cls(settings, namespace=str(state.get("namespace", "")))
        out.now, out.seen = float(state["now"]), int(state["seen"])
        out.clusterer = OnlineClusterer.restore(state["clusterer"])
        out.detector.restore(state["detector"])
        out.coordination.restore(state["coordination"])
        out.states = {s["id"]: IssueState.from_state(s) for s in state["states"]}
        out.merged_into = dict(state["merged_into"])
        out.merge_log = [(float(t), str(g), str(i)) for t, g, i in state["merge_log"]]
        out.split_log = [  # snapshots from before splits have none
            (float(t), str(a), str(b), tuple(map(str, ids)))
            for t, a, b, ids in state.get("split_log", [])
        ]
        out.alerted = set(state["alerted"])
        out._swept = float(state["swept"])
        out.episodes = {k: dict(v) for k, v in state.get("episodes", {}).items()}
        # snapshots from before links were counted start the stream's link share afresh
        out.posts, out.linked_posts = int(state.get("posts", 0)), int(state.get("linked_posts", 0))
        for a in state["alerts"]:
            a = dict(a)
            a["raised_at"] = datetime.fromisoformat(a["raised_at"])
            a["first_seen"] = datetime.fromisoformat(a["first_seen"])
            out._alerts.append(Alert(**a))
        return out
