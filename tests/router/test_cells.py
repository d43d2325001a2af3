"""Unit tests of the cell answerer (assistant/router/cells.py) over a tiny DuckDB built from SQL text:
a risk register and a capital programme by year in layouts no typed table needs to fit, a rating
legend and a section's Cabinet Member. Every expected value can be read off the INSERTs below."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.router import cells
from assistant.router.cells import CellIndex
from assistant.router.data import Database
from tests.router.schema_db import empty_schema

RISK_HEADER = ["Directorate", "Risk Title", "Risk Event", "Current Likelihood (1-5)",
               "Estimated Annual Financial Exposure £m", "Estimated Lifetime Financial Exposure £m"]
CAPITAL_HEADER = ["Row", "Directorate", "Total Cost £000s", "2025-26 Year 1 £000s", "2026-27 Year 2 £000s"]
FLEET_HEADER = ["User", "Quantity to Replace", "Replacement Vehicle Type", "New Vehicle Optimum Life (Years)",
                "Estimated Capital Cost per Vehicle (£)", "Estimated Capital Cost x No. of Vehicles (£)"]
FLEET_ROWS = [["Parks and Estates", "6", "Van - 2.0t", "6", "17,000", "102,000"],
              ["Parks and Estates", "2", "3.0t Van", "6", "22,000", "44,000"],
              ["Parks and Estates", "4", "HGV 18t Crane/Tipper", "10", "116,000", "464,000"],
              ["Parks and Estates", "2", "HGV 18t Tipper", "9", "82,000", "164,000"]]
SOURCE = [f"line {i}" for i in range(1, 20)] + ["Director: Haroona Chughtai"]


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home = tmp_path_factory.mktemp("cells")
    source = home / "plan.txt"
    source.write_text("\n".join(SOURCE) + "\n", encoding="utf-8")
    settings = Settings(home=home)
    f = str(source)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    con = empty_schema(settings.db_path)
    rows = [
        ("risk", 0, ["CYPE", "High Needs Spending", "The deficit is not reduced as planned", "4", "", "165.0"]),
        ("risk", 1, ["ALL", "Non delivery of savings", "Savings are delayed", "4", "120.9", ""]),
        ("risk", 2, ["GET", "Highways unadopted land", "Claims for land", "1", "1.0", ""]),
        ("risk", 3, ["", "", "", "TOTAL £m", "300.0", "290.0"]),
        ("capital", 0, ["1", "Children, Young People & Education", "565,619", "104,017", "96,010"]),
        ("capital", 1, ["2", "Borrowing", "441,101", "45,168", "82,907"]),
        ("capital", 2, ["3", "Total Cash Limit", "2,002,563", "282,851", "272,691"]),
        ("capital", 3, ["Funded By:", "", "", "", ""]),   # a spanning group label over the rows below
        ("capital", 4, ["4", "Grants", "1,115,772", "153,413", "110,971"]),
    ]
    statements = [
        f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) VALUES "
        f"('d1', '{f}', 'Budget Book 2025-26', 'Kent County Council', '2025-26', 'budget', '{digest}', 20, 'text')",
        f"INSERT INTO raw_tables (table_id, doc_id, file, council, section_path, kind, format, header, line_start, "
        f"line_end, n_rows, caption) VALUES "
        f"('risk', 'd1', '{f}', 'Kent County Council', 'Budget Risks Register', 'risks', 'pdf', {_list(RISK_HEADER)}, "
        f"2, 5, 3, NULL), "
        f"('capital', 'd1', '{f}', 'Kent County Council', 'Capital Investment Summary', 'unclassified', 'pdf', "
        f"{_list(CAPITAL_HEADER)}, 7, 10, 3, 'Capital Investment Programme 2025-26 to 2034-35')",
        "INSERT INTO raw_rows (table_id, row_index, cells, line_start, line_end, raw_text, page) VALUES " + ", ".join(
            f"('{t}', {i}, {_list(c)}, {(3 if t == 'risk' else 8) + i}, {(3 if t == 'risk' else 8) + i}, "
            f"'{' '.join(c).replace(chr(39), chr(39) * 2)}', {1 if t == 'risk' else 2})" for t, i, c in rows),
        f"INSERT INTO raw_tables (table_id, doc_id, file, council, section_path, kind, format, header, line_start, "
        f"line_end, n_rows, caption) VALUES ('fleet', 'd1', '{f}', 'Kent County Council', 'Fleet', 'unclassified', "
        f"'text', {_list(FLEET_HEADER)}, 14, 17, 4, 'Vehicle Replacement Programme')",
        "INSERT INTO raw_rows (table_id, row_index, cells, line_start, line_end, raw_text, page) VALUES " + ", ".join(
            f"('fleet', {i}, {_list(c)}, {14 + i}, {14 + i}, '{' '.join(c)}', 3)" for i, c in enumerate(FLEET_ROWS)),
        "UPDATE raw_rows SET is_total = (table_id = 'risk' AND row_index = 3) OR (table_id = 'capital' AND "
        "row_index = 2), "
        "spanning = (table_id = 'capital' AND row_index = 3)",
        # a register whose total is printed at its head, and whose last group label carries its own figures
        f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) VALUES "
        f"('d2', '{f}', 'Corporate Review 2025', 'Kent County Council', '2025-26', 'report', '{digest}', 20, 'text')",
        f"INSERT INTO raw_tables (table_id, doc_id, file, council, section_path, kind, format, header, line_start, "
        f"line_end, n_rows, caption) VALUES ('register', 'd2', '{f}', 'Kent County Council', 'Appendix J', "
        f"'unclassified', 'pdf', {_list(RISK_HEADER)}, 1, 4, 4, 'Corporate Risks Register')",
        "INSERT INTO raw_rows (table_id, row_index, cells, line_start, line_end, raw_text, page, is_total, spanning) "
        "VALUES " + ", ".join(f"('register', {i}, {_list(c)}, {1 + i}, {1 + i}, 'r', 7, {t}, {sp})" for i, (c, t, sp) in
                               enumerate([(["", "", "", "TOTAL £m", "40.0", "20.0"], True, False),
                                          (["Significant Risks (over £10m)", "", "", "", "", ""], False, True),
                                          (["ALL", "Savings slippage", "Savings are late", "3", "30.0", ""], False, False),
                                          (["Other Risks (under £10m)", "", "", "", "10.0", "4.5"], False, True)])),
        f"INSERT INTO risks (risk_id, risk, owner, likelihood, annual_exposure, annual_exposure_raw, lifetime_exposure, "
        f"lifetime_exposure_raw, doc_id, file, council, section_path, line_start, line_end, raw_table_id, "
        f"raw_row_index, page) VALUES "
        f"('r1', 'High Needs Spending', 'CYPE', '4', NULL, NULL, 165000000, '165.0', 'd1', '{f}', 'Kent County Council', "
        f"'Budget Risks Register', 3, 3, 'risk', 0, 1), "
        f"('r2', 'Non delivery of savings', 'ALL', '4', 120900000, '120.9', NULL, NULL, 'd1', '{f}', "
        f"'Kent County Council', 'Budget Risks Register', 4, 4, 'risk', 1, 1), "
        f"('r3', 'Highways unadopted land', 'GET', '1', 1000000, '1.0', NULL, NULL, 'd1', '{f}', 'Kent County Council', "
        f"'Budget Risks Register', 5, 5, 'risk', 2, 1)",
        f"INSERT INTO legend (doc_id, file, term, meaning, line_start, page) VALUES "
        f"('d1', '{f}', 'AMBER', 'Floor Standard achieved but Target has not been met', 12, 3), "
        f"('d1', '{f}', 'RED', 'Floor Standard has not been achieved', 13, 3)",
        f"INSERT INTO sections (section_id, doc_id, file, level, heading, section_path, department, council, "
        f"line_start, line_end, text, page, cabinet_member) VALUES "
        f"('s1', 'd1', '{f}', 1, 'Customer Services', 'Customer Services', 'Customer Services', "
        f"'Kent County Council', 15, 18, 'Cabinet Member Dylan Jeffrey', 4, 'Dylan Jeffrey'), "
        f"('s2', 'd1', '{f}', 2, 'Highways & Transportation', 'Growth > Highways & Transportation', NULL, "
        f"'Kent County Council', 19, 20, 'Director: Haroona Chughtai', 5, NULL)",
        f"INSERT INTO sections (section_id, doc_id, file, level, heading, section_path, department, council, "
        f"line_start, line_end, text, page, director) VALUES "
        f"('s3', 'd1', '{f}', 1, 'Deputy Chief Executive''s Department', 'Deputy Chief Executive''s Department', "
        f"'Deputy Chief Executive''s Department', 'Kent County Council', 6, 6, 'Director Amanda Beer', 2, 'Amanda Beer'), "
        f"('s4', 'd1', '{f}', 2, 'Technology', 'Deputy Chief Executive''s Department > Technology', "
        f"'Deputy Chief Executive''s Department', 'Kent County Council', 11, 12, 'Director Lisa Gannon', 2, "
        f"'Lisa Gannon'), "
        f"('s5', 'd1', '{f}', 2, 'Infrastructure', 'Deputy Chief Executive''s Department > Infrastructure', "
        f"'Deputy Chief Executive''s Department', 'Kent County Council', 13, 14, 'Property', 2, 'Amanda Beer')",
        # a report's contact details: the role as a heading, its holder on the line below
        f"INSERT INTO sections (section_id, doc_id, file, level, heading, section_path, council, line_start, line_end, "
        f"text, page) VALUES ('s6', 'd1', '{f}', 2, 'Author', 'Contact details > Author', 'Kent County Council', 17, 18, "
        f"'Dr Mike Gogarty\nInterim Strategic Lead for Public Health', 6)",
    ]
    for sql in statements:
        con.execute(sql)
    con.close()
    database = Database(settings)
    yield database
    database.close()


def _best(db: Database, question: str, periods: tuple[str, ...] = ()) -> cells.Cell | None:
    return db.derived("cells", CellIndex.load).best(question, db.lexicon(), periods=periods)


def test_row_label_and_header_name_the_cell(db: Database) -> None:
    cell = _best(db, "What is the lifetime financial exposure of the High Needs Spending risk?")
    assert cell is not None and cell.value == "165.0" and "Lifetime" in cell.header
    assert cells.sentence(cell).endswith("£165.0m.")


def test_another_column_of_another_row(db: Database) -> None:
    cell = _best(db, "annual exposure for non delivery of savings")
    assert cell is not None and cell.value == "120.9"


def test_a_text_cell_answers_which_directorate(db: Database) -> None:
    cell = _best(db, "Which directorate owns the highways unadopted land risk?")
    assert cell is not None and cell.value == "GET"


def test_the_year_asked_picks_the_column(db: Database) -> None:
    cell = _best(db, "How much borrowing is in the capital programme for 2026-27?", periods=("2026-27",))
    assert cell is not None and cell.value == "82,907"
    assert "£82.9m" in cells.sentence(cell)


def test_words_pointing_at_the_year_asked_need_no_row_of_their_own(db: Database) -> None:
    """"the final yr of the programme (2026-27)": the year names the column; "final yr" names nothing else."""
    cell = _best(db, "borrowing in the final yr of the capital programme (2026-27)?", periods=("2026-27",))
    assert cell is not None and cell.value == "82,907"
    assert _best(db, "borrowing in the final yr of the capital programme?") is None   # no year: no column named


def test_words_asking_for_a_figure_in_general_are_answered_by_any_figure(db: Database) -> None:
    """"spend planned" names no column: the year's figure of the row named answers it."""
    cell = _best(db, "borrowing spend planned for 2026-27", periods=("2026-27",))
    assert cell is not None and cell.value == "82,907"


