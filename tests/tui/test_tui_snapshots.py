"""Snapshot tests (pytest-textual-snapshot) of the main screens at 80x24 and 120x40.

Over the fake backend (tests/tui/fakes.py), whose answers quote the real corpus files, so that the
pictures change only when the TUI does, not when the router's wording does. Screens are
deterministic: no timings, a steady cursor, every worker finished.
"""

from __future__ import annotations

import pytest

from tui_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LIST_QUESTION = "List the contracts on the forward plan"


async def steady(pilot) -> None:
    await settle(pilot)
    pilot.app.question_box.cursor_blink = False


async def long_list(pilot) -> None:
    await steady(pilot)
    pilot.app.question_box.value = LIST_QUESTION
    await pilot.press("enter")
    await settle(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, fake_app, size) -> None:
    assert snap_compare(fake_app(), terminal_size=size, run_before=steady)


@pytest.mark.parametrize("size", SIZES)
def test_long_list(snap_compare, fake_app, size) -> None:
    assert snap_compare(fake_app(), terminal_size=size, run_before=long_list)


@pytest.mark.parametrize("size", SIZES)
def test_table_view(snap_compare, fake_app, size) -> None:
    async def run_before(pilot) -> None:
        await long_list(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("right", "s", "s", "down")  # by value, high to low; second row
        await pilot.pause()

    assert snap_compare(fake_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_source_viewer(snap_compare, fake_app, size) -> None:
    async def run_before(pilot) -> None:
        await long_list(pilot)
        await pilot.press("ctrl+n", "ctrl+o")
        await settle(pilot)
        await pilot.press("slash", *"supply", "enter")
        await pilot.pause()

    assert snap_compare(fake_app(), terminal_size=size, run_before=run_before)
