"""Workflow vocabulary and rules: statuses, transitions and who may make them, action types.

Statuses are set by people (``baru -> ditelaah -> ditangani -> dipantau -> selesai``); each allowed
transition names the permission action it needs, so roles and agencies are checked in one place
(:mod:`pantau.workflow.permissions`).

>>> transition_action("baru", "ditelaah")
'issue.triage'
>>> transition_action("baru", "selesai") is None
True
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from pantau.store.models import Issue
from pantau.vocabulary import STATUSES
from pantau.workflow.permissions import Principal, allowed, authorize

__all__ = [
    "ACTION_KINDS",
    "CLOSING_NOTE_MIN",
    "STATUSES",
    "STEPS",
    "SYSTEM_KINDS",
    "TRANSITIONS",
    "ClaimConflict",
    "IssueNotFound",
    "WorkflowError",
    "authorize_on",
    "load_issue",
    "province_wide",
    "transition_action",
]


#: (from, to) -> the permission action needed for it.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("baru", "ditelaah"): "issue.triage",
    ("ditelaah", "baru"): "issue.triage",
    ("baru", "ditangani"): "issue.handle",
    ("ditelaah", "ditangani"): "issue.handle",
    ("dipantau", "ditangani"): "issue.handle",
    ("ditelaah", "dipantau"): "issue.monitor",
    ("ditangani", "dipantau"): "issue.monitor",
    ("ditelaah", "selesai"): "issue.close",  # a false alarm, found while reviewing
    ("ditangani", "selesai"): "issue.close",
    ("dipantau", "selesai"): "issue.close",
    ("selesai", "ditelaah"): "issue.reopen",
}

#: The steps of issue management (Chase/Jones, as taught to Pranata Humas).
STEPS = ("identifikasi", "analisis", "opsi_strategi", "aksi", "evaluasi")

#: Actions people log, with their Indonesian names.
ACTION_KINDS: dict[str, str] = {
    "holding_statement": "Holding statement diterbitkan",
    "siaran_pers": "Siaran pers dipublikasikan",
    "klarifikasi": "Klarifikasi disampaikan",
    "hak_jawab": "Hak jawab dikirim",
    "rapat_koordinasi": "Rapat koordinasi",
    "cek_lapangan": "Pengecekan lapangan",
    "tindak_lanjut_lapor": "Tindak lanjut LAPOR!",
    "catatan": "Catatan",
}
#: Entries the workflow itself writes into the action log.
SYSTEM_KINDS: dict[str, str] = {
    "status": "Status diubah",
    "penugasan": "Penugasan",
    "klaim": "Diklaim",
    "lepas_klaim": "Klaim dilepas",
    "serah_terima": "Serah terima penanganan",
    "serah_instansi": "Dialihkan ke instansi lain",
    "eskalasi": "Eskalasi ke krisis",
    "pelajaran": "Pelajaran (lessons learned)",
}
#: A lessons-learned note shorter than this says nothing; one sentence is enough.
CLOSING_NOTE_MIN = 15


class WorkflowError(ValueError):
    """A request the workflow refuses; ``field`` names what to fix, the message says how."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ClaimConflict(WorkflowError):
    """Someone else holds the issue; ``holder`` is their name for the message."""

    def __init__(self, holder: str, agency: str | None) -> None:
        where = f" ({agency})" if agency else ""
        super().__init__("claim", f"isu ini sedang ditangani oleh {holder}{where}")
        self.holder = holder
        self.agency = agency


class IssueNotFound(LookupError):
    """No such issue."""


def transition_action(current: str, target: str) -> str | None:
    """The permission action for moving ``current -> target``, None when not allowed at all."""
    return TRANSITIONS.get((current, target))


def load_issue(session: Session, issue_id: int) -> Issue:
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise IssueNotFound(f"isu #{issue_id} tidak ditemukan")
    return issue


def authorize_on(principal: Principal, action: str, issue: Issue) -> None:
    """The permission check for ``action`` on ``issue``, scoped by the agency it is assigned to."""
    authorize(principal, action, agency_id=issue.agency_id)


#: No agency has this id, so ``allowed(..., agency_id=NO_AGENCY)`` holds only for a
#: province-wide scope: how "may do this for anyone's issue" is asked.
NO_AGENCY = -1


def province_wide(principal: Principal, action: str) -> bool:
    """Whether the principal may do ``action`` on any agency's issue (coordinator, admin)."""
    return allowed(principal, action, agency_id=NO_AGENCY)
