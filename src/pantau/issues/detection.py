"""Emerging-issue detection: volume against expectation, growth, acceleration, lifecycle stage.

Each issue keeps the times of its recent mentions. Its expected volume in the current window is
its own past rate (a floor for young issues) scaled by the stream's hour-of-day profile, so a
night-time rise counts for more than the same rise at the morning peak. A Poisson z-score, the
growth over the previous window and a minimum support give the lifecycle stage (Hainsworth):
potential -> emerging -> current -> crisis, and dormant when the issue has gone quiet.

A second, day-long window catches the slow burn that never bunches into one short window:
a road that draws a dozen complaints a day for a week. The same Poisson test runs on the last
24 hours against the issue's own earlier days (a floor of :data:`PRIOR_PER_DAY` for a young
issue), with its own minimum support. It counts whole hours (:class:`HourBins`), so an issue
keeps at most 48 numbers for it rather than two days of timestamps.

>>> d = BurstDetector(window=3600, min_support=3)
>>> [d.observe("a", t * 60.0).recent for t in range(4)]
[1, 2, 3, 4]
>>> d.stage(d.observe("a", 300.0), size=5, risk=10.0)
'emerging'
"""

from __future__ import annotations

import logging
import math
from bisect import bisect_left, bisect_right
from typing import Any, NamedTuple

from pantau.vocabulary import STAGES

__all__ = ["CURRENT_SIZE", "STAGES", "Burst", "BurstDetector", "HourBins", "fresh_prior"]

logger = logging.getLogger(__name__)

#: Expected mentions per window for an issue with no history yet. A fresh issue's first
#: mentions are all "new", so the z-score needs a floor; 1 per window keeps single repeats quiet.
#: On a thin stream the floor shrinks with the support (see :func:`fresh_prior`).
PRIOR_PER_WINDOW = 1.0
#: Expected mentions per day for an issue with no earlier days (the day-long window's floor).
PRIOR_PER_DAY = 2.0
#: Width of the day-long window, in hours and in seconds.
DAY_HOURS = 24
DAY = DAY_HOURS * 3600.0
#: Poisson z-score at which a supported rise counts as emerging.
Z_EMERGING = 3.0
#: An issue of at least this many mentions that is still active is "current".
CURRENT_SIZE = 40
#: Times older than three windows are never counted (:meth:`BurstDetector.measure` skips them);
#: they are cut in one go once the oldest is this many windows old, not one by one: cutting the
#: front of a busy issue's list at every mention moved thousands of floats each time.
PRUNE_WINDOWS = 4
#: Most the short window widens on a thin stream (see :meth:`BurstDetector.width`): past
#: six hours the day-long window is the better test.
MAX_WIDEN = 12.0
#: Fewest mentions in the short window that can raise an issue on a thin stream: the support
#: scales with the square root of the stream's volume against ``reference_rate`` (see
#: :meth:`BurstDetector.support`), down to this.
THIN_SUPPORT = 3
#: Hours of its last day a stream must have been watched before it can count as thin: over a
#: first partial hour (a stream that starts, or resumes after a pause) three posts in a minute
#: read as three an hour. Dense CrisisLexT6 resumes for Alberta after a month's pause; without
#: this its first posts were judged on a thin stream's terms and an issue half chatter was
#: raised (Alberta at its 262nd post instead of its 3rd, with the fresh-issue floor below).
YOUNG_STREAM_HOURS = 2
#: Smoothing of the hour-of-day profile (share of new evidence per mention).
PROFILE_RATE = 0.001


def fresh_prior(support: int) -> float:
    """Expected mentions per window of an issue with no history, for a short window that
    needs ``support`` mentions: the count ``e`` at which exactly ``support`` mentions are a rise
    of :data:`Z_EMERGING` (``(support - e) / sqrt(e) = Z``), so the support and the z-test ask
    for the same evidence. At the default support of 4 this is 1.0, the floor the dense
    streams were tuned with; a thin stream's support of 3 gets 0.63. Before, a fresh issue on
    a thin stream needed 5 mentions for z >= 3 whatever its support of 3 said. Sampled
    CrisisLexT6 (seeds 1-5) medians of on-topic posts by the first alert 10 / 12.5 / 11.5 /
    10.5 / 11 -> 10 / 12 / 7 / 9 / 10, dense and the demo's purity unchanged.

    >>> fresh_prior(4), round(fresh_prior(3), 2)
    (1.0, 0.63)
    """
    return ((math.sqrt(Z_EMERGING**2 + 4 * support) - Z_EMERGING) / 2) ** 2


