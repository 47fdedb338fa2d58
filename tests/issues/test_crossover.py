"""Generated Indonesian streams: an issue starts on social media and reaches news after a known
lag; the tracker measures that lag and raises a crossover alert."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest

from pantau.issues import IssueTracker, Mention
from pantau.issues.generator import DEFAULT_ISSUES, generate_stream
from pantau.settings import Settings

#: The issue's measured lead time (its summary at the end) may differ from the planted lag by the
#: gap between the first posts, never more than this.
LEAD_TOLERANCE_SECONDS = 15 * 60
#: At alert time the very first headline may still sit in its own small cluster (it merges a
#: little later), so the alert's lead may be one or two headlines late; news follows within hours.
ALERT_LEAD_TOLERANCE_SECONDS = 60 * 60


def _replay(rows: list[dict]) -> tuple[IssueTracker, dict[str, Counter], list]:
    tracker = IssueTracker(Settings.from_env({}))
    truth: dict[str, Counter] = {}
    alerts = []
    for (assignment, merges, raised), row in zip(
        tracker.replay(Mention.from_dict(r) for r in rows), rows, strict=True
    ):
        truth.setdefault(assignment.issue, Counter())[row["truth"]] += 1
        for _, gone, into in merges:
            truth.setdefault(into, Counter()).update(truth.pop(gone, Counter()))
        alerts.extend(raised)
    return tracker, truth, alerts


@pytest.mark.parametrize(("lag_hours", "seed"), [(5, 1), (2, 2), (9, 3)])
def test_measured_lead_time_matches_the_planted_lag(lag_hours: int, seed: int) -> None:
    planted = replace(DEFAULT_ISSUES[0], news_lag=timedelta(hours=lag_hours))
    rows = generate_stream(seed=seed, hours=18, issues=[planted])
    tracker, truth, alerts = _replay(rows)
    crossovers = [a for a in alerts if a.kind == "crossover"]
    assert len(crossovers) == 1, [(a.issue, a.label) for a in crossovers]
    alert = crossovers[0]
    assert truth[alert.issue].most_common(1)[0][0] == "banjir"
    lead = next(r for r in alert.reasons if r["component"] == "crossover")["lead_time_seconds"]
    assert abs(lead - lag_hours * 3600) <= ALERT_LEAD_TOLERANCE_SECONDS
    summary = next(s for s in tracker.summaries() if s.id == alert.issue)
    assert summary.crossover and summary.lead_time_seconds is not None
    assert abs(summary.lead_time_seconds - lag_hours * 3600) <= LEAD_TOLERANCE_SECONDS
    assert any(r["component"] == "crossover" and r.get("points") for r in alert.reasons)
    first_news = min(r["published_at"] for r in rows if r["truth"] and r["channel"] == "news")
    assert alert.raised_at.isoformat().replace("+00:00", "Z") >= first_news


def test_background_alone_raises_no_crossover() -> None:
    rows = generate_stream(seed=4, hours=18, issues=[])
    _, _, alerts = _replay(rows)
    assert [a for a in alerts if a.kind == "crossover"] == []


def test_news_first_is_not_a_crossover() -> None:
    planted = replace(DEFAULT_ISSUES[0], news_lag=timedelta(hours=-1))
    rows = generate_stream(seed=6, hours=12, issues=[planted])
    tracker, _, alerts = _replay(rows)
    assert [a for a in alerts if a.kind == "crossover"] == []
    assert not any(s.crossover for s in tracker.summaries() if "banjir" in s.key_phrases)
