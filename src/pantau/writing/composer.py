"""Compose a release from structured facts through Jinja2 templates an administrator can edit.

``compose(kind, fields)`` validates the facts a kind needs (what, who, when, where; quotes with
speaker and position; contact; embargo), formats dates the Indonesian news way and renders
``templates/<kind>.j2``. A folder named by the ``writing_templates_dir`` setting is searched
first, so an office overrides one template (or the ``_boilerplate.j2`` partial) by dropping a
file with the same name there.

>>> draft = compose("siaran_pers", EXAMPLE_FIELDS)
>>> draft.text.splitlines()[0]
'UNTUK DISIARKAN SEGERA'
>>> "SAMARINDA - Pemerintah Provinsi Kalimantan Timur" in draft.text
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from pantau.writing.indonesian import DAY_NAMES, clock, day_date, localize, long_date
from pantau.writing.model import KINDS, Draft

__all__ = [
    "EXAMPLE_FIELDS",
    "ComposeError",
    "Contact",
    "Fields",
    "Quote",
    "compose",
    "example_fields",
]

logger = logging.getLogger(__name__)

#: Fields each kind cannot do without; the rest are optional.
REQUIRED: dict[str, tuple[str, ...]] = {
    "siaran_pers": ("headline", "city", "who", "what", "when", "where", "contact"),
    "holding_statement": ("headline", "city", "who", "what", "when", "where", "contact"),
    "klarifikasi": ("headline", "city", "who", "claim", "facts", "when", "contact"),
    "kontra_narasi": ("headline", "city", "who", "claim", "facts", "when", "contact"),
    "undangan_peliputan": ("headline", "who", "event", "when", "where", "contact"),
}

#: Field names in Indonesian, for error messages an officer can act on.
LABELS: dict[str, str] = {
    "headline": "judul",
    "city": "kota dateline",
    "who": "siapa",
    "what": "apa",
    "when": "kapan",
    "where": "di mana",
    "contact": "narahubung",
    "claim": "klaim yang diluruskan",
    "facts": "fakta",
    "event": "nama acara",
}


class ComposeError(ValueError):
    """The facts given cannot make the requested document; the message names the field."""


@dataclass(frozen=True)
class Quote:
    """A quotation with its speaker's full name and position."""

    text: str
    speaker: str
    position: str
    short_name: str = ""


@dataclass(frozen=True)
class Contact:
    """The person journalists call about the release."""

    name: str
    position: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Fields:
    """The facts a document is composed from (all text already in Indonesian)."""

    headline: str = ""
    city: str = ""
    who: str = ""
    what: str = ""
    when: datetime | None = None
    where: str = ""
    why: str = ""
    how: str = ""
    details: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    agency: str = ""
    boilerplate: str = ""
    contact: Contact | None = None
    embargo: datetime | None = None
    claim: str = ""
    claim_source: str = ""
    facts: list[str] = field(default_factory=list)
    next_update: datetime | None = None
    agenda: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    event: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Fields:
        """Fields from JSON-like data: ISO 8601 strings for times, dicts for quotes and contact."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ComposeError(f"Isian tidak dikenal: {', '.join(unknown)}.")
        values: dict[str, Any] = dict(data)
        for key in ("when", "embargo", "next_update"):
            if isinstance(values.get(key), str):
                try:
                    values[key] = datetime.fromisoformat(values[key])
                except ValueError as exc:
                    raise ComposeError(
                        f"Isian {key!r}: {values[key]!r} bukan waktu ISO 8601 "
                        "(mis. 2024-09-24T10:00:00+08:00)."
                    ) from exc
        quotes = values.get("quotes") or []  # null in JSON means "no quotes"
        if not isinstance(quotes, list):
            raise ComposeError(
                f"Isian 'quotes' harus daftar kutipan, bukan {type(quotes).__name__}."
            )
        try:
            values["quotes"] = [q if isinstance(q, Quote) else Quote(**q) for q in quotes]
        except TypeError as exc:
            raise ComposeError(f"Isian 'quotes' tidak lengkap: {exc}.") from exc
        contact = values.get("contact")
        try:
            if isinstance(contact, Mapping):
                values["contact"] = Contact(**contact)
        except TypeError as exc:
            raise ComposeError(f"Isian 'contact' tidak lengkap: {exc}.") from exc
        return cls(**values)


#: A complete set of facts, used in docs, tests and ``pantau compose --example``.
EXAMPLE_FIELDS: dict[str, Any] = {
    "headline": "Pemprov Kaltim Buka Posko Aduan Banjir 24 Jam",
    "city": "Samarinda",
    "who": "Pemerintah Provinsi Kalimantan Timur",
    "what": "membuka posko aduan banjir yang melayani warga selama 24 jam",
    "when": "2024-09-24T10:00:00+08:00",
    "where": "Kantor Gubernur Kaltim, Samarinda",
    "why": "Posko dibuka karena curah hujan tinggi diperkirakan berlangsung hingga akhir bulan.",
    "how": "Warga dapat melapor melalui telepon, pesan singkat, atau datang langsung ke posko.",
    "details": [
        "Posko melibatkan petugas dari BPBD, Dinas Sosial, dan Dinas Kesehatan.",
    ],
    "quotes": [
        {
            "text": "Kami ingin setiap laporan warga ditangani dalam hitungan jam, bukan hari",
            "speaker": "Muhammad Faisal",
            "position": "Kepala Dinas Komunikasi dan Informatika Kaltim",
            "short_name": "Faisal",
        }
    ],
    "agency": "Dinas Komunikasi dan Informatika Provinsi Kalimantan Timur",
    "boilerplate": "Diskominfo Kaltim mengelola informasi publik dan komunikasi pemerintah "
    "di Provinsi Kalimantan Timur.",
    "contact": {
        "name": "Rina Wulandari",
        "position": "Pranata Humas",
        "phone": "0812-0000-0000",
        "email": "humas@example.go.id",
    },
}


#: Facts only some kinds use, added to :data:`EXAMPLE_FIELDS` by :func:`example_fields`.
_KIND_EXAMPLES: dict[str, dict[str, Any]] = {
    "holding_statement": {"next_update": "2024-09-24T16:00:00+08:00"},
    "klarifikasi": {
        "claim": "pembagian uang tunai Rp500.000 bagi korban banjir",
        "claim_source": "di media sosial",
        "facts": [
            "Pemprov Kaltim tidak pernah membagikan uang tunai kepada korban banjir.",
            "Bantuan yang disalurkan berupa paket sembako dan layanan kesehatan.",
        ],
    },
    "undangan_peliputan": {
        "event": "peluncuran posko aduan banjir terpadu",
        "agenda": ["Peluncuran posko", "Tanya jawab dengan media"],
        "speakers": ["Kepala Dinas Komunikasi dan Informatika Kaltim Muhammad Faisal"],
    },
}
_KIND_EXAMPLES["kontra_narasi"] = _KIND_EXAMPLES["klarifikasi"]


def example_fields(kind: str) -> dict[str, Any]:
    """A complete set of facts for ``kind`` (``pantau compose KIND --example``)."""
    if kind not in KINDS:
        raise ComposeError(f"Jenis dokumen {kind!r} tidak dikenal; pilih salah satu: {KINDS}.")
    return {**EXAMPLE_FIELDS, **_KIND_EXAMPLES.get(kind, {})}


def _environment(templates_dir: str | Path | None) -> SandboxedEnvironment:
    loaders: list[Any] = []
    if templates_dir:
        loaders.append(FileSystemLoader(str(templates_dir)))
    loaders.append(PackageLoader("pantau.writing", "templates"))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,  # plain text; the HTML exporter escapes
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _missing(fields: Fields, names: Sequence[str]) -> list[str]:
    return [LABELS.get(n, n) for n in names if not getattr(fields, n)]


def _tidy(text: str) -> str:
    """One paragraph a line, one blank line between paragraphs, no trailing spaces."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


