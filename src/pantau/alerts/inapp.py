"""The in-app channel: a row in the user's notification centre, in the outbox's transaction."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from pantau.alerts.channels import DeliveryError
from pantau.alerts.records import OutMessage, Person
from pantau.store.workflow_models import Notification

__all__ = ["InAppChannel"]

logger = logging.getLogger(__name__)


class InAppChannel:
    """Writes a :class:`Notification`; unique per delivery, so a rerun adds nothing."""

    name = "inapp"
    transactional = True

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    @staticmethod
    def address_of(person: Person) -> str | None:
        """Every user has a notification centre: the address is the user's id."""
        return str(person.id)

    @staticmethod
    def check_address(address: str) -> str | None:
        """An in-app address is a user's id (the notification centre is the user's own)."""
        if address.isdigit() and int(address) > 0:
            return None
        return "alamat kanal inapp adalah id pengguna berupa angka, mis. 12"

    def send(self, message: OutMessage, address: str, session: Session | None = None) -> None:
        if session is None:
            raise DeliveryError("kanal inapp perlu sesi basis data", permanent=True)
        # a second notification for the same delivery is refused by the UNIQUE delivery_id
        session.add(
            Notification(
                user_id=int(address),
                issue_id=message.issue_id,
                delivery_id=message.delivery_id,
                title=message.subject.removeprefix("[pantau] "),
                body=message.body,
                link=f"/issues/{message.issue_id}" if message.issue_id else "/notifications",
            )
        )
