"""The synthetic corpus generator used by the benchmark."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from assistant.config import Settings
from assistant.ingest.synthetic import make_synthetic_corpus

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NAME = "derbyshire-county-council-plan-2021-25.txt"


def test_renames_councils_and_shifts_dates(tmp_path: Path) -> None:
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import run_select

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPUS / NAME, src / NAME)
    shutil.copy(CORPUS / "manifest.json", src / "manifest.json")
    files = make_synthetic_corpus(src, tmp_path / "out", factor=3)
    assert len(files) == 3 and len({f.name for f in files}) == 3
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert all("Derbyshire" not in t for t in texts)
    assert "Council Plan 2021-25" in texts[0] and "Council Plan 2023-27" in texts[2]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    councils = {manifest[f.name]["council"] for f in files}
    assert len(councils) == 3 and all(c.endswith("County Council") for c in councils)

    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "out")
    report = ingest_corpus(settings, index=False)
    assert report.documents == 3 and report.problems == ()
    _, rows = run_select(settings, "SELECT doc_id, count(*) FROM deliverables GROUP BY doc_id")
    assert len({n for _, n in rows}) == 1  # every copy yields the same rows
