"""Read-only, hardened, bounded DuckDB connections and the one timed SQL runner.

Every query runs under the limits of ``Settings``: ``sql_timeout_s``, ``sql_memory_limit_mb`` and
``sql_threads``. Two ways to run one, with the same errors:

- ``run_select`` runs SQL written by our own code in this process: a timer interrupts it, and
  DuckDB's ``memory_limit`` and ``threads`` bound it.
- ``run_isolated`` runs SQL that came from outside (the ``sql`` command and LLM text-to-SQL, after
  the guard) in a worker process (``assistant.sql.worker``) whose address space is capped and
  which is killed when the time limit passes: some DuckDB functions (``range`` building one huge
  list) can neither be interrupted nor bounded by ``memory_limit`` in-process.

Errors: ``QueryTimeout`` and ``QueryMemoryExceeded`` (both ``QueryLimitExceeded``, a kind of
``QueryRefused``) when a limit stopped a query; ``QueryRefused`` when DuckDB rejected it;
``NotIngestedError`` without a database. Every message is one line.
"""

from __future__ import annotations

import atexit
import logging
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from assistant.config import REPO_ROOT, Settings
from assistant.errors import (NotIngestedError, QueryLimitExceeded, QueryMemoryExceeded, QueryRefused,
                              QueryTimeout)
from assistant.sql.limits import HARDENED_CONFIG, duckdb_config

log = logging.getLogger(__name__)

__all__ = ["HARDENED_CONFIG", "connect_readonly", "database_version", "run_isolated", "run_select",
           "timed_execute"]

#: Seconds allowed for the SQL worker to start (not counted in the query's time limit).
WORKER_START_TIMEOUT_S = 60.0


def connect_readonly(settings: Settings, path: Path | None = None):  # noqa: ANN201 - duckdb lazily
    """A read-only connection to ``path`` (default: the live database) with external access (files,
    COPY, extensions) disabled and DuckDB's memory and thread limits from ``settings``."""
    import duckdb

    path = path or settings.db_path
    if not path.exists():
        raise NotIngestedError(f"no database at {path}; run `plan-assistant ingest` first")
    try:
        return duckdb.connect(str(path), read_only=True,
                              config=duckdb_config(settings.sql_memory_limit_mb, settings.sql_threads))
    except duckdb.Error as exc:
        raise NotIngestedError(f"cannot open the database at {path}: {_one_line(exc)}") from exc


