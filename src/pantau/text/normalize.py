"""Normalization of Indonesian social-media text: slang, elongation, emoji, leetspeak, tokens.

The original text is never changed; :func:`normalize` returns a separate lowercased form used for
matching, clustering and classification. Tokens keep hashtags, @mentions, URLs, numbers and
clock times as single tokens so that watchlists and near-duplicate detection can see them.

>>> normalize("Parahhh bgt, gak jelas 😡 #MBG @Pemprov https://x.co/a")
'parah banget tidak jelas wajah_sangat_marah #mbg @pemprov https://x.co/a'
>>> tokens("Jam 07:30 WITA, s4y4 antri 2 jam di Smd")
['jam', '07:30', 'wita', 'saya', 'antri', '2', 'jam', 'di', 'smd']
>>> normalize("anak2 sekolah")
'anak-anak sekolah'
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from indoNLP.preprocessing import EMOJI_DATA, SLANG_DATA

__all__ = ["normalize", "normalize_tokens", "stem", "tokens"]

logger = logging.getLogger(__name__)

# One pass of one compiled pattern; order matters: URLs and times before numbers and words.
_TOKEN_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[@#]\w+"
    r"|\b\d{1,2}[:.][0-5]\d\b(?![.,]\d)"
    r"|\d+(?:[.,]\d+)*%?(?![^\W\d_])"
    r"|\w+(?:[-']\w+)*"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]",
    re.UNICODE | re.IGNORECASE,
)
_TIME_RE = re.compile(r"\d{1,2}[:.][0-5]\d")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*%?")
_TRAILING_PUNCT = ".,;:!?)]}'\""

# Slang overrides on top of indoNLP's MIT dictionary: every negator maps to "tidak" so that
# "gak jelek" and "tidak jelek" look the same to the sentiment model and to watchlists.
_NEGATORS = (
    "gak",
    "ga",
    "gk",
    "nggak",
    "ngga",
    "enggak",
    "engga",
    "tdk",
    "ndak",
    "gag",
    "kagak",
    "ogah",
    "tak",
)
_SLANG_OVERRIDES: dict[str, str] = {n: "tidak" for n in _NEGATORS} | {
    "gue": "saya",
    "gua": "saya",
    "aku": "saya",
    "lu": "kamu",
    "lo": "kamu",
    "loe": "kamu",
    "tau": "tahu",
    "kalo": "kalau",
    "bodo": "bodoh",
    "blm": "belum",
    "udah": "sudah",
    "pemprov": "pemprov",
    "pemkab": "pemkab",
    "pemkot": "pemkot",
    "mbg": "mbg",
}
# Slang keys that are also acronyms: written in capitals they stay ("SMP" the school, not
# "sampai").
_ACRONYMS = frozenset({"smp", "sma", "smk", "sd", "rs", "tk"})
# Letters that digits stand for in "s4y4" / "b3s0k" spellings.
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "9": "g"})
_LEET_RE = re.compile(r"^(?=.{4,}$)[a-z0-9]*[a-z][013457 9]+[a-z][a-z0-9]*$".replace(" ", ""))
_REDUP_RE = re.compile(r"^([a-z]{2,})2$")  # "anak2" -> "anak-anak"
_ELONG_RE = re.compile(r"([a-z])\1{2,}")
_VARIATION = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")


def _build_emoji() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, names in sorted(EMOJI_DATA.items(), key=lambda item: len(item[0])):
        base = _VARIATION.sub("", key)
        if len(base) == 1 and base not in table:
            table[base] = names["id"]
    return table


_EMOJI = _build_emoji()
# Words with a legitimate double letter ("maaf", "saat") so elongations collapse to two, not one.
_DOUBLE_OK = frozenset(
    [w for w in set(SLANG_DATA.values()) if re.search(r"(.)\1", w)]
    + ["saat", "maaf", "taat", "manfaat", "jumaat", "alquran", "sunnah", "allah", "muharram"]
)


def _collapse(word: str) -> str:
    """Collapse letters repeated three or more times ("parahhh" -> "parah", "maaaf" -> "maaf")."""
    if not _ELONG_RE.search(word):
        return word
    double = _ELONG_RE.sub(r"\1\1", word)
    if double in _DOUBLE_OK:
        return double
    single = _ELONG_RE.sub(r"\1", word)
    return _SLANG_OVERRIDES.get(single) or SLANG_DATA.get(single) or single


@lru_cache(maxsize=200_000)
def _norm_word(word: str) -> str:
    """Standard form of one lowercased word token (cached: vocabularies are Zipfian)."""
    if word in _SLANG_OVERRIDES:
        return _SLANG_OVERRIDES[word]
    if word in SLANG_DATA:
        std = SLANG_DATA[word]
        return "tidak" if std == "enggak" else std
    red = _REDUP_RE.match(word)
    if red:
        base = _norm_word(red.group(1))
        return f"{base}-{base}"
    if _LEET_RE.match(word):
        word = word.translate(_LEET)
    collapsed = _collapse(word)
    if collapsed != word:
        return _norm_word(collapsed) if len(collapsed) < len(word) else collapsed
    return word


@lru_cache(maxsize=300_000)
def _norm_token(raw: str) -> str:
    """Normalized form of one token of any kind ("" to drop it), cached.

    An acronym written in capitals stays ("SMP" the school, not the slang "smp" = "sampai")."""
    token = raw.lower()
    if token in _ACRONYMS and raw.isupper():
        return token
    first = token[0]
    if first in "hw" and token.startswith(("http://", "https://", "www.")):
        return token.rstrip(_TRAILING_PUNCT)
    if first in "@#":
        return token
    if first.isdigit():
        if _TIME_RE.fullmatch(token):
            return token.replace(".", ":")
        if _NUMBER_RE.fullmatch(token):
            return token
    if first.isalnum() or first == "_":
        return _norm_word(token)
    return _EMOJI.get(token, "")


def normalize_tokens(text: str) -> list[str]:
    """Normalized tokens of ``text``: lowercased, slang and elongation resolved, emoji as words."""
    # Joining and splitting flattens multi-word standard forms and drops emptied tokens.
    return " ".join(map(_norm_token, _TOKEN_RE.findall(text))).split()


def tokens(text: str) -> list[str]:
    """Tokens of ``text`` after normalization (hashtags, mentions, URLs, numbers, times kept)."""
    return normalize_tokens(text)


def normalize(text: str) -> str:
    """Lowercased, slang-normalized, elongation-collapsed form of ``text`` for matching."""
    return " ".join(normalize_tokens(text))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Sastrawi stem of one normalized word ("pembangunan" -> "bangun"), cached."""
    return _stemmer().stem(word)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    logger.debug("loading the Sastrawi stemmer")
    return StemmerFactory().create_stemmer()
