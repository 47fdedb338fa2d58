"""Near-duplicates and bursts: recall of normalized-identical texts and precision of near links
on the real streams, bounded memory, and coordinated copy-paste bursts."""

from __future__ import annotations

from pathlib import Path

from pantau.settings import Settings
from pantau.text import Analyzer, NearDuplicateIndex
from pantau.text.features import TokenHashes
from pantau.text.normalize import normalize_tokens

HERE = Path(__file__).resolve().parent / "data"
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
    for line in (HERE / "dedup_labelled.tsv").read_text("utf-8").splitlines():
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


def _feed(
    index: NearDuplicateIndex,
    ids: list[str],
    texts: list[str],
    authors: list[str | None] | None = None,
    times: list[float | None] | None = None,
):
    docs = [normalize_tokens(t) for t in texts]
    return index.process(
        ids,
        [" ".join(d) for d in docs],
        TokenHashes.of(docs),
        authors or [None] * len(ids),
        times or [None] * len(ids),
    )


def test_links_across_batches_and_forgets_the_oldest() -> None:
    index = NearDuplicateIndex(capacity=3)
    text = "dapur mbg di sekolah kami tutup sejak senin tanpa kabar"
    assert _feed(index, ["a"], [text])[0].dup_of is None
    assert _feed(index, ["b"], [text.upper() + "!!!"])[0].dup_of == "a"
    _feed(index, ["c", "d", "e"], ["satu dua tiga", "empat lima enam", "tujuh delapan sembilan"])
    assert len(index) == 3
    assert _feed(index, ["f"], [text])[0].dup_of is None  # "a" and "b" were forgotten


def test_near_but_not_identical_texts_are_linked_and_different_ones_are_not() -> None:
    index = NearDuplicateIndex()
    base = "harga beras di pasar induk naik lagi minggu ini warga mengeluh tidak sanggup beli"
    res = _feed(
        index,
        ["a", "b", "c"],
        [
            base,
            base + " lagi",
            "harga cabai di pasar induk turun minggu ini pedagang senang",
        ],
    )
    assert [r.dup_of for r in res] == [None, "a", None]


def test_coordinated_burst_needs_many_accounts_in_a_short_time() -> None:
    index = NearDuplicateIndex(window_s=600, min_accounts=3)
    text = "Tolak kenaikan tarif air sekarang juga! #TolakTarif"
    res = _feed(index, list("abcd"), [text] * 4, ["u1", "u1", "u2", "u3"], [0, 10, 20, 30])
    assert [r.coordinated for r in res] == [None, None, None, "a"]
    slow = NearDuplicateIndex(window_s=600, min_accounts=3)
    res = _feed(slow, list("xyz"), [text] * 3, ["u1", "u2", "u3"], [0, 1000, 2000])
    assert [r.coordinated for r in res] == [None, None, None]


def test_empty_texts_are_never_duplicates() -> None:
    index = NearDuplicateIndex()
    res = _feed(index, ["a", "b"], ["", "!!!"])
    assert [r.dup_of for r in res] == [None, None]


def test_memory_stays_bounded_when_copies_pour_in() -> None:
    index = NearDuplicateIndex(capacity=2)
    res = _feed(index, [str(i) for i in range(6)], ["salin tempel kampanye"] * 6)
    assert len(index) == 2
    assert [r.dup_of for r in res] == [None, "0", "0", "0", "0", "0"]
