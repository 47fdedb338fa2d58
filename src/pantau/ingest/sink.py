"""Writing mentions to the store exactly once, and quarantined records beside them.

Identity is (source, external id) and the canonical URL: a batch is first folded on itself,
then checked against the store, then inserted with ``ON CONFLICT DO NOTHING`` on the
(source_id, external_id) unique key (on PostgreSQL the key lives in ``mention_keys``, beside the
partitioned table), so two writers racing with the same batch (the push API called twice at
once) still store each mention once. Rows returned by ``RETURNING`` are the
ones really inserted; the rest count as duplicates. Citizens' personal data in a title, text or
author is masked before anything is written, its originals sealed beside the new rows
(pantau.privacy).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from pantau.ingest.limits import RecordLimits
from pantau.ingest.urls import UrlError, canonical_url
from pantau.privacy import Piece, mask_fields, seal
from pantau.records import CHANNELS, MentionIn, QuarantineItem, scrub
from pantau.store.models import Mention, Quarantine, Source

__all__ = [
    "MAX_EXTERNAL_ID",
    "WriteSummary",
    "check_mention",
    "write_checked",
    "write_mentions",
    "write_quarantine",
]

logger = logging.getLogger(__name__)

#: Longest external id the store's column holds.
MAX_EXTERNAL_ID = 255
#: Longest canonical URL the indexed column holds; longer ones keep only the (source, id) identity.
MAX_CANONICAL_URL = 2048
#: Line numbers shown per quarantine reason in an import summary (the full list: `quarantine list`).
LINES_PER_REASON = 5
_LOOKUP_CHUNK = 500  # bound parameters per IN (...) query: SQLite allows 32766, PG 65535
_T = TypeVar("_T")


@dataclass
class WriteSummary:
    """Counts of one write: inserted, already known, and quarantined with their reasons."""

    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # "field: reason" -> how many
    lines: dict[str, list[int]] = field(default_factory=dict)  # the first lines of each reason
    inserted_ids: list[str] = field(default_factory=list)
    newest: datetime | None = None
    times: list[datetime] = field(default_factory=list)

    def add(self, other: WriteSummary) -> None:
        """Fold ``other`` into this summary."""
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.quarantined += other.quarantined
        self.reasons.update(other.reasons)
        for key, lines in other.lines.items():
            self.note_lines(key, lines)
        self.inserted_ids += other.inserted_ids
        self.times += other.times
        if other.newest and (self.newest is None or other.newest > self.newest):
            self.newest = other.newest

    def note_lines(self, key: str, lines: list[int]) -> None:
        """Remember up to :data:`LINES_PER_REASON` line numbers for the reason ``key``."""
        kept = self.lines.setdefault(key, [])
        kept.extend(lines[: max(0, LINES_PER_REASON - len(kept))])

    def quarantine(self, items: list[QuarantineItem]) -> None:
        """Count ``items`` by field and reason, keeping their first line numbers."""
        for item in items:
            key = f"{item.field}: {item.reason}" if item.field else item.reason
            self.reasons[key] += 1
            if item.line is not None:
                self.note_lines(key, [item.line])

    def describe_reasons(self, limit: int = 10) -> list[str]:
        """The commonest reasons, each as ``"N x field: reason (baris 3, 9)"``."""
        out = []
        for key, count in self.reasons.most_common(limit):
            lines = self.lines.get(key)
            where = f" (baris {', '.join(map(str, lines))})" if lines else ""
            out.append(f"{count} x {key}{where}")
        return out


_TEXT_FIELDS = ("external_id", "text", "url", "title", "author", "outlet", "outlet_tier", "lang",
                "platform")  # fmt: skip


def _scrub_mention(m: MentionIn) -> None:
    changed = False
    for name in _TEXT_FIELDS:
        value = getattr(m, name)
        if value is not None and (clean := scrub(value)) is not value:
            setattr(m, name, clean)
            changed = True
    extra = scrub(m.extra)
    if extra is not m.extra:
        m.extra, changed = extra, True
    if changed:
        m.notes.append("karakter kendali atau surrogate tunggal dibuang")


def check_mention(
    m: MentionIn, max_chars: int, limits: RecordLimits | None = None
) -> tuple[str, str] | None:
    """Why ``m`` cannot be stored, as (field, reason), or ``None``; characters no store can keep
    are dropped and long text is cut here (each with a note). Dates outside the sane window and
    counts the store cannot hold are checked against ``limits`` (the environment's if none)."""
    _scrub_mention(m)
    if not m.external_id or not str(m.external_id).strip():
        return "external_id", "external_id kosong"
    if len(m.external_id) > MAX_EXTERNAL_ID:
        return "external_id", f"external_id lebih dari {MAX_EXTERNAL_ID} karakter"
    if not m.text or not m.text.strip():
        return "text", "teks kosong"
    if m.channel not in CHANNELS:
        return "channel", f"kanal {m.channel!r} tidak dikenal; pilih {', '.join(CHANNELS)}"
    if m.fetched_at is not None and m.fetched_at.tzinfo is None:
        return "fetched_at", "waktu tanpa zona waktu"
    problem = (limits or RecordLimits.current()).mention_problem(m)
    if problem is not None:
        return problem
    if len(m.text) > max_chars:
        m.notes.append(f"teks dipotong pada {max_chars} karakter (asli {len(m.text)})")
        m.text = m.text[:max_chars]
    return None


def _canonical(m: MentionIn) -> str | None:
    if not m.url:
        return None
    try:
        canon = canonical_url(m.url)
    except UrlError:
        return None
    return canon if len(canon) <= MAX_CANONICAL_URL else None


def _cut(value: str | None, size: int) -> str | None:
    """``value`` fitted to a VARCHAR(size) column (PostgreSQL refuses longer strings)."""
    return value[:size] if value else None


def _row(m: MentionIn, source: Source, canon: str | None, now: datetime) -> dict[str, Any]:
    return {
        "source_id": source.id,
        # the source's province until the text stage places it (pantau.store.tenancy)
        "tenant": source.province,
        "external_id": m.external_id,
        "url": m.url,
        "canonical_url": canon,
        "author": _cut(m.author, 255),
        "author_followers": m.author_followers,
        "channel": m.channel,
        "platform": _cut(m.platform, 40),
        "outlet": _cut(m.outlet, 200),
        "outlet_tier": _cut(m.outlet_tier, 20),
        "published_at": m.published_at,
        "fetched_at": m.fetched_at or now,
        "title": m.title,
        "text": m.text,
        "likes": m.likes,
        "shares": m.shares,
        "comments": m.comments,
        "views": m.views,
        "lang": _cut(m.lang, 8),
        "extra": m.extra,
        "notes": m.notes,
        "regions": [],
        "watch": [],
        "coordinated": False,
    }


def _chunks(values: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), _LOOKUP_CHUNK):
        yield values[start : start + _LOOKUP_CHUNK]


