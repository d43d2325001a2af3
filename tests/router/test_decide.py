"""Unit tests of the router's decision (assistant/router/decide.py): pure, on a hand-made lexicon,
with no database, index or model. Each test reads the answerers planned for one question."""

from __future__ import annotations

import pytest

from assistant.router.context import Context
from assistant.router.decide import Facts, decide
from assistant.router.queries import Conditions
from assistant.router.understand import DocumentInfo, Lexicon, understand

CCP = "Commissioning, Communities and Policy"
COUNTY = "Derbyshire County Council"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.build(
        people=[("Emma Crapper", [], None)],
        departments=[(CCP, COUNTY)],
        documents=[DocumentInfo("dcc-service-plans", "Service Plans 2020-21", COUNTY, "2020-21", "service plan")],
        groups={})


def _steps(question: str, lex: Lexicon, context: Context | None = None, facts: Facts | None = None) -> list[str]:
    u = understand(question, lex)
    scope = Conditions(departments=u.departments, councils=u.councils, documents=u.documents)
    return [s.answerer for s in decide(u, context or Context(), scope, facts or Facts())]


def test_a_name_the_documents_never_mention_abstains_at_once(lex: Lexicon) -> None:
    u = understand("Who leads the Toddbrook review?", lex)
    steps = decide(u, Context(), Conditions(), Facts(gap=("unknown_name", "The documents don't say...")))
    assert [(s.answerer, s.code) for s in steps] == [("abstain", "unknown_name")]


def test_a_list_tries_the_plan_then_the_list_then_prose(lex: Lexicon) -> None:
    assert _steps("which actions does Emma Crapper lead in CCP?", lex) == ["plan", "aggregate", "cell", "text"]


def test_a_who_question_tries_a_row_then_a_cell_then_prose(lex: Lexicon) -> None:
    assert _steps("Who leads the channel shift strategy?", lex) == ["plan", "row_fact", "cell", "text"]


def test_who_leads_the_rows_of_a_group(lex: Lexicon) -> None:
    assert "who_in_group" in _steps("who leads actions in CCP?", lex)


def test_whose_portfolio_after_one_row_asks_of_that_row_not_its_group(lex: Lexicon) -> None:
    one = Context(table="actions", keys=("a1",), departments=(CCP,))
    u = understand("whose portfolio was that?", lex)
    scope = Conditions(departments=(CCP,))
    steps = [s.answerer for s in decide(u, one, scope, Facts())]
    assert "who_in_group" not in steps and "row_fact" in steps


def test_a_follow_up_with_nothing_before_it_abstains_after_the_plan(lex: Lexicon) -> None:
    u = understand("which of those finish in 2021?", lex)
    steps = decide(u, Context(), Conditions(), Facts())
    assert [s.answerer for s in steps] == ["plan", "abstain"] and steps[-1].code == "no_follow_up_context"


def test_a_follow_up_with_rows_before_it_goes_on(lex: Lexicon) -> None:
    context = Context(table="actions", keys=("a1", "a2"))
    assert _steps("which of those finish in 2021?", lex, context)[-1] == "text"


def test_rows_the_council_has_none_of_go_to_prose_verified(lex: Lexicon) -> None:
    """"Who is Derbyshire's cabinet member for adult care": the county has no pledges, so only prose can
    answer, and a passage naming a director is still no cabinet member (the answer is verified)."""
    u = understand("how many pledges are there in Derbyshire?", lex)
    steps = decide(u, Context(), Conditions(), Facts(absent=True))
    assert [s.answerer for s in steps] == ["plan", "text"] and steps[-1].verify is True


def test_the_llm_is_planned_only_when_configured(lex: Lexicon) -> None:
    question = "list the KPIs in CCP"
    assert "llm_sql" not in _steps(question, lex)
    assert _steps(question, lex, facts=Facts(plugin=True)) == ["plan", "aggregate", "llm_sql", "cell", "text"]


