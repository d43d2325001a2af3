"""Pilot tests of the TUI over a fake backend (tests/tui/fakes.py): answers, table view, keys,
copy and export, typing ahead, paste, dialogs, the source viewer, waiting, markup in data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Select

from fakes import MARKUP, SERVICE_PLANS, corpus_lines, procurement_rows
from tui.app import LOADING_MODEL
from tui.screens import FiltersScreen, HelpScreen, HistoryScreen, RowScreen, SectionsScreen, SourceScreen, TableScreen
from tui.source_view import SourceView
from tui.widgets import (ANSWER_PREVIEW_LINES, PREVIEW_ROWS, AnswerCard, ExamplesPanel, NoticeCard, QuestionInput)
from tui_helpers import card_top_shown, screen_text, settle

pytestmark = pytest.mark.anyio

LIST_Q = "List the contracts on the forward plan"
LOOKUP_Q = "What is the gas supply worth?"
PASSAGE_Q = "What are the council's priorities?"


async def ask(pilot, question: str) -> None:
    """Type a question into the box, press Enter, wait for the answer."""
    box = pilot.app.question_box
    box.focus()
    box.value = question
    await pilot.press("enter")
    await settle(pilot)


def cards(app) -> list[AnswerCard]:
    return list(app.query(AnswerCard))


async def test_new_card_top_is_scrolled_into_view(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for question in (LIST_Q, LOOKUP_Q, LIST_Q, PASSAGE_Q):
            await ask(pilot, question)
            await pilot.pause()
            card = cards(app)[-1]
            assert card.answer.question == question
            assert card_top_shown(app, card), (card.virtual_region, app.transcript.scroll_y)
            assert app.selected_card is card and card.is_selected


async def test_long_list_preview_and_show_all_table(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, LIST_Q)
        [card] = cards(app)
        n = len(card.answer.rows)
        assert n == 36 and card.query_one(DataTable).row_count == PREVIEW_ROWS
        shown = str(card.query_one(".answer-text").content).split("\n")
        assert len(shown) == ANSWER_PREVIEW_LINES
        assert f"{n + 1 - ANSWER_PREVIEW_LINES} more lines" in str(card.query_one(".more-lines").content)
        assert f"Show all {n} rows" in str(card.query_one(".show-all").content)
        assert "£12,250,000.00" in screen_text(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TableScreen)
        table = screen.table
        assert table.row_count == n
        assert [str(c.label) for c in table.columns.values()][:3] == ["Title", "Value", "Start"]
        await pilot.pause()
        assert table.show_horizontal_scrollbar, "columns wider than 80 cells scroll sideways, visibly"
        # sort by value, high to low: numbers as numbers, not as text
        await pilot.press("right", "s", "s")
        values = [str(table.get_row_at(r)[1]) for r in range(table.row_count)]
        amounts = [float(v.strip("£").replace(",", "")) for v in values]
        assert amounts == sorted(amounts, reverse=True)
        # the detail pane and Enter show the whole text of the row
        detail = str(screen.query_one("#table-detail-text").content)
        row, _ = screen.current()
        title, value, start, line = procurement_rows(36)[row]
        assert title in detail and value in detail and f"line {line}" in detail
        await pilot.press("enter")
        assert isinstance(app.screen, RowScreen)
        assert title in screen_text(app)
        await pilot.press("escape")
        # o opens the row's source line
        await pilot.press("o")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, SourceScreen)
        assert viewer.citation.file == SERVICE_PLANS and viewer.citation.line_start == line
        assert line in viewer.view.visible_lines()
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_enter_on_a_preview_row_opens_the_table_there(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, LIST_Q)
        table = cards(app)[0].query_one(DataTable)
        table.focus()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TableScreen)
        assert app.screen.current()[0] == 2


async def test_jump_keys_select_and_reveal_cards(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for question in (LIST_Q, LOOKUP_Q, PASSAGE_Q):
            await ask(pilot, question)
        first, second, third = cards(app)
        assert app.selected_card is third
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert app.selected_card is second and second.is_selected and not third.is_selected
        assert card_top_shown(app, second)
        await pilot.press("ctrl+up", "ctrl+up")  # stops at the first
        await pilot.pause()
        assert app.selected_card is first and card_top_shown(app, first)
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert app.selected_card is second and card_top_shown(app, second)


async def test_copy_and_export_act_on_the_selected_card(fake_app, copies, tmp_path: Path) -> None:
    app = fake_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for question in (LOOKUP_Q, PASSAGE_Q, LIST_Q):
            await ask(pilot, question)
        await pilot.press("ctrl+up", "ctrl+up")
        first = cards(app)[0]
        assert app.selected_card is first
        await pilot.press("ctrl+s")
        md = app.last_export.markdown.read_text()
        assert md.startswith(f"# {LOOKUP_Q}") and "## SQL" in md
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert LOOKUP_Q in copies[-1] and "SQL:" in copies[-1] and first.answer.sql in copies[-1]
        await pilot.press("f4")
        await settle(pilot)
        assert copies[-1] == first.answer.sql
        # no clipboard here: the app says so and the text is in a file
        assert app.last_copy.file.read_text().strip() == first.answer.sql
        assert any("No clipboard" in n.message and str(app.last_copy.file) in n.message for n in app._notifications)
        # clicking a card selects it too
        await pilot.click(cards(app)[1].query_one(".card-question"))
        assert app.selected_card is cards(app)[1]


async def test_csv_has_every_column_of_the_rows(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, LIST_Q)
        answer = cards(app)[0].answer
        await pilot.press("ctrl+s")
        with app.last_export.csv.open(newline="") as fh:
            rows = list(csv.reader(fh))
    assert rows[0] == list(answer.columns)  # file and line columns too, though hidden on screen
    assert {"file", "line_start"} <= set(rows[0])
    assert len(rows) == len(answer.rows) + 1
    assert rows[1] == [str(v) for v in answer.rows[0]]


def key_events(text: str) -> list[events.Key]:
    """The key events a terminal sends for ``text`` ("\r" is Enter), as one burst."""
    from textual.keys import _character_to_key

    return [events.Key("enter", "\r") if c == "\r" else events.Key(_character_to_key(c), c) for c in text]


async def test_typing_ahead_three_questions(fake_app, fake_backend) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fake_backend.ask_gate.clear()  # the first answer takes its time
        questions = ["List the ICT contracts", "What is the gas supply worth?", "List the Pensions contracts"]
        # all the keys arrive at once, as from a fast typist or a terminal multiplexer: nothing waits
        # for Enter to be handled before the next key reaches the box
        for event in key_events("".join(q + "\r" for q in questions)):
            app.post_message(event)
        await pilot.pause()
        await pilot.pause()
        box = app.query_one(QuestionInput)
        assert box.value == ""
        assert [c.question for c in app.query(NoticeCard)] == questions
        fake_backend.ask_gate.set()
        await settle(pilot)
        assert fake_backend.asked == questions
        assert [c.answer.question for c in cards(app)] == questions


async def test_multiline_paste_becomes_one_question(fake_app, fake_backend) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.question_box
        box.post_message(events.Paste("List the contracts\n  due in 2021\r\nfor ICT\n"))
        await pilot.pause()
        assert box.value == "List the contracts due in 2021 for ICT"
        assert "Pasted 3 lines as one question" in str(app.query_one("#input-hint").content)
        await pilot.press("enter")
        await settle(pilot)
        assert fake_backend.asked == ["List the contracts due in 2021 for ICT"]


async def test_overlong_question_is_refused_in_the_box(fake_app, fake_backend) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        limit = fake_backend.settings.max_question_chars
        text = "why " * (limit // 4 + 200)
        app.question_box.post_message(events.Paste(text))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert not app.query(".card") and fake_backend.asked == []
        assert app.question_box.value == text.strip()
        hint = app.query_one("#input-hint")
        assert hint.display and "Too long to ask" in str(hint.content) and f"{limit:,}" in str(hint.content)
        assert app.question_box.has_class("-invalid")
        app.question_box.value = "What is the gas supply worth?"
        await pilot.pause()
        assert not app.question_box.has_class("-invalid") and not hint.display


async def test_filter_dialog_opens_focused_and_narrows(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        screen = app.screen
        assert isinstance(screen, FiltersScreen)
        assert screen.focused is screen.query_one("#filter-council")
        document = screen.query_one("#filter-document", Select)
        department = screen.query_one("#filter-department", Select)
        screen.query_one("#filter-council", Select).value = "Derby City Council"
        await pilot.pause()
        assert [v for _, v in document._options if v is not Select.NULL] == [
            "derby-city-council-plan-2022-25", "derby-city-pledges-delivery-plan-2016-19"]
        assert [v for _, v in department._options if v is not Select.NULL] == [
            "Finance and Governance", "Urban Renewal (Housing)"]
        document.value = "derby-city-council-plan-2022-25"
        await pilot.pause()
        assert [v for _, v in department._options if v is not Select.NULL] == []
        await pilot.click("#apply")
        await pilot.pause()
        assert app.filters.council == "Derby City Council"
        assert app.filters.document == "derby-city-council-plan-2022-25"


async def test_other_dialogs_open_focused(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, LOOKUP_Q)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, HistoryScreen) and app.screen.focused.id == "history-search"
        await pilot.press("enter")  # picks the newest question
        assert app.question_box.value == LOOKUP_Q and app.question_box.has_focus
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and app.screen.focused is not None
        await pilot.press("escape")


async def test_source_viewer_search_jump_and_sections(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, LOOKUP_Q)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        view = screen.query_one(SourceView)
        cited = screen.citation.line_start
        assert cited in view.visible_lines() and view.top_line() < cited
        lines = corpus_lines(SERVICE_PLANS)
        assert len(view.lines) == len(lines), "the whole document, not a window"
        # search: / electricity Enter, then n
        await pilot.press("slash", *"electricity", "enter")
        expected = [n for n, line in enumerate(lines, 1) if "electricity" in line.lower()]
        first = next(n for n in expected if n >= view.top_line())
        assert screen.found == expected
        assert view.current_match_line == first and first in view.visible_lines()
        status = str(screen.query_one("#source-status").content)
        assert f"match {expected.index(first) + 1} of {len(expected)}" in status
        await pilot.press("n")
        second = expected[expected.index(first) + 1]
        assert view.current_match_line == second and second in view.visible_lines()
        await pilot.press("N")
        assert view.current_match_line == first
        # g: go to a line number
        await pilot.press("g", "1", "0", "enter")
        assert view.top_line() == 10
        # the whole document scrolls: End reaches the last line
        await pilot.press("end")
        await pilot.pause()
        assert len(lines) in view.visible_lines()
        # s: sections, narrowed by typing
        await pilot.press("s")
        assert isinstance(app.screen, SectionsScreen)
        await pilot.press(*"financial", "enter")
        heading = next(n for n, line in enumerate(lines, 1) if line.startswith("3. Financial Considerations"))
        assert app.screen is screen and view.top_line() == heading
        # the last search is offered again, selected: letters replace it instead of running keys
        await pilot.press("slash")
        assert screen.query_one("#source-prompt").value == "electricity"
        await pilot.press("n", "g", "s")
        assert screen.query_one("#source-prompt").value == "ngs"
        await pilot.press("escape")
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, SourceScreen)


async def test_source_viewer_aligns_table_columns(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, LOOKUP_Q)
        await pilot.press("ctrl+o")
        await settle(pilot)
        view = app.screen.query_one(SourceView)
        _, value, _, line = procurement_rows(3)[2]
        rows = [r for r in view.rows if r.first and line - 3 <= r.line <= line + 3 and "£" in r.text]
        columns = {r.text.index("│") for r in rows}
        assert len(rows) >= 3 and len(columns) == 1, [r.text for r in rows]


async def test_question_needing_no_model_does_not_wait(fake_app, fake_backend) -> None:
    fake_backend.warm_gate.clear()  # the model takes its time to load
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.model_ready
        app.ask(LOOKUP_Q)  # a table question: answered while the model loads
        for _ in range(100):
            await pilot.pause()
            if cards(app):
                break
        assert [c.answer.question for c in cards(app)] == [LOOKUP_Q] and not app.model_ready
        app.ask(PASSAGE_Q)  # needs the model: its card says so
        await pilot.pause()
        [pending] = app.query(NoticeCard)
        assert pending.message == LOADING_MODEL and "Loading the model" in str(pending.content)
        fake_backend.warm_gate.set()
        await settle(pilot)
        assert app.model_ready and [c.answer.question for c in cards(app)] == [LOOKUP_Q, PASSAGE_Q]


async def test_clear_can_be_undone(fake_app, fake_backend) -> None:
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+z")  # nothing to undo: the key is not taken
        await ask(pilot, LOOKUP_Q)
        await ask(pilot, LIST_Q)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not cards(app) and app.query_one(ExamplesPanel).display
        assert any("^z brings them back" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [c.answer.question for c in cards(app)] == [LOOKUP_Q, LIST_Q]
        assert fake_backend.restored == [f"conversation-{fake_backend.conversations - 1}"]
        assert "2 turns" in str(app.query_one("#status").content)
        await pilot.press("ctrl+l")
        await ask(pilot, PASSAGE_Q)  # a new question: the cleared conversation is gone for good
        assert app._cleared is None


async def test_palette_footer_and_toasts(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Export answer", "Copy answer", "Copy SQL", "Show table (all rows)", "Filters",
                      "Clear transcript", "Open source", "Theme"):
            assert title in titles
        footer = screen_text(app).split("\n")[-1]
        for key in ("Help", "Copy", "Export", "Table", "Source", "Next cite", "Quit"):
            assert key in footer, footer
        app.notify("A long notification " * 8, timeout=30)
        await pilot.pause()
        [toast] = app.screen.query("Toast")
        box = app.question_box.region
        assert toast.region.bottom <= box.y, (toast.region, box)


async def test_markup_in_data_is_shown_as_text(fake_app, fake_backend) -> None:
    fake_backend.example_questions = ("[/b] broken [link=https://x]example[/link]?",)
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "[/b] broken [link=https://x]example[/link]?" in screen_text(app)
        await ask(pilot, "[/i] show the markup [b]cell[/b]?")
        [card] = cards(app)
        text = screen_text(app)
        for literal in ("[/i] show the markup [b]cell[/b]?", "[link=https://example.invalid]click me[/link]",
                        "[bold]not bold :x:", "[bold]Title[/bold] [/b]", "quote [/b] :x:"):
            assert literal in text, literal
        assert "[/b]" in str(card.query_one(DataTable).get_row_at(0)[0])
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, TableScreen) and "[link=https://x]y" in screen_text(app)
        await pilot.press("escape", "ctrl+o")  # a cited file that does not exist: a message, no crash
        await settle(pilot)
        assert any("[/y]odd" in n.message for n in app._notifications)
        await pilot.press("ctrl+r")
        assert "[/i] show the markup" in screen_text(app)
        assert app.is_running
    assert MARKUP in card.answer.answer


async def test_citations_step_open_and_click(fake_app) -> None:
    app = fake_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await ask(pilot, LIST_Q)
        [card] = cards(app)
        assert card.citation_index == 0
        await pilot.press("ctrl+n", "ctrl+n")
        assert card.citation_index == 2
        await pilot.press("ctrl+p")
        assert card.citation_index == 1
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen) and app.screen.index == 1
        await pilot.press("right_square_bracket")
        assert app.screen.index == 2 and app.screen.citation.line_start in app.screen.view.visible_lines()
        await pilot.press("escape")
        item = card.query("CitationItem").first()
        await pilot.click(item)
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen) and app.screen.citation == item.citation


async def test_queue_cancel_examples_keys_and_quit(fake_app, fake_backend, tmp_path: Path) -> None:
    from tui.keys import DEFAULT_KEYS, apply_overrides

    app = fake_app(keymap=apply_overrides(DEFAULT_KEYS, {"export": "ctrl+e"}))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        options = app.query_one("#example-list")
        assert options.option_count == len(fake_backend.example_questions)
        await pilot.press("tab", "enter")  # asks the first example
        await settle(pilot)
        assert cards(app)[0].answer.question == fake_backend.example_questions[0]
        assert app.question_box.has_focus, "typing after an example goes to the question box"
        fake_backend.ask_gate.clear()
        app.ask(LOOKUP_Q)
        app.ask(LIST_Q)
        await pilot.pause()
        app.action_cancel()
        assert [c.kind for c in app.query(NoticeCard)] == ["cancelled", "cancelled"]
        fake_backend.ask_gate.set()
        await settle(pilot)
        assert len(cards(app)) == 1, "a cancelled answer never appears"
        await pilot.press("ctrl+s")  # no longer the export key
        assert app.last_export is None
        await pilot.press("ctrl+e")
        assert app.last_export is not None
        await pilot.press("up")
        assert app.question_box.value == LIST_Q
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_pdf_sources_show_page_numbers(fake_app, fake_backend) -> None:
    lines = corpus_lines(SERVICE_PLANS)
    per_page = 50  # pretend the file is a PDF of 50-line pages
    fake_backend.pages[SERVICE_PLANS] = tuple(n // per_page + 1 for n in range(len(lines)))
    app = fake_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await ask(pilot, LOOKUP_Q)
        line = cards(app)[0].citations[0].line_start
        await pilot.press("ctrl+o")
        await settle(pilot)
        page = (line - 1) // per_page + 1
        on_page = line - (page - 1) * per_page
        total = (len(lines) - 1) // per_page + 1
        assert f"page {page} of {total} · line {on_page}" in str(app.screen.query_one("#source-head").content)
        view = app.screen.view
        breaks = [r for r in view.rows if r.page_break]
        assert [r.text for r in breaks[:2]] == [f"── page 1 of {total} ──", f"── page 2 of {total} ──"]
        assert breaks[1].line == per_page + 1
        assert str(app.screen.query_one("#source-status").content).startswith(f"page {page} of {total}")
        await pilot.press("g", *"120", "enter")
        assert "(page 3, line 20 on the page)" in str(app.screen.query_one("#source-status").content)
