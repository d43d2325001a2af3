"""A folder's read-me describes the folder, not a plan: a folder ingest leaves it out and says so,
without calling it a problem; named on its own, it is ingested like any file."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from assistant.config import Settings
from assistant.pipeline import ingest_corpus

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "generic" / "harbourside-actions.csv"


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    shutil.copy(GOOD, d / GOOD.name)
    (d / "README.md").write_text("# These documents\n\n| file | what |\n|---|---|\n| a.pdf | the plan |\n",
                                 encoding="utf-8")
    return d


def test_a_folder_ingest_leaves_the_read_me_out_and_reports_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    report = ingest_corpus(Settings(home=tmp_path / "home"), [folder], index=False)
    assert report.ok and report.documents == 1
    assert [f for f, _ in report.left_out] and report.left_out[0][0].endswith("README.md")
    assert "read-me" in report.left_out[0][1]


def test_a_read_me_named_on_its_own_is_ingested(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    report = ingest_corpus(Settings(home=tmp_path / "home"), [folder / GOOD.name, folder / "README.md"], index=False)
    assert report.ok and report.documents == 2 and not report.left_out


def test_the_cli_prints_the_left_out_file_and_exits_zero(tmp_path: Path, monkeypatch) -> None:
    from assistant.cli import main

    folder = _folder(tmp_path)
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(main, ["ingest", str(folder), "--no-index"])
    assert result.exit_code == 0, result.output
    assert "left out" in result.output and "README.md" in result.output
