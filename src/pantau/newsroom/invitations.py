"""Press-conference invitations: the ``undangan peliputan`` sent to a media list, with RSVP.

An agency describes the event (topic, time, place, speakers, contact); the invitation text is
composed from the writing desk's ``undangan_peliputan`` template, so an office's own template
applies. Inviting a list puts one mail per reachable contact in the outbox (the key
``undangan:<event>:kontak:<contact>:email`` makes inviting twice add nothing), each with a
personal, signed RSVP link: the journalist answers hadir, tidak hadir or wakil (who comes
instead) without an account, and may change the answer until the event starts. The day before,
the run loop reminds everyone who has not declined (:func:`queue_reminders`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.i18n import format_dt
from pantau.newsroom.media import (
    queue_mail,
    reachable,
    recipients,
    sign_id,
    signed_id,
    unsubscribe_token,
)
from pantau.newsroom.publish import PublishError, audit
from pantau.settings import Settings
from pantau.store.models import Agency
from pantau.store.newsroom_models import MediaContact, MediaList, PressEvent, PressInvitation
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal, authorize
from pantau.writing import ComposeError, compose
from pantau.writing.composer import Contact, Fields

__all__ = [
    "ANSWERS",
    "REMINDER_LEAD",
    "EventView",
    "InvitationView",
    "answer",
    "calendar",
    "create_event",
    "event_of",
    "events_of",
    "invitation_of",
    "invite",
    "queue_reminders",
    "rsvp_token",
]

logger = logging.getLogger(__name__)

#: The answers a journalist can give, with their labels (message ids of the catalogs).
ANSWERS: dict[str, str] = {
    "hadir": "Attending",
    "tidak_hadir": "Not attending",
    "wakil": "Represented",
}
#: The length a calendar entry gets: the template names no end, and a press conference with its
#: questions takes about an hour.
CALENDAR_DURATION = timedelta(hours=1)
#: How long before the event the reminder goes out: the day before, at the event's hour, so a
#: morning press conference is recalled the morning before (when desks plan the next day).
REMINDER_LEAD = timedelta(hours=24)
_RSVP_SALT = "pantau-press-rsvp"


@dataclass(frozen=True)
class InvitationView:
    """One invited contact and their answer."""

    id: int
    event_id: int
    contact_id: int
    name: str
    outlet: str
    answer: str  # "" until answered
    delegate: str
    answered_at: datetime | None


@dataclass(frozen=True)
class EventView:
    """A press conference with its invitation text and the answers so far."""

    id: int
    agency_id: int | None
    headline: str
    topic: str
    starts_at: datetime
    place: str
    speakers: tuple[str, ...]
    text: str
    invitations: tuple[InvitationView, ...] = ()

    def count(self, answer: str) -> int:
        """How many invited contacts gave ``answer`` ("" counts those not answered yet)."""
        return sum(1 for i in self.invitations if i.answer == answer)


def _event(e: PressEvent, invitations: tuple[InvitationView, ...] = ()) -> EventView:
    speakers = tuple(line for line in e.speakers.splitlines() if line.strip())
    return EventView(
        e.id, e.agency_id, e.headline, e.topic, e.starts_at, e.place, speakers, e.text, invitations
    )


def create_event(
    s: Session,
    principal: Principal,
    settings: Settings,
    *,
    headline: str,
    topic: str,
    starts_at: datetime | None,
    place: str,
    speakers: list[str],
    contact_name: str,
    contact_phone: str = "",
    issue_id: int | None = None,
) -> EventView:
    """A press conference of the principal's agency, its invitation composed from the facts."""
    authorize(principal, "media.manage", agency_id=principal.agency_id)
    if starts_at is None:
        raise PublishError("starts_at", "Isi waktu konferensi pers.")
    if starts_at <= utcnow():
        raise PublishError("starts_at", "Waktu konferensi pers harus di masa depan.")
    agency = s.get(Agency, principal.agency_id) if principal.agency_id else None
    speakers = [p.strip() for p in speakers if p.strip()]
    fields = Fields(
        headline=headline.strip(),
        who=agency.name if agency else settings.newsroom_name,
        event=topic.strip(),
        when=starts_at,
        where=place.strip(),
        speakers=speakers,
        contact=Contact(contact_name.strip(), phone=contact_phone.strip())
        if contact_name.strip()
        else None,
    )
    try:
        draft = compose(
            "undangan_peliputan",
            fields,
            templates_dir=settings.writing_templates_dir or None,
            timezone=settings.timezone,
        )
    except ComposeError as exc:
        raise PublishError("event", str(exc)) from exc
    event = PressEvent(
        agency_id=principal.agency_id, issue_id=issue_id, headline=fields.headline[:300],
        topic=fields.event, starts_at=starts_at, place=fields.where[:300],
        speakers="\n".join(speakers), text=draft.text, created_by=principal.username,
    )  # fmt: skip
    s.add(event)
    s.flush()
    audit(s, principal, "press_event.create", "press_event", event.id, {"topic": event.topic})
    return _event(event)


