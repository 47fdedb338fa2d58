"""Search for professionals: filters, boolean queries, explained errors, saved searches, exports
of exactly what is shown and the same filters in the JSON API; counts checked against the sample."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

from sqlalchemy import select

from pantau.store.search_models import SavedSearch
from tests.conftest import AppEnv


def _client(env: AppEnv, user: str = "rina"):  # type: ignore[no-untyped-def]
    c = env.client()
    env.login(c, user)
    return c


def _count(html: str) -> int:
    return int(re.search(r'id="result-count">([\d.]+)', html).group(1).replace(".", ""))


# filter -> mentions of the sample it matches (see tests/reports/sample.py)
CASES = [
    ({"region": "64.71"}, 8),  # every Balikpapan mention: jalan, social and complaints
    ({"sentiment": "positive"}, 4),
    ({"channel": "news", "sentiment": "negative"}, 3),
    ({"outlet": "Kaltim Post"}, 7),
    ({"author": "warga9"}, 5),
    ({"q": "banjir -warga9"}, 17),
    ({"q": "banjir NOT warga9 OR cabai"}, 21),
    ({"q": '"jalan rusak" -pelapor0 -pelapor1'}, 6),
    ({"q": "laporan", "region": "64.72", "sentiment": "neutral"}, 11),
]


def test_search_page_filters_match_the_sample(sample_env: AppEnv) -> None:
    c = _client(sample_env)
    for params, expected in CASES:
        assert _count(c.get("/search", params=params).text) == expected, params
    jalan = sample_env.issue_ids["jalan"]  # type: ignore[attr-defined]
    page = c.get("/search", params={"issue": jalan})
    assert _count(page.text) == 8
    assert f'<option value="{jalan}" selected>' in page.text  # the filter stays chosen
    assert 'name="region"' in page.text and "Kota Samarinda" in page.text


def test_api_mentions_take_the_same_filters_and_document_them(sample_env: AppEnv) -> None:
    c = _client(sample_env, "pimpinan")
    for params, expected in CASES:
        api = dict(params)
        assert c.get("/api/v1/mentions", params=api).json()["total"] == expected, params
    jalan = sample_env.issue_ids["jalan"]  # type: ignore[attr-defined]
    assert c.get("/api/v1/mentions", params={"issue_id": jalan}).json()["total"] == 8
    bad = c.get("/api/v1/mentions", params={"q": "banjir OR"})
    assert bad.status_code == 422
    assert bad.json()["detail"] == "q: kolom 8 ('OR'): OR perlu kata di kedua sisinya"
    assert c.get("/api/v1/mentions", params={"region": "Samarinda"}).status_code == 422
    assert c.get("/api/v1/mentions", params={"sentiment": "marah"}).status_code == 422
    doc = c.get("/api/openapi.json").json()
    described = {
        p["name"]: p.get("description", "")
        for p in doc["paths"]["/api/v1/mentions"]["get"]["parameters"]
    }
    for name in ("q", "region", "sentiment", "issue_id", "author", "outlet", "watchlist_id"):
        assert described.get(name), name
    assert "kecamatan" in described["region"]


def test_query_errors_and_a_from_after_the_to_are_explained(sample_env: AppEnv) -> None:
    c = _client(sample_env)
    page = c.get("/search", params={"q": 'banjir "jalan'})
    assert page.status_code == 200 and _count(page.text) == 0
    assert "Kata pencarian, kolom 8 (&#39;&#34;jalan&#39;): tanda kutip belum ditutup" in page.text
    assert 'aria-invalid="true"' in page.text
    swapped = c.get("/search", params={"q": "banjir", "since": "2026-11-21", "until": "2026-11-20"})
    assert _count(swapped.text) == 0
    assert "“Dari” (2026-11-21) jatuh setelah “Sampai” (2026-11-20)" in swapped.text
    same_day = c.get(
        "/search", params={"q": "banjir", "since": "2026-11-20", "until": "2026-11-20"}
    )
    assert _count(same_day.text) == 17 and 'role="alert"' not in same_day.text
    assert "😷" in c.get("/search").text  # the placeholder says emoji can be searched


def test_the_export_holds_exactly_what_the_page_shows(sample_env: AppEnv) -> None:
    c = _client(sample_env)
    params = {"q": "laporan -pelapor0", "region": "64.71", "sentiment": "negative"}
    page = c.get("/search", params=params).text
    link = re.search(r'href="(/search/export\.csv\?[^"]+)"', page).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(c.get(link).content.decode("utf-8-sig"))))
    assert len(rows) == _count(page) == 3  # two negative posts and one of the two complaints
    shown = set(re.findall(r'/issues/(\d+)">', page))
    assert {r["ID isu"] for r in rows} == shown
    assert {r["Wilayah"] for r in rows} == {"Kota Balikpapan"}  # the name beside the code


def test_saved_searches_are_per_user_and_shareable(sample_env: AppEnv) -> None:
    rina = _client(sample_env)
    wanted = {"q": "banjir", "sentiment": "negative", "region": "64.72"}
    resp = rina.post(
        "/search/saved",
        data={
            "name": "  Banjir   negatif ",
            "query": urlencode({**wanted, "evil": "<script>", "page": "3"}),
            "csrf_token": sample_env.csrf(rina),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/search?" + urlencode(wanted)
    with sample_env.db.session() as s:
        saved = s.scalar(select(SavedSearch))
    assert saved.name == "Banjir negatif"
    page = rina.get("/search").text
    assert f'href="/search/saved/{saved.id}"' in page and "Banjir negatif" in page
    # a colleague opens the shared link, sees the same view, and does not list or delete it
    budi = _client(sample_env, "budi")
    opened = budi.get(f"/search/saved/{saved.id}", follow_redirects=True)
    assert _count(opened.text) == _count(rina.get("/search", params=wanted).text) == 11
    assert "Banjir negatif" not in budi.get("/search").text
    budi.post(f"/search/saved/{saved.id}/delete", data={"csrf_token": sample_env.csrf(budi)})
    rina.post(f"/search/saved/{saved.id}/delete", data={"csrf_token": sample_env.csrf(rina)})
    with sample_env.db.session() as s:
        assert s.scalar(select(SavedSearch)) is None
    assert budi.get(f"/search/saved/{saved.id}").status_code == 404
