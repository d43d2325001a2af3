"""Unit tests of the sentence units the prose answerer reads (assistant/router/extract.py): a
sentence a PDF page wraps over two lines is one unit, cited over both lines; list items, headings
and table rows are never joined."""

from __future__ import annotations

from assistant.models import Citation, Hit
from assistant.router.extract import body_heading_above, extract, units_of

LINES = (
    "Equality impacts",
    "9.3 An Equality Impact Assessment for the Shared Delivery Plan has been",
    "completed and shows no negative impact on any protected characteristics.",
    "- first item of a list",
    "- second item",
    "Budget | £5m | 2025",
    "continues nothing | £2m | 2026",
)


def _hit() -> Hit:
    return Hit(score=1.0, text="", citation=Citation("plan.pdf", "Plan", "Equality", 1, len(LINES), ""))


def _lines(file: str) -> tuple[str, ...]:
    return LINES if file == "plan.pdf" else ()


def test_a_wrapped_sentence_is_one_unit_over_its_lines() -> None:
    units = units_of(_hit(), 0, _lines)
    wrapped = [u for u in units if u.text.startswith("9.3")]
    assert len(wrapped) == 1 and wrapped[0].text.endswith("protected characteristics.")
    assert (wrapped[0].line, wrapped[0].last_line) == (2, 3)


def test_items_headings_and_table_rows_are_not_joined() -> None:
    texts = [u.text for u in units_of(_hit(), 0, _lines)]
    assert "first item of a list" in texts and "second item" in texts and "Equality impacts" in texts
    assert not any("Budget" in t and "continues" in t for t in texts)


def test_the_answer_cites_every_line_of_the_sentence() -> None:
    found = extract("What did the equality impact assessment find?", [_hit()], _lines)
    assert found is not None and "no negative impact" in found.text
    assert (found.citations[0].line_start, found.citations[0].line_end) == (2, 3)


def test_a_how_much_answer_takes_the_figure_from_the_same_line() -> None:
    lines = ("| Tender for a new cloud management service, as part of a review of IT services. | Preferred "
             "supplier identified. This will reduce support costs by around £600,000 per year. | Completed |",)
    hit = Hit(score=1.0, text="", citation=Citation("p.md", "Plan", "ICT", 1, 1, ""))
    found = extract("how much does the cloud management service save", [hit], lambda f: lines, intent="how_much")
    assert found is not None and "£600,000" in found.text


def test_a_money_answer_takes_the_sum_from_the_next_sentence_of_the_line() -> None:
    """"The saving in money": the sentence of savings in kWh, then "This equates to £690,000 ..." after it."""
    lines = ("- **Streetlighting** – over the last 12 months the LED project has saved 4.6million kWh of electricity "
             "and 2,000 tonnes of CO2 emissions across the street lighting network of lanterns, columns and signs that "
             "the contractors maintain. This equates to £690,000 at today's energy prices.",)
    hit = Hit(score=1.0, text="", citation=Citation("p.md", "Plan", "Energy", 1, 1, ""))
    asked = "street lighting led project - what was the saving over the last 12 months?"
    assert "£690,000" in extract(asked, [hit], lambda f: lines, intent="how_much", money=True).text
    assert "£690,000" not in extract(asked, [hit], lambda f: lines, intent="how_much").text   # (a long sentence)


def test_a_lead_cell_the_names_only_partly_cover_is_quoted_as_written() -> None:
    from assistant.router.compose import people_of
    from assistant.router.semantic import semantics

    actions = semantics()["actions"]
    row = {"leads": ["Commercial Ethics"], "lead_raw": "Commercial Ethics and Sustainability Lead"}
    assert people_of(row, actions) == "Commercial Ethics and Sustainability Lead"
    row = {"leads": ["Emma Crapper", "Dean Wallace"], "lead_raw": "Emma Crapper and Dean Wallace"}
    assert people_of(row, actions) == "Emma Crapper and Dean Wallace"


