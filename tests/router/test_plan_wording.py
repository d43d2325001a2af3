"""Small wording rules of the plan: qualifier nouns, number words, divisions of one department,
filler such as "coming up"."""

from __future__ import annotations

from assistant.router.plan import build_plan
from assistant.router.queries import Conditions
from assistant.router.scoring import names_someone, residual_terms
from assistant.router.semantic import tables_for
from assistant.router.understand import DocumentInfo, Lexicon, clean, understand

CCP = "Commissioning, Communities and Policy"
COUNTY = "Derbyshire County Council"


def _lex() -> Lexicon:
    return Lexicon.build(people=[], departments=[(CCP, COUNTY)],
                         documents=[DocumentInfo("d1", "Service Plans 2020-21", COUNTY, "2020-21", "service plan")],
                         groups={("budget_lines", "measure"): ("Net Budget", "capital budget")})


def test_a_qualifier_points_at_its_table_after_a_table_named_by_its_own_noun() -> None:
    assert tables_for("waste capital infrastructure risk") == ("risks", "budget_lines")
    assert tables_for("total 3 year capital") == ("budget_lines",)


def test_a_qualifier_stays_a_topic_word_that_rows_must_hold() -> None:
    u = understand("total 3 year capital across the priority areas", _lex())
    assert "capit" in residual_terms(u, strict=True) or "capital" in residual_terms(u, strict=True)


def test_number_words_are_no_topic_words() -> None:
    u = understand("total net budget of the five priority areas", _lex())
    assert "five" not in residual_terms(u, strict=True)


def test_which_division_of_one_department_is_a_max_over_its_rows() -> None:
    u = understand("In CCP, which division has the largest net budget?", _lex())
    plan = build_plan(u, Conditions(departments=u.departments), ())
    assert plan is not None and plan.operation == "max" and plan.table == "budget_lines"
    u = understand("which department has the largest net budget?", _lex())
    plan = build_plan(u, Conditions(), ())
    assert plan is not None and plan.operation == "group_top" and plan.group_by == "department"
    u = understand("which section of the report has the most red KPIs?", _lex())
    plan = build_plan(u, Conditions(), ())
    assert plan is not None and plan.operation == "group_top" and plan.group_by == "department"


def test_coming_up_is_filler() -> None:
    assert clean("what's the biggest public health procurement coming up?") == \
        "what is the biggest public health procurement?"


def test_a_value_asked_with_its_rating_gives_every_value() -> None:
    from assistant.router.understand import _value_kind

    assert _value_kind("subject access requests - latest figure and rag?") is None
    assert _value_kind("how is the dementia strategy kpi rated?") == "rag"


def test_kpis_followed_by_a_colour_is_a_rating() -> None:
    from assistant.router.plan import rating_of

    assert rating_of("how many kpis green in q3?") == "GREEN"
    assert rating_of("how many kpis are in the plan") is None


def test_in_statutory_timescales_is_no_when_question() -> None:
    from assistant.router.understand import detect_intent

    assert detect_intent("subject access requests in statutory timescales - latest figure?", ()) != "when"
    assert detect_intent("what is the timescale for the review?", ()) == "when"


def test_a_year_in_the_named_documents_names_them_not_a_date() -> None:
    from assistant.router.plan import conditions_of
    from assistant.router.semantic import semantics

    lex = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("kcc-budget-risk-register-2025-26", "Budget Risks Register 2025-26", "Kent County Council",
                     "2025-26", "risk register")])
    u = understand("total annual exposure on the budget risks register 2025-26?", lex)
    scope = Conditions(documents=("kcc-budget-risk-register-2025-26",))
    assert u.dates and not conditions_of(u, scope, semantics()["risks"], ()).dates
    assert conditions_of(u, Conditions(), semantics()["risks"], ()).dates


def test_a_kpis_rating_is_this_periods_not_the_previous_one() -> None:
    from assistant.router.compose import kpi_sentence

    values = [{"kind": "latest", "period": "Q3 2024-25", "raw": "60%"},
              {"kind": "rag", "period": "Q3 2024-25", "raw": "RED"},
              {"kind": "rag", "period": "previous", "raw": "Amber"}]
    text = kpi_sentence({"description": "Subject access requests"}, values, None, None)
    # ... with the rating it moved from, labelled as the previous one
    assert "rag RED for Q3 2024-25 (previous rag Amber)" in text and "rag Amber for" not in text
    same = [*values[:2], {"kind": "rag", "period": "previous", "raw": "Red"}]
    assert "previous rag" not in kpi_sentence({"description": "Subject access requests"}, same, None, None)


