"""The writing desk's service: documents and versions in the store, checked, audited, exported.

Pages (:mod:`pantau.web.writing_pages`) and the JSON API (:mod:`pantau.web.writing_api`) both go
through these functions, so that the permission check, the review flow of
:class:`pantau.writing.Manuscript` and the audit entry happen once, the same way. Callers get
plain :class:`DocumentView` records, never ORM objects. Whoever writes is a
:class:`~pantau.store.audit.Requester` (the workflow's ``Principal`` is one), asked for each
permission by its name, so the writing stage needs nothing of the stages that hand it users and
roles.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.settings import Settings
from pantau.store.audit import Requester, record_by
from pantau.store.models import Agency, Issue
from pantau.store.writing_models import Document, DocumentVersion
from pantau.writing.desk_input import (
    MAX_TEXT_CHARS,
    DeskError,
    check,
    clean_text,
    compose_draft,
)
from pantau.writing.document import parse
from pantau.writing.export import EXPORTERS
from pantau.writing.letterhead import Letterhead
from pantau.writing.linter import fix
from pantau.writing.narrative import with_key_messages
from pantau.writing.review import Manuscript, ReviewError, ReviewStatus, Version

__all__ = [
    "FORMATS",
    "MAX_TEXT_CHARS",
    "MOVE_ACTION",
    "DeskError",
    "DocumentNotFound",
    "DocumentView",
    "VersionView",
    "apply_fixes",
    "check",
    "clean_text",
    "compose_draft",
    "create_document",
    "export",
    "get_document",
    "list_documents",
    "save_version",
    "transition",
]

logger = logging.getLogger(__name__)

#: Most documents the list shows, newest first.
LIST_LIMIT = 500

#: Export formats: name -> (exporter in pantau.writing.EXPORTERS, media type, file extension).
FORMATS: dict[str, tuple[str, str, str]] = {
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "pdf": ("pdf", "application/pdf", "pdf"),
    "html": ("html", "text/html; charset=utf-8", "html"),
    "txt": ("text", "text/plain; charset=utf-8", "txt"),
}

#: The permission each move of the review flow needs (the author submits, a coordinator approves).
MOVE_ACTION: dict[ReviewStatus, str] = {
    ReviewStatus.DRAFT: "document.edit",
    ReviewStatus.REVIEW: "document.submit",
    ReviewStatus.APPROVED: "document.approve",
    ReviewStatus.PUBLISHED: "document.publish",
}


class DocumentNotFound(LookupError):
    """No document with that id."""


@dataclass(frozen=True)
class VersionView:
    """One saved text of a document."""

    number: int
    text: str
    author: str
    note: str
    created_at: datetime


@dataclass(frozen=True)
class DocumentView:
    """A document with its versions, as pages and the API show it."""

    id: int
    kind: str
    title: str
    status: str
    issue_id: int | None
    issue_label: str | None
    agency_id: int | None
    agency: str | None
    fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    versions: tuple[VersionView, ...]

    @property
    def latest(self) -> VersionView:
        """The newest version."""
        return self.versions[-1]

    def to_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        """The JSON shape of the API."""
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "issue_id": self.issue_id,
            "agency_id": self.agency_id,
            "agency": self.agency,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "version": self.latest.number,
            "author": self.latest.author,
        }
        if with_text:
            out["text"] = self.latest.text
            out["fields"] = self.fields
            out["versions"] = [
                {
                    "number": v.number,
                    "author": v.author,
                    "note": v.note,
                    "created_at": v.created_at.isoformat(),
                }
                for v in self.versions
            ]
        return out


def _view(s: Session, doc: Document) -> DocumentView:
    issue = s.get(Issue, doc.issue_id) if doc.issue_id is not None else None
    agency = s.get(Agency, doc.agency_id) if doc.agency_id is not None else None
    return DocumentView(
        id=doc.id,
        kind=doc.kind,
        title=doc.title,
        status=doc.status,
        issue_id=doc.issue_id,
        issue_label=issue.label if issue else None,
        agency_id=doc.agency_id,
        agency=agency.name if agency else None,
        fields=dict(doc.fields or {}),
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        versions=tuple(
            VersionView(v.number, v.text, v.author, v.note, v.created_at) for v in doc.versions
        ),
    )


def _load(s: Session, doc_id: int) -> Document:
    doc = s.get(Document, doc_id)
    if doc is None:
        raise DocumentNotFound(f"Dokumen #{doc_id} tidak ditemukan.")
    return doc


def list_documents(s: Session, *, issue_id: int | None = None) -> list[DocumentView]:
    """Documents, most recently changed first (of one issue when ``issue_id`` is given)."""
    query = select(Document).order_by(Document.updated_at.desc(), Document.id.desc())
    if issue_id is not None:
        query = query.where(Document.issue_id == issue_id)
    return [_view(s, d) for d in s.scalars(query.limit(LIST_LIMIT))]


def get_document(s: Session, doc_id: int) -> DocumentView:
    """One document with its versions; :class:`DocumentNotFound` when missing."""
    return _view(s, _load(s, doc_id))


def _title(text: str, fallback: str) -> str:
    doc = parse(text)
    return doc.headline.text(text).strip()[:300] if doc.headline else fallback


def create_document(
    s: Session,
    principal: Requester,
    kind: str,
    data: Mapping[str, Any],
    settings: Settings,
    *,
    issue_id: int | None = None,
    note: str = "",
    key_messages: Sequence[str] = (),
) -> DocumentView:
    """Compose a new document from facts, owned by the issue's agency (or the author's);
    ``note`` is kept with the first version (what the author should know when editing) and
    the issue's shared ``key_messages`` go into its body (:func:`with_key_messages`)."""
    agency_id = principal.agency_id
    if issue_id is not None:
        issue = s.get(Issue, issue_id)
        if issue is None:
            raise DeskError("issue_id", f"Isu #{issue_id} tidak ditemukan.")
        if issue.agency_id is not None:
            agency_id = issue.agency_id
    principal.require("document.edit", agency_id=agency_id)
    data = with_key_messages(kind, data, key_messages)
    draft = compose_draft(kind, data, settings)
    doc = Document(
        kind=kind,
        title=draft.headline[:300],
        status=str(ReviewStatus.DRAFT),
        issue_id=issue_id,
        agency_id=agency_id,
        author_id=principal.id,
        fields=dict(data),
    )
    doc.versions.append(
        DocumentVersion(
            number=1,
            text=draft.text,
            author=principal.username,
            author_id=principal.id,
            note=note[:500],
        )
    )
    s.add(doc)
    s.flush()
    after = {"kind": kind, "issue_id": issue_id, "title": doc.title, "version": 1}
    _audit(s, principal, "document.create", doc.id, None, after)
    return _view(s, doc)


