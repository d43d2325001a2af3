"""Snapshot tests (pytest-textual-snapshot) of the main screens over the real backend.

Screens are deterministic: no timings are shown (show_timings=False), the input cursor does not
blink, and each snapshot waits until every worker has finished.
"""

from __future__ import annotations

import pytest

from tui_helpers import ask, ready, settle

SIZES = [pytest.param((100, 40), id="100x40"), pytest.param((80, 24), id="80x24")]
TABLE_QUESTION = "Who leads the Channel Shift strategy?"


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, app_factory, size) -> None:
    assert snap_compare(app_factory(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_answer_with_table(snap_compare, app_factory, size) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await ask(pilot, TABLE_QUESTION)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_source_viewer(snap_compare, app_factory, size) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await ask(pilot, TABLE_QUESTION)
        await pilot.press("ctrl+o")
        await settle(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, app_factory, size) -> None:
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)
