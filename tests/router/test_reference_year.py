"""The year relative dates count from ("next year"), over a tiny DuckDB built from SQL text."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.router.data import Database
from tests.router.schema_db import empty_schema


@pytest.fixture()
def db(tmp_path) -> Database:
    settings = Settings(home=tmp_path)
    con = empty_schema(settings.db_path)
    con.execute("INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) VALUES "
                "('budget', 'b.pdf', 'Directorate & Funding (Proposed Budget)', 'Kent County Council', '2025-26', "
                "'budget', 'x', 1, 'pdf'), "
                "('plan', 'p.txt', 'Service Plans 2020-21', 'Derbyshire County Council', '2020-21', 'service plan', "
                "'y', 1, 'text')")
    con.close()
    database = Database(settings)
    yield database
    database.close()


def test_a_plan_s_own_year_is_this_year(db: Database) -> None:
    assert db.reference_year(("plan",)) == 2020


def test_a_proposed_budget_is_for_next_year(db: Database) -> None:
    """A budget proposed for 2025-26 is written in 2024-25: its "next year" is its own year."""
    assert db.reference_year(("budget",)) == 2024
