"""X (Twitter) API v2 exports: search/timeline responses with ``author_id`` expansions.

Each line (or the whole file) is one response as the API documents it: ``data`` (tweets with
``public_metrics``), ``includes.users`` (authors with their ``public_metrics``) and ``meta``.
Flattened tweets, as collectors such as twarc2 write them (an ``author`` object inside each
tweet), read too. Engagement: likes = ``like_count``, shares = retweets + quotes, comments =
replies, views = ``impression_count``; reach = the author's ``followers_count``.
"""

from __future__ import annotations

import logging
from typing import Any

from pantau.ingest.connector import RecordError
from pantau.ingest.exports import Converted, ExportConnector, get_count, get_date, get_str
from pantau.records import MentionIn

__all__ = ["XV2Connector", "tweet_to_mention"]

logger = logging.getLogger(__name__)


def _object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object; else empty (an expansion that is not one adds nothing)."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def tweet_to_mention(tweet: Any, users: dict[str, Any]) -> MentionIn:
    """One API v2 tweet object as a mention; ``users`` maps author ids to user objects."""
    if not isinstance(tweet, dict):
        raise RecordError("tweet harus objek JSON")
    tweet_id = get_str(tweet, "id")
    text = get_str(tweet.get("note_tweet") or {}, "text", required=False) or get_str(tweet, "text")
    published = get_date(tweet, "created_at", required=True)
    author = _object(tweet.get("author")) or _object(users.get(str(tweet.get("author_id"))))
    username = get_str(author, "username", required=False)
    metrics = _object(tweet.get("public_metrics"))
    user_metrics = _object(author.get("public_metrics"))
    url = f"https://x.com/{username or 'i/web'}/status/{tweet_id}"
    refs = [r.get("type") for r in _list(tweet.get("referenced_tweets")) if isinstance(r, dict)]
    return MentionIn(
        external_id=str(tweet_id),
        text=str(text),
        channel="social",
        platform="x",
        url=url,
        author=f"@{username}" if username else get_str(tweet, "author_id", required=False),
        author_followers=get_count(user_metrics, "followers_count", where="author.")
        if user_metrics
        else None,
        published_at=published,
        likes=get_count(metrics, "like_count", where="public_metrics."),
        shares=get_count(metrics, "retweet_count", where="public_metrics.")
        + get_count(metrics, "quote_count", where="public_metrics."),
        comments=get_count(metrics, "reply_count", where="public_metrics."),
        views=get_count(metrics, "impression_count", where="public_metrics."),
        lang=tweet.get("lang") if isinstance(tweet.get("lang"), str) else None,
        extra={
            "conversation_id": tweet.get("conversation_id"),
            "author_id": tweet.get("author_id"),
            "referenced": refs,
        },
    )


class XV2Connector(ExportConnector):
    """``--format x-v2``: X API v2 responses (one per line, or one file)."""

    name = "x-v2"
    channel = "social"

    def convert(self, record: Any) -> Converted:
        """Tweets of one response page (or one flattened tweet)."""
        if not isinstance(record, dict):
            raise RecordError("baris harus objek JSON respons API v2")
        if "data" not in record:
            if "errors" in record:
                raise RecordError(f"respons galat dari API: {record['errors']!r}"[:300], "errors")
            yield tweet_to_mention(record, {})
            return
        # the author expansion only adds names and reach: when it is malformed, tweets still count
        users_raw = _list(_object(record.get("includes")).get("users"))
        users = {str(u.get("id")): u for u in users_raw if isinstance(u, dict)}
        data = record["data"]
        tweets = data if isinstance(data, list) else [data]
        yield from self.each(tweets, lambda t: tweet_to_mention(t, users), "data")
