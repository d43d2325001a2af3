"""Question understanding: intents and each entity type, on a small lexicon and on the real one."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.router.understand import (DocumentInfo, Lexicon, detect_intent, names_year_period, match_people, parse_amounts,
                                         parse_dates, understand)
from assistant.text import terms


@pytest.fixture(scope="module")
def small() -> Lexicon:
    return Lexicon.build(
        people=[("Dean Wallace", ["Dean Wallace"], None), ("Emma Crapper", [], None), ("Emma Alexander", [], None),
                ("Jane Parfremment", ["Jane Parfremment", "Jane Parfremont"], None), ("Sarah Eaton", [], None),
                ("Amo Raju", ["Amo Raju"], "Cllr")],
        departments=[("Commissioning, Communities and Policy", "Derbyshire County Council"),
                     ("Economy, Transport and Environment", "Derbyshire County Council"),
                     ("Adult Social Care and Health", "Derbyshire County Council"),
                     ("Children's Services", "Derbyshire County Council")],
        documents=[DocumentInfo("dcc-service-plans", "Service Plans 2020-21", "Derbyshire County Council", "2020-21", "service plan"),
                   DocumentInfo("dcc-plan", "Council Plan 2021-25", "Derbyshire County Council", "2021-25", "council plan"),
                   DocumentInfo("city-plan", "Derby City Council Plan 2022-25", "Derby City Council", "2022-25", "council plan"),
                   DocumentInfo("city-pledges", "Pledges 2016-19", "Derby City Council", "2016-19", "pledges")],
        groups={("procurements", "category"): ("ICT", "Legal Services", "Property Services (Above OJEU)",
                                               "Community Services"),
                ("procurements", "caption"): ("above OJEU threshold", "above £50K less than OJEU threshold")},
        common_words=frozenset({"long", "the", "library"}))


@pytest.mark.parametrize("question, intent", [
    ("Who leads the channel shift strategy?", "who"),
    ("When is action 37 due?", "when"),
    ("By when will the libraries transfer?", "when"),
    ("What is the target for sickness absence?", "target"),
    ("How much is the Supply of Gas contract worth?", "how_much"),
    ("requests completed in statutory timescales - latest % and floor?", "how_much"),
    ("when will the requests be completed in timescale?", "when"),
    ("How many actions does Dean Wallace lead?", "count"),
    ("List CCP actions due in May 2020", "list"),
    ("Which KPIs have no target?", "list"),
    ("What is the council's ambition?", "explain"),
    ("who is derby city council developing the community urgent response model with?", "explain"),
    ("and the owner operated plant & vehicles one?", "explain"),
    ("who owns the plant hire contract?", "who"),
    ("hello", "unknown"),
    ("asch kpi: share of carers who find it easy to find advice about services, 2017-18?", "how_much"),
    ("why did the sickness absence kpi rise in 2019-20?", "explain"),
])
def test_each_intent(question: str, intent: str, small: Lexicon) -> None:
    assert understand(question, small).intent == intent


def test_a_person_given_to_a_who_question_asks_what_they_lead(small: Lexicon) -> None:
    assert understand("What does Emma Crapper lead?", small).intent == "list"


def test_how_many_of_a_non_table_thing_is_a_figure(small: Lexicon) -> None:
    u = understand("How many libraries will be transferred?", small)
    assert u.intent == "how_much" and u.counting


def test_one_row_asked_of_a_table_named_by_its_plural_is_no_list(small: Lexicon) -> None:
    assert understand("children's services procurements - fresh meat, what's it worth?", small).intent == "how_much"
    assert understand("children's services procurements over £1m - what are they worth?", small).intent == "list"
    # "X - which are they?": the rows X names, listed (not when they start)
    assert understand("ict jobs due to start 18/02/2020 - which are they?", small).intent == "list"


def test_how_many_things_in_a_named_table_counts_its_rows_that_name_them(small: Lexicon) -> None:
    from assistant.router.scoring import residual_terms

    u = understand("how many flood alleviation schemes are in ETE's procurement forward plan?", small)
    assert u.intent == "count" and u.tables == ("procurements",)
    # (the last word of the things counted, "schemes", is the kind of row the table names: not a filter)
    assert {"flood", "allevi"} <= set(residual_terms(u)) and "scheme" not in residual_terms(u)


@pytest.mark.parametrize("question, names", [
    ("How many actions does Dean Wallace lead?", ["Dean Wallace"]),
    ("what does dean wallace lead", ["Dean Wallace"]),
    ("Who is Dean Walace?", ["Dean Wallace"]),                 # typo
    ("What does Jane Parfremont lead?", ["Jane Parfremment"]),  # alias spelling
    ("Which actions does Wallace lead?", ["Dean Wallace"]),     # surname alone
    ("What does Emma lead?", ["Emma Crapper", "Emma Alexander"]),  # first name alone: ambiguous, both
    ("What pledges did Cllr Amo Raju make?", ["Amo Raju"]),
])
def test_people_fuzzy_alias_aware(question: str, names: list[str], small: Lexicon) -> None:
    assert sorted(p.name for p in match_people(question, small)) == sorted(names)


def test_a_place_is_not_a_person(small: Lexicon) -> None:
    assert match_people("Tell me about the Long Eaton library roof", small) == ()


def test_an_everyday_word_is_no_name_by_a_first_word_alone() -> None:
    """A lead named "Active Kent" (an organisation) is not meant by the word "Active" in quotes; the
    whole name still names it."""
    lexicon = Lexicon.build(people=[("Active Kent", [], None)], departments=[],
                            documents=[], common_words=frozenset({"active", "children"}))
    assert match_people("What did the survey show for 'Active' children?", lexicon) == ()
    assert [p.name for p in match_people("What does Active Kent lead?", lexicon)] == ["Active Kent"]


@pytest.mark.parametrize("question, department", [
    ("List CCP actions", "Commissioning, Communities and Policy"),
    ("Who leads actions in ETE?", "Economy, Transport and Environment"),
    ("What are the ASC&H risks?", "Adult Social Care and Health"),
    ("risks in adult social care", "Adult Social Care and Health"),
    ("What does children's services plan?", "Children's Services"),
    ("childrens services budget", "Children's Services"),
    ("biggest line in the ASC budget (net)?", "Adult Social Care and Health"),
])
def test_departments_by_name_abbreviation_and_phrasing(question: str, department: str, small: Lexicon) -> None:
    assert understand(question, small).departments == (department,)


def test_councils_city_versus_county(small: Lexicon) -> None:
    assert understand("What does Derby City Council plan?", small).councils == ("Derby City Council",)
    assert understand("What does Derbyshire County Council plan?", small).councils == ("Derbyshire County Council",)
    assert understand("What is the Derbyshire plan?", small).councils == ("Derbyshire County Council",)


def test_documents_by_kind_and_period(small: Lexicon) -> None:
    assert understand("What are the priorities in the council plan 2021-25?", small).documents == ("dcc-plan",)
    assert understand("What did the Derby City pledges promise?", small).documents == ("city-pledges",)
    assert set(understand("What do the council plans say?", small).documents) <= {"dcc-plan", "city-plan"}


def test_a_document_named_by_the_first_year_of_its_period(small: Lexicon) -> None:
    """"the 2022 plan" is the plan for 2022-25, and 2022 is then no date asked about; a bare year is a date."""
    u = understand("how many people live in Derby per the 2022 plan?", small)
    assert u.documents == ("city-plan",) and not u.dates and "2022" not in u.topic
    assert understand("what did the 2016 pledges say about libraries", small).documents == ("city-pledges",)
    assert understand("roads - the plan for 2021", small).documents == ("dcc-plan",)
    bare = understand("which actions are due in 2021", small)
    assert not bare.documents and [d.text for d in bare.dates] == ["2021"]


def test_dates_and_periods() -> None:
    by = parse_dates("actions due by March 2021")[0]
    assert (by.relation, by.start, by.end, by.precision) == ("by", date(2021, 3, 1), date(2021, 3, 31), "month")
    fy = parse_dates("savings in 2020/21")[0]
    assert (fy.relation, fy.start, fy.end, fy.fy_label) == ("in", date(2020, 4, 1), date(2021, 3, 31), "2020-21")
    season = parse_dates("due in summer 2018")[0]
    assert (season.start, season.end) == (date(2018, 6, 1), date(2018, 8, 31))
    assert parse_dates("the 2021-25 plan") == ()  # a plan period, not a date
    nxt = parse_dates("What is due next year?")[0]
    assert nxt.relative == 1 and nxt.resolve(2020).fy_label == "2021-22"
    assert nxt.resolve(2020).relative == 1 and nxt.resolve(2020).resolve(2020) == nxt.resolve(2020)  # stays relative
    short = parse_dates("ASCH capital from 25/26 to 34/35")
    assert [d.fy_label for d in short] == ["2025-26", "2034-35"]   # financial years written short
    assert parse_dates("open 24/7") == ()   # two numbers that are no consecutive years


def test_money_thresholds() -> None:
    (over,) = parse_amounts("Procurements over £5m in ICT")
    assert (over.op, over.value) == (">", 5_000_000)
    (under,) = parse_amounts("contracts under £100,000")
    assert (under.op, under.value) == ("<", 100_000)
    assert parse_amounts("over 5 years") == ()
    (exact,) = parse_amounts("how many contracts are valued at exactly £50,000?")
    assert (exact.op, exact.value) == ("=", 50_000)
    # a band without "£": the low end takes the high end's scale; years and months are no band
    for text in ("the smallest band (25-50k)", "25k-50k", "£25k to £50k"):
        assert [(a.op, a.value) for a in parse_amounts(text)] == [(">=", 25_000), ("<=", 50_000)]
    assert parse_amounts("actions for 2020-21") == () and parse_amounts("a 12-18 months plan") == ()
    # a band and an amount beside it: both are read
    assert [(a.op, a.value) for a in parse_amounts("in the 25k-50k band, valued at exactly £25,000")] == \
        [(">=", 25_000), ("<=", 50_000), ("=", 25_000)]


def test_group_values_and_missing_fields(small: Lexicon) -> None:
    u = understand("Procurements over £5m in ICT", small)
    assert u.groups == (("procurements", "category", "ICT"),) and u.intent == "list"
    assert understand("Which KPIs have no target?", small).missing == "target"


def test_follow_up_detection(small: Lexicon) -> None:
    assert understand("and when is it due?", small).follow_up
    assert not understand("When is the channel shift strategy due?", small).follow_up


def test_bad_text_is_cleaned_not_fatal(small: Lexicon) -> None:
    u = understand("🙂🙂 WHO LEADS THE CHANNEL SHIFT STRATEGY??? 🚀", small)
    assert u.intent == "who" and "channel" in u.topic
    assert detect_intent("'; drop table actions; --", ()) in ("explain", "unknown")


def test_real_lexicon_is_read_from_the_database(lexicon) -> None:
    names = {p.name for p in lexicon.people}
    assert {"Dean Wallace", "Emma Crapper"} <= names
    assert len(lexicon.councils) == 2 and len(lexicon.documents) == 4
    assert any(d.name == "Children's Services" for d in lexicon.departments)
    u = understand("Who is John Smith?", lexicon)
    assert u.unknown_names  # a name that appears nowhere in the documents
    u = understand("What does Emma Hobbs lead?", lexicon)
    assert u.unknown_names == ("Emma Hobbs",)  # first name of one person, surname of another
    assert understand("Who leads the Chanel Shift strategy?", lexicon).topic == "channel shift strategy"


def test_the_search_text_leaves_out_the_council_and_the_plan_period(small: Lexicon) -> None:
    """A council's name and the plan's period are filters; left in the passage search they pull
    every passage that names them to the top ("by when does Derby want to hit net zero")."""
    u = understand("by when does Derby want to hit net zero?", small)
    assert u.councils == ("Derby City Council",) and "derby" not in u.search_text.split()
    assert "net zero" in u.search_text
    assert "2016-19" not in understand("what did the 2016-19 pledges say on cycling?", small).search_text
    assert understand("Derby?", small).search_text == "Derby?"  # nothing but the name: keep it


def test_a_short_group_value_is_named_by_its_words_in_any_order() -> None:
    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            groups={("budget_lines", "measure"): ("Net Budget", "Gross Budget", "Income")})
    assert ("budget_lines", "measure", "Net Budget") in understand("biggest line in the budget (net)?", lexicon).groups
    assert not [g for g in understand("how much is the budget?", lexicon).groups if g[1] == "measure"]


def test_a_group_value_is_named_by_its_words_less_the_table_noun_and_a_period_word() -> None:
    """"Total annual net revenue" names "annual net revenue budget" (the longest of the values so told)."""
    values = ("annual net revenue budget", "net revenue budget", "annual gross revenue budget", "capital budget")
    lexicon = Lexicon.build(people=[], departments=[], documents=[], groups={("budget_lines", "measure"): values})
    groups = understand("total annual net revenue across the priorities?", lexicon).groups
    assert ("budget_lines", "measure", "annual net revenue budget") in groups
    assert ("budget_lines", "measure", "annual gross revenue budget") in understand(
        "gross revenue for green and vibrant combined?", lexicon).groups


def test_a_determiner_is_not_the_group_value_it_spells() -> None:
    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            groups={("procurements", "category"): ("Other", "Vehicles")})
    assert not understand("which other lines have negative recharges?", lexicon).groups
    assert understand("which other lines have negative recharges?", lexicon).follow_up


@pytest.mark.parametrize("question, intent", [
    ("ETE sickness absence 2019-20?", "how_much"),
    ("what was ETE's sickness absence in 2019-20?", "how_much"),
    ("what did the 2016-19 plan say about libraries?", "explain"),
    ("what is the council doing about potholes in 2020-21?", "explain"),
])
def test_a_terse_question_with_a_year_asks_for_a_value(question: str, intent: str, small: Lexicon) -> None:
    assert understand(question, small).intent == intent


def test_a_department_named_by_its_acronym_is_the_same_department_as_its_long_name() -> None:
    """One PDF writes "GET", another "Growth, Environment & Transport": both answer to "GET", and
    the department "GET" is never the word "get"."""
    lexicon = Lexicon.build(people=[], departments=[("GET", None), ("Growth, Environment & Transport", None),
                                                    ("Public Health", None), ("Public Health Education", None)],
                            documents=[], common_words=frozenset({"get"}))
    assert set(understand("total cost of the GET programme", lexicon).departments) == \
        {"GET", "Growth, Environment & Transport"}
    assert understand("how much do we get for roads?", lexicon).departments == ()
    assert understand("FTE in the Public Health division", lexicon).departments == ("Public Health",)


def test_a_year_inside_a_named_documents_range_picks_it_over_documents_for_that_year_only() -> None:
    from assistant.router.understand import _within_range

    assert _within_range("borrowing in 2028-29", "2025-26 to 2034-35")
    assert not _within_range("borrowing in 2036-37", "2025-26 to 2034-35")
    assert not _within_range("borrowing in 2028-29", "2025-26")   # a single year is no range


def test_who_that_describes_people_is_no_who_question(small: Lexicon) -> None:
    assert understand("percentage of residents who trust the council - latest", small).intent != "who"
    assert understand("who leads the survey of residents?", small).intent == "who"
    # after the measure it qualifies, whatever the people are called
    assert understand("% of children in care who've had 3 or more social workers?", small).intent != "who"
    assert understand("live well clients who'd recommend the service - how far above its floor?", small).intent != "who"
    assert understand("what rate of pupils who attend - who leads it?", small).intent == "who"


def test_officers_short_forms_are_written_out(small: Lexicon) -> None:
    from assistant.router.understand import expand_abbreviations

    assert expand_abbreviations("Grants funding the capital prog in yr 1", small) == \
        "Grants funding the capital programme in year 1"


def test_already_been_completed_is_a_status_and_delivery_actions_are_actions(small: Lexicon) -> None:
    from assistant.router.understand import status_of

    assert status_of("which delivery actions had already been completed?") == ("due", ("completed", "complete"))
    u = understand("Which delivery actions had already been completed?", small)
    assert u.tables[:1] == ("actions",) and "alreadi" not in u.topic and "deliveri" not in u.topic


def test_a_short_year_inside_a_documents_range_names_it() -> None:
    from assistant.router.understand import _within_range

    assert _within_range("asch capital from 25/26 to 34/35", "2025-26 to 2034-35")


def test_a_lead_named_by_a_role_is_a_lead_filter_not_a_topic(small: Lexicon) -> None:
    from assistant.router.understand import lead_role

    assert lead_role("which cype actions are led by the early years lead?", ()) == "early years lead"
    assert lead_role("how many actions does the dph lead?", ()) == "dph"
    assert lead_role("how many ccp actions does she lead altogether?", ()) is None   # a person named before
    assert lead_role("how many actions does ete lead?", (), frozenset({"ete"})) is None   # a department, no role
    assert lead_role("ete value for money actions with 'all divisions' as lead - list them", ()) == "all divisions"
    assert lead_role("how many of the get actions is the head of economy leading?", ()) == "head of economy"
    assert lead_role("which actions is she leading?", ()) is None
    assert lead_role("who is the officer leading that procurement?", ()) is None   # asks the lead
    u = understand("which actions are led by the Early years lead?", small)
    assert u.lead_text == "early years lead" and "earli" not in u.topic


def test_a_department_by_the_part_of_its_name_in_brackets_or_with_and_added() -> None:
    """"education & skills" names "Children, Young People and Education (Education and Skills)", and
    "Governance and Law" names "Governance, Law & Democracy"."""
    lexicon = Lexicon.build(people=[], documents=[],
                            departments=[("Children, Young People and Education (Education and Skills)", "Kent"),
                                         ("Children, Young People and Education (Integrated Children's Services)", "Kent"),
                                         ("Governance, Law & Democracy", "Kent")])
    assert understand("how many education & skills kpis are green", lexicon).departments == \
        ("Children, Young People and Education (Education and Skills)",)
    assert understand("integrated childrens services kpis", lexicon).departments == \
        ("Children, Young People and Education (Integrated Children's Services)",)
    assert understand("Which Governance and Law KPIs are rated Red?", lexicon).departments == \
        ("Governance, Law & Democracy",)
    assert understand("which laws govern democracy", lexicon).departments == ()


def test_an_amount_a_group_value_states_names_that_group() -> None:
    """"under £10m" names "Other Risks (under £10m ...)" (not "over £10m"), and the risks table comes first."""
    values = ("Significant Risks (over £10m)", "Other Risks (under £10m - individual amounts not included)")
    lexicon = Lexicon.build(people=[], departments=[], documents=[], groups={("risks", "category"): values})
    u = understand("how many of the other risks (under £10m) in the budget risk register?", lexicon)
    assert ("risks", "category", values[1]) in u.groups and not u.amounts
    assert u.tables[0] == "risks"
    over = understand("list the budget risks over £10m", lexicon)
    assert ("risks", "category", values[0]) in over.groups
    assert not understand("contracts under £5m", lexicon).groups


def test_misspelt_lower_case_words_are_read_as_the_known_words_before_anything_else() -> None:
    """"biggest ete procuerment": a word neither the documents nor the router know is the known word it
    misspells, so the table noun and the superlative are found; a name written with a capital stays."""
    from assistant.router.understand import correct_spelling

    vocabulary = frozenset({"procurement", "leavers", "leaders", "care", "potholes", "fund", "derbyshire"})
    lex = Lexicon.build(people=[], departments=[], documents=[], vocabulary=vocabulary)
    assert correct_spelling("bigegst ete procuerment?", lex) == "biggest ete procurement?"   # a router word too
    assert correct_spelling("care leaevrs target", lex) == "care leavers target"   # its letters, not "leaders"
    assert correct_spelling("how much was the pothloes fund", lex) == "how much was the potholes fund"
    assert correct_spelling("when will Moorways open", lex) == "when will Moorways open"   # a name stays
    # ...unless it has a document word's very letters in another order
    assert correct_spelling("Derbyhsire care leavers", lex) == "Derbyshire care leavers"
    assert correct_spelling("the headcount of derbyshire", lex) == "the headcount of derbyshire"   # nothing near
    u = understand("bigegst ete procuerment?", lex)
    assert u.tables[:1] == ("procurements",)


def test_a_council_the_documents_are_not_of_is_found_however_it_is_typed() -> None:
    from assistant.router.understand import unknown_councils

    docs = [DocumentInfo("a", "Council Plan", "Derbyshire County Council", "", "plan"),
            DocumentInfo("b", "Council Plan", "Derby City Council", "", "plan")]
    lex = Lexicon.build(people=[], departments=[], documents=docs,
                        vocabulary=frozenset({"nottinghamshire", "county", "council", "savings", "target"}))
    assert unknown_councils("what is nottinghamshire county council's library target?", lex) == \
        ("nottinghamshire county council",)
    assert unknown_councils("What does Leicestershire County Council save?", lex) == ("Leicestershire County Council",)
    assert unknown_councils("what is derby city council doing about potholes", lex) == ()
    assert unknown_councils("what is the county council doing", lex) == ()
    assert understand("nottinghamshire county council savings target", lex).unknown_councils


def test_a_category_written_in_other_words_and_order_names_its_group_and_table() -> None:
    """"biggest property services project above OJEU": a four-word category named in another order is
    that category, and with a superlative it names its table."""
    lex = Lexicon.build(people=[], departments=[], documents=[],
                        groups={("procurements", "category"): ("Property Services (Above OJEU)",
                                                               "Property Services (£50K - < OJEU)")})
    u = understand("biggest single property services project above OJEU?", lex)
    assert ("procurements", "category", "Property Services (Above OJEU)") in u.groups
    assert u.tables[:1] == ("procurements",)
    assert understand("what property services work is above OJEU?", lex).tables == ()   # no superlative


def test_a_pronoun_after_the_question_s_own_subject_is_no_follow_up() -> None:
    lex = Lexicon.build(people=[], departments=[], documents=[])
    assert not understand("DACES - who owns it?", lex).follow_up
    assert understand("the third one - what's it for?", lex).follow_up     # the subject points back
    assert understand("what about ETE - when is it due?", lex).follow_up
    assert understand("and when is it due?", lex).follow_up
    # a hyphen inside a year or a word is part of the subject
    assert not understand("CED's capital across 2025-26 to 2034-35 - what does it net to?", lex).follow_up
    assert understand("and the 2020-21 one - when is it due?", lex).follow_up


def test_an_adverb_after_how_many_names_nothing_counted(small: Lexicon) -> None:
    from assistant.router.scoring import residual_terms

    u = understand("CCP procurements: how many still have a TBC start?", small)
    assert "still" not in residual_terms(u)


def test_a_joined_word_of_known_parts_is_no_unknown_name() -> None:
    """"Oct-Dec", "Fund-funded" (of "ARF-funded" spelled out): every part is a month or a word of the
    documents; a joined word with an unknown part still is one."""
    lex = Lexicon.build(people=[], departments=[], documents=[],
                        vocabulary=frozenset({"fund", "funded", "online", "share", "carers", "campaign"}))
    assert understand("which had a lower online share in Oct-Dec than in Jul-Sep?", lex).unknown_names == ()
    assert understand("who leads the Accelerating Fund-funded carers campaign?", lex).unknown_names == ("Accelerating",)
    assert understand("who leads the Zorbex-funded carers campaign?", lex).unknown_names == ("Zorbex-funded",)


def test_a_measure_s_own_field_asks_for_its_value(small: Lexicon) -> None:
    """"care leavers in EET - what was it the previous quarter?" asks a value; "how did calls change
    compared with the previous quarter" asks how."""
    assert understand("care leavers in EET - what was it the previous quarter?", small).intent == "how_much"
    assert understand("How did the number of calls change compared with the previous quarter?",
                      small).intent == "explain"