def test_a_year_no_column_is_for_gives_nothing(db: Database) -> None:
    assert _best(db, "How much borrowing is in the capital programme for 2031-32?", periods=("2031-32",)) is None


def test_a_header_named_without_its_year_prefers_the_named_column(db: Database) -> None:
    cell = _best(db, "total cost of the children, young people and education capital programme")
    assert cell is not None and cell.value == "565,619"


def test_a_row_the_question_does_not_name_gives_nothing(db: Database) -> None:
    assert _best(db, "What is the lifetime exposure of the cyber security risk?") is None


def test_the_legend_says_what_a_rating_means(db: Database) -> None:
    cell = _best(db, "What does an AMBER rating mean?")
    assert cell is not None and cell.value.startswith("Floor Standard achieved")


def test_a_sections_cabinet_member(db: Database) -> None:
    cell = _best(db, "Who is the Cabinet Member for Customer Services?")
    assert cell is not None and cell.value == "Dylan Jeffrey"


def test_citation_carries_page_and_line(db: Database) -> None:
    index = db.derived("cells", CellIndex.load)
    cell = _best(db, "likelihood of the high needs spending risk")
    assert cell is not None and cell.value == "4"
    citation = index.cite(cell, db)
    assert citation.page == 1 and citation.line_start == 3 and citation.quote == "line 3"


