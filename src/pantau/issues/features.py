"""Light featurizer for clustering: lowercase, strip links and handles, drop stopwords.

The ``issues`` stage must not wait for :mod:`pantau.text`; when that stage has already produced a
``normalized`` text the tracker passes it in and this module only tokenizes it.

>>> tokens("RT @warga: Banjir lagi di Samarinda!! https://t.co/x #banjir")
['banjir', 'samarinda', 'banjir']
>>> shingle_key(["banjir", "samarinda", "banjir"])
'banjir samarinda'
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cache
from importlib import resources

__all__ = ["bag", "has_link", "shingle_key", "stopwords", "surface", "tokens"]

logger = logging.getLogger(__name__)

_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_ELONGATION = re.compile(r"(.)\1{2,}")

#: Shortest token kept; single letters are mostly debris of punctuation ("d", "s").
MIN_TOKEN_CHARS = 2

#: Words longer than this lose a final plural -s ("floods"); shorter ones ("bus", "news") keep it.
FOLD_S_MIN_CHARS = 4
#: Words longer than this lose a final -ing ("flooding"); "king", "thing" and "kucing" keep it.
FOLD_ING_MIN_CHARS = 6

#: Most words kept per mention; long news bodies otherwise dominate the word counts of an issue
#: and swamp the short posts that form most issues (the title and lead carry the topic).
MAX_TOKENS = 60


@cache
def stopwords() -> frozenset[str]:
    """Indonesian (stopwords-iso, MIT) plus a short English list, shipped in ``issues/data``."""
    words: set[str] = set()
    for name in ("stopwords_id.txt", "stopwords_en.txt"):
        text = resources.files("pantau.issues").joinpath("data").joinpath(name).read_text("utf-8")
        words.update(w.strip() for w in text.splitlines() if w.strip())
    logger.debug("loaded %d stopwords", len(words))
    return frozenset(words)


def _fold(word: str) -> str:
    """Fold English plural -s and -ing so "floods", "flooding" and "flood" are one word.

    Indonesian words caught by it ("panas" -> "pana") fold consistently, which clustering does
    not mind; key phrases may show the folded form. On CrisisLexT6 this took the median on-topic
    tweets by a crisis's first alert from 26.5 to 7.5 and the noise share from 0.12 to 0.06;
    folding -s alone gave 7.5 but noise 0.24 (benchmarks/results/issues.md).
    """
    if len(word) > FOLD_S_MIN_CHARS and word[-1] == "s" and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if len(word) > FOLD_ING_MIN_CHARS and word.endswith("ing"):
        return word[:-3]
    return word


def _token(word: str) -> str:
    """The kept form of one word ("" when dropped): short words, stopwords and numbers
    dropped, English -s/-ing folded."""
    if len(word) < MIN_TOKEN_CHARS or word in stopwords() or word.isdigit():
        return ""
    folded = _fold(word)
    if folded != word:
        _SURFACE.setdefault(folded, word)
    return folded


#: Folded form -> the first word seen folded into it ("poro" -> "poros"), for people to read.
_SURFACE: dict[str, str] = {}


def surface(token: str) -> str:
    """A token as people write it: the word it was folded from, unless the folded form is
    itself a word seen in the stream ("flood" from "floods" and "flood" stays "flood"; "poro"
    from "poros" becomes "poros" again).

    >>> tokens("jalan poros rusak"), surface("poro")
    (['jalan', 'poro', 'rusak'], 'poros')
    """
    if _TOKEN_CACHE.get(token) == token:
        return token
    return _SURFACE.get(token, token)


#: Raw word -> kept form, so each distinct word is judged once; cleared when it grows past
#: ``TOKEN_CACHE_SIZE`` (a stream's vocabulary is mostly a few thousand words used again).
_TOKEN_CACHE: dict[str, str] = {}
#: Bound on the cache above: about 20 MB of short strings at most.
TOKEN_CACHE_SIZE = 200_000


def has_link(text: str) -> bool:
    """Whether ``text`` carries a link (what :func:`tokens` strips)."""
    return ("http" in text or "www." in text) and _URL.search(text) is not None


def tokens(text: str) -> list[str]:
    """Content words of ``text`` in order: lowercase, no links, handles, digits or stopwords."""
    text = text.lower()
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    if _ELONGATION.search(text):  # most texts have none; a sub expands its template in Python
        text = _ELONGATION.sub(r"\1\1", text)
    cache = _TOKEN_CACHE
    if len(cache) > TOKEN_CACHE_SIZE:
        cache.clear()
        _SURFACE.clear()
    out: list[str] = []
    for word in _WORD.findall(text.replace("'", "")):
        kept = cache.get(word)
        if kept is None:
            kept = cache[word] = _token(word)
        if kept:
            out.append(kept)
            if len(out) >= MAX_TOKENS:
                break
    return out


def bag(words: list[str]) -> dict[str, int]:
    """Word counts of a token list (the document's multinomial evidence), in first-seen order.

    >>> bag(["banjir", "samarinda", "banjir"])
    {'banjir': 2, 'samarinda': 1}
    """
    once = dict.fromkeys(words, 1)
    return once if len(once) == len(words) else dict(Counter(words))


def shingle_key(words: list[str]) -> str:
    """Order-insensitive key of a text's distinct words, for spotting copy-paste posts."""
    return " ".join(sorted(set(words)))
