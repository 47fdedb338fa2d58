"""The public newsroom: publishing approved releases, the public pages' reads, comments, pick-up.

A release published here comes back into monitoring as the ``official`` channel, and the news
mentions that reproduce it are linked to it as its pick-up.
"""

from __future__ import annotations

from pantau.newsroom.publish import PublishError, correct, enter_due, publish, withdraw
from pantau.newsroom.releases import (
    ReleaseNotFound,
    ReleaseView,
    find_release,
    get_release,
    public_releases,
    related_releases,
)

__all__ = [
    "PublishError",
    "ReleaseNotFound",
    "ReleaseView",
    "correct",
    "enter_due",
    "find_release",
    "get_release",
    "public_releases",
    "publish",
    "related_releases",
    "withdraw",
]