def test_meaning_breaks_a_tie_between_sentences_with_the_same_words() -> None:
    """Two sentences hold the same question words; the one closer in meaning (the similarity the
    router reads from the embedding model) is chosen."""
    lines = ("Derby's population is around 256,800 people.", "24.7% of Derby's population is from an ethnic minority.")
    hit = Hit(score=1.0, text="", citation=Citation("p.txt", "Plan", "Derby", 1, 2, ""))

    def prefer(word: str):
        return lambda texts: [1.0 if word in t else 0.0 for t in texts]

    def lines_of(file: str) -> tuple[str, ...]:
        return lines

    assert extract("population", [hit], lines_of, similarity=prefer("256,800")).best.startswith("Derby's population")
    assert extract("population", [hit], lines_of, similarity=prefer("24.7%")).best.startswith("24.7%")


def test_a_sentence_that_announces_a_number_of_things_brings_the_short_lines_after_it() -> None:
    from assistant.router.extract import announced_items

    lines = ("We work in four key focus areas.", "", "Green city", "For a compact city we have a lot of green spaces.",
             "City of growth", "Our city is home to some employers.", "Vibrant city", "", "Resilient city", "More.")
    items = announced_items(lines[0], lines, 1, "what are the four focus areas?")
    assert [t for _, t in items] == ["Green city", "City of growth", "Vibrant city", "Resilient city"]
    assert [n for n, _ in items] == [3, 5, 7, 9]
    assert announced_items(lines[0], lines, 1, "what are the three focus areas?") == []   # another number asked
    assert announced_items("We work in four key focus areas.", lines[:5], 1) == []          # not that many lines


def test_a_numbered_heading_is_a_heading_and_brings_its_wrapped_first_paragraph() -> None:
    from assistant.router.extract import _following_items, _numbered_heading, Unit

    lines = ("7. Financial Implications", "", "7.1 The proposals will be delivered at low or no cost within",
             "existing budgets and plans of each directorate.", "7.2 Later costs come back to Cabinet.")
    assert _numbered_heading(lines[0], lines, 1)
    assert not _numbered_heading("7. Publish the plan by March", ("7. Publish the plan by March", "8. Review it"), 1)
    heading = Unit("Financial Implications", "f.pdf", 1, 0, False, True, 0)
    (first,) = _following_items(heading, lambda _: lines)
    assert first.text.endswith("within existing budgets and plans of each directorate.") and first.line_end == 4


def test_a_line_wrapped_before_a_capital_word_is_joined_but_a_heading_is_not() -> None:
    """"... Locally the Robert" / "Wood Johnson model has been adopted ...": a long line of prose
    without a full stop, or one ending on "and", carries on; a short heading after a paragraph does not."""
    from assistant.router.extract import _continues

    assert _continues("the traditional remit of the NHS. Locally the Robert",
                      "Wood Johnson model has been adopted to illustrate the full range of factors")
    assert _continues("it was agreed that the IC Strategy should fulfil the role of the Joint Local Health and",
                      "Wellbeing Strategy for Kent.")
    assert not _continues("This programme will continue to roll out in the coming months with Real Time",
                          "Transport Strategy")                      # a short heading
    assert not _continues("Equality impacts", "The assessment shows no negative impact at all on anyone here.")
    assert not _continues("DEPARTMENTAL SERVICE PLANS 2017-2021 for approval by Full Council (2020-21 Update)",
                          "Strategic Leadership, Culture and Tourism and the other portfolio reports follow.")


def test_a_when_answer_takes_its_date_from_the_paragraph_after_a_heading_line() -> None:
    """A heading line, then its paragraph: "what date did council approve LTP5" reads the date below it,
    and a PDF's raised ordinal ("19 th") is written whole."""
    lines = ("Local Transport Plan 5 (LTP5) approved by County Council", "",
             "Following consultation, the final draft LTP5 was presented at County Council on",
             "19 th December 2024 and members voted to approve its adoption.")
    hit = Hit(score=1.0, text="", citation=Citation("qpr.pdf", "QPR", "Transport", 1, 1, ""))
    found = extract("LTP5 - what date did county council approve it?", [hit], lambda f: lines, intent="when")
    assert found is not None and "19th December 2024" in found.text


