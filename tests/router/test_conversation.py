"""Follow-up questions resolved against the previous turn."""

from __future__ import annotations

import pytest

from assistant.router import Conversation


def test_and_when_is_it_due_reuses_the_row(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("Who leads the Derbyshire Package provisions review?")
    assert "Emma Crapper" in first.answer
    second = chat.ask("and when is it due?")
    assert second.route == "sql" and "October 2020" in second.answer
    assert len(chat.turns) == 2


def test_who_else_in_that_department_excludes_the_people_named(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("Who leads the highways review?")
    other = chat.ask("who else leads actions in that department?")
    assert other.route == "sql"
    assert "Economy, Transport and Environment" in other.answer
    assert "Joe Battye" in other.answer and "Geoff Pickford" not in other.answer


def test_a_new_topic_is_not_a_follow_up(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("Who leads the highways review?")
    a = chat.ask("What is the estimated value of the Supply of Gas contract?")
    assert "£12,250,000" in a.answer


def test_a_follow_up_with_nothing_to_refer_to_abstains(assistant) -> None:
    from assistant.router import Conversation

    chat = Conversation(assistant)
    first = chat.ask("Who leads the Mars colonisation programme?")
    assert first.abstained
    follow = chat.ask("and when is it due?")
    assert follow.abstained and follow.route == "none"
    # asked of the same (absent) subject, or said to refer to nothing: either way no answer
    assert "don't say" in follow.answer or "whole question" in follow.answer
    alone = Conversation(assistant).ask("and when is it due?")
    assert alone.abstained and "whole question" in alone.answer


def test_what_about_another_item_asks_the_same_fact_of_it(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("Derby 2022-25: net revenue budget for Growth?")
    assert "£13.4 million" in first.answer
    other = chat.ask("what about vibrant?")
    assert other.route == "sql" and "VIBRANT" in other.answer and "£5.2 million" in other.answer


def test_a_follow_up_asking_how_a_kpi_is_rated_gives_its_rating_not_a_lead(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("who leads on the Joint Dementia Strategy in adult social care?")
    rated = chat.ask("and how's the dementia strategy KPI rated?")
    assert "Green" in rated.answer and "no lead" not in rated.answer


def test_whose_pledge_names_its_cabinet_member(assistant) -> None:
    answer = assistant.ask("whose pledge was the free brekfast for 800 kids?")
    assert answer.route == "sql" and "Sarah Russell" in answer.answer


def test_and_for_another_item_after_a_field_follow_up(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("CCP Property division net budget?")
    gross = chat.ask("gross?")
    assert "£13,825,225" in gross.answer
    other = chat.ask("and for communities")
    assert other.route == "sql" and "Communities" in other.answer and "£10,122,479" in other.answer


def test_a_question_and_a_second_about_the_same_thing(assistant) -> None:
    answer = assistant.ask("who is in charge of the comms review and when will it be finished?")
    assert answer.route == "sql" and "Emma Crapper" in answer.answer and "July 2022" in answer.answer
    assert "compound question" in answer.explanation


def test_what_about_another_department_asks_the_same_of_its_row(assistant) -> None:
    """"what about ETE?" after a CCP measure: ETE's measure of the same name, not CCP's again."""
    chat = Conversation(assistant)
    first = chat.ask("what is CCP spending on agency staff - latest?")
    assert "Commissioning, Communities and Policy" in first.answer
    other = chat.ask("what about ETE?")
    assert other.route == "sql" and "Economy, Transport and Environment" in other.answer
    assert "£57,329" in other.answer


def test_how_many_is_that_and_which_of_those_are_completed(assistant) -> None:
    chat = Conversation(assistant)
    # the section lists 18 actions in three tables of one header (corpus lines 291-318); four are completed
    chat.ask("list the Finance and Governance council plan delivery actions")
    n = chat.ask("how many is that?")
    assert n.route == "sql" and "There are 18 actions" in n.answer
    done = chat.ask("which of those are already completed?")
    assert done.route == "sql" and "single award process" in done.answer and "There are 4 actions" in done.answer
    assert all(w in done.answer for w in ("budget deal", "cloud management", "data centre"))


def test_who_is_in_charge_of_that_reads_the_previous_row(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("when is the CCP comms review due?")
    who = chat.ask("who's in charge of that?")
    assert who.route == "sql" and "Emma Crapper leads action 35" in who.answer


def test_a_short_follow_up_about_another_measure_asks_of_that_measure(assistant) -> None:
    """"and how much was landfilled?" after the recycling KPI names another KPI, not a field of it."""
    chat = Conversation(assistant)
    chat.ask("% of household waste sent for reuse, recycling and composting in 2019-20?")
    landfill = chat.ask("and how much was landfilled?")
    assert "landfilled" in landfill.answer.split(":")[0] and "17%" in landfill.answer
    same = chat.ask("and the target?")   # a field: the row just named
    assert "landfilled" in same.answer.split(":")[0]


def test_a_table_aggregate_leaves_its_rows_for_the_next_turn(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("ETE procurements above £50K but below the OJEU threshold - how many are flood alleviation schemes?")
    top = chat.ask("the more expensive of those?")
    assert "Scropton" in top.answer.split("\n")[0] and "£183,000" in top.answer
    assert "01/05/2021" in chat.ask("when does it start?").answer


def test_a_follow_up_to_a_table_aggregate_adds_to_its_question(assistant) -> None:
    """"only the CCP ones" and "what do they cost in total?" after a count over the vehicle programme."""
    chat = Conversation(assistant)
    assert chat.ask("how many HGVs are in the 2020-21 vehicle replacement programme?").answer.startswith("15 in all")
    ccp = chat.ask("only the CCP ones")
    assert ccp.answer.startswith("2 in all") and "Commissioning, Communities and Policy" in ccp.answer
    assert chat.ask("what do they cost in total?").answer.startswith("£150,000 in total")


def test_an_aggregate_after_a_row_asks_of_that_row_s_table(assistant) -> None:
    """"which division has the biggest net?" after a division's net budget: the same table, ranked."""
    chat = Conversation(assistant)
    chat.ask("CCP controllable budget: Legal and Democratic Services gross?")
    chat.ask("and the net?")
    top = chat.ask("which division has the biggest net?")
    assert top.answer.startswith("Corporate Finance and ICT has the largest Net Budget") and "£19,910,324" in top.answer


def test_the_cabinet_member_with_the_most_actions_counts_by_their_portfolio_s_section(assistant) -> None:
    chat = Conversation(assistant)
    top = chat.ask("In the Derby 2016-19 plan which cabinet member has the most council plan delivery actions?")
    assert top.answer.startswith("Cllr Baggy Shanker has the most actions") and "18 actions" in top.answer
    assert "There are 18 actions" in chat.ask("how many is that?").answer
    assert "There are 4 actions" in chat.ask("which of those are already completed?").answer


def test_who_else_works_on_it_names_the_other_people_of_that_row(assistant) -> None:
    """The lead as written may name a role beside the person ("Joe Battye/ Head of Economic Development")."""
    chat = Conversation(assistant)
    chat.ask("which actions does Joe Battye lead?")
    chat.ask("which of those finish in 2021?")
    chat.ask("the first one - when does it start?")
    other = chat.ask("who else works on it?")
    assert other.answer.startswith("Also named on action") and "Head of Economic Development" in other.answer


def test_a_follow_up_after_a_passage_or_an_abstention_keeps_its_subject(assistant) -> None:
    """A short follow-up after prose (answered or not) asks of the same subject, even when it names a
    kind of row ("the 4 year deliverable for it")."""
    chat = Conversation(assistant)
    chat.ask("how many people live in Derby per the 2022 plan?")
    census = chat.ask("and at the last census?")
    assert not census.abstained and "248,752" in census.answer
    chat = Conversation(assistant)
    chat.ask("what is the county plan doing about libraries?")
    deliverable = chat.ask("and the 4 year deliverable for it?")
    assert not deliverable.abstained and "Library Strategy" in deliverable.answer


def test_a_follow_up_after_a_passage_searches_its_subject_and_its_own_date(assistant) -> None:
    """"And how many by 2024 according to the CCP service plan?" after a county-plan passage about
    libraries: the service plan's passage on the same subject, by its own date (not the first year's);
    "the matching action in the ETE service plan" is that plan's action on the previous subject."""
    chat = Conversation(assistant)
    chat.ask("county plan 2021-25: how many libraries will be moved to community management in the first year?")
    later = chat.ask("and how many by 2024 according to the CCP service plan?")
    assert not later.abstained and "20 libraries" in later.answer
    assert "first year" not in later.explanation
    assert "Don Gibbs" in chat.ask("who leads that?").answer
    chat = Conversation(assistant)
    chat.ask("county plan 2021-25: what will they do on fibre broadband?")
    lead = chat.ask("who leads the matching action in the ETE service plan?")
    assert lead.route == "sql" and "Joe Battye" in lead.answer
    # "how many have been transferred so far": the things counted are the previous subject's
    chat = Conversation(assistant)
    chat.ask("in the county council plan 2021-25, what's planned for libraries?")
    chat.ask("and the 4 year deliverable for that?")
    done = chat.ask("how many have actually been transferred so far according to the CCP KPI?")
    assert done.route == "sql" and "Number of libraries and mobile libraries transferred" in done.answer


def test_own_subject_follow_up_searches_its_own_words() -> None:
    """A subject carried from the previous turn is searched with only when the follow-up names at
    most one thing of its own; a period in words gives way to a date the follow-up names."""
    from assistant.router.context import Context
    from assistant.router.follow_ups import resolve_follow_up
    from assistant.router.understand import understand
    from assistant.router.data import Lexicon

    lexicon = Lexicon()
    before = Context(route="text", topic="share population ethnic minority first year")
    own = resolve_follow_up(understand("and what % of homes does the council own?", lexicon), before)
    assert "ethnic" in own.text and "ethnic" not in own.search_text
    short = resolve_follow_up(understand("and how many by 2024?", lexicon), before)
    assert "ethnic" in short.search_text and "first" not in short.topic


def test_which_of_those_do_not_keeps_the_rows_the_filter_leaves_out(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("list the ETE procurements above the OJEU threshold")
    assert first.route == "sql"
    starting = chat.ask("which of those start in 2021?")
    chat = Conversation(assistant)
    chat.ask("list the ETE procurements above the OJEU threshold")
    others = chat.ask("which of those do not start in 2021?")
    assert others.route == "sql" and "not starting" in others.answer
    named = {r[0] for r in others.rows}
    assert named and not named & {r[0] for r in starting.rows}
    assert len(others.rows) + len(starting.rows) <= len(first.rows)


def test_and_for_another_subject_after_a_passage_asks_the_same_question_of_it(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("What target did Derby set for community NHS Health Checks in 2017/18?")
    falls = chat.ask("and for the falls programme?")
    assert "300" in falls.answer
    assert "dates=2017/18" in falls.explanation and "topic='falls'" in falls.explanation
    # the office of the department the passage quoted is in
    member = chat.ask("which cabinet member's section is that under?")
    assert not member.abstained and "Amo Raju" in member.answer


def test_the_subject_of_a_passage_follow_up_is_swapped_in_the_previous_question() -> None:
    from assistant.router.follow_ups import subject_swapped
    from assistant.router.context import Context
    from assistant.router.understand import Lexicon, understand

    lexicon = Lexicon.build(people=[], departments=[], documents=[])
    before = Context(topic="set community nhs health checks", route="text",
                     question="What target did Derby set for community NHS Health Checks in 2017/18?")
    follow = understand("and for the falls programme?", lexicon)
    assert subject_swapped(follow, before) == "What target did Derby the falls programme in 2017/18?"
    assert subject_swapped(understand("what about libraries?", lexicon), before) == \
        "What target did Derby libraries in 2017/18?"
    assert subject_swapped(follow, Context(topic="x", route="sql", question="q x")) is None   # rows: edit_plan
    assert subject_swapped(understand("and when is it due?", lexicon), before) is None
    # a what-about with a question of its own, or naming a council, is no subject swap
    assert subject_swapped(understand("what about libraries - how many closed?", lexicon), before) is None


def test_how_many_then_what_they_cost_reads_the_named_column_of_those_rows(assistant) -> None:
    chat = Conversation(assistant)
    count = chat.ask("how many gritters are being replaced this year?")
    assert count.route == "sql" and count.answer.startswith("7 in all")
    cost = chat.ask("what's the capital cost of those?")
    assert cost.route == "sql" and "£770,000" in cost.answer
    # "and the <column>?" after a total adds up that column over the same rows
    assert "£164,500" in chat.ask("and the yearly charge?").answer


def test_the_education_one_picks_the_previous_row_named_by_that_word(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("What were Cllr Sarah Russell's new pledges?")
    one = chat.ask("how much is going into the education one?")
    assert one.route == "sql" and "education outcomes" in one.answer
    assert "£5.4m" in one.answer   # a row with no money column states the sum in its text


def test_a_row_is_picked_by_a_word_of_its_own_name() -> None:
    from assistant.router.plan import picked_word, refers_to_rows

    assert picked_word("how much is going into the education one?") == "education"
    assert refers_to_rows("and the libraries one?")
    assert picked_word("the first one") is None and picked_word("which one is it") is None
    assert picked_word("when's the care leavers one due?") == "care leavers"   # a name of a few words
    assert picked_word("and the most expensive one?") is None


def test_the_care_leavers_one_picks_the_listed_pledge_named_by_those_words(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("which derby 2016-19 pledges mention apprenticeships?")
    one = chat.ask("when's the care leavers one due?")
    assert one.route == "sql" and "care leavers" in one.answer and "March 2018" in one.answer


def test_another_council_named_in_a_follow_up_drops_the_previous_council_s_document(assistant) -> None:
    """After a Derby 2016-19 pledge, "what about derbyshire county - ..." asks Derbyshire's own rows."""
    chat = Conversation(assistant)
    chat.ask("derby 16-19: what was the Hospital to Home service meant to do?")
    county = chat.ask("what about derbyshire county - latest daily average of DTOC days per 100k?")
    assert county.route == "sql" and "5.6" in county.answer and "Derbyshire County Council" in county.answer


def test_two_departments_totals_compared_then_by_how_much(assistant) -> None:
    """A department's printed total answers "ETE's net budget"; two are compared, and "by how much?" and
    "what about children's services net?" carry on from them."""
    chat = Conversation(assistant)
    both = chat.ask("which is bigger, ETE's net controllable budget or CCP's?")
    assert both.route == "sql" and "£76,285,000" in both.answer and "£59,625,880" in both.answer
    assert "Economy, Transport and Environment's is larger, by £16,659,120" in both.answer
    assert "£16,659,120" in chat.ask("by how much?").answer
    assert "£114,929,535" in chat.ask("what about children's services net?").answer
    # a line of the budget named is no department total
    line = assistant.ask("ETE waste management net budget?")
    assert "£44,042,000" in line.answer


def test_and_completed_after_a_kpi_reads_the_row_beside_it(assistant) -> None:
    """"And completed?" after "apprenticeships recruited to": the KPI printed beside it, not an action
    due to complete."""
    chat = Conversation(assistant)
    chat.ask("ETE - apprenticeships offered by the department, latest?")
    chat.ask("how many recruited to?")
    done = chat.ask("and completed?")
    assert done.route == "sql" and "apprenticeships completed by department" in done.answer and "latest 6" in done.answer


def test_the_scope_of_a_row_switched_keeps_the_year_and_the_row_named_again(assistant) -> None:
    """"For the council as a whole?" after CCP's row for 2017-18: the council's row beside it, for 2017-18;
    then "CCP's own target" is CCP's row again, and "the council-wide target" after the council's row is it."""
    chat = Conversation(assistant)
    chat.ask("Number of new apprenticeship starts – CCP: actual 2017-18?")
    whole = chat.ask("and for the council as a whole?")
    assert "starts – Council" in whole.answer and whole.answer.split(":", 1)[1].lstrip().startswith("actual 131 for 2017-18")
    own = chat.ask("what's CCP's own target for 20/21?")
    assert "starts – CCP" in own.answer and "target 20 for 2020-21" in own.answer
    chat.ask("and for the whole council?")
    wide = chat.ask("what's the council-wide target for 20/21?")
    assert "starts – Council" in wide.answer and "target 117 for 2020-21" in wide.answer


def test_the_first_one_after_a_listed_passage_is_the_first_thing_it_listed(assistant) -> None:
    chat = Conversation(assistant)
    listed = chat.ask("What are the four proposed priorities in the Derbyshire Council Plan 2021-25?")
    assert listed.answer.startswith("Proposed Priorities: Resilient, healthy and safe communities;")
    first = chat.ask("how many 4 year deliverables are under the first one?")
    assert first.route == "sql" and first.answer.startswith("There are 7 deliverables under Resilient, healthy and safe")


def test_a_follow_up_about_part_of_a_row_answers_from_that_row(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("when will the A52 improvement pledge be done?")
    part = chat.ask("what did it say about the bridge?")
    assert part.route == "sql" and "81m long foot bridge" in part.answer and "Wyvern" not in part.answer


def test_that_priority_s_budget_is_read_from_the_section_of_the_previous_answer(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("derby city plan 2022-25: which must do is about a car parking study?")
    net = chat.ask("what's that priority's net revenue budget?")
    assert "£5.2 million" in net.answer
    capital = chat.ask("and the capital budget?")
    assert "£55.48 million" in capital.answer and "£240.3 million" not in capital.answer


@pytest.mark.parametrize("ask_total", ["what do the two add up to?", "together?"])
def test_the_two_or_together_are_the_rows_of_the_last_two_answers(assistant, ask_total: str) -> None:
    """"The two" counts out the rows asked one at a time; a bare "together?" adds them all up."""
    chat = Conversation(assistant)
    chat.ask("What is the estimated value of the Supply of Gas contract?")
    chat.ask("and the supply of electricity one?")
    total = chat.ask(ask_total)
    assert total.route == "sql" and "£12,640,650" in total.answer


def test_a_band_heading_s_part_then_that_band_s_same_day_then_which_is_cheaper(assistant) -> None:
    """"Public health above-ojeu procurements": the rows under the heading ending ": Public Health";
    "anything else in that band starting the same day?" keeps the previous row's band; "which is
    cheaper?" compares the two rows asked one after the other."""
    chat = Conversation(assistant)
    first = chat.ask("public health above-ojeu procurements starting sept 2021 - which ones?")
    assert first.route == "sql" and len(first.rows) == 2 and "£2,935,000" in first.answer
    chat = Conversation(assistant)
    chat.ask("property services 50k-ojeu - what's the glass and glazing sundries contract worth?")
    same = chat.ask("anything else in that band starting the same day?")
    assert same.route == "sql" and len(same.rows) == 1 and "Mixing Valves" in same.answer
    cheaper = chat.ask("which is cheaper?")
    assert "smallest" in cheaper.answer and "Mixing Valves" in cheaper.answer and "Glass and Glazing" in cheaper.answer


def test_what_is_starting_in_a_band_then_which_of_them_by_a_word_then_together(assistant) -> None:
    """A band written "50k-ojeu" names its caption and its table; "which of them are X" filters the
    rows by X's word; "together?" adds up what is left."""
    chat = Conversation(assistant)
    listed = chat.ask("ete 50k-ojeu band - what's starting 01/09/2020?")
    assert listed.route == "sql" and listed.answer.startswith("There are 6 contracts") and "£635,000" in listed.answer
    skegby = chat.ask("which of them are skegby?")
    assert skegby.answer.startswith("There are 2 contracts") and "mentioning 'skegby'" in skegby.answer
    total = chat.ask("together?")
    assert total.route == "sql" and "£130,000" in total.answer


def test_any_other_ones_in_that_table_are_the_rest_of_the_previous_row_s_table(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("What is the estimated value of the Supply of Gas contract?")
    assert "£12,250,000" in first.answer
    others = chat.ask("any other £12,250,000 ones in the same table?")
    assert others.route == "sql" and "Supply of Gas" not in others.answer
    assert others.plan and others.plan["reason"] == "follow-up: the other rows of the previous rows' table"


def test_a_follow_up_naming_a_row_of_another_department_is_not_kept_in_the_first(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("What is the estimated value of the Supply of Gas contract?")   # a CCP contract
    other = chat.ask("and the fresh meat one?")                              # a Children's Services one
    assert other.route == "sql" and "600,000" in other.answer and "Children's Services" in other.answer


def test_a_second_ask_naming_a_column_reads_the_row_the_first_found(assistant) -> None:
    a = assistant.ask("corporate peer challenge - when is it due and what's the output?")
    assert "improvement plan" in a.answer and "compound question" in a.explanation


def test_rows_meeting_a_condition_then_the_more_negative_then_a_column_of_it(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("which ete highways service areas have a negative net budget?")
    assert first.route == "sql" and first.plan and first.plan["operation"] == "list"
    assert "Highway Construction: (243)" in first.answer and "Highway Design and Land Reclamation: (362)" in first.answer
    second = chat.ask("which is more negative?")   # the lowest figure of those rows
    assert second.answer.startswith("Highway Design and Land Reclamation")
    third = chat.ask("and its income?")            # a column of that line, not the ranking again
    assert "Highway Design and Land Reclamation" in third.answer and "25,000" in third.answer


def test_the_rows_of_a_phrase_then_the_biggest_then_the_total_of_the_four(assistant) -> None:
    """"Public health" in the phrase before "contracts" picks rows; "the four" are the rows before the pick."""
    c = Conversation(assistant)
    first = c.ask("which public health above-ojeu contracts start oct 2020?")
    assert first.answer.startswith("There are 4 contracts") and "Physical Activity Services" in first.answer
    assert "Physical Activity Services" in c.ask("the biggest one?").answer.split("\n")[0]
    assert "£4,990,000" in c.ask("total of the four?").answer


def test_named_items_summed_then_their_other_measure_then_the_gap(assistant) -> None:
    c = Conversation(assistant)
    assert "£48,800,000" in c.ask("derby 22-25 - gross revenue for green and vibrant combined?").answer
    assert "£176,580,000" in c.ask("and their capital combined?").answer
    gap = c.ask("what's the gap between their capital budgets?").answer
    assert gap.startswith('"GREEN') and "by £65,620,000 (£65.62m)" in gap
    # asked in one question, the two named are compared with the difference between them
    one = Conversation(assistant).ask("derby 22-25: the gap between the green and vibrant capital budgets?").answer
    assert "GREEN" in one.split("\n")[0] and "The difference between them is £65,620,000" in one


def test_which_other_lines_meet_a_condition_on_a_column_named_by_its_own_word(assistant) -> None:
    """"Recharges" is a word only the Controllable Recharges header has; "which other" keeps the department."""
    c = Conversation(assistant)
    c.ask("asc&h - better care fund gross budget?")
    others = c.ask("which other lines have negative recharges?").answer
    assert "(Adult Social Care and Health)" in others and "Unallocated Budgets: (1,727,967)" in others
    assert "Direct Care: (7,500)" in others


def test_the_biggest_then_the_smallest_of_the_same_measure_then_the_gap(assistant) -> None:
    """"And the smallest?" keeps the measure asked before; "the gap between them" is between those two rows."""
    c = Conversation(assistant)
    c.ask("derby council plan 2022-25: which priority area has the biggest annual net revenue budget?")
    smallest = c.ask("and the smallest?").answer
    assert "annual net revenue budget" in smallest and "VIBRANT" in smallest and "£5.2 million" in smallest
    gap = c.ask("what's the gap between them?").answer
    assert gap.startswith('"RESILIENT') and "by £165,600,000 (£165.6m)" in gap


def test_two_measures_of_one_line_then_their_difference_then_another_line(assistant) -> None:
    """"Gross and net" reads both measures of the line; "the difference" is between them, and "and for
    working smarter?" asks that difference of another line."""
    c = Conversation(assistant)
    both = c.ask("derby 2022-25 vibrant - gross and net revenue budget?").answer
    assert "£7.1 million" in both and "£5.2 million" in both
    assert "by £1,900,000 (£1.9m)" in c.ask("so what's the difference?").answer
    assert "by £84,800,000 (£84.8m)" in c.ask("and for working smarter?").answer
    one = assistant.ask("derby council plan 2022-25: how much bigger is growth's gross revenue budget than its net?")
    assert "larger than the annual net revenue budget by £7,070,000 (£7.07m)" in one.answer


def test_vehicles_meeting_a_condition_are_counted_in_units_then_their_costs_added(assistant) -> None:
    c = Conversation(assistant)
    first = c.ask("how many vehicles in the replacement programme have a 10-year optimum life?").answer
    assert first.startswith("13 in all (Quantity to Replace) on the 3 ")
    assert c.ask("what's their combined capital cost?").answer.startswith("£1,398,000 in total")
    assert c.ask("and the annual budget cost for them?").answer.startswith("£287,300 in total")
    lines = assistant.ask("in the vehicle replacement programme how many vehicle lines have a 10 year optimum life?")
    assert lines.answer.startswith("3 ")


def test_a_count_of_starts_with_its_latest_and_the_row_for_the_whole_council(assistant) -> None:
    """"starts" is a noun beside "latest"; "and for the whole council?" is the row printed beside it."""
    c = Conversation(assistant)
    first = c.ask("ccp new apprenticeship starts - latest?")
    assert first.route == "sql" and "latest 66 (Dec 2019)" in first.answer
    second = c.ask("and for the whole council?")
    assert "Number of new apprenticeship starts – Council" in second.answer and "latest 137 (Dec 2019)" in second.answer


def test_how_does_that_compare_with_a_year_sets_the_row_before_against_it(assistant) -> None:
    """"that" is the KPI before; one year named is set against its latest value."""
    c = Conversation(assistant)
    c.ask("what's the rate of child protection plans per 10k?")
    a = c.ask("how does that compare with 2018-19?")
    assert a.route == "sql" and "actual 61 per 10k in 2018-19" in a.answer
    assert "From 2018-19 to 2019-20 it went up by 3." in a.answer


def test_any_rows_of_a_kind_then_a_terse_total_of_them(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("is CCP replacing any HGVs this year?")
    assert first.route == "sql" and first.answer.startswith("Yes: 2 ")
    assert "HGV 7.5t" in first.answer and "HGV 7.0t" in first.answer and "Gritter" not in first.answer
    total = chat.ask("total capital cost?")   # three words and a total: of the two rows before
    assert total.route == "sql" and "£150,000" in total.answer


def test_which_priority_outcome_names_the_previous_row_s_field(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("derby 2016-19 - when is the action to publish audited accounts due?")
    assert "December 2017" in first.answer
    field = chat.ask("which priority outcome is it under?")   # "outcome" is the field's name, not a kind of row
    assert field.route == "sql" and "Outcome 8" in field.answer


def test_which_heading_a_passage_is_under_is_read_from_its_section(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("derby city 2022-25 plan - what does it say on liberty protection safeguards?")
    assert first.route == "text" and "Liberty Protection Safeguards" in first.answer
    under = chat.ask("which priority is that in?")
    assert under.answer.startswith("It is under RESILIENT") and under.citations
    assert under.citations[0].file.endswith("derby-city-council-plan-2022-25.txt")


def test_a_field_follow_up_after_a_cell_answer_reads_the_same_row(assistant) -> None:
    """A table cell's answer leaves the typed row its line was read into: "and what's it worth?"."""
    chat = Conversation(assistant)
    first = chat.ask("PH table three - when does the Health Check Programme procurement start?")
    assert "Jan 2022" in first.answer and "cell=" in first.explanation
    worth = chat.ask("and what's it worth?")
    assert worth.route == "sql" and "£2,750,000" in worth.answer and "Health Check Programme" in worth.answer


def test_whose_field_names_the_person_too(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("derby 2016-19: intermediate care pledge - how many assessments?")
    whose = chat.ask("whose portfolio?")
    assert whose.route == "sql" and whose.answer.startswith("Cllr Martin Repton: the portfolio is Integrated Health")


def test_a_short_question_naming_a_column_of_the_previous_line_reads_it(assistant) -> None:
    """"Cost per vehicle?" after one line of the vehicle replacement programme: the line's column whose name
    says those words ("Estimated Capital Cost per Vehicle"), not a passage."""
    chat = Conversation(assistant)
    first = chat.ask("how many 4x4 utility vehicles is CCP replacing?")
    assert first.answer.startswith("6 in all")
    each = chat.ask("cost per vehicle?")
    assert each.route == "sql" and "Estimated Capital Cost per Vehicle" in each.answer and "£35,000" in each.answer


def test_the_year_before_asks_the_previous_question_of_the_year_before(assistant) -> None:
    c = Conversation(assistant)
    assert "2,014" in c.ask("Number of compliments - council-wide, 2018-19?").answer
    before = c.ask("and the year before?").answer
    assert "2,084" in before and "2017-18" in before


def test_a_figure_per_unit_after_a_count_of_one_line_reads_its_per_unit_column(assistant) -> None:
    c = Conversation(assistant)
    assert c.ask("vehicle replacement 20-21 - how many 4x4 utility vehicles is CCP replacing?").answer.startswith("6 ")
    assert c.ask("and the capital cost per vehicle?").answer.startswith("£35,000: Estimated Capital Cost per Vehicle")


def test_a_part_of_a_measure_then_another_part_by_its_own_name(assistant) -> None:
    c = Conversation(assistant)
    first = c.ask("asc&h kpi 4c - successful completions for opiates 18/19?").answer
    assert "bi) Opiate" in first and "4.53%" in first and "a part of “4c) Substance misuse" in first
    assert "31.19%" in c.ask("and non-opiate?").answer


def test_a_short_count_after_one_row_and_the_same_year_for_another_measure(assistant) -> None:
    """"How many community locations?" after the pledge that runs drop-ins at 12 of them: that row; "same
    year for the ones living in their own home" after a KPI of 2018-19: another KPI, for 2018-19."""
    chat = Conversation(assistant)
    chat.ask("what are the 'talking point hubs' in the derby 2016-19 plan?")
    counted = chat.ask("how many community locations?")
    assert counted.route == "sql" and "12 community locations" in counted.answer
    chat = Conversation(assistant)
    chat.ask("ASC&H - adults with learning disabilities in paid employment (ASCOF 1E), 2017-18?")
    chat.ask("and the year after?")
    other = chat.ask("same year for the ones living in their own home or with family?")
    assert "own home or with their family" in other.answer and "77.8% for 2018-19" in other.answer


def test_who_is_involved_in_it_reads_the_bodies_the_row_names(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("derby 16-19: when was MASH completed?")
    involved = chat.ask("who's involved in it?")
    assert involved.route == "sql" and "police and health" in involved.answer


def test_which_field_does_it_serve_after_one_row_reads_the_field_named_by_its_other_name(assistant) -> None:
    """"Which shared outcomes does it serve?" after an action: its "Shared Outcome" column (semantic
    COLUMN_SYNONYMS), though "outcomes" is also a kind of row. (The bundled plans head it "Priority".)"""
    chat = Conversation(assistant)
    chat.ask("Who leads the channel shift strategy?")
    served = chat.ask("which shared outcomes does it serve?")
    assert served.route == "sql" and "priority" in served.answer.lower() and served.plan["fields"] == ["priority"]


def test_a_follow_up_naming_only_another_row_asks_the_column_of_the_previous_cell(assistant) -> None:
    """After one cell of the vehicle table, "and the 3.0t van?" asks the same column of the row it names."""
    chat = Conversation(assistant)
    first = chat.ask("what is the optimum life of ETE's HGV 18t tipper?")
    assert "10" in first.answer and "Tipper" in first.answer
    second = chat.ask("and the 3.0t van?")
    assert not second.abstained and "Optimum Life" in second.answer and ": 6." in second.answer, second.answer


def test_the_matching_column_of_the_row_answered_before(assistant) -> None:
    """The county plan's deliverables table: after the 1 year deliverable, "and the matching four year one?"
    is the other column of the same row."""
    chat = Conversation(assistant)
    first = chat.ask("county council plan: the 1 year deliverable for the thriving communities programme?")
    assert "further 8 areas" in first.answer
    second = chat.ask("and the matching four year one?")
    assert not second.abstained and "4 year deliverables" in second.answer
    assert "Mainstreamed the thriving community approach" in second.answer


def test_an_action_s_target_is_its_success_measure_and_a_cabinet_member_answers_for_no_lead(assistant) -> None:
    """"Whats the 17/18 target?" of a Derby 2016-19 action: its success-measure cell, which sets it; an
    action with no lead of its own names its portfolio's Cabinet Member, and its state ("Completed ...")."""
    chat = Conversation(assistant)
    chat.ask("how many kids were on derby's child weight management programme at december 2016?")
    target = chat.ask("whats the 17/18 target?")
    assert target.route == "sql" and "Target 150 in 2017/18" in target.answer and "no lead" not in target.answer
    member = assistant.ask("Which cabinet member owned the action on a better system for tracking pupils in council "
                           "or foster care (and their Personal Education Plans), and is it done?")
    assert "Sarah Russell" in member.answer and "marked Completed September 2016" in member.answer


def test_who_a_scheme_was_done_with_names_the_partners_and_a_cell_s_own_year_answers_it(assistant) -> None:
    """"Who did the county work with on X": the sentence after X's that names its partners; a KPI cell
    printed under 2017-18 that states its own year ("37.3% (2016-17)") answers for 2016-17."""
    partners = assistant.ask("who did the county work with on the new mills natural flood risk management scheme?")
    assert not partners.abstained and "Environment Agency" in partners.answer
    carers = assistant.ask("ASC&H overall carer satisfaction (3B) in 2016-17?")
    assert not carers.abstained and "actual 37.3% (2016-17);" in carers.answer


def test_how_many_people_did_something_with_those_rows_counts_no_rows(assistant) -> None:
    """"How many care leavers actually took up those apprenticeships?" after an action: a count of people
    the rows do not give, not "1 action among the previous answer's rows"."""
    from assistant.router.plan import counts_other_things

    assert counts_other_things("how many care leavers actually took up those apprenticeships?", "actions")
    assert not counts_other_things("how many of them are due in 2021?", "actions")
    assert not counts_other_things("how many contracts are there?", "procurements")
    chat = Conversation(assistant)
    chat.ask("derby 16-19: what's the pledge on apprenticeships for care leavers?")
    chat.ask("when's the care leavers one due?")
    taken = chat.ask("how many care leavers actually took up those apprenticeships?")
    assert "among the previous answer's rows" not in taken.answer


def test_and_a_bare_subject_after_a_passage_asks_the_same_of_it(assistant) -> None:
    """"And over 85s?" after "what share is working age?": the same question of the over-85s."""
    chat = Conversation(assistant)
    chat.ask("how many people live in derby?")
    chat.ask("what share is working age?")
    older = chat.ask("and over 85s?")
    assert not older.abstained and "2.5%" in older.answer


def test_a_size_asked_keeps_rows_of_other_sizes_out_of_a_count_and_its_second_ask(assistant) -> None:
    """"ETE 3.5t vans - how many, and the capital cost?": the quantity of the 3.5t Van row only (not the
    3.0t or 2.0t vans), then its capital cost (of the two: not per vehicle, which it does not ask); "... and
    at what cost each?" asks the row just counted, each."""
    both = Conversation(assistant).ask("ete 3.5t vans in the vehicle replacement programme - how many, and the "
                                       "capital cost?")
    assert both.answer.startswith("- 2 in all") and "60,000" in both.answer, both.answer
    each = Conversation(assistant).ask("how many 3.0t vans is ETE replacing and at what cost each?")
    assert "3.0t Van): 2" in each.answer and "£22,000" in each.answer, each.answer


def test_a_follow_up_setting_the_figure_against_another_items_gives_both_and_the_gap(assistant) -> None:
    """"How does its net compare with prevention's net?" after an ASC&H line's income: that line's net
    (£6,243,855), Prevention's (£3,516,231) and the difference (£2,727,624)."""
    chat = Conversation(assistant)
    chat.ask("ASC&H information & early intervention - gross budget?")
    chat.ask("and its income?")
    compared = chat.ask("how does its net compare with prevention's net?")
    assert "6,243,855" in compared.answer and "3,516,231" in compared.answer, compared.answer
    assert "£2,727,624 less than the first" in compared.answer and len(compared.citations) == 2


def test_how_many_altogether_after_one_row_counts_the_rows_of_its_table(assistant) -> None:
    """"And ETE's 4x4s - how many altogether?" after a CCP vehicle's cost: the quantities of ETE's two 4x4
    rows of the vehicle replacement table added (1 + 2), not one row's figure."""
    chat = Conversation(assistant)
    chat.ask("how many 4x4 utility vehicles is CCP replacing?")
    chat.ask("cost per vehicle?")
    counted = chat.ask("and ETE's 4x4s - how many altogether?")
    assert counted.answer.startswith("3 in all") and len(counted.citations) == 2, counted.answer


def test_a_follow_up_filter_after_one_line_reads_that_lines_column(assistant) -> None:
    """"Which other highways lines are negative?" after ETE's Highway Construction net budget: the table's
    Net Budget column (names no column itself); then "and highway road safety's net?" is that row's net,
    not a narrower list with no rows."""
    chat = Conversation(assistant)
    chat.ask("ete highway construction net budget?")
    negative = chat.ask("which other highways lines are negative?")
    assert "Highway Design and Land Reclamation" in negative.answer and "Net Budget" in negative.answer, negative.answer
    safety = chat.ask("and highway road safety's net?")
    assert "91" in safety.answer and not safety.answer.startswith("0 "), safety.answer


def test_which_first_that_or_another_named_row_ranks_the_two(assistant) -> None:
    """"Which starts first - that or the street lighting cables ... contract (ETC7611)?" after the PPE contract:
    the earlier of the two (PPE, 05/03/2021), the other next (01/11/2021)."""
    chat = Conversation(assistant)
    chat.ask("ete personal protective equipment contract - value?")
    chat.ask("start?")
    first = chat.ask("which starts first - that or the street lighting cables, cut-outs and sundries contract (ETC7611)?")
    assert '"Personal Protective Equipment"' in first.answer and "05/03/2021" in first.answer, first.answer
    assert "ETC7611" in first.answer and "01/11/2021" in first.answer


def test_a_bare_column_with_an_ampersand_after_a_budget_line_asks_that_column(assistant) -> None:
    """"supplies & services?" after the Better Care Fund line's transport budget: that line's Supplies and Services."""
    chat = Conversation(assistant)
    chat.ask("asc&h better care fund line - transport budget?")
    supplies = chat.ask("supplies & services?")
    assert "£3,850,822" in supplies.answer and "Better Care Fund" in supplies.answer, supplies.answer


def test_how_many_more_after_two_years_of_one_row_sets_them_side_by_side() -> None:
    from dataclasses import replace

    from assistant.router.context import Context
    from assistant.router.follow_ups import periods_apart

    two = Context(table="kpis", keys=("k1",), periods=("2017-18", "2019-20"))
    assert periods_apart("so how many more is that?", two) == "and 2017-18 vs 2019-20?"
    assert periods_apart("by how much?", two) == "and 2017-18 vs 2019-20?"
    assert periods_apart("so how much did it narrow?", two) == "and 2017-18 vs 2019-20?"
    assert periods_apart("how far has it gone down?", two) == "and 2017-18 vs 2019-20?"
    assert periods_apart("how many more schools are there?", two) is None   # a question of its own
    assert periods_apart("so how many more is that?", replace(two, periods=("2019-20",))) is None
    assert periods_apart("so how many more is that?", replace(two, keys=("k1", "k2"))) is None


def test_a_kpi_asked_for_two_years_then_how_many_more(assistant) -> None:
    chat = Conversation(assistant)
    chat.ask("total superfast (24mbps+) enabled premises, phase 2, in 2017-18?")
    chat.ask("and 2019-20?")
    more = chat.ask("so how many more is that?")
    assert more.route == "sql" and "11,100" in more.answer and "17,465" in more.answer and "up by 6,365" in more.answer


def test_the_priority_of_a_deliverable_read_beside_another(assistant) -> None:
    """After "and the four-year?" reads the cell beside a deliverable, "which priority's that under?" asks
    the typed row that cell is in."""
    chat = Conversation(assistant)
    chat.ask("county plan: the one-year deliverable about council tax?")
    chat.ask("and the four-year?")
    under = chat.ask("which priority's that under?")
    assert "High performing, value for money and resident focused services" in under.answer


def test_whose_pledge_and_the_outcome_a_row_is_under_are_asked_of_the_previous_row(assistant) -> None:
    """"Whose pledge was it?" after a passage from the pledge's row: that row's Cabinet Member (the topic
    carried into the follow-up is no new subject); "whose portfolio was that?" after one action, then
    "which priority outcome is it under?": that action's."""
    chat = Conversation(assistant)
    chat.ask("derby 16-19 taxi penalty points pledge - when was the points system to be implemented?")
    chat.ask("and how often were results to go to licensing committee?")
    assert "Baggy Shanker" in chat.ask("whose pledge was it?").answer
    chat = Conversation(assistant)
    chat.ask("derby 16-19 - regional model for matching children to adoptive parents: when was cabinet approval "
             "for the pilot due?")
    assert "Sara Bolton" in chat.ask("whose portfolio was that?").answer
    assert "Outcome 8" in chat.ask("which priority outcome is it under?").answer


def test_the_one_year_deliverable_then_its_four_year_one(assistant) -> None:
    chat = Conversation(assistant)
    first = chat.ask("county plan: what's the one-year deliverable about response times to customer contacts?")
    assert first.answer.startswith("1 year deliverables") and "response times" in first.answer
    chat.ask("which priority's that under?")
    assert "customer service standards" in chat.ask("and its 4 year deliverable?").answer
    chat = Conversation(assistant)
    chat.ask("ccp van - 2.0t replacements: capital cost per vehicle?")
    assert "18,000" in chat.ask("and ETE's van - 2.0t?").answer   # another department's row, not the same one



def _last_of(assistant, *turns: str):
    """The answer to the last of `turns`, asked as one conversation."""
    chat = Conversation(assistant)
    for turn in turns[:-1]:
        chat.ask(turn)
    return chat.ask(turns[-1])


def test_which_starts_first_after_two_rows_asked_one_at_a_time(assistant) -> None:
    """"Which starts first?" with no "of the two": the rows of the last two one-row answers."""
    first = _last_of(assistant, "public health substance misuse recovery contract - value?",
                     "and the outreach service for 16-25s?", "which starts first?")
    assert first.route == "sql" and "outreach" in first.answer and "June 2020" in first.answer
    assert "First Aid" not in first.answer


def test_difference_between_them_after_two_rows_asked_one_at_a_time(assistant) -> None:
    gap = _last_of(assistant, "asc&h - wellbeing advice and support service at oaklands, what's it worth?",
                   "and whitfield house & stonelow court?", "difference between them?")
    assert "£8,524" in gap.answer and "£249,984" in gap.answer and "£241,460" in gap.answer


def test_back_in_a_year_asks_that_year_of_the_same_row(assistant) -> None:
    """"And back in 17-18?": "back" says when, it names no row ("back office software")."""
    past = _last_of(assistant, "% of the 200 acres at markham vale occupied - latest?", "target?", "and back in 17-18?")
    assert "57.8%" in past.answer and "Markham Vale" in past.answer and "back office" not in past.answer


def test_a_target_asked_of_a_cell_brings_the_sentence_that_sets_it(assistant) -> None:
    """"And the city on the move target?": the measure's sentence, then "Target 3,000 in 2017/18." after it."""
    aim = _last_of(assistant, "derby 16-19 - falls prevention programme for older people, what was the 17/18 target?",
                   "whose section of the plan is that in?", "and the city on the move target?")
    assert "City on the Move" in aim.answer and "3,000" in aim.answer


def test_a_follow_up_answered_only_by_the_line_already_given_abstains(assistant) -> None:
    """"Which pharmacies will run it?" after a contract's value: the only passage that names pharmacies
    is the contract's own line, which the previous answer gave; it says nothing new, so the answer is
    an abstention that says so, not that line again. The row's own fields still answer."""
    again = _last_of(assistant, "what's the pharmacy based supervised consumption contract worth?",
                     "which pharmacies will run it?")
    assert again.abstained and "no more about it than the line already given" in again.answer
    start = _last_of(assistant, "what's the pharmacy based supervised consumption contract worth?",
                     "when does it start?")
    assert not start.abstained and "April 2021" in start.answer


def test_does_another_one_start_before_that_sets_its_date_against_the_previous(assistant) -> None:
    """"Does the ford one start before that?" after the BMW parts contract: Ford's start (31/01/2022) set
    against BMW's (11/02/2022), yes, with Ford's row cited."""
    dated = _last_of(assistant, "ete - vehicle replacement parts for peugeot: value?", "and bmw?",
                     "does the ford one start before that?")
    assert dated.answer.startswith("Yes: the ford one starts 31/01/2022, before the previous one (11/02/2022)"), \
        dated.answer
    assert "Ford Lots 1, 2, 3" in dated.answer and dated.citations


def test_a_date_set_against_another_is_yes_no_or_cannot_tell() -> None:
    from datetime import date

    from assistant.router.compared_turns import date_said, dated_against, dated_sentence
    from assistant.router.understand import DateSpec

    asked = dated_against("does the ford one start before that?")
    assert asked is not None and asked.other == "the ford one" and asked.before and not asked.ends
    assert dated_against("did the audit finish after it?").ends
    assert dated_against("does the ford one cost more than that?") is None
    assert date_said("Action 7 ... It starts 2018 and it is due to complete March 2023.", ends=True).text == "march 2023"
    year = DateSpec("2021", "in", date(2021, 1, 1), date(2021, 12, 31), "year", None, None)
    march = DateSpec("march 2021", "in", date(2021, 3, 1), date(2021, 3, 31), "month", None, None)
    may = DateSpec("may 2022", "in", date(2022, 5, 1), date(2022, 5, 31), "month", None, None)
    assert dated_sentence(asked, "the ford one", may, march).startswith("No: the ford one starts may 2022, after")
    assert dated_sentence(asked, "the ford one", year, march).startswith("The documents do not say which is first")


def test_two_columns_of_one_line_asked_one_at_a_time_add_up(assistant) -> None:
    """"Total of the two?" after a line's transport budget and then its premises: the two figures asked
    (£149,260 + £100,094), not every column of the line."""
    total = _last_of(assistant, "ccp organisation, development and policy - transport budget?", "and premises?",
                     "total of the two?")
    assert "£249,354" in total.answer, total.answer