def timed_execute(con: Any, sql: str, params: Sequence[Any], timeout_s: float, limit: int = 0,
                  memory_mb: int | None = None) -> tuple[list[str], list[tuple]]:
    """Run one statement on ``con``, interrupted after ``timeout_s``; (columns, at most ``limit``
    rows, all if 0). DuckDB errors become one-line ``QueryRefused`` / ``QueryLimitExceeded``."""
    import duckdb

    timer = threading.Timer(timeout_s, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        cur = con.execute(sql, list(params))
        if cur.description is None:
            return [], []
        columns = [d[0] for d in cur.description]
        rows = cur.fetchmany(limit) if limit else cur.fetchall()
        return columns, [tuple(r) for r in rows]
    except duckdb.InterruptException as exc:
        raise timeout_error(timeout_s) from exc
    except (duckdb.OutOfMemoryException, MemoryError) as exc:
        raise memory_error(memory_mb) from exc
    except duckdb.Error as exc:
        raise QueryRefused(f"Refused: the query failed ({_one_line(exc)}).") from exc
    except RecursionError as exc:
        raise QueryRefused("Refused: the query is nested too deeply.") from exc
    finally:
        timer.cancel()


def run_select(settings: Settings, sql: str, params: Sequence[Any] = (), limit: int = 500
               ) -> tuple[list[str], list[tuple]]:
    """Run one query of our own on a hardened read-only connection in this process; return
    (columns, at most ``limit`` rows; all rows if ``limit`` is 0)."""
    con = connect_readonly(settings)
    try:
        return timed_execute(con, sql, params, settings.sql_timeout_s, limit, settings.sql_memory_limit_mb)
    finally:
        con.close()


def run_isolated(settings: Settings, sql: str, params: Sequence[Any] = (), limit: int = 500
                 ) -> tuple[list[str], list[tuple]]:
    """Run one query from outside in the SQL worker process, under a hard time and memory limit."""
    path = settings.db_path
    if not path.exists():
        raise NotIngestedError(f"no database at {path}; run `plan-assistant ingest` first")
    cap = settings.sql_memory_limit_mb + settings.sql_worker_headroom_mb
    request = {"db": str(path), "sql": sql, "params": list(params), "limit": int(limit),
               "memory_mb": settings.sql_memory_limit_mb, "threads": settings.sql_threads}
    reply = _worker(cap).run(request, settings.sql_timeout_s, settings.sql_memory_limit_mb)
    if reply[0] == "ok":
        return list(reply[1]), [tuple(r) for r in reply[2]]
    _, kind, message = reply
    if kind == "interrupt":
        raise timeout_error(settings.sql_timeout_s)
    if kind == "memory":
        raise memory_error(settings.sql_memory_limit_mb)
    if kind == "missing":
        raise NotIngestedError(f"cannot open the database at {path}: {message}")
    raise QueryRefused(f"Refused: the query failed ({message}).")


def timeout_error(timeout_s: float) -> QueryTimeout:
    return QueryTimeout(f"The query stopped after {timeout_s:g} s: it ran longer than the time limit "
                        "(PLAN_ASSISTANT_SQL_TIMEOUT_S).")


def memory_error(memory_mb: int | None) -> QueryMemoryExceeded:
    limit = f" of {memory_mb} MB" if memory_mb else ""
    return QueryMemoryExceeded(f"The query stopped: it needed more memory than the limit{limit} "
                               "(PLAN_ASSISTANT_SQL_MEMORY_LIMIT_MB).")


def _one_line(exc: BaseException) -> str:
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


# ---------------------------------------------------------------------------- the worker process


class _Worker:
    """One ``assistant.sql.worker`` child, started on first use and after it was killed."""

    def __init__(self, cap_mb: int) -> None:
        self.cap_mb = cap_mb
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
        proc = subprocess.Popen([sys.executable, "-m", "assistant.sql.worker", str(self.cap_mb), str(os.getpid())],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env, bufsize=0, close_fds=True)
        self._proc = proc
        from assistant.sql.worker import HEADER

        try:  # wait for "ready" (duckdb imported), so that start-up is not counted as query time
            deadline = time.monotonic() + WORKER_START_TIMEOUT_S
            (size,) = HEADER.unpack(self._read(proc, HEADER.size, deadline))
            self._read(proc, size, deadline)
        except (TimeoutError, EOFError) as exc:
            self.kill()
            raise QueryRefused("Refused: the SQL worker process did not start.") from exc
        return proc

    def kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
        if proc is not None:
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()

    def run(self, request: dict[str, Any], timeout_s: float, memory_mb: int) -> tuple:
        from assistant.sql.worker import HEADER, write_frame

        import pickle

        with self._lock:
            proc = self._proc if self._proc is not None and self._proc.poll() is None else self._start()
            try:
                write_frame(proc.stdin, request)  # type: ignore[arg-type]
            except (BrokenPipeError, OSError):
                self.kill()
                proc = self._start()
                write_frame(proc.stdin, request)  # type: ignore[arg-type]
            deadline = time.monotonic() + timeout_s
            try:
                head = self._read(proc, HEADER.size, deadline)
                (size,) = HEADER.unpack(head)
                body = self._read(proc, size, deadline)
            except TimeoutError:
                self.kill()  # the only way to stop a query DuckDB cannot interrupt
                raise timeout_error(timeout_s) from None
            except EOFError:
                code = proc.wait()
                self.kill()
                raise QueryLimitExceeded(f"The query stopped the SQL worker (exit status {code}); it may have "
                                         f"needed more than the memory limit of {memory_mb} MB.") from None
            return pickle.loads(body)  # noqa: S301 - written by our own worker

    @staticmethod
    def _read(proc: subprocess.Popen, n: int, deadline: float) -> bytes:
        fd = proc.stdout.fileno()  # type: ignore[union-attr]
        buf = bytearray()
        while len(buf) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return bytes(buf)


_WORKERS: dict[int, _Worker] = {}
_WORKERS_LOCK = threading.Lock()


def _worker(cap_mb: int) -> _Worker:
    with _WORKERS_LOCK:
        if cap_mb not in _WORKERS:
            _WORKERS[cap_mb] = _Worker(cap_mb)
        return _WORKERS[cap_mb]


@atexit.register
def _stop_workers() -> None:
    for worker in list(_WORKERS.values()):
        try:
            worker.kill()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
