"""Configuring alerts: routing rules, endpoints and a user's own preferences, validated and
audited (the API and CLI call these; they never write the tables themselves)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.alerts.channels import available, channel_class
from pantau.store import tenancy
from pantau.store.audit import Requester, record_by
from pantau.store.models import ROLES, Agency
from pantau.store.workflow_models import AlertEndpoint, AlertPreference, RoutingRule
from pantau.vocabulary import STAGES

__all__ = [
    "AUDIENCES",
    "STAGES",
    "ConfigError",
    "add_endpoint",
    "add_rule",
    "deactivate_rule",
    "endpoint_dict",
    "endpoints",
    "preferences_dict",
    "rule_dict",
    "rules",
    "save_endpoint",
    "save_rule",
    "set_preferences",
]

logger = logging.getLogger(__name__)

AUDIENCES = ("mandated", "agency", "all")
MENTION_CHANNELS = ("news", "social", "complaint", "official")
#: Longest address a user may save for a channel (an e-mail address may be 254 characters).
MAX_ADDRESS = 254


class ConfigError(ValueError):
    """Bad alert configuration; ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _subset(field: str, values: list[Any], allowed: tuple[str, ...] | list[str]) -> list[str]:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ConfigError(
            field,
            f"{field}: {', '.join(map(str, bad))} tidak dikenal; pilih dari " + ", ".join(allowed),
        )
    return [str(v) for v in values]


def add_rule(session: Session, principal: Requester, data: dict[str, Any]) -> RoutingRule:
    """Create a routing rule after checking every field."""
    return save_rule(session, principal, data)


def save_rule(
    session: Session, principal: Requester, data: dict[str, Any], rule_id: int | None = None
) -> RoutingRule:
    """Create (``rule_id`` None) or replace a routing rule after checking every field."""
    principal.require("alert.manage")
    rule = None
    if rule_id is not None:
        rule = session.get(RoutingRule, rule_id)
        if rule is None:
            raise ConfigError("rule", f"aturan #{rule_id} tidak ada")
    name = str(data.get("name", "")).strip()
    if not name or len(name) > 120:
        raise ConfigError("name", "nama aturan wajib diisi (maksimal 120 karakter)")
    clash = session.scalar(select(RoutingRule.id).where(RoutingRule.name == name))
    if clash is not None and clash != rule_id:
        raise ConfigError("name", f"aturan {name!r} sudah ada")
    try:
        min_risk = float(data.get("min_risk", 0.0))
    except (TypeError, ValueError):
        raise ConfigError("min_risk", "min_risk harus angka 0-100") from None
    if not 0.0 <= min_risk <= 100.0:
        raise ConfigError("min_risk", "min_risk harus antara 0 dan 100")
    audience = str(data.get("audience", "mandated"))
    _subset("audience", [audience], AUDIENCES)
    agency_id = data.get("agency_id")
    if audience == "agency" and (agency_id is None or session.get(Agency, agency_id) is None):
        raise ConfigError("agency_id", "audiens 'agency' memerlukan instansi yang ada")
    endpoint_ids = [int(i) for i in data.get("endpoint_ids", [])]
    for eid in endpoint_ids:
        if session.get(AlertEndpoint, eid) is None:
            raise ConfigError("endpoint_ids", f"titik kirim #{eid} tidak ada")
    values: dict[str, Any] = {
        "name": name,
        "min_risk": min_risk,
        "stages": _subset("stages", list(data.get("stages", [])), STAGES),
        "regions": [str(r) for r in data.get("regions", [])],
        "watchlists": [str(w) for w in data.get("watchlists", [])],
        "mention_channels": _subset(
            "mention_channels", list(data.get("mention_channels", [])), MENTION_CHANNELS
        ),
        "crossover_only": bool(data.get("crossover_only", False)),
        "audience": audience,
        "agency_id": agency_id,
        "roles": _subset("roles", list(data.get("roles", [])), ROLES),
        "channels": _subset("channels", list(data.get("channels", ["inapp"])), available()),
        "endpoint_ids": endpoint_ids,
        "crisis": bool(data.get("crisis", False)),
    }
    before = rule_dict(rule) if rule is not None else None
    if rule is None:
        rule = RoutingRule(**values)
        session.add(rule)
    else:
        for key, value in values.items():
            setattr(rule, key, value)
        if "active" in data:
            rule.active = bool(data["active"])
    session.flush()
    record_by(
        session,
        principal,
        action="alert.rule.create" if before is None else "alert.rule.update",
        object_type="routing_rule",
        object_id=rule.id,
        before=before,
        after=rule_dict(rule),
    )
    return rule


def deactivate_rule(session: Session, principal: Requester, rule_id: int) -> RoutingRule:
    """Switch a rule off (rules are kept, so the audit log keeps making sense)."""
    principal.require("alert.manage")
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise ConfigError("rule", f"aturan #{rule_id} tidak ada")
    if rule.active:
        rule.active = False
        record_by(
            session,
            principal,
            action="alert.rule.deactivate",
            object_type="routing_rule",
            object_id=rule.id,
            before={"active": True},
            after={"active": False},
        )
    return rule


def add_endpoint(session: Session, principal: Requester, data: dict[str, Any]) -> AlertEndpoint:
    """Register a recipient that is not a user (a webhook URL, a Telegram group, a mailing
    list, or an address of a channel added as a plugin), checked by its channel."""
    return save_endpoint(session, principal, data)


