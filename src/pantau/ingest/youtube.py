"""YouTube Data API v3 exports: ``commentThreads.list`` responses, replies included.

Each line (or the file) is a ``youtube#commentThreadListResponse`` with ``items`` of kind
``youtube#commentThread``; the top-level comment is ``snippet.topLevelComment`` and, when the
request asked for ``part=replies``, answers are in ``replies.comments``. Each comment becomes a
mention (``likeCount`` -> likes, ``totalReplyCount`` -> comments).
"""

from __future__ import annotations

import logging
from typing import Any

from pantau.ingest.connector import RecordError
from pantau.ingest.exports import Converted, ExportConnector, get_count, get_date, get_str
from pantau.records import MentionIn

__all__ = ["YouTubeConnector", "comment_to_mention"]

logger = logging.getLogger(__name__)


def comment_to_mention(comment: Any, replies: int = 0) -> MentionIn:
    """One ``youtube#comment`` resource as a mention."""
    if not isinstance(comment, dict):
        raise RecordError("komentar harus objek JSON")
    comment_id = get_str(comment, "id")
    snip = comment.get("snippet")
    if not isinstance(snip, dict):
        raise RecordError("tidak ada", "snippet")
    text = get_str(snip, "textOriginal", required=False, where="snippet.") or get_str(
        snip, "textDisplay", where="snippet."
    )
    video = get_str(snip, "videoId", required=False, where="snippet.")
    return MentionIn(
        external_id=str(comment_id),
        text=str(text),
        channel="social",
        platform="youtube",
        url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
        author=get_str(snip, "authorDisplayName", required=False, where="snippet."),
        published_at=get_date(snip, "publishedAt", required=True, where="snippet."),
        likes=get_count(snip, "likeCount", where="snippet."),
        comments=replies,
        extra={"video_id": video, "parent_id": snip.get("parentId")},
    )


class YouTubeConnector(ExportConnector):
    """``--format youtube``: commentThreads responses."""

    name = "youtube"
    channel = "social"

    def _thread(self, thread: Any) -> Converted:
        if not isinstance(thread, dict) or not isinstance(thread.get("snippet"), dict):
            raise RecordError("commentThread tanpa snippet", "snippet")
        snip = thread["snippet"]
        top = snip.get("topLevelComment")
        yield comment_to_mention(top, get_count(snip, "totalReplyCount", where="snippet."))
        replies_part = thread.get("replies")
        replies = (replies_part.get("comments") if isinstance(replies_part, dict) else None) or []
        yield from self.each(replies, comment_to_mention, "replies.comments")

    def convert(self, record: Any) -> Converted:
        """Comments of one response page (or one thread)."""
        if not isinstance(record, dict):
            raise RecordError("baris harus objek JSON respons YouTube")
        if "error" in record:
            raise RecordError(f"respons galat dari API: {record['error']!r}"[:300], "error")
        threads = record.get("items", [record]) if "items" in record else [record]
        if not isinstance(threads, list):
            raise RecordError("harus daftar (list)", "items")
        for index, thread in enumerate(threads):
            try:
                yield from self._thread(thread)
            except RecordError as exc:
                yield (
                    RecordError(exc.reason, f"items[{index}].{exc.field or ''}".rstrip(".")),
                    thread,
                )
