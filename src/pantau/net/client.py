"""The guarded HTTP client: connections only to addresses the policy allows, pinned at connect.

Both the fetcher that reads feeds and the webhook channel that calls user-typed URLs go out to
addresses somebody else chose, so both open their connections through :func:`guarded_client`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from pantau.net.addresses import AddressPolicy, AddressRefused

__all__ = ["guarded_client"]

logger = logging.getLogger(__name__)


class _PinnedBackend(httpcore.SyncBackend):
    """Opens every TCP connection to an address the policy checked at that very moment."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            address = self.policy.pin(host, port)
        except AddressRefused as exc:
            raise httpcore.ConnectError(exc.reason) from exc
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def guarded_client(policy: AddressPolicy, timeout: float) -> httpx.Client:
    """An HTTP client that connects only to addresses ``policy`` allows, checked on the address
    it connects to (no second DNS lookup), follows no redirects and ignores proxy variables."""
    transport = httpx.HTTPTransport(retries=0)
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        # httpx offers no public hook for the connection backend; the callers' pre-request
        # checks still refuse bad hosts if a future httpx renames this attribute
        pool._network_backend = _PinnedBackend(policy)
    else:
        logger.warning("httpx internals changed: connect-time address pinning is off")
    return httpx.Client(
        transport=transport, timeout=timeout, follow_redirects=False, trust_env=False
    )
