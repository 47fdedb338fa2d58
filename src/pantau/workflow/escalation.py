"""Escalation holds an issue at "crisis" wherever it is shown, until it is closed or de-escalated.

The detector keeps computing the stage from the data (``Issue.detected_stage``); the stage every
page, count, report and API reads (``Issue.stage``) is "crisis" while the issue is escalated. Both
writers go through this module, so the two can never disagree.

>>> from pantau.store.models import Issue
>>> issue = Issue(label="Banjir Samarinda", stage="emerging")
>>> set_detected_stage(issue, "current"); issue.stage
'current'
>>> hold_crisis(issue); issue.stage, issue.detected_stage
('crisis', 'current')
>>> set_detected_stage(issue, "dormant"); issue.stage
'crisis'
>>> end_escalation(issue); issue.stage, issue.escalated_at is None
('dormant', True)
"""

from __future__ import annotations

from pantau.store.models import Issue
from pantau.store.types import utcnow

__all__ = ["end_escalation", "hold_crisis", "set_detected_stage"]

CRISIS = "crisis"


def set_detected_stage(issue: Issue, stage: str) -> None:
    """The detector's stage for ``issue``; shown unless a person escalated the issue."""
    issue.detected_stage = stage
    issue.stage = CRISIS if issue.escalated_at is not None else stage


def hold_crisis(issue: Issue) -> None:
    """Escalate: the issue reads "crisis" everywhere from now on."""
    if issue.detected_stage is None:
        issue.detected_stage = issue.stage
    if issue.escalated_at is None:
        issue.escalated_at = utcnow()
    issue.stage = CRISIS


def end_escalation(issue: Issue) -> None:
    """Closing or de-escalating: the issue shows the detector's stage again."""
    issue.escalated_at = None
    issue.stage = issue.detected_stage or issue.stage
