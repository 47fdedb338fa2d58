"""The agency's side of the newsroom (login): publish an approved document, correct, withdraw.

Every change goes through :mod:`pantau.newsroom.publish` (permission ``document.publish``, audit)
and empties the cache of public answers, so that readers see it at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import UploadFile

from pantau.newsroom import PublishError, ReleaseNotFound, correct, get_release, publish, withdraw
from pantau.newsroom.comments import CommentError, moderate, moderation_queue, reply, shown_comments
from pantau.newsroom.effect import statement_turn
from pantau.newsroom.media import lists_of, whatsapp_text
from pantau.newsroom.photos import add_photo
from pantau.newsroom.pickup import issue_pickups, link_pickups, release_pickups
from pantau.newsroom.releases import view_of
from pantau.store.newsroom_models import Release
from pantau.store.writing_models import Document
from pantau.web.public_cache import public_cache
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.web.writing_forms import KIND_LABELS
from pantau.workflow.permissions import Principal, allowed, authorize

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Principal, Depends(guard("document.view"))]
Publisher = Annotated[Principal, Depends(guard("document.publish"))]

#: Releases on the agency's list.
LIST_LIMIT = 200


def _form(raw: Any) -> dict[str, str]:
    return {k: v for k, v in raw.items() if isinstance(v, str)}


def parse_local(raw: str, tz: str) -> datetime | None:
    """A ``datetime-local`` value (``YYYY-MM-DDTHH:MM``, local time in ``tz``), or ``None``.

    >>> parse_local("2026-12-08T09:00", "Asia/Makassar").isoformat()
    '2026-12-08T09:00:00+08:00'
    """
    raw = raw.strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        raise PublishError("at", f"Waktu {raw!r} tidak sesuai format YYYY-MM-DDTHH:MM.") from None


def _not_found(request: Request, message: str) -> Response:
    return render(request, "error.html", {"status": 404, "message": message}, status=404)


@router.get("/kelola-rilis")
def releases_page(request: Request, principal: Viewer) -> Response:
    """Every release, scheduled, published or withdrawn, newest first."""
    with request.app.state.db.session() as s:
        rows = s.scalars(
            select(Release).order_by(Release.published_at.desc()).limit(LIST_LIMIT)
        ).all()
        releases = [view_of(s, r) for r in rows]
    return render(request, "newsroom/admin_list.html", {"releases": releases, "kinds": KIND_LABELS})


def _publish_form(
    request: Request, doc_id: int, *, error: PublishError | None = None, status: int = 200
) -> Response:
    with request.app.state.db.session() as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            return _not_found(request, f"Dokumen #{doc_id} tidak ditemukan.")
        context = {"doc": {"id": doc.id, "title": doc.title, "status": doc.status}, "error": error}
    return render(request, "newsroom/admin_publish.html", context, status=status)


@router.get("/kelola-rilis/terbitkan/{doc_id}")
def publish_form(request: Request, doc_id: int, principal: Publisher) -> Response:
    """Publish an approved document now, or schedule it (embargo)."""
    return _publish_form(request, doc_id)


@router.post("/kelola-rilis/terbitkan/{doc_id}")
async def publish_document(request: Request, doc_id: int, principal: Publisher) -> Response:
    settings = request.app.state.settings
    raw_form = await request.form()
    form = _form(raw_form)
    upload = raw_form.get("photo")
    photo = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
    try:
        at = parse_local(form.get("at", ""), settings.timezone) if form.get("when") else None
        with request.app.state.db.writer() as s:  # one transaction: a bad photo publishes nothing
            release = publish(s, principal, doc_id, settings, at=at)
            if photo is not None:
                add_photo(s, release.id, photo, form.get("photo_alt", ""))
    except PublishError as exc:
        return _publish_form(request, doc_id, error=exc, status=422)
    public_cache(request).clear()
    return RedirectResponse(f"/kelola-rilis/{release.id}", status_code=303)


def release_context(request: Request, principal: Principal, release_id: int) -> dict[str, Any]:
    """What the agency's page of a release shows; other newsroom parts add their panels."""
    with request.app.state.db.session() as s:
        release = get_release(s, release_id)
        can_moderate = allowed(principal, "comment.moderate", agency_id=release.agency_id)
        queue = moderation_queue(s, principal, release_id) if can_moderate else []
        comments = shown_comments(s, release_id)
        pickups = release_pickups(s, release_id)
        media_lists = lists_of(s, release.agency_id)
    base = str(request.app.state.settings.public_url)
    return {
        "pickups": pickups,
        "media_lists": media_lists,
        "whatsapp": whatsapp_text(release, base),
        "queued": request.query_params.get("terkirim"),
        "r": release,
        "kinds": KIND_LABELS,
        "can_publish": allowed(principal, "document.publish", agency_id=release.agency_id),
        "can_moderate": can_moderate,
        "queue": queue,
        "comments": comments,
    }


