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
