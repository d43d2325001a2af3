"""The Chroma vector store: a persistent, cosine collection that only ever receives our vectors.

The collection is created with ``embedding_function=None`` and every write passes ``embeddings=``
and every query ``query_embeddings=``, so Chroma's default (downloading) embedding function never
runs. Ids are deterministic (see ``chunks.Chunk.id``), so writes are upserts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.chunks import VectorEntry

log = logging.getLogger(__name__)

COLLECTION = "plan_assistant_chunks"


@dataclass(frozen=True)
class DenseMatch:
    """One nearest neighbour: chunk id and cosine similarity."""

    id: str
    similarity: float


class ChromaStore:
    """A PersistentClient under ``chroma_dir`` with telemetry off and one cosine collection."""

    def __init__(self, chroma_dir: Path, create: bool = True) -> None:
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        if create:
            chroma_dir.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(path=str(chroma_dir),
                                                 settings=ChromaSettings(anonymized_telemetry=False))
        if create:
            self._col = self._client.get_or_create_collection(
                COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine"})
        else:
            self._col = self._client.get_collection(COLLECTION, embedding_function=None)
        self._batch = max(1, min(self._client.get_max_batch_size(), 4000))

    def count(self) -> int:
        return self._col.count()

    def fingerprints(self) -> dict[str, str]:
        """Every stored id with the fingerprint of the chunk it holds."""
        out: dict[str, str] = {}
        total = self._col.count()
        for offset in range(0, total, self._batch):
            got = self._col.get(include=["metadatas"], limit=self._batch, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"] or []):
                out[cid] = str((meta or {}).get("fingerprint", ""))
        return out

    def upsert(self, entries: Sequence[VectorEntry], vectors: np.ndarray) -> None:
        """Insert or replace entries with their vectors (never without vectors)."""
        if len(entries) != len(vectors):
            raise ValueError("one vector per entry is required")
        for i in range(0, len(entries), self._batch):
            part = entries[i:i + self._batch]
            self._col.upsert(ids=[e.id for e in part], embeddings=vectors[i:i + self._batch],
                             documents=[e.document for e in part], metadatas=[e.metadata for e in part])

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these ids (missing ids are left out)."""
        if not ids:
            return {}
        got = self._col.get(ids=list(ids), include=["embeddings"])
        embs = got.get("embeddings")
        if embs is None:
            return {}
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], embs)}

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), self._batch):
            self._col.delete(ids=list(ids[i:i + self._batch]))

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[DenseMatch]:
        """The ``n`` nearest chunks by cosine similarity, optionally filtered on metadata."""
        if n <= 0:
            return []
        res = self._col.query(query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=n,
                              where=where or None, include=["distances"])
        ids = (res.get("ids") or [[]])[0]
        dists = (res.get("distances") or [[]])[0]
        return [DenseMatch(i, 1.0 - float(d)) for i, d in zip(ids, dists)]


def where_clause(conditions: dict[str, Sequence[str]]) -> dict[str, Any] | None:
    """A Chroma ``where`` from field -> allowed values (all fields must match)."""
    parts = [{field: {"$in": list(values)}} for field, values in conditions.items()]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}
