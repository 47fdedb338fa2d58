"""Watchlist query language: AND, OR, NOT, "phrases", parentheses, NEAR/n and prefix*.

A query is compiled once and matched against many normalized texts. Terms are normalized the
same way as the texts (so ``gak`` in a query matches "tidak" in a post). Juxtaposed terms are
joined by AND; ``OR`` binds looser than ``AND``; ``NOT`` binds tightest. Operators are upper
case so that the Indonesian words "dan"/"atau" stay ordinary terms.

>>> q = compile_query('(banjir OR longsor) AND "jalan rusak" NOT hoaks')
>>> q.matches("banjir bikin jalan rusak parah")
True
>>> q.match("banjir bikin jalan rusak parah").terms
['banjir', 'jalan rusak']
>>> compile_query("makan NEAR/2 gratis").matches("makan siang bergizi gratis")
True
>>> compile_query("keracun*").matches("siswa keracunan lagi")
True
>>> try:
...     compile_query("banjir AND (")
... except QuerySyntaxError as exc:
...     print(exc.column, exc)
13 kolom 13: ekspresi tidak lengkap setelah '('
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property

from pantau.text.normalize import normalize_tokens

__all__ = ["CompiledQuery", "Document", "QueryMatch", "QuerySyntaxError", "compile_query"]

logger = logging.getLogger(__name__)

_LEXER = re.compile(
    r'\s*(?:(?P<lpar>\()|(?P<rpar>\))|(?P<phrase>"[^"]*"?)|(?P<near>NEAR/\d+)'
    r"|(?P<op>AND|OR|NOT)(?=[\s()\"]|$)|(?P<term>[^\s()\"]+))"
)
# NEAR without a number means "within this many words", like most media-monitoring tools.
DEFAULT_NEAR = 5


class QuerySyntaxError(ValueError):
    """The query cannot be read; ``column`` is the 1-based position of the problem."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"kolom {column}: {message}")
        self.column = column
        self.reason = message


