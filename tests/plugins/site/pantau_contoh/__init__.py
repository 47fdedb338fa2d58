"""A third-party pantau plugin, installed for the tests by putting this folder on ``sys.path``.

Its ``.dist-info`` declares the entry points the way ``pip install pantau-contoh`` would: an
alert channel to an office chat, which reaches a user at the handle they saved in their alert
preferences, and a connector under an office's own name.
"""

from __future__ import annotations

from typing import Any

from pantau.ingest.feeds import FeedConnector

SENT: list[tuple[str, str]] = []


class RoomChannel:
    """Posts to an office chat room where everybody is known by their user name."""

    name = "ruang"
    transactional = False

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    @staticmethod
    def address_of(person: Any) -> str | None:
        handle: str | None = person.addresses.get("ruang")
        return handle

    @staticmethod
    def check_address(address: str) -> str | None:
        if address[:1] in ("@", "#") and address[1:].strip():
            return None
        return "alamat diawali '@' (orang) atau '#' (ruang obrolan), mis. #humas"

    def send(self, message: Any, address: str, session: Any = None) -> None:
        SENT.append((address, message.subject))


class NewsroomFeed(FeedConnector):
    """An office's own feed reader, registered under its own name."""

    name = "rss-kantor"
