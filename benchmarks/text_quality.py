"""Quality of the ``text`` stage on the shared datasets, each beside a baseline from the same run.

Run: ``.venv/bin/python benchmarks/text_quality.py`` (about two minutes).

1. Sentiment: the shipped model vs scikit-learn TF-IDF (word 1-2 + char_wb 2-5) with logistic
   regression trained here on SmSA train (the issue's ~0.856 reference), macro-F1 on SmSA valid
   and on NusaX Indonesian test texts not in the training data.
2. Language id: the shipped cascade vs py3langid alone, accuracy on the NusaX test splits.
3. Regions: kab/kota precision and recall on ``tests/text/data/regions_labelled.tsv`` vs the
   same gazetteer without its ordinary-word list and context rules.
4. Near-duplicates: on the real MBG replies and headlines, recall of texts identical after
   normalization vs exact raw-string matching, and precision on the labelled near links.
Writes the quality section of ``benchmarks/results/text.md``.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scipy.sparse import hstack  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from text_speed import write_section  # noqa: E402

from pantau.settings import Settings  # noqa: E402
from pantau.text import Analyzer, Gazetteer, LanguageIdentifier, SentimentModel  # noqa: E402
from pantau.text.normalize import normalize_tokens  # noqa: E402
from pantau.text.regions import _load_cached  # noqa: E402

DATA = ROOT / ".." / "shared" / "data"
TESTS = ROOT / "tests" / "text" / "data"


def smsa(split: str) -> tuple[list[str], list[str]]:
    lines = (DATA / "sentiment" / "smsa" / f"{split}_preprocess.tsv").read_text("utf-8")
    rows = [ln.rsplit("\t", 1) for ln in lines.splitlines()]
    return [r[0] for r in rows], [r[1] for r in rows]


def nusax(lang: str, split: str) -> tuple[list[str], list[str]]:
    with (DATA / "sentiment" / "nusax" / lang / f"{split}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def sentiment() -> list[str]:
    xt, yt = smsa("train")
    xv, yv = smsa("valid")
    seen = {t.strip().lower() for t in xt}
    for split in ("train", "valid"):
        seen |= {t.strip().lower() for t in nusax("indonesian", split)[0]}
    xn, yn = nusax("indonesian", "test")
    keep = [i for i, t in enumerate(xn) if t.strip().lower() not in seen]
    xn, yn = [xn[i] for i in keep], [yn[i] for i in keep]
    model = SentimentModel()

    def ours(texts: list[str]) -> tuple[list[str], float]:
        start = time.process_time()
        docs = [normalize_tokens(t) for t in texts]
        pred = [model.model.classes[int(k)] for k in model.model.proba_of(docs).argmax(1)]
        return pred, len(texts) / (time.process_time() - start)

    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    base = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
    base.fit(hstack([word.fit_transform(xt), char.fit_transform(xt)]).tocsr(), yt)

    def baseline(texts: list[str]) -> tuple[list[str], float]:
        start = time.process_time()
        pred = list(base.predict(hstack([word.transform(texts), char.transform(texts)]).tocsr()))
        return pred, len(texts) / (time.process_time() - start)

    rows = []
    for name, texts, gold in (("SmSA valid", xv, yv), (f"NusaX id test, {len(xn)} unseen", xn, yn)):
        (p_ours, s_ours), (p_base, s_base) = ours(texts), baseline(texts)
        f_ours = f1_score(gold, p_ours, average="macro")
        f_base = f1_score(gold, p_base, average="macro")
        rows.append(
            f"| {name} | {f_ours:.4f} | {f_base:.4f} | {f_ours / f_base:.3f} "
            f"| {s_ours:,.0f} | {s_base:,.0f} |"
        )
        print(f"sentiment {name}: ours {f_ours:.4f} baseline {f_base:.4f}")
    return [
        "### Sentiment (macro-F1)",
        "",
        "| set | shipped | TF-IDF + LR baseline | ratio | docs/CPU-s shipped | docs/CPU-s base |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def langid() -> list[str]:
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier as Py3

    ident = LanguageIdentifier()
    py3 = Py3.from_model_file(MODEL_FILE, norm_probs=True)
    rows = []
    for lang, code in (
        ("indonesian", "id"),
        ("english", "en"),
        ("javanese", "jv"),
        ("sundanese", "su"),
        ("banjarese", "bjn"),
    ):
        texts, _ = nusax(lang, "test")
        ours = float(np.mean([p == code for p in ident.identify_texts(texts)]))
        base = float(np.mean([py3.classify(t)[0] == code for t in texts]))
        rows.append(f"| {lang} ({code}) | {ours:.4f} | {base:.4f} |")
        print(f"langid {lang}: ours {ours:.4f} py3langid {base:.4f}")
    return [
        "### Language id (accuracy, NusaX test, 400 texts each)",
        "",
        "| language | shipped cascade | py3langid alone |",
        "|---|---|---|",
        *rows,
        "",
        "py3langid has no Sundanese or Banjarese, hence 0 there.",
        "",
    ]


def regions() -> list[str]:
    rows = []
    count = 0
    plain = _load_cached.__wrapped__("64", "")  # a separate instance to strip its rules from
    plain.index = {k: e for k, e in plain.index.items()}
    for entry in plain.index.values():
        entry.ambiguous = False
    for name, gaz in (("shipped", Gazetteer.load("64")), ("no ordinary-word list", plain)):
        tp = fp = fn = 0
        for line in (TESTS / "regions_labelled.tsv").read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            gold_s, sentence = line.split("\t")
            gold = set() if gold_s == "-" else set(gold_s.split(","))
            count += 1
            pred = {t["code"] for t in gaz.tag(sentence) if len(t["code"]) == 5}
            tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
        rows.append(f"| {name} | {tp / (tp + fp):.4f} | {tp / (tp + fn):.4f} |")
        print(f"regions {name}: P {tp / (tp + fp):.4f} R {tp / (tp + fn):.4f}")
    return [
        f"### Regions (kab/kota level, {count // 2} hand-written sentences)",
        "",
        "| gazetteer | precision | recall |",
        "|---|---|---|",
        *rows,
        "",
    ]


def dedup() -> list[str]:
    streams = DATA / "streams"
    with (streams / "mbg_policy_tweets_2025" / "hybrid_labeled_data.csv").open(
        encoding="utf-8"
    ) as fh:
        tweets = [{"id": r["reply_id"], "text": r["reply_text"]} for r in csv.DictReader(fh)]
    with (streams / "narasipal_headlines" / "narasipal_dataset_derived.csv").open(
        encoding="utf-8"
    ) as fh:
        heads = [
            {"id": f"h{i}", "text": r["judul_berita"]} for i, r in enumerate(csv.DictReader(fh))
        ]
    labels = {}
    for line in (TESTS / "dedup_labelled.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            stream, doc_id, dup_of, label, _ = line.split("\t")
            labels[(stream, doc_id, dup_of)] = int(label)
    rows = []
    for stream, records in (("tweets", tweets), ("headlines", heads)):
        analyzer = Analyzer(settings=Settings.from_env({}))
        out = []
        for start in range(0, len(records), 512):
            out += analyzer.process(records[start : start + 512])
        seen: set[str] = set()
        raw_seen: set[str] = set()
        expected = found = raw_found = 0
        near = []
        for rec, o in zip(records, out, strict=True):
            if o["normalized"] in seen:
                expected += 1
                found += o["dup_of"] is not None
                raw_found += rec["text"] in raw_seen
            elif o["dup_of"] is not None:
                near.append(labels.get((stream, o["id"], o["dup_of"])))
            if o["normalized"]:
                seen.add(o["normalized"])
            raw_seen.add(rec["text"])
        judged = [x for x in near if x is not None]
        precision = sum(judged) / len(judged) if judged else float("nan")
        rows.append(
            f"| {stream} | {len(records)} | {expected} | {found / expected:.4f} "
            f"| {raw_found / expected:.4f} | {len(near)} | {precision:.4f} |"
        )
        print(
            f"dedup {stream}: recall {found / expected:.4f} raw {raw_found / expected:.4f} "
            f"near {len(near)} precision {precision:.4f}"
        )
    return [
        "### Near-duplicates (real streams)",
        "",
        "| stream | texts | identical after normalization | recall | recall of raw exact match "
        "| near links | precision (labelled) |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def main() -> None:
    lines = ["## Quality (`benchmarks/text_quality.py`)", ""]
    for part in (sentiment, langid, regions, dedup):
        lines += part()
    write_section("quality", "\n".join(lines))


if __name__ == "__main__":
    main()
