"""Press-conference pages: the agency's events and attendee lists, and the journalists' RSVP.

The agency's pages need ``media.manage``. The RSVP page needs only the signed link from the
invitation mail, like the unsubscribe page: a GET shows the question (mail scanners follow
links, so only the button answers), and the POST carries no ambient authority a forger could
borrow (no session; the token in the path is the authority). A POST whose ``Origin`` names
another site is refused all the same.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pantau.i18n import format_dt
from pantau.newsroom import PublishError
from pantau.newsroom.invitations import (
    ANSWERS,
    answer,
    calendar,
    create_event,
    event_of,
    events_of,
    invitation_of,
    invite,
)
from pantau.newsroom.media import lists_of
from pantau.reports.export import csv_safe
from pantau.web.newsroom_admin import parse_local
from pantau.web.newsroom_pages import HTML, render_public
from pantau.web.rendering import render
from pantau.web.security import PUBLIC_FORMS, guard
from pantau.workflow.permissions import Principal

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PUBLIC_FORMS.append(re.compile(r"/rilis/undangan/[^/]+"))
Manager = Annotated[Principal, Depends(guard("media.manage"))]
NO_STORE = {"Cache-Control": "no-store"}
#: The answers as the printed list says them (Indonesian: the list goes to the desk as it is).
ANSWER_WORDS = {"hadir": "hadir", "tidak_hadir": "tidak hadir", "wakil": "diwakili"}


def _form(raw: Any) -> dict[str, str]:
    return {k: v for k, v in raw.items() if isinstance(v, str)}


def _events_page(
    request: Request,
    principal: Principal,
    *,
    error: PublishError | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    with request.app.state.db.session() as s:
        events = events_of(s, principal.agency_id)
    context = {"events": events, "error": error, "form": form or {}}
    return render(request, "newsroom/events.html", context, status=status)


@router.get("/kelola-media/undangan")
def events_page(request: Request, principal: Manager) -> Response:
    """The agency's press conferences, and the form for a new one."""
    return _events_page(request, principal)


@router.post("/kelola-media/undangan/baru")
async def new_event(request: Request, principal: Manager) -> Response:
    """Compose the undangan peliputan of a new press conference."""
    form = _form(await request.form())
    settings = request.app.state.settings
    try:
        try:
            starts_at = parse_local(form.get("starts_at", ""), settings.timezone)
        except PublishError as exc:
            raise PublishError("starts_at", str(exc)) from None
        with request.app.state.db.writer() as s:
            event = create_event(
                s, principal, settings, headline=form.get("headline", ""),
                topic=form.get("topic", ""), starts_at=starts_at, place=form.get("place", ""),
                speakers=form.get("speakers", "").splitlines(),
                contact_name=form.get("contact_name", ""),
                contact_phone=form.get("contact_phone", ""),
            )  # fmt: skip
    except PublishError as exc:
        return _events_page(request, principal, error=exc, form=form, status=422)
    return RedirectResponse(f"/kelola-media/undangan/{event.id}", status_code=303)


@router.get("/kelola-media/undangan/{event_id}")
def event_page(request: Request, event_id: int, principal: Manager) -> Response:
    """The invitation, sending it to a list, and who answered what."""
    try:
        with request.app.state.db.session() as s:
            event = event_of(s, principal, event_id)
            lists = lists_of(s, event.agency_id)
    except LookupError as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)
    sent = request.query_params.get("terkirim")
    context = {"event": event, "lists": lists, "answers": ANSWERS, "sent": sent}
    return render(request, "newsroom/event.html", context)


#: Columns of the attendee list for the registration desk (the last one is signed on paper).
ATTENDEE_COLUMNS = ("nama", "media", "jawaban", "yang_mewakili", "dijawab", "tanda_tangan")


@router.get("/kelola-media/undangan/{event_id}/daftar-hadir.csv")
def attendee_csv(request: Request, event_id: int, principal: Manager) -> Response:
    """The attendee list as CSV for the registration desk; what journalists typed stays text."""
    settings = request.app.state.settings
    try:
        with request.app.state.db.session() as s:
            event = event_of(s, principal, event_id)
    except LookupError as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(ATTENDEE_COLUMNS)
    for i in event.invitations:
        when = format_dt(i.answered_at, settings.timezone) if i.answered_at else ""
        cells = (i.name, i.outlet, ANSWER_WORDS.get(i.answer, ""), i.delegate, when, "")
        writer.writerow(list(csv_safe(cells)))
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="daftar-hadir-{event.id}.csv"'},
    )


@router.post("/kelola-media/undangan/{event_id}/kirim")
async def send_invitation(request: Request, event_id: int, principal: Manager) -> Response:
    """Queue the invitation for every reachable contact on the chosen list."""
    form = _form(await request.form())
    try:
        with request.app.state.db.writer() as s:
            queued = invite(
                s, principal, event_id, int(form.get("list_id", "0")), request.app.state.settings
            )
    except (PublishError, ValueError) as exc:
        return render(request, "error.html", {"status": 422, "message": str(exc)}, status=422)
    return RedirectResponse(
        f"/kelola-media/undangan/{event_id}?terkirim={queued}#attendees", status_code=303
    )


def _rsvp(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    body = render_public(request, "newsroom/rsvp.html", {"answers": ANSWERS, **context})
    return Response(body, status_code=status, media_type=HTML, headers=NO_STORE)


def _cross_site(request: Request) -> bool:
    """A browser's POST from another site (an opaque ``null`` origin included)."""
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser's cross-site form: mail clients, curl, the tests
    return origin == "null" or urlsplit(origin).netloc != request.url.netloc


@router.get("/rilis/undangan/{token}")
def rsvp_form(request: Request, token: str) -> Response:
    """The invitation and the three answers (nothing is recorded before the button)."""
    try:
        with request.app.state.db.session() as s:
            event, mine = invitation_of(s, token, request.app.state.settings.secret_key)
    except LookupError as exc:
        return _rsvp(request, {"error": str(exc)}, status=404)
    return _rsvp(request, {"token": token, "event": event, "mine": mine, "done": False})


@router.get("/rilis/undangan/{token}/kalender.ics")
def rsvp_calendar(request: Request, token: str) -> Response:
    """The event for the journalist's calendar (iCalendar), from the same signed link."""
    settings = request.app.state.settings
    try:
        with request.app.state.db.session() as s:
            event, _mine = invitation_of(s, token, settings.secret_key)
    except LookupError as exc:
        return _rsvp(request, {"error": str(exc)}, status=404)
    domain = urlsplit(settings.public_url).hostname or "pantau.local"
    return Response(
        calendar(event, domain),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="undangan-{event.id}.ics"',
            **NO_STORE,
        },
    )


@router.post("/rilis/undangan/{token}")
async def rsvp_answer(request: Request, token: str) -> Response:
    """Record the answer; the same answer again changes nothing."""
    if _cross_site(request):
        return _rsvp(request, {"error": "Permintaan dari situs lain ditolak."}, status=403)
    form = _form(await request.form())
    secret = request.app.state.settings.secret_key
    try:
        with request.app.state.db.writer() as s:
            event, mine = answer(s, token, secret, form.get("answer", ""), form.get("delegate", ""))
    except LookupError as exc:
        return _rsvp(request, {"error": str(exc)}, status=404)
    except PublishError as exc:
        with request.app.state.db.session() as s:
            event, mine = invitation_of(s, token, secret)
        context = {"token": token, "event": event, "mine": mine, "done": False, "problem": exc}
        return _rsvp(request, context, status=422)
    return _rsvp(request, {"token": token, "event": event, "mine": mine, "done": True})
