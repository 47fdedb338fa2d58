"""The alert-channel plugin interface and the ``pantau.alert_channels`` plugin group.

A channel is a class taking the settings and exposing ``name``, ``transactional`` and
``send(message, address, session)``, and owning its addresses: ``address_of(person)`` says where
it reaches a user, ``check_address(address)`` why a typed-in address (an endpoint, a preference)
will not do. pantau's own channels (email, telegram, webhook, inapp) are plugins of the group
exactly as a third-party package's, say a WhatsApp Business channel, would be.

>>> sorted(available())
['email', 'inapp', 'telegram', 'webhook']
>>> person_address(Person(3, "rina", "Rina", "analis", 1, "rina@x.id"), "email")
'rina@x.id'
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import httpx
from sqlalchemy.orm import Session

from pantau.alerts.records import OutMessage, Person
from pantau.plugins import PluginError, PluginGroup, PluginNotFound

__all__ = [
    "CHANNELS",
    "Channel",
    "ChannelNotFound",
    "DeliveryError",
    "HTTPChannel",
    "available",
    "channel_class",
    "load_channel",
    "load_channels",
    "person_address",
]

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A send failed; ``permanent`` ones go straight to the dead letters, others are retried.

    ``bounce`` is the status when the receiving side refused the address itself for good (an
    SMTP 5xx, ``5.1.1``): the outbox records it as a hard bounce of the delivery.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float = 0.0,
        bounce: str = "",
    ):
        super().__init__(message)
        self.permanent = permanent or bool(bounce)
        self.retry_after = retry_after
        self.bounce = bounce


class ChannelNotFound(PluginNotFound):
    """No channel of that name is installed."""


CHANNELS = PluginGroup(
    "pantau.alert_channels",
    "kanal peringatan",
    {
        "email": "pantau.alerts.mail:EmailChannel",
        "telegram": "pantau.alerts.telegram:TelegramChannel",
        "webhook": "pantau.alerts.webhook:WebhookChannel",
        "inapp": "pantau.alerts.inapp:InAppChannel",
    },
    ChannelNotFound,
)


class Channel(Protocol):
    """What the outbox needs from a channel."""

    name: str
    #: True: ``send`` writes in the outbox's own transaction (in-app), so it is exactly-once.
    transactional: bool

    def send(self, message: OutMessage, address: str, session: Session | None) -> None:
        """Deliver or raise :class:`DeliveryError`."""

    @staticmethod
    def address_of(person: Person) -> str | None:
        """Where this channel reaches ``person``, or ``None`` when it does not (no address)."""

    @staticmethod
    def check_address(address: str) -> str | None:
        """Why ``address``, typed in for an endpoint or a preference, will not do; or ``None``."""


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


def available() -> list[str]:
    """Names of every alert channel, built-in or installed."""
    return CHANNELS.names()


def channel_class(name: str) -> Any:
    """The class of the channel called ``name`` (its addressing needs no settings)."""
    return CHANNELS.load(name)


def person_address(person: Person, channel: str) -> str | None:
    """Where ``channel`` reaches ``person``; ``None`` when it does not or is not installed."""
    try:
        cls = channel_class(channel)
    except (PluginNotFound, PluginError) as exc:  # one missing add-on must not stop routing
        logger.warning("alert channel %s cannot address anyone: %s", channel, exc)
        return None
    address: str | None = cls.address_of(person)
    return address


def load_channel(name: str, settings: Any) -> Channel:
    """A channel instance for ``settings``; raises :class:`ChannelNotFound`."""
    channel: Channel = channel_class(name)(settings)
    return channel


def load_channels(settings: Any) -> dict[str, Channel]:
    """Every channel, by name (an installed one that cannot be loaded is logged and left out)."""
    return {name: cls(settings) for name, cls in CHANNELS.load_all().items()}
