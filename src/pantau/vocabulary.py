"""One vocabulary for an issue's lifecycle stage and workflow status, shown the same everywhere.

The stage comes from the data (Hainsworth's lifecycle, computed by the detector) unless a person
escalated the issue to crisis; the status is set by people. Pages, reports, alerts and the API
name both through the functions here, whose words come from the Babel catalogs, so one stage
never has three names.

>>> stage_name("emerging")
'mencuat'
>>> stage_name("emerging", "en")
'emerging'
>>> status_name("ditangani", "en")
'in progress'
>>> stage_name("unknown-stage")
'unknown-stage'
"""

from __future__ import annotations

__all__ = ["STAGES", "STATUSES", "stage_name", "status_name"]

#: Lifecycle stages in Hainsworth's order (the detector's ranks follow it).
STAGES: tuple[str, ...] = ("potential", "emerging", "current", "crisis", "dormant")
#: Workflow statuses in their usual order: baru -> ditelaah -> ditangani -> dipantau -> selesai.
STATUSES: tuple[str, ...] = ("baru", "ditelaah", "ditangani", "dipantau", "selesai")


def _word(key: str, locale: str) -> str:
    from pantau.i18n import translations  # the catalogs load on first use, not on import

    return translations(locale).gettext(key)


def stage_name(stage: str, locale: str = "id") -> str:
    """The stage's name in ``locale`` (``id`` by default); an unknown stage is shown as it is."""
    return _word(stage, locale) if stage in STAGES else stage


def status_name(status: str, locale: str = "id") -> str:
    """The workflow status's name in ``locale``; an unknown status is shown as it is."""
    return _word(status, locale) if status in STATUSES else status
