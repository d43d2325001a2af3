"""Unit tests of aggregates over any one table (assistant/router/table_ops.py) over a tiny DuckDB built
from SQL text: a fleet replacement programme and a complaints table by quarter, in a layout no typed
table knows. Every expected value can be worked out from the INSERTs below."""

from __future__ import annotations

from collections.abc import Iterator

import dataclasses
import pytest

from assistant.config import Settings
from assistant.router import table_ops
from assistant.router.cell_conditions import condition_words, figure_conditions, without_band
from assistant.router.data import Database
from assistant.router.extract import terms
from tests.router.schema_db import empty_schema

FLEET_HEADER = ["User", "Quantity to Replace", "Vehicle Type", "Cost per Vehicle (£)", "Total Cost (£)",
                "Annual Charge (£)"]
FLEET = [
    ["Libraries and Heritage", "2", "Van 3.5t", "20,000", "40,000", "9,000"],
    ["Libraries and Heritage", "1", "HGV 7.5t", "80,000", "80,000", "18,000"],
    ["Parks and Open Spaces", "4", "Tipper 3.5t", "30,000", "120,000", "30,000"],
    ["Parks and Open Spaces", "3", "HGV 7.5t", "75,000", "225,000", "50,000"],
    ["Total", "10", "", "", "465,000", "107,000"],
]
COMPLAINTS_HEADER = ["Service", "Quarter to Sep 24", "Quarter to Dec 24"]
COMPLAINTS = [["Highways", "410", "422"], ["Libraries", "35", "12"], ["Waste", "120", "150"]]
CAPITAL_HEADER = ["Row Ref", "Directorate", "Total Cost £000s", "2024-25 Year 1 £000s", "2025-26 Year 2 £000s",
                  "2026-27 Year 3 £000s"]
CAPITAL = [["1", "Borrowing", "600", "100", "200", "300"], ["2", "Grants", "90", "30", "30", "30"],
           ["3", "Loan Repayments", "45", "20", "25", ""], ["", "Total Cash Limit", "735", "150", "255", "330"]]
CAPITAL_LATER_HEADER = ["Row Ref", "Directorate", "2027-28 Year 4 £000s", "2028-29 Year 5 £000s"]
CAPITAL_LATER = [["1", "Borrowing", "400", "500"], ["2", "Grants", "30", "30"], ["3", "Loan Repayments", "", "-"],
                 ["", "Total Cash Limit", "430", "530"]]   # the same programme, page 2
BUDGET_HEADER = ["Division", "Gross Budget (£)", "Income (£)"]
BUDGET = [["Property", "5,000", "(2,500)"], ["Legal Services & Land Charges", "3,000", "(1,000)"], ["Policy", "900", "0"]]
ACTIONS_HEADER = ["What is the action?", "Timeframe"]
ACTIONS_1 = [["Open the new library", "Completed May 2017"], ["Review the archive", "March 2019"]]
ACTIONS_2 = [["Digitise the records", "Completed June 2018"]]   # the same table after a page break
FUNDING_HEADER = ["Row Ref", "Source", "2024-25 Year 1 £000s", "2025-26 Year 2 £000s"]
FUNDING = [["", "Spending", "", ""], ["1", "Highways", "500", "600"], ["", "Funded By:", "", ""],
           ["2", "Developer Contributions", "40", "60"], ["3", "Borrowing", "460", "540"]]   # rows 0 and 2 span the table
FUNDED_HEADER = ["Funding Category", "2025-26 Amount £000s"]
FUNDED = [["Business Rate Top-Up Grant", "-149,107.7"], ["Social Care Grant", "-137,143.6"],
          ["New Homes Bonus", "-1,926.7"]]   # income, printed negative, under a heading of one word
SERVICES_HEADER = ["Line", "2024-25 Revised Base Budget (Gross Cost) £000s", "Service", "2025-26 Staffing £000s",
                   "2025-26 Gross Cost £000s"]
SERVICES = [["61", "8,597.1", "Family Hubs", "5,100.0", "6,977.1"], ["62", "3,000.0", "Youth Services", "2,000.0", "3,200.0"]]
DEPARTMENTS = {"Libraries and Heritage": ("LH",), "Parks and Open Spaces": ("POS",), "Culture": ()}


