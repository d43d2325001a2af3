"""Sentence vectors from the bundled all-MiniLM-L6-v2, offline, with a content-hash vector cache.

Three backends (``Settings.embedder``, ``PLAN_ASSISTANT_EMBEDDER``):

- ``onnx-int8`` (the default): the model exported to ONNX once (``onnx_export``), with int8
  weights (dynamic quantisation), run by onnxruntime with the model's ``tokenizer.json``
  (``onnx_embedder``), one text per run. About 2.1x the float32 work per CPU-second (176 against
  86 vectors per CPU-second on the bundled corpus). Its vectors agree with float32 at a mean
  cosine of 0.993 (min 0.979) on the corpus's 3,309 texts, and on the bundled corpus it left
  retrieval recall@5 (hybrid 0.970 -> 0.980, dense 0.940 -> 0.940), recall@1 (0.900 -> 0.900)
  and eval accuracy (225/245 gold, 46/51 holdout, the same questions wrong) unchanged or better:
  the issue-11 rule (within half a point) holds, so it is the default.
- ``onnx``: the same export in float32: the reference's vectors (cosine >= 0.9999). It cannot
  meet issue 11's bulk target (300 vectors/s) on a 2-core machine: the bundled corpus is 144,000
  tokens, about 3.1 TFLOP of MatMul, and float32 GEMM peaks at about 100 GFLOP/s per core here
  (numpy/OpenBLAS at the model's shapes; onnxruntime's MatMuls already ran at about 92), so
  float32 tops out near 200 vectors/s whatever the graph (a fully fused attention/LayerNorm/GELU
  graph from onnxruntime's transformer optimiser did the same work per CPU-second: 78.5 against 79).
- ``sentence-transformers``: the PyTorch reference, which exports the ONNX file and which the
  tests compare against.

Questions run on one thread; bulk indexing runs one single-threaded run per core at once (see
``OnnxEmbedder``); neither imports torch. The exported files live under ``Settings.model_cache``
(default: the user cache dir, see ``onnx_export.default_cache_root``). Vectors are L2-normalised
float32 whatever the weights.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

if TYPE_CHECKING:
    from assistant.config import Settings

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH_SIZE = 64  # sentence-transformers' batch for the reference backend
BACKENDS = ("onnx", "onnx-int8", "sentence-transformers")
# Cache keys name the model that made a vector. The float32 ONNX export gives the reference's
# vectors (cosine >= 0.9999), so both share one id and one cache; int8 vectors differ slightly.
# "-int8-1": int8 vectors made one text per run (``onnx_embedder.QUANTIZED_BATCH_SIZE``); those
# cached as "-int8" were made in batches and depended on their neighbours, so they are not reused.
MODEL_IDS = {"onnx": MODEL_ID, "sentence-transformers": MODEL_ID, "onnx-int8": f"{MODEL_ID}-int8-1"}
RUN_THREADS = 1  # threads inside one onnxruntime run: a question is short, and bulk runs one run per core

Role = Literal["query", "bulk"]

_LOCK = threading.Lock()
_EMBEDDERS: dict[tuple[str, str, str], Embedder] = {}
_REFERENCE_LOCK = threading.Lock()  # apart from _LOCK: get_embedder holds that one while loading
_REFERENCE: ReferenceEmbedder | None = None


class Embedder(Protocol):
    """What retrieval needs of an embedding model."""

    model_id: str
    dimensions: int

    def embed_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for many texts, shape (n, dimensions), L2-normalised float32; ``progress(n)``
        (optional) hears how many are done."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """One vector, shape (dimensions,)."""
        ...


def model_path() -> Path:
    """Local path of the bundled model (never a hub name, which would hang offline)."""
    from assistant.retrieval.onnx_export import bundled_model_dir

    return bundled_model_dir()


def bulk_threads() -> int:
    """Threads for bulk embedding: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def backend_name(settings: Settings | None = None) -> str:
    """The configured backend, validated."""
    from assistant.config import Settings
    from assistant.errors import ConfigError

    name = (settings or Settings()).embedder
    if name not in BACKENDS:
        raise ConfigError(f"PLAN_ASSISTANT_EMBEDDER must be one of {', '.join(BACKENDS)}, not {name!r}")
    return name


def active_model_id(settings: Settings | None = None) -> str:
    """The cache id of the vectors the configured backend makes (no model is loaded)."""
    return MODEL_IDS[backend_name(settings)]


def model_cache_root(settings: Settings | None = None) -> Path:
    """Where exported models live: ``Settings.model_cache``, else the user cache dir, else (when
    that cannot be written, e.g. a service account without a home) ``settings.cache_dir/models``."""
    from assistant.config import Settings
    from assistant.retrieval.onnx_export import default_cache_root

    settings = settings or Settings()
    if settings.model_cache:
        return Path(settings.model_cache).expanduser()
    user = default_cache_root()
    return user if _writable(user) else settings.cache_dir / "models"