@router.get("/kelola-rilis/{release_id}")
def release_admin(request: Request, release_id: int, principal: Viewer) -> Response:
    """A release's state, public link, versions, and the correction and withdrawal forms."""
    try:
        context = release_context(request, principal, release_id)
    except ReleaseNotFound as exc:
        return _not_found(request, str(exc))
    return render(request, "newsroom/admin_release.html", context)


@router.post("/kelola-rilis/{release_id}/{op}")
async def change_release(request: Request, release_id: int, op: str, principal: Viewer) -> Response:
    """``koreksi`` (new text with a correction note) or ``tarik`` (withdraw with a reason)."""
    form = _form(await request.form())
    try:
        with request.app.state.db.writer() as s:
            if op == "koreksi":
                correct(s, principal, release_id, form.get("text", ""), form.get("note", ""))
            elif op == "tarik":
                withdraw(s, principal, release_id, form.get("reason", ""))
            elif op == "pemberitaan":
                authorize(
                    principal, "document.publish", agency_id=get_release(s, release_id).agency_id
                )
                link_pickups(s, release_id=release_id)
            elif op == "balas":
                to = form.get("reply_to", "")
                reply(s, principal, release_id, form.get("text", ""), int(to) if to else None)
            else:
                return _not_found(request, f"Tindakan {op!r} tidak dikenal.")
    except ReleaseNotFound as exc:
        return _not_found(request, str(exc))
    except (PublishError, CommentError, ValueError) as exc:
        context = release_context(request, principal, release_id)
        return render(request, "newsroom/admin_release.html", {**context, "error": exc}, status=422)
    public_cache(request).clear()
    return RedirectResponse(f"/kelola-rilis/{release_id}", status_code=303)


@router.post("/kelola-rilis/{release_id}/komentar/{comment_id}/{op}")
async def moderate_comment(
    request: Request, release_id: int, comment_id: int, op: str, principal: Viewer
) -> Response:
    """``setujui`` shows a waiting comment (and hands it to monitoring), ``tolak`` rejects it."""
    if op not in ("setujui", "tolak"):
        return _not_found(request, f"Tindakan {op!r} tidak dikenal.")
    settings = request.app.state.settings
    try:
        with request.app.state.db.writer() as s:
            moderate(s, principal, comment_id, op == "setujui", settings)
    except CommentError as exc:
        context = release_context(request, principal, release_id)
        return render(request, "newsroom/admin_release.html", {**context, "error": exc}, status=422)
    public_cache(request).clear()
    return RedirectResponse(f"/kelola-rilis/{release_id}#moderasi", status_code=303)


@router.get("/issues/{issue_id}/rilis")
def issue_releases_panel(request: Request, issue_id: int, principal: Viewer) -> Response:
    """The issue page's panel: its published releases and the news that carried them."""
    with request.app.state.db.session() as s:
        rows = s.scalars(
            select(Release).where(Release.issue_id == issue_id).order_by(Release.published_at)
        ).all()
        releases = [view_of(s, r) for r in rows]
        pickups = issue_pickups(s, issue_id)
        turn = statement_turn(s, issue_id)
    context = {"releases": releases, "pickups": pickups, "issue_id": issue_id, "turn": turn}
    return render(request, "newsroom/_issue_panel.html", context)
