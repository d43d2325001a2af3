"""Answers on the real corpus: each intent, SQL citations, disambiguation, text answers, abstention."""

from __future__ import annotations

import pytest

from assistant.config import REPO_ROOT


def _source_text(citation) -> str:
    lines = (REPO_ROOT / citation.file).read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[citation.line_start - 1:citation.line_end])


def test_who_reads_the_lead_by_sql_and_cites_the_source_row(ask) -> None:
    a = ask("Who leads the channel shift strategy?")
    assert a.route == "sql" and not a.abstained
    assert "Emma Crapper" in a.answer and "March 2021" in a.answer
    assert a.sql and "?" not in a.sql and a.rows
    cite = a.citations[0]
    assert cite.file.startswith("corpus/") and "Channel Shift" in _source_text(cite)
    assert "Channel Shift" in cite.quote


def test_when_due_and_when_started(ask) -> None:
    due = ask("When is the Derbyshire Package provisions review due to complete?")
    assert due.route == "sql" and "October 2020" in due.answer
    start = ask("When did the Channel Shift strategy action start?")
    assert "July 2019" in start.answer


def test_kpi_target_and_latest_value(ask) -> None:
    target = ask("What is the target for capital receipts for disposal of land and buildings?")
    assert target.route == "sql" and "£33m" in target.answer and "Dave Massingham" in target.answer
    latest = ask("What was the latest value of the property maintenance backlog?")
    assert "£73.538m" in latest.answer


def test_how_much_for_a_contract_a_budget_line_and_a_saving(ask) -> None:
    assert "£12,250,000" in ask("What is the estimated value of the Supply of Gas contract?").answer
    assert "19,910,324" in ask("What is the net budget for Corporate Finance and ICT?").answer
    assert "£320,000" in ask("How much will CCP save on libraries?").answer


def test_count_for_a_person(ask) -> None:
    a = ask("How many actions does Dean Wallace lead?")
    assert a.route == "sql" and "Dean Wallace leads 7 actions" in a.answer
    assert len(a.rows) == 7 and len(a.citations) == 7
    assert all(_source_text(c) for c in a.citations)


def test_a_count_under_a_priority_heading_and_in_a_band_at_one_value(ask) -> None:
    a = ask("number of KPIs under the keep children safe priority")
    assert a.route == "sql" and "There are 3 KPIs under Keep Children Safe" in a.answer
    a = ask("how many ETE contracts in the 25k-50k table are worth exactly £25,000?")
    assert a.route == "sql" and "There are 8 contracts" in a.answer and "worth exactly £25,000" in a.answer
    assert ask("ETE contracts in the 50k-to-OJEU band starting 1 September 2020 - how many?").answer.startswith(
        "There are 6 contracts")


def test_list_with_department_and_month(ask) -> None:
    a = ask("List CCP actions due in May 2020")
    assert a.route == "sql" and "modern.gov" in a.answer
    assert all(row[a.columns.index("department")] == "Commissioning, Communities and Policy" for row in a.rows)


def test_list_with_money_threshold_and_category(ask) -> None:
    a = ask("Procurements over £5m in ICT")
    assert "User Hardware" in a.answer and "Microsoft Desktop Licensing" in a.answer


def test_list_of_kpis_without_a_target_shows_what_stands_instead(ask) -> None:
    a = ask("Which KPIs have no target?")
    assert a.route == "sql" and "TBC" in a.answer and len(a.rows) > 10


def test_who_leads_in_a_department(ask) -> None:
    a = ask("Who leads actions in ETE?")
    assert a.route == "sql" and "Joe Battye" in a.answer and "Geoff Pickford" in a.answer


def test_same_kpi_in_two_places_is_answered_for_each_labelled(ask) -> None:
    a = ask("What is the target for the number of complaints?")
    assert "2 places" in a.answer
    assert "Number of complaints - CCP" in a.answer and "Number of complaints - Council" in a.answer


def test_the_place_named_in_the_question_wins(ask) -> None:
    a = ask("What is the target for the number of new apprenticeship starts in CCP?")
    assert "20" in a.answer


def test_text_answer_is_extractive_and_cited(ask) -> None:
    a = ask("What is Derby's population?")
    assert a.route == "text" and "256,800" in a.answer
    assert a.citations and "256,800" in _source_text(a.citations[0])


