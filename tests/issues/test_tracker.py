"""The tracker: assignments, alerts with reasons, weights as settings, snapshots, bounded memory."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pantau.issues import IssueTracker, Mention
from pantau.issues.detection import Burst
from pantau.issues.generator import DEFAULT_ISSUES, generate_stream
from pantau.issues.risk import components
from pantau.settings import Settings

T0 = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
FLOOD = "banjir setinggi lutut rendam perumahan warga {i} di Sempaja, warga mengungsi"


def _flood(n: int, start: datetime = T0, **extra: object) -> list[Mention]:
    return [
        Mention(f"f{i}", FLOOD.format(i=i), start + timedelta(minutes=3 * i), **extra)  # type: ignore[arg-type]
        for i in range(n)
    ]


def test_a_rising_issue_raises_one_emerging_alert_with_reasons() -> None:
    tracker = IssueTracker(Settings.from_env({}))
    assignments, alerts = tracker.process(_flood(8))
    assert len({a.issue for a in assignments}) == 1
    stage_alerts = [a for a in alerts if a.kind == "stage"]
    assert [a.stage for a in stage_alerts] == ["emerging"]
    alert = stage_alerts[0].to_dict()
    assert set(alert) >= {"issue", "raised_at", "stage", "risk", "reasons", "first_seen", "size"}
    assert 0 < alert["risk"] <= 100
    parts = {r["component"]: r for r in alert["reasons"]}
    assert {"volume", "growth", "sensitive", "burst"} <= set(parts)
    assert "bencana" in parts["sensitive"]["text"]  # the reason is written in Indonesian
    assert parts["burst"]["recent"] >= 5 and parts["volume"]["points"] > 0
    assert alert["raised_at"].startswith("2025-03-01T01:")


ROAD = "jalan poros Sangatta rusak parah berlubang {i}, truk batu bara lewat, kapan diperbaiki"


def test_a_slow_burn_is_raised_by_the_day_and_says_so() -> None:
    """One complaint every two hours about one road never makes a short-window burst; the
    day-long window raises it, and the alert's first reason is the day's count."""
    # a plain road, no region or reach: risk 17; the short window keeps its width, since this
    # stream holds nothing but the road (the thin-stream widening has its own test)
    floor = {"PANTAU_ISSUES_ALERT_MIN_RISK": "10", "PANTAU_ISSUES_REFERENCE_RATE": "0"}
    tracker = IssueTracker(Settings.from_env(floor))
    road = [
        Mention(f"j{i}", ROAD.format(i=i), T0 + timedelta(hours=2 * i), channel="complaint",
                sentiment="negative")
        for i in range(14)
    ]  # fmt: skip
    quiet = IssueTracker(Settings.from_env({**floor, "PANTAU_ISSUES_DAY_SUPPORT": "1000"}))
    assert [a for a in quiet.process(road)[1] if a.kind == "stage"] == []
    assignments, alerts = tracker.process(road)
    assert len({a.issue for a in assignments}) == 1
    stage = [a.to_dict() for a in alerts if a.kind == "stage"]
    assert [a["stage"] for a in stage] == ["emerging"]
    first = stage[0]["reasons"][0]
    assert first["component"] == "burst" and first["recent"] < 4 and first["day"] >= 10
    assert "24 jam" in first["text"]


def _first_alert(rows: list[dict], env: dict[str, str]) -> tuple[int | None, int]:
    """Planted posts published by the planted issue's first stage alert, and noise alerts."""
    tracker = IssueTracker(Settings.from_env(env))
    truths: dict[str | None, list[str | None]] = {}
    planted, first, noise = 0, None, 0
    for row in rows:
        issue = tracker.update(Mention.from_dict(row)).issue
        truths.setdefault(issue, []).append(row["truth"])
        planted += row["truth"] is not None
        for alert in tracker.drain_alerts():
            if alert.kind == "stage" and any(truths[alert.issue]):
                first = planted if first is None else first
            elif alert.kind == "stage":
                noise += 1
    return first, noise


def test_a_thin_stream_raises_its_issue_as_soon_as_a_busy_one_would() -> None:
    """Six posts an hour (a small kabupaten, a sampled export) and a flood posted one and a
    half times an hour: the short window widens with the thin stream and raises the flood at
    its fifth post, where the plain half hour waits for the day-long window (ten)."""
    flood = replace(DEFAULT_ISSUES[0], posts_per_hour=1.5, growth=1.0, news_items=0)
    rows = generate_stream(seed=4, hours=30, background_per_hour=6, issues=[flood])
    first, noise = _first_alert(rows, {})
    plain, plain_noise = _first_alert(rows, {"PANTAU_ISSUES_REFERENCE_RATE": "0"})
    assert first is not None and plain is not None
    assert first <= 5 < plain
    assert noise == plain_noise == 0


