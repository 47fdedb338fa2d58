"""Platform export parsers on fixture files shaped as the platforms document their APIs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pantau.ingest.mapping import MappingError
from pantau.ingest.registry import available, get_connector
from pantau.records import MentionIn, QuarantineItem

FIX = Path(__file__).resolve().parent / "fixtures"


def _run(fmt: str, name: str, **options: str) -> tuple[list[MentionIn], list[QuarantineItem]]:
    items = list(get_connector(fmt).parse(FIX / name, options))
    mentions = [i for i in items if isinstance(i, MentionIn)]
    quarantined = [i for i in items if isinstance(i, QuarantineItem)]
    return mentions, quarantined


def test_builtins_are_registered_as_entry_points():
    from pantau.ingest.registry import CONNECTORS

    points = CONNECTORS.entry_points()
    assert {"rss", "sitemap", "x-v2", "meta", "youtube", "tiktok", "lapor", "mapping"} <= set(
        points
    )
    assert all(ep.group == "pantau.connectors" for ep in points.values())
    assert set(available()) == set(points)


def test_x_v2_pages_with_author_expansions():
    mentions, bad = _run("x-v2", "x_v2_search.jsonl")
    assert [m.external_id for m in mentions] == [
        "1838512345678901234",
        "1838519876543210987",
        "1838600000000000001",
        "1838700000000000003",
    ]
    first = mentions[0]
    assert first.author == "@infosamarinda" and first.author_followers == 152_300
    assert (first.likes, first.shares, first.comments, first.views) == (230, 44, 12, 18_450)
    assert first.published_at == datetime(2024, 9, 24, 6, 12, 33, tzinfo=UTC)
    assert first.url == "https://x.com/infosamarinda/status/1838512345678901234"
    assert [(q.line, q.field) for q in bad] == [(2, "data[1].id"), (3, None)]
    assert "JSON rusak" in bad[1].reason and "terpotong" in bad[1].payload


@pytest.mark.slow
def test_meta_facebook_posts_with_comments_and_instagram_media():
    mentions, bad = _run("meta", "meta_page_posts.json")
    post, comment = mentions
    assert post.platform == "facebook" and post.likes == 412 and post.shares == 57
    assert post.comments == 2 and post.author == "Pemerintah Kota Bontang"
    assert comment.extra["parent_id"] == post.external_id and comment.likes == 33
    assert [(q.line, q.field) for q in bad] == [(1, "data[0].comments.data[1].message")]
    ig, ig_bad = _run("meta", "meta_instagram_media.jsonl")
    assert [m.platform for m in ig] == ["instagram", "instagram"]
    assert ig[0].likes == 1840 and ig[0].comments == 96 and ig[0].author == "diskominfobpn"
    assert [(q.line, q.field) for q in ig_bad] == [(3, "data[0].timestamp")]


def test_youtube_comment_threads_with_replies():
    mentions, bad = _run("youtube", "youtube_commentthreads.json")
    top, reply = mentions
    assert top.likes == 45 and top.comments == 1 and top.author == "@wargatenggarong"
    assert top.url == "https://www.youtube.com/watch?v=dQw4kaltim1&lc=UgzKq7wX3nNh0c0Ll2p4AaABAg"
    assert reply.extra["parent_id"] == top.external_id
    assert [(q.line, q.field) for q in bad] == [(1, "items[1].snippet.publishedAt")]


def test_tiktok_research_api_videos():
    mentions, bad = _run("tiktok", "tiktok_video_query.jsonl")
    (video,) = mentions
    assert video.external_id == "7419876543210987521" and video.views == 154_200
    assert video.published_at == datetime(2024, 9, 28, 6, 45, tzinfo=UTC)
    assert video.extra["hashtags"] == ["ikn", "ppu"]
    assert [(q.line, q.field) for q in bad] == [
        (1, "data.videos[1].create_time"),
        (2, "error.code"),
    ]


def test_lapor_complaints_without_reporter_identity():
    mentions, bad = _run("lapor", "lapor_export.csv")
    assert [m.external_id for m in mentions] == ["4801234", "4801240", "4801262"]
    first = mentions[0]
    assert first.channel == "complaint" and first.author is None
    assert first.extra["agency"] == "Pemerintah Kota Samarinda"
    assert first.extra["status"] == "Terdisposisi"
    assert first.published_at == datetime(2024, 9, 24, 2, 15, tzinfo=UTC)  # 09:15 WIB
    assert [(q.line, q.field) for q in bad] == [(4, "Tanggal Laporan")]


def test_mapping_csv_and_jsonl():
    mentions, bad = _run("mapping", "brand24_export.csv", mapping=str(FIX / "brand24_mapping.toml"))
    assert [m.external_id for m in mentions] == ["b24-1", "b24-2"]
    assert mentions[0].author_followers == 1200 and mentions[0].platform == "brand24"
    assert mentions[0].published_at == datetime(2024, 9, 24, 6, 30, tzinfo=UTC)  # WITA
    assert [(q.line, q.field) for q in bad] == [(4, "text"), (5, "likes")]
    news, bad2 = _run("mapping", "crawler_export.jsonl", mapping=str(FIX / "jsonl_mapping.toml"))
    (item,) = news
    assert item.external_id == "https://kaltim.antaranews.com/berita/1"
    assert item.outlet == "ANTARA Kaltim" and item.channel == "news"
    assert [(q.line, q.field) for q in bad2] == [(2, "url")]


def test_mapping_file_errors_are_actionable(tmp_path):
    bad = tmp_path / "m.toml"
    bad.write_text('[fields]\ntext = "a"\nlikez = "b"\n')
    with pytest.raises(MappingError, match="likez"):
        list(get_connector("mapping").parse(FIX / "brand24_export.csv", {"mapping": str(bad)}))


def test_quarantined_item_retries_after_fix():
    connector = get_connector("x-v2")
    _, bad = _run("x-v2", "x_v2_search.jsonl")
    fixed = bad[0].payload.replace('{"text"', '{"id":"1838600000000000009","text"')
    (again,) = connector.retry(fixed, {})
    assert isinstance(again, MentionIn) and again.external_id == "1838600000000000009"
