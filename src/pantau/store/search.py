"""Full-text search over mentions: FTS5 on SQLite, the ``indonesian`` tsvector on PostgreSQL.

Snippets mark hits with ``HIT_START``/``HIT_END`` (characters that never need HTML escaping), so
the page escapes the whole snippet first and only then turns the markers into ``<mark>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    cast,
    column,
    false,
    func,
    intersect,
    literal_column,
    not_,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from pantau.store.models import Mention, Source, Watchlist
from pantau.store.search_query import (
    And,
    Node,
    Not,
    Or,
    SearchQueryError,
    Symbol,
    fts5_text,
    needs_sql,
    parse_query,
    positive_leaves,
    scans,
    tsquery_text,
)
from pantau.store.symbols import indexed_condition, sqlite_id_selects

__all__ = [
    "HIT_END",
    "HIT_START",
    "NOISE_CHOICES",
    "NOISE_HIDDEN",
    "NOISE_ONLY",
    "MentionFilter",
    "SearchHit",
    "SearchQueryError",
    "count_mentions",
    "filter_select",
    "mention_conditions",
    "search_mentions",
]

HIT_START = "\u27e6"  # ⟦
HIT_END = "\u27e7"  # ⟧
#: Characters of a mention shown when there is no highlighted snippet.
SNIPPET_CHARS = 280
#: Words of context around a hit in snippets; about two lines on the search page.
SNIPPET_WORDS = 28
#: Full-text matches above which SQLite walks the date index instead of sorting the matches:
#: at 200,000 benchmark mentions 'banjir' (12,840 matches) took 116 ms sorted and 7 ms walked,
#: 'banjir samarinda' (106) 17 ms sorted and 54 ms walked (benchmarks/reports_dashboard.py).
BROAD_MATCHES = 2000
#: Mentions that matched some watchlist, spelled as the condition of ``ix_mentions_watched``
#: (a literal, not a parameter: a partial index is chosen only for its own condition).
WATCHED: Any = literal_column("CAST(mentions.watch AS VARCHAR) != '[]'")
#: The noise filter's values: leave noise posts out, or show only them.
NOISE_HIDDEN = "hide"
NOISE_ONLY = "only"
NOISE_CHOICES = (NOISE_HIDDEN, NOISE_ONLY)


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
    #: A Kemendagri code at any level: a kab/kota (64.72) takes in its kecamatan (64.72.01).
    region: str | None = None
    author: str | None = None
    outlet: str | None = None
    lang: str | None = None
    watchlist_id: int | None = None
    #: NOISE_HIDDEN keeps genuine posts only, NOISE_ONLY the noise (spam, ads, greetings).
    noise: str | None = None
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
    sentiment_tier: str | None = None  # which tier read ``sentiment``: fast, precise, officer

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
            m.sentiment_tier,
        )


def mention_conditions(session: Session, f: MentionFilter) -> list[Any]:
    """SQL conditions on :class:`Mention` for every filter of ``f`` but the search words."""
    equal = {
        Mention.channel: f.channel,
        Mention.issue_id: f.issue_id,
        Mention.source_id: f.source_id,
        Mention.sentiment: f.sentiment,
        Mention.author: f.author,
        Mention.outlet: f.outlet,
        Mention.lang: f.lang,
    }
    conds: list[Any] = [col == value for col, value in equal.items() if value not in (None, "")]
    if f.noise == NOISE_HIDDEN:
        conds.append(Mention.noise.is_(None))
    elif f.noise == NOISE_ONLY:
        conds.append(Mention.noise.is_not(None))
    if f.since:
        conds.append(Mention.published_at >= f.since)
    if f.until:
        conds.append(Mention.published_at < f.until)
    if f.region:
        # regions is a JSON list of codes; a LIKE on its text form works on both backends, and
        # the opening quote keeps 64.7 from matching 64.72 only when a whole code is given.
        conds.append(cast(Mention.regions, String).like(f'%"{f.region}%'))
    if f.watchlist_id is not None:
        name = session.scalar(select(Watchlist.name).where(Watchlist.id == f.watchlist_id))
        if name is None:
            return [false()]
        conds += [WATCHED, cast(Mention.watch, String).like(f"%{json.dumps(name)}%")]
    return conds


def _filtered(session: Session, stmt: Select[Any], f: MentionFilter) -> Select[Any]:
    return stmt.where(*mention_conditions(session, f))


def _index_match(session: Session, node: Node, *, whole: bool = False) -> Any:
    """Mentions whose index matches ``node`` (one that the full-text index can answer whole).

    On SQLite the plan depends on how many match: a few are read by id and sorted, but for a
    broad match (one common word, ``banjir -jalan``) reading all and sorting them costs more
    than walking the newest mentions until a page is full, so the id is hidden from the planner
    (``id + 0``) and the date index leads. Only when the match is the ``whole`` text condition:
    beside an emoji scan that may reject every row, the walk would read the whole table.
    """
    if session.get_bind().dialect.name == "sqlite":
        return _id_in(session, [_fts_ids(node)], whole=whole)
    tsq = func.to_tsquery("indonesian", tsquery_text(node))
    return literal_column("mentions.search").op("@@")(tsq)


def _id_in(session: Session, id_sets: list[Select[Any]], *, whole: bool) -> Any:
    """SQLite: the mention's id is in every one of ``id_sets``; for the ``whole`` query, with
    the id hidden from the planner when the first set is broad (see :func:`_index_match`)."""
    broad = False
    if whole:
        probe = select(func.count()).select_from(id_sets[0].limit(BROAD_MATCHES + 1).subquery())
        broad = int(session.scalar(probe) or 0) > BROAD_MATCHES
    column = Mention.id + 0 if broad else Mention.id
    return and_(*(column.in_(ids) for ids in id_sets))


def _fts_ids(node: Node) -> Select[Any]:
    """SQLite: the ids of the mentions whose FTS5 index matches ``node``."""
    fts = table("mention_fts", column("rowid"))
    return select(fts.c.rowid).where(literal_column("mention_fts").op("MATCH")(fts5_text(node)))


def _substring(node: Symbol) -> Any:
    return or_(
        Mention.text.contains(node.text, autoescape=True),
        # NULL titles would make NOT (... OR NULL) unknown, and "-😷" drop every untitled post
        func.coalesce(Mention.title, "").contains(node.text, autoescape=True),
    )


def _condition(session: Session, node: Node, *, whole: bool = False, newest: bool = False) -> Any:
    """The SQL condition for a query tree: what the index can answer in one lookup, the rest
    (emoji, a negation FTS5 cannot place) as SQL around it."""
    fts5 = session.get_bind().dialect.name == "sqlite"
    if not needs_sql(node, fts5=fts5):
        return _index_match(session, node, whole=whole)
    if isinstance(node, Symbol):
        substring = _substring(node)
        # the symbol index finds the mentions holding its characters; the substring test on
        # those keeps the hits exactly what they were (pantau.store.symbols). A common symbol
        # alone (😷 in 27,028 of 1,000,000 benchmark mentions) is found faster by walking the
        # newest mentions: reading all its rows to sort them took 1.3 s, the walk 0.03 s. Only
        # for a page of the ``newest``: a capped count reads its first ids, in any order.
        dialect = session.get_bind().dialect.name
        id_sets = sqlite_id_selects(node.text) if dialect == "sqlite" else []
        if id_sets:
            return and_(_id_in(session, id_sets, whole=whole and newest), substring)
        indexed = indexed_condition(dialect, node.text, Mention.id)
        return substring if indexed is None else and_(indexed, substring)
    if isinstance(node, Not):
        return not_(_condition(session, node.child))
    if isinstance(node, Or):
        return or_(*(_condition(session, c) for c in node.children))
    if not isinstance(node, And):  # Word, Prefix and Phrase never need SQL
        raise TypeError(f"unexpected query node {node!r}")
    plain = tuple(
        c for c in node.children if not needs_sql(c.child if isinstance(c, Not) else c, fts5=fts5)
    )
    group: Node | None = (plain[0] if len(plain) == 1 else And(plain)) if plain else None
    conds = []
    rest = node.children
    if group is not None and not needs_sql(group, fts5=fts5):
        rest = tuple(c for c in node.children if c not in plain)
        if not fts5:
            conds.append(_index_match(session, group))
        elif any(isinstance(c, Symbol) for c in rest):
            return _intersected(group, rest, lambda c: _condition(session, c))
        else:
            conds.append(_index_match(session, group))
    conds += [_condition(session, c) for c in rest]
    return and_(*conds)


def _intersected(group: Node, rest: tuple[Node, ...], condition: Any) -> Any:
    """SQLite: words and symbols (``banjir 😷``) as one list of ids, the FTS5 match's
    intersected with each symbol's, read before any mention row.

    Given the two lists as separate ``IN`` tests, SQLite walked the word's list and read each
    mention to test the other: 67,000 rows for ~1,800 hits at 1,000,000 benchmark mentions
    (1.1 s). The symbols' substring tests stay, on the few rows left."""
    id_sets: list[Select[Any]] = [_fts_ids(group)]
    conds: list[Any] = []
    for c in rest:
        ids = sqlite_id_selects(c.text) if isinstance(c, Symbol) else []
        if ids:
            id_sets += ids
            conds.append(_substring(c))  # type: ignore[arg-type]
        else:
            conds.append(condition(c))
    return and_(Mention.id.in_(intersect(*id_sets)), *conds)


