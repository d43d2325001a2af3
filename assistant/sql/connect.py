"""Read-only, hardened DuckDB connections (ENVIRONMENT.md) and a small SELECT helper."""

from __future__ import annotations

import threading
from typing import Any, Sequence

from assistant.config import Settings
from assistant.errors import NotIngestedError, QueryRefused

HARDENED_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def connect_readonly(settings: Settings):
    """A read-only connection with external access (files, COPY, extensions) disabled."""
    import duckdb

    path = settings.db_path
    if not path.exists():
        raise NotIngestedError(f"no database at {path}; run `plan-assistant ingest` first")
    try:
        return duckdb.connect(str(path), read_only=True, config=dict(HARDENED_CONFIG))
    except duckdb.Error as exc:
        raise NotIngestedError(f"cannot open the database at {path}: {exc}") from exc


def run_select(settings: Settings, sql: str, params: Sequence[Any] = (), limit: int = 500
               ) -> tuple[list[str], list[tuple]]:
    """Run one query on a hardened read-only connection; return (columns, at most `limit` rows).

    The query is interrupted after ``settings.sql_timeout_s`` seconds.
    """
    import duckdb

    con = connect_readonly(settings)
    timer = threading.Timer(settings.sql_timeout_s, con.interrupt)
    timer.start()
    try:
        try:
            cur = con.execute(sql, list(params))
            if cur.description is None:
                return [], []
            columns = [d[0] for d in cur.description]
            rows = cur.fetchmany(limit) if limit else cur.fetchall()
        except duckdb.InterruptException as exc:
            raise QueryRefused(f"query stopped after {settings.sql_timeout_s:g} s (sql_timeout_s)") from exc
        except duckdb.Error as exc:
            raise QueryRefused(_one_line(exc)) from exc
        return columns, [tuple(r) for r in rows]
    finally:
        timer.cancel()
        con.close()


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def database_version(settings: Settings) -> str | None:
    """An identifier of the live database file that changes when an ingest swaps in a new one.

    DuckDB shares one database instance per path inside a process, so a connection opened before
    an ingest keeps reading the old file (and new connections join it) until every connection to
    it is closed. Long-lived readers compare this value and close/reopen when it changes.
    """
    try:
        st = settings.db_path.stat()
    except FileNotFoundError:
        return None
    return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"
