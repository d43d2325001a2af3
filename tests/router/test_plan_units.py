"""Unit tests of the typed query-plan layer: recognisers, plans and their edits, the plan answerer
over a tiny hand-written DuckDB, the answer verifier, JSONL requests and conversations by id.

No model, no Chroma, no corpus ingest: the database is built here from SQL text (the schema's own
DDL plus a handful of INSERTs), so every figure asserted below can be checked by hand.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest

from assistant.config import Settings
from assistant.models import Answer, Filters
from assistant.router.answer_plan import PlanAnswerer
from assistant.router.cli import _jsonl
from assistant.router.context import Context, Reply
from assistant.router.data import Database
from assistant.router.plan import (QueryPlan, asks_only_fields, build_plan, edit_plan, measure_of, operation_of,
                                   picked_index, refers_to_rows)
from assistant.router.queries import Conditions
from assistant.router.semantic import semantics
from assistant.router.sessions import Sessions
from assistant.router.understand import DocumentInfo, Lexicon, Understanding, understand
from assistant.router.verify import (asked_attribute, asked_kind, counted_words, named_terms, one_of_a_list, states_kind,
                                     verify)
from assistant.router.extract import terms
from assistant.sql.schema import TABLES

CCP = "Commissioning, Communities and Policy"
ETE = "Economy, Transport and Environment"
COUNTY = "Derbyshire County Council"


# ============================================================================ a small lexicon

@pytest.fixture(scope="module")
def lex() -> Lexicon:
    """A hand-made lexicon (the shape `Database.lexicon()` builds from a real database)."""
    return Lexicon.build(
        people=[("Dean Wallace", ["Dean Wallace"], None), ("Emma Crapper", [], None)],
        departments=[(CCP, COUNTY), (ETE, COUNTY)],
        documents=[DocumentInfo("dcc-service-plans", "Service Plans 2020-21", COUNTY, "2020-21", "service plan")],
        groups={("procurements", "category"): ("ICT", "Legal Services")},
        common_words=frozenset({"the", "long"}))


def _scope(u: Understanding) -> Conditions:
    """The scope the router derives from a question's own words (no user filters)."""
    return Conditions(departments=u.departments, councils=u.councils, documents=u.documents)


def _plan(question: str, lexicon: Lexicon) -> QueryPlan | None:
    u = understand(question, lexicon)
    return build_plan(u, _scope(u), ())


def _edit(question: str, previous: QueryPlan, keys: tuple[str, ...], lexicon: Lexicon) -> QueryPlan | None:
    u = understand(question, lexicon)
    return edit_plan(u, previous, keys, _scope(u), ())


# ============================================================================ recognisers

@pytest.mark.parametrize("lower, expected", [
    ("largest procurement in ete", ("max", True)),
    ("what is the largest procurement in ete?", ("max", True)),
    ("cheapest contract", ("min", False)),
    ("who leads the most actions", ("group_top", True)),
    ("which department has the most contracts", ("group_top", True)),
    ("which department has the fewest actions", ("group_top", False)),
    ("what do they add up to", ("sum", True)),
    ("what is the total value of ict contracts?", ("sum", True)),
    ("average target", ("average", True)),
    ("earliest due", ("min", False)),
    ("longest running action", ("max", True)),
    ("which action is the latest to finish?", ("max", True)),
    ("ccp ict procurements - which one starts latest?", ("max", True)),   # the verb before the superlative
    ("which action finishes first?", ("min", False)),
    ("which division has the most negative recharges?", ("group_top", False)),   # the lowest figure
    ("the largest negative budget line", ("min", False)),
])
def test_operation_of_recognises_aggregate_wording(lower: str, expected: tuple[str, bool]) -> None:
    assert operation_of(lower) == expected


@pytest.mark.parametrize("lower", [
    "when is action 37 due?",
    "how many actions are there?",
    "total number of actions",          # a count, not a sum
    "who leads the channel shift strategy?",
    "and the daily average per 100k population?",   # a measure's own name, not an average of rows
])
def test_operation_of_is_none_for_non_aggregates(lower: str) -> None:
    assert operation_of(lower) is None


def test_operation_of_who_leads_the_fewest_is_a_group_top_ascending() -> None:
    # operation_of computes the direction of a who-group from _FEWEST, as it does for departments;
    # the who-group pattern must therefore accept "fewest" as well as "most".
    assert operation_of("who leads the fewest actions") == ("group_top", False)


@pytest.mark.parametrize("question, table, measure", [
    ("What is the largest procurement?", "procurements", "amount"),
    ("Which is the cheapest contract?", "procurements", "amount"),
    ("Which action is due earliest?", "actions", "due"),
    ("Which action starts earliest?", "actions", "start"),
    ("Which procurement is the earliest to start?", "procurements", "start"),  # its only date is a start
    ("Which procurement starts latest?", "procurements", "start"),
    ("What is the longest running action?", "actions", "span"),
    ("What is the highest KPI target?", "kpis", "target"),
    ("Which KPI has the highest latest figure?", "kpis", "latest"),
    ("What is the total budget?", "budget_lines", "amount"),
])
def test_measure_of_reads_the_value_the_wording_orders_by(question: str, table: str, measure: str,
                                                         lex: Lexicon) -> None:
    u = understand(question, lex)
    assert u.tables[0] == table
    assert measure_of(u.lower, semantics()[table], u) == measure


def test_measure_of_is_none_when_the_table_has_no_such_value(lex: Lexicon) -> None:
    u = understand("Which action is the most expensive?", lex)  # actions carry no amount
    assert measure_of(u.lower, semantics()["actions"], u) is None
    assert build_plan(u, _scope(u), ()) is None


@pytest.mark.parametrize("lower", ["target?", "and when is it due?", "who leads it?", "and the lead?", "cost?"])
def test_asks_only_fields_true_for_field_words_alone(lower: str) -> None:
    assert asks_only_fields(lower)


@pytest.mark.parametrize("lower", ["what about ete?", "which of those finish in 2021?", "", "and?",
                                   "who leads the channel shift strategy?"])
def test_asks_only_fields_false_for_anything_else(lower: str) -> None:
    assert not asks_only_fields(lower)


@pytest.mark.parametrize("lower, index", [
    ("the second one", 1), ("the last one", -1), ("the first one", 0), ("tell me about the 3rd contract", 2),
    ("number 3", 2), ("what about the fifth action?", 4),
])
def test_picked_index(lower: str, index: int) -> None:
    assert picked_index(lower) == index
    assert refers_to_rows(lower)


def test_no_pick_and_no_reference_in_a_standalone_question() -> None:
    assert picked_index("when is the channel shift strategy due?") is None
    assert not refers_to_rows("when is the channel shift strategy due?")
    assert refers_to_rows("which of those finish in 2021?")
    assert refers_to_rows("what do they add up to?")


# ============================================================================ build_plan

def test_build_plan_largest_procurement_in_a_department(lex: Lexicon) -> None:
    plan = _plan("What is the largest procurement in ETE?", lex)
    assert plan is not None
    d = plan.to_dict()
    assert d["operation"] == "max" and d["tables"] == ["procurements"] and d["measure"] == "amount"
    assert d["filters"] == {"departments": [ETE]}
    assert d["order"] == "desc" and d["limit"] == 1


def test_build_plan_cheapest_contract_is_min_ascending(lex: Lexicon) -> None:
    d = _plan("Which is the cheapest contract?", lex).to_dict()  # type: ignore[union-attr]
    assert (d["operation"], d["tables"], d["measure"], d["order"], d["filters"]) == \
        ("min", ["procurements"], "amount", "asc", {})


def test_build_plan_who_leads_the_most_actions(lex: Lexicon) -> None:
    d = _plan("Who leads the most actions?", lex).to_dict()  # type: ignore[union-attr]
    assert (d["operation"], d["tables"], d["group_by"], d["order"]) == ("group_top", ["actions"], "who", "desc")
    assert "measure" not in d  # counted, not summed


def test_build_plan_department_with_most_contracts_counts_and_by_value_sums(lex: Lexicon) -> None:
    by_count = _plan("Which department has the most contracts?", lex).to_dict()  # type: ignore[union-attr]
    assert (by_count["operation"], by_count["group_by"]) == ("group_top", "department")
    assert "measure" not in by_count
    by_value = _plan("Which department has the largest total value of contracts?", lex).to_dict()  # type: ignore[union-attr]
    assert (by_value["operation"], by_value["group_by"], by_value["measure"]) == ("group_top", "department", "amount")


def test_build_plan_sum_with_a_group_value(lex: Lexicon) -> None:
    d = _plan("What is the total value of ICT contracts?", lex).to_dict()  # type: ignore[union-attr]
    assert (d["operation"], d["tables"], d["measure"]) == ("sum", ["procurements"], "amount")
    assert json.loads(json.dumps(d))["filters"] == {"groups": [["category", "ICT"]]}  # the answer's JSON


def test_build_plan_kpi_year_is_the_value_period_not_a_row_date(lex: Lexicon) -> None:
    plan = _plan("What is the highest KPI target for 2020-21?", lex)
    assert plan is not None
    assert (plan.operation, plan.table, plan.measure, plan.period) == ("max", "kpis", "target", "2020-21")
    assert plan.conditions.dates == ()
    assert "dates" not in plan.to_dict()["filters"]


def test_build_plan_dates_and_span(lex: Lexicon) -> None:
    due = _plan("Which action is due earliest?", lex)
    assert due is not None and (due.operation, due.measure, due.descending) == ("min", "due", False)
    assert due.fields == ("due",)
    span = _plan("What is the longest running action?", lex)
    assert span is not None and (span.operation, span.measure) == ("max", "span")


def test_build_plan_average_of_kpi_targets(lex: Lexicon) -> None:
    plan = _plan("What is the average target of the KPIs?", lex)
    assert plan is not None and (plan.operation, plan.table, plan.measure) == ("average", "kpis", "target")


@pytest.mark.parametrize("question", [
    "When is action 37 due?",                  # a single row's fact
    "What is the council's ambition?",         # prose
    "Which procurements are over £5m?",        # a list, not an aggregate
])
def test_build_plan_none_for_non_aggregates(question: str, lex: Lexicon) -> None:
    assert _plan(question, lex) is None


# ============================================================================ edit_plan (follow-ups)

KEYS = ("p1", "p2", "p3")


@pytest.fixture()
def listed_actions() -> QueryPlan:
    return QueryPlan("list", "actions", Conditions(departments=(ETE,)), reason="list")


@pytest.fixture()
def largest_contract() -> QueryPlan:
    return QueryPlan("max", "procurements", Conditions(departments=(ETE,)), measure="amount", reason="max")


def test_follow_up_which_of_those_finish_in_a_year(listed_actions: QueryPlan, lex: Lexicon) -> None:
    plan = _edit("Which of those finish in 2021?", listed_actions, KEYS, lex)
    assert plan is not None
    d = plan.to_dict()
    assert d["operation"] == "list" and d["tables"] == ["actions"]
    assert plan.conditions.keys == KEYS and d["filters"]["rows"] == 3
    assert d["filters"]["dates"] == {"role": "due", "periods": ["2021"]}


def test_follow_up_only_the_ccp_ones_adds_a_department(listed_actions: QueryPlan, lex: Lexicon) -> None:
    plan = _edit("only the CCP ones", listed_actions, KEYS, lex)
    assert plan is not None
    assert plan.operation == "list"
    assert plan.conditions.keys == KEYS and plan.conditions.departments == (CCP,)


def test_follow_up_most_expensive_of_those_is_max_over_the_keys(largest_contract: QueryPlan, lex: Lexicon) -> None:
    plan = _edit("What is the most expensive of those?", largest_contract, KEYS, lex)
    assert plan is not None
    assert (plan.operation, plan.table, plan.measure, plan.descending) == ("max", "procurements", "amount", True)
    assert plan.conditions.keys == KEYS


def test_follow_up_they_add_up_is_a_sum_over_the_keys(largest_contract: QueryPlan, lex: Lexicon) -> None:
    plan = _edit("what do they add up to?", largest_contract, KEYS, lex)
    assert plan is not None and (plan.operation, plan.measure) == ("sum", "amount")
    assert plan.conditions.keys == KEYS


@pytest.mark.parametrize("question, pick", [("the first one", 0), ("and the second one?", 1), ("the last one", -1)])
def test_follow_up_picking_a_row_is_a_lookup(question: str, pick: int, largest_contract: QueryPlan,
                                             lex: Lexicon) -> None:
    plan = _edit(question, largest_contract, KEYS, lex)
    assert plan is not None
    assert (plan.operation, plan.pick, plan.conditions.keys) == ("lookup", pick, KEYS)
    assert plan.to_dict()["pick"] == pick


def test_follow_up_what_about_replaces_the_department(largest_contract: QueryPlan, lex: Lexicon) -> None:
    previous = QueryPlan("max", "procurements", Conditions(departments=(CCP,), keys=KEYS), measure="amount")
    plan = _edit("what about ETE?", previous, KEYS, lex)
    assert plan is not None
    assert (plan.operation, plan.measure) == ("max", "amount")       # the same question...
    assert plan.conditions.departments == (ETE,)                     # ...in the other department
    assert plan.conditions.keys == ()                                # over all its rows, not the previous ones


def test_follow_up_what_about_a_row_keeps_the_carried_department_and_filters_by_its_words(lex: Lexicon) -> None:
    """"What about performance and quality?" after a max in CCP: the department carried over is no new
    scope, so the topic words pick the rows."""
    previous = QueryPlan("max", "procurements", Conditions(departments=(CCP,), keys=KEYS), measure="amount")
    u = understand("what about performance and quality?", lex)
    plan = edit_plan(u, previous, KEYS, Conditions(departments=(CCP,)), ("perform", "qualiti"))
    assert plan is not None and plan.conditions.departments == (CCP,)
    assert plan.conditions.contains == ("perform", "qualiti")


def test_field_follow_up_may_name_a_column_of_a_long_form_table() -> None:
    assert asks_only_fields("and its premises?", ("Premises",))
    assert asks_only_fields("supplies & services?", ("Supplies and Services",))   # "&" is "and"
    assert asks_only_fields("and its agency and contracted services?", ("Agency and Contracted Services",))
    assert not asks_only_fields("and its premises in ete?", ("Premises",))
    assert not asks_only_fields("and its premises?")