#: A table row of a priority, its run-on actions and its run-on outcomes (no full stops in the cells),
#: long enough to be read cell by cell.
_RUN_ON_ROW = ("Cleaner streets and parks\tPlant new trees along the ring road Restore the canal towpath for walkers "
               "and cyclists Deliver the Parks Improvement Plan with local friends groups Extend the street cleansing "
               "rota to every ward on a weekly basis\tAn annual reduction in fly-tipping incidents across the borough "
               "to half the present level by 2031 Improved satisfaction with parks among residents who use them often "
               "More volunteers taking part in the care of green spaces in every ward")


def _row_hit() -> Hit:
    return Hit(score=1.0, text="", citation=Citation("plan.txt", "Plan", "Priorities", 1, 1, ""))


def test_a_long_row_is_read_cell_by_cell_and_a_run_on_cell_item_by_item() -> None:
    texts = [u.text for u in units_of(_row_hit(), 0, lambda f: (_RUN_ON_ROW,))]
    assert texts[0] == "Cleaner streets and parks"
    assert "Restore the canal towpath for walkers and cyclists" in texts
    assert "An annual reduction in fly-tipping incidents across the borough to half the present level by 2031" in texts
    # a capital after a phrase word stays inside its item ("the Parks Improvement Plan")
    assert "Deliver the Parks Improvement Plan with local friends groups" in texts


def test_a_date_buried_in_a_run_on_cell_is_found_on_its_own() -> None:
    found = extract("by when will fly-tipping halve", [_row_hit()], lambda f: (_RUN_ON_ROW,), intent="when")
    assert found is not None and found.best.endswith("by 2031")


def test_a_list_question_on_a_rows_first_cell_brings_the_run_on_items_of_the_next() -> None:
    found = extract("what are the actions under cleaner streets and parks", [_row_hit()], lambda f: (_RUN_ON_ROW,),
                    wants_list=True)
    assert found is not None
    assert "Plant new trees along the ring road" in found.text and "every ward on a weekly basis" in found.text
    assert "fly-tipping" not in found.text   # the outcomes cell is another list


def test_a_question_asking_two_things_gets_a_sentence_for_each() -> None:
    lines = ("| ENCTS journey levels | Journeys have fallen, so a £3.4m reduction was made in the 2022-23 budget with "
             "a further £1.9m reduction in the 2023-24 budget. The scheme is national and operators are repaid. "
             "Should patronage return to pre-covid levels, this would lead to a £5.3m budget shortfall. |",)
    hit = Hit(score=1.0, text="", citation=Citation("r.pdf", "Risks", "Risks", 1, 1, ""))
    question = "by how much was the concessionary travel budget cut in 2023-24, and what shortfall would a return " \
               "to pre-covid patronage mean?"
    found = extract("encts cut shortfall return pre-covid patronage 2023-24", [hit], lambda f: lines,
                    intent="how_much", asked=question)
    assert found is not None and "£5.3m" in found.text and "£1.9m" in found.text
    assert "2023-24" in found.own and "£5.3m" in found.own   # both sentences answer a part of the question
    one = extract("encts cut shortfall return pre-covid patronage", [hit], lambda f: lines, intent="how_much",
                  asked="what shortfall would a return to pre-covid patronage mean?")
    assert one is not None and one.own == one.best   # one thing asked: the best sentence alone answers it


def test_the_words_naming_the_document_asked_about_pick_no_sentence() -> None:
    from assistant.router.assistant import document_terms
    from assistant.router.understand import DocumentInfo, Lexicon

    lexicon = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("reg", "Appendix J: Budget Risks Register 2025-26", "Kent County Council", "2025-26",
                     "risk register")], groups={})
    assert {"budget", "regist"} <= document_terms(("reg",), lexicon)
    assert document_terms((), lexicon) == set()
    # with them set aside, the sentence about the boilers, not the register's title line, is the answer
    lines = ("Appendix J: Budget Risks Register 2025-26 TOTAL £m 345.0 290.0",
             "A need for gas boilers on the corporate and schools estate to be replaced by heat source pumps.")
    hit = Hit(score=1.0, text="", citation=Citation("r.pdf", "Risks", "Risks", 1, 2, ""))
    topic = "net zero capital meant replace gas boilers"
    named = extract(f"budget risks register {topic}", [hit], lambda f: lines, intent="how_much")
    assert named is not None and named.best.startswith("Appendix J")   # the title's words win ...
    found = extract(topic, [hit], lambda f: lines, intent="how_much")
    assert found is not None and "heat source pumps" in found.best   # ... unless they are set aside


