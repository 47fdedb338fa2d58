"""The ``text`` stage: reading Indonesian social-media text.

Public interface (stable; other stages call these):

- :func:`normalize` / :func:`tokens`: lowercased, slang-normalized, elongation-collapsed text
  and its tokens (hashtags, @mentions, URLs, numbers and times kept whole);
- :class:`Analyzer`: ``analyze(record)`` and ``process(batch)`` give the ``pantau analyze``
  fields (``id, lang, sentiment, regions, watch, dup_of, normalized, coordinated, noise``);
  ``prepare(batch)`` then ``link(prepared)`` are the same in two steps, the first pure (it can
  run on another process), the second the sequential near-duplicate pass;
- :func:`compile_query`: watchlist queries (AND, OR, NOT, "phrases", (), NEAR/n, prefix*),
  raising :class:`QuerySyntaxError` with the ``column``;
- :class:`Gazetteer`: Kemendagri region tagging; :class:`NearDuplicateIndex`: MinHash LSH
  near-duplicates and coordinated bursts; :class:`LanguageIdentifier`, :class:`SentimentModel`;
  :class:`NoiseDetector`: gambling promotion, ads, job ads, giveaways, greetings, chatter.
"""

from pantau.text.analyzer import Analyzer, Prepared, WatchlistError
from pantau.text.dedup import NearDuplicateIndex
from pantau.text.langid import LanguageIdentifier
from pantau.text.noise import NoiseDetector
from pantau.text.normalize import normalize, stem, tokens
from pantau.text.query import QuerySyntaxError, compile_query
from pantau.text.regions import Gazetteer
from pantau.text.sentiment import SentimentModel

__all__ = [
    "Analyzer",
    "Gazetteer",
    "LanguageIdentifier",
    "NearDuplicateIndex",
    "NoiseDetector",
    "Prepared",
    "QuerySyntaxError",
    "SentimentModel",
    "WatchlistError",
    "compile_query",
    "normalize",
    "stem",
    "tokens",
]