def compose(
    kind: str,
    fields: Fields | Mapping[str, Any],
    *,
    templates_dir: str | Path | None = None,
    timezone: str = "Asia/Makassar",
) -> Draft:
    """Render the ``kind`` template from ``fields``; raise :class:`ComposeError` on gaps."""
    if kind not in KINDS:
        raise ComposeError(f"Jenis dokumen {kind!r} tidak dikenal; pilih salah satu: {KINDS}.")
    facts = fields if isinstance(fields, Fields) else Fields.from_mapping(fields)
    missing = _missing(facts, REQUIRED[kind])
    if missing:
        raise ComposeError(f"Isian wajib untuk {kind} belum diisi: {', '.join(missing)}.")
    when = localize(facts.when, timezone) if facts.when else None
    seen: set[str] = set()
    quotes = []
    for q in facts.quotes:
        short = q.short_name or q.speaker.split()[0]
        said = q.text.strip().rstrip(".,").strip('"“”')
        quotes.append(
            {
                **q.__dict__,
                "text": said,
                "sep": "" if said.endswith(("?", "!")) else ",",
                "short_name": short,
                "first": q.speaker not in seen,
            }
        )
        seen.add(q.speaker)
    context = {
        **facts.__dict__,
        "kind": kind,
        "city": facts.city.upper(),
        "quotes": quotes,
        "when_day_date": day_date(when) if when else "",
        "when_long": long_date(when) if when else "",
        "when_weekday": DAY_NAMES[when.weekday()] if when else "",
        "when_clock": clock(when, timezone) if when else "",
        "embargo_text": (
            f"{day_date(localize(facts.embargo, timezone))} pukul {clock(facts.embargo, timezone)}"
            if facts.embargo
            else ""
        ),
        "next_update_text": (
            f"{day_date(localize(facts.next_update, timezone))} pukul "
            f"{clock(facts.next_update, timezone)}"
            if facts.next_update
            else ""
        ),
    }
    env = _environment(templates_dir)
    try:
        text = env.get_template(f"{kind}.j2").render(context)
    except TemplateError as exc:
        raise ComposeError(f"Templat {kind}.j2 gagal dirender: {exc}") from exc
    logger.debug("composed %s (%d characters)", kind, len(text))
    return Draft(kind=kind, headline=facts.headline.strip(), text=_tidy(text))
