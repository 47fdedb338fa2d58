"""The address guard shared by ingest's fetcher and the webhook channel (no network needed:
every host here is a literal address or resolves locally)."""

from __future__ import annotations

import doctest

import pytest

from pantau.net import AddressPolicy, addresses


def test_the_examples_hold() -> None:
    result = doctest.testmod(addresses, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.0.0.8",
        "192.168.1.1",
        "172.16.5.4",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "0.0.0.0",
        "localhost",
    ],
)
def test_private_loopback_link_local_refused(host):
    assert AddressPolicy().refusal(host) is not None
    assert AddressPolicy(allow_private=True).refusal(host) is None


def test_allow_networks_is_narrow():
    policy = AddressPolicy(allow_networks=("127.0.0.0/8",))
    assert policy.refusal("127.0.0.1") is None
    assert policy.refusal("10.0.0.1") is not None
    assert AddressPolicy().refusal("8.8.8.8") is None
