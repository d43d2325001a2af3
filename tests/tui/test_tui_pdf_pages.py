"""The source viewer on a real PDF: a plan the test writes (tests/tui/pdf_factory.py) is ingested
into a private home, a question is answered from its page 2, and the viewer opens on that page
with "page N of M", the cited line highlighted and numbered on its page, and page keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from tui.app import make_app
from tui.backend import AssistantBackend
from tui.history import History
from tui.pages import PageMap
from tui.screens import SourceScreen
from tui.widgets import AnswerCard

from pdf_factory import LEAD_OF_CYCLE_PATH, make_paged_plan
from tui_helpers import ask, ready, screen_text, settle

pytestmark = pytest.mark.anyio

QUESTION = "Who leads resurfacing the cycle path along the Mill Stream?"
PDF_NAME = "larkfield-plan.pdf"


@pytest.fixture(scope="module")
def pdf_backend(tmp_path_factory: pytest.TempPathFactory) -> AssistantBackend:
    from assistant.pipeline import ingest_corpus

    src = tmp_path_factory.mktemp("pdf_src")
    make_paged_plan(src / PDF_NAME)
    settings = Settings(home=tmp_path_factory.mktemp("pdf_home"), corpus=src)
    report = ingest_corpus(settings, index=True)
    assert report.problems == ()
    return AssistantBackend(settings)


async def test_pdf_citation_opens_on_its_page(pdf_backend: AssistantBackend, tmp_path: Path) -> None:
    app = make_app(pdf_backend, history=History(tmp_path / "h.jsonl"), export_dir=tmp_path / "out",
                   show_timings=False)
    async with app.run_test(size=(110, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        card = list(app.query(AnswerCard))[-1]
        assert LEAD_OF_CYCLE_PATH in card.answer.answer
        cited = card.citations[0]
        assert cited.file.endswith(PDF_NAME) and cited.page == 2
        pages = PageMap(pdf_backend.line_pages(cited.file))
        assert pages.count == 3
        lines = pdf_backend.read_source(cited.file)
        assert "Mill Stream" in lines[cited.line_start - 1]
        on_page = cited.line_start - pages.first_line(2) + 1
        assert 1 <= on_page < cited.line_start  # counted on page 2, not through the whole text
        assert f"p. 2 · line {on_page}" in screen_text(app)  # the card's label

        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        head = str(screen.query_one("#source-head").content)
        status = lambda: str(screen.query_one("#source-status").content)  # noqa: E731
        assert f"page 2 of 3 · line {on_page}" in head
        assert status().startswith("page 2 of 3") and "highlighted" in status()
        view = screen.view
        assert view.cited == (cited.line_start, cited.line_end)
        assert cited.line_start in view.visible_lines()
        shown = screen_text(app)
        assert "── page 2 of 3 ──" in shown and "── page 1 of 3 ──" not in shown  # opens on its page
        cited_row = next(r for r in shown.splitlines() if "cycle path" in r)
        assert cited_row.split()[:2] == [str(on_page), "▌"]  # numbered on the page, marked as cited

        await pilot.press("p")
        assert status().startswith("page 3 of 3") and "── page 3 of 3 ──" in screen_text(app)
        await pilot.press("p")
        assert "last page" in status()
        await pilot.press("P", "P")
        assert status().startswith("page 1 of 3")
        await pilot.press("g", *"p2", "enter")
        assert status().startswith("page 2 of 3")
        view.scroll_to(y=0, animate=False, immediate=True)  # scrolling by hand follows the page too
        await pilot.pause()
        assert status().startswith("page 1 of 3")
        await pilot.press("escape")
