"""A cluster that holds two stories from its first posts is split, and the issues follow.

Two stories that start together (their first posts name both: a flood and the water utility's
outage in one city) grow as one cluster; once it is big enough its posts are bisected and the
part that is another story becomes its own issue: the split issue keeps its id, stage and
alerts, the new part starts unraised and alerts on its own rise, and every consumer (the
clusterer's snapshot, ``pantau replay``, the crisis scorer) sees the moved posts where they are.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.issues import IssueTracker, Mention
from pantau.issues.cluster_splitting import SPLIT_MIN_DOCS, _tells_apart, bisect_members
from pantau.issues.clustering import OnlineClusterer, _member, _member_state
from pantau.issues.corrections import regroup
from pantau.issues.evaluation import CrisisScorer
from pantau.issues.features import bag, tokens
from pantau.issues.summary import IssueState
from pantau.issues.tracker import moved_by_splits

_load()

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
FLOOD = [
    "banjir",
    "rendam",
    "rumah",
    "warga",
    "sempaja",
    "setinggi",
    "lutut",
    "pengungsi",
    "posko",
    "perahu",
]
WATER = [
    "pdam",
    "mati",
    "keruh",
    "pelanggan",
    "tagihan",
    "pipa",
    "bocor",
    "tandon",
    "sumur",
    "antre",
]
PAIR = 72  # posts of the two stories together


def _text(words: list[str], i: int) -> str:
    keep = [w for j, w in enumerate(words) if (i + j) % 3]  # each post drops some words
    return " ".join(keep + (["samarinda"] if i % 4 < 2 else []))


def pair_stream() -> list[tuple[str, str, str]]:
    """(id, story, text): two posts naming both stories, then the two in turn."""
    both = " ".join([*FLOOD[:4], *WATER[:4], "samarinda"])
    out = [("ab0", "both", both), ("ab1", "both", both)]
    for i in range(PAIR - 2):
        story, words = ("flood", FLOOD) if i % 2 else ("water", WATER)
        out.append((f"{story}{i}", story, _text(words, i)))
    return out


def one_story(n: int) -> list[dict[str, int]]:
    """``n`` posts of one flood story told in varied words."""
    return [bag(tokens(_text(FLOOD, i))) for i in range(n)]


def _cluster(rows: list[tuple[str, str, str]], c: OnlineClusterer) -> dict[str, int]:
    where: dict[str, int] = {}
    for t, (key, _story, text) in enumerate(rows):
        d = c.update(bag(tokens(text)), t * 60.0, (), key)
        where[key] = d.cluster
        for _kept, new, moved in d.splits:
            where.update(dict.fromkeys(moved, new))
    return where


def test_a_cluster_of_two_stories_is_split_and_the_older_part_keeps_its_id() -> None:
    rows = pair_stream()
    c = OnlineClusterer()
    first = c.update(bag(tokens(rows[0][2])), 0.0, (), rows[0][0]).cluster
    splits = []
    for t, (key, _story, text) in enumerate(rows[1:], start=1):
        d = c.update(bag(tokens(text)), t * 60.0, (), key)
        assert d.cluster in c.clusters
        splits.extend(d.splits)
    [(kept, new, moved)] = splits
    assert kept == first and new != first
    story = {key: s for key, s, _ in rows}
    assert {story[k] for k in moved} == {"water"}  # the moved part is one story
    kept_times = sorted(m[1] for m in c.clusters[kept].members or ())
    new_times = sorted(m[1] for m in c.clusters[new].members or ())
    assert kept_times[len(kept_times) // 2] <= new_times[len(new_times) // 2]
    assert c.clusters[kept].docs + c.clusters[new].docs == len(rows)
    # the statistics are the members' exactly: the index and counts were rebuilt
    for cid in (kept, new):
        cf = c.clusters[cid]
        assert cf.members is not None and len(cf.members) == cf.docs
        counts: dict[str, int] = {}
        for _k, _t, words, _p, _c, _l in cf.members:
            for w, v in words.items():
                counts[w] = counts.get(w, 0) + v
        assert cf.counts == counts and cf.sumsq == sum(v * v for v in counts.values())
        assert all(cid in c.postings[w] for w in counts)
    assert c.live_docs == len(rows)
    assert "pdam" not in c.clusters[kept].counts or c.clusters[kept].counts["pdam"] <= 2


def test_one_story_told_in_varied_words_is_never_split() -> None:
    c = OnlineClusterer()
    decisions = [c.update(words, t * 60.0, (), str(t)) for t, words in enumerate(one_story(130))]
    assert not [d for d in decisions if d.splits]
    assert len({d.cluster for d in decisions}) == 1


def test_bisection_finds_the_two_stories_of_a_pair() -> None:
    members = [
        (key, 0.0, bag(tokens(text)), (), "social", False) for key, _s, text in pair_stream()[:32]
    ]
    counts: dict[str, int] = {}
    for m in members:
        for w, v in m[2].items():
            counts[w] = counts.get(w, 0) + v
    side = bisect_members(members, counts)
    stories = [s for _k, s, _t in pair_stream()[:32]]
    flood = {sd for sd, s in zip(side, stories, strict=True) if s == "flood"}
    water = {sd for sd, s in zip(side, stories, strict=True) if s == "water"}
    assert len(flood) == 1 and len(water) == 1 and flood != water


def test_a_snapshot_keeps_the_members_and_resumes_with_the_same_split() -> None:
    rows = pair_stream()
    whole = _cluster(rows, OnlineClusterer())
    first = OnlineClusterer()
    half = SPLIT_MIN_DOCS + 2  # before the split, after the first bisection
    where = _cluster(rows[:half], first)
    resumed = OnlineClusterer.restore(json.loads(json.dumps(first.snapshot())))
    for t, (key, _story, text) in enumerate(rows[half:], start=half):
        d = resumed.update(bag(tokens(text)), t * 60.0, (), key)
        where[key] = d.cluster
        for _kept, new, moved in d.splits:
            where.update(dict.fromkeys(moved, new))
    assert where == whole
    assert len(set(whole.values())) == 2


def test_kept_documents_come_back_from_a_snapshot_exactly() -> None:
    """A kept document's words are written out ("rob rob banjir"); they come back with their
    counts in their order, and counts that words cannot carry stay a mapping, as older
    snapshots have them."""
    kept = [
        ("a", 1.5, {"rob": 2, "banjir": 1}, ("64.72.01",), "social", True),
        ("b", 2.0, {"banjir": 1, "rob": 1}, (), "news", False),
        ("c", 3.0, {}, (), "social", False),
        ("d", 4.0, {"kata berspasi": 1, "rob": 1}, (), "social", True),
        ("e", 5.0, {"": 2}, (), "social", False),
    ]
    written = [_member_state(m) for m in kept]
    assert written[0][2] == "rob rob banjir" and written[1][2] == "banjir rob"
    assert [type(w[2]) for w in written[2:]] == [dict, dict, dict]
    back = [_member(m) for m in json.loads(json.dumps(written))]
    assert back == kept
    assert [list(m[2]) for m in back] == [list(m[2]) for m in kept]  # the order too
    old = ["f", 6.0, {"banjir": 1}, ["64.72"], "social"]  # a snapshot from before
    assert _member(old) == ("f", 6.0, {"banjir": 1}, ("64.72",), "social", False)


def test_a_split_recounts_the_linked_posts_of_both_parts() -> None:
    """Whether a post carries a link travels with it as a member, so each part of a split
    counts its own linked posts (what the tracker reads against the stream's link share)."""
    state = IssueState("isu-1", 0.0, 0.0)
    posts = [(float(i), "social", i % 3 == 0) for i in range(9)]  # posts 0, 3 and 6 link
    for t, _channel, linked in posts:
        text = "banjir sempaja" + (" https://t.co/x" if linked else "")
        state.add(Mention(f"m{t}", text, T0), t, ["banjir", "sempaja"], set())
    assert state.linked == 3
    fresh = state.split_off("isu-2", posts[5:], posts[:5], {"banjir": 4}, {"banjir": 5})
    assert (state.size, state.linked, fresh.size, fresh.linked) == (5, 2, 4, 1)
    state.absorb(fresh)
    assert (state.size, state.linked) == (9, 3)


def test_members_from_a_snapshot_before_links_count_as_unlinked() -> None:
    c = OnlineClusterer()
    c.update(bag(tokens("banjir sempaja https://t.co/x")), 0.0, (), "a", "social", True)
    c.update(bag(tokens("banjir sempaja lagi")), 60.0, (), "b", "social", False)
    state = json.loads(json.dumps(c.snapshot()))
    assert [m[5] for m in state["clusters"][0][8]] == [True, False]
    for cluster in state["clusters"]:
        cluster[8] = [m[:5] for m in cluster[8]]  # as written before members kept links
    restored = OnlineClusterer.restore(state)
    assert [m[5] for m in restored.clusters[1].members or ()] == [False, False]


def late_story_stream() -> list[tuple[str, str, str]]:
    """(id, story, text): two posts naming both stories, the flood's ten, then the outage's
    posts, which join the flood's issue through the first two."""
    both = " ".join([*FLOOD[:4], *WATER[:4], "samarinda"])
    out = [("ab0", "both", both), ("ab1", "both", both)]
    out += [(f"flood{i}", "flood", _text(FLOOD, i)) for i in range(10)]
    return out + [(f"water{i}", "water", _text(WATER, i)) for i in range(PAIR - 12)]


def _mentions() -> list[Mention]:
    return [
        Mention(key, text, T0 + timedelta(minutes=5 * n))
        for n, (key, _story, text) in enumerate(pair_stream())
    ]


def test_the_tracker_splits_the_issue_and_the_new_part_alerts_on_its_own() -> None:
    t = IssueTracker()
    alerts, splits = [], []
    for m in _mentions():
        t.update(m)
        alerts += t.drain_alerts()
        splits += t.drain_splits()
    [(_, source, new, moved)] = splits
    assert source == "isu-1" and new != source
    assert [a.issue for a in alerts] == [source, new]  # each story raised once
    assert t.states[source].stage == "emerging" and t.states[new].stage == "emerging"
    assert t.states[source].size + t.states[new].size == PAIR
    assert t.detector.totals[source] == t.states[source].size
    assert t.detector.totals[new] == t.states[new].size
    assert sum(t.states[source].buckets.values()) == t.states[source].size
    assert sum(t.states[new].buckets.values()) == t.states[new].size
    assert "pdam" in (t.summary(new).label or "")  # type: ignore[union-attr]
    assert "pdam" not in (t.summary(source).label or "")  # type: ignore[union-attr]
    assert all(key.startswith("water") or key == "ab1" for key in moved)


def test_replay_reports_a_moved_post_in_the_issue_it_was_moved_to(tmp_path: Path) -> None:
    stream, out = tmp_path / "pair.jsonl", tmp_path / "assign.jsonl"
    stream.write_text(
        "".join(
            json.dumps({"id": m.id, "text": m.text, "published_at": m.published_at.isoformat()})
            + "\n"
            for m in _mentions()
            if m.published_at is not None
        )
    )
    result = CliRunner().invoke(app, ["replay", str(stream), "--assignments", str(out)])
    assert result.exit_code == 0, result.output
    got = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    story = {key: s for key, s, _ in pair_stream()}
    final = {s: {got[k]["issue"] for k in got if story[k] == s} for s in ("flood", "water")}
    assert len(final["flood"]) == 1 and len(final["water"]) == 1
    assert final["flood"] != final["water"]
    # early water posts arrived in the flood's issue and were moved
    assert any(got[k]["first_issue"] != got[k]["issue"] for k in got if story[k] == "water")


def test_the_crisis_scorer_moves_the_votes_of_split_posts() -> None:
    scorer = CrisisScorer()
    for crisis in ("flood", "flood", "water", "water", "water"):
        scorer.observe("isu-1", crisis, T0)
    scorer.split("isu-1", "isu-2", ["water", "water", "water"])
    scorer.alert("isu-1", T0)
    scorer.alert("isu-2", T0)
    report = scorer.report()
    assert report.alerted_issues == {"flood": 1, "water": 1}
    assert report.noise_issues == 0


def test_a_story_beside_chatter_with_no_word_of_its_own_is_not_a_group() -> None:
    story = [(str(i), 0.0, bag(tokens(_text(FLOOD, i))), (), "social") for i in range(10)]
    chatter = [
        (f"c{i}", 0.0, {f"kata{i}": 1, f"lain{i}": 1, "samarinda": 1}, (), "social")
        for i in range(10)
    ]
    assert _tells_apart(story, chatter)  # "banjir" is in most of the story, none of the chatter
    assert not _tells_apart(chatter, story)  # only "samarinda", which the story holds too
    water = [(f"w{i}", 0.0, bag(tokens(_text(WATER, i))), (), "social") for i in range(10)]
    assert _tells_apart(story, water) and _tells_apart(water, story)


def test_a_tracker_resumed_from_a_snapshot_splits_as_the_uninterrupted_one() -> None:
    mentions = _mentions()
    whole = IssueTracker()
    expected = [whole.update(m).issue for m in mentions]
    first = IssueTracker()
    half = SPLIT_MIN_DOCS - 4  # the split comes after the restart
    got = [first.update(m).issue for m in mentions[:half]]
    resumed = IssueTracker.restore(json.loads(json.dumps(first.snapshot())))
    got += [resumed.update(m).issue for m in mentions[half:]]
    assert got == expected
    assert resumed.drain_splits() == whole.drain_splits() != []
    assert {k: s.size for k, s in resumed.states.items()} == {
        k: s.size for k, s in whole.states.items()
    }


def test_a_later_story_that_joined_a_raised_issue_is_split_off_and_alerts_on_its_own() -> None:
    t = IssueTracker()
    raised: list[str] = []
    splits = []
    for n, (key, _story, text) in enumerate(late_story_stream()):
        t.update(Mention(key, text, T0 + timedelta(minutes=5 * n)))
        raised += [a.issue for a in t.drain_alerts()]
        splits += t.drain_splits()
    [(_, source, new, moved)] = splits
    # the flood was raised first and keeps its id; the outage, the larger but later part,
    # is the new issue and is raised in its turn (it would have stayed unraised inside the
    # flood's issue had the larger part kept the id)
    assert list(dict.fromkeys(raised)) == [source, new]
    assert {key.rstrip("0123456789") for key in moved} == {"water"}
    assert t.states[source].size < t.states[new].size


def test_an_issue_a_person_regrouped_is_never_split_by_the_machine() -> None:
    t = IssueTracker()
    mentions = _mentions()
    head = 20
    for m in mentions[:head]:
        t.update(m)
    issue = regroup(t, "isu-1", mentions[:head])  # a person says these belong together
    t.clusterer.pending.clear()
    for m in mentions[head:]:
        t.update(m)
    assert t.drain_splits() == []
    cluster = t.clusterer.clusters[int(issue.rpartition("-")[2])]
    assert cluster.docs == t.states[issue].size


def test_each_part_of_a_split_shows_its_own_first_social_post_first_news_and_lag() -> None:
    t = IssueTracker()
    at: dict[str, datetime] = {}
    arrived: dict[str, str] = {}
    for n, (key, _story, text) in enumerate(pair_stream()):
        when = at[key] = T0 + timedelta(minutes=5 * n)
        arrived[key] = t.update(Mention(key, text, when)).issue or ""
        if n == 50:  # the outage reaches the news after the split, the flood never does
            title = "PDAM: pipa bocor, air keruh di Samarinda"
            at["news"] = when + timedelta(minutes=1)
            news = Mention("news", f"{title} tandon sumur", at["news"], "news", title)
            arrived["news"] = t.update(news).issue or ""
    splits = t.drain_splits()
    [(_, source, new, _moved)] = splits
    moved = moved_by_splits(splits)
    final = {k: t.resolve(moved.get(k, issue)) for k, issue in arrived.items()}
    for issue in (source, new):
        social = [at[k] for k in at if final[k] == issue and k != "news"]
        state = t.states[issue]
        assert state.first_social == state.first_seen == min(social).timestamp()
        assert state.channels["social"] == len(social) == state.size - (final["news"] == issue)
    water, flood = (final["news"], source if final["news"] == new else new)
    assert "pdam" in (t.summary(water).label or "")  # type: ignore[union-attr]
    assert t.states[water].first_news == at["news"].timestamp()
    first_social = t.states[water].first_social or 0.0
    assert t.states[water].lead_time == at["news"].timestamp() - first_social
    assert t.states[flood].first_news is None and t.states[flood].lead_time == 0.0
