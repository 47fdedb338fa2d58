"""Burst statistics and lifecycle stages."""

from __future__ import annotations

import json

import pytest

from pantau.issues.detection import (
    DAY,
    PRIOR_PER_WINDOW,
    YOUNG_STREAM_HOURS,
    BurstDetector,
    fresh_prior,
)

HOUR = 3600.0


def _busy_mornings(d: BurstDetector, days: int = 5) -> None:
    """Background issues that talk every morning (08:00) and rarely at night (02:00)."""
    for day in range(days):
        base = day * 24 * HOUR
        for i in range(200):
            d.observe(f"pagi{day}-{i % 20}", base + 8 * HOUR + i)
        for i in range(10):
            d.observe(f"malam{day}-{i}", base + 2 * HOUR + i)


def test_a_rise_at_a_quiet_hour_counts_for_more() -> None:
    d = BurstDetector(window=HOUR, min_support=4)
    _busy_mornings(d)
    day = 6 * 24 * HOUR
    for i in range(6):
        night = d.observe("isu-malam", day + 2 * HOUR + 60 * i)
        morning = d.observe("isu-pagi", day + 8 * HOUR + 60 * i)
    assert night.recent == morning.recent == 6
    assert night.expected < morning.expected
    assert night.z > morning.z


def test_growth_acceleration_and_expected_from_the_issue_own_past() -> None:
    d = BurstDetector(window=HOUR, min_support=4)
    for i in range(48):  # one an hour for two days: its own baseline
        d.observe("isu", i * HOUR)
    steady = d.measure("isu", 47 * HOUR + 10)
    for i in range(12):
        burst = d.observe("isu", 48 * HOUR + 60 * i)
    assert steady.z < 3 <= burst.z
    assert burst.growth == burst.recent / max(burst.previous, 1) and burst.acceleration > 0
    assert burst.expected >= 1.0


def test_stages_follow_support_size_and_risk() -> None:
    d = BurstDetector(window=HOUR, min_support=4, crisis_risk=60)
    bursts = [d.observe("a", 60.0 * i) for i in range(10)]
    assert d.stage(bursts[1], size=2, risk=90) == "potential"
    assert d.stage(bursts[6], size=7, risk=10) == "emerging"
    assert d.stage(bursts[9], size=10, risk=80) == "crisis"
    assert d.stage(bursts[9], size=50, risk=10) == "current"
    assert d.stage(d.measure("a", 10 * HOUR), size=10, risk=10) == "emerging"  # ten today
    assert d.stage(d.measure("a", 30 * HOUR), size=10, risk=10) == "dormant"


def test_a_slow_burn_emerges_over_the_day_and_a_steady_one_does_not() -> None:
    """A dozen complaints a day about one road never make 4 in one window, yet it is raised;
    an issue that has said the same every day for a week is not news on its eighth day."""
    d = BurstDetector(window=HOUR, min_support=4, day_support=10)
    slow = [d.observe("jalan", 2 * HOUR * i) for i in range(12)]  # one every two hours
    assert all(b.recent < 4 for b in slow)
    assert [d.stage(b, size=i + 1, risk=30) for i, b in enumerate(slow)][8:] == [
        "potential", "emerging", "emerging", "emerging",
    ]  # fmt: skip
    assert slow[-1].day == 12 and slow[-1].day_z >= 3
    assert d.stage(slow[-1], size=45, risk=30) == "current"
    for i in range(7 * 12):  # the same one-every-two-hours for a week
        steady = d.observe("rutin", 2 * HOUR * i)
    assert steady.day >= 12 and steady.day_z < 3
    assert d.stage(steady, size=84, risk=30) == "potential"


def _thin_and_busy(min_support: int, reference_rate: float) -> tuple[BurstDetector, BurstDetector]:
    """Two detectors after a day of background: 3 mentions an hour, and 60 an hour."""
    thin = BurstDetector(window=1800, min_support=min_support, reference_rate=reference_rate)
    busy = BurstDetector(window=1800, min_support=min_support, reference_rate=reference_rate)
    for i in range(3 * 24):
        thin.observe(f"obrolan{i}", i * 1200.0)
        for k in range(20):
            busy.observe(f"obrolan{i}-{k}", i * 1200.0 + k)
    return thin, busy


def test_the_window_widens_on_a_thin_stream_and_not_on_a_busy_one() -> None:
    """Three mentions an hour against a reference of thirty: the window is ten times wider, so
    an issue's four posts over three hours are as much support as four in twenty minutes of a
    busy stream; the same issue inside a busy stream gets the plain window."""
    thin, busy = _thin_and_busy(min_support=4, reference_rate=30)
    start = 24 * HOUR
    for d in (thin, busy):
        for i in range(4):
            d.observe("isu", start + i * 50 * 60.0)
        d.observe("lain", start + 3 * HOUR)
    assert thin.width(start + 3 * HOUR) == pytest.approx(1800 * 30 / 3, rel=0.15)
    assert busy.width(start + 3 * HOUR) == 1800
    assert thin.measure("isu", start + 3 * HOUR).recent == 4
    assert busy.measure("isu", start + 3 * HOUR).recent == 1
    assert BurstDetector(window=1800, reference_rate=0).width(start) == 1800  # turned off


