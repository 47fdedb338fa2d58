"""Personal-data finding on real text: how often it fires, on what, and how fast.

Run: ``.venv/bin/python benchmarks/privacy_detection.py [--show]``

Over real Indonesian and English public text in ``../shared/data`` (eval only: none of it is
shipped): the MBG replies on X (12,389), the SmSA train reviews and complaints (11,000), the
Narasipal headlines (23,384) and the first 20,000 CrisisLexT6 tweets. Real posts rarely carry
personal data, so every hit is either a citizen's number (a true find) or a false alarm; with
``--show`` each hit is printed with its context for a person to judge (never saved). Prints and
writes to ``benchmarks/results/privacy.md`` the hits by kind and texts/s on one core.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pantau.text.personal import find  # noqa: E402

DATA = ROOT / ".." / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results" / "privacy.md"
CRISIS_TWEETS = 20_000


def corpora() -> dict[str, list[str]]:
    """The texts of each corpus, by name."""

    def rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    mbg = DATA / "streams" / "mbg_policy_tweets_2025" / "hybrid_labeled_data.csv"
    smsa = DATA / "sentiment" / "smsa" / "train_preprocess.tsv"
    heads = DATA / "streams" / "narasipal_headlines" / "narasipal_dataset_derived.csv"
    crisis = DATA / "events" / "crisislext6" / "stream.jsonl"
    with crisis.open(encoding="utf-8") as fh:
        tweets = [json.loads(line)["text"] for _, line in zip(range(CRISIS_TWEETS), fh)]
    return {
        "mbg_policy_tweets_2025": [r["reply_text"] for r in rows(mbg)],
        "smsa train": [ln.split("\t")[0] for ln in smsa.read_text("utf-8").splitlines()],
        "narasipal_headlines": [r["judul_berita"] for r in rows(heads)],
        "crisislext6 (first 20,000)": tweets,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each hit with its context")
    args = parser.parse_args()
    lines = ["| corpus | texts | hits | by kind | texts/s |", "|---|---:|---:|---|---:|"]
    for name, texts in corpora().items():
        start = time.perf_counter()
        hits = [(text, f) for text in texts for f in find(text)]
        rate = len(texts) / (time.perf_counter() - start)
        kinds = Counter(f.kind for _, f in hits)
        by_kind = ", ".join(f"{k} {n}" for k, n in kinds.most_common()) or "-"
        lines.append(f"| {name} | {len(texts):,} | {len(hits)} | {by_kind} | {rate:,.0f} |")
        if args.show:
            for text, f in hits:
                print(f"{f.kind}\t{text[max(0, f.start - 40) : f.end + 20]!r}")
    body = "\n".join(lines)
    print(body)
    RESULTS.write_text(
        "# Personal data: hits on real text\n\n"
        "`python benchmarks/privacy_detection.py` (one core):\n\n" + body + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
