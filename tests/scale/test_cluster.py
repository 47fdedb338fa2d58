"""A local Dask cluster listens on nothing fixed: its scheduler's HTTP routes (health, metrics)
take a free loopback port, so a second cluster on the machine (another run, a parallel test
worker) neither clashes on Dask's default 8787 nor is reachable from the network."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator

import pytest

from pantau.scale import connect

DASK_DEFAULT_HTTP_PORT = 8787


@pytest.fixture
def default_port_taken() -> Iterator[None]:
    """Dask's default HTTP port held by someone else for the test's length."""
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", DASK_DEFAULT_HTTP_PORT))
        holder.listen()
    except OSError as exc:  # already held by another process: the same situation
        assert exc.errno == errno.EADDRINUSE, exc
    try:
        yield
    finally:
        holder.close()


@pytest.mark.usefixtures("default_port_taken")
def test_a_local_cluster_starts_while_the_default_dashboard_port_is_taken() -> None:
    with connect(workers=1) as client:  # Dask warns on a taken port: the suite's warnings fail
        assert client.submit(sum, [1, 2]).result() == 3
        http = client.cluster.scheduler.http_server
        assert http.port != DASK_DEFAULT_HTTP_PORT