def test_follow_up_how_many_of_those_counts_the_keys(listed_actions: QueryPlan, lex: Lexicon) -> None:
    plan = _edit("how many of those are there?", listed_actions, KEYS, lex)
    assert plan is not None and plan.operation == "count" and plan.conditions.keys == KEYS


def test_follow_up_which_of_them_are_a_word_filters_the_rows_by_it(listed_actions: QueryPlan, lex: Lexicon) -> None:
    """"Which of them are elvaston?": with no other filter, the follow-up's topic words pick the rows."""
    u = understand("which of them are elvaston?", lex)
    plan = edit_plan(u, listed_actions, KEYS, _scope(u), (), ("elvaston",))
    assert plan is not None and plan.operation == "list"
    assert plan.conditions.keys == KEYS and plan.conditions.contains == ("elvaston",)
    dated = edit_plan(understand("which of them finish in 2021?", lex), listed_actions, KEYS, Conditions(), (), ("finish",))
    assert dated is not None and dated.conditions.contains == ()   # a date filters; its verb is no topic


def test_follow_up_which_of_those_are_a_sum_picks_rows_of_that_value(largest_contract: QueryPlan,
                                                                      lex: Lexicon) -> None:
    plan = _edit("which of those are £150k?", largest_contract, KEYS, lex)
    assert plan is not None and plan.operation == "list" and plan.conditions.keys == KEYS
    assert [(a.op, a.value) for a in plan.conditions.amounts] == [("=", 150_000)]


def test_build_plan_department_with_most_income_sums_it(lex: Lexicon) -> None:
    """"The most grant income" is a total of money per department, not a number of rows."""
    plan = _plan("Which department has the most grant income in its contracts?", lex)
    assert plan is not None and (plan.operation, plan.group_by, plan.measure) == ("group_top", "department", "amount")


def test_a_new_question_does_not_edit_the_previous_plan(listed_actions: QueryPlan, lex: Lexicon) -> None:
    assert _edit("Who leads the channel shift strategy?", listed_actions, KEYS, lex) is None
    assert _edit("Which of those finish in 2021?", listed_actions, (), lex) is None  # nothing to refer to


# ============================================================================ a tiny database

#: The source document the rows cite, one line per row (line numbers are 1-based).
SOURCE_LINES = [
    "Service Plans 2020-21",                                               # 1
    "Economy, Transport and Environment",                                  # 2
    "Highways maintenance framework\t£12m\t2020",                          # 3
    "Library software\t£50,000\t2021",                                     # 4
    "Street lighting upgrade\t£3m\t2021",                                  # 5
    "Budget\tNet Budget £'000",                                            # 6
    "Highways\t4,000",                                                     # 7
    "Transport\t2,500",                                                    # 8
    "TOTAL\t6,600",                                                        # 9
    "Commissioning, Communities and Policy",                               # 10
    "Fleet vehicles lease\t£2m\t2020",                                     # 11
    "Legal advice panel\t£50,000\t2021",                                   # 12
    "Actions",                                                             # 13
    "1\tDeliver the channel shift strategy\tDean Wallace\tApril 2020\tMarch 2021",          # 14
    "2\tReview library services\tDean Wallace, Emma Crapper\tMay 2020\tDecember 2021",       # 15
    "3\tPublish the climate plan\tEmma Crapper\tJanuary 2020\tJune 2020",                    # 16
    "4\tUpgrade the web site\tDean Wallace\tJanuary 2019\tMarch 2022",                       # 17
    "KPIs",                                                                # 18
    "Invoices paid on time\t95%",                                          # 19
    "Staff appraisals completed\t85%",                                     # 20
    "Fleet vehicles lease\t£2m\t2020",                                     # 21 (the same contract again)
]

PROV = "doc_id, file, council, department, section_path, line_start, line_end"


def _prov(file: str, department: str, line: int) -> str:
    return f"'d1', '{file}', '{COUNTY}', '{department}', '{department} > Plan', {line}, {line}"


def _build(path: Path, source: Path) -> None:
    import duckdb

    import hashlib

    f = str(source)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()  # citations read only ingested, unchanged files
    con = duckdb.connect(str(path))
    try:
        for table in TABLES:
            con.execute(table.ddl())
        statements = [
            f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) VALUES "
            f"('d1', '{f}', 'Service Plans 2020-21', '{COUNTY}', '2020-21', 'service plan', '{digest}', "
            f"{len(SOURCE_LINES)}, 'text')",
            f"INSERT INTO sections (section_id, doc_id, file, level, heading, section_path, department, council, "
            f"line_start, line_end, text) VALUES "
            f"('s1', 'd1', '{f}', 1, '{ETE}', '{ETE}', '{ETE}', '{COUNTY}', 2, 9, 'Highways and transport'), "
            f"('s2', 'd1', '{f}', 1, '{CCP}', '{CCP}', '{CCP}', '{COUNTY}', 10, 21, 'Fleet and legal')",
            "INSERT INTO people (person_id, name, aliases, title) VALUES "
            "('pe1', 'Dean Wallace', ['Dean Wallace'], NULL), ('pe2', 'Emma Crapper', ['Emma Crapper'], NULL)",
            # procurements: a unique largest, a tie for the smallest, one contract listed twice
            f"INSERT INTO procurements (procurement_id, category, title, value_raw, value, {PROV}) VALUES "
            f"('p1', 'Highways', 'Highways maintenance framework', '£12m', 12000000, {_prov(f, ETE, 3)}), "
            f"('p2', 'ICT', 'Library software', '£50,000', 50000, {_prov(f, ETE, 4)}), "
            f"('p3', NULL, 'Street lighting upgrade', '£3m', 3000000, {_prov(f, ETE, 5)}), "
            f"('p4', 'Fleet', 'Fleet vehicles lease', '£2m', 2000000, {_prov(f, CCP, 11)}), "
            f"('p5', 'Legal Services', 'Legal advice panel', '£50,000', 50000, {_prov(f, CCP, 12)}), "
            f"('p6', 'Fleet', 'Fleet vehicles lease', '£2m', 2000000, {_prov(f, CCP, 21)})",
            # budget lines whose printed TOTAL (6,600) is not the sum of the lines shown (6,500)
            f"INSERT INTO budget_lines (budget_id, line_item, measure, period, raw, amount, is_total, {PROV}) VALUES "
            f"('b1', 'Highways', 'Net Budget', '2020-21', '4,000', 4000000, false, {_prov(f, ETE, 7)}), "
            f"('b2', 'Transport', 'Net Budget', '2020-21', '2,500', 2500000, false, {_prov(f, ETE, 8)}), "
            f"('b3', 'TOTAL', 'Net Budget', '2020-21', '6,600', 6600000, true, {_prov(f, ETE, 9)})",
            f"INSERT INTO actions (action_id, ref, action, lead_raw, leads, start_raw, start_date, start_date_end, "
            f"complete_raw, complete_date, complete_date_end, {PROV}) VALUES "
            f"('a1', '1', 'Deliver the channel shift strategy', 'Dean Wallace', ['Dean Wallace'], 'April 2020', "
            f"DATE '2020-04-01', DATE '2020-04-30', 'March 2021', DATE '2021-03-01', DATE '2021-03-31', {_prov(f, CCP, 14)}), "
            f"('a2', '2', 'Review library services', 'Dean Wallace, Emma Crapper', ['Dean Wallace', 'Emma Crapper'], "
            f"'May 2020', DATE '2020-05-01', DATE '2020-05-31', 'December 2021', DATE '2021-12-01', DATE '2021-12-31', "
            f"{_prov(f, CCP, 15)}), "
            f"('a3', '3', 'Publish the climate plan', 'Emma Crapper', ['Emma Crapper'], 'January 2020', "
            f"DATE '2020-01-01', DATE '2020-01-31', 'June 2020', DATE '2020-06-01', DATE '2020-06-30', {_prov(f, ETE, 16)}), "
            f"('a4', '4', 'Upgrade the web site', 'Dean Wallace', ['Dean Wallace'], 'January 2019', "
            f"DATE '2019-01-01', DATE '2019-01-31', 'March 2022', DATE '2022-03-01', DATE '2022-03-31', {_prov(f, CCP, 17)})",
            f"INSERT INTO kpis (kpi_id, description, responsible_raw, responsible, {PROV}) VALUES "
            f"('k1', 'Invoices paid on time', 'Dean Wallace', ['Dean Wallace'], {_prov(f, CCP, 19)}), "
            f"('k2', 'Staff appraisals completed', 'Emma Crapper', ['Emma Crapper'], {_prov(f, CCP, 20)})",
            "INSERT INTO kpi_values (kpi_id, period, kind, raw, value, unit, line_start) VALUES "
            "('k1', '2020-21', 'target', '95%', 95, '%', 19), ('k2', '2020-21', 'target', '85%', 85, '%', 20), "
            "('k1', '2019-20', 'actual', '91%', 91, '%', 19), "
            # the latest and the figure printed as its previous: k1 down 3 points, k2 up 10
            "('k1', 'Q3 2020-21', 'latest', '93%', 93, '%', 19), ('k1', 'previous', 'previous', '96%', 96, '%', 19), "
            "('k2', 'Q3 2020-21', 'latest', '80%', 80, '%', 20), ('k2', 'previous', 'previous', '70%', 70, '%', 20)",
        ]
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def open_tiny(home: Path) -> tuple[Database, str]:
    """A Database over the hand-written DuckDB file built in `home`, and the source file its rows cite."""
    source = home / "service-plans.txt"
    source.write_text("\n".join(SOURCE_LINES) + "\n", encoding="utf-8")
    settings = Settings(home=home)
    _build(settings.db_path, source)
    return Database(settings), str(source)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str]]:
    """A Database over a hand-written DuckDB file, and the path of the source file its rows cite."""
    db, source = open_tiny(tmp_path_factory.mktemp("tinyplan"))
    yield db, source
    db.close()


def _answer(tiny: tuple[Database, str], plan: QueryPlan, question: str = "q?") -> Reply:
    db, _ = tiny
    reply = PlanAnswerer(db).answer(question, plan, Context())
    assert reply is not None, f"no answer for {plan}"
    return reply


def _cited_lines(answer: Answer, source: str) -> set[int]:
    assert answer.citations, "an answer from rows cites them"
    for c in answer.citations:
        assert c.file == source and c.line_start >= 1 and c.line_end >= c.line_start
        assert c.quote == SOURCE_LINES[c.line_start - 1].replace("\t", " | ")  # quoted from the cited line
        assert c.title == "Service Plans 2020-21"
    return {c.line_start for c in answer.citations}


def _max(table: str, measure: str, descending: bool = True, **cond: Any) -> QueryPlan:
    return QueryPlan("max" if descending else "min", table, Conditions(**cond), measure=measure,  # type: ignore[arg-type]
                     descending=descending, reason="test")


def test_tiny_database_lexicon_is_read(tiny: tuple[Database, str]) -> None:
    db, _ = tiny
    lexicon = db.lexicon()
    assert {p.name for p in lexicon.people} == {"Dean Wallace", "Emma Crapper"}
    assert {d.name for d in lexicon.departments} == {CCP, ETE}
    assert db.doc_titles() == {"d1": "Service Plans 2020-21"}


def test_highest_of_any_kind_of_kpi_value(tiny: tuple[Database, str]) -> None:
    """"Which KPI had the highest previous figure": a kind of value the values table holds other than a
    target, latest or actual is read from it too (once an error: "kpis has no date to order by")."""
    a = _answer(tiny, _max("kpis", "previous")).answer
    first = a.answer.splitlines()[0]
    assert "highest previous" in first and "Invoices paid on time" in first and "previous 96%" in first
    assert "for previous" not in first


def test_kpis_ranked_by_their_latest_less_their_target(tmp_path: Path) -> None:
    """"Which KPI is furthest below target": the latest less the target of the same period, ranked."""
    from assistant.router.plan import ranked_by_gap

    assert ranked_by_gap("of the e&t percentage kpis, which one sits furthest above its floor?") == ("floor", True)
    assert ranked_by_gap("which kpi is furthest below target?") == ("target", False)
    assert ranked_by_gap("what is the floor for foster households?") is None
    import duckdb

    home = tmp_path / "gap"
    home.mkdir()
    db, source = open_tiny(home)
    db.close()
    con = duckdb.connect(str(Settings(home=home).db_path))   # targets of the latest's own quarter
    con.execute("INSERT INTO kpi_values (kpi_id, period, kind, raw, value, unit, line_start) VALUES "
                "('k1', 'Q3 2020-21', 'target', '95%', 95, '%', 19), ('k2', 'Q3 2020-21', 'target', '90%', 90, '%', 20)")
    con.close()
    plan = QueryPlan("min", "kpis", Conditions(), measure="change", descending=False, against="target", reason="test")
    assert plan.to_dict()["against"] == "target" and plan.to_dict()["measure"] == "change"
    gapped = Database(Settings(home=home))
    first = _answer((gapped, source), plan).answer.answer.splitlines()[0]
    gapped.close()
    assert "furthest below its target" in first and "Staff appraisals completed" in first
    assert "latest 80% for Q3 2020-21 against the target 90%: 10 percentage points below" in first


def test_largest_contract_and_its_figure(tiny: tuple[Database, str]) -> None:
    reply = _answer(tiny, _max("procurements", "amount"))
    a = reply.answer
    first = a.answer.splitlines()[0]
    assert "Highways maintenance framework" in first and "£12m" in first
    assert "largest" in first
    # ordered by the value (a column of credits only, by the most negative)
    assert a.route == "sql" and a.sql and "ORDER BY (CASE WHEN max(t.value) OVER () <= 0 THEN -t.value ELSE t.value " \
        "END) DESC" in a.sql
    assert 3 in _cited_lines(a, tiny[1])
    assert reply.context.keys == ("p1",) and reply.context.table == "procurements"


def test_largest_contract_within_a_department(tiny: tuple[Database, str]) -> None:
    a = _answer(tiny, _max("procurements", "amount", departments=(ETE,))).answer
    assert "Highways maintenance framework" in a.answer.splitlines()[0]
    assert "department IN ('Economy, Transport and Environment')" in (a.sql or "")
    assert {r[a.columns.index("department")] for r in a.rows} == {ETE}