def test_what_are_they_after_a_count_lists_the_rows(small: Lexicon) -> None:
    from assistant.router.plan import refers_to_rows

    u = understand("what are they?", small)
    assert u.intent == "list" and refers_to_rows(u.lower)
    assert understand("what are the council's ambitions?", small).intent == "explain"


def test_a_follow_up_to_one_table_cell_is_asked_of_the_cell_s_subject(small: Lexicon) -> None:
    """After a cell's answer (no typed row to point at), "whose portfolio?" is asked of the same subject;
    after a typed row's answer it is left to the row's own follow-ups."""
    from assistant.router.context import Context
    from assistant.router.follow_ups import resolve_follow_up

    u = understand("whose portfolio?", small)
    cell = Context(route="sql", topic="intermediate care pledge")
    assert resolve_follow_up(u, cell).topic.endswith("intermediate care pledge")
    row = Context(route="sql", topic="intermediate care pledge", table="pledges", keys=("p1",))
    assert "intermediate" not in resolve_follow_up(u, row).topic


def test_a_category_written_out_names_the_table_a_count_is_of(small: Lexicon) -> None:
    u = understand("how many property services above-OJEU projects start on 30/09/2019?", small)
    assert u.tables == ("procurements",) and u.intent == "count"
    # the category says the caption's words, so the caption is no second filter (a table may have none)
    assert u.groups == (("procurements", "category", "Property Services (Above OJEU)"),)
    # words of a category in another order name no table
    assert understand("how many people are on the community alarm and telecare service?", small).tables == ()


