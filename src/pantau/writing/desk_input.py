"""What the writing desk accepts: facts to compose from and texts to lint, errors naming the field.

Store-free, shared by :mod:`pantau.writing.desk` and the web pages: a text from a browser is
cleaned (CRLF line ends, size), checked with the office's time zone and extra words, and facts
are validated field by field before :func:`pantau.writing.compose` renders them.

>>> clean_text("Judul\\r\\nSAMARINDA - Teks.")
'Judul\\nSAMARINDA - Teks.'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pantau.settings import Settings
from pantau.writing import KINDS, ComposeError, Draft, Finding, compose, lint
from pantau.writing.composer import LABELS, REQUIRED

__all__ = ["MAX_TEXT_CHARS", "DeskError", "check", "clean_text", "compose_draft"]

logger = logging.getLogger(__name__)

#: Longest text the desk stores or checks live: a release is a few thousand characters, and the
#: linter needs seconds for a megabyte (issue 8), too slow for checking as one types.
MAX_TEXT_CHARS = 200_000


class DeskError(ValueError):
    """Input the desk refuses; ``field`` names the form or JSON field, ``message`` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _extra_words(settings: Settings) -> list[str]:
    path = settings.writing_extra_words
    if not path:
        return []
    try:
        return Path(path).read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError) as exc:
        logger.warning("writing_extra_words %s unreadable: %s", path, exc)
        return []


def clean_text(text: str) -> str:
    """``text`` with browser line endings (CRLF) made plain; refuses empty and oversized text."""
    if not text.strip():
        raise DeskError("text", "Naskah tidak boleh kosong.")
    if len(text) > MAX_TEXT_CHARS:
        raise DeskError(
            "text",
            f"Naskah terlalu panjang ({len(text)} karakter; paling banyak {MAX_TEXT_CHARS}).",
        )
    return text.replace("\r\n", "\n")


def check(text: str, kind: str | None, settings: Settings) -> list[Finding]:
    """The linter's findings for ``text`` with the office's time zone and extra words."""
    return lint(
        clean_text(text),
        kind=kind,
        timezone=settings.timezone,
        extra_words=_extra_words(settings),
    )


#: The JSON shape of the facts: text fields, lists of lines, ISO 8601 times.
_TEXT = ("headline", "city", "who", "what", "where", "why", "how", "agency", "boilerplate")
_TEXT_MORE = ("claim", "claim_source", "event")
_LINES = ("details", "facts", "agenda", "speakers")
_TIMES = ("when", "embargo", "next_update")
_QUOTE_PARTS = frozenset({"text", "speaker", "position", "short_name"})
_CONTACT_PARTS = frozenset({"name", "position", "phone", "email"})


def _check_parts(field: str, value: object, parts: frozenset[str]) -> None:
    if not isinstance(value, Mapping):
        raise DeskError(field, f"Isian {field!r} harus berupa objek ({', '.join(sorted(parts))}).")
    for key, part in value.items():
        if key not in parts:
            raise DeskError(f"{field}.{key}", f"Isian {field}.{key} tidak dikenal.")
        if not isinstance(part, str):
            raise DeskError(f"{field}.{key}", f"Isian {field}.{key} harus berupa teks.")


def _check_shapes(data: Mapping[str, Any]) -> None:
    """Refuse values of the wrong JSON type before they reach the templates."""
    for name in (*_TEXT, *_TEXT_MORE):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise DeskError(name, f"Isian {name!r} harus berupa teks.")
    for name in _TIMES:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise DeskError(name, f"Isian {name!r} harus berupa waktu ISO 8601 dalam teks.")
    for name in _LINES:
        value = data.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise DeskError(name, f"Isian {name!r} harus berupa daftar teks.")
    quotes = data.get("quotes")
    if quotes is not None and not isinstance(quotes, list):
        raise DeskError("quotes", "Isian 'quotes' harus berupa daftar kutipan.")
    for i, quote in enumerate(quotes or []):
        _check_parts(f"quotes.{i}", quote, _QUOTE_PARTS)
    if data.get("contact") is not None:
        _check_parts("contact", data["contact"], _CONTACT_PARTS)


def compose_draft(kind: str, data: Mapping[str, Any], settings: Settings) -> Draft:
    """Compose ``kind`` from ``data`` (Fields' JSON shape); errors name the missing field."""
    _check_shapes(data)
    if kind not in KINDS:
        raise DeskError("kind", f"Jenis dokumen {kind!r} tidak dikenal; pilih: {', '.join(KINDS)}.")
    for name in REQUIRED[kind]:
        value = data.get(name)
        if value is None or (isinstance(value, str | list | dict) and not value):
            label = LABELS.get(name, name)
            raise DeskError(name, f"Isian {name!r} ({label}) wajib diisi untuk {kind}.")
    if not str((data.get("contact") or {}).get("name") or "").strip():
        raise DeskError("contact.name", "Nama narahubung wajib diisi.")
    for i, quote in enumerate(data.get("quotes") or []):
        for part, label in (("text", "isi"), ("speaker", "nama lengkap"), ("position", "jabatan")):
            if not str(quote.get(part) or "").strip():
                raise DeskError(
                    f"quotes.{i}.{part}", f"Kutipan ke-{i + 1}: {label} narasumber wajib diisi."
                )
    try:
        return compose(
            kind, data, templates_dir=settings.writing_templates_dir, timezone=settings.timezone
        )
    except ComposeError as exc:
        named = re.search(r"'(\w+)'", str(exc))
        raise DeskError(named.group(1) if named else "fields", str(exc)) from exc
    except (TypeError, AttributeError, ValueError) as exc:  # a shape _check_shapes let through
        logger.info("compose %s refused: %s", kind, exc)
        raise DeskError("fields", f"Isian tidak dapat disusun: {exc}") from exc
