"""The alert-channel plugin interface and its entry-point registry.

A channel is a class taking the settings and exposing ``name``, ``transactional`` and
``send(message, address, session)``. pantau's own channels (email, telegram, webhook, inapp) are
declared in ``pyproject.toml`` under ``[project.entry-points."pantau.alert_channels"]`` exactly
as a third-party package would declare, say, a WhatsApp Business channel.

>>> sorted(available())
['email', 'inapp', 'telegram', 'webhook']
"""

from __future__ import annotations

import importlib
import logging
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Protocol

import httpx
from sqlalchemy.orm import Session

from pantau.alerts.records import OutMessage

__all__ = [
    "BUILTINS",
    "ENTRY_POINT_GROUP",
    "Channel",
    "ChannelNotFound",
    "DeliveryError",
    "HTTPChannel",
    "available",
    "load_channel",
    "load_channels",
]

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "pantau.alert_channels"

#: The same targets ``pyproject.toml`` declares; used when the installed metadata predates them.
BUILTINS: dict[str, str] = {
    "email": "pantau.alerts.mail:EmailChannel",
    "telegram": "pantau.alerts.telegram:TelegramChannel",
    "webhook": "pantau.alerts.webhook:WebhookChannel",
    "inapp": "pantau.alerts.inapp:InAppChannel",
}


class DeliveryError(Exception):
    """A send failed; ``permanent`` ones go straight to the dead letters, others are retried."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float = 0.0):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class ChannelNotFound(LookupError):
    """No channel of that name is installed."""


class Channel(Protocol):
    """What the outbox needs from a channel."""

    name: str
    #: True: ``send`` writes in the outbox's own transaction (in-app), so it is exactly-once.
    transactional: bool

    def send(self, message: OutMessage, address: str, session: Session | None) -> None:
        """Deliver or raise :class:`DeliveryError`."""


class HTTPChannel:
    """Base of channels that POST over HTTP: settings' timeout and one pooled client."""

    name = "http"
    transactional = False

    def __init__(self, settings: Any) -> None:
        self.timeout = float(settings.alert_http_timeout)
        self._client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        """One pooled client per channel: keep-alive to the same gateway saves a handshake."""
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout)
        return self._client


@cache
def _targets() -> dict[str, str]:
    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    for name, target in BUILTINS.items():
        if name not in found:
            logger.info("alert channel %s missing from installed metadata; reinstall pantau", name)
            found[name] = target
    return found


def available() -> list[str]:
    """Names of every installed alert channel."""
    return list(_targets())


def load_channel(name: str, settings: Any) -> Channel:
    """A channel instance for ``settings``; raises :class:`ChannelNotFound`."""
    target = _targets().get(name)
    if target is None:
        raise ChannelNotFound(
            f"kanal peringatan {name!r} tidak dikenal; tersedia: {', '.join(sorted(available()))}"
        )
    module, _, attr = target.partition(":")
    factory = getattr(importlib.import_module(module), attr)
    channel: Channel = factory(settings)
    return channel


def load_channels(settings: Any) -> dict[str, Channel]:
    """Every installed channel, by name."""
    return {name: load_channel(name, settings) for name in available()}
