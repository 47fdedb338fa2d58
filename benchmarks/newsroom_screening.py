"""How the newsroom's comment screening rules fare on Indonesian abusive language.

Run: ``.venv/bin/python benchmarks/newsroom_screening.py``; writes
benchmarks/results/newsroom_screening.md. Data: ``abusive/id_multilabel_hatespeech``
(re_dataset.csv, 13,169 tweets, label ``Abusive``), evaluation only (CC BY-NC-SA): the rules were
written before this was run and are not tuned on it. A held comment is not deleted, it waits for
a closer look, so a missed abusive comment (recall) costs more than a false hold.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pantau.newsroom.comments import screen  # noqa: E402

DATA = Path(os.environ.get("PANTAU_CORPORA", ROOT.parent / "shared" / "data"))
CSV = DATA / "abusive" / "id_multilabel_hatespeech" / "re_dataset.csv"
RESULTS = ROOT / "benchmarks" / "results" / "newsroom_screening.md"


def main() -> None:
    with CSV.open(encoding="latin-1", newline="") as f:
        rows = [(r["Tweet"], r["Abusive"] == "1") for r in csv.DictReader(f)]
    tp = fp = fn = tn = kasar_tp = kasar_fp = 0
    for text, abusive in rows:
        reason = screen("", text)
        held = reason is not None
        tp += held and abusive
        fp += held and not abusive
        fn += not held and abusive
        tn += not held and not abusive
        kasar_tp += reason == "kasar" and abusive
        kasar_fp += reason == "kasar" and not abusive
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    kasar_precision = kasar_tp / (kasar_tp + kasar_fp) if kasar_tp + kasar_fp else 0.0
    lines = [
        "# Newsroom comment screening on abusive Indonesian tweets",
        "",
        f"`python benchmarks/newsroom_screening.py`: {len(rows)} tweets, "
        f"{tp + fn} labelled abusive.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| abusive held (recall) | {recall:.3f} |",
        f"| held that are abusive (precision, any rule) | {precision:.3f} |",
        f"| precision of the abuse word rule alone | {kasar_precision:.3f} |",
        f"| non-abusive held (false-hold rate) | {fp / (fp + tn):.3f} |",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
