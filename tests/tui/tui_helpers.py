"""Helpers shared by the TUI tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import importlib

from textual.worker import WorkerCancelled

from tui.widgets import QuestionInput

REQUIRED = (("assistant.pipeline", "ingest_corpus"), ("assistant.router", "Assistant"),
            ("assistant.router", "Conversation"), ("assistant.sql.connect", "run_select"))


def missing_stage() -> str | None:
    """Which pipeline API the real backend needs is not importable yet (None when all are)."""
    for module, attr in REQUIRED:
        try:
            if not hasattr(importlib.import_module(module), attr):
                return f"{module}.{attr} is not implemented yet"
        except ImportError as exc:
            return f"{module} cannot be imported: {exc}"
    return None


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
