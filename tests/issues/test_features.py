"""The featurizer: content words only, shipped stopwords, copy keys."""

from __future__ import annotations

from pantau.issues.features import MAX_TOKENS, bag, shingle_key, stopwords, tokens


def test_tokens_drop_links_handles_stopwords_and_digits() -> None:
    text = "RT @humas_kaltim: Jalan RUSAK di Sangatta!!! lihat https://t.co/abc 2025 yang parah"
    assert tokens(text) == ["jalan", "rusak", "sangatta", "lihat", "parah"]


def test_stopwords_are_shipped_in_both_languages() -> None:
    words = stopwords()
    assert {"yang", "dan", "adalah", "the", "and"} <= words
    assert "banjir" not in words and "flood" not in words


def test_elongation_is_squeezed_and_long_texts_are_cut() -> None:
    assert tokens("parahhhhh bangeeet") == ["parahh", "bangeet"]
    assert len(tokens(" ".join(f"kata{i}x" for i in range(500)))) == MAX_TOKENS


def test_bag_and_shingle_key_ignore_order() -> None:
    assert bag(["a1", "b2", "a1"]) == {"a1": 2, "b2": 1}
    assert shingle_key(["jalan", "rusak", "jalan"]) == shingle_key(["rusak", "jalan"])
