"""The public newsroom (no login): /rilis, each release, its printable view, feeds and sitemaps.

Every answer here is the same for every visitor (no session, no CSRF token, the installation's
language), so it goes through :class:`pantau.web.public_cache.PublicCache`: rendered once per
``newsroom_cache_seconds``, sent with an ETag and ``Cache-Control: public``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from pantau.i18n import format_dt, translations
from pantau.newsroom import ReleaseNotFound, find_release, public_releases, related_releases
from pantau.newsroom.comments import CommentError, RateLimited, address_key, shown_comments, submit
from pantau.newsroom.photos import photo_bytes, photo_ids
from pantau.newsroom.syndication import (
    atom_feed,
    json_ld,
    news_sitemap,
    release_url,
    share_links,
    sitemap,
)
from pantau.store.models import Agency
from pantau.store.newsroom_models import Release
from pantau.store.types import utcnow
from pantau.web.public_cache import public_cache
from pantau.web.rendering import templates
from pantau.web.security import PUBLIC_FORMS
from pantau.web.writing_forms import KIND_LABELS

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PUBLIC_FORMS.append(re.compile(r"/rilis/[^/]+/komentar"))

#: Releases on one page of the newsroom and in a feed.
PAGE_SIZE = 20
#: A sitemap lists at most this many releases (the protocol allows 50,000 per file).
SITEMAP_LIMIT = 10_000
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"


def _base_url(request: Request) -> str:
    return str(request.app.state.settings.public_url)


def render_public(request: Request, name: str, context: dict[str, Any]) -> bytes:
    """Render a public template in the installation's language, with nothing per visitor."""
    settings = request.app.state.settings
    lang = settings.locale
    trans = translations(lang)

    def dt(value: datetime, weekday: bool = True) -> str:
        return format_dt(value, settings.timezone, lang, weekday=weekday)

    ctx: dict[str, Any] = {
        "_": trans.gettext,
        "lang": lang,
        "dt": dt,
        "site": settings.newsroom_name,
        "base_url": _base_url(request),
        "kinds": KIND_LABELS,
        "path": request.url.path,
    }
    ctx.update(context)
    return templates().get_template(name).render(ctx).encode("utf-8")


def _agencies(request: Request) -> list[tuple[int, str]]:
    """Agencies that have published, for the filter (visible or not: names are public)."""
    with request.app.state.db.session() as s:
        ids = select(Release.agency_id).where(Release.agency_id.is_not(None)).distinct()
        rows = s.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids)))
        return sorted(((i, n) for i, n in rows), key=lambda row: row[1])