def _known(session: Session, source_id: int, ids: list[str], urls: list[str]) -> set[str]:
    known: set[str] = set()
    for part in _chunks(ids):
        stmt = select(Mention.external_id).where(
            and_(Mention.source_id == source_id, Mention.external_id.in_(part))
        )
        known.update(f"id:{v}" for v in session.scalars(stmt))
    for part in _chunks(urls):
        url_stmt = select(Mention.canonical_url).where(Mention.canonical_url.in_(part))
        known.update(f"url:{v}" for v in session.scalars(url_stmt))
    return known


_JSON_COLUMNS = ("extra", "notes", "regions", "watch")


def _insert_pg(session: Session, rows: list[dict[str, Any]]) -> list[str]:
    """COPY the batch into a temporary table, then one set-based ``INSERT ... SELECT``.

    Both identities are checked inside that one statement (canonical URL against its index,
    (source, external id) by ``ON CONFLICT``), so a concurrent writer's rows are seen too.
    Measured against SQLAlchemy's multi-row VALUES (psycopg re-splits a 20,000-placeholder
    query per page) and per-row pipelined statements: see benchmarks/ingest_import.py.
    """
    from psycopg.types.json import Json

    cols = list(rows[0])
    names = ", ".join(cols)
    raw: Any = session.connection().connection.dbapi_connection  # a psycopg 3 connection
    with raw.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS _pantau_in ON COMMIT DELETE ROWS AS "
            f"SELECT {names} FROM mentions WITH NO DATA"
        )
        cur.execute("TRUNCATE _pantau_in")
        with cur.copy(f"COPY _pantau_in ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        Json(row[c])
                        if c in _JSON_COLUMNS
                        else row[c].astimezone(UTC).replace(tzinfo=None)  # naive UTC, as stored
                        if isinstance(row[c], datetime)
                        else row[c]
                        for c in cols
                    ]
                )
        # the identity is claimed in mention_keys first: the partitioned table cannot hold
        # the (source, external id) unique key itself (see pantau.store.partitions)
        cur.execute(
            "WITH claimed AS (INSERT INTO mention_keys (source_id, external_id, mention_id) "
            "SELECT i.source_id, i.external_id, nextval(pg_get_serial_sequence('mentions', 'id')) "
            "FROM _pantau_in i WHERE i.canonical_url IS NULL OR NOT EXISTS "
            "(SELECT 1 FROM mentions m WHERE m.canonical_url = i.canonical_url) "
            "ON CONFLICT (source_id, external_id) DO NOTHING "
            "RETURNING source_id, external_id, mention_id) "
            f"INSERT INTO mentions (id, {names}) SELECT c.mention_id, "
            + ", ".join(f"i.{c}" for c in cols)
            + " FROM _pantau_in i JOIN claimed c "
            "ON c.source_id = i.source_id AND c.external_id = i.external_id RETURNING external_id"
        )
        return [r[0] for r in cur.fetchall()]