def _writable(folder: Path) -> bool:
    """Whether ``folder`` exists and is writable, or could be created."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)


class ReferenceEmbedder:
    """The sentence-transformers model (PyTorch): normalised float32 arrays."""

    def __init__(self, model: Any, model_id: str = MODEL_ID) -> None:
        self._model = model
        self.model_id = model_id
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimensions = int(getter() or DIMENSIONS)

    def embed_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for many texts, shape (n, dimensions)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vecs = self._model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
        if progress is not None:
            progress(len(texts))
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """One vector, shape (dimensions,)."""
        return self.embed_documents([text])[0]


def load_sentence_transformer(model_dir: Path | None = None) -> Any:
    """The reference SentenceTransformer on the CPU, offline and without progress bars."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    _quiet_transformers()
    from sentence_transformers import SentenceTransformer

    path = model_dir or model_path()
    log.info("loading the reference embedding model from %s", path)
    return SentenceTransformer(str(path), device="cpu")


def get_embedder(settings: Settings | None = None, role: Role = "query") -> Embedder:
    """The process-wide embedder of the configured backend, loaded on first use, offline.

    ``role="query"`` (questions) runs on one thread; ``role="bulk"`` (indexing) on every core. The
    ONNX backends export the model first if this model has never been exported (once per machine).
    """
    backend = backend_name(settings)
    cache_root = model_cache_root(settings)
    key = (backend, role if backend != "sentence-transformers" else "any", str(cache_root))
    found = _EMBEDDERS.get(key)
    if found is not None:
        return found
    with _LOCK:
        if key not in _EMBEDDERS:
            _EMBEDDERS[key] = _load(backend, role, cache_root)
        return _EMBEDDERS[key]


def get_bulk_embedder(settings: Settings | None = None) -> Embedder:
    """The embedder for indexing many texts (a thread per core)."""
    return get_embedder(settings, role="bulk")


def get_reference_embedder() -> ReferenceEmbedder:
    """The sentence-transformers reference (imports torch)."""
    global _REFERENCE
    if _REFERENCE is None:
        with _REFERENCE_LOCK:
            if _REFERENCE is None:
                _REFERENCE = ReferenceEmbedder(load_sentence_transformer())
    return _REFERENCE


def _load(backend: str, role: Role, cache_root: Path) -> Embedder:
    if backend == "sentence-transformers":
        return get_reference_embedder()
    from assistant.retrieval.onnx_embedder import OnnxEmbedder
    from assistant.retrieval.onnx_export import ensure_onnx_model

    model = ensure_onnx_model(cache_root=cache_root, quantized=backend == "onnx-int8")
    workers = 1 if role == "query" else bulk_threads()
    log.info("embedding with onnxruntime (%s, %d run(s) at once): %s", backend, workers, model.path)
    return OnnxEmbedder(model, model_id=MODEL_IDS[backend], threads=RUN_THREADS, workers=workers)


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
    cpu_seconds: float = 0.0  # CPU time of this process (all its threads) while the model ran


class VectorCache:
    """Vectors keyed by content hash, in one SQLite file under ``cache_dir``."""

    def __init__(self, cache_dir: Path, model_id: str | None = None, settings: Settings | None = None) -> None:
        model_id = model_id or active_model_id(settings)
        self._settings = settings
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

    def embed(self, texts: Sequence[str], embedder: Embedder | None = None,
              progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, CacheStats]:
        """Vectors for ``texts``, computing (and caching) only those not cached yet.

        The embedder (default: the bulk embedder of the configured backend, which must make this
        cache's ``model_id`` vectors) is loaded only when something is missing, so a no-change
        re-sync loads no model at all. ``progress(n)`` is told how many of ``texts`` are done
        (cached ones first, then as batches are computed).
        """
        keys = [content_hash(t, self.model_id) for t in texts]
        cached = self.get_many(keys)
        missing = [k for k in dict.fromkeys(keys) if k not in cached]
        seconds = cpu_seconds = 0.0
        if missing:
            first_text = {k: t for k, t in zip(reversed(keys), reversed(texts))}
            model = embedder or get_bulk_embedder(self._settings)
            done_before = len(texts) - len(missing)
            if progress is not None:
                progress(done_before)
            t0, c0 = time.perf_counter(), time.process_time()
            vecs = model.embed_documents([first_text[k] for k in missing],
                                         progress=None if progress is None else lambda n: progress(done_before + n))
            seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
            new = dict(zip(missing, vecs))
            self.put_many(new)
            cached.update(new)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = cached[k]
        return out, CacheStats(hits=len(set(keys)) - len(missing), misses=len(missing), seconds=seconds,
                               cpu_seconds=cpu_seconds)
