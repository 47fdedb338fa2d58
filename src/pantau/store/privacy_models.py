"""Personal data found in mentions, kept sealed beside their masked text (UU PDP 27/2022).

A mention's ``title``, ``text`` and ``author`` hold the masked forms (``6472********0001``); each
original sits here, encrypted (``sealed``) for the few allowed to see it and keyed-hashed
(``digest``) so one person's data can be found again on request without decrypting anything.
Deleting a row anonymises that piece for good: the masked text stays, the original is gone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base
from pantau.store.types import utcnow

__all__ = ["PersonalDatum"]


class PersonalDatum(Base):
    """One piece of personal data of one mention: where its mask sits, sealed and hashed."""

    __tablename__ = "personal_data"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(8))  # "title", "text" or "author"
    kind: Mapped[str] = mapped_column(String(8))  # pantau.text.personal.KINDS
    start: Mapped[int] = mapped_column(Integer)  # of the mask in the masked field
    end: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64), index=True)  # HMAC-SHA256 of kind:value
    sealed: Mapped[str] = mapped_column(Text)  # Fernet token of the value as written
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
