"""Pick-up: which news articles reproduce a release, how soon, and how much they changed it.

An article built on a release carries its sentences: word trigrams ("shingles") of the release's
news part (from the dateline on; the header, contact and boilerplate are the agency's, not the
story) reappear in the article. Two shares describe the overlap:

- *carried*: the share of the release's shingles the article reproduces (how much of the
  statement reached readers);
- *copied*: the share of the article's shingles taken from the release; ``1 - copied`` is how
  much the outlet added or rewrote.

Exact sets, not MinHash: a release is compared with the news of its week only (hundreds of
articles), and an exact containment is what an officer can check by reading.

>>> release = "SAMARINDA - Pemkot membuka tiga posko pengungsian bagi warga terdampak banjir."
>>> article = "Pemkot membuka tiga posko pengungsian bagi warga terdampak banjir, kata lurah."
>>> overlap(shingles(release), shingles(article))
(0.875, 0.778)
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from pantau.newsroom.releases import PUBLISHED
from pantau.store.models import Mention, Source
from pantau.store.newsroom_models import Release, ReleasePickup
from pantau.store.types import utcnow
from pantau.writing.document import parse

__all__ = [
    "PICKUP_MIN_CARRIED",
    "PICKUP_WINDOW",
    "PickupView",
    "issue_pickups",
    "link_analyzed",
    "link_pickups",
    "overlap",
    "release_pickups",
    "shingles",
]

logger = logging.getLogger(__name__)

#: Words per shingle: trigrams rarely repeat between two independent reports of one event
#: ("posko pengungsian bagi") but survive light editing of a copied sentence.
SHINGLE_WORDS = 3
#: Least share of the release's shingles an article must carry to count as its pick-up. A
#: story that reproduces the lead and one quote of a 250-word release carries about a third of
#: it; two reports of the same event written independently share well under a tenth (checked on
#: the tests' articles; no labelled pick-up corpus exists to tune it on).
PICKUP_MIN_CARRIED = 0.25
#: How long after publication an article still counts as pick-up (a week of follow-up stories).
PICKUP_WINDOW = timedelta(days=7)
#: Articles published this long *before* a release still count: embargoed copies leak, and
#: outlets' clocks and feeds are often an hour off.
EARLY_TOLERANCE = timedelta(hours=1)
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The word trigrams of ``text``, lower-cased (a text under three words is one shingle)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE_WORDS:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - 2))


def overlap(
    release: frozenset[tuple[str, ...]], article: frozenset[tuple[str, ...]]
) -> tuple[float, float]:
    """(carried, copied): the shares of the release in the article and of the article from it."""
    if not release or not article:
        return 0.0, 0.0
    common = len(release & article)
    return round(common / len(release), 3), round(common / len(article), 3)


def news_part(text: str) -> str:
    """The release from its dateline on (the header markers and headline are left out)."""
    doc = parse(text)
    start = doc.lead.start if doc.lead else (doc.headline.end if doc.headline else 0)
    return text[start:]


@dataclass(frozen=True)
class PickupView:
    """One article that carried a release."""

    release_id: int
    release_title: str
    mention_id: int
    outlet: str
    title: str
    url: str | None
    published_at: datetime | None
    carried: float
    changed: float
    lag_seconds: float | None


def _outlet(mention: Mention, source: Source | None) -> str:
    if mention.outlet:
        return mention.outlet
    if mention.url:
        return urlsplit(mention.url).hostname or mention.url
    return source.name if source else "?"


def _link(
    s: Session,
    release: Release,
    mine: frozenset[tuple[str, ...]],
    mention: Mention,
    theirs: frozenset[tuple[str, ...]],
    source: Source | None,
    now: datetime,
) -> bool:
    """Link ``mention`` to ``release`` when it carries enough of it; True when linked."""
    carried, copied = overlap(mine, theirs)
    if carried < PICKUP_MIN_CARRIED:
        return False
    lag = (
        (mention.published_at - release.published_at).total_seconds()
        if mention.published_at
        else None
    )
    s.add(
        ReleasePickup(
            release_id=release.id,
            mention_id=mention.id,
            outlet=_outlet(mention, source)[:200],
            containment=carried,
            changed=round(1 - copied, 3),
            lag_seconds=lag,
            found_at=now,
        )
    )
    return True


def _article(mention: Mention) -> frozenset[tuple[str, ...]]:
    return shingles(f"{mention.title or ''}\n{mention.text}")


def _linked(s: Session, release_id: int) -> set[int]:
    return set(
        s.scalars(select(ReleasePickup.mention_id).where(ReleasePickup.release_id == release_id))
    )


def link_pickups(s: Session, *, release_id: int | None = None, now: datetime | None = None) -> int:
    """Link the news articles that carry each visible release (or one); returns new links.

    A full pass over every release's window, for a release that just became visible and for
    ``pantau newsroom sync``; the run loop links what each round analyzed with
    :func:`link_analyzed`. Idempotent: an article already linked to a release is not compared
    again.
    """
    now = now or utcnow()
    query = select(Release).where(Release.state == PUBLISHED, Release.published_at <= now)
    if release_id is not None:
        query = query.where(Release.id == release_id)
    added = 0
    for release in s.scalars(query).all():
        mine = shingles(news_part(release.text))
        linked = _linked(s, release.id)
        candidates = s.execute(
            select(Mention, Source)
            .join(Source, Source.id == Mention.source_id)
            .where(
                Mention.channel == "news",
                Mention.published_at >= release.published_at - EARLY_TOLERANCE,
                Mention.published_at <= release.published_at + PICKUP_WINDOW,
            )
        ).all()
        for mention, source in candidates:
            if mention.id not in linked:
                added += _link(s, release, mine, mention, _article(mention), source, now)
    s.flush()
    if added:
        logger.info("linked %d news articles as release pick-up", added)
    return added


def link_analyzed(s: Session, since: datetime, *, now: datetime | None = None) -> int:
    """Link the news articles analyzed at or after ``since`` to the visible releases they carry.

    The run loop's incremental pass: only the round's new articles are shingled (once each),
    and only against the releases whose pick-up window holds their publication time.
    """
    now = now or utcnow()
    rows = s.execute(
        select(Mention, Source)
        .join(Source, Source.id == Mention.source_id)
        .where(
            Mention.analyzed_at >= since,
            Mention.channel == "news",
            Mention.published_at.is_not(None),
        )
    ).all()
    if not rows:
        return 0
    times = [m.published_at for m, _ in rows if m.published_at is not None]
    releases = s.scalars(
        select(Release).where(
            Release.state == PUBLISHED,
            Release.published_at <= now,
            Release.published_at >= min(times) - PICKUP_WINDOW,
            Release.published_at <= max(times) + EARLY_TOLERANCE,
        )
    ).all()
    articles = {m.id: _article(m) for m, _ in rows} if releases else {}
    added = 0
    for release in releases:
        mine = shingles(news_part(release.text))
        linked = _linked(s, release.id)
        start = release.published_at - EARLY_TOLERANCE
        end = release.published_at + PICKUP_WINDOW
        for mention, source in rows:
            published = mention.published_at
            if mention.id in linked or published is None or not start <= published <= end:
                continue
            added += _link(s, release, mine, mention, articles[mention.id], source, now)
    s.flush()
    if added:
        logger.info("linked %d newly analyzed news articles as release pick-up", added)
    return added


def _views(s: Session, condition: ColumnElement[bool]) -> list[PickupView]:
    rows = s.execute(
        select(ReleasePickup, Release.title, Mention)
        .join(Release, Release.id == ReleasePickup.release_id)
        .join(Mention, Mention.id == ReleasePickup.mention_id)
        .where(condition)
        .order_by(ReleasePickup.lag_seconds.asc().nulls_last(), ReleasePickup.id)
    ).all()
    return [
        PickupView(
            release_id=p.release_id,
            release_title=title,
            mention_id=m.id,
            outlet=p.outlet,
            title=m.title or m.text[:120],
            url=m.url,
            published_at=m.published_at,
            carried=p.containment,
            changed=p.changed,
            lag_seconds=p.lag_seconds,
        )
        for p, title, m in rows
    ]


def release_pickups(s: Session, release_id: int) -> list[PickupView]:
    """The articles that carried one release, fastest first."""
    return _views(s, ReleasePickup.release_id == release_id)


def issue_pickups(s: Session, issue_id: int) -> list[PickupView]:
    """The articles that carried any release answering ``issue_id``, fastest first."""
    return _views(s, Release.issue_id == issue_id)