# ============================================================================ recognisers used with cells

def test_a_noun_before_a_table_noun_only_qualifies_it() -> None:
    from assistant.router.semantic import tables_for

    assert tables_for("which budget risks have a likelihood of 1")[0] == "risks"
    assert tables_for("net budget for highways") == ("budget_lines",)


def test_a_column_named_with_a_value_is_a_filter() -> None:
    from assistant.router.plan import named_column_values

    assert named_column_values("which budget risks have a likelihood of 1?", "risks") == (("likelihood", "1"),)
    assert named_column_values("what is the likelihood of the cyber risk", "risks") == ()
    assert named_column_values("risks with the lowest likelihood rating (1, very unlikely)", "risks") == \
        (("likelihood", "1"),)
    assert named_column_values("add up the exposure of the risks rated likelihood 4", "risks") == (("likelihood", "4"),)
    assert named_column_values("the likelihood 2025-26 of the cyber risk", "risks") == ()   # a year, not a value
    # a value in capitals is one though it is a common word; the register's "Directorate" is its owner
    question = "add up the annual exposure of the significant risks where the directorate is ALL"
    assert named_column_values(question.lower(), "risks", question) == (("owner", "all"),)
    assert named_column_values("risks where the directorate is all of them", "risks") == ()


def test_two_title_words_in_a_row_name_a_document() -> None:
    from assistant.router.understand import DocumentInfo, Lexicon, match_documents

    lexicon = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("reg", "Appendix J: Budget Risks Register 2025-26", "Kent County Council", "2025-26",
                     "risk register"),
        DocumentInfo("ks", "Revenue Spending", "Kent County Council", "2025-26", "budget")], groups={})
    # "budget", the one-word kind of the Revenue Spending document, is a word of the register's title too:
    # alone it names neither ("the concessionary travel budget" is no document)
    assert match_documents("which budget risks have a likelihood of 1", lexicon, ()) == ("reg",)
    assert match_documents("how much was the concessionary travel budget cut", lexicon, ()) == ()
    assert match_documents("the county council plan", lexicon, ()) == ()
    alone = Lexicon.build(people=[], departments=[], documents=[
        DocumentInfo("ks", "Revenue Spending", "Kent County Council", "2025-26", "budget")], groups={})
    assert match_documents("what is in the budget for libraries", alone, ()) == ("ks",)


def test_a_rag_colour_used_as_a_rating_is_a_filter() -> None:
    from assistant.router.plan import rating_of

    assert rating_of("how many indicators were rag rated red in quarter 3?") == "RED"
    assert rating_of("which kpis are rated amber") == "AMBER"
    assert rating_of("list the green kpis") == "GREEN"
    assert rating_of("what are the green action grants") is None
    assert rating_of("how many of the prosperous-and-green kpis have a tbc target") is None   # a name, no rating


def test_a_table_with_several_money_columns_answers_the_one_named() -> None:
    from assistant.router.semantic import semantics

    risks = semantics()["risks"]
    assert risks.amount_named("what is the lifetime exposure of the waste risk") == "lifetime_exposure"
    assert risks.amount_named("annual exposure for savings") == "annual_exposure"
    assert risks.amount_named("how much is the waste risk") is None
    assert risks.with_amount("lifetime_exposure").amount_raw == "lifetime_exposure_raw"
    assert semantics()["procurements"].amount_named("lifetime value") is None  # one money column only
    # named as a column ("annual exposure", "exposure"), not by one word of it ("annual spend")
    assert risks.names_amount_column("what is the annual exposure of the assets risk")
    assert risks.names_amount_column("whats the exposure on the assets risk")
    assert not risks.names_amount_column("assets risk: annual spend needed per the condition surveys?")


def test_a_role_line_of_a_section_names_its_holder(db: Database) -> None:
    index = db.derived("cells", CellIndex.load)
    cell = index.best("Who is the Director of Highways & Transportation?", db.lexicon(), kinds=frozenset({"role"}))
    assert cell is not None and cell.value == "Haroona Chughtai" and cell.header == "Director"
    assert index.cite(cell, db).line_start == 20   # the line that says it, found in the section's lines
    assert index.best("Who is the Director of Highways & Transportation?", db.lexicon(),
                      kinds=frozenset({"legend"})) is None


def test_a_typo_is_read_as_the_documents_word(db: Database) -> None:
    cell = _best(db, "who is the cabinet member for custommer services")
    assert cell is not None and cell.value == "Dylan Jeffrey"


def test_a_period_as_a_document_writes_it_is_the_period_asked() -> None:
    from assistant.router.understand import same_period

    assert same_period("2024/25", "2024-25") and same_period("2024-25", "2024-25")
    assert not same_period("2025/26", "2024-25") and not same_period(None, "2024-25")


