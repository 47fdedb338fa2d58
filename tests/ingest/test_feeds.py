"""RSS/Atom polling against a live local server serving Indonesian news feeds and pages."""

from __future__ import annotations

import gzip
from datetime import datetime

import pytest

from pantau.ingest.connector import PollContext, SourceSpec
from pantau.ingest.feeds import FeedConnector
from pantau.ingest.fetch import FetchError, SafeFetcher
from pantau.ingest.sitemaps import SitemapConnector
from pantau.settings import Settings
from tests.ingest.httpserver import NewsServer, Route
from tests.ingest.newsfixtures import STORIES, news_sitemap


def _poll(news: NewsServer, fetcher: SafeFetcher, settings: Settings, path: str, **kw):
    spec = SourceSpec(name=path, kind="rss", url=news.url(path), outlet_tier="local", **kw)
    return FeedConnector().poll(spec, PollContext(fetcher, settings))


def test_five_outlets_give_one_mention_each_with_text_and_utc_time(news, fetcher, settings):
    assert len(news.feeds) >= 5
    for outlet, path in news.feeds.items():
        result = _poll(news, fetcher, settings, path)
        assert result.error is None, (outlet, result.error)
        assert len(result.mentions) == 1, outlet
        m = result.mentions[0]
        story = STORIES[outlet][0]
        assert m.channel == "news" and m.outlet_tier == "local"
        assert m.published_at == datetime.fromisoformat(story.expected_utc), outlet
        assert m.published_at.utcoffset().total_seconds() == 0
        assert story.paragraphs[1][:60] in m.text, outlet
        assert "Berita terpopuler" not in m.text  # sidebar dropped
        assert "utm_source" not in m.external_id
        assert m.title == story.title


def test_indonesian_day_names_in_feed_dates_when_page_has_no_date(news, fetcher, settings):
    story = STORIES["tribun"][0]
    news.routes["/tribun/" + story.slug] = Route(b"<html><body><p>kosong</p></body></html>")
    result = _poll(news, fetcher, settings, news.feeds["tribun"])
    (m,) = result.mentions
    # "Kamis, 26 September 2024 10:15 WITA" from the feed, page had nothing
    assert m.published_at == datetime.fromisoformat("2024-09-26T02:15:00+00:00")
    assert "ekstraksi: summary" in m.notes  # page too thin: the feed summary was used
    assert m.text.startswith("Program makan bergizi gratis")


def test_second_poll_gets_304_and_fetches_nothing_again(news, fetcher, settings):
    path = news.feeds["kompas"]
    first = _poll(news, fetcher, settings, path)
    assert first.state["etag"]
    page = "/kompas/" + STORIES["kompas"][0].slug
    pages_before = sum(v for k, v in news.hits.items() if k.startswith(page))
    second = _poll(news, fetcher, settings, path, state=first.state)
    assert second.not_modified and second.mentions == [] and second.error is None
    assert news.served[path] == 1 and news.hits[path] == 2
    assert sum(v for k, v in news.hits.items() if k.startswith(page)) == pages_before


def test_redirect_to_private_address_is_refused_with_reason(news, fetcher, settings):
    news.routes["/pindah/feed"] = Route(
        status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    result = _poll(news, fetcher, settings, "/pindah/feed")
    assert result.error is not None and "link-local" in result.error
    news.routes["/intranet"] = Route(status=301, headers={"Location": "http://10.1.2.3/rahasia"})
    with pytest.raises(FetchError, match="privat"):
        fetcher.get(news.url("/intranet"))


def test_loopback_refused_by_default_and_allowed_by_setting(news):
    with SafeFetcher(Settings.from_env({})) as strict, pytest.raises(FetchError, match="loopback"):
        strict.get(news.url(news.feeds["kompas"]))
    relaxed = Settings.from_env({}, fetch_allow_private=True, fetch_host_interval=0.0)
    with SafeFetcher(relaxed) as f:
        assert f.get(news.url(news.feeds["kompas"])).status == 200


def _fifty_megabytes():
    chunk = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
    for _ in range(50):
        yield chunk


def test_fifty_megabyte_feed_is_cut_off_with_reason(news, fetcher, settings):
    news.routes["/besar/feed"] = Route(content_type="application/rss+xml", stream=_fifty_megabytes)
    result = _poll(news, fetcher, settings, "/besar/feed")
    assert result.error is not None and "dipotong pada 5242880 byte" in result.error
    assert result.quarantine and len(result.quarantine[0].payload) <= 20_000


def test_fifty_megabyte_article_is_cut_and_noted(news, fetcher, settings):
    story = STORIES["antara"][0]
    news.routes["/antara/" + story.slug] = Route(stream=_fifty_megabytes)
    (m,) = _poll(news, fetcher, settings, news.feeds["antara"]).mentions
    assert any("dipotong pada 5242880 byte" in n for n in m.notes)


@pytest.mark.slow
def test_decompression_bomb_is_refused(news, fetcher):
    news.routes["/bom"] = Route(body=b"\0" * (60 * 1024 * 1024), gzip=True, conditional=False)
    with pytest.raises(FetchError, match="bom dekompresi"):
        fetcher.get(news.url("/bom"))


def test_gzip_page_is_decoded_and_wrong_content_type_refused(news, fetcher):
    news.routes["/gz"] = Route(body=b"<p>Samarinda hari ini</p>", gzip=True)
    assert fetcher.get(news.url("/gz")).text() == "<p>Samarinda hari ini</p>"
    news.routes["/foto.png"] = Route(body=b"\x89PNG", content_type="image/png")
    with pytest.raises(FetchError, match="jenis konten"):
        fetcher.get(news.url("/foto.png"), accept=frozenset({"text/html"}))


def test_malformed_xml_is_quarantined_and_poll_fails(news, fetcher, settings):
    news.routes["/rusak/feed"] = Route(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Rusak</title>'
        b"<item><title>Tanpa penutup</item></channel>",
        "application/rss+xml",
    )
    result = _poll(news, fetcher, settings, "/rusak/feed")
    assert result.error is not None and "XML feed rusak" in result.error
    (q,) = result.quarantine
    assert "Tanpa penutup" in q.payload and q.reason == result.error
    assert "etag" not in result.state  # read again next time


def test_robots_txt_disallow_is_obeyed(news, fetcher, settings):
    story = STORIES["detik"][0]
    news.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /detik/kalimantan/\n", "text/plain"
    )
    (m,) = _poll(news, fetcher, settings, news.feeds["detik"]).mentions
    assert any("robots.txt" in n for n in m.notes)
    assert news.hits["/detik/" + story.slug] == 0


