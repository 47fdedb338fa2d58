"""What the newsroom hands to other machines: Atom feeds, sitemaps, JSON-LD and share links.

Built with :mod:`xml.etree.ElementTree` and :func:`json.dumps`, never by pasting strings, so a
headline full of markup stays text in every reader. Links are absolute, from the ``base_url``
setting: feeds and sitemaps are read far from the page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

from pantau.newsroom.releases import ReleaseView

__all__ = [
    "NEWS_SITEMAP_DAYS",
    "atom_feed",
    "json_ld",
    "news_sitemap",
    "release_url",
    "share_links",
    "sitemap",
]

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
#: Google News reads only articles of the last two days from a news sitemap.
NEWS_SITEMAP_DAYS = 2

ET.register_namespace("", ATOM)
ET.register_namespace("news", NEWS)


def release_url(base_url: str, release: ReleaseView) -> str:
    """The absolute address of a release page."""
    return f"{base_url.rstrip('/')}/rilis/{quote(release.slug)}"


def _iso(at: datetime) -> str:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom_feed(
    releases: Sequence[ReleaseView], base_url: str, *, title: str, self_url: str
) -> bytes:
    """An Atom 1.0 feed of ``releases`` (newest first), with summaries and full texts."""
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "id"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{base_url}/rilis"})
    newest = max((r.updated_at for r in releases), default=datetime(2000, 1, 1, tzinfo=UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _iso(newest)
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "pantau"
    for r in releases:
        url = release_url(base_url, r)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = r.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _iso(r.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _iso(r.updated_at)
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = r.agency or "pantau"
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": r.category})
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = r.summary
        content = "\n\n".join(r.body)
        if r.correction:
            content = f"Koreksi: {r.correction}\n\n{content}"
        ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"}).text = content
    return _xml(feed)


def sitemap(releases: Sequence[ReleaseView], base_url: str) -> bytes:
    """A sitemap of the newsroom's front page and every visible release."""
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    front = ET.SubElement(root, "url")
    ET.SubElement(front, "loc").text = f"{base_url.rstrip('/')}/rilis"
    for r in releases:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = release_url(base_url, r)
        ET.SubElement(url, "lastmod").text = _iso(r.updated_at)
    return _xml(root)


def news_sitemap(
    releases: Sequence[ReleaseView], base_url: str, *, site_name: str, now: datetime
) -> bytes:
    """A Google News sitemap: the releases of the last :data:`NEWS_SITEMAP_DAYS` days."""
    root = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:news": NEWS})
    since = now - timedelta(days=NEWS_SITEMAP_DAYS)
    for r in releases:
        if r.published_at < since:
            continue
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = release_url(base_url, r)
        news = ET.SubElement(url, "news:news")
        publication = ET.SubElement(news, "news:publication")
        ET.SubElement(publication, "news:name").text = r.agency or site_name
        ET.SubElement(publication, "news:language").text = "id"
        ET.SubElement(news, "news:publication_date").text = _iso(r.published_at)
        ET.SubElement(news, "news:title").text = r.title
    return _xml(root)


def json_ld(release: ReleaseView, base_url: str) -> str:
    """schema.org ``NewsArticle`` as JSON safe inside ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so no text can close the element.
    """
    organization = {"@type": "GovernmentOrganization", "name": release.agency or "pantau"}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title[:110],
        "description": release.summary,
        "datePublished": _iso(release.published_at),
        "dateModified": _iso(release.updated_at),
        "inLanguage": "id",
        "articleSection": release.category,
        "mainEntityOfPage": release_url(base_url, release),
        "author": organization,
        "publisher": organization,
    }
    if release.city:
        data["contentLocation"] = {"@type": "Place", "name": release.city}
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def share_links(release: ReleaseView, base_url: str) -> dict[str, str]:
    """Share addresses for WhatsApp, Facebook, X and Telegram (the page adds copy-link)."""
    url = release_url(base_url, release)
    text = release.title
    return {
        "whatsapp": "https://wa.me/?" + urlencode({"text": f"{text} {url}"}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "x": "https://x.com/intent/post?" + urlencode({"text": text, "url": url}),
        "telegram": "https://t.me/share/url?" + urlencode({"url": url, "text": text}),
    }