def test_a_quarter_asked_with_its_year_must_be_of_that_year() -> None:
    from assistant.router.assistant import _periods_asked
    from assistant.router.understand import Lexicon, understand

    assert _periods_asked(understand("KSI casualties Q3 2022/23?", Lexicon())) == ("quarter 3", "2022/23")


def test_a_sentence_that_adds_only_a_year_of_the_question_is_not_added() -> None:
    lines = ("KSI casualties were up by 35 in Quarter 3.",
             "Health visits were the highest since Quarter 4 2022/23.")
    hits = [Hit(score=1.0, text="", citation=Citation("q.pdf", "QPR", "Road Safety", 1, 1, "")),
            Hit(score=0.9, text="", citation=Citation("q.pdf", "QPR", "Health", 2, 2, ""))]
    # the model finds the two sentences about as close in meaning: both are strong enough to add
    found = extract("ksi casualties quarter 3 2022/23", hits, lambda f: lines, intent="how_much",
                    similarity=lambda texts: [0.5 if "Health" in t else 0.3 for t in texts])
    assert found is not None and "KSI" in found.text and "Health visits" not in found.text


def test_an_abbreviation_s_full_stop_ends_no_sentence() -> None:
    from assistant.router.extract import split_sentences

    assert split_sentences("It has halved from c. 200 to c. 90 over 2016. Dr. Smith said no. Then it ended.") == [
        "It has halved from c. 200 to c. 90 over 2016.", "Dr. Smith said no.", "Then it ended."]


SAVINGS = (
    "- **Buxton Museum – £70,000**",
    " The Council will investigate using volunteers.",
    "- **Derbyshire Record Office – £60,000**",
    " Opening hours and staffing levels will be reviewed.",
    "- **Trading Standards – £25,000**",
)


def test_an_item_that_only_labels_a_thing_is_read_with_the_line_that_describes_it() -> None:
    hit = Hit(score=1.0, text="", citation=Citation("s.txt", "Plan", "Savings", 1, len(SAVINGS), ""))
    found = extract("record office saving made", [hit], lambda f: SAVINGS if f == "s.txt" else (), "explain")
    assert found is not None and found.text.startswith("Derbyshire Record Office – £60,000")
    assert "Opening hours and staffing levels will be reviewed" in found.text and "volunteers" not in found.text


REPORT = (
    "In Quarter 1 and 2, the metric was not available because of a new clinical IT system. This has since",
    "been resolved and the data is as follows for the proportion of first-time patients accepting a full",
    "sexual health screen, quarter by quarter for this year: Quarter 1, 65.0%; Quarter 2, 65.2%;",
    "Quarter 3, 64.6%. Although this trend is below the 72% target, the service is doing well.",
    "- first item;",
    "- second item",
)


def test_a_long_line_of_prose_goes_on_past_a_semicolon_but_a_list_item_does_not() -> None:
    hit = Hit(score=1.0, text="", citation=Citation("r.pdf", "Report", "Health", 1, len(REPORT), ""))
    texts = [u.text for u in units_of(hit, 0, lambda f: REPORT if f == "r.pdf" else ())]
    assert any("Quarter 2, 65.2%; Quarter 3, 64.6%." in t for t in texts)
    assert "first item;" in texts and "second item" in texts


COVER = (
    "Quarter 3 2024/25",
    "Produced by: Kent Analytics",
    "E-mail: performance@kent.gov.uk",
)


def test_who_did_a_thing_is_read_from_the_line_that_says_it_was_done_by_them() -> None:
    hit = Hit(score=1.0, text="", citation=Citation("q.pdf", "Report", "", 1, len(COVER), ""))
    found = extract("quarter 3 report produces", [hit], lambda f: COVER if f == "q.pdf" else (), "who")
    assert found is not None and "Kent Analytics" in found.text