def test_a_value_said_right_before_another_qualifies_it(small: Lexicon) -> None:
    """"grant income" names the Grants column of a budget, not Income (a plural said in the singular)."""
    lex = Lexicon.build(people=[], departments=[], documents=[], groups={
        ("budget_lines", "measure"): ("Gross Expenditure", "Income", "Grants", "Net Cost")})
    assert understand("how much grant income does the libraries line get?", lex).groups == \
        (("budget_lines", "measure", "Grants"),)
    assert understand("what is the libraries line's income?", lex).groups == (("budget_lines", "measure", "Income"),)


def test_a_row_s_own_code_names_its_table_and_a_short_year_asks_its_value() -> None:
    """"12cii" opens a KPI row: the question is about a KPI; "18/19" is a year, "10-14 days" is not."""
    lexicon = Lexicon.build(people=[], departments=[], documents=[], row_codes={"12cii": ("kpis",)})
    u = understand("asc&h 12cii - infants getting a new baby review within 10-14 days, 18/19?", lexicon)
    assert u.tables == ("kpis",) and u.intent == "how_much"
    assert understand("new baby reviews within 10-14 days", lexicon).tables == ()
    assert names_year_period("figures for 18/19") and names_year_period("2018-19")
    assert not names_year_period("a review within 10-14 days")


