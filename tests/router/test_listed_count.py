"""Unit tests of a count a passage gives as a list of names (assistant/router/listed_count.py)."""

from __future__ import annotations

from assistant.router.listed_count import listed_count


def test_the_names_a_passage_lists_are_counted_with_what_the_question_counts() -> None:
    text = "Young Driver ‘Speak Out’ campaign on Facebook, Instagram and Snapchat."
    assert listed_count("speak out campaign - how many social media platforms was it on?", text) == (
        "3 social media platforms: Facebook, Instagram and Snapchat. " + text)
    districts = "It covers Bolsover, Chesterfield, High Peak, South Derbyshire and Amber Valley."
    assert listed_count("how many districts does it cover?", districts).startswith(
        "5 districts: Bolsover, Chesterfield, High Peak, South Derbyshire and Amber Valley.")


def test_no_count_when_the_passage_writes_a_number_lists_no_names_or_no_how_many_is_asked() -> None:
    assert listed_count("how many schools took part?", "Schools in Dover, Thanet and Swale: 12 in all.") is None
    assert listed_count("how many partners are there?", "partners across health, care and housing") is None
    assert listed_count("which platforms was it on?", "on Facebook, Instagram and Snapchat") is None


def test_two_names_joined_by_and_or_an_ampersand_are_no_list() -> None:
    """"Kent & Medway Innovation Partnership", "Kent-wide Cycling and Walking Implementation Plan": one name each."""
    assert listed_count("how many businesses has it supported?",
                        "Medway Economic Partnership on activities including a Kent & Medway Innovation Partnership.") is None
    assert listed_count("how many groups are active?", "a Kent-wide Cycling and Walking Implementation Plan (KCWIP).") is None


def test_a_listed_name_may_carry_its_acronym_or_a_noun_for_what_it_is() -> None:
    text = ("EIAs represent KPAS at a range of forums such as the Local Inclusion Forum Team (LIFT), LIFT Executive, "
            "In Year Fair Access panels and District Contextual Safeguarding Meetings.")
    said = listed_count("how many forums do the eias represent kpas at?", text)
    assert said is not None and said.startswith("4 forums: Local Inclusion Forum Team (LIFT), LIFT Executive, In Year")
