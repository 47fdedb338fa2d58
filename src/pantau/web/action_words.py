"""The action log's entries in the reader's language.

The workflow names each kind of action in Indonesian (:data:`pantau.workflow.statuses
.ACTION_KINDS`, the log people read in reports and exports); pages translate the kind's code
through the catalog, whose message ids are the English names here.

>>> action_word("klarifikasi", "en"), action_word("klarifikasi", "id")
('Clarification issued', 'Klarifikasi disampaikan')
>>> action_word("tidak_dikenal", "en", "Tidak dikenal")
'Tidak dikenal'
"""

from __future__ import annotations

from pantau.i18n import translations

__all__ = ["ACTION_WORDS", "action_word"]


def _(message: str) -> str:
    return message


#: English message ids of every action kind the log can hold (people's and the workflow's own).
ACTION_WORDS: dict[str, str] = {
    "holding_statement": _("Holding statement issued"),
    "siaran_pers": _("Press release published"),
    "klarifikasi": _("Clarification issued"),
    "hak_jawab": _("Right of reply sent"),
    "rapat_koordinasi": _("Coordination meeting"),
    "cek_lapangan": _("Field check"),
    "tindak_lanjut_lapor": _("LAPOR! follow-up"),
    "catatan": _("Note"),
    "status": _("Status changed"),
    "penugasan": _("Assigned"),
    "klaim": _("Claimed"),
    "lepas_klaim": _("Claim released"),
    "serah_terima": _("Handed over"),
    "serah_instansi": _("Handed off to another agency"),
    "eskalasi": _("Escalated to crisis"),
    "pelajaran": _("Lessons learned"),
}


def action_word(kind: str, lang: str, fallback: str | None = None) -> str:
    """The name of an action kind in ``lang``; ``fallback`` (or the code) for an unknown kind."""
    word = ACTION_WORDS.get(kind)
    if word is None:
        return fallback or kind
    return translations(lang).gettext(word)
