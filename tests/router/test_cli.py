"""`plan-assistant ask`: readable, --json and --jsonl, with filters."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import main


@pytest.fixture()
def run(built_settings, monkeypatch):
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(built_settings.home))

    def invoke(*args: str, stdin: str | None = None):
        return CliRunner().invoke(main, ["ask", *args], input=stdin, catch_exceptions=False)

    return invoke


def test_readable_answer_has_text_table_sql_and_sources(run) -> None:
    result = run("Who leads the channel shift strategy?")
    assert result.exit_code == 0
    assert "Emma Crapper" in result.output and "SQL" in result.output and "Sources" in result.output
    assert "corpus/derbyshire-county-service-plans-2020-21.txt" in result.output


def test_json_prints_the_contract_object(run) -> None:
    result = run("--json", "How many actions does Dean Wallace lead?")
    data = json.loads(result.output)
    assert data["route"] == "sql" and "7" in data["answer"] and data["citations"] and data["sql"]


def test_jsonl_reads_stdin_and_writes_one_object_per_line(run) -> None:
    questions = "Who leads the highways review?\n\nWhat is Derby's population?\nWho is John Smith?\n"
    result = run("--jsonl", "-", stdin=questions)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [d["route"] for d in lines] == ["sql", "text", "none"]
    assert lines[2]["abstained"] is True


def test_filters_on_the_command_line(run) -> None:
    data = json.loads(run("--json", "--department", "ETE", "Who leads actions?").output)
    assert "Joe Battye" in data["answer"]


def test_no_question_is_a_usage_error(run) -> None:
    result = CliRunner().invoke(main, ["ask"])
    assert result.exit_code != 0 and "Give a question" in result.output
