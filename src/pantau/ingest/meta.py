"""Meta Graph API exports: Facebook Page posts and comments, Instagram media and comments.

Each line (or the file) is a Graph API response: ``{"data": [...], "paging": {...}}`` or one
object. Facebook posts carry ``message``, ``created_time``, ``permalink_url``, ``from``,
``shares.count``, ``reactions.summary.total_count`` and ``comments.summary.total_count`` (with
``comments.data`` when comments were requested as a field expansion, imported as mentions too);
Instagram media carry ``caption``, ``timestamp``, ``permalink``, ``username``, ``like_count`` and
``comments_count``; comments carry ``message`` (Facebook) or ``text`` (Instagram).
"""

from __future__ import annotations

import logging
from typing import Any

from pantau.ingest.connector import RecordError
from pantau.ingest.exports import Converted, ExportConnector, get_count, get_date, get_str
from pantau.records import MentionIn

__all__ = ["MetaConnector", "graph_object_to_mention"]

logger = logging.getLogger(__name__)


def _summary_count(obj: Any, key: str) -> int:
    part = obj.get(key)
    if not isinstance(part, dict):
        return get_count(obj, key) if isinstance(part, int | str) else 0
    if "summary" in part:
        return get_count(part["summary"], "total_count", where=f"{key}.summary.")
    return get_count(part, "count", where=f"{key}.")


def graph_object_to_mention(obj: Any, parent: str | None = None) -> MentionIn:
    """One Graph API post, media or comment as a mention."""
    if not isinstance(obj, dict):
        raise RecordError("objek Graph API harus objek JSON")
    object_id = get_str(obj, "id")
    instagram = "timestamp" in obj or "caption" in obj or "username" in obj
    text = (
        get_str(obj, "message", required=False)
        or get_str(obj, "caption", required=False)
        or get_str(obj, "text", required=False)
    )
    if text is None:
        raise RecordError("tidak ada teks (message/caption/text)", "message")
    published = get_date(obj, "timestamp" if instagram else "created_time", required=True)
    sender = obj.get("from") if isinstance(obj.get("from"), dict) else {}
    author = get_str(obj, "username", required=False) or get_str(sender, "name", required=False)
    return MentionIn(
        external_id=str(object_id),
        text=text,
        channel="social",
        platform="instagram" if instagram else "facebook",
        url=get_str(obj, "permalink_url", required=False)
        or get_str(obj, "permalink", required=False),
        author=author,
        published_at=published,
        likes=get_count(obj, "like_count") + _summary_count(obj, "reactions"),
        shares=_summary_count(obj, "shares"),
        comments=get_count(obj, "comments_count")
        + get_count(obj, "comment_count")
        + _summary_count(obj, "comments"),
        extra={"parent_id": parent, "media_type": obj.get("media_type")},
    )


class MetaConnector(ExportConnector):
    """``--format meta``: Graph API responses for Facebook and Instagram."""

    name = "meta"
    channel = "social"

    def _with_comments(self, obj: Any) -> Converted:
        yield graph_object_to_mention(obj)
        comments = obj.get("comments") if isinstance(obj, dict) else None
        if isinstance(comments, dict) and isinstance(comments.get("data"), list):
            parent = str(obj.get("id"))
            yield from self.each(
                comments["data"], lambda c: graph_object_to_mention(c, parent), "comments.data"
            )

    def convert(self, record: Any) -> Converted:
        """Objects of one response (posts with their embedded comments)."""
        if not isinstance(record, dict):
            raise RecordError("baris harus objek JSON respons Graph API")
        if "error" in record:
            raise RecordError(f"respons galat dari Graph API: {record['error']!r}"[:300], "error")
        items = record.get("data", [record])
        if not isinstance(items, list):
            raise RecordError("harus daftar (list)", "data")
        yield from self.each_many(items, self._with_comments, "data")
