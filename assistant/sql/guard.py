"""The SQL guard: only one read-only SELECT over allowed tables, with a capped LIMIT.

Every statement that did not come from our own templates (`plan-assistant sql`, LLM text-to-SQL) passes
`check_sql` before it runs, and then runs through `run_guarded` on the hardened read-only
connection with a timeout. The checks are made on the parsed tree (sqlglot), never on the text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

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
#: Deepest bracket nesting accepted: beyond any real query; sqlglot itself overflows Python's
#: recursion limit at about 40 levels of nested function calls (measured), which is caught too.
MAX_NESTING = 32
#: Columns of a result that name a source file (citations read the lines they point at).
FILE_COLUMNS = frozenset({"file"})


@dataclass(frozen=True)
class GuardedSQL:
    """A statement that passed the guard: the SQL to run and the tables it reads."""

    sql: str
    tables: tuple[str, ...]
    limit: int


def _nesting(text: str) -> int:
    """The deepest bracket nesting of ``text`` outside quotes (a cheap check before parsing)."""
    depth = deepest = 0
    quote = ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


def _parse_one(sql: str, max_chars: int = 20_000) -> exp.Expression:
    """Parse `sql` as DuckDB and return its single statement."""
    if not isinstance(sql, str):
        raise QueryRefused("Refused: the SQL must be text.")
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise QueryRefused("Refused: the SQL is empty.")
    if len(text) > max_chars:
        raise QueryRefused(f"Refused: the SQL is too long ({len(text):,} characters; the limit is {max_chars:,}).")
    if "\x00" in text:
        raise QueryRefused("Refused: the SQL contains a NUL character.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryRefused("Refused: the SQL is not valid UTF-8 text.") from exc
    if _nesting(text) > MAX_NESTING:
        raise QueryRefused(f"Refused: the SQL is nested too deeply (more than {MAX_NESTING} levels of brackets).")
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except ParseError as exc:
        first = (str(exc).splitlines() or ["unparseable"])[0].split(". Line")[0][:120]
        raise QueryRefused(f"Refused: the SQL does not parse ({first}).") from exc
    except SqlglotError as exc:  # TokenError: an unterminated string or comment...
        first = (str(exc).splitlines() or ["unreadable"])[0][:120]
        raise QueryRefused(f"Refused: the SQL does not parse ({first}).") from exc
    except RecursionError as exc:
        raise QueryRefused("Refused: the SQL is nested too deeply.") from exc
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


def check_sql(sql: str, allowed: frozenset[str] = ALLOWED_TABLES, limit: int = 500,
              max_chars: int = 20_000) -> GuardedSQL:
    """Return the guarded form of `sql`, or raise `QueryRefused` with the exact reason."""
    tree = _parse_one(sql, max_chars)
    try:
        tables = _check_nodes(tree, frozenset(t.lower() for t in allowed))
        new_limit = _cap_limit(tree, limit)
        text = tree.sql(dialect="duckdb")
    except RecursionError as exc:
        raise QueryRefused("Refused: the SQL is nested too deeply.") from exc
    except SqlglotError as exc:
        raise QueryRefused(f"Refused: the SQL cannot be checked ({str(exc).splitlines()[0][:120]}).") from exc
    return GuardedSQL(text, tables, new_limit)


def run_guarded(settings: Settings, sql: str, params: tuple[Any, ...] = (),
                allowed: frozenset[str] = ALLOWED_TABLES, check_files: bool = True
                ) -> tuple[GuardedSQL, list[str], list[tuple]]:
    """Check `sql`, then run it in the bounded SQL worker (``run_isolated``: hardened read-only
    connection, hard time and memory limits).

    With ``check_files`` (the default, for any caller that may cite or read the result), a column
    named ``file`` may only hold files that were ingested: a statement that names any other path
    (``SELECT '/etc/passwd' AS file``) is refused, so citations built from the rows can never
    point outside the corpus. ``plan-assistant sql`` only prints its result and passes False.
    """
    from assistant.sql.connect import run_isolated

    guarded = check_sql(sql, allowed, settings.sql_row_limit, settings.sql_max_chars)
    columns, rows = run_isolated(settings, guarded.sql, params, limit=guarded.limit)
    if check_files:
        _check_file_columns(settings, columns, rows)
    return guarded, columns, rows


def _check_file_columns(settings: Settings, columns: list[str], rows: list[tuple]) -> None:
    """Refuse a result whose ``file`` column names a path that is not an ingested document."""
    positions = [i for i, c in enumerate(columns) if str(c).lower() in FILE_COLUMNS]
    if not positions or not rows:
        return
    from assistant.retrieval.source import ingested_files

    known = ingested_files(settings)
    for row in rows:
        for i in positions:
            value = row[i]
            if value is not None and str(value) not in known:
                raise QueryRefused("Refused: the result names a file that was not ingested; "
                                   "only documents in the database can be cited.")
