"""Fixtures for the ingestion tests: a read-only connection to the session DuckDB build."""

from __future__ import annotations

import pytest

from assistant.config import Settings


@pytest.fixture(scope="module")
def con(db_settings: Settings):
    """A hardened read-only connection to the session corpus database, closed after each module so
    that no connection outlives our tests (DuckDB shares one instance per file in a process)."""
    from assistant.sql.connect import connect_readonly

    c = connect_readonly(db_settings)
    yield c
    c.close()


@pytest.fixture(scope="module")
def q(con):
    """Run a query and return all rows."""

    def run(sql: str, *params):
        return con.execute(sql, list(params)).fetchall()

    return run