def test_kpi_values_for_a_period_written_with_a_slash(tiny_values: Database) -> None:
    from assistant.router.answer_plan import PlanAnswerer
    from assistant.router.context import Context
    from assistant.router.plan import QueryPlan
    from assistant.router.queries import Conditions

    plan = QueryPlan("max", "kpis", Conditions(), measure="actual", period="2024-25", reason="max actual")
    reply = PlanAnswerer(tiny_values).answer("highest actual in 2024-25", plan, Context())
    assert reply is not None and "86%" in reply.answer.answer


@pytest.fixture(scope="module")
def tiny_values(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home = tmp_path_factory.mktemp("values")
    settings = Settings(home=home)
    con = empty_schema(settings.db_path)
    con.execute("INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                "VALUES ('d2', 'x.txt', 'Delivery Plan 2025/26', 'Vale Council', '2025-26', 'delivery plan', 'h', 1, "
                "'text')")
    con.execute("INSERT INTO kpis (kpi_id, description, doc_id, file, line_start, line_end) VALUES "
                "('k1', 'Planning applications decided on time', 'd2', 'x.txt', 1, 1)")
    con.execute("INSERT INTO kpi_values (kpi_id, period, kind, raw, value, unit, line_start) VALUES "
                "('k1', '2024/25', 'actual', '86%', 86, '%', 1), ('k1', '2025/26', 'target', '90%', 90, '%', 1)")
    con.close()
    database = Database(settings)
    yield database
    database.close()


@pytest.mark.parametrize("text, start, end", [
    ("contracts starting in q3 2020", (2020, 7, 1), (2020, 9, 30)),       # a calendar quarter
    ("due in Q4 2026/27", (2027, 1, 1), (2027, 3, 31)),                   # a financial year's quarter
    ("quarter 1 2021-22", (2021, 4, 1), (2021, 6, 30)),
])
def test_quarters_are_periods(text: str, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
    from datetime import date

    from assistant.router.understand import parse_dates

    (spec,) = parse_dates(text)
    assert (spec.start, spec.end, spec.precision) == (date(*start), date(*end), "quarter")


def test_a_when_answer_quotes_the_cell_that_dates_the_thing_asked() -> None:
    from assistant.router.assistant import _dated_mention
    from assistant.router.semantic import semantics
    from assistant.router.understand import DocumentInfo, Lexicon, understand

    lex = Lexicon.build(people=[], departments=[], documents=[DocumentInfo("p", "Pledges", "Derby City Council",
                                                                            "2016-19", "pledges")], groups={})
    row = {"pledge": "The Council will start building a new swimming pool by the end of 2017.",
           "measure": "Site works to support the new pool opening in 2020 will commence.", "recognition": "Progress"}
    said = _dated_mention(understand("when will the new swimming pool open", lex), row, semantics()["pledges"])
    assert "opening in 2020" in said
    assert _dated_mention(understand("when will the new swimming pool be built", lex), row,
                          semantics()["pledges"]) == ""


def test_a_sum_over_the_whole_table_gives_its_printed_total(db: Database) -> None:
    from assistant.router.answer_plan import PlanAnswerer
    from assistant.router.context import Context
    from assistant.router.plan import QueryPlan
    from assistant.router.queries import Conditions

    plan = QueryPlan("sum", "risks", Conditions(), measure="amount", amount="annual_exposure", reason="sum")
    reply = PlanAnswerer(db).answer("total annual exposure?", plan, Context())
    assert reply is not None
    text = reply.answer.answer
    assert "£300.0m" in text and "£121,900,000" in text and "not itemised" in text
    # a total of some rows is not the printed total
    some = QueryPlan("sum", "risks", Conditions(groups=(("likelihood", "4"),)), measure="amount",
                     amount="annual_exposure", reason="sum")
    reply = PlanAnswerer(db).answer("total annual exposure of likelihood 4 risks?", some, Context())
    assert reply is not None and "£300.0m" not in reply.answer.answer and "£120,900,000" in reply.answer.answer


def test_a_printed_total_row_answers_the_total(db: Database) -> None:
    cell = _best(db, "What is the total estimated annual financial exposure in the budget risks register?")
    assert cell is not None and cell.value == "300.0" and cell.label == "TOTAL £m" and cell.name_said == 1.0


def test_a_group_label_over_a_row_names_it_too(db: Database) -> None:
    cell = _best(db, "grants funding for the capital programme in 2025-26", periods=("2025-26",))
    assert cell is not None and cell.value == "153,413"


def test_several_years_asked_give_the_row_across_them(db: Database) -> None:
    cell = _best(db, "borrowing in the capital programme from 2025-26 to 2026-27", periods=("2025-26", "2026-27"))
    assert cell is not None
    assert cells.period_sentence(cell, ("2025-26", "2026-27")) == (
        "Borrowing: 2025-26 Year 1 £000s £45,168 thousand (£45.2m); 2026-27 Year 2 £000s £82,907 thousand (£82.9m).")
    assert cells.period_sentence(cell, ("2025-26",)) is None
    # "how big is the swing from 2025-26 to 2026-27": how far it moved, in the table's unit
    assert cells.period_sentence(cell, ("2025-26", "2026-27"), change=True).endswith(
        "From 45,168 (2025-26) to 82,907 (2026-27): up £37,739 thousand (£37.7m).")


def test_a_year_with_several_columns_gives_the_one_like_the_cell_s() -> None:
    """"Net budget 25/26 against its 24/25 base": the 2025-26 Net Cost beside the base, not every
    2025-26 column of the row (Staffing, Income ...)."""
    from assistant.router.line_measures import ASKS_CHANGE

    header = ("Key Service", "2024-25 Revised Base Budget (Net Cost) £000s", "2025-26 Staffing £000s",
              "2025-26 Income £000s", "2025-26 Net Cost £000s")
    row = cells.TableRow("t", header, ("HR", "5,402.1", "3,693.0", "-320.0", "5,383.9"), "d1", "f", "", 1, 1, 1, "")
    question = "hr net budget 25/26 against its 24/25 base?"
    assert ASKS_CHANGE.search(question) and not ASKS_CHANGE.search("performance against target")
    text = cells.period_sentence(cells.Cell(row, 4, "HR", 1.0, 1.0, 1.0), ("2025-26", "2024-25"), change=True)
    assert text is not None and "Staffing" not in text and "Income" not in text
    assert text.endswith("From 5,402.1 (2024-25) to 5,383.9 (2025-26): down £18.2 thousand (£18,200).")


def test_a_sections_director_and_a_divisions_own(db: Database) -> None:
    cell = _best(db, "who is the director of technology")
    assert cell is not None and cell.value == "Lisa Gannon" and cell.header == "Director"
    index = db.derived("cells", CellIndex.load)
    directors = [r.cells for r in index.rows if r.table_id.startswith("directors:")]
    # a division that only inherits its department's director is no row of its own
    assert ("Infrastructure", "Deputy Chief Executive's Department", "Amanda Beer") not in directors
    assert ("Deputy Chief Executive's Department", "Deputy Chief Executive's Department", "Amanda Beer") in directors


def test_the_year_a_row_is_largest_in(db: Database) -> None:
    cell = _best(db, "How much borrowing is in the capital programme for 2026-27?", periods=("2026-27",))
    assert cell is not None
    index = db.derived("cells", CellIndex.load)
    text = cells.period_extreme(index, cell, lowest=False)
    assert text is not None and text.startswith("Borrowing is largest in 2026-27 Year 2 £000s: £82,907 thousand")
    assert cells.period_extreme(index, cell, lowest=True).startswith("Borrowing is smallest in 2025-26")
    from assistant.router.plan import asks_which_period

    assert asks_which_period("which year of the capital programme has the smallest total cash limit?")
    assert not asks_which_period("what is the smallest contract?")


def test_between_which_years_a_row_rises_or_falls_most(db: Database) -> None:
    from assistant.router.plan import period_extreme

    assert period_extreme("between which two years does get's capital budget fall the most?") == "fall"
    assert period_extreme("between which years does borrowing rise the most?") == "rise"
    cell = _best(db, "How much borrowing is in the capital programme for 2026-27?", periods=("2026-27",))
    index = db.derived("cells", CellIndex.load)
    assert cell is not None
    rise = cells.period_extreme(index, cell, lowest=False, move="rise")
    assert rise is not None and rise.startswith("Borrowing rises most from 2025-26 Year 1 £000s to 2026-27 Year 2 £000s")
    assert "a rise of £37,739 thousand" in rise   # 82,907 - 45,168
    assert cells.period_extreme(index, cell, lowest=False, move="fall") is None   # it never falls


def test_which_year_has_the_most_names_no_year_and_any_years_column_will_do(db: Database) -> None:
    from assistant.router.plan import period_extreme

    question = "which year of the capital programme has the most borrowing?"
    assert period_extreme(question) == "max" and period_extreme("which year has the least borrowing?") == "min"
    index = db.derived("cells", CellIndex.load)
    assert index.best(question, db.lexicon()) is None   # no column is named ...
    cell = index.best(question, db.lexicon(), any_period=True)   # ... but any year's column is the row's
    assert cell is not None
    assert cells.period_extreme(index, cell, lowest=False).startswith("Borrowing is largest in 2026-27")


def test_a_cell_s_row_is_the_typed_row_read_from_that_line(db: Database) -> None:
    assert db.typed_row_at("risk", 3) == ("risks", "r1")   # High Needs Spending, the risk table's first row
    assert db.typed_row_at("capital", 9) is None             # a table no typed row was read from


def test_a_row_name_is_also_known_by_its_initials() -> None:
    assert cells.label_acronyms("Human Resources & Organisational Development") == frozenset({"hr", "od", "hrod"})
    assert cells.label_acronyms("Kent Resilience") == frozenset({"kr"})
    assert cells.label_acronyms("borrowing") == frozenset()   # no capitals: no name with initials
    # a short form in brackets is no word of the name ("UAS" of "(UAS) Children")
    assert "uasc" in cells.label_acronyms("Unaccompanied Asylum Seeking (UAS) Children")


def test_a_role_heading_over_its_holder_names_the_reports_author(db: Database) -> None:
    index = db.derived("cells", CellIndex.load)
    cell = index.best("who is the author of the budget book?", db.lexicon(), kinds=frozenset({"role"}))
    assert cell is not None and cell.value == "Dr Mike Gogarty" and cells.sentence(cell) == "Author: Dr Mike Gogarty."
    wrote = index.best(cells.role_query("who wrote the budget book?"), db.lexicon(), kinds=frozenset({"role"}))
    assert wrote is not None and wrote.value == "Dr Mike Gogarty"


def test_a_dash_separates_the_parts_a_name_is_abbreviated_by() -> None:
    assert "lac" in cells.label_acronyms("Looked After Children - Care & Support")


def test_the_quarter_end_a_row_is_largest_in(tmp_path) -> None:
    """"UASC in care - which quarter-end had the most": a table by month ("Dec-23", "Sep-24") is by period too."""
    from assistant.router.plan import period_extreme

    source = tmp_path / "report.txt"
    source.write_text("\n".join(f"line {i}" for i in range(1, 8)) + "\n", encoding="utf-8")
    settings = Settings(home=tmp_path)
    con = empty_schema(settings.db_path)
    header = ["Status", "Dec-23", "Mar-24", "Sep-24"]
    rows = [["Non-UASC", "1,466", "1,460", "1,434"], ["UASC", "531", "480", "555"], ["Total", "1,997", "1,940", "1,989"]]
    con.execute(f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                f"VALUES ('q', '{source}', 'Quarterly Performance Report', 'Kent County Council', 'Q3 2024-25', "
                f"'performance report', 'x', 7, 'text')")
    con.execute(f"INSERT INTO raw_tables (table_id, doc_id, file, council, section_path, kind, format, header, "
                f"line_start, line_end, n_rows, caption) VALUES ('cic', 'q', '{source}', 'Kent County Council', "
                f"'Children in Care', 'unclassified', 'text', {_list(header)}, 2, 5, 3, NULL)")
    for i, cells_ in enumerate(rows):
        con.execute(f"INSERT INTO raw_rows (table_id, row_index, cells, line_start, line_end, raw_text, page) VALUES "
                    f"('cic', {i}, {_list(cells_)}, {3 + i}, {3 + i}, '{' '.join(cells_)}', 1)")
    con.close()
    database = Database(settings)
    try:
        question = "uasc in care - which quarter-end in the table had the most?"
        assert period_extreme(question) == "max"
        index = database.derived("cells", CellIndex.load)
        cell = index.best(question, database.lexicon(), any_period=True)
        assert cell is not None
        assert cells.period_extreme(index, cell, lowest=False) == \
            "UASC is largest in Sep-24: 555. By period: Dec-23 531; Mar-24 480; Sep-24 555."
        assert cells.period_column("Dec-23") and cells.period_column("2025-26 Year 1 £000s")
        assert not cells.period_column("Status") and not cells.period_column("Total Cost £000s")
    finally:
        database.close()


def test_the_year_a_row_is_largest_in_among_the_years_asked(tmp_path) -> None:
    """"From 2027-28 onwards, which year has the most grants": only those years' columns are compared."""
    from assistant.router.assistant import asked_range
    from assistant.router.understand import understand

    source = tmp_path / "capital.txt"
    source.write_text("\n".join(f"line {i}" for i in range(1, 6)) + "\n", encoding="utf-8")
    settings = Settings(home=tmp_path)
    con = empty_schema(settings.db_path)
    header = ["Row", "Source", "2025-26 Year 1 £000s", "2026-27 Year 2 £000s", "2027-28 Year 3 £000s",
              "2028-29 Year 4 £000s"]
    con.execute(f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                f"VALUES ('c', '{source}', 'Capital Investment Summary', 'Kent County Council', '2025-26 to 2028-29', "
                f"'capital programme', 'x', 5, 'text')")
    con.execute(f"INSERT INTO raw_tables (table_id, doc_id, file, council, section_path, kind, format, header, "
                f"line_start, line_end, n_rows, caption) VALUES ('cap', 'c', '{source}', 'Kent County Council', "
                f"'Capital', 'unclassified', 'text', {_list(header)}, 2, 3, 1, 'Capital Investment Summary')")
    con.execute(f"INSERT INTO raw_rows (table_id, row_index, cells, line_start, line_end, raw_text, page) VALUES "
                f"('cap', 0, {_list(['9', 'Grants', '153,413', '110,971', '77,192', '81,000'])}, 3, 3, 'Grants', 1)")
    con.close()
    database = Database(settings)
    try:
        index = database.derived("cells", CellIndex.load)
        question = "which year has the most grants in the capital summary?"
        cell = index.best(question, database.lexicon(), any_period=True)
        assert cell is not None
        assert cells.period_extreme(index, cell, lowest=False).startswith("Grants is largest in 2025-26")
        assert cells.period_extreme(index, cell, lowest=False, within=(2027, 9999)).startswith(
            "Grants is largest in 2028-29 Year 4 £000s")   # 81,000 over 77,192
        assert cells.period_extreme(index, cell, lowest=True, numbered=(2, 4)).startswith(
            "Grants is smallest in 2027-28 Year 3 £000s")
        lexicon = database.lexicon()
        assert asked_range(understand("from 2027-28 onwards, which year has the most grants?", lexicon)) == \
            ((2027, 9999), None)
        assert asked_range(understand("looking at years 2 to 4, which year has the least grants?", lexicon)) == \
            (None, (2, 4))
    finally:
        database.close()


def test_a_size_the_question_gives_picks_the_row(db: Database) -> None:
    """"3.0t vans" is not the row of a "Van - 2.0t" though the words left are the same (the tokeniser
    keeps no decimals); the row whose names the question says more of wins a tie ("HGV 18t Tipper")."""
    cell = _best(db, "how many 3.0t vans are parks and estates replacing?")
    assert cell is not None and cell.value == "2" and "3.0t Van" in cell.label
    cell = _best(db, "what is the optimum life of the parks and estates HGV 18t tipper?")
    assert cell is not None and cell.value == "9", cell.label


def test_the_header_the_question_says_more_of_wins(db: Database) -> None:
    """"capital cost per vehicle" is the per-vehicle column, not "Capital Cost x No. of Vehicles"; a unit
    in brackets ("(Years)") is no word of a header's name."""
    cell = _best(db, "parks and estates van - 2.0t replacements: capital cost per vehicle?")
    assert cell is not None and cell.value == "17,000"
    cell = _best(db, "what's the optimum life of the new 3.0t vans for parks and estates?")
    assert cell is not None and cell.value == "6" and "Optimum" in cell.header


def test_a_figure_per_vehicle_only_when_the_question_asks_for_each_one(db: Database) -> None:
    """"Capital cost" of the vans is the figure for all of them ("x No. of Vehicles"), though "vehicle"
    is a word of both headers; "each" or "per vehicle" asks the per-vehicle column ("per Year" is no unit)."""
    cell = _best(db, "parks and estates 3.0t vans in the vehicle replacement programme - the capital cost?")
    assert cell is not None and cell.value == "44,000", cell.header
    cell = _best(db, "parks and estates 3.0t vans - capital cost each?")
    assert cell is not None and cell.value == "22,000", cell.header


def test_a_share_is_the_cell_over_the_total_row_below_it(db: Database) -> None:
    """"Borrowing as a % of the programme in 2026-27": 82,907 of the Total Cash Limit's 272,691; a row
    with no total below it, or a total itself, has no share."""
    from assistant.router.share_of_total import asks_share, share_query, share_sentence, total_below

    question = "borrowing as a % of the capital programme in 2026-27?"
    assert asks_share(question) and asks_share("what share of the whole programme is funded by grants?")
    assert not asks_share("how much borrowing is there in 2026-27?")
    index = db.derived("cells", CellIndex.load)
    cell = index.best(share_query(question), db.lexicon(), periods=("2026-27",))
    assert cell is not None and cell.value == "82,907"
    total = total_below(index, cell)
    assert total is not None and "Total Cash Limit" in total.cells
    assert share_sentence(cell, total) == "Borrowing is 30.4% of Total Cash Limit (2026-27 Year 2 £000s: 82,907 of " \
                                          "272,691)."
    whole = index.best(share_query("what share of the whole cost is children, young people & education's?"),
                       db.lexicon())
    assert whole is not None and whole.value == "565,619" and "28.2%" in share_sentence(whole, total_below(index, whole))
    grants = index.best("grants for 2026-27", db.lexicon(), periods=("2026-27",))
    assert grants is not None and total_below(index, grants) is None


def test_a_share_of_a_total_printed_above_and_of_a_row_s_own_total(db: Database) -> None:
    """A label across the table with figures of its own ("Other Risks (under £10m)  9.0  4.5") is a row
    whose share is of the total row printed above it; "what % of total borrowing ..." with the part
    named by another column's header is the row's own column over its "Total Cost" column."""
    from assistant.router.share_of_total import (own_share_sentence, own_total_columns, share_query, share_sentence,
                                                 total_below, whole_and_part)

    index = db.derived("cells", CellIndex.load)
    question = "what share of the corporate register's annual exposure total is other risks?"
    cell = _best(db, share_query(question, whole=False))
    assert cell is not None and cell.value == "10.0" and cell.label == "Other Risks (under £10m)"
    total = total_below(index, cell)
    assert total is not None and "TOTAL £m" in total.cells
    assert share_sentence(cell, total) == "Other Risks (under £10m) is 25.0% of TOTAL £m (Estimated Annual " \
                                          "Financial Exposure £m: 10.0 of 40.0)."
    slippage = _best(db, "savings slippage annual exposure in the corporate risks register")
    assert slippage is not None and "is 75.0% of TOTAL £m" in share_sentence(slippage, total_below(index, slippage))
    question = "what % of total borrowing was spent in 2025-26?"
    assert whole_and_part(question) == ("total borrowing", " spent in 2025-26?")
    borrowing = _best(db, share_query(question, whole=False), periods=("2025-26",))
    assert borrowing is not None and borrowing.label == "Borrowing"
    # ("already", "really": words that name no row or column)
    already = _best(db, share_query("what % of total borrowing was already spent in 2025-26?", whole=False),
                    periods=("2025-26",))
    assert already is not None and (already.row, already.column) == (borrowing.row, borrowing.column)
    columns = own_total_columns(question, borrowing.row)
    assert columns == (3, 2)
    assert own_share_sentence(borrowing.row, "Borrowing", *columns) == \
        "Borrowing: 2025-26 Year 1 £000s 45,168 is 10.2% of its Total Cost £000s 441,101."
    # a whole that is not said to be a total, or a part naming no column, is the total row's business
    assert own_total_columns("borrowing as a % of the capital programme in 2025-26?", borrowing.row) is None
    assert own_total_columns("what share of the total is borrowing?", borrowing.row) is None


def test_columns_the_question_adds_up_are_summed_for_the_cell_s_year() -> None:
    """"Income plus grants combined": the row's two columns of that year, as printed, added up; a column
    of another year or one the question does not name in full is left out."""
    from assistant.router.compose import added_up

    header = ("Key Service", "2025-26 Income £000s", "2025-26 Grants £000s", "2026-27 Grants £000s",
              "2025-26 Net Cost £000s")
    row = cells.TableRow("t", header, ("Care Leavers Service", "-2,632.6", "-1,697.8", "-1,500.0", "5,656.8"),
                         "d1", "f", "", 1, 1, 1, "")
    cell = cells.Cell(row, 1, "Care Leavers Service", 1.0, 1.0, 1.0)
    question = "care leavers service 25/26 - income plus grants combined?"
    assert cells.ADDED_UP.search(question) and cells.adding_words(question) == {"plus", "combin"}
    assert cells.added_columns(question, cell) == ("Care Leavers Service: 2025-26 Income £000s -2,632.6 + 2025-26 "
                                                   "Grants £000s -1,697.8 = -4,330.4.")
    assert cells.added_columns("care leavers service income 2025-26?", cell) is None
    # the same sum when a typed table holds the line as one row per measure
    rows = (("Care Leavers Service", "-2,632.6", "Income"), ("Care Leavers Service", "-1,697.8", "Grants"))
    assert added_up(("line_item", "raw", "measure"), rows) == "Together: -4,330.4 (-2,632.6 + -1,697.8)."
    assert added_up(("line_item", "raw", "measure"), rows[:1]) is None


def test_a_follow_up_names_another_column_of_the_same_row() -> None:
    """"And the matching 4 year one?" after a "1 year deliverables" cell: the "4 year deliverables" column
    (a figure written as a word too: "the four year one"); the column answered before, or two said alike, none."""
    header = ("1 year deliverables", "4 year deliverables")
    row = cells.TableRow("t", header, ("Worked with communities in 8 areas", "Mainstreamed the approach"),
                         "d1", "f", "", 1, 1, 1, "")
    assert cells.other_column_asked("and the matching 4 year one?", row, "1 year deliverables") == 1
    assert cells.other_column_asked("and the four year one?", row, "1 year deliverables") == 1
    assert cells.other_column_asked("and the 4 year one?", row, "4 year deliverables") is None
    assert cells.other_column_asked("and the deliverables?", row, "1 year deliverables") is None
    # one word of a longer header names no column: "deliverable" is not "Deliverable listed in the Council Plan"
    actions = cells.TableRow("a", ("Actions", "Lead", "Deliverable listed in the Council Plan"),
                             ("Library strategy", "Don Gibbs", "✓"), "d1", "f", "", 1, 1, 1, "")
    assert cells.other_column_asked("and the 4 year deliverable for it?", actions, "") is None
    assert cells.other_column_asked("and the lead?", actions, "") == 1


def test_a_year_of_the_programme_names_its_column(db: Database) -> None:
    """"Borrowing in year 2 of the programme": the column "2026-27 Year 2 £000s", though no year is said."""
    cell = _best(db, "how much borrowing is there in year 2 of the capital programme?")
    assert cell is not None and cell.value == "82,907"
    assert _best(db, "how much borrowing is there in years 1-2 of the capital programme?") is None


def test_a_text_cell_is_named_by_its_own_words_under_a_header_said_in_full(db: Database) -> None:
    """"What's the 1 year deliverable on domestic violence?": the "1 year deliverables" cell that says it,
    not the "4 year deliverables" beside it (the number picks the header); a one-word header ("Action")
    is the row's own name and is never the cell asked."""
    header = ("1 year deliverables", "4 year deliverables")
    plan = [("Developed a strategy for tackling domestic violence", "Protected those who experience domestic abuse"),
            ("Rolled out a new Business Start-up Programme", "Continued delivery of the Economic Recovery Strategy")]
    actions = [("Deliver community health checks with hard-to-reach communities", "1,000")]
    rows = [cells.TableRow("plan", header, c, "d1", "plan.txt", "Priorities", 30 + i, 30 + i, None, "")
            for i, c in enumerate(plan)]
    rows += [cells.TableRow("acts", ("Action", "Target"), c, "d1", "plan.txt", "Actions", 40, 40, None, "")
             for c in actions]
    index = CellIndex(rows)
    cell = index.best("what's the 1 year deliverable on domestic violence?", db.lexicon())
    assert cell is not None and cell.header == "1 year deliverables" and "tackling domestic" in cell.value
    assert cells.sentence(cell).startswith("1 year deliverables: Developed a strategy")
    cell = index.best("the 4 year deliverable on domestic violence?", db.lexicon())
    assert cell is not None and cell.header == "4 year deliverables"
    assert index.best("the action on community health checks?", db.lexicon()) is None


def test_a_row_that_writes_departments_short_is_found_by_the_question_as_typed(db: Database) -> None:
    """The router also asks the cell index the question as typed ("GET/DCED ... risk"), since spelling the
    department out ("Growth, Environment & Transport/...") names no word a row that writes "GET/DCED" has."""
    from assistant.router.assistant import _departments_spelt_out
    from assistant.router.understand import Lexicon

    lex = Lexicon.build(people=[], departments=[("Growth, Environment & Transport", "Kent County Council")],
                        documents=[], groups={})
    header = ("Directorate", "Risk Title", "Risk Event")
    rows = [cells.TableRow("reg", header, ("GET/DCED", "Net Zero funding (capital spend)", "Match funding is higher"),
                           "d1", "r.pdf", "Risks", 3, 3, 1, ""),
            cells.TableRow("reg", header, ("CYPE", "High Needs Spending", "The deficit grows"), "d1", "r.pdf", "Risks",
                           4, 4, 1, "")]
    index = CellIndex(rows)
    typed = "GET/DCED net zero capital funding risk - what is the risk event?"
    spelt = _departments_spelt_out(typed, ("Growth, Environment & Transport",), lex)
    assert spelt.startswith("Growth, Environment & Transport/DCED")
    cell = index.best(typed, db.lexicon())
    assert cell is not None and cell.value == "Match funding is higher"


def test_a_row_named_by_its_title_and_words_of_its_other_cells(db: Database) -> None:
    """"High needs risk: if the safety valve programme doesn't deliver, what's the consequence?": the row
    its title names, whose event cell (a long text, no label) says the rest of the question."""
    header = ("Directorate", "Risk Title", "Risk Event", "Consequence")
    rows = [cells.TableRow("reg", header, ("CYPE", "High Needs Spending", "The Safety Valve programme does not deliver "
                                           "the reduction to the in-year deficit on spending as planned, leading to a "
                                           "higher deficit across the whole of the year", "DfE withholds its contribution"),
                           "d1", "r.pdf", "Risks", 3, 3, 1, ""),
            cells.TableRow("reg", header, ("ASCH", "Adult Social Care demand", "Demand rises", "An overspend"),
                           "d1", "r.pdf", "Risks", 4, 4, 1, "")]
    cell = CellIndex(rows).best("high needs risk: if the safety valve programme doesn't deliver, what's the consequence?",
                                db.lexicon())
    assert cell is not None and cell.value == "DfE withholds its contribution"



def test_a_share_of_another_column_of_the_same_row_named_by_its_header() -> None:
    """"What share of X's total gross is staffing?": the Staffing column over the Gross Expenditure column
    of X's row (the headers' years are their period, not words to say); an income printed negative is
    its size against a gross spend; "how much of ... is X, as a percentage?" is a share too."""
    from assistant.router.cells import TableRow
    from assistant.router.share_of_total import asks_share, own_share_sentence, own_total_columns, whole_and_part

    header = ("Row Ref", "Key Service", "2025-26 Staffing £000s", "2025-26 Gross Expenditure £000s",
              "2025-26 Income £000s", "2025-26 Net Cost £000s")
    row = TableRow("kss:t1", header, ("4", "Total - Strategic Support", "4,063.2", "12,357.8", "-1,602.9", "10,754.9"),
                   "kss", "kss.pdf", "Adults", 10, 10, 3, "Key Service Statement")
    assert own_total_columns("what share of the strategic support total gross is staffing?", row) == (2, 3)
    assert own_total_columns("innovation: what % of its gross spend is covered by income in 25/26?", row) == (4, 3)
    assert own_share_sentence(row, "Strategic Support", 4, 3) == \
        "Strategic Support: 2025-26 Income £000s -1,602.9 is 13.0% of its 2025-26 Gross Expenditure £000s 12,357.8."
    assert own_total_columns("what share of the strategic support budget is agency?", row) is None   # no column named
    question = "how much of the year 4 (28/29) capital cash limit is cype, as a percentage?"
    assert asks_share(question)
    assert whole_and_part(question) == ("the year 4 (28/29) capital cash limit", "cype")
