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


def test_jsonl_objects_with_a_conversation_id_share_context(run) -> None:
    lines = [
        {"question": "which actions does Emma Crapper lead in CCP?", "conversation": "a"},
        {"question": "What is Derby's population?"},                        # on its own, between turns
        {"question": "which of those finish in 2021?", "conversation": "a"},
        {"question": "which of those finish in 2021?", "conversation": "fresh"},  # nothing before it
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n[not json\n"
    result = run("--jsonl", "-", stdin=stdin)
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 5
    follow = out[2]
    assert follow["conversation"] == "a" and follow["route"] == "sql" and follow["plan"]["operation"] == "list"
    assert "Channel Shift" in follow["answer"] and "2021" in follow["answer"]
    assert out[3]["abstained"] and out[3]["abstain_reason"] == "no_follow_up_context"
    assert out[4]["route"] in ("none", "text") or "error" in out[4]


def test_explain_prints_the_plan(run) -> None:
    result = run("--explain", "largest procurement in the ETE forward plan?")
    assert result.exit_code == 0
    assert "Transport Services DPS" in result.output and '"operation": "max"' in result.output


def test_chat_is_a_line_mode_conversation(built_settings, monkeypatch) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(built_settings.home))
    stdin = ("which actions does Emma Crapper lead in CCP?\nwhich of those finish in 2021?\n"
             "who else works on the first one?\n")
    result = CliRunner().invoke(main, ["chat"], input=stdin, catch_exceptions=False)
    assert result.exit_code == 0
    assert "Channel Shift" in result.output
    assert "No one else is named" in result.output
