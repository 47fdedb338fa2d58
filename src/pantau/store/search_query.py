"""The search box's query language, read once and compiled for SQLite FTS5 and PostgreSQL.

Words are ANDed; ``OR`` joins alternatives; ``NOT word`` or ``-word`` excludes; ``"a phrase"``
keeps words together; ``word*`` is a prefix; parentheses group. Operators are upper case so
that the Indonesian "atau"/"dan" stay words. A term with no letters or digits (an emoji such as
😷) is matched as a substring; neither full-text index keeps emoji as tokens, so the symbol
index of :mod:`pantau.store.symbols` finds the mentions to test.

>>> parse_query('banjir -pdam "jalan rusak" OR samar*')
Or(And(Word('banjir'), Not(Word('pdam')), Phrase(('jalan', 'rusak'))), Prefix('samar'))
>>> fts5_text(parse_query('banjir -pdam'))
'("banjir" NOT "pdam")'
>>> tsquery_text(parse_query('banjir -pdam "jalan rusak"'))
"('banjir' & !'pdam' & 'jalan' <-> 'rusak')"
>>> parse_query('banjir "jalan')
Traceback (most recent call last):
pantau.store.search_query.SearchQueryError: column 8: the quotation mark is not closed
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pantau.i18n import N_
from pantau.store.symbols import symbol_chars

__all__ = [
    "And",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "SearchQueryError",
    "Symbol",
    "Word",
    "fts5_text",
    "needs_sql",
    "parse_query",
    "positive_leaves",
    "scans",
    "tsquery_text",
]

_LEXER = re.compile(r'\s*(?:(?P<paren>[()])|(?P<phrase>"[^"]*"?)|(?P<term>[^\s()"]+))')
_WORD = re.compile(r"\w+", re.UNICODE)
#: ASCII punctuation carries no meaning in a term of its own ("," or "!!!" typed by habit).
_PUNCT = re.compile(r"^[!-/:-@\[-`{-~]*$")


class SearchQueryError(ValueError):
    """The query cannot be read. ``reason`` is an English message id (the page translates it),
    ``column`` the 1-based position of the problem and ``token`` what stands there."""

    def __init__(self, reason: str, column: int, token: str = "") -> None:
        super().__init__(f"column {column}: {reason}")
        self.reason = reason
        self.column = column
        self.token = token


@dataclass(frozen=True)
class Word:
    text: str

    def __repr__(self) -> str:
        return f"Word({self.text!r})"


@dataclass(frozen=True)
class Prefix:
    text: str

    def __repr__(self) -> str:
        return f"Prefix({self.text!r})"


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Phrase({self.words!r})"


@dataclass(frozen=True)
class Symbol:
    """Characters without a letter or digit (an emoji), matched as a substring."""

    text: str

    def __repr__(self) -> str:
        return f"Symbol({self.text!r})"


@dataclass(frozen=True)
class Not:
    child: Node

    def __repr__(self) -> str:
        return f"Not({self.child!r})"


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]

    def __repr__(self) -> str:
        return f"And({', '.join(map(repr, self.children))})"


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]

    def __repr__(self) -> str:
        return f"Or({', '.join(map(repr, self.children))})"


Node = Word | Prefix | Phrase | Symbol | Not | And | Or


def _tokens(q: str) -> list[tuple[str, str, int]]:
    """(kind, text, 1-based column) for each token; an unclosed quote is an error."""
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(q):
        m = _LEXER.match(q, pos)
        if m is None or m.end() == pos:  # only trailing spaces remain
            break
        kind = m.lastgroup or "term"
        value = m.group(kind)
        column = m.start(kind) + 1
        if kind == "phrase" and (len(value) < 2 or not value.endswith('"')):
            raise SearchQueryError(N_("the quotation mark is not closed"), column, value)
        out.append((kind, value, column))
        pos = m.end()
    return out


def _term(text: str, column: int) -> Node | None:
    """One typed term as a node; ``None`` for stray punctuation."""
    prefix = text.endswith("*")
    words = _WORD.findall(text)
    if not words:
        symbols = "".join(ch for ch in text if not _PUNCT.match(ch))
        return Symbol(symbols) if symbols else None
    if len(words) > 1:  # "covid-19", "kab.kukar": the index splits them the same way
        return Phrase(tuple(w.lower() for w in words))
    return Prefix(words[0].lower()) if prefix else Word(words[0].lower())


class _Parser:
    def __init__(self, q: str) -> None:
        self.tokens = _tokens(q)
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node | None:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:  # only a ")" stops or_expr early
            raise SearchQueryError(N_("this closing parenthesis has no opening one"), tok[2], ")")
        return node

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok[:2] == ("term", "OR"):
            self.i += 1
            part = self.and_expr()
            if parts[-1] is None or part is None:
                raise SearchQueryError(N_("OR needs a word on both sides"), tok[2], "OR")
            parts.append(part)
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_expr(self) -> Node | None:
        parts: list[Node] = []
        while (tok := self.peek()) is not None:
            kind, text, _ = tok
            if (kind, text) == ("term", "OR") or (kind, text) == ("paren", ")"):
                break
            if (kind, text) == ("term", "AND"):
                self.i += 1
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node | None:
        kind, text, column = self.tokens[self.i]
        if (kind, text) == ("term", "NOT"):
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt[:2] in {("term", "OR"), ("paren", ")")}:
                raise SearchQueryError(N_("NOT needs a word after it"), column, text)
            child = self.unary()
            return Not(child) if child is not None else None
        if kind == "term" and text.startswith("-") and len(text) > 1:  # "-pdam"
            self.i += 1
            child = _term(text[1:], column + 1)
            return Not(child) if child is not None else None
        return self.primary()

    def primary(self) -> Node | None:
        kind, text, column = self.tokens[self.i]
        self.i += 1
        if kind == "paren":  # always "(": and_expr stops before a ")"
            inner = self.or_expr()
            close = self.peek()
            if close is None or close[:2] != ("paren", ")"):
                raise SearchQueryError(N_("this parenthesis is not closed"), column, "(")
            self.i += 1
            if inner is None:
                raise SearchQueryError(
                    N_("the parentheses hold nothing to search for"), column, "("
                )
            return inner
        if kind == "phrase":
            words = tuple(w.lower() for w in _WORD.findall(text[1:-1]))
            if not words:
                return None
            return Word(words[0]) if len(words) == 1 else Phrase(words)
        return _term(text, column)


def parse_query(q: str) -> Node | None:
    """The query as a tree, or ``None`` when it holds nothing to search for."""
    return _Parser(q).parse()


def needs_sql(node: Node, *, fts5: bool) -> bool:
    """Whether ``node`` cannot be one full-text expression (and must be split into SQL).

    Neither index holds emoji; FTS5 also cannot express a negation that is not beside a
    positive term (``-pdam`` alone, ``banjir OR -pdam``), which PostgreSQL's tsquery can.
    """
    if isinstance(node, Symbol):
        return True
    if isinstance(node, Word | Prefix | Phrase):
        return False
    if isinstance(node, Not):
        return fts5 or needs_sql(node.child, fts5=fts5)
    if isinstance(node, Or):
        return any(needs_sql(c, fts5=fts5) for c in node.children)
    positives = [c for c in node.children if not isinstance(c, Not)]
    negatives = [c.child for c in node.children if isinstance(c, Not)]
    if fts5 and not positives:
        return True
    return any(needs_sql(c, fts5=fts5) for c in positives + negatives)


def fts5_text(node: Node) -> str:
    """The FTS5 MATCH expression of a node for which ``needs_sql(node, fts5=True)`` is false."""
    if isinstance(node, Word):
        return f'"{node.text}"'
    if isinstance(node, Prefix):
        return f'"{node.text}"*'
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Or):
        return "(" + " OR ".join(fts5_text(c) for c in node.children) + ")"
    if isinstance(node, And):
        positives = [fts5_text(c) for c in node.children if not isinstance(c, Not)]
        out = positives[0] if len(positives) == 1 else "(" + " AND ".join(positives) + ")"
        for c in node.children:
            if isinstance(c, Not):  # FTS5's NOT is binary and binds tightest: nest explicitly
                out = f"({out} NOT {fts5_text(c.child)})"
        return out
    raise ValueError(f"{node!r} has no FTS5 form")


def tsquery_text(node: Node) -> str:
    """The ``to_tsquery`` text of a node without symbols (each word stemmed by the config)."""
    if isinstance(node, Word):
        return f"'{node.text}'"
    if isinstance(node, Prefix):
        return f"'{node.text}':*"
    if isinstance(node, Phrase):
        return " <-> ".join(f"'{w}'" for w in node.words)
    if isinstance(node, Not):
        inner = tsquery_text(node.child)
        return f"!{inner}" if isinstance(node.child, Word | Prefix) else f"!({inner})"
    if isinstance(node, Or):
        return "(" + " | ".join(tsquery_text(c) for c in node.children) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(tsquery_text(c) for c in node.children) + ")"
    raise ValueError(f"{node!r} has no tsquery form")


def scans(node: Node) -> bool:
    """Whether no index narrows ``node``: a negation alone must read every row, and so must a
    symbol of ASCII control characters only (the symbol index keeps the others).

    >>> scans(parse_query("-pdam")), scans(parse_query("😷")), scans(parse_query("banjir -😷"))
    (True, False, False)
    """
    if isinstance(node, Word | Prefix | Phrase):
        return False
    if isinstance(node, Symbol):
        return not symbol_chars(node.text)
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(scans(c) for c in node.children)
    return any(scans(c) for c in node.children)


def positive_leaves(node: Node) -> list[Word | Prefix | Phrase]:
    """The words and phrases a match may contain (for highlighting), negations left out."""
    if isinstance(node, Word | Prefix | Phrase):
        return [node]
    if isinstance(node, And | Or):
        return [leaf for c in node.children for leaf in positive_leaves(c)]
    return []
