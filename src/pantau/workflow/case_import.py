"""Historical cases from a spreadsheet, so that a province starts with its memory.

A CSV (UTF-8, header row) with one past case per line; columns (Indonesian, as an officer keeps
them): ``judul``, ``mulai`` and ``selesai`` (YYYY-MM-DD), the lessons learned (required as when
closing an issue) as ``berhasil`` (what worked), ``gagal`` (what did not) and ``lain_kali`` (what
to do next time), each ``;``-separated, and/or ``pelajaran`` (one free-text note), and optionally
``wilayah`` (kab/kota codes, ``;``-separated),
``instansi`` (an agency's exact name), ``tindakan`` (action kinds such as ``holding_statement;
cek_lapangan``) and ``kata_kunci`` (``;``-separated). Each good line becomes a closed issue with
its action log, found by the case library and offered as a similar case. A bad line is
quarantined with its line number and reason and the rest go on; importing the same file again
adds nothing (each case is keyed by its title and start date).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.audit import record
from pantau.store.models import Agency, Issue
from pantau.store.regions import kab_kota_of, region_name
from pantau.store.workflow_models import IssueAction
from pantau.workflow.lessons import Lessons, record_lessons, require_lessons
from pantau.workflow.statuses import ACTION_KINDS, WorkflowError

__all__ = ["CaseImport", "import_cases"]

logger = logging.getLogger(__name__)

REQUIRED = ("judul", "mulai", "selesai")
#: Prefix of the issue key of an imported case (the tracker's own keys never start with it).
KEY_PREFIX = "kasus-impor:"


@dataclass
class CaseImport:
    """What an import did: cases added, lines already there, lines quarantined with why."""

    imported: list[int] = field(default_factory=list)
    duplicates: int = 0
    quarantined: list[tuple[int, str]] = field(default_factory=list)


def _day(value: str, name: str) -> datetime:
    try:
        return datetime.combine(datetime.strptime(value.strip(), "%Y-%m-%d").date(), time(12), UTC)
    except ValueError:
        raise ValueError(f"kolom '{name}': {value!r} bukan tanggal YYYY-MM-DD") from None


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _lessons(row: dict[str, str]) -> Lessons:
    learned = Lessons(
        worked=_split(row.get("berhasil")),
        failed=_split(row.get("gagal")),
        next_time=_split(row.get("lain_kali")),
        note=[note] if (note := (row.get("pelajaran") or "").strip()) else [],
    )
    try:
        require_lessons(learned)
    except WorkflowError as exc:
        columns = "'berhasil', 'gagal', 'lain_kali' atau 'pelajaran'"
        raise ValueError(f"kolom {columns}: {exc.message}") from None
    return learned


def _issue(
    row: dict[str, str], agencies: dict[str, int]
) -> tuple[Issue, list[str], Lessons, datetime, datetime]:
    """The closed issue of one line, its action kinds and lessons; ``ValueError`` says what is
    wrong."""
    missing = [c for c in REQUIRED if not (row.get(c) or "").strip()]
    if missing:
        raise ValueError(f"kolom wajib kosong: {', '.join(missing)}")
    start, end = _day(row["mulai"], "mulai"), _day(row["selesai"], "selesai")
    if end < start:
        raise ValueError("kolom 'selesai' sebelum 'mulai'")
    learned = _lessons(row)
    kinds = _split(row.get("tindakan"))
    unknown = [k for k in kinds if k not in ACTION_KINDS]
    if unknown:
        raise ValueError(f"kolom 'tindakan': {', '.join(unknown)} tidak dikenal")
    agency = (row.get("instansi") or "").strip()
    if agency and agency not in agencies:
        raise ValueError(f"kolom 'instansi': {agency!r} tidak terdaftar")
    codes = [c for c in _split(row.get("wilayah")) if kab_kota_of(c)]
    label = row["judul"].strip()[:500]
    key = hashlib.sha256(f"{label}|{start.date()}".encode()).hexdigest()[:32]
    issue = Issue(
        key=KEY_PREFIX + key,
        label=label,
        label_locked=True,
        key_phrases=_split(row.get("kata_kunci")),
        regions=[{"code": c, "name": region_name(c), "count": 1} for c in codes],
        first_seen=start,
        last_seen=end,
        status="selesai",
        stage="dormant",
        agency_id=agencies.get(agency),
        created_at=start,
        updated_at=end,
    )
    return issue, kinds, learned, start, end


def import_cases(session: Session, text: str, actor: str) -> CaseImport:
    """Import the cases of CSV ``text``; audited as ``actor``."""
    agencies = {a.name: a.id for a in session.scalars(select(Agency))}
    known = set(session.scalars(select(Issue.key).where(Issue.key.like(KEY_PREFIX + "%"))))
    result = CaseImport()
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            issue, kinds, learned, start, end = _issue(row, agencies)
        except ValueError as exc:
            result.quarantined.append((line, str(exc)))
            continue
        if issue.key in known:
            result.duplicates += 1
            continue
        known.add(issue.key)
        session.add(issue)
        session.flush()
        record_lessons(session, issue.id, learned, agency_id=issue.agency_id, at=end)
        log = [("aksi", k, "", start) for k in kinds]
        log.append(("evaluasi", "pelajaran", learned.text(), end))
        for step, kind, note, at in log:
            session.add(
                IssueAction(
                    issue_id=issue.id,
                    agency_id=issue.agency_id,
                    step=step,
                    kind=kind,
                    note=note,
                    at=at,
                    data={"impor": True},
                )
            )
        result.imported.append(issue.id)
    record(
        session,
        actor=actor,
        action="case.import",
        object_type="issue",
        after={
            "imported": len(result.imported),
            "duplicates": result.duplicates,
            "quarantined": len(result.quarantined),
        },
    )
    logger.info(
        "imported %d cases (%d duplicate, %d quarantined)",
        len(result.imported),
        result.duplicates,
        len(result.quarantined),
    )
    return result
