"""The SQL guard, driven by the allowed/denied fixture files, and its run on the read-only connection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import QueryRefused
from assistant.sql.guard import check_sql, run_guarded

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sql_guard"


def _cases(name: str) -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / name).read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("case", _cases("allowed.jsonl"), ids=lambda c: c["sql"][:50])
def test_allowed_sql_passes_with_its_tables_and_a_capped_limit(case: dict) -> None:
    guarded = check_sql(case["sql"], limit=500)
    assert sorted(guarded.tables) == sorted(case["tables"])
    assert guarded.limit == case["limit"]
    assert f"LIMIT {case['limit']}" in guarded.sql


@pytest.mark.parametrize("case", _cases("denied.jsonl"), ids=lambda c: c["sql"][:50] or "empty")
def test_denied_sql_is_refused_with_the_exact_reason(case: dict) -> None:
    with pytest.raises(QueryRefused) as err:
        check_sql(case["sql"])
    assert str(err.value).startswith(case["error"])


def test_fixture_files_cover_both_sides() -> None:
    assert len(_cases("allowed.jsonl")) >= 8 and len(_cases("denied.jsonl")) >= 15


def test_guarded_select_runs_on_the_real_database(db_settings) -> None:
    guarded, columns, rows = run_guarded(db_settings, "SELECT count(*) AS n FROM actions")
    assert columns == ["n"] and rows[0][0] > 100
    assert guarded.sql.endswith("LIMIT 500")


def test_limit_is_capped_by_the_settings_row_limit(db_settings) -> None:
    small = db_settings.model_copy(update={"sql_row_limit": 3})
    _, _, rows = run_guarded(small, "SELECT action FROM actions LIMIT 1000")
    assert len(rows) == 3


def test_refused_sql_never_reaches_the_database(db_settings) -> None:
    before = db_settings.db_path.read_bytes()
    for sql in ("DROP TABLE actions", "DELETE FROM people", "COPY actions TO '/tmp/x.csv'"):
        with pytest.raises(QueryRefused):
            run_guarded(db_settings, sql)
    assert db_settings.db_path.read_bytes() == before


def test_runtime_errors_become_one_clear_message(db_settings) -> None:
    with pytest.raises(QueryRefused, match="the query failed"):
        run_guarded(db_settings, "SELECT no_such_column FROM actions")
