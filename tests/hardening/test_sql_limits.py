"""Every query is bounded (issue 14, F5/F7): time, memory and threads, with one-line messages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.config import Settings
from assistant.errors import QueryLimitExceeded, QueryMemoryExceeded, QueryRefused, QueryTimeout
from assistant.sql.connect import run_isolated, run_select
from assistant.sql.guard import check_sql, run_guarded
from tests.hardening.conftest import HANG_LIMIT_S, cli_env

RANGE_QUERY = "SELECT len(range(0, 1000000000))"
#: Sorting 50 million integers in one call: about 400 MB, seconds of work, and DuckDB does not
#: check for interrupts inside it, so only killing the worker stops it early.
UNINTERRUPTIBLE = "SELECT len(list_sort(range(0, 50000000)))"


def test_the_range_query_is_stopped_by_the_memory_limit(db_settings: Settings) -> None:
    with pytest.raises(QueryMemoryExceeded) as err:
        run_guarded(db_settings, RANGE_QUERY)
    assert "memory" in str(err.value) and "\n" not in str(err.value)
    _, _, rows = run_guarded(db_settings, "SELECT count(*) FROM actions")  # the worker came back
    assert rows[0][0] > 100


def test_a_query_duckdb_cannot_interrupt_is_killed_at_the_time_limit(db_settings: Settings) -> None:
    quick = db_settings.model_copy(update={"sql_timeout_s": 0.5, "sql_memory_limit_mb": 2048})
    with pytest.raises(QueryTimeout) as err:
        run_isolated(quick, UNINTERRUPTIBLE)
    message = str(err.value)
    assert "time limit" in message and "\n" not in message and not message.startswith("Refused")
    assert run_isolated(quick, "SELECT 42")[1] == [(42,)]


def test_interruptible_queries_are_interrupted_in_process_too(db_settings: Settings) -> None:
    quick = db_settings.model_copy(update={"sql_timeout_s": 0.2})
    with pytest.raises(QueryTimeout):
        run_select(quick, "SELECT count(*) FROM range(100000000000) a")


def test_limits_are_settings_applied_to_every_connection(db_settings: Settings) -> None:
    _, rows = run_select(db_settings, "SELECT current_setting('memory_limit'), current_setting('threads')")
    memory, threads = rows[0]
    assert threads == db_settings.sql_threads
    assert memory.endswith(("MiB", "GiB")) and float(memory.split()[0]) > 0
    small = db_settings.model_copy(update={"sql_memory_limit_mb": 300, "sql_threads": 1})
    _, rows = run_isolated(small, "SELECT current_setting('memory_limit'), current_setting('threads')")
    assert rows == [("286.1 MiB", 1)]


def test_timeout_and_memory_errors_are_distinct_from_guard_refusals(db_settings: Settings) -> None:
    with pytest.raises(QueryRefused) as refused:
        run_guarded(db_settings, "DROP TABLE actions")
    assert not isinstance(refused.value, QueryLimitExceeded)
    assert issubclass(QueryTimeout, QueryLimitExceeded) and issubclass(QueryMemoryExceeded, QueryLimitExceeded)


def test_the_sql_command_stops_the_range_query_with_one_line_under_the_memory_cap(db_settings: Settings) -> None:
    """The issue's reproduction: `plan-assistant sql "SELECT len(range(0, 1000000000))"` ran 62.9 s
    and reached 20 GB. Peak memory of the command and its worker is measured by a parent that
    waits for them (RUSAGE_CHILDREN covers every waited-for descendant)."""
    probe = ("import resource, subprocess, sys;"
             "p = subprocess.run([sys.executable, '-m', 'assistant', 'sql', sys.argv[1]], capture_output=True);"
             "sys.stdout.write(repr((p.returncode, p.stdout.decode(), p.stderr.decode(),"
             " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)))")
    out = subprocess.run([sys.executable, "-c", probe, RANGE_QUERY], capture_output=True, timeout=HANG_LIMIT_S,
                         env=cli_env(db_settings, PLAN_ASSISTANT_SQL_MEMORY_LIMIT_MB="512"))
    code, stdout, stderr, peak_kb = eval(out.stdout.decode())  # noqa: S307 - our own repr
    assert code == 1 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("Error: The query stopped") and "Traceback" not in stderr
    cap_kb = (512 + db_settings.sql_worker_headroom_mb) * 1024
    assert peak_kb < cap_kb


@pytest.mark.parametrize("sql, reason", [
    ("SELECT 'abc", "does not parse"),
    ("SELECT 1 /* never closed", "does not parse"),
    ("SELECT " + "(" * 1000 + "1" + ")" * 1000, "nested too deeply"),
    ("SELECT " + "abs(" * 45 + "1" + ")" * 45, "nested too deeply"),
    ("SELECT 1 " + "+ 1 " * 6000, "too long"),
    ("SELECT '\x00'", "NUL"),
    ("SELECT '\udcff'", "UTF-8"),
    ("", "empty"),
])
def test_unusable_sql_is_refused_with_one_line(sql: str, reason: str) -> None:
    with pytest.raises(QueryRefused) as err:
        check_sql(sql)
    assert reason in str(err.value) and "\n" not in str(err.value)


def test_unusable_sql_at_the_command_line_is_one_line_not_a_traceback(db_settings: Settings) -> None:
    from tests.hardening.conftest import cli

    for sql in ("SELECT 'abc", "SELECT 1 /* x", "SELECT " + "(" * 3000 + "1" + ")" * 3000,
                b"SELECT '\xff\xfe'"):
        result = cli(db_settings, "sql", sql)
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode == 1 and "Traceback" not in err and err.count("\n") == 1, err
