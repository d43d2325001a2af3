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
from urllib.parse import urlsplit

import numpy as np

from assistant.errors import ConfigError
from assistant.retrieval.chunks import VectorEntry

log = logging.getLogger(__name__)

COLLECTION = "plan_assistant_chunks"
CHROMA_DEFAULT_PORT = 8000  # what `chroma run` listens on without --port


@dataclass(frozen=True)
class DenseMatch:
    """One nearest neighbour: chunk id and cosine similarity."""

    id: str
    similarity: float


def make_client(chroma_dir: Path, url: str | None = None, create: bool = True) -> Any:
    """A Chroma client with telemetry off: an ``HttpClient`` for ``url`` (``Settings.chroma_url``,
    a ``chroma run`` server), else a ``PersistentClient`` under ``chroma_dir``."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        host, port, ssl = parse_chroma_url(url)
        try:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        except Exception as exc:  # chromadb raises ValueError / httpx errors when nobody answers
            raise ConfigError(f"cannot reach the Chroma server at {url} ({_first_line(exc)}); "
                              "start it with `chroma run --path DIR --port N`") from exc
    if create:
        chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_dir), settings=chroma_settings)


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """``http(s)://host:port`` as (host, port, ssl); the port defaults to 8000 as in ``chroma run``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ConfigError(f"PLAN_ASSISTANT_CHROMA_URL must look like http://host:port, not {url!r}")
    try:
        port = parts.port or CHROMA_DEFAULT_PORT
    except ValueError as exc:
        raise ConfigError(f"bad port in PLAN_ASSISTANT_CHROMA_URL {url!r}") from exc
    return parts.hostname, port, parts.scheme == "https"


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class ChromaStore:
    """One cosine collection in a local PersistentClient under ``chroma_dir``, or in a Chroma server
    when ``url`` is given (see ``make_client``), with telemetry off."""

    def __init__(self, chroma_dir: Path, create: bool = True, url: str | None = None) -> None:
        self._client = make_client(chroma_dir, url=url, create=create)
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
