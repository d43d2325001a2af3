"""BM25 (bm25s, with Snowball stemming) over the same chunks as Chroma, persisted under the home.

Each sync writes a new version directory (the BM25 index, the chunk records and a copy of the
vectors, see ``dense``) and then swaps a ``CURRENT`` pointer file atomically, so a running search
never sees a half-written index.

bm25s builds the index; a question reads its saved score matrix with numpy alone (``Bm25Scores``),
because importing bm25s (and with it scipy) cost a cold question 0.3 to 0.5 s.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval import dense as dense_vectors
from assistant.retrieval.chunks import Chunk
from assistant.text import index_tokens as tokenize  # the index's tokens, also read by tests

log = logging.getLogger(__name__)

MIN_FUZZY_CHARS = 4
FUZZY_CUTOFF = 80.0


def index_root(home: Path) -> Path:
    return home / "retrieval"


class LexicalIndex:
    """A loaded BM25 index with its chunk records, addressable by position."""

    def __init__(self, bm25: Any, chunks: Sequence[Chunk], version: str,
                 dense: dense_vectors.DenseIndex | None = None) -> None:
        self._bm25 = bm25
        self.chunks = list(chunks)
        self.version = version
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self._terms: list[str] | None = None
        self.dense = dense  # the version's vectors (None: search them in Chroma)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros if no query word is known)."""
        return self.scores_and_bound(query)[0]

    def scores_and_bound(self, query: str) -> tuple[np.ndarray, float]:
        """BM25 scores of every chunk, and the best score attainable for this query (the sum over
        its terms of each term's best score), so that ``score / bound`` says how much of the query
        a chunk matches, on a scale that means the same for every query."""
        total = np.zeros(len(self.chunks), dtype=np.float32)
        bound = 0.0
        for term, weight in Counter(self.query_terms(query)).items():
            per_term = np.asarray(self._bm25.get_scores([term]), dtype=np.float32) * weight
            total += per_term
            bound += float(per_term.max(initial=0.0))
        return total, bound

    def query_terms(self, query: str) -> list[str]:
        """The query's index terms; a word the index does not know is replaced by the closest
        known term (a likely typo: 'councl' -> 'council'), or dropped."""
        if self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict
        out: list[str] = []
        for token in tokenize(query):
            if token in vocab:
                out.append(token)
            elif len(token) >= MIN_FUZZY_CHARS:
                fixed = self._closest(token)
                if fixed:
                    out.append(fixed)
        return out

    def _closest(self, token: str) -> str | None:
        from rapidfuzz import fuzz, process

        if self._terms is None:
            self._terms = [t for t in self._bm25.vocab_dict if t and not t.isdigit()]
        match = process.extractOne(token, self._terms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return match[0] if match else None


def build(chunks: Sequence[Chunk]) -> Any:
    """A bm25s index over the chunks' index texts (None for an empty corpus)."""
    import bm25s

    if not chunks:
        return None
    model = bm25s.BM25()
    model.index([tokenize(c.index_text) or ["_"] for c in chunks], show_progress=False)
    return model


def save(home: Path, chunks: Sequence[Chunk], publish: bool = True,
         dense: dense_vectors.DenseVectors | None = None) -> str:
    """Build and persist a new version (with ``dense``, the vectors of the same index generation);
    with ``publish``, switch CURRENT to it (``publish_version``)."""
    root = index_root(home)
    root.mkdir(parents=True, exist_ok=True)
    version = f"v{time.time_ns()}"
    tmp = root / f".{version}.tmp"
    tmp.mkdir()
    model = build(chunks)
    if model is not None:
        model.save(str(tmp / "bm25"), show_progress=False)
    with open(tmp / "records.jsonl", "w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps(c.to_record(), ensure_ascii=False) + "\n")
    if dense is not None:
        dense_vectors.save(tmp, dense)
    os.replace(tmp, root / version)
    if publish:
        publish_version(home, version)
    return version


def publish_version(home: Path, version: str) -> None:
    """Switch CURRENT to a saved version atomically, and remove versions older than the previous
    one (kept for a reader that read CURRENT just before the switch; issue 14)."""
    root = index_root(home)
    previous = current_version(home)
    pointer = root / ".CURRENT.tmp"
    pointer.write_text(version, encoding="utf-8")
    os.replace(pointer, root / "CURRENT")
    for old in root.iterdir():
        if old.is_dir() and old.name not in (version, previous):
            shutil.rmtree(old, ignore_errors=True)


def current_version(home: Path) -> str | None:
    pointer = index_root(home) / "CURRENT"
    try:
        return pointer.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def has_dense(home: Path, version: str | None) -> bool:
    """Whether a saved version holds its vectors (versions written before ``dense`` do not)."""
    return bool(version) and dense_vectors.exists(index_root(home) / str(version))


def load(home: Path) -> LexicalIndex | None:
    """The current BM25 index, records and vectors, or None if the home has no index."""
    version = current_version(home)
    if version is None:
        return None
    folder = index_root(home) / version
    with open(folder / "records.jsonl", encoding="utf-8") as fh:
        chunks = [Chunk.from_record(json.loads(line)) for line in fh if line.strip()]
    bm25 = None
    if (folder / "bm25").exists():
        bm25 = Bm25Scores.load(folder / "bm25")
    lex = LexicalIndex(bm25, chunks, version)
    lex.dense = dense_vectors.load(folder, lex.position)
    return lex


class Bm25Scores:
    """A saved bm25s index read with numpy: the ``vocab_dict`` and ``get_scores`` that
    ``LexicalIndex`` uses, computed as bm25s computes them (the sum of the query terms' columns of
    the precomputed score matrix). Methods that add a non-occurrence term (BM25L, BM25+) are read
    by bm25s itself."""

    def __init__(self, vocab: dict[str, int], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
                 num_docs: int) -> None:
        self.vocab_dict = vocab
        self._data = data
        self._indices = indices
        self._indptr = indptr
        self._num_docs = num_docs

    @classmethod
    def load(cls, folder: Path) -> Any:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if (folder / "nonoccurrence_array.index.npy").exists():
            import bm25s

            return bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        arrays = [np.load(folder / f"{name}.csc.index.npy", allow_pickle=False) for name in ("data", "indices", "indptr")]
        return cls(vocab, *arrays, num_docs=int(params["num_docs"]))

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for these tokens (unknown tokens score nothing)."""
        scores = np.zeros(self._num_docs, dtype=np.float32)
        for token in tokens:
            tid = self.vocab_dict.get(token)
            if tid is None or tid + 1 >= len(self._indptr):
                continue
            start, end = int(self._indptr[tid]), int(self._indptr[tid + 1])
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        return scores