def test_smallest_contracts_tie_and_both_are_named(tiny: tuple[Database, str]) -> None:
    reply = _answer(tiny, _max("procurements", "amount", descending=False))
    text = reply.answer.answer
    assert text.startswith("2 contracts share the smallest value (£50,000)")
    assert "Library software" in text and "Legal advice panel" in text
    assert {4, 12} <= _cited_lines(reply.answer, tiny[1])
    assert set(reply.context.keys) == {"p2", "p5"}


def test_a_contract_listed_twice_is_one_largest_contract(tiny: tuple[Database, str]) -> None:
    # in CCP the largest value (£2m) belongs to one contract printed twice: one answer, not a tie
    reply = _answer(tiny, _max("procurements", "amount", departments=(CCP,)))
    first = reply.answer.answer.splitlines()[0]
    assert first.startswith("The largest contract") and "Fleet vehicles lease" in first
    assert "share" not in reply.answer.answer
    assert reply.answer.answer.count("Fleet vehicles lease") == 1
    assert "Legal advice panel" in reply.answer.answer  # the runner-up


def test_sum_counts_an_item_listed_twice_once_and_says_so(tiny: tuple[Database, str]) -> None:
    plan = QueryPlan("sum", "procurements", Conditions(departments=(CCP,)), measure="amount", reason="test")
    reply = _answer(tiny, plan)
    text = reply.answer.answer
    assert "£2,050,000" in text            # 2,000,000 + 50,000, the lease once
    assert "£4,050,000" not in text        # not the lease twice
    assert "The 2 contracts" in text
    assert "1 repeated listing" in text and "Fleet vehicles lease" in text
    assert {11, 12} <= _cited_lines(reply.answer, tiny[1])
    assert reply.answer.sql and "SELECT" in reply.answer.sql


def test_sum_over_every_contract(tiny: tuple[Database, str]) -> None:
    plan = QueryPlan("sum", "procurements", Conditions(), measure="amount", reason="test")
    text = _answer(tiny, plan).answer.answer
    # 12m + 50k + 3m + 2m + 50k: the two £50,000 contracts have different titles and both count
    assert "£17,100,000" in text and "The 5 contracts" in text


def test_sum_of_budget_lines_quotes_the_printed_total(tiny: tuple[Database, str]) -> None:
    plan = QueryPlan("sum", "budget_lines", Conditions(), measure="amount", reason="test")
    reply = _answer(tiny, plan)
    text = reply.answer.answer
    assert text.startswith("The total as printed in the document")
    assert "6,600" in text and "£6,600,000" in text
    assert "£13,100,000" not in text and "£6,500,000" not in text  # neither re-added nor the lines' sum
    assert _cited_lines(reply.answer, tiny[1]) == {9}               # the TOTAL row itself
    assert "printed total" in reply.answer.explanation


def test_average_of_contract_values_ignores_nothing_but_repeats(tiny: tuple[Database, str]) -> None:
    plan = QueryPlan("average", "procurements", Conditions(departments=(CCP,)), measure="amount", reason="test")
    text = _answer(tiny, plan).answer.answer
    assert "£1,025,000" in text  # (2,000,000 + 50,000) / 2


def test_group_top_names_who_leads_the_most_actions(tiny: tuple[Database, str]) -> None:
    plan = QueryPlan("group_top", "actions", Conditions(), group_by="who", limit=3, reason="test")
    reply = _answer(tiny, plan)
    text = reply.answer.answer
    assert text.startswith("Dean Wallace leads the most actions: 3 actions.")
    assert "Emma Crapper (2)" in text
    assert reply.answer.rows[0] == ("Dean Wallace", 3)
    assert _cited_lines(reply.answer, tiny[1]) == {14, 15, 17}  # Dean Wallace's actions
    assert reply.context.people == ("Dean Wallace",)
    assert reply.answer.sql and "unnest(t.leads)" in reply.answer.sql


def test_group_top_by_department_counts_contracts(tiny: tuple[Database, str]) -> None:
    # p1-p5: three ETE contracts and two CCP ones (p6, the lease printed again, left out)
    keys = ("p1", "p2", "p3", "p4", "p5")
    plan = QueryPlan("group_top", "procurements", Conditions(keys=keys), group_by="department", limit=3,
                     reason="test")
    reply = _answer(tiny, plan)
    assert reply.answer.rows == ((ETE, 3), (CCP, 2))
    assert reply.answer.answer.startswith(f"{ETE} has the most contracts")
    assert _cited_lines(reply.answer, tiny[1]) == {3, 4, 5}  # the leader's rows
    fewest = _answer(tiny, replace(plan, descending=False)).answer
    assert fewest.rows[0] == (CCP, 2) and fewest.answer.startswith(f"{CCP} has the fewest contracts")


def test_group_top_by_value_counts_a_contract_listed_twice_once(tiny: tuple[Database, str]) -> None:
    # the sum answer counts the CCP lease printed twice once (£2,050,000); the department ranking by
    # total value must give CCP the same figure, not £4,050,000
    plan = QueryPlan("group_top", "procurements", Conditions(), measure="amount", group_by="department", limit=3,
                     reason="test")
    reply = _answer(tiny, plan)
    assert reply.answer.answer.startswith(f"{ETE} has the largest total value")
    assert "£15,050,000" in reply.answer.answer
    assert dict(reply.answer.rows)[CCP] == 2_050_000, reply.answer.answer


def test_group_totals_of_a_column_printed_negative_rank_the_largest_sum_first(tiny: tuple[Database, str]) -> None:
    """Income printed as negative figures: "the most grant income" is the largest sum, not the nearest 0."""
    sem = semantics()["budget_lines"]
    rows = [{"budget_id": f"g{i}", "line_item": item, "measure": "Grants", "amount": amount, "department": dept,
             "is_total": False, "line_start": i, "doc_id": "d1"}
            for i, (item, amount, dept) in enumerate([("Schools", -700.0, CCP), ("Other", -50.0, CCP),
                                                      ("Roads", -300.0, ETE), ("Waste", 0.0, ETE)])]
    plan = QueryPlan("group_top", "budget_lines", Conditions(), measure="amount", group_by="department")
    totals = PlanAnswerer(tiny[0], 100)._deduped_group_totals(sem, plan, rows)
    assert totals == [(CCP, -750.0), (ETE, -300.0)]
    spend = [dict(r, amount=-r["amount"]) for r in rows]   # figures of either sign: the largest is the most
    assert PlanAnswerer(tiny[0], 100)._deduped_group_totals(sem, plan, spend)[0] == (CCP, 750.0)


def test_earliest_due_and_longest_running_action(tiny: tuple[Database, str]) -> None:
    due = _answer(tiny, _max("actions", "due", descending=False)).answer
    assert "Publish the climate plan" in due.answer.splitlines()[0] and "June 2020" in due.answer
    assert 16 in _cited_lines(due, tiny[1])
    span = _answer(tiny, _max("actions", "span")).answer
    first = span.answer.splitlines()[0]
    assert "Upgrade the web site" in first and "January 2019" in first and "March 2022" in first


def test_highest_kpi_target_for_a_period(tiny: tuple[Database, str]) -> None:
    plan = QueryPlan("max", "kpis", Conditions(), measure="target", period="2020-21", reason="test")
    a = _answer(tiny, plan).answer
    assert "Invoices paid on time" in a.answer.splitlines()[0] and "95%" in a.answer
    assert "2020-21" in a.answer
    assert 19 in _cited_lines(a, tiny[1])


def test_list_and_count_over_previous_keys(tiny: tuple[Database, str]) -> None:
    db, source = tiny
    plan = QueryPlan("list", "actions", Conditions(keys=("a4", "a1")), reason="test")
    reply = PlanAnswerer(db).answer("which of those?", plan, Context(table="actions", keys=("a4", "a1")))
    assert reply is not None
    assert reply.answer.answer.startswith("There are 2 actions among the previous answer's rows")
    assert reply.context.keys == ("a4", "a1")  # the previous answer's order kept
    assert _cited_lines(reply.answer, source) == {14, 17}


def test_plans_from_questions_end_to_end_on_the_tiny_lexicon(tiny: tuple[Database, str]) -> None:
    db, source = tiny
    lexicon = db.lexicon()
    for question, expected in [("What is the largest procurement in ETE?", "Highways maintenance framework"),
                               ("Who leads the most actions?", "Dean Wallace leads the most actions"),
                               ("What is the total budget?", "£6,600,000")]:
        u = understand(question, lexicon)
        plan = build_plan(u, _scope(u), ())
        assert plan is not None, question
        reply = PlanAnswerer(db).answer(question, plan, Context())
        assert reply is not None and expected in reply.answer.answer, question
        assert reply.answer.citations and reply.answer.sql


def test_follow_up_edits_run_on_the_tiny_database(tiny: tuple[Database, str]) -> None:
    db, source = tiny
    lexicon = db.lexicon()
    actions = QueryPlan("list", "actions", Conditions(), reason="list")
    plan = _edit("Which of those finish in 2021?", actions, ("a1", "a2", "a3", "a4"), lexicon)
    assert plan is not None
    reply = PlanAnswerer(db).answer("Which of those finish in 2021?", plan, Context())
    assert reply is not None and set(reply.context.keys) == {"a1", "a2"}  # March and December 2021
    assert _cited_lines(reply.answer, source) == {14, 15}
    contracts = _max("procurements", "amount", departments=(CCP,))
    plan = _edit("what do they add up to?", contracts, ("p4", "p5", "p6"), lexicon)
    assert plan is not None and plan.operation == "sum"
    reply = PlanAnswerer(db).answer("what do they add up to?", plan, Context())
    assert reply is not None and "£2,050,000" in reply.answer.answer and "repeated listing" in reply.answer.answer


def test_a_plan_with_no_matching_rows_gives_no_answer(tiny: tuple[Database, str]) -> None:
    db, _ = tiny
    plan = _max("procurements", "amount", departments=("No Such Department",))
    assert PlanAnswerer(db).answer("q?", plan, Context()) is None


# ============================================================================ verify

@pytest.mark.parametrize("question, kind", [
    ("how much did the highways framework cost?", "money"),
    ("what is the cost of the fleet lease?", "money"),
    ("what is the budget for the market hall refurbishment?", "money"),
    ("how many actions does dean wallace lead?", "count"),
    ("when is the channel shift strategy due?", "date"),
    ("what percentage of invoices are paid on time?", "percent"),
    ("who leads the channel shift strategy?", None),
    ("how much progress has been made?", None),
    ("how much is the ram energy tariff per kwh?", "amount"),   # an amount: at least a number
    ("what did the pothole blitz programme cost?", "money"),
    ("ltp5 - what date did county council approve it?", "date"),   # the ask after the subject
    ("number of initial requests for an ehc assessment in q3?", "count"),
    ("highways - number of potholes fixed?", "count"),
    ("what is the number one priority?", None),
    ("how long is the mortuary services contract for?", "duration"),
    ("how long is the new foot bridge on the a52?", None),        # a length, not a time
    ("budget for derby's councillor portal?", "money"),
    ("how much is adult care spending on the home from hospital service?", "money"),   # not a share
    ("how much of the £40m is going to chesterfield?", "amount"),   # a share of a sum is a figure
    ("how much of the budget is left?", None),
    ("what's the build cost of the new care centre in belper?", "money"),   # a kind of cost
    ("how much does ccp expect to make from advertising?", "money"),   # income made is money
    ("what's the contract value for the autism advice service?", "money"),
    ("what is the latest value of the recycling kpi?", "amount"),   # a measure's value is no sum of money
    ("whats the target number of keep safe cards?", "count"),
    ("what is the new fine for breaching a permit condition, in pounds?", "money"),
    ("what's the charge for a replacement bus pass?", "money"),
    ("what are the new treatment contracts starting 1 feb 2025 worth?", "money"),   # what a thing is worth
    ("what is worth doing about fly-tipping?", None),
])
def test_asked_kind(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


def test_verify_a_national_figure_asked_needs_an_answer_that_says_whose_figure_it_is() -> None:
    """"The england average re-referral rate to compare with our 22.2%": Kent's own figures are no answer."""
    question = "what's the england average re-referral rate for 2024/25 to compare with our 22.2%?"
    own = verify(question, "The rate of re-referrals was 22.2%, compared to 23.4% the previous Quarter.", "", Lexicon(),
                 passage=True)
    assert not own.ok and own.code == "field_not_given"
    assert verify("how does Kent's rate compare with national?", "501 per 100,000 in Kent, against 392 nationally.", "",
                  Lexicon(), passage=True).ok


def test_verify_a_sum_said_beside_the_thing_asked_about_is_no_answer() -> None:
    """"What will the new real time information bus screens cost?": a sum in the next sentence, of a BSIP allocation,
    is not their cost; a table row's figure is its row's, and a sentence pointing back is of the one before."""
    question = "what will the new real time information bus screens cost?"
    beside = verify(question, "Real Time Information screens are coming shortly. In late 2024 the team learnt of a new "
                              "BSIP allocation for 2025/26 of £23.1m.", "", Lexicon(), passage=True)
    assert not beside.ok and beside.code == "figure_not_about_subject"
    assert verify(question, "The Real Time Information screens will cost £1.2m.", "", Lexicon(), passage=True).ok
    assert verify("how much does the cloud management service save", "Tender for a new cloud management service. | "
                  "Preferred supplier identified. This will reduce support costs by around £600,000 per year.", "",
                  Lexicon(), passage=True).ok


def test_verify_a_passage_answering_how_many_with_only_money_is_refused() -> None:
    question = "How many visitors did the Crescent get in its first year?"
    passage = verify(question, "Buxton Museum – £70,000.", "", Lexicon(), passage=True)
    assert not passage.ok and passage.code == "wrong_value_kind"
    assert verify(question, "It attracted over 50,000 visitors.", "", Lexicon(), passage=True).ok
    assert verify(question, "The Crescent had eight thousand visitors.", "", Lexicon(), passage=True).ok
    # a number of other things, in a sentence with none of the words asked, is no answer
    other = verify(question, "The Crescent opened in 2020. Eight schemes were completed.", "", Lexicon(), passage=True)
    assert not other.ok and other.code == "wrong_value_kind"
    # a table's answer may count in money ("3 contracts totalling £5m"): only passages are held to it
    assert verify(question, "Buxton Museum – £70,000.", "", Lexicon()).ok
    # a table row's cells are one sentence: its figures count the thing its first cell names
    row = "The number of Learning Disability Clients accessing Shared Lives Schemes | 79 | 98 | Monitor."
    assert verify("how many clients use shared lives now?", row, "", Lexicon(), passage=True).ok
    # sums of money are no numbers of visitors, however they are written
    for money in ("The Crescent cost £70,000.", "The Crescent cost £5 million.", "The Crescent cost £5.4m."):
        assert not verify(question, money, "", Lexicon(), passage=True).ok


def test_verify_a_passage_s_figure_must_be_said_of_the_thing_named() -> None:
    question = "How much money is in the Green Action Grants pot?"
    beside = ("Completed the £8.4m pot hole fund investment programme. Launched the Green Action Grants programme "
              "and provided funding to communities.")
    verdict = verify(question, beside, "", Lexicon(), passage=True)
    assert not verdict.ok and verdict.code == "figure_not_about_subject"
    assert verify(question, "The Green Action Grants pot is £1m.", "", Lexicon(), passage=True).ok
    # a sentence that opens by pointing back is about the subject of the one before it
    assert verify(question, "Launched the Green Action Grants pot. It holds £1m for communities.", "", Lexicon(),
                  passage=True).ok
    # typed in lower case: the words the documents only write with a capital are the names
    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            vocabulary=frozenset("green action grants pot hole fund completed the".split()),
                            common_words=frozenset("pot hole fund completed the".split()))
    lower = verify(question.lower(), beside, "", lexicon, passage=True)
    assert not lower.ok and lower.code == "figure_not_about_subject"


