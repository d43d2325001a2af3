"""The words a table cell is looked up by: a department's short name is spelt out as its tables'
context names it."""

from __future__ import annotations

from assistant.router.assistant import _departments_spelt_out
from assistant.router.understand import DocumentInfo, Lexicon

CCP = "Commissioning, Communities and Policy"
ETE = "Economy, Transport and Environment"
COUNTY = "Derbyshire County Council"


def _lex() -> Lexicon:
    return Lexicon.build(people=[], departments=[(CCP, COUNTY), (ETE, COUNTY)],
                         documents=[DocumentInfo("d1", "Service Plans 2020-21", COUNTY, "2020-21", "service plan")])


def test_a_department_s_short_name_is_spelt_out_for_the_departments_asked() -> None:
    lex = _lex()
    assert _departments_spelt_out("ete countryside services income?", (ETE,), lex) == \
        f"{ETE} countryside services income?"
    assert _departments_spelt_out("ETE's countryside income", (ETE,), lex) == f"{ETE} countryside income"
    # another department's short name, and a word that merely starts alike, stay as typed
    assert _departments_spelt_out("ccp and etextile income", (ETE,), lex) == "ccp and etextile income"