def test_a_first_word_glued_to_a_capitalised_word_is_a_title_not_a_person(small: Lexicon) -> None:
    # "Wallace Services": a name of two capitalised words; an acronym next to a surname glues nothing
    assert match_people("Wallace Services Management net cost for 2025-26?", small) == ()
    assert [p.name for p in match_people("Wallace ETE actions?", small)] == ["Dean Wallace"]


@pytest.mark.parametrize("question, intent", [
    ("which derby 2016-19 pledges mention apprenticeships?", "list"),   # scope words before the row noun
    ("which cabinet member made the most pledges?", "who"),              # a verb: a question about the member
    ("which cabinet member's pledges included small business saturday?", "who"),   # a possessive: the member
])
def test_which_rows_with_scope_words_before_the_noun_is_a_list(question: str, intent: str) -> None:
    assert detect_intent(question, ()) == intent


def test_a_first_word_the_documents_write_in_lower_case_names_no_one() -> None:
    """"Social care market ...": a question's first word is capitalised anyway; "social" is a common word,
    so it is no part of the post "Principal Social Worker"."""
    lexicon = Lexicon.build(people=[("Principal Social Worker", [], None)], departments=[], documents=[],
                            vocabulary=frozenset({"social", "care", "worker", "principal"}),
                            common_words=frozenset({"social", "care"}))
    assert match_people("Social care market sustainability risk - what's behind it?", lexicon) == ()


