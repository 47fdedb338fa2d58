"""Media relations: an agency's journalists (with consent), its lists, and sending a release.

A contact is stored only with the date they agreed to receive releases; an unsubscribed
contact stays (so nobody re-adds them by mistake) but is never sent to again. Sending a
release to a list puts one e-mail per contact in the alerts outbox (retries, dead letters and
delivery as for alerts), each with its own signed unsubscribe link; the key
``rilis:<release>:kontak:<contact>`` makes sending twice add nothing. Under embargo the mail says
so in its first line: journalists get releases early on that promise.

A contact whose address bounced hard ``media_max_bounces`` times (counted by the outbox, see
:mod:`pantau.alerts.bounces`; bounces of an earlier address do not count) is sent nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pantau.alerts.bounces import bounces_by_recipient
from pantau.i18n import format_dt
from pantau.newsroom.publish import PublishError, audit
from pantau.newsroom.releases import PUBLISHED, ReleaseView, get_release
from pantau.newsroom.syndication import release_url
from pantau.settings import Settings
from pantau.store.audit import record
from pantau.store.newsroom_models import MediaContact, MediaList, MediaListMember
from pantau.store.types import utcnow
from pantau.store.workflow_models import AlertDelivery
from pantau.workflow.permissions import Principal, authorize

__all__ = [
    "CONTACT_PREFIX",
    "ContactView",
    "ListView",
    "add_contact",
    "add_member",
    "cancel_stopped",
    "change_email",
    "contacts_of",
    "create_list",
    "lists_of",
    "queue_mail",
    "reachable",
    "recipients",
    "send_release",
    "sign_id",
    "signed_id",
    "unsubscribe",
    "unsubscribe_token",
    "whatsapp_text",
]

#: The outbox's recipient of a media contact's mail: ``contact:<id>``.
CONTACT_PREFIX = "contact:"
#: Who the audit log names for the newsroom's own outbox changes.
NEWSROOM_ACTOR = "pantau-newsroom"
STOPPED_REASON = "tidak dikirim: kontak berhenti berlangganan atau alamatnya memantul"
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_UNSUBSCRIBE_SALT = "pantau-media-unsubscribe"


@dataclass(frozen=True)
class ContactView:
    id: int
    name: str
    outlet: str
    beat: str
    region: str
    email: str
    preferred_channel: str
    consent_at: datetime
    unsubscribed: bool
    bounces: int = 0  # hard bounces of the current address
    last_bounce: str = ""  # the receiving server's words, for the officer

    def stopped(self, max_bounces: int) -> bool:
        """No more mail: unsubscribed, or the address bounced too often."""
        return self.unsubscribed or self.bounces >= max_bounces


@dataclass(frozen=True)
class ListView:
    id: int
    name: str
    members: tuple[ContactView, ...]


def _contact(
    c: MediaContact, bounced: dict[str, list[tuple[str, str]]] | None = None
) -> ContactView:
    mine = (bounced or {}).get(f"{CONTACT_PREFIX}{c.id}", [])
    current = [reason for address, reason in mine if address == c.email]
    return ContactView(
        c.id, c.name, c.outlet, c.beat, c.region, c.email, c.preferred_channel, c.consent_at,
        c.unsubscribed_at is not None, len(current), current[-1] if current else "",
    )  # fmt: skip


def _views(s: Session, contacts: list[MediaContact]) -> list[ContactView]:
    bounced = bounces_by_recipient(s, [f"{CONTACT_PREFIX}{c.id}" for c in contacts])
    return [_contact(c, bounced) for c in contacts]


def reachable(s: Session, contacts: list[MediaContact], settings: Settings) -> list[MediaContact]:
    """Those of ``contacts`` mail may go to: subscribed, and not bounced too often."""
    views = {v.id: v for v in _views(s, contacts)}
    return [c for c in contacts if not views[c.id].stopped(settings.media_max_bounces)]


def cancel_stopped(s: Session, settings: Settings, now: datetime | None = None) -> int:
    """Take mail still waiting for contacts who since unsubscribed or bounced too often out of
    the outbox (dead, with the reason, audited); returns how many.

    Rows a sender has leased are left alone: they are being sent right now.
    """
    now = now or utcnow()
    rows = s.scalars(
        select(AlertDelivery).where(
            AlertDelivery.status == "pending",
            AlertDelivery.recipient.like(f"{CONTACT_PREFIX}%"),
            or_(AlertDelivery.lease_until.is_(None), AlertDelivery.lease_until < now),
        )
    ).all()
    if not rows:
        return 0
    ids = {int(r.recipient.removeprefix(CONTACT_PREFIX)) for r in rows}
    contacts = list(s.scalars(select(MediaContact).where(MediaContact.id.in_(ids))))
    ok = {c.id for c in reachable(s, contacts, settings)}
    cancelled = 0
    for row in rows:
        if int(row.recipient.removeprefix(CONTACT_PREFIX)) in ok:
            continue
        row.status, row.last_error = "dead", STOPPED_REASON
        record(
            s, actor=NEWSROOM_ACTOR, action="alert.delivery.cancel", object_type="alert_delivery",
            object_id=row.id, before={"status": "pending"},
            after={"status": "dead", "error": STOPPED_REASON},
        )  # fmt: skip
        cancelled += 1
    s.flush()
    return cancelled


def recipients(s: Session, list_id: int, settings: Settings) -> list[MediaContact]:
    """The list's contacts mail may go to."""
    members = s.scalars(
        select(MediaContact)
        .join(MediaListMember, MediaListMember.contact_id == MediaContact.id)
        .where(MediaListMember.list_id == list_id, MediaContact.unsubscribed_at.is_(None))
        .order_by(MediaContact.id)
    ).all()
    return reachable(s, list(members), settings)


