"""The case library: search closed issues, read one in full, print its one-page brief."""

from __future__ import annotations

from datetime import datetime

from tests.conftest import AppEnv
from tests.workflow.test_cases import BALIKPAPAN, _close, _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["env"]  # the fixture, shared with the similar-case tests

FLOOD_LESSON = "Holding statement dalam 2 jam dan posko di kelurahan meredam keluhan warga."


def _library(env: AppEnv) -> tuple[Actor, int, int, int]:
    rina = Actor(env, "rina")
    flood = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    road = _issue(env, "Jalan rusak di Balikpapan Utara", ["jalan", "rusak"], region=BALIKPAPAN)
    _close(rina, flood, FLOOD_LESSON, ["holding_statement", "cek_lapangan"])
    _close(rina, road, "Foto perbaikan dari PUPR menjawab keluhan sebelum viral lagi.", [])
    still_open = _issue(env, "Banjir lagi di Sempaja", ["banjir"])
    return rina, flood, road, still_open


def test_search_by_words_category_region_and_year(env: AppEnv) -> None:
    rina, flood, road, still_open = _library(env)
    everything = [c["id"] for c in rina.get("/cases")]
    assert set(everything) == {flood, road} and still_open not in everything
    assert [c["id"] for c in rina.get("/cases?q=posko+sempaja")] == [flood]  # lessons count
    assert [c["id"] for c in rina.get("/cases?category=banjir")] == [flood]
    assert [c["id"] for c in rina.get("/cases?category=jalan_rusak")] == [road]
    assert [c["id"] for c in rina.get(f"/cases?region={BALIKPAPAN}")] == [road]
    year = datetime.now().year
    assert {c["id"] for c in rina.get(f"/cases?year={year}")} == {flood, road}
    assert rina.get(f"/cases?year={year - 5}") == []
    assert rina.client.get("/api/v1/cases?category=gempa-bumi").status_code == 422
    first = rina.get("/cases?category=banjir")[0]
    assert first["category_label"] == "banjir" and first["lessons"] == [FLOOD_LESSON]


def test_one_case_in_full_and_as_a_pdf_brief(env: AppEnv) -> None:
    rina, flood, _, still_open = _library(env)
    case = rina.get(f"/cases/{flood}")
    assert case["case"]["label"].startswith("Banjir rendam Sempaja")
    kinds = [a["kind"] for a in case["actions"]]
    assert kinds.index("holding_statement") < kinds.index("pelajaran")
    assert "Holding statement diterbitkan" in [a["label"] for a in case["actions"]]
    assert rina.client.get(f"/api/v1/cases/{still_open}").status_code == 404
    pdf = rina.client.get(f"/api/v1/cases/{flood}/brief.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = rina.client.get(f"/kasus/{flood}")
    assert "Pelajaran" in page.text and "posko di kelurahan" in page.text


def test_library_page_escapes_hostile_text(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    hostile = _issue(env, '<script>alert("x")</script> banjir Sempaja', ["banjir"])
    _close(rina, hostile, "<img src=x onerror=alert(1)> posko lebih awal membantu warga.", [])
    for path in ("/kasus", f"/kasus/{hostile}"):
        page = rina.client.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text
    assert 'id="library-none"' in rina.client.get("/kasus?q=tambang").text
