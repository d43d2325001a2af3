"""Pilot tests of the app over the real backend, the real corpus and the real index."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from assistant.config import BUNDLED_CORPUS, Settings
from assistant.models import Filters
from tui.app import make_app
from tui.backend import AssistantBackend
from tui.history import History
from tui.keys import DEFAULT_KEYS, apply_overrides
from tui.screens import FiltersScreen, HelpScreen, HistoryScreen, IngestScreen, SourceScreen, SourceLine
from tui.widgets import AnswerCard, CitationItem, ExamplesPanel, NoticeCard, QuestionInput, span_text

from tui_helpers import ask, missing_stage, ready, settle

pytestmark = pytest.mark.anyio

SERVICE_PLANS = "corpus/derbyshire-county-service-plans-2020-21.txt"
LEAD_QUESTION = "Who leads the Channel Shift strategy?"


def source_line(text: str, file: str = SERVICE_PLANS) -> int:
    """The 1-based number of the first corpus line containing ``text`` (read, not assumed)."""
    lines = (BUNDLED_CORPUS.parent / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def span_visible(screen: SourceScreen) -> bool:
    """The first cited line is inside the viewer's visible window."""
    body = screen.query_one("#source-body")
    first = next(w for w in screen.query(SourceLine) if w.has_class("cited"))
    return body.scroll_y <= first.virtual_region.y < body.scroll_y + body.scrollable_content_region.height


def cards(app) -> list[AnswerCard]:
    return list(app.query(AnswerCard))


async def test_ask_shows_a_card_with_the_facts_and_rows(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        assert app.query_one(ExamplesPanel).display
        await ask(pilot, LEAD_QUESTION)
        [card] = cards(app)
        assert not app.query_one(ExamplesPanel).display
        a = card.answer
        assert a.route == "sql"
        assert "Emma Crapper" in a.answer
        assert str(card.query_one(".answer-text").content).strip() == a.answer.strip()
        assert str(card.query_one(".badge").content) == "SQL"
        table = card.query_one("DataTable")
        assert table.row_count == len(a.rows) > 0
        cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
        assert any("Emma Crapper" in c for c in cells)
        assert a.citations and len(card.query(CitationItem)) == len(a.citations)
        # the SQL is behind a toggle
        sql = card.query_one(".sql")
        assert not sql.display
        await pilot.press("ctrl+t")
        assert sql.display
        await pilot.press("ctrl+t")
        assert not sql.display


async def test_citation_opens_the_cited_lines(app_factory, backend) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, LEAD_QUESTION)
        [card] = cards(app)
        target = source_line("Deliver the new Channel Shift strategy")
        index = next(i for i, c in enumerate(card.answer.citations)
                     if c.file == SERVICE_PLANS and c.line_start <= target <= c.line_end)
        for _ in range(index):
            await pilot.press("ctrl+n")
        assert card.selected == index
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        c = card.answer.citations[index]
        cited = [w for w in screen.query(SourceLine) if w.has_class("cited")]
        assert [w.number for w in cited] == list(range(c.line_start, c.line_end + 1))
        assert any("Channel Shift" in w.text for w in cited)
        file_lines = backend.read_source(c.file)
        assert all(w.text == file_lines[w.number - 1] for w in screen.query(SourceLine))
        numbers = [w.number for w in screen.query(SourceLine)]
        assert numbers[0] < c.line_start and numbers[-1] > c.line_end  # context on both sides
        assert span_text(c.line_start, c.line_end) in str(screen.query_one("#source-head").content)
        assert span_visible(screen)
        await pilot.press("escape")
        assert not isinstance(app.screen, SourceScreen)


async def test_source_viewer_steps_through_citations(app_factory, backend) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await ask(pilot, "How many procurement projects are listed under Pensions?")
        [card] = cards(app)
        assert "7" in card.answer.answer and len(card.answer.citations) > 2
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        for index in (1, 2):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            c = card.answer.citations[index]
            cited = [w for w in screen.query(SourceLine) if w.has_class("cited")]
            assert screen.index == index
            assert [w.number for w in cited] == list(range(c.line_start, c.line_end + 1))
            assert " ".join(c.quote.split()[:3]) in " ".join(" ".join(w.text for w in cited).split())
            assert span_visible(screen)


async def test_clicking_a_citation_opens_it(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, LEAD_QUESTION)
        item = cards(app)[0].query(CitationItem).first()
        await pilot.click(item)
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.citation == item.citation


async def test_text_question_and_follow_up(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, LEAD_QUESTION)
        await ask(pilot, "And when will it be completed?")
        first, second = cards(app)
        complete = "March 2021"  # the Complete cell of that action row
        assert complete in (BUNDLED_CORPUS.parent / SERVICE_PLANS).read_text().splitlines()[
            source_line("Deliver the new Channel Shift strategy") - 1]
        assert complete in second.answer.answer
        assert "2 turns" in str(app.query_one("#status").content)


async def test_text_route_cites_passages(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "What happened at Toddbrook Reservoir?")
        [card] = cards(app)
        assert card.answer.route == "text"
        assert str(card.query_one(".badge").content) == "TEXT"
        assert "Toddbrook" in card.answer.answer or any("Toddbrook" in c.quote for c in card.answer.citations)
        assert "dam" in card.answer.answer.lower()
        assert not card.query("DataTable")