def add_contact(
    s: Session,
    principal: Principal,
    agency_id: int | None,
    *,
    name: str,
    outlet: str,
    email: str,
    consent: bool,
    beat: str = "",
    region: str = "",
    phone: str = "",
    preferred_channel: str = "email",
    consent_note: str = "",
) -> ContactView:
    """Store a journalist who agreed to receive the agency's releases."""
    authorize(principal, "media.manage", agency_id=agency_id)
    name, outlet, email = name.strip(), outlet.strip(), email.strip().lower()
    if not consent:
        raise PublishError("consent", "Kontak hanya disimpan dengan persetujuannya.")
    if not name or not outlet:
        raise PublishError("name", "Nama dan media wajib diisi.")
    _check_email(s, agency_id, email)
    contact = MediaContact(
        agency_id=agency_id, name=name[:120], outlet=outlet[:200], email=email, beat=beat[:120],
        region=region[:120], phone=phone[:40], preferred_channel=preferred_channel[:20],
        consent_at=utcnow(), consent_note=consent_note[:300],
    )  # fmt: skip
    s.add(contact)
    s.flush()
    audit(s, principal, "media.contact_add", "media_contact", contact.id, {"outlet": outlet})
    return _contact(contact)


def _check_email(s: Session, agency_id: int | None, email: str) -> None:
    """A well-formed address not yet on the agency's contact list, else :class:`PublishError`."""
    if not _EMAIL.match(email):
        raise PublishError("email", f"Alamat surel {email!r} tidak valid.")
    exists = s.scalar(
        select(MediaContact.id).where(
            MediaContact.agency_id == agency_id, MediaContact.email == email
        )
    )
    if exists is not None:
        raise PublishError("email", f"{email} sudah ada di daftar kontak instansi ini.")


def change_email(s: Session, principal: Principal, contact_id: int, email: str) -> ContactView:
    """Correct a contact's address (the journalist moved desks, the old one bounces): the
    bounces of the old address stay on record but no longer count, so mail goes out again."""
    contact = s.get(MediaContact, contact_id)
    if contact is None:
        raise PublishError("contact", f"Kontak #{contact_id} tidak ditemukan.")
    authorize(principal, "media.manage", agency_id=contact.agency_id)
    email = email.strip().lower()
    if email == contact.email:
        raise PublishError("email", "Alamat baru sama dengan yang lama.")
    _check_email(s, contact.agency_id, email)
    before = {"email": contact.email}
    contact.email = email
    s.flush()
    audit(
        s, principal, "media.contact_email", "media_contact", contact.id, {"email": email}, before
    )
    return _views(s, [contact])[0]


def create_list(s: Session, principal: Principal, agency_id: int | None, name: str) -> ListView:
    """A new distribution list of the agency."""
    authorize(principal, "media.manage", agency_id=agency_id)
    name = name.strip()[:120]
    if not name:
        raise PublishError("list_name", "Nama daftar wajib diisi.")
    media_list = MediaList(agency_id=agency_id, name=name)
    s.add(media_list)
    s.flush()
    audit(s, principal, "media.list_create", "media_list", media_list.id, {"name": name})
    return ListView(media_list.id, name, ())


def add_member(s: Session, principal: Principal, list_id: int, contact_id: int) -> None:
    """Put a contact of the list's agency on the list (again: no change)."""
    media_list, contact = s.get(MediaList, list_id), s.get(MediaContact, contact_id)
    if media_list is None or contact is None or contact.agency_id != media_list.agency_id:
        raise PublishError("contact", "Kontak dan daftar harus milik instansi yang sama.")
    authorize(principal, "media.manage", agency_id=media_list.agency_id)
    if s.get(MediaListMember, (list_id, contact_id)) is None:
        s.add(MediaListMember(list_id=list_id, contact_id=contact_id))
        s.flush()


def contacts_of(s: Session, agency_id: int | None) -> list[ContactView]:
    rows = s.scalars(
        select(MediaContact).where(MediaContact.agency_id == agency_id).order_by(MediaContact.name)
    )
    return _views(s, list(rows))


