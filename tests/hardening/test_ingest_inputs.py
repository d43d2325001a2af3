"""Ingest reports every file it cannot read and goes on (issue 14, F6/F9); leftovers are cleaned (F8)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.pipeline import IngestReport, ingest_corpus
from tests.hardening.conftest import cli

GENERIC = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "generic"


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """The generic fixture documents plus one of every kind of file an ingest cannot use as it is."""
    folder = tmp_path / "docs"
    shutil.copytree(GENERIC, folder)
    (Path(os.fsdecode(bytes(folder) + b"/bad-\xff-name.txt"))).write_bytes(b"# Bad name\n\nText.\n")
    (folder / "utf16-plan.txt").write_bytes("# UTF-16 plan\n\nThe council will resurface 40 roads.\n"
                                           .encode("utf-16"))
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    os.mkfifo(folder / "pipe.txt")
    return folder


def _problem(report: IngestReport, name: str) -> str:
    found = [m for f, m in report.problems if f.endswith(name)]
    assert len(found) == 1, report.problems
    return found[0]


def test_every_unreadable_file_is_reported_and_the_rest_ingested(hostile_folder: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    report = ingest_corpus(settings, [hostile_folder], index=False)
    assert "not valid UTF-8" in _problem(report, "bad-\\xff-name.txt")
    assert "broken symbolic link" in _problem(report, "dangling.txt")
    assert "loop" in _problem(report, "loop-a.txt") and "loop" in _problem(report, "loop-b.txt")
    assert "FIFO" in _problem(report, "pipe.txt")
    assert "UTF-16" in _problem(report, "utf16-plan.txt")
    assert set(report.added) == {"utf16-plan", *(f.stem for f in GENERIC.iterdir())}
    from assistant.sql.connect import run_select

    _, rows = run_select(settings, "SELECT text FROM sections WHERE doc_id = 'utf16-plan'")
    assert any("resurface 40 roads" in (r[0] or "") for r in rows)


def test_a_fifo_named_on_the_command_line_is_reported_not_waited_on(hostile_folder: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    result = cli(settings, "ingest", "--no-index", str(hostile_folder / "pipe.txt"),
                 str(hostile_folder / "harbourside-actions.csv"))
    out = result.stdout.decode()
    assert result.returncode == 1 and "FIFO" in out and "Traceback" not in result.stderr.decode()


def test_cli_prints_every_problem_as_text_and_exits_1(hostile_folder: Path, tmp_path: Path) -> None:
    marked = tmp_path / "odd[" / "y]"  # a path containing "[/y]" (was a MarkupError)
    marked.mkdir(parents=True)
    (marked / "plan [b] \x1b[31m.md").write_text("# A [/b] plan\n\n| Action | Lead |\n|---|---|\n"
                                                 "| Fix [/b] roads | [link=https://evil.example]Ann[/link] |\n",
                                                 encoding="utf-8")
    settings = Settings(home=tmp_path / "home")
    result = cli(settings, "ingest", "--no-index", str(hostile_folder), str(marked))
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err and "MarkupError" not in err
    assert "\x1b" not in out
    for name in ("bad-\\xff-name.txt", "dangling.txt", "loop-a.txt", "pipe.txt", "utf16-plan.txt"):
        assert name in out
    assert "6 problem(s)" in err


def test_index_problems_are_counted_in_the_report(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from assistant.retrieval import index
    from assistant.retrieval.index import IndexStats, PendingIndex

    def fake_build(settings: Settings, progress=None, db_path=None) -> PendingIndex:
        return PendingIndex(settings, IndexStats(chunks=1, prose=1, problems=(("corpus/x.txt", "duplicate chunk id x"),)))

    monkeypatch.setattr(index, "build_index", fake_build)
    report = ingest_corpus(Settings(home=tmp_path / "home"), [GENERIC], index=True)
    assert ("corpus/x.txt", "duplicate chunk id x") in report.problems and not report.ok


def test_left_overs_of_a_killed_ingest_are_gone_after_the_next(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    ingest_corpus(settings, [GENERIC], index=False)
    db = settings.db_path
    junk = [db.with_name(f"{db.name}.building-999999"), db.with_name(f"{db.name}.building-999999.wal"),
            db.with_name(f"{db.name}.parser.tmp")]
    for f in junk:
        f.write_bytes(b"x" * 1000)
    build = settings.chroma_dir / ".build-999999-g1"
    reader = settings.chroma_dir / ".readers" / "999999-1-g1"
    for d in (build, reader):
        d.mkdir(parents=True)
        (d / "chroma.sqlite3").write_bytes(b"x")
    report = ingest_corpus(settings, [GENERIC], index=False)
    assert not any(f.exists() for f in junk) and not build.exists() and not reader.exists()
    assert len(report.cleaned) >= 4 and report.skipped