class Burst(NamedTuple):
    """Volume statistics of one issue at one moment (a named tuple: one is made per mention)."""

    recent: int  # mentions in the last window
    previous: int  # mentions in the window before
    expected: float  # what the window should hold given the past and the hour of day
    z: float  # Poisson z-score of ``recent`` against ``expected``
    growth: float  # recent / previous (previous floored at 1)
    acceleration: float  # change of the window-on-window change
    day: int  # mentions in the last 24 hours
    day_z: float  # Poisson z-score of ``day`` against the issue's earlier days
    support: int  # mentions the short window needs now (see BurstDetector.support)

    def describe(self) -> dict[str, float]:
        """Machine-readable numbers for alert reasons."""
        return {
            "recent": self.recent,
            "previous": self.previous,
            "expected": round(self.expected, 2),
            "z": round(self.z, 2),
            "growth": round(self.growth, 2),
            "acceleration": round(self.acceleration, 2),
            "day": self.day,
            "day_z": round(self.day_z, 2),
            "support": self.support,
        }


class HourBins:
    """Mentions per hour over the last two days, as cumulative counts: the day-long window's
    sums are two bisections, not a loop over the hours.

    >>> bins = HourBins()
    >>> for hour in (0, 0, 5, 30, 30, 30):
    ...     bins.add(hour)
    >>> bins.total(30, 24), bins.total(6, 24)  # (30-24, 30], (6-24, 6]
    (3, 3)
    """

    __slots__ = ("base", "cum", "hours")

    def __init__(self) -> None:
        self.hours: list[int] = []  # sorted hour numbers (unix time // 3600) that have mentions
        self.cum: list[int] = []  # mentions up to and including each of those hours
        self.base = 0  # mentions in hours already dropped (cum counts from the first ever)

    def add(self, hour: int) -> None:
        hours, cum = self.hours, self.cum
        if hours and hours[-1] == hour:
            cum[-1] += 1
        elif not hours or hour > hours[-1]:
            hours.append(hour)
            cum.append((cum[-1] if cum else self.base) + 1)
            if hour - hours[0] >= 2 * DAY_HOURS:  # keep two days
                cut = bisect_right(hours, hour - 2 * DAY_HOURS)
                self.base = cum[cut - 1]
                del hours[:cut], cum[:cut]
        else:  # a late mention: rare, and at most 48 entries to touch
            i = bisect_left(hours, hour)
            if hours[i] != hour:
                hours.insert(i, hour)
                cum.insert(i, cum[i - 1] if i else self.base)
            for j in range(i, len(cum)):
                cum[j] += 1

    def _upto(self, hour: int) -> int:
        i = bisect_right(self.hours, hour)
        return self.cum[i - 1] if i else self.base

    def total(self, hour: int, span: int) -> int:
        """Mentions in the hours ``(hour - span, hour]``."""
        return self._upto(hour) - self._upto(hour - span)

    def rate(self, hour: int, span: int) -> float:
        """Mentions per hour over ``(hour - span, hour]``, counted from the first hour in it
        that has any: a stream that starts or resumes after a gap is as busy as it is since.

        >>> bins = HourBins()
        >>> for hour in (100, 100, 101, 101):
        ...     bins.add(hour)
        >>> bins.rate(101, 24)
        2.0
        """
        watched = self.watched(hour, span)
        return self.total(hour, span) / watched if watched else 0.0

    def watched(self, hour: int, span: int) -> int:
        """Hours from the first hour in ``(hour - span, hour]`` that has a mention to ``hour``,
        both counted (0 when none has).

        >>> bins = HourBins()
        >>> bins.add(100)
        >>> bins.watched(102, 24), bins.watched(130, 24)
        (3, 0)
        """
        first = bisect_right(self.hours, hour - span)
        if first >= len(self.hours) or self.hours[first] > hour:
            return 0
        return hour - self.hours[first] + 1

    def merge(self, other: HourBins) -> None:
        counts: dict[int, int] = {}
        for bins in (self, other):
            last = bins.base
            for hour, c in zip(bins.hours, bins.cum, strict=True):
                counts[hour] = counts.get(hour, 0) + c - last
                last = c
        self.hours, self.cum, self.base = [], [], 0
        for hour in sorted(counts):
            self.hours.append(hour)
            self.cum.append((self.cum[-1] if self.cum else 0) + counts[hour])

    def dump(self) -> list[Any]:
        return [self.base, list(self.hours), list(self.cum)]

    @classmethod
    def load(cls, state: list[Any]) -> HourBins:
        out = cls()
        out.base, out.hours, out.cum = (
            int(state[0]),
            [int(h) for h in state[1]],
            [int(c) for c in state[2]],
        )
        return out


