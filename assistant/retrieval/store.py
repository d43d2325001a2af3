"""The Chroma vector store: a persistent, cosine collection that only ever receives our vectors.

The collection is created with ``embedding_function=None`` and every write passes ``embeddings=``
and every query ``query_embeddings=``, so Chroma's default (downloading) embedding function never
runs. Ids are deterministic (see ``chunks.Chunk.id``), so writes are upserts.

The index lives in generations (``assistant.retrieval.generations``): ``ChromaStore(chroma_dir)``
opens the published generation for reading (a private snapshot of local files, or the
generation's collection in a server) and ``ChromaStore.build(...)`` makes the next generation,
writable, from a copy of the current one. Every client is made by ``make_client``.
"""

from __future__ import annotations

import logging
import os
import shutil
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from assistant.errors import ConfigError
from assistant.retrieval import generations
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


def collection_name(generation: str | None, url: str | None) -> str:
    """The collection of a generation: one per generation in a server (each local generation is
    its own directory with the plain name)."""
    return f"{COLLECTION}-{generation}" if url and generation else COLLECTION


def _close(client: Any, snapshot: Path | None) -> None:
    """Release a client and remove its private snapshot (also run when a store is collected)."""
    try:
        client.close()
    except Exception:  # noqa: BLE001 - a client of a server, or already closed
        pass
    if snapshot is not None:
        shutil.rmtree(snapshot, ignore_errors=True)


class ChromaStore:
    """One cosine collection of one index generation, in local files under ``chroma_dir`` or in a
    Chroma server when ``url`` is given (see ``make_client``), with telemetry off.

    ``ChromaStore(chroma_dir, url=...)`` opens a published generation (default: the current one)
    for reading; it never writes the published files. ``create`` is kept for callers of the
    single-store API and has no effect on a reader. ``ChromaStore.build`` opens a new generation
    for writing.
    """

    def __init__(self, chroma_dir: Path, create: bool = True, url: str | None = None,
                 generation: str | None = None, *, _build: tuple[str, Path | None] | None = None) -> None:
        self.chroma_dir = chroma_dir
        self.url = url
        self._snapshot: Path | None = None
        if _build is not None:  # a new generation, writable (see ``build``)
            self.generation, path = _build
            self._client = make_client(path or chroma_dir, url=url, create=True)
            self._col = self._client.get_or_create_collection(
                collection_name(self.generation, url), embedding_function=None, metadata={"hnsw:space": "cosine"})
        elif url:
            self.generation = generation or (generations.read_pointer(chroma_dir) or generations.Generation("")).name
            if not self.generation:
                raise FileNotFoundError(f"no published index generation for {url}; run `plan-assistant ingest`")
            self._client = make_client(chroma_dir, url=url, create=False)
            self._col = self._client.get_collection(collection_name(self.generation, url), embedding_function=None)
        else:
            self.generation, self._snapshot = generations.snapshot(chroma_dir, generation)
            try:
                self._client = make_client(self._snapshot, create=False)
                self._col = self._client.get_collection(COLLECTION, embedding_function=None)
            except BaseException:
                shutil.rmtree(self._snapshot, ignore_errors=True)
                raise
        self._finalizer = weakref.finalize(self, _close, self._client, self._snapshot)
        self._batch = max(1, min(self._client.get_max_batch_size(), 4000))

    @classmethod
    def build(cls, chroma_dir: Path, generation: str, base: str | None = None,
              url: str | None = None) -> ChromaStore:
        """A writable new generation ``generation``, starting as a copy of the published ``base``.

        Local files: ``base``'s directory is copied into a build directory, which ``finish`` renames
        to the generation's directory. A server: a new collection, filled from ``base``'s."""
        if url:
            store = cls(chroma_dir, url=url, _build=(generation, None))
            if base:
                try:
                    old = cls(chroma_dir, url=url, generation=base)
                except Exception as exc:  # noqa: BLE001 - no usable base: build from scratch
                    log.warning("index generation %s cannot be read (%s); building from scratch", base, exc)
                else:
                    store._copy_from(old)
                    old.close()
            return store
        path = generations.build_dir(chroma_dir, generation)
        shutil.rmtree(path, ignore_errors=True)
        source = generations.generation_dir(chroma_dir, base) if base else None
        if source is not None and source.is_dir():
            shutil.copytree(source, path)
        return cls(chroma_dir, _build=(generation, path))

    def finish(self) -> None:
        """Close a built generation and move it to its published place (not yet current: see
        ``generations.write_pointer``)."""
        path = generations.build_dir(self.chroma_dir, self.generation)
        self.close()
        if not self.url:
            target = generations.generation_dir(self.chroma_dir, self.generation)
            shutil.rmtree(target, ignore_errors=True)
            os.replace(path, target)

    def discard(self) -> None:
        """Drop a generation that was built but will not be published."""
        self.close()
        if self.url:
            try:
                make_client(self.chroma_dir, url=self.url).delete_collection(collection_name(self.generation, self.url))
            except Exception as exc:  # noqa: BLE001 - the next ingest's cleanup retries
                log.warning("could not delete collection of generation %s: %s", self.generation, exc)
        else:
            shutil.rmtree(generations.build_dir(self.chroma_dir, self.generation), ignore_errors=True)

    def close(self) -> None:
        """Release the client (and remove a reader's private snapshot)."""
        self._finalizer()

    def _copy_from(self, other: ChromaStore) -> None:
        total = other._col.count()
        for offset in range(0, total, self._batch):
            got = other._col.get(include=["embeddings", "documents", "metadatas"], limit=self._batch, offset=offset)
            if got["ids"]:
                self._col.upsert(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
                                 metadatas=got["metadatas"])

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


def remove_old_collections(chroma_dir: Path, url: str, keep: set[str]) -> list[str]:
    """In a server, delete the collections of generations not in ``keep`` (and the collection of
    the single-store layout); call under the ingest lock."""
    client = make_client(chroma_dir, url=url)
    keep_names = {collection_name(g, url) for g in keep}
    removed = []
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if (name == COLLECTION or name.startswith(f"{COLLECTION}-g")) and name not in keep_names:
            client.delete_collection(name)
            removed.append(name)
    return removed
