"""The foundation: configuration, the answer contract and the CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import COMMANDS, main
from assistant.config import REPO_ROOT, Settings, relative_file
from assistant.models import Answer, Citation


def test_home_comes_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(tmp_path))
    settings = Settings()
    assert settings.home == tmp_path
    assert settings.db_path.parent == tmp_path
    assert settings.chroma_dir.parent == tmp_path


def test_bundled_corpus_and_manifest_are_present() -> None:
    corpus = REPO_ROOT / "corpus"
    manifest = json.loads((corpus / "manifest.json").read_text())
    files = sorted(p.name for p in corpus.glob("*.txt"))
    assert len(files) == 4
    assert set(manifest) == set(files)
    for entry in manifest.values():
        assert {"title", "council", "period", "kind"} <= set(entry)


def test_citation_paths_are_relative_to_the_repo() -> None:
    assert relative_file(REPO_ROOT / "corpus" / "x.txt") == "corpus/x.txt"


def test_answer_serialises_to_the_contract() -> None:
    cite = Citation("corpus/x.txt", "T", "S", 3, 4, "quote")
    answer = Answer("q?", "sql", "Emma Crapper, due March 2021", confidence=0.9, citations=(cite,),
                    sql="SELECT 1", columns=("lead",), rows=(("Emma Crapper",),),
                    timings_ms={"total": 1.234})
    data = json.loads(json.dumps(answer.to_dict()))
    assert set(data) == {"question", "route", "answer", "abstained", "abstain_reason", "confidence",
                         "citations", "sql", "columns", "rows", "timings_ms", "plan"}  # DESIGN.md §5
    assert data["abstain_reason"] is None and data["plan"] is None
    assert data["citations"][0]["line_start"] == 3
    assert data["rows"] == [["Emma Crapper"]]


def test_help_lists_every_command_without_importing_torch() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
    code = ("import sys; from click.testing import CliRunner; from assistant.cli import main; "
            "CliRunner().invoke(main, ['--help']); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
