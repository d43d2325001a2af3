"""`plan-assistant search "query"`: ranked passages and rows with their citations."""

from __future__ import annotations

import click

from assistant.config import get_settings
from assistant.errors import PlanAssistantError
from assistant.models import Filters, Hit

TEXT_PREVIEW = 600


def hits_payload(query: str, hits: list[Hit]) -> dict:
    """The --json shape: {"query", "hits": [{"score", "text", "citation": {...}}]}."""
    return {"query": query,
            "hits": [{"score": h.score, "text": h.text, "citation": h.citation.to_dict()} for h in hits]}


def _print_hits(hits: list[Hit]) -> None:
    """Ranked hits as plain text: document text and names are data, never markup or escapes."""
    from rich.text import Text

    from assistant.textsafe import plain_console, rich_text

    console = plain_console()
    if not hits:
        console.print("No passages found.")
        return
    for rank, h in enumerate(hits, start=1):
        c = h.citation
        where = f"{c.file}:{c.line_start}" + (f"-{c.line_end}" if c.line_end != c.line_start else "")
        label = f" [{h.table}]" if h.kind == "row" and h.table else ""
        line = Text(f"{rank}. {h.score:.3f}", style="bold")
        line.append_text(rich_text(f"  {c.title}{label}"))
        console.print(line)
        if c.section:
            console.print(Text("   ").append_text(rich_text(c.section, style="dim")))
        console.print(Text("   ").append_text(rich_text(where, style="cyan")))
        text = h.text if len(h.text) <= TEXT_PREVIEW else h.text[:TEXT_PREVIEW].rsplit(" ", 1)[0] + " …"
        console.print(Text("   ").append_text(rich_text(text)))
        console.print()


@click.command("search")
@click.argument("query")
@click.option("--k", "k", type=click.IntRange(1, 100), default=5, show_default=True, help="Number of results.")
@click.option("--council", default=None, help="Only this council (e.g. 'Derby City').")
@click.option("--document", default=None, help="Only this document (doc id, file name or title words).")
@click.option("--department", default=None, help="Only this department or portfolio.")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True)
@click.option("--kind", type=click.Choice(["prose", "row"]), default=None, help="Only passages or only table rows.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def search(query: str, k: int, council: str | None, document: str | None, department: str | None,
           mode: str, kind: str | None, as_json: bool) -> None:
    """Hybrid search over passages and table rows, with exact citations."""
    from assistant.retrieval.search import Retriever
    from assistant.textsafe import clean_input, json_dumps, one_line

    settings = get_settings()
    query = clean_input(query)  # invalid UTF-8 from the shell, full-width forms, control characters
    if len(query) > settings.max_question_chars:
        click.echo(f"Note: the query has {len(query)} characters; only the first "
                   f"{settings.max_question_chars} are searched.", err=True)
    filters = Filters(council=council, document=document, department=department)
    try:
        hits = Retriever(settings).search(query, k=k, filters=filters, mode=mode, kind=kind)  # type: ignore[arg-type]
    except PlanAssistantError as exc:
        raise click.ClickException(one_line(exc, limit=1000)) from exc
    if as_json:
        click.echo(json_dumps(hits_payload(query, hits), indent=2))
    else:
        _print_hits(hits)
