"""Ingest: connectors (plugins), safe fetching, extraction, imports, quarantine, source health.

Connectors turn sources into :class:`pantau.records.MentionIn` records; the sink writes them to
the store exactly once; the runner polls sources on their schedules. See ``registry`` for the
plugin entry points.
"""

from pantau.ingest.connector import (
    FileConnector,
    PollContext,
    PollingConnector,
    PollResult,
    RecordError,
    SourceSpec,
)
from pantau.ingest.dates import parse_date
from pantau.ingest.fetch import FetchError, FetchResult, SafeFetcher
from pantau.ingest.registry import ConnectorNotFound, available, get_connector
from pantau.ingest.urls import UrlError, canonical_url

__all__ = [
    "ConnectorNotFound",
    "FetchError",
    "FetchResult",
    "FileConnector",
    "PollContext",
    "PollResult",
    "PollingConnector",
    "RecordError",
    "SafeFetcher",
    "SourceSpec",
    "UrlError",
    "available",
    "canonical_url",
    "get_connector",
    "parse_date",
]