def test_verify_a_figure_per_unit_needs_that_unit() -> None:
    asked = "What price per unit was the energy tariff offering?"
    refused = verify(asked, "People will be able to sign up for a competitive tariff from 2017.", "", Lexicon())
    assert not refused.ok and refused.code == "wrong_value_kind"
    assert verify(asked, "It offered 14.2p per unit.", "", Lexicon()).ok
    # the unit named beside another figure is no figure for one of it
    per_tonne = "what's the landfill tax rate per tonne?"
    assert not verify(per_tonne, "It cut 6,000 tonnes of CO2, a £2 million saving.", "", Lexicon()).ok
    assert verify(per_tonne, "Landfill tax is £94.15 a tonne.", "", Lexicon()).ok
    # "per head" is an average, "per the surveys" is "according to": no unit asked
    assert verify("how many sick days per head in 2018-19", "10.79 days in 2018-19", "", Lexicon()).ok
    assert verify("annual spend needed per the condition surveys?", "£12.7m a year", "", Lexicon()).ok


def test_verify_the_attribute_asked_of_something_must_be_named_when_rare() -> None:
    """"What's the salary of the Executive Director": a passage naming the director but no salary is no answer."""
    lexicon = Lexicon.build(people=[], departments=[], documents=[], df={"salari": 1, "director": 40}, n_units=1000)
    question = "What's the salary of the Executive Director for Economy?"
    refused = verify(question, "Executive Director – Economy, Transport and Environment.", "", lexicon)
    assert not refused.ok and refused.code == "rare_words_missing"
    assert verify(question, "The Executive Director for Economy's salary is £120,000.", "", lexicon).ok


def test_verify_the_attribute_asked_of_a_possessor_is_its_last_word() -> None:
    """"What's Derbyshire's weekly foster carer allowance?": the allowance is what an answer must name."""
    assert asked_attribute("what's derbyshire's weekly foster carer allowance?") == ["allow"]
    assert asked_attribute("what's ete's net budget?") == []   # a row's field, given under its own words
    lexicon = Lexicon.build(people=[], departments=[], documents=[], df={"allow": 2, "foster": 40}, n_units=1000)
    refused = verify("what's derbyshire's weekly foster carer allowance?",
                     "Improved utilisation of council foster carers.", "", lexicon)
    assert not refused.ok and refused.code == "rare_words_missing"


def test_verify_a_row_of_an_average_or_a_share_is_no_count() -> None:
    """A row measuring an average or a share of things gives no number of them, unless that is what is asked."""
    row = "Latest 2019-20 for Average number of days between a child entering care and moving in: 496."
    refused = verify("How many children were adopted in 2019-20?", row, "", Lexicon(), quoted=True)
    assert not refused.ok and refused.code == "wrong_value_kind"
    share = "Proportion of 65+ people who were still at home 91 days after discharge | 82.1%."
    assert not verify("how many people used the home from hospital service?", share, "", Lexicon(), quoted=True).ok
    days = "The average number of days lost to sickness absence | 10.79 days | 11.02 days."
    assert verify("how many sick days per head in 2018-19", days, "", Lexicon(), quoted=True).ok
    assert verify("how many children in care?", "Number of children in care | 850.", "", Lexicon(), quoted=True).ok


def test_verify_money_question_answered_without_money_is_refused() -> None:
    verdict = verify("How much did the Highways framework cost?", "The framework is led by Dean Wallace.", "",
                     Lexicon())
    assert not verdict.ok and verdict.code == "wrong_value_kind"
    assert verify("How much did the Highways framework cost?", "It is worth £12m.", "", Lexicon()).ok


def test_verify_date_question_with_a_date_is_ok() -> None:
    assert verify("When is the channel shift strategy due?", "It is due in March 2021.", "", Lexicon()).ok
    late = verify("When is the channel shift strategy due?", "Dean Wallace leads it.", "", Lexicon())
    assert not late.ok and late.code == "wrong_value_kind"


def test_verify_reason_reads_as_a_sentence() -> None:
    # the reason is shown to the user after "The documents don't say: "
    verdict = verify("How much did the Highways framework cost?", "Dean Wallace leads it.", "", Lexicon())
    assert "no an " not in verdict.reason and "no a " not in verdict.reason, verdict.reason


def test_verify_an_hourly_rate_needs_a_figure_per_hour() -> None:
    verdict = verify("what's the hourly rate for school crossing patrol staff?",
                     "The estimated value of contract \"School Crossing Patrol Uniform\" is £36,000.", "", Lexicon())
    assert not verdict.ok and verdict.code == "wrong_value_kind" and "per hour" in verdict.reason
    assert verify("what's the hourly rate for crossing patrol staff?", "Staff are paid £11.50 per hour.", "",
                  Lexicon()).ok


def test_verify_rare_named_word_must_be_in_the_answer_or_its_evidence() -> None:
    lexicon = Lexicon(df={"toddbrook": 1, "reservoir": 500}, n_units=1000)
    missing = verify("What is planned for the Toddbrook Reservoir?", "The reservoir will be repaired.", "", lexicon)
    assert not missing.ok and missing.code == "rare_words_missing" and "toddbrook" in missing.reason
    assert verify("What is planned for the Toddbrook Reservoir?", "It will be repaired.", "Toddbrook dam", lexicon).ok


def test_a_rate_a_share_or_a_year_is_no_number_of_things() -> None:
    """"How many children are in care": a rate per 10k, a percentage or the end of "2019-20" is no count."""
    from assistant.router.verify import states_kind

    assert not states_kind("Rate of children in care per 10k population: latest 55 per 10k (Dec 19) for 2019-20", "count")
    # millions of a unit that is not money, or thousands of tonnes, are no sum of money
    assert not states_kind("saved 4.6million kWh of electricity and 2,000 tonnes of CO2", "money")
    assert states_kind("This equates to £690,000", "money") and states_kind("a £2 million saving", "money")
    assert asked_kind("what was the saving in money over the last 12 months?") == "money"
    assert not states_kind("latest 37.3% for 2019-20; target 40% for 2020-21", "count")
    assert states_kind("Completed proactive inspections of 287 businesses in 2019-20", "count")
    assert states_kind("30 staff, and 5 per 1,000 residents", "count")


def test_a_responsible_officer_for_an_action_is_its_lead_not_an_office() -> None:
    from assistant.router.verify import role_object

    assert role_object("responsible officer for the customer care charter work?") == []
    assert role_object("lead officer for embedding the one public estate programme?") == []
    assert role_object("who is the director of place?") == ["place"]


def test_verify_rare_words_a_passage_writes_as_an_acronym_are_named_by_it() -> None:
    """"Gypsy, Roma and Traveller" is named by a row that says "GRT"; a row without it is not."""
    lexicon = Lexicon(df={"roma": 1, "gypsi": 1, "travel": 300, "train": 200}, n_units=1000)
    question = "when is the equity training for Gypsy, Roma and Traveller communities due?"
    assert verify(question, "Equity training with GRT communities is due March 2025.", "", lexicon).ok
    other = verify(question, "Equity training with GP practices is due March 2025.", "", lexicon)
    assert not other.ok and other.code == "rare_words_missing"


def test_verify_a_role_answer_must_name_the_role_s_object() -> None:
    """"The Executive Director of Place": a director of another department is not the answer."""
    other = verify("Who is the Executive Director of Place at the council?",
                   "Emma Alexander, Executive Director - Commissioning, Communities and Policy.", "", Lexicon())
    assert not other.ok and other.code == "role_not_named" and "place" in other.reason
    assert verify("whos the cabinet member for housing", "Cabinet Member for Urban Renewal (Housing): Cllr Fareed "
                  "Hussain.", "", Lexicon()).ok
    # the object may be a department the question names by its acronym
    assert verify("Who is the director of ETE?", "Mike Ashworth, Executive Director.", "", Lexicon(),
                  scope_names="Economy, Transport and Environment ETE").ok


def test_states_kind() -> None:
    assert states_kind("It costs £2m.", "money") and not states_kind("It is due in 2021.", "money")
    assert states_kind("Three actions.", "count") and not states_kind("In 2021.", "count")
    assert states_kind("a £40m Local Transport Programme", "amount")   # an amount with its unit is a number too
    assert not states_kind("notices issued dropped by 25%", "count")    # a share answers no "how many"
    assert states_kind("12 schemes and 3 bridges", "count")
    assert states_kind("95% of invoices", "percent")


def test_named_terms_are_capitalised_inner_words_not_the_first_word() -> None:
    assert named_terms("Who leads the Channel Shift strategy?") == ["channel", "shift"]
    assert named_terms("What are the Green Action Grants?") == ["green", "action", "grant"]
    assert named_terms("Toddbrook: what is planned?") == []            # first word of the sentence
    assert named_terms("What is planned. Toddbrook is next?") == []     # first word after a full stop
    assert named_terms("How much does the ICT contract cost?") == []    # acronyms vary in form: not used


# ============================================================================ Sessions

class FakeAssistant:
    """Stands in for `Assistant`: answers with the question, remembers which context each turn saw."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []   # (question, topic of the previous context)
        self.alone: list[str] = []

    def respond(self, question: str, filters: Filters | None, context: Context | None) -> Reply:
        self.seen.append((question, context.topic if context else None))
        return Reply(Answer(question=question, route="sql", answer=f"A: {question}"), Context(topic=question))

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        self.alone.append(question)
        return Answer(question=question, route="sql", answer=f"A: {question}")


def test_sessions_keep_separate_histories_per_id() -> None:
    fake = FakeAssistant()
    sessions = Sessions(fake)
    sessions.ask("a1", "A")
    sessions.ask("b1", "B")
    sessions.ask("a2", "A")
    sessions.ask("b2", "B")
    assert fake.seen == [("a1", None), ("b1", None), ("a2", "a1"), ("b2", "b1")]
    assert len(sessions) == 2


def test_sessions_without_an_id_ask_on_their_own() -> None:
    fake = FakeAssistant()
    sessions = Sessions(fake)
    answer = sessions.ask("alone?")
    assert answer.answer == "A: alone?" and fake.alone == ["alone?"] and fake.seen == []
    assert len(sessions) == 0


def test_sessions_drop_the_least_recently_used_beyond_the_limit() -> None:
    fake = FakeAssistant()
    sessions = Sessions(fake, limit=2)
    sessions.ask("x1", "X")
    sessions.ask("y1", "Y")
    sessions.ask("x2", "X")      # X is now the most recently used
    sessions.ask("z1", "Z")      # a third: Y, the least recently used, is dropped
    assert len(sessions) == 2
    sessions.ask("x3", "X")      # X kept its history
    sessions.ask("y2", "Y")      # Y starts again
    assert ("x3", "x2") in fake.seen
    assert ("y2", None) in fake.seen


def test_jsonl_batch_shares_context_by_conversation_id_and_survives_a_bad_line() -> None:
    import io
    import json

    fake = FakeAssistant()
    lines = ['{"question": "a1", "conversation": "A"}', "plain question", '{"question": 5}',
             '{"question": "a2", "conversation": "A"}']
    out = io.StringIO()
    n = _jsonl(fake, io.BytesIO(("\n".join(lines) + "\n").encode()), Filters(), out)
    objects = [json.loads(x) for x in out.getvalue().splitlines()]
    assert n == 4 and len(objects) == 4
    assert objects[0]["conversation"] == "A" and objects[1]["answer"] == "A: plain question"
    assert "error" in objects[2] and objects[2]["line"] == 3
    assert ("a2", "a1") in fake.seen and fake.alone == ["plain question"]


# ============================================================================ follow-ups with nothing of their own

@pytest.mark.parametrize("question", ["which is the smallest?", "and the biggest one?", "the cheapest?"])
def test_a_bare_superlative_applies_to_the_previous_rows(question: str, listed_actions: QueryPlan,
                                                         largest_contract: QueryPlan, lex: Lexicon) -> None:
    from assistant.router.plan import bare_operation

    assert bare_operation(understand(question, lex))
    listed = QueryPlan("list", "procurements", Conditions(departments=(ETE,)), reason="list")
    plan = _edit(question, listed, KEYS, lex)
    assert plan is not None and plan.operation in ("max", "min") and plan.conditions.keys == KEYS


def test_after_a_superlative_the_opposite_one_is_over_the_same_rows(largest_contract: QueryPlan, lex: Lexicon) -> None:
    plan = _edit("and the smallest one?", largest_contract, ("p1",), lex)
    assert plan is not None and plan.operation == "min" and plan.conditions == largest_contract.conditions


def test_a_superlative_with_a_topic_of_its_own_is_not_a_follow_up(lex: Lexicon) -> None:
    from assistant.router.plan import bare_operation

    assert not bare_operation(understand("which is the smallest ICT contract in CCP?", lex))


@pytest.mark.parametrize("question, table, field", [
    ("what is his portfolio?", "pledges", "portfolio"),
    ("which department is that in?", "actions", "department"),
    ("and the category?", "procurements", "category"),
    ("what is the council doing about the portfolio of schools and libraries in the city?", "pledges", None),
])
def test_a_short_follow_up_naming_a_column(question: str, table: str, field: str | None) -> None:
    from assistant.router.plan import named_field

    assert named_field(question.lower(), table) == field


def test_other_rows_of_the_same_person_leave_out_the_rows_given(tiny: tuple[Database, str]) -> None:
    plan = QueryPlan("list", "actions", Conditions(person="Dean Wallace", exclude_keys=("a1",)), reason="else")
    reply = _answer(tiny, plan)
    assert set(reply.context.keys) == {"a2", "a4"}


def test_follow_up_the_more_expensive_of_those_is_the_largest_of_the_rows(lex: Lexicon) -> None:
    listed = QueryPlan("list", "procurements", Conditions(departments=(ETE,)), reason="list")
    more = _edit("the more expensive of those?", listed, KEYS, lex)
    assert more is not None and more.operation == "max" and more.descending and more.conditions.keys == KEYS
    cheaper = _edit("and the cheaper one of them?", listed, KEYS, lex)
    assert cheaper is not None and cheaper.operation == "min" and not cheaper.descending


def test_verify_a_question_for_an_office_holder_wants_the_office_named() -> None:
    """"Who is the Director of Public Health": an action's lead in Public Health holds no office named."""
    lead = verify("Who is Derbyshire's Director of Public Health?", "Dean Wallace leads action 3 (Public Health).",
                  "Public Health actions", Lexicon())
    assert not lead.ok and lead.code == "role_not_named"
    assert verify("Who is the Director of Public Health?", "Dr Anjan Ghosh, Director of Public Health.", "",
                  Lexicon()).ok
    # a responsible officer is an action's lead: no office to name
    assert verify("who's the responsible officer for the modern.gov rollout?", "Simon Hobbs leads action 14.",
                  "modern.gov rollout", Lexicon()).ok
    # "who chairs the board": its chair, not the lead of an action that mentions the board
    chairs = verify("who chairs the corporate parenting board?", "Jane Parfremment leads: Newly revised Corporate "
                    "Parenting Board embedded and effective.", "", Lexicon())
    assert not chairs.ok and chairs.code == "role_not_named"
    assert verify("who chairs the corporate parenting board?", "Cllr Julie Patten chairs the Corporate Parenting "
                  "Board.", "", Lexicon()).ok


