"""Tables of what the network learns and says together about an issue: its lessons, item by
item, and the versions of its shared key messages (the single narrative, Inpres 9/2015).

A lesson is one sentence of one kind: what worked, what did not, what to do next time, or a
free-text note (how lessons were written before they were structured, and how an imported
case's single ``pelajaran`` column arrives). One row per item, so the case library searches
them and the holding statement quotes the "next time" items of the best past case first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base
from pantau.store.types import utcnow

__all__ = ["IssueLesson", "KeyMessageVersion"]


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


class KeyMessageVersion(Base):
    """One saved set of an issue's key messages; the highest number is the one in force."""

    __tablename__ = "key_message_versions"
    __table_args__ = (
        UniqueConstraint("issue_id", "number", name="uq_key_message_versions_issue_number"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    messages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