def test_a_documents_initials_name_it() -> None:
    from assistant.router.understand import match_documents, title_acronyms

    assert "qpr" in title_acronyms("Quarterly Performance Report Q3 2024/25")
    assert "kss" in title_acronyms("Key Service Statement 2025-26")
    lex = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("kcc-qpr", "Quarterly Performance Report Q3 2024/25", "Kent County Council", "2024-25", "report"),
        DocumentInfo("kcc-kss", "Key Service Statement 2025-26", "Kent County Council", "2025-26", "budget")])
    assert match_documents("public health kpis in the qpr", lex, ()) == ("kcc-qpr",)


def test_a_departments_initials_are_no_documents_initials() -> None:
    from assistant.router.understand import match_documents

    lex = Lexicon.build(people=[], departments=[(CCP, COUNTY)], documents=[
        DocumentInfo("derby-city-pledges", "Derby City Council Pledges 2016-19", "Derby City Council", "2016-19",
                     "pledges")])
    assert match_documents("What is the net budget of Strategic Management in CCP?", lex, ()) == ()


def test_the_semantic_layer_holds_each_tables_wording_and_roles() -> None:
    from assistant.router.decide import ROLE_TABLES
    from assistant.router.semantic import ROW_NOUNS, semantics

    assert ROLE_TABLES["who"] == ("actions", "kpis", "pledges")
    assert ROLE_TABLES["how_much"] == ("procurements", "budget_lines", "savings", "kpis", "risks")
    assert semantics()["actions"].words.lead_verb == ("leads", "lead")
    assert semantics()["risks"].words.lead_verb == ("has", "have")  # a table with no wording of its own
    assert {"tenders", "indicators", "projects"} <= set(ROW_NOUNS) and "councillors" not in ROW_NOUNS


def test_a_number_that_counts_the_thing_asked() -> None:
    from assistant.router.extract import counts_term

    assert counts_term("Derby is a compact city of 30 square miles with around 111,227 homes (MHCLG, 2020).", {"home"})
    assert counts_term("Derby's population is around 256,800 (ONS, 2020).", {"popul"})
    assert not counts_term("11.4% of homes in the city are owned by the local authority", {"home"})
    assert not counts_term("Homes were built in 2020.", {"home"})


def test_a_quarter_of_a_financial_year_written_short() -> None:
    from datetime import date

    from assistant.router.understand import parse_dates

    spans = [(d.precision, d.start, d.end) for d in parse_dates("what's the q2 20/21 figure")]
    assert spans == [("quarter", date(2020, 7, 1), date(2020, 9, 30))]


def test_two_swapped_letters_are_read_as_the_documents_word() -> None:
    from assistant.router.understand import correct_typos

    lex = Lexicon.build(people=[], departments=[], documents=[],
                        vocabulary=frozenset({"review", "health", "grants"}))
    assert correct_typos("grants reveiw helath", lex) == "grants review health"
    assert correct_typos("grants zzzzzz", lex) == "grants zzzzzz"
    # a word the router reads is no typo, though the documents never write it ("most expensive")
    lex = Lexicon.build(people=[], departments=[], documents=[], vocabulary=frozenset({"extensive", "health"}))
    assert correct_typos("expensive health", lex) == "expensive health"


def test_a_request_after_i_need_is_the_question() -> None:
    from assistant.router.understand import detect_intent, strip_preamble

    text = strip_preamble("Hello - I'm drafting the budget briefing for members and need the ETE savings "
                          "programme for 2020-21 broken down item by item, please.")
    assert text == "the ETE savings programme for 2020-21 broken down item by item, please."
    assert detect_intent(text.lower(), ()) == "list"
    assert strip_preamble("Quick one before the briefing - I need the Belper library's opening date") == \
        "the Belper library's opening date"


def test_a_short_list_gives_each_row_in_full_a_long_one_cuts_them() -> None:
    """Three pledges are listed whole ("... by 10% ..." is their point); twenty are cut to stay readable."""
    from assistant.router.compose import LIST_ITEM_CHARS, list_text
    from assistant.router.semantic import semantics

    sem = semantics()["pledges"]
    long_text = "The Council will increase the number of older or vulnerable people receiving advice and " \
                "adaptations so they can live independently at home by 10% over the plan period."
    rows = [{"pledge": long_text, "timeframe_raw": "March 2018"}]
    assert "by 10%" in list_text(rows * 3, sem, "Three pledges:")
    many = list_text(rows * 20, sem, "Twenty pledges:").splitlines()[1]
    assert "by 10%" not in many and len(many) < LIST_ITEM_CHARS + 40


