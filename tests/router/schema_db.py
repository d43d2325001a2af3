"""A DuckDB file with every table of the schema and no rows, for tests that build a tiny database
from SQL text, and the keys a filter selects in it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from assistant.router.queries import Conditions, where
from assistant.router.semantic import semantics
from assistant.sql.schema import TABLES


def empty_schema(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection to a new DuckDB file at `path` (its folder made) holding every table, empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    for table in TABLES:
        con.execute(table.ddl())
    return con


def keys_where(con: duckdb.DuckDBPyConnection, table: str, cond: Conditions) -> list[str]:
    """The keys of `table`'s rows that `cond` selects (the router's own WHERE clauses), in key order."""
    sem = semantics()[table]
    clauses, params = where(sem, cond)
    sql = f"SELECT {sem.key} FROM {table} t WHERE {' AND '.join(clauses)} ORDER BY 1"
    return [r[0] for r in con.execute(sql, params).fetchall()]