def test_text_answer_brings_the_list_under_a_heading(ask) -> None:
    a = ask("What are the four core council values of Derby City Council?")
    assert "bold" in a.answer.lower()


@pytest.mark.parametrize("question", [
    "Who is John Smith?",
    "How many actions does Emma Hobbs lead?",
    "Who leads the Zorblax regeneration contract?",
    "What was the net budget for 2031/32?",
    "What is the target for the number of dragons slain?",
])
def test_abstains_on_what_the_documents_do_not_contain(ask, question: str) -> None:
    a = ask(question)
    assert a.abstained and a.route == "none"
    assert a.answer.startswith("The documents don't say")


def test_abstention_offers_the_nearest_things(ask) -> None:
    a = ask("When is the Mars colony project due?")
    assert a.abstained and "nearest" in a.answer and a.citations


def test_filters_restrict_the_answer(ask) -> None:
    from assistant.models import Filters

    a = ask("Who leads actions?", Filters(department="ETE"))
    assert "Joe Battye" in a.answer and "Emma Crapper" not in a.answer


def test_answer_contract_serialises(ask) -> None:
    d = ask("Who leads the highways review?").to_dict()
    assert set(d) >= {"question", "route", "answer", "abstained", "confidence", "citations", "sql", "columns",
                      "rows", "timings_ms"}
    assert d["timings_ms"]["total"] > 0 and d["citations"][0]["line_start"] >= 1


def test_relative_year_resolves_against_the_plan(ask) -> None:
    a = ask("Which CCP actions are due next year?")
    assert a.route == "sql" and "2021-22" in a.explanation or "next year" in a.answer.lower()


def test_the_qualifier_named_in_the_question_picks_one_of_the_namesakes(ask) -> None:
    a = ask("How many complaints did CCP receive in 2018-19?")
    assert a.route == "sql" and "Number of complaints - CCP" in a.answer and "105" in a.answer
    assert "2 places" not in a.answer


def test_a_period_asked_about_comes_first(ask) -> None:
    a = ask("What was the actual average number of days lost to sickness in CCP in 2018-19?")
    assert a.answer.split(":", 1)[1].strip().startswith("actual 8.4 for 2018-19")


def test_a_who_answer_from_prose_names_the_person_beside_the_role(ask) -> None:
    a = ask("Who is the Executive Director of Commissioning, Communities and Policy?")
    assert "Emma Alexander" in a.answer


def test_rows_the_named_council_does_not_have_are_not_borrowed_from_the_other(ask) -> None:
    a = ask("Who is the cabinet member for Highways in Derbyshire County Council?")
    assert a.abstained or "Cllr" not in a.answer


def test_a_total_comes_with_a_list_of_amounts(ask) -> None:
    a = ask("Which Legal Services contracts are over £2m?")
    assert "totalling" in a.answer and "Mortuary" in a.answer


def test_a_list_about_a_subject_keeps_only_rows_that_mention_it(ask) -> None:
    a = ask("Which actions mention broadband?")
    assert a.route == "sql" and "mentioning 'broadband'" in a.answer
    assert all("broadband" in str(row).lower() for row in a.rows)


def test_a_count_whose_qualifier_matches_nothing_is_not_a_count_of_everything(ask) -> None:
    a = ask("How many Zoology procurements are planned?")
    assert a.abstained or "0 contracts" in a.answer


def test_the_bare_kind_of_question_is_not_answered_with_a_random_row(ask) -> None:
    assert ask("how many").abstained


def test_superlative_who_ranks_people(ask) -> None:
    a = ask("Who leads the most actions?")
    assert a.route == "sql" and a.answer.index("Joe Battye") < a.answer.index("Dean Wallace")


def test_a_councillor_named_by_title_and_surname_with_a_topic(ask) -> None:
    """'Cllr Raju' is Cllr Amo Raju, and 'on libraries' narrows his pledges to the libraries one."""
    answer = ask("What did Cllr Raju pledge on libraries?")
    assert answer.route == "sql" and not answer.abstained
    assert "Amo Raju" in answer.answer and "libraries from closure" in answer.answer
    assert len(answer.rows) == 1 and answer.citations


def test_a_prose_figure_that_covers_the_question_beats_a_row_that_only_shares_words(ask) -> None:
    """A chlamydia-rate KPI shares 'sexual health' with the question; the prose sentence states the figure."""
    answer = ask("How many people attended the Sexual Health Service?")
    assert answer.route == "text" and "44,056" in answer.answer
    assert answer.citations and "44,056" in answer.citations[0].quote


