"""Split a release into its parts with character offsets: header, headline, dateline, lead, body.

The linter and the exporters share this one reading of a text, so that "the headline" means the
same line in a finding as in a DOCX heading. A paragraph is one non-empty line; the dateline
paragraph (``SAMARINDA - ...``) is the lead; lines before it are the header (markers such as
"UNTUK DISIARKAN SEGERA" and the headline).

>>> doc = parse("UNTUK DISIARKAN SEGERA\\nBanjir Surut\\n"
...             "SAMARINDA - Air sungai surut hari ini. Warga pulang.")
>>> doc.headline.text(doc.text), doc.city
('Banjir Surut', 'SAMARINDA')
>>> [s.text(doc.text) for s in doc.sentences(doc.lead)]
['Air sungai surut hari ini.', 'Warga pulang.']
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from pantau.writing.indonesian import DAY_NAMES

__all__ = [
    "DATELINE_ANY",
    "DAY_NAMES",
    "Document",
    "Span",
    "parse",
    "sentences",
    "words",
]


#: A dateline: a place (up to four capitalised words), an optional "(Humas ...)" credit, a dash.
_DAY_ALTERNATIVES = "|".join(DAY_NAMES)
DATELINE_ANY = re.compile(
    r"^(?P<city>[A-Z][A-Za-z.'’]*(?: [A-Z][A-Za-z.'’]*){0,3})"
    r"(?P<credit> ?\([^)\n]{1,40}\))?"
    rf"(?P<sep> ?[-–—]{{1,2}} ?|, ?(?:(?:{_DAY_ALTERNATIVES})\b|\d)[^\n]{{0,30}}? [-–—]{{1,2}} ?)"
)
#: Header lines that are markers, not the headline.
MARKER = re.compile(
    r"^(UNTUK DISIARKAN|EMBARGO|SIARAN PERS|PERNYATAAN|KLARIFIKASI|HAK JAWAB|KONTRA|"
    r"UNDANGAN|NOMOR|NO\.|\[)",
    re.IGNORECASE,
)
_ABBREVIATIONS = frozenset(
    """
    dr drg ir h hj prof no jl jln rp mis dll dsb dkk tsb st sh se mm mt msi mpd kh bpk sdr yth
    kec kel kab ds gg km pkl pt cv tbk
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s+[\"“‘(A-Z0-9]|\s*$)")
_LIST_MARKER = re.compile(r"(?:^|\n)[ \t]*\d{1,2}$")
_TIGHT = re.compile(r"[ \t]+")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿ]+)*")


class Span(NamedTuple):
    """A half-open character range ``[start, end)`` of the document's text.

    A named tuple rather than a dataclass: a 1 MB text has 130,000 words, and a tuple is built
    several times faster (benchmarks/writing_lint.py).
    """

    start: int
    end: int

    def text(self, source: str) -> str:
        """The spanned characters of ``source``."""
        return source[self.start : self.end]


def sentences(text: str, span: Span) -> list[Span]:
    """Sentences inside ``span``; abbreviations (dr., H., Jl.) and decimals do not end one."""
    out: list[Span] = []
    start = span.start
    chunk = text[span.start : span.end]
    for m in _SENTENCE_END.finditer(chunk):
        end = span.start + m.end()
        if m.group().startswith(".") and _is_abbreviation(text, span.start + m.start()):
            continue
        out.append(_trimmed(text, start, end))
        start = end
    if text[start : span.end].strip():
        out.append(_trimmed(text, start, span.end))
    return [s for s in out if s.end > s.start]


def _is_abbreviation(text: str, dot: int) -> bool:
    if _LIST_MARKER.search(text, max(0, dot - 8), dot):
        return True  # "1. Kepala Pelaksana ..." numbers a list, it does not end a sentence
    m = re.search(r"([A-Za-z]+)$", text[max(0, dot - 12) : dot])
    if not m:
        return False
    token = m.group(1)
    return len(token) == 1 or token.lower() in _ABBREVIATIONS


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def words(text: str, span: Span | None = None) -> list[Span]:
    """Word tokens (letters, inner hyphen or apostrophe) inside ``span``."""
    lo, hi = (0, len(text)) if span is None else (span.start, span.end)
    return [Span(m.start(), m.end()) for m in _WORD.finditer(text, lo, hi)]