def _snippet(dialect: str, node: Node) -> Any:
    """A snippet expression marking the query's positive words, or ``None`` without any."""
    leaves = positive_leaves(node)
    if not leaves:
        return None
    marked: Node = leaves[0] if len(leaves) == 1 else Or(tuple(leaves))
    if dialect == "sqlite":
        fts = table("mention_fts", column("rowid"))
        return (
            select(
                func.snippet(
                    literal_column("mention_fts"), -1, HIT_START, HIT_END, "…", SNIPPET_WORDS // 2
                )
            )
            .select_from(fts)
            .where(literal_column("mention_fts").op("MATCH")(fts5_text(marked)))
            .where(fts.c.rowid == Mention.id)
            .scalar_subquery()
        )
    options = f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords={SNIPPET_WORDS}, MinWords=12"
    return func.ts_headline(
        "indonesian",
        func.coalesce(Mention.title, "") + " " + Mention.text,
        func.to_tsquery("indonesian", tsquery_text(marked)),
        options,
    )


def _match(
    session: Session, stmt: Select[Any], q: str, *, newest: bool = False
) -> tuple[Select[Any], Any]:
    """Restrict ``stmt`` to mentions matching ``q``; returns it and a snippet expression
    (``None`` when nothing is highlighted); ``newest``: for a page of the newest matches, which
    may walk the date index (see :func:`_condition`). Raises :class:`SearchQueryError` for a
    query that cannot be read, which the pages explain beside the search box."""
    node = parse_query(q)
    if node is None:
        return stmt.where(false()), None
    dialect = session.get_bind().dialect.name
    condition = _condition(session, node, whole=True, newest=newest)
    return stmt.where(condition), _snippet(dialect, node)