def test_how_many_were_completed_keeps_what_was_done_in_the_topic(small: Lexicon) -> None:
    u = understand("DoLS - how many applications were completed in Q3?", small)
    assert "completed" in u.topic.split() and u.topic.startswith("number")


def test_the_row_ranked_before_the_next_one_is_no_topic(small: Lexicon) -> None:
    """"after admin savings, which is the next biggest": the ranking's rows, not rows mentioning "admin"."""
    u = understand("CCP 2020/21 savings - after admin & employee savings, which is the next biggest line?", small)
    assert "admin" not in u.topic.split() and "next" not in u.topic.split()


def test_what_a_measure_was_at_a_time_asks_its_value(small: Lexicon) -> None:
    last = understand("first time entrants per 100k - what was it last quarter?", small)
    assert last.intent == "how_much" and last.value_kind == "previous"
    now = understand("first time entrants per 100k - what is it now?", small)
    assert now.intent == "how_much" and now.value_kind == "latest"
    assert understand("apprenticeship starts - latest?", small).intent == "how_much"   # a count, not a date


def test_who_a_service_works_with_asks_its_partners_not_a_lead(small: Lexicon) -> None:
    assert understand("who is ASC working with to use TEC rooms for showcasing technology?", small).intent == "explain"
    assert understand("who is the council developing the model with?", small).intent == "explain"
    assert understand("who leads the work with schools?", small).intent == "who"
    assert understand("who is leading the work with partners on social prescribing?", small).intent == "who"
    assert understand("who is responsible for the TELS work with Howz monitoring?", small).intent == "who"


