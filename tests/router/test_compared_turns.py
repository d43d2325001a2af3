"""Unit tests of reading a follow-up that sets the figure just given against another item's
(assistant/router/compared_turns.py): pure functions over strings."""

from __future__ import annotations

from assistant.router.compared_turns import (ComparedWith, compared_with, difference_sentence, final_figure,
                                             other_question)


def test_a_comparison_with_another_item_is_read_but_one_with_another_period_is_not() -> None:
    asked = compared_with("how does its net compare with prevention's net?")
    assert asked == ComparedWith("net", "prevention's net")
    assert other_question(asked) == "and prevention's net?"
    tippers = compared_with("How does that compare with CCP's 3.5t tippers?")
    assert tippers == ComparedWith(None, "CCP's 3.5t tippers") and other_question(tippers) == "and CCP's 3.5t tippers?"
    assert other_question(ComparedWith("gross", "prevention")) == "and prevention gross?"
    for period in ("how does that compare with 2018-19?", "how does that compare to last year?",
                   "how does it compare with the target?", "how does that compare with the national average?",
                   "how does that compare with december 2023?", "how does that compare to 20/21?"):
        assert compared_with(period) is None, period
    assert compared_with("what is the net budget for prevention?") is None


def test_the_figure_a_one_fact_answer_ends_with() -> None:
    assert final_figure('The Net Budget for "Prevention" (Adult Social Care) is £3,516,231.') == ("£3,516,231", 3516231)
    assert final_figure("Charge per Vehicle (£) for Parks (3.5t Tipper): 33,000.") == ("33,000", 33000)
    assert final_figure("The Income for X is (586,840) as printed.")[1] == -586840
    assert final_figure("The documents don't say which year.") is None


def test_the_difference_is_said_with_its_direction_unit_and_ratio() -> None:
    asked = ComparedWith(None, "prevention")
    assert difference_sentence(asked, ("£6,243,855", 6243855), ("£3,516,231", 3516231)) == \
        "Prevention (£3,516,231) is £2,727,624 less than the first (£6,243,855)."
    assert difference_sentence(asked, ("16,500", 16500), ("33,000", 33000), "the previous answer") == \
        "Prevention (33,000) is 16,500 more than the previous answer (16,500), 2.0 times as much."
    assert difference_sentence(asked, ("95%", 95), ("97.5%", 97.5)).startswith(
        "Prevention (97.5%) is 2.50 percentage points more")
    assert "the same as" in difference_sentence(asked, ("£5", 5), ("£5", 5))


def test_how_far_above_another_figure_of_the_same_item_asks_it_as_a_follow_up() -> None:
    """"How far above the net is it?" after a gross total: "and the net?", then the gap."""
    asked = compared_with("how far above the net is it?")
    assert asked == ComparedWith(None, "the net") and other_question(asked) == "and the net?"
    assert compared_with("how far above the target is it?") is None   # another value of one measure: the KPI's
