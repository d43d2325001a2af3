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
