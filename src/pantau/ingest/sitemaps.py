"""News sitemaps (Google News ``news:`` extension) for sites without a feed.

A sitemap index is followed one level down (``sitemap_max_children`` children, newest first
as listed); each ``<url>`` gives the article's address and, when present, ``news:title``,
``news:publication_date`` and ``news:publication/news:name``. XML is parsed with entity
resolution and network access off, so a hostile sitemap cannot read files or expand entities.
"""

from __future__ import annotations

import logging
from typing import Any

from lxml import etree

from pantau.ingest.articles import Candidate, collect_articles, fetch_listing
from pantau.ingest.connector import ParsedItem, PollContext, PollResult, SourceSpec
from pantau.records import QuarantineItem

__all__ = ["SitemapConnector", "sitemap_entries"]

logger = logging.getLogger(__name__)

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
#: Child sitemaps read from an index per poll: news sitemaps hold the last 2 days, and sites
#: that split by day rarely list more than a few current children.
MAX_CHILDREN = 3


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def sitemap_entries(body: bytes) -> tuple[list[Candidate], list[str]]:
    """Article candidates and child sitemap URLs of one sitemap document.

    Raises ``etree.XMLSyntaxError`` when the document is not well-formed.
    """
    root = etree.fromstring(body, parser=_parser())
    children = [
        str(loc.text).strip() for loc in root.iter(f"{SM}loc") if root.tag.endswith("sitemapindex")
    ]
    items: list[Candidate] = []
    for url in root.iter(f"{SM}url"):
        loc = url.findtext(f"{SM}loc")
        if not loc:
            continue
        items.append(
            Candidate(
                url=loc.strip(),
                title=url.findtext(f"{NEWS}news/{NEWS}title"),
                published=url.findtext(f"{NEWS}news/{NEWS}publication_date")
                or url.findtext(f"{SM}lastmod"),
                outlet=url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name"),
                payload=loc.strip(),
            )
        )
    return items, children


class SitemapConnector:
    """``sitemap``: a (news) sitemap or sitemap index polled with conditional GET."""

    name = "sitemap"
    kind = "poll"

    def _read(
        self, url: str, ctx: PollContext, state: dict[str, Any], result: PollResult
    ) -> list[Candidate] | None:
        res = fetch_listing(ctx, url, state.get("validators", {}).get(url, {}), result)
        if res is None:
            return None
        if res.not_modified:
            return []
        try:
            items, children = sitemap_entries(res.body)
        except etree.XMLSyntaxError as exc:
            result.error = f"XML sitemap rusak: {exc}"
            result.quarantine.append(
                QuarantineItem(url, result.error, res.text()[:20_000], field="sitemap")
            )
            return None
        state.setdefault("validators", {})[url] = {
            "etag": res.etag,
            "last_modified": res.last_modified,
        }
        for child in children[:MAX_CHILDREN]:
            more = self._read(child, ctx, state, result)
            items.extend(more or [])
        return items

    def poll(self, source: SourceSpec, ctx: PollContext) -> PollResult:
        """New articles listed in ``source``'s sitemap since the last poll."""
        state = dict(source.state)
        result = PollResult(state=state)
        if not source.url:
            result.error = "sumber sitemap tanpa URL"
            return result
        items = self._read(source.url, ctx, state, result)
        if items is None:
            return result
        if not items and not result.error:
            result.not_modified = True
        collect_articles(items, source, ctx, result)
        return result

    def retry(self, payload: str, options: dict[str, Any]) -> list[ParsedItem]:
        """A quarantined sitemap cannot be re-read offline: the next poll fetches it again."""
        return []