def lists_of(s: Session, agency_id: int | None) -> list[ListView]:
    out = []
    for media_list in s.scalars(
        select(MediaList).where(MediaList.agency_id == agency_id).order_by(MediaList.name)
    ):
        members = s.scalars(
            select(MediaContact)
            .join(MediaListMember, MediaListMember.contact_id == MediaContact.id)
            .where(MediaListMember.list_id == media_list.id)
            .order_by(MediaContact.name)
        )
        out.append(ListView(media_list.id, media_list.name, tuple(_views(s, list(members)))))
    return out


def unsubscribe_token(contact_id: int, secret: str) -> str:
    """A signed, unguessable token naming one contact, for the link in every mail."""
    return sign_id(contact_id, secret, _UNSUBSCRIBE_SALT)


def sign_id(row_id: int, secret: str, salt: str) -> str:
    """A signed token naming one row, for a link that acts without a login."""
    return str(URLSafeSerializer(secret, salt=salt).dumps(row_id))


def signed_id(token: str, secret: str, salt: str, invalid: str) -> int:
    """The row id a :func:`sign_id` token names; ``LookupError(invalid)`` when it is forged."""
    try:
        return int(URLSafeSerializer(secret, salt=salt).loads(token))
    except (BadSignature, TypeError, ValueError):
        raise LookupError(invalid) from None


def unsubscribe(s: Session, token: str, secret: str) -> ContactView:
    """Stop all mail to the contact the token names (idempotent); ``LookupError`` if forged."""
    invalid = "Tautan berhenti berlangganan tidak valid."
    contact_id = signed_id(token, secret, _UNSUBSCRIBE_SALT, invalid)
    contact = s.get(MediaContact, contact_id)
    if contact is None:
        raise LookupError("Kontak tidak ditemukan.")
    if contact.unsubscribed_at is None:
        contact.unsubscribed_at = utcnow()
        s.flush()
    return _contact(contact)


def queue_mail(
    s: Session,
    contact: MediaContact,
    *,
    key: str,
    kind: str,
    subject: str,
    body: str,
    link: str,
    issue_id: int | None,
    payload: dict[str, Any],
) -> bool:
    """Put one mail to ``contact`` in the outbox under ``key``; False when it is there already."""
    if s.scalar(select(AlertDelivery.id).where(AlertDelivery.key == key)) is not None:
        return False
    s.add(
        AlertDelivery(
            key=key, kind=kind, issue_id=issue_id, recipient=f"{CONTACT_PREFIX}{contact.id}",
            channel="email", address=contact.email, subject=subject[:300], body=body, link=link,
            payload={**payload, "contact_id": contact.id},
        )
    )  # fmt: skip
    return True


def whatsapp_text(release: ReleaseView, base_url: str) -> str:
    """The release as a WhatsApp message: bold headline, the lead, the link."""
    return (
        f"*{release.title}*\n\n{release.summary}\n\nSelengkapnya: {release_url(base_url, release)}"
    )


def _body(release: ReleaseView, url: str, unsubscribe_url: str, settings: Settings) -> str:
    lines = []
    if not release.visible():
        when = format_dt(release.published_at, settings.timezone)
        lines += [f"EMBARGO: jangan disiarkan sebelum {when}.", ""]
    lines += [release.title, "", *release.body, "", f"Versi daring: {url}", ""]
    lines.append(f"Berhenti menerima rilis dari {release.agency or 'kami'}: {unsubscribe_url}")
    return "\n".join(lines)


def send_release(
    s: Session, principal: Principal, release_id: int, list_id: int, settings: Settings
) -> int:
    """Queue the release for every consenting, subscribed contact on the list; returns how many."""
    release = get_release(s, release_id)
    authorize(principal, "document.publish", agency_id=release.agency_id)
    media_list = s.get(MediaList, list_id)
    if media_list is None or media_list.agency_id != release.agency_id:
        raise PublishError("list", "Daftar media harus milik instansi rilis ini.")
    if release.state != PUBLISHED:
        raise PublishError("list", "Rilis yang ditarik tidak dikirim.")
    base = settings.public_url
    url = release_url(base, release)
    queued = 0
    for contact in recipients(s, list_id, settings):
        stop = f"{base}/rilis/berhenti/{unsubscribe_token(contact.id, settings.secret_key)}"
        queued += queue_mail(
            s, contact, key=f"rilis:{release.id}:kontak:{contact.id}:email", kind="rilis",
            subject=release.title, body=_body(release, url, stop, settings), link=url,
            issue_id=release.issue_id, payload={"release_id": release.id},
        )  # fmt: skip
    s.flush()
    audit(
        s,
        principal,
        "release.distribute",
        "release",
        release.id,
        {"list": list_id, "queued": queued},
    )
    return queued
