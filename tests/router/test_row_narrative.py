"""Unit tests of the answers read from one register row's story (assistant/router/row_narrative.py):
which kind of question asks of it, and which of its columns' sentences answer. Rows are hand-made."""

from __future__ import annotations

from assistant.router.row_narrative import narrate, narrative_kind

RETENDER = {"risk": "Contract retender",
            "cause": "Contracts coming up for retender are more expensive due to prevailing market conditions.",
            "event": "This risk could result in a shortage of potential suppliers.",
            "consequence": "Higher than budgeted costs resulting in overspends unless offset by specification changes.",
            "mitigation": None}


def test_the_kind_of_question_is_read_from_its_words() -> None:
    assert narrative_kind("contract retender risk: why are retenders dearer?", "risks") == "why"
    assert narrative_kind("what does the register say the council may have to do?", "risks") == "outcome"
    assert narrative_kind("drainage risk: how much extra might be needed on top?", "risks") == "figure"
    assert narrative_kind("what is the annual exposure of the high needs risk?", "risks") is None
    assert narrative_kind("why is this late?", "actions") is None   # a table that tells no story


def test_why_is_answered_by_the_sentence_giving_a_reason() -> None:
    said = narrate("contract retender risk why are retenders dearer", "", RETENDER, "risks", "why", "risk")
    assert said is not None and said.parts[0] == ("cause", RETENDER["cause"])
    assert said.text().startswith("Cause: Contracts coming up for retender")


def test_a_second_thing_asked_brings_the_column_that_says_it() -> None:
    said = narrate("contract retender risk why are retenders dearer and what could offset the extra cost",
                   "why are retenders dearer, and what could offset the extra cost?", RETENDER, "risks", "why", "risk")
    assert said is not None and [c for c, _ in said.parts] == ["cause", "consequence"]
    assert "specification changes" in said.text()


def test_with_no_other_word_in_the_story_the_first_column_answers_whole() -> None:
    row = {"risk": "Capital", "cause": "Costs rise.", "event": "Inflation.",
           "consequence": "Projects are re-prioritised to keep within the overall budget.", "mitigation": ""}
    said = narrate("capital risk what happens", "", row, "risks", "outcome", "risk")
    assert said is not None and said.parts == (("consequence", row["consequence"]),)


def test_a_register_that_describes_the_risk_under_its_name_answers_from_it() -> None:
    row = {"risk": "Prolonged recovery and funding gap The Council continues to face reductions in funding.",
           "mitigation": "Key mitigations include the five-year financial plan."}
    said = narrate("why is the funding gap a risk", "", row, "risks", "why", "risk")
    assert said is not None and said.text() == row["risk"]


def test_a_row_without_a_figure_gives_the_sum_its_story_states() -> None:
    from assistant.router.row_narrative import figure_said

    row = {"risk": "Capital - Galley Hill cliff collapse", "cause": "Ownership of the land is disputed.",
           "event": "The risk event is that costs to date of £1.162m since 2023-24 would not be recovered. "
                    "Further repairs may be needed.",
           "consequence": "An overspend.", "mitigation": None}
    said = figure_said("galley hill cliff collapse exposure so far", "", row, "risks", "risk")
    assert said is not None and said.parts == (("event", "The risk event is that costs to date of £1.162m since "
                                                         "2023-24 would not be recovered."),)
    assert figure_said("galley hill exposure", "", {**row, "event": "No sum is given."}, "risks", "risk") is None
