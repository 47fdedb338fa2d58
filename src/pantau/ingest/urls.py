"""Canonical URLs: one article, one address, however a feed or a share button decorated it.

Indonesian news sites link one article through many addresses: tracking parameters
(``utm_*``, ``fbclid``), "show on one page" switches (Kompas ``?page=all``, Detik ``?single=1``),
AMP copies (``amp.kompas.com``, ``/amp`` suffixes), upper-case hosts, default ports and fragments.
:func:`canonical_url` folds them so that exactly-once identity can rely on the URL.

>>> canonical_url("HTTPS://Regional.Kompas.com:443/read/2024/09/24/1?utm_source=fb&page=all#x")
'https://regional.kompas.com/read/2024/09/24/1'
>>> canonical_url("https://www.detik.com/kalimantan/berita/d-123/judul?single=1&b=2&a=1")
'https://www.detik.com/kalimantan/berita/d-123/judul?a=1&b=2'
>>> canonical_url("https://twitter.com/infosamarinda/status/1838512?s=20&t=abc")
'https://x.com/infosamarinda/status/1838512'
>>> canonical_url("https://amp.kompas.com/regional/read/2024/09/24/1/amp/")
'https://kompas.com/regional/read/2024/09/24/1'
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMS", "UrlError", "canonical_url", "host_of"]

#: Query parameters that never change what a page shows: analytics and "whole article" switches.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "_ga", "ref",
        "ref_src", "src", "source", "from", "cx_testId", "cx_testVariant", "page", "single",
        "showpage", "amp", "outputType", "tag_from", "medium", "campaign", "_gl", "s_cid",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "cx_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Hosts whose post URLs carry only share tracking in the query (``?s=20&t=...``).
_QUERYLESS_HOSTS = {"x.com": "x.com", "twitter.com": "x.com", "mobile.twitter.com": "x.com",
                    "www.twitter.com": "x.com", "mobile.x.com": "x.com"}  # fmt: skip
_AMP_SUFFIX = re.compile(r"/(?:amp|amp\.html)/?$", re.IGNORECASE)


class UrlError(ValueError):
    """A URL that cannot identify a web page (no http/https scheme or no host)."""


def _drop_param(name: str) -> bool:
    low = name.lower()
    return low in {p.lower() for p in TRACKING_PARAMS} or low.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Fold ``url`` to the form used as an article's identity; raises :class:`UrlError`."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise UrlError(f"bukan alamat web http/https: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("amp."):
        host = host[4:]
    queryless = host in _QUERYLESS_HOSTS
    host = _QUERYLESS_HOSTS.get(host, host)
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%")
    path = _AMP_SUFFIX.sub("", path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _drop_param(k) and not queryless)  # fmt: skip
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def host_of(url: str) -> str:
    """The lower-case host of ``url`` (empty when it has none)."""
    return (urlsplit(url).hostname or "").lower()
