"""The public newsroom through an in-process client: no login, cacheable, escaped, parseable."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import feedparser
from sqlalchemy import select

from pantau.store import Agency
from pantau.store.types import utcnow
from tests.conftest import AppEnv
from tests.newsroom.fixtures import HEADLINE, published_release
from tests.writing_web.desk_fixtures import HOSTILE


def test_newsroom_list_release_page_and_print_view_need_no_login(app_env: AppEnv) -> None:
    release = published_release(app_env)
    client = app_env.client()
    listing = client.get("/rilis")
    assert listing.status_code == 200 and HEADLINE in listing.text
    assert "set-cookie" not in listing.headers  # a shared answer carries no visitor's cookie
    assert listing.headers["cache-control"].startswith("public, max-age=")
    page = client.get(f"/rilis/{release.slug}")
    assert page.status_code == 200
    assert '<meta property="og:title" content="Pemkot Samarinda' in page.text
    assert '<meta name="twitter:card" content="summary">' in page.text
    assert re.search(r'id="share-whatsapp" href="https://wa\.me/\?text=', page.text)
    assert 'id="share-telegram"' in page.text and 'id="copy-link"' in page.text
    assert "Diskominfo" in page.text and "SAMARINDA" in page.text  # letterhead, dateline
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.text, re.S)
    assert ld is not None and json.loads(ld.group(1))["@type"] == "NewsArticle"
    assert '<main id="main">' in page.text and "<nav aria-label=" in page.text
    printable = client.get(f"/rilis/{release.slug}/cetak")
    assert printable.status_code == 200 and HEADLINE in printable.text
    assert "share-whatsapp" not in printable.text
    assert client.get("/rilis/tidak-ada-1").status_code == 404


def test_etag_answers_304_and_search_filters(app_env: AppEnv) -> None:
    release = published_release(app_env)
    other = published_release(app_env, headline="Dinkes Kaltim Buka Layanan Vaksinasi Keliling")
    client = app_env.client()
    first = client.get(f"/rilis/{release.slug}")
    again = client.get(f"/rilis/{release.slug}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    found = client.get("/rilis", params={"q": "vaksinasi"})
    assert other.title in found.text and release.title not in found.text
    by_kind = client.get("/rilis", params={"kategori": "klarifikasi"})
    assert 'id="no-releases"' in by_kind.text


def test_hostile_headline_stays_text_in_page_json_ld_and_feed(app_env: AppEnv) -> None:
    release = published_release(app_env, headline=HOSTILE)
    client = app_env.client()
    page = client.get(f"/rilis/{release.slug}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert ld is not None and "</script>" not in ld.group(1)
    assert json.loads(ld.group(1))["headline"].startswith('<script>alert("x")</script>')
    feed = client.get("/rilis/feed.xml")
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo and parsed.entries[0].title == HOSTILE


def test_feeds_and_sitemaps_parse_and_hide_embargoed_releases(app_env: AppEnv) -> None:
    shown = published_release(app_env)
    published_release(app_env, headline="Rilis Berembargo Besok", at=utcnow() + timedelta(days=1))
    client = app_env.client()
    feed = client.get("/rilis/feed.xml")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo and [e.title for e in parsed.entries] == [shown.title]
    assert parsed.entries[0].link.endswith(f"/rilis/{shown.slug}")
    with app_env.db.session() as s:
        samarinda = s.scalar(select(Agency.id).where(Agency.short_name == "Diskominfo Samarinda"))
        province = s.scalar(select(Agency.id).where(Agency.level == "provinsi"))
    own = feedparser.parse(client.get("/rilis/feed.xml", params={"instansi": samarinda}).content)
    assert len(own.entries) == 1 and "Samarinda" in own.feed.title
    other = feedparser.parse(client.get("/rilis/feed.xml", params={"instansi": province}).content)
    assert other.entries == []
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.fromstring(client.get("/sitemap.xml").content).findall("s:url/s:loc", ns)
    assert [u.text for u in urls][1:] == [f"{app_env.settings.public_url}/rilis/{shown.slug}"]
    news = ET.fromstring(client.get("/sitemap-news.xml").content)
    titles = news.findall(".//{http://www.google.com/schemas/sitemap-news/0.9}title")
    assert [t.text for t in titles] == [shown.title]
    assert client.get(f"/rilis/{shown.slug}").status_code == 200
