"""`plan-assistant sql "SELECT ..."` (hardened, read-only) and `plan-assistant tables`."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from assistant.config import get_settings
from assistant.sql.schema import TABLES


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
    _, columns, rows = run_guarded(settings, query)
    if as_json:
        click.echo(json.dumps({"columns": columns, "rows": [[_json_value(v) for v in r] for r in rows]},
                              ensure_ascii=False))
        return
    table = Table(show_header=True, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    console = Console()
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
        click.echo(json.dumps([{"table": t.name, "description": t.description,
                                "columns": [{"name": c.name, "type": c.type, "description": c.description}
                                            for c in t.columns]} for t in TABLES], ensure_ascii=False))
        return
    console = Console()
    for t in TABLES:
        table = Table(title=f"{t.name}: {t.description}", title_justify="left", show_header=True)
        table.add_column("column")
        table.add_column("type")
        table.add_column("description")
        for c in t.columns:
            table.add_row(c.name, c.type, c.description)
        console.print(table)


__all__ = ["sql", "tables"]
