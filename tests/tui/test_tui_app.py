"""Pilot tests over the real backend, corpus and index: one smoke test of the whole path (ask,
card, table view, source viewer, export), the first-run ingest, and a pipeline failure.
Everything else is tested over the fake backend in test_tui_pilot.py."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from assistant.config import BUNDLED_CORPUS, Settings
from tui.app import make_app
from tui.backend import AssistantBackend
from tui.history import History
from tui.screens import IngestScreen, SourceScreen, TableScreen
from tui.widgets import AnswerCard, ExamplesPanel, NoticeCard

from tui_helpers import ask, card_top_shown, ready, settle

pytestmark = pytest.mark.anyio

SERVICE_PLANS = "corpus/derbyshire-county-service-plans-2020-21.txt"
LEAD_QUESTION = "Who leads the Channel Shift strategy?"


def source_line(text: str, file: str = SERVICE_PLANS) -> int:
    """The 1-based number of the first corpus line containing ``text`` (read, not assumed)."""
    lines = (BUNDLED_CORPUS.parent / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def cards(app) -> list[AnswerCard]:
    return list(app.query(AnswerCard))


async def test_smoke_on_the_real_backend(app_factory, backend, tmp_path: Path) -> None:
    app = app_factory(export_dir=tmp_path / "out")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        assert app.examples and "World Cup" not in " ".join(app.examples)
        assert list(app.query_one(ExamplesPanel).questions) == app.examples
        await ask(pilot, LEAD_QUESTION)
        await ask(pilot, "And when will it be completed?")  # a follow-up in the same conversation
        first, second = cards(app)
        assert first.answer.route == "sql" and "Emma Crapper" in first.answer.answer
        complete = "March 2021"  # the Complete cell of that action row, read from the corpus below
        assert complete in (BUNDLED_CORPUS.parent / SERVICE_PLANS).read_text().splitlines()[
            source_line("Deliver the new Channel Shift strategy") - 1]
        assert complete in second.answer.answer
        await pilot.pause()
        t = app.transcript
        assert card_top_shown(app, second), (second.virtual_region, t.scroll_y, t.max_scroll_y, t.size)
        assert app.selected_card is second
        await pilot.press("ctrl+up")
        assert app.selected_card is first
        # the table view of the first answer and the source line of its row
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, TableScreen) and app.screen.table.row_count == len(first.answer.rows)
        await pilot.press("o")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, SourceScreen)
        target = source_line("Deliver the new Channel Shift strategy")
        assert viewer.citation.line_start <= target <= viewer.citation.line_end
        assert target in viewer.view.visible_lines()
        assert viewer.view.lines == backend.read_source(SERVICE_PLANS)
        await pilot.press("escape", "escape", "ctrl+s")
        result = app.last_export
    assert result.markdown.read_text().startswith(f"# {LEAD_QUESTION}")
    with result.csv.open(newline="") as fh:
        assert next(csv.reader(fh)) == list(first.answer.columns)


async def test_pipeline_failure_is_an_error_card(app_factory, backend, tmp_path: Path) -> None:
    """A real failure: the database disappears under a running app (e.g. deleted by hand)."""
    home = tmp_path / "home"
    shutil.copytree(backend.settings.home, home)
    broken = AssistantBackend(Settings(home=home))
    app = make_app(broken, history=History(), export_dir=tmp_path / "x", show_timings=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        shutil.rmtree(home)
        broken.reset_conversation()
        await ask(pilot, LEAD_QUESTION)
        [notice] = app.query(NoticeCard)
        assert notice.kind == "error" and "Error:" in str(notice.content)
        assert app.is_running


async def test_first_run_ingests_with_a_progress_screen(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    small = "derbyshire-county-council-plan-2021-25.txt"
    shutil.copy(BUNDLED_CORPUS / small, corpus / small)
    settings = Settings(home=tmp_path / "home", corpus=corpus)
    backend = AssistantBackend(settings)
    assert not backend.index_exists()
    app = make_app(backend, history=History(), show_timings=False)
    shown: list[str] = []
    original = app.push_screen

    def record(screen, *args, **kwargs):  # noqa: ANN001, ANN202 - the screens the app shows, in order
        shown.append(type(screen).__name__)
        return original(screen, *args, **kwargs)

    app.push_screen = record  # type: ignore[method-assign]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)   # a one-document ingest can finish before the first pause returns
        assert "IngestScreen" in shown
        assert not isinstance(app.screen, IngestScreen)
        assert backend.index_exists() and app.model_ready
        assert any("Index built: 1 documents" in n.message for n in app._notifications)


async def test_first_run_with_no_documents_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    backend = AssistantBackend(Settings(home=tmp_path / "home", corpus=tmp_path / "empty"))
    app = make_app(backend, history=History(), show_timings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IngestScreen)
        stage = str(app.screen.query_one("#ingest-stage").content)
        assert "Ingest failed: nothing to index (0 documents" in stage and str(tmp_path / "empty") in stage
        assert "error" in app.query_one("#status").model_state
        assert app.is_running


def test_example_questions_come_from_the_data_through_the_semantic_layer(backend: AssistantBackend) -> None:
    """The empty state's examples: phrases read from the ingested rows by queries that name tables and
    columns by their roles in the semantic layer (no table is named in the TUI's own code)."""
    from assistant.router.semantic import semantics
    from tui.backend import example_queries

    tables = {s.table for s in semantics().values()}
    for query in example_queries():
        named = set(re.findall(r"\bFROM (\w+)", query.sql))
        assert named and named <= tables | {s.values for s in semantics().values() if s.values}, query.sql
    examples = backend.examples()
    assert len(examples) >= 4
    assert any(q.startswith("Who is responsible for ") for q in examples)
    assert any(q.startswith("KPI target for ") for q in examples)
