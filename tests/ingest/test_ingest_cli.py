"""CliRunner tests of `ingest`, `sql` and `tables`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "generic"


def run(settings: Settings, *args: str):
    return CliRunner().invoke(main, list(args), env={"PLAN_ASSISTANT_HOME": str(settings.home)})


def test_ingest_summary(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    result = run(settings, "ingest", "--no-index", str(FIXTURES))
    assert result.exit_code == 0, result.output
    for word in ("documents", "sections", "tables", "rows: actions", "rows: procurements", "unclassified tables",
                 "problems"):
        assert word in result.output
    again = run(settings, "ingest", "--no-index", str(FIXTURES))
    assert "0 / 0 / 4 / 0" in again.output


def test_sql_select_table_and_json(db_settings: Settings) -> None:
    result = run(db_settings, "sql", "SELECT lead_raw FROM actions WHERE action = 'Deliver the new Channel Shift strategy'")
    assert result.exit_code == 0, result.output
    assert "Emma Crapper" in result.output and "1 row(s)" in result.output
    js = run(db_settings, "sql", "--json", "SELECT title, value FROM procurements WHERE title = 'Supply of Gas'")
    assert json.loads(js.output) == {"columns": ["title", "value"], "rows": [["Supply of Gas", 12250000.0]]}
    js = run(db_settings, "sql", "--json", "SELECT leads, complete_date FROM actions WHERE lead_raw = 'Sarah Eaton / Julie Vollar (ASC&H)'")
    assert json.loads(js.output)["rows"] == [[["Sarah Eaton", "Julie Vollar"], "2020-09-01"]]


@pytest.mark.parametrize("query, message", [
    ("DELETE FROM actions", "only read-only SELECT"),
    ("DROP TABLE actions", "only read-only SELECT"),
    ("INSERT INTO people VALUES ('x', 'y', [], NULL)", "only read-only SELECT"),
    ("UPDATE actions SET lead_raw = 'x'", "only read-only SELECT"),
    ("COPY actions TO '/tmp/out.csv'", "only read-only SELECT"),
    ("ATTACH '/tmp/other.duckdb' AS other", "only read-only SELECT"),
    ("SELECT 1; DELETE FROM actions", "exactly one statement is allowed"),
    ("SELECT * FROM read_csv('/etc/passwd')", "reading files is not allowed"),
    ("SELECT * FROM '/etc/passwd'", "reading files is not allowed"),
    ("SELECT * FROM read_text('/etc/hostname')", "reading files is not allowed"),
    ("SELECT * FROM glob('/etc/*')", "reading files is not allowed"),
])
def test_sql_refusals(db_settings: Settings, query: str, message: str) -> None:
    result = run(db_settings, "sql", query)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_hardened_connection_blocks_file_reads_even_without_guard(db_settings: Settings) -> None:
    from assistant.errors import QueryRefused
    from assistant.sql.connect import run_select

    with pytest.raises(QueryRefused):
        run_select(db_settings, "SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(QueryRefused):
        run_select(db_settings, "CREATE TABLE x AS SELECT 1")


def test_sql_without_database(tmp_path: Path) -> None:
    result = run(Settings(home=tmp_path), "sql", "SELECT 1")
    assert result.exit_code == 1 and "plan-assistant ingest" in result.output


def test_tables_lists_schema(db_settings: Settings) -> None:
    from assistant.sql.schema import TABLES

    result = run(db_settings, "tables")
    assert result.exit_code == 0
    for t in TABLES:
        assert t.name in result.output
    js = json.loads(run(db_settings, "tables", "--json").output)
    assert {t["table"] for t in js} == {t.name for t in TABLES}
    assert any(c["name"] == "complete_date" for t in js if t["table"] == "actions" for c in t["columns"])


def test_runaway_query_is_stopped(db_settings: Settings) -> None:
    from assistant.errors import QueryRefused
    from assistant.sql.connect import run_select

    quick = db_settings.model_copy(update={"sql_timeout_s": 0.2})
    with pytest.raises(QueryRefused, match="query stopped"):
        run_select(quick, "SELECT count(*) FROM range(100000000000) a")
