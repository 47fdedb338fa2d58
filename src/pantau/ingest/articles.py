"""From a list of article links (a feed's items, a sitemap's URLs) to news mentions.

Shared by the RSS/Atom and sitemap connectors: skip what the store already holds (by canonical
URL, before fetching anything), fetch each new page through the safe fetcher, extract it, and
build a ``news`` mention whose identity is the page's canonical URL.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from pantau.ingest.connector import PollContext, PollResult, SourceSpec
from pantau.ingest.dates import parse_date
from pantau.ingest.extract import extract_article, html_to_text
from pantau.ingest.fetch import FEED_TYPES, HTML_TYPES, FetchError, FetchResult
from pantau.ingest.urls import UrlError, canonical_url
from pantau.records import MentionIn, QuarantineItem

#: Longest external id the store holds (``mentions.external_id`` is VARCHAR(255)).
MAX_EXTERNAL_ID = 255

__all__ = ["Candidate", "collect_articles", "cut_text", "fetch_listing"]

logger = logging.getLogger(__name__)


@dataclass
class Candidate:
    """One article link with what the feed or sitemap said about it."""

    url: str
    title: str | None = None
    summary: str = ""
    published: str | None = None
    outlet: str | None = None
    payload: str = ""


def _digest(url: str) -> str:
    """A fixed-length id for a URL too long for the id column (the URL itself stays in ``url``)."""
    return "sha256:" + hashlib.sha256(url.encode("utf-8")).hexdigest()


def cut_text(text: str, limit: int, notes: list[str]) -> str:
    """``text`` cut at ``limit`` characters, recording the cut in ``notes``."""
    if len(text) <= limit:
        return text
    notes.append(f"teks dipotong pada {limit} karakter (asli {len(text)})")
    return text[:limit]


def fetch_listing(
    ctx: PollContext, url: str, validators: dict[str, Any], result: PollResult
) -> FetchResult | None:
    """Fetch a feed or sitemap conditionally; on failure set ``result.error`` and return None.

    A 304 comes back as a result whose ``not_modified`` is true.
    """
    try:
        res = ctx.fetcher.get(
            url,
            accept=FEED_TYPES,
            etag=validators.get("etag"),
            last_modified=validators.get("last_modified"),
        )
    except FetchError as exc:
        result.error = exc.reason
        return None
    if res.status >= 400:
        result.error = f"HTTP {res.status} pada {url}"
        return None
    return res


def _mention(cand: Candidate, source: SourceSpec, ctx: PollContext, seen: set[str]) -> Any:
    try:
        key = canonical_url(cand.url)
    except UrlError as exc:
        return QuarantineItem(source.name, str(exc), cand.payload or cand.url, field="link")
    if key in seen or ctx.seen(key):
        return None
    seen.add(key)
    notes: list[str] = []
    html, final_url = "", cand.url
    try:
        page = ctx.fetcher.get(cand.url, accept=HTML_TYPES)
        if page.status >= 400:
            notes.append(f"halaman artikel HTTP {page.status}")
        else:
            html, final_url = page.text(), page.url
        if page.cut_reason:
            notes.append(page.cut_reason)
    except FetchError as exc:
        notes.append(f"halaman artikel tidak diambil: {exc.reason}")
    article = extract_article(html, final_url, cand.summary) if html else None
    text = article.text if article else html_to_text(cand.summary)
    if article and article.canonical:
        try:
            page_key = canonical_url(article.canonical)
        except UrlError:
            page_key = key
        if page_key != key and (page_key in seen or ctx.seen(page_key)):
            return None
        seen.add(page_key)
        key = page_key
    title = cand.title or (article.title if article else None)
    if not text and not title:
        reason = "artikel tanpa teks maupun judul"
        return QuarantineItem(source.name, reason, cand.payload or cand.url, field="text")
    published = (article.published_at if article else None) or parse_date(
        cand.published, now=ctx.now
    )
    if article:
        notes.extend(article.notes)
        notes.append(f"ekstraksi: {article.method}")
    return MentionIn(
        external_id=key if len(key) <= MAX_EXTERNAL_ID else _digest(key),
        text=cut_text(text or str(title), ctx.settings.max_text_chars, notes),
        channel=source.channel or "news",
        url=key,
        title=title,
        outlet=source.outlet or cand.outlet,
        outlet_tier=source.outlet_tier,
        published_at=published,
        fetched_at=ctx.now,
        platform="web",
        notes=notes,
    )


def collect_articles(
    candidates: list[Candidate], source: SourceSpec, ctx: PollContext, result: PollResult
) -> None:
    """Turn new candidates into mentions (or quarantine items) appended to ``result``."""
    seen: set[str] = set()
    emit = ctx.emit or result.mentions.append
    for cand in candidates[: ctx.settings.feed_max_items]:
        item = _mention(cand, source, ctx, seen)
        if isinstance(item, MentionIn):
            emit(item)
        elif isinstance(item, QuarantineItem):
            result.quarantine.append(item)
    skipped = len(candidates) - ctx.settings.feed_max_items
    if skipped > 0:
        result.notes.append(f"{skipped} butir menunggu poll berikutnya (batas feed_max_items)")