def test_a_row_that_covers_the_question_keeps_the_sql_route(ask) -> None:
    answer = ask("How many new apprenticeship starts in CCP?")
    assert answer.route == "sql" and "66" in answer.answer


def test_a_caption_is_named_among_the_tables_of_the_department_asked_about(ask) -> None:
    """"council priorities" tells Adult Social Care's two action tables apart; another department's
    "Council Priorities Delivery Plan" is out of scope."""
    a = ask("which officer leads the most actions in the adult social care council priorities delivery plan?")
    assert a.route == "sql" and "Simon Stevens (6)" in a.answer and "Council Priorities" in a.answer


def test_a_status_word_filters_a_count(ask) -> None:
    a = ask("CCP property services (above OJEU) contracts: how many still have a TBC or TBA start?")
    assert a.route == "sql" and "24" in a.answer
    b = ask("how many adult social care council priorities actions are ongoing?")
    assert b.route == "sql" and "There are 5 actions" in b.answer


def test_a_role_of_something_the_documents_do_not_have_is_not_answered(ask) -> None:
    a = ask("Who is the Executive Director of Place at Derbyshire County Council?")
    assert a.abstained and a.abstain_reason == "role_not_named"
    b = ask("who is the executive director of ETE?")
    assert not b.abstained and "Mike Ashworth" in b.answer


def test_a_figure_sentence_is_chosen_over_one_about_a_share_of_it(ask) -> None:
    a = ask("what is Derby's population according to the 2022-25 plan?")
    assert a.route == "text" and "256,800" in a.answer


def test_an_aggregate_over_a_table_no_typed_column_holds(ask) -> None:
    """The vehicle replacement programme's quantities and the approved budget's net column are read
    from the table itself (table_ops.py), with the rows used cited."""
    hgvs = ask("how many HGVs are in the vehicle replacement programme 2020-21?")
    assert hgvs.route == "sql" and hgvs.answer.startswith("15 in all") and len(hgvs.citations) == 5
    assert all("HGV" in c.quote for c in hgvs.citations) and hgvs.plan and hgvs.plan["operation"] == "count"
    net = ask("in ETE's approved controllable budget, which has the bigger net budget: Waste Management or "
              "Public Transport?")
    assert net.answer.startswith("Waste Management is larger: £44,042 thousand") and "£14,650 thousand" in net.answer


def test_a_row_whose_figure_is_blank_does_not_answer_how_much(ask) -> None:
    a = ask("how much is the DHART Project CCTV contract worth?")
    assert a.abstained and a.abstain_reason == "field_not_given" and "no figure is given" in a.answer
    assert a.citations and "DHART" in a.citations[0].quote


def test_the_largest_income_of_a_budget_is_its_largest_credit(ask) -> None:
    a = ask("which ETE service area earns the most income in the approved controllable budget?")
    assert "Public Transport" in a.answer.split("\n")[0] and "7,106" in a.answer


def test_actions_led_by_a_role_are_found_by_the_lead_as_written(ask) -> None:
    a = ask("which actions are led by the Head of Economic Development?")
    assert a.route == "sql" and "Invest in Derbyshire" in a.answer and "led by head of economic development" in a.answer


def test_how_many_things_a_heading_lists_counts_its_items(ask) -> None:
    a = ask("county council plan 2021-25 - how many headline initiatives are there?")
    assert a.answer.startswith("5 Headline Initiatives:") and "Investing £40m in well maintained roads" in a.answer


def test_an_acronym_the_documents_spell_out_finds_its_row(ask) -> None:
    """"KS1" is "Key Stage 1", "KSIs" people "killed or seriously injured": initials of the documents' phrases."""
    reading = ask("ks1 reading result 2018/19?")
    assert reading.route == "sql" and "74.4%" in reading.answer
    ksi = ask("how many KSIs in 2018-19")
    assert ksi.route == "sql" and "330" in ksi.answer


def test_a_compound_question_after_a_greeting_and_context_is_split(ask) -> None:
    a = ask("Hi - prepping for committee tomorrow and someone is bound to ask about Pause. Who leads the Pause "
            "Project in children's services and when is it due to finish?")
    assert "Isobel Fleming" in a.answer and "September 2024" in a.answer
    assert a.explanation.startswith("compound question")