def test_a_big_issue_that_never_emerged_emerges_when_it_rises_again() -> None:
    """A road complained about twelve times a day for four days grows past the current size
    without ever being raised (a plain, steady issue: low risk); when a collapse brings forty
    angry posts in two hours it emerges, however big it already is."""
    tracker = IssueTracker(Settings.from_env({}))
    steady = [Mention(f"r{i}", ROAD.format(i=i), T0 + timedelta(hours=2 * i)) for i in range(48)]
    _, alerts = tracker.process(steady)
    assert alerts == [] and len(tracker.states) == 1
    [issue] = tracker.states
    assert tracker.states[issue].size >= 40
    start = T0 + timedelta(hours=96)
    collapse = [
        Mention(f"c{i}", ROAD.format(i=100 + i) + " ambles, truk terguling", start +
                timedelta(minutes=3 * i), sentiment="negative")
        for i in range(40)
    ]  # fmt: skip
    assignments, alerts = tracker.process(collapse)
    assert {a.issue for a in assignments} == {issue}
    stage = [a for a in alerts if a.kind == "stage"]
    assert stage and stage[0].stage == "emerging" and stage[0].size > 48


def test_a_flood_weeks_after_the_first_opens_its_own_issue_that_names_the_first() -> None:
    """Episodes: a raised flood (thirty posts in its busiest day) calms down to a post a day;
    two days on its episode is closed, so the next flood three weeks later, in the same words,
    opens a new issue and is raised again, "muncul kembali", naming the first as its earlier
    episode, while the daily posts about the first flood no longer join anything raised."""
    tracker = IssueTracker(Settings.from_env({}))
    first = _flood(30)
    _, alerts = tracker.process(first)
    [old] = {a.issue for a in alerts}
    calm = [
        Mention(f"t{i}", FLOOD.format(i=200 + i), T0 + timedelta(hours=24 * (i + 1)))
        for i in range(20)
    ]  # the first flood still mentioned daily through three weeks
    trickle, _ = tracker.process(calm)
    assert tracker.summary(old) is None  # closed, not in memory: its summary went to the store
    assert old in {r.id for r in tracker.drain_retired()}
    assert old not in {a.issue for a in trickle[-5:]}
    again = _flood(30, start=T0 + timedelta(weeks=3, hours=2))
    restored = IssueTracker.restore(json.loads(json.dumps(tracker.snapshot())))
    for t in (tracker, restored):
        assignments, alerts = t.process([Mention(f"b{m.id}", m.text, m.published_at)
                                         for m in again])  # fmt: skip
        [new] = {a.issue for a in assignments[5:]}
        assert new != old
        stage = [a for a in alerts if a.kind == "stage"]
        assert stage and stage[0].issue == new
        episode = stage[0].reasons[0]
        assert episode["component"] == "episode" and episode["previous"] == old
        assert "muncul kembali" in episode["text"]
        summary = t.summary(new)
        assert summary is not None and summary.previous_episode == old


def test_risk_weights_come_from_settings() -> None:
    base = IssueTracker(Settings.from_env({}))
    heavy = IssueTracker(Settings.from_env({"PANTAU_ISSUES_RISK_WEIGHTS": "sensitive=20"}))
    for tracker in (base, heavy):
        tracker.process(_flood(8))
    assert heavy.summaries()[0].risk > base.summaries()[0].risk


def test_negative_influential_coordinated_posts_score_higher() -> None:
    calm = IssueTracker(Settings.from_env({}))
    calm.process(_flood(10))
    loud = IssueTracker(Settings.from_env({}))
    same = "banjir setinggi lutut rendam perumahan warga Sempaja, pemkot diam saja"
    loud.process(
        Mention(
            f"c{i}",
            same,
            T0 + timedelta(minutes=3 * i),
            author=f"@akun{i}",
            author_followers=50_000,
            sentiment="negative",
            likes=500,
        )
        for i in range(10)
    )
    top = loud.summaries()[0]
    assert top.risk > calm.summaries()[0].risk
    assert top.coordinated_groups and len(top.coordinated_groups[0]) == 3
    assert top.sentiment == {"negative": 10}
    assert top.top_authors[0]["followers"] == 50_000