def test_a_sentence_ending_with_a_colon_brings_the_items_it_introduces() -> None:
    """"... | We will: • Deliver 8 events • Engage at least 250 companies": the short sentence brought in
    after the best one introduces a list, so the list comes too, joined as one."""
    lines = ("| Evolve the LEVEL project. | This project launched in December 2016. It will provide training. | "
             "We will: • Deliver 8 business engagement events • Engage at least 250 companies | March 2019 |",)
    hit = Hit(score=1.0, text="", citation=Citation("p.md", "Plan", "Economy", 1, 1, ""))
    found = extract("what will the LEVEL project deliver", [hit], lambda f: lines)
    assert found is not None
    assert "We will: Deliver 8 business engagement events; Engage at least 250 companies" in found.text


def test_a_list_numbered_inside_one_cell_is_read_as_its_items() -> None:
    """"4 metrics from Better Care Fund: 1. Non-elective hospital admissions 2. Delayed Transfers of Care":
    the numbers start items, not sentences, and the cell that names the list brings them all."""
    from assistant.router.extract import split_sentences

    cell = ("4 metrics from Better Care Fund: 1. Non-elective hospital admissions 2. Delayed Transfers of Care "
            "3. Long term needs met by admission to care")
    assert split_sentences(cell) == ["4 metrics from Better Care Fund:", "Non-elective hospital admissions",
                                     "Delayed Transfers of Care", "Long term needs met by admission to care"]
    assert split_sentences("Results at Key Stage 2. The gap narrowed.") == ["Results at Key Stage 2.", "The gap narrowed."]
    lines = ("| Implement integration with NHS partners. | " + cell + " | March 2019 |",)
    hit = Hit(score=1.0, text="", citation=Citation("p.md", "Plan", "Health", 1, 1, ""))
    found = extract("what better care fund metrics are used", [hit], lambda f: lines)
    assert found is not None and "Delayed Transfers of Care; Long term needs met by admission to care" in found.text


def test_a_passage_cut_mid_sentence_reads_on_to_the_sentence_s_end() -> None:
    """An index chunk that ends on a wrapped line ("... is currently with legal") reads the lines after it
    until the sentence ends, so the answer is not cut before "presenting to the Corporate Director"."""
    lines = ("A policy has been developed and is currently with legal",
             "services for advice prior to presenting to the Corporate Director for a decision.",
             "The service is developing a new project.")
    hit = Hit(score=1.0, text="", citation=Citation("p.pdf", "Plan", "Fostering", 1, 1, ""))
    units = units_of(hit, 0, lambda f: lines)
    assert units[0].text.endswith("presenting to the Corporate Director for a decision.")
    assert (units[0].line, units[0].last_line) == (1, 2) and len(units) == 1


def test_a_table_s_last_row_runs_on_as_the_list_under_it() -> None:
    """The last cell of a table's last row continued as list items under it (after one blank line)."""
    lines = ("Risk\tMitigation",
             "Inappropriate use of unregulated provision.\tRobust senior management oversight in place.",
             "",
             "- Robust contract and quality monitoring of semi-supported accommodation.",
             "- Strengthening commissioning activity.",
             "",
             "Section One - Council Priorities")
    hit = Hit(score=1.0, text="", citation=Citation("p.md", "Plan", "Risks", 2, 2, ""))
    found = extract("what is being done about inappropriate use of unregulated provision", [hit], lambda f: lines)
    assert found is not None and "semi-supported accommodation" in found.text and "Strengthening" in found.text
    assert "Section One" not in found.text


