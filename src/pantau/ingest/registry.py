"""The connectors: the ``pantau.connectors`` plugin group, pantau's own connectors included.

``pip install pantau-foo`` adding ``[project.entry-points."pantau.connectors"]`` makes ``foo``
usable in ``pantau source add --kind foo`` without touching pantau (see :mod:`pantau.plugins`).

>>> sorted(available())[:3]
['lapor', 'mapping', 'meta']
"""

from __future__ import annotations

import logging
from typing import Any

from pantau.plugins import PluginGroup, PluginNotFound

__all__ = ["CONNECTORS", "ConnectorNotFound", "available", "get_connector"]

logger = logging.getLogger(__name__)


class ConnectorNotFound(PluginNotFound):
    """No connector of that name is installed."""


CONNECTORS = PluginGroup(
    "pantau.connectors",
    "konektor",
    {
        "rss": "pantau.ingest.feeds:FeedConnector",
        "sitemap": "pantau.ingest.sitemaps:SitemapConnector",
        "x-v2": "pantau.ingest.x_v2:XV2Connector",
        "meta": "pantau.ingest.meta:MetaConnector",
        "youtube": "pantau.ingest.youtube:YouTubeConnector",
        "tiktok": "pantau.ingest.tiktok:TikTokConnector",
        "lapor": "pantau.ingest.lapor:LaporConnector",
        "mapping": "pantau.ingest.mapping:MappingConnector",
    },
    ConnectorNotFound,
)


def available() -> list[str]:
    """Names of every connector, built-in or installed."""
    return CONNECTORS.names()


def get_connector(name: str) -> Any:
    """A fresh instance of the connector called ``name``; raises :class:`ConnectorNotFound`."""
    return CONNECTORS.load(name)()
