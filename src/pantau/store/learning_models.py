"""Tables of what the network learns from an issue: its lessons, item by item.

A lesson is one sentence of one kind: what worked, what did not, what to do next time, or a
free-text note (how lessons were written before they were structured, and how an imported
case's single ``pelajaran`` column arrives). One row per item, so the case library searches
them and the holding statement quotes the "next time" items of the best past case first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base
from pantau.store.types import utcnow

__all__ = ["IssueLesson"]


class IssueLesson(Base):
    """One lesson learned from one issue, written when it closed (or amended later)."""

    __tablename__ = "issue_lessons"
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # worked | failed | next_time | note
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