def _invitations(s: Session, event_id: int) -> tuple[InvitationView, ...]:
    rows = s.execute(
        select(PressInvitation, MediaContact)
        .join(MediaContact, MediaContact.id == PressInvitation.contact_id)
        .where(PressInvitation.event_id == event_id)
        .order_by(MediaContact.name)
    ).all()
    return tuple(
        InvitationView(
            i.id, i.event_id, c.id, c.name, c.outlet, i.answer, i.delegate, i.answered_at
        )
        for i, c in rows
    )


def event_of(s: Session, principal: Principal, event_id: int) -> EventView:
    """One of the agency's press conferences with its attendee list."""
    event = s.get(PressEvent, event_id)
    if event is None:
        raise LookupError(f"Konferensi pers #{event_id} tidak ditemukan.")
    authorize(principal, "media.manage", agency_id=event.agency_id)
    return _event(event, _invitations(s, event.id))


def events_of(s: Session, agency_id: int | None) -> list[EventView]:
    """The agency's press conferences, the coming ones first."""
    rows = s.scalars(
        select(PressEvent)
        .where(PressEvent.agency_id == agency_id)
        .order_by(PressEvent.starts_at.desc())
    )
    return [_event(e, _invitations(s, e.id)) for e in rows]


def rsvp_token(invitation_id: int, secret: str) -> str:
    """A signed, unguessable token naming one invitation, for the link in its mail."""
    return sign_id(invitation_id, secret, _RSVP_SALT)


def _mail(
    event: PressEvent, invitation: PressInvitation, contact: MediaContact, settings: Settings
) -> tuple[str, str]:
    """(RSVP link, the mail's body) for one invited contact."""
    base = settings.public_url
    rsvp = f"{base}/rilis/undangan/{rsvp_token(invitation.id, settings.secret_key)}"
    stop = f"{base}/rilis/berhenti/{unsubscribe_token(contact.id, settings.secret_key)}"
    body = (
        f"{event.text.rstrip()}\n\n"
        f"Mohon konfirmasi kehadiran Anda (hadir, tidak hadir, atau diwakili): {rsvp}\n\n"
        f"Berhenti menerima surel dari kami: {stop}"
    )
    return rsvp, body


def invite(
    s: Session, principal: Principal, event_id: int, list_id: int, settings: Settings
) -> int:
    """Queue the invitation for every reachable contact on the list; returns how many new."""
    event = s.get(PressEvent, event_id)
    media_list = s.get(MediaList, list_id)
    if event is None or media_list is None or media_list.agency_id != event.agency_id:
        raise PublishError("list", "Daftar media harus milik instansi penyelenggara.")
    authorize(principal, "media.manage", agency_id=event.agency_id)
    if event.starts_at <= utcnow():
        raise PublishError("list", "Konferensi pers ini sudah dimulai; undangan tidak dikirim.")
    queued = 0
    for contact in recipients(s, list_id, settings):
        invitation = s.scalar(
            select(PressInvitation).where(
                PressInvitation.event_id == event.id, PressInvitation.contact_id == contact.id
            )
        )
        if invitation is None:
            invitation = PressInvitation(event_id=event.id, contact_id=contact.id)
            s.add(invitation)
            s.flush()
        link, body = _mail(event, invitation, contact, settings)
        queued += queue_mail(
            s, contact, key=f"undangan:{event.id}:kontak:{contact.id}:email", kind="undangan",
            subject=f"Undangan peliputan: {event.headline}", body=body, link=link,
            issue_id=event.issue_id, payload={"event_id": event.id},
        )  # fmt: skip
    s.flush()
    audit(
        s,
        principal,
        "press_event.invite",
        "press_event",
        event.id,
        {"list": list_id, "queued": queued},
    )
    return queued


def invitation_of(s: Session, token: str, secret: str) -> tuple[EventView, InvitationView]:
    """The event and the invitation a signed token names; ``LookupError`` if forged."""
    invalid = "Tautan konfirmasi kehadiran tidak valid."
    invitation_id = signed_id(token, secret, _RSVP_SALT, invalid)
    invitation = s.get(PressInvitation, invitation_id)
    if invitation is None:
        raise LookupError("Undangan tidak ditemukan.")
    event = s.get(PressEvent, invitation.event_id)
    if event is None:
        raise LookupError("Konferensi pers tidak ditemukan.")
    [mine] = [i for i in _invitations(s, event.id) if i.id == invitation.id]
    return _event(event), mine


