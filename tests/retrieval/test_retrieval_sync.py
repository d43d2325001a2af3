"""Index synchronisation: idempotent re-sync, no duplicates, no re-embedding, removed documents."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.config import BUNDLED_CORPUS, Settings
from assistant.retrieval import lexical
from assistant.retrieval.index import sync_index
from assistant.retrieval.store import ChromaStore


def test_resync_without_change_is_a_no_op(built_settings: Settings) -> None:
    before = ChromaStore(built_settings.chroma_dir).fingerprints()
    stats = sync_index(built_settings)
    after = ChromaStore(built_settings.chroma_dir).fingerprints()
    assert (stats.upserted, stats.deleted, stats.embedded) == (0, 0, 0)
    assert stats.unchanged == stats.vectors == len(after) == len(before)
    assert after == before
    assert stats.chunks > 1000 and stats.prose > 100 and stats.rows["actions"] > 100


def _copy_home(src: Settings, dst: Path, corpus: Path) -> Settings:
    shutil.copytree(src.home, dst)
    return Settings(home=dst, corpus=corpus)


def test_removed_and_changed_documents_update_the_index(built_settings: Settings, tmp_path: Path) -> None:
    from assistant.pipeline import ingest_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    removed = "derby-city-pledges-delivery-plan-2016-19"
    for f in BUNDLED_CORPUS.iterdir():
        if f.stem != removed:
            shutil.copy(f, corpus / f.name)
    changed = corpus / "derbyshire-county-council-plan-2021-25.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace(
        "Investing £40m in well maintained roads", "Investing £41m in well maintained roads and bridges"),
        encoding="utf-8")
    settings = _copy_home(built_settings, tmp_path / "home", corpus)

    report = ingest_corpus(settings, index=True)
    stats = report.index_stats
    assert stats.deleted > 0 and 0 < stats.embedded < 10  # only the edited passage is new text

    ids = set(ChromaStore(settings.chroma_dir).fingerprints())
    assert ids and not any(i.startswith(removed) for i in ids)
    records = lexical.load(settings.home)
    assert records is not None and not any(c.doc_id == removed for c in records.chunks)

    from assistant.retrieval.search import Retriever

    hits = Retriever(settings).search("Ram Energy tariff swimming pool pledges", k=10)
    assert not any(removed in h.citation.file for h in hits)
    roads = Retriever(settings).search("Investing £41m in well maintained roads and bridges", k=3, mode="bm25")
    assert "£41m" in roads[0].text
    again = sync_index(settings)
    assert (again.upserted, again.deleted, again.embedded) == (0, 0, 0)
