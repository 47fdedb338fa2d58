"""Coordination signal: several accounts posting near-identical text within a short time.

Texts are keyed by their set of content words, so reordering, punctuation, links and handles do
not hide a copy. When enough distinct accounts share a key inside the window, the group is
reported once and every later copy is flagged as coordinated.

>>> c = CoordinationDetector(window=600, min_accounts=3)
>>> words = ["jalan", "rusak", "parah", "samarinda"]
>>> [c.observe(words, f"akun{i}", i * 10.0) is not None for i in range(4)]
[False, False, True, False]
>>> c.is_coordinated(words, 50.0)
True
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from pantau.issues.features import shingle_key

__all__ = ["CoordinationDetector"]

logger = logging.getLogger(__name__)

#: Texts with fewer distinct content words are too generic to call copies ("banjir lagi").
MIN_WORDS = 4
#: How often (in observations) stale keys are swept out, bounding memory.
SWEEP_EVERY = 5000


class CoordinationDetector:
    """Groups of accounts posting the same content words within ``window`` seconds."""

    def __init__(self, window: float = 1800.0, min_accounts: int = 3) -> None:
        self.window = window
        self.min_accounts = min_accounts
        self.recent: dict[str, deque[tuple[float, str]]] = {}
        self.flagged: dict[str, float] = {}  # key -> time the group was found
        self.seen = 0
        self._last_words: tuple[str, ...] | None = None
        self._last_key: str | None = None

    def observe(self, words: list[str], author: str | None, now: float) -> list[str] | None:
        """Record a post; returns the group's accounts the first time a group is found."""
        self.seen += 1
        if self.seen % SWEEP_EVERY == 0:
            self._sweep(now)
        if author is None:
            return None
        key = self._key(words)
        if key is None:
            return None
        posts = self.recent.setdefault(key, deque())
        posts.append((now, author))
        while posts and now - posts[0][0] > self.window:
            posts.popleft()
        if key in self.flagged:
            self.flagged[key] = now
            return None
        accounts = sorted({a for _, a in posts})
        if len(accounts) >= self.min_accounts:
            self.flagged[key] = now
            logger.debug("coordinated group of %d accounts", len(accounts))
            return accounts
        return None

    def is_coordinated(self, words: list[str], now: float) -> bool:
        """Whether this text belongs to a group found within the window."""
        key = self._key(words)
        if key is None:
            return False
        seen = self.flagged.get(key)
        return seen is not None and now - seen <= self.window

    def _key(self, words: list[str]) -> str | None:
        """The copy key of ``words`` (None when too few distinct words); the last one is kept,
        since the tracker asks :meth:`observe` and :meth:`is_coordinated` about the same words."""
        seq = tuple(words)
        if seq == self._last_words:
            return self._last_key
        key = shingle_key(words) if len(set(seq)) >= MIN_WORDS else None
        self._last_words, self._last_key = seq, key
        return key

    def _sweep(self, now: float) -> None:
        for key in [k for k, v in self.recent.items() if not v or now - v[-1][0] > self.window]:
            del self.recent[key]
        for key in [k for k, t in self.flagged.items() if now - t > self.window]:
            del self.flagged[key]

    def snapshot(self) -> dict[str, Any]:
        """JSON-safe state."""
        return {
            "recent": {k: [list(p) for p in v] for k, v in self.recent.items()},
            "flagged": dict(self.flagged),
            "seen": self.seen,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Load :meth:`snapshot` output."""
        self.recent = {
            k: deque((float(t), str(a)) for t, a in v) for k, v in state["recent"].items()
        }
        self.flagged = {k: float(t) for k, t in state["flagged"].items()}
        self.seen = int(state["seen"])
