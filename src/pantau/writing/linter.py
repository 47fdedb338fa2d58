"""The writing linter: a registry of rules run over a parsed release, and safe automatic fixes.

Rules live in :mod:`pantau.writing.rules` (structure, EYD V, spelling, ethics, readability) and
register themselves with :func:`rule`; a rule is a function from a :class:`Context` to findings.
A rule family is a module in the ``pantau.lint_rules`` plugin group (:data:`RULE_FAMILIES`): an
office's house style installed as a package is loaded like pantau's own families.

>>> [f.rule for f in lint("Biaya Rp 5.000 per orang.")]
['eyd.rupiah']
>>> fix("Biaya Rp 5.000 per orang.", lint("Biaya Rp 5.000 per orang."))
'Biaya Rp5.000 per orang.'
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from pantau.plugins import PluginGroup
from pantau.writing.document import Document, Span, parse
from pantau.writing.model import NEWS_KINDS, Finding, Severity

__all__ = ["RULES", "RULE_FAMILIES", "Context", "Rule", "fix", "lint", "load_rules", "rule"]

logger = logging.getLogger(__name__)

RuleFunc = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its id, default severity, a one-line Indonesian description."""

    id: str
    severity: Severity
    description: str
    check: RuleFunc
    news_only: bool = False


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, description: str, *, news_only: bool = False
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``rule_id`` (ids are unique)."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, description, func, news_only)
        return func

    return register


@dataclass
class Context:
    """What a rule sees: the parsed document and the options of this run."""

    doc: Document
    timezone: str = "Asia/Makassar"
    kind: str | None = None
    extra_words: frozenset[str] = field(default_factory=frozenset)

    @property
    def text(self) -> str:
        """The full text being checked."""
        return self.doc.text

    def finding(
        self,
        rule_id: str,
        span: Span | tuple[int, int],
        message: str,
        suggestion: str,
        *,
        fix: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of ``rule_id`` at ``span`` with the rule's default severity."""
        start, end = (span.start, span.end) if isinstance(span, Span) else span
        level = severity if severity is not None else RULES[rule_id].severity
        return Finding(rule_id, level, start, end, message, suggestion, fix)


_ADVISORY = re.compile(r"UNDANGAN (?:PELIPUTAN|MEDIA|WAWANCARA)", re.IGNORECASE)
#: Rule families: modules whose import registers their rules with :func:`rule`.
RULE_FAMILIES = PluginGroup(
    "pantau.lint_rules",
    "kelompok aturan",
    {
        name: f"pantau.writing.rules.{name}"
        for name in ("structure", "eyd", "numbers", "spelling", "ethics", "readability")
    },
)


def load_rules() -> None:
    """Import every rule family (idempotent); each registers its rules."""
    RULE_FAMILIES.load_all()


def _run(ctx: Context, only: Iterable[str] | None) -> Iterator[Finding]:
    load_rules()
    wanted = set(only) if only is not None else None
    news = ctx.kind is None or ctx.kind in NEWS_KINDS
    for item in RULES.values():
        if wanted is not None and item.id not in wanted:
            continue
        if item.news_only and not news:
            continue
        yield from item.check(ctx)


def lint(
    text: str,
    *,
    kind: str | None = None,
    timezone: str = "Asia/Makassar",
    rules: Iterable[str] | None = None,
    extra_words: Iterable[str] = (),
) -> list[Finding]:
    """Findings for ``text`` sorted by position; ``kind`` skips news rules for advisories.

    Without ``kind``, a text whose header says "UNDANGAN PELIPUTAN" is read as an advisory.

    Raises :class:`pantau.writing.spelling.DictionaryMissing` when the Indonesian dictionary is
    not installed and the spelling rules are asked for.
    """
    doc = parse(text)
    if kind is None and any(_ADVISORY.match(s.text(text)) for s in doc.header):
        kind = "undangan_peliputan"  # a media advisory says so in its first line
    ctx = Context(doc, timezone, kind, frozenset(w.lower() for w in extra_words))
    found = _drop_shadowed(list(_run(ctx, rules)))
    found.sort(key=lambda f: (f.start, f.end, f.rule))
    logger.debug("lint: %d characters, %d findings", len(text), len(found))
    return found


#: Rules whose findings give way to a more specific finding on the same characters (an unknown
#: word that is really "dikantor" is reported once, as eyd.di_pisah).
_GENERIC_RULES = frozenset({"ejaan.kbbi"})
#: Only word-sized findings shadow: a long sentence or paragraph finding says nothing about the
#: spelling of the words inside it.
_SHADOW_MAX_CHARS = 40


def _drop_shadowed(found: list[Finding]) -> list[Finding]:
    specific = sorted(
        (f for f in found if f.rule not in _GENERIC_RULES and f.end - f.start <= _SHADOW_MAX_CHARS),
        key=lambda f: (f.start, f.end),
    )
    starts = [f.start for f in specific]
    # Running maximum of end offsets, so one bisect answers "does any earlier span reach here".
    reach: list[int] = []
    for item in specific:
        reach.append(max(item.end, reach[-1] if reach else item.end))
    kept = [f for f in found if f.rule not in _GENERIC_RULES]
    for item in found:
        if item.rule not in _GENERIC_RULES:
            continue
        i = bisect_left(starts, item.end)  # specific spans starting before this one ends
        if i == 0 or reach[i - 1] <= item.start:
            kept.append(item)
    return kept


def fix(text: str, findings: Iterable[Finding]) -> str:
    """Apply the safe fixes among ``findings``; overlapping fixes after the first are skipped."""
    chosen: list[Finding] = []
    last_end = -1
    for item in sorted((f for f in findings if f.fix is not None), key=lambda f: (f.start, f.end)):
        if item.start < last_end or item.end > len(text):
            continue
        chosen.append(item)
        last_end = item.end
    for item in reversed(chosen):
        text = text[: item.start] + (item.fix or "") + text[item.end :]
    return text
