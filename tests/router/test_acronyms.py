"""Acronyms the documents never write are read as the phrase whose initials they are."""

from __future__ import annotations

from assistant.router.acronyms import expand_acronyms, phrase_initials, spelled_out_words

TEXTS = [
    "Percentage of pupils achieving the expected standard at Key Stage 1 Writing\t70.3%\n"
    "Percentage of pupils achieving the expected standard at Key Stage 2 Maths\t65%\n"
    "Key Stage 1 Reading\t75.6%",
    "Reduce the number of people killed or seriously injured on the roads; people killed or seriously injured fell.",
    "Kent Support Index once only.",
    "Children looked after\nchildren looked after by the council\nCare leavers and Children looked after",
]
VOCABULARY = frozenset({"ete", "ccp", "the", "roads", "writing", "care"})


def test_a_phrase_written_twice_owns_its_initials_and_a_number_is_kept_whole() -> None:
    initials = phrase_initials(TEXTS)
    assert initials["ks1"] == "Key Stage 1"
    assert initials["ksi"] == "killed or seriously injured"   # small words ("or") are skipped
    assert initials["cla"] == "Children looked after"
    assert "ks2" not in initials   # written once, and two letters: too weak to own initials
    assert initials["ksi"] != "Kent Support Index"   # a rival phrase written once does not take them over


def test_long_initials_that_one_phrase_alone_has_are_its_own_even_written_once() -> None:
    initials = phrase_initials(["Tender the Independent Domestic Violence Advisors Service in 2022."])
    assert initials["idva"] == "Independent Domestic Violence Advisors"
    assert expand_acronyms("IDVA service - how much?", initials, VOCABULARY).startswith(
        "Independent Domestic Violence Advisors service")


def test_a_question_s_acronym_is_written_out_unless_the_documents_use_it() -> None:
    initials = phrase_initials(TEXTS)
    assert expand_acronyms("KS1 writing 2018/19", initials, VOCABULARY) == "Key Stage 1 writing 2018/19"
    assert expand_acronyms("KSIs on the roads?", initials, VOCABULARY) == "killed or seriously injured on the roads?"
    assert expand_acronyms("ks1 writing", initials, VOCABULARY) == "Key Stage 1 writing"   # a digit marks it
    # the documents' own acronyms, lower-case words and unknown acronyms stay as typed
    assert expand_acronyms("ETE and CCP", initials, VOCABULARY) == "ETE and CCP"
    assert expand_acronyms("ksi on the roads", initials, VOCABULARY) == "ksi on the roads"
    assert expand_acronyms("PCNs issued", initials, VOCABULARY) == "PCNs issued"


def test_ambiguous_initials_belong_to_no_phrase() -> None:
    initials = phrase_initials(["Key Stage\nKey Stage\nKent Services\nKent Services"])
    assert "ks" not in initials


def test_words_that_spell_out_an_acronym_the_text_writes_are_found() -> None:
    question = "training for Gypsy, Roma and Traveller and LGBTQ+ people"
    assert spelled_out_words(question, "equity training with GRT, LGBTQ+ and Youth") == {"gypsy", "roma", "traveller"}
    assert spelled_out_words(question, "training for all staff") == set()
    # one word is no acronym, and the capitals must be the initials in order
    assert spelled_out_words("the Roma community", "RC") == {"roma", "community"}
    assert spelled_out_words("the Roma community", "CR") == set()


def test_initials_of_a_name_the_conversation_wrote_in_full_stand_for_it() -> None:
    from assistant.router.acronyms import initials_of_previous

    said = "derwent valley mills external funding secured latest?\n\"External funding secured Derwent Valley Mills\": 53,060"
    vocabulary = frozenset({"which", "action", "is", "due", "april", "and", "who", "leads", "it"}).__contains__
    assert initials_of_previous("which dvm action is due april 2020?", said, vocabulary).lower() == \
        "which derwent valley mills action is due april 2020?"   # written once in lower case, once in capitals
    # a word the documents use, or initials no name of the conversation has, stay as typed
    assert initials_of_previous("which action is due?", said, vocabulary) == "which action is due?"
    assert initials_of_previous("what about the xyz plan?", said, vocabulary) == "what about the xyz plan?"


def test_an_acronym_typed_is_in_a_name_that_spells_it_out() -> None:
    from assistant.router.acronyms import acronyms_spelled
    name = "Subject Access requests, made under Art 15 of the General Data Protection Regulations, completed on time"
    assert acronyms_spelled("SARs completed in statutory timescales - latest %?", name) == {"sars"}
    assert acronyms_spelled("SARs completed?", "Percentage of complaints responded to within timescale") == set()
    assert acronyms_spelled("GDPR requests?", "GDPR requests completed") == set()   # written as it is
