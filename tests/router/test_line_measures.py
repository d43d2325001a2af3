"""Several measures of one long-form line asked together (assistant/router/line_measures.py)."""

from assistant.router import line_measures
from assistant.router.semantic import semantics
from assistant.text import terms

SIBLINGS = [("g", "annual gross revenue budget"), ("n", "annual net revenue budget"), ("c", "capital budget")]


def test_measures_are_named_by_their_own_words_only_when_two_or_more_are() -> None:
    asked = set(terms("how much bigger is growth's gross revenue budget than its net?"))
    assert line_measures.measures_named(asked, SIBLINGS) == ["g", "n"]
    assert line_measures.measures_named(set(terms("what is the net budget?")), SIBLINGS) == []
    # "revenue" is shared by two measures: it names neither on its own
    assert line_measures.measures_named(set(terms("revenue and capital")), SIBLINGS) == []


def test_two_measures_of_one_line_are_set_against_each_other() -> None:
    sem = semantics()["budget_lines"]
    rows = [{sem.what: "GROWTH", "line_start": 3, "measure": "annual net revenue budget", sem.amount: 13_400_000.0},
            {sem.what: "GROWTH", "line_start": 3, "measure": "annual gross revenue budget", sem.amount: 20_470_000.0}]
    assert line_measures.one_line(rows, sem)
    assert line_measures.difference_sentence(rows, sem) == (
        "The annual gross revenue budget is larger than the annual net revenue budget by £7,070,000 (£7.07m).")
    assert not line_measures.one_line([rows[0], {**rows[1], "line_start": 9}], sem)
    assert line_measures.ASKS_DIFFERENCE.search("so what's the difference?")
    assert not line_measures.ASKS_DIFFERENCE.search("what is the gross budget?")