async def test_export_writes_markdown_and_csv(app_factory, tmp_path: Path) -> None:
    app = app_factory(export_dir=tmp_path / "out")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+s")  # nothing to export yet: a warning, no file
        assert not (tmp_path / "out").exists()
        await ask(pilot, LEAD_QUESTION)
        await pilot.press("ctrl+s")
        await pilot.pause()
        result = app.last_export
        answer = cards(app)[0].answer
    assert result.markdown.parent == tmp_path / "out"
    md = result.markdown.read_text()
    assert md.startswith(f"# {LEAD_QUESTION}")
    assert "Emma Crapper" in md and answer.answer.strip() in md
    for n, c in enumerate(answer.citations, 1):
        assert f"{n}. " in md and f"`{c.file}` lines {c.line_start}–{c.line_end}" in md
    with result.csv.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(answer.columns)
    assert len(rows) == len(answer.rows) + 1
    assert any("Emma Crapper" in cell for row in rows[1:] for cell in row)


async def test_changed_key_and_copy(app_factory, tmp_path: Path) -> None:
    keymap = apply_overrides(DEFAULT_KEYS, {"export": "ctrl+e"})
    app = app_factory(keymap=keymap, export_dir=tmp_path / "k")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, LEAD_QUESTION)
        await pilot.press("ctrl+s")  # the default key no longer exports
        assert app.last_export is None
        await pilot.press("ctrl+e")
        assert app.last_export is not None and app.last_export.markdown.exists()
        await pilot.press("ctrl+y")
        assert "Emma Crapper" in app.clipboard and "[1] " in app.clipboard


async def test_history_recall_and_search(app_factory, tmp_path: Path) -> None:
    history = History(tmp_path / "h.jsonl", entries=[])
    app = app_factory(history=history)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, LEAD_QUESTION)
        await ask(pilot, "What happened at Toddbrook Reservoir?")
        box = app.query_one(QuestionInput)
        await pilot.press("up")
        assert box.value == "What happened at Toddbrook Reservoir?"
        await pilot.press("up")
        assert box.value == LEAD_QUESTION
        await pilot.press("down", "down")
        assert box.value == ""
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press(*"channel", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        assert box.value == LEAD_QUESTION and box.has_focus
    assert History(tmp_path / "h.jsonl").entries == [LEAD_QUESTION, "What happened at Toddbrook Reservoir?"]


async def test_filters_restrict_answers_and_show_in_status(app_factory, backend) -> None:
    council = "Derbyshire County Council"
    files = {d.doc_id for d in backend.filter_options().documents if d.council == council}
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        screen = app.screen
        assert isinstance(screen, FiltersScreen)
        screen.query_one("#filter-council").value = council
        await pilot.click("#apply")
        await pilot.pause()
        assert app.filters == Filters(council=council)
        assert f"council={council}" in str(app.query_one("#status").content)
        await ask(pilot, "What are the priorities of the council?")
        [card] = cards(app)
        assert card.answer.citations
        assert all(Path(c.file).stem in files for c in card.answer.citations)
        await pilot.press("ctrl+f")
        await pilot.click("#clear")
        await pilot.pause()
        assert app.filters.is_empty() and "Filters: none" in str(app.query_one("#status").content)


async def test_empty_and_junk_questions(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "   ")
        assert not app.query(".card")
        assert any("Type a question first" in n.message for n in app._notifications)
        await ask(pilot, "xqzv blorf wibble snark?")
        [card] = cards(app)
        assert card.answer.route == "none" and card.answer.abstained
        assert str(card.query_one(".badge").content) == "NOT FOUND"
        await ask(pilot, "x" * (app.backend.settings.max_question_chars + 10))
        await ask(pilot, "?!? ...")
        too_long, no_words = cards(app)[1:]
        assert "too long" in too_long.answer.answer and not too_long.answer.citations
        assert "no words" in no_words.answer.answer
        assert app.is_running


async def test_questions_queue_in_order_and_cancel(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        app.ask(LEAD_QUESTION)
        app.ask("What happened at Toddbrook Reservoir?")
        assert app.busy and len(app.query(NoticeCard)) == 2
        app.action_cancel()  # before any answer is handled: both are cancelled
        assert [c.kind for c in app.query(NoticeCard)] == ["cancelled", "cancelled"]
        await settle(pilot)
        assert not cards(app), "a cancelled answer never appears"
        app.ask(LEAD_QUESTION)
        app.ask("And when is it due?")  # queued behind the first, answered as its follow-up
        await settle(pilot)
        first, second = cards(app)
        assert "Emma Crapper" in first.answer.answer and "March 2021" in second.answer.answer


async def test_example_click_help_clear_and_quit(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        assert app.examples and app.examples[-1]
        options = app.query_one("#example-list")
        assert options.option_count == len(app.examples)
        await pilot.press("tab")  # from the question box to the examples
        assert options.has_focus
        await pilot.press("enter")  # asks the highlighted (first) example
        await settle(pilot)
        assert cards(app)[0].answer.question == app.examples[0]
        assert app.query_one(QuestionInput).has_focus, "typing after an example goes to the question box"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+l")
        assert not app.query(".card") and app.query_one(ExamplesPanel).display
        await pilot.press("ctrl+q")
    assert not app.is_running


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
    reason = missing_stage()
    if reason:
        pytest.skip(reason)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    small = "derbyshire-county-council-plan-2021-25.txt"
    shutil.copy(BUNDLED_CORPUS / small, corpus / small)
    settings = Settings(home=tmp_path / "home", corpus=corpus)
    backend = AssistantBackend(settings)
    assert not backend.index_exists()
    app = make_app(backend, history=History(), show_timings=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, IngestScreen)
        await settle(pilot)
        assert not isinstance(app.screen, IngestScreen)
        assert backend.index_exists() and app.model_ready
        assert any("Index built: 1 documents" in n.message for n in app._notifications)


async def test_first_run_with_no_documents_says_so(tmp_path: Path) -> None:
    reason = missing_stage()
    if reason:
        pytest.skip(reason)
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
