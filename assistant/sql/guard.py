"""A guard for SQL not written by us: one read-only SELECT over our tables, no file access."""

from __future__ import annotations

import re

from assistant.errors import BadQuestion, QueryRefused
from assistant.sql.schema import TABLES_BY_NAME

FILE_FUNCTIONS = re.compile(
    r"^(read_\w+|glob|parquet_\w+|sniff_csv|csv_\w+|json_\w*read\w*|iceberg_\w+|delta_scan|sqlite_\w+|"
    r"postgres_\w+|mysql_\w+|load|install|attach|copy|export|import)$", re.I)


def check_select(sql: str) -> str:
    """Return the SQL if it is a single SELECT over known tables; raise QueryRefused otherwise."""
    import sqlglot
    from sqlglot import exp

    text = (sql or "").strip().rstrip(";").strip()
    if not text:
        raise BadQuestion("empty SQL")
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        raise QueryRefused(f"not valid SQL: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise QueryRefused("only one statement is allowed")
    stmt = statements[0]
    if not isinstance(stmt, (exp.Select, exp.Union, exp.Intersect, exp.Except)) and not (
            isinstance(stmt, exp.With) and isinstance(stmt.this, exp.Select)):
        kind = type(stmt).__name__.upper()
        raise QueryRefused(f"only read-only SELECT queries are allowed (got {kind}); the database is read-only")
    for node in stmt.walk():
        node = node[0] if isinstance(node, tuple) else node
        if isinstance(node, (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Command)):
            raise QueryRefused("only read-only SELECT queries are allowed; the database is read-only")
        if isinstance(node, (exp.Anonymous, exp.Func)):
            name = node.name if isinstance(node, exp.Anonymous) else (node.sql_name() or "")
            if FILE_FUNCTIONS.match(name or ""):
                raise QueryRefused(f"reading files is not allowed ({name}); query the plan tables instead")
        if isinstance(node, exp.Table):
            name = node.name or ""
            if ("/" in name or "." in name or "\\" in name) and name.lower() not in TABLES_BY_NAME:
                raise QueryRefused(f"reading files is not allowed ('{name}'); query the plan tables instead")
    return text