def test_every_decision_ends_with_an_answerer_that_always_answers(lex: Lexicon) -> None:
    for question in ("hello", "what is the council doing about potholes", "how many KPIs are there",
                     "largest contract", "when is it due?"):
        assert _steps(question, lex)[-1] in ("text", "abstain")


def test_a_mistyped_filter_is_reported_not_swallowed(lex: Lexicon) -> None:
    from assistant.models import Filters
    from assistant.router.assistant import _unknown_filter

    message = _unknown_filter(Filters(department="Comissioning"), lex)
    assert message is not None and "'Comissioning'" in message and CCP in message
    assert _unknown_filter(Filters(department="CCP"), lex) is None
    assert _unknown_filter(Filters(council="Derbyshire"), lex) is None
    assert "No council" in (_unknown_filter(Filters(council="Kent"), lex) or "")
    assert _unknown_filter(Filters(), lex) is None


def test_two_items_asked_at_once_are_two_questions() -> None:
    from assistant.router.assistant import split_compound

    assert split_compound("the channel shift strategy and the comms review - when are they due?") == [
        "the channel shift strategy - when is it due?", "the comms review - when is it due?"]
    # a second question about the same thing is asked after the first, as its follow-up
    assert split_compound("who leads the channel shift strategy and when is it due?") == [
        "who leads the channel shift strategy?", "when is it due?"]
    # one item, two asks of it
    assert split_compound("technology division - net budget 25-26 and who's the director") == [
        "technology division - net budget 25-26?", "technology division - who's the director?"]
    assert split_compound("Great British Spring Clean 2017 - which cabinet member's section is it in, and how many "
                          "events were run?") == ["Great British Spring Clean 2017 - which cabinet member's section is it in?",
                                                  "Great British Spring Clean 2017 - how many events were run?"]
    # one item, two of its figures named
    assert split_compound("ETE's HGV gritters - capital cost each and the annual charge per vehicle?") == [
        "ETE's HGV gritters - capital cost each?", "ETE's HGV gritters - the annual charge per vehicle?"]
    assert split_compound("derby 2022-25 vibrant - gross and net revenue budget?") is None
    # a bare "how many" asks the item's quantity, one of its figures
    assert split_compound("ete 3.5t vans - how many, and the capital cost?") == [
        "ete 3.5t vans - how many?", "ete 3.5t vans - the capital cost?"]
    # "... and at what cost each?": a second question of the things just counted
    assert split_compound("how many 3.0t vans is ETE replacing and at what cost each?") == [
        "how many 3.0t vans is ETE replacing?", "at what cost each?"]
    # "which officer ..., and what's ...": a who question in another form, then one asked after it
    assert split_compound("which officer is down as responsible for the CCP capital receipts KPI, and what's the 20/21 "
                          "target?") == ["which officer is down as responsible for the CCP capital receipts KPI?",
                                         "and what's the 20/21 target?"]
    # a question, then a yes-or-no one of the same thing that names no pronoun
    assert split_compound("whos the RO for the CCP trust measure, and has a 20/21 target been set?") == [
        "whos the RO for the CCP trust measure?", "has a 20/21 target been set for it?"]
    assert split_compound("by when should the early help offer be embedded, and is an evaluation promised?") == [
        "by when should the early help offer be embedded?", "is an evaluation promised for it?"]
    # a question of who, then one of its own after a comma: asked after the first, as its follow-up
    assert split_compound("who leads on strengthening DACES, and what's the 20/21 target for learners completing "
                          "programmes?") == ["who leads on strengthening DACES?",
                                             "and what's the 20/21 target for learners completing programmes?"]
    assert split_compound("what did the council promise on jobs and skills?") is None
    assert split_compound("Economy, Transport and Environment - what are the savings and the risks?") is None


