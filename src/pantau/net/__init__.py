"""Network safety shared by every stage that reaches out: ingest's fetcher, alerts' webhooks.

An address that somebody else chose (a feed, a redirect, a webhook URL) is resolved and checked
before the request and again on the address the connection is opened to.
"""

from pantau.net.addresses import AddressPolicy, AddressRefused, http_endpoint, networks, resolve
from pantau.net.client import guarded_client

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "guarded_client",
    "http_endpoint",
    "networks",
    "resolve",
]
