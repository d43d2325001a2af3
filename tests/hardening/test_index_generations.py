"""The index follows the database's atomic swap (issue 14, F2): generations, private reader snapshots."""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

from assistant.config import Settings
from assistant.pipeline import ingest_corpus
from assistant.retrieval import generations
from assistant.retrieval.search import Retriever
from assistant.retrieval.store import ChromaStore
from tests.hardening.conftest import changed_corpus


def _digest_tree(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file()}


def test_readers_never_write_the_published_generation(home: Settings) -> None:
    current = generations.read_pointer(home.chroma_dir)
    assert current is not None
    published = home.chroma_dir / current.name
    before = _digest_tree(published)
    retriever = Retriever(home)
    for mode in ("hybrid", "dense", "bm25"):
        assert retriever.search("who leads the channel shift strategy", k=3, mode=mode)
    store = ChromaStore(home.chroma_dir, create=False)
    assert store.count() == current.vectors
    assert _digest_tree(published) == before
    del retriever, store
    gc.collect()
    assert not any((home.chroma_dir / generations.READERS_DIR).iterdir())  # private snapshots removed


def test_an_open_retriever_moves_to_the_new_generation_between_questions(home: Settings, tmp_path: Path) -> None:
    retriever = Retriever(home)
    before = retriever.search("Investing in well maintained roads", k=3, mode="bm25")
    assert any("£40m" in h.text for h in before)
    first = generations.read_pointer(home.chroma_dir)
    corpus = changed_corpus(tmp_path / "corpus", "Investing £40m in well maintained roads",
                            "Investing £43m in well maintained roads and quays")
    report = ingest_corpus(Settings(home=home.home, corpus=corpus), index=True)
    second = generations.read_pointer(home.chroma_dir)
    assert report.index_stats.generation == second.name != first.name
    assert not (home.chroma_dir / first.name).exists()  # superseded generations are removed
    for mode in ("bm25", "dense", "hybrid"):
        hits = retriever.search("Investing £43m in well maintained roads and quays", k=3, mode=mode)
        assert hits and all(h.citation.file for h in hits)
    assert "£43m" in retriever.search("Investing £43m in well maintained roads and quays", k=1, mode="bm25")[0].text


def test_snapshots_of_dead_readers_are_removed(home: Settings) -> None:
    readers = home.chroma_dir / generations.READERS_DIR
    dead = readers / "999999-1-g1"
    dead.mkdir(parents=True)
    (dead / "chroma.sqlite3").write_bytes(b"x")
    mine = ChromaStore(home.chroma_dir, create=False)
    assert not dead.exists()
    assert [p.name.split("-")[0] for p in readers.iterdir()] == [str(os.getpid())]
    mine.close()
    assert not any(readers.iterdir())


def test_a_sync_without_change_builds_nothing(home: Settings) -> None:
    from assistant.retrieval.index import sync_index

    before = generations.read_pointer(home.chroma_dir)
    stats = sync_index(home)
    assert (stats.upserted, stats.deleted, stats.embedded) == (0, 0, 0)
    assert generations.read_pointer(home.chroma_dir) == before
