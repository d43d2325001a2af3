"""Hybrid search: a BM25 and a dense (Chroma) ranking, fused by a weighted sum of absolute scores,
returned as typed ``Hit``s whose citations are exact line spans."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np

from assistant.config import Settings
from assistant.errors import BadQuestion, NotIngestedError, PlanAssistantError
from assistant.models import Citation, Filters, Hit
from assistant.retrieval import dense as dense_index
from assistant.retrieval import lexical
from assistant.retrieval.chunks import UNIT_SEP, Chunk, entry_ids, make_quote, parent_id
from assistant.retrieval.embeddings import active_model_id, get_embedder
from assistant.retrieval.fusion import weighted_sum
from assistant.retrieval.store import ChromaStore, where_clause
from assistant.text import unicode_words as _words

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "bm25", "dense"]
MODES: tuple[str, ...] = ("hybrid", "bm25", "dense")
KINDS: tuple[str, ...] = ("prose", "row")
MAX_K = 100
CANDIDATES = 50  # depth of each ranking that is fused
TEXT_VECTOR_CACHE = 2048  # sentences and questions embedded at question time, kept per process
UNIT_FANOUT = 3  # dense neighbours fetched per wanted chunk (several may be units of one chunk)
_WORD = re.compile(r"\w+")


class Retriever:
    """Searches the index of one ``Settings.home``. Loads lazily; call ``warm()`` to pay up front."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._lex: lexical.LexicalIndex | None = None
        self._store: ChromaStore | None = None  # opened by the first dense ranking (imports chromadb)
        self._columns: dict[str, np.ndarray] = {}
        # per metadata field: its distinct values and each chunk's value as an index into them, so
        # that a filter is a table lookup (np.isin over strings took 0.3 ms per field at 31,000 chunks)
        self._codes: dict[str, tuple[dict[str, int], np.ndarray]] = {}
        self._documents: dict[str, tuple[str, str]] = {}
        self._units: dict[str, int] = {}
        self._units_version: object = None
        self._text_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    # ------------------------------------------------------------------ loading

    def warm(self) -> Retriever:
        """Load BM25 and the index's vectors (or open Chroma, for an index without them) and the
        embedding model."""
        if self._ensure_loaded().dense is None:
            self._vector_store()
        get_embedder(self.settings).embed_query("warm up")
        return self

    def _ensure_loaded(self) -> lexical.LexicalIndex:
        version = lexical.current_version(self.settings.home)
        if version is None:
            raise NotIngestedError(
                f"No search index in {self.settings.home}; run `plan-assistant ingest` first.")
        with self._lock:
            if self._lex is None or self._lex.version != version:
                lex = lexical.load(self.settings.home)
                if lex is None:
                    raise NotIngestedError(f"No search index in {self.settings.home}.")
                self._store = None  # reopened for the new index when a ranking needs vectors
                _check_model(lex, self.settings)
                self._columns = {name: np.array([getattr(c, name) for c in lex.chunks], dtype=object)
                                 for name in ("council", "doc_id", "department", "kind", "table")}
                self._codes = {name: _encode(column) for name, column in self._columns.items()}
                self._documents = {c.doc_id: (c.file, c.title) for c in lex.chunks}
                self._lex = lex
        return self._lex

    def _vector_store(self) -> ChromaStore:
        """The Chroma collection, opened on first use: a BM25-only search never imports chromadb."""
        with self._lock:
            if self._store is None:
                try:
                    self._store = ChromaStore(self.settings.chroma_dir, create=False, url=self.settings.chroma_url)
                except PlanAssistantError:
                    raise
                except Exception as exc:  # chromadb raises its own NotFoundError / ValueError
                    raise NotIngestedError(f"The vector store in {self.settings.chroma_dir} cannot be opened "
                                           f"({exc}); run `plan-assistant ingest` again.") from exc
            return self._store

    def sentence_cosines(self, query: str, texts: Sequence[str]) -> list[float]:
        """The cosine similarity of ``query`` to each of ``texts`` (sentences of retrieved passages).
        A text the index embedded as a unit of a chunk is read from the index's vectors; any other is
        embedded now and kept in a small per-process cache."""
        lex = self._ensure_loaded()
        embedder = get_embedder(self.settings)
        vector = self._query_vector(self._clean_query(query))
        rows = self._unit_rows(lex)
        out: list[float] = []
        missing = [t for t in dict.fromkeys(texts) if _key(t) not in rows and t not in self._text_vectors]
        if missing:
            for text, vec in zip(missing, embedder.embed_documents(missing)):
                self._text_vectors[text] = np.asarray(vec, dtype=np.float32)
            while len(self._text_vectors) > TEXT_VECTOR_CACHE:
                self._text_vectors.popitem(last=False)
        for text in texts:
            row = rows.get(_key(text))
            vec = lex.dense.matrix[row] if row is not None and lex.dense is not None else self._text_vectors[text]
            out.append(float(np.dot(vec, vector)))
        return out

    def _query_vector(self, text: str) -> np.ndarray:
        vec = self._query_vectors.get(text)
        if vec is None:
            vec = get_embedder(self.settings).embed_query(text)
            self._query_vectors[text] = vec
            while len(self._query_vectors) > TEXT_VECTOR_CACHE:
                self._query_vectors.popitem(last=False)
        return vec

    def _unit_rows(self, lex: lexical.LexicalIndex) -> dict[str, int]:
        """Row of the dense matrix for each unit text of the index (normalised), built once per version."""
        if self._units_version == lex.version:
            return self._units
        rows: dict[str, int] = {}
        if lex.dense is not None:
            texts = {c.id: c for c in lex.chunks}
            for row, eid in enumerate(lex.dense.ids):
                chunk = texts.get(parent_id(eid))
                if chunk is None:
                    continue
                _, sep, n = eid.rpartition(UNIT_SEP)
                text = chunk.units[int(n)] if sep and n.isdigit() and int(n) < len(chunk.units) else chunk.text
                rows.setdefault(_key(text), row)
        self._units, self._units_version = rows, lex.version
        return rows

    @property
    def chunks(self) -> list[Chunk]:
        """Every indexed chunk (loads the index)."""
        return self._ensure_loaded().chunks

    # ------------------------------------------------------------------ search

    def search(self, query: str, k: int = 5, filters: Filters | None = None, mode: Mode = "hybrid",
               kind: str | None = None, tables: Sequence[str] | None = None) -> list[Hit]:
        """The ``k`` best passages or rows for ``query``."""
        text = self._clean_query(query)
        if not isinstance(k, int) or k < 1:
            raise BadQuestion(f"k must be a positive whole number, not {k!r}.")
        if mode not in MODES:
            raise BadQuestion(f"Unknown search mode {mode!r}; choose one of {', '.join(MODES)}.")
        if kind is not None and kind not in KINDS:
            raise BadQuestion(f"Unknown kind {kind!r}; choose prose or row.")
        k = min(k, MAX_K)
        lex = self._ensure_loaded()
        conditions = self.resolve_filters(filters, kind=kind, tables=tables)
        ranked, details = self._rank(lex, text, mode, conditions, max(CANDIDATES, k))
        return self._hits(lex, ranked, details, k)

    def _rank(self, lex: lexical.LexicalIndex, text: str, mode: str, conditions: dict[str, list[str]],
              depth: int) -> tuple[list[tuple[str, float]], dict[str, dict[str, float]]]:
        """Chunk ids best first with their score, and the per-method scores behind them."""
        bm25: list[tuple[str, float]] = []
        dense: list[tuple[str, float]] = []
        scores, bound = np.zeros(0), 0.0
        if mode in ("hybrid", "bm25"):
            scores, bound = lex.scores_and_bound(text)
            mask = self._mask(conditions)
            if mask is not None:
                scores = np.where(mask, scores, 0.0)
            bm25 = _top(lex, scores, depth)
        if mode == "bm25":
            return bm25, {"bm25_score": dict(bm25)}
        vector = self._query_vector(text)
        chunk_cosine = lex.dense.chunk_scores(vector) if lex.dense is not None else None
        dense = self._dense_ranking(vector, conditions, depth, chunk_cosine)
        if mode == "dense":
            return dense, {"dense_score": dict(dense)}
        cosine = dict(dense)
        cosine.update(self._similarities([cid for cid, _ in bm25 if cid not in cosine], vector, chunk_cosine))
        candidates = [c for c, _ in bm25] + [c for c, _ in dense]
        share = {c: float(scores[lex.position[c]]) / bound if bound > 0 else 0.0 for c in candidates}
        return weighted_sum(candidates, share, cosine), {"bm25_share": share, "dense_score": cosine}

    def _hits(self, lex: lexical.LexicalIndex, ranked: list[tuple[str, float]],
              details: dict[str, dict[str, float]], k: int) -> list[Hit]:
        """The first ``k`` distinct hits (two typed rows read from the same line are one hit)."""
        hits: list[Hit] = []
        seen: set[tuple[str, int, int, str]] = set()
        for cid, score in ranked:
            chunk = lex.chunks[lex.position[cid]]
            key = (chunk.file, chunk.line_start, chunk.line_end, chunk.text)
            if key in seen:
                continue
            seen.add(key)
            hits.append(self._hit(chunk, score, {name: d[cid] for name, d in details.items() if cid in d}))
            if len(hits) == k:
                break
        return hits

    def _clean_query(self, query: object) -> str:
        if not isinstance(query, str):
            raise BadQuestion("The search query must be text.")
        text = " ".join(query.split())
        if not text:
            raise BadQuestion("The search query is empty; type some words to search for.")
        if not _WORD.search(text):
            raise BadQuestion("The search query has no words to search for.")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            log.warning("query of %d characters cut to %d", len(text), limit)
            text = text[:limit]
        return text

    def _dense_ranking(self, vector: np.ndarray, conditions: dict[str, list[str]], depth: int,
                       chunk_cosine: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Chunks by their best vector (the chunk's own or one of its lines/sentences): exactly, from
        the index's own copy of the vectors (``chunk_cosine``), else from Chroma."""
        assert self._lex is not None
        if chunk_cosine is not None:
            mask = self._mask(conditions)
            scores = chunk_cosine if mask is None else np.where(mask, chunk_cosine, dense_index.NO_VECTOR)
            n = min(depth, int(np.count_nonzero(scores > dense_index.NO_VECTOR)))
            if n == 0:
                return []
            top = np.argpartition(-scores, n - 1)[:n]
            top = top[np.argsort(-scores[top], kind="stable")]
            return [(self._lex.chunks[i].id, float(scores[i])) for i in top]
        matches = self._vector_store().query(vector, depth * UNIT_FANOUT, where_clause(conditions))
        best: dict[str, float] = {}
        for m in matches:
            cid = parent_id(m.id)
            if cid in self._lex.position and cid not in best:
                best[cid] = m.similarity
        return list(best.items())[:depth]

    def _similarities(self, chunk_ids: Sequence[str], vector: np.ndarray,
                      chunk_cosine: np.ndarray | None = None) -> dict[str, float]:
        """Cosine similarity of chunks (best of their own and their units' vectors) to ``vector``."""
        assert self._lex is not None
        if chunk_cosine is not None:
            found = {cid: float(chunk_cosine[self._lex.position[cid]]) for cid in chunk_ids}
            return {cid: v for cid, v in found.items() if v > dense_index.NO_VECTOR}
        ids = [e for cid in chunk_ids for e in entry_ids(self._lex.chunks[self._lex.position[cid]])]
        out: dict[str, float] = {}
        for eid, vec in self._vector_store().vectors(ids).items():
            cid = parent_id(eid)
            out[cid] = max(out.get(cid, -1.0), float(np.dot(vec, vector)))
        return out

    def _hit(self, c: Chunk, score: float, scores: dict[str, float]) -> Hit:
        citation = Citation(file=c.file, title=c.title, section=c.section, line_start=c.line_start,
                            line_end=c.line_end, quote=make_quote(c.text), page=c.page)
        meta = {"id": c.id, "doc_id": c.doc_id, "council": c.council, "department": c.department,
                "index_text": c.index_text, **{k: round(float(v), 6) for k, v in scores.items()}}
        return Hit(score=round(float(score), 6), text=c.text, citation=citation, kind=c.kind,
                   table=c.table or None, row_id=c.row_id or None, metadata=meta)

    # ------------------------------------------------------------------ filters

    def resolve_filters(self, filters: Filters | None, kind: str | None = None,
                        tables: Sequence[str] | None = None) -> dict[str, list[str]]:
        """Exact metadata values allowed per field, from the user's loose filter values."""
        self._ensure_loaded()
        out: dict[str, list[str]] = {}
        if filters is not None:
            if filters.council:
                out["council"] = _match("council", filters.council, set(self._columns["council"]))
            if filters.document:
                out["doc_id"] = _match_document(filters.document, self._documents)
            if filters.department:
                out["department"] = _match("department", filters.department, set(self._columns["department"]))
        if kind:
            out["kind"] = [kind]
        if tables:
            known = {t for t in set(self._columns["table"]) if t}
            present = [t for t in tables if t in known]
            if not present:  # rows of any of these tables: an error only when none is indexed
                raise BadQuestion(f"No indexed table named {', '.join(tables)}; "
                                  f"known: {', '.join(sorted(known))}.")
            out["table"] = present
        return out

    def _mask(self, conditions: dict[str, list[str]]) -> np.ndarray | None:
        if not conditions:
            return None
        mask = np.ones(len(self._lex.chunks), dtype=bool)  # type: ignore[union-attr]
        for name, values in conditions.items():
            index, codes = self._codes[name]
            allowed = np.zeros(len(index) + 1, dtype=bool)  # the last slot: values nobody has
            allowed[[index[v] for v in values if v in index]] = True
            mask &= allowed[codes]
        return mask


def _encode(column: np.ndarray) -> tuple[dict[str, int], np.ndarray]:
    """A column's distinct values (value -> code) and each row's code."""
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in column), dtype=np.int64, count=len(column))
    return index, codes


