"""Media relations pages: the agency's contacts and lists, sending a release, unsubscribing.

Managing contacts needs ``media.manage`` on the agency; sending a release needs
``document.publish`` on the release's agency; unsubscribing needs only the signed link from a
mail (a public form, like the comment box).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pantau.newsroom import PublishError, ReleaseNotFound
from pantau.newsroom.media import (
    add_contact,
    add_member,
    change_email,
    contacts_of,
    create_list,
    lists_of,
    send_release,
    unsubscribe,
)
from pantau.web.newsroom_pages import HTML, render_public
from pantau.web.rendering import render
from pantau.web.security import PUBLIC_FORMS, guard
from pantau.workflow.permissions import Principal

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PUBLIC_FORMS.append(re.compile(r"/rilis/berhenti/[^/]+"))
Manager = Annotated[Principal, Depends(guard("media.manage"))]
Viewer = Annotated[Principal, Depends(guard("document.view"))]


def _form(raw: Any) -> dict[str, str]:
    return {k: v for k, v in raw.items() if isinstance(v, str)}


def _page(
    request: Request, principal: Principal, *, error: PublishError | None = None, status: int = 200
) -> Response:
    with request.app.state.db.session() as s:
        context = {
            "contacts": contacts_of(s, principal.agency_id),
            "lists": lists_of(s, principal.agency_id),
            "max_bounces": request.app.state.settings.media_max_bounces,
            "error": error,
        }
    return render(request, "newsroom/media.html", context, status=status)


@router.get("/kelola-media")
def media_page(request: Request, principal: Manager) -> Response:
    """The agency's journalists (with consent) and its distribution lists."""
    return _page(request, principal)


@router.post("/kelola-media/{op}")
async def change_media(request: Request, op: str, principal: Manager) -> Response:
    """``kontak`` adds a contact, ``daftar`` a list, ``anggota`` puts a contact on a list,
    ``alamat`` corrects a contact's e-mail address."""
    form = _form(await request.form())
    try:
        with request.app.state.db.writer() as s:
            if op == "kontak":
                add_contact(
                    s, principal, principal.agency_id, name=form.get("name", ""),
                    outlet=form.get("outlet", ""), email=form.get("email", ""),
                    consent=form.get("consent") == "ya", beat=form.get("beat", ""),
                    region=form.get("region", ""), phone=form.get("phone", ""),
                    consent_note=form.get("consent_note", ""),
                )  # fmt: skip
            elif op == "daftar":
                create_list(s, principal, principal.agency_id, form.get("list_name", ""))
            elif op == "anggota":
                add_member(s, principal, int(form["list_id"]), int(form["contact_id"]))
            elif op == "alamat":
                change_email(s, principal, int(form["contact_id"]), form.get("email", ""))
            else:
                return render(request, "error.html", {"status": 404, "message": op}, status=404)
    except (PublishError, KeyError, ValueError) as exc:
        error = exc if isinstance(exc, PublishError) else PublishError("form", str(exc))
        return _page(request, principal, error=error, status=422)
    return RedirectResponse("/kelola-media", status_code=303)


@router.post("/kelola-rilis/{release_id}/kirim/{list_id}")
async def send(request: Request, release_id: int, list_id: int, principal: Viewer) -> Response:
    """Queue the release for every consenting contact on the list (through the outbox)."""
    try:
        with request.app.state.db.writer() as s:
            queued = send_release(s, principal, release_id, list_id, request.app.state.settings)
    except ReleaseNotFound as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)
    except PublishError as exc:
        return render(request, "error.html", {"status": 422, "message": str(exc)}, status=422)
    return RedirectResponse(f"/kelola-rilis/{release_id}?terkirim={queued}#kirim", status_code=303)


@router.get("/rilis/berhenti/{token}")
def unsubscribe_form(request: Request, token: str) -> Response:
    """Confirm before unsubscribing (mail scanners follow links; only the button acts)."""
    body = render_public(request, "newsroom/unsubscribe.html", {"token": token, "done": False})
    return Response(body, media_type=HTML, headers={"Cache-Control": "no-store"})


@router.post("/rilis/berhenti/{token}")
def unsubscribe_confirm(request: Request, token: str) -> Response:
    """Stop every release mail to the contact the signed token names."""
    try:
        with request.app.state.db.writer() as s:
            unsubscribe(s, token, request.app.state.settings.secret_key)
    except LookupError as exc:
        context = {"token": token, "done": False, "error": str(exc)}
        body = render_public(request, "newsroom/unsubscribe.html", context)
        return Response(body, status_code=404, media_type=HTML)
    body = render_public(request, "newsroom/unsubscribe.html", {"token": token, "done": True})
    return Response(body, media_type=HTML, headers={"Cache-Control": "no-store"})
