"""Quality of the issues stage on the shared datasets, beside a baseline in the same run.

News-T (MStream benchmark, 11,109 time-ordered news titles, 152 stories): NMI, B-cubed F1 and the
number of issues, for the tracker's assignments at arrival and after online merges, on the whole
file and on each half; the baseline is single-pass TF-IDF-free cosine threshold clustering (each
title joins the most similar cluster above a threshold, else opens one).

CrisisLexT6 (60k tweets, 6 crises among off-topic chatter): per crisis, on-topic tweets published
by its first alert and the stream-time delay from its first on-topic tweet; alerted issues per
crisis and the share of alerted issues that belong to no crisis.

    .venv/bin/python benchmarks/issues_quality.py
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

from pantau.issues import IssueTracker, Mention
from pantau.issues.evaluation import CrisisScorer, bcubed_f1, nmi
from pantau.issues.features import bag, tokens
from pantau.issues.tracker import moved_by_splits
from pantau.settings import Settings

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
BASELINE_SIMILARITY = 0.3  # best of 0.2/0.3/0.4 for the baseline's B-cubed on News-T


def baseline(texts: list[str]) -> list[int]:
    """Single-pass cosine threshold clustering against every cluster (the classic baseline)."""
    clusters: list[tuple[dict[str, int], list[float]]] = []
    out = []
    for text in texts:
        doc = bag(tokens(text))
        dnorm = math.sqrt(sum(v * v for v in doc.values())) or 1.0
        best, best_sim = -1, BASELINE_SIMILARITY
        for k, (counts, norm) in enumerate(clusters):
            dot = sum(c * counts.get(w, 0) for w, c in doc.items())
            if dot and dot / (dnorm * math.sqrt(norm[0])) > best_sim:
                best, best_sim = k, dot / (dnorm * math.sqrt(norm[0]))
        if best < 0:
            clusters.append((dict(doc), [float(sum(v * v for v in doc.values()))]))
            best = len(clusters) - 1
        else:
            counts, norm = clusters[best]
            for w, c in doc.items():
                old = counts.get(w, 0)
                counts[w] = old + c
                norm[0] += c * (2 * old + c)
        out.append(best)
    return out


def news_t() -> None:
    rows = [json.loads(x) for x in (DATA / "clustering/mstream_news/News-T.jsonl").open()]
    half = len(rows) // 2
    print("## News-T\n")
    print("| part | method | NMI | B-cubed F1 | issues (true) | docs/s |")
    print("|---|---|---:|---:|---:|---:|")
    for name, part in (("all", rows), ("first half", rows[:half]), ("second half", rows[half:])):
        truth = [r["clusterNo"] for r in part]
        tracker = IssueTracker(Settings.from_env({}))
        start = time.process_time()
        arrival, moved = [], {}
        for r in part:
            arrival.append(tracker.update(Mention(r["Id"], r["textCleaned"])).issue)
            moved_by_splits(tracker.drain_splits(), moved)
        rate = len(part) / (time.process_time() - start)
        final = [tracker.resolve(moved.get(r["Id"], i)) for r, i in zip(part, arrival, strict=True)]
        start = time.process_time()
        base = baseline([r["textCleaned"] for r in part])
        base_rate = len(part) / (time.process_time() - start)
        for method, pred, r in (
            ("tracker, after merges and splits", final, rate),
            ("tracker, at arrival", arrival, rate),
            ("baseline threshold", base, base_rate),
        ):
            print(
                f"| {name} | {method} | {nmi(truth, pred):.3f} | {bcubed_f1(truth, pred):.3f} | "
                f"{len(set(pred))} ({len(set(truth))}) | {r:,.0f} |"
            )
    print()


def crisis() -> None:
    path = DATA / "events/crisislext6/stream.jsonl"
    rows = [json.loads(x) for x in path.open()]
    tracker = IssueTracker(Settings.from_env({}))
    scorer = CrisisScorer()
    mentions = [Mention.from_dict(r) for r in rows]
    start = time.process_time()
    for (a, merges, alerts), m, r in zip(tracker.replay(mentions), mentions, rows, strict=True):
        scorer.observe(a.issue, r["event"], m.published_at)  # type: ignore[arg-type]
        for _, gone, into in merges:
            scorer.merge(gone, into)
        for alert in alerts:
            scorer.alert(alert.issue, alert.raised_at)
    rate = len(rows) / (time.process_time() - start)
    rep = scorer.report()
    print("## CrisisLexT6\n")
    print("| crisis | on-topic tweets by first alert | delay (min) | alerted issues |")
    print("|---|---:|---:|---:|")
    for c in rep.on_topic_by_alert:
        delay = rep.delay_seconds[c]
        print(
            f"| {c} | {rep.on_topic_by_alert[c]} | "
            f"{'-' if delay is None else round(delay / 60)} | {rep.alerted_issues[c]} |"
        )
    print(
        f"\nmedian on-topic by first alert {rep.median_on_topic}; alerted issues per crisis "
        f"{rep.issues_per_crisis:.2f}; noise {rep.noise_issues}/{rep.total_alerted} = "
        f"{rep.noise_share:.2f}; {rate:,.0f} docs/s (CPU)\n"
    )


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"shared data not found at {DATA}")
    news_t()
    crisis()


if __name__ == "__main__":
    main()
