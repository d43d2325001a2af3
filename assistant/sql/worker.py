"""A child process that runs SQL from outside under hard limits: ``python -m assistant.sql.worker``.

DuckDB's ``interrupt()`` only stops a query between vectors, and its ``memory_limit`` only covers
memory it manages: ``SELECT len(range(0, 1000000000))`` builds one 8 GB list in a single function
call, unbounded and uninterruptible (measured: 62 s and 20 GB). So guarded SQL runs here: this
process caps its own address space (``RLIMIT_AS``) before DuckDB is loaded, which turns such a
list into an ``Out of Memory`` error, and the parent kills it when the time limit passes, which
stops anything. The parent restarts it on the next query.

Protocol: length-prefixed pickles on stdin/stdout (both ends are this package). A request is a
dict (``db``, ``sql``, ``params``, ``limit``, ``memory_mb``, ``threads``); a reply is
``("ok", columns, rows)`` or ``("error", kind, message)``, kind one of interrupt | memory | db |
missing. Only ``duckdb`` and ``assistant.sql.limits`` are imported, to start quickly.
"""

from __future__ import annotations

import os
import pickle
import resource
import struct
import sys
from typing import Any, BinaryIO

HEADER = struct.Struct("!Q")


def write_frame(stream: BinaryIO, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO) -> Any:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        raise EOFError
    (size,) = HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - written by our own parent process


class _Connections:
    """One hardened read-only connection per database file, reopened when the file is replaced."""

    def __init__(self) -> None:
        self._con: Any = None
        self._key: tuple | None = None

    def get(self, db: str, memory_mb: int, threads: int) -> Any:
        import duckdb

        from assistant.sql.limits import duckdb_config

        st = os.stat(db)
        key = (db, st.st_ino, st.st_mtime_ns, memory_mb, threads)
        if key != self._key:
            if self._con is not None:
                self._con.close()
            self._con = None
            self._con = duckdb.connect(db, read_only=True, config=duckdb_config(memory_mb, threads))
            self._key = key
        return self._con


def _run(cons: _Connections, req: dict[str, Any]) -> tuple:
    import duckdb

    try:
        con = cons.get(req["db"], req["memory_mb"], req["threads"])
    except FileNotFoundError:
        return ("error", "missing", f"no database at {req['db']}")
    except duckdb.Error as exc:
        return ("error", "missing", _first_line(exc))
    try:
        cur = con.execute(req["sql"], list(req.get("params") or ()))
        if cur.description is None:
            return ("ok", [], [])
        columns = [d[0] for d in cur.description]
        limit = int(req.get("limit") or 0)
        rows = cur.fetchmany(limit) if limit else cur.fetchall()
        return ("ok", columns, [tuple(r) for r in rows])
    except duckdb.InterruptException as exc:
        return ("error", "interrupt", _first_line(exc))
    except (duckdb.OutOfMemoryException, MemoryError) as exc:
        return ("error", "memory", _first_line(exc))
    except duckdb.Error as exc:
        return ("error", "db", _first_line(exc))
    except RecursionError:
        return ("error", "db", "the query is nested too deeply")
    except Exception as exc:  # noqa: BLE001 - e.g. UnicodeEncodeError: one message, the worker goes on
        return ("error", "db", f"{type(exc).__name__}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


#: Seconds between checks that the parent process is still alive.
PARENT_CHECK_S = 1.0


def _exit_with_parent(parent_pid: int) -> None:
    """Exit as soon as the parent is gone, even in the middle of a query (a killed ``ask`` or TUI
    must not leave a query running on its own)."""
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main(argv: list[str]) -> int:
    """Serve requests until stdin closes. ``argv``: address-space cap in MB (0: none), parent pid."""
    cap_mb = int(argv[0]) if argv else 0
    if len(argv) > 1:
        _exit_with_parent(int(argv[1]))
    if cap_mb > 0:
        cap = cap_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    # Our protocol owns the real stdout; anything else that prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    inp = sys.stdin.buffer
    cons = _Connections()
    import duckdb  # noqa: F401 - loaded before "ready", so start-up is not counted as query time

    write_frame(out, ("ready",))
    while True:
        try:
            req = read_frame(inp)
        except EOFError:
            return 0
        try:
            reply = _run(cons, req)
        except MemoryError:
            reply = ("error", "memory", "out of memory")
        try:
            write_frame(out, reply)
        except (pickle.PicklingError, TypeError, ValueError) as exc:  # an exotic value type
            write_frame(out, ("error", "db", f"result cannot be returned ({type(exc).__name__})"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