def test_which_cabinet_member_has_the_most_groups_by_the_sections_member(lex: Lexicon) -> None:
    plan = _plan("which cabinet member has the most actions?", lex)
    assert plan is not None and plan.operation == "group_top" and plan.group_by == "cabinet_member"


def test_a_lead_role_filters_the_lead_as_written(lex: Lexicon) -> None:
    from assistant.router.queries import where
    from assistant.router.semantic import semantics

    clauses, params = where(semantics()["actions"], Conditions(lead_text="early years lead"))
    assert any("lead_raw" in c for c in clauses) and "early years lead" in params


def test_a_rating_that_changed_filters_on_the_previous_and_the_current_rating(lex: Lexicon) -> None:
    from assistant.router.plan import previous_rating_of, rating_of
    from assistant.router.queries import where
    from assistant.router.semantic import semantics

    lower = "which kpi dropped from green last quarter to amber this quarter?"
    assert rating_of(lower) == "AMBER" and previous_rating_of(lower) == "GREEN"
    u = understand("Which KPI dropped from Green last quarter to Amber this quarter?", lex)
    assert u.intent == "list"
    clauses, params = where(semantics()["kpis"], Conditions(rating="AMBER", previous_rating="GREEN"))
    assert any("v.period = 'previous'" in c for c in clauses) and params[-2:] == ["AMBER", "GREEN"]


def test_every_text_column_a_longer_question_names() -> None:
    """"social worker recruitment budget risk - directorate and likelihood?": the row's answer adds its likelihood."""
    from assistant.router.plan import named_field, named_fields

    question = "social worker recruitment, retention & cover budget risk - dir & likelihood and category?"
    assert {"likelihood", "category"} <= set(named_fields(question, "risks"))
    assert named_field(question, "risks") is None   # too long for a follow-up that asks only a field
    assert named_fields("when is the library review due?", "actions") == ()
    # a risk's consequence by the words people use for it
    assert "consequence" in named_fields("what is the impact of the cyber security risk?", "risks")
    assert "consequence" in named_fields("what would the pay award risk lead to?", "risks")


def test_a_table_whose_one_date_is_a_start_gives_it_when_the_start_is_asked() -> None:
    """Procurements keep their start as their one date role: "which starts latest" must print it."""
    from assistant.router import compose

    sem = semantics()["procurements"]
    row = {sem.due.raw: "01/01/2022", "title": "Internet connectivity"}
    assert compose.date_text(row, sem, "start") == "01/01/2022"
    actions = semantics()["actions"]
    assert compose.date_text({actions.due.raw: "March 2021"}, actions, "start") == ""   # its own start, not given


@pytest.mark.parametrize("lower, name, named", [
    ("how likely is it?", "current likelihood (1-5)", True),     # another form of a word of the name
    ("how likely is it?", "likelihood", True),
    ("the categories", "category", True),
    ("what is the current figure?", "current likelihood (1-5)", False),   # the same word of a longer name
    ("which are already completed?", "complete precision", False),        # a word with an ending
    ("statutory timescales", "status", False),                            # a shared beginning, little else
])
def test_a_question_names_a_column_in_another_form_of_its_word(lower: str, name: str, named: bool) -> None:
    from assistant.router.plan import names_column

    assert names_column(lower, name) is named


def test_a_length_of_time_is_stated_by_a_duration_not_by_a_start_date() -> None:
    assert not states_kind("Provision of Mortuary Services | £2,500,000.00 | 01/09/2020", "duration")
    assert states_kind("a three-year contract from April 2020", "duration")
    assert states_kind("the lease runs from 2020 to 2025", "duration")


def test_a_pick_is_written_as_the_thing_picked() -> None:
    from assistant.router.plan import with_pick_named

    assert with_pick_named("how many are under the First one?", "Green Derbyshire") == "how many are under Green Derbyshire?"
    assert with_pick_named("what about number 2?", "Libraries") == "what about Libraries?"


def test_verify_a_quarter_asked_must_be_the_quarter_reported() -> None:
    from assistant.router.understand import period_spellings

    assert period_spellings("quarter 4") == ("quarter 4", "q4", "q 4", "qtr 4")
    report = "Quarterly Performance Report, Quarter 3 2024/25"
    refused = verify("FOI requests in 20 days in Q4 24/25?", "84% | RED", report, Lexicon(), periods=("quarter 4",))
    assert not refused.ok and refused.code == "period_not_covered"
    assert verify("FOI requests in 20 days in Q3 24/25?", "84% | RED", report, Lexicon(), periods=("quarter 3",)).ok


def test_verify_a_deputy_is_not_the_office_holder() -> None:
    row = "Public Health | Director | Anjan Ghosh"
    refused = verify("who is the deputy director of public health?", row, "", Lexicon())
    assert not refused.ok and refused.code == "role_not_named"
    assert verify("who is the director of public health?", row, "", Lexicon()).ok
    # a rank inside a name the question only points at asks for no person
    assert verify("how much did the Deputy Chief Executive's Department spend?", "DCED: £44,419 thousand", "",
                  Lexicon()).ok


def test_verify_a_name_of_several_words_the_documents_write_must_be_in_the_answer() -> None:
    """"When will Derby publish its City Centre Plan": a pledge about city centre sites is not the plan;
    names the documents never write, and the names of councils and people, are not checked."""
    lexicon = Lexicon.build(people=[("Amo Raju", ["Cllr Raju"], "Cllr")], departments=[],
                            documents=[DocumentInfo("d", "Council Plan", "Derby City Council", "2022-25", "plan")],
                            bigrams=frozenset({"city centre", "centre plan", "local resilience", "resilience forum",
                                               "derby city", "cllr raju", "electric vehicle"}))
    question = "When will Derby publish its City Centre Plan?"
    other = verify(question, "The Council will invest in city centre sites by Summer 2018.", "", lexicon)
    assert not other.ok and other.code == "name_not_said" and "centre plan" in other.reason
    assert verify(question, "Publish a City Centre Plan by March 2023.", "", lexicon).ok
    # a possessive is the name; the scope (a council, a person) and an unknown name are not checked
    assert verify("brexit prep with the Local Resilience Forum's partners - who owns it?",
                  "Work with the Local Resilience Forum: Geoff Pickford.", "", lexicon).ok
    assert verify("what did Cllr Raju pledge for Derby City on the Green Belt?", "Amo Raju: protect parks.", "",
                  lexicon).ok
    # the capitals of an acronym spelled out by the router are no name: only the words as typed count
    assert verify("how many Electric Vehicle charge units?", "38 fast units.", "", lexicon, asked="how many EV units?").ok
    assert not verify("how many Electric Vehicle charge units?", "38 fast units.", "", lexicon).ok


def test_verify_a_figure_the_question_itself_writes_is_no_answer() -> None:
    """"How much of the £40m goes to Chesterfield?" is not answered by "investing £40m", nor "how many
    notices in the first three months" by "three months"; another figure still answers."""
    from assistant.router.verify import without_echoes

    assert "40" not in without_echoes("Investing £40m in well maintained roads.", "what of the £40m goes to Chesterfield?")
    notices = "how many penalty notices were issued in the first three months?"
    refused = verify(notices, "Over the first three months notices fell by 22%.", "", Lexicon())
    assert not refused.ok and refused.code == "wrong_value_kind"
    assert verify(notices, "In the first three months 1,204 notices were issued.", "", Lexicon()).ok


def test_verify_a_field_asked_as_an_attribute_need_not_be_named() -> None:
    """"What's the deadline on the suicide action?" is answered by "due to complete March 2026"; a rare
    attribute that is no field ("salary") must still be named."""
    lexicon = Lexicon.build(people=[], departments=[], documents=[], df={"deadlin": 1, "salari": 1}, n_units=1000)
    assert verify("what's the deadline on the action to reduce suicides?",
                  "Reduce suicides: it is due to complete March 2026.", "", lexicon).ok
    assert not verify("what's the salary of the director?", "The director is Jo Smith.", "", lexicon).ok


def test_verify_a_count_must_be_of_the_things_asked() -> None:
    """"How many families are registered": "maintain 10 children's centres" counts centres; "how many
    school crossing patrol staff": "30 locations" counts places; a number of students answers "pupils",
    and a number labelling something ("Outcome 1") counts nothing."""
    from assistant.router.verify import counted_words, counts_asked

    families = "how many families are registered with children's centres?"
    assert counted_words(families) == {"famili"}
    assert not counts_asked("The Council will maintain 10 children's centres to support families. Outcome 1: "
                            "protecting children.", {"famili", "regist"}, counted_words(families))
    assert counts_asked("There are 1,234 families registered.", {"famili"}, counted_words(families))
    pupils = "waste watchers - how many pupils took part?"
    assert counts_asked("Waste Watchers reached approximately 5,766 students.", {"waste", "watcher"},
                        counted_words(pupils))
    assert counted_words("ltp highway schemes - how many in yr 1?") == set()
    # "how many by 2024", "how many so far": a date or a time, no things counted
    assert counted_words("and how many by 2024 according to the ccp service plan?") == set()
    assert counted_words("how many so far?") == set()
    assert counted_words("how many libraries by 2024?") == {"librari"}
    # a date's day is no number of things ("how many ash trees were felled": a contract's start date)
    trees = "how many ash trees were felled because of ash dieback?"
    assert not counts_asked("Ash Dieback - felling contracts | £50,000 | 01/10/2020.", {"ash", "dieback"},
                            counted_words(trees))
    # one row's answer is about the row as a whole: its value need not sit beside a word asked
    assert counts_asked('"Number of complaints upheld": latest AD; actual 12 for 2018-19.', {"upheld"}, set(),
                        sentences=False)
    staff = verify("how many school crossing patrol staff does derby have?",
                   "The Council will protect school crossing patrols in 30 locations.", "", Lexicon(), quoted=True)
    assert not staff.ok and staff.code == "wrong_value_kind"
    kids = "how many kids did the libraries reach with reading?"
    assert counts_asked("Reading engagement reached over 27,600 children.", {"librari", "read"}, counted_words(kids))


def test_verify_a_passage_s_date_must_be_said_of_the_thing_named() -> None:
    """"When will the Florence Nightingale Community Hospital open?": a sentence naming it without a date,
    beside one dating the Belper centre, gives no date of it; a sentence dating it does."""
    lexicon = Lexicon(df={"florenc": 1, "nightingal": 1, "communiti": 300, "hospit": 40}, n_units=5000)
    question = "when will the Florence Nightingale Community Hospital open?"
    other = verify(question, "We will develop the Florence Nightingale Community Hospital. The new Community Care "
                             "Centre in Belper is due to open in spring 2020.", "", lexicon, passage=True)
    assert not other.ok and other.code == "figure_not_about_subject"
    assert verify(question, "The Florence Nightingale Community Hospital opens in May 2024.", "", lexicon,
                  passage=True).ok
    # ... or in the sentence right after one naming it, when that sentence says another word asked of it
    lexicon = Lexicon(df={"kestrel": 1, "forum": 5, "confer": 30}, n_units=5000)
    question = "when was the Kestrel Forum conference held?"
    named_then_dated = "TEP had responsibility for the Kestrel Forum (KF). Conference held on 8th October 2024."
    assert verify(question, named_then_dated, "", lexicon, passage=True).ok
    other_then_dated = "TEP had responsibility for the Kestrel Forum (KF). Inspections resumed on 8th October 2024."
    assert not verify(question, other_then_dated, "", lexicon, passage=True).ok