def test_a_cabinet_member_s_portfolio_names_no_kind_of_row(small: Lexicon) -> None:
    # whose section the row is in: an action or a pledge alike
    assert "pledges" not in understand("which cabinet member's portfolio has the locality panel pilot?", small).tables
    assert "pledges" in understand("which cabinet member's pledges include small business saturday?", small).tables


def test_a_council_named_as_a_partner_is_not_the_council_asked_about() -> None:
    from assistant.router.understand import match_councils

    lex = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("city", "Council Plan", "Derby City Council", "2022-25", "council plan"),
        DocumentInfo("county", "Service Plans", "Derbyshire County Council", "2020-21", "service plan")])
    assert match_councils("Who leads the joint waste project with Derby City Council?", lex) == ()
    assert match_councils("What is Derby City Council doing with the NHS?", lex) == ("Derby City Council",)


def test_the_words_that_set_rows_aside_are_never_taken_for_typos() -> None:
    from assistant.router.understand import ROUTER_WORDS, SET_ASIDE_PHRASES

    assert {"apart", "besides", "ignoring", "excluding"} <= ROUTER_WORDS   # "apart" is no typo of "part"
    assert "apart from" in SET_ASIDE_PHRASES


def test_a_measure_s_field_asked_with_its_value_is_a_value_question() -> None:
    """"... cases closed with outcomes that come back - previous quarter's %?": a value, though "outcomes"
    would otherwise ask of the prose."""
    from assistant.router.understand import Lexicon, understand

    u = understand("Early Help cases closed with outcomes that come back within 3 months - previous quarter's %?",
                   Lexicon())
    assert u.intent == "how_much" and u.value_kind == "previous"
    assert understand("what outcomes does the plan describe?", Lexicon()).intent != "how_much"


def test_a_department_named_by_its_possessive_first_word_before_a_table_or_rows() -> None:
    """"childrens £25k-£50k procurements": Children's Services, named by its first word before rows, a sum
    or a table; "children's centres" and "children in care" name no department."""
    from assistant.router.understand import Lexicon, match_departments

    lexicon = Lexicon.build(people=[], departments=[("Children's Services", "Derbyshire County Council")],
                            documents=[], groups={})
    for asked in ("childrens £25k-£50k procurements - list them please", "childrens table two - what's on it?",
                  "what about children's - the catering disposables one?", "children's procurements over £1m"):
        assert match_departments(asked, lexicon) == ("Children's Services",), asked
    for asked in ("how many children's centres are there?", "how many children in care?", "childrens homes in derby"):
        assert match_departments(asked, lexicon) == (), asked


def test_a_band_or_table_named_by_a_superlative_is_a_filter_not_a_ranking(small: Lexicon) -> None:
    """"The smallest procurement band" is a band of rows; "what's in" it lists them; "how many start" on a
    date after a band counts its rows."""
    from assistant.router.plan import operation_of
    assert operation_of("what's in ccp's smallest procurement band?") is None
    assert operation_of("the smallest procurement in ccp?") == ("min", False)
    u = understand("what's in children's services' above OJEU threshold procurement band?", small)
    assert u.intent == "list"
    u = understand("childrens above £50K less than OJEU threshold procurements - how many start 01/04/2020?", small)
    assert u.intent == "count"


def test_a_one_letter_unit_joined_to_a_known_word_is_no_unknown_name(small: Lexicon) -> None:
    """The "K" of "£50K-to-OJEU" is a unit, not a name the documents lack."""
    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            vocabulary=frozenset({"above", "ojeu", "threshold", "list", "procurements", "band"}))
    assert not understand("Can you list the procurements in the £50K-to-OJEU band?", lexicon).unknown_names
    assert understand("Can you list the procurements in the £50K-to-Zorblax band?", lexicon).unknown_names


def test_a_sum_valued_at_or_worth_is_that_sum_exactly() -> None:
    from assistant.router.understand import Amount
    assert parse_amounts("how many ete procurements are valued at £150,000?") == (
        Amount("=", 150000.0, "valued at £150,000"),)
    assert parse_amounts("contracts worth over £1m") == (Amount(">", 1000000.0, "over £1m"),)
    assert parse_amounts("what is it worth?") == ()


def test_quarter_and_cabinet_short_forms_are_written_out() -> None:
    from assistant.router.understand import ABBREVIATIONS

    assert ABBREVIATIONS["qtr"] == "quarter" and ABBREVIATIONS["cab"] == "cabinet"


def test_an_everyday_phrasing_is_written_as_the_documents_say_it() -> None:
    from assistant.router.understand import everyday_phrases

    assert everyday_phrases("how many people live in Derby?") == "what is the population of Derby?"
    assert everyday_phrases("how many people attended the event?") == "how many people attended the event?"


