"""Pure parts: Indonesian dates, canonical URLs, throttling, robots rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pantau.ingest.dates import parse_date, parse_epoch
from pantau.ingest.politeness import HostThrottle, RobotsAnswer, RobotsRules
from pantau.ingest.urls import UrlError, canonical_url

NOW = datetime(2024, 9, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Senin, 24 September 2024 14:05 WITA", "2024-09-24T06:05:00+00:00"),
        ("Selasa, 24/09/2024 14.05 WIB", "2024-09-24T07:05:00+00:00"),
        ("Jum'at, 27 Sep 2024 | 08:00 WIT", "2024-09-26T23:00:00+00:00"),
        ("Minggu, 29 September 2024 pukul 08.00 WITA", "2024-09-29T00:00:00+00:00"),
        ("Kam, 26 Okt 2024 20:15:00 +0800", "2024-10-26T12:15:00+00:00"),
        ("Rab, 25 Agu 2024 10:00:00 GMT", "2024-08-25T10:00:00+00:00"),
        ("2024-09-24T14:05:00+08:00", "2024-09-24T06:05:00+00:00"),
        ("2024-09-24 14:05:00", "2024-09-24T07:05:00+00:00"),  # no zone: WIB
        ("2 jam yang lalu", "2024-09-24T10:00:00+00:00"),
        ("15 menit lalu", "2024-09-24T11:45:00+00:00"),
        ("sehari yang lalu", "2024-09-23T12:00:00+00:00"),
        ("kemarin", "2024-09-23T12:00:00+00:00"),
        ("baru saja", "2024-09-24T12:00:00+00:00"),
    ],
)
def test_indonesian_dates_to_utc(text, iso):
    parsed = parse_date(text, now=NOW)
    assert parsed is not None and parsed.isoformat() == iso


def test_unreadable_and_impossible_dates_are_none():
    assert parse_date("bukan tanggal sama sekali", now=NOW) is None
    assert parse_date("31 September 2024 10:00 WIB", now=NOW) is None
    assert parse_date("", now=NOW) is None
    with pytest.raises(ValueError):
        parse_epoch(10**12)  # milliseconds given as seconds


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://Regional.KOMPAS.com/read/1?page=all&utm_medium=x",
            "https://regional.kompas.com/read/1",
        ),
        (
            "https://news.detik.com/berita/d-1/a?single=1#komentar",
            "https://news.detik.com/berita/d-1/a",
        ),
        (
            "http://kaltim.tribunnews.com:80/2024/09/26/a/",
            "http://kaltim.tribunnews.com/2024/09/26/a",
        ),
        ("https://amp.kompas.com/read/1/amp", "https://kompas.com/read/1"),
        ("https://mobile.twitter.com/a/status/9?s=20&t=x", "https://x.com/a/status/9"),
        ("https://contoh.id/cari?q=banjir&b=2&a=1", "https://contoh.id/cari?a=1&b=2&q=banjir"),
    ],
)
def test_canonical_urls(url, canonical):
    assert canonical_url(url) == canonical


def test_non_web_urls_are_refused():
    for bad in ("ftp://a/b", "javascript:alert(1)", "mailto:humas@kaltimprov.go.id", "/relatif"):
        with pytest.raises(UrlError):
            canonical_url(bad)


@given(
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z]{1,8}\.(id|com|go\.id)", fullmatch=True),
    st.lists(st.from_regex(r"[a-zA-Z0-9_-]{1,8}", fullmatch=True), max_size=4),
    st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True), st.text(max_size=5), max_size=3),
)
def test_canonical_url_is_idempotent(scheme, host, parts, query):
    from urllib.parse import urlencode

    url = f"{scheme}://{host}/{'/'.join(parts)}?{urlencode(query)}"
    once = canonical_url(url)
    assert canonical_url(once) == once


def test_host_throttle_spaces_requests_per_host():
    clock = [100.0]
    throttle = HostThrottle(2.0, clock=lambda: clock[0])
    assert throttle.reserve("kompas.com") == 0
    assert throttle.reserve("kompas.com") == 2.0
    assert throttle.reserve("detik.com") == 0  # other hosts are not held up
    clock[0] += 10
    assert throttle.reserve("kompas.com") == 0


def test_robots_rules_follow_rfc9309_for_errors():
    answers = {
        "http://a/robots.txt": RobotsAnswer(200, "User-agent: *\nDisallow: /privat/\n"),
        "http://b/robots.txt": RobotsAnswer(404, ""),
        "http://c/robots.txt": RobotsAnswer(503, ""),
    }
    rules = RobotsRules(answers.__getitem__, "pantau/0.1")
    assert rules.allowed("http://a/berita/1") and not rules.allowed("http://a/privat/1")
    assert rules.allowed("http://b/apa-saja")
    assert not rules.allowed("http://c/berita/1")
