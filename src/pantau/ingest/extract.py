"""Article extraction: the main text, title, time and canonical URL of a news page.

:func:`extract_article` runs a numbered fallback chain; each step is tried only when the one
before gave too little text. The publication time comes from the page's own metadata (the
``article:published_time`` family, Kompas' ``content_PublishedDate``, Detik's ``dtk:publishdate``,
``<time datetime>``) or, failing that, from a visible date line in Indonesian.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

import lxml.html
from lxml.etree import ParserError, XMLSyntaxError

from pantau.ingest.dates import parse_date

__all__ = ["MIN_ARTICLE_CHARS", "Article", "extract_article", "html_to_text"]

logger = logging.getLogger(__name__)

#: Below this many characters an extraction is treated as failed and the next step runs: the
#: shortest real news items on Kaltim sites (photo captions, "breaking" stubs) are ~250 chars.
MIN_ARTICLE_CHARS = 200
#: Paragraphs shorter than this are navigation, bylines or share buttons in the baseline.
MIN_PARAGRAPH_CHARS = 40

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "content_PublishedDate",
    "dtk:publishdate",
    "publish-date",
    "date",
    "DC.date.issued",
)
_NOISE = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe")
_DATE_CLASS = re.compile(r"date|time|tanggal|waktu", re.IGNORECASE)


@dataclass
class Article:
    """What extraction found; ``method`` names the chain step that produced ``text``."""

    text: str
    method: str
    title: str | None = None
    published_at: datetime | None = None
    canonical: str | None = None
    notes: list[str] = field(default_factory=list)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary), whitespace collapsed."""
    if "<" not in fragment:
        return " ".join(fragment.split())
    try:
        return " ".join(lxml.html.fromstring(f"<div>{fragment}</div>").text_content().split())
    except (ParserError, XMLSyntaxError):
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def _trafilatura(html: str, url: str) -> str:
    import trafilatura

    raw = trafilatura.extract(
        html, url=url, output_format="json", with_metadata=False, include_comments=False
    )
    if not raw:
        return ""
    return str(json.loads(raw).get("text") or "").strip()


def _baseline(tree: lxml.html.HtmlElement) -> str:
    """Readability-style: the block with the most long-paragraph text wins."""
    for bad in tree.xpath("|".join(f"//{tag}" for tag in _NOISE)):
        bad.drop_tree()
    best, best_len = None, 0
    for block in tree.xpath("//article|//div|//section|//main"):
        paras = [" ".join(p.text_content().split()) for p in block.xpath("./p|./div/p")]
        size = sum(len(p) for p in paras if len(p) >= MIN_PARAGRAPH_CHARS)
        if size > best_len:
            best, best_len = paras, size
    if best is None:
        return ""
    return "\n".join(p for p in best if len(p) >= MIN_PARAGRAPH_CHARS)


def _meta(tree: lxml.html.HtmlElement, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and str(found[0]).strip():
                return str(found[0]).strip()
    return None


def _page_date(tree: lxml.html.HtmlElement) -> datetime | None:
    raw = _meta(tree, _DATE_META)
    if raw and (parsed := parse_date(raw.replace("/", "-", 2) if raw[:4].isdigit() else raw)):
        return parsed
    for value in tree.xpath("//time/@datetime"):
        if parsed := parse_date(str(value)):
            return parsed
    for node in tree.xpath("//*[@class]"):
        if _DATE_CLASS.search(str(node.get("class"))):
            text = " ".join(node.text_content().split())
            if 8 <= len(text) <= 80 and (parsed := parse_date(text)):
                return parsed
    return None


def _title(tree: lxml.html.HtmlElement) -> str | None:
    og = _meta(tree, ("og:title",))
    if og:
        return og
    h1 = tree.xpath("//h1")
    if h1:
        return " ".join(h1[0].text_content().split()) or None
    title = tree.findtext(".//title")
    return title.strip() if title else None


def extract_article(html: str, url: str, summary: str = "") -> Article:
    """Extract a news page's main text, trying in order:

    1. trafilatura (precise on most Indonesian CMSs: Kompas, Detik, Tribun, local WordPress);
    2. a readability-style baseline: the block with the most long paragraphs;
    3. the feed's own summary (``summary``), so a mention is never lost for want of a page.
    Title, canonical URL and publication time come from the page whatever step wins.
    """
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, XMLSyntaxError, ValueError):
        tree = None
    title = canonical = None
    published = None
    if tree is not None:
        title = _title(tree)
        links = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath(
            '//meta[@property="og:url"]/@content'
        )
        canonical = str(links[0]).strip() if links else None
        published = _page_date(tree)
    # 1. trafilatura
    text = _trafilatura(html, url) if tree is not None else ""
    if len(text) >= MIN_ARTICLE_CHARS:
        return Article(text, "trafilatura", title, published, canonical)
    notes = [f"trafilatura: {len(text)} karakter, di bawah {MIN_ARTICLE_CHARS}"]
    # 2. baseline
    base = _baseline(tree) if tree is not None else ""
    if len(base) >= MIN_ARTICLE_CHARS:
        return Article(base, "baseline", title, published, canonical, notes)
    notes.append(f"baseline: {len(base)} karakter")
    # 3. feed summary (or the longest thing we have)
    fallback = max((html_to_text(summary), text, base), key=len)
    return Article(fallback, "summary", title, published, canonical, notes)
