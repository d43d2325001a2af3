"""Unit tests of the TUI's pure parts: key table, history, export (no app, no textual)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.models import Answer, Citation
from tui.export import answer_markdown, export_answer, markdown_table, slug
from tui.history import History
from tui.keys import DEFAULT_KEYS, apply_overrides, display_key, load_keymap

REQUIRED_ACTIONS = {"help", "focus_input", "next_citation", "prev_citation", "open_source", "toggle_sql",
                    "copy_answer", "export", "clear", "quit", "filters", "history", "cancel"}


def test_key_table_covers_every_command_once() -> None:
    actions = [s.action for s in DEFAULT_KEYS]
    assert set(actions) >= REQUIRED_ACTIONS
    assert len(actions) == len(set(actions))
    keys = [k.strip() for s in DEFAULT_KEYS for k in s.keys.split(",")]
    assert len(keys) == len(set(keys)), "two actions share a key"


def test_key_overrides_from_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"export": "ctrl+e"}))
    keymap = load_keymap(path)
    assert {s.action: s.keys for s in keymap}["export"] == "ctrl+e"
    assert load_keymap(tmp_path / "absent.json") == DEFAULT_KEYS


@pytest.mark.parametrize("overrides, message", [
    ({"explode": "x"}, "unknown action(s) explode"),
    ({"export": ""}, "keys must be non-empty strings for export"),
    (["export"], "expected a JSON object"),
])
def test_bad_key_overrides_are_clear_errors(overrides: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        apply_overrides(DEFAULT_KEYS, overrides)


def test_broken_keys_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read key bindings"):
        load_keymap(path)


def test_display_key() -> None:
    assert display_key("ctrl+o") == "^o"
    assert display_key("f1") == "F1"
    assert display_key("escape,q") == "escape / q"


def test_history_navigation_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    h = History(path)
    for q in ["first", "second", "second", "  ", "third"]:
        h.add(q)
    assert h.entries == ["first", "second", "third"]
    assert h.previous("draft") == "third"
    assert h.previous("third") == "second"
    assert h.previous("second") == "first"
    assert h.previous("first") is None
    assert h.next() == "second"
    assert h.next() == "third"
    assert h.next() == "draft"
    assert h.next() is None
    reloaded = History(path)
    assert reloaded.entries == ["first", "second", "third"]
    assert reloaded.search("IR") == ["third", "first"]
    assert reloaded.search("") == ["third", "second", "first"]


def test_history_skips_corrupt_lines(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text('"ok"\nnot json\n42\n"also ok"\n')
    assert History(path).entries == ["ok", "also ok"]


SAMPLE = Answer(
    question="Who leads | the thing?", route="sql", answer="Ann Smith leads it, due March 2021.",
    confidence=0.9, sql="SELECT lead_raw FROM actions", columns=("action", "lead"),
    rows=(("Do the\nthing", "Ann Smith"), ("Other, with comma", None)),
    citations=(Citation("corpus/x.txt", "Plan X", "Actions", 10, 12, "Do the thing\tAnn Smith"),))


def test_export_writes_markdown_and_csv(tmp_path: Path) -> None:
    now = datetime(2024, 1, 2, 3, 4, 5)
    first = export_answer(SAMPLE, tmp_path, now=now)
    second = export_answer(SAMPLE, tmp_path, now=now)
    assert first.markdown.name == "20240102-030405-who-leads-the-thing.md"
    assert second.markdown.name == "20240102-030405-who-leads-the-thing-2.md"
    md = first.markdown.read_text()
    assert "Ann Smith leads it, due March 2021." in md
    assert "| Do the thing | Ann Smith |" in md
    assert "```sql\nSELECT lead_raw FROM actions\n```" in md
    assert "1. Plan X — Actions — `corpus/x.txt` lines 10–12" in md
    with first.csv.open(newline="") as fh:
        assert list(csv.reader(fh)) == [["action", "lead"], ["Do the\nthing", "Ann Smith"],
                                        ["Other, with comma", ""]]


def test_export_without_rows_has_no_csv(tmp_path: Path) -> None:
    text = Answer(question="What?", route="none", answer="The documents don't say.", abstained=True)
    result = export_answer(text, tmp_path)
    assert result.csv is None
    assert "(abstained)" in answer_markdown(text)


def test_export_to_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    from assistant.errors import PlanAssistantError
    with pytest.raises(PlanAssistantError, match="could not export to"):
        export_answer(SAMPLE, blocker / "sub")


def test_markdown_helpers() -> None:
    assert slug("  ?? ") == "answer"
    assert markdown_table(["a|b"], [[None]]) == "| a\\|b |\n|---|\n|  |"


def test_readme_key_table_matches_the_code() -> None:
    readme = (Path(__file__).resolve().parents[2] / "tui" / "README.md").read_text()
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip().strip("`")
            for line in readme.splitlines() if line.startswith("| ") and "`" in line}
    assert rows == {s.action: s.keys for s in DEFAULT_KEYS}


# -- clean text, rows, source layout, clipboard (tui.text, tui.rows, tui.source_view, tui.clipboard) --

from tui.clipboard import FALLBACK_FILE_NAME, copy_text  # noqa: E402
from tui.export import answer_plain_text, csv_cell, sql_text  # noqa: E402
from assistant.models import dedupe_citations  # noqa: E402
from tui.rows import answer_body, row_source, row_view, sort_key  # noqa: E402
from tui.source_view import layout, split_cells  # noqa: E402
from tui.text import clean, one_line, safe, separate_dates  # noqa: E402


@pytest.mark.parametrize("raw, shown", [
    ("**Resilient communities** which share", "Resilient communities which share"),
    ("- | Action | Lead |\n|---|---|\n| Do x | Ann |", "Action · Lead\nDo x · Ann"),
    ('<ul style="list-style-type: none"><li>one</li><li>two</li></ul><p>a &amp; b</p>', "• one\n• two\n\na & b"),
    ("Title | £4,000 | 01/04/2020", "Title · £4,000 · 01/04/2020"),
    ("- first\n- second", "• first\n• second"),
    ("5 * 3 < 20 and x > y", "5 * 3 < 20 and x > y"),
])
def test_clean_removes_markup_pipes_and_html(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_run_together_dates_are_separated() -> None:
    assert separate_dates("due to be delivered June 2017 July 2017 March 2019") == \
        "due to be delivered June 2017, July 2017, March 2019"
    assert separate_dates("from 01/04/2020 31/03/2021 onwards") == "from 01/04/2020, 31/03/2021 onwards"
    assert separate_dates("In June 2017 we met 12 people") == "In June 2017 we met 12 people"


def test_safe_drops_terminal_escapes_but_keeps_markup_literal() -> None:
    assert safe("a\x1b[31mred\x1b]8;;http://x\x07link\x1b]8;;\x07 [/b] :x:\x00") == "aredlink [/b] :x:"
    assert one_line("  two\n lines\t ") == "two lines"


def test_sort_key_reads_numbers_money_and_text() -> None:
    cells = ["£80,000.00", "(365,386)", "", "£4,000,000.00", "12%", "1.2m", "banana", "Apple"]
    assert sorted(cells, key=sort_key) == ["(365,386)", "12%", "£80,000.00", "1.2m", "£4,000,000.00",
                                           "Apple", "banana", ""]


ROWS = Answer(question="q", route="sql", answer="a",
              columns=("title", "value_raw", "council", "file", "line_start", "line_end"),
              rows=(("A", "£1", "X council", "corpus/a.txt", 5, 5), ("B", "£2", "X council", "corpus/b.txt", 9, 10)),
              citations=(Citation("corpus/a.txt", "Plan A", "S", 4, 6, "A | £1"),))


def test_row_view_and_sources() -> None:
    full, preview = row_view(ROWS), row_view(ROWS, preview=True)
    assert full.titles == ("Plan", "Title", "Value", "Council")  # mixed documents: labelled by plan
    assert preview.titles == ("Plan", "Title", "Value")  # the same council in every row: not repeated
    assert full.rows[0] == ("Plan A", "A", "£1", "X council") and full.rows[1][0] == "b"
    assert row_source(ROWS, 0) == ROWS.citations[0]
    assert row_source(ROWS, 1) == Citation("corpus/b.txt", "b", "", 9, 10, "")
    assert row_source(ROWS, 7) is None


def test_abstention_lists_passages_once() -> None:
    cites = (Citation("corpus/x.txt", "X", "S", 55, 60, "q"), Citation("corpus/x.txt", "X", "S", 55, 60, "q"),
             Citation("corpus/y.txt", "Y", "S", 1, 1, "r"))
    answer = Answer(question="q", route="none", abstained=True, citations=cites,
                    answer="The documents don't say. The nearest things they do say:\n"
                           "- Something **bold** (corpus/x.txt, lines 55-60)\n- Other (corpus/y.txt, lines 1-1)")
    assert answer_body(answer) == "The documents don't say. The nearest things they do say (listed below)."
    assert dedupe_citations(cites) == (cites[0], cites[2])


def test_copy_text_includes_sql_and_sql_alone() -> None:
    text = answer_plain_text(SAMPLE)
    assert text.startswith("Q: Who leads | the thing?") and "SQL:\nSELECT lead_raw FROM actions" in text
    assert "[1] Plan X, Actions, corpus/x.txt lines 10–12" in text
    assert sql_text(SAMPLE) == "SELECT lead_raw FROM actions"


def test_page_numbers_show_when_a_citation_has_one() -> None:
    from dataclasses import dataclass as _dc

    @_dc(frozen=True)
    class PdfCitation(Citation):
        page: int | None = None

    answer = Answer(question="q", route="text", answer="a",
                    citations=(PdfCitation("docs/k.pdf", "Kent", "Risks", 40, 41, "x", page=7),))
    assert "docs/k.pdf p. 7, lines 40–41" in answer_plain_text(answer)
    assert "p. 7, lines 40–41" in answer_markdown(answer)


def test_csv_cells_never_run_as_formulas(tmp_path: Path) -> None:
    assert csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("+1+2") == "'+1+2"
    assert csv_cell("-5") == "-5" and csv_cell("-1,234.5") == "-1,234.5" and csv_cell(None) == ""


def test_export_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    now = datetime(2024, 1, 2, 3, 4, 5)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "20240102-030405-who-leads-the-thing.md").symlink_to(target)
    result = export_answer(SAMPLE, tmp_path / "out", now=now)
    assert result.markdown.name == "20240102-030405-who-leads-the-thing-2.md" and not target.exists()


def test_clipboard_falls_back_to_a_file(tmp_path: Path) -> None:
    calls: list[list[str]] = []
    ok = copy_text("hello", tmp_path, commands=[["xclip"]], runner=lambda argv, text: calls.append(argv) or True)
    assert ok.copied and ok.program == "xclip" and ok.file is None
    failed = copy_text("hello", tmp_path, commands=[["xclip"]], runner=lambda argv, text: False)
    assert not failed.copied and failed.file == tmp_path / FALLBACK_FILE_NAME
    assert failed.file.read_text() == "hello\n"


def test_source_layout_aligns_tables_and_wraps_prose() -> None:
    lines = ["Intro " + "word " * 30, "Title\tValue\tStart", "Short\t£1\t01/01/2020",
             "A much longer contract title that goes on\t£12,250,000.00\t01/02/2020", "", "| a | b |"]
    rows = layout(lines, 40)
    prose = [r for r in rows if r.line == 1]
    assert len(prose) > 1 and all(len(r.text) <= 40 for r in prose) and [r.first for r in prose][:2] == [True, False]
    table = [r for r in rows if r.line in (2, 3) and r.first]
    assert len({r.text.index("£") if "£" in r.text else r.text.index("Value") for r in table}) == 1
    wrapped = [r for r in rows if r.line == 4]
    assert len(wrapped) == 2 and wrapped[1].text.startswith("on ") and "£" not in wrapped[1].text
    assert split_cells("| a | b |") == ["a", "b"] and split_cells("plain") is None


def test_filter_options_narrow() -> None:
    from tui.backend import DocumentOption, FilterOptions

    options = FilterOptions(("C1", "C2"), (DocumentOption("d1", "D1", "C1"), DocumentOption("d2", "D2", "C2")),
                            ("x", "y", "z"), {"d1": ("x",), "d2": ("y", "z")})
    assert [d.doc_id for d in options.documents_of("C2")] == ["d2"]
    assert options.departments_of("C1", None) == ("x",)
    assert options.departments_of(None, "d2") == ("y", "z")
    assert options.departments_of(None, None) == ("x", "y", "z")


def test_date_columns_sort_by_date() -> None:
    from tui.rows import date_key, is_date_column

    cells = ["28/02/2023", "17/01/2020", "June 2020 (Phase 2)", "2018", "TBC", "", "01/12/2020"]
    assert is_date_column(cells) and not is_date_column(["2018", "2019", "12"])
    assert sorted(cells, key=lambda c: sort_key(c, dates=True)) == [
        "2018", "17/01/2020", "June 2020 (Phase 2)", "01/12/2020", "28/02/2023", "TBC", ""]
    assert date_key("1st April 2019") == 20190401 and date_key("Ongoing") is None


def test_page_map_counts_lines_on_their_page() -> None:
    from assistant.models import Citation
    from tui.pages import PageCitation, PageMap
    from tui.widgets import place_label

    pages = PageMap((1, 1, 1, None, 2, 2, 4, 4))  # page 3 has no text; line 4 is before page 2's text
    assert pages.count == 4 and pages.numbers == (1, 2, 4)
    assert [pages.local(n) for n in (1, 3, 5, 6, 8)] == [1, 3, 1, 2, 2]
    assert pages.page_of(4) == 1 and pages.first_line(3) == 7
    assert pages.step(2, 1) == 4 and pages.step(4, 1) is None and pages.step(1, -1) is None
    cited = pages.cite(Citation("x.pdf", "X", "S", 7, 8, "q"))
    assert isinstance(cited, PageCitation) and (cited.page, cited.page_line_start, cited.page_line_end) == (4, 1, 2)
    assert place_label(cited) == "p. 4 · lines 1–2"
    assert PageMap(()).cite(Citation("x.txt", "X", "S", 7, 8, "q")) == Citation("x.txt", "X", "S", 7, 8, "q")