def _check_model(lex: lexical.LexicalIndex, settings: Settings) -> None:
    """Warn when the index was embedded by another backend than the one that embeds questions
    (e.g. PLAN_ASSISTANT_EMBEDDER changed since the last ingest): search still works, a little
    less well, until the next ingest re-embeds."""
    built = lex.dense.model_id if lex.dense is not None else ""
    asked = active_model_id(settings)
    if built and built != asked:
        log.warning("the index was embedded with %s but questions are embedded with %s; "
                    "run `plan-assistant ingest` to re-embed", built, asked)


def _top(lex: lexical.LexicalIndex, scores: np.ndarray, depth: int) -> list[tuple[str, float]]:
    """The ``depth`` best-scoring chunks with a positive score."""
    n = min(depth, int(np.count_nonzero(scores > 0)))
    if n == 0:
        return []
    top = np.argpartition(-scores, n - 1)[:n]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(lex.chunks[i].id, float(scores[i])) for i in top]


def _match(field: str, wanted: str, values: Iterable[str]) -> list[str]:
    """Values whose words include every word of ``wanted`` (else that contain it as a substring)."""
    candidates = sorted(v for v in values if v)
    want = _words(wanted)
    exact = [v for v in candidates if v.lower() == wanted.strip().lower()]
    if exact:
        return exact
    by_words = [v for v in candidates if want and all(w in _words(v) for w in want)]
    if by_words:
        return by_words
    loose = [v for v in candidates if wanted.strip().lower() in v.lower()]
    if loose:
        return loose
    shown = "; ".join(candidates) or "none"
    raise BadQuestion(f"No {field} matches {wanted!r}. Known values: {shown}.")


def _match_document(wanted: str, docs: dict[str, tuple[str, str]]) -> list[str]:
    """doc_ids whose id, file name or title match ``wanted`` (docs: doc_id -> (file, title))."""
    w = wanted.strip().lower()
    hits = [d for d, (f, t) in docs.items() if w in (d.lower(), f.lower(), f.rsplit("/", 1)[-1].lower())]
    if not hits:
        names = {d: f"{d} {t}" for d, (f, t) in docs.items()}
        want = _words(wanted)
        hits = [d for d, n in names.items() if want and all(x in _words(n) for x in want)]
    if not hits:
        hits = [d for d, (f, t) in docs.items() if w in d.lower() or w in t.lower()]
    if not hits:
        raise BadQuestion(f"No document matches {wanted!r}. Known documents: {'; '.join(sorted(docs))}.")
    return sorted(hits)


def _key(text: str) -> str:
    """A sentence as the index and the router both write it: words only, lower case."""
    return " ".join(_WORD.findall(text.lower()))
