"""Synchronise the search indexes (Chroma + BM25) with the DuckDB store, one generation at a time.

``build_index`` reads the chunks of a DuckDB file (the live one, or the one an ingest is about to
swap in), builds the next index generation beside the published one (a copy of it, so that only
new or changed chunks are embedded, with vectors cached by content hash) and a new BM25 version,
and returns a ``PendingIndex``; its ``publish()`` switches readers to both at once. When nothing
changed, nothing is built. ``sync_index`` does both under the ingest lock. See
``assistant.retrieval.generations`` for the layout and why readers never write a generation.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval import dense, freshness, generations, lexical
from assistant.retrieval.chunks import VectorEntry
from assistant.retrieval.embeddings import VectorCache, active_model_id
from assistant.retrieval.source import read_chunks
from assistant.retrieval.store import ChromaStore, remove_old_collections

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
# Texts per embedding window: the embedder sorts a window by length, so a large window wastes
# little on padding (2% over a global sort at 2048, 26% at 256), at 3 MB of vectors per window.
EMBED_BATCH = 2048


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
    embed_cpu_seconds: float = 0.0  # CPU time of the embedding (all threads): work, whatever the load
    problems: tuple[tuple[str, str], ...] = ()
    generation: str = ""  # the index generation readers use after this sync

    @property
    def vectors_per_s(self) -> float:
        return self.embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0


def _noop(label: str, done: int, total: int) -> None:
    return None


def entries_digest(entries: list[VectorEntry], model_id: str) -> str:
    """One hash of everything the vector index holds: the model, every id and its fingerprint."""
    h = hashlib.sha256(model_id.encode())
    for e in sorted(entries, key=lambda e: e.id):
        h.update(f"\x00{e.id}\x01{e.metadata.get('fingerprint', '')}".encode())
    return h.hexdigest()


@dataclass
class PendingIndex:
    """An index generation and a BM25 version that are built but not yet what readers use."""

    settings: Settings
    stats: IndexStats
    pointer: generations.Generation | None = None  # None: nothing to switch (no change)
    bm25_version: str | None = None
    published: bool = False

    def publish(self) -> None:
        """Switch readers to the new generation and BM25 version, then remove older generations."""
        if self.published:
            return
        self.published = True
        chroma_dir = self.settings.chroma_dir
        if self.pointer is not None:
            previous = generations.read_pointer(chroma_dir)
            generations.write_pointer(chroma_dir, self.pointer)
            if self.bm25_version:
                lexical.publish_version(self.settings.home, self.bm25_version)
            if self.settings.chroma_url:  # server readers use the collections themselves: keep the previous
                keep = {self.pointer.name} | ({previous.name} if previous else set())
                try:
                    remove_old_collections(chroma_dir, self.settings.chroma_url, keep)
                except Exception as exc:  # noqa: BLE001 - the next ingest retries
                    log.warning("could not remove old index collections: %s", exc)
        current = generations.read_pointer(chroma_dir)
        generations.cleanup(chroma_dir, {current.name} if current else set())

    def discard(self) -> None:
        """Forget an unpublished build (the database swap it belonged to failed)."""
        if self.published or self.pointer is None:
            return
        self.published = True
        keep = _current_names(self.settings)
        if self.settings.chroma_url:
            try:
                remove_old_collections(self.settings.chroma_dir, self.settings.chroma_url, keep)
            except Exception as exc:  # noqa: BLE001 - the next ingest retries
                log.warning("could not drop unpublished generation %s: %s", self.pointer.name, exc)
        generations.cleanup(self.settings.chroma_dir, keep)


def _current_names(settings: Settings) -> set[str]:
    current = generations.read_pointer(settings.chroma_dir)
    return {current.name} if current else set()


def build_index(settings: Settings, progress: ProgressFn | None = None, db_path: Path | None = None
                ) -> PendingIndex:
    """Build the next index generation from ``db_path`` (default: the live database) without
    switching readers to it. Call under the ingest lock (``sync_index`` and ``ingest_corpus`` do)."""
    report = progress or _noop
    t0 = time.perf_counter()
    chroma_dir = settings.chroma_dir
    generations.cleanup(chroma_dir, _current_names(settings))  # a killed ingest's build directories
    source_db = freshness.file_version(db_path or settings.db_path)
    live = generations.read_pointer(chroma_dir)
    bm25_live = lexical.current_version(settings.home)
    if live is not None and bm25_live and live.bm25 == bm25_live:  # built from this very database file?
        reused = freshness.reusable(lexical.index_root(settings.home) / bm25_live, source_db, active_model_id(settings))
        if reused is not None:
            reused["problems"] = tuple(tuple(p) for p in reused.get("problems", ()))
            stats = IndexStats(**reused, unchanged=int(reused.get("vectors", 0)), seconds=time.perf_counter() - t0,
                               generation=live.name)
            return PendingIndex(settings, stats)
    corpus = read_chunks(settings, db_path)
    chunks = list(corpus.chunks)
    report("chunk", len(chunks), len(chunks))
    entries = [e for c in chunks for e in c.vector_entries()]
    rows = Counter(c.table for c in chunks if c.kind == "row")
    base_stats = {"chunks": len(chunks), "prose": sum(c.kind == "prose" for c in chunks), "rows": dict(rows),
                  "vectors": len(entries), "problems": corpus.problems}

    with VectorCache(settings.cache_dir, settings=settings) as cache:
        model_id = cache.model_id
        digest = entries_digest(entries, model_id)
        current = generations.read_pointer(chroma_dir)
        bm25_live = lexical.current_version(settings.home)
        if current is not None and current.digest == digest and current.bm25 and current.bm25 == bm25_live \
                and lexical.has_dense(settings.home, bm25_live):
            stats = IndexStats(**base_stats, unchanged=len(entries), seconds=time.perf_counter() - t0,
                               generation=current.name)
            return PendingIndex(settings, stats)
        base = current.name if current is not None and current.model == model_id else None
        name = generations.new_name()
        store = ChromaStore.build(chroma_dir, name, base=base, url=settings.chroma_url)
        try:
            stored = store.fingerprints()
            wanted = {e.id for e in entries}
            todo = [e for e in entries if stored.get(e.id) != e.metadata["fingerprint"]]
            stale = [eid for eid in stored if eid not in wanted]
            embedded = cached = 0
            embed_seconds = embed_cpu_seconds = 0.0
            for i in range(0, len(todo), EMBED_BATCH):
                part = todo[i:i + EMBED_BATCH]
                vectors, stats = cache.embed([e.embed_text for e in part],
                                             progress=lambda n, i=i: report("embed", i + n, len(todo)))
                embed_seconds += stats.seconds
                embed_cpu_seconds += stats.cpu_seconds
                embedded += stats.misses
                cached += stats.hits
                store.upsert(part, vectors)
                report("embed", min(i + EMBED_BATCH, len(todo)), len(todo))
            if stale:
                store.delete(stale)
            vectors_copy = dense.gather(entries, cache, store, model_id)
            count = store.count()
            store.finish()
        except BaseException:
            store.discard()
            raise
    report("bm25", 0, 1)
    bm25_version = lexical.save(settings.home, chunks, publish=False, dense=vectors_copy)
    freshness.save(lexical.index_root(settings.home) / bm25_version, source_db, model_id,
                   {**base_stats, "problems": [list(p) for p in corpus.problems]})
    report("bm25", 1, 1)
    stats = IndexStats(**base_stats, upserted=len(todo), unchanged=len(entries) - len(todo), deleted=len(stale),
                       embedded=embedded, cached=cached, seconds=time.perf_counter() - t0,
                       embed_seconds=embed_seconds, embed_cpu_seconds=embed_cpu_seconds, generation=name)
    pointer = generations.Generation(name, digest, bm25_version, count, model_id)
    log.info("index generation %s built: %s", name, stats)
    return PendingIndex(settings, stats, pointer, bm25_version)


def sync_index(settings: Settings, progress: ProgressFn | None = None) -> IndexStats:
    """Chunk the DuckDB store, embed what is new (cached by content hash), build the next index
    generation with deterministic ids (stale ids deleted) and a new BM25 version, and switch
    readers to them. Idempotent: without a change, nothing is built."""
    from assistant.locking import ingest_lock

    with ingest_lock(settings):
        pending = build_index(settings, progress)
        pending.publish()
        return pending.stats
