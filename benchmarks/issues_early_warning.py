"""Early warning on streams shaped like the held-out ones, from the shared CrisisLexT6 stream.

Three checks, each printed as a table (all through :func:`score_crisis_stream`, the replay loop
the quality gates use):

- **dense**: CrisisLexT6 as it is (60k tweets, 6 crises among off-topic chatter);
- **sampled**: about 1,000 posts per crisis drawn uniformly over its span, several seeds (a
  sampled export: tens of posts over a crisis's first day), with the spread across seeds;
- **repeated**: two crises of one kind (two floods; a bombing then an explosion) replayed
  three weeks apart, the first still mentioned every eight hours meanwhile, dense and sampled:
  the second must alert although an issue about the first, with the same words, was raised
  before and is still alive.

Per run: on-topic posts published by each crisis's first alert, the median, alerted issues per
crisis and the share of alerted issues that belong to no crisis.

``--trace SEED CRISIS`` (seed 0: the dense stream) prints instead, for each of the crisis's
first on-topic posts, the issue it joined and why that issue was not raised yet: its short
window against the support, its z-score, its day, its cohesion, its posts that carry a link
(and the stream's share of such posts: an issue above it is exempt from the cohesion floor)
and its risk; then each alert with the crisis votes of its issue (what the scorer judges it
by).

    .venv/bin/python benchmarks/issues_early_warning.py [--seeds 1,2,3]
    .venv/bin/python benchmarks/issues_early_warning.py --trace 2 2013_Oklahoma_Tornado
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from pantau.issues import IssueTracker
from pantau.issues.evaluation import (
    CrisisReport,
    CrisisScorer,
    repeat_after,
    score_crisis_stream,
    subsample,
)
from pantau.issues.records import Mention
from pantau.settings import Settings

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
STREAM = DATA / "events" / "crisislext6" / "stream.jsonl"
#: Posts kept per crisis in the sampled streams (the held-out stream's sampling).
PER_CRISIS = 1000
#: Gap between the two events of one kind in the repeated replays, and how often the first is
#: still mentioned meanwhile (its issue stays alive, as the held-out stream's did).
REPEAT_GAP = timedelta(weeks=3)
REPEAT_TRICKLE = timedelta(hours=8)
#: Pairs of crises of one kind, the earlier first.
REPEATED = (
    ("2013_Queensland_Floods", "2013_Alberta_Floods"),
    ("2013_Boston_Bombings", "2013_West_Texas_Explosion"),
)


def load() -> list[dict[str, Any]]:
    with STREAM.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def replay(rows: list[dict[str, Any]]) -> CrisisReport:
    return score_crisis_stream(rows, IssueTracker(Settings.from_env({})))


def sampled(rows: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    return subsample(rows, "collected_for", PER_CRISIS, seed)


def repeated(rows: list[dict[str, Any]], first: str, second: str, seed: int | None) -> CrisisReport:
    a = [r for r in rows if r["collected_for"] == first]
    b = [r for r in rows if r["collected_for"] == second]
    if seed is not None:
        a, b = sampled(a, seed), sampled(b, seed)
    return replay(repeat_after(a, b, REPEAT_GAP, REPEAT_TRICKLE))


def row(name: str, rep: CrisisReport) -> str:
    counts = " ".join(
        f"{c.split('_', 1)[1]}={'-' if n is None else n}" for c, n in rep.on_topic_by_alert.items()
    )
    return (
        f"| {name} | {counts} | {rep.median_on_topic} | {rep.issues_per_crisis:.2f} | "
        f"{rep.noise_issues}/{rep.total_alerted} = {rep.noise_share:.2f} |"
    )


def trace(rows: list[dict[str, Any]], crisis: str, posts: int) -> None:
    """Print the crisis's first ``posts`` on-topic posts as the tracker judged them."""
    tracker = IssueTracker(Settings.from_env({}))
    scorer = CrisisScorer()
    mentions = [Mention.from_dict(r) for r in rows]
    label = {m.id: r.get("event") for m, r in zip(mentions, rows, strict=True)}
    print(
        "| post | hours | issue | size | window/support | z | day | cohesion "
        "| linked (stream %) | stage | risk |"
    )
    print("|---:|---:|---|---:|---|---:|---:|---:|---|---|---:|")
    start = None
    for (assignment, merges, alerts), mention in zip(tracker.replay(mentions), mentions):
        when = mention.published_at
        assert when is not None
        scorer.observe(assignment.issue, label[mention.id], when)
        for _, gone, into in merges:
            scorer.merge(gone, into)
        for _, issue, new, ids in tracker.drain_splits():
            scorer.split(issue, new, (label[i] for i in ids if i != mention.id))
        issue = assignment.issue
        if label[mention.id] == crisis and issue is not None:
            start = start or when
            issue = tracker.resolve(issue)
            state = tracker.states[issue]
            burst = tracker.detector.measure(issue, tracker.now)
            cluster = tracker.clusterer.clusters[int(issue.rpartition("-")[2])]
            print(
                f"| {scorer.seen_on_topic[crisis]} | {(when - start).total_seconds() / 3600:.1f} "
                f"| {issue} | {state.size} | {burst.recent}/{burst.support} | {burst.z:.1f} "
                f"| {burst.day} | {cluster.cohesion:.2f} | {state.linked} "
                f"({100 * tracker.linked_posts / max(tracker.posts, 1):.0f}%) "
                f"| {state.stage} | {state.risk:.0f} |"
            )
        for alert in alerts:
            votes = scorer.votes.get(alert.issue)
            if votes and votes[crisis]:
                print(f"alert {alert.issue} {alert.stage}: votes {dict(votes.most_common(3))}")
            scorer.alert(alert.issue, alert.raised_at)
        if scorer.seen_on_topic[crisis] >= posts:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--trace", nargs=2, metavar=("SEED", "CRISIS"))
    parser.add_argument("--posts", type=int, default=30, help="on-topic posts to trace")
    args = parser.parse_args()
    if not STREAM.is_file():
        sys.exit(f"shared data not found at {STREAM}")
    seeds = [int(s) for s in args.seeds.split(",")]
    rows = load()
    if args.trace:
        seed, crisis = int(args.trace[0]), args.trace[1]
        trace(sampled(rows, seed) if seed else rows, crisis, args.posts)
        return
    print("| stream | on-topic posts by first alert | median | alerted/crisis | noise |")
    print("|---|---|---:|---:|---:|")
    print(row("dense", replay(rows)))
    medians, missed, noise = [], [], []
    for seed in seeds:
        rep = replay(sampled(rows, seed))
        medians.append(rep.median_on_topic)
        missed.append(sum(n is None for n in rep.on_topic_by_alert.values()))
        noise.append(rep.noise_share)
        print(row(f"sampled, seed {seed}", rep))
    for first, second in REPEATED:
        for pair_seed in (None, seeds[0]):
            name = f"{first.split('_', 1)[1]} then {second.split('_', 1)[1]}"
            kind = "dense" if pair_seed is None else f"sampled {pair_seed}"
            print(row(f"{name}, {kind}", repeated(rows, first, second, pair_seed)))
    print(
        f"\nsampled over {len(seeds)} seeds: median {statistics.median(medians)} "
        f"(range {min(medians)}-{max(medians)}), crises missed {sum(missed)}, "
        f"noise share {min(noise):.2f}-{max(noise):.2f}"
    )


if __name__ == "__main__":
    main()
