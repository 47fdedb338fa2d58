"""The dashboard, issue, export and report pages through the in-process HTTP client."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select

from pantau.store import Agency, AuditEntry, Mention, Watchlist
from pantau.store.reports_models import ReportSubscription
from tests.conftest import AppEnv
from tests.reports.sample import DAY


def _client(env: AppEnv, user: str = "rina"):  # type: ignore[no-untyped-def]
    c = env.client()
    env.login(c, user)
    return c


def test_overview_shows_top_issues_regions_sources_and_keeps_filters(sample_env: AppEnv) -> None:
    c = _client(sample_env)
    page = c.get("/", params={"range": "30d", "channel": "social"})
    assert page.status_code == 200
    html = page.text
    assert "Ikhtisar" in html and "Banjir di Sempaja Samarinda" in html
    assert 'id="overview-data"' in html and 'data-chart="volume"' in html
    assert "Kota Samarinda" in html and "Kesehatan sumber" in html and "Ekspor media sosial" in html
    # the live part polls with the same filters, and region links keep them
    assert 'hx-get="/dash/live?range=30d&amp;channel=social"' in html
    assert 'href="/?range=30d&amp;region=64.72&amp;channel=social"' in html
    data = json.loads(re.search(r'id="overview-data">(.*?)</script>', html, re.S).group(1))
    assert sum(data["volume"]["lines"]["social"]) == 23
    assert sum(data["volume"]["lines"]["news"]) == 0
    live = c.get("/dash/live", params={"range": "30d"})
    assert live.status_code == 200 and "<html" not in live.text and "kpi-total" in live.text


def test_overview_agency_and_watchlist_filters(sample_env: AppEnv) -> None:
    with sample_env.db.writer() as s:
        bpn = s.scalar(select(Agency.id).where(Agency.short_name == "Diskominfo Balikpapan"))
        wl = Watchlist(agency_id=bpn, name="Jalan", query="jalan")
        s.add(wl)
        s.flush()
        wl_id = wl.id
        for m in s.scalars(select(Mention).where(Mention.text.like("Jalan rusak%"))).all()[:3]:
            m.watch = [{"name": "Jalan", "terms": ["jalan"]}]
    c = _client(sample_env)
    html = c.get("/", params={"agency": bpn}).text
    assert "Jalan rusak di Balikpapan Utara" in html and "Banjir di Sempaja" not in html
    live = c.get("/dash/live", params={"watchlist": wl_id}).text
    assert re.search(r'id="kpi-total">3<', live)
    bad = c.get("/", params={"range": "abad"}).text
    assert "range: &#39;abad&#39; tidak dikenal" in bad


def test_issue_page_has_timeline_voices_and_related(sample_env: AppEnv) -> None:
    with sample_env.db.writer() as s:  # an outlet whose audience nobody reported
        for m in s.scalars(select(Mention).where(Mention.outlet == "Tribun Kaltim")):
            m.author_followers, m.likes, m.shares, m.comments = None, 0, 0, 0
    c = _client(sample_env)
    issue_id = sample_env.issue_ids["banjir"]  # type: ignore[attr-defined]
    html = c.get(f"/issues/{issue_id}").text
    for part in ("issue-timeline", "top-authors", "top-outlets", "related-issues", "top-mentions"):
        assert f'id="{part}"' in html, part
    assert "Kaltim Post" in html and "Harga cabai naik di pasar Samarinda" in html
    outlets = re.search(r'id="top-outlets">(.*?)</section>', html, re.S).group(1)
    # an outlet without an audience figure shows its count alone, not "jangkauan 0"
    assert "Kaltim Post</span><small>3 · jangkauan 703<" in outlets
    assert "Tribun Kaltim</span><small>2</small>" in outlets
    data = json.loads(re.search(r'id="issue-data">(.*?)</script>', html, re.S).group(1))
    assert data["marks"] == {"social": "2026-11-19 06", "news": "2026-11-20 14"}
    assert c.get("/issues/9999").status_code == 404


def test_search_export_streams_every_match_and_is_audited(sample_env: AppEnv) -> None:
    c = _client(sample_env, "budi")
    page = c.get("/search", params={"q": "banjir", "page": 2}).text
    assert 'href="/search/export.csv?q=banjir"' in page
    resp = c.get("/search/export.csv", params={"q": "banjir"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    with sample_env.db.session() as s:
        banjir = s.scalar(select(func.count(Mention.id)).where(Mention.text.like("Banjir%")))
        audits = s.scalars(select(AuditEntry).where(AuditEntry.action == "mention.export")).all()
    assert len(rows) == banjir == 22
    assert [a.actor for a in audits] == ["budi"] and audits[0].after["q"] == "banjir"
    lines = c.get("/search/export.jsonl", params={"channel": "news"}).text.splitlines()
    assert len(lines) == 9 and all(json.loads(x)["channel"] == "news" for x in lines)
    assert c.get("/search/export.xlsx").status_code == 404
    assert c.get("/search/export.csv", params={"since": "kemarin"}).status_code == 422


@pytest.mark.slow
def test_reports_page_downloads_and_subscription(sample_env: AppEnv) -> None:
    c = _client(sample_env, "pimpinan")
    page = c.get("/reports").text
    assert "Laporan Monitoring Media (harian)" in page and 'id="download-weekly-docx"' in page
    # the sample's day, not yesterday: the first report a user opens has data in it
    assert page.count(f'name="date" value="{DAY.isoformat()}"') == 2
    undated = c.get("/reports/daily.html").headers["content-disposition"]
    assert undated.endswith(f'-{DAY.isoformat()}.html"')
    pdf = c.get("/reports/daily.pdf", params={"date": DAY.isoformat()})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="laporan-harian-2026-11-20.pdf"' in pdf.headers["content-disposition"]
    html = c.get("/reports/weekly.html", params={"date": DAY.isoformat()})
    assert "Lima isu teratas" in html.text and "Rekomendasi" in html.text
    assert c.get("/reports/daily.pdf", params={"date": "20/11"}).status_code == 422
    assert c.get("/reports/monthly.pdf").status_code == 404
    token = sample_env.csrf(c)
    resp = c.post(
        "/reports/subscriptions",
        data={"kind": "weekly", "format": "docx", "active": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    with sample_env.db.session() as s:
        sub = s.scalar(select(ReportSubscription))
        audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "report.subscribe"))
    assert (sub.kind, sub.format, sub.active) == ("weekly", "docx", True)
    assert audit is not None and audit.actor == "pimpinan"
    assert "Berhenti berlangganan" in c.get("/reports?saved=1").text
    forged = c.post("/reports/subscriptions", data={"kind": "daily", "csrf_token": "x"})
    assert forged.status_code == 403


def test_numbers_and_risk_reasons_follow_the_page_language(sample_env: AppEnv) -> None:
    from pantau.issues.risk import DEFAULT_WEIGHTS, risk_score
    from pantau.store import Issue

    banjir = sample_env.issue_ids["banjir"]  # type: ignore[attr-defined]
    facts = {"reach": 55996, "negative_share": 0.684, "size": 12, "recent": 7}
    _, reasons = risk_score({"reach": 0.4, "negativity": 0.7}, facts, DEFAULT_WEIGHTS)
    with sample_env.db.writer() as s:
        issue = s.get(Issue, banjir)
        issue.risk_components = {r["component"]: r for r in reasons}
        issue.lead_time_seconds = 6.94 * 3600
    c = _client(sample_env)
    page = c.get(f"/issues/{banjir}").text
    assert (
        "jangkauan sekitar 55.996 akun/tayangan" in page and "68% sebutan bernada negatif" in page
    )
    assert "6,9 jam" in page
    c.post("/lang", data={"lang": "en", "next": "/", "csrf_token": sample_env.csrf(c)})
    page = c.get(f"/issues/{banjir}").text
    assert "reach of about 55,996 accounts/views" in page and "68% of mentions are negative" in page
    assert "6.9 hours" in page and "akun" not in page


def test_attention_badge_nav_kpi_links_and_issue_sorting(sample_env: AppEnv) -> None:
    from pantau.store import Issue, User
    from pantau.store.workflow_models import Notification

    with sample_env.db.writer() as s:
        rina = s.scalar(select(User).where(User.username == "rina"))
        s.add_all([Notification(user_id=rina.id, title=f"Isu naik {n}") for n in range(3)])
        flood = s.scalar(select(Issue).where(Issue.label == "Banjir di Sempaja Samarinda"))
        flood.status = "selesai"  # the riskiest issue, closed
    c = _client(sample_env)
    page = c.get("/", params={"channel": "news"}).text
    assert re.search(r'id="unread-badge"[^>]*>3</span>', page)
    assert 'href="/workflow/bulk"' in page and 'href="/alerts/dead-letters"' not in page
    kpi = re.search(r'id="kpi-mentions" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert kpi.startswith("/search?channel=news&since=") and "until=" in kpi
    assert c.get(kpi).status_code == 200
    assert 'id="kpi-crises" href="/issues?stage=crisis"' in page
    assert "Terbaru masuk media arus utama" in page
    badge = c.get("/notifications/badge")
    assert badge.status_code == 200 and ">3</span>" in badge.text
    leader = _client(sample_env, "pimpinan").get("/").text
    assert 'href="/workflow/bulk"' not in leader and 'id="unread-badge"' in leader
    assert 'href="/alerts/dead-letters"' in _client(sample_env, "admin").get("/").text
    assert sample_env.client().get("/notifications/badge").status_code == 204  # logged out
    # open issues first in every order; the closed flood comes last even by risk
    labels = re.findall(r'<a href="/issues/\d+">([^<]+)</a>', c.get("/issues").text)
    assert labels[-1] == "Banjir di Sempaja Samarinda"
    by_size = c.get("/issues", params={"sort": "size"}).text
    assert 'aria-sort="descending"><a href="?sort=size" id="sort-size">' in by_size
    assert re.findall(r'<a href="/issues/\d+">([^<]+)</a>', by_size)[:2] == [
        "Jalan rusak di Balikpapan Utara",
        "Harga cabai naik di pasar Samarinda",
    ]


def test_overview_takes_the_search_filters_and_dates_and_keeps_them_in_its_links(
    sample_env: AppEnv,
) -> None:
    c = _client(sample_env)
    query = {"since": "2026-11-19", "until": "2026-11-20", "sentiment": "negative"}
    html = c.get("/", params={**query, "author": "warga1", "noise": "hide"}).text
    assert 'value="2026-11-19"' in html and 'value="warga1"' in html
    data = json.loads(re.search(r'id="overview-data">(.*?)</script>', html, re.S).group(1))
    assert sum(sum(v) for v in data["volume"]["lines"].values()) == 2  # warga1 (posts 1 and 5)
    # the mentions KPI opens the search with the same filters and days
    link = re.search(r'id="kpi-mentions" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "author=warga1" in link and "noise=hide" in link and "since=2026-11-19" in link
    found = c.get(link)
    assert re.search(r'id="result-count">2 ', found.text), found.text[:300]
    bad = c.get("/", params={"noise": "maybe", "since": "20-11"}).text
    assert "noise: &#39;maybe&#39; tidak dikenal" in bad and "since: tanggal" in bad


def test_api_hides_or_shows_only_noise(sample_env: AppEnv) -> None:
    with sample_env.db.writer() as s:
        for m in s.scalars(select(Mention).where(Mention.author == "warga9")):
            m.noise = "judi"
    c = _client(sample_env)
    counts = {
        v: c.get("/api/v1/mentions", params={"noise": v, "limit": 1}).json()["total"]
        for v in ("hide", "only")
    }
    every = c.get("/api/v1/mentions", params={"limit": 1}).json()["total"]
    assert counts["only"] == 5 and counts["hide"] == every - 5
    assert c.get("/api/v1/mentions", params={"noise": "x"}).status_code == 422


def test_analysis_page_map_shares_authors_and_a_link_that_keeps_the_view(
    sample_env: AppEnv,
) -> None:
    c = _client(sample_env)
    overview_page = c.get("/", params={"range": "30d", "channel": "news"}).text
    assert 'href="/analisis?range=30d&amp;channel=news"' in overview_page
    with sample_env.db.writer() as s:  # hostile text where names are shown
        s.add(
            Mention(
                source_id=1,
                external_id="x1",
                channel="news",
                text="banjir",
                author="<script>alert(1)</script>",
                outlet="<b>Media</b>",
                published_at=s.scalar(select(func.max(Mention.published_at))),
                regions=["64.72"],
            )
        )
    html = c.get("/analisis", params={"range": "30d"}).text
    assert "Analisis" in html and "Kota Samarinda" in html and "Kota Balikpapan" in html
    assert "<script>alert(1)</script>" not in html and "&lt;b&gt;Media&lt;/b&gt;" in html
    data = json.loads(re.search(r'id="analysis-data">(.*?)</script>', html, re.S).group(1))
    names = {p["name"]: p["value"][2] for p in data["map"]["points"]}
    assert names == {"Kota Samarinda": 27, "Kota Balikpapan": 8}
    assert {s["name"]: s["value"] for s in data["share"]} == {
        "social": 23,
        "news": 10,
        "complaint": 2,
    }
    assert 'id="top-authors"' in html and "warga" in html
    # a kab/kota opens its kecamatan, with the filters kept in the shareable link
    assert 'href="/analisis?range=30d&amp;region=64.72"' in html
    zoomed = c.get("/analisis", params={"range": "30d", "region": "64.72"}).text
    assert 'id="share-link" href="/analisis?range=30d&amp;region=64.72"' in zoomed
    assert "Sebutan dan isu per kecamatan" in zoomed