def test_one_article_in_two_feeds_is_fetched_and_returned_once(news, fetcher, settings):
    story = STORIES["kompas"][0]
    url = news.url("/kompas/" + story.slug) + "?page=all&utm_campaign=kaltim"
    from tests.ingest.newsfixtures import rss

    news.routes["/agregator/feed"] = Route(rss("Agregator", news.base, [(story, url)]).encode())
    known: set[str] = set()
    ctx = PollContext(fetcher, settings, seen=known.__contains__)
    total = []
    for path in (news.feeds["kompas"], "/agregator/feed"):
        spec = SourceSpec(name=path, kind="rss", url=news.url(path))
        result = FeedConnector().poll(spec, ctx)
        known.update(m.external_id for m in result.mentions)
        total += result.mentions
    assert len(total) == 1
    assert news.served["/kompas/" + story.slug] == 1


def test_news_sitemap_brings_articles(news, fetcher, settings):
    items = [(s[0], news.url(f"/{o}/{s[0].slug}")) for o, s in STORIES.items()]
    news.routes["/sitemap-news.xml"] = Route(news_sitemap(items, "Prokal").encode(), "text/xml")
    spec = SourceSpec(name="prokal", kind="sitemap", url=news.url("/sitemap-news.xml"))
    result = SitemapConnector().poll(spec, PollContext(fetcher, settings))
    assert result.error is None
    assert len(result.mentions) == len(STORIES)
    again = SitemapConnector().poll(
        SourceSpec(name="prokal", kind="sitemap", url=spec.url, state=result.state),
        PollContext(fetcher, settings),
    )
    assert again.not_modified and again.mentions == []


def test_gzip_helper_roundtrip():
    assert gzip.decompress(gzip.compress(b"a")) == b"a"


def test_page_charset_from_content_type_is_honoured(news, fetcher):
    news.routes["/latin"] = Route(
        "<p>Kecamatan Sangatta Utara – ½</p>".encode("cp1252"), "text/html; charset=windows-1252"
    )
    assert "– ½" in fetcher.get(news.url("/latin")).text()


def test_connections_are_pinned_to_a_checked_address(news):
    import httpcore

    from pantau.net import AddressPolicy
    from pantau.net.client import _PinnedBackend

    # what a DNS-rebinding answer would reach at connect time is checked again there
    strict = _PinnedBackend(AddressPolicy())
    with pytest.raises(httpcore.ConnectError, match="loopback"):
        strict.connect_tcp("127.0.0.1", news.port)
    allowed = _PinnedBackend(AddressPolicy(allow_networks=("127.0.0.0/8",)))
    allowed.connect_tcp("127.0.0.1", news.port).close()


def test_sitemap_index_is_followed_to_its_children(news, fetcher, settings):
    (story,) = STORIES["antara"]
    child = news_sitemap([(story, news.url("/antara/" + story.slug))], "ANTARA Kaltim")
    news.routes["/sitemap-berita-1.xml"] = Route(child.encode(), "application/xml")
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{news.url('/sitemap-berita-1.xml')}</loc></sitemap></sitemapindex>"
    )
    news.routes["/sitemap-index.xml"] = Route(index.encode(), "application/xml")
    spec = SourceSpec(name="antara", kind="sitemap", url=news.url("/sitemap-index.xml"))
    (m,) = SitemapConnector().poll(spec, PollContext(fetcher, settings)).mentions
    assert m.title == story.title and m.outlet == "ANTARA Kaltim"


def test_sitemap_with_entity_expansion_is_not_expanded(news, fetcher, settings):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://127.0.0.1/&b;</loc></url></urlset>"
    )
    news.routes["/jahat.xml"] = Route(bomb.encode(), "application/xml")
    spec = SourceSpec(name="jahat", kind="sitemap", url=news.url("/jahat.xml"))
    result = SitemapConnector().poll(spec, PollContext(fetcher, settings))
    assert all("aaaaaaaaaa" not in m.url for m in result.mentions)