def test_a_numbered_name_and_the_verb_of_a_count_pick_the_sentence() -> None:
    """"Year 7" is not "Year 9" (a one-digit number is no term), and "how many applications were completed"
    is the sentence that says they were completed, not the one of those received."""
    from assistant.router.extract import numbered_names

    assert numbered_names("road sense for yr 7 and Key Stage 2") == ["year7", "keystage2"]
    lines = ("Road Sense delivery to Year 9 (17 schools), reaching 2,811 pupils.",
             "Road Sense delivery to Year 7 (23 schools), reaching 3,699 pupils.")
    hit = Hit(score=1.0, text="", citation=Citation("p.pdf", "QPR", "Road safety", 1, 2, ""))
    found = extract("road sense year 7 schools pupils", [hit], lambda f: lines, intent="count",
                    asked="road sense for year 7 - how many schools and pupils?")
    assert found is not None and found.best.startswith("Road Sense delivery to Year 7")
    lines = ("Quarter 3 saw the highest number of DoLS applications received, with 2,786 applications.",
             "2,432 applications were completed in the quarter.")
    found = extract("dols applications completed quarter", [hit], lambda f: lines, intent="count",
                    asked="DoLS - how many applications were completed in Q3?")
    assert found is not None and found.best.startswith("2,432 applications were completed")


DIVISIONS = (
    "Parks Estate (PE) - responsible for the development of a range of open space strategies",
    "including the Tree Strategy and the Allotments Plan.",
    "",
    "The division leads on the management of country parks, picnic sites and the",
    "county's bowling greens and pavilions.",
    "",
    "The division additionally administers the community orchard grant and the",
    "hedgerow loan scheme for farmers.",
    "",
    "Bridges and Structures",
    "The division inspects the county's bridges and culverts each year.",
)


def test_which_division_names_the_body_the_paragraphs_above_open_with() -> None:
    """"The division ..." is said of the one a paragraph above names; a heading between stops the
    search."""
    hit = Hit(score=1.0, text="", citation=Citation("kss.pdf", "KSS", "Growth", 7, 8, ""))
    found = extract("which division administers the hedgerow loan scheme", [hit], lambda f: DIVISIONS,
                    intent="who", asked="which division administers the hedgerow loan scheme?")
    assert found is not None and found.text.startswith("Parks Estate (PE):") and "hedgerow loan" in found.text
    under_heading = Hit(score=1.0, text="", citation=Citation("kss.pdf", "KSS", "Bridges", 11, 11, ""))
    found = extract("which division inspects the bridges", [under_heading], lambda f: DIVISIONS, intent="who",
                    asked="which division inspects the bridges?")
    assert found is not None and found.text.startswith("The division inspects")


def test_a_sentence_another_already_says_is_not_repeated() -> None:
    """A passage read on past its chunk's end holds the start of the next chunk: said once."""
    lines = ("The division also hosts the Walking Club, as well as administering a number of recyclable",
             "loan funds such as Hedge Start (HS), Orchard Aid (OA) and Field Fund (FF).", "The division closes in March.")
    first = Hit(score=1.0, text="", citation=Citation("p.pdf", "P", "Fund", 1, 1, ""))
    second = Hit(score=0.9, text="", citation=Citation("p.pdf", "P", "Fund", 2, 3, ""))
    question = "recyclable loan funds hedge start orchard aid field fund"
    found = extract(question, [first, second], lambda f: lines, asked=question)
    assert found is not None and found.text.count("Hedge Start") == 1, found.text


def test_which_team_reads_the_heading_of_the_team_whose_list_it_is_in() -> None:
    lines = ["Safer Road Users Team", "During this quarter, the Team delivered the following:",
             "• Road Sense delivery to Year 7 (23 schools)", "• Parker Steel AGM - engagement with 15 leads"]
    assert body_heading_above(lines, 4, "team") == "Safer Road Users Team"
    assert body_heading_above(lines, 4, "division") is None


def test_which_division_reads_a_name_before_a_colon_across_a_page_break() -> None:
    """"Name (ACR) : This Division's purpose is to" / page break / "secure ...": the name is read from the
    line that opens the paragraph, not from the lower-case line that goes on after the break."""
    lines = ["Schools Estate (SE) : This Division's purpose is to", "",
             "secure school places in every community across the county.",
             "This Division commissions Brightpath Learning to deliver traded support services."]
    hit = Hit(score=1.0, text="", citation=Citation("kss.pdf", "KSS", "Schools", 4, 4, ""))
    found = extract("which division commissions brightpath learning", [hit], lambda f: lines, intent="explain",
                    asked="which division commissions Brightpath Learning?")
    assert found is not None and found.text.startswith("Schools Estate (SE):"), found.text