@router.get("/rilis")
def newsroom(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    instansi: int | None = None,
    kategori: Annotated[str, Query(max_length=30)] = "",
    halaman: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    """Published releases, newest first; per agency, per category, with search."""

    def render() -> tuple[bytes, str]:
        with request.app.state.db.session() as s:
            releases = public_releases(
                s,
                agency_id=instansi,
                category=kategori or None,
                q=q,
                limit=PAGE_SIZE + 1,
                offset=(halaman - 1) * PAGE_SIZE,
            )
        context = {
            "releases": releases[:PAGE_SIZE],
            "more": len(releases) > PAGE_SIZE,
            "page": halaman,
            "q": q,
            "agency_id": instansi,
            "category": kategori,
            "agencies": _agencies(request),
        }
        return render_public(request, "newsroom/list.html", context), HTML

    return public_cache(request).answer(request, render)


@router.get("/rilis/feed.xml")
def feed(request: Request, instansi: int | None = None) -> Response:
    """The Atom feed of the newest releases (of one agency with ``?instansi=ID``)."""

    def render() -> tuple[bytes, str]:
        base = _base_url(request)
        title = str(request.app.state.settings.newsroom_name)
        with request.app.state.db.session() as s:
            releases = public_releases(s, agency_id=instansi, limit=PAGE_SIZE)
            if instansi is not None:
                agency = s.get(Agency, instansi)
                title = f"{title}: {agency.name}" if agency else title
        query = f"?instansi={instansi}" if instansi is not None else ""
        self_url = f"{base}/rilis/feed.xml{query}"
        return atom_feed(releases, base, title=title, self_url=self_url), ATOM

    return public_cache(request).answer(request, render)


def _release_page(request: Request, slug: str, template: str) -> Response:
    def render() -> tuple[bytes, str]:
        base = _base_url(request)
        with request.app.state.db.session() as s:
            release = find_release(s, slug)
            related = related_releases(s, release)
            comments = shown_comments(s, release.id)
            photos = photo_ids(s, release.id)
        context = {
            "r": release,
            "related": related,
            "url": release_url(base, release),
            "share": share_links(release, base),
            "json_ld": json_ld(release, base),
            "comments": comments,
            "photos": photos,
            "sent": request.query_params.get("komentar") == "terkirim",
        }
        return render_public(request, template, context), HTML

    try:
        return public_cache(request).answer(request, render)
    except ReleaseNotFound:
        body = render_public(request, "newsroom/missing.html", {})
        return Response(body, status_code=404, media_type=HTML)


@router.get("/rilis/foto/{photo_id}.jpg")
def photo(request: Request, photo_id: int) -> Response:
    """A release photo (re-encoded JPEG, no metadata), while its release is visible."""

    def render() -> tuple[bytes, str]:
        with request.app.state.db.session() as s:
            data = photo_bytes(s, photo_id)
        if data is None:
            raise ReleaseNotFound(f"Foto #{photo_id} tidak ditemukan.")
        return data, "image/jpeg"

    try:
        return public_cache(request).answer(request, render)
    except ReleaseNotFound:
        return Response(status_code=404)


@router.get("/rilis/{slug}")
def release_page(request: Request, slug: str) -> Response:
    """One release: letterhead, dateline, text, correction, share links, related releases."""
    return _release_page(request, slug, "newsroom/release.html")


@router.get("/rilis/{slug}/cetak")
def release_print(request: Request, slug: str) -> Response:
    """The printable view of a release: letterhead and text, nothing else."""
    return _release_page(request, slug, "newsroom/print.html")


@router.get("/sitemap.xml")
def sitemap_xml(request: Request) -> Response:
    """A sitemap of the newsroom."""

    def render() -> tuple[bytes, str]:
        with request.app.state.db.session() as s:
            releases = public_releases(s, limit=SITEMAP_LIMIT)
        return sitemap(releases, _base_url(request)), XML

    return public_cache(request).answer(request, render)


@router.get("/sitemap-news.xml")
def news_sitemap_xml(request: Request) -> Response:
    """The Google News sitemap: releases of the last two days."""

    def render() -> tuple[bytes, str]:
        settings = request.app.state.settings
        with request.app.state.db.session() as s:
            releases = public_releases(s, limit=1000)
        body = news_sitemap(
            releases, _base_url(request), site_name=settings.newsroom_name, now=utcnow()
        )
        return body, XML

    return public_cache(request).answer(request, render)


@router.post("/rilis/{slug}/komentar")
async def comment(request: Request, slug: str) -> Response:
    """A citizen's comment: screened, rate-limited per address, then waits for moderation."""
    settings = request.app.state.settings
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    address = address_key(request.client.host if request.client else "", settings.secret_key)
    try:
        with request.app.state.db.writer() as s:
            submit(
                s,
                slug,
                fields.get("name", ""),
                fields.get("text", ""),
                trap=fields.get("website", ""),
                address=address,
                settings=settings,
            )
    except ReleaseNotFound:
        body = render_public(request, "newsroom/missing.html", {})
        return Response(body, status_code=404, media_type=HTML)
    except CommentError as exc:
        context = {
            "error": exc,
            "slug": slug,
            "name": fields.get("name", ""),
            "text": fields.get("text", ""),
        }
        body = render_public(request, "newsroom/comment_error.html", context)
        return Response(
            body, status_code=429 if isinstance(exc, RateLimited) else 422, media_type=HTML
        )
    # Held or pending, the answer is the same: a spammer learns nothing about the rules.
    return RedirectResponse(f"/rilis/{slug}?komentar=terkirim#komentar", status_code=303)
