"""The semantic layer read from the schema, and SQL composed with parameters only."""

from __future__ import annotations

from datetime import date

from assistant.router.queries import Conditions, count_rows, display_sql, select_rows
from assistant.router.semantic import INDEX_TEXT, semantics, tables_for
from assistant.router.understand import Amount, DateSpec
from assistant.sql.schema import TABLES_BY_NAME, TYPED_TABLES


def test_every_typed_table_has_roles_that_exist_in_the_schema() -> None:
    layer = semantics()
    assert set(layer) == set(TYPED_TABLES)
    for name, sem in layer.items():
        columns = {c.name for c in TABLES_BY_NAME[name].columns}
        for col in (sem.what, sem.who, sem.who_raw, sem.amount, sem.amount_raw, *sem.groups):
            assert col is None or col in columns, (name, col)
        for role in sem.date_roles():
            assert {role.raw, role.date, role.date_end, role.status} <= columns


def test_the_index_text_of_every_typed_table_reads_its_own_columns() -> None:
    """How rows read in the search index is semantic-layer data: one entry per typed table, each
    column a real one, the first its main text (the same column the router calls `what`)."""
    assert set(INDEX_TEXT) == set(semantics())
    for table, (label, fields) in INDEX_TEXT.items():
        columns = {c.name for c in TABLES_BY_NAME[table].columns}
        assert label and all(column in columns for _, column in fields), table
        assert fields[0][1] == semantics()[table].what, table


def test_roles_answer_who_when_how_much_and_what() -> None:
    layer = semantics()
    assert (layer["actions"].who, layer["actions"].due.prefix, layer["actions"].start.prefix) == ("leads", "complete", "start")
    assert layer["kpis"].who == "responsible" and layer["kpis"].values == "kpi_values"
    assert (layer["procurements"].what, layer["procurements"].amount) == ("title", "value")
    assert layer["pledges"].who == "cabinet_member" and layer["pledges"].due.prefix == "timeframe"
    assert layer["budget_lines"].amount == "amount" and "measure" in layer["budget_lines"].groups


def test_question_nouns_point_at_tables() -> None:
    assert tables_for("how many contracts are there") == ("procurements",)
    assert tables_for("which kpis have no target") == ("kpis",)
    assert "pledges" in tables_for("which cabinet member made the pledge")


def test_user_values_are_parameters_never_sql_text() -> None:
    evil = "'; DROP TABLE actions; --"
    cond = Conditions(person=evil, departments=(evil,), groups=(("priority", evil),), contains=(evil,),
                      dates=(DateSpec("by March 2021", "by", date(2021, 3, 1), date(2021, 3, 31), "month"),),
                      amounts=(Amount(">", 5e6, "over £5m"),))
    for query in (select_rows(semantics()["actions"], cond), count_rows(semantics()["actions"], cond)):
        assert "DROP" not in query.sql
        assert evil in query.params
        assert query.sql.count("?") == len(query.params)


def test_display_sql_quotes_values_safely() -> None:
    query = select_rows(semantics()["procurements"], Conditions(groups=(("category", "O'Brien"),)))
    shown = display_sql(query)
    assert "'O''Brien'" in shown and "?" not in shown


def test_field_words_are_the_names_of_the_fields_a_question_asks_for() -> None:
    """"Lifetime exposure", "likelihood": words that pick a risk's field, which its text need not hold;
    the risk's own name column and storage words ("raw") are not among them."""
    words = semantics()["risks"].field_words()
    assert {"lifetime", "exposure", "likelihood", "annual"} <= words
    assert "risk" not in words and "raw" not in words
    assert "value" in semantics()["procurements"].field_words()
    assert "title" not in semantics()["procurements"].field_words()
