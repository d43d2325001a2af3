"""A heading in capitals with nothing under it, then a heading of the same level in sentence case:
the second is the first's subtitle (sections._subtitles_nested), so the section path names both."""

from __future__ import annotations

from assistant.ingest.sections import find_sections

PLAN = """Riverside Borough Plan 2024-27

HOMES

Building homes for everyone

There is an annual net revenue budget of £3 million for this priority.

TRANSPORT

Roads that work

We will resurface 40 miles of road.

CONTENTS
Homes\t3
Transport\t4

Introduction

Welcome to the plan.
"""


def _paths() -> dict[str, str]:
    return {s.heading: s.path for s in find_sections(PLAN.splitlines(), "rbp", "Riverside Borough Plan")}


def test_a_subtitle_is_nested_under_its_label_heading() -> None:
    paths = _paths()
    assert paths["Building homes for everyone"] == "HOMES > Building homes for everyone"
    assert paths["Roads that work"] == "TRANSPORT > Roads that work"


def test_a_heading_after_lines_of_its_own_is_no_subtitle() -> None:
    assert _paths()["Introduction"] == "Introduction"   # CONTENTS has its table of contents under it


PRIORITIES = """Service Plan

Section Two

Keep Children Safe

Actions\tLead
Act on risk\tJo Bloggs

Key Performance Measures

Description\tTarget
Children going missing\t380

Champion high standards

Actions\tLead
Raise attainment\tAl Smith

Key Performance Measures

Description\tTarget
Good schools\t90%

Approved Budget

Division\tNet
Schools\t100
"""


def test_a_heading_repeated_after_each_priority_is_part_of_that_priority() -> None:
    """sections._repeats_nested: each priority's "Key Performance Measures" sits under the priority."""
    sections = find_sections(PRIORITIES.splitlines(), "sp", "Service Plan")
    kpms = [s.path for s in sections if s.heading == "Key Performance Measures"]
    assert kpms == ["Section Two > Keep Children Safe > Key Performance Measures",
                    "Section Two > Champion high standards > Key Performance Measures"]
    assert {s.heading: s.path for s in sections}["Approved Budget"] == "Section Two > Approved Budget"