def test_the_sums_of_a_band_a_question_names_are_no_topic_words() -> None:
    lex = Lexicon.build(people=[], departments=[(CCP, COUNTY)],
                        documents=[DocumentInfo("d1", "Service Plans 2020-21", COUNTY, "2020-21", "service plan")],
                        groups={("procurements", "caption"): ("above £50K less than OJEU threshold",
                                                              "above £25K less than £50K")})
    u = understand("which of ccp's £50k-to-ojeu procurements has the latest start date?", lex)
    assert ("procurements", "caption", "above £50K less than OJEU threshold") in u.groups
    assert "£50k" not in residual_terms(u, strict=True)
    plan = build_plan(u, Conditions(departments=u.departments), residual_terms(u))
    assert plan is not None and (plan.operation, plan.measure) == ("max", "start") and not plan.conditions.contains


def test_a_team_or_body_doing_something_answers_who() -> None:
    lex = Lexicon.build(people=[], departments=[(CCP, COUNTY)], documents=[])
    assert names_someone("EIAs represent KPAS at a range of forums such as the LIFT.", lex)
    assert names_someone("Funding was agreed. The Countryside Service manages many of these assets.", lex)
    assert not names_someone("The approach in developing the plan was adapted to each directorate.", lex)
    assert not names_someone("KPAS training for governing boards is planned.", lex)   # initials, but no one doing
    assert names_someone("A path was laid, funded by the Kent Downs Geoparks project.", lex)
    assert names_someone("Trees were planted as part of the National Highways funded project.", lex)
    assert not names_someone("The project is funded and on track.", lex)
    # a body that did a thing, or was put a thing: "Produced by: Kent Analytics", "presented to the ..."
    assert names_someone("Quarter 3 2024/25 Produced by: Kent Analytics E-mail: performance@kent.gov.uk", lex)
    assert names_someone("The full draft strategy was presented to the Supporting Authorities for review.", lex)
    assert names_someone("Oracle Cloud Board Members have confirmed that there are no proposed changes.", lex)
    assert names_someone("All 28 of the partially DfT Zero Emission Bus Regional Areas (ZEBRA) funded vehicles are "
                         "built.", lex)
    assert not names_someone("The report was produced in December and presented to members.", lex)
    # the bodies the people doing it came from
    assert names_someone("The appeal, at which officers from Legal, Education and the Development Investment Team "
                         "were involved in defending the requests.", lex)
    assert not names_someone("Officers from across the council were involved.", lex)


def test_the_year_before_shifts_the_previous_question_s_financial_year() -> None:
    from assistant.router.context import Context
    from assistant.router.follow_ups import period_shifted
    previous = Context(question="Number of compliments - council-wide, 2018-19?")
    assert period_shifted("and the year before?", previous) == "Number of compliments - council-wide, 2017-18?"
    assert period_shifted("the following year?", previous) == "Number of compliments - council-wide, 2019-20?"
    assert period_shifted("and the year before?", Context(question="Number of compliments?")) is None
    assert period_shifted("what happened the year before the move?", previous) is None


def test_latest_set_against_the_previous_quarter_or_the_floor_asks_the_gap() -> None:
    from assistant.router.compose import ASKS_PREVIOUS_CHANGE, gap_asked

    assert gap_asked("early help re-referrals - how does the latest compare with the floor?") == ("latest", "floor")
    assert ASKS_PREVIOUS_CHANGE.search("contact point calls answered - latest vs last quarter?")
    assert ASKS_PREVIOUS_CHANGE.search("first time entrants per 100k: latest vs previous qtr?")
    assert not ASKS_PREVIOUS_CHANGE.search("first time entrants per 100k: latest?")
    # the previous figure set against the target, said in the same ask; not in a second one after it
    assert gap_asked("health visiting checks: how far short of target was the previous figure?") == ("previous", "target")
    assert gap_asked("ehcps issued in 20 wks: how far below the floor was the previous qtr?") == ("previous", "floor")
    assert gap_asked("foster placements: how far under the floor is it, and what was it last qtr?") == ("latest", "floor")