def test_a_count_by_a_value_the_table_prints_as_a_column_reads_the_typed_rows(ask) -> None:
    """"4 year deliverables" is a column of the printed table: its rows cannot be counted by it, the typed
    deliverables (13 one-year, 10 four-year under that priority) can."""
    a = ask("derbyshire council plan 21-25 - how many 4 year deliverables under effective early help?")
    assert a.route == "sql" and a.answer.startswith("There are 10 deliverables")


def test_a_table_of_one_year_does_not_answer_another_year(ask) -> None:
    """The budget tables are of 2020/21: asked for 2021/22, the assistant says so and shows the 2020/21 total."""
    a = ask("What's the CCP net budget for 2021/22?")
    assert a.abstained and a.abstain_reason == "period_not_covered"
    assert "2021-22" in a.answer and "Approved Controllable Budget 2020/21" in a.answer and "59,625,880" in a.answer
    same = ask("What's the CCP net budget for 2020/21?")
    assert not same.abstained and "59,625,880" in same.answer


def test_a_count_is_not_answered_by_an_average_of_something_else(ask) -> None:
    a = ask("How many children were adopted in Derbyshire in 2019-20?")
    assert a.abstained and a.abstain_reason == "wrong_value_kind"
    # asked as an average, the average answers
    per_head = ask("how many sick days per head in ETE in 2018-19")
    assert not per_head.abstained and "11.02" in per_head.answer


def test_a_list_item_is_of_the_year_its_section_opens_with(assistant) -> None:
    """"During 2019-20 the Directorate achieved the following:" dates every achievement listed under it."""
    a = assistant.ask("how many people attended the sexual health service in 19/20?")
    assert not a.abstained and "44,056" in a.answer


def test_a_kpi_named_by_its_code_and_a_short_year(assistant) -> None:
    a = assistant.ask("asc&h 12cii - infants getting a new baby review within 10-14 days, 18/19?")
    assert a.route == "sql" and "latest 97% for 2018-19" in a.answer


def test_a_budget_line_left_out_is_not_the_smallest(assistant) -> None:
    a = assistant.ask("which asc&h budget line has the smallest gross budget, leaving out finance's zero?")
    # (the typed budget lines answer it now that a plan sets rows aside: "leaving out 'finance's zero'")
    assert "leaving out" in a.answer and 'is "Housing Related Support"' in a.answer and "771,446" in a.answer
    assert '"Finance"' not in a.answer


def test_an_action_without_a_lead_names_the_cabinet_member_of_its_portfolio(assistant) -> None:
    """Derby's 2016-19 delivery actions have no lead column: the section's Cabinet Member holds the portfolio."""
    a = assistant.ask("Who is the cabinet member for the Early Years Foundation Stage leaders and managers "
                      "training action?")
    assert "It is in the portfolio of Cllr Sarah Russell (Education and Skills)." in a.answer
    assert "Cllr Baggy Shanker" in assistant.ask("derby 16-19 apprenticeship levy action sits in whose portfolio?").answer


def test_the_forward_plan_names_the_procurements(assistant) -> None:
    """"the forward plan" is the Forward Plan of Procurements: a list of its rows, not a passage."""
    a = assistant.ask("which DHART contracts are in ete's forward plan?")
    assert a.route == "sql" and a.answer.startswith("There are 4 contracts in Economy, Transport and Environment")
    assert "DHART Project – CCTV" in a.answer


def test_a_row_named_with_the_council_s_own_name_in_it(assistant) -> None:
    """"Invest in Derbyshire": the council's name is part of the programme's name, and picks its row."""
    a = assistant.ask("when does the invest in derbyshire programme finish?")
    assert "Invest in Derbyshire" in a.answer and "March 2021" in a.answer


def test_a_name_the_documents_write_only_as_a_name_is_not_answered_by_another_row(assistant) -> None:
    """"Local Plan" is a name in the documents (never "local plan"): a row about procurement plans is no answer."""
    a = assistant.ask("when is derby adopting its new local plan?")
    assert a.abstained and "local plan" in a.answer


def test_a_column_of_a_row_named_in_a_first_question(assistant) -> None:
    """"what mitigation is listed" names the risks' mitigation column: that cell of the row the other words find."""
    a = assistant.ask("ash dieback risk - what mitigation is listed?")
    assert a.route == "sql" and a.answer.startswith('The mitigation of risk "Ash dieback - Serious injury')
    assert "The Countryside Service is initiating a programme" in a.answer and a.plan and a.plan["fields"] == ["mitigation"]


