"""Short, readable issue titles a leader can read in a report ("Banjir di Sempaja, Samarinda").

A title is built in two ways, in this order:

1. from the issue's most representative news headline, when it has news: the outlet's suffix
   ("... - Kompas.com") and any emoji or symbols dropped, cut to :data:`MAX_TITLE_WORDS` words
   at a comma or colon where one falls near the end;
2. otherwise from its key words and its place: the top content words (never emoji names, place
   words or region evidence), then "di" and the place the issue is most about, with its
   kabupaten/kota when the place is a kecamatan or desa.

Key words come from the analyzer's normalized text, so slang is already written out.
:class:`TitleKeeper` keeps a title stable once shown: it changes only when the issue's first
headline arrives or the issue has doubled since its title was chosen.

>>> headline_title("Banjir Rendam Ratusan Rumah di Sempaja, BPBD Kerahkan Perahu - Kaltim Post")
'Banjir Rendam Ratusan Rumah di Sempaja, BPBD Kerahkan Perahu'
>>> top = [("air", 9), ("banjir", 8), ("wajah_menangis", 8), ("sempaja", 7)]
>>> phrase_title(top, ["Sempaja", "Kota Samarinda"], "banjir lagi di Sempaja, air udah selutut")
'Banjir air di Sempaja, Kota Samarinda'
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

__all__ = ["MAX_TITLE_WORDS", "TitleKeeper", "headline_title", "phrase_title"]

logger = logging.getLogger(__name__)

#: Longest title in words (issue 14: a title a leader reads at a glance).
MAX_TITLE_WORDS = 12
#: Key words a title built without news takes (two name a matter; more is a list), each at
#: least this share of the first one's count (a word in a third of the posts is a detail).
TOPIC_WORDS = 2
TOPIC_SHARE = 0.5
#: An issue whose title was chosen at size ``n`` gets a new one from size ``TITLE_REGROW * n``,
#: and not before it holds ``TITLE_SETTLED`` mentions: titles follow a growing issue without
#: changing on every mention (the demo's small issues changed title at 2, 4 and 8 posts).
TITLE_REGROW = 3.0
TITLE_SETTLED = 10
#: Words that say how, not what ("banget", "parah"): never a title's topic.
NOT_TOPIC = frozenset(
    [
        "banget",
        "parah",
        "tolong",
        "dong",
        "sih",
        "deh",
        "kok",
        "nih",
        "tuh",
        "aja",
        "saja",
        "ya",
        "gak",
        "nggak",
        "tidak",
        "udah",
        "sudah",
        "lagi",
        "bikin",
        "kenapa",
        "kapan",
        "mana",
        "info",
    ]
)
#: A cut at a comma or colon is taken when it keeps at least this many of the words.
CUT_MIN_WORDS = 5

#: " - Kompas.com", " | Tribun Kaltim": an outlet's name after the headline.
_OUTLET_SUFFIX = re.compile(r"\s+[-|\u2013\u2014]\s+[^-|\u2013\u2014]{2,40}$")
#: Anything that is not a letter, digit, space or plain punctuation (emoji, symbols, markup).
_NOT_TEXT = re.compile(r"[^\w\s.,:;!?()'\"/%&-]")
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _NOT_TEXT.sub(" ", text)).strip(" -|,;:")


def _cut(text: str) -> str:
    """At most :data:`MAX_TITLE_WORDS` words, ending at a comma or colon when one is close."""
    words = text.split()
    if len(words) <= MAX_TITLE_WORDS:
        return text
    head = words[:MAX_TITLE_WORDS]
    for i in range(len(head) - 1, CUT_MIN_WORDS - 2, -1):
        if head[i].endswith((",", ":", ";")):
            return " ".join(head[: i + 1]).rstrip(",:;")
    return " ".join(head)


def headline_title(headline: str) -> str:
    """A news headline as a title: no outlet suffix, emoji or symbols; at most 12 words."""
    return _cut(_clean(_OUTLET_SUFFIX.sub("", headline.strip())))


def phrase_title(words: list[tuple[str, int]], places: list[str], example: str = "") -> str:
    """A title from an issue's top words with their counts (most frequent first) and its
    places (the main one first, then its kabupaten/kota): "Banjir air di Sempaja, Kota
    Samarinda". A word joins the topic only if it is nearly as frequent as the first
    (:data:`TOPIC_SHARE`); the topic words keep the order they have in ``example`` (the
    issue's most typical post), as people say them."""
    place_words = {w.lower() for p in places for w in re.findall(r"\w+", p)}
    fit = [
        (w, n)
        for w, n in words
        if "_" not in w
        and ":" not in w
        and w.isalpha()
        and w.lower() not in place_words
        and w.lower() not in NOT_TOPIC
    ]
    topic = [w for w, n in fit[:TOPIC_WORDS] if n >= TOPIC_SHARE * fit[0][1]]
    if not topic:
        return ", ".join(places[:2])
    low = example.lower()
    rank = {w: i for i, w in enumerate(topic)}
    topic.sort(key=lambda w: (low.find(w) if w in low else len(low), rank[w]))
    title = " ".join(topic)
    title = title[0].upper() + title[1:]
    if places:
        title += " di " + ", ".join(places[:2])
    return _cut(_clean(title))


@dataclass(slots=True)
class TitleKeeper:
    """An issue's title and what it was chosen from, so that it changes only for a reason: the
    first headline, or the issue doubling since (see :data:`TITLE_REGROW`)."""

    title: str = ""
    size: int = 0
    from_news: bool = False

    def offer(self, candidate: str, size: int, from_news: bool) -> str:
        """Take ``candidate`` when the issue has no title, when it is the first from news, or
        when the issue has grown enough; returns the title to show."""
        if candidate and (
            not self.title
            or (from_news and not self.from_news)
            or size >= max(TITLE_REGROW * self.size, TITLE_SETTLED)
        ):
            if candidate != self.title:
                logger.debug("title %r -> %r at size %d", self.title, candidate, size)
            self.title, self.size, self.from_news = candidate, size, from_news
        return self.title
