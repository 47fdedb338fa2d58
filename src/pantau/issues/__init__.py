"""The ``issues`` stage: mentions become issues online, are watched for bursts and crossover,
and are scored for risk with their reasons.

>>> from pantau.issues import IssueTracker, Mention
>>> tracker = IssueTracker()
>>> tracker.update(Mention("1", "Jalan rusak di Sangatta")).issue
'isu-1'
"""

from pantau.issues.clustering import OnlineClusterer
from pantau.issues.detection import STAGES, BurstDetector
from pantau.issues.records import Alert, Assignment, Mention, MentionError
from pantau.issues.risk import DEFAULT_WEIGHTS, risk_score
from pantau.issues.summary import IssueSummary
from pantau.issues.tracker import IssueTracker

__all__ = [
    "DEFAULT_WEIGHTS",
    "STAGES",
    "Alert",
    "Assignment",
    "BurstDetector",
    "IssueSummary",
    "IssueTracker",
    "Mention",
    "MentionError",
    "OnlineClusterer",
    "risk_score",
]
