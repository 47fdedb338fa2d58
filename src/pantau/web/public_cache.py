"""Answers for pages anyone may read: ETag, Cache-Control, and a short in-memory reuse.

The public newsroom is read far more than it changes, and by people on slow phones: a page is
rendered once per ``newsroom_cache_seconds`` per worker, sent with a strong ETag (a repeat visit
gets ``304 Not Modified``) and ``Cache-Control: public`` so that proxies may keep it too. Pages
that change what the public sees (publishing, moderation) call :meth:`PublicCache.clear`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request, Response

__all__ = ["PublicCache", "public_cache"]

#: Most distinct public addresses (path + query) remembered; searches make the space unbounded.
MAX_ENTRIES = 512


@dataclass(frozen=True)
class _Entry:
    expires: float
    body: bytes
    media_type: str
    etag: str


class PublicCache:
    """A tiny, thread-safe TTL cache of rendered public answers, keyed by path and query."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def answer(
        self, request: Request, render: Callable[[], tuple[bytes, str]], *, status: int = 200
    ) -> Response:
        """``render()`` -> (body, media type), reused for ``ttl`` seconds, revalidated by ETag."""
        key = request.url.path + "?" + request.url.query
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is None or entry.expires <= now:
            body, media_type = render()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            entry = _Entry(now + self.ttl, body, media_type, etag)
            if status == 200:
                with self._lock:
                    if len(self._entries) >= MAX_ENTRIES:
                        self._entries.clear()
                    self._entries[key] = entry
        headers = {
            "ETag": entry.etag,
            "Cache-Control": f"public, max-age={int(self.ttl)}",
            "Vary": "Accept-Encoding",
        }
        if status == 200 and entry.etag in _tags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return Response(
            entry.body, status_code=status, media_type=entry.media_type, headers=headers
        )


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def public_cache(request: Request) -> PublicCache:
    """The app's cache of public answers (made on first use, sized by the settings)."""
    cache: PublicCache | None = getattr(request.app.state, "public_cache", None)
    if cache is None:
        cache = PublicCache(float(request.app.state.settings.newsroom_cache_seconds))
        request.app.state.public_cache = cache
    return cache