def test_council_wide_names_the_row_for_the_whole_council(assistant) -> None:
    """"council-wide" says the "– Council" row (and names no council column)."""
    a = assistant.ask("what's the council-wide apprenticeship starts target for 2020-21?")
    assert a.route == "sql" and "Number of new apprenticeship starts – Council" in a.answer and "target 117" in a.answer


def test_a_group_spelled_without_its_and_still_names_the_rows(assistant) -> None:
    """Children's Services write "High performing and council services", other departments "High performing
    Council services": both spellings are the one priority."""
    a = assistant.ask("list the children's services key risks under high performing council services")
    assert a.route == "sql" and a.answer.startswith("There are 5 risks in Children's Services")


def test_a_line_of_ten_columns_without_a_measure_named_gives_its_last_the_net(assistant) -> None:
    """The line's columns in their own order (":c10" after ":c9"): the last one, Net Budget, not Income."""
    a = assistant.ask("what is the information systems budget in ete?")
    assert a.answer.startswith('The Net Budget for "Information Systems"') and "£175,000" in a.answer


def test_which_rows_are_for_something_are_the_rows_that_mention_it(assistant) -> None:
    """"which ETE procurements are for vehicle replacement parts": the words after "are for" pick the rows."""
    a = assistant.ask("which ete procurements are for vehicle replacement parts?")
    assert a.answer.startswith("There are 7 contracts in Economy, Transport and Environment mentioning 'vehicle'")


def test_a_list_no_filter_narrows_is_no_answer_about_one_thing(assistant) -> None:
    # the topic names one project; listing every saving of the council would be a confident wrong answer
    a = assistant.ask("what savings has the LED street lighting project made?")
    assert "There are 19 savings" not in a.answer
    assert assistant.ask("what savings are there?").answer.startswith("There are 19 savings")


def test_how_many_people_counts_the_different_people_not_the_rows(ask) -> None:
    """"How many people lead actions in Children's Services": its two spellings of one lead are one person."""
    a = ask("how many people lead actions in children's services?")
    assert a.route == "sql" and a.answer.startswith("7 different people are named on the 29 actions")
    assert "Jane Parfremment" in a.answer and "Parfremont" not in a.answer
    assert ask("how many actions are there in children's services?").answer.startswith("There are 29 actions")
    pledges = ask("how many cabinet members made pledges in derby's 2016-19 plan?")
    # the verb of the rows ("made") filters none of them, and the rows that name no one are said
    assert pledges.answer.startswith("8 different people are named on the 50 pledges")
    assert "(6 of the pledges name no one)" in pledges.answer


def test_a_figure_for_several_towns_together_is_no_figure_for_one_and_is_shown(ask) -> None:
    a = ask("how many of the OLEV funded charge points are going into bakewell?")
    assert a.abstained and a.abstain_reason == "split_not_given"
    # what the documents do say comes first: the passage turned down, with its figure
    assert "20 dual Electric Vehicle charge points" in a.answer


def test_a_procurement_band_named_by_a_superlative_lists_or_counts_its_rows(ask) -> None:
    band = ask("what's in childrens services' smallest procurement band (25-50k)?")
    assert band.route == "sql" and band.answer.startswith("There are 5 contracts") and "Morning Goods" in band.answer
    dated = ask("childrens table two (50k to OJEU) - how many start 01/04/2020?")
    assert dated.route == "sql" and "3 contracts" in dated.answer
    flood = ask("how many flood-related jobs are in ETE's smallest procurement band (25k-50k)?")
    assert "4 contracts" in flood.answer


def test_a_value_dated_by_a_month_answers_the_quarter_it_falls_in(ask) -> None:
    a = ask("16-17 yr olds NEET and not known (3 month avg) - Q3 19/20 figure?")
    assert not a.abstained and "17.5%" in a.answer and "Dec 19 falls in quarter 3" in a.answer


def test_a_target_for_a_year_no_target_is_given_for_abstains_with_what_is_given(ask) -> None:
    a = ask("what was the 2019-20 target for jobs created at markham vale?")
    assert a.abstained and a.abstain_reason == "period_not_given"
    assert "2,900" in a.answer and "3,400" in a.answer   # the 2019-20 latest and the 2020-21 target, said
    assert not ask("% of council complaints responded to within target in 2017-18?").abstained


