"""The overview and issue-page figures against the known sample, on SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from sqlalchemy import func, select

from pantau.reports.filters import DashFilter
from pantau.reports.issue_view import issue_detail
from pantau.reports.overview import overview
from pantau.store import Database, Issue, Mention
from tests.reports.sample import EXPECTED, NOON

TZ = "Asia/Makassar"


def test_overview_counts_per_channel_sentiment_and_region(sample_db: Database) -> None:
    with sample_db.session() as s:
        ov = overview(s, DashFilter.from_params({"range": "7d"}), TZ)
    day_and_before = EXPECTED["day_total"] + EXPECTED["previous_total"]
    assert ov.total == day_and_before
    assert ov.by_channel == {"social": 23, "news": 9, "complaint": 2}
    assert ov.by_sentiment == {"negative": 15, "neutral": 15, "positive": 4}
    assert sum(ov.volume.lines["social"]) == 23
    assert [(code, n) for code, _, n in ov.regions] == [("64.72", 26), ("64.71", 8)]
    assert [r.label for r in ov.top][:3] == [
        "Banjir di Sempaja Samarinda",
        "Jalan rusak di Balikpapan Utara",
        "Harga cabai naik di pasar Samarinda",
    ]
    assert ov.top[0].window_mentions == 22 and sum(ov.top[0].spark) == 22
    assert [r.label for r in ov.crossovers] == ["Banjir di Sempaja Samarinda"]
    assert ov.sources.counts == {"ok": 2, "silent": 1}
    assert [a[0] for a in ov.sources.attention] == ["Ekspor media sosial"]
    assert ov.crises == 1 and ov.active_issues == 3


def test_overview_filters_narrow_every_figure(sample_db: Database) -> None:
    with sample_db.session() as s:
        news = overview(s, DashFilter.from_params({"channel": "news"}), TZ)
        bpn = overview(s, DashFilter.from_params({"region": "64.71"}), TZ)
        day = overview(s, DashFilter.from_params({"range": "24h"}), TZ, anchor=NOON)
    assert news.by_channel == {"news": 9}
    assert {r.label for r in news.top} == {
        "Banjir di Sempaja Samarinda",
        "Harga cabai naik di pasar Samarinda",
    }
    assert bpn.total == 8 and [r.label for r in bpn.top] == ["Jalan rusak di Balikpapan Utara"]
    assert day.window.bucket_hours == 1 and len(day.volume.keys) == 24
    with sample_db.session() as s:
        in_day = s.scalar(
            select(func.count(Mention.id)).where(
                Mention.published_at >= day.window.start, Mention.published_at < day.window.end
            )
        )
    assert day.total == in_day and 0 < in_day < EXPECTED["day_total"]


def test_bad_filters_are_named_and_dropped() -> None:
    f = DashFilter.from_params({"range": "1y", "agency": "x", "region": "Samarinda"})
    assert f.range == "7d" and f.agency_id is None and f.region is None
    assert len(f.errors) == 3 and "agency: 'x' bukan angka" in f.errors


def test_issue_detail_timeline_marks_and_voices(sample_db: Database) -> None:
    with sample_db.session() as s:
        issue = s.scalar(select(Issue).where(Issue.label.like("Banjir%")))
        d = issue_detail(s, issue, TZ)
    assert d.timeline.total("social") == 17 and d.timeline.total("news") == 5
    assert d.sentiment.total("negative") == 11
    # first social post 06.00 WITA on the 19th (the day before), first news 14.00 WITA the 20th
    assert d.first_social_key == "2026-11-19 06" and d.first_news_key == "2026-11-20 14"
    assert d.outlets[0].name == "Kaltim Post" and d.outlets[0].mentions == 3
    assert len(d.authors) == 10 and d.authors[0].reach >= d.authors[-1].reach
    assert d.top_mentions[0].engagement == 110  # the most liked post comes first
    assert [r.label for r in d.related] == ["Harga cabai naik di pasar Samarinda"]
    assert [(c, n) for c, _, n in d.regions] == [("64.72", 22)]


def test_rollup_follows_inserts_updates_and_deletes(sample_db: Database) -> None:
    from sqlalchemy import delete

    from pantau.store.reports_models import MentionRollup as R

    with sample_db.writer() as s:
        moved = s.scalars(select(Mention).where(Mention.text.like("Harga cabai%"))).all()
        for m in moved[:2]:
            m.issue_id, m.sentiment = None, "negative"  # the issues stage re-clusters
            m.regions = ["64.71.01", {"code": "64.72"}, "64.72.05"]
        s.execute(delete(Mention).where(Mention.external_id == "m3"))
    with sample_db.session() as s:
        direct = dict(
            s.execute(
                select(Mention.channel.concat(Mention.sentiment), func.count()).group_by(
                    Mention.channel, Mention.sentiment
                )
            ).all()
        )
        rolled = {
            k: v
            for k, v in s.execute(
                select(R.channel.concat(R.sentiment), func.sum(R.n))
                .where(R.region == "*", R.issue_id == 0)
                .group_by(R.channel, R.sentiment)
            ).all()
            if v
        }
        per_issue = dict(
            s.execute(
                select(Mention.issue_id, func.count())
                .where(Mention.issue_id.is_not(None))
                .group_by(Mention.issue_id)
            ).all()
        )
        rolled_issue = dict(
            s.execute(
                select(R.issue_id, func.sum(R.n))
                .where(R.region == "*", R.issue_id != 0)
                .group_by(R.issue_id)
            ).all()
        )
        bpn = s.scalar(select(func.sum(R.n)).where(R.region == "64.71", R.issue_id == 0))
    assert rolled == direct
    assert {k: v for k, v in rolled_issue.items() if v} == per_issue
    assert bpn == 10  # eight, plus the two moved mentions (counted once each)


def test_issue_counts_follow_the_filters_and_closed_issues_leave_the_ranking(
    sample_db: Database,
) -> None:
    with sample_db.session() as s:
        bpn = overview(s, DashFilter.from_params({"region": "64.71"}), TZ)
    assert (bpn.active_issues, bpn.crises) == (1, 0)  # Balikpapan has only the road issue
    with sample_db.writer() as s:
        flood = s.scalar(select(Issue).where(Issue.label == "Banjir di Sempaja Samarinda"))
        flood.status = "selesai"
    with sample_db.session() as s:
        ov = overview(s, DashFilter(), TZ)
    assert "Banjir di Sempaja Samarinda" not in [r.label for r in ov.top + ov.crossovers]
    assert (ov.active_issues, ov.crises) == (2, 0)


def test_search_filters_count_alike_on_both_backends(sample_db: Database) -> None:
    from pantau.store.search import MentionFilter, count_mentions, search_mentions

    cases = [
        (MentionFilter(region="64.71"), 8),
        (MentionFilter(region="64.72", sentiment="neutral"), 11),
        (MentionFilter(outlet="Kaltim Post"), 7),
        (MentionFilter(author="warga9", q="banjir -sempaja"), 0),
        (MentionFilter(q="banjir -warga9"), 17),
        (MentionFilter(q='"jalan rusak" OR cabai', channel="news"), 4),
    ]
    with sample_db.session() as s:
        for f, expected in cases:
            assert count_mentions(s, f) == expected, f
            assert len(search_mentions(s, f, limit=100)) == expected, f
            assert count_mentions(s, f, cap=5) == min(expected, 6), f


def test_every_overview_filter_counts_what_the_mentions_say(sample_db: Database) -> None:
    """Rollup (sentiment, issue, language, noise) and mention (author, outlet) paths agree
    with a plain count; language and noise set after storing reach the rollup by trigger."""
    from pantau.store.search import MentionFilter, count_mentions, mention_conditions

    with sample_db.writer() as s:
        for m in s.scalars(select(Mention).order_by(Mention.id)):
            m.lang = "en" if m.id % 5 == 0 else "id"
            m.noise = "judi" if m.id % 7 == 0 else None
        flood = s.scalar(select(Issue.id).where(Issue.label.like("Banjir%")))
    cases = {
        "sentiment=negative": (MentionFilter(sentiment="negative"), True),
        f"issue={flood}&region=64.72": (MentionFilter(issue_id=flood, region="64.72"), True),
        "lang=en&channel=social": (MentionFilter(lang="en", channel="social"), True),
        "noise=hide": (MentionFilter(noise="hide"), True),
        "noise=only&sentiment=neutral": (MentionFilter(noise="only", sentiment="neutral"), True),
        "author=warga9": (MentionFilter(author="warga9"), False),
        "outlet=Kaltim Post&lang=id": (MentionFilter(outlet="Kaltim Post", lang="id"), False),
    }
    with sample_db.session() as s:
        for query, (mf, by_rollup) in cases.items():
            f = DashFilter.from_params(dict(p.split("=") for p in query.split("&")))
            assert not f.errors and f.by_mention_only is not by_rollup, query
            ov = overview(s, f, TZ)
            mf.since, mf.until = ov.window.start, ov.window.end
            expected = count_mentions(s, mf)
            assert ov.total == expected > 0, query
            assert sum(ov.by_sentiment.values()) == expected, query
            issues = {r.id for r in ov.top}
            with_mentions = set(
                s.scalars(
                    select(Mention.issue_id).where(
                        *mention_conditions(s, mf), Mention.issue_id.is_not(None)
                    )
                )
            )
            assert issues == with_mentions, query
            before = ov.window.previous()
            mf.since, mf.until = before.start, before.end
            assert ov.previous_total == count_mentions(s, mf), query


@pytest.mark.parametrize("query", ["sentiment=negative", "region=64.72&range=30d"])
def test_the_mentions_count_a_view_as_the_rollup_does(
    sample_db: Database, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """The one-pass count of the mentions (watchlist, author, outlet, kecamatan views), with the
    issue list kept in Python, gives every figure the rollup gives for the same filter."""
    module = sys.modules[overview.__module__]  # the package exports the function by that name
    f = DashFilter.from_params(dict(p.split("=") for p in query.split("&")))
    with sample_db.session() as s:
        by_rollup = overview(s, f, TZ)
        monkeypatch.setattr(module, "rollup_scope", lambda *_, **__: None)
        monkeypatch.setattr(module, "MANY_IDS", 0)  # every matching issue kept in Python
        by_mentions = overview(s, f, TZ)
    for name in ("total", "previous_total", "by_channel", "by_sentiment", "previous_sentiment",
                 "previous_volume", "regions", "active_issues", "crises"):  # fmt: skip
        assert getattr(by_mentions, name) == getattr(by_rollup, name), (query, name)
    assert by_mentions.volume.lines == by_rollup.volume.lines
    assert [r.id for r in by_mentions.top] == [r.id for r in by_rollup.top] != []
    assert [r.id for r in by_mentions.crossovers] == [r.id for r in by_rollup.crossovers]


def test_the_mentions_place_an_analysis_as_the_rollup_does(
    sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Places now, before and their issues from the one-pass count of the mentions (kecamatan
    and author views) are the rollup's for the same filter."""
    from pantau.reports.analysis import analysis

    module = sys.modules[analysis.__module__]
    f = DashFilter.from_params({"range": "30d", "sentiment": "negative"})
    with sample_db.session() as s:
        by_rollup = analysis(s, f, TZ)
        monkeypatch.setattr(module, "rollup_scope", lambda *_: None)
        by_mentions = analysis(s, f, TZ)

    def places(an: object) -> list[tuple[str, int, int, int]]:
        return [(p.key, p.now, p.before, p.issues) for p in an.places]  # type: ignore[attr-defined]

    assert places(by_mentions) == places(by_rollup) != []


