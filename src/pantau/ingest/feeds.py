"""RSS and Atom feeds: conditional polling, strict XML checking, one mention per article.

Indonesian CMSs write ``pubDate`` with Indonesian day and month names, which feedparser leaves
unparsed; the raw string goes through :func:`pantau.ingest.dates.parse_date` instead. A feed that
is not well-formed XML is quarantined whole (its text kept for inspection) and the poll fails,
so the source shows as unhealthy; its ETag is not kept, so the next poll reads it again.
"""

from __future__ import annotations

import logging
from typing import Any

import feedparser

from pantau.ingest.articles import Candidate, collect_articles, fetch_listing
from pantau.ingest.connector import ParsedItem, PollContext, PollResult, SourceSpec
from pantau.records import QuarantineItem

__all__ = ["FeedConnector", "feed_candidates"]

logger = logging.getLogger(__name__)

#: Characters of a broken feed kept in quarantine (enough to find the fault, not a whole dump).
QUARANTINE_FEED_CHARS = 20_000


def feed_candidates(body: bytes) -> tuple[list[Candidate], str | None, str | None]:
    """Items of a feed document, its title, and an error when it is not well-formed XML."""
    parsed: Any = feedparser.parse(body)
    if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
        return [], None, f"XML feed rusak: {parsed.bozo_exception}"
    if not parsed.get("version") and not parsed.entries:
        return [], None, "bukan feed RSS/Atom"
    title = parsed.feed.get("title")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id") or ""
        items.append(
            Candidate(
                url=link,
                title=entry.get("title"),
                summary=entry.get("summary", ""),
                published=entry.get("published") or entry.get("updated"),
                outlet=title,
                payload=f"{entry.get('title', '')} {link}".strip(),
            )
        )
    return items, title, None


class FeedConnector:
    """``rss``: an RSS 2.0, RSS 1.0 or Atom feed polled with conditional GET."""

    name = "rss"
    kind = "poll"

    def poll(self, source: SourceSpec, ctx: PollContext) -> PollResult:
        """New articles of ``source``'s feed since the last poll."""
        state = dict(source.state)
        result = PollResult(state=state)
        if not source.url:
            result.error = "sumber feed tanpa URL"
            return result
        res = fetch_listing(ctx, source.url, state, result)
        if res is None:
            return result
        if res.not_modified:
            result.not_modified = True
            return result
        candidates, _title, error = feed_candidates(res.body)
        if res.cut_reason:
            error = f"{res.cut_reason}; {error}" if error else res.cut_reason
        if error:
            result.error = error
            payload = res.text()[:QUARANTINE_FEED_CHARS]
            result.quarantine.append(QuarantineItem(source.name, error, payload, field="feed"))
            return result
        state["etag"], state["last_modified"] = res.etag, res.last_modified
        collect_articles(candidates, source, ctx, result)
        return result

    def retry(self, payload: str, options: dict[str, Any]) -> list[ParsedItem]:
        """A quarantined feed cannot be re-read offline: the next poll fetches it again."""
        return []
