"""The connector registry: entry points in the ``pantau.connectors`` group, built-ins included.

pantau's own connectors are declared in its ``pyproject.toml`` exactly like a third-party
plugin's, so ``pip install pantau-foo`` adding ``[project.entry-points."pantau.connectors"]``
makes ``foo`` usable in ``pantau source add --kind foo`` without touching pantau.

>>> sorted(available())[:3]
['lapor', 'mapping', 'meta']
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import entry_points
from typing import Any

__all__ = ["BUILTINS", "ENTRY_POINT_GROUP", "ConnectorNotFound", "available", "get_connector"]

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "pantau.connectors"

#: The same targets ``pyproject.toml`` declares; used only when the installed metadata is older
#: than the source tree (an editable install made before a connector was added).
BUILTINS: dict[str, str] = {
    "rss": "pantau.ingest.feeds:FeedConnector",
    "sitemap": "pantau.ingest.sitemaps:SitemapConnector",
    "x-v2": "pantau.ingest.x_v2:XV2Connector",
    "meta": "pantau.ingest.meta:MetaConnector",
    "youtube": "pantau.ingest.youtube:YouTubeConnector",
    "tiktok": "pantau.ingest.tiktok:TikTokConnector",
    "lapor": "pantau.ingest.lapor:LaporConnector",
    "mapping": "pantau.ingest.mapping:MappingConnector",
}


class ConnectorNotFound(LookupError):
    """No connector of that name is installed."""


def _load_target(target: str) -> Any:
    import importlib

    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


@cache
def _targets() -> dict[str, str]:
    found: dict[str, str] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep.value
    for name, target in BUILTINS.items():
        if name not in found:
            logger.warning("connector %s missing from installed metadata; reinstall pantau", name)
            found[name] = target
    return found


def available() -> list[str]:
    """Names of every installed connector."""
    return list(_targets())


def get_connector(name: str) -> Any:
    """A fresh instance of the connector called ``name``; raises :class:`ConnectorNotFound`."""
    target = _targets().get(name)
    if target is None:
        raise ConnectorNotFound(
            f"konektor {name!r} tidak dikenal; tersedia: {', '.join(sorted(available()))}"
        )
    factory = _load_target(target)
    return factory()
