"""Configured sources: adding, listing, resolving by name, API tokens stored hashed.

A source row is the store's; connectors see a :class:`~pantau.ingest.connector.SourceSpec`
copy. Push-API tokens are random, shown once, and kept only as a SHA-256 hash: a token has 256
bits of entropy, so a fast hash is enough (no password stretching needed) and lookups stay O(1).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.ingest.connector import SourceSpec
from pantau.ingest.registry import get_connector
from pantau.records import CHANNELS
from pantau.store import tenancy
from pantau.store.models import Source

__all__ = [
    "SourceError",
    "add_source",
    "find_source",
    "hash_token",
    "import_source",
    "issue_token",
    "source_for_token",
    "spec_of",
]

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "pnt_"  # noqa: S105  (a public marker that helps secret scanners, not a secret)


class SourceError(ValueError):
    """A source cannot be added or found; the message says what to change."""


def hash_token(token: str) -> str:
    """The stored form of an API token."""
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(source: Source) -> str:
    """Give ``source`` a new push-API token; returns it (shown once, stored hashed)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    source.api_token_hash = hash_token(token)
    return token


def source_for_token(session: Session, token: str) -> Source | None:
    """The enabled source owning ``token``, or ``None``."""
    if not token:
        return None
    wanted = hash_token(token)
    found = session.scalars(select(Source).where(Source.api_token_hash == wanted)).first()
    if found is None or not found.enabled or not found.api_token_hash:
        return None
    return found if hmac.compare_digest(found.api_token_hash, wanted) else None


def find_source(session: Session, name: str) -> Source | None:
    """The source called ``name``."""
    return session.scalars(select(Source).where(Source.name == name)).first()


def _name_elsewhere(session: Session, name: str) -> bool:
    """Whether a source of a province the caller does not see is called ``name``: names are
    unique in the whole installation (files, pushes and the CLI name a source), so a second one
    is refused in words rather than by the database's unique index."""
    with tenancy.scope(tenancy.NATIONAL):
        return find_source(session, name) is not None


def add_source(
    session: Session,
    *,
    name: str,
    kind: str,
    url: str | None = None,
    channel: str | None = None,
    outlet: str | None = None,
    tier: str | None = None,
    interval: int = 900,
    config: dict[str, Any] | None = None,
    province: str | None = None,
) -> Source:
    """Create a source after checking its connector exists and its fields make sense.

    ``province`` is the province whose posts it brings ("nasional" for a national source);
    left out, the one the installation or the administrator serves
    (:func:`pantau.store.tenancy.default_province`).
    """
    if find_source(session, name) is not None:
        raise SourceError(f"sumber {name!r} sudah ada; pilih nama lain")
    if _name_elsewhere(session, name):
        raise SourceError(f"nama sumber {name!r} sudah dipakai provinsi lain; pilih nama lain")
    if kind != "push":
        connector = get_connector(kind)
        if connector.kind == "poll" and not url:
            raise SourceError(f"sumber jenis {kind} perlu --url")
        channel = channel or getattr(connector, "channel", "news")
    channel = channel or "social"
    if channel not in CHANNELS:
        raise SourceError(f"kanal {channel!r} tidak dikenal; pilih {', '.join(CHANNELS)}")
    if tier not in (None, "national", "local"):
        raise SourceError("tingkat media harus national atau local")
    if interval < 60:
        raise SourceError("interval minimal 60 detik (sopan terhadap situs sumber)")
    source = Source(
        name=name,
        kind=kind,
        url=url,
        channel=channel,
        outlet=outlet,
        outlet_tier=tier,
        interval_seconds=interval,
        config=config or {},
        state={},
        enabled=True,
        error_streak=0,
        health="unknown",
    )
    if province is not None:
        source.province = _province(province)
    session.add(source)
    session.flush()
    return source


def _province(given: str) -> str | None:
    value = given.strip().lower()
    if value == tenancy.NATIONAL_WORD:
        chosen = None
    elif re.fullmatch(r"\d{2}", value):
        chosen = value
    else:
        raise SourceError(f"provinsi {given!r}: kode Kemendagri dua digit (64) atau nasional")
    if not tenancy.within(chosen):
        raise SourceError(f"provinsi {tenancy.tenant_label(chosen)} di luar wilayah Anda")
    return chosen


def import_source(session: Session, name: str, kind: str, channel: str) -> Source:
    """The source an import writes to, created on first use."""
    found = find_source(session, name)
    if found is not None:
        if found.kind != kind:
            raise SourceError(f"sumber {name!r} berjenis {found.kind}, bukan {kind}")
        return found
    if _name_elsewhere(session, name):
        raise SourceError(f"nama sumber {name!r} sudah dipakai provinsi lain; pilih nama lain")
    source = Source(
        name=name, kind=kind, channel=channel, config={}, state={}, enabled=True,
        error_streak=0, health="unknown", interval_seconds=86_400,
    )  # fmt: skip
    session.add(source)
    session.flush()
    return source


def spec_of(source: Source) -> SourceSpec:
    """A plain copy of ``source`` for a connector."""
    return SourceSpec(
        name=source.name,
        kind=source.kind,
        url=source.url,
        channel=source.channel,
        outlet=source.outlet,
        outlet_tier=source.outlet_tier,
        config=dict(source.config or {}),
        state=dict(source.state or {}),
    )
