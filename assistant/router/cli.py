"""`plan-assistant ask`: one question (readable or --json), or many (--jsonl -, model loaded once)."""

from __future__ import annotations

import json
import sys
from typing import IO

import click

from assistant.errors import PlanAssistantError
from assistant.models import Answer, Filters

#: SQL rows printed under a readable answer; `--json` has them all.
ROWS_SHOWN = 25


def _render(answer: Answer, explain: bool) -> None:
    """The answer text, then a table of SQL rows, the SQL and the citations. Everything that comes
    from data is printed as plain text (assistant/textsafe.py): never markup, links or escapes."""
    from rich.table import Table
    from rich.text import Text

    from assistant.textsafe import plain_console, rich_text

    console = plain_console()
    style = {"sql": "bold green", "text": "bold cyan", "none": "bold yellow"}[answer.route]
    head = Text(answer.route.upper(), style=style)
    head.append(f" · confidence {answer.confidence:.2f} · {answer.timings_ms.get('total', 0):.0f} ms")
    console.print(head)
    console.print(rich_text(answer.answer))
    if answer.rows:
        table = Table(show_lines=False)
        for col in answer.columns:
            table.add_column(rich_text(col, newlines=False), overflow="fold")
        for row in answer.rows[:ROWS_SHOWN]:
            table.add_row(*[rich_text("" if v is None else v) for v in row])
        console.print(table)
        if len(answer.rows) > ROWS_SHOWN:
            console.print(f"… {len(answer.rows) - ROWS_SHOWN} more rows (use --json for all)")
    if answer.sql:
        console.print(Text("SQL", style="bold"))
        console.print(rich_text(answer.sql))
    if answer.citations:
        console.print(Text("Sources", style="bold"))
        for i, c in enumerate(answer.citations, start=1):
            page = f" (page {c.page})" if getattr(c, "page", None) else ""
            console.print(rich_text(f"[{i}] {c.file}:{c.line_start}-{c.line_end}{page} · {c.section or c.title}",
                                    newlines=False))
            if c.quote:
                console.print(rich_text(f"    “{c.quote}”", style="dim"))
    if explain and answer.explanation:
        console.print(rich_text(answer.explanation, style="dim"))
    if explain and answer.plan:
        console.print(rich_text("plan: " + json.dumps(answer.plan, ensure_ascii=False), style="dim"))
    if explain and answer.abstain_reason:
        console.print(rich_text(f"abstain_reason: {answer.abstain_reason}", style="dim"))


def _jsonl(assistant, stream: IO, filters: Filters, out: IO[str]) -> int:
    """One answer object per input line (assistant/jsonl.py reads them); lines sharing a
    conversation id share context; a bad line gets an object with an 'error' key, the batch goes on."""
    from assistant.jsonl import JsonlError, read_jsonl_requests
    from assistant.router.sessions import Sessions
    from assistant.textsafe import json_dumps

    sessions = Sessions(assistant)
    count = 0
    for _, item in read_jsonl_requests(stream):
        if isinstance(item, JsonlError):
            payload = item.to_dict()
        else:
            try:
                payload = sessions.ask(item.question, item.conversation, filters).to_dict()
                if item.conversation is not None:
                    payload["conversation"] = item.conversation
            except PlanAssistantError as exc:
                payload = {"line": item.line_no, "question": item.question[:200], "error": str(exc)}
        out.write(json_dumps(payload) + "\n")
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
    from assistant.textsafe import clean_input, json_dumps

    answer = assistant.ask(clean_input(question or ""), filters)
    if as_json:
        click.echo(json_dumps(answer.to_dict(), indent=2))
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
        from assistant.textsafe import clean_input

        _render(conversation.ask(clean_input(line.rstrip("\n")), filters), explain)
        click.echo("")
