"""Small wording rules of the plan: qualifier nouns, number words, divisions of one department,
filler such as "coming up"."""

from __future__ import annotations

from assistant.router.plan import build_plan
from assistant.router.queries import Conditions
from assistant.router.scoring import residual_terms
from assistant.router.semantic import tables_for
from assistant.router.understand import DocumentInfo, Lexicon, clean, understand

CCP = "Commissioning, Communities and Policy"
COUNTY = "Derbyshire County Council"


def _lex() -> Lexicon:
    return Lexicon.build(people=[], departments=[(CCP, COUNTY)],
                         documents=[DocumentInfo("d1", "Service Plans 2020-21", COUNTY, "2020-21", "service plan")],
                         groups={("budget_lines", "measure"): ("Net Budget", "capital budget")})


def test_a_qualifier_points_at_its_table_after_a_table_named_by_its_own_noun() -> None:
    assert tables_for("waste capital infrastructure risk") == ("risks", "budget_lines")
    assert tables_for("total 3 year capital") == ("budget_lines",)


def test_a_qualifier_stays_a_topic_word_that_rows_must_hold() -> None:
    u = understand("total 3 year capital across the priority areas", _lex())
    assert "capit" in residual_terms(u, strict=True) or "capital" in residual_terms(u, strict=True)


def test_number_words_are_no_topic_words() -> None:
    u = understand("total net budget of the five priority areas", _lex())
    assert "five" not in residual_terms(u, strict=True)


def test_which_division_of_one_department_is_a_max_over_its_rows() -> None:
    u = understand("In CCP, which division has the largest net budget?", _lex())
    plan = build_plan(u, Conditions(departments=u.departments), ())
    assert plan is not None and plan.operation == "max" and plan.table == "budget_lines"
    u = understand("which department has the largest net budget?", _lex())
    plan = build_plan(u, Conditions(), ())
    assert plan is not None and plan.operation == "group_top" and plan.group_by == "department"


def test_coming_up_is_filler() -> None:
    assert clean("what's the biggest public health procurement coming up?") == \
        "what is the biggest public health procurement?"