def test_custom_dates_compare_with_the_days_before(sample_db: Database) -> None:
    with sample_db.session() as s:
        day = overview(
            s, DashFilter.from_params({"since": "2026-11-20", "until": "2026-11-20"}), TZ
        )
        both = overview(
            s, DashFilter.from_params({"since": "2026-11-19", "until": "2026-11-20"}), TZ
        )
    assert day.filter.range == "custom" and day.window.bucket_hours == 1
    assert day.window.start.isoformat() == "2026-11-19T16:00:00+00:00"  # 00.00 WITA
    assert day.total == EXPECTED["day_total"]
    assert day.previous_total == EXPECTED["previous_total"]  # the day before, same length
    assert day.previous_sentiment == {"neutral": 5} and day.previous_negative_share == 0.0
    assert len(day.previous_volume) == 24 and sum(day.previous_volume) == 5
    assert both.total == EXPECTED["day_total"] + EXPECTED["previous_total"]
    swapped = DashFilter.from_params({"since": "2026-11-20", "until": "2026-11-01"})
    assert (swapped.since, swapped.until) == (date(2026, 11, 1), date(2026, 11, 20))
    assert swapped.errors and "since" in swapped.errors[0]


def test_analysis_places_voices_and_the_period_before(sample_db: Database) -> None:
    from pantau.reports.analysis import analysis

    with sample_db.writer() as s:  # two flood posts placed in a kecamatan of Samarinda
        for m in s.scalars(select(Mention).where(Mention.author == "warga9").limit(2)):
            m.regions = ["64.72.01"]
    day = {"since": "2026-11-20", "until": "2026-11-20"}
    with sample_db.session() as s:
        an = analysis(s, DashFilter.from_params(day), TZ)
        samarinda = analysis(s, DashFilter.from_params({"region": "64.72"}), TZ)
        by_author = analysis(s, DashFilter.from_params({**day, "author": "warga1"}), TZ)
    assert (an.total, an.previous_total) == (EXPECTED["day_total"], EXPECTED["previous_total"])
    places = {p.key: (p.now, p.before, p.issues) for p in an.places}
    assert places == {"64.72": (21, 5, 2), "64.71": (8, 0, 1)}
    assert an.places[0].lat is not None  # Samarinda's seat is shipped
    assert {c.key: (c.now, c.before) for c in an.channels} == {
        "social": (18, 5),
        "news": (9, 0),
        "complaint": (2, 0),
    }
    assert [(o.key, o.now) for o in an.outlets] == [("Kaltim Post", 7), ("Tribun Kaltim", 2)]
    assert an.share(an.outlets, an.outlets[0]) == 7 / 9
    assert an.authors[0].name.startswith("warga") and an.authors[0].mentions == 3
    assert samarinda.level == "kecamatan"
    assert [(p.key, p.now) for p in samarinda.places] == [("64.72.01", 2)]
    assert by_author.total == 3 and [a.name for a in by_author.authors] == ["warga1"]
