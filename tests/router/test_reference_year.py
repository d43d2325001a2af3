"""The year relative dates count from ("next year"), over a tiny DuckDB built from SQL text."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.router.data import Database
from tests.router.schema_db import empty_schema


def _two_documents(con) -> None:
    """A budget proposed for 2025-26 and a service plan for 2020-21."""
    con.execute("INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) VALUES "
                "('budget', 'b.pdf', 'Directorate & Funding (Proposed Budget)', 'Kent County Council', '2025-26', "
                "'budget', 'x', 1, 'pdf'), "
                "('plan', 'p.txt', 'Service Plans 2020-21', 'Derbyshire County Council', '2020-21', 'service plan', "
                "'y', 1, 'text')")


@pytest.fixture()
def db(tmp_path) -> Database:
    settings = Settings(home=tmp_path)
    con = empty_schema(settings.db_path)
    _two_documents(con)
    con.close()
    database = Database(settings)
    yield database
    database.close()


def test_a_plan_s_own_year_is_this_year(db: Database) -> None:
    assert db.reference_year(("plan",)) == 2020


def test_a_proposed_budget_is_for_next_year(db: Database) -> None:
    """A budget proposed for 2025-26 is written in 2024-25: its "next year" is its own year."""
    assert db.reference_year(("budget",)) == 2024


def test_without_a_document_named_the_tables_asked_choose_it(tmp_path) -> None:
    """"next year's net budget" with no document named: the year of the document whose budget lines
    they are, not of the plan with the most actions."""
    settings = Settings(home=tmp_path)
    con = empty_schema(settings.db_path)
    _two_documents(con)
    con.execute("INSERT INTO budget_lines (budget_id, doc_id) VALUES ('b1', 'budget'), ('b2', 'budget')")
    con.execute("INSERT INTO actions (action_id, doc_id) VALUES ('a1', 'plan'), ('a2', 'plan'), ('a3', 'plan')")
    con.close()
    db = Database(settings)
    try:
        assert db.reference_year((), ("budget_lines",)) == 2024
        assert db.reference_year(()) == 2020   # no table asked: the document with the most typed rows
    finally:
        db.close()


def test_the_header_of_the_table_a_citation_quotes_a_row_of(tmp_path) -> None:
    """A quoted KPI row's figures are dated by its table's header ("2018-19"), read by the cited line."""
    from assistant.models import Citation
    settings = Settings(home=tmp_path)
    con = empty_schema(settings.db_path)
    con.execute("INSERT INTO raw_tables (table_id, doc_id, file, header, line_start, line_end) VALUES "
                "('t1', 'plan', 'p.txt', ['Measure', '2017-18', '2018-19'], 10, 20), "
                "('t2', 'plan', 'p.txt', ['Action', 'Lead'], 30, 40)")
    con.close()
    database = Database(settings)
    try:
        cite = Citation(file="p.txt", title="Plan", section="", line_start=12, line_end=12, quote="Complaints | 195 | 227")
        assert database.table_headers([cite]) == ["Measure | 2017-18 | 2018-19"]
        assert database.table_headers([Citation(file="p.txt", title="Plan", section="", line_start=25, line_end=25,
                                                quote="prose")]) == []
    finally:
        database.close()


def test_the_row_a_part_belongs_to_and_the_tables_of_cited_lines(tmp_path) -> None:
    """"bii) Non-opiate" after "4c) ... successful completions ...:" is a part of it; "5) ..." is not; a
    cited line that holds a saving row is one of the savings table's."""
    from assistant.models import Citation
    settings = Settings(home=tmp_path)
    con = empty_schema(settings.db_path)
    rows = ["4c) Substance misuse - successful completions:", "bi) Opiate", "bii) Non-opiate", "5) Satisfaction"]
    con.execute("INSERT INTO kpis (kpi_id, description, raw_table_id, raw_row_index, file, line_start) VALUES " +
                ", ".join(f"('k{i}', '{d}', 't1', {i}, 'p.txt', {10 + i})" for i, d in enumerate(rows)))
    con.execute("INSERT INTO savings (saving_id, item, raw, amount, file, line_start, line_end) VALUES "
                "('s1', 'Arts', '£208,000', 208000, 'p.txt', 30, 31)")
    con.close()
    database = Database(settings)
    try:
        assert database.lead_in("kpis", "k2") == "4c) Substance misuse - successful completions:"
        assert database.lead_in("kpis", "k3") == "" and database.lead_in("kpis", "k0") == ""
        cite = Citation(file="p.txt", title="Plan", section="", line_start=31, line_end=31, quote="Arts")
        assert database.rows_on_lines([cite]) == {"savings"}
    finally:
        database.close()
