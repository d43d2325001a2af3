"""Synchronise the search indexes (Chroma + BM25) with the DuckDB store."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.config import Settings
from assistant.retrieval import lexical
from assistant.retrieval.embeddings import VectorCache
from assistant.retrieval.source import read_chunks
from assistant.retrieval.store import ChromaStore

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
EMBED_BATCH = 256


@dataclass(frozen=True)
class IndexStats:
    """What a sync did. Counts of ``upserted``/``unchanged``/``deleted`` are of vectors (a prose chunk
    has one vector for itself and one per line or sentence)."""

    chunks: int
    prose: int
    rows: dict[str, int] = field(default_factory=dict)
    vectors: int = 0
    upserted: int = 0
    unchanged: int = 0
    deleted: int = 0
    embedded: int = 0  # vectors computed by the model (cache misses)
    cached: int = 0  # vectors taken from the content-hash cache
    seconds: float = 0.0
    embed_seconds: float = 0.0
    problems: tuple[tuple[str, str], ...] = ()

    @property
    def vectors_per_s(self) -> float:
        return self.embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0


def _noop(label: str, done: int, total: int) -> None:
    return None


def sync_index(settings: Settings, progress: ProgressFn | None = None) -> IndexStats:
    """Chunk the DuckDB store, embed what is new (cached by content hash), upsert it into Chroma with
    deterministic ids, delete ids that no longer exist, and rebuild BM25. Idempotent."""
    report = progress or _noop
    t0 = time.perf_counter()
    corpus = read_chunks(settings)
    chunks = list(corpus.chunks)
    report("chunk", len(chunks), len(chunks))

    entries = [e for c in chunks for e in c.vector_entries()]
    store = ChromaStore(settings.chroma_dir, url=settings.chroma_url)
    stored = store.fingerprints()
    wanted = {e.id for e in entries}
    todo = [e for e in entries if stored.get(e.id) != e.metadata["fingerprint"]]
    stale = [eid for eid in stored if eid not in wanted]

    embedded = cached = 0
    embed_seconds = 0.0
    with VectorCache(settings.cache_dir) as cache:
        for i in range(0, len(todo), EMBED_BATCH):
            part = todo[i:i + EMBED_BATCH]
            vectors, stats = cache.embed([e.embed_text for e in part])
            embed_seconds += stats.seconds
            embedded += stats.misses
            cached += stats.hits
            store.upsert(part, vectors)
            report("embed", min(i + EMBED_BATCH, len(todo)), len(todo))
    if stale:
        store.delete(stale)
    report("bm25", 0, 1)
    lexical.save(settings.home, chunks)
    report("bm25", 1, 1)

    rows = Counter(c.table for c in chunks if c.kind == "row")
    result = IndexStats(chunks=len(chunks), prose=sum(c.kind == "prose" for c in chunks), rows=dict(rows),
                        vectors=len(entries), upserted=len(todo), unchanged=len(entries) - len(todo),
                        deleted=len(stale),
                        embedded=embedded, cached=cached, seconds=time.perf_counter() - t0,
                        embed_seconds=embed_seconds, problems=corpus.problems)
    log.info("index synced: %s", result)
    return result
