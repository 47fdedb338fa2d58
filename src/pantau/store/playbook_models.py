"""Tables of the crisis playbooks: every saved edit of a playbook, as a numbered version.

The shipped playbooks (``pantau/data/playbooks``) are version 0 of each category; a province's
own SOP is saved here as versions 1, 2, ... of the category's YAML, and the newest one is used.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base
from pantau.store.types import utcnow

__all__ = ["PlaybookVersion"]


class PlaybookVersion(Base):
    """One saved text (YAML) of one category's playbook."""

    __tablename__ = "playbook_versions"
    __table_args__ = (UniqueConstraint("key", "number", name="uq_playbook_versions_key_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