def test_how_many_points_asks_a_difference_of_percentages_not_a_count() -> None:
    from assistant.router.verify import asked_kind

    assert asked_kind("completions - previous figure vs target, how many points above?") == "percent"
    assert asked_kind("how many percentage points up on last quarter?") == "percent"
    # a rate named by its kind is a percentage; a rate of pay or a charge is money, or not said
    assert asked_kind("what interest rate does the 25-26 investment income budget assume?") == "percent"
    assert asked_kind("what hourly rate do carers get paid?") != "percent"
    assert asked_kind("how many pupils are there?") == "count"


def test_a_lead_cell_that_says_its_verb_is_not_given_it_twice() -> None:
    from assistant.router.compose import who_sentence
    from assistant.router.semantic import semantics

    actions = semantics()["actions"]
    row = {"action": "Universal offer of health checks", "lead_raw": "CPH leads", "leads": []}
    assert who_sentence(row, actions).startswith('CPH leads action "Universal offer of health checks"')
    row = {"action": "Channel shift", "lead_raw": "Emma Crapper", "leads": ["Emma Crapper"]}
    assert who_sentence(row, actions).startswith('Emma Crapper leads action "Channel shift"')


def test_how_it_is_measured_names_the_measure_column() -> None:
    from assistant.router.plan import named_fields

    assert "measure" in named_fields("and his swimming lessons pledge - how's that measured?", "pledges")
    assert "success_measures" in named_fields("how will that action be measured?", "actions")
    assert "success_measures" not in named_fields("how many actions are complete?", "actions")


def test_that_strategy_is_the_one_strategy_the_previous_answer_names() -> None:
    """"Who leads the action on that strategy?" after "Continued the implementation of the Older Peoples
    Housing, Accommodation and Support Strategy": that name, as people type it; not when none or two are named,
    nor "that department"."""
    from assistant.router.follow_ups import name_pointed_back

    said = "Continued the implementation of the Older Peoples Housing, Accommodation and Support Strategy."
    assert name_pointed_back("who leads the action on that strategy?", said) == \
        "who leads the action on the older peoples housing, accommodation and support strategy?"
    two = "The Waste Strategy and the Carbon Reduction Strategy were both approved."
    assert name_pointed_back("who leads that strategy?", two) == "who leads that strategy?"
    assert name_pointed_back("what is that department's budget?", "Adult Care Department") == \
        "what is that department's budget?"
    assert name_pointed_back("when is that strategy due?", "the plan has no name in it") == "when is that strategy due?"


def test_if_it_goes_wrong_names_no_risk() -> None:
    """"Strategic HQ risk - what's the consequence if it goes wrong?": the clause is how the field is asked."""
    from assistant.router.assistant import _IF_IT_HAPPENS

    assert _IF_IT_HAPPENS.search("strategic hq risk - what's the consequence if it goes wrong?")
    assert _IF_IT_HAPPENS.search("what happens to the budget should this materialise?") is None   # (no "-es")
    assert _IF_IT_HAPPENS.search("what follows if the risk happens?")
    assert _IF_IT_HAPPENS.search("what goes wrong most often?") is None


def test_the_things_counted_end_at_their_own_verb() -> None:
    """"How many volunteers run the libraries": volunteers are counted, so "5 libraries" is no answer."""
    from assistant.router.verify import counted_phrase, counts_asked

    assert counted_phrase("how many volunteers run derbyshire's community managed libraries?") == "volunteers"
    assert counted_phrase("how many staff work in direct care?") == "staff"
    assert not counts_asked("Transferred a minimum of 5 libraries to community management.", {"volunt"}, {"volunt"})


def test_two_printed_figures_apart_in_their_own_unit() -> None:
    from assistant.router.compose import difference_as_printed

    assert difference_as_printed("944", "471") == "473"
    assert difference_as_printed("(362)", "100") == "462"   # a figure in brackets is negative
    assert difference_as_printed("1,040.5", "5") == "1,035.5"
    assert difference_as_printed("n/a", "5") is None


def test_which_of_two_rows_comes_first_by_a_date_points_at_them() -> None:
    from assistant.router.plan import points_at
    two = ("a", "b")
    assert points_at("which starts first?", two) and points_at("and which one ends later?", two)
    assert not points_at("which starts first?", ("a", "b", "c"))   # of three rows, "which" names none
    assert not points_at("which contracts start first in 2021?", two)
