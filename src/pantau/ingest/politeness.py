"""Politeness toward the sites we read: a per-host request interval and robots.txt.

Regional news sites often run on small servers; polling twenty feeds of one publisher at once
looks like an attack. :class:`HostThrottle` spaces requests to one host; :class:`RobotsRules`
keeps each host's robots.txt (RFC 9309) for a while and answers whether a path may be fetched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

__all__ = ["ROBOTS_TTL", "HostThrottle", "RobotsAnswer", "RobotsRules"]

logger = logging.getLogger(__name__)

#: Seconds a host's robots.txt is trusted before it is read again (Google caches up to 24 h;
#: an hour lets an editor's change reach us the same morning).
ROBOTS_TTL = 3600.0


class HostThrottle:
    """Waits so that two requests to one host are at least ``interval`` seconds apart."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, host: str) -> float:
        """Book the next slot for ``host`` and return how long the caller must wait first."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
            return slot - now

    def wait(self, host: str) -> None:
        """Sleep until ``host`` may be asked again."""
        delay = self.reserve(host)
        if delay > 0:
            logger.debug("throttle %s: waiting %.2fs", host, delay)
            time.sleep(delay)


@dataclass(frozen=True)
class RobotsAnswer:
    """What a host's robots.txt fetch gave: its status and text (empty when none)."""

    status: int
    text: str


class RobotsRules:
    """Cached robots.txt per host; ``fetch_robots(url)`` returns a :class:`RobotsAnswer`."""

    def __init__(
        self,
        fetch_robots: Callable[[str], RobotsAnswer],
        user_agent: str,
        ttl: float = ROBOTS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch_robots
        self._agent = user_agent.split("/")[0]
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, RobotFileParser]] = {}

    def _parser_for(self, root: str) -> RobotFileParser:
        cached = self._cache.get(root)
        if cached and self._clock() - cached[0] < self._ttl:
            return cached[1]
        parser = RobotFileParser()
        answer = self._fetch(root + "/robots.txt")
        if answer.status >= 500 or answer.status == 0:
            # RFC 9309 2.3.1.4: an unreachable robots.txt means "assume everything disallowed"
            parser.parse(["User-agent: *", "Disallow: /"])
        elif answer.status >= 400:
            parser.parse([])  # RFC 9309 2.3.1.3: an unavailable robots.txt means "no rules"
        else:
            parser.parse(answer.text.splitlines())
        self._cache[root] = (self._clock(), parser)
        return parser

    def allowed(self, url: str) -> bool:
        """Whether ``url`` may be fetched under its host's robots.txt."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        return self._parser_for(root).can_fetch(self._agent, url)
