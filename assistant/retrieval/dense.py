"""A read-only copy of the index's vectors beside BM25, so that questions need no Chroma.

Chroma is where ingest keeps and updates vectors (incrementally, by fingerprint) and what a Chroma
server shares. Opening it costs a question more than everything else together: importing
chromadb (0.4 s of CPU), copying the published generation into a private snapshot, and its
client (together 1 to 3 s on the reference machine). So each BM25 version also holds every vector
of the same generation as one float32 matrix (``dense.npy``, memory-mapped) with its entry ids,
and a question is scored exactly against all of them with one matrix product: 3,500 vectors in
well under a millisecond, 70,000 (the 20x corpus) in a few.

Vectors are L2-normalised, so the dot product is the cosine similarity that Chroma's cosine space
reports. A BM25 version without the file (built before it existed) falls back to Chroma.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.chunks import VectorEntry, parent_id

log = logging.getLogger(__name__)

MATRIX_FILE = "dense.npy"
IDS_FILE = "dense_ids.json"
NO_VECTOR = -2.0  # the score of a chunk without any vector (below every cosine)
# Score vectors kept per index: the router searches several times per question, mostly with the
# same text, and one pass over 70,000 vectors (the 20x corpus) costs about 20 ms.
SCORE_CACHE = 32


@dataclass(frozen=True)
class DenseVectors:
    """Every vector of an index generation, row i for entry ``ids[i]``."""

    ids: tuple[str, ...]
    matrix: np.ndarray
    model_id: str = ""


def gather(entries: Sequence[VectorEntry], cache: Any, store: Any, model_id: str = "") -> DenseVectors:
    """The vectors of ``entries``: from the content-hash cache (``VectorCache``), else from the
    store they were just written to (``ChromaStore.vectors``). Entries with no vector anywhere are
    left out (a search then falls back to BM25 for them, as Chroma would)."""
    from assistant.retrieval.embeddings import content_hash

    keys = [content_hash(e.embed_text, cache.model_id) for e in entries]
    found = cache.get_many(keys)
    missing = [e.id for e, k in zip(entries, keys) if k not in found]
    from_store = store.vectors(missing) if missing else {}
    if missing:
        log.info("%d of %d vectors read back from the store (not in the vector cache)", len(from_store), len(entries))
    ids: list[str] = []
    rows: list[np.ndarray] = []
    for e, k in zip(entries, keys):
        vec = found.get(k)
        if vec is None:
            vec = from_store.get(e.id)
        if vec is not None:
            ids.append(e.id)
            rows.append(np.asarray(vec, dtype=np.float32))
    dims = rows[0].shape[0] if rows else 0
    matrix = np.vstack(rows) if rows else np.zeros((0, dims), dtype=np.float32)
    return DenseVectors(tuple(ids), matrix, model_id or cache.model_id)


def save(folder: Path, vectors: DenseVectors) -> None:
    """Write the matrix and its ids into a (not yet published) BM25 version folder."""
    np.save(folder / MATRIX_FILE, np.ascontiguousarray(vectors.matrix, dtype=np.float32), allow_pickle=False)
    (folder / IDS_FILE).write_text(json.dumps({"model": vectors.model_id, "ids": list(vectors.ids)}),
                                   encoding="utf-8")


def exists(folder: Path) -> bool:
    return (folder / MATRIX_FILE).is_file() and (folder / IDS_FILE).is_file()


class DenseIndex:
    """The vectors of one BM25 version, mapped to its chunks by position."""

    def __init__(self, matrix: np.ndarray, parents: np.ndarray, n_chunks: int, model_id: str,
                 ids: Sequence[str]) -> None:
        self.matrix = matrix
        self.parents = parents  # chunk position of each row
        self.n_chunks = n_chunks
        self.model_id = model_id
        self.ids = tuple(ids)
        self._recent: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def chunk_scores(self, vector: np.ndarray) -> np.ndarray:
        """For every chunk, the best cosine similarity of its own vector and its units' vectors
        to ``vector`` (``NO_VECTOR`` for a chunk without vectors). Read-only; recent ones are cached."""
        vector = np.ascontiguousarray(vector, dtype=np.float32)
        key = vector.tobytes()
        with self._lock:
            found = self._recent.get(key)
            if found is not None:
                self._recent.move_to_end(key)
                return found
        best = np.full(self.n_chunks, NO_VECTOR, dtype=np.float32)
        if len(self.matrix):
            # einsum rather than ``@``: BLAS threads cost more than they save on one vector, and
            # waited milliseconds for each other on a busy machine.
            sims = np.einsum("ij,j->i", self.matrix, vector)
            np.maximum.at(best, self.parents, sims)
        best.flags.writeable = False
        with self._lock:
            self._recent[key] = best
            while len(self._recent) > SCORE_CACHE:
                self._recent.popitem(last=False)
        return best


def load(folder: Path, position: dict[str, int]) -> DenseIndex | None:
    """The dense index of a BM25 version folder, or None when it has none (or it is unreadable)."""
    if not exists(folder):
        return None
    try:
        meta = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
        ids = list(meta["ids"])
        matrix = np.load(folder / MATRIX_FILE, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring the dense vectors in %s: %s", folder, exc)
        return None
    if matrix.ndim != 2 or matrix.shape[0] != len(ids):
        log.warning("ignoring the dense vectors in %s: %d ids for a %s matrix", folder, len(ids), matrix.shape)
        return None
    parents = np.array([position.get(parent_id(i), -1) for i in ids], dtype=np.int64)
    keep = parents >= 0
    if not keep.all():  # ids of chunks that the records do not hold: never expected, but harmless
        matrix, parents, ids = matrix[keep], parents[keep], [i for i, k in zip(ids, keep) if k]
    return DenseIndex(matrix, parents, len(position), str(meta.get("model", "")), ids)
