"""Bad inputs: each gives one clear line in the report, the other documents are still ingested,
and the CLI exits non-zero."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.config import Settings

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "generic" / "harbourside-actions.csv"


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bad_corpus")
    shutil.copy(GOOD, d / GOOD.name)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text("   \n\n  \n", encoding="utf-8")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (d / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (d / "legacy-plan.txt").write_bytes(
        "Caf\xe9 Quarter Plan 2019-20\n\nActions\tLead\tComplete\nOpen the caf\xe9 kiosk (\xa35,000)\tRen\xe9e Dupont\tMay 2019\n"
        .encode("latin-1"))
    (d / "ragged.csv").write_text("Action,Owner,Deadline\nFix the roof,Sam Jones,May 2024,extra cell,another\n"
                                  "Paint the hall,Sam Jones\n", encoding="utf-8")
    (d / "notes.docx").write_bytes(b"PK\x03\x04 not really a docx")
    return d


@pytest.fixture(scope="module")
def bad_report(bad_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    from assistant.pipeline import ingest_corpus

    settings = Settings(home=tmp_path_factory.mktemp("bad_home"))
    report = ingest_corpus(settings, [bad_corpus, bad_corpus / "does-not-exist.txt"], index=False)
    return settings, report


def _problem(report, name: str) -> str:
    msgs = [m for f, m in report.problems if Path(f).name == name]
    assert len(msgs) >= 1, report.problems
    assert all("\n" not in m for m in msgs)
    return " | ".join(msgs)


def test_each_bad_input_has_a_one_line_problem(bad_report) -> None:
    _, report = bad_report
    assert "empty" in _problem(report, "empty.txt")
    assert "empty" in _problem(report, "blank.txt")
    assert "binary" in _problem(report, "image.txt")
    assert "corrupt PDF" in _problem(report, "scan.pdf")
    assert "Latin-1" in _problem(report, "legacy-plan.txt")
    assert "ragged" in _problem(report, "ragged.csv")
    assert "no such file" in _problem(report, "does-not-exist.txt")
    assert "corrupt Word file" in _problem(report, "notes.docx")


def test_good_and_readable_documents_still_ingested(bad_report) -> None:
    from assistant.sql.connect import run_select

    settings, report = bad_report
    assert set(report.added) == {"harbourside-actions", "legacy-plan", "ragged"}
    _, rows = run_select(settings, "SELECT action, lead_raw, complete_date FROM actions WHERE doc_id = 'legacy-plan'")
    assert rows[0][0] == "Open the café kiosk (£5,000)" and rows[0][1] == "Renée Dupont"


def test_ragged_rows_keep_every_cell(bad_report) -> None:
    from assistant.sql.connect import run_select

    settings, _ = bad_report
    _, rows = run_select(settings, "SELECT r.cells FROM raw_rows r JOIN raw_tables t USING (table_id) "
                                   "WHERE t.doc_id = 'ragged' ORDER BY r.row_index")
    assert rows[0][0] == ["Fix the roof", "Sam Jones", "May 2024", "extra cell", "another"]
    assert rows[1][0][:2] == ["Paint the hall", "Sam Jones"]
    _, actions = run_select(settings, "SELECT count(*) FROM actions WHERE doc_id = 'ragged'")
    assert actions[0][0] == 2


def test_cli_exit_code_and_messages(bad_corpus: Path, tmp_path: Path) -> None:
    from assistant.cli import main

    result = CliRunner().invoke(main, ["ingest", "--no-index", str(bad_corpus)],
                                env={"PLAN_ASSISTANT_HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert "corrupt PDF" in result.output
    assert "Traceback" not in result.output
    ok = CliRunner().invoke(main, ["ingest", "--no-index", str(GOOD)], env={"PLAN_ASSISTANT_HOME": str(tmp_path / "ok")})
    assert ok.exit_code == 0, ok.output