def test_a_department_named_by_a_noun_of_rows_is_named_only_as_a_department() -> None:
    """A section called "Procurement": "when's the procurement going out" asks of a contract; "the
    procurement team" and "in Procurement" name the section."""
    from assistant.router.understand import Lexicon, match_departments

    lexicon = Lexicon.build(people=[], departments=[("Procurement", "Kent County Council"),
                                                    ("Public Health", "Kent County Council")], documents=[])
    assert match_departments("growth hub contract - when's the procurement going out", lexicon) == ()
    assert match_departments("who leads the procurement team's actions?", lexicon) == ("Procurement",)
    assert match_departments("which actions are in procurement?", lexicon) == ("Procurement",)
    assert match_departments("public health actions due in 2026", lexicon) == ("Public Health",)


def test_the_same_year_is_the_year_the_previous_question_asked() -> None:
    from assistant.router.context import Context
    from assistant.router.follow_ups import period_carried

    before = Context(question="number of compliments - council-wide, 2018-19?")
    assert period_carried("and how many complaints that year?", before) == "and how many complaints in 2018-19?"
    assert period_carried("same year for the ones living in their own home?", before) == \
        "living in their own home in 2018-19?"
    assert period_carried("and how many complaints?", before) is None
    assert period_carried("same year?", Context(question="how many complaints?")) is None


def test_a_document_s_initials_are_words_that_name_it() -> None:
    """"qpr q3 24/25 - who produces it?": "qpr" says where to look (the Quarterly Performance Report), so
    it is no word the answer's sentence must hold."""
    from assistant.router.assistant import document_terms
    from assistant.router.understand import DocumentInfo, Lexicon

    lexicon = Lexicon.build(people=[], departments=[], groups={}, documents=[
        DocumentInfo("qpr", "Kent County Council Quarterly Performance Report Quarter 3", "Kent County Council",
                     "Q3 2024-25", "performance report")])
    assert {"qpr", "quarter", "perform"} <= document_terms(("qpr",), lexicon)
    assert document_terms((), lexicon) == set()


@pytest.mark.parametrize("question, intent", [
    ("LD young people in settled accommodation - change on last quarter?", "how_much"),
    ("calls answered: movement since the previous quarter?", "how_much"),
    ("how did the number of calls change compared with the previous quarter?", "explain"),
])
def test_a_change_on_the_last_quarter_asks_for_values(question: str, intent: str, small: Lexicon) -> None:
    """A change on the last quarter, asked as a figure, is two values of a measure; "how did it change"
    asks a passage to explain."""
    assert understand(question, small).intent == intent


@pytest.mark.parametrize("question, intent", [
    ("the capital risk about project costs rising with inflation - what's the event?", "explain"),
    ("budget grant risk: what is its consequence?", "explain"),
    ("capital receipts risk - what's the exposure?", "how_much"),
    ("how much does the budget risk cost - what's the event?", "how_much"),
])
def test_a_text_field_asked_by_name_is_no_figure(question: str, intent: str, small: Lexicon) -> None:
    """Words of money in a risk's name ("costs", "budget") do not make "what's the event?" a figure; an
    amount asked, or "how much", still is."""
    assert understand(question, small).intent == intent


def test_list_them_asks_for_the_rows(small: Lexicon) -> None:
    """"... with 'All Divisions' as lead - list them": the rows, not who leads them."""
    assert understand("ETE value for money actions with 'All Divisions' as lead - list them", small).intent == "list"
    assert understand("who leads the ETE value for money actions?", small).intent == "who"


def test_who_a_body_works_with_after_a_preamble(small: Lexicon) -> None:
    """"derby 22-25: who's the council working with on X?": the partners a passage names, not a lead."""
    assert understand("derby 22-25: who's the council working with on the Ascend programme?", small).intent \
        == understand("who's the council working with on the Ascend programme?", small).intent != "who"


def test_so_far_and_to_date_name_no_topic() -> None:
    """"How many have been transferred so far": when, not what (no "far" in the topic)."""
    u = understand("how many libraries have been transferred so far?", Lexicon())
    assert "far" not in u.topic.split() and "librari" in " ".join(terms(u.topic))
    assert "date" not in understand("how many libraries have moved to date?", Lexicon()).topic.split()


def test_the_work_the_asker_is_doing_is_a_preamble() -> None:
    """"Pulling together the update for the Cabinet Member - did X go up?": the Cabinet Member is no
    person asked for; "Bit of an odd one from the asset review group -" says nothing of the question."""
    from assistant.router.understand import strip_preamble

    assert strip_preamble("Pulling together the learning disability update for the Cabinet Member - did the share "
                          "go up or down between 2017-18 and 2018-19?") == \
        "did the share go up or down between 2017-18 and 2018-19?"
    assert strip_preamble("Bit of an odd one from the asset review group - how many ETE service areas have no "
                          "premises budget?") == "how many ETE service areas have no premises budget?"
    assert strip_preamble("Prepping for the ETE budget scrutiny session next week - I've spotted some negative "
                          "staffing lines. Which ETE service area has the most negative employee budget?") == \
        "Which ETE service area has the most negative employee budget?"
    assert strip_preamble("waste watchers - how many pupils took part?") == "waste watchers - how many pupils took part?"
    # a sentence about the asker, then the question; what it is "about" may be the question's subject
    assert strip_preamble("A resident in Belper has emailed me about the World Heritage Site. When is ETE due to "
                          "adopt the new management plan?") == \
        "about the World Heritage Site. When is ETE due to adopt the new management plan?"
    assert strip_preamble("I asked about this last week. Who leads the channel shift?") == "Who leads the channel shift?"
    assert strip_preamble("my ward has potholes. what is the council doing?") == \
        "my ward has potholes. what is the council doing?"   # (too little of its own: the first sentence holds it)


def test_what_it_is_being_held_to_asks_its_target() -> None:
    u = understand("what's it being held to for 20-21?", Lexicon())
    assert u.intent == "target" and "held" not in u.topic.split()


