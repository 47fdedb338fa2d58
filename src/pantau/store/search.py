"""Full-text search over mentions: FTS5 on SQLite, the ``indonesian`` tsvector on PostgreSQL.

Snippets mark hits with ``HIT_START``/``HIT_END`` (characters that never need HTML escaping), so
the page escapes the whole snippet first and only then turns the markers into ``<mark>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, cast, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from pantau.store.models import Mention, Source

__all__ = [
    "HIT_END",
    "HIT_START",
    "MentionFilter",
    "SearchHit",
    "count_mentions",
    "filter_select",
    "fts5_query",
    "search_mentions",
]

HIT_START = "\u27e6"  # ⟦
HIT_END = "\u27e7"  # ⟧
#: Characters of a mention shown when there is no highlighted snippet.
SNIPPET_CHARS = 280
#: Words of context around a hit in snippets; about two lines on the search page.
SNIPPET_WORDS = 28

_TOKEN = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(q: str) -> str:
    """Turn what a person types into a safe FTS5 query (words ANDed, "phrases", OR, prefix*).

    >>> fts5_query('banjir "jalan rusak" OR longsor samar*')
    '"banjir" "jalan rusak" OR "longsor" "samar"*'
    >>> fts5_query('a" NEAR(')
    '"a" "NEAR"'
    """
    parts: list[str] = []
    for m in _TOKEN.finditer(q):
        phrase, word = m.group(1), m.group(2)
        if phrase is not None:
            words = _WORD.findall(phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        if word == "OR" and parts and parts[-1] != "OR":
            parts.append("OR")
            continue
        prefix = word.endswith("*")
        for w in _WORD.findall(word):
            parts.append(f'"{w}"' + ("*" if prefix else ""))
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts)


@dataclass
class MentionFilter:
    """Filters shared by the search page, the API and exports."""

    q: str = ""
    channel: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    issue_id: int | None = None
    source_id: int | None = None
    sentiment: str | None = None
    region: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SearchHit:
    id: int
    title: str | None
    snippet: str
    channel: str
    published_at: datetime | None
    author: str | None
    outlet: str | None
    url: str | None
    sentiment: str | None
    issue_id: int | None
    source: str

    @classmethod
    def of(cls, m: Mention, source: str, snippet: str | None = None) -> SearchHit:
        """The hit for mention ``m`` from ``source``; without a snippet, the text's start."""
        return cls(
            m.id,
            m.title,
            snippet or m.text[:SNIPPET_CHARS],
            m.channel,
            m.published_at,
            m.author,
            m.outlet,
            m.url,
            m.sentiment,
            m.issue_id,
            source,
        )


def _filtered(stmt: Select[Any], f: MentionFilter) -> Select[Any]:
    if f.channel:
        stmt = stmt.where(Mention.channel == f.channel)
    if f.since:
        stmt = stmt.where(Mention.published_at >= f.since)
    if f.until:
        stmt = stmt.where(Mention.published_at < f.until)
    if f.issue_id is not None:
        stmt = stmt.where(Mention.issue_id == f.issue_id)
    if f.source_id is not None:
        stmt = stmt.where(Mention.source_id == f.source_id)
    if f.sentiment:
        stmt = stmt.where(Mention.sentiment == f.sentiment)
    if f.region:
        # regions is a JSON list of codes; a LIKE on its text form works on both backends.
        stmt = stmt.where(cast(Mention.regions, String).like(f'%"{f.region}%'))
    return stmt


def _match(session: Session, stmt: Select[Any], q: str) -> tuple[Select[Any], Any]:
    """Restrict ``stmt`` to mentions matching ``q``; returns it and a snippet expression."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        query = fts5_query(q)
        if not query:
            return stmt.where(text("0")), literal_column("''")
        ids = text("SELECT rowid FROM mention_fts WHERE mention_fts MATCH :q").bindparams(q=query)
        stmt = stmt.where(Mention.id.in_(ids.columns(column("rowid"))))
        fts = table("mention_fts", column("rowid"))
        snippet: Any = (
            select(
                func.snippet(
                    literal_column("mention_fts"), -1, HIT_START, HIT_END, "…", SNIPPET_WORDS // 2
                )
            )
            .select_from(fts)
            .where(literal_column("mention_fts").op("MATCH")(query))
            .where(fts.c.rowid == Mention.id)
            .scalar_subquery()
        )
        return stmt, snippet
    tsq = func.websearch_to_tsquery("indonesian", q)
    stmt = stmt.where(literal_column("mentions.search").op("@@")(tsq))
    options = f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords={SNIPPET_WORDS}, MinWords=12"
    snippet = func.ts_headline(
        "indonesian", func.coalesce(Mention.title, "") + " " + Mention.text, tsq, options
    )
    return stmt, snippet


def filter_select(session: Session, stmt: Select[Any], f: MentionFilter) -> Select[Any]:
    """``stmt`` (any selection over mentions) restricted to the mentions ``f`` matches.

    The one place the filters and the full-text match are applied, so a page, a count and an
    export of the same filter always agree.
    """
    stmt = _filtered(stmt, f)
    if f.q.strip():
        stmt, _ = _match(session, stmt, f.q)
    return stmt


def search_mentions(
    session: Session, f: MentionFilter, *, limit: int = 50, offset: int = 0
) -> list[SearchHit]:
    """One page of mentions, newest first (undated ones last), with highlighted snippets when
    ``f.q`` is given.

    Dated and undated mentions are read apart, each in an order an index gives: PostgreSQL
    cannot walk an ascending index for ``DESC NULLS LAST`` and sorted every match instead (all
    of a 24,000-mention issue, or of the whole table when nothing is filtered). The undated
    ones are needed only on the page where the dated ones end.
    """
    stmt: Any = select(Mention, Source.name).join(Source, Source.id == Mention.source_id)
    stmt = _filtered(stmt, f)
    snippet_expr: Any = None
    if f.q.strip():
        stmt, snippet_expr = _match(session, stmt, f.q)
        stmt = stmt.add_columns(snippet_expr.label("snippet"))
    dated = stmt.where(Mention.published_at.is_not(None))
    rows = list(
        session.execute(
            dated.order_by(Mention.published_at.desc(), Mention.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    if len(rows) < limit:
        if rows:
            n_dated = offset + len(rows)
        else:
            n_dated = int(session.scalar(select(func.count()).select_from(dated.subquery())) or 0)
        undated = stmt.where(Mention.published_at.is_(None)).order_by(Mention.id.desc())
        rows += session.execute(undated.limit(limit - len(rows)).offset(max(0, offset - n_dated)))
    return [
        SearchHit.of(row[0], row[1], row[2] if snippet_expr is not None else None) for row in rows
    ]


def count_mentions(session: Session, f: MentionFilter) -> int:
    """How many mentions match (for pagination)."""
    stmt = filter_select(session, select(func.count(Mention.id)), f)
    return int(session.scalar(stmt) or 0)
