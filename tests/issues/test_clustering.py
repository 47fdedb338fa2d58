"""The online clusterer: stories stay together, state survives a snapshot, memory is bounded."""

from __future__ import annotations

import json

import pytest

from pantau.issues.cluster_merging import FOLD_MAX_POSTINGS, LOOK_AFTER_DOCS, LOOK_AFTER_SECONDS
from pantau.issues.clustering import OnlineClusterer
from pantau.issues.features import bag, tokens

STORIES = {
    "banjir": "banjir rendam rumah warga sempaja air setinggi lutut pengungsi",
    "jalan": "jalan poros rusak berlubang kecelakaan motor malam tenggarong",
    "listrik": "listrik padam bergilir pln gardu gangguan pelanggan mengeluh bontang",
}


def _docs(n: int = 60) -> list[tuple[str, dict[str, int]]]:
    out = []
    for i in range(n):
        name = list(STORIES)[i % 3]
        words = STORIES[name].split()
        keep = [w for j, w in enumerate(words) if (i + j) % 4]  # each post drops some words
        out.append((name, bag(tokens(" ".join(keep)))))
    return out


def test_separate_stories_get_separate_clusters() -> None:
    c = OnlineClusterer()
    got: dict[str, set[int]] = {}
    for t, (name, words) in enumerate(_docs()):
        got.setdefault(name, set()).add(c.update(words, t * 60.0).cluster)
    assert all(len(ids) == 1 for ids in got.values()), got
    assert len(set().union(*got.values())) == 3


def test_same_input_same_output_and_snapshot_resumes_exactly() -> None:
    docs = _docs(90)
    whole = OnlineClusterer()
    expected = [whole.update(w, t * 60.0).cluster for t, (_, w) in enumerate(docs)]
    first = OnlineClusterer()
    part = [first.update(w, t * 60.0).cluster for t, (_, w) in enumerate(docs[:45])]
    state = json.loads(json.dumps(first.snapshot()))
    resumed = OnlineClusterer.restore(state)
    part += [resumed.update(w, (t + 45) * 60.0).cluster for t, (_, w) in enumerate(docs[45:])]
    assert part == expected


def test_retire_drops_idle_clusters_and_their_words() -> None:
    c = OnlineClusterer()
    old = c.update({"kebakaran": 1, "pasar": 1, "segiri": 1}, 0.0).cluster
    new = c.update({"demo": 1, "buruh": 1, "upah": 1}, 10 * 86400.0).cluster
    assert c.retire(86400.0) == [old]
    assert list(c.clusters) == [new]
    assert "kebakaran" not in c.postings and c.live_docs == 1


def test_merge_folds_counts_and_index_into_the_survivor() -> None:
    c = OnlineClusterer()
    a = c.update({"tambang": 1, "ilegal": 1, "kukar": 1}, 0.0).cluster
    b = c.update({"harga": 1, "cabai": 1, "pasar": 1}, 1.0).cluster
    assert a != b and c.cosine(a, b) == 0.0
    c.update({"tambang": 1, "ilegal": 1, "sungai": 1}, 2.0)
    assert c.merge(b, a) == (b, a)
    assert b not in c.clusters and c.clusters[a].docs == 3 and c.live_docs == 3
    assert c.postings["cabai"] == {a} and c.clusters[a].counts["tambang"] == 2
    assert c.clusters[a].top == 2 and 0 < c.clusters[a].cohesion <= 1


def test_growing_twin_clusters_merge_online() -> None:
    c = OnlineClusterer(merge_similarity=0.25)
    seen: list[tuple[int, int]] = []
    first = c.update({"tambang": 1, "ilegal": 1, "kukar": 1, "sungai": 1}, 0.0).cluster
    second = c.update({"batu": 1, "bara": 1, "lubang": 1, "bekas": 1, "korban": 1}, 1.0).cluster
    assert first != second
    for i in range(12):  # posts that talk about both: the two stories converge
        words = {"tambang": 1, "ilegal": 1, "batu": 1, "bara": 1, "lubang": 1, "kukar": 1}
        seen.extend(c.update(words, 2.0 + i).merges)
    assert seen and all(gone != into for gone, into in seen)
    assert len(c.clusters) == 1


