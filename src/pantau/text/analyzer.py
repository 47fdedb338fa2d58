"""The ``text`` stage: one call that enriches a batch of mentions.

``Analyzer.enrich(batch)`` returns, per input record and in order, a typed
:class:`~pantau.records.Enrichment`: language, sentiment, regions ``[{code, name}]``, watchlists
that matched ``[{name, terms}]``, ``dup_of``, the normalized text, ``coordinated`` (the burst
group id, or null), ``noise`` (null for a genuine post, else its kind: ``"judi"``, ``"iklan"``,
...) and ``notes`` (what was done to the input, such as a text cut short).
``Analyzer.process(batch)`` gives the same as the ``pantau analyze`` contract's dicts (DESIGN.md).

The near-duplicate index lives in the analyzer, so the live pipeline can call ``process`` on
micro-batches; its memory is bounded by the ``dedup_capacity`` setting.

>>> a = Analyzer({"mbg": 'mbg OR "makan bergizi gratis"'})
>>> out = a.analyze({"id": "1", "text": "Program MBG di Samarinda bagus bgt, gak jelek kok"})
>>> out["lang"], out["sentiment"]["label"], out["regions"]
('id', 'positive', [{'code': '64.72', 'name': 'Kota Samarinda'}])
>>> out["watch"], out["noise"]
([{'name': 'mbg', 'terms': ['mbg']}], None)
>>> a.analyze({"text": "Slot gacor hari ini maxwin, daftar sekarang"})["noise"]
'judi'
>>> a.enrich([{"text": "Program MBG di Samarinda bagus bgt, gak jelek kok!"}])[0].dup_of
'1'
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from pantau.records import Enrichment, WatchHit
from pantau.settings import Settings, get_settings
from pantau.text.dedup import NearDuplicateIndex, band_keys, signatures
from pantau.text.features import TokenHashes
from pantau.text.langid import LanguageIdentifier
from pantau.text.noise import NoiseDetector
from pantau.text.normalize import normalize_tokens
from pantau.text.query import CompiledQuery, Document, QuerySyntaxError, compile_query
from pantau.text.regions import Gazetteer
from pantau.text.sentiment import SentimentModel

__all__ = ["Analyzer", "Prepared", "WatchlistError", "analyzed_text", "normalized_text"]

logger = logging.getLogger(__name__)


class WatchlistError(ValueError):
    """A watchlist query does not parse; names the watchlist and the column."""

    def __init__(self, name: str, error: QuerySyntaxError) -> None:
        super().__init__(f"kata kunci {name!r}: {error}")
        self.name = name
        self.column = error.column


def analyzed_text(title: Any, text: str) -> str:
    """The text the stage reads: the title, when there is one the body does not start with,
    then the body.

    >>> analyzed_text("Banjir di Sempaja", "Air setinggi lutut.")
    'Banjir di Sempaja. Air setinggi lutut.'
    """
    if isinstance(title, str) and title.strip() and not text.startswith(title):
        return f"{title}. {text}" if text else title
    return text


def _cut(record: Mapping[str, Any], max_chars: int) -> tuple[str, list[str]]:
    """The text the stage reads of ``record``, cut at ``max_chars``, and the note saying so."""
    text = record.get("text")
    if not isinstance(text, str):
        raise TypeError("field 'text' must be a string")
    text = analyzed_text(record.get("title"), text)
    if len(text) > max_chars:
        note = f"teks dipotong pada {max_chars} karakter (asli {len(text)} karakter)"
        return text[:max_chars], [note]
    return text, []


def normalized_text(title: str | None, text: str, max_chars: int) -> str:
    """The normalized text the stage gives a record of this title and text: what a stored
    mention's clustering record is rebuilt from, without the stage's models.

    >>> normalized_text("Banjir", "Air PDAM matiii lagi", 10_000)
    'banjir air pdam mati lagi'
    """
    return " ".join(normalize_tokens(_cut({"title": title, "text": text}, max_chars)[0]))


def _epoch(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


@dataclass
class Prepared:
    """A batch analyzed record by record, waiting for the near-duplicate pass
    (:meth:`Analyzer.link`); small enough to send between processes (256 bytes of signature)."""

    enrichments: list[Enrichment]  # dup_of and coordinated not set yet
    signatures: np.ndarray  # MinHash, records x NUM_PERM
    band_keys: list[list[int]]
    authors: list[str | None]
    times: list[float | None]


class Analyzer:
    """Normalization, language, sentiment, regions, watchlists, near-duplicates and noise in
    one pass."""

    def __init__(
        self,
        watchlists: Mapping[str, str] | None = None,
        region_aliases: str | Path | None = None,
        *,
        settings: Settings | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.queries: dict[str, CompiledQuery] = {}
        self.set_watchlists(watchlists or {})
        aliases = region_aliases or self.settings.region_aliases_path or None
        self.gazetteer = Gazetteer.load(self.settings.province, aliases)
        self.langid = LanguageIdentifier()
        self.sentiment = SentimentModel.configured(self.settings)
        self.noise = NoiseDetector()
        self.featurizer = self.sentiment.model.featurizer
        self._shared_idf = self.langid.model.same_weighting(self.sentiment.model)
        self.index = self._empty_index()
        self.max_chars: int = self.settings.max_text_chars
        self._seen = 0

    def _empty_index(self) -> NearDuplicateIndex:
        return NearDuplicateIndex(
            threshold=self.settings.dedup_threshold,
            capacity=self.settings.dedup_capacity,
            window_s=self.settings.burst_window,
            min_accounts=self.settings.burst_min_accounts,
        )

    def forget_duplicates(self) -> None:
        """Empty the near-duplicate index and keep the models: what it remembers is stale when
        another process has analyzed the stream meanwhile (refill it with :meth:`remember`)."""
        self.index = self._empty_index()

    def set_watchlists(self, watchlists: Mapping[str, str]) -> None:
        """Replace the watchlists (``{name: query}``) and keep everything else warm; raises
        :class:`WatchlistError` naming the first query that does not parse, leaving the old set."""
        queries: dict[str, CompiledQuery] = {}
        for name, query in watchlists.items():
            try:
                queries[name] = compile_query(query)
            except QuerySyntaxError as exc:
                raise WatchlistError(name, exc) from exc
        self.queries = queries

    def analyze(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Enrich one record into its contract dict (see :meth:`process`)."""
        return self.process([record])[0]

    def process(self, batch: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Enrich a batch of records into the ``pantau analyze`` contract's dicts, in order."""
        return [e.to_dict() for e in self.enrich(batch)]

    def enrich(self, batch: Sequence[Mapping[str, Any]]) -> list[Enrichment]:
        """Enrich a batch of records (each with at least ``text``), in order."""
        return self.link(self.prepare(batch))

    def prepare(self, batch: Sequence[Mapping[str, Any]]) -> Prepared:
        """Everything about each record that does not depend on other records (language,
        sentiment, regions, watchlists, noise, MinHash signature): pure given the models and
        watchlists, so batches can be prepared on other processes (``pantau.scale``) and then
        :meth:`link`-ed here in input order."""
        texts: list[str] = []
        notes: list[list[str]] = []
        for record in batch:
            text, note = self._text_of(record)
            texts.append(text)
            notes.append(note)
        docs = [normalize_tokens(t) for t in texts]
        normalized = [" ".join(d) for d in docs]
        hashes = TokenHashes.of(docs)
        counts = self.featurizer.counts(docs, hashes)
        tfidf = self.sentiment.model.tfidf(counts)
        shared = tfidf if self._shared_idf else None
        langs = self.langid.identify(texts, docs, counts, shared)
        sentiments = self.sentiment.predict(counts, tfidf, hashes)
        noise = self.noise.kinds_of(texts, docs)
        sigs = signatures(hashes)
        return Prepared(
            enrichments=[
                Enrichment(
                    id=record.get("id"),
                    lang=langs[i],
                    sentiment=str(sentiments[i]["label"]),
                    sentiment_score=float(sentiments[i]["score"]),
                    regions=self.gazetteer.tag(texts[i]),
                    watch=self._watch(normalized[i], docs[i]),
                    normalized=normalized[i],
                    noise=noise[i],
                    notes=notes[i],
                )
                for i, record in enumerate(batch)
            ],
            signatures=sigs,
            band_keys=band_keys(sigs).tolist(),
            authors=[self._author(r) for r in batch],
            times=[_epoch(r.get("published_at")) for r in batch],
        )

    def link(self, prepared: Prepared) -> list[Enrichment]:
        """Set ``dup_of`` and ``coordinated`` on a prepared batch through this analyzer's
        near-duplicate index, in order (the one sequential step of the stage)."""
        keys: list[str] = []
        for e in prepared.enrichments:
            self._seen += 1
            keys.append(str(e.id) if e.id not in (None, "") else f"#{self._seen}")
        dups = self.index.link(
            keys,
            [e.normalized for e in prepared.enrichments],
            prepared.signatures,
            prepared.band_keys,
            prepared.authors,
            prepared.times,
        )
        for e, d in zip(prepared.enrichments, dups, strict=True):
            e.dup_of, e.coordinated = d.dup_of, d.coordinated
        return prepared.enrichments

    def remember(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Put already analyzed records (``id``, ``text``) back into the near-duplicate index,
        oldest first, without analyzing them: a restarted pipeline warms the index with its
        recent mentions so that ``dup_of`` still links to texts seen before the restart."""
        for start in range(0, len(records), 1024):
            chunk = records[start : start + 1024]
            docs = [normalize_tokens(self._text_of(r)[0]) for r in chunk]
            self.index.process(
                [str(r["id"]) for r in chunk],
                [" ".join(d) for d in docs],
                TokenHashes.of(docs),
                [self._author(r) for r in chunk],
                [_epoch(r.get("published_at")) for r in chunk],
            )

    def _text_of(self, record: Mapping[str, Any]) -> tuple[str, list[str]]:
        return _cut(record, self.max_chars)

    @staticmethod
    def _author(record: Mapping[str, Any]) -> str | None:
        author = record.get("author")
        return str(author) if author not in (None, "") else None

    def _watch(self, normalized: str, tokens: list[str]) -> list[WatchHit]:
        if not self.queries:
            return []
        present = set(tokens)
        candidates = [(n, q) for n, q in self.queries.items() if q.could_match(present, normalized)]
        if not candidates:
            return []
        doc = Document(normalized)
        hits = []
        for name, query in candidates:
            match = query.match(doc)
            if match is not None:
                hits.append(WatchHit(name=name, terms=match.terms))
        return hits
