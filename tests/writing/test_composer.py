"""Composer: every kind renders from facts, drafts lint clean, templates can be overridden."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pantau.writing import KINDS, Severity, lint
from pantau.writing.composer import EXAMPLE_FIELDS, ComposeError, Fields, compose, example_fields

COMPLETE: dict[str, Any] = {
    **EXAMPLE_FIELDS,
    "claim": "pembagian uang tunai Rp500.000 bagi korban banjir",
    "claim_source": "di media sosial",
    "facts": [
        "Pemprov Kaltim tidak pernah membagikan uang tunai kepada korban banjir.",
        "Bantuan yang disalurkan berupa paket sembako dan layanan kesehatan.",
    ],
    "next_update": "2024-09-24T16:00:00+08:00",
    "agenda": ["Peluncuran posko", "Tanya jawab dengan media"],
    "speakers": ["Kepala Dinas Kominfo Kaltim Muhammad Faisal"],
    "event": "peluncuran posko aduan banjir terpadu",
}


def errors(text: str, kind: str) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in lint(text, kind=kind) if f.severity == Severity.ERROR]


def test_composed_release_from_complete_fields_has_no_error_findings() -> None:
    draft = compose("siaran_pers", EXAMPLE_FIELDS)
    assert errors(draft.text, "siaran_pers") == []
    assert lint(draft.text, kind="siaran_pers") == []  # not even a warning


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_composes_and_lints_without_errors(kind: str) -> None:
    draft = compose(kind, example_fields(kind))
    assert draft.kind == kind
    assert draft.headline in draft.text
    assert errors(draft.text, kind) == []


def test_release_has_the_proper_form() -> None:
    lines = compose("siaran_pers", EXAMPLE_FIELDS).text.splitlines()
    assert lines[0] == "UNTUK DISIARKAN SEGERA"
    lead = next(line for line in lines if line.startswith("SAMARINDA - "))
    assert lead.endswith("di Kantor Gubernur Kaltim, Samarinda, Selasa (24/9/2024).")
    quote = next(line for line in lines if line.startswith('"'))
    speaker = "Kepala Dinas Komunikasi dan Informatika Kaltim Muhammad Faisal"
    assert quote.endswith(f'," ujar {speaker}, Selasa (24/9/2024).')
    assert "Narahubung:" in lines and "Surel: humas@example.go.id" in lines


def test_second_quote_of_a_speaker_uses_the_short_name() -> None:
    quote = dict(EXAMPLE_FIELDS["quotes"][0])
    fields = {**EXAMPLE_FIELDS, "quotes": [quote, {**quote, "text": "Posko tidak pernah tutup."}]}
    text = compose("siaran_pers", fields).text
    assert '"Posko tidak pernah tutup," kata Faisal.' in text


def test_embargo_line_and_time_zone() -> None:
    embargo = datetime(2024, 9, 24, 2, 0, tzinfo=UTC)  # 10.00 WITA
    draft = compose("siaran_pers", {**EXAMPLE_FIELDS, "embargo": embargo.isoformat()})
    first = draft.text.splitlines()[0]
    assert first == "EMBARGO: JANGAN DISIARKAN SEBELUM Selasa (24/9/2024) pukul 10.00 WITA"
    jakarta = compose(
        "siaran_pers", {**EXAMPLE_FIELDS, "embargo": embargo.isoformat()}, timezone="Asia/Jakarta"
    )
    assert jakarta.text.splitlines()[0].endswith("pukul 09.00 WIB")


def test_utc_times_are_shown_in_local_date() -> None:
    late = datetime(2024, 9, 23, 17, 30, tzinfo=UTC)  # already Tuesday 01.30 in WITA
    text = compose("siaran_pers", {**EXAMPLE_FIELDS, "when": late.isoformat()}).text
    assert "Selasa (24/9/2024)." in text


def test_missing_fields_are_named_in_indonesian() -> None:
    fields = {k: v for k, v in EXAMPLE_FIELDS.items() if k not in {"when", "contact"}}
    with pytest.raises(ComposeError, match="kapan, narahubung"):
        compose("siaran_pers", fields)


def test_bad_input_is_rejected_with_a_reason() -> None:
    with pytest.raises(ComposeError, match="tidak dikenal"):
        compose("memo", EXAMPLE_FIELDS)
    with pytest.raises(ComposeError, match="judul_baru"):
        compose("siaran_pers", {**EXAMPLE_FIELDS, "judul_baru": "x"})
    with pytest.raises(ComposeError, match="ISO 8601"):
        compose("siaran_pers", {**EXAMPLE_FIELDS, "when": "besok pagi"})


def test_fields_object_is_accepted_directly() -> None:
    fields = Fields.from_mapping(EXAMPLE_FIELDS)
    assert compose("siaran_pers", fields).text == compose("siaran_pers", EXAMPLE_FIELDS).text


def test_admin_templates_override_the_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "_boilerplate.j2").write_text(
        "\nTentang Kami\nBiro Humas melayani informasi publik setiap hari kerja.\n",
        encoding="utf-8",
    )
    text = compose("siaran_pers", EXAMPLE_FIELDS, templates_dir=tmp_path).text
    assert "Biro Humas melayani informasi publik setiap hari kerja." in text
    assert "Tentang Dinas Komunikasi" not in text
    assert compose("klarifikasi", COMPLETE, templates_dir=tmp_path).text.count("Tentang Kami") == 1


def test_broken_admin_template_is_reported(tmp_path: Path) -> None:
    (tmp_path / "siaran_pers.j2").write_text("{{ tidak_ada }}", encoding="utf-8")
    with pytest.raises(ComposeError, match=r"siaran_pers\.j2"):
        compose("siaran_pers", EXAMPLE_FIELDS, templates_dir=tmp_path)


def test_media_advisory_is_a_letter_with_the_event() -> None:
    text = compose("undangan_peliputan", COMPLETE).text
    assert "untuk meliput peluncuran posko aduan banjir terpadu, yang akan" in text
    assert "Hari/tanggal: Selasa, 24 September 2024" in text
    assert "Pukul: 10.00 WITA" in text
    with pytest.raises(ComposeError, match="nama acara"):
        compose("undangan_peliputan", {**COMPLETE, "event": ""})