def _cluster(c: OnlineClusterer, docs: list[dict[str, int]], places: tuple[str, ...] = ()) -> int:
    """Feed ``docs`` (each opening or joining one cluster) and return the last one's cluster."""
    return [c.update(words, float(t), places).cluster for t, words in enumerate(docs)][-1]


def test_overlap_says_how_many_words_a_likeness_rests_on() -> None:
    c = OnlineClusterer.restore(
        {
            "alpha": 0.1, "beta": 0.005, "merge_similarity": 0.25, "next_id": 4, "seen": 3,
            "clusters": [
                [1, 4, 12, {"air": 6, "pdam": 3, "keruh": 3}, 0.0, 0.0],
                [2, 4, 12, {"air": 6, "banjir": 3, "surut": 3}, 0.0, 0.0],
                [3, 4, 12, {"pdam": 3, "keruh": 3, "galon": 6}, 0.0, 0.0],
            ],
        }
    )  # fmt: skip
    sim, words = c.overlap(1, 2)
    assert sim == c.cosine(1, 2) and 0.6 < sim < 0.7 and words == 1.0  # all on "air"
    sim, words = c.overlap(1, 3)
    assert sim == c.cosine(1, 3) and words == 2.0  # "pdam" and "keruh" evenly
    assert c.overlap(2, 3) == (0.0, 0.0)


def test_clusters_alike_through_one_everyday_word_do_not_merge() -> None:
    water = {"air": 2, "pdam": 1, "mengalir": 1, "keruh": 1, "galon": 1}
    flood = {"air": 1, "banjir": 1, "surut": 1, "rumah": 1, "drainase": 1}
    c = OnlineClusterer.restore(
        {
            "alpha": 0.1, "beta": 0.005, "merge_similarity": 0.25, "next_id": 3, "seen": 16,
            "clusters": [
                [1, 8, 48, {w: 8 * n for w, n in water.items()}, 0.0, 0.0],
                [2, 8, 40, {w: 8 * n for w, n in flood.items()}, 0.0, 0.0],
            ],
        }
    )  # fmt: skip
    assert c.overlap(1, 2)[0] > c.merge_similarity  # alike enough, through "air" alone
    for t in range(24):  # both keep growing and meet at every merge check
        assert c.update(water, 100.0 + t).cluster == 1
        assert c.update(flood, 100.0 + t).cluster == 2
    assert set(c.clusters) == {1, 2}


def test_a_post_placed_in_another_city_opens_its_own_issue() -> None:
    water = [
        {"pdam": 1, "mengalir": 1, "palaran": 1, "keruh": 1},
        {"pdam": 1, "mengalir": 1, "loa": 1, "janan": 1, "ilir": 1},
        {"air": 1, "keruh": 1, "kecoklatan": 1, "harapan": 1, "baru": 1},
        {"pdam": 1, "mati": 1, "galon": 1, "kunjang": 1},
        {"air": 1, "keruh": 1, "bakung": 1, "dicek": 1},
    ] * 6  # a Samarinda water outage, once in Loa Janan Ilir
    mining = {"tambang": 1, "lubang": 1, "kawal": 1, "loa": 1, "janan": 1, "anak": 1}
    # in Loa Janan (Kutai Kartanegara): another matter; in Samarinda, both, or nowhere named:
    # judged by the words, and "loa janan" joins it
    for places, joins in (
        (("64.02",), False),
        (("64.72",), True),
        (("64.02", "64.72"), True),
        ((), True),
    ):
        c = OnlineClusterer()
        outage = _cluster(c, water, ("64.72",))
        assert (c.update(mining, 40.0, places).cluster == outage) is joins, places


def test_places_survive_a_snapshot_and_a_merge() -> None:
    c = OnlineClusterer()
    a = _cluster(c, [{"banjir": 1, "sempaja": 1}] * 3, ("64.72",))
    b = c.update({"harga": 1, "cabai": 1}, 5.0, ("64.71",)).cluster
    resumed = OnlineClusterer.restore(json.loads(json.dumps(c.snapshot())))
    assert resumed.clusters[a].places == {"64.72": 3} and resumed.clusters[a].placed == 3
    resumed.merge(b, a)
    assert resumed.clusters[a].places == {"64.72": 3, "64.71": 1}
    assert resumed.clusters[a].placed == 4