def test_the_two_counts_out_earlier_rows_but_not_years_or_councils() -> None:
    from assistant.router.plan import points_at, rows_counted

    assert rows_counted("what do the two add up to?") == 2
    assert rows_counted("which of the three starts first?") == 3
    assert rows_counted("do both start in 2020?") == 2
    assert rows_counted("capital over the three years?") is None
    assert rows_counted("compare both councils") is None
    assert points_at("what do the two add up to?", ("a", "b"))
    assert not points_at("what do the two add up to?", ("a", "b", "c"))


def test_a_curly_apostrophe_writes_the_same_name() -> None:
    from assistant.router.verify import names_missing

    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            vocabulary=frozenset("framing kent's future".split()), common_words=frozenset())
    assert names_missing("Which Framing Kent's Future priorities?", "The priorities within Framing Kent\u2019s "
                         "Future around Levelling Up", lexicon) == []


def test_where_is_it_now_asks_the_latest_value_and_names_no_topic() -> None:
    u = understand("permanent exclusions kpi - what's the target and where is it now", Lexicon())
    assert "now" not in u.topic.split() and "permanent" in u.topic


def test_a_column_is_named_by_another_name_people_give_it() -> None:
    from assistant.router.plan import named_field

    assert named_field("what's the output?", "actions") == "success_measures"
    assert named_field("what's the output?", "procurements") is None


def test_the_quarter_before_asks_a_measure_s_previous_value() -> None:
    u = understand("potholes fixed within 28 days - what was it the quarter before q3?", Lexicon())
    assert u.intent == "how_much" and u.value_kind == "previous"


def test_which_company_needs_an_organisation_s_name() -> None:
    question = "Which company holds the mortuary services contract?"
    refused = verify(question, "Provision of Mortuary Services | £2,500,000.00 | 01/09/2020.", "", Lexicon())
    assert not refused.ok and refused.code == "wrong_value_kind"
    assert verify(question, "The mortuary contract is held by Coroners Care Ltd.", "", Lexicon()).ok


def test_a_question_about_spend_is_not_answered_from_a_table_of_savings(lex: Lexicon) -> None:
    from assistant.router.assistant import _role_tables

    spend = _role_tables("how_much", understand("how much do we spend on facilities time?", lex))
    saved = _role_tables("how_much", understand("how much is saved on facilities time?", lex))
    assert "savings" not in spend and "budget_lines" in spend
    assert "savings" in saved


def test_one_line_in_several_columns_is_not_added_up() -> None:
    from assistant.router.answer_plan import _one_line_many_columns
    sem = semantics()["budget_lines"]
    plan = QueryPlan("sum", "budget_lines", Conditions(contains=("loan",)), measure="amount", reason="test")
    one_line = [{"line_item": "Recycled Loan Repayments", "measure": m, "amount": a}
                for m, a in (("Total Cost £000s", 110258000), ("Prior Years Spend £000s", 71148000))]
    assert _one_line_many_columns(one_line + [dict(one_line[0], raw_table_id="page 2")], sem, plan)
    two_lines = one_line[:1] + [{"line_item": "Capital Receipts", "measure": "Total Cost £000s", "amount": 42314000}]
    assert not _one_line_many_columns(two_lines, sem, plan)   # two lines of one column add up
    asked = replace(plan, conditions=Conditions(groups=(("measure", "Total Cost £000s"),)))
    assert not _one_line_many_columns(one_line, sem, asked)   # the column is asked


def test_more_negative_is_the_lowest_figure_and_a_bare_follow_up() -> None:
    from assistant.router.plan import bare_operation, comparative
    assert comparative("which is more negative?") == ("min", False)
    assert comparative("which is bigger?") == ("max", True)
    lex = Lexicon.build(people=[], departments=[], documents=[])
    assert bare_operation(understand("which is more negative?", lex))
    assert not bare_operation(understand("which libraries are more negative?", lex))



@pytest.mark.parametrize("span, asked, held", [
    ("2020-21", "2020-21", True), ("2020-21", "2021-22", False), ("2020-21", "2021", True),
    ("2022-25", "2023-24", True), ("2016-19", "2019-20", False), ("2025-26 to 2034-35", "2030-31", True),
    ("Q3 2024-25", "2025-26", False), ("", "2020-21", False),
])
def test_a_document_period_holds_the_years_inside_it(span: str, asked: str, held: bool) -> None:
    from assistant.router.assistant import _period_holds

    assert _period_holds(span, asked) is held


def test_verify_an_attribute_the_documents_never_write_is_not_given() -> None:
    """"allowance" is not "allow": an attribute no document writes, in any form, cannot be answered."""
    lexicon = Lexicon.build(people=[], departments=[], documents=[], df={"allow": 300, "foster": 40}, n_units=1000,
                            vocabulary=frozenset({"allow", "allowed", "foster", "carers"}))
    refused = verify("what's derbyshire's weekly foster carer allowance?",
                     "Improved utilisation of council foster carers.", "", lexicon)
    assert not refused.ok and "allowance" in refused.reason
    written = Lexicon.build(people=[], departments=[], documents=[], df={"allow": 300}, n_units=1000,
                            vocabulary=frozenset({"allowances", "foster"}))
    assert verify("what's derbyshire's weekly foster carer allowance?", "Foster allowances are £200 a week.", "",
                  written).ok


def test_verify_the_parts_of_a_split_and_a_rare_which_thing_must_be_named() -> None:
    lexicon = Lexicon.build(people=[], departments=[], documents=[], df={"district": 30, "ward": 2}, n_units=1000)
    split = verify("how is the £40m roads investment split between the districts?",
                   "Investing £40m in well maintained roads.", "", lexicon)
    assert not split.ok and "district" in split.reason
    ward = verify("Which Derby ward has the lowest life expectancy?",
                  "Life expectancy in Derby is below the national average.", "", lexicon, passage=True)
    assert not ward.ok and ward.code == "rare_words_missing"
    # a common noun ("which year") is not checked: the answer may give the year without the word
    assert verify("which year is Derby bidding for City of Culture", "Derby is bidding for 2025.", "", lexicon).ok


def test_verify_thing_numbers_ask_a_count_of_those_things() -> None:
    assert asked_kind("fastrack passenger numbers for q3?") == "count"
    assert asked_kind("what are the phone numbers?") is None
    assert counted_words("fastrack passenger numbers for q3?") == {"passeng"}


def test_a_name_written_in_the_plural_is_the_name_asked() -> None:
    from assistant.router.verify import names_missing

    lexicon = Lexicon.build(people=[], departments=[], documents=[], vocabulary=frozenset("cabinet member".split()),
                            bigrams=frozenset({"cabinet member"}))
    assert names_missing("Which Cabinet Member leads on it?", "Cabinet Members | Sue Chandler", lexicon) == []
    assert names_missing("Which Cabinet Member leads on it?", "Corporate Director | Sarah Hammond", lexicon) == \
        ["cabinet member"]


def test_the_gap_to_target_sets_the_latest_against_the_target_of_its_period() -> None:
    from assistant.router import compose

    values = [{"kind": "latest", "period": "Q3 2024-25", "raw": "34%", "value": 34.0, "unit": "%"},
              {"kind": "target", "period": "Q3 2024-25", "raw": "60%", "value": 60.0, "unit": "%"},
              {"kind": "previous", "period": "previous", "raw": "26%", "value": 26.0, "unit": "%"}]
    assert compose.target_gap(values) == "The latest (34%) is 26 percentage points below the target (60%)."
    tonnes = [{"kind": "latest", "period": "Q3", "raw": "10,323", "value": 10323.0, "unit": None},
              {"kind": "target", "period": "Q3", "raw": "10,797", "value": 10797.0, "unit": None}]
    assert compose.target_gap(tonnes) == "The latest (10,323) is 474 below the target (10,797)."
    assert compose.target_gap(values[:1]) == ""   # no target: no gap
    # the value printed as the previous one, set against the target of the report's period
    assert compose.target_gap(values, base="previous") == \
        "The previous (26%) is 34 percentage points below the Q3 2024-25 target (60%)."
    for asked in ("how far short of target is the ehcp kpi?", "ghg emissions - how many tonnes under target are we?",
                  "nhs health checks: by how many is the latest above target?", "what's the gap to target?"):
        assert compose.ASKS_TARGET_GAP.search(asked), asked
    assert not compose.ASKS_TARGET_GAP.search("what is the target for ehcps?")
    # "vs target", "against its floor": the gap to the value named
    assert compose.gap_asked("live well kent - would-recommend rate vs target?") == ("latest", "target")
    # "how close to the floor", "how far apart are the target and floor"; one point is one point
    assert compose.gap_asked("cqc good/outstanding kpi - how close to the floor is it?") == ("latest", "floor")
    assert compose.gap_asked("first time entrants: how far apart are the target and floor?") == ("target", "floor")
    near = [{**values[0], "raw": "76%", "value": 76.0}, {"kind": "floor", "period": "Q3 2024-25", "raw": "75%",
                                                        "value": 75.0, "unit": "%"}]
    assert compose.target_gap(near, against="floor") == "The latest (76%) is 1 percentage point above the floor (75%)."
    assert compose.gap_asked("number of foster households vs its floor standard?") == ("latest", "floor")
    assert compose.gap_asked("what is the floor for foster households?") is None
    assert compose.gap_asked("previous figure and RAG, and how far off the 85% target was it?") == ("previous", "target")
    floor = [{"kind": "latest", "period": "Q3", "raw": "613", "value": 613.0, "unit": None},
             {"kind": "floor", "period": "Q3", "raw": "650", "value": 650.0, "unit": None},
             {"kind": "target", "period": "Q3", "raw": "700", "value": 700.0, "unit": None}]
    assert compose.target_gap(floor, against="floor") == "The latest (613) is 37 below the floor (650)."
    # "margin over the floor": the latest; "target minus floor", "how many tonnes separate the target and
    # the floor": the two set values, in the order said
    assert compose.gap_asked("ld young people in settled accommodation: margin over the floor?") == ("latest", "floor")
    assert compose.gap_asked("adults in treatment - target minus floor?") == ("target", "floor")
    assert compose.gap_asked("how many tonnes separate the target and the floor?") == ("target", "floor")
    assert compose.target_gap(floor, against="floor", base="target") == "The target (700) is 50 above the floor (650)."
    # "how far short of the 20/21 target is the latest": that year's target, against the latest of another year
    jobs = [{"kind": "target", "period": "2020-21", "raw": "3,400", "value": 3400.0, "unit": None},
            {"kind": "target", "period": "2019-20", "raw": "3,200", "value": 3200.0, "unit": None},
            {"kind": "latest", "period": "2019-20", "raw": "2,900", "value": 2900.0, "unit": None}]
    assert compose.gap_asked("markham vale jobs - how far short of the 20/21 target is the latest figure?") == \
        ("latest", "target")
    assert compose.target_gap(jobs, "2020-21") == "The latest (2,900, 2019-20) is 500 below the 2020-21 target (3,400)."
    assert compose.target_gap(jobs) == "The latest (2,900) is 300 below the target (3,200)."
    assert compose.gap_asked("early help cases bouncing back within 3 months - how close is the latest to target?") == \
        ("latest", "target")
    assert compose.gap_asked("annual EHCP reviews waiting over 12m - how much better than target was the previous %?") == \
        ("previous", "target")


def test_verify_a_count_of_things_in_a_state_needs_that_state_said() -> None:
    """"How many of the 19 vacancies have been filled": a passage that gives the vacancies, not how many
    were filled, is no answer."""
    passage = "Sites remain steady at 83, with 19 current vacancies out for recruitment at the start of January."
    verdict = verify("how many of the 19 school crossing patrol vacancies have been filled?", passage, "", Lexicon(),
                     passage=True)
    assert not verdict.ok and "filled" in verdict.reason
    assert verify("how many homes have been completed?", "52 homes will be created, 49 of them completed.", "",
                  Lexicon(), passage=True).ok


def test_verify_a_passage_about_one_side_of_a_contrast_is_no_answer_about_the_other() -> None:
    children = "The average caseload for Social Workers in Children’s Social Work Teams was 21 children."
    verdict = verify("whats the average caseload for adult social workers?", children, "", Lexicon(), passage=True)
    assert not verdict.ok and verdict.code == "scope_contrast"
    assert verify("whats the average caseload for children's social workers?", children, "", Lexicon(),
                  passage=True).ok
    assert verify("whats the average caseload for adult and children's social workers?", children, "", Lexicon(),
                  passage=True).ok


def test_a_role_s_object_ends_at_the_verb_after_it() -> None:
    from assistant.router.verify import role_object
    assert role_object("how many super six pledges did the leader of derby city council make?") == ["derbi", "citi"]
    assert role_object("who is the director of public health?") == ["public", "health"]


def test_two_years_inside_a_programme_s_range_name_it() -> None:
    from assistant.router.understand import _within_range

    assert _within_range("developer contributions for 2025-26 and 2026-27 combined", "2025-26 to 2034-35", least=2)
    assert not _within_range("developer contributions for 2026-27", "2025-26 to 2034-35", least=2)
    assert _within_range("developer contributions for 2026-27", "2025-26 to 2034-35")


def test_a_change_between_two_years_runs_forward_in_time_and_says_by_how_much() -> None:
    from assistant.router import compose

    row = {"description": "No of jobs created at the business park"}
    values = [{"kind": "latest", "period": "2019-20", "raw": "2,900", "value": 2900.0, "unit": None},
              {"kind": "actual", "period": "2018-19", "raw": "2,236", "value": 2236.0, "unit": None}]
    text = compose.compare_sentence(row, values, ["2019-20", "2018-19"])   # the later year said first
    assert text.endswith("From 2018-19 to 2019-20 it went up by 664.")


def test_a_sum_said_before_its_bound_is_a_threshold() -> None:
    from assistant.router.understand import parse_amounts

    assert [(a.op, a.value) for a in parse_amounts("ict procurements worth £2m or more")] == [(">=", 2e6)]
    assert [(a.op, a.value) for a in parse_amounts("contracts of £500k and under")] == [("<=", 5e5)]


