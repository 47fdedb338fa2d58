"""Tables of the reports stage: who receives which report, and what was already sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from pantau.store.models import Base, Issue, Mention
from pantau.store.types import utcnow

__all__ = [
    "ALL_TENANTS",
    "AUTHOR_COUNTS_BUSIEST_INDEX",
    "AUTHOR_SCOPES_BUSIEST_INDEX",
    "ISSUES_CROSSOVER_NEWS",
    "ISSUES_LIVE_STAGE",
    "MENTIONS_ISSUE_VOICES",
    "MENTIONS_PUBLISHED_COVER",
    "MENTIONS_WATCHED",
    "ROLLUP_ALL_ISSUES",
    "ROLLUP_ALL_REGIONS",
    "ROLLUP_ISSUE_INDEX",
    "ROLLUP_PLACE_INDEX",
    "ROLLUP_TIME_INDEX",
    "SEGMENT_ISSUE_INDEX",
    "SEGMENT_PLACES_COUNT_INDEX",
    "SEGMENT_PLACE_INDEX",
    "SEGMENT_TIME_INDEX",
    "AuthorCount",
    "AuthorScope",
    "MentionRollup",
    "MentionSegment",
    "MentionWatchRollup",
    "MentionWatchSegment",
    "RangePlace",
    "RangeStart",
    "ReportSubscription",
    "SegmentOutlet",
    "SegmentPlace",
]

#: ``region`` of the rollup rows that count every mention once, whatever its regions.
ROLLUP_ALL_REGIONS = "*"
#: ``issue_id`` of the rollup rows that count mentions of every issue (and of none).
ROLLUP_ALL_ISSUES = 0
#: Index over (issue_id, region, bucket) covering channel, sentiment and n: one issue (or all)
#: and one region (or all) over time, read from the index alone (migration 0005_reports_cover).
ROLLUP_ISSUE_INDEX = "ix_mention_rollup_cover"
#: Index over (issue_id, bucket) covering region, channel, sentiment and n: the regions
#: breakdown reads every kab/kota of a time range from the index alone. SQLite's planner picks
#: between the two (SQLAlchemy renders no index hint for SQLite), so both cover every column.
ROLLUP_TIME_INDEX = "ix_mention_rollup_span"
#: Index over (region, bucket) covering the rest: which issues have mentions in a kab/kota in a
#: time range (the overview's region and agency filters; migration 0006_reports_overview).
ROLLUP_PLACE_INDEX = "ix_mention_rollup_place"
#: The same three covering indexes over the day segments (``MentionSegment``).
SEGMENT_ISSUE_INDEX = "ix_mention_segments_cover"
SEGMENT_TIME_INDEX = "ix_mention_segments_span"
SEGMENT_PLACE_INDEX = "ix_mention_segments_place"

#: Index over (issue_id, segment) of ``segment_places``: a span's place counts (issue 0) without
#: walking its per-issue rows (migration 0013_anal4_analysis_segments).
SEGMENT_PLACES_COUNT_INDEX = "ix_segment_places_count"
#: Index over (hours, n): a range's busiest authors first (migration 0015_anal5_range_counts).
AUTHOR_COUNTS_BUSIEST_INDEX = "ix_author_counts_busiest"
#: ``RangePlace.tenant`` of the rows counted for every province together (migration
#: 0016_pg7_range_tenants): a national page reads them, one range of the key.
ALL_TENANTS = "*"
#: Index over (hours, scope, n): a kab/kota's or province's busiest authors first (migration
#: 0016_pg7_range_tenants).
AUTHOR_SCOPES_BUSIEST_INDEX = "ix_author_scopes_busiest"

#: The overview lists the newest crossovers; this index finds them without reading every issue.
ISSUES_CROSSOVER_NEWS = Index("ix_issues_crossover_news", Issue.crossover, Issue.first_news_at)
#: The overview counts live and crisis issues; this index counts them without reading the issues
#: (migration 0006_reports_overview).
ISSUES_LIVE_STAGE = Index("ix_issues_live_stage", Issue.merged_into_id, Issue.stage)
#: The dashboard counts mentions per channel and sentiment over a time window; this index
#: answers that from the index alone (migration 0003_reports; see benchmarks/results/reports.md).
MENTIONS_PUBLISHED_COVER = Index(
    "ix_mentions_published_cover", Mention.published_at, Mention.channel, Mention.sentiment
)

#: The mentions that matched a watchlist, by time: a watchlist filter reads those few instead of
#: the whole window (migration 0010_daily2_watched_mentions; pantau.store.search.WATCHED); on
#: PostgreSQL from the index alone.
MENTIONS_WATCHED = Index(
    "ix_mentions_watched",
    Mention.published_at,
    Mention.channel,
    Mention.sentiment,
    Mention.issue_id,
    postgresql_include=["watch", "regions"],
    sqlite_where=text("CAST(watch AS VARCHAR) != '[]'"),
    postgresql_where=text("CAST(watch AS VARCHAR) != '[]'"),
)
#: The issue page ranks the authors, outlets and mentions of an issue's newest mentions by reach;
#: this index holds everything that ranking reads, so a 24,000-mention issue is not read row by
#: row from the table (migration 0005_reports_cover; see benchmarks/results/reports.md).
MENTIONS_ISSUE_VOICES = Index(
    "ix_mentions_issue_voices",
    Mention.issue_id,
    Mention.published_at,
    Mention.id,
    Mention.author,
    Mention.outlet,
    Mention.author_followers,
    Mention.likes,
    Mention.shares,
    Mention.comments,
)


class ReportSubscription(Base):
    """A leader who receives the daily or weekly report by e-mail, in one format."""

    __tablename__ = "report_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # daily | weekly
    format: Mapped[str] = mapped_column(String(10), default="pdf")  # pdf | html | docx
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sent_day: Mapped[date | None] = mapped_column(Date)
    last_sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


#: What every rollup index carries after its key, so that no read goes to the table.
_ROLLUP_COVERED = ("channel", "sentiment", "lang", "noise", "n", "tenant")


class _RollupKey:
    """The key and count of a rollup table: mentions per time bucket, channel, sentiment,
    language, noise kind, kab/kota, issue and province."""

    bucket: Mapped[datetime] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(10), primary_key=True)  # "" when not rated
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)  # "" when not identified
    noise: Mapped[str] = mapped_column(String(20), primary_key=True)  # "" for a genuine post
    region: Mapped[str] = mapped_column(String(16), primary_key=True)
    issue_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    #: The mentions' province ('' for none), so each province's overview adds up its own rows
    #: (migration 0010_tenants_rollup; see pantau.store.tenancy).
    tenant: Mapped[str] = mapped_column(String(2), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class MentionRollup(_RollupKey, Base):
    """Mentions per UTC hour, channel, sentiment, language, noise kind, kab/kota and issue.

    Written only by the database triggers (migration ``0010_tenants_rollup``, which also counts
    per province); the dashboard reads it so that its cost follows the number of hours shown,
    not of mentions.
    """

    __tablename__ = "mention_rollup"
    __table_args__ = (
        Index(ROLLUP_ISSUE_INDEX, "issue_id", "region", "bucket", *_ROLLUP_COVERED),
        Index(ROLLUP_PLACE_INDEX, "region", "bucket", "issue_id", *_ROLLUP_COVERED),
        Index(ROLLUP_TIME_INDEX, "issue_id", "bucket", "region", *_ROLLUP_COVERED),
    )


class MentionSegment(_RollupKey, Base):
    """The hourly rollup added up per day segment (:mod:`pantau.store.segments`): ``bucket``
    is the segment's start, three a UTC day, so a local day of any Indonesian zone is three rows
    per key instead of 24.

    Written by the same triggers as :class:`MentionRollup`, in the same statement (migration
    ``0013_agg4_mention_segments``, which counts the stored hours once); the dashboard reads
    the whole segments of a window here and its ragged edges from the hourly rollup.
    """

    __tablename__ = "mention_segments"
    __table_args__ = (
        Index(SEGMENT_ISSUE_INDEX, "issue_id", "region", "bucket", *_ROLLUP_COVERED),
        Index(SEGMENT_PLACE_INDEX, "region", "bucket", "issue_id", *_ROLLUP_COVERED),
        Index(SEGMENT_TIME_INDEX, "issue_id", "bucket", "region", *_ROLLUP_COVERED),
    )


class _WatchKey(_RollupKey):
    """A rollup key with the watchlist a mention matched (a name of ``mentions.watch``)."""

    watch: Mapped[str] = mapped_column(String(120), primary_key=True)


def _watch_indexes(table: str) -> tuple[Index, Index]:
    """The two covering indexes of a watchlist rollup (migration 0014_agg4_watch_rollup)."""
    return (
        Index(f"ix_{table}_cover", "watch", "issue_id", "region", "bucket", *_ROLLUP_COVERED),
        Index(f"ix_{table}_place", "watch", "region", "bucket", "issue_id", *_ROLLUP_COVERED),
    )


class MentionWatchRollup(_WatchKey, Base):
    """:class:`MentionRollup` per watchlist: each watched mention per hour and watchlist name.

    Written by triggers of its own (migration ``0014_agg4_watch_rollup``); the overview of one
    watchlist adds it up instead of reading the watchlist's mentions.
    """

    __tablename__ = "mention_watch_rollup"
    __table_args__ = _watch_indexes("mention_watch_rollup")


class MentionWatchSegment(_WatchKey, Base):
    """:class:`MentionWatchRollup` per day segment, as :class:`MentionSegment` is the hourly
    rollup's."""

    __tablename__ = "mention_watch_segments"
    __table_args__ = _watch_indexes("mention_watch_segments")