class BurstDetector:
    """Per-issue recent times, the stream's hour-of-day profile, and stage rules."""

    def __init__(
        self,
        window: float = 1800.0,
        min_support: int = 4,
        crisis_risk: float = 70.0,
        dormant_after: float = 48 * 3600.0,
        day_support: int = 10,
        reference_rate: float = 0.0,
    ) -> None:
        self.window = window
        self.reference_rate = reference_rate
        self.min_support = min_support
        self.day_support = day_support
        self.crisis_risk = crisis_risk
        self.dormant_after = dormant_after
        self.times: dict[str, list[float]] = {}  # sorted, pruned to three or four windows
        self.hours: dict[str, HourBins] = {}  # the day-long window
        self.totals: dict[str, int] = {}
        self.starts: dict[str, float] = {}
        self.profile = [1.0] * 24
        self._boost = 1.0
        self.stream = HourBins()  # every mention of the stream, for its volume

    def _hour_factor(self, now: float) -> float:
        hour = int(now // 3600) % 24
        mean = sum(self.profile) / 24
        return max(self.profile[hour] / mean, 0.25) if mean > 0 else 1.0

    def observe(self, issue: str, now: float) -> Burst:
        """Record one mention of ``issue`` at ``now`` and return its burst statistics."""
        # exponential forgetting without touching all 24 slots: new evidence is scaled up
        # instead of old evidence scaled down (only ratios between slots are ever used)
        self._boost /= 1.0 - PROFILE_RATE
        self.profile[int(now // 3600) % 24] += PROFILE_RATE * 24 * self._boost
        if self._boost > 1e100:
            self.profile = [p / self._boost for p in self.profile]
            self._boost = 1.0
        self.stream.add(int(now // 3600))
        times = self.times.get(issue)
        if times is None:
            times = self.times[issue] = []
            self.starts[issue] = now
        if times and now < times[-1]:
            times.insert(bisect_right(times, now), now)
        else:
            times.append(now)
        widest = self.window * MAX_WIDEN if self.reference_rate > 0 else self.window
        if now - times[0] > PRUNE_WINDOWS * widest:
            del times[: bisect_left(times, now - 3 * widest)]
        bins = self.hours.get(issue)
        if bins is None:
            bins = self.hours[issue] = HourBins()
        bins.add(int(now // 3600))
        self.totals[issue] = self.totals.get(issue, 0) + 1
        return self.measure(issue, now)

    def busy(self, now: float) -> float:
        """How busy the stream is at ``now``: its mentions an hour over the last day against
        ``reference_rate``, at most 1 (and 1 when ``reference_rate`` is 0: turned off, or when
        the stream has been watched for fewer than :data:`YOUNG_STREAM_HOURS` of its last day:
        too soon to call it thin)."""
        hour = int(now // 3600)
        if self.reference_rate <= 0 or self.stream.watched(hour, DAY_HOURS) < YOUNG_STREAM_HOURS:
            return 1.0
        return min(1.0, self.stream.rate(hour, DAY_HOURS) / self.reference_rate)

    def width(self, now: float, busy: float | None = None) -> float:
        """The short window's width at ``now``: ``window`` on a stream at least as busy as
        ``reference_rate`` mentions an hour over the last day, wider in proportion on a
        thinner one (at most :data:`MAX_WIDEN` times), so that a sampled export or a small
        kabupaten's issue gathers its support in the time a busy stream's would."""
        busy = self.busy(now) if busy is None else busy
        return self.window / max(busy, 1.0 / MAX_WIDEN)

    def support(self, now: float, busy: float | None = None) -> int:
        """Mentions the short window needs at ``now``: ``min_support`` on a stream at least as
        busy as ``reference_rate`` an hour over the last day, fewer in proportion to the square
        root of its volume on a thinner one (not under :data:`THIN_SUPPORT`). The widened window
        gathers a thin stream's posts; a lower support lets the first few of a real event count
        as the same early signal a dense stream's would."""
        busy = self.busy(now) if busy is None else busy
        if busy >= 1.0 or self.min_support <= THIN_SUPPORT:
            return self.min_support
        return max(THIN_SUPPORT, math.ceil(self.min_support * math.sqrt(busy)))

    def measure(self, issue: str, now: float) -> Burst:
        """Burst statistics of ``issue`` at ``now`` without recording anything."""
        times = self.times.get(issue, [])
        busy = self.busy(now)
        w = self.width(now, busy)
        end = bisect_right(times, now)
        cut1 = bisect_left(times, now - w, 0, end)
        cut2 = bisect_left(times, now - 2 * w, 0, cut1)
        cut3 = bisect_left(times, now - 3 * w, 0, cut2)
        recent, previous, older = end - cut1, cut1 - cut2, cut2 - cut3
        past = self.totals.get(issue, 0) - recent - previous
        span = now - self.starts.get(issue, now) - 2 * w
        base = past / span * w if span > w else 0.0
        support = self.support(now, busy)
        prior = PRIOR_PER_WINDOW
        if support < self.min_support:  # thin stream: the floor that its support is a rise on
            prior *= fresh_prior(support) / fresh_prior(self.min_support)
        expected = max(prior, base) * self._hour_factor(now)
        z = (recent - expected) / math.sqrt(expected)
        growth = recent / max(previous, 1)
        acceleration = float((recent - previous) - (previous - older))
        bins = self.hours.get(issue)
        hour = int(now // 3600)
        day = bins.total(hour, DAY_HOURS) if bins else 0
        day_before = bins.total(hour - DAY_HOURS, DAY_HOURS) if bins else 0
        day_past = self.totals.get(issue, 0) - day - day_before
        day_span = now - self.starts.get(issue, now) - 2 * DAY
        day_base = day_past / day_span * DAY if day_span > DAY else 0.0
        day_expected = max(PRIOR_PER_DAY, day_base)
        day_z = (day - day_expected) / math.sqrt(day_expected)
        return Burst(recent, previous, expected, z, growth, acceleration, day, day_z, support)

    def count(self, issue: str, now: float, span: float) -> int:
        """Mentions of ``issue`` in the whole hours of the last ``span`` seconds (at most the
        two days the hour bins keep)."""
        bins = self.hours.get(issue)
        hours = min(int(span // 3600), 2 * DAY_HOURS)
        return bins.total(int(now // 3600), hours) if bins else 0

    def active(self, burst: Burst) -> bool:
        """Whether the issue has the support to be raised now: enough mentions in the short
        window, or a supported rise over the last day (the slow burn)."""
        return burst.recent >= burst.support or (
            burst.day >= self.day_support and burst.day_z >= Z_EMERGING
        )

    def rising(self, burst: Burst) -> bool:
        """Whether the issue is rising against its own past: a supported short window well
        above the issue's own rate, or a supported day well above its own earlier days. Both
        expectations are the issue's own baseline, so a big issue rises only when it speeds up,
        not merely because it is big and still talked about."""
        return (burst.recent >= burst.support and burst.z >= Z_EMERGING) or (
            burst.day >= self.day_support and burst.day_z >= Z_EMERGING
        )

    def stage(self, burst: Burst, size: int, risk: float, emerged: bool = True) -> str:
        """Lifecycle stage from the burst, the issue's size and its risk score; ``emerged``
        says whether the issue has been emerging before (Hainsworth: it is current only after
        it emerged; one that grew big unnoticed emerges when it rises, see :meth:`risen`)."""
        if not self.active(burst):
            return "potential" if burst.day or burst.recent else "dormant"
        if risk >= self.crisis_risk and burst.recent >= 2 * burst.support:
            return "crisis"
        if size >= CURRENT_SIZE:
            return "current" if emerged else "potential"
        return "emerging" if self.rising(burst) else "potential"

    def risen(self, issue: str, burst: Burst, now: float) -> bool:
        """Whether a big issue that never emerged has risen over the last day against its own
        average day before it (not against a young issue's floor, which any big, steadily
        talked-about issue beats): the test that lets an old issue emerge, whatever its
        size, when a new event joins it. An issue younger than two days has no day of its own
        to compare with: it grew big within its first days without being judged news, and its
        going on growing is not a new rise (CrisisLexT6: spam and check-in clusters of 60-140
        posts were raised by the young issue's floor)."""
        age = now - self.starts.get(issue, now)
        if burst.day < self.day_support or age < 2 * DAY:
            return False
        before = self.totals.get(issue, 0) - burst.day
        expected = max(PRIOR_PER_DAY, before / (age - DAY) * DAY)
        return (burst.day - expected) / math.sqrt(expected) >= Z_EMERGING

    def merge(self, gone: str, into: str) -> None:
        """Fold the recent times of a merged issue into the surviving one."""
        a, b = self.times.pop(gone, []), self.times.get(into, [])
        self.times[into] = sorted([*a, *b])
        gone_bins = self.hours.pop(gone, None)
        if gone_bins is not None:
            self.hours.setdefault(into, HourBins()).merge(gone_bins)
        self.totals[into] = self.totals.get(into, 0) + self.totals.pop(gone, 0)
        self.starts[into] = min(self.starts.get(into, math.inf), self.starts.pop(gone, math.inf))

    def regroup(self, issue: str, times: list[float]) -> None:
        """Make ``issue`` hold exactly the mentions at ``times`` (a split moved the others):
        the stream's volume and hour profile are untouched, they saw every mention once."""
        self.forget(issue)
        if not times:
            return
        ordered = sorted(times)
        bins = self.hours[issue] = HourBins()
        for now in ordered:
            bins.add(int(now // 3600))
        self.times[issue] = ordered
        self.totals[issue] = len(ordered)
        self.starts[issue] = ordered[0]

    def forget(self, issue: str) -> None:
        """Drop a retired issue."""
        self.times.pop(issue, None)
        self.hours.pop(issue, None)
        self.totals.pop(issue, None)
        self.starts.pop(issue, None)

    def snapshot(self) -> dict[str, Any]:
        """JSON-safe state."""
        return {
            "times": {k: list(v) for k, v in self.times.items()},
            "hours": {k: v.dump() for k, v in self.hours.items()},
            "totals": dict(self.totals),
            "starts": dict(self.starts),
            "profile": list(self.profile),
            "boost": self._boost,
            "stream": self.stream.dump(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Load :meth:`snapshot` output."""
        self.times = {k: [float(t) for t in v] for k, v in state["times"].items()}
        # a snapshot from before the day-long window has none: it fills from the next mentions
        self.hours = {k: HourBins.load(v) for k, v in state.get("hours", {}).items()}
        self.totals = {k: int(v) for k, v in state["totals"].items()}
        self.starts = {k: float(v) for k, v in state["starts"].items()}
        self.profile = [float(x) for x in state["profile"]]
        self._boost = float(state["boost"])
        # a snapshot from before the stream's volume was kept: it fills from the next mentions
        self.stream = HourBins.load(state["stream"]) if "stream" in state else HourBins()