def test_a_question_naming_its_own_rows_is_no_follow_up(lex: Lexicon) -> None:
    steps = _steps("the channel shift strategy and the library review - when are they due?", lex)
    assert "abstain" not in steps


def test_a_greeting_is_dropped_but_the_context_that_names_the_rows_is_kept() -> None:
    from assistant.router.understand import strip_preamble

    assert strip_preamble("Hi, for the workshop I need the CCP key risks - what are they?") == \
        "for the workshop I need the CCP key risks what are they?"
    assert strip_preamble("Hi - sorry to bother you, I'm preparing for a meeting: who leads the comms review?") == \
        "who leads the comms review?"
    # a last part with no words of its own ("do we have a date?") leaves the question in the context
    kept = strip_preamble("I'm seeing the group next week and they want to know when the advice service goes "
                          "out to procurement - do we have a date?")
    assert "advice service" in kept and kept.endswith("do we have a date?")
    # who is asking ("Councillor here -") is no part of the question; "the figures here" is its subject
    assert strip_preamble("Councillor here - how much grant income does the libraries line get?") == \
        "how much grant income does the libraries line get?"
    assert strip_preamble("the figures here - what are they?") == "the figures here - what are they?"
    # who is asking, before a request that wraps the question ("As a member I'd like to know ...")
    assert strip_preamble("As a member I'd like to know how much is budgeted for governance") == \
        "how much is budgeted for governance"
    assert strip_preamble("As a councillor, can you tell me who leads on potholes?") == "who leads on potholes?"


def test_after_a_greeting_a_terse_question_and_its_subject_are_kept() -> None:
    from assistant.router.understand import strip_preamble

    # a terse ask with no question word or mark loses only the greeting
    assert strip_preamble("hi, quick one - chlamydia detection rate target for 2020-21") == \
        "chlamydia detection rate target for 2020-21"
    # a part that does not speak of the asker is the subject, not context
    assert strip_preamble("hi, quick one - waste watchers - how many pupils took part?") == \
        "waste watchers - how many pupils took part?"
    # the rest keeps its own dashes, so a two-ask question stays one ("X - net budget and who's the director")
    assert strip_preamble("hi, quick one - technology division - net budget 25-26 and who's the director") == \
        "technology division - net budget 25-26 and who's the director"
    assert strip_preamble("Morning - the board asked me to chase this - who leads the pause project?") == \
        "who leads the pause project?"
    # a whole sentence after a greeting is context; a question with its own subject keeps its pronoun
    assert strip_preamble("Hi - prepping for committee tomorrow and someone is bound to ask about Pause. Who leads "
                          "the Pause Project and when is it due to finish?") == \
        "Who leads the Pause Project and when is it due to finish?"
    # ...but "that" standing alone points at the context, which then stays
    kept = strip_preamble("Hi - pulling together a note on the idea of a crowdfunding fund for community wellbeing. "
                          "Who is down as leading that, and when was it meant to launch?")
    assert "crowdfunding fund" in kept and kept.endswith("meant to launch?")
    # a request wrapping the question ("can you tell me who ...") is no part of it
    assert strip_preamble("Could you please tell me who leads the pause project?") == "who leads the pause project?"
    assert strip_preamble("can you tell me by when the strategy is due?") == "by when the strategy is due?"
    assert strip_preamble("can you tell me about potholes?") == "can you tell me about potholes?"


def test_a_department_named_like_a_table_is_the_department() -> None:
    from assistant.router.understand import DocumentInfo, Lexicon, understand

    lex = Lexicon.build(people=[], departments=[("Procurement", "Kent County Council")],
                        documents=[DocumentInfo("a", "Actions", "Kent County Council", "", "action plan")], groups={})
    u = understand("How many actions has Procurement committed to?", lex)
    assert u.tables[0] == "actions" and u.departments == ("Procurement",)