def _story(c: OnlineClusterer, start: float, n: int = 24) -> int:
    """Feed ``n`` posts of one story (an established cluster) and return its cluster."""
    words = STORIES["banjir"].split()
    posts = [bag([w for j, w in enumerate(words) if (i + j) % 3]) for i in range(n)]
    for post in posts[4::4]:  # later posts name the kelurahan and the pump too
        post.update(bengkuring=1, pompa=1)
    return [c.update(p, start + i) for i, p in enumerate(posts)][-1].cluster


@pytest.mark.parametrize("early_posts", [1, 2])
def test_a_lone_early_post_folds_into_its_story_once_the_story_is_established(
    early_posts: int,
) -> None:
    """A lone early post, or a pair of them, that nobody else joined."""
    c = OnlineClusterer()
    for t in range(early_posts):
        early = c.update({"genangan": 1, "bengkuring": 1, "pompa": 1, "mati": 1}, float(t))
    assert c.clusters[early.cluster].docs == early_posts
    story = _story(c, 1.0)
    assert early.cluster in c.clusters and story != early.cluster  # a singleton still
    merges: list[tuple[int, int]] = []
    for i in range(LOOK_AFTER_DOCS):  # unrelated chatter until its second look is due
        merges += c.update({"harga": 1, "cabai": 1, f"pasar{i}": 1}, 100.0 + i).merges
    assert (early.cluster, story) in merges
    assert early.cluster not in c.clusters
    assert c.clusters[story].counts["genangan"] == early_posts


def test_a_lone_post_that_shares_only_an_everyday_word_keeps_its_own_cluster() -> None:
    flood = {w: 20 for w in STORIES["banjir"].split()}
    everyday = [  # "warga" is in every matter of the city
        [k + 2, 16, 50, {"warga": 2, f"hal{k}": 16, f"kata{k}": 16, f"lain{k}": 16}, 0.0, 0.0]
        for k in range(FOLD_MAX_POSTINGS)
    ]
    c = OnlineClusterer.restore(
        {
            "alpha": 0.1, "beta": 0.005, "merge_similarity": 0.25, "seen": 0,
            "next_id": FOLD_MAX_POSTINGS + 2,
            "clusters": [[1, 20, 180, flood, 0.0, 0.0], *everyday],
        }
    )  # fmt: skip
    lone = c.update(bag(tokens("warga antre minyak goreng pasar segiri")), 50.0).cluster
    merges = [m for t in range(LOOK_AFTER_DOCS) for m in c.update({"cabai": 1}, 60.0 + t).merges]
    assert lone in c.clusters and c.clusters[lone].docs == 1
    assert all(lone not in pair for pair in merges)


def test_on_a_thin_stream_the_second_look_comes_with_time() -> None:
    c = OnlineClusterer()
    early = c.update({"genangan": 1, "bengkuring": 1, "pompa": 1}, 0.0).cluster
    story = _story(c, 60.0)
    assert c.update({"harga": 1, "cabai": 1}, LOOK_AFTER_SECONDS - 1.0).merges == ()
    assert c.update({"harga": 1, "cabai": 1}, LOOK_AFTER_SECONDS + 1.0).merges == ((early, story),)


def test_a_snapshot_keeps_the_lone_posts_awaiting_their_second_look() -> None:
    def feed(c: OnlineClusterer, start: int, stop: int) -> list[tuple[int, tuple]]:
        out = []
        for t in range(start, stop):
            if t == 0:
                words = {"genangan": 1, "bengkuring": 1, "pompa": 1}
            elif t <= 24:
                words = bag(STORIES["banjir"].split()[t % 3 :] + ["pompa"] * (t % 4 == 0))
            else:
                words = {"harga": 1, "cabai": 1, f"pasar{t}": 1}
            d = c.update(words, float(t))
            out.append((d.cluster, d.merges))
        return out

    total = LOOK_AFTER_DOCS + 30
    expected = feed(OnlineClusterer(), 0, total)
    first = OnlineClusterer()
    got = feed(first, 0, 50)
    resumed = OnlineClusterer.restore(json.loads(json.dumps(first.snapshot())))
    got += feed(resumed, 50, total)
    assert got == expected and any(merges for _, merges in got)
