"""The composer's HTML form: its fields, reading them into facts, and pre-filling from an issue.

The form is flat (``quote1_speaker``, ``contact_name``); :func:`facts_from_form` turns it into the
JSON shape of :class:`pantau.writing.Fields` that the API also takes, so both share one
validation (:func:`pantau.writing.desk_input.compose_draft`).

>>> kind, data = facts_from_form({"kind": "siaran_pers", "headline": " Judul ",
...                               "details": "satu\\n\\ndua", "contact_name": "Rina"})
>>> kind, data["headline"], data["details"], data["contact"]["name"]
('siaran_pers', 'Judul', ['satu', 'dua'], 'Rina')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from pantau.store.models import Agency, Issue, User
from pantau.writing import KINDS

__all__ = [
    "KIND_LABELS",
    "LINE_FIELDS",
    "QUOTE_SLOTS",
    "TEXT_FIELDS",
    "TIME_FIELDS",
    "default_kind",
    "facts_from_form",
    "form_name",
    "prefill",
    "valid_kind",
]

#: Kinds as the form names them (English msgids; the Indonesian catalog has the office's words).
KIND_LABELS: dict[str, str] = {
    "siaran_pers": "Press release",
    "holding_statement": "Holding statement",
    "klarifikasi": "Clarification / right of reply",
    "kontra_narasi": "Counter-narrative (hoax debunk)",
    "undangan_peliputan": "Media advisory",
}
#: One-line text fields, in the order the form shows them.
TEXT_FIELDS = (
    "headline",
    "city",
    "who",
    "what",
    "where",
    "why",
    "how",
    "agency",
    "claim",
    "claim_source",
    "event",
)
#: Multi-line fields: one item a line.
LINE_FIELDS = ("details", "facts", "agenda", "speakers")
#: ``datetime-local`` fields, read as local time in the office's time zone.
TIME_FIELDS = ("when", "embargo", "next_update")
#: How many quotes the form offers; the API takes any number.
QUOTE_SLOTS = 2
_CONTACT = ("name", "position", "phone", "email")
#: Region names come as "Kota Samarinda" / "Kabupaten Kutai Kartanegara"; a dateline wants
#: the place alone.
_REGION_PREFIX = re.compile(r"^(kota|kabupaten|kab\.|provinsi)\s+", re.IGNORECASE)
#: Headlines are short (the linter warns past about 12 words); an issue label can be a sentence.
HEADLINE_CHARS = 120


def facts_from_form(form: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The kind and the facts (Fields' JSON shape) in a submitted composer form."""

    def get(name: str) -> str:
        return str(form.get(name) or "").strip()

    data: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, "boilerplate"):
        if get(name):
            data[name] = get(name)
    for name in LINE_FIELDS:
        lines = [line.strip() for line in get(name).splitlines() if line.strip()]
        if lines:
            data[name] = lines
    for name in TIME_FIELDS:
        if get(name):
            data[name] = get(name)
    quotes = []
    for i in range(1, QUOTE_SLOTS + 1):
        parts = {p: get(f"quote{i}_{p}") for p in ("text", "speaker", "position")}
        if any(parts.values()):
            quotes.append(parts)
    if quotes:
        data["quotes"] = quotes
    contact = {p: get(f"contact_{p}") for p in _CONTACT}
    if contact["name"] or any(contact.values()):
        data["contact"] = contact
    return get("kind"), data


def form_name(field: str) -> str:
    """The form input behind an error's ``field`` ("quotes.0.speaker" -> "quote1_speaker")."""
    if field.startswith("quotes."):
        _, index, *part = field.split(".")
        return f"quote{int(index) + 1}_{part[0] if part else 'text'}"
    if field == "contact":
        return "contact_name"
    return field.replace(".", "_") if field.startswith("contact.") else field


def default_kind(issue: Issue | None) -> str:
    """The document an issue calls for: a holding statement in a crisis, else a release."""
    if issue is not None and issue.stage == "crisis":
        return "holding_statement"
    return "siaran_pers"


def _region_names(issue: Issue) -> list[str]:
    names = []
    for r in issue.regions or []:
        name = str(r.get("name") or r.get("code") or "") if isinstance(r, Mapping) else str(r)
        if name:
            names.append(name)
    return names


def prefill(
    issue: Issue | None, user: User | None, agency: Agency | None, tz: str
) -> dict[str, str]:
    """Form values from an issue (label, regions, dates, agency) and the writing officer.

    "What" stays empty: an issue's key phrases are topics, and the lead needs an action.
    """
    values: dict[str, str] = {}
    if agency is not None:
        values["agency"] = agency.name
        values["who"] = agency.name
        values["boilerplate"] = agency.boilerplate or ""
    if user is not None:
        values["contact_name"] = user.full_name
        values["contact_email"] = user.email or ""
    if issue is None:
        return values
    label = issue.label.strip()
    values["headline"] = label[:HEADLINE_CHARS]
    values["claim"] = label
    regions = _region_names(issue)
    if regions:
        values["city"] = _REGION_PREFIX.sub("", regions[0]).strip().title()
        values["where"] = ", ".join(regions)
    moment = issue.last_seen or issue.first_seen
    if moment is not None:
        values["when"] = moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")
    return values


def valid_kind(kind: str | None, issue: Issue | None) -> str:
    """``kind`` when known, else the issue's default."""
    return kind if kind in KINDS else default_kind(issue)