def test_contracts_valued_at_a_sum_are_counted_at_that_sum(ask) -> None:
    a = ask("how many ETE procurements in the £50k-OJEU band are valued at £150,000?")
    assert a.answer.startswith("13 contracts")


def test_the_n_largest_rows_are_listed_in_order(ask) -> None:
    a = ask("Tell me the three most valuable procurements")
    assert a.route == "sql" and a.answer.startswith("The 3 largest contracts")
    assert a.answer.index("Homecare services") < a.answer.index("Specialist Residential") and len(a.rows) == 3


def test_how_many_of_a_plan_s_areas_meet_a_sum_counts_its_budget_lines(ask) -> None:
    a = ask("how many of derby's five 2022-25 priority areas have a net revenue budget over £20 million?")
    assert a.route == "sql" and a.answer.startswith("There are 3 budget lines")
    assert "£170.8 million" in a.answer and "£13.4 million" not in a.answer


def test_the_council_as_a_whole_is_the_council_wide_row(ask) -> None:
    a = ask("How many complaints did the Council as a whole receive in 2018-19?")
    assert a.route == "sql" and "Number of complaints - Council" in a.answer and "1,001" in a.answer


def test_how_a_saving_named_by_its_sum_is_made_reads_the_line_after_its_label(ask) -> None:
    a = ask("how's the record office saving (£60k) going to be made?")
    assert not a.abstained and "Opening hours and staffing levels will be reviewed" in a.answer


def test_a_part_of_a_measure_is_found_by_the_words_of_the_measure_it_is_part_of(ask) -> None:
    a = ask("asc&h kpi 4c - successful completions for opiates 18/19?")
    assert a.route == "sql" and "bi) Opiate" in a.answer and "4.53%" in a.answer


def test_why_of_a_risk_and_its_mitigations_come_from_its_row(ask) -> None:
    a = ask("why is prolonged recovery and funding gap a risk for ccp?")
    assert a.route == "sql" and "reductions in funding and income" in a.answer
    assert a.plan["reason"] == "the named row's narrative columns"
    a = ask("ccp risk on the prolonged recovery and funding gap - what are the mitigations?")
    assert "five-year financial plan" in a.answer and a.plan["fields"] == ["mitigation"]


def test_a_cell_that_introduces_a_list_brings_its_items(ask) -> None:
    a = ask("what will derby's LEVEL project deliver?")
    assert "Engage at least 250 companies" in a.answer and "Develop 2 skills masterclasses" in a.answer


def test_a_measure_only_the_line_s_own_name_says_is_not_the_one_asked(ask) -> None:
    """"Unallocated budget reductions - net?": the line's name says "unallocated budget", a column of its
    table too; the column asked is the net."""
    a = ask("childrens unallocated budget reductions - net?")
    assert "£4,441,180" in a.answer and a.answer.startswith("The Net Budget")


def test_a_year_whose_cell_says_n_a_has_no_figure(ask) -> None:
    a = ask("how many low carbon vehicle charging points did ETE have in 2018-19?")
    assert a.abstained and a.abstain_reason == "field_not_given"
    assert "n/a" in a.answer and "44" in a.answer   # what the row does give, the latest 44 for 2019-20


def test_how_many_people_live_in_a_place_is_its_population(ask) -> None:
    a = ask("how many people live in derby?")
    assert a.route == "text" and "256,800" in a.answer and ".:" not in a.answer


def test_answers_and_the_nearest_passages_carry_no_markup(ask) -> None:
    """A cell written as an HTML list and a passage in bold are shown as text."""
    cell = ask("who are the service directors / assistant directors under mike ashworth in ete?")
    assert "<ul" not in cell.answer and "style=" not in cell.answer
    nearest = ask("what flooding happened in 2022-23?")
    assert nearest.abstained and "**" not in nearest.answer and "\n- - " not in nearest.answer


def test_two_rows_set_against_each_other_are_both_answered(ask) -> None:
    """"Primary vs secondary": the KPI found and the one printed beside it with the other word."""
    for question in ("% of pupils in good or better schools - primary vs secondary, latest?",
                     "good or better schools: how do primary and secondary compare for % of pupils (latest)?"):
        a = ask(question)
        assert a.answer.startswith("The 2 KPIs asked:"), question
        assert "good or better primary schools" in a.answer and "good or better secondary schools" in a.answer
        assert "80.8%" in a.answer and "55.1%" in a.answer


