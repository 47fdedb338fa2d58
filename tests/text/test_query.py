"""Watchlist queries: operators, phrases, NEAR/n, prefixes, normalization, and syntax errors
that name the column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pantau.text import QuerySyntaxError, compile_query, normalize


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("banjir", "Banjir lagi di jalan", True),
        ("banjir AND longsor", "banjir dan longsor", True),
        ("banjir AND longsor", "banjir saja", False),
        ("banjir longsor", "longsor lalu banjir", True),  # juxtaposition is AND
        ("banjir OR longsor", "longsor", True),
        ("banjir NOT hoaks", "banjir itu hoaks", False),
        ("banjir NOT hoaks", "banjir besar", True),
        ('"jalan rusak"', "jalan di sini rusak", False),
        ('"jalan rusak"', "jalan rusak parah", True),
        ("keracun*", "siswa keracunan", True),
        ("keracun*", "racun tikus", False),
        ('"makan bergi*"', "makan bergizi gratis", True),
        ("makan NEAR/2 gratis", "makan siang bergizi gratis", True),
        ("makan NEAR/1 gratis", "makan siang bergizi gratis", False),
        ("gratis NEAR/3 makan", "makan siang bergizi gratis", True),  # either order
        ("(banjir OR rob) AND (samarinda OR smd)", "rob masuk smd", True),
        ("(banjir OR rob) AND (samarinda OR smd)", "rob masuk bontang", False),
        ("gak", "GAK jelas", True),  # terms are normalized like texts: gak -> tidak
        ("tidak", "ga jelas", True),
        ("NOT hoaks", "kabar benar", True),
        ("(banjir OR rob) NEAR/3 samarinda", "rob besar di samarinda", True),
    ],
)
def test_matching(query: str, text: str, expected: bool) -> None:
    assert compile_query(query).matches(normalize(text)) is expected


def test_matched_terms_are_reported() -> None:
    match = compile_query('(banjir OR rob OR longsor) AND "jalan rusak"').match(
        normalize("banjir dan rob bikin jalan rusak")
    )
    assert match is not None
    assert match.terms == ["banjir", "rob", "jalan rusak"]


@pytest.mark.parametrize(
    ("query", "column"),
    [
        ("", 1),
        ("banjir AND (", 13),
        ("(banjir OR rob", 1),
        ('"jalan rusak', 1),
        ("banjir )", 8),
        ("banjir OR", 10),
        ("(banjir AND rob) NEAR/2 x", 18),
        ("NOT", 4),
    ],
)
def test_syntax_errors_name_the_column(query: str, column: int) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        compile_query(query)
    assert info.value.column == column
    assert str(info.value).startswith(f"kolom {column}:")


@given(st.text(alphabet='ab ()"*ANDORTNE/12', max_size=30))
def test_any_query_compiles_or_raises_a_syntax_error(query: str) -> None:
    try:
        compiled = compile_query(query)
    except QuerySyntaxError as exc:
        assert 1 <= exc.column <= len(query) + 1
    else:
        assert compiled.matches("a b ab") in (True, False)


@given(
    st.text(alphabet='ab cnN()"*', max_size=20).filter(lambda q: q.strip()),
    st.lists(st.sampled_from(["a", "b", "c", "ab", "ba", "abc", "x"]), max_size=6),
)
def test_prefilter_never_hides_a_match(query: str, words: list[str]) -> None:
    """``could_match`` is only a shortcut: whenever a text matches, it says it could."""
    try:
        expanded = query.replace("c", " OR ").replace("n", " NOT ").replace("N", " NEAR/1 ")
        compiled = compile_query(expanded.replace("*", "* "))
    except QuerySyntaxError:
        return
    text = " ".join(words)
    if compiled.matches(text):
        assert compiled.could_match(set(words), text)
