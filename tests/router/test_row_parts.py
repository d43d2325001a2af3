"""Unit tests of row_parts.py: the part of one row a follow-up asks about."""

from __future__ import annotations

from assistant.router.row_parts import detail_parts, parts_asked, parts_of

MILESTONES = ("Phase 1 works, including a new path on Mill Road commenced.; Phase 1 works completed.; "
              "Phase 2 works, including links to the station commenced.; Phase 2 works completed.")


def test_a_row_cell_is_cut_at_its_joins_and_sentences() -> None:
    assert parts_of(["The path opens. The bridge follows; Works completed", "Works completed"]) == [
        "The path opens.", "The bridge follows", "Works completed"]


def test_the_part_with_every_word_and_number_asked_is_the_answer() -> None:
    assert parts_asked("phase 2 include", "Build a cycle track", [MILESTONES]) == [
        "Phase 2 works, including links to the station commenced."]


def test_parts_that_tie_are_given_together() -> None:
    assert parts_asked("phase 1", "Build a cycle track", [MILESTONES]) == [
        "Phase 1 works, including a new path on Mill Road commenced.", "Phase 1 works completed."]


def test_a_number_the_row_does_not_write_finds_nothing() -> None:
    assert parts_asked("phase 3", "Build a cycle track", [MILESTONES]) == []


def test_the_row_label_and_a_long_question_are_not_parts() -> None:
    assert parts_asked("cycle track", "Build a cycle track", ["Build a cycle track"]) == []
    assert parts_asked("station links funding approval timetable", "x", [MILESTONES]) == []


RISK_LABEL = "Waste income, tonnage and gate fee prices"
RISK_TEXT = ["The market has seen volatility in the income received for certain waste streams. "
             "Inflation is reducing, but the November forecast showed a slower rate of reduction than March.",
             "Gate fees may rise further; income may fall."]


def test_a_detail_of_a_row_is_the_one_sentence_holding_most_of_its_words() -> None:
    parts = detail_parts("waste gate fee risk which forecast showed a slower rate of reduction", RISK_LABEL, RISK_TEXT)
    assert parts == ["Inflation is reducing, but the November forecast showed a slower rate of reduction than March."]


def test_no_detail_when_the_question_asks_only_the_row_s_name_or_no_sentence_says_it() -> None:
    assert detail_parts("waste income tonnage gate fee prices", RISK_LABEL, RISK_TEXT) == []   # the row itself
    assert detail_parts("waste gate fee risk annual exposure owner", RISK_LABEL, RISK_TEXT) == []


def test_the_second_thing_asked_after_a_named_figure_is_a_detail_of_the_row() -> None:
    """"... lifetime exposure, and which forecast showed a slower rate?": the clause after the figure asked
    (compose.THEN_ASKED) picks the detail, as a question of that detail alone would."""
    from assistant.router.compose import THEN_ASKED

    question = "waste gate fee risk: lifetime exposure, and which forecast showed a slower rate of reduction?"
    then = THEN_ASKED.search(question)
    assert then is not None
    assert detail_parts(question[then.end():], RISK_LABEL, RISK_TEXT) == [
        "Inflation is reducing, but the November forecast showed a slower rate of reduction than March."]


def test_a_row_naming_the_other_kind_of_spend_is_another_row() -> None:
    from assistant.router.assistant import _other_qualifier

    assert _other_qualifier("net zero capital risk: lifetime exposure?", "Net Zero green agenda (revenue spend)")
    assert not _other_qualifier("net zero capital risk", "Net Zero green agenda (capital spend)")
    assert not _other_qualifier("net zero risk", "Net Zero green agenda (revenue spend)")   # neither asked