class Document:
    """A normalized text indexed by token position, shared by all queries matched on it."""

    __slots__ = ("positions", "tokens")

    def __init__(self, normalized: str) -> None:
        self.tokens = normalized.split()
        self.positions: dict[str, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            self.positions.setdefault(tok, []).append(i)


@dataclass
class QueryMatch:
    """A successful match: the query's terms and phrases that were found."""

    terms: list[str] = field(default_factory=list)


# Words and prefixes of which a matching text must contain at least one (None: no such set).
_Anchors = tuple[frozenset[str], tuple[str, ...]] | None


class _Node:
    positional = False

    def anchors(self) -> _Anchors:
        """Words or prefixes at least one of which occurs in every text this node matches."""
        return None

    def eval(self, doc: Document, hits: list[str]) -> bool:
        raise NotImplementedError

    def spans(self, doc: Document) -> list[tuple[int, int]]:
        """(start, end) token spans where a positional node occurs."""
        raise NotImplementedError


class _Phrase(_Node):
    positional = True

    def __init__(self, words: list[str], label: str, prefix: bool = False) -> None:
        self.words = words
        self.label = label
        self.prefix = prefix

    def anchors(self) -> _Anchors:
        if self.prefix and len(self.words) == 1:
            return frozenset(), (self.words[0],)
        return frozenset([self.words[0]]), ()

    def _starts(self, doc: Document, word: str, last: bool) -> list[int]:
        if last and self.prefix:
            return sorted(
                i for tok, pos in doc.positions.items() if tok.startswith(word) for i in pos
            )
        return doc.positions.get(word, [])

    def spans(self, doc: Document) -> list[tuple[int, int]]:
        n = len(self.words)
        first = self._starts(doc, self.words[0], n == 1)
        if n == 1:
            return [(i, i) for i in first]
        out = []
        for start in first:
            end = start + n - 1
            if end >= len(doc.tokens):
                continue
            ok = all(doc.tokens[start + k] == w for k, w in enumerate(self.words[1:-1], 1))
            last = doc.tokens[end]
            ok = ok and (last.startswith(self.words[-1]) if self.prefix else last == self.words[-1])
            if ok:
                out.append((start, end))
        return out

    def eval(self, doc: Document, hits: list[str]) -> bool:
        if len(self.words) == 1:
            word = self.words[0]
            if self.prefix:
                found = any(tok.startswith(word) for tok in doc.positions)
            else:
                found = word in doc.positions
        else:
            found = bool(self.spans(doc))
        if found:
            hits.append(self.label)
        return found


class _Near(_Node):
    positional = True

    def __init__(self, left: _Node, right: _Node, distance: int) -> None:
        self.left, self.right, self.distance = left, right, distance

    def anchors(self) -> _Anchors:
        return self.left.anchors()

    def spans(self, doc: Document) -> list[tuple[int, int]]:
        out = []
        for ls, le in self.left.spans(doc):
            for rs, re_ in self.right.spans(doc):
                gap = rs - le - 1 if rs > le else ls - re_ - 1
                if gap <= self.distance:
                    out.append((min(ls, rs), max(le, re_)))
        return out

    def eval(self, doc: Document, hits: list[str]) -> bool:
        if not self.spans(doc):
            return False
        self.left.eval(doc, hits)
        self.right.eval(doc, hits)
        return True


class _Bool(_Node):
    def __init__(self, op: str, children: list[_Node]) -> None:
        self.op, self.children = op, children
        self.positional = op == "OR" and all(c.positional for c in children)

    def anchors(self) -> _Anchors:
        if self.op == "NOT":
            return None
        found = [c.anchors() for c in self.children]
        if self.op == "AND":
            return next((a for a in found if a is not None), None)
        if any(a is None for a in found):
            return None
        words = frozenset().union(*(a[0] for a in found if a is not None))
        prefixes = tuple(p for a in found if a is not None for p in a[1])
        return words, prefixes

    def spans(self, doc: Document) -> list[tuple[int, int]]:
        return sorted(s for c in self.children for s in c.spans(doc))

    def eval(self, doc: Document, hits: list[str]) -> bool:
        if self.op == "NOT":
            return not self.children[0].eval(doc, [])
        if self.op == "AND":
            local: list[str] = []
            if all(c.eval(doc, local) for c in self.children):
                hits.extend(local)
                return True
            return False
        found = [c.eval(doc, hits) for c in self.children]  # all, to collect every matched term
        return any(found)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            m = _LEXER.match(text, pos)
            if not m or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise QuerySyntaxError(f"karakter tak terduga {text[pos]!r}", pos + 1)
            kind = m.lastgroup
            if kind is not None:
                col = m.start(kind) + 1
                self.toks.append((kind, m.group(kind), col))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> _Node:
        if not self.toks:
            raise QuerySyntaxError("kueri kosong", 1)
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            raise QuerySyntaxError(f"{tok[1]!r} tidak diharapkan di sini", tok[2])
        return node

    def parse_or(self) -> _Node:
        children = [self.parse_and()]
        while (tok := self.peek()) and tok[:2] == ("op", "OR"):
            self.i += 1
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else _Bool("OR", children)

    def parse_and(self) -> _Node:
        children = [self.parse_not()]
        while (tok := self.peek()) and tok[0] != "rpar" and tok[:2] != ("op", "OR"):
            if tok[:2] == ("op", "AND"):
                self.i += 1
            children.append(self.parse_not())
        return children[0] if len(children) == 1 else _Bool("AND", children)

    def parse_not(self) -> _Node:
        tok = self.peek()
        if tok and tok[:2] == ("op", "NOT"):
            self.i += 1
            return _Bool("NOT", [self.parse_not()])
        return self.parse_near()

    def parse_near(self) -> _Node:
        left = self.parse_primary()
        while (tok := self.peek()) and tok[0] == "near":
            self.i += 1
            right = self.parse_primary()
            if not (left.positional and right.positional):
                raise QuerySyntaxError(
                    "NEAR hanya untuk kata, frasa, atau OR dari keduanya", tok[2]
                )
            left = _Near(left, right, int(tok[1].split("/")[1]))
        return left

    def parse_primary(self) -> _Node:
        tok = self.peek()
        if tok is None:
            prev = self.toks[-1]
            raise QuerySyntaxError(
                f"ekspresi tidak lengkap setelah {prev[1]!r}", prev[2] + len(prev[1])
            )
        kind, value, col = tok
        self.i += 1
        if kind == "lpar":
            node = self.parse_or()
            close = self.peek()
            if close is None or close[0] != "rpar":
                raise QuerySyntaxError("kurung '(' tidak ditutup", col)
            self.i += 1
            return node
        if kind == "phrase":
            if len(value) < 2 or not value.endswith('"'):
                raise QuerySyntaxError("tanda kutip tidak ditutup", col)
            return self._phrase(value[1:-1], col, value)
        if kind == "term":
            return self._phrase(value, col, value)
        raise QuerySyntaxError(f"{value!r} tidak diharapkan di sini", col)

    def _phrase(self, raw: str, col: int, label: str) -> _Phrase:
        prefix = raw.endswith("*")
        words = normalize_tokens(raw.rstrip("*"))
        if not words:
            raise QuerySyntaxError(f"istilah kosong {label!r}", col)
        return _Phrase(words, label.strip('"').lower(), prefix=prefix)


@dataclass
class CompiledQuery:
    """A parsed watchlist query, ready to match normalized texts."""

    source: str
    root: _Node
    anchors: _Anchors = None

    def could_match(self, tokens: set[str], normalized: str) -> bool:
        """Cheap test: False when the text surely does not match (no anchor word present)."""
        if self.anchors is None:
            return True
        if not self.anchors[0].isdisjoint(tokens):
            return True
        return self._prefix_re is not None and self._prefix_re.search(normalized) is not None

    @cached_property
    def _prefix_re(self) -> re.Pattern[str] | None:
        if self.anchors is None or not self.anchors[1]:
            return None
        return re.compile(r"(?:^| )(?:" + "|".join(map(re.escape, self.anchors[1])) + ")")

    def match(self, normalized: str | Document) -> QueryMatch | None:
        """The match with its terms, or ``None``."""
        doc = normalized if isinstance(normalized, Document) else Document(normalized)
        hits: list[str] = []
        if not self.root.eval(doc, hits):
            return None
        return QueryMatch(terms=list(dict.fromkeys(hits)))

    def matches(self, normalized: str | Document) -> bool:
        """Whether the normalized text matches the query."""
        return self.match(normalized) is not None


def compile_query(query: str) -> CompiledQuery:
    """Parse ``query`` once; raises :class:`QuerySyntaxError` naming the column."""
    root = _Parser(query).parse()
    return CompiledQuery(query, root, root.anchors())
