"""Administering sources: edit, pause, try once, rotate a push token; every change audited.

The admin pages and the JSON API call these; the permission check (``source.manage``) is the
caller's, through the one permission table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from pantau.ingest.connector import PollContext, PollResult
from pantau.ingest.fetch import SafeFetcher
from pantau.ingest.registry import ConnectorNotFound, get_connector
from pantau.ingest.sources import SourceError, add_source, issue_token, spec_of
from pantau.records import CHANNELS
from pantau.settings import Settings
from pantau.store import tenancy
from pantau.store.audit import Actor, record, record_by
from pantau.store.models import Source

__all__ = [
    "SourceChange",
    "create_source",
    "rotate_token",
    "source_view",
    "trial_poll",
    "update_source",
]

#: The shortest polling interval a source may have: polite to the sites we read.
MIN_INTERVAL = 60


@dataclass
class SourceChange:
    """Fields an admin may change; ``None`` leaves a field as it is."""

    url: str | None = None
    channel: str | None = None
    outlet: str | None = None
    tier: str | None = None
    interval: int | None = None
    enabled: bool | None = None


def source_view(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "channel": source.channel,
        "outlet": source.outlet,
        "tier": source.outlet_tier,
        "interval": source.interval_seconds,
        "enabled": source.enabled,
        "health": source.health,
        "has_token": bool(source.api_token_hash),
        "province": source.province or tenancy.NATIONAL_WORD,
    }


def create_source(session: Session, actor: Actor, **fields: Any) -> tuple[Source, str | None]:
    """Add a source (see :func:`~pantau.ingest.sources.add_source`); audited. A push source
    gets its token, returned here and never again (only its hash is stored)."""
    try:
        source = add_source(session, **fields)
    except ConnectorNotFound as exc:  # an unknown kind is bad input, said like the others
        raise SourceError(str(exc)) from None
    token = issue_token(source) if source.kind == "push" else None
    record_by(
        session,
        actor,
        action="source.create",
        object_type="source",
        object_id=source.id,
        after=source_view(source),
    )
    return source, token


def _load(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    # a national source is seen by every province but administered by national staff only
    if source is None or not tenancy.within(source.province):
        raise LookupError(f"sumber #{source_id} tidak ada")
    return source


def update_source(
    session: Session, source_id: int, change: SourceChange, *, actor: str, actor_id: int | None
) -> Source:
    """Edit or pause a source; raises :class:`SourceError` saying what to change."""
    source = _load(session, source_id)
    before = source_view(source)
    if change.channel is not None and change.channel not in CHANNELS:
        raise SourceError(f"kanal {change.channel!r} tidak dikenal; pilih {', '.join(CHANNELS)}")
    if change.tier is not None and change.tier not in ("", "national", "local"):
        raise SourceError("tingkat media harus national atau local")
    if change.interval is not None and change.interval < MIN_INTERVAL:
        raise SourceError(f"interval minimal {MIN_INTERVAL} detik (sopan terhadap situs sumber)")
    if change.url is not None:
        url = change.url.strip()
        if url and not url.startswith(("http://", "https://")):
            raise SourceError("URL sumber harus diawali http:// atau https://")
        if not url and source.kind not in ("push",) and get_connector(source.kind).kind == "poll":
            raise SourceError(f"sumber jenis {source.kind} perlu URL")
        source.url = url or None
    if change.channel is not None:
        source.channel = change.channel
    if change.outlet is not None:
        source.outlet = change.outlet.strip() or None
    if change.tier is not None:
        source.outlet_tier = change.tier or None
    if change.interval is not None:
        source.interval_seconds = change.interval
    if change.enabled is not None:
        source.enabled = change.enabled
    after = source_view(source)
    action = "source.update"
    if before["enabled"] != after["enabled"]:
        action = "source.resume" if after["enabled"] else "source.pause"
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action=action,
        object_type="source",
        object_id=source.id,
        before=before,
        after=after,
    )
    return source


def rotate_token(session: Session, source_id: int, *, actor: str, actor_id: int | None) -> str:
    """A new push-API token for the source (shown once); the old one stops working at once."""
    source = _load(session, source_id)
    token = issue_token(source)
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="source.token_rotate",
        object_type="source",
        object_id=source.id,
    )
    return token


def trial_poll(source: Source, settings: Settings) -> PollResult:
    """Fetch a polling source once, storing nothing (what ``pantau source test`` shows)."""
    spec = spec_of(source)
    spec.state = {}  # as if new: no ETag, so the feed answers in full
    connector = get_connector(spec.kind)
    if connector.kind != "poll":
        raise SourceError(f"sumber berjenis {spec.kind} diisi lewat impor atau push, bukan diambil")
    with SafeFetcher(settings) as fetcher:
        return connector.poll(spec, PollContext(fetcher, settings))
