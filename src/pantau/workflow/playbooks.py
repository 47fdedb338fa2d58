"""Crisis playbooks: per category, what to say and do, by when and by whom (SCCT made practical).

A playbook is data (``pantau/data/playbooks/<category>.yaml``, on top of ``_common.yaml``): the
crisis type of Situational Crisis Communication Theory (victim, accidental, preventable) decides
the response strategy and the checklist's shape; the category adds the agencies, key messages,
the holding-statement template and the one-line advice the weekly brief gives. An issue gets the
playbook of its category (:func:`playbook_for`), and its checklist is ticked by the workflow's
logged actions (:func:`checklist`): an item is done when the action log holds its kinds, late
when done (or still open) past its time target counted from the issue's first sighting.

>>> flood = load_playbooks()["banjir"]
>>> flood.crisis_type, flood.checklist[0].within_hours
('victim', 1.0)
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from pantau.text import tokens
from pantau.workflow.categories import CATEGORIES, categorize

__all__ = [
    "CRISIS_TYPES",
    "ChecklistItem",
    "Playbook",
    "PlaybookError",
    "TickedItem",
    "checklist",
    "load_playbooks",
    "parse_playbook",
    "playbook_for",
]

logger = logging.getLogger(__name__)

#: SCCT crisis types, by how much responsibility the public attributes to the organisation.
CRISIS_TYPES = {
    "victim": "korban (tanggung jawab rendah)",
    "accidental": "kecelakaan (tanggung jawab sedang)",
    "preventable": "dapat dicegah (tanggung jawab tinggi)",
}


class PlaybookError(ValueError):
    """A playbook that cannot be used; the message names the field and what to fix."""


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do, by whom, within how many hours of the first alert, ticked by which kinds."""

    id: str
    task: str
    role: str
    within_hours: float
    done_by: tuple[str, ...]
    times: int = 1


@dataclass(frozen=True)
class Playbook:
    """What to say and do for one category of issue."""

    key: str
    title: str
    crisis_type: str
    strategy: str
    agencies: str
    key_messages: tuple[str, ...]
    holding_statement: str
    advice: str
    checklist: tuple[ChecklistItem, ...]
    roles: dict[str, str]


@dataclass(frozen=True)
class TickedItem:
    """A checklist item for one issue: done or not, when, and whether past its target."""

    item: ChecklistItem
    done_at: datetime | None
    due: datetime | None
    late: bool


def _need(data: dict[str, Any], name: str, where: str) -> Any:
    if name not in data or data[name] in (None, ""):
        raise PlaybookError(f"{where}: field {name!r} is missing")
    return data[name]


def _items(raw: Sequence[Any], where: str) -> tuple[ChecklistItem, ...]:
    out = []
    for n, item in enumerate(raw, 1):
        at = f"{where} checklist item {n}"
        if not isinstance(item, dict):
            raise PlaybookError(f"{at}: expected a mapping, got {type(item).__name__}")
        done_by = _need(item, "done_by", at)
        out.append(
            ChecklistItem(
                id=str(_need(item, "id", at)),
                task=str(_need(item, "task", at)),
                role=str(_need(item, "role", at)),
                within_hours=float(_need(item, "within_hours", at)),
                done_by=tuple(
                    str(k) for k in (done_by if isinstance(done_by, list) else [done_by])
                ),
                times=int(item.get("times", 1)),
            )
        )
    return tuple(out)


@cache
def _common() -> dict[str, Any]:
    text = resources.files("pantau.data").joinpath("playbooks", "_common.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def parse_playbook(text: str, where: str = "playbook") -> Playbook:
    """A playbook from its YAML text, on top of the common checklists; :class:`PlaybookError`
    names the field when something is missing or wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlaybookError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise PlaybookError(f"{where}: expected a mapping of fields")
    common = _common()
    ctype = str(_need(data, "crisis_type", where))
    if ctype not in CRISIS_TYPES:
        raise PlaybookError(f"{where}: crisis_type {ctype!r} is not one of {sorted(CRISIS_TYPES)}")
    base = data.get("checklist") or common["checklists"][ctype]
    items = _items([*base, *(data.get("extra_checklist") or [])], where)
    return Playbook(
        key=str(_need(data, "key", where)),
        title=str(_need(data, "title", where)),
        crisis_type=ctype,
        strategy=str(data.get("strategy") or common["strategies"][ctype]),
        agencies=str(data.get("agencies") or ""),
        key_messages=tuple(str(m) for m in _need(data, "key_messages", where)),
        holding_statement=str(_need(data, "holding_statement", where)),
        advice=str(_need(data, "advice", where)),
        checklist=items,
        roles={**common["roles"], **(data.get("roles") or {})},
    )


@cache
def load_playbooks() -> dict[str, Playbook]:
    """The shipped playbooks by category key (one per :data:`CATEGORIES` entry)."""
    folder = resources.files("pantau.data").joinpath("playbooks")
    out = {}
    for cat in CATEGORIES:
        out[cat.key] = parse_playbook(
            folder.joinpath(f"{cat.key}.yaml").read_text("utf-8"), f"{cat.key}.yaml"
        )
    return out


def playbook_for(
    texts: Sequence[str], playbooks: dict[str, Playbook] | None = None
) -> Playbook | None:
    """The playbook of the category ``texts`` are about (label, key phrases), or ``None``."""
    key = categorize(tokens(" ".join(texts)))
    return (playbooks or load_playbooks()).get(key) if key else None


def checklist(
    playbook: Playbook,
    actions: Sequence[tuple[str, datetime]],
    first_seen: datetime | None,
    now: datetime,
) -> list[TickedItem]:
    """Each item of ``playbook`` ticked by ``actions`` (kind, when), in the log's order."""
    ordered = sorted(actions, key=lambda a: a[1])
    out = []
    for item in playbook.checklist:
        seen: Counter[str] = Counter()
        done_at = None
        for kind, at in ordered:
            if kind in item.done_by:
                seen[kind] += 1
                if sum(seen.values()) >= item.times:
                    done_at = at
                    break
        due = first_seen + timedelta(hours=item.within_hours) if first_seen else None
        late = due is not None and (done_at or now) > due
        out.append(TickedItem(item, done_at, due, late))
    return out
