"""`plan-assistant bench`: figures are produced and saved (no timing assertions anywhere)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.config import BUNDLED_CORPUS
from eval.bench import BenchResult, IngestFigures, RouteLatency, render_rows, write_bench

ONE_DOC = "derbyshire-county-council-plan-2021-25.txt"


def _result() -> BenchResult:
    return BenchResult(
        started_at="2026-01-01T00:00:00+00:00", machine={"cpus": 2},
        ingest=(IngestFigures("corpus", 4, 0.3, 2600, 100.0, True, index_seconds=90.0, embed_seconds=80.0,
                              vectors_embedded=2000),
                IngestFigures("synthetic 20x", 80, 6.0, 52000, 10.0, False)),
        warm_seconds=0.5, latency=(RouteLatency("sql", 3, 10.0, 20.0), RouteLatency("all", 3, 10.0, 20.0)),
        peak_rss_mb=1500.0, cold_start_peak_rss_mb=900.0, cold_start_s=12.0, cold_start_note="ask",
        problems=("cold start: exit 1: boom",))


def test_rows_show_every_figure() -> None:
    rows = dict(render_rows(_result()))
    assert rows["ingest+index: corpus (4 files, 0.30 MB, 2600 typed rows)"] == "100.0 s, 26 rows/s"
    assert rows["  of which parse + DuckDB: corpus"] == "10.0 s, 260 rows/s"
    assert rows["ingest (no index): synthetic 20x (80 files, 6.00 MB, 52000 typed rows)"] == "10.0 s, 5200 rows/s"
    assert rows["query latency, route sql (n=3)"] == "p50 10 ms, p95 20 ms"
    assert rows["cold start to first answer"] == "12.00 s"
    assert rows["problem"] == "cold start: exit 1: boom"


def test_figures_are_saved_and_merged_into_the_eval_report(tmp_path: Path) -> None:
    (tmp_path / "eval.json").write_text(json.dumps({"summaries": {}}), encoding="utf-8")
    path = write_bench(_result(), tmp_path, json_path=tmp_path / "copy.json")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["ingest"][1]["rows_per_s"] == 5200.0
    assert json.loads((tmp_path / "copy.json").read_text(encoding="utf-8")) == saved
    assert json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))["bench"] == saved


@pytest.mark.slow
def test_bench_command_end_to_end_on_one_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(BUNDLED_CORPUS / ONE_DOC, corpus / ONE_DOC)
    monkeypatch.setenv("PLAN_ASSISTANT_CORPUS", str(corpus))
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(tmp_path / "unused-home"))
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["bench", "--factor", "2", "--queries", "4", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert data["problems"] == [], data["problems"]
    corpus_fig, synthetic_fig = data["ingest"]
    assert corpus_fig["files"] == 1 and corpus_fig["rows"] > 0 and corpus_fig["indexed"]
    assert synthetic_fig["files"] == 2 and synthetic_fig["rows"] >= corpus_fig["rows"]
    assert [r for r in data["latency"] if r["route"] == "all"][0]["n"] == 4
    assert data["cold_start_s"] is not None and data["peak_rss_mb"] > 0
    assert "cold start to first answer" in result.output
    assert not (tmp_path / "unused-home").exists()  # benchmarks never touch the user's home
