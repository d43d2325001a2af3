"""`plan-assistant sql "SELECT ..."` (hardened, read-only, bounded) and `plan-assistant tables`.

Values from the database are data, never markup: every cell is printed through
``assistant.textsafe`` (no rich markup, links, emoji codes or terminal escape sequences).
"""

from __future__ import annotations

import click
from rich.table import Table

from assistant.config import get_settings
from assistant.sql.schema import TABLES
from assistant.textsafe import json_dumps, plain_console, rich_text


@click.command("sql")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print {columns, rows} as JSON.")
@click.option("--limit", type=int, default=None, help="Maximum rows (default: settings.sql_row_limit).")
def sql(query: str, as_json: bool, limit: int | None) -> None:
    """Run one read-only SELECT on the plan database (writes and file reads are refused)."""
    from assistant.sql.guard import run_guarded

    settings = get_settings()
    if limit:
        settings = settings.model_copy(update={"sql_row_limit": limit})
    _, columns, rows = run_guarded(settings, query, check_files=False)  # printed, never read as files
    if as_json:
        click.echo(json_dumps({"columns": columns, "rows": [[_json_value(v) for v in r] for r in rows]}))
        return
    table = Table(show_header=True, show_lines=False)
    for c in columns:
        table.add_column(rich_text(c), overflow="fold")
    for r in rows:
        table.add_row(*[rich_text("" if v is None else v) for v in r])
    console = plain_console()
    console.print(table)
    console.print(f"{len(rows)} row(s)")


def _json_value(value):
    """JSON-friendly value: lists stay lists, dates and decimals become strings."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


@click.command("tables")
@click.option("--json", "as_json", is_flag=True, help="Print the schema as JSON.")
def tables(as_json: bool) -> None:
    """List the tables of the plan database, their columns and descriptions."""
    if as_json:
        click.echo(json_dumps([{"table": t.name, "description": t.description,
                                "columns": [{"name": c.name, "type": c.type, "description": c.description}
                                            for c in t.columns]} for t in TABLES]))
        return
    console = plain_console()
    for t in TABLES:
        table = Table(title=rich_text(f"{t.name}: {t.description}"), title_justify="left", show_header=True)
        table.add_column("column")
        table.add_column("type")
        table.add_column("description")
        for c in t.columns:
            table.add_row(rich_text(c.name), rich_text(c.type), rich_text(c.description))
        console.print(table)


__all__ = ["sql", "tables"]