def test_the_sentence_naming_the_things_asked_is_chosen() -> None:
    """"What bus interventions has the BSIP funding delivered?": the sentence naming interventions, not the
    one that says BSIP and funding only."""
    from assistant.router.extract import asked_things

    assert asked_things("what bus interventions has the BSIP funding delivered so far?") == {"bus", "intervent"}
    assert asked_things("what is the budget?") == set()
    lines = ("The BSIP programme has continued to roll out, using the funding awards made in 2024/25. "
             "This has seen the delivery of a number of bus interventions such as three bus priority schemes.",)
    hit = Hit(score=1.0, text="", citation=Citation("qpr.pdf", "QPR", "Transport", 1, 1, ""))
    question = "what bus interventions has the BSIP funding delivered so far?"
    found = extract("bus interventions bsip funding", [hit], lambda f: lines, asked=question)
    assert found is not None and found.best.startswith("This has seen"), found.best


def test_who_is_doing_a_thing_is_the_body_whose_paragraph_it_is() -> None:
    """"Whos widening the bridge at brockhill": the heading over the paragraph, when it is a body's name
    ("Kent Country Parks (KCP)"); a heading that names no body answers nothing."""
    from assistant.router.extract import DOER_ASKED, named_body_above

    lines = ["Appendix 1", "", "Kent Country Parks (KCP)", "A further 6,000 trees have been planted.",
             "Further works are happening at Brockhill to widen a bridge."]
    assert named_body_above(lines, 5) == "Kent Country Parks (KCP)"
    assert named_body_above(["Trees and woods", "Further works are happening at Brockhill."], 2) is None
    assert DOER_ASKED.search("whos widening the bridge at brockhill?")
    assert DOER_ASKED.search("who delivered the new mills scheme?")
    assert not DOER_ASKED.search("who is the cabinet member for highways?")


def test_which_two_things_asks_for_names_not_how_many() -> None:
    from assistant.router.understand import Lexicon
    from assistant.router.verify import verify

    q = "which two schools are being added to the school streets programme?"
    only_count = verify(q, "The expansion of School Streets to two additional schools is progressing well.", "",
                        Lexicon(), passage=True)
    assert not only_count.ok and only_count.code == "names_not_given"
    assert verify(q, "Two schools are being added: Oakfield Primary and Hill View.", "", Lexicon(), passage=True).ok


def test_for_how_long_picks_the_sentence_that_gives_a_length_of_time() -> None:
    """"Permanent exclusions are at their highest for how long?": the sentence saying "for nearly 9
    years", not the one that only names the exclusions."""
    lines = ("Permanent exclusions remain on the floor standard.", "Exclusions are at their highest for nearly 9 years.")

    def lines_of(file: str) -> tuple[str, ...]:
        return lines if file == "qpr.pdf" else ()

    hit = Hit(score=1.0, text="", citation=Citation("qpr.pdf", "QPR", "Education", 1, 2, ""))
    found = extract("permanent exclusions highest long", [hit], lines_of, "explain", False,
                    asked="Permanent exclusions in Kent are at their highest for how long?")
    assert found is not None and found.text.startswith("Exclusions are at their highest for nearly 9 years")


def test_a_sentence_that_points_back_brings_the_one_before_it() -> None:
    """"Why was there no data for Q1?": "This has since been resolved ..." is chosen for its words, and
    the sentence before it, which says why, comes with it."""
    lines = ("In Quarter 1 and 2 the metric was not available due to one of the providers having data extraction "
             "issues after moving to a new clinical IT system. This has since been resolved and the data for the "
             "sexual health screen is as follows: Quarter 1, 65.0%.",)
    hit = Hit(score=1.0, text="", citation=Citation("qpr.pdf", "QPR", "Public Health", 1, 1, ""))
    found = extract("why was there no sexual health screen data for quarter 1", [hit], lambda _: lines)
    assert found is not None and found.text.startswith("In Quarter 1 and 2 the metric was not available")
    assert "This has since been resolved" in found.text