def _insert(session: Session, rows: list[dict[str, Any]]) -> list[str]:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _insert_pg(session, rows)
    stmt = (
        sqlite.insert(Mention)
        .on_conflict_do_nothing(index_elements=["source_id", "external_id"])
        .returning(Mention.external_id)
    )
    return list(session.scalars(stmt, rows))


def write_mentions(
    session: Session,
    source: Source,
    mentions: Iterable[MentionIn],
    *,
    max_chars: int = 100_000,
    origin: str = "",
    limits: RecordLimits | None = None,
) -> tuple[WriteSummary, list[QuarantineItem]]:
    """Insert the new mentions of one batch for ``source``; invalid ones come back to quarantine.

    The caller owns the transaction: commit after this returns (together with the source's
    state), so a crash leaves either all of the batch or none of it.
    """
    checked: list[MentionIn] = []
    rejected: list[QuarantineItem] = []
    limits = limits or RecordLimits.current()
    for m in mentions:
        problem = check_mention(m, max_chars, limits)
        if problem is None:
            checked.append(m)
            continue
        payload = json.dumps(m.__dict__, default=str, ensure_ascii=False)
        rejected.append(
            QuarantineItem(origin or source.name, problem[1], payload, None, problem[0])
        )
    return write_checked(session, source, checked), rejected


