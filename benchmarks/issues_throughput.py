"""Throughput and memory of the issues stage (clustering + detection + risk) on one core.

Replays tweet-length Indonesian mentions (everyday chatter plus a new issue every five minutes,
each alive for six hours) at 2,000 mentions per stream hour, and reports documents per second over
the whole run and over its last tenth (the rate must not fall as issues accumulate), with the
process's peak memory. Rates are CPU seconds of this process (``time.process_time``), so a busy
shared machine does not distort them; generating the stream is not counted. Each size runs in a
fresh process so peaks do not mix.

Baseline, same run: a plain single-pass clustering that compares each mention with every active
cluster (no inverted index, no retirement), the approach whose cost grows with the number of
issues; it runs on the smallest size only.

    .venv/bin/python benchmarks/issues_throughput.py                 # 10k and 100k
    .venv/bin/python benchmarks/issues_throughput.py --sizes 10000,100000,1000000
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pantau.issues import IssueTracker, Mention
from pantau.issues.features import bag, tokens
from pantau.issues.generator import CHATTER_WORDS, PLACES
from pantau.settings import Settings

PER_HOUR = 2000
ISSUE_EVERY_S = 300
ISSUE_LIFE_S = 6 * 3600
ISSUE_SHARE = 0.3
ISSUE_VERBS = ("rusak", "banjir", "macet", "padam", "mogok", "antre", "naik", "ditutup", "demo")
BASELINE_SIMILARITY = 0.3  # the plain single-pass threshold; same-story titles share ~1/3 words


def stream(n: int, seed: int = 0) -> Iterator[Mention]:
    """``n`` tweet-length mentions, deterministic for a seed."""
    rnd = random.Random(seed)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(n):
        t = i * 3600.0 / PER_HOUR
        if rnd.random() < ISSUE_SHARE:
            live = max(0, int((t - ISSUE_LIFE_S) // ISSUE_EVERY_S)), int(t // ISSUE_EVERY_S)
            k = rnd.randint(*live)
            topic = random.Random(k)
            words = [f"isu{k}a", f"isu{k}b", topic.choice(ISSUE_VERBS), topic.choice(PLACES)]
            words += rnd.sample(CHATTER_WORDS, 2)
            channel = "news" if rnd.random() < 0.05 else "social"
        else:
            words = rnd.sample(CHATTER_WORDS, rnd.randint(5, 9))
            channel = "social"
        yield Mention(
            f"m{i}",
            " ".join(words),
            t0 + timedelta(seconds=t),
            channel=channel,
            author=f"@a{rnd.randint(1, 50_000)}",
        )


def run_tracker(n: int) -> dict[str, float]:
    tracker = IssueTracker(Settings.from_env({}))
    spent = tail = 0.0
    alerts = 0
    cut = int(n * 0.9)
    for i, mention in enumerate(stream(n)):
        start = time.process_time()
        tracker.update(mention)
        alerts += len(tracker.drain_alerts())
        tracker.drain_retired()
        tracker.drain_merges()
        took = time.process_time() - start
        spent += took
        if i >= cut:
            tail += took
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "docs": n,
        "docs_per_s": n / spent,
        "tail_docs_per_s": (n - cut) / tail,
        "peak_mb": peak_mb,
        "active_issues": len(tracker.states),
        "alerts": alerts,
    }


def run_baseline(n: int) -> dict[str, float]:
    """Single-pass cosine threshold against every cluster centroid (no index, no retirement)."""
    clusters: list[tuple[dict[str, int], list[float]]] = []  # counts, [squared norm]
    spent = tail = 0.0
    cut = int(n * 0.9)
    for i, mention in enumerate(stream(n)):
        start = time.process_time()
        doc = bag(tokens(mention.text))
        dnorm = math.sqrt(sum(v * v for v in doc.values()))
        best, best_sim = None, BASELINE_SIMILARITY
        for counts, norm in clusters:
            dot = sum(c * counts.get(w, 0) for w, c in doc.items())
            if dot:
                sim = dot / (dnorm * math.sqrt(norm[0]))
                if sim > best_sim:
                    best, best_sim = (counts, norm), sim
        if best is None:
            clusters.append((dict(doc), [float(sum(v * v for v in doc.values()))]))
        else:
            counts, norm = best
            for w, c in doc.items():
                old = counts.get(w, 0)
                counts[w] = old + c
                norm[0] += c * (2 * old + c)
        took = time.process_time() - start
        spent += took
        if i >= cut:
            tail += took
    return {"docs": n, "docs_per_s": n / spent, "tail_docs_per_s": (n - cut) / tail,
            "clusters": len(clusters)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated stream sizes")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=None, help="write a markdown table here")
    args = parser.parse_args()
    if args.one:
        result = run_baseline(args.one) if args.baseline else run_tracker(args.one)
        print(json.dumps(result))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(done.stdout))
        print(json.dumps(rows[-1]), flush=True)
    base = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--one", str(sizes[0]), "--baseline"],
            capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    print(json.dumps({"baseline": base}), flush=True)
    lines = [
        "| mentions | docs/s (all) | docs/s (last 10%) | peak memory MB | active issues | alerts |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['docs']:,} | {r['docs_per_s']:,.0f} | {r['tail_docs_per_s']:,.0f} | "
            f"{r['peak_mb']:,.0f} | {r['active_issues']:,} | {r['alerts']:,} |"
        )
    ratio = rows[0]["docs_per_s"] / base["docs_per_s"]
    lines.append("")
    lines.append(
        f"Baseline (no index, {base['docs']:,} mentions): "
        f"{base['docs_per_s']:,.0f} docs/s overall, "
        f"{base['tail_docs_per_s']:,.0f} in its last 10%, {base['clusters']:,} clusters; "
        f"tracker / baseline = {ratio:.2f}x at {base['docs']:,}."
    )
    table = "\n".join(lines)
    print(table)
    if args.output:
        Path(args.output).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
