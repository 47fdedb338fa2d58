"""Connecting to a Dask cluster: a local one of N worker processes, or an existing scheduler."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["IN_FLIGHT_PER_WORKER", "connect"]

logger = logging.getLogger(__name__)

#: Batches submitted per worker before the first result is awaited: two keep every worker busy
#: while the caller links and writes the previous batch, and bound the memory a long stream takes.
IN_FLIGHT_PER_WORKER = 2


@contextmanager
def connect(workers: int | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A client of an existing scheduler (``scheduler``, e.g. ``tcp://10.0.0.5:8786``), or of a
    local cluster of ``workers`` single-threaded processes on 127.0.0.1, closed on exit.

    Processes rather than threads: the stage is Python code that holds the GIL most of its time.
    """
    from distributed import (  # only a run that asked for a cluster pays for Dask
        Client,
        LocalCluster,
    )

    if scheduler:
        logger.info("memakai penjadwal Dask %s", scheduler)
        with Client(scheduler) as client:
            yield client
        return
    count = max(1, int(workers or 1))
    logger.info("memulai klaster Dask lokal dengan %d pekerja", count)
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,  # no dashboard: nobody asked for one
            # The scheduler serves its HTTP routes (health, metrics) even so, by default on
            # 0.0.0.0:8787: a free loopback port instead, so that two clusters on one machine
            # (another run, a parallel test) do not clash and the network cannot reach it.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
