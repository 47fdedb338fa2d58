"""Saved searches: a user's named search-page query, reopened or shared as a link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base
from pantau.store.types import utcnow

__all__ = ["SavedSearch"]


class SavedSearch(Base):
    """A named search: the search page's query string, exactly as it was shown.

    The query string is kept rather than its parsed filters, so a saved search reopens with
    every filter the page had and any later filter reads it the same way a shared link does.
    """

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
