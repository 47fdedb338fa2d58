"""The flow: running the stages, poll -> store -> analyze -> issues -> route and deliver, for every
mention whatever brought it. The stages themselves live in their packages; this one only wires
them together, so it sits on top of them (with ``web`` and ``cli``) and nothing below imports it.
"""

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
