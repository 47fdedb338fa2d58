"""TikTok Research API exports: ``/v2/research/video/query/`` and video comment responses.

Each line (or the file) is a response ``{"data": {"videos": [...], "cursor", "has_more",
"search_id"}, "error": {"code": "ok", ...}}``; comment queries put ``comments`` where videos
would be. Videos: ``id``, ``video_description``, ``create_time`` (Unix seconds), ``username``,
``like_count``, ``share_count``, ``comment_count``, ``view_count``, ``region_code``,
``hashtag_names``; comments: ``id``, ``text``, ``video_id``, ``like_count``, ``reply_count``.
"""

from __future__ import annotations

import logging
from typing import Any

from pantau.ingest.connector import RecordError
from pantau.ingest.dates import parse_epoch
from pantau.ingest.exports import Converted, ExportConnector, get_count, get_str
from pantau.records import MentionIn

__all__ = ["TikTokConnector", "tiktok_item_to_mention"]

logger = logging.getLogger(__name__)


def tiktok_item_to_mention(item: Any) -> MentionIn:
    """One Research API video or comment as a mention."""
    if not isinstance(item, dict):
        raise RecordError("video/komentar harus objek JSON")
    item_id = get_str(item, "id")
    is_comment = "video_id" in item
    text = get_str(item, "text" if is_comment else "video_description")
    raw_time = item.get("create_time")
    if raw_time is None:
        raise RecordError("wajib diisi, tetapi kosong atau tidak ada", "create_time")
    try:
        published = parse_epoch(raw_time)
    except (TypeError, ValueError) as exc:
        raise RecordError(f"waktu Unix tidak sah: {exc}", "create_time") from None
    username = get_str(item, "username", required=False)
    if is_comment:
        url = f"https://www.tiktok.com/video/{item['video_id']}"
    else:
        url = f"https://www.tiktok.com/@{username or '_'}/video/{item_id}"
    return MentionIn(
        external_id=str(item_id),
        text=str(text),
        channel="social",
        platform="tiktok",
        url=url,
        author=f"@{username}" if username else None,
        published_at=published,
        likes=get_count(item, "like_count"),
        shares=get_count(item, "share_count"),
        comments=get_count(item, "comment_count") + get_count(item, "reply_count"),
        views=get_count(item, "view_count"),
        extra={
            "region_code": item.get("region_code"),
            "hashtags": item.get("hashtag_names") or [],
            "video_id": item.get("video_id"),
        },
    )


class TikTokConnector(ExportConnector):
    """``--format tiktok``: Research API video (or comment) query responses."""

    name = "tiktok"
    channel = "social"

    def convert(self, record: Any) -> Converted:
        """Videos or comments of one response page (or one item)."""
        if not isinstance(record, dict):
            raise RecordError("baris harus objek JSON respons Research API")
        error = record.get("error")
        if isinstance(error, dict) and error.get("code") not in (None, "ok"):
            raise RecordError(f"respons galat dari API: {error.get('message')!r}", "error.code")
        data = record.get("data")
        if not isinstance(data, dict):
            yield tiktok_item_to_mention(record)
            return
        key = "comments" if "comments" in data else "videos"
        yield from self.each(data.get(key), tiktok_item_to_mention, f"data.{key}")
