"""Helpers shared by the TUI tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations


from textual.worker import WorkerCancelled

from tui.widgets import QuestionInput


async def settle(pilot, rounds: int = 200) -> None:
    """Wait until no worker runs and every posted message was handled (bounded, not timed)."""
    app = pilot.app
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # a cancelled answer: the app drops its result
            pass
        await pilot.pause()
        if not app.busy and not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
    raise AssertionError("the app did not settle")


async def ready(pilot) -> None:
    """Wait for warm-up and metadata; make the input cursor steady for snapshots."""
    await settle(pilot)
    assert pilot.app.model_ready, pilot.app.query_one("#status").model_state
    pilot.app.query_one(QuestionInput).cursor_blink = False


async def ask(pilot, question: str) -> None:
    """Type a question, press Enter and wait for its card."""
    box = pilot.app.query_one(QuestionInput)
    box.focus()
    box.value = question
    await pilot.press("enter")
    await settle(pilot)


def screen_text(app) -> str:
    """The text on the screen, as a user reads it (from an SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items(), key=lambda kv: float(kv[0])))


def card_top_shown(app, card) -> bool:
    """The card's first line is the transcript's first visible line, or the whole card is visible
    because the transcript cannot scroll further."""
    transcript = app.transcript
    top = card.virtual_region.y
    if top == round(transcript.scroll_y):
        return True
    bottom = transcript.scroll_y + transcript.size.height
    visible = transcript.scroll_y <= top and top + card.outer_size.height <= bottom
    return visible and round(transcript.scroll_y) == round(transcript.max_scroll_y)
