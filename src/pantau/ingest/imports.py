"""Importing an export file into the store: parse, write in batches, quarantine, summarize.

Each batch is one transaction; re-running the same import adds nothing (identity by source and
external id, and canonical URL), and a crash in the middle loses nothing that the re-run will
not bring back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pantau.ingest.health import record_poll
from pantau.ingest.limits import RecordLimits
from pantau.ingest.registry import get_connector
from pantau.ingest.sink import WriteSummary, write_mentions, write_quarantine
from pantau.ingest.sources import import_source
from pantau.records import MentionIn, QuarantineItem
from pantau.settings import Settings
from pantau.store.db import Database
from pantau.store.models import Source

__all__ = ["import_file", "parse_format"]

logger = logging.getLogger(__name__)


def parse_format(fmt: str) -> tuple[str, dict[str, Any]]:
    """``mapping:FILE`` -> (``mapping``, {"mapping": FILE}); other formats have no options.

    >>> parse_format("mapping:/srv/pantau/brand24.toml")
    ('mapping', {'mapping': '/srv/pantau/brand24.toml'})
    >>> parse_format("x-v2")
    ('x-v2', {})
    """
    name, sep, arg = fmt.partition(":")
    if name == "mapping" and sep:
        return name, {"mapping": str(Path(arg).resolve())}
    return fmt, {}


def _source(session: Session, source_id: int) -> Source:
    src = session.get(Source, source_id)
    if src is None:
        raise RuntimeError(f"sumber #{source_id} hilang di tengah impor")
    return src


def import_file(
    db: Database,
    path: Path,
    fmt: str,
    settings: Settings,
    *,
    source_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> WriteSummary:
    """Import ``path`` in format ``fmt`` into the source ``source_name`` (``import:<fmt>``)."""
    name, options = parse_format(fmt)
    connector = get_connector(name)
    if getattr(connector, "kind", "") != "file":
        raise ValueError(f"format {name!r} bukan format berkas impor")
    total = WriteSummary()
    with db.writer() as session:
        source = import_source(session, source_name or f"import:{name}", name, connector.channel)
        if options:
            source.config = {**(source.config or {}), **options}
        source_id = source.id
    batch: list[MentionIn] = []
    waiting: list[QuarantineItem] = []
    size = settings.import_batch_size
    limits = RecordLimits.from_settings(settings)

    def flush() -> None:
        with db.writer() as session:
            src = _source(session, source_id)
            summary, rejected = write_mentions(
                session,
                src,
                batch,
                max_chars=settings.max_text_chars,
                origin=path.name,
                limits=limits,
            )
            waiting.extend(rejected)
            summary.quarantined = write_quarantine(session, src, waiting)
            summary.quarantine(waiting)
            total.add(summary)
        if progress:
            progress(len(batch) + len(waiting))
        batch.clear()
        waiting.clear()

    for item in connector.parse(path, {**options, "limits": limits}):
        if isinstance(item, MentionIn):
            batch.append(item)
        else:
            waiting.append(item)
        if len(batch) + len(waiting) >= size:
            flush()
    flush()
    with db.writer() as session:
        src = _source(session, source_id)
        # an import is not a schedule: its items' times say nothing about the source's rhythm
        record_poll(session, src, now=datetime.now(UTC), settings=settings)
    total.times = []
    return total
