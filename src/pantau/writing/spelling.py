"""KBBI spelling through Debian's ``hunspell-id`` (via pyenchant) plus the project's word lists.

Three lists ship in ``pantau/writing/data``: ``baku.tsv`` maps common non-standard spellings to
the KBBI form (silahkan -> silakan), ``asing.tsv`` maps foreign terms to Indonesian equivalents,
and ``kata_tambahan.txt`` lists standard words the Debian dictionary lacks (hoaks, terdampak).
When the dictionary is missing, :func:`speller` raises :class:`DictionaryMissing` with the
command that installs it: spelling is never silently skipped.
"""

from __future__ import annotations

import logging
import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "DICTIONARY_TAG",
    "DictionaryMissing",
    "Speller",
    "extra_words",
    "foreign_terms",
    "load_speller",
    "speller",
    "standard_forms",
]

logger = logging.getLogger(__name__)

DICTIONARY_TAG = "id_ID"
#: Where Debian's hunspell-id puts id_ID.dic/.aff (named in the error when it is missing).
HUNSPELL_DIR = Path("/usr/share/hunspell")
#: hunspell suggestions cost 10-50 ms each; past this many new ones in one lint run the linter
#: stops asking, so that a 1 MB text full of unknown words stays within seconds (benchmarks/).
SUGGESTION_BUDGET = 50
#: Entries kept in the process-wide suggestion cache before it is emptied (a server runs long).
SUGGESTION_CACHE_MAX = 20_000


#: Bound forms written joined to the next word (EYD V, "bentuk terikat"), longest first.
BOUND_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        """antar pasca pra non nir swa tuna sub multi inter semi ultra supra anti kontra ekstra
        infra mega mini maha purna panca dwi tri eka catur serba lintas""".split(),  # noqa: SIM905
        key=len,
        reverse=True,
    )
)


class DictionaryMissing(RuntimeError):
    """The Indonesian hunspell dictionary cannot be loaded; spelling cannot be checked."""


def _read_table(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    text = (
        resources.files("pantau.writing")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        wrong, _, right = line.partition("\t")
        table[wrong.strip().lower()] = right.strip()
    return table


@cache
def standard_forms() -> dict[str, str]:
    """Non-standard spelling (lower case) -> KBBI form, from ``data/baku.tsv``."""
    return _read_table("baku.tsv")


@cache
def foreign_terms() -> dict[str, str]:
    """Foreign term (lower case, may be two words) -> Indonesian equivalent (``data/asing.tsv``)."""
    return _read_table("asing.tsv")


@cache
def extra_words() -> frozenset[str]:
    """Standard words missing from hunspell-id (``data/kata_tambahan.txt``), lower case."""
    text = (
        resources.files("pantau.writing")
        .joinpath("data")
        .joinpath("kata_tambahan.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")
    )


@cache
def _stemmer() -> Any:
    """Sastrawi's stemmer; it returns a word unchanged unless it finds a KBBI root."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@cache
def _roots() -> frozenset[str]:
    """Sastrawi's KBBI-based root words; hunspell-id lacks some (laman, kuliner, royong)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(StemmerFactory().get_words())


class Speller:
    """A cached word checker over the enchant dictionary and the extra word list."""

    def __init__(self, dictionary: object) -> None:
        # One hunspell handle serves every thread of the web server; hunspell is not
        # thread-safe, so calls into it are serialised (cached answers need no lock).
        self._lock = threading.Lock()
        self._dict = dictionary
        self._known: dict[str, bool] = {}
        self._suggested: dict[str, str] = {}
        self.computed = 0
        self._extra = extra_words()

    def check(self, word: str) -> bool:
        """Whether ``word`` (any case) is a known Indonesian word.

        hunspell-id lacks many affixed forms ("diunggah", "hubungi", "dugaan"), so a word also
        counts as known when the Sastrawi stemmer reduces it to a root of its KBBI-based list.
        """
        key = word.lower()
        hit = self._known.get(key)
        if hit is None:
            hit = (
                self.in_dictionary(key)
                or key in _roots()
                or self._bound_form(key)
                or self._stemmed(key)
            )
            self._known[key] = hit
        return hit

    def _bound_form(self, key: str) -> bool:
        """ "antarwarga", "pascabanjir": a bound form (EYD V) joined to a known word."""
        for prefix in BOUND_PREFIXES:
            if key.startswith(prefix) and len(key) - len(prefix) >= 3:
                return self.in_dictionary(key[len(prefix) :])
        return False

    def _stemmed(self, key: str) -> bool:
        # pe(r)-an nouns are left to the dictionary, which knows them: the stemmer would take
        # "perusahan" (a typo) for per- + usah + -an.
        return not key.startswith("pe") and _stemmer().stem(key) != key

    def in_dictionary(self, word: str) -> bool:
        """Whether the dictionary or the extra list holds ``word`` as written, without stemming.

        The stemmer takes "ditiga" for di- + tiga; telling a passive verb ("dibangun") from a
        preposition ("di tiga kecamatan") needs the dictionary's own word list.
        """
        key = word.lower()
        if key in self._extra:
            return True
        with self._lock:
            return bool(self._dict.check(key))  # type: ignore[attr-defined]

    def suggest(self, word: str, *, compute: bool = True) -> str | None:
        """The dictionary's best one-word replacement ("" when it has none).

        ``None`` when the answer is not cached and ``compute`` is false; :attr:`computed`
        counts the look-ups actually made, so that a caller can keep to a budget.
        """
        key = word.lower()
        if key in self._suggested:
            return self._suggested[key]
        if not compute:
            return None
        if len(self._suggested) >= SUGGESTION_CACHE_MAX:
            self._suggested.clear()
        with self._lock:
            options = self._dict.suggest(key)  # type: ignore[attr-defined]
        self.computed += 1
        self._suggested[key] = next((o for o in options if " " not in o), "")
        return self._suggested[key]


def speller() -> Speller:
    """The shared Indonesian speller; raises :class:`DictionaryMissing` without hunspell-id."""
    return load_speller(DICTIONARY_TAG)


@cache
def load_speller(tag: str) -> Speller:
    """A speller over the enchant dictionary ``tag``; :class:`DictionaryMissing` if absent.

    Debian's ``hunspell-id`` installs ``/usr/share/hunspell/id_ID.dic``, which enchant 2's
    hunspell provider reads without configuration.
    """
    try:
        import enchant
    except ImportError as exc:  # libenchant-2 missing makes the import itself fail
        raise DictionaryMissing(
            "Pemeriksa ejaan tidak tersedia: pustaka enchant tidak terpasang "
            "(apt-get install libenchant-2-2)."
        ) from exc
    try:
        dictionary = enchant.Dict(tag)
    except enchant.errors.DictNotFoundError as exc:
        raise DictionaryMissing(
            f"Kamus {tag} (hunspell-id) tidak ditemukan di {HUNSPELL_DIR} maupun di folder "
            "kamus enchant; pemeriksaan ejaan KBBI tidak dapat dijalankan. Pasang dengan: "
            "apt-get install hunspell-id"
        ) from exc
    logger.debug("spelling: enchant dictionary %s loaded", tag)
    return Speller(dictionary)
