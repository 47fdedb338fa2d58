"""The issue's shared key messages put into a draft, whichever agency writes it.

Every office handling one issue says the same few things (the single narrative, Inpres 9/2015):
a draft about the issue carries its key messages in the body a kind has for them (a release's
and a holding statement's details, a clarification's facts), first, ahead of what the author
added. A message the draft already says is not said twice; an invitation carries none.

>>> data = {"details": ["Jalur evakuasi dibuka."]}
>>> with_key_messages("siaran_pers", data, ["Posko dibuka 24 jam.", "Jalur evakuasi dibuka."])
{'details': ['Posko dibuka 24 jam.', 'Jalur evakuasi dibuka.']}
>>> with_key_messages("undangan_peliputan", data, ["Posko dibuka 24 jam."]) == data
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MESSAGE_FIELD", "with_key_messages"]

#: Where each kind says its substance; kinds absent here carry no key messages.
MESSAGE_FIELD: dict[str, str] = {
    "siaran_pers": "details",
    "holding_statement": "details",
    "klarifikasi": "facts",
    "kontra_narasi": "facts",
}


def _said(text: str) -> str:
    return " ".join(text.split()).casefold()


def with_key_messages(
    kind: str, data: Mapping[str, Any], messages: Sequence[str]
) -> dict[str, Any]:
    """``data`` with the key messages first in the kind's body field (a new dict)."""
    out = dict(data)
    name = MESSAGE_FIELD.get(kind)
    if name is None or not messages:
        return out
    present = [str(p) for p in out.get(name) or []]
    known = {_said(p) for p in present}
    missing = [m for m in messages if _said(m) not in known]
    out[name] = [*missing, *present]
    return out
