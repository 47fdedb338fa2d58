"""Tables of the reports stage: who receives which report, and what was already sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base, Mention
from pantau.store.types import utcnow

__all__ = ["MENTIONS_PUBLISHED_COVER", "ReportSubscription"]

#: The dashboard counts mentions per channel and sentiment over a time window; this index
#: answers that from the index alone (migration 0003_reports; see benchmarks/results/reports.md).
MENTIONS_PUBLISHED_COVER = Index(
    "ix_mentions_published_cover", Mention.published_at, Mention.channel, Mention.sentiment
)


class ReportSubscription(Base):
    """A leader who receives the daily or weekly report by e-mail, in one format."""

    __tablename__ = "report_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # daily | weekly
    format: Mapped[str] = mapped_column(String(10), default="pdf")  # pdf | html | docx
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sent_day: Mapped[date | None] = mapped_column(Date)
    last_sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