def test_a_longer_name_against_a_shorter_and_a_row_left_out_by_its_words(ask) -> None:
    both = ask("neet vs neet + not known, 16-17 yr olds, latest?")
    assert "NEET and Not Known" in both.answer and "not in education, employment or training (NEET)" in both.answer
    only = ask("16-17 yr olds NEET (not counting not knowns) - latest and target?")
    assert "not in education, employment or training (NEET)" in only.answer and "Not Known" not in only.answer


def test_a_passage_found_for_the_year_before_is_confident_enough(ask) -> None:
    """"How many children did derbyshire libraries reach ... last year?": the year is a filter the passage's
    period answers, not a word its sentence must hold."""
    a = ask("how many children did derbyshire libraries reach with reading engagement last year?")
    assert not a.abstained and "27,600" in a.answer


def test_which_cabinet_member_reads_the_portfolio_section_a_passage_is_in(ask) -> None:
    """The delivery action names no one; the portfolio section it is printed in names its Cabinet Member."""
    answer = ask("which cabinet member looks after the Women and Families Prevent project?")
    assert not answer.abstained and "Asaf Afzal" in answer.answer and "Women and Families" in answer.answer


def test_a_row_that_dates_only_a_start_gives_no_end_or_opening(ask) -> None:
    """A procurement row gives when its procurement starts: not when the contract ends or a system goes live."""
    ended = ask("when does the supply of gas contract end?")
    assert ended.abstained and ended.abstain_reason == "field_not_given" and "Supply of Gas" in ended.answer
    live = ask("when will the Derbyshire Records Office Database be ready?")
    assert live.abstained and live.abstain_reason == "field_not_given"
    started = ask("when does the supply of gas contract start?")
    assert not started.abstained and "01/02/2020" in started.answer


def test_a_past_year_s_figure_is_not_its_target(ask) -> None:
    """"What was carers' satisfaction in 2019-20?": the service plan gives only a target for 2019-20."""
    past = ask("what was overall satisfaction of carers with social services in 2019-20?")
    assert past.abstained and past.abstain_reason == "period_not_given" and "42.6%" in past.answer
    assert "42.6%" in ask("what was overall satisfaction of carers with social services in 2018-19?").answer


def test_a_name_typed_in_lower_case_beside_a_place_word_must_be_said(assistant) -> None:
    """"Call Derbyshire" is a name of its own though "Derbyshire" names the council: a passage about the
    department's 730 staff does not answer how many work in Call Derbyshire; "the ... Policy department's
    budget" still names the department."""
    staff = assistant.ask("how many staff work in call derbyshire?")
    assert staff.abstained and "call derbyshire" in staff.answer.lower()
    budget = assistant.ask("What is the Commissioning, Communities and Policy department's budget for 2020/21?")
    assert not budget.abstained and "£59,625,879" in budget.answer


def test_one_item_then_two_of_its_figures_answers_each(assistant) -> None:
    """"ETE's HGV gritters - capital cost each and the annual charge per vehicle?": both cells of the row."""
    both = assistant.ask("ETE's 7 new HGV 18t gritters/snow ploughs - capital cost each and the annual charge per vehicle?")
    assert "110,000" in both.answer and "23,500" in both.answer


def test_the_differences_of_one_outcome_are_listed_under_their_own_noun(assistant) -> None:
    """"What differences will people see" for one outcome of the Derby plan: that outcome's Differences
    cell, listed as differences (not the must do's beside it)."""
    a = assistant.ask("derby 22-25 - for the decent, sufficient and affordable housing outcome, what differences "
                      "will people see?")
    assert a.route == "sql" and a.answer.startswith("There is 1 difference in Derby City Council in Decent")
    assert "quality of housing stock" in a.answer and "Deliver the Housing Strategy" not in a.answer


def test_which_cabinet_member_is_not_answered_by_a_passage_that_only_says_cabinet_member(ask) -> None:
    """The action's passage goes on "Underneath each Cabinet Member's Pledges ...": a role said, no one
    named; the portfolio section the action is printed in names its Cabinet Member."""
    answer = ask("derby 2016-19: which cabinet member's actions include making sure SEND assessments are done quickly?")
    assert answer.answer.startswith("Cllr Sarah Russell: the Cabinet Member of")


