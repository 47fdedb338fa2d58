"""Language identification for short posts: id, ms, jv, su, bjn, en, or ``und`` when unsure.

A cascade, per batch:

1. texts with fewer than ``MIN_WORDS`` words are ``und``;
2. texts mostly outside the Latin alphabet go to py3langid as a whole (Arabic, Chinese, ...);
3. the shipped linear model (trained on NusaX, see ``scripts/train_langid.py``) picks among
   id, jv, su, bjn, en and "another regional language"; a low top probability or the latter
   gives ``und``;
4. an ``id`` answer is checked against Malay with py3langid, which separates the two.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pantau.text.linear import LinearModel

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["LanguageIdentifier"]

logger = logging.getLogger(__name__)

# One word says too little about its language ("mantap" is id, jv and bjn alike).
MIN_WORDS = 2
# Top probability below this is "und": at 0.5, 1.6% of NusaX valid texts are und.
UND_THRESHOLD = 0.5
# py3langid must be this sure of Malay to overrule Indonesian: it calls formal Indonesian
# ("Pemerintah akan melaksanakan kebijakan baru") Malay at 0.6.
MALAY_MIN_PROB = 0.95
# py3langid is asked about Malay only when one of these Malay-only words is present: asking it
# about every Indonesian text cost a third of the analyze stage's time on the MBG tweets.
MALAY_MARKERS = frozenset(
    {
        "baharu",
        "kerana",
        "sahaja",
        "mahu",
        "percuma",
        "kenderaan",
        "awak",
        "berbanding",
        "perkhidmatan",
        "maklumat",
        "bahawa",
        "iaitu",
        "wang",
        "kakitangan",
        "teksi",
        "doktor",
        "polis",
        "warganegara",
        "lori",
        "kedai",
        "selepas",
        "ubat",
        "jururawat",
        "beliau",
        "daripada",
    }
)
# Below this share of ASCII letters among letters the text is not in a Latin-script language.
LATIN_MIN_SHARE = 0.5


@lru_cache(maxsize=1)
def _py3langid() -> Any:
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier as Py3

    ident = Py3.from_model_file(MODEL_FILE, norm_probs=True)
    malay = Py3.from_model_file(MODEL_FILE, norm_probs=True)
    malay.set_languages(["id", "ms"])
    return ident, malay


_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _latin_share(text: str) -> float:
    if text.isascii():
        return 1.0
    other = len(_NON_ASCII_LETTER.findall(text))
    latin = len(_ASCII_LETTER.findall(text))
    return latin / (latin + other) if latin + other else 1.0


def _enough_words(doc: Sequence[str]) -> bool:
    seen = 0
    for tok in doc:
        if tok[:1].isalpha():
            seen += 1
            if seen >= MIN_WORDS:
                return True
    return False


class LanguageIdentifier:
    """Batch language identifier; ``identify`` takes raw texts, their tokens and counts."""

    def __init__(self, model: LinearModel | None = None) -> None:
        self.model = model or LinearModel.load("langid")

    def identify(
        self,
        texts: Sequence[str],
        docs: Sequence[Sequence[str]],
        counts: csr_matrix,
        tfidf: csr_matrix | None = None,
    ) -> list[str]:
        """Language code per text (``docs``: normalized tokens; ``counts``: hashed counts;
        ``tfidf``: the counts already weighted with this model's idf, if at hand)."""
        proba = self.model.proba(counts, tfidf)
        top = proba.argmax(axis=1)
        out: list[str] = []
        for i, text in enumerate(texts):
            if not _enough_words(docs[i]):
                out.append("und")
                continue
            if _latin_share(text) < LATIN_MIN_SHARE:
                lang, prob = _py3langid()[0].classify(text)
                out.append(str(lang) if prob >= UND_THRESHOLD else "und")
                continue
            label = self.model.classes[int(top[i])]
            if label == "other" or proba[i, top[i]] < UND_THRESHOLD:
                out.append("und")
                continue
            if label == "id" and not MALAY_MARKERS.isdisjoint(docs[i]):
                lang, prob = _py3langid()[1].classify(text)
                if lang == "ms" and prob >= MALAY_MIN_PROB:
                    label = "ms"
            out.append(label)
        return out

    def identify_texts(self, texts: Sequence[str]) -> list[str]:
        """Convenience for callers without a featurized batch."""
        from pantau.text.normalize import normalize_tokens

        docs = [normalize_tokens(t) for t in texts]
        return self.identify(texts, docs, self.model.featurizer.counts(docs))