def save_endpoint(
    session: Session, principal: Requester, data: dict[str, Any], endpoint_id: int | None = None
) -> AlertEndpoint:
    """Create (``endpoint_id`` None) or change an endpoint; its channel checks the address."""
    principal.require("alert.manage")
    ep = None
    if endpoint_id is not None:
        ep = session.get(AlertEndpoint, endpoint_id)
        if ep is None:
            raise ConfigError("endpoint", f"titik kirim #{endpoint_id} tidak ada")
    name = str(data.get("name", "")).strip()
    channel = str(data.get("channel", ""))
    address = str(data.get("address", "")).strip()
    if not name or len(name) > 120:
        raise ConfigError("name", "nama titik kirim wajib diisi (maksimal 120 karakter)")
    _subset("channel", [channel], available())
    refused = channel_class(channel).check_address(address)
    if refused is not None:
        raise ConfigError("address", refused)
    clash = session.scalar(select(AlertEndpoint.id).where(AlertEndpoint.name == name))
    if clash is not None and clash != endpoint_id:
        raise ConfigError("name", f"titik kirim {name!r} sudah ada")
    before = endpoint_dict(ep) if ep is not None else None
    if ep is None:
        ep = AlertEndpoint(name=name, channel=channel, address=address)
        session.add(ep)
    agency_id = data.get("agency_id")
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if agency_id is not None and agency is None:
        raise ConfigError("agency_id", f"instansi #{agency_id} tidak ada")
    if not tenancy.within(agency.province if agency is not None else None):
        # an endpoint of no agency hears of every province's issues (pantau.alerts.routing)
        raise ConfigError("agency_id", "pilih instansi di provinsi Anda untuk titik kirim ini")
    ep.name, ep.channel, ep.address = name, channel, address
    ep.agency_id = agency_id
    if "active" in data:
        ep.active = bool(data["active"])
    session.flush()
    record_by(
        session,
        principal,
        action="alert.endpoint.create" if before is None else "alert.endpoint.update",
        object_type="alert_endpoint",
        object_id=ep.id,
        before=before,
        after={"name": name, "channel": channel, "address": address, "active": ep.active},
    )
    return ep


def set_preferences(
    session: Session,
    principal: Requester,
    *,
    telegram_chat_id: str | None,
    channels: list[str],
    digest_only: bool,
    addresses: Mapping[str, str] | None = None,
) -> AlertPreference:
    """A user's own alert settings (anyone may set their own, nobody anyone else's).

    ``addresses`` are the user's addresses on channels added as plugins, each checked by its
    channel; they replace the ones saved before.
    """
    principal.require("notification.view")
    refused = (
        channel_class("telegram").check_address(telegram_chat_id) if telegram_chat_id else None
    )
    if refused is not None:
        raise ConfigError("telegram_chat_id", refused)
    chans = _subset("channels", channels, available())
    own = _addresses(addresses or {})
    pref = session.get(AlertPreference, principal.id)
    before = None
    if pref is None:
        pref = AlertPreference(user_id=principal.id)
        session.add(pref)
    else:
        before = preferences_dict(pref)
    pref.telegram_chat_id = telegram_chat_id or None
    pref.channels = chans
    pref.digest_only = digest_only
    pref.addresses = own
    record_by(
        session,
        principal,
        action="alert.preferences",
        object_type="user",
        object_id=principal.id,
        before=before,
        after=preferences_dict(pref),
    )
    return pref


def _addresses(addresses: Mapping[str, str]) -> dict[str, str]:
    _subset("addresses", list(addresses), available())
    out = {}
    for channel, address in addresses.items():
        field = f"addresses.{channel}"
        if not isinstance(address, str) or not 0 < len(address.strip()) <= MAX_ADDRESS:
            raise ConfigError(field, f"{field}: alamat berupa teks 1-{MAX_ADDRESS} karakter")
        refused = channel_class(channel).check_address(address.strip())
        if refused is not None:
            raise ConfigError(field, f"{field}: {refused}")
        out[channel] = address.strip()
    return out


def rule_dict(rule: RoutingRule) -> dict[str, Any]:
    """A rule as plain data (API answers, audit entries)."""
    return {
        "id": rule.id,
        "name": rule.name,
        "min_risk": rule.min_risk,
        "stages": rule.stages,
        "regions": rule.regions,
        "watchlists": rule.watchlists,
        "mention_channels": rule.mention_channels,
        "crossover_only": rule.crossover_only,
        "audience": rule.audience,
        "agency_id": rule.agency_id,
        "roles": rule.roles,
        "channels": rule.channels,
        "endpoint_ids": rule.endpoint_ids,
        "crisis": rule.crisis,
        "active": rule.active,
    }


def rules(session: Session) -> list[RoutingRule]:
    """Every routing rule, active or not, in the order they were made."""
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.id)))


def endpoints(session: Session) -> list[AlertEndpoint]:
    """Every registered recipient (webhook URL, Telegram group), in the order they were made."""
    return list(session.scalars(select(AlertEndpoint).order_by(AlertEndpoint.id)))


def endpoint_dict(ep: AlertEndpoint) -> dict[str, Any]:
    """An endpoint as plain data (API answers)."""
    return {
        "id": ep.id,
        "name": ep.name,
        "channel": ep.channel,
        "address": ep.address,
        "agency_id": ep.agency_id,
        "active": ep.active,
    }


def preferences_dict(pref: AlertPreference) -> dict[str, Any]:
    """A user's alert preferences as plain data (API answers, audit entries)."""
    return {
        "telegram_chat_id": pref.telegram_chat_id,
        "channels": list(pref.channels),
        "digest_only": pref.digest_only,
        "addresses": dict(pref.addresses or {}),
    }
