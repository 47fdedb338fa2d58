"""The generic webhook channel: a JSON body signed with HMAC-SHA256 over timestamp and body.

Receivers (a WhatsApp gateway, a chat bot, another tool) check
``X-Pantau-Signature: sha256=<hex>`` = HMAC(secret, ``<timestamp>.`` + body) and refuse stale
``X-Pantau-Timestamp`` values, which stops replays. ``X-Pantau-Delivery`` is the idempotency key.
A webhook address is typed in by a user, so like the fetcher it never reaches a private,
loopback or link-local address unless ``alert_webhook_allow_hosts`` names its network: checked
before sending (a clear, permanent error) and again on the address the connection is opened to,
so a DNS answer that changes between the two (rebinding) is refused too.

>>> sig = sign("rahasia", "1700000000", b'{"a":1}')
>>> verify("rahasia", "1700000000", b'{"a":1}', sig, now=1700000100)
True
>>> verify("rahasia", "1700000000", b'{"a":2}', sig, now=1700000100)
False
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

import httpx
from sqlalchemy.orm import Session

from pantau.alerts.channels import DeliveryError, HTTPChannel
from pantau.alerts.records import OutMessage, Person
from pantau.net import AddressPolicy, guarded_client, http_endpoint, networks

__all__ = ["MAX_SKEW_SECONDS", "WebhookChannel", "address_policy", "sign", "verify"]

logger = logging.getLogger(__name__)

#: Receivers refuse signatures older than this; five minutes as in Stripe's and Slack's schemes.
MAX_SKEW_SECONDS = 300
_NOT_A_URL = "alamat webhook harus URL http:// atau https:// dengan nama host"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None
) -> bool:
    """Whether ``signature`` is valid for ``body`` and the timestamp is fresh."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= MAX_SKEW_SECONDS and hmac.compare_digest(sign(secret, timestamp, body), signature)


def address_policy(settings: Any) -> AddressPolicy:
    """Which non-public networks webhooks may reach (none unless the setting names them)."""
    return AddressPolicy(False, networks(str(settings.alert_webhook_allow_hosts or "")))


def refusal(policy: AddressPolicy, address: str) -> str | None:
    """Why ``address`` (a webhook URL) may not be called, or ``None`` when it may."""
    endpoint = http_endpoint(address)
    return _NOT_A_URL if endpoint is None else policy.refusal(*endpoint)


class WebhookChannel(HTTPChannel):
    """POSTs the alert's JSON payload to the endpoint's URL; any 2xx answer is a delivery."""

    name = "webhook"

    @staticmethod
    def address_of(person: Person) -> str | None:
        """Webhooks go to endpoints an administrator registers, never to a user."""
        return None

    @staticmethod
    def check_address(address: str) -> str | None:
        """A webhook address is an http(s) URL with a host (its network is checked on sending)."""
        return _NOT_A_URL if http_endpoint(address) is None else None

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.secret: str = settings.alert_webhook_secret
        self.policy = address_policy(settings)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = guarded_client(self.policy, self.timeout)
        return self._client

    def send(self, message: OutMessage, address: str, session: Session | None = None) -> None:
        if not self.secret:
            raise DeliveryError(
                "PANTAU_ALERT_WEBHOOK_SECRET belum diatur: "
                "webhook tidak dikirim tanpa tanda tangan",
                permanent=True,
            )
        refused = refusal(self.policy, address)
        if refused is not None:
            raise DeliveryError(f"webhook {address} ditolak: {refused}", permanent=True)
        body = json.dumps(
            {**message.payload, "subject": message.subject, "text": message.body},
            ensure_ascii=False,
            sort_keys=True,
        ).encode("utf-8")
        ts = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "pantau-alerts/1",
            "X-Pantau-Timestamp": ts,
            "X-Pantau-Signature": sign(self.secret, ts, body),
            "X-Pantau-Delivery": message.key,
        }
        try:
            resp = self._http().post(address, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {address} tidak terjangkau: {exc}") from exc
        if resp.status_code >= 300:
            permanent = resp.status_code in (400, 401, 403, 404, 410, 422)
            raise DeliveryError(
                f"webhook {address} menjawab HTTP {resp.status_code}", permanent=permanent
            )
        logger.info("webhook %s delivered to %s", message.key, address)