def test_a_lines_column_under_a_heading_and_a_leads_success_measures(ask) -> None:
    """"Shown against" asks nothing of its own, and "controllable" names the budget's heading, not its
    Controllable Recharges column; "how will success be judged" asks the action's success measures."""
    income = ask("What income is shown against the Prevention line in the adult social care and health "
                 "controllable budget?")
    assert "(130,662)" in income.answer and "Controllable Recharges" not in income.answer
    lead = ask("ccp - RO for embedding robust delivery of property valuations and the accounts, and how will "
               "success be judged?")
    assert "Peter Handford" in lead.answer and "Annual Audit Letter" in lead.answer


def test_a_preamble_that_names_the_measure_is_kept_when_the_question_points_back_to_it(ask) -> None:
    """"... - the KS2 gap ...: how much did it narrow between 2017/18 and 2018/19?" is no follow-up: the years
    are no words of its own, so the context before the colon names what "it" is."""
    a = ask("Prepping for the corporate parenting panel - the KS2 gap between children in care and all pupils "
            "(combined reading, writing and maths): how much did it narrow between 2017/18 and 2018/19?")
    assert not a.abstained and "30.6" in a.answer and "29.2" in a.answer and "1.4" in a.answer


def test_a_span_of_time_asked_picks_the_column_for_it(ask) -> None:
    """"The one-year deliverable about council tax": the 1 year column's cell, not the 4 year one beside it;
    "4-yr deliverable on budget savings": the 4 year column, before a row that only says "deliverable"."""
    one = ask("county plan: the one-year deliverable about council tax?")
    assert "Kept Council Tax within the lowest 25%" in one.answer and one.answer.startswith("1 year")
    four = ask("4-yr deliverable on budget savings - by what yr?")
    assert four.answer.startswith("4 year") and "2025/26" in four.answer


def test_two_lines_compared_in_a_column_named_by_a_word_of_it(ask) -> None:
    """"The bigger employee budget in ETE - public transport or conservation": ETE's column is "Employee
    Related" (another department's is "Employees"); the gap is said in the table's own unit too."""
    a = ask("which has the bigger employee budget in ETE - public transport or conservation, and by how much?")
    assert '"Public Transport"' in a.answer and "944" in a.answer and "471" in a.answer
    assert "473 as printed" in a.answer


def test_a_measure_named_with_line_is_a_budget_lines_figure(ask) -> None:
    a = ask("ete performance and engagement - income line?")
    assert a.route == "sql" and "(580)" in a.answer


def test_a_near_namesake_the_question_sets_aside_is_not_the_answer(ask) -> None:
    """"Buxton Fairfield Roundabout" (£5,000,000), not "Hogshaw/Fairfield Roundabout, Buxton - Golf club
    earthworks contract" (£250,000), which shares every word of the name and more."""
    a = ask("buxton fairfield roundabout (the roundabout contract itself, not the golf club earthworks) - value and start?")
    assert not a.abstained and "£5,000,000" in a.answer and "01/07/2020" in a.answer and "Golf" not in a.answer


def test_what_the_council_is_doing_about_a_risk_is_its_mitigation(ask) -> None:
    a = ask("what's the council doing about the prolonged recovery / funding gap risk in ccp?")
    assert not a.abstained and "five-year financial plan" in a.answer and "budget monitoring" in a.answer


def test_start_and_end_dates_are_read_from_a_table_that_records_both(ask) -> None:
    """The ETE action (April 2019 - September 2021), not the procurement that dates only its start."""
    a = ask("festival of derbyshire programme (ETE) - start and end dates?")
    assert not a.abstained and "April 2019" in a.answer and "September 2021" in a.answer


def test_where_a_savings_money_comes_from_is_the_line_below_its_label(ask) -> None:
    a = ask("ccp's additional income saving (£278k) - where's the money meant to come from?")
    assert not a.abstained and "advertising" in a.answer and "Registration Service" in a.answer


def test_kpis_whose_target_is_monitor_are_counted(ask) -> None:
    """"Monitor" in a KPI's target cell says no target is set: a status, filtered like "TBC"."""
    a = ask("how many asc&h KPIs have 'Monitor' as the 2020-21 target?")
    assert a.route == "sql" and "26 KPIs" in a.answer and "monitor" in a.answer.lower()


def test_a_risks_mitigation_runs_on_as_a_list_under_its_row(ask) -> None:
    a = ask("What's Children's Services doing about the risk of inappropriate use of unregulated or unregistered provision?")
    assert "senior management oversight" in a.answer and "semi-supported accommodation" in a.answer
