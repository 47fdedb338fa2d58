"""An index of the emoji and other symbols in mentions, so searching for 😷 is a lookup.

Neither full-text index keeps them (FTS5's unicode61 and PostgreSQL's parser both drop
characters that are not letters or digits), so a symbol in a query used to be a substring test
on every mention the rest of the query left: 324 ms on SQLite and 4,885 ms on PostgreSQL for
``banjir 😷`` at 1,000,000 benchmark mentions (47 s at 2,000,000), most of it spent on mentions
that do not hold the symbol at all.

The index holds, per mention, each distinct character a query symbol can be made of (see
:func:`pantau.store.search_query.parse_query`: a term with no letter or digit, ASCII
punctuation taken out). A search first asks the index for the mentions holding every such
character of the symbol, then keeps the substring test on those few, so the hits are exactly
the substring matches they always were (order, adjacency and repeats included):

- PostgreSQL: a GIN index over an expression of the mention, the array of its non-ASCII
  characters (:data:`PG_SYMBOLS`); nothing to maintain, the server keeps it. It keeps every
  non-ASCII character, a superset of the symbol characters, because PostgreSQL's idea of a
  letter follows the server's locale and must never leave out one that Python calls a symbol.
- SQLite: a side table ``mention_symbols`` (symbol, mention id), kept by triggers that call
  :func:`sqlite_symbols` through the SQL function ``pantau_symbols``, which every connection
  of :class:`pantau.store.Database` registers (:func:`register_sqlite`).

>>> symbol_chars("Banjir 😷😷 di Sempaja…", None)
['…', '😷']
>>> sqlite_symbols("Jalan rusak", "lagi!!") is None
True
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Integer, Text, and_, column, literal_column, select, table
from sqlalchemy.dialects.postgresql import ARRAY

__all__ = [
    "PG_SYMBOLS",
    "SQLITE_FUNCTION",
    "indexed_condition",
    "register_sqlite",
    "sqlite_id_selects",
    "sqlite_symbols",
    "symbol_chars",
]

#: A character a query symbol can hold: not ASCII (ASCII punctuation is dropped from queries,
#: letters and digits make words), not a letter, digit or underscore, not a space.
_SYMBOL_CHAR = re.compile(r"[^\x00-\x7f\w\s]")
#: The SQL function the SQLite triggers call; see :func:`register_sqlite`.
SQLITE_FUNCTION = "pantau_symbols"
#: The indexed PostgreSQL expression: the mention's non-ASCII characters as a text array. The
#: query repeats it (the planner matches an expression index by its expression), with the
#: columns named by table (``{t}``: ``mentions.``) since a search joins other tables.
PG_SYMBOLS = (
    "regexp_split_to_array(regexp_replace(coalesce({t}title, '') || {t}text, "
    "'[\\x01-\\x7f]+', '', 'g'), '')"
)

_symbols = table("mention_symbols", column("symbol", Text), column("mention_id", Integer))


def symbol_chars(*texts: str | None) -> list[str]:
    """The distinct symbol characters of ``texts``, sorted."""
    found: set[str] = set()
    for t in texts:
        if t and not t.isascii():
            found.update(_SYMBOL_CHAR.findall(t))
    return sorted(found)


def sqlite_symbols(title: str | None, text: str | None) -> str | None:
    """``pantau_symbols(title, text)``: the symbol characters as a JSON array, NULL for none
    (most mentions are plain text and add no row)."""
    chars = symbol_chars(title, text)
    return json.dumps(chars, ensure_ascii=False) if chars else None


def register_sqlite(dbapi_conn: Any) -> None:
    """Make ``pantau_symbols`` callable on a sqlite3 connection (its triggers need it)."""
    dbapi_conn.create_function(SQLITE_FUNCTION, 2, sqlite_symbols, deterministic=True)


def sqlite_id_selects(symbol: str) -> list[Any]:
    """SQLite: one select of mention ids per symbol character of ``symbol`` (a mention holding
    ``symbol`` is in every one of them); empty when it has none."""
    return [
        select(_symbols.c.mention_id).where(_symbols.c.symbol == ch) for ch in symbol_chars(symbol)
    ]


def indexed_condition(dialect: str, symbol: str, mention_id: Any) -> Any:
    """The mentions that hold every symbol character of ``symbol`` (from the index), or
    ``None`` when it has none (ASCII control characters): only a scan can answer that."""
    chars = symbol_chars(symbol)
    if not chars:
        return None
    if dialect == "postgresql":
        expr = PG_SYMBOLS.format(t="mentions.")
        return literal_column(expr, ARRAY(Text)).contains(chars)
    return and_(*(mention_id.in_(ids) for ids in sqlite_id_selects(symbol)))
