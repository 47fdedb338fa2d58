"""The desk's text checks: any JSON for the facts gives a draft or an error naming a field."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pantau.settings import Settings
from pantau.web.writing_forms import form_name
from pantau.writing import KINDS, Fields, example_fields
from pantau.writing.desk_input import DeskError, clean_text, compose_draft

SETTINGS = Settings.from_env({})
NAMES = [f.name for f in dataclass_fields(Fields)] + ["bogus"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    changes=st.dictionaries(st.sampled_from(NAMES), JSON, max_size=4),
)
@example(kind="siaran_pers", changes={"quotes": None})  # found by CI: null quotes
@example(kind="siaran_pers", changes={"quotes": [None]})
@example(kind="siaran_pers", changes={"contact": {"nama": "x"}})
@pytest.mark.slow
def test_any_facts_compose_or_name_the_field(kind: str, changes: dict[str, Any]) -> None:
    data = {**example_fields(kind), **changes}
    try:
        draft = compose_draft(kind, data, SETTINGS)
    except DeskError as exc:
        assert exc.field.split(".")[0] in {*NAMES, "fields"}
        assert exc.message
    else:
        assert draft.text.strip()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"when": 5}, "when"),
        ({"details": "satu baris"}, "details"),
        (
            {"quotes": [{"text": "Siap", "speaker": "A B", "position": "Kepala", "x": "y"}]},
            "quotes.0.x",
        ),
        ({"contact": {"name": ""}}, "contact.name"),
        ({"contact": "Rina"}, "contact"),
        ({"headline": ["Judul"]}, "headline"),
    ],
)
def test_wrong_shapes_are_named(change: dict[str, Any], field: str) -> None:
    with pytest.raises(DeskError) as caught:
        compose_draft("siaran_pers", {**example_fields("siaran_pers"), **change}, SETTINGS)
    assert caught.value.field == field


def test_form_names_and_clean_text() -> None:
    assert form_name("quotes.1.position") == "quote2_position"
    assert form_name("contact.name") == "contact_name"
    assert form_name("contact") == "contact_name"
    assert form_name("headline") == "headline"
    assert clean_text("A\r\nB") == "A\nB"
    with pytest.raises(DeskError, match="terlalu panjang"):
        clean_text("x" * 200_001)