def test_a_department_acronym_that_is_a_word_is_named_when_joined_to_another() -> None:
    """"cype + get capital": "get" is GET beside CYPE; "get" alone is the verb."""
    from assistant.router.understand import Department, match_departments

    lexicon = Lexicon(departments=(Department("Children, Young People & Education", aliases=("CYPE",)),
                                   Department("Growth, Environment & Transport", aliases=("GET",))),
                      common_words=frozenset({"get", "the"}))
    assert match_departments("cype + get capital together in 27/28?", lexicon) == \
        ("Children, Young People & Education", "Growth, Environment & Transport")
    assert match_departments("how much will cype get in 27/28?", lexicon) == ("Children, Young People & Education",)


def test_a_kind_of_row_said_in_the_plural_lists_those_rows_of_the_group_named() -> None:
    """"What differences will people see for <outcome>": the kind value "difference" said in the plural
    filters the rows and makes the question a list; "outcomes", the table's own noun, is no such filter."""
    from assistant.router.understand import DocumentInfo, Lexicon, understand

    lex = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("plan", "Council Plan 2022-25", "Derby City Council", "2022-25", "council plan")],
        groups={("outcomes", "kind"): ("outcome", "must do", "difference"),
                ("outcomes", "priority"): ("Decent, sufficient and affordable housing", "GROWTH")})
    u = understand("for the decent, sufficient and affordable housing outcome, what differences will people see?", lex)
    assert ("outcomes", "kind", "difference") in u.groups and u.intent == "list"
    u = understand("which document sets out how the council will use its resources to achieve the outcomes?", lex)
    assert not any(c == "kind" for _, c, _ in u.groups) and u.intent != "list"


def test_a_kind_of_document_ending_another_things_name_names_no_document() -> None:
    """"The Freight Action Plan" is a plan of its own, not the document of kind "action plan"."""
    from assistant.router.understand import DocumentInfo, Lexicon, understand

    lex = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("actions", "Health Priorities and Actions", "Kent County Council", "", "action plan")], groups={})
    assert understand("who is developing the Kent Rail Strategy and the Freight Action Plan?", lex).documents == ()
    assert understand("who leads the walking actions in the action plan?", lex).documents == ("actions",)


def test_a_departments_first_word_before_a_part_of_its_plan_names_it(small: Lexicon) -> None:
    """"Children's section two" names Children's Services, as "childrens table two" does."""
    from assistant.router.understand import match_departments

    lex = Lexicon.build(people=[], departments=[("Children's Services", "Derbyshire County Council"),
                                                ("Commissioning, Communities and Policy", "Derbyshire County Council")],
                        documents=[], groups={})
    assert match_departments("children's section two - which actions are ongoing?", lex) == ("Children's Services",)


def test_what_percentage_asks_one_figure_never_a_list_of_rows() -> None:
    """"What % said they got the outcomes they wanted": a measure's value, though "outcomes" is a kind of row."""
    from assistant.router.understand import detect_intent, refine_intent

    lower = "asc&h - what % said they got the outcomes they wanted in 18-19?"
    assert detect_intent(lower, ("outcomes",)) != "list"
    assert refine_intent("explain", lower, ("outcomes",), False, True) == "how_much"
    assert detect_intent("which outcomes are in the green priority?", ("outcomes",)) == "list"


def test_a_span_of_time_in_words_is_written_as_tables_head_it() -> None:
    from assistant.router.understand import everyday_phrases

    assert everyday_phrases("the one-year deliverable about council tax") == "the 1 year deliverable about council tax"
    assert everyday_phrases("and the four-year?") == "and the 4 year?"
    assert everyday_phrases("four year deliverable on savings") == "4 year deliverable on savings"
    # not a count of years asked, nor a span before a function word
    assert everyday_phrases("between which two years does it fall most") == "between which two years does it fall most"
    assert everyday_phrases("over four years to 2025") == "over four years to 2025"


def test_a_near_namesake_set_aside_by_not_the_leaves_the_topic() -> None:
    """"X (the contract itself, not the golf club earthworks)": the words set aside name another row; "..., not
    the rate" (one word) sets aside a kind of figure, and stays."""
    from assistant.router.understand import SET_ASIDE, understand
    lower = "buxton fairfield roundabout (the roundabout contract itself, not the golf club earthworks) - value and start?"
    assert [m.group("a") for m in SET_ASIDE.finditer(lower)] == ["golf club earthworks"]
    assert not list(SET_ASIDE.finditer("how many children are in care? the number please, not the rate"))
    u = understand(lower, Lexicon())
    assert "golf" not in u.topic and "buxton fairfield roundabout" in u.topic


def test_where_money_comes_from_asks_how_not_how_much() -> None:
    assert detect_intent("ccp's additional income saving (£278k) - where's the money meant to come from?", ()) == "explain"
    assert detect_intent("how much money will come from the additional income saving?", ()) == "how_much"


def test_a_pronoun_after_a_context_that_quotes_one_thing_asks_of_that_thing() -> None:
    """"... and 'Better Lives' keeps coming up - what actually is it?": "it" is what the context quotes."""
    from assistant.router.understand import strip_preamble

    assert strip_preamble("I'm writing a note for the adult care portfolio holder and 'Better Lives' keeps coming "
                          "up - what actually is it?") == "what actually is 'Better Lives'?"


def test_how_long_asks_a_length_of_time_not_who() -> None:
    assert detect_intent("how long have councils been the lead agencies for public health?", ()) == "explain"
    assert detect_intent("who leads the public health agencies?", ()) == "who"


def test_a_part_ending_in_a_colon_after_a_preamble_is_the_subject() -> None:
    """"Prepping for scrutiny - Live Well clients recommending the service: by how much ...?": the part
    before the colon names the measure asked about; it is no context to drop."""
    from assistant.router.understand import strip_preamble

    assert strip_preamble("Prepping for scrutiny - Live Well clients recommending the service: by how much did last "
                          "quarter beat the floor standard?") == \
        "Live Well clients recommending the service: by how much did last quarter beat the floor standard?"
