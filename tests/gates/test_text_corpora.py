"""Corpus gates of the ``text`` stage on the eval-only streams (the shipped label files hold ids,
never text): near-duplicate recall and precision, no region read from an ordinary word, and the
shipped NusaX unseen-ids list still matching the corpora it was derived from."""

from __future__ import annotations

import csv
from pathlib import Path

from pantau.settings import Settings
from pantau.text import Analyzer, Gazetteer

TEXT_DATA = Path(__file__).resolve().parents[1] / "text" / "data"
# Floors of the issue: recall of texts identical after normalization, precision of near links.
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.95
# Share of the near links found today that the labelled sample covers (keeps the sample honest).
COVERAGE_FLOOR = 0.9


def _run(records: list[dict[str, str]]) -> list[dict]:
    analyzer = Analyzer(settings=Settings.from_env({}))
    out: list[dict] = []
    for start in range(0, len(records), 512):
        out += analyzer.process(records[start : start + 512])
    return out


def _check_stream(stream: str, records: list[dict[str, str]]) -> None:
    out = _run(records)
    normalized = {o["id"]: o["normalized"] for o in out}
    seen: set[str] = set()
    expected = found = 0
    near = set()
    for o in out:
        if o["normalized"] in seen:
            expected += 1
            found += o["dup_of"] is not None
        elif o["dup_of"] is not None:
            assert normalized[o["dup_of"]] != o["normalized"]
            near.add((o["id"], o["dup_of"]))
        if o["normalized"]:
            seen.add(o["normalized"])
    assert expected > 100
    assert found / expected >= RECALL_FLOOR
    labels = {}
    for line in (TEXT_DATA / "dedup_labelled.tsv").read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, doc_id, dup_of, label, _note = line.split("\t")
        if name == stream:
            labels[(doc_id, dup_of)] = int(label)
    judged = [labels[pair] for pair in near if pair in labels]
    assert len(judged) >= COVERAGE_FLOOR * len(near)
    assert sum(judged) / len(judged) >= PRECISION_FLOOR


def test_mbg_replies(mbg_tweets: list[dict[str, str]]) -> None:
    _check_stream("tweets", [{"id": r["reply_id"], "text": r["reply_text"]} for r in mbg_tweets])


def test_headlines(headlines: list[dict[str, str]]) -> None:
    records = [{"id": f"h{i}", "text": r["judul_berita"]} for i, r in enumerate(headlines)]
    _check_stream("headlines", records)


def test_no_region_from_ordinary_words_on_mbg_replies(mbg_tweets: list[dict[str, str]]) -> None:
    """Every tag on the labelled sample of real replies is a place the reply really names."""
    texts = {row["reply_id"]: row["reply_text"] for row in mbg_tweets}
    gaz = Gazetteer.load("64")
    wrong = []
    sample = [
        line.split("\t")
        for line in (TEXT_DATA / "mbg_region_sample.tsv").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(sample) >= 150
    for reply_id, gold, note in sample:
        allowed = set() if gold == "-" else set(gold.split(","))
        tagged = {t["code"] for t in gaz.tag(texts[reply_id])}
        if not tagged <= allowed:
            wrong.append((reply_id, sorted(tagged - allowed), note))
    assert wrong == []


def test_shipped_nusax_unseen_ids_match_the_corpora(corpora: Path) -> None:
    """tests/text/data/corpora's list of NusaX Indonesian test ids whose text is in neither SmSA
    train nor NusaX train/valid (stripped, lower-cased), recomputed from the corpora."""
    sentiment = corpora / "sentiment"
    smsa = (sentiment / "smsa" / "train_preprocess.tsv").read_text("utf-8").splitlines()
    seen = {line.rsplit("\t", 1)[0].strip().lower() for line in smsa}

    def rows(split: str) -> list[dict[str, str]]:
        with (sentiment / "nusax" / "indonesian" / f"{split}.csv").open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    seen |= {r["text"].strip().lower() for split in ("train", "valid") for r in rows(split)}
    unseen = [r["id"] for r in rows("test") if r["text"].strip().lower() not in seen]
    shipped = TEXT_DATA / "corpora" / "nusax" / "indonesian" / "test_unseen_ids.txt"
    assert shipped.read_text().split() == unseen