def answer(
    s: Session, token: str, secret: str, choice: str, delegate: str = ""
) -> tuple[EventView, InvitationView]:
    """Record a journalist's answer (the same answer again changes nothing); until the start."""
    event, mine = invitation_of(s, token, secret)
    if choice not in ANSWERS:
        raise PublishError("answer", "Pilih hadir, tidak hadir, atau diwakili.")
    delegate = " ".join(delegate.split())[:120] if choice == "wakil" else ""
    if choice == "wakil" and not delegate:
        raise PublishError("delegate", "Tuliskan nama yang mewakili.")
    if event.starts_at <= utcnow():
        raise PublishError("answer", "Konferensi pers ini sudah dimulai.")
    if (mine.answer, mine.delegate) == (choice, delegate):
        return event, mine
    invitation = s.get(PressInvitation, mine.id)
    if invitation is None:
        raise LookupError("Undangan tidak ditemukan.")
    invitation.answer, invitation.delegate, invitation.answered_at = choice, delegate, utcnow()
    s.flush()
    logger.info("invitation %s answered %s", invitation.id, choice)
    return invitation_of(s, token, secret)


def queue_reminders(s: Session, settings: Settings, *, now: datetime | None = None) -> int:
    """Queue the day-before reminder of every invitation not declined; returns how many.

    An invitation sent within the lead time (the invitation itself is the reminder) and a
    contact who unsubscribed or bounced since get none; each reminder is sent once.
    """
    now = now or utcnow()
    rows = s.execute(
        select(PressInvitation, PressEvent, MediaContact)
        .join(PressEvent, PressEvent.id == PressInvitation.event_id)
        .join(MediaContact, MediaContact.id == PressInvitation.contact_id)
        .where(
            PressEvent.starts_at > now,
            PressEvent.starts_at <= now + REMINDER_LEAD,
            PressInvitation.reminded_at.is_(None),
            PressInvitation.answer != "tidak_hadir",
            MediaContact.unsubscribed_at.is_(None),
        )
    ).all()
    ok = {c.id for c in reachable(s, [contact for _, _, contact in rows], settings)}
    queued = 0
    for invitation, event, contact in rows:
        invitation.reminded_at = now  # looked at once, whether reminded or not
        if invitation.invited_at >= event.starts_at - REMINDER_LEAD or contact.id not in ok:
            continue
        link, body = _mail(event, invitation, contact, settings)
        when = format_dt(event.starts_at, settings.timezone)
        queued += queue_mail(
            s, contact, key=f"undangan:{event.id}:kontak:{contact.id}:pengingat", kind="undangan",
            subject=f"Pengingat: {event.headline}, {when}",
            body=f"Pengingat: besok, {when}, di {event.place}.\n\n{body}", link=link,
            issue_id=event.issue_id, payload={"event_id": event.id, "reminder": True},
        )  # fmt: skip
    s.flush()
    return queued


def _ics_text(value: str) -> str:
    """A TEXT value of RFC 5545: backslash, semicolon, comma and newline escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\n", "\\n")


def _ics_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(event: EventView, domain: str, *, now: datetime | None = None) -> str:
    r"""The event as an iCalendar file (RFC 5545) a journalist adds to their calendar.

    >>> from datetime import datetime, UTC
    >>> e = EventView(7, 1, "Konferensi Pers", "banjir, posko", datetime(2026, 12, 8, 1, 0,
    ...     tzinfo=UTC), "Aula; lantai 2", (), "")
    >>> for line in calendar(e, "humas.example").splitlines()[7:12]:
    ...     print(line)
    DTSTART:20261208T010000Z
    DTEND:20261208T020000Z
    SUMMARY:Konferensi Pers
    LOCATION:Aula\; lantai 2
    DESCRIPTION:banjir\, posko
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//pantau//undangan peliputan//ID",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:undangan-{event.id}@{domain}",
        f"DTSTAMP:{_ics_time(now or utcnow())}",
        f"DTSTART:{_ics_time(event.starts_at)}",
        f"DTEND:{_ics_time(event.starts_at + CALENDAR_DURATION)}",
        f"SUMMARY:{_ics_text(event.headline)}",
        f"LOCATION:{_ics_text(event.place)}",
        f"DESCRIPTION:{_ics_text(event.topic)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next with a leading space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " "
        current += char
    out.append(current)
    return "\r\n".join(out)