class SegmentOutlet(Base):
    """News mentions per day segment, outlet and province, for all places and per kab/kota.

    Written only by the database triggers of migration ``0013_anal4_analysis_segments``; the
    analysis page adds up a window's segments instead of its mentions (see
    :mod:`pantau.store.segments` and :mod:`pantau.reports.analysis_segments`).
    """

    __tablename__ = "segment_outlets"
    __table_args__ = {"sqlite_with_rowid": False}
    #: ``*`` (every mention once), or a kab/kota the mention names.
    region: Mapped[str] = mapped_column(String(16), primary_key=True)
    segment: Mapped[datetime] = mapped_column(primary_key=True)
    outlet: Mapped[str] = mapped_column(String(200), primary_key=True)
    #: The mentions' province ('' for none), so a province's page adds up its own rows.
    tenant: Mapped[str] = mapped_column(String(2), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class SegmentPlace(Base):
    """Mentions per day segment, kab/kota or kecamatan and province, for all issues and per issue.

    ``issue_id`` 0 counts every mention of the place; a row per issue says which issues had
    mentions there. Written only by the triggers of migration ``0013_anal4_analysis_segments``.
    """

    __tablename__ = "segment_places"
    __table_args__ = (
        Index(SEGMENT_PLACES_COUNT_INDEX, "issue_id", "segment", "place", "tenant", "n"),
        {"sqlite_with_rowid": False},
    )
    segment: Mapped[datetime] = mapped_column(primary_key=True)
    #: A kab/kota ("64.72") or kecamatan ("64.72.01") code.
    place: Mapped[str] = mapped_column(String(16), primary_key=True)
    issue_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tenant: Mapped[str] = mapped_column(String(2), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class RangeStart(Base):
    """Where each fixed range of the analysis page counts its authors from.

    Moved forward by :func:`pantau.store.range_counts.slide`; written elsewhere only by
    migration ``0015_anal5_range_counts``.
    """

    __tablename__ = "range_starts"
    #: The range's length (``pantau.reports.filters.RANGES``).
    hours: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Mentions published at or after it are counted in :class:`AuthorCount`.
    start: Mapped[datetime] = mapped_column()


class AuthorCount(Base):
    """Each author's mentions published since their range's :class:`RangeStart`.

    National: it has no tenant column, so a provincial page never reads it (its province's are
    :class:`AuthorScope` rows). Written by the triggers of migration ``0015_anal5_range_counts``
    and by the slide; a count may rest at zero until the next slide.
    """

    __tablename__ = "author_counts"
    __table_args__ = (
        Index(AUTHOR_COUNTS_BUSIEST_INDEX, "hours", "n"),
        {"sqlite_with_rowid": False},
    )
    hours: Mapped[int] = mapped_column(Integer, primary_key=True)
    author: Mapped[str] = mapped_column(String(255), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class AuthorScope(Base):
    """Each author's mentions since their range's :class:`RangeStart` per scope: each kab/kota
    the mentions name (``"64.72"``) and their province (``"64"``; a national mention has none).

    A kab/kota's or one province's :class:`AuthorCount`. Its ``scope`` is no ``tenant``: a
    provincial page reads its province's rows by name, never another's kab/kota. Written by the
    triggers of migration ``0016_pg7_range_tenants`` and by the slide.
    """

    __tablename__ = "author_scopes"
    __table_args__ = (
        Index(AUTHOR_SCOPES_BUSIEST_INDEX, "hours", "scope", "n"),
        {"sqlite_with_rowid": False},
    )
    hours: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    author: Mapped[str] = mapped_column(String(255), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class RangePlace(Base):
    """Mentions since their range's :class:`RangeStart` per kab/kota or kecamatan, for all
    issues (``issue_id`` 0) and per issue, per province: :class:`SegmentPlace` per range
    instead of segment.

    A provincial page adds up its own province's rows, a national one reads those of every
    province together (migration ``0016_pg7_range_tenants``); written by the triggers and the
    slide, like :class:`AuthorCount`.
    """

    __tablename__ = "range_places"
    __table_args__ = {"sqlite_with_rowid": False}
    hours: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The mentions' province; ``''`` for a national mention (see pantau.store.tenancy); and
    #: :data:`ALL_TENANTS` for every province together, which a national page reads.
    tenant: Mapped[str] = mapped_column(String(2), primary_key=True)
    issue_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    #: A kab/kota ("64.72") or kecamatan ("64.72.01") code.
    place: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
