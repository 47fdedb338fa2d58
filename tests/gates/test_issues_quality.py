"""Quality floors of the ``issues`` stage on the shared datasets (corpus gates: `make gates`).

News-T (MStream benchmark, 11,109 time-ordered news titles, 152 stories) goes through the real
``pantau replay`` command; CrisisLexT6 (60k tweets, 6 crises among off-topic chatter) through the
tracker's replay loop, scored at each alert. Lowering a floor is a deliberate, explained commit;
the figures and how they were measured are in benchmarks/results/issues.md.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.issues import IssueTracker
from pantau.issues.evaluation import CrisisReport, bcubed_f1, nmi, score_crisis_stream
from pantau.settings import Settings

_load()

#: Gates on News-T for the assignments as the store holds them after the replay (``issue``:
#: merges and splits that happened online applied). Measured 0.901 / 0.804 with clusters of two
#: stories split (0.899 / 0.799 before, 0.897 / 0.797 before lone titles had a second look);
#: issue 14's target, 0.90 / 0.80, is the floor.
NEWS_T_NMI_FLOOR = 0.90
NEWS_T_BCUBED_FLOOR = 0.80
#: Assignments at arrival (``first_issue``, before any later merge or split). Measured
#: 0.881 / 0.762.
NEWS_T_ARRIVAL_NMI_FLOOR = 0.86
NEWS_T_ARRIVAL_BCUBED_FLOOR = 0.73
#: Too many issues is the failure mode NMI hides; the reference single-pass TF-IDF makes 4-8x
#: the true 152. Measured: 351 issues after merges and splits, 2.31 a story (348, 2.29, before
#: splits; 730, 4.8, before lone titles had a second look: 469 singletons); issue 14's target
#: is 2.5.
NEWS_T_MAX_ISSUES_RATIO = 2.5
#: The same on a third of News-T drawn at random (a thinner stream, 3.7k titles), per seed.
#: Measured seeds 1-3: NMI 0.890 / 0.891 / 0.898, B-cubed 0.756 / 0.766 / 0.773, issues a
#: story 1.63 / 1.66 / 1.67 (0.887 / 0.890 / 0.896, 0.753 / 0.760 / 0.768, 1.58 / 1.65 / 1.65
#: before splits; 2.59 / 2.63 / 2.51 issues a story before the second look).
NEWS_T_THIRD_SEEDS = (1, 2, 3)
NEWS_T_THIRD_NMI_FLOOR = 0.88
NEWS_T_THIRD_BCUBED_FLOOR = 0.745
NEWS_T_THIRD_MAX_ISSUES_RATIO = 1.8

#: CrisisLexT6 gates, issue 5's targets. Measured: median 6.5 on-topic tweets by a crisis's
#: first alert (Alberta 3, Sandy 4, Oklahoma 5, West Texas 8, Boston 56, Queensland 112: Boston's
#: and Queensland's first on-topic tweets are sparse and scattered, hours before the disaster);
#: 2.83 alerted issues per crisis; noise 1 of 22 alerted issues = 0.05 (3.00 and 3 of 24 before
#: lone posts had a second look; 0.20 before check-in templates became noise).
CRISIS_MEDIAN_ON_TOPIC_FLOOR = 10
CRISIS_ALERTED_ISSUES_PER_CRISIS_TARGET = 3.0
CRISIS_NOISE_SHARE_TARGET = 0.2


@pytest.fixture(scope="module")
def news_t(corpora: Path) -> list[dict]:
    path = corpora / "clustering" / "mstream_news" / "News-T.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _replay(rows: list[dict], folder: Path) -> list[dict]:
    """News-T rows through ``pantau replay``: its assignments, one per row."""
    stream = folder / "news_t.jsonl"
    stream.write_text(
        "".join(json.dumps({"id": r["Id"], "text": r["textCleaned"]}) + "\n" for r in rows)
    )
    out = folder / "assignments.jsonl"
    result = CliRunner().invoke(app, ["replay", str(stream), "--assignments", str(out)])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in got] == [r["Id"] for r in rows]
    return got


def test_news_t_clustering_meets_the_floors(news_t: list[dict], tmp_path: Path) -> None:
    rows = _replay(news_t, tmp_path)
    truth = [r["clusterNo"] for r in news_t]
    final = [r["issue"] for r in rows]
    arrival = [r["first_issue"] for r in rows]
    assert nmi(truth, final) >= NEWS_T_NMI_FLOOR
    assert bcubed_f1(truth, final) >= NEWS_T_BCUBED_FLOOR
    assert nmi(truth, arrival) >= NEWS_T_ARRIVAL_NMI_FLOOR
    assert bcubed_f1(truth, arrival) >= NEWS_T_ARRIVAL_BCUBED_FLOOR
    assert len(set(final)) <= NEWS_T_MAX_ISSUES_RATIO * len(set(truth))


@pytest.mark.parametrize("seed", NEWS_T_THIRD_SEEDS)
def test_a_third_of_news_t_meets_the_floors(news_t: list[dict], tmp_path: Path, seed: int) -> None:
    keep = sorted(random.Random(seed).sample(range(len(news_t)), len(news_t) // 3))
    part = [news_t[i] for i in keep]
    truth = [r["clusterNo"] for r in part]
    final = [r["issue"] for r in _replay(part, tmp_path)]
    assert nmi(truth, final) >= NEWS_T_THIRD_NMI_FLOOR
    assert bcubed_f1(truth, final) >= NEWS_T_THIRD_BCUBED_FLOOR
    assert len(set(final)) <= NEWS_T_THIRD_MAX_ISSUES_RATIO * len(set(truth))


def crisis_replay(path: Path) -> CrisisReport:
    """Replay CrisisLexT6 online and score every alert at the moment it is raised."""
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return score_crisis_stream(rows, IssueTracker(Settings.from_env({})))


def test_crisislex_every_crisis_is_alerted_early_with_little_noise(corpora: Path) -> None:
    report = crisis_replay(corpora / "events" / "crisislext6" / "stream.jsonl")
    assert len(report.on_topic_by_alert) == 6
    missed = [c for c, n in report.on_topic_by_alert.items() if n is None]
    assert not missed, f"crises never alerted: {missed}"
    assert report.median_on_topic <= CRISIS_MEDIAN_ON_TOPIC_FLOOR, report
    assert report.issues_per_crisis <= CRISIS_ALERTED_ISSUES_PER_CRISIS_TARGET, report
    assert report.noise_share <= CRISIS_NOISE_SHARE_TARGET, report