def test_who_leads_a_row_of_a_kind_that_names_no_one_abstains(lex: Lexicon) -> None:
    """"who's the lead officer on it?" after a contract: a forward plan names no officer per contract."""
    after_contract = Context(table="procurements", keys=("p1",))
    u = understand("who's the lead officer on it?", lex)
    steps = decide(u, after_contract, Conditions(), Facts())
    assert [(s.answerer, s.code) for s in steps] == [("abstain", "field_not_given")]
    assert "contracts" in steps[0].message
    after_action = Context(table="actions", keys=("a1",))
    assert _steps("who's the lead officer on it?", lex, after_action)[0] == "plan"


def test_who_holds_an_office_asks_the_role_rows_not_the_leads_of_a_group(lex: Lexicon) -> None:
    steps = _steps("who is the director of CCP?", lex)
    assert steps[:2] == ["plan", "cell"] and "who_in_group" not in steps


def test_an_aggregate_over_a_table_is_tried_after_the_typed_plan(lex: Lexicon) -> None:
    assert _steps("how many HGVs are in the vehicle replacement programme?", lex)[:2] == ["plan", "table_op"]
    # a total over a range of years is one row's year columns: no typed row holds it, so it comes first
    assert _steps("borrowing added up from 2025-26 to 2028-29 in the capital programme", lex)[:2] == \
        ["table_op", "plan"]


def test_who_are_the_members_asks_for_bodies_not_people() -> None:
    from assistant.router.assistant import _ASKS_BODIES

    assert _ASKS_BODIES.search("who are the statutory members of the kent and medway integrated care partnership?")
    assert _ASKS_BODIES.search("who are its partners?")
    assert not _ASKS_BODIES.search("who leads the partnership?")
    assert not _ASKS_BODIES.search("who is the cabinet member for housing?")


def test_a_follow_up_naming_a_column_of_the_row_before_refers_back() -> None:
    """"and its grants line?": Grants is a column (a measure) of the row before, "line" names no row."""
    from assistant.router.decide import refers_back

    lex = Lexicon.build(people=[], departments=[], documents=[],
                        groups={("budget_lines", "measure"): ("Grants", "Net Budget")})
    assert refers_back(understand("and its grants line?", lex))
    assert not refers_back(understand("and the libraries grants line?", lex))


def test_which_year_is_answered_by_a_years_column_never_by_a_row_aggregate(lex: Lexicon) -> None:
    """"which year has the least borrowing": the smallest row of some table is no year."""
    steps = _steps("which year of the capital programme has the least borrowing?", lex)
    assert steps[0] == "cell" and "table_op" not in steps
    assert "table_op" in _steps("which capital scheme has the least borrowing?", lex)


def test_which_year_is_tried_on_a_years_column_before_any_plan(lex: Lexicon) -> None:
    """"In which year of the ten-year programme are capital receipts lowest": a column of the row named,
    tried first; the words qualifying the year name no row."""
    from assistant.router.plan import without_period_qualifier

    assert _steps("in which year of the ten-year programme are capital receipts lowest?", lex)[0] == "cell"
    assert without_period_qualifier("In which year of the ten-year programme are capital receipts at their "
                                    "lowest?") == "In which year are capital receipts at their lowest?"


def test_a_question_about_part_of_the_previous_row_reads_that_row_first(lex: Lexicon) -> None:
    context = Context(table="pledges", keys=("p1",), topic="5km extra cycle track phase 2 works")
    assert _steps("what did phase 2 include?", lex, context)[:2] == ["plan", "row_part"]
    assert "row_part" not in _steps("what did phase 2 include?", lex, Context(table="pledges", keys=("p1", "p2")))
    assert "row_part" not in _steps("what is the council doing about potholes?", lex, context)


def test_who_leads_rows_named_in_the_plural_asks_every_lead_of_them(lex: Lexicon) -> None:
    steps = _steps("who leads the children's 'good corporate parent' actions?", lex)
    assert "who_in_group" in steps and steps.index("who_in_group") < steps.index("row_fact")
    # one row's lead is that row's fact
    assert "who_in_group" not in _steps("who leads the good corporate parent action?", lex)