def test_the_support_falls_with_the_square_root_of_a_thin_stream_volume() -> None:
    """At a ninth of the reference rate the support is a third of ``min_support`` (not under
    three): five posts of a sampled crisis inside the widened window raise it, where a busy
    stream still asks for its full six."""
    thin, busy = _thin_and_busy(min_support=6, reference_rate=27)
    start = 24 * HOUR
    assert thin.support(start) == 3 and busy.support(start) == 6
    for d, raised in ((thin, "emerging"), (busy, "potential")):
        stages = []
        for i in range(5):
            burst = d.observe("isu", start + i * 60.0)
            stages.append(d.stage(burst, size=i + 1, risk=30.0))
        assert stages[-1] == raised and burst.describe()["support"] == d.support(start)
    assert thin.active(thin.measure("isu", start + 180.0))
    assert BurstDetector(window=1800, min_support=2, reference_rate=27).support(start) == 2
    assert BurstDetector(window=1800, min_support=6, reference_rate=0).support(start) == 6


def test_on_a_thin_stream_a_fresh_issue_emerges_sooner_as_its_support_says() -> None:
    """A tenth of the reference rate lowers the support to three, and the z-test's floor for a
    fresh issue falls with it (:func:`fresh_prior`): the thin stream's issue emerges at its
    fourth post in minutes (this hour weighs 1.07 times an average one in the background, so
    one more than the support). Before, the floor of one a window made it wait for a fifth
    whatever the lower support said."""
    thin, _ = _thin_and_busy(min_support=4, reference_rate=30)
    start = 24 * HOUR
    assert thin.support(start) == 3
    stages = [thin.stage(thin.observe("isu", start + i * 60.0), size=i + 1, risk=30.0)
              for i in range(4)]  # fmt: skip
    assert stages == ["potential"] * 3 + ["emerging"], stages
    assert fresh_prior(4) == PRIOR_PER_WINDOW  # the default support keeps the tuned floor
    assert fresh_prior(3) < PRIOR_PER_WINDOW


def test_a_stream_that_starts_or_resumes_is_not_judged_thin_in_its_first_hours() -> None:
    """Three posts in the first minute of a stream, or of one that resumes after a long pause,
    are not three an hour: the stream counts as busy until it has been watched for
    ``YOUNG_STREAM_HOURS``, then its rate decides."""
    d = BurstDetector(window=1800, min_support=4, reference_rate=30)
    for start in (0.0, 30 * DAY):  # the start, then a resume after a month
        for i in range(3):
            d.observe(f"awal{i}", start + i * 20.0)
        assert d.busy(start + 60.0) == 1.0 and d.support(start + 60.0) == 4
    later = 30 * DAY + YOUNG_STREAM_HOURS * HOUR
    d.observe("nanti", later)
    assert d.busy(later) == pytest.approx(4 / (YOUNG_STREAM_HOURS + 1) / 30)


def test_a_big_issue_rises_against_its_own_days_not_against_a_young_issue_floor() -> None:
    d = BurstDetector(window=HOUR, min_support=4, day_support=10)
    for i in range(4 * 24):  # twelve a day for four days: big, steady
        steady = d.observe("lama", 2 * HOUR * i)
    assert not d.risen("lama", steady, 2 * HOUR * 95)
    now = 2 * HOUR * 95
    for i in range(40):  # a new event joins it: forty in two hours
        spike = d.observe("lama", now + 180.0 * i)
    assert d.risen("lama", spike, now + 180.0 * 39)
    young = BurstDetector(window=HOUR, min_support=4, day_support=10)
    for i in range(60):  # sixty posts within a day: big, but nothing of its own to rise from
        burst = young.observe("baru", 600.0 * i)
    assert not young.risen("baru", burst, 600.0 * 59)


def test_merge_and_snapshot_keep_the_counts() -> None:
    d = BurstDetector(window=HOUR, min_support=4)
    for i in range(3):
        d.observe("a", 60.0 * i)
        d.observe("b", 60.0 * i + 30)
    d.merge("b", "a")
    assert d.measure("a", 200.0).recent == 6 and "b" not in d.times
    copy = BurstDetector(window=HOUR, min_support=4)
    copy.restore(json.loads(json.dumps(d.snapshot())))
    assert copy.observe("a", 300.0) == d.observe("a", 300.0)


def test_hour_bins_count_like_a_brute_force_through_late_mentions_merges_and_snapshots() -> None:
    import random

    from pantau.issues.detection import HourBins

    rnd = random.Random(7)
    hours_a = sorted(rnd.randint(0, 200) for _ in range(400))
    hours_a[100], hours_a[101] = hours_a[101] - 3, hours_a[100]  # two late mentions
    hours_b = [rnd.randint(100, 220) for _ in range(50)]
    a, b = HourBins(), HourBins()
    for h in hours_a:
        a.add(h)
    for h in sorted(hours_b):
        b.add(h)
    last = max(hours_a)
    for end in (last, last - 10, last - 24):  # the current day and the one before it
        assert a.total(end, 24) == sum(1 for h in hours_a if end - 24 < h <= end)
    copy = HourBins.load(json.loads(json.dumps(a.dump())))
    a.merge(b)
    both = hours_a + hours_b
    for end in (max(both), max(both) - 10, max(both) - 20):
        assert a.total(end, 24) == sum(1 for h in both if end - 24 < h <= end)
    assert copy.total(last, 24) == sum(1 for h in hours_a if last - 24 < h <= last)


def test_a_snapshot_from_before_the_day_window_still_loads_and_counts() -> None:
    """Stores running before the day-long window keep their tracker state: the hour bins start
    empty and fill from the next mentions; a heard issue is not called dormant meanwhile."""
    d = BurstDetector(window=HOUR, min_support=4)
    for i in range(3):
        d.observe("a", 60.0 * i)
    old = json.loads(json.dumps(d.snapshot()))
    del old["hours"]
    copy = BurstDetector(window=HOUR, min_support=4)
    copy.restore(old)
    burst = copy.measure("a", 200.0)
    assert (burst.recent, burst.day) == (3, 0)
    assert copy.stage(burst, size=3, risk=10) == "potential"
    assert copy.observe("a", 300.0).day == 1
