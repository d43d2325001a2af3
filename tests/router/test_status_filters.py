"""Status words as filters (issue 9 §1): a date or target written "Ongoing", "TBC" or "Completed"
instead of a value selects rows; tested on a tiny DuckDB built from SQL text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.router.queries import Conditions
from assistant.router.understand import refine_intent, status_of
from tests.router.schema_db import empty_schema, keys_where


@pytest.mark.parametrize("question, status", [
    ("how many ASC actions have 'ongoing' as the completion date?", ("due", ("ongoing",))),
    ("How many CCP performance measures have a TBC target for 2020-21?", ("target", None)),
    ("CCP procurements - how many have no start date yet (TBC/TBA)?", ("start", None)),
    ("which of those are already completed?", ("due", ("completed", "complete"))),
    ("how many asc&h KPIs have 'Monitor' as the 2020-21 target?", ("target", ("monitor",))),
    ("which kpis have a target of monitor?", ("target", ("monitor",))),
])
def test_a_status_word_names_the_field_it_fills(question: str, status: tuple) -> None:
    found = status_of(question.lower())
    assert found is not None and found[0] == status[0]
    assert status[1] is None or found[1] == status[1]
    assert status[1] is not None or "tbc" in found[1]


@pytest.mark.parametrize("question", ["when is the library review due?", "what is the target for invoices?",
                                      "how many actions complete in 2021?", "how does the council monitor air quality?"])
def test_no_status_word_no_status_filter(question: str) -> None:
    assert status_of(question.lower()) is None


def test_rows_are_selected_by_the_status_their_date_or_target_holds(tmp_path: Path) -> None:
    con = empty_schema(tmp_path / "s.duckdb")
    con.execute("INSERT INTO actions (action_id, action, complete_raw, complete_status) VALUES "
                "('a1', 'Review libraries', 'Ongoing', 'Ongoing'), ('a2', 'Publish plan', 'March 2021', NULL), "
                "('a3', 'Reduce absence', 'Ongoing Ongoing', 'Ongoing Ongoing')")
    con.execute("INSERT INTO procurements (procurement_id, title, start_raw, start_status) VALUES "
                "('p1', 'Gas training', 'TBC', 'TBC'), ('p2', 'Labour services', 'TBA', 'TBA'), "
                "('p3', 'Cleaning', '01/04/2021', NULL)")
    con.execute("INSERT INTO kpis (kpi_id, description) VALUES ('k1', 'Residents satisfied'), ('k2', 'Invoices paid')")
    con.execute("INSERT INTO kpi_values (kpi_id, period, kind, raw, status) VALUES "
                "('k1', '2020-21', 'target', 'TBC', 'TBC'), ('k2', '2020-21', 'target', '95%', NULL)")

    assert keys_where(con, "actions", Conditions(status=("due", ("ongoing",)))) == ["a1", "a3"]
    # the table's one date
    assert keys_where(con, "procurements", Conditions(status=("start", ("tbc", "tba")))) == ["p1", "p2"]
    assert keys_where(con, "kpis", Conditions(status=("target", ("tbc",)))) == ["k1"]
    con.close()


def test_rows_named_before_how_many_are_counted() -> None:
    lower = "ccp property services procurements - how many have no start date yet?"
    assert refine_intent("count", lower, ("procurements",), False, True) == "count"
    assert refine_intent("count", "how many people live in derby?", (), False, False) == "how_much"


def test_a_department_filter_finds_a_row_that_names_the_department(tmp_path: Path) -> None:
    """A capital summary by directorate has no department of its own: its row names one."""
    con = empty_schema(tmp_path / "d.duckdb")
    con.execute("INSERT INTO raw_rows (table_id, row_index, cells) VALUES "
                "('cap', 0, ['5', 'Deputy Chief Executive''s Department', 'DCED', '17,932']), "
                "('cap', 1, ['6', 'Growth, Environment & Transport', 'GET', '144,489'])")
    con.execute("INSERT INTO budget_lines (budget_id, line_item, measure, amount, department, raw_table_id, "
                "raw_row_index) VALUES ('b1', 'Deputy Chief Executive''s Department', 'Year 2', 17932000, NULL, 'cap', 0), "
                "('b2', 'Growth, Environment & Transport', 'Year 2', 144489000, NULL, 'cap', 1), "
                "('b3', 'Waste', 'Net', 5, 'Deputy Chief Executive''s Department', NULL, NULL)")
    assert keys_where(con, "budget_lines", Conditions(departments=("Deputy Chief Executive's Department",))) == \
        ["b1", "b3"]
    con.close()


def test_rows_a_ranking_sets_aside_are_left_out(tmp_path: Path) -> None:
    from assistant.router.plan import name_prefixes
    from assistant.router.understand import set_aside

    assert set_aside("which risk has the biggest annual exposure, excluding non-delivery of savings?") == (
        "non-delivery of savings",)
    assert set_aside("after non-delivery of savings, which risk has the biggest annual exposure?") == (
        "non-delivery of savings",)
    assert set_aside("what are the ghg emissions (excluding schools)?") == ()   # names a measure: no ranking
    assert name_prefixes("non-delivery of savings") == ("non", "deliver", "sav")   # "save" is never written
    con = empty_schema(tmp_path / "s.duckdb")
    con.execute("INSERT INTO risks (risk_id, risk, annual_exposure) VALUES ('r1', 'Non delivery of Savings', 120.9), "
                "('r2', 'Market Sustainability', 28.4), ('r3', 'Delivery of capital programme', 5.0)")
    left = keys_where(con, "risks", Conditions(set_aside=(name_prefixes("non-delivery of savings"),)))
    assert left == ["r2", "r3"]   # every word of the item is needed: "Delivery of capital" stays
    con.close()


def test_the_next_row_after_the_previous_ones_is_of_their_department_and_kind(tmp_path: Path) -> None:
    from assistant.router.plan import _NEXT_AFTER

    assert _NEXT_AFTER.search("what's the next one to start after those?")
    assert _NEXT_AFTER.search("and the one that starts the month after?")
    con = empty_schema(tmp_path / "s.duckdb")
    con.execute("INSERT INTO procurements (procurement_id, title, department, category, start_date, start_date_end) "
                "VALUES ('p1', 'Timber', 'CCP', 'Property', DATE '2021-12-31', DATE '2021-12-31'), "
                "('p2', 'Power tools', 'CCP', 'Property', DATE '2021-12-31', DATE '2021-12-31'), "
                "('p3', 'Internet', 'CCP', 'ICT', DATE '2022-01-01', DATE '2022-01-01'), "
                "('p4', 'Doors', 'CCP', 'Property', DATE '2022-02-17', DATE '2022-02-17'), "
                "('p5', 'Gullies', 'ETE', 'Property', DATE '2022-01-05', DATE '2022-01-05'), "
                "('p6', 'Roofs', 'CCP', 'Property', DATE '2021-06-01', DATE '2021-06-01')")
    later = Conditions(later_than=("p1", "p2"), exclude_keys=("p1", "p2"), date_role="start")
    assert keys_where(con, "procurements", later) == ["p4"]   # not ICT, not ETE, not before them
    con.close()


def test_rows_of_the_same_day_as_the_previous_one(tmp_path: Path) -> None:
    """"Anything else in that table starting the same day?": the other rows of its table and date."""
    from assistant.router.plan import asks_same_day

    assert asks_same_day("anything else in that table starting the same day?")
    assert asks_same_day("any others due that day?") and not asks_same_day("what day does it start?")
    con = empty_schema(tmp_path / "s.duckdb")
    con.execute("INSERT INTO procurements (procurement_id, title, department, raw_table_id, start_date, start_date_end) "
                "VALUES ('p1', 'Secure exchange', 'CS', 't2', DATE '2020-09-01', DATE '2020-09-01'), "
                "('p2', 'Pupil data transfer', 'CS', 't2', DATE '2020-09-01', DATE '2020-09-01'), "
                "('p3', 'Tracking systems', 'CS', 't2', DATE '2020-04-01', DATE '2020-04-01'), "
                "('p4', 'Milk supply', 'CS', 't1', DATE '2020-09-01', DATE '2020-09-01')")
    same = Conditions(beside=("p1",), exclude_keys=("p1",), same_date_as=("p1",), date_role="start")
    assert keys_where(con, "procurements", same) == ["p2"]   # not another date, not another table
    anywhere = Conditions(exclude_keys=("p1",), same_date_as=("p1",), date_role="start")
    assert keys_where(con, "procurements", anywhere) == ["p2", "p4"]
    con.close()


def test_a_status_quoted_as_its_cell_writes_it_selects_that_cell_and_a_caption_may_be_a_heading(
        tmp_path: Path) -> None:
    """"Which actions are 'Ongoing – reported annually'?": that cell, not every "Ongoing" (a dash is any
    dash); a caption phrase also selects rows under a heading that says it (another department's caption)."""
    from assistant.router.answer_plan import filters_text
    from assistant.router.semantic import CAPTION_GROUP, semantics

    lower = "children's section two - which actions are 'ongoing – reported annually'?"
    assert status_of(lower) == ("due", ("ongoing – reported annually",))
    con = empty_schema(tmp_path / "q.duckdb")
    con.execute("INSERT INTO actions (action_id, action, complete_raw, complete_status, section_path) VALUES "
                "('a1', 'Support children in care', 'Ongoing – reported annually', 'Ongoing', 'CS > Section Two – Priorities'), "
                "('a2', 'Reduce absence', 'Ongoing', 'Ongoing', 'CS > Section Two – Priorities'), "
                "('a3', 'Attainment', 'Ongoing - reported annually', 'Ongoing', 'CS > Section One – Council')")
    quoted = Conditions(status=status_of(lower))
    assert keys_where(con, "actions", quoted) == ["a1", "a3"]
    assert keys_where(con, "actions", replace(quoted, groups=((CAPTION_GROUP, "Section Two – Priorities"),))) == ["a1"]
    assert "with due date 'ongoing – reported annually'" in " ".join(filters_text(quoted, semantics()["actions"]))
    con.close()


def test_rows_whose_field_is_given_are_selected(tmp_path: Path) -> None:
    """"How many actions actually have a start date filled in?": the rows with a start date."""
    from assistant.router.understand import _present

    assert _present("how many actions actually have a start date filled in?") == "start"
    assert _present("which kpis have a target set?") == "target"
    assert _present("which kpis have a target of 95%?") is None   # a value asked, not a field given
    con = empty_schema(tmp_path / "p.duckdb")
    con.execute("INSERT INTO actions (action_id, action, start_raw, start_date) VALUES "
                "('a1', 'Prepare for EU exit', 'August 2018', DATE '2018-08-01'), ('a2', 'Reduce absence', NULL, NULL)")
    assert keys_where(con, "actions", Conditions(present="start")) == ["a1"]
    con.close()
