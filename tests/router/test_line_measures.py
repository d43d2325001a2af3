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



def test_two_lines_of_one_measure_are_named_by_their_lines() -> None:
    """"The difference between the community-based and residential care net costs": two lines' Net Cost."""
    sem = semantics()["budget_lines"]
    rows = [{sem.what: "Residential Care Services", "line_start": 151, "measure": "Net Cost", sem.amount: 32_334_500.0},
            {sem.what: "Community Based Services", "line_start": 152, "measure": "Net Cost", sem.amount: 38_567_900.0}]
    assert line_measures.difference_sentence(rows, sem) == (
        'The Net Cost of "Community Based Services" (£38,567,900) is larger than that of "Residential Care Services" '
        "(£32,334,500) by £6,233,400 (£6.233m).")


def test_one_line_in_two_years_is_a_change_from_the_earlier_to_the_later() -> None:
    """"How much more in 25/26 than 24/25": the line's figure of each year, the change in the table's own
    unit (£000s, one decimal as printed) and in pounds; income printed as negatives grows in size."""
    sem = semantics()["budget_lines"]
    net = [{sem.what: "LAC - Care & Support", "line_start": 7, "measure": "Net Cost", "period": "2025-26",
            "raw": "108,618.9", sem.amount: 108_618_900.0},
           {sem.what: "LAC - Care & Support", "line_start": 7, "measure": "Revised Base Budget (Net Cost)",
            "period": "2024-25", "raw": "101,738.8", sem.amount: 101_738_800.0}]
    assert line_measures.year_change_sentence(net, sem) == (
        "From 101,738.8 (Revised Base Budget (Net Cost), 2024-25) to 108,618.9 (Net Cost, 2025-26): up 6,880.1 "
        "(£6,880,100).")
    grant = [{**net[0], "raw": "-149,107.7", sem.amount: -149_107_700.0},
             {**net[1], "raw": "-147,382.5", sem.amount: -147_382_500.0}]
    assert line_measures.year_change_sentence(grant, sem).endswith(": up 1,725.2 (£1,725,200).")
    assert line_measures.year_change_sentence([net[0], {**net[1], "period": "2025-26"}], sem) == ""  # one year
    assert line_measures.ASKS_CHANGE.search("business rate top up grant - how much more in 25/26 than 24/25?")
    assert not line_measures.ASKS_CHANGE.search("what is the 2025-26 net cost of kent karrier?")
    assert line_measures.ASKS_CHANGE.search("other school services - net cost 2025-26 compared with the revised base?")
    assert line_measures.ASKS_CHANGE.search("ced capital: how big is the swing from 2025-26 to 2026-27?")


def test_a_line_is_read_in_its_years_when_a_year_or_a_movement_is_asked() -> None:
    from assistant.router.assistant import reads_line_years

    assert reads_line_years("by how much does the total - finance net budget fall from its revised base?", [])
    assert reads_line_years("net cost of kent karrier", ["2025-26"])
    assert not reads_line_years("how much bigger is the resilient gross revenue budget than its net?", [])