def test_a_name_typed_in_lower_case_must_be_in_the_answer() -> None:
    from assistant.router.verify import names_missing

    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            vocabulary=frozenset("new local plan procurement strategy".split()),
                            bigrams=frozenset({"local plan", "new local"}), name_pairs=frozenset({"local plan"}))
    row = 'Action "Implement a new Procurement Strategy and financial category plans."'
    assert names_missing("when will derby's new local plan be adopted?", row, lexicon) == ["local plan"]
    assert names_missing("when will derby's new local plan be adopted?", "Implement a new Local Plan.", lexicon) == []
    # said in other words, near each other (a hyphen aside); but not apart in another sentence
    strategy = Lexicon.build(people=[], departments=[], documents=[], name_pairs=frozenset({"wellbeing strategy"}))
    assert names_missing("the employee wellbeing strategy action - when?",
                         "Improved employee well-being through a new strategy", strategy) == []
    assert names_missing("the employee wellbeing strategy action - when?", "A new strategy for roads. " + "x " * 12
                         + "Staff wellbeing.", strategy) == ["wellbeing strategy"]


def test_a_measure_that_leaves_out_what_is_asked_is_no_answer() -> None:
    from assistant.router.verify import excluded_asked

    kpi = '"Greenhouse Gas emissions from the estate and operations (excluding schools) in tonnes": latest 10,323'
    assert excluded_asked("ghg emissions from kcc schools in tonnes - latest?", kpi.lower()) == "schools"
    assert excluded_asked("ghg emissions from the kcc estate - latest?", kpi.lower()) is None
    assert excluded_asked("ghg emissions excluding schools?", kpi.lower()) is None   # the question leaves them out too


@pytest.mark.parametrize("question, kind", [
    ("whats the current median wait for a care needs assessment?", "duration"),
    ("what is the current suicide rate in kent per 100,000?", "amount"),
    ("what no2 level is the air quality plan aiming for?", "amount"),
    ("what rating is the kpi?", None),
])
def test_a_rate_a_level_and_a_median_wait_ask_a_figure(question: str, kind: str | None) -> None:
    from assistant.router.verify import asked_kind

    assert asked_kind(question) == kind


def test_a_change_on_the_previous_figure_sets_the_latest_against_it() -> None:
    from assistant.router import compose

    values = [{"kind": "latest", "period": "Q3 2024-25", "raw": "53.6%", "value": 53.6, "unit": "%"},
              {"kind": "previous", "period": "previous", "raw": "54.3%", "value": 54.3, "unit": "%"},
              {"kind": "target", "period": "Q3 2024-25", "raw": "65%", "value": 65.0, "unit": "%"}]
    assert compose.previous_change(values) == "Down 0.7 percentage points on the previous figure (54.3% to 53.6%)."
    assert compose.previous_change(values[:1]) == ""   # no previous figure printed
    for asked in ("adults in treatment - change on the previous figure?", "how many points up on last quarter?",
                  "did it go up or down against the previous figure, and by how much?"):
        assert compose.ASKS_PREVIOUS_CHANGE.search(asked), asked
    assert not compose.ASKS_PREVIOUS_CHANGE.search("what was the previous figure?")


def test_a_count_of_people_on_the_rows_is_told_from_a_count_of_people_served() -> None:
    from assistant.router.compose import counts_people

    assert counts_people("how many people lead actions in ete?")
    assert counts_people("how many cabinet members made pledges?")
    assert counts_people("how many different officers own kpis in ccp?")
    assert not counts_people("how many people attended the active kent conference?")
    assert not counts_people("how many actions does ete have?")


def test_a_gap_to_a_target_of_another_period_names_both_periods() -> None:
    from assistant.router import compose

    values = [{"kind": "latest", "period": "2019-20", "raw": "66 (Dec 2019)", "value": 66.0, "unit": None},
              {"kind": "target", "period": "2020-21", "raw": "20", "value": 20.0, "unit": None}]
    assert compose.target_gap(values) == "The latest (66 (Dec 2019), 2019-20) is 46 above the 2020-21 target (20)."


def test_how_things_stand_now_is_not_answered_by_an_aim() -> None:
    q = "how much has city centre footfall gone up so far?"
    assert asked_kind(q) == "amount"
    aim = verify(q, "We will measure city centre footfall with a view to increase by 10%. | Outcome 5: Housing.", "",
                 Lexicon(), passage=True)
    assert not aim.ok and aim.code == "only_aim_given"
    assert verify(q, "City centre footfall was up 4% on last year.", "", Lexicon(), passage=True).ok
    # a figure of now beside an aim answers; a question about the aim itself is answered by it
    assert verify(q, "Footfall is currently 4% higher, and will rise by 10% by 2025.", "", Lexicon(), passage=True).ok
    assert verify("how much will footfall go up by 2025?", "We will increase footfall by 10% by 2025.", "",
                  Lexicon(), passage=True).ok
    assert asked_kind("whats derby's current smoking prevalence?") == "amount"


def test_a_count_read_from_a_passage_must_count_the_thing_asked() -> None:
    q = "fastrack passenger numbers for q3?"
    contacts = verify(q, "The number of customer contacts in Quarter 3 was 35,791 (44,680 last year).", "", Lexicon(),
                      passage=True)
    assert not contacts.ok and contacts.code == "wrong_value_kind"
    assert verify(q, "Fastrack carried 812,000 passengers in Quarter 3.", "", Lexicon(), passage=True).ok
    # the things counted may be the ones the question lists after naming them
    assert verify("how many venues are the playground sessions back at - libraries plus family hubs?",
                  "15 in all (12 libraries + three family hubs). The sessions resumed across 12 libraries and three "
                  "family hubs.", "", Lexicon(), passage=True).ok


def test_a_target_asked_is_not_answered_by_how_things_stand() -> None:
    q = "what target has the council set for voluntary staff turnover?"
    stands = verify(q, "Voluntary turnover is 10.5% (-2.8 p.p.) and sickness 8.24 days.", "", Lexicon(), passage=True)
    assert not stands.ok and stands.code == "no_target_given"
    assert verify(q, "Voluntary turnover will be reduced to 9% by 2026.", "", Lexicon(), passage=True).ok
    assert verify("what's the sqd target by year 5?", "Achieve SQDs of 1347 in year 1 and 26,937 by year 5.", "",
                  Lexicon(), passage=True).ok
    # a table row's target sits in a column whose header the row does not repeat
    assert verify("and the target for health checks, 17/18?", "Deliver health checks | 1,000 health checks in "
                  "2017/18 | Public Health", "", Lexicon(), passage=True).ok


def test_the_price_of_one_thing_is_not_a_budget_s_total() -> None:
    q = "how much does a kent travel saver pass cost in 2025-26?"
    total = verify(q, "The Net Cost for Kent Travel Saver (KTS) is £4,675,500 for 2025-26.", "", Lexicon())
    assert not total.ok and total.code == "wrong_value_kind" and "per pass" in total.reason
    assert verify(q, "A Kent Travel Saver pass costs £500 a pass in 2025-26.", "", Lexicon()).ok
    assert verify("how much does the kent travel saver cost in 2025-26?",
                  "The Net Cost for Kent Travel Saver (KTS) is £4,675,500 for 2025-26.", "", Lexicon()).ok


def test_a_round_the_clock_service_states_no_figure() -> None:
    assert not states_kind("Extend the Home First service, providing 24/7 short-term assessment.", "amount")
    assert states_kind("Extend the Home First service to 24 beds.", "amount")


def test_how_much_of_that_asks_a_share_of_a_sum() -> None:
    assert asked_kind("how much of that is for the councillor portal?") == "amount"
    assert not verify("how much of that is for the councillor portal?",
                      "Continue the implementation of our Councillor Portal.", "", Lexicon(), passage=True).ok


def test_verify_a_count_given_for_a_list_of_places_is_no_count_for_one_of_them() -> None:
    """"How many charge points go into Bakewell": 20 for five towns together is no figure for Bakewell."""
    passage = ("Funding was won to provide 20 dual Electric Vehicle charge points in Ashbourne, Bakewell, Matlock, "
               "Buxton and Glossop.")
    verdict = verify("How many of the charge points are going into Bakewell?", passage, "", Lexicon(), passage=True)
    assert not verdict.ok and verdict.code == "split_not_given"
    assert "Ashbourne, Bakewell, Matlock, Buxton and Glossop" in verdict.reason
    # every place of the list asked together, or none of them: the figure is the answer
    together = "How many charge points go into Ashbourne, Bakewell, Matlock, Buxton and Glossop?"
    assert one_of_a_list(passage, set(named_terms(together)), set(terms(together)), "count") is None
    assert verify("How many Electric Vehicle charge points will the funding provide?", passage, "", Lexicon(),
                  passage=True).ok


def test_a_number_before_a_superlative_asks_for_that_many_ranked_rows(lex: Lexicon) -> None:
    from assistant.router.plan import ranked_count
    assert ranked_count("tell me the three most valuable procurements") == 3
    assert ranked_count("top 5 contracts in ccp") == 5
    assert ranked_count("the largest contract") == 1
    assert ranked_count("in the three years, which is the largest") == 1   # a number of something else
    u = understand("What are the 2 cheapest procurements in CCP?", lex)
    plan = build_plan(u, Conditions(departments=u.departments), ())
    assert plan is not None and (plan.operation, plan.limit) == ("min", 2)


def test_a_year_asked_of_a_table_by_period_filters_its_period_column() -> None:
    """Budget lines keep each figure's year in `period` ("2029-30 Year 5"): the year asked picks them,
    and is said "for 2029-30", not "due in"."""
    from assistant.router.answer_plan import filters_text
    from assistant.router.queries import where
    from assistant.router.understand import parse_dates
    year = next(d for d in parse_dates("capital in 2029-30") if d.fy_label)
    clauses, params = where(semantics()["budget_lines"], Conditions(dates=(year,)))
    assert any("period = ?" in c for c in clauses) and "2029-30" in params
    cond = Conditions(departments=("CYPE", "Children, Young People & Education", "GET"), dates=(year,))
    assert filters_text(cond, semantics()["budget_lines"], "CYPE and GET capital combined in 2029-30?") == \
        ["in CYPE and GET", "for 2029-30"]


def test_verify_a_saving_is_no_answer_to_what_is_spent() -> None:
    line = "Trade Union (TU) Facilities Time – £50,000."
    verdict = verify("how much does the county spend on trade union facilities time?", line, "", Lexicon(),
                     passage=True, reduction=True)
    assert not verdict.ok and "saving" in verdict.reason
    assert verify("how much will the county save on trade union facilities time?", line, "", Lexicon(),
                  passage=True, reduction=True).ok
    assert verify("how much does the county spend on trade union facilities time?", line, "", Lexicon(),
                  passage=True).ok   # a figure of no table of cuts


def test_a_topic_that_is_a_row_s_whole_name_names_it_exactly() -> None:
    from assistant.router.assistant import _named_exactly
    assert _named_exactly("non-opiate", "bii) Non-opiate") and _named_exactly("Arts", "arts")
    assert not _named_exactly("non-opiate", "biv) Alcohol & non-opiate") and not _named_exactly("", "Arts")


def test_verify_a_table_row_passage_of_a_rate_is_no_count_unless_a_rate_is_asked() -> None:
    row = "Rate of children in care per 10k population | 47 per 10k | 52 per 10k | 55 per 10k (Dec 19)"
    question = "how many children are in care in derbyshire at the moment? the number please, not the rate"
    assert verify(question, row, "", Lexicon(), passage=True).code == "wrong_value_kind"
    assert verify("how many children in care per 10k, the rate?", row, "", Lexicon(), passage=True).ok


def test_a_quarter_asked_on_its_own_must_be_the_answer_s_but_not_one_a_change_is_measured_from() -> None:
    from assistant.router.assistant import _periods_asked
    assert _periods_asked(understand("explore kent instagram followers at the end of Q2?", Lexicon())) == ("quarter 2",)
    assert _periods_asked(understand("referrals in Q3 - how many, and up or down on Q2?", Lexicon())) == ("quarter 3",)


def test_a_column_named_as_people_name_it_filters_it() -> None:
    """"Rated likely (4)", "rated 4": a risk's likelihood score, as "a likelihood of 3" is."""
    from assistant.router.plan import named_column_values
    assert named_column_values("of the other risks, how many are rated likely (4)?", "risks") == (("likelihood", "4"),)
    assert named_column_values("which risks are rated 4?", "risks") == (("likelihood", "4"),)
    assert named_column_values("which risks have a likelihood of 3?", "risks") == (("likelihood", "3"),)
    assert named_column_values("what is the consequence of the cyber risk?", "risks") == ()


def test_verify_a_year_named_only_as_a_comparison_is_not_the_year_of_the_figure() -> None:
    from assistant.router.understand import period_spellings
    from assistant.router.verify import only_compared
    passage = ("The Triage Team managed 11,541 referrals over the 2019 calendar year (40% up on 2018), and 61% were "
               "resolved at first contact.")
    assert only_compared(passage, period_spellings("2018")) and not only_compared(passage, period_spellings("2019"))
    assert not only_compared("In 2018 there were 500 referrals, up on 2017.", period_spellings("2018"))
    verdict = verify("how many referrals did the triage team handle in 2018?", passage, "", Lexicon(),
                     periods=("2018",), passage=True)
    assert not verdict.ok and verdict.code == "period_not_covered"


def test_a_figure_in_another_unit_or_a_price_in_a_row_is_no_answer() -> None:
    """"Tonnes of waste landfilled": a percentage landfilled gives no tonnes; "how many young carers will it
    help": a forward plan's "800,000.00" is a contract's value, not a number of carers; "11.02 days" is a count."""
    tonnes = verify("tonnes of municipal waste sent to landfill in 2019-20?",
                    "Percentage landfilled of total Municipal Waste collected: latest 17% for 2019-20.", "", Lexicon())
    assert not tonnes.ok and tonnes.code == "wrong_value_kind" and "tonnes" in tonnes.reason
    assert verify("how many tonnes of waste were recycled?", "Waste recycled: 41,000 tonnes.", "", Lexicon()).ok
    carers = verify("how many young carers will the young carers support service help?",
                    "Support Service for Young Carers | 800,000.00 | 01/04/2020.", "", Lexicon(), passage=True)
    assert not carers.ok and carers.code == "wrong_value_kind"
    assert verify("how many sick days per head in ETE?", "Days lost to sickness absence per head | 11.02 days.", "",
                  Lexicon(), passage=True).ok