def test_a_lead_in_ending_with_a_colon_is_followed_by_the_lines_it_leads_into() -> None:
    from assistant.router.extract import items_after_lead_in

    lines = ("Overview", "", "Enablers:", "", "We will drive research", "We will provide system leadership",
             "We will engage our communities", "", "Shared Outcomes")
    assert items_after_lead_in("Overview: one aim; Enablers:.", lines, 3) == [
        (5, "We will drive research"), (6, "We will provide system leadership"), (7, "We will engage our communities")]
    assert items_after_lead_in("Overview: one aim.", lines, 3) == []   # no colon: nothing is led into
    long_run = ("Items:", *(f"item {i}" for i in range(20)))
    assert items_after_lead_in("Items:", long_run, 1) == []   # a run longer than a list is no list of it


def test_a_cell_of_bulleted_items_under_its_own_lead_is_counted_when_the_lead_is_asked() -> None:
    """"How many courses does Staff Development offer?": the bulleted items of the cell that "Staff
    Development" leads, not the other cells of the line, and nothing when the lead is not asked."""
    from assistant.router.extract import bulleted_cell

    line = "Staff Development • First Aid • Manual Handling • Fire Safety\tHR\tMarch 2026\tNumbers trained"
    assert bulleted_cell(line, "number courses staff development offer") == \
        ("Staff Development", ["First Aid", "Manual Handling", "Fire Safety"])
    assert bulleted_cell(line, "number fire wardens") is None
    assert bulleted_cell("Staff Development • First Aid\tHR", "staff development") is None   # one item is no list


def test_a_named_phrase_said_word_for_word_beats_its_words_said_apart() -> None:
    """"What is 'Better Lives'?": the sentence naming the 'Better Lives' programme, not one saying "better"
    and "live" apart, nor "bigger and better lives" (a name quoted with capitals matches as capitalised)."""
    from assistant.router.extract import holds_phrase, named_phrases

    lines = ("Better support people to live at home longer and maintain our performance.",
             "Mainstreamed the approach to enable people to lead bigger and better lives.",
             "During 2020-21 the department will begin to implement the 'Better Lives' transformation programme.")
    hit = Hit(score=1.0, text="", citation=Citation("plan.txt", "Plan", "Adult Care", 1, 3, ""))
    found = extract("better lives", [hit], lambda _: lines, "explain", asked="what is 'Better Lives'?")
    assert found is not None and found.text.startswith("During 2020-21 the department will begin to implement")
    assert named_phrases("what actually is 'Better Lives'?") == [("Better Lives", True)]
    assert named_phrases("what is 'better lives'?") == [("better lives", False)]
    assert named_phrases("what is Better Lives?") == []   # not quoted: its words count as any others
    assert holds_phrase("the 'Better  Lives' programme", [("Better Lives", True)])
    assert not holds_phrase("bigger and better lives", [("Better Lives", True)])


def test_a_word_said_only_as_non_x_is_not_said() -> None:
    """"UASC in care": "the number of non-UASC children" says nothing of UASC children."""
    from assistant.router.extract import _words

    assert "uasc" not in _words("The number of non-UASC children in care decreased by 25.")
    assert "uasc" in _words("Non-UASC children rose while UASC fell.")
    assert "uasc" in _words("The number of UASC in care decreased by 80.")


def test_the_body_a_paragraph_opens_with_is_named_for_a_later_sentence_of_it() -> None:
    """"Which division leads the transport capital programme?": "The division also leads on ..." is said
    within the paragraph that opens "Highways and Transportation (HT) - responsible for ...", not of the
    division of the paragraph before."""
    from assistant.router.extract import opening_body

    lines = ("Environment and Circular Economy (ECE) - responsible for strategies.", "",
             "Highways and Transportation (HT) - responsible for the Local Transport Plan. The division also leads on",
             "the transport related capital programme.")
    hit = Hit(score=1.0, text="", citation=Citation("kss.pdf", "KSS", "GET", 1, 4, ""))
    found = extract("division leads transport capital programme", [hit], lambda _: lines, "who",
                    asked="which division leads the transport capital programme?")
    assert found is not None and found.text.startswith("Highways and Transportation (HT):")
    assert opening_body(found.text) == "Highways and Transportation (HT)"
    assert opening_body("Note: the division leads on it.") is None
