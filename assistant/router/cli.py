"""`plan-assistant ask`: one question (readable or --json), or many (--jsonl -, model loaded once)."""

from __future__ import annotations

import json
import sys
from typing import IO

import click

from assistant.errors import PlanAssistantError
from assistant.models import Answer, Filters


def _render(answer: Answer, explain: bool) -> None:
    """The answer text, then a table of SQL rows, the SQL and the citations (rich)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    style = {"sql": "bold green", "text": "bold cyan", "none": "bold yellow"}[answer.route]
    console.print(f"[{style}]{answer.route.upper()}[/] · confidence {answer.confidence:.2f}"
                  f" · {answer.timings_ms.get('total', 0):.0f} ms")
    console.print(answer.answer, markup=False)
    if answer.rows:
        table = Table(show_lines=False)
        for col in answer.columns:
            table.add_column(str(col), overflow="fold")
        for row in answer.rows[:25]:
            table.add_row(*["" if v is None else str(v) for v in row])
        console.print(table)
        if len(answer.rows) > 25:
            console.print(f"… {len(answer.rows) - 25} more rows (use --json for all)")
    if answer.sql:
        console.print("[bold]SQL[/]")
        console.print(answer.sql, markup=False)
    if answer.citations:
        console.print("[bold]Sources[/]")
        for i, c in enumerate(answer.citations, start=1):
            console.print(f"[{i}] {c.file}:{c.line_start}-{c.line_end} · {c.section or c.title}", markup=False)
            if c.quote:
                console.print(f"    “{c.quote}”", markup=False, style="dim")
    if explain and answer.explanation:
        console.print(answer.explanation, markup=False, style="dim")
    if explain and answer.plan:
        console.print("plan: " + json.dumps(answer.plan, ensure_ascii=False), markup=False, style="dim")
    if explain and answer.abstain_reason:
        console.print(f"abstain_reason: {answer.abstain_reason}", markup=False, style="dim")


def parse_request(line: str) -> tuple[str, str | None]:
    """A JSONL input line as (question, conversation id): a plain line is a question on its own; an
    object needs a string 'question' and may name a 'conversation'. Raises ValueError with a message."""
    text = line.strip()
    if not text.startswith(("{", "[")):
        return line.rstrip("\r"), None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a JSON object ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(obj, dict):
        raise ValueError("a JSON line must be an object with a 'question'")
    question = obj.get("question")
    if not isinstance(question, str):
        raise ValueError("the object has no 'question' string")
    conversation = obj.get("conversation")
    if conversation is not None and not isinstance(conversation, (str, int)):
        raise ValueError("'conversation' must be a string")
    return question, None if conversation is None else str(conversation)


def _jsonl(assistant, stream: IO[str], filters: Filters, out: IO[str]) -> int:
    """One answer object per input line; lines sharing a conversation id share context; a bad line
    gets an object with an 'error' key and the batch goes on."""
    from assistant.router.sessions import Sessions

    sessions = Sessions(assistant)
    count = 0
    for number, line in enumerate(stream, start=1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        try:
            question, conversation = parse_request(line)
            payload = sessions.ask(question, conversation, filters).to_dict()
            if conversation is not None:
                payload["conversation"] = conversation
        except ValueError as exc:
            payload = {"line": number, "error": str(exc)}
        except PlanAssistantError as exc:
            payload = {"line": number, "question": line[:200], "error": str(exc)}
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        out.flush()
        count += 1
    return count


@click.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer object (DESIGN.md §5) as JSON.")
@click.option("--jsonl", "jsonl", type=click.File("r"), default=None,
              help="Read one question per line from FILE ('-' for stdin); write one JSON object per line.")
@click.option("--council", default=None, help="Only this council (e.g. 'Derby City').")
@click.option("--document", default=None, help="Only this document (doc id, file name or title words).")
@click.option("--department", default=None, help="Only this department (name or abbreviation, e.g. CCP).")
@click.option("--explain", is_flag=True, help="Also print how the router understood the question and its plan.")
def ask(question: str | None, as_json: bool, jsonl: IO[str] | None, council: str | None,
        document: str | None, department: str | None, explain: bool) -> None:
    """Answer QUESTION from the plan documents: SQL facts, cited passages, or 'the documents don't say'."""
    from assistant.config import get_settings
    from assistant.router.assistant import Assistant

    if jsonl is None and question is None:
        raise click.UsageError("Give a question, or --jsonl - to read questions from stdin.")
    filters = Filters(council=council, document=document, department=department)
    assistant = Assistant(get_settings())
    if jsonl is not None:
        assistant.warm()
        _jsonl(assistant, jsonl, filters, sys.stdout)
        return
    answer = assistant.ask(question or "", filters)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        _render(answer, explain)


@click.command("chat")
@click.option("--council", default=None, help="Only this council (e.g. 'Derby City').")
@click.option("--department", default=None, help="Only this department (name or abbreviation).")
@click.option("--explain", is_flag=True, help="Also print how each question was understood.")
def chat(council: str | None, department: str | None, explain: bool) -> None:
    """A plain line-mode conversation: one question per line on stdin, follow-ups use the earlier
    answers ("which of those finish in 2021?"). 'new' starts again; an empty line or EOF ends."""
    from assistant.config import get_settings
    from assistant.router.assistant import Assistant
    from assistant.router.conversation import Conversation

    filters = Filters(council=council, department=department)
    conversation = Conversation(Assistant(get_settings()))
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line or not line.strip():
            break
        if line.strip().lower() in ("new", "/new", "reset"):
            conversation.reset()
            click.echo("(new conversation)")
            continue
        _render(conversation.ask(line.rstrip("\n"), filters), explain)
        click.echo("")