def test_why_asked_of_a_register_row_reads_its_story_first(lex: Lexicon) -> None:
    steps = _steps("contract retender risk: why are retenders dearer?", lex)
    assert steps[0] == "row_narrative" and steps[-1] == "text"
    assert "row_narrative" not in _steps("what is the annual exposure of the contract retender risk?", lex)


def test_what_are_the_field_of_one_row_reads_the_field_before_listing(lex: Lexicon) -> None:
    steps = _steps("the prolonged recovery risk - what are the mitigations?", lex)
    assert steps.index("row_field") < steps.index("aggregate")
    assert "row_field" not in _steps("which risks have mitigations?", lex)


def test_a_short_count_or_who_is_involved_after_one_row_reads_that_row_first(lex: Lexicon) -> None:
    row = Context(table="actions", keys=("a1",), topic="safeguarding arrangements")
    assert _steps("how many community locations?", lex, row)[:2] == ["plan", "row_part"]
    assert _steps("who's involved in it?", lex, row)[:2] == ["plan", "row_part"]
    assert "row_part" not in _steps("how many community locations?", lex)   # no row before


def test_a_share_of_a_total_is_tried_first(lex: Lexicon) -> None:
    """No row holds a share: the cell set against its table's total comes before any aggregate."""
    assert _steps("borrowing as a % of capital financing in 2025-26?", lex)[0] == "share"
    assert "share" not in _steps("how much borrowing is there in 2025-26?", lex)


def test_a_second_ask_after_a_question_mark_and_a_plus_is_a_follow_up() -> None:
    from assistant.router.assistant import split_compound

    assert split_compound("ete - RO for reducing people killed on derbyshire roads? + latest KSI number") == [
        "ete - RO for reducing people killed on derbyshire roads?", "and the latest KSI number?"]
    assert split_compound("who leads the comms review? also when is it due") == [
        "who leads the comms review?", "and when is it due?"]


def test_the_department_a_preamble_names_is_kept_in_the_question_it_introduces(lex: Lexicon) -> None:
    from assistant.router.assistant import _scope_kept

    question = "Afternoon - I'm pulling together the CCP finance pack. What's the department's total gross budget?"
    assert _scope_kept("What's the department's total gross budget?", question, lex) == \
        f"What's {CCP}'s total gross budget?"
    assert _scope_kept("What's the total gross budget?", question, lex) == "What's the total gross budget?"


def test_a_count_of_rows_with_a_field_given_is_no_aggregate_over_a_tables_cells(lex: Lexicon) -> None:
    steps = _steps("how many CCP actions actually have a start date filled in?", lex)
    assert "aggregate" in steps and "table_op" not in steps


def test_a_column_named_as_the_scope_before_a_colon_is_not_the_column_asked(lex: Lexicon) -> None:
    from assistant.router.plan import fields_named

    asked = understand("the prolonged recovery risk - what are the mitigations?", lex)
    assert fields_named(asked) == ("risks", "mitigation")
    scope = understand("resilient priority: what differences should people see from the safe city outcome?", lex)
    assert fields_named(scope) == (None, None)


def test_a_printed_total_lines_name_asks_no_sum() -> None:
    from assistant.router.plan import operation_of

    assert operation_of("by how much does the total - finance net budget fall from its revised base?") is None
    assert operation_of("ccp procurements total - how much?") == ("sum", True)


def test_a_target_asked_after_a_figure_of_a_year_is_not_of_that_year() -> None:
    from assistant.router.assistant import _target_asked_apart
    assert _target_asked_apart("how many people did ccp get through counter terrorism training in 2019-20, and what's the target?")
    assert not _target_asked_apart("counter terrorism training, and what's the 2019-20 target?")
    assert not _target_asked_apart("what was the 2019-20 target for counter terrorism training?")
