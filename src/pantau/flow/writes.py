"""The pipeline's writes of a batch of mentions: one statement per batch, not one per mention.

The text stage and the clustering change a dozen columns of every mention of a batch. Written
through the ORM, that is one ``UPDATE`` per mention, and on PostgreSQL each fires the hourly
rollup's statement trigger once and probes every month's partition for its id. Here a batch is
written the way ``pantau reanalyze`` writes (:mod:`pantau.scale.reanalyze`):

- PostgreSQL: one ``UPDATE ... FROM unnest(...)`` joined on ``id`` and ``published_at`` (the
  partition key, so each row is found in its own month), two when some mentions have no date;
- SQLite: one ``UPDATE`` by primary key executed with many parameter sets.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, String, text, update
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from pantau.records import Enrichment
from pantau.store.models import Mention
from pantau.store.types import UTCDateTime
from pantau.text.precise import FAST

__all__ = ["analyzed_columns", "write_mentions"]

_COLUMNS = Mention.__table__.c


def analyzed_columns(
    m: Mention,
    e: Enrichment,
    tenant: str | None,
    watch: list[Any],
    *,
    waits: bool,
    now: datetime,
) -> dict[str, Any]:
    """The columns the text stage writes for mention ``m`` it analyzed into ``e``, placed in
    province ``tenant`` and tagged by its watchlists ``watch``; ``waits`` when another process
    clusters it (its ``issue_id`` is filled in once it is clustered)."""
    return {
        "id": m.id,
        "lang": e.lang,
        "sentiment": e.sentiment,
        "sentiment_score": e.sentiment_score,
        "sentiment_tier": FAST,
        "sentiment_fast": None,
        "sentiment_fast_score": None,
        "regions": e.region_codes,
        "coordinated": bool(e.coordinated),
        "dup_of_id": int(e.dup_of) if e.dup_of else None,
        "noise": e.noise,
        "notes": [*m.notes, *e.notes],
        "analyzed_at": now,
        "tenant": tenant,
        "watch": watch,
        "cluster_pending": True if waits else None,
        "issue_id": None,
    }


def _pg_type(kind: TypeEngine[Any]) -> str:
    """The PostgreSQL array element a column's values travel as (JSON travels as text)."""
    if isinstance(kind, UTCDateTime):
        return "timestamp"
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Float):
        return "float8"
    if isinstance(kind, Integer):  # BigInteger too
        return "bigint"
    if isinstance(kind, JSON | String):  # Text is a String
        return "text"
    raise TypeError(f"kolom bertipe {kind!r} belum didukung penulisan per kelompok")


def _pg_value(kind: TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, JSON):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):  # stored as naive UTC, as UTCDateTime binds it
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def write_mentions(
    s: Session,
    rows: Sequence[dict[str, Any]],
    published: dict[int, datetime | None],
) -> None:
    """Write ``rows`` (each an ``id`` and the same other columns) in the caller's transaction;
    ``published`` gives each id's ``published_at`` (PostgreSQL finds the row's partition by it).
    """
    if not rows:
        return
    if s.get_bind().dialect.name != "postgresql":
        s.execute(update(Mention), list(rows))  # one UPDATE by primary key, many parameters
        return
    names = [n for n in rows[0] if n != "id"]
    sets = ", ".join(
        f"{n} = v.{n}::json" if isinstance(_COLUMNS[n].type, JSON) else f"{n} = v.{n}"
        for n in names
    )
    arrays = ", ".join(
        f"CAST(:{n} AS {_pg_type(_COLUMNS[n].type)}[])" for n in ("id", "published_at", *names)
    )
    dated = [r for r in rows if published.get(r["id"]) is not None]
    undated = [r for r in rows if published.get(r["id"]) is None]
    for part, match in (
        (dated, "m.published_at = v.published_at"),
        (undated, "m.published_at IS NULL"),
    ):
        if not part:
            continue
        params: dict[str, list[Any]] = {
            "id": [r["id"] for r in part],
            "published_at": [
                _pg_value(_COLUMNS.published_at.type, published.get(r["id"])) for r in part
            ],
        }
        for n in names:
            params[n] = [_pg_value(_COLUMNS[n].type, r[n]) for r in part]
        s.execute(
            text(
                f"UPDATE mentions AS m SET {sets} "
                f"FROM unnest({arrays}) AS v(id, published_at, {', '.join(names)}) "
                f"WHERE m.id = v.id AND {match}"
            ),
            params,
        )