@dataclass
class Document:
    """A text read as a release; spans point into :attr:`text`."""

    text: str
    paragraphs: list[Span]
    header: list[Span] = field(default_factory=list)
    headline: Span | None = None
    dateline: Span | None = None
    lead: Span | None = None
    body: list[Span] = field(default_factory=list)
    _sentences: list[Span] | None = field(default=None, repr=False, compare=False)
    _tokens: list[Span] | None = field(default=None, repr=False, compare=False)
    _token_starts: list[int] | None = field(default=None, repr=False, compare=False)
    _lower: list[str] | None = field(default=None, repr=False, compare=False)
    _tight: list[bool] | None = field(default=None, repr=False, compare=False)
    _sentence_starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def city(self) -> str | None:
        """The dateline's place as written, or ``None`` without a dateline."""
        if self.dateline is None:
            return None
        m = DATELINE_ANY.match(self.dateline.text(self.text))
        return m.group("city") if m else None

    @property
    def lead_body(self) -> Span | None:
        """The lead without its dateline, or ``None`` when there is no lead."""
        if self.lead is None:
            return None
        return Span(self.dateline.end if self.dateline else self.lead.start, self.lead.end)

    def sentences(self, span: Span) -> list[Span]:
        """Sentences of a paragraph (the dateline is not part of the lead's first sentence)."""
        if span == self.lead and self.lead_body is not None:
            span = self.lead_body
        return sentences(self.text, span)

    def all_sentences(self) -> list[Span]:
        """Sentences of the lead and body, in order (computed once per document)."""
        if self._sentences is None:
            out: list[Span] = []
            for para in ([self.lead] if self.lead else []) + self.body:
                out.extend(self.sentences(para))
            self._sentences = out
        return self._sentences

    @property
    def tokens(self) -> list[Span]:
        """Every word of the text, in order (computed once per document)."""
        if self._tokens is None:
            self._tokens = words(self.text)
            self._token_starts = [t.start for t in self._tokens]
        return self._tokens

    @property
    def lower_tokens(self) -> list[str]:
        """Every word in lower case, parallel to :attr:`tokens`."""
        if self._lower is None:
            self._lower = [self.text[t.start : t.end].lower() for t in self.tokens]
        return self._lower

    @property
    def tight(self) -> list[bool]:
        """``tight[i]``: only spaces or tabs separate word ``i`` from word ``i + 1``."""
        if self._tight is None:
            toks, text = self.tokens, self.text
            self._tight = [
                _TIGHT.fullmatch(text, a.end, b.start) is not None
                for a, b in itertools.pairwise(toks)
            ] + [False]
        return self._tight

    def count_words(self, span: Span) -> int:
        """Number of words starting inside ``span``."""
        self.tokens  # noqa: B018 (fills the index)
        starts = self._token_starts or []
        return bisect_left(starts, span.end) - bisect_left(starts, span.start)

    def sentence_at(self, pos: int) -> Span | None:
        """The lead or body sentence containing offset ``pos``, if any."""
        spans = self.all_sentences()
        if self._sentence_starts is None:
            self._sentence_starts = [s.start for s in spans]
        i = bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and spans[i].start <= pos < spans[i].end:
            return spans[i]
        return None


def _paragraphs(text: str) -> list[Span]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        span = _trimmed(text, m.start(), m.end())
        if span.end > span.start:
            out.append(span)
    return out


def _looks_like_dateline(line: str) -> re.Match[str] | None:
    m = DATELINE_ANY.match(line)
    if m is None:
        return None
    rest = line[m.end() :]
    # A dateline starts a paragraph of prose; a short title such as "Banjir - Warga" does not.
    return m if len(rest.split()) >= 5 else None


def parse(text: str) -> Document:
    """Read ``text`` as a release: the first dateline paragraph is the lead.

    Without a dateline the lead is the first paragraph of prose (two sentences or 15 words),
    and the header is what comes before it.
    """
    paras = _paragraphs(text)
    doc = Document(text=text, paragraphs=paras)
    lead_index: int | None = None
    for i, para in enumerate(paras[:6]):
        m = _looks_like_dateline(para.text(text))
        if m is not None:
            lead_index = i
            doc.dateline = Span(para.start, para.start + m.end())
            break
    if lead_index is None:
        for i, para in enumerate(paras):
            chunk = para.text(text)
            if len(chunk.split()) >= 15 or len(sentences(text, para)) >= 2:
                lead_index = i
                break
    if lead_index is None:
        doc.header = paras
    else:
        doc.header = paras[:lead_index]
        doc.lead = paras[lead_index]
        doc.body = paras[lead_index + 1 :]
    for span in doc.header:
        if not MARKER.match(span.text(text)):
            doc.headline = span
            break
    return doc
