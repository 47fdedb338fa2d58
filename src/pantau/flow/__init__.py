"""The flow: running the stages, poll -> store -> analyze -> issues -> route and deliver, for every
mention whatever brought it. The stages themselves live in their packages; this one only wires
them together, so it sits on top of them (with ``web`` and ``cli``) and nothing below imports it.

The names below load their module on first use: ``Flow`` wires every stage (alerts, newsroom,
reports, ingest), and a process that only needs the pipeline (a worker that reanalyzes on a Dask
cluster, :mod:`pantau.scale.reanalyze`) should not import them all to read one of its modules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pantau.flow.loop import DELIVER_EVERY, Flow, FlowStats
    from pantau.flow.ownership import ClusteringOwner, FencedOut
    from pantau.flow.pipeline import BATCH_SIZE, Pipeline, PipelineResult, Progress
    from pantau.flow.share import FairShare, ProvinceLocks
    from pantau.flow.trackers import Provinces

__all__ = [
    "BATCH_SIZE",
    "DELIVER_EVERY",
    "ClusteringOwner",
    "FairShare",
    "FencedOut",
    "Flow",
    "FlowStats",
    "Pipeline",
    "PipelineResult",
    "Progress",
    "ProvinceLocks",
    "Provinces",
]

#: Each public name -> the module of this package that defines it.
_HOMES = {
    "BATCH_SIZE": "pipeline",
    "DELIVER_EVERY": "loop",
    "ClusteringOwner": "ownership",
    "FairShare": "share",
    "FencedOut": "ownership",
    "Flow": "loop",
    "FlowStats": "loop",
    "Pipeline": "pipeline",
    "PipelineResult": "pipeline",
    "Progress": "pipeline",
    "ProvinceLocks": "share",
    "Provinces": "trackers",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # found once: the next lookup is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