def write_checked(session: Session, source: Source, mentions: Iterable[MentionIn]) -> WriteSummary:
    """Insert the new ones of mentions that already passed :func:`check_mention`.

    For a caller that answers each record itself (the push API names every rejected item by its
    index), so that each mention is checked once. Duplicates within the batch and against the
    store are counted, not inserted; the caller owns the transaction.
    """
    summary = WriteSummary()
    now = datetime.now(UTC)
    fresh: list[tuple[MentionIn, str | None]] = []
    personal: dict[str, list[Piece]] = {}  # external id -> its masked personal data
    batch_keys: set[str] = set()
    for m in mentions:
        canon = _canonical(m)
        keys = {f"id:{m.external_id}"} | ({f"url:{canon}"} if canon else set())
        if keys & batch_keys:
            summary.duplicates += 1
            continue
        batch_keys |= keys
        fresh.append((m, canon))
        masked, spans = mask_fields({"title": m.title, "text": m.text, "author": m.author})
        if spans:
            m.title, m.text, m.author = masked["title"], masked["text"] or "", masked["author"]
            personal[m.external_id] = spans
    if session.get_bind().dialect.name == "postgresql":
        known: set[str] = set()  # _insert_pg checks both identities inside its INSERT
    else:
        known = _known(
            session, source.id, [m.external_id for m, _ in fresh], [c for _, c in fresh if c]
        )
    rows = []
    for m, canon in fresh:
        if f"id:{m.external_id}" in known or (canon and f"url:{canon}" in known):
            summary.duplicates += 1
            continue
        rows.append(_row(m, source, canon, now))
    inserted = _insert(session, rows) if rows else []
    summary.imported = len(inserted)
    summary.duplicates += len(rows) - len(inserted)
    summary.inserted_ids = inserted
    done = set(inserted)
    _seal_inserted(session, source.id, {k: v for k, v in personal.items() if k in done})
    for row in rows:
        if row["external_id"] in done:
            when = row["published_at"] or row["fetched_at"]
            summary.times.append(when)
            if summary.newest is None or when > summary.newest:
                summary.newest = when
    return summary


def _seal_inserted(session: Session, source_id: int, personal: dict[str, list[Piece]]) -> None:
    """Keep the originals of what :func:`write_mentions` masked, under the new mentions' ids."""
    found: dict[int, list[Piece]] = {}
    for part in _chunks(list(personal)):
        stmt = select(Mention.id, Mention.external_id).where(
            and_(Mention.source_id == source_id, Mention.external_id.in_(part))
        )
        for mention_id, external_id in session.execute(stmt):
            found[mention_id] = personal[external_id]
    seal(session, found)


def write_quarantine(
    session: Session, source: Source | None, items: Iterable[QuarantineItem]
) -> int:
    """Store quarantined records; one already waiting (same origin, line, reason, payload) is
    not stored twice, so re-importing a file does not double its quarantine."""
    items = list(items)
    if not items:
        return 0
    source_id = source.id if source is not None else None
    existing = _waiting(session, source_id, items)
    added = 0
    for item in items:
        reason, payload = scrub(item.reason), scrub(item.payload)  # see check_mention
        key = (item.source[:255], item.line, reason, payload)
        if key in existing:
            continue
        existing.add(key)
        session.add(
            Quarantine(
                source_id=source_id,
                origin=item.source[:255],
                line=item.line,
                field=item.field[:120] if item.field else None,  # the column's width
                reason=reason,
                payload=payload,
            )
        )
        added += 1
    return added


def _waiting(
    session: Session, source_id: int | None, items: list[QuarantineItem]
) -> set[tuple[str, int | None, str, str]]:
    """Keys of the unresolved entries that ``items`` could repeat: same source, origin and
    line only, so a source with a long quarantine is not read whole for every batch."""
    origins = sorted({i.source[:255] for i in items})
    numbered = sorted({i.line for i in items if i.line is not None})
    wanted = [Quarantine.line.in_(part) for part in _chunks(numbered)]
    if any(i.line is None for i in items):
        wanted.append(Quarantine.line.is_(None))
    stmt = select(Quarantine.origin, Quarantine.line, Quarantine.reason, Quarantine.payload).where(
        Quarantine.source_id == source_id,
        Quarantine.origin.in_(origins),
        Quarantine.resolved.is_(False),
        or_(*wanted),
    )
    return {(o, n, r, p) for o, n, r, p in session.execute(stmt)}
