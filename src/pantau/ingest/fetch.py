"""The one way ingest reads the web: safe, bounded, polite and conditional.

Every request goes through :class:`SafeFetcher`, which
- refuses private, loopback and link-local addresses after DNS resolution, on the first URL and
  on every redirect (redirects are followed here, one by one, never by httpx);
- honours robots.txt and a per-host interval;
- sends ``If-None-Match`` / ``If-Modified-Since`` and reports a 304 as ``not_modified``;
- checks the content type against what the caller accepts;
- reads at most ``fetch_max_bytes`` *after* decompression, decoding gzip/deflate itself in
  bounded steps, so a 50 MB page or a decompression bomb is cut off with its reason recorded.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from pantau.ingest.politeness import HostThrottle, RobotsAnswer, RobotsRules
from pantau.net import AddressPolicy, AddressRefused, guarded_client, http_endpoint, networks
from pantau.settings import Settings

__all__ = [
    "FEED_TYPES",
    "HTML_TYPES",
    "MAX_COMPRESSION_RATIO",
    "FetchError",
    "FetchResult",
    "SafeFetcher",
]

logger = logging.getLogger(__name__)

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
     "application/rdf+xml", "application/x-rss+xml", "text/html", "text/plain"}
)  # fmt: skip  # text/html: many Indonesian CMSs serve feeds with the wrong type
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Decompressed/compressed ratio above which a body is treated as a bomb. Real HTML and RSS
#: compress 4-12x with gzip; 200x only happens with padding built to exhaust memory.
MAX_COMPRESSION_RATIO = 200
#: Bytes decompressed before the ratio is judged (small bodies have noisy ratios).
_RATIO_FLOOR = 1 << 20
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that produced no usable body; ``reason`` is shown to users (Indonesian)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class FetchResult:
    """A finished fetch: final URL, status, body (possibly cut) and validators for next time."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    cut_reason: str | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request."""
        return self.status == 304

    charset: str = "utf-8"

    def text(self) -> str:
        """The body as text in the charset the server named (UTF-8 by default), errors replaced."""
        try:
            return self.body.decode(self.charset, errors="replace")
        except LookupError:  # an unknown charset name
            return self.body.decode("utf-8", errors="replace")


class _Decoder:
    """Incremental gzip/deflate decoding that never produces more than asked for."""

    def __init__(self, encoding: str) -> None:
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise ValueError(f"Content-Encoding tidak didukung: {encoding}")

    fed = 0

    def feed(self, chunk: bytes, limit: int) -> bytes:
        self.fed += len(chunk)
        if self._z is None:
            return chunk[:limit]
        return self._z.decompress(self._z.unconsumed_tail + chunk, limit)

    @property
    def consumed(self) -> int:
        """Compressed bytes actually decoded so far (input waiting in the tail excluded)."""
        return self.fed - (len(self._z.unconsumed_tail) if self._z is not None else 0)


class SafeFetcher:
    """HTTP GET with SSRF protection, limits, robots.txt, throttling and conditional requests."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.policy = AddressPolicy(
            settings.fetch_allow_private, networks(settings.fetch_allow_hosts)
        )
        self.max_bytes: int = settings.fetch_max_bytes
        self.max_redirects: int = settings.fetch_max_redirects
        self.user_agent: str = settings.fetch_user_agent
        self.throttle = HostThrottle(settings.fetch_host_interval)
        self.robots = (
            RobotsRules(self._fetch_robots, self.user_agent) if settings.fetch_robots else None
        )
        self._client = client or guarded_client(self.policy, settings.fetch_timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fetch_robots(self, url: str) -> RobotsAnswer:
        try:
            res = self._get(url, None, None, None, check_robots=False)
        except FetchError as exc:
            logger.info("robots.txt %s: %s", url, exc.reason)
            return RobotsAnswer(0, "")
        return RobotsAnswer(res.status, res.text() if res.status < 300 else "")

    def get(
        self,
        url: str,
        *,
        accept: frozenset[str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Fetch ``url``; raises :class:`FetchError` with a reason when nothing usable came."""
        return self._get(url, accept, etag, last_modified, check_robots=True)

    def _get(
        self,
        url: str,
        accept: frozenset[str] | None,
        etag: str | None,
        last_modified: str | None,
        *,
        check_robots: bool,
    ) -> FetchResult:
        redirects: list[str] = []
        current = url
        for _ in range(self.max_redirects + 1):
            endpoint = http_endpoint(current)
            if endpoint is None:
                raise FetchError(current, "hanya alamat http/https yang boleh diambil")
            host, port = endpoint
            try:
                self.policy.check(host, port)
            except AddressRefused as exc:
                raise FetchError(current, exc.reason) from exc
            if check_robots and self.robots is not None and not self.robots.allowed(current):
                raise FetchError(current, "dilarang oleh robots.txt")
            self.throttle.wait(host)
            headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            try:
                with self._client.stream("GET", current, headers=headers) as response:
                    if response.is_redirect and "location" in response.headers:
                        redirects.append(current)
                        current = urljoin(current, response.headers["location"])
                        continue
                    result = self._read(current, response, accept)
            except httpx.HTTPError as exc:
                raise FetchError(current, f"gagal terhubung: {type(exc).__name__}: {exc}") from exc
            result.redirects = redirects
            return result
        raise FetchError(url, f"terlalu banyak pengalihan (lebih dari {self.max_redirects})")

    def _read(
        self, url: str, response: httpx.Response, accept: frozenset[str] | None
    ) -> FetchResult:
        raw_type = response.headers.get("content-type", "")
        ctype = raw_type.split(";")[0].strip().lower()
        charset = "utf-8"
        for param in raw_type.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"').lower()
        result = FetchResult(
            url=url,
            status=response.status_code,
            content_type=ctype,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            charset=charset,
        )
        if response.status_code == 304 or response.status_code >= 400:
            return result
        if accept is not None and ctype and ctype not in accept:
            raise FetchError(url, f"jenis konten tidak diterima: {ctype}")
        try:
            decoder = _Decoder(response.headers.get("content-encoding", ""))
        except ValueError as exc:
            raise FetchError(url, str(exc)) from exc
        parts: list[bytes] = []
        size = 0
        for chunk in response.iter_raw(_CHUNK):
            try:
                out = decoder.feed(chunk, self.max_bytes - size + 1)
            except zlib.error as exc:
                raise FetchError(url, f"isi terkompresi rusak: {exc}") from exc
            size += len(out)
            parts.append(out)
            if size >= _RATIO_FLOOR and size > MAX_COMPRESSION_RATIO * decoder.consumed:
                raise FetchError(
                    url, f"bom dekompresi ditolak (rasio lebih dari {MAX_COMPRESSION_RATIO}:1)"
                )
            if size > self.max_bytes:
                result.cut_reason = (
                    f"isi dipotong pada {self.max_bytes} byte (batas fetch_max_bytes)"
                )
                logger.warning("%s: %s", url, result.cut_reason)
                break
        result.body = b"".join(parts)[: self.max_bytes]
        return result
