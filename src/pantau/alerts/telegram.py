"""The Telegram channel: the Bot API's ``sendMessage`` to a user's or a group's chat id."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from sqlalchemy.orm import Session

from pantau.alerts.channels import DeliveryError, HTTPChannel
from pantau.alerts.records import OutMessage, Person

__all__ = ["TelegramChannel"]

logger = logging.getLogger(__name__)

#: Telegram refuses longer texts (Bot API sendMessage limit).
MAX_TEXT = 4096


class TelegramChannel(HTTPChannel):
    """Sends plain text (no parse mode, so issue labels can never inject markup)."""

    name = "telegram"

    @staticmethod
    def address_of(person: Person) -> str | None:
        """The chat id the user gave in their preferences (the bot must have been started)."""
        return person.telegram_chat_id or None

    @staticmethod
    def check_address(address: str) -> str | None:
        """A Telegram address is a numeric chat id (negative for groups)."""
        if address.lstrip("-").isdigit():
            return None
        return "alamat Telegram adalah chat id berupa angka, mis. -100123"

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.api = settings.alert_telegram_api.rstrip("/")
        self.token: str = settings.alert_telegram_token

    def send(self, message: OutMessage, address: str, session: Session | None = None) -> None:
        if not self.token:
            raise DeliveryError(
                "PANTAU_ALERT_TELEGRAM_TOKEN belum diatur: buat bot di @BotFather, "
                "lalu isi tokennya",
                permanent=True,
            )
        text = f"{message.subject}\n\n{message.body}"[:MAX_TEXT]
        url = f"{self.api}/bot{self.token}/sendMessage"
        try:
            resp = self._http().post(
                url,
                json={"chat_id": address, "text": text, "disable_web_page_preview": True},
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"Telegram tidak terjangkau: {type(exc).__name__}") from exc
        try:
            data = resp.json()
        except ValueError:
            data = {}
        if resp.status_code == 200 and data.get("ok"):
            logger.info("telegram %s delivered to chat %s", message.key, address)
            return
        desc = data.get("description") or f"HTTP {resp.status_code}"
        if resp.status_code == 429:
            after = float((data.get("parameters") or {}).get("retry_after", 0))
            raise DeliveryError(f"Telegram membatasi: {desc}", retry_after=after)
        permanent = resp.status_code in (400, 401, 403, 404)
        raise DeliveryError(f"Telegram menolak pesan ke {address}: {desc}", permanent=permanent)
