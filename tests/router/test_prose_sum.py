"""Unit tests of counts a passage gives one by one, added up (assistant/router/prose_sum.py)."""

from __future__ import annotations

from assistant.router import prose_sum
from assistant.router.prose_sum import added, asks_added, sentence


def test_the_counts_of_the_things_asked_are_added_up() -> None:
    q = "combined followers of the new facebook and instagram channels?"
    assert asks_added(q)
    total = added(q, "Growth continued in 2024 with 1,090 followers on Facebook and 332 followers on Instagram.")
    assert total == (1422.0, ["1,090 followers", "332 followers"])   # the year is no count
    assert sentence(*total) == "1,422 in all (1,090 followers + 332 followers)."
    hubs = added("how many venues - libraries plus family hubs?", "Sessions resumed across 12 libraries and three "
                                                                  "family hubs, with 45% more visits.")
    assert hubs == (15.0, ["12 libraries", "three family hubs"])   # the percentage is no count


def test_counts_of_other_things_or_a_single_count_add_up_to_nothing() -> None:
    assert added("combined followers?", "1,090 followers on Facebook and £332 spent on adverts.") is None
    assert added("combined followers?", "There are 12 libraries and 3 family hubs.") is None
    assert not asks_added("how many followers does the facebook channel have?")


def test_how_many_are_left_is_the_number_less_those_done() -> None:
    from assistant.router.prose_sum import left_to_do

    text = "They will bring 19 empty properties back into use (16 completed) and create 52 homes (49 completed)."
    assert left_to_do("GPF-funded homes - how many still to finish?", text) == (3.0, "52 homes - 49 completed")
    assert left_to_do("how many properties are left to bring back?", text) == (
        3.0, "19 empty properties back into use - 16 completed")
    assert left_to_do("how many homes were completed?", text) is None   # asks the done, not the left


def test_two_counts_set_against_each_other_without_the_whole_they_make() -> None:
    text = "Of the 2,016 care leavers, 1,036 (51.4%) were non-UASC care leavers and 980 (48.6%) were UASC."
    question = "care leavers - more non-UASC or UASC, and by how many?"
    assert prose_sum.asks_difference(question.lower())
    gap, parts = prose_sum.differed(question, text)
    assert gap == 56 and parts[0].startswith("1,036") and parts[1].startswith("980")
    assert prose_sum.difference_sentence(gap, parts).startswith("56 more (1,036")
    assert not prose_sum.asks_difference("how many care leavers are there?")


def test_a_length_of_time_is_never_added_to_a_count() -> None:
    text = ("In the first year these systems avoid over 3,330 tonnes CO2e in total, with expected system "
            "lifetimes of around 25 years.")
    assert added("how much CO2e do the systems avoid in total in their first year", text) is None
