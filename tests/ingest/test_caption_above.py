"""A text table's caption is the title line right above it, never a sentence or another table."""

from __future__ import annotations

from assistant.ingest.tables import caption_above, find_tables

LINES = [
    "Forward Plan of Procurement Projects",                                           # 1
    "",                                                                               # 2
    "Table One: Forward Plan of Procurements (above £25K less than £50K) Due 2022",   # 3
    "",                                                                               # 4
    "Contract Title\tEstimated Value (£)\tEstimated Start Date",                      # 5
    "School Crossing Patrol Uniform\t£36,000\tOct 2021",                              # 6
    "Flu Clinics\t£50,000\tApril 2020",                                               # 7
    "",                                                                               # 8
    "The department will procure the following items during the year.",             # 9
    "Contract Title\tEstimated Value (£)\tEstimated Start Date",                      # 10
    "Self-Management Programme\t£100,000\tApril 2020",                               # 11
]


def test_the_title_line_above_a_table_is_its_caption() -> None:
    tables = find_tables(LINES)
    assert tables[0].caption == "Table One: Forward Plan of Procurements (above £25K less than £50K) Due 2022"


def test_a_sentence_above_a_table_is_no_caption() -> None:
    assert caption_above(LINES, 10) is None
    assert caption_above(["a\tb", "c\td"], 2) is None      # a table row is no caption
    assert caption_above(["Title", "", "", "", "x\ty"], 5) is None  # too far above
