"""The SQL guard: only one read-only SELECT over allowed tables, with a capped LIMIT.

Every statement that did not come from our own templates (`plan-assistant sql`, LLM text-to-SQL) passes
`check_sql` before it runs, and then runs through `run_guarded` on the hardened read-only
connection with a timeout. The checks are made on the parsed tree (sqlglot), never on the text.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from assistant.config import Settings
from assistant.errors import QueryRefused
from assistant.sql.schema import TABLES_BY_NAME

log = logging.getLogger(__name__)

#: Tables that guarded SQL may read: every table of the schema contract.
ALLOWED_TABLES: frozenset[str] = frozenset(TABLES_BY_NAME)

_QUERY_TYPES = (exp.Select, exp.Union, exp.Intersect, exp.Except)
_WRITE_TYPES = (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Merge,
                exp.Copy, exp.Command, exp.Pragma, exp.Set, exp.Use, exp.Into, exp.Attach,
                exp.Detach, exp.Install, exp.LoadData, exp.TruncateTable)
_FILE_FUNCTION = re.compile(
    r"^(read_\w*|\w*_scan|glob|sniff_csv|load\w*|install\w*|copy\w*|export\w*|import\w*)$", re.IGNORECASE)
_DENIED_FUNCTION = re.compile(
    r"^(getenv|query|query_table|duckdb_\w*|pragma_\w*|current_setting|set_\w*|system|shell)$",
    re.IGNORECASE)


@dataclass(frozen=True)
class GuardedSQL:
    """A statement that passed the guard: the SQL to run and the tables it reads."""

    sql: str
    tables: tuple[str, ...]
    limit: int


def _parse_one(sql: str) -> exp.Expression:
    """Parse `sql` as DuckDB and return its single statement."""
    text = (sql or "").strip().rstrip(";").strip()
    if not text:
        raise QueryRefused("Refused: the SQL is empty.")
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except ParseError as exc:
        first = (str(exc).splitlines() or ["unparseable"])[0].split(". Line")[0][:120]
        raise QueryRefused(f"Refused: the SQL does not parse ({first}).") from exc
    if len(statements) != 1:
        raise QueryRefused(f"Refused: exactly one statement is allowed, got {len(statements)}.")
    return statements[0]


def _check_nodes(tree: exp.Expression, allowed: frozenset[str]) -> tuple[str, ...]:
    """Refuse writes, file access and unknown tables; return the tables read."""
    if not isinstance(tree, _QUERY_TYPES):
        raise QueryRefused(f"Refused: only read-only SELECT queries are allowed, got {tree.key.upper()}.")
    for node in tree.walk():
        if isinstance(node, _WRITE_TYPES):
            raise QueryRefused(f"Refused: {node.key.upper()} is not allowed in a SELECT.")
    for func in tree.find_all(exp.Func):
        name = func.sql_name() if not isinstance(func, exp.Anonymous) else str(func.this)
        if _FILE_FUNCTION.match(name or ""):
            raise QueryRefused(f"Refused: reading files is not allowed (function {name.lower()}()).")
        if _DENIED_FUNCTION.match(name or ""):
            raise QueryRefused(f"Refused: function {name.lower()}() is not allowed.")
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    tables: list[str] = []
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise QueryRefused(f"Refused: table functions are not allowed ({table.sql()}).")
        if table.args.get("catalog") or (table.db and table.db.lower() != "main"):
            raise QueryRefused(f"Refused: qualified table {table.sql()} is not allowed.")
        name = table.name.lower()
        if name in ctes:
            continue
        if name not in allowed and re.search(r"[/\\.]", table.name):
            raise QueryRefused(f"Refused: reading files is not allowed (table {table.name!r}).")
        if name not in allowed:
            raise QueryRefused(f"Refused: table {table.name!r} is not allowed.")
        if name not in tables:
            tables.append(name)
    return tuple(tables)


def _cap_limit(tree: exp.Expression, cap: int) -> int:
    """Add a LIMIT, or lower one above `cap` (or not a plain number) to `cap`."""
    current = tree.args.get("limit")
    value: int | None = None
    if current is not None:
        literal = current.expression if isinstance(current, exp.Limit) else None
        if isinstance(literal, exp.Literal) and literal.is_int:
            value = int(literal.this)
    new = cap if value is None or value > cap or value < 0 else value
    tree.set("limit", exp.Limit(expression=exp.Literal.number(new)))
    return new


def check_sql(sql: str, allowed: frozenset[str] = ALLOWED_TABLES, limit: int = 500) -> GuardedSQL:
    """Return the guarded form of `sql`, or raise `QueryRefused` with the exact reason."""
    tree = _parse_one(sql)
    tables = _check_nodes(tree, frozenset(t.lower() for t in allowed))
    new_limit = _cap_limit(tree, limit)
    return GuardedSQL(tree.sql(dialect="duckdb"), tables, new_limit)


def run_guarded(settings: Settings, sql: str, params: tuple[Any, ...] = (),
                allowed: frozenset[str] = ALLOWED_TABLES) -> tuple[GuardedSQL, list[str], list[tuple]]:
    """Check `sql`, then run it on the hardened read-only connection, interrupted after the timeout."""
    from assistant.sql.connect import connect_readonly

    guarded = check_sql(sql, allowed, settings.sql_row_limit)
    con = connect_readonly(settings)
    timer = threading.Timer(settings.sql_timeout_s, con.interrupt)
    timer.start()
    try:
        cursor = con.execute(guarded.sql, list(params))
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except Exception as exc:  # duckdb raises many types; all become one clear message
        if not timer.is_alive():
            raise QueryRefused(f"Refused: the query ran longer than {settings.sql_timeout_s:g} s.") from exc
        raise QueryRefused(f"Refused: the query failed ({str(exc).splitlines()[0]}).") from exc
    finally:
        timer.cancel()
        con.close()
    return guarded, columns, rows
