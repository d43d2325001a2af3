"""MiniLM on onnxruntime: the model's own tokenizer.json, mean pooling and L2 normalisation.

This is the embedder of the question path and of bulk indexing. It imports onnxruntime, tokenizers
and numpy only: never torch, transformers or sentence-transformers. Vectors agree with the
sentence-transformers reference to a cosine of 0.9999 or better (tests/retrieval/test_embeddings_onnx.py).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from assistant.retrieval.onnx_export import OnnxModel

log = logging.getLogger(__name__)

# Texts per run after sorting by length. One-thread runs of 8 did the most float32 work per
# CPU-second on 1,200 corpus texts (86 vectors/CPU-s, against 78 at 32, 77 at 64 and 77 at 1).
BATCH_SIZE = 8
# A quantised graph (dynamic int8) quantises each MatMul's input with ONE scale per run, taken
# over every text of the batch: batched, a text's vector depended on its neighbours (cosine 0.992
# mean, 0.978 min against the same text alone). One text per run makes its vector the same
# whichever texts it is embedded with, its document vector equal to its question vector, and it
# costs nothing measurable (176 vectors/CPU-s at 1 against 182 at 32).
QUANTIZED_BATCH_SIZE = 1
# Padded tokens per run: long texts go in smaller batches, which bounds the attention tensors
# (batch x 12 heads x length^2 floats). Measured on 1,100 corpus texts (int8, 2 threads): peak
# memory +120 MB at 2048 against +300 MB unbounded, at the same vectors per CPU-second.
MAX_BATCH_TOKENS = 2048
PAD_ID = 0  # BERT's [PAD]
QUERY_CACHE = 512  # recent question vectors kept: the router embeds the same text for several searches
_EPS_POOL = 1e-9  # sentence-transformers' clamp of the token count in mean pooling
_EPS_NORM = 1e-12  # torch.nn.functional.normalize's eps


class OnnxEmbedder:
    """Normalised float32 sentence vectors from an exported model. Thread-safe (onnxruntime sessions
    run concurrent calls).

    ``threads`` are onnxruntime's threads inside one run; ``workers`` are runs in flight at once
    (each on its own Python thread; onnxruntime releases the GIL). Bulk embedding uses one worker
    per core with one thread each: as much work per CPU-second as one run on every core, and no
    per-operator barrier between threads, which a busy machine turns into waiting."""

    def __init__(self, model: OnnxModel, model_id: str, threads: int = 1, batch_size: int | None = None,
                 max_batch_tokens: int = MAX_BATCH_TOKENS, workers: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # Idle worker threads sleep instead of spinning: on a small shared machine spinning threads
        # steal the cores that the other processes (and our own) need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only
        self._session = ort.InferenceSession(str(model.path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(model.tokenizer))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=model.max_seq_length)
        self._tokenizer = tokenizer
        self.model = model
        self.model_id = model_id
        self.dimensions = model.dimensions
        self.threads = max(1, threads)
        self.workers = max(1, workers)
        if batch_size is None:
            batch_size = QUANTIZED_BATCH_SIZE if model.quantized else BATCH_SIZE
        self.batch_size = max(1, batch_size)
        self._pool: ThreadPoolExecutor | None = None
        self.max_batch_tokens = max(1, max_batch_tokens)
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for many texts, shape (n, dimensions), in the order given; ``progress(n)`` hears
        how many are done after each batch.

        Texts are tokenised once, sorted by token count and run in batches of similar length, so
        that little time goes on padding."""
        n = len(texts)
        out = np.zeros((n, self.dimensions), dtype=np.float32)
        if not n:
            return out
        encodings = self._tokenizer.encode_batch([str(t).strip() for t in texts])
        order = sorted(range(n), key=lambda i: len(encodings[i].ids))
        done = 0
        batches = self._batches(order, [len(e.ids) for e in encodings])
        for idx, vectors in zip(batches, self._map(lambda idx: self._run([encodings[i] for i in idx]), batches)):
            out[idx] = vectors
            done += len(idx)
            if progress is not None:
                progress(done)
        return out

    def _map(self, fn: Callable[[list[int]], np.ndarray], batches: list[list[int]]) -> Iterator[np.ndarray]:
        """``fn`` of every batch, in order; ``workers`` of them at once."""
        if self.workers == 1 or len(batches) == 1:
            return map(fn, batches)
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")
        return self._pool.map(fn, batches)

    def embed_query(self, text: str) -> np.ndarray:
        """One vector, shape (dimensions,), read-only; recent questions are answered from a cache."""
        with self._lock:
            found = self._recent.get(text)
            if found is not None:
                self._recent.move_to_end(text)
                return found
        vector = self.embed_documents([text])[0]
        vector.flags.writeable = False
        with self._lock:
            self._recent[text] = vector
            while len(self._recent) > QUERY_CACHE:
                self._recent.popitem(last=False)
        return vector

    def _batches(self, order: list[int], lengths: list[int]) -> list[list[int]]:
        """Consecutive runs of ``order`` (sorted by length) of at most ``batch_size`` texts and
        ``max_batch_tokens`` padded tokens (a longer single text still makes a batch of one)."""
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            if current and (len(current) == self.batch_size
                            or (len(current) + 1) * lengths[i] > self.max_batch_tokens):
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches

    def _run(self, encodings: list) -> np.ndarray:  # list[tokenizers.Encoding]
        """Mean-pooled, L2-normalised vectors of one batch."""
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            k = len(e.ids)
            ids[row, :k] = e.ids
            mask[row, :k] = e.attention_mask
            types[row, :k] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self._session.run(["last_hidden_state"], {k: v for k, v in feed.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), _EPS_POOL, None)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), _EPS_NORM)
        return (pooled / norms).astype(np.float32)
