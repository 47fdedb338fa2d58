"""Near-duplicates and bursts: bounded memory and coordinated copy-paste bursts (the recall and
precision floors on the real streams are corpus gates: tests/gates/test_text_corpora.py)."""

from __future__ import annotations

from pantau.text import NearDuplicateIndex
from pantau.text.features import TokenHashes
from pantau.text.normalize import normalize_tokens


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
