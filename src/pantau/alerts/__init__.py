"""Alerts: routing rules, channel plugins (email, Telegram, webhook, in-app), the outbox with
retries and dead letters, deduplication, throttling, quiet hours and the daily digest.

How it runs: the issues stage writes ``alerts`` rows; ``pantau alerts deliver --watch`` (one or
more processes beside ``pantau serve``) routes each new alert once into the outbox
(:mod:`~pantau.alerts.dispatch`), builds the daily digest when its time has come
(:mod:`~pantau.alerts.digest`) and sends what is due (:mod:`~pantau.alerts.outbox`). The web app
routes escalations itself so that in-app notifications appear at once.
"""

from pantau.alerts.channels import (
    Channel,
    ChannelNotFound,
    DeliveryError,
    available,
    load_channel,
    load_channels,
)
from pantau.alerts.digest import build_digests
from pantau.alerts.dispatch import RouteReport, event_of, load_rules, route_pending
from pantau.alerts.messages import alert_message, digest_message, issue_link
from pantau.alerts.outbox import DeliveryReport, dead_letters, deliver_due, resend
from pantau.alerts.policy import QuietHours, Throttle, backoff_seconds, decide
from pantau.alerts.records import AlertEvent, Endpoint, Mandate, OutMessage, Person, Rule, Target
from pantau.alerts.routing import DEFAULT_RULES, dedup_key, mandated_agencies, route
from pantau.alerts.runner import RoundReport, run_round, watch
from pantau.alerts.webhook import sign, verify

__all__ = [
    "DEFAULT_RULES",
    "AlertEvent",
    "Channel",
    "ChannelNotFound",
    "DeliveryError",
    "DeliveryReport",
    "Endpoint",
    "Mandate",
    "OutMessage",
    "Person",
    "QuietHours",
    "RoundReport",
    "RouteReport",
    "Rule",
    "Target",
    "Throttle",
    "alert_message",
    "available",
    "backoff_seconds",
    "build_digests",
    "dead_letters",
    "decide",
    "dedup_key",
    "deliver_due",
    "digest_message",
    "event_of",
    "issue_link",
    "load_channel",
    "load_channels",
    "load_rules",
    "mandated_agencies",
    "resend",
    "route",
    "route_pending",
    "run_round",
    "sign",
    "verify",
    "watch",
]
