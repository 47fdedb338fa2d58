"""Purity and fragmentation of the demo's issues, read against the truth each demo post carries.

The demo sample (``src/pantau/data/demo``, written by ``scripts/make_demo_sample.py``) gives every
row a ``truth``: the issue it belongs to, or ``null`` for chatter. The rows go through the text
analyzer and the issue tracker in time order, as ``pantau demo`` runs them (normalized text,
regions, sentiment and the noise flag from the analyzer), and the issues are scored:

- purity of the ten largest issues: the share of their posts that belong to their majority issue
  (chatter never counts as a majority), what a person reading the demo's top issues sees;
- issues per true issue (fragmentation), NMI and B-cubed F1 over the posts with a truth.

    .venv/bin/python benchmarks/issues_demo.py
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from pantau.issues import IssueTracker, Mention
from pantau.issues.evaluation import bcubed_f1, nmi, purity
from pantau.issues.tracker import moved_by_splits
from pantau.settings import Settings
from pantau.text.analyzer import Analyzer

#: Demo sample file -> the fields its mapping file reads (the ``[fields]`` of ``*.toml``).
FILES = {"news.jsonl": "news", "social.jsonl": "social", "complaints.jsonl": "complaint"}
#: Posts the analyzer takes at once (the pipeline's micro-batch order is the stream's order).
BATCH = 100


def demo_rows() -> list[dict[str, Any]]:
    """The demo's readable rows as replay records with ``truth``, oldest first."""
    folder = Path(str(resources.files("pantau.data").joinpath("demo")))
    rows = []
    for name, channel in FILES.items():
        for line in (folder / name).read_bytes().splitlines():
            try:
                raw = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue  # the broken lines the importer quarantines
            if not isinstance(raw, dict) or not raw.get("text"):
                continue
            rows.append(
                {
                    "id": raw["id"],
                    "text": raw["text"],
                    "title": raw.get("title"),
                    "published_at": raw["time"],
                    "channel": channel,
                    "author": raw.get("author"),
                    "author_followers": raw.get("followers", 0),
                    "outlet": raw.get("outlet"),
                    "truth": raw.get("truth"),
                }
            )
    return sorted(rows, key=lambda r: (r["published_at"], r["id"]))


def demo_replay(settings: Settings | None = None) -> tuple[list[str | None], list[str | None]]:
    """Truths and final issues of the demo's rows after the analyzer and the tracker."""
    settings = settings or Settings.from_env({"PANTAU_PROVINCE": "64"})
    analyzer = Analyzer(settings=settings)
    tracker = IssueTracker(settings)
    rows = demo_rows()
    issues: list[str | None] = []
    ids: list[str] = []
    moved: dict[str, str] = {}  # mention id -> the issue a split moved it to
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        for row, e in zip(batch, analyzer.process(batch), strict=True):
            assignment = tracker.update(Mention.from_dict({**row, **e}))
            issues.append(assignment.issue)
            ids.append(assignment.id)
            moved_by_splits(tracker.drain_splits(), moved)
    final = [
        tracker.resolve(moved.get(i, issue)) if issue else None
        for i, issue in zip(ids, issues, strict=True)
    ]
    return [r["truth"] for r in rows], final


def report(truth: list[str | None], issues: list[str | None]) -> dict[str, float]:
    """Purity (ten largest), issues per true issue, NMI and B-cubed on the posts with a truth."""
    known = [(t, i) for t, i in zip(truth, issues, strict=True) if t is not None and i]
    spread: dict[str, set[str]] = defaultdict(set)
    for t, i in known:
        spread[t].add(i)
    return {
        "purity_top10": purity(truth, issues, 10),
        "issues_per_true": sum(len(s) for s in spread.values()) / len(spread),
        "nmi": nmi([t for t, _ in known], [i for _, i in known]),
        "bcubed": bcubed_f1([t for t, _ in known], [i for _, i in known]),
    }


def main() -> None:
    truth, issues = demo_replay()
    figures = report(truth, issues)
    print(" ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    members: dict[str | None, Counter[str | None]] = defaultdict(Counter)
    for t, i in zip(truth, issues, strict=True):
        members[i][t] += 1  # None: noise posts, in no issue
    for issue, votes in sorted(members.items(), key=lambda kv: -sum(kv[1].values()))[:10]:
        print(f"{issue}: {sum(votes.values())} posts, {dict(votes.most_common(4))}")


if __name__ == "__main__":
    main()
