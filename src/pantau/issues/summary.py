"""The running summary of one issue: who, where, when, how loud, and a readable label.

An :class:`IssueState` is updated with each mention the clusterer puts in the issue and can be
absorbed by another when two issues merge. :meth:`IssueState.summary` gives a plain, JSON-safe
:class:`IssueSummary` that the store and the web pages show.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from pantau.issues.features import surface
from pantau.issues.records import Mention
from pantau.issues.risk import INFLUENTIAL_FOLLOWERS
from pantau.issues.titles import TitleKeeper, headline_title, phrase_title

__all__ = ["IssueState", "IssueSummary"]

logger = logging.getLogger(__name__)

#: Label candidates kept per issue: the first posts, plus every news headline up to this many.
LABEL_CANDIDATES = 8
#: Key phrases (top words) shown per issue.
KEY_PHRASES = 8
#: Prefix of the region codes the tracker adds to a mention's words as clustering evidence; they
#: are features, not phrases a person reads.
REGION_PREFIX = "wilayah:"
#: Authors and outlets shown per issue.
TOP_ACTORS = 5
#: Social posts within ``ONSET_WINDOW`` seconds that mark an issue's social onset, the moment
#: from which the crossover lead time is measured (a little stricter than emerging support).
ONSET_SUPPORT = 5
ONSET_WINDOW = 3600.0
#: News items remembered per issue (time and words) to find its first news about the issue
#: itself; later headlines add nothing to the crossover moment.
MAX_NEWS_SEEN = 16
#: Authors remembered per issue (the widest-reaching); bounds memory on huge issues.
MAX_AUTHORS = 1000
#: Dots of the region codes a title names first: a kecamatan ("64.72.01") or desa names where
#: it happens; a kab/kota alone is named only when nothing finer is known.
TITLE_PLACE_DEPTH = 2
#: Width of a timeline bucket in seconds (hourly, as the monitoring report draws it).
BUCKET_SECONDS = 3600
#: Timeline buckets kept in memory per issue (two weeks of hours); older ones fold into a total.
MAX_BUCKETS = 14 * 24


def iso(ts: float | None) -> str | None:
    """Stream seconds as an ISO 8601 UTC string."""
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()


@dataclass
class IssueSummary:
    """What people see of an issue (all fields JSON-safe)."""

    id: str
    label: str  # the most representative post or headline, as written
    key_phrases: list[str]
    size: int
    stage: str
    risk: float
    first_seen: str | None
    last_seen: str | None
    first_social: str | None
    social_onset: str | None
    first_news: str | None
    crossover: bool
    lead_time_seconds: float | None
    channels: dict[str, int]
    regions: dict[str, int]
    sentiment: dict[str, int]
    timeline: dict[str, int]
    top_authors: list[dict[str, Any]]
    top_outlets: list[dict[str, Any]]
    engagement: dict[str, int]
    coordinated_groups: list[list[str]]
    merged_from: list[str]
    #: The earlier, closed issue this one is a return of ("muncul kembali"), if any.
    previous_episode: str | None = None
    #: Short readable title ("Banjir di Sempaja, Kota Samarinda"); ``label`` stays beside it.
    title: str = ""
    #: Why the risk is what it is: ``{component, value, weight, points, text}`` per component.
    risk_reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return asdict(self)


def _copied(item: Any) -> Any:
    """An item of a list field as a snapshot keeps it: a pair or a group copied with its words'
    list, so that the issue growing later does not change a snapshot already taken."""
    if isinstance(item, list | tuple):
        return [list(v) if isinstance(v, list) else v for v in item]
    return item


@dataclass(slots=True)
class IssueState:
    """Mutable per-issue counters; everything here is small and bounded."""

    id: str
    first_seen: float
    last_seen: float
    size: int = 0
    first_social: float | None = None
    first_news: float | None = None
    news_seen: list[tuple[float, list[str]]] = field(default_factory=list)  # first news items
    social_onset: float | None = None  # start of the first window of supported social volume
    social_times: list[float] = field(default_factory=list)  # last few, to find the onset
    channels: Counter[str] = field(default_factory=Counter)
    regions: Counter[str] = field(default_factory=Counter)
    sentiment: Counter[str] = field(default_factory=Counter)
    buckets: dict[int, int] = field(default_factory=dict)
    authors: dict[str, int] = field(default_factory=dict)  # author -> followers (reach)
    reach: int = 0  # followers of the distinct authors, kept as they arrive
    influencers: int = 0  # authors with at least INFLUENTIAL_FOLLOWERS
    author_posts: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    engagement: Counter[str] = field(default_factory=Counter)
    candidates: list[tuple[str, list[str]]] = field(default_factory=list)
    sensitive: Counter[str] = field(default_factory=Counter)
    sensitive_mentions: int = 0
    coordinated: int = 0
    groups: list[list[str]] = field(default_factory=list)
    merged_from: list[str] = field(default_factory=list)
    stage: str = "potential"
    max_rank: int = 0
    risk: float = 0.0
    crossover_alerted: bool = False
    peak_day: int = 0  # most mentions it had in 24 hours, and when (its episode's height)
    peak_at: float = 0.0
    previous_episode: str | None = None  # the closed issue this one is a return of
    headlines: list[tuple[str, list[str]]] = field(default_factory=list)  # news titles, words
    region_names: dict[str, str] = field(default_factory=dict)  # code -> name, for titles
    titles: TitleKeeper = field(default_factory=TitleKeeper)
    linked: int = 0  # mentions that carry a link (what the tracker reads as reporting)

    def add(self, m: Mention, now: float, words: list[str], sensitive: set[str]) -> None:
        """Count one mention (its channel, link, reach, engagement, regions, sentiment, time)."""
        self.size += 1
        self.linked += int(m.linked)
        self.first_seen = min(self.first_seen, now)
        self.last_seen = max(self.last_seen, now)
        self.channels[m.channel] += 1
        if m.channel == "news":
            if len(self.news_seen) < MAX_NEWS_SEEN:
                self.news_seen.append((now, sorted(set(words))))
            if m.outlet or m.author:
                self.outlets[m.outlet or m.author or ""] += 1
        elif m.channel == "social":
            if self.first_social is None:
                self.first_social = now
            if self.social_onset is None:
                self._find_onset(now)
        for code in m.regions:
            self.regions[code] += 1
        for code, name in m.region_names.items():
            self.region_names.setdefault(code, name)
        if m.channel == "news" and m.title:
            self.headlines.append((" ".join(m.title.split())[:200], sorted(set(words))))
            del self.headlines[:-LABEL_CANDIDATES]
        if m.sentiment:
            self.sentiment[m.sentiment] += 1
        bucket = int(now // BUCKET_SECONDS)
        self.buckets[bucket] = self.buckets.get(bucket, 0) + 1
        if len(self.buckets) > MAX_BUCKETS:
            del self.buckets[min(self.buckets)]
        if m.author and m.channel != "news":
            self._count_author(m.author, m.author_followers)
        if m.likes or m.shares or m.comments or m.views or m.author_followers:
            for key, value in (
                ("likes", m.likes),
                ("shares", m.shares),
                ("comments", m.comments),
                ("views", m.views),
                ("followers", m.author_followers),
            ):
                if value:
                    self.engagement[key] += value
        if m.coordinated:
            self.coordinated += 1
        if sensitive:
            self.sensitive_mentions += 1
            self.sensitive.update(sensitive)
        if len(self.candidates) < LABEL_CANDIDATES or (m.channel == "news" and m.title):
            if len(self.candidates) >= LABEL_CANDIDATES:
                self.candidates.pop(0)
            text = " ".join((m.title or m.text).split())  # one line: it heads pages and e-mails
            self.candidates.append((text[:200], sorted(set(words))))

    def _count_author(self, author: str, followers: int) -> None:
        before = self.authors.get(author)
        if before is None or followers > before:
            self.reach += followers - (before or 0)
            if followers >= INFLUENTIAL_FOLLOWERS > (before or 0):
                self.influencers += 1
            self.authors[author] = followers
        posts = self.author_posts
        posts[author] = posts.get(author, 0) + 1
        if len(self.authors) > 2 * MAX_AUTHORS:  # keep the widest-reaching; reach stays counted
            keep = sorted(self.authors.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_AUTHORS]
            self.authors = dict(keep)
            self.author_posts = Counter({a: self.author_posts[a] for a in self.authors})

    def _find_onset(self, now: float) -> None:
        """Mark the social onset once ``ONSET_SUPPORT`` social posts fall within
        ``ONSET_WINDOW``: stray early posts that happened to share words do not count."""
        times = self.social_times
        times.append(now)
        del times[:-ONSET_SUPPORT]
        if len(times) == ONSET_SUPPORT and now - times[0] <= ONSET_WINDOW:
            self.social_onset = times[0]
            times.clear()

    def find_first_news(self, top: set[str]) -> None:
        """Set ``first_news`` to the first remembered news item sharing two of ``top`` words
        (one when the issue has a single word): a headline that only shares a place name with
        the issue is not the issue reaching the news."""
        need = min(2, len(top))
        self.first_news = next(
            (t for t, ws in self.news_seen if len(top.intersection(ws)) >= need), None
        )

    def split_off(
        self,
        new: str,
        moved: list[tuple[float, str, bool]],
        left: list[tuple[float, str, bool]],
        words: dict[str, int],
        kept: dict[str, int],
    ) -> IssueState:
        """The part of this issue a cluster split moved (mentions ``moved``, as (time, channel,
        carries a link), whose words are ``words``; ``left`` and ``kept`` are what stays here),
        as a new unraised issue ``new``; this one loses them. What follows from the mentions'
        times, channels and links is recounted on both parts (size, linked mentions, first and
        last seen, channels, first social post and social onset, time buckets), so the first
        social post, the first news and the lag agree with the mentions each part shows (the
        caller finds each part's first news again); label candidates, headlines and news
        items go with the part whose words they share most; the rest (reach, sentiment) stays
        here, since the state keeps no mentions to recount them."""
        times = [t for t, _, _ in moved]
        out = IssueState(new, min(times, default=self.first_seen), max(times, default=0.0))
        out.size = len(times)
        self.size -= len(times)
        for part, posts in ((out, moved), (self, left)):
            part.channels = Counter(ch for _, ch, _ in posts)
            part.linked = sum(linked for _, _, linked in posts)
            if posts:
                part.first_seen = min(t for t, _, _ in posts)
                part.last_seen = max(t for t, _, _ in posts)
            part._recount_social(sorted(t for t, ch, _ in posts if ch == "social"))
        for now in times:
            bucket = int(now // BUCKET_SECONDS)
            out.buckets[bucket] = out.buckets.get(bucket, 0) + 1
            remaining = self.buckets.get(bucket, 0) - 1
            if remaining > 0:
                self.buckets[bucket] = remaining
            else:
                self.buckets.pop(bucket, None)
        for name in ("candidates", "headlines", "news_seen"):
            mine: list[tuple[Any, list[str]]] = getattr(self, name)  # (text or time, words)
            goes = [_leans_to(c[1], words, kept) for c in mine]
            setattr(out, name, [c for c, g in zip(mine, goes, strict=True) if g])
            setattr(self, name, [c for c, g in zip(mine, goes, strict=True) if not g])
        out.region_names = dict(self.region_names)
        return out

    def _recount_social(self, times: list[float]) -> None:
        """First social post and social onset again from the social posts' ``times`` (sorted),
        as :meth:`add` would have found them."""
        self.first_social = times[0] if times else None
        self.social_onset, self.social_times = None, []
        for now in times:
            if self.social_onset is not None:
                break
            self._find_onset(now)

    def absorb(self, other: IssueState) -> None:
        """Fold a merged issue into this one; the other's id is kept in ``merged_from``."""
        self.size += other.size
        self.linked += other.linked
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        for mine, theirs in (
            ("first_social", other.first_social),
            ("first_news", other.first_news),
            ("social_onset", other.social_onset),
        ):
            current = getattr(self, mine)
            if theirs is not None and (current is None or theirs < current):
                setattr(self, mine, theirs)
        self.news_seen = sorted(self.news_seen + other.news_seen)[:MAX_NEWS_SEEN]
        for name in ("channels", "regions", "sentiment", "author_posts", "outlets", "engagement"):
            getattr(self, name).update(getattr(other, name))
        self.sensitive.update(other.sensitive)
        self.sensitive_mentions += other.sensitive_mentions
        for bucket, count in other.buckets.items():
            self.buckets[bucket] = self.buckets.get(bucket, 0) + count
        for author, reach in other.authors.items():
            self.authors[author] = max(self.authors.get(author, 0), reach)
        self.reach = sum(self.authors.values())
        self.influencers = sum(1 for f in self.authors.values() if f >= INFLUENTIAL_FOLLOWERS)
        self.coordinated += other.coordinated
        self.groups.extend(other.groups)
        self.candidates = (self.candidates + other.candidates)[-LABEL_CANDIDATES:]
        self.headlines = (self.headlines + other.headlines)[-LABEL_CANDIDATES:]
        for code, name in other.region_names.items():
            self.region_names.setdefault(code, name)
        self.merged_from.extend([other.id, *other.merged_from])
        self.max_rank = max(self.max_rank, other.max_rank)
        self.crossover_alerted = self.crossover_alerted or other.crossover_alerted
        if other.peak_day > self.peak_day:
            self.peak_day, self.peak_at = other.peak_day, other.peak_at
        self.previous_episode = self.previous_episode or other.previous_episode

    def label(self, counts: dict[str, int]) -> str:
        """The candidate text whose words are most typical of the issue (ties: earliest)."""
        return _most_typical(self.candidates, counts)

    def title(self, counts: dict[str, int]) -> str:
        """The issue's short title (see :mod:`pantau.issues.titles`): from its most typical
        headline when it has news, else from its top words and place; kept stable by
        :class:`TitleKeeper` while the issue grows."""
        headline = _most_typical(self.headlines, counts)
        if headline:
            return self.titles.offer(headline_title(headline), self.size, True)
        words = ((w, n) for w, n in counts.items() if not w.startswith(REGION_PREFIX))
        top = [(surface(w), n) for w, n in sorted(words, key=lambda kv: (-kv[1], kv[0]))[:8]]
        example = self.label(counts)
        return self.titles.offer(phrase_title(top, self.places(), example), self.size, False)

    def places(self) -> list[str]:
        """The place the issue is most about, then its kabupaten/kota, as names: a kecamatan or
        desa when one is named (``TITLE_PLACE_DEPTH``), else the kabupaten/kota."""
        named = [(n, c) for c, n in self.regions.items() if c in self.region_names]
        if not named:
            return []
        deep = [(n, c) for n, c in named if c.count(".") >= TITLE_PLACE_DEPTH]
        _, code = max(deep or named, key=lambda nc: (nc[0], -len(nc[1]), nc[1]))
        out = [self.region_names[code]]
        parent = ".".join(code.split(".")[:2])
        if parent != code and parent in self.region_names:
            out.append(self.region_names[parent])
        return out

    def summary(self, counts: dict[str, int]) -> IssueSummary:
        """A JSON-safe snapshot of the issue for people and the store."""
        words = ((w, n) for w, n in counts.items() if not w.startswith(REGION_PREFIX))
        top = sorted(words, key=lambda kv: (-kv[1], kv[0]))[:KEY_PHRASES]
        authors = sorted(self.authors.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ACTORS]
        crossed = self.crossed
        return IssueSummary(
            id=self.id,
            title=self.title(counts),
            label=self.label(counts),
            key_phrases=[surface(w) for w, _ in top],
            size=self.size,
            stage=self.stage,
            risk=round(self.risk, 1),
            first_seen=iso(self.first_seen),
            last_seen=iso(self.last_seen),
            first_social=iso(self.first_social),
            social_onset=iso(self.social_onset),
            first_news=iso(self.first_news),
            crossover=crossed,
            lead_time_seconds=self.lead_time if crossed else None,
            channels=dict(self.channels),
            regions=dict(self.regions),
            sentiment=dict(self.sentiment),
            timeline={iso(b * BUCKET_SECONDS) or "": c for b, c in sorted(self.buckets.items())},
            top_authors=[
                {"author": a, "followers": f, "posts": self.author_posts[a]} for a, f in authors
            ],
            top_outlets=[{"outlet": o, "mentions": c} for o, c in self.outlets.most_common(5)],
            engagement=dict(self.engagement),
            coordinated_groups=[list(g) for g in self.groups],
            merged_from=list(self.merged_from),
            previous_episode=self.previous_episode,
        )

    @property
    def crossed(self) -> bool:
        """Began on social media and later reached the news (``first_news`` is kept current by
        the tracker: the first headline that names the issue's top words)."""
        return (
            self.social_onset is not None
            and self.first_social is not None
            and self.first_news is not None
            and self.social_onset < self.first_news
        )

    @property
    def lead_time(self) -> float:
        """First news minus first social post, in seconds (0 when the issue did not cross
        over): the two times the issue shows beside it, so the three always agree. The social
        onset only decides whether the issue began on social media at all."""
        if not self.crossed or self.first_news is None or self.first_social is None:
            return 0.0
        return self.first_news - self.first_social

    def to_state(self) -> dict[str, Any]:
        """JSON-safe form for snapshots (Counter keys stay strings, bucket keys become strings).

        A copy, two levels deep as the fields are (``(time, words)`` pairs, groups of ids), not
        :func:`dataclasses.asdict`: that deep-copies every value one call at a time and rebuilds
        each Counter from its pairs, which made this most of a snapshot's cost (the pipeline
        saves one each batch)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):  # Counters too: words, codes and names to numbers
                value = dict(value)
            elif isinstance(value, list):
                value = [_copied(item) for item in value]
            elif isinstance(value, TitleKeeper):
                value = asdict(value)
            out[f.name] = value
        out["buckets"] = {str(k): v for k, v in self.buckets.items()}
        return out

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> IssueState:
        """Inverse of :meth:`to_state`."""
        data = dict(data)
        for name in ("channels", "regions", "sentiment", "author_posts", "outlets", "engagement"):
            data[name] = Counter(data[name])
        data["sensitive"] = Counter(data["sensitive"])
        data["buckets"] = {int(k): v for k, v in data["buckets"].items()}
        data["candidates"] = [(t, list(w)) for t, w in data["candidates"]]
        data["news_seen"] = [(float(t), list(w)) for t, w in data["news_seen"]]
        # fields a snapshot from before titles lacks take their defaults
        data["headlines"] = [(t, list(w)) for t, w in data.get("headlines", [])]
        data["titles"] = TitleKeeper(**data.get("titles", {}))
        return cls(**data)


def _most_typical(candidates: list[tuple[str, list[str]]], counts: dict[str, int]) -> str:
    """The candidate text whose words are most typical of the issue (ties: earliest)."""
    best, best_score = "", -1.0
    for text, words in candidates:
        score = sum(counts.get(w, 0) for w in words) / (len(words) + 2)
        if score > best_score:
            best, best_score = text, score
    return best


def _leans_to(words: list[str], part: dict[str, int], rest: dict[str, int]) -> bool:
    """Whether a text's words are likelier in ``part`` than in ``rest`` (each word weighed by
    its share of the group's words)."""
    a, b = sum(part.values()) or 1, sum(rest.values()) or 1
    return sum(part.get(w, 0) / a for w in words) > sum(rest.get(w, 0) / b for w in words)
