"""Running stages on a Dask distributed cluster instead of in-process.

The text stage's per-record work (language, sentiment, regions, watchlists, noise, MinHash
signatures) runs on the cluster's workers, batch by batch; the one sequential step, linking
near-duplicates and copy-paste bursts through one index in input order, stays in the calling
process. The output is therefore the same as the single-process run, record for record.
"""

from pantau.scale.cluster import IN_FLIGHT_PER_WORKER, connect
from pantau.scale.text import ClusterAnalyzer, LocalAnalyzer, Outcome

__all__ = ["IN_FLIGHT_PER_WORKER", "ClusterAnalyzer", "LocalAnalyzer", "Outcome", "connect"]
