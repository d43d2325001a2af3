"""Incremental (content hash) and atomic (temp file + os.replace) ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import IngestError

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SMALL = ["derbyshire-county-council-plan-2021-25.txt", "derby-city-council-plan-2022-25.txt"]
GENERIC = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "generic" / "harbourside-corporate-plan-2023-26.md"


@pytest.fixture
def small(tmp_path: Path) -> Settings:
    src = tmp_path / "src"
    src.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS / name, src / name)
    shutil.copy(CORPUS / "manifest.json", src / "manifest.json")
    shutil.copy(GENERIC, src / GENERIC.name)
    return Settings(home=tmp_path / "home", corpus=src)


def _count(settings: Settings, sql: str):
    from assistant.sql.connect import run_select

    return run_select(settings, sql)[1][0][0]


def test_unchanged_changed_removed(small: Settings) -> None:
    from assistant.pipeline import ingest_corpus

    first = ingest_corpus(small, index=False)
    assert len(first.added) == 3 and first.documents == 3
    deliverables = _count(small, "SELECT count(*) FROM deliverables")

    again = ingest_corpus(small, index=False)
    assert again.added == () and again.updated == () and again.removed == ()
    assert sorted(again.skipped) == sorted(first.added)
    assert _count(small, "SELECT count(*) FROM deliverables") == deliverables

    doc = small.corpus / GENERIC.name
    doc.write_text(doc.read_text(encoding="utf-8").replace("Adopt the Harbourside Local Plan",
                                                           "Adopt the revised Harbourside Local Plan"), encoding="utf-8")
    changed = ingest_corpus(small, index=False)
    assert changed.updated == ("harbourside-corporate-plan-2023-26",) and len(changed.skipped) == 2
    assert _count(small, "SELECT count(*) FROM actions WHERE action LIKE 'Adopt the revised%'") == 1
    assert _count(small, "SELECT count(*) FROM actions WHERE action = 'Adopt the Harbourside Local Plan'") == 0
    assert _count(small, "SELECT count(*) FROM actions") == 5  # replaced, not duplicated
    assert _count(small, "SELECT count(*) FROM person_links WHERE person_id IS NULL") == 0

    (small.corpus / SMALL[0]).unlink()
    removed = ingest_corpus(small, index=False)
    assert removed.removed == ("derbyshire-county-council-plan-2021-25",)
    assert _count(small, "SELECT count(*) FROM deliverables") == 0
    assert _count(small, "SELECT count(*) FROM raw_tables WHERE doc_id = 'derbyshire-county-council-plan-2021-25'") == 0
    assert _count(small, "SELECT count(*) FROM documents") == 2


def test_failure_halfway_keeps_old_database(small: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.ingest import store
    from assistant.pipeline import ingest_corpus

    ingest_corpus(small, index=False)
    before = _count(small, "SELECT count(*) FROM actions")
    for name in SMALL:
        p = small.corpus / name
        p.write_text(p.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    calls = {"n": 0}
    real = store.write_document

    def failing(con, doc):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full (simulated)")
        return real(con, doc)

    monkeypatch.setattr(store, "write_document", failing)
    with pytest.raises(IngestError, match="previous database kept"):
        ingest_corpus(small, index=False)
    assert calls["n"] == 2
    assert _count(small, "SELECT count(*) FROM actions") == before
    assert sorted(p.name for p in small.home.iterdir() if "building" in p.name) == []
    monkeypatch.setattr(store, "write_document", real)
    retry = ingest_corpus(small, index=False)
    assert sorted(retry.updated) == sorted(n.removesuffix(".txt") for n in SMALL)


def test_reader_open_during_ingest(small: Settings) -> None:
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    ingest_corpus(small, index=False)
    reader = connect_readonly(small)
    try:
        (small.corpus / GENERIC.name).unlink()
        report = ingest_corpus(small, index=False)
        assert report.removed == ("harbourside-corporate-plan-2023-26",)
        assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 3  # the old snapshot
    finally:
        reader.close()
    assert _count(small, "SELECT count(*) FROM documents") == 2


def test_mistyped_path_leaves_database_alone(small: Settings) -> None:
    from assistant.pipeline import ingest_corpus

    ingest_corpus(small, index=False)
    report = ingest_corpus(small, [small.corpus / "no-such-plan.txt"], index=False)
    assert report.problems and report.removed == () and report.documents == 3
    fresh = Settings(home=small.home.parent / "fresh")
    empty = ingest_corpus(fresh, [small.corpus / "no-such-plan.txt"], index=True)
    assert empty.documents == 0 and not fresh.db_path.exists() and empty.index_stats is None


def test_database_version_changes_on_swap(small: Settings) -> None:
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import database_version

    assert database_version(small) is None
    ingest_corpus(small, index=False)
    v1 = database_version(small)
    ingest_corpus(small, index=False)  # nothing changed: same file
    assert database_version(small) == v1
    (small.corpus / GENERIC.name).unlink()
    ingest_corpus(small, index=False)
    assert database_version(small) not in (None, v1)
