"""Text in, text out (issue 14, F3/F7/F10): --jsonl lines, full-width questions, markup in data,
export names and CSV formulas."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.export_safety import create_export_file, safe_csv_cell, safe_export_name, safe_export_path
from assistant.jsonl import JsonlError, JsonlRequest, read_jsonl_requests
from assistant.pipeline import ingest_corpus
from assistant.textsafe import clean_input, json_dumps, plain
from tests.hardening.conftest import cli

MARKUP_DOC = """# Markup plan

## Actions

| Action | Lead | Complete |
|---|---|---|
| Fix the [/b] roads | [link=https://evil.example]Ann Smith[/link] | March 2024 |
| Open :x: the \x1b]8;;https://evil.example\x07library\x1b]8;;\x07 | Bob [bold]Jones | May 2024 |
"""


def _items(data: bytes) -> list:
    return [item for _, item in read_jsonl_requests(io.BytesIO(data))]


def test_jsonl_lines_split_on_newline_only_and_a_bad_line_does_not_sink_the_batch() -> None:
    data = (b"Who leads the Channel Shift strategy?\r\n"
            b"first part\rsecond part\n"
            b"\xff\xfe not utf-8\n"
            b"\n"
            b'{"question": "when is it due?", "conversation": 7}\n'
            b'{"question": 5}\n'
            b'{"question": "unterminated\n'
            b"\xef\xbc\xb7\xef\xbd\x88\xef\xbd\x8f\xe3\x80\x80leads\x0bit\xe2\x80\xa8now?\n"
            b"last line without newline")
    items = _items(data)
    assert [type(i).__name__ for i in items] == ["JsonlRequest", "JsonlRequest", "JsonlError", "JsonlRequest",
                                                "JsonlError", "JsonlError", "JsonlRequest", "JsonlRequest"]
    assert items[0].question == "Who leads the Channel Shift strategy?"
    assert items[1].question == "first part second part"  # a bare CR is not a new question
    assert items[2].line_no == 3 and "not valid UTF-8" in items[2].error
    assert items[3] == JsonlRequest(5, "when is it due?", "7")
    assert items[6].question.startswith("Who leads it") and items[7].question == "last line without newline"
    for error in (items[2], items[4], items[5]):
        payload = error.to_dict()
        assert set(payload) == {"line", "question", "error"} and "\n" not in payload["error"]
        json.loads(json_dumps(payload))


def test_jsonl_reads_text_streams_and_overlong_lines() -> None:
    items = [i for _, i in read_jsonl_requests(io.StringIO("a question\n" + "x" * 50 + "\nnext\n"), max_line_bytes=20)]
    assert [type(i) for i in items] == [JsonlRequest, JsonlError, JsonlRequest]
    assert items[2] == JsonlRequest(3, "next")


def test_jsonl_reads_one_line_at_a_time_from_a_pipe() -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "rb") as reader, os.fdopen(write_fd, "wb") as writer:
        lines = read_jsonl_requests(reader)
        writer.write(b"first question\n")
        writer.flush()
        assert next(lines)[1].question == "first question"  # answered before the writer sends more
        writer.write(b"second question\n")
        writer.close()
        assert [i.question for _, i in lines] == ["second question"]


def test_full_width_and_invalid_input_is_normalised() -> None:
    assert clean_input("Ｗｈｏ　ｌｅａｄｓ ＣＣＰ？") == "Who leads CCP?"
    assert clean_input("bad \udcff byte") == "bad \ufffd byte"
    assert clean_input("x\x1b[31my\u202ez") == "x [31my z"
    assert clean_input("²½ﬁ £40m") == "²½ﬁ £40m"  # only full-width and half-width forms change


def test_plain_output_neutralises_escapes_and_keeps_markup_as_text() -> None:
    shown = plain("[/b] [link=x]y[/link] :x: \x1b[2J\x07\x9b \u202e \ud800")
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert "[/b] [link=x]y[/link] :x:" in shown
    assert json.loads(json_dumps({"a": "\x9b\u202e"})) == {"a": "\x9b\u202e"}
    assert "\x9b" not in json_dumps({"a": "\x9b"})


@pytest.fixture(scope="module")
def markup_home(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("markup")
    (folder / "markup-plan.md").write_text(MARKUP_DOC, encoding="utf-8")
    settings = Settings(home=tmp_path_factory.mktemp("markup-home"), corpus=folder)
    report = ingest_corpus(settings, index=False)
    assert report.documents == 1
    return settings


def _visible(out: bytes) -> str:
    text = out.decode("utf-8")
    assert "\x1b]8" not in text and "\x07" not in text  # no terminal hyperlink, no bell
    return text


def test_markup_in_data_prints_as_text_in_sql(markup_home: Settings) -> None:
    result = cli(markup_home, "sql", "SELECT action, lead_raw FROM actions ORDER BY line_start",
                 TERM="xterm-256color", FORCE_COLOR="1")
    assert result.returncode == 0, result.stderr.decode()
    text = _visible(result.stdout)
    assert "[/b]" in text and "[link=https://evil.example]Ann" in text and ":x:" in text and "[bold]Jones" in text
    again = cli(markup_home, "sql", "SELECT '[/x]' AS a, '[link=https://e.example]z[/link]' AS b, ':x:' AS c")
    assert again.returncode == 0 and "[/x]" in again.stdout.decode() and ":x:" in again.stdout.decode()
    js = cli(markup_home, "sql", "--json", "SELECT chr(27) || '[2J' || chr(155) AS a")
    assert b"\x1b" not in js.stdout and b"\xc2\x9b" not in js.stdout
    assert json.loads(js.stdout)["rows"] == [["\x1b[2J\x9b"]]


def test_csv_formulas_are_neutralised_and_numbers_kept() -> None:
    for formula in ("=HYPERLINK(\"http://evil\",\"x\")", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3",
                    "\t=1", " =1+1", "\uff1d1+1"):
        assert safe_csv_cell(formula).startswith("'"), formula
    for value in ("-365,386", "+5", "-0.5", "12%", "£-40", "Channel Shift", "", None, 42, -7.5):
        assert not safe_csv_cell(value).startswith("'"), value


def test_export_files_are_new_regular_files_inside_the_directory(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    (out / "answer.csv").symlink_to(victim)  # a pre-planted dangling link
    path, fh = create_export_file(out, "answer.csv")
    with fh:
        fh.write("a,b\n")
    assert path.name == "answer-2.csv" and not victim.exists() and path.is_file() and not path.is_symlink()
    for name in ("../../etc/passwd", "/etc/passwd", "..", ".", "a/../../b.csv", "\x1b[31m.csv", "x" * 500 + ".csv"):
        inside = safe_export_path(out, name)
        assert inside.parent == out and inside.name not in ("", ".", "..") and len(inside.name.encode()) <= 200
        assert "/" not in safe_export_name(name) and "\x1b" not in safe_export_name(name)


def test_markup_in_data_prints_as_text_in_ask(markup_home: Settings) -> None:
    from assistant.retrieval.index import sync_index

    sync_index(markup_home)
    result = cli(markup_home, "ask", "list all actions")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()[-800:]
    text = _visible(result.stdout)
    assert "[/b]" in text and "[link=https://evil.example]Ann" in text and ":x:" in text


def test_search_with_invalid_utf8_or_full_width_is_answered_not_a_traceback(built_settings: Settings) -> None:
    for query in (b"channel \xff\xfe shift strategy", "Ｃｈａｎｎｅｌ Ｓｈｉｆｔ ｓｔｒａｔｅｇｙ".encode(),
                  b"\x1b[2J channel shift [/b]"):
        result = cli(built_settings, "search", "--mode", "bm25", "--k", "1", query)
        assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()[-500:]
        assert b"Channel Shift" in result.stdout and b"\x1b" not in result.stdout
