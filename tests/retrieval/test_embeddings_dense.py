"""The index's own copy of its vectors (dense.npy) and BM25 read with numpy: the same rankings as
Chroma and bm25s, without importing either on the question path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.retrieval import dense, lexical
from assistant.retrieval.cache import by_database_version, cache_path
from assistant.retrieval.embeddings import get_embedder
from assistant.retrieval.search import Retriever

QUERIES = ("Who leads the Channel Shift strategy?", "climate change emissions", "children in care placements",
           "budget savings adult social care", "road safety")
TIE = 1e-4  # float32 rounding between numpy and Chroma's HNSW distances


def test_every_vector_of_the_index_is_in_its_copy(built_settings: Settings, retriever: Retriever) -> None:
    lex = lexical.load(built_settings.home)
    assert lex is not None and lex.dense is not None
    expected = {e.id for c in lex.chunks for e in c.vector_entries()}
    assert set(lex.dense.ids) == expected
    assert np.allclose(np.linalg.norm(lex.dense.matrix, axis=1), 1.0, atol=1e-4)
    stored = retriever._vector_store().vectors(list(lex.dense.ids[:50]))
    for i, eid in enumerate(lex.dense.ids[:50]):
        assert np.allclose(stored[eid], lex.dense.matrix[i], atol=1e-6)


def test_dense_ranking_from_the_copy_matches_chroma(built_settings: Settings, retriever: Retriever) -> None:
    lex = retriever._ensure_loaded()
    embedder = get_embedder(built_settings)
    for query in QUERIES:
        vector = embedder.embed_query(query)
        exact = retriever._dense_ranking(vector, {}, 10, lex.dense.chunk_scores(vector))
        chroma = retriever._dense_ranking(vector, {}, 10, None)
        # The same scores in the same order; chunks that share their best sentence tie, and ties
        # may come in either order.
        assert all(abs(x - y) < TIE for (_, x), (_, y) in zip(exact[:5], chroma[:5])), query
        cut = exact[4][1] + TIE
        assert {c for c, s in exact if s > cut} == {c for c, s in chroma if s > cut}, query
        chroma_scores = dict(chroma)
        for cid, score in exact:
            if cid in chroma_scores:
                assert abs(score - chroma_scores[cid]) < TIE


def test_filters_apply_to_the_copy(retriever: Retriever) -> None:
    council = next(c.council for c in retriever.chunks if c.council)
    hits = retriever.search("strategy", k=10, mode="dense", filters=None, kind="row")
    assert hits and all(h.kind == "row" for h in hits)
    from assistant.models import Filters

    hits = retriever.search("strategy", k=10, mode="dense", filters=Filters(council=council))
    assert hits and all(h.metadata["council"] == council for h in hits)


def test_an_index_without_a_copy_is_searched_in_chroma(built_settings: Settings, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(built_settings.home, home, ignore=shutil.ignore_patterns(".readers"))
    settings = Settings(home=home)
    with_copy = Retriever(settings).search("Who leads the Channel Shift strategy?", k=3)
    folder = lexical.index_root(home) / lexical.current_version(home)
    (folder / dense.MATRIX_FILE).unlink()
    assert lexical.load(home).dense is None
    without = Retriever(settings).search("Who leads the Channel Shift strategy?", k=3)
    assert [h.metadata["id"] for h in with_copy] == [h.metadata["id"] for h in without]


def test_bm25_read_with_numpy_scores_like_bm25s(built_settings: Settings) -> None:
    import bm25s

    folder = lexical.index_root(built_settings.home) / lexical.current_version(built_settings.home) / "bm25"
    ours = lexical.Bm25Scores.load(folder)
    theirs = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
    assert ours.vocab_dict == theirs.vocab_dict
    for term in list(theirs.vocab_dict)[::7]:
        assert np.array_equal(ours.get_scores([term]), theirs.get_scores([term])), term
    assert not ours.get_scores(["no-such-term"]).any()


def test_stop_words_are_the_lucene_list_of_bm25s() -> None:
    from bm25s.stopwords import STOPWORDS_EN

    from assistant.text import LUCENE_STOPWORDS

    assert LUCENE_STOPWORDS == frozenset(STOPWORDS_EN)


def test_values_are_cached_until_the_database_is_replaced(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    tmp_path.mkdir(exist_ok=True)
    settings.db_path.write_bytes(b"first")
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"n": len(builds)}

    assert by_database_version(settings, "lexicon", build, salt="1") == {"n": 1}
    assert by_database_version(settings, "lexicon", build, salt="1") == {"n": 1}
    assert len(builds) == 1
    assert by_database_version(settings, "lexicon", build, salt="2") == {"n": 2}  # new code, new value
    new = tmp_path / "next.duckdb"
    new.write_bytes(b"second file")
    os.replace(new, settings.db_path)  # what an ingest does
    assert by_database_version(settings, "lexicon", build, salt="2") == {"n": 3}
    assert len(list((settings.cache_dir / "derived").glob("lexicon-*.pickle"))) == 1  # older ones removed


def test_an_unreadable_cache_file_is_rebuilt(tmp_path: Path) -> None:
    from assistant.sql.connect import database_version

    settings = Settings(home=tmp_path)
    settings.db_path.write_bytes(b"db")
    path = cache_path(settings, "lexicon", database_version(settings) or "", "1")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert by_database_version(settings, "lexicon", lambda: "fresh", salt="1") == "fresh"
    assert by_database_version(settings, "lexicon", lambda: "other", salt="1") == "fresh"


def test_without_a_database_nothing_is_cached(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert by_database_version(settings, "lexicon", lambda: 1) == 1
    assert not (settings.cache_dir / "derived").exists()
    with pytest.raises(ValueError):
        cache_path(settings, "../x", "v")


def test_an_unchanged_index_is_reused_without_re_chunking(built_settings: Settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.retrieval import freshness, index
    from assistant.retrieval.embeddings import active_model_id
    from assistant.sql.connect import database_version

    monkeypatch.setattr(index, "read_chunks", lambda *a, **k: pytest.fail("the database was chunked again"))
    pending = index.build_index(built_settings)
    assert pending.pointer is None  # nothing to switch
    assert pending.stats.vectors > 0 and pending.stats.unchanged == pending.stats.vectors
    folder = lexical.index_root(built_settings.home) / lexical.current_version(built_settings.home)
    version = database_version(built_settings)
    assert freshness.reusable(folder, version, active_model_id(built_settings)) is not None
    assert freshness.reusable(folder, version, "another-model") is None
    assert freshness.reusable(folder, "1:2:3", active_model_id(built_settings)) is None


def test_module_salt_follows_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.retrieval.cache import module_salt

    package = tmp_path / "saltpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    first = module_salt("saltpkg.mod")
    assert module_salt("saltpkg.mod") == first
    (package / "mod.py").write_text("X = 2\n")
    assert module_salt("saltpkg.mod") != first
    assert module_salt("saltpkg.mod", "no_such_module_anywhere") != module_salt("saltpkg.mod")
