"""SSRF guard: which network addresses pantau may reach, decided after DNS resolution.

A feed URL, a redirect it answers with, or a webhook address typed in by a user could point at
the machine itself (``127.0.0.1``), the office network (``10.x``, ``192.168.x``) or a cloud
metadata service (``169.254.169.254``). :class:`AddressPolicy` resolves the host and refuses
unless every address is public, or allowed explicitly (all of them, or named networks).

>>> policy = AddressPolicy(allow_private=False)
>>> policy.refusal("169.254.169.254") is not None
True
>>> AddressPolicy(allow_networks=networks(" 127.0.0.0/8, ")).refusal("127.0.0.1") is None
True
>>> http_endpoint("https://example.org/feed"), http_endpoint("file:///etc/passwd")
(('example.org', 443), None)
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["AddressPolicy", "AddressRefused", "http_endpoint", "networks", "resolve"]

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The host resolves to an address the fetcher must not reach; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def networks(setting: str) -> tuple[str, ...]:
    """The networks named in a comma-separated setting such as ``fetch_allow_hosts``."""
    return tuple(n.strip() for n in setting.split(",") if n.strip())


def http_endpoint(url: str) -> tuple[str, int] | None:
    """The host and port an http(s) URL connects to, or ``None`` for any other kind of URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressRefused(f"nama host {host!r} tidak dapat di-resolve ({exc})") from exc
    out: list[IPAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if addr not in out:
            out.append(addr)
    return out


def _kind(addr: IPAddress) -> str | None:
    """Why ``addr`` is not public, or ``None`` when it is."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return _kind(addr.ipv4_mapped)
    if addr.is_loopback:
        return "loopback"
    if addr.is_link_local:
        return "link-local"
    if addr.is_private:
        return "privat"
    if addr.is_multicast or addr.is_reserved or addr.is_unspecified or not addr.is_global:
        return "khusus/tidak publik"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which non-public addresses are allowed anyway."""

    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()

    def _allowed_explicitly(self, addr: IPAddress) -> bool:
        for net in self.allow_networks:
            try:
                if addr in ipaddress.ip_network(net, strict=False):
                    return True
            except ValueError:
                logger.warning("fetch_allow_hosts: %r is not a network, ignored", net)
        return False

    def _judge(self, host: str, addresses: list[IPAddress]) -> str | None:
        if self.allow_private:
            return None
        for addr in addresses:
            kind = _kind(addr)
            if kind is not None and not self._allowed_explicitly(addr):
                return f"alamat {kind} ditolak: {host} -> {addr}"
        return None

    def refusal(self, host: str, port: int = 80) -> str | None:
        """The reason ``host`` may not be fetched, or ``None`` when it may."""
        try:
            addresses = resolve(host, port)
        except AddressRefused as exc:
            return exc.reason
        return self._judge(host, addresses)

    def pin(self, host: str, port: int) -> str:
        """Resolve ``host`` once, check every address, and return the one to connect to.

        Connecting to this exact address (not resolving again) closes the DNS-rebinding gap
        between the check and the connection.
        """
        addresses = resolve(host, port)
        reason = self._judge(host, addresses)
        if reason is not None:
            raise AddressRefused(reason)
        return str(addresses[0])

    def check(self, host: str, port: int) -> None:
        """Raise :class:`AddressRefused` when ``host`` may not be fetched."""
        reason = self.refusal(host, port)
        if reason is not None:
            raise AddressRefused(reason)