def test_snapshot_restore_continues_identically() -> None:
    rows = generate_stream(seed=5, hours=12, background_per_hour=40)
    mentions = [Mention.from_dict(r) for r in rows]
    half = len(mentions) // 2
    whole = IssueTracker(Settings.from_env({}))
    expected, expected_alerts = whole.process(mentions)
    first = IssueTracker(Settings.from_env({}))
    got, alerts = first.process(mentions[:half])
    state = json.loads(json.dumps(first.snapshot()))
    resumed = IssueTracker.restore(state, Settings.from_env({}))
    more, more_alerts = resumed.process(mentions[half:])
    assert [a.issue for a in got + more] == [a.issue for a in expected]
    assert [a.to_dict() for a in alerts + more_alerts] == [a.to_dict() for a in expected_alerts]


def test_a_snapshot_taken_stays_as_it_was_while_the_tracker_goes_on() -> None:
    """The snapshot shares nothing the tracker changes later (the pipeline writes it at the end
    of the batch's transaction; a test or a caller may keep it longer)."""
    mentions = [Mention.from_dict(r) for r in generate_stream(seed=3, hours=6)]
    tracker = IssueTracker(Settings.from_env({}))
    tracker.process(mentions[: len(mentions) // 2])
    snapshot = tracker.snapshot()
    written = json.dumps(snapshot)
    tracker.process(mentions[len(mentions) // 2 :])
    assert json.dumps(snapshot) == written
    assert json.dumps(tracker.snapshot()) != written


def test_idle_issues_retire_and_leave_a_summary() -> None:
    tracker = IssueTracker(Settings.from_env({"PANTAU_ISSUES_RETIRE_HOURS": "6"}))
    tracker.process(_flood(6))
    later = T0 + timedelta(days=2)
    tracker.update(Mention("x", "jembatan mahakam ditutup untuk perbaikan", later))
    retired = tracker.drain_retired()
    assert [s.size for s in retired] == [6] and retired[0].stage == "dormant"
    assert "banjir" in retired[0].key_phrases
    assert len(tracker.states) == 1 and len(tracker.clusterer.clusters) == 1


def test_summary_is_json_safe_and_complete() -> None:
    tracker = IssueTracker(Settings.from_env({}))
    tracker.process(_flood(6, regions=["64.72"], channel="complaint"))
    summary = tracker.summaries()[0].to_dict()
    json.dumps(summary)
    assert summary["channels"] == {"complaint": 6} and summary["regions"] == {"64.72": 6}
    assert summary["label"].startswith("banjir setinggi lutut")
    assert summary["first_seen"].startswith("2025-03-01T01:00")
    assert sum(summary["timeline"].values()) == 6


def test_posts_without_words_share_an_issue_that_is_never_raised() -> None:
    tracker = IssueTracker(Settings.from_env({}))
    posts = [
        Mention(f"e{i}", "https://t.co/x @akun 😡😡", T0 + timedelta(minutes=i)) for i in range(30)
    ]
    assignments, alerts = tracker.process(posts)
    assert len({a.issue for a in assignments}) == 1
    assert alerts == []


def test_noise_posts_never_join_or_open_an_issue() -> None:
    """A gambling promotion posted by many accounts bursts like an issue; flagged as noise by
    the analyzer it stays out of every issue, and a real flood beside it is untouched."""
    tracker = IssueTracker(Settings.from_env({}))
    judi = [
        Mention.from_dict({"id": f"j{i}", "text": f"slot gacor maxwin deposit pulsa {i}",
                           "published_at": (T0 + timedelta(minutes=i)).isoformat(),
                           "noise": "judi"})
        for i in range(30)
    ]  # fmt: skip
    flood = _flood(8)
    stream = sorted([*judi, *flood], key=lambda m: m.published_at or T0)
    assignments, alerts = tracker.process(stream)
    by_id = {a.id: a.issue for a in assignments}
    assert all(by_id[m.id] is None for m in judi)
    assert len({by_id[m.id] for m in flood}) == 1 and None not in {by_id[m.id] for m in flood}
    assert len(tracker.states) == 1
    assert {a.issue for a in alerts} == {by_id["f0"]}
    # the same posts without the flag are an issue of their own
    plain = IssueTracker(Settings.from_env({}))
    plain.process([Mention(m.id, m.text, m.published_at) for m in judi])
    assert len(plain.states) == 1


def test_a_raised_issue_keeps_its_stage_through_a_lull_until_it_goes_dormant() -> None:
    tracker = IssueTracker(Settings.from_env({}))
    _, alerts = tracker.process(_flood(8))
    assert [a.stage for a in alerts if a.kind == "stage"] == ["emerging"]
    [issue] = tracker.states
    # one more post three hours later: the burst has passed, but the issue is not "potential"
    # again (Hainsworth: potential -> emerging -> current -> crisis -> dormant)
    lull = T0 + timedelta(hours=3)
    tracker.update(Mention("late", FLOOD.format(i=99), lull))
    summary = tracker.summary(issue)
    assert summary is not None and summary.stage == "emerging"
    # after a long silence, only another stream event moves the clock: then it is dormant
    quiet = lull + timedelta(seconds=tracker.detector.dormant_after + 3600)
    tracker.update(Mention("other", "harga cabai rawit naik di pasar segiri", quiet))
    later = tracker.summary(issue)
    assert later is None or later.stage == "dormant"


def test_two_issues_of_one_city_are_not_joined_by_the_city_alone() -> None:
    """A flood in Sempaja and chili prices at Segiri share only the city's code (64.72): that
    is evidence of the same city, not of the same issue; kecamatan codes still count."""
    flood = [
        "banjir rendam rumah warga sempaja {i}",
        "genangan setinggi lutut di sempaja {i}",
        "banjir lagi sempaja jalan tergenang {i}",
    ]
    price = [
        "harga cabai rawit pasar segiri mahal {i}",
        "cabai rawit mahal banget segiri {i}",
        "harga cabai segiri tembus seratus ribu {i}",
    ]
    stream = []
    for i in range(30):
        at = T0 + timedelta(minutes=10 * i)
        stream.append(Mention(f"f{i}", flood[i % 3].format(i=i), at, regions=["64.72.05", "64.72"]))
        stream.append(
            Mention(
                f"p{i}",
                price[i % 3].format(i=i),
                at + timedelta(minutes=5),
                regions=["64.72.02", "64.72"],
            )
        )
    tracker = IssueTracker(Settings.from_env({}))
    assignments, _ = tracker.process(stream)
    issues = {a.id[0]: set() for a in assignments}
    for a in assignments:
        issues[a.id[0]].add(tracker.resolve(a.issue))
    assert len(issues["f"]) == 1 and len(issues["p"]) == 1
    assert issues["f"] != issues["p"]


def test_key_phrases_are_words_not_region_evidence() -> None:
    tracker = IssueTracker(Settings.from_env({}))
    tracker.process(_flood(8, regions=["64.72.05", "64.72"]))
    [summary] = tracker.summaries()
    assert "banjir" in summary.key_phrases
    assert not [p for p in summary.key_phrases if p.startswith("wilayah:")]


def test_key_phrases_are_written_as_people_write_them() -> None:
    """Clustering folds English plurals ("floods" -> "flood"), which also clips Indonesian words
    ending in -s ("poros" -> "poro", "dinas" -> "dina"); the key phrases show the words again."""
    tracker = IssueTracker(Settings.from_env({}))
    road = "jalan poros rusak, dinas PUPR diam {i}"
    tracker.process(
        [Mention(f"r{i}", road.format(i=i), T0 + timedelta(minutes=3 * i)) for i in range(8)]
    )
    [summary] = tracker.summaries()
    assert {"poros", "dinas"} <= set(summary.key_phrases)
    assert not {"poro", "dina"} & set(summary.key_phrases)


def test_two_mandates_that_share_an_everyday_word_are_raised_apart() -> None:
    """A PDAM outage is raised; hours later a flood rises whose posts also say "air" (water):
    the flood is raised as its own issue, not folded into or merged with the outage."""
    outage = [
        "air pdam mati, beli air galon {i}",
        "air pdam keruh, air tidak layak {i}",
        "air pdam tidak mengalir, mandi air galon {i}",
    ]
    flood = [
        "banjir sempaja belum surut, warga mengungsi {i}",
        "banjir sempaja setinggi lutut, air masuk rumah warga {i}",
        "banjir sempaja rendam rumah warga, air belum surut {i}",
    ]
    stream = [
        Mention(f"p{i}", outage[i % 3].format(i=i), T0 + timedelta(minutes=5 * i))
        for i in range(24)
    ]
    later = T0 + timedelta(hours=4)
    stream += [
        Mention(f"f{i}", flood[i % 3].format(i=i), later + timedelta(minutes=5 * i))
        for i in range(24)
    ]
    tracker = IssueTracker(Settings.from_env({}))
    assignments, alerts = tracker.process(stream)
    issues: dict[str, set[str]] = {"p": set(), "f": set()}
    for a in assignments:
        issues[a.id[0]].add(tracker.resolve(str(a.issue)))
    assert len(issues["p"]) == 1 and len(issues["f"]) == 1
    assert issues["p"] != issues["f"]
    raised = {a.issue for a in alerts if a.kind == "stage"}
    assert issues["p"] <= raised and issues["f"] <= raised


def test_on_a_thin_stream_the_volume_is_read_against_the_support_in_force() -> None:
    """Three posts in the window of a stream that needs three weigh what four weigh on a busy
    stream that needs four (the support scales with the stream, so does the volume): a sampled
    export's first posts reach the alert's risk as soon as a busy stream's would."""
    tracker = IssueTracker(Settings.from_env({"PANTAU_ISSUES_MIN_SUPPORT": "4"}))
    tracker.update(_flood(1)[0])
    state = next(iter(tracker.states.values()))
    burst = Burst(3, 0, 1.0, 2.0, 3.0, 3.0, 3, 0.7, support=3)
    thin = components(tracker.facts(state, burst))
    busy = components(tracker.facts(state, burst._replace(recent=4, support=4)))
    plain = components(tracker.facts(state, burst._replace(support=4)))
    assert thin["volume"] == busy["volume"] > plain["volume"]
    assert tracker.facts(state, burst)["recent"] == 3  # the reason still names the count


SLIDE = ["tanah", "longsor", "tebing", "jalan", "ambruk", "rumah", "tertimbun", "korban"]


def _slide(n: int, link: bool, start: datetime) -> list[Mention]:
    """A landslide told in varied words: each post two of eight words in turn, so no word is
    in half its posts (below MIN_COHESION); with ``link`` each post shares a source."""
    out = []
    for i in range(n):
        text = " ".join(SLIDE[(i + k) % len(SLIDE)] for k in range(2))
        text += f" https://t.co/l{i}" if link else ""
        out.append(Mention(f"s{i}", text, start + timedelta(minutes=7 * i)))
    return out


def _slide_stream(link: bool, chatter_links: bool = False) -> list[Mention]:
    rows = generate_stream(seed=3, hours=8, background_per_hour=6, issues=[])
    chatter = [Mention.from_dict(r) for r in rows]
    chatter = [  # the generator's chatter carries no links: give each one, if asked
        replace(m, text=f"{m.text} https://t.co/c{i}") if chatter_links else m
        for i, m in enumerate(chatter)
    ]
    start = min(m.published_at or T0 for m in chatter) + timedelta(hours=5)
    return sorted(chatter + _slide(12, link, start), key=lambda m: (m.published_at, m.id))


def _raised_slide(tracker: IssueTracker, mentions: list[Mention]) -> list[int]:
    """The landslide posts published by each stage alert of an issue holding them."""
    out, seen, holds = [], 0, set()
    for m in mentions:
        issue = tracker.update(m).issue
        if m.id.startswith("s"):
            seen += 1
            holds.add(tracker.resolve(issue or ""))
        out += [seen for a in tracker.drain_alerts() if a.kind == "stage" and a.issue in holds]
    return out


def test_an_event_told_in_varied_words_is_raised_when_its_posts_share_sources() -> None:
    """No word is in half the landslide's posts, so cohesion alone holds it back as it would
    a catch-all of chatter; but its posts carry links more often than the stream does (the
    chatter none), which chatter does not: it is raised at its fourth post. The same posts
    without links are never raised, nor is it when every post of the stream links."""
    linked = _slide_stream(link=True)
    assert _raised_slide(IssueTracker(Settings.from_env({})), linked) == [4]
    assert _raised_slide(IssueTracker(Settings.from_env({})), _slide_stream(link=False)) == []
    everywhere = _slide_stream(link=True, chatter_links=True)
    assert _raised_slide(IssueTracker(Settings.from_env({})), everywhere) == []
    # the stream's link share travels in snapshots: a resumed tracker raises it alike
    half = len(linked) // 2 + 6
    first, whole = IssueTracker(Settings.from_env({})), IssueTracker(Settings.from_env({}))
    first.process(linked[:half])
    whole.process(linked[:half])
    resumed = IssueTracker.restore(json.loads(json.dumps(first.snapshot())))
    assert (resumed.posts, resumed.linked_posts) == (first.posts, first.linked_posts)
    assert first.linked_posts > 0
    expected = [a.to_dict() for a in whole.process(linked[half:])[1]]
    assert [a.to_dict() for a in resumed.process(linked[half:])[1]] == expected != []