@pytest.mark.parametrize("lower, rose", [
    ("which kpi fell the most compared with the previous quarter?", False),
    ("biggest increase on last quarter of any ccp measure?", True),
    ("which kpi fell the most?", None),   # no previous figure named: no ranking by change
    ("what is the latest figure compared with the previous quarter?", None),   # no ranking
])
def test_moved_most_reads_a_ranking_by_change_on_the_previous_figure(lower: str, rose: bool | None) -> None:
    from assistant.router.plan import moved_most

    assert moved_most(lower) is rose


def test_the_kpi_that_fell_most_on_the_previous_figure(tiny: tuple[Database, str], lex: Lexicon) -> None:
    u = understand("which KPI in CCP fell the most compared with the previous quarter?", lex)
    plan = build_plan(u, Conditions(departments=(CCP,)), ())
    assert plan is not None and (plan.operation, plan.measure, plan.descending) == ("min", "change", False)
    text = _answer(tiny, plan, u.question).answer.answer
    assert "Invoices paid on time" in text.split("\n")[0] and "93%" in text and "down 3 percentage points" in text
    rose = _answer(tiny, replace(plan, operation="max", descending=True)).answer.answer
    assert "Staff appraisals completed" in rose.split("\n")[0] and "up 10 percentage points" in rose


def test_a_body_worked_with_or_a_post_a_thing_goes_to_answers_who() -> None:
    from assistant.router.scoring import names_someone

    assert names_someone("The Economy Team continued to work with Medway Council on the legacy programmes.", Lexicon())
    assert names_someone("A policy is with legal services prior to presenting to the Corporate Director.", Lexicon(),
                         roles=False)
    assert not names_someone("the programme continued to work well in the quarter.", Lexicon(), roles=False)



def test_a_count_is_no_determiner_no_budget_cell_and_says_the_things_are_still_waiting() -> None:
    """"One way in which ..." counts nothing; a budget row's cells ("74 | 38,798.4 | Waste ...") count no
    visitors; "how many ... still waiting" needs a passage that says so, not one of those received."""
    split = verify("of the 2,183 new support packages how many were residential/nursing and how many in own homes",
                   "One way in which needs are met is a package, in a Residential/Nursing setting or in the own home. "
                   "2,183 new support packages were arranged.", "", Lexicon(), passage=True)
    assert not split.ok and split.code == "wrong_value_kind"
    cells = verify("How many people visited the household waste recycling centres in Q3?",
                   "74 | 38,798.4 | Waste Facilities & Recycling Centres | 0.0 | 47,801.9 | -9,849.4 | 37,952.5",
                   "", Lexicon(), passage=True)
    assert not cells.ok and cells.code == "wrong_value_kind"
    waiting = verify("how many DoLS applications were still waiting to be completed at the end of Q3?",
                     "Quarter 3 saw 2,786 DoLS applications received, and 2,432 were completed.", "", Lexicon(),
                     passage=True)
    assert not waiting.ok and "still waiting" in waiting.reason
    assert verify("how many DoLS applications were still waiting at the end of Q3?",
                  "At the end of Quarter 3, 1,200 DoLS applications were awaiting completion.", "", Lexicon(),
                  passage=True).ok


def test_a_table_row_s_date_cell_dates_the_whole_row() -> None:
    """"By when will they present the annual governance statement": the row's timeframe cell is its date,
    though the sentence that names the statement holds none."""
    row = ("Develop a robust assurance framework. | We will report on progress by presenting the Annual Governance "
           "Statement to the Audit and Accounts Committee. | December 2017 | Outcome 8: Delivering services differently")
    lexicon = Lexicon.build(people=[], departments=[], documents=[], groups={},
                            df={"govern": 3, "statement": 9, "audit": 5, "account": 6}, n_units=5000)
    assert verify("By when will Derby present the Annual Governance Statement to the Audit and Accounts Committee?", row,
                  "", lexicon, passage=True).ok
    # without the row's date cell, the date said is of something else
    unrelated = "We will report on progress by presenting the Annual Governance Statement. The new hub opened in May 2017."
    assert not verify("By when will Derby present the Annual Governance Statement?", unrelated, "", lexicon,
                      passage=True).ok


def test_a_row_named_whole_right_before_a_noun_of_its_table() -> None:
    """"The income risk" names the risk "Income", not one whose longer name merely holds the word."""
    from assistant.router.assistant import _named_before_noun

    question = "the income risk on the budget risk register - event and consequence?"
    assert _named_before_noun(question, "Income", "risks")
    assert not _named_before_noun(question, "Non delivery of Savings and income", "risks")
    assert not _named_before_noun("what is the income of the libraries line?", "Income", "risks")


def test_a_quarter_last_year_is_of_the_year_before_the_report_cited() -> None:
    """"Q3 last year" of a Q3 2024-25 report is Q3 2023-24, which the answer must be about; "last year"
    alone is not read (passages say "over the last year" of their own)."""
    from assistant.router.assistant import _year_before_asked
    from assistant.router.understand import understand

    lexicon = Lexicon()
    asked = understand("how many potholes were fixed within 28 days in Q3 last year?", lexicon)
    assert _year_before_asked(asked, ["Q3 2024-25"]) == ("2023-24",)
    assert _year_before_asked(understand("same quarter last year?", lexicon), ["Q3 2024-25"]) == ("2023-24",)
    assert _year_before_asked(understand("how many potholes were fixed last year?", lexicon), ["Q3 2024-25"]) == ()
    assert _year_before_asked(asked, [""]) == ()
    said = "1,219 Courses delivered in Quarter 3 compared to 1,146 Courses delivered in the same quarter last year."
    assert _year_before_asked(asked, ["Q3 2024-25"], said) == ()   # the passage gives last year's figure itself


def test_an_excluded_thing_the_answer_says_elsewhere_is_not_left_out() -> None:
    """"(excluding UASC)" of one measure beside "12 in house beds were released from the UASC scheme": the
    answer speaks of the UASC scheme, so it leaves nothing asked out."""
    from assistant.router.verify import excluded_asked

    q = "how many in-house foster beds were freed up from the uasc scheme?"
    assert excluded_asked(q, "foster care placements (excluding uasc): latest 73.2%") == "uasc"
    assert excluded_asked(q, "12 in house beds were released from the uasc scheme. placements (excluding uasc) 73%") is None


def test_verify_knows_more_kinds_of_value_asked() -> None:
    """"How long ... meant to run": a length of time; "how much is X costing": money; "what grade did
    Ofsted give": a judgement as inspectorates write one; "who supplies": a supplier; "how many ... completed"
    of a row counting starts: not those; "enough for potentially 5000 jobs" is no count so far."""
    from assistant.router.verify import asked_kind, states_kind, verify

    assert asked_kind("how long is the supply of local bus transport contract (ete forward plan) meant to run?") == "duration"
    assert asked_kind("how much is the flood defence upgrade costing?") == "money"
    assert asked_kind("what overall grade did ofsted give kent's send services?") == "grade"
    assert asked_kind("who currently supplies the county council's gas?") == "organisation"
    assert states_kind("The service was rated Good at its last inspection.", "grade")
    assert not states_kind("good progress was made on inspections.", "grade")
    row = verify("how many apprenticeships did CCP see completed in 2019-20?",
                 "Number of new apprenticeship starts – CCP | 54 | 33 | 66 (Dec 2019) | 20", "", Lexicon(), quoted=True)
    assert not row.ok and row.code == "wrong_value_kind"
    jobs = verify("how many jobs have been created at infinity park so far?",
                  "Funding secured for works - enough for potentially 5000 jobs at Infinity Park.", "", Lexicon(),
                  passage=True)
    assert not jobs.ok and jobs.code == "only_aim_given"


def test_a_kpi_s_change_between_two_years_is_written_as_its_figures_are() -> None:
    """"£1.532m" to "£3.070m" went up by £1.538m (the figures as written, not the sums they stand for)."""
    from assistant.router import compose

    row = {"description": "Total amount spent on agency staff", "department": "ASCH", "council": "County"}
    values = [{"kind": "actual", "period": "2017-18", "raw": "£1.532m", "value": 1532000.0, "unit": "£"},
              {"kind": "latest", "period": "2018-19", "raw": "£3.070m", "value": 3070000.0, "unit": "£"}]
    assert compose.compare_sentence(row, values, ["2017-18", "2018-19"]).endswith(
        "From 2017-18 to 2018-19 it went up by £1.538m.")
    shares = [{"kind": "actual", "period": "2017-18", "raw": "3.8%", "value": 3.8, "unit": "%"},
              {"kind": "actual", "period": "2018-19", "raw": "3.5%", "value": 3.5, "unit": "%"}]
    assert compose.compare_sentence(row, shares, ["2017-18", "2018-19"]).endswith("went down by 0.3 percentage points.")


def test_a_change_by_one_year_named_is_from_the_year_before() -> None:
    from assistant.router.assistant import _CHANGE_BY_YEAR
    from assistant.router.understand import fy_label

    assert _CHANGE_BY_YEAR.search("asc&h total agency spend - how much did it rise by 18-19?")
    assert not _CHANGE_BY_YEAR.search("asc&h total agency spend in 18-19?")
    assert fy_label(2017) == "2017-18" and fy_label(1999) == "1999-00"


def test_verify_a_councillor_asked_is_named_by_cllr() -> None:
    """"Which derby councillor had X": an answer naming "Cllr Baggy Shanker" names a councillor."""
    from assistant.text import terms
    lexicon = Lexicon(df={terms("councillor")[0]: 2, terms("strategy")[0]: 40}, n_units=1000)
    question = "which derby councillor had the procurement strategy action?"
    assert verify(question, "Cllr Baggy Shanker: Implement a new Procurement Strategy.", "", lexicon, passage=True).ok
    assert not verify(question, "Implement a new Procurement Strategy.", "", lexicon, passage=True).ok


def test_a_name_in_quotes_is_written_by_the_passage() -> None:
    """"What is 'Better Lives'?": "the 'Better Lives' transformation programme" writes the name."""
    from assistant.router.verify import names_missing

    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            vocabulary=frozenset("better lives".split()), common_words=frozenset())
    assert names_missing("what is Better Lives?", "implement the 'Better Lives' transformation programme", lexicon) == []


def test_v_between_a_value_and_the_target_asks_the_gap() -> None:
    """"Previous qtr v target?", "previous figure v the floor?", "how comfortably above its floor": the gap."""
    from assistant.router import compose

    assert compose.gap_asked("repeat referrals to childrens social care: previous qtr v target?") == ("previous", "target")
    assert compose.gap_asked("drug and alcohol treatment: previous figure v the floor?") == ("previous", "floor")
    assert compose.gap_asked("s106 contributions - how comfortably above its floor was it?") == ("latest", "floor")
    assert compose.gap_asked("v target") is not None and compose.gap_asked("vat target") is None


def test_a_part_of_a_whole_must_be_named_by_the_answer() -> None:
    """"How much of the maintenance backlog is in schools?": the backlog's own figure is no answer; one
    that names the schools is checked as any other. "The day rate" asks a figure per day."""
    from assistant.router.verify import verify

    backlog = "\"Property maintenance backlog\": latest £73.538m (Feb 2020); target £50m."
    refused = verify("how much of the ccp property maintenance backlog is in schools?", backlog, "", Lexicon())
    assert not refused.ok and refused.code == "part_not_given"
    assert verify("how much of the property maintenance backlog is in schools?",
                  "Schools account for £40m of the property maintenance backlog.", "", Lexicon()).ok
    assert verify("how much of the capital budget is for the market hall?", "The capital budget is £55.48 million.",
                  "", Lexicon()).code == "part_not_given"
    day = verify("whats the day rate for an agency social worker?", "Spending on agency social workers: £425,623.",
                 "", Lexicon())
    assert not day.ok and day.code == "wrong_value_kind"


def test_how_a_cell_was_read_is_no_field_a_follow_up_names() -> None:
    """"Completion?" asks when an action completes, not its date's "complete precision" or status."""
    from assistant.router.plan import named_fields

    assert named_fields("completion?", "actions") == ()
    assert named_fields("success measures?", "actions") == ("success_measures",)


def test_a_benchmark_figure_asked_needs_a_figure_of_it() -> None:
    """"What's the national average they compare against?": a row that only aims "to maintain above national
    performance" gives none; "the England average of 22.4%" does; "how does Kent compare with national
    figures" may be answered in words."""
    from assistant.router.verify import verify

    aim = "Attendance at secondary school | 94.5% (2018/19 a/y) | - | To maintain above national performance."
    refused = verify("what's the national average for secondary attendance?", aim, "", Lexicon())
    assert not refused.ok and refused.code == "field_not_given"
    assert verify("what's the england average for long-term care admissions?",
                  "This compares to the England average of 22.4% for 2023/24.", "", Lexicon()).ok
    assert verify("how does kent compare with regional and national figures on reablement?",
                  "Kent has performed above regional and national comparators in most years.", "", Lexicon()).ok


def test_an_income_asked_needs_a_figure_called_income() -> None:
    """"How much income do the pay and display machines bring in?": the machines' contract value is no
    income; a line the answer calls income is."""
    from assistant.router.verify import verify

    contract = ("The estimated value of contract \"Purchase, installation and back office software for Pay and "
                "Display Machines\" is £180,000, with an estimated procurement start of 01/09/2020.")
    refused = verify("how much income do ETE's pay and display machines bring in?", contract, "", Lexicon())
    assert not refused.ok and refused.code == "wrong_value_kind"
    assert verify("how much income does the registration service bring in?",
                  "The Income for \"Registration Service\" is £2,500,000.", "", Lexicon()).ok
    assert verify("what electric vehicles has ETE brought in?", "Eight electric pool cars and three electric bikes.",
                  "", Lexicon()).code != "wrong_value_kind"
    # "how much of the capital budget is for the market hall": a sum of money, which a pledge's text is not
    assert asked_kind("how much of the capital budget is for the market hall?") == "money"