FIRST_LINE = {"fleet": 3, "complaints": 21, "capital": 31, "budget": 36, "actions1": 41, "actions2": 46,
              "capital2": 51, "funding": 61, "funded": 71, "services": 81}


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[table_ops.Sheets]:
    home = tmp_path_factory.mktemp("table_ops")
    settings = Settings(home=home)
    con = empty_schema(settings.db_path)
    rows = [("fleet", i, c) for i, c in enumerate(FLEET)] + [("complaints", i, c) for i, c in enumerate(COMPLAINTS)] \
        + [("capital", i, c) for i, c in enumerate(CAPITAL)] + [("budget", i, c) for i, c in enumerate(BUDGET)] \
        + [("capital2", i, c) for i, c in enumerate(CAPITAL_LATER)] + [("funding", i, c) for i, c in enumerate(FUNDING)] \
        + [("funded", i, c) for i, c in enumerate(FUNDED)] + [("services", i, c) for i, c in enumerate(SERVICES)] \
        + [("actions1", i, c) for i, c in enumerate(ACTIONS_1)] + [("actions2", i, c) for i, c in enumerate(ACTIONS_2)]
    con.execute("INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                "VALUES ('d1', 'plan.txt', 'Service Plan 2024-25', 'Borsetshire Council', '2024-25', 'plan', 'x', 40, "
                "'text')")
    con.execute(
        "INSERT INTO raw_tables (table_id, doc_id, file, council, department, section_path, kind, format, header, "
        "line_start, line_end, n_rows, caption) VALUES "
        f"('fleet', 'd1', 'plan.txt', 'Borsetshire Council', 'Operations', 'Operations > Fleet', 'unclassified', "
        f"'tsv', {_list(FLEET_HEADER)}, 2, 7, 5, 'Fleet Replacement Programme 2024-25'), "
        f"('complaints', 'd1', 'plan.txt', 'Borsetshire Council', 'Customer Services', "
        f"'Customer Services > Complaints Monitoring', 'unclassified', 'tsv', {_list(COMPLAINTS_HEADER)}, 20, 23, 3, "
        f"NULL), "
        f"('capital', 'd1', 'plan.txt', 'Borsetshire Council', NULL, 'Capital', 'unclassified', 'tsv', "
        f"{_list(CAPITAL_HEADER)}, 30, 34, 4, 'Capital Programme 2024-25 to 2026-27'), "
        f"('budget', 'd1', 'plan.txt', 'Borsetshire Council', NULL, 'Budget', 'unclassified', 'tsv', "
        f"{_list(BUDGET_HEADER)}, 35, 38, 3, 'Approved Controllable Budget'), "
        f"('capital2', 'd1', 'plan.txt', 'Borsetshire Council', NULL, 'Capital', 'unclassified', 'tsv', "
        f"{_list(CAPITAL_LATER_HEADER)}, 50, 54, 4, 'Capital Programme 2024-25 to 2026-27'), "
        f"('actions1', 'd1', 'plan.txt', 'Borsetshire Council', 'Culture', 'Culture > Delivery Actions – Culture', "
        f"'unclassified', 'tsv', {_list(ACTIONS_HEADER)}, 40, 42, 2, 'Delivery Actions – Culture'), "
        f"('actions2', 'd1', 'plan.txt', 'Borsetshire Council', 'Culture', 'Culture > Delivery Actions – Culture', "
        f"'unclassified', 'tsv', {_list(ACTIONS_HEADER)}, 44, 45, 1, NULL), "
        f"('funding', 'd1', 'plan.txt', 'Borsetshire Council', NULL, 'Capital', 'unclassified', 'tsv', "
        f"{_list(FUNDING_HEADER)}, 60, 65, 5, 'Capital Spending and Funding'), "
        f"('funded', 'd1', 'plan.txt', 'Borsetshire Council', NULL, 'Revenue > Funded By', 'unclassified', 'tsv', "
        f"{_list(FUNDED_HEADER)}, 70, 73, 3, NULL), "
        f"('services', 'd1', 'plan.txt', 'Borsetshire Council', 'Children', 'Children > Early Help Services', "
        f"'unclassified', 'tsv', {_list(SERVICES_HEADER)}, 80, 82, 2, 'Early Help Services')")
    con.execute("INSERT INTO raw_rows (table_id, row_index, cells, line_start, line_end, raw_text) VALUES " + ", ".join(
        f"('{t}', {i}, {_list(c)}, {FIRST_LINE[t] + i}, {FIRST_LINE[t] + i}, "
        f"'{' '.join(c)}')" for t, i, c in rows))
    con.execute("UPDATE raw_rows SET is_total = (table_id = 'fleet' AND row_index = 4), "
                "spanning = (table_id = 'funding' AND row_index IN (0, 2))")
    con.close()
    db = Database(settings)
    yield table_ops.Sheets.load(db)
    db.close()


def _asked(question: str, departments: tuple[str, ...] = (), years: tuple[int, ...] = (),
           status: tuple[str, ...] = ()) -> table_ops.Asked:
    """The question as the answerer reads it, with every word weighted alike (no lexicon needed)."""
    lower = question.lower()
    op = table_ops.operation(lower, "count" if "how many" in lower else "explain")
    assert op is not None, question
    scope = {t for d in departments for t in terms(" ".join((d, *DEPARTMENTS[d])))}
    conditions = figure_conditions(lower)
    said = condition_words(conditions)
    words = tuple(t for t in dict.fromkeys(terms(question)) if t not in scope and not t[:1].isdigit() and t not in said)
    return table_ops.Asked(lower, op, not table_ops._ASCENDING.search(lower), words, frozenset(terms(question)),
                           {t: 1.0 for t in words}, (), tuple(d.lower() for d in departments),
                           tuple(tuple(a.lower() for a in (d, *DEPARTMENTS[d])) for d in departments), years,
                           status=status, conditions=conditions)


def _answer(sheets: table_ops.Sheets, question: str, departments: tuple[str, ...] = (),
            years: tuple[int, ...] = (), status: tuple[str, ...] = ()) -> table_ops.Result | None:
    return table_ops.answer(sheets, _asked(question, departments, years, status), lambda sheet: True)


def test_how_many_sums_the_quantity_column_of_the_rows_that_mention_the_thing(sheets) -> None:
    result = _answer(sheets, "how many HGVs are in the fleet replacement programme?")
    assert result is not None and result.text.startswith("4 in all")   # 1 + 3, the Total row left out
    assert result.measure == "Quantity to Replace" and len(result.rows) == 2
    # "altogether" adds the same quantities: a count of the rows, not a total of another column
    assert table_ops.operation("how many hgvs altogether?", "how_much") == "count"
    assert table_ops.counts_altogether("and ete's 4x4s - how many altogether?")
    assert not table_ops.counts_altogether("how many were recruited to?")


def test_a_total_over_one_department_named_in_a_column_of_departments(sheets) -> None:
    result = _answer(sheets, "total cost of the Parks and Open Spaces vehicles in the fleet replacement programme",
                     departments=("Parks and Open Spaces",))
    assert result is not None and result.text.startswith("£345,000 in total")   # 120,000 + 225,000
    assert result.measure == "Total Cost (£)"   # not the cost per vehicle, which does not add up


def test_two_departments_compared_on_the_column_named(sheets) -> None:
    result = _answer(sheets, "fleet replacement: is the annual charge higher for LH or POS?",
                     departments=("Libraries and Heritage", "Parks and Open Spaces"))
    assert result is not None and result.operation == "compare"
    assert result.text.startswith("Parks and Open Spaces is larger: £80,000 against £27,000")
    assert "difference of £53,000" in result.text


def test_the_largest_row_in_the_column_for_the_quarter_asked(sheets) -> None:
    result = _answer(sheets, "complaints monitoring: which service had the most complaints in the quarter to dec 24?")
    assert result is not None and result.text.startswith("Highways has the largest Quarter to Dec 24: 422")
    smallest = _answer(sheets, "complaints monitoring: which service had the fewest complaints quarter to sep 24")
    assert smallest is not None and smallest.text.startswith("Libraries has the smallest Quarter to Sep 24: 35")


def test_a_group_total_over_a_column_shared_by_several_rows(sheets) -> None:
    result = _answer(sheets, "fleet replacement programme: which user has the most total cost?")
    assert result is not None and result.operation == "group_top"
    assert result.text.startswith("Parks and Open Spaces has the largest total Total Cost (£): £345,000")


def test_which_value_of_a_column_the_most_rows_share(sheets) -> None:
    """"Which vehicle type has the most rows": counted by rows, not added up, and the rows are kept."""
    result = _answer(sheets, "fleet replacement programme: which vehicle type has the most entries?")
    assert result is not None and result.operation == "group_top" and result.measure is None
    assert result.text.startswith("HGV 7.5t (Vehicle Type) has the most rows: 2 of the 4")
    assert len(result.rows) == 2
    # a numeric column named after "most" is added up per group instead
    summed = _answer(sheets, "fleet replacement programme: which vehicle type has the most total cost?")
    assert summed is not None and summed.measure == "Total Cost (£)"


def test_two_rows_compared_by_their_names_as_the_question_writes_them(sheets) -> None:
    """A name up to the "&" that adds to it ("legal services" of "Legal Services & Land Charges"), and
    a possessive or a hyphen in the question, still name the row."""
    result = _answer(sheets, "approved controllable budget: which has the higher gross budget, legal-services or the "
                             "policy team's?")
    assert result is not None and result.operation == "compare"
    assert result.text.startswith("Legal Services & Land Charges is larger: £3,000 against £900 for Policy")


def test_a_word_only_one_table_holds_and_a_word_of_its_name_name_it(sheets) -> None:
    """"How many tippers are being replaced": "tipper" is in the fleet table's cells alone, "replaced"
    is a word of its name; one word of a name shared by other tables is not enough on its own."""
    result = _answer(sheets, "how many tippers are being replaced?")
    assert result is not None and result.text.startswith("4 in all")
    assert _answer(sheets, "how many tippers are there?") is None   # no word of the table's name


def test_a_table_not_named_outright_is_not_used(sheets) -> None:
    # one word of the name ("fleet") is a topic many tables share, not the name of this one
    assert _answer(sheets, "how many vans are in the fleet?") is None
    # a word another table holds ("waste" of the complaints) is one this table does not explain
    assert _answer(sheets, "how many HGVs in the fleet replacement programme collect waste?") is None


def test_a_count_of_a_figure_the_table_gives_per_row_is_not_a_count_of_rows(sheets) -> None:
    # "how many ... complaints" with the quarter's column named: the figure is in a cell, not a number of rows
    assert _answer(sheets, "complaints monitoring: how many Highways complaints in the quarter to dec 24?") is None


def test_how_many_of_a_thing_the_rows_are_about_is_no_count_of_rows(sheets) -> None:
    # the actions table is about the library and archive; "how many libraries" counts no action
    assert _answer(sheets, "how many libraries does the culture delivery plan open?", departments=("Culture",)) is None
    every = _answer(sheets, "how many delivery actions are there for culture?", departments=("Culture",))
    assert every is not None and every.text.startswith("3 rows")   # a noun of rows counts them


def test_the_plan_names_the_table_its_column_and_filters(sheets) -> None:
    result = _answer(sheets, "how many HGVs are in the fleet replacement programme?")
    assert result is not None
    plan = result.plan()
    assert plan["operation"] == "count" and plan["tables"] == ["raw_rows:fleet"]
    assert plan["filters"] == {"contains": ["hgv"]} and plan["measure"] == "Quantity to Replace"


def test_a_row_added_up_over_the_year_columns_asked(sheets) -> None:
    result = _answer(sheets, "capital programme: borrowing added up from 2025-26 to 2026-27", years=(2025, 2026))
    assert result is not None and result.operation == "sum"
    assert result.text.startswith("£500 thousand (£500,000) in total: Borrowing over 2 years")   # 200 + 300, not the Total Cost
    assert result.rows[0].cells[1] == "Borrowing"   # the Row Ref column is no name


def test_which_is_the_most_names_a_row_not_a_group(sheets) -> None:
    # "which is the most expensive": the largest row; dates are never groups nor names
    assert table_ops.operation("which is the most expensive vehicle in the fleet replacement programme", "explain") \
        == "max"
    assert table_ops.operation("which user has the most total cost", "explain") == "group_top"


def test_the_largest_income_is_the_most_negative_credit(sheets) -> None:
    result = _answer(sheets, "which division brings in the most income in the approved controllable budget?")
    assert result is not None and result.text.startswith("Property has the largest Income (£): -£2,500")


def test_a_table_continued_after_a_break_is_counted_whole_and_a_status_selects_rows(sheets) -> None:
    every = _answer(sheets, "how many delivery actions are there for culture?", departments=("Culture",))
    assert every is not None and every.text.startswith("3 rows")   # two tables of one section, one header
    done = _answer(sheets, "how many culture delivery actions are already completed?", departments=("Culture",),
                   status=("completed", "complete"))
    assert done is not None and done.text.startswith("2 rows") and "marked completed" in done.text


def test_a_table_named_only_by_its_department_is_not_named(sheets) -> None:
    assert _answer(sheets, "how many culture things are there?", departments=("Culture",)) is None


def test_a_row_over_years_printed_in_two_tables_adds_both_parts(sheets) -> None:
    # the capital programme's later years on another page: the same row in a table of the same name
    result = _answer(sheets, "capital programme: borrowing added up from 2024-25 to 2028-29", years=(2024, 2028))
    assert result is not None and result.text.startswith("£1,500 thousand (£1.5m) in total: Borrowing over 5 years")


def test_which_costs_the_most_per_unit_is_the_largest_row_of_the_per_unit_column(sheets) -> None:
    """"Which vehicle type costs the most per vehicle": a row's own rate, not a group total of rates."""
    result = _answer(sheets, "fleet replacement programme: which vehicle type costs the most per vehicle?")
    assert result is not None and result.operation == "max" and result.measure == "Cost per Vehicle (£)"
    assert "HGV 7.5t" in result.text.split(":")[0] and "£80,000" in result.text
    # a total is of the column that adds up, whatever the rate asked before
    total = _answer(sheets, "fleet replacement programme: what is the total cost per vehicle type altogether?")
    assert total is None or total.measure != "Cost per Vehicle (£)"


def test_a_calendar_date_filter_is_not_dropped_by_a_table_aggregate() -> None:
    """"procurements starting in 2020": which cell is the start the table cannot say, so the table
    aggregate leaves the question to the typed rows; a financial year or "this year" it reads."""
    from assistant.router.understand import Lexicon, understand

    lex = Lexicon.build(people=[], departments=[], documents=[])
    ask = lambda q: table_ops.ask(understand(q, lex), lex, frozenset(), (), lambda d: (d,))  # noqa: E731
    assert ask("how many procurements start in 2020?") is None
    assert ask("how many procurements start in March 2021?") is None
    assert ask("how many gritters are being replaced this year?") is not None
    assert ask("capital programme: grants added up over 2024-25 and 2025-26") is not None


def test_rows_whose_value_for_one_period_is_above_another_s(sheets: table_ops.Sheets) -> None:
    """"Which services had more complaints in the quarter to Dec 24 than in the quarter to Sep 24": the two
    columns named by their periods, each row's two values compared; "fell from ... to ..." the other way."""
    from assistant.router.column_compare import period_tokens

    assert period_tokens("12m to Dec 2024") == {"12m", "dec", "24"} and period_tokens("Oct 24 – Dec 24") == {"oct", "dec", "24"}
    more = _answer(sheets, "complaints monitoring: which services had more complaints in the quarter to dec 24 "
                           "than in the quarter to sep 24?")
    assert more is not None and more.operation == "compare"
    assert [r.cells[0] for r in more.rows] == ["Highways", "Waste"] and more.text.startswith("2 of the 3 rows")
    fell = _answer(sheets, "complaints monitoring: which services' complaints fell from the quarter to sep 24 to the "
                           "quarter to dec 24?")
    assert fell is not None and [r.cells[0] for r in fell.rows] == ["Libraries"]


def test_conditions_on_figures_are_read_in_pounds_or_in_the_column_s_own_unit() -> None:
    above, = figure_conditions("how many directorates have a total cost above £100m?")
    assert (above.op, above.value, above.money) == (">", 100_000_000.0, True)
    assert above.holds(142_475, "Total Cost £000s") and not above.holds(7_003, "Total Cost £000s")
    exact, = figure_conditions("in how many years are capital receipts exactly 650?")
    assert (exact.op, exact.money) == ("=", False) and exact.holds(650, "2029-30 Year 5 £000s")
    negative, = figure_conditions("which divisions have a negative unallocated budget?")
    assert negative.holds(-365_386, "Unallocated budget £") and not negative.holds(0, "Unallocated budget £")
    assert figure_conditions("which division has the most negative income?") == ()   # a ranking, not a test
    assert figure_conditions("contracts over 5 years") == ()   # no sum of money
    # a figure a row has: "lines have a 10 year optimum life" (not a year, a share or a sum of money)
    having, = figure_conditions("how many vehicle lines have a 10 year optimum life?")
    assert (having.op, having.value, having.money) == ("=", 10.0, False) and having.holds(10, "Optimum Life (Years)")
    assert figure_conditions("which contracts have a 2020 start?") == figure_conditions("which have a 5% share?") == ()
    # rows counted or listed as having a kind of money at all: figures other than zero, said by the verb alone
    # (so that "grant income" still names the column)
    some, = figure_conditions("how many key services have grant income?")
    assert (some.op, some.value, some.text) == ("!=", 0.0, "have") and condition_words((some,)) == frozenset()
    assert figure_conditions("how much grant income does the library service have?") == ()


def test_a_band_a_table_or_group_is_named_by_is_no_condition() -> None:
    band = figure_conditions("list the table one procurements (25k-50k band)")
    assert len(band) == 2
    assert without_band(band, ("Table One: Forward Plan (above £25K less than £50K)",)) == ()
    assert without_band(band, ("Table Two (above £50K less than OJEU threshold)",)) == band


def test_how_many_rows_have_a_named_column_above_a_sum_of_money(sheets) -> None:
    result = _answer(sheets, "how many directorates in the capital programme have a total cost above £500k?")
    assert result is not None and result.operation == "count"
    assert result.text.startswith("1 directorate of") and "Borrowing: 600" in result.text   # 600 £000s; Grants 90
    assert result.measure == "Total Cost £000s"


def test_which_rows_have_a_negative_figure_lists_them(sheets) -> None:
    result = _answer(sheets, "which divisions have a negative income in the approved controllable budget?")
    assert result is not None and result.operation == "list"
    assert result.text.startswith("2 divisions of") and "Property: (2,500)" in result.text
    assert "Policy" not in result.text   # 0 is not negative


def test_how_many_years_of_one_row_meet_a_condition_over_both_parts_of_the_table(sheets) -> None:
    result = _answer(sheets, "in how many years of the capital programme is borrowing above £250k?")
    assert result is not None   # 100, 200, 300 on one page; 400, 500 on the next (£000s)
    assert result.text.startswith("3 of the 5 years of Borrowing")
    assert "2026-27 Year 3 £000s" in result.text and "2024-25 Year 1 £000s 100" in result.text



def test_a_header_said_whole_names_the_table_and_its_column(sheets) -> None:
    # neither the table's name ("Approved Controllable Budget") nor a rarer word names it: the header does
    result = _answer(sheets, "which division has the largest gross budget?")
    assert result is not None and result.text.startswith("Property has the largest Gross Budget (£): £5,000")


def test_a_date_ranking_is_left_to_the_typed_rows(sheets) -> None:
    # a table's date cells are no figures: "the latest" start is not its largest cost
    question = "fleet replacement programme: which vehicle type is the last to start, and its total cost?"
    assert _answer(sheets, question) is None
    assert _answer(sheets, "fleet replacement programme: which vehicle type has the largest total cost?") is not None


def test_a_row_added_up_over_years_with_words_that_only_say_which_columns(sheets) -> None:
    """"(excluding prior years)" and "what does it net to" name no table: the row's years are added up."""
    result = _answer(sheets, "capital programme: borrowing over 2025-26 to 2026-27 (excluding prior years) - what "
                             "does it net to?", years=(2025, 2026))
    assert result is not None and result.text.startswith("£500 thousand (£500,000) in total: Borrowing over 2 years")
    assert table_ops.operation("ced's capital across the ten years - what does it net to?", "explain") == "sum"


def test_the_verb_of_a_total_names_no_column() -> None:
    """"What does it net to": "net" is how the total is asked, not the Net column."""
    from types import SimpleNamespace

    from assistant.router.understand import Lexicon

    u = SimpleNamespace(lower="borrowing - what does it net to?", text="borrowing - what does it net to?",
                        intent="explain", dates=(), status=None, groups=())
    asked = table_ops.ask(u, Lexicon(), frozenset(), (), lambda d: ())
    assert asked is not None and asked.op == "sum" and "net" not in asked.words and "borrow" in asked.words


def test_how_many_units_meet_a_condition_adds_their_quantity_and_lines_are_counted_as_lines(sheets) -> None:
    # "how many vehicles cost over £50,000 each": the vehicles (1 + 3), not the two lines
    units = _answer(sheets, "how many vehicles in the fleet replacement programme have a cost per vehicle over £50,000?")
    assert units is not None and units.text.startswith("4 in all (Quantity to Replace) on the 2 ")
    lines = _answer(sheets, "how many vehicle lines in the fleet replacement programme have a cost per vehicle "
                            "over £50,000?")
    assert lines is not None and lines.text.startswith("2 ")


def test_lines_replacing_a_number_of_things_or_more_test_the_quantity_column(sheets) -> None:
    """"Replace 3 or more vehicles": a bare figure, then the comparison, of the things the quantity
    column counts, when no column is named for it ("10 years or more" is no number of things)."""
    more, = figure_conditions("how many lines replace 3 or more vehicles?")
    assert (more.op, more.value, more.money, more.text) == (">=", 3.0, False, "3 or more")
    assert figure_conditions("contracts starting 2021 or later") == ()
    lines = _answer(sheets, "fleet replacement programme: how many lines replace 3 or more vehicles?")
    assert lines is not None and lines.text.startswith("2 ") and "Quantity to Replace 3 or more" in lines.text
    fewer = _answer(sheets, "which fleet replacement programme lines replace fewer than 2 vehicles?")
    assert fewer is not None and [r.cells[2] for r in fewer.rows] == ["HGV 7.5t"]


def test_a_total_of_the_rows_meeting_a_condition_adds_the_column_named_not_the_one_tested(sheets) -> None:
    result = _answer(sheets, "fleet replacement programme: total annual charge of the vehicles with a cost per "
                             "vehicle over £50,000?")
    assert result is not None and result.measure == "Annual Charge (£)"
    assert result.text.startswith("£68,000 in total")   # 18,000 + 50,000 (the two HGV lines)


def test_rows_left_out_by_their_own_words_are_set_aside(sheets) -> None:
    asked = _asked("fleet replacement programme: the cheapest vehicle by cost per vehicle, leaving out parks?")
    left = table_ops._LEFT_OUT.search(asked.lower)
    assert left is not None and left.group(1) == "parks"
    excluded = frozenset(terms(left.group(1)))
    asked = dataclasses.replace(asked, excluded=excluded, words=tuple(t for t in asked.words if t not in excluded))
    result = table_ops.answer(sheets, asked, lambda sheet: True)
    assert result is not None and result.text.startswith("Libraries and Heritage – Van 3.5t")   # not the Tipper


def test_how_much_over_a_span_of_years_adds_the_row_up_and_blank_years_are_nil(sheets) -> None:
    asked = "how much do loan repayments put into the capital programme across 2024-25 to 2028-29?"
    assert table_ops.operation(asked, "how_much") == "sum"   # "how much ... across X to Y": a total
    result = _answer(sheets, asked, years=(2024, 2028))
    assert result is not None and result.operation == "sum"
    assert result.text.startswith("£45 thousand (£45,000) in total: Loan Repayments over 5 years")   # 20 + 25
    assert "2026-27 Year 3 £000s blank" in result.text and "2028-29 Year 5 £000s -" in result.text
    assert table_ops.operation("how much did loan repayments bring in during 2024-25?", "how_much") is None


def test_all_the_years_added_up_takes_every_year_column_and_the_words_setting_some_aside_name_nothing(sheets) -> None:
    result = _answer(sheets, "grants capital, all five years added up (not counting the total cost)?")
    assert result is not None and result.text.startswith("£150 thousand (£150,000) in total: Grants over 5 years")


def test_a_bare_figure_compared_counts_the_rows_above_it_in_the_column_named(sheets) -> None:
    cond, = figure_conditions("how many services had more than 100 complaints in the quarter to dec 24?")
    assert (cond.op, cond.value, cond.money) == (">", 100.0, False)
    # not a share, a length of time, an age band or a year
    for said in ("over 50% of", "over 12 months", "childcare for under 5s", "above 2020"):
        assert figure_conditions(said) == (), said
    result = _answer(sheets, "how many services had more than 100 complaints in the quarter to dec 24?")
    assert result is not None and result.operation == "count"
    assert result.text.startswith("2 services of") and "Highways: 422" in result.text and "Waste: 150" in result.text


def test_a_printed_total_row_named_is_added_up_over_the_years_numbered(sheets) -> None:
    # the totals are no data rows (a count or a sum of rows leaves them out), but one named is read whole
    result = _answer(sheets, "capital programme total cash limit for yrs 1-4 added up?")
    assert result is not None and result.text.startswith("£1,165 thousand (£1.2m) in total: Total Cash Limit "
                                                          "over 4 years")   # 150 + 255 + 330 + 430
    years = _answer(sheets, "in how many of the capital years is the total cash limit above 300?")
    assert years is not None and years.text.startswith("3 of the 5 years of Total Cash Limit")
    assert "2024-25 Year 1 £000s 150" in years.text   # the years that fall short, with their figures


def test_a_bound_against_the_band_a_table_is_named_by_tests_its_figures() -> None:
    band = ("Table One (above £25K less than £50K)",)
    assert without_band(figure_conditions("table one contracts under £25k"), band) != ()   # the other way: a test
    assert without_band(figure_conditions("table one contracts over £25k"), band) == ()    # the band itself


def test_how_much_more_one_row_has_than_another_compares_them(sheets) -> None:
    asked = "capital programme: how much more does borrowing have than grants in 2025-26?"
    assert table_ops.operation(asked, "how_much") == "compare"
    read = dataclasses.replace(_asked(asked), periods=("2025-26", "2025/26"))
    result = table_ops.answer(sheets, read, lambda sheet: True)
    assert result is not None and result.operation == "compare"
    assert result.text.startswith("Borrowing is larger: £200 thousand (£200,000) against £30 thousand (£30,000) for "
                                  "Grants")


def test_a_row_under_a_group_label_is_named_by_it_and_adding_up_asks_a_total(sheets) -> None:
    # "Funded By:" spans the table: "developer contributions funding" names the row under it
    asked = "adding up 2024-25 to 2025-26, how much developer contributions funding is in the capital spending and funding?"
    assert table_ops.operation(asked, "how_much") == "sum"
    result = _answer(sheets, asked, years=(2024, 2025))
    assert result is not None and result.text.startswith("£100 thousand (£100,000) in total: Developer Contributions")
    funded = [r.cells[1] for sheet in sheets.sheets if sheet.table_id == "funding" for r in sheet.rows if "fund" in r.words]
    assert funded == ["Developer Contributions", "Borrowing"]   # not the spending above the label


def test_what_a_figure_takes_in_names_neither_its_row_nor_its_column(sheets) -> None:
    from assistant.router.understand import Lexicon, understand

    read = table_ops.ask(understand("capital programme: total cost of borrowing (incl prior years)?", Lexicon()), Lexicon(),
                         frozenset(), (), lambda d: (d,))
    assert read is not None and "prior" not in read.words and "cost" in read.words


def test_a_row_that_says_none_under_its_group_is_no_item() -> None:
    from assistant.router.sheets import _placeholder

    assert _placeholder(("A focus on prevention", "None", ""))
    assert _placeholder(("Prosperous and green", "None identified"))
    assert not _placeholder(("Highways", "-", "-"))               # nil figures: a line of the table
    assert not _placeholder(("Value for money", "Services to schools", "Mitigated"))


def test_income_printed_negative_is_compared_by_its_size(sheets) -> None:
    # "(2,500)" is income of 2,500: "income over £2,000" is Property's, not every line below zero
    result = _answer(sheets, "which divisions of the approved controllable budget have income over £2,000?")
    assert result is not None and result.operation == "list"
    assert result.text.startswith("1 division of") and "Property: (2,500)" in result.text


def test_a_table_named_by_one_word_and_a_summary_said_of_it(sheets) -> None:
    # "Funded By" is said by "funding"; "summary" names a table in general, not which one
    result = _answer(sheets, "which grants in the funding summary are over £100m?")
    assert result is not None and result.operation == "list" and result.sheet.table_id == "funded"
    assert result.text.startswith("2 rows of") and "Social Care Grant: -137,143.6" in result.text
    # alone, the one word names no table: "how many ... funding" tests no figure of it
    alone = _answer(sheets, "how many chargepoints will the funding pay for?")
    assert alone is None or alone.sheet.table_id != "funded"


def test_oldest_on_average_ranks_rows_by_their_average_not_an_average_of_rows() -> None:
    from assistant.router.plan import operation_of

    assert operation_of("which vehicles being replaced are the oldest on average?") == ("max", True)
    assert operation_of("which vans are the newest?") == ("min", False)


def test_a_division_s_table_is_named_by_a_name_of_its_department(sheets) -> None:
    sheet = next(s for s in sheets.sheets if s.table_id == "capital")
    division = dataclasses.replace(sheet, name_words=frozenset(terms("Integrated Children's Services (Operations)")))
    other = dataclasses.replace(sheet, name_words=frozenset(terms("Strategic Management & Directorate Budgets (CYPE)")))
    asked = dataclasses.replace(_asked("which line has the biggest total cost?"), departments=("cype (ics)",),
                                department_aliases=(("integrated children services", "cype"),))
    assert table_ops._division_named(division, asked, least=table_ops.DIVISION_NAME_WORDS)
    assert not table_ops._division_named(other, asked, least=table_ops.DIVISION_NAME_WORDS)   # initials alone
    assert table_ops._division_named(other, asked)


def test_rows_listed_by_name_are_added_up_in_the_column_named(sheets) -> None:
    # "(Property and Policy)": no comma, so a list only because the question counts two names
    result = _answer(sheets, "what do the two lines (Property and Policy) add up to in gross budget?")
    assert result is not None and result.operation == "sum" and result.measure == "Gross Budget (£)"
    assert result.text.startswith("£5,900 in total") and "Property 5,000, Policy 900" in result.text
    # a name written as initials: "LSLC" is Legal Services & Land Charges
    asked = "add up the gross budget (Property, LSLC)"
    typed = dataclasses.replace(_asked(asked), text=asked)
    result = table_ops.answer(sheets, typed, lambda sheet: True)
    assert result is not None and result.text.startswith("£8,000 in total")


def test_rows_listed_with_no_column_named_add_the_one_figure_they_give(sheets) -> None:
    result = _answer(sheets, "(Business Rate Top-Up Grant, New Homes Bonus) - what do they total?")
    assert result is not None and result.operation == "sum"   # "Top-Up" ranks nothing
    assert result.text.startswith("-£151,034.4 thousand") and "New Homes Bonus -1,926.7" in result.text


def test_a_listed_name_that_fits_two_different_rows_equally_adds_up_nothing(sheets) -> None:
    # "HGV" fits a row of Libraries and Heritage and one of Parks and Open Spaces: no one row is named
    result = _answer(sheets, "total cost of the fleet replacement rows (Van, HGV)")
    assert result is None or "rows named" not in result.text


def test_is_anything_of_a_kind_lists_the_rows_that_mention_it(sheets) -> None:
    assert table_ops.operation("is ccp replacing any hgvs in 20-21?", "how_much") == "list"
    result = _answer(sheets, "is the fleet replacement programme replacing any HGVs for Parks and Open Spaces?",
                     departments=("Parks and Open Spaces",))
    assert result is not None and result.operation == "list"
    assert result.text.startswith("Yes: 1 row of") and "HGV 7.5t" in result.text and "Libraries" not in result.text
    # the table named by a word of its name and initials typed in capitals that only its cells hold
    asked = "are we replacing any HGVs?"
    typed = dataclasses.replace(_asked(asked), text=asked)
    result = table_ops.answer(sheets, typed, lambda sheet: True)
    assert result is not None and result.text.startswith("Yes: 2 rows of")


def test_how_much_a_row_moves_between_two_years_is_the_change_not_a_total(sheets) -> None:
    asked = "how much does borrowing rise from 2024-25 to 2025-26 in the capital programme?"
    assert table_ops.operation(asked, "how_much") == "change"
    result = _answer(sheets, asked, years=(2024, 2025))
    assert result is not None and result.text.startswith("Borrowing rises from 100 (2024-25 Year 1 £000s) to 200")
    assert "a rise of 100: £100 thousand" in result.text
    # named the other way round, the years are read as said (Asked.years keeps the question's order)
    later = _answer(sheets, "by how much did borrowing change from 2025-26 back to 2024-25 in the capital programme?",
                    years=(2025, 2024))
    assert later is not None and later.text.startswith("Borrowing falls from 200 (2025-26 Year 2 £000s) to 100")
    same = _answer(sheets, "by how much did grants change from 2024-25 to 2025-26 in the capital programme?",
                   years=(2024, 2025))
    assert same is not None and "stays" in same.text   # 30 and 30
    from assistant.router.understand import Lexicon, understand

    read = table_ops.ask(understand(asked.replace("2024-25 to 2025-26", "2025-26 to 2024-25"), Lexicon()), Lexicon(),
                         frozenset(), (), lambda d: (d,))
    assert read is not None and read.years == (2025, 2024)


def test_one_year_named_sets_a_row_against_its_other_year(sheets) -> None:
    # "go up by in 2025-26": from the year before
    asked = "how much does borrowing go up by in 2025-26 in the capital programme?"
    assert table_ops.operation(asked, "how_much") == "change"
    result = _answer(sheets, asked, years=(2025,))
    assert result is not None and "rises from 100 (2024-25 Year 1 £000s) to 200" in result.text
    # "lower than the 24-25 base": the row's two years, the year's column the question names (not its staffing)
    lower = _answer(sheets, "early help services: family hubs gross cost - how much lower than the 24-25 base?",
                    years=(2024,))
    assert lower is not None and lower.text.startswith("Family Hubs falls from 8,597.1 (2024-25 Revised Base")
    assert "to 6,977.1 (2025-26 Gross Cost £000s)" in lower.text and "a drop of 1,620.0" in lower.text


def test_two_years_named_by_their_number_compare_one_row(sheets) -> None:
    # "how much higher is yr 3 than yr 2": the columns headed "Year 3" and "Year 2", of the printed total too
    asked = "capital programme: total cash limit - how much higher is yr 3 than yr 2?"
    assert table_ops.operation(asked, "how_much") == "compare"
    result = _answer(sheets, asked)
    assert result is not None and result.text.startswith("Total Cash Limit rises from 255 (2025-26 Year 2 £000s) to 330")
    assert "a rise of 75" in result.text


def test_how_much_except_one_row_adds_up_the_rest_of_its_group(sheets) -> None:
    asked = "capital spending and funding: how much in 2024-25 except borrowing?"
    assert table_ops.operation(asked, "how_much") == "sum"
    from assistant.router.understand import Lexicon, understand

    read = table_ops.ask(understand(asked, Lexicon()), Lexicon(), frozenset(), (), lambda d: (d,))
    assert read is not None and read.excluded == {"borrow"}
    result = table_ops.answer(sheets, read, lambda sheet: True)
    # Borrowing sits under "Funded By:": the rest of that group is Developer Contributions (40), not Highways
    assert result is not None and result.text.startswith("£40 thousand")
    assert "leaving out borrowing" in result.text


def test_exceeds_is_a_comparison_of_money_and_of_bare_figures() -> None:
    conditions = figure_conditions("in how many years does get's allocation exceed £100m?")
    assert [(c.op, c.value, c.money) for c in conditions] == [(">", 100_000_000.0, True)]
    bare = figure_conditions("which lines exceed 40,000?")
    assert [(c.op, c.value, c.money) for c in bare] == [(">", 40_000.0, False)]


def test_a_word_of_digits_and_letters_names_rows() -> None:
    from assistant.router.understand import Lexicon, understand

    read = table_ops.ask(understand("how many 4x4s is the fleet replacing in 2024-25?", Lexicon()), Lexicon(),
                         frozenset(), (), lambda d: (d,))
    assert read is not None and "4x4" in read.words and "2024" not in " ".join(read.words)   # a year is no name
    assert table_ops._CODE_WORD.fullmatch("4x4") and not table_ops._CODE_WORD.fullmatch("100m")


def test_a_change_asked_without_how_much_is_a_change() -> None:
    """"Change from 26-27 to 27-28?", "rise on the 2024-25 base?": a row's change between the years."""
    assert table_ops.operation("revenue contributions to capital - change from 2026-27 to 2027-28?", "how_much") == \
        "change"
    assert table_ops.operation("technology (dced) net budget - rise on the 2024-25 base?", "how_much") == "change"
    assert table_ops.operation("how does ccp's net budget compare with ete's?", "how_much") == "compare"


def test_a_figure_of_zero_is_a_condition_on_figures() -> None:
    """"A net cost of zero", "nothing (zero) allocated": figures of 0; "the net cost of KSS" sets none."""
    assert [(c.op, c.value) for c in figure_conditions("which cype key services have a net cost of zero?")] == \
        [("=", 0.0)]
    assert [(c.op, c.value) for c in figure_conditions("in how many years does ced have nothing (zero) allocated?")] \
        == [("=", 0.0)]
    assert figure_conditions("what is the net cost of kss?") == ()


def test_a_row_added_up_over_two_years_together_with_its_other_names_in_brackets(sheets) -> None:
    """"(loan, repayments)" gives one row's other names, not a list of rows to add, and
    "together" says how the figures are taken, not a word a row holds."""
    result = _answer(sheets, "capital programme: loan repayments (loan, repayments) - how much across 2024-25 and "
                             "2025-26 together?", years=(2024, 2025))
    assert result is not None and result.operation == "sum"
    assert result.text.startswith("£45 thousand (£45,000) in total: Loan Repayments over 2 years")


def test_what_is_the_fall_between_two_years_is_a_change() -> None:
    assert table_ops.operation("total cash limit 2027-28 v 2028-29, what's the fall", "how_much") == "change"
    assert table_ops.operation("total cash limit 2027-28 v 2028-29 - total?", "how_much") != "change"


def test_any_of_a_figure_is_a_figure_other_than_zero_and_having_zero_is_zero() -> None:
    some = figure_conditions("how many of its key service lines get any grant income?")
    assert [(c.op, c.value) for c in some] == [("!=", 0.0)]
    assert some[0].holds(-40.0, "Grants £000s") and not some[0].holds(0.0, "Grants £000s")
    none = figure_conditions("which ph budget lines have zero income?")
    assert [(c.op, c.value) for c in none] == [("=", 0.0)]


def test_which_rows_get_any_of_a_figure_lists_those_other_than_zero(sheets) -> None:
    result = _answer(sheets, "which divisions get any income in the approved controllable budget?")
    assert result is not None and "other than zero" in result.text
    assert "Property" in result.text and "Legal Services" in result.text and "Policy" not in result.text


def test_what_a_figure_takes_in_is_said_before_or_after_it() -> None:
    said = [m.group(0).strip() for m in table_ops.INCLUDING.finditer(
        "what's the total cost of the get programme, prior years' spend included?")]
    assert said == ["prior years' spend included"]
    assert [m.group(0) for m in table_ops.INCLUDING.finditer("total cost (incl prior yrs)")] == ["incl prior yrs"]


def test_a_status_asked_of_a_named_column_is_read_in_that_column() -> None:
    """"How many have no value yet (TBA)?": a row whose start is TBA but whose value is given is not one."""
    from assistant.router.sheets import Line

    tba = ("tbc", "tba")
    homecare = Line(("Homecare services", "£160,000,000", "TBA"), 1, 1, None, frozenset())
    telephone = Line(("Telephone Support", "TBA", "TBA"), 2, 2, None, frozenset())
    assert table_ops._has_status(homecare, tba) and table_ops._has_status(telephone, tba)
    assert not table_ops._has_status(homecare, tba, [1]) and table_ops._has_status(telephone, tba, [1])


def test_a_change_between_money_cells_under_a_header_with_no_unit_is_money() -> None:
    """"Actual 2017-18" says no unit, but its cells write "£73,002": the rise is £74,770, not 74,770; a
    percentage's change is never written as a percentage (that would be points)."""
    assert table_ops._fmt(74770, "Actual 2018-19", ("£73,002", "£147,772")) == "£74,770"
    assert table_ops._fmt(0.1, "Actual 2018-19", ("2.7%", "2.8%")) == "0.1"
    assert table_ops._fmt(1.5, "Actual 2018-19", ("£1.5m", "£3.0m")) == "1.5"   # (a scale it cannot say)


def test_a_change_named_before_its_ask_is_a_change_of_one_row() -> None:
    """"Developer contributions drop 2027-28 to 2028-29 - by how much?": the change, then "by how much"."""
    assert table_ops.operation("developer contributions drop 2027-28 to 2028-29 - by how much?", "how_much") == "change"
    assert table_ops.operation("how much do developer contributions drop from 2027-28 to 2028-29?", "how_much") == "change"