def _audit(
    s: Session,
    principal: Requester,
    action: str,
    doc_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    record_by(
        s,
        principal,
        action=action,
        object_type="document",
        object_id=doc_id,
        before=before,
        after=after,
    )


def _manuscript(doc: Document) -> Manuscript:
    versions = tuple(
        Version(v.number, v.text, v.author, v.created_at, v.note) for v in doc.versions
    )
    return Manuscript(doc.kind, versions, ReviewStatus(doc.status), doc.issue_id)


def save_version(
    s: Session, principal: Requester, doc_id: int, text: str, note: str = ""
) -> DocumentView:
    """Save ``text`` as the next version (no-op when unchanged); sends a reviewed text back."""
    doc = _load(s, doc_id)
    principal.require("document.edit", agency_id=doc.agency_id)
    text = clean_text(text)
    before = _manuscript(doc)
    try:
        after = before.edit(text, principal.username, datetime.now().astimezone(), note[:500])
    except ReviewError as exc:
        raise DeskError("text", str(exc)) from exc
    if after is before:
        return _view(s, doc)
    latest = after.latest
    doc.versions.append(
        DocumentVersion(
            number=latest.number,
            text=latest.text,
            author=principal.username,
            author_id=principal.id,
            note=latest.note,
        )
    )
    doc.status = str(after.status)
    doc.title = _title(text, doc.title)
    s.flush()
    _audit(
        s,
        principal,
        "document.edit",
        doc.id,
        {"version": before.latest.number, "status": str(before.status)},
        {"version": latest.number, "status": doc.status, "note": latest.note},
    )
    return _view(s, doc)


def apply_fixes(
    s: Session, principal: Requester, doc_id: int, text: str, settings: Settings
) -> DocumentView:
    """Apply the linter's safe fixes to ``text`` and save the result as a new version."""
    doc = _load(s, doc_id)
    principal.require("document.edit", agency_id=doc.agency_id)
    text = clean_text(text)
    fixed = fix(text, check(text, doc.kind, settings))
    return save_version(s, principal, doc_id, fixed, "perbaikan otomatis")


def transition(
    s: Session, principal: Requester, doc_id: int, to: str, settings: Settings
) -> DocumentView:
    """Move the document in the review flow, if the permission table and the flow allow it."""
    doc = _load(s, doc_id)
    try:
        target = ReviewStatus(to)
    except ValueError:
        allowed = ", ".join(str(x) for x in ReviewStatus)
        raise DeskError("to", f"Status {to!r} tidak dikenal; pilih: {allowed}.") from None
    principal.require(MOVE_ACTION[target], agency_id=doc.agency_id)
    before = _manuscript(doc)
    try:
        after = before.transition(
            target, principal.username, datetime.now().astimezone(), timezone=settings.timezone
        )
    except ReviewError as exc:
        raise DeskError("to", str(exc)) from exc
    doc.status = str(after.status)
    s.flush()
    _audit(
        s,
        principal,
        "document.transition",
        doc.id,
        {"status": str(before.status)},
        {"status": doc.status, "version": after.latest.number},
    )
    return _view(s, doc)


def export(
    view: DocumentView, fmt: str, letterhead: Letterhead | None = None
) -> tuple[bytes, str, str]:
    """The latest version as ``fmt`` (docx, pdf, html, txt): (bytes, media type, file name),
    under the owning agency's ``letterhead`` (:func:`pantau.writing.letterhead.letterhead_for`)."""
    if fmt not in FORMATS:
        raise DeskError("format", f"Format {fmt!r} tidak dikenal; pilih: {', '.join(FORMATS)}.")
    exporter, media, ext = FORMATS[fmt]
    slug = re.sub(r"[^a-z0-9]+", "-", view.title.lower()).strip("-")[:60] or "dokumen"
    return EXPORTERS[exporter](view.latest.text, letterhead), media, f"{view.id}-{slug}.{ext}"