def filter_select(session: Session, stmt: Select[Any], f: MentionFilter) -> Select[Any]:
    """``stmt`` (any selection over mentions) restricted to the mentions ``f`` matches.

    The one place the filters and the full-text match are applied, so a page, a count and an
    export of the same filter always agree.
    """
    stmt = _filtered(session, stmt, f)
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
    stmt = _filtered(session, stmt, f)
    snippet_expr: Any = None
    if f.q.strip():
        stmt, snippet_expr = _match(session, stmt, f.q, newest=True)
        if snippet_expr is not None:
            stmt = stmt.add_columns(snippet_expr.label("snippet"))
    when: Any = Mention.published_at
    node = parse_query(f.q) if f.q.strip() else None
    if node is not None and scans(node) and session.get_bind().dialect.name == "sqlite":
        # Every row is read anyway (a negation alone): in table order and sorted (179 ms at
        # 200,000 mentions) rather than walked through the date index row by row (1,054 ms).
        when = literal_column("+mentions.published_at")
    dated = stmt.where(when.is_not(None))
    rows = list(
        session.execute(dated.order_by(when.desc(), Mention.id.desc()).limit(limit).offset(offset))
    )
    if len(rows) < limit:
        if rows or offset == 0:
            n_dated = offset + len(rows)
        else:
            n_dated = int(session.scalar(select(func.count()).select_from(dated.subquery())) or 0)
        undated = stmt.where(Mention.published_at.is_(None)).order_by(Mention.id.desc())
        rows += session.execute(undated.limit(limit - len(rows)).offset(max(0, offset - n_dated)))
    return [
        SearchHit.of(row[0], row[1], row[2] if snippet_expr is not None else None) for row in rows
    ]


def count_mentions(session: Session, f: MentionFilter, *, cap: int | None = None) -> int:
    """How many mentions match (for pagination); with ``cap``, at most ``cap + 1``.

    A capped count stops reading once it passes the cap: a broad filter no index answers (a
    kab/kota with a sentiment) otherwise reads every row of a large store to print one number.
    """
    if cap is None:
        return int(session.scalar(filter_select(session, select(func.count(Mention.id)), f)) or 0)
    ids = filter_select(session, select(Mention.id), f).limit(cap + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(ids)) or 0)
