"""Unit tests of the row a question finds by its description (assistant/router/described_rows.py), over
hand-made rows of a key service statement."""

from __future__ import annotations

from assistant.router.cells import TableRow
from assistant.router.described_rows import ASKS_WHICH_ROW, described_sentence, find_described

HEADER = ("Row Ref", "Key Service", "2025-26 Net Cost £000s", "Key Service Description")


def _row(ref: str, name: str, net: str, description: str, line: int) -> TableRow:
    return TableRow(table_id="kss:t1", header=HEADER, cells=(ref, name, net, description), doc_id="kss", file="kss.pdf",
                    section_path="Adult Social Care & Health > Operations", line_start=line, line_end=line, page=3,
                    context="Key Service Statement")


ROWS = [
    _row("5", "Adaptive & Assistive Technology", "1,149.2", "Technology enabled care that supports innovative use of "
         "technology. Occupational Therapy Services working in partnership with Health to provide equipment.", 10),
    _row("6", "Adult Case Management & Assessment", "44,088.2", "Social work teams assessing the care and support "
         "needs of adults and carers, and reviewing their care plans with them.", 11),
    _row("7", "Total", "45,237.4", "", 12),
]


def _idf(stem: str) -> float:
    return 1.0


def test_the_row_whose_description_says_what_is_asked_is_named() -> None:
    found = find_described(ROWS, "occupational therapy equipment in ASCH - which key service is it?", _idf,
                           skip=frozenset({"asch"}))
    assert found is not None and found.row.cells[found.name_column] == "Adaptive & Assistive Technology"
    assert described_sentence(found).startswith("Adaptive & Assistive Technology (Key Service, in Adult Social Care "
                                                "& Health > Operations): Technology enabled care")


def test_no_row_when_the_description_holds_too_little_of_the_question() -> None:
    assert find_described(ROWS, "which key service pays for the blue badge scheme?", _idf) is None
    assert find_described(ROWS, "which key service is it?", _idf) is None   # nothing asked about


def test_which_row_is_asked() -> None:
    for asked in ("occupational therapy equipment - which key service is it?", "who delivers the adult skills fund?",
                  "where do academy conversion costs sit in the key service statement?",
                  "which asch budget line pays for the blue badge service?"):
        assert ASKS_WHICH_ROW.search(asked), asked
    for other in ("what's the budget for delivering the ict strategy?", "what savings is property services expected "
                  "to deliver?", "which priority programmes sit under an insight led council?"):
        assert not ASKS_WHICH_ROW.search(other), other


def test_the_director_is_the_one_of_the_nearest_section_over_the_row() -> None:
    """The division's heading ("Operations Directors: Sydney Hill & Mark Albiston") over the department's."""
    from assistant.router.described_rows import ASKS_DIRECTOR, section_director

    def role(path: str, header: tuple[str, ...], cells: tuple[str, ...], line: int) -> TableRow:
        return TableRow(table_id=f"role:{line}", header=header, cells=cells, doc_id="kss", file="kss.pdf",
                        section_path=path, line_start=line, line_end=line, page=2, context="", kind="role")

    roles = [role("Adult Social Care & Health", ("Section", "Corporate Director"),
                  ("Adult Social Care & Health", "Richard Smith"), 1),
             role("Adult Social Care & Health > Operations", ("Section", "Department", "Director"),
                  ("Operations", "Adult Social Care & Health", "Sydney Hill & Mark Albiston"), 5)]
    said, heading = section_director(roles + ROWS, ROWS[0])
    assert said == "Director of Operations: Sydney Hill & Mark Albiston." and heading.line_start == 5
    assert section_director(roles[:1] + ROWS, ROWS[0])[0] == "Corporate Director of Adult Social Care & Health: " \
        "Richard Smith."
    assert section_director(ROWS, ROWS[0]) is None
    assert ASKS_DIRECTOR.search("which key service is it and who are the directors?")
    assert ASKS_DIRECTOR.search("whose division is it in?") and not ASKS_DIRECTOR.search("who delivers it?")


def test_a_long_cell_under_no_describing_header_describes_nothing() -> None:
    """An action's own wording (header "What is the action?") is its name, not a description of it."""
    actions = [TableRow(table_id="plan:t1", header=("Ref", "What is the action?", "Lead"),
                        cells=("1", "Deliver occupational therapy equipment to residents through a partnership with "
                                    "Health and the voluntary sector", "Team A"), doc_id="plan", file="plan.txt",
                        section_path="Adults", line_start=3, line_end=3, page=None, context="")]
    assert find_described(actions, "occupational therapy equipment - which team is it?", _idf) is None
