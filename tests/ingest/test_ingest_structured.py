"""PDF, Word and HTML documents that the tests write themselves (see docfactory.py) go through the
same pipeline as text files: typed rows with page provenance, tables continued across pages,
headings from fonts and styles, and one clear line for each PDF that cannot be read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.config import Settings
import docfactory as f


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    src = tmp_path_factory.mktemp("structured_src")
    plan = f.make_plan_pdf(src / "riverside-delivery-plan.pdf")
    f.make_invented_pdf(src / "northmoor-climate-programme.pdf")
    f.make_encrypted_pdf(src / "locked.pdf")
    f.make_image_only_pdf(src / "scanned.pdf")
    f.make_corrupt_pdf(src / "broken.pdf", plan)
    f.make_docx(src / "eastbrook-corporate-plan.docx")
    f.make_html(src / "westvale-annual-plan.html")
    f.make_continued_without_header_pdf(src / "harbour-risk-register.pdf")
    settings = Settings(home=tmp_path_factory.mktemp("structured_home"), corpus=src)
    calls: list[tuple[str, int, int]] = []
    report = ingest_corpus(settings, index=False, progress=lambda stage, done, total: calls.append((stage, done, total)))
    con = connect_readonly(settings)
    yield settings, report, (lambda sql, *p: con.execute(sql, list(p)).fetchall()), calls
    con.close()


def _problems(report, name: str) -> list[str]:
    return [m for file, m in report.problems if Path(file).name == name]


def test_unreadable_pdfs_are_one_line_each_and_the_rest_ingests(built) -> None:
    _, report, _, _ = built
    assert _problems(report, "locked.pdf") == ["encrypted PDF: it needs a password to open; save an unprotected copy"]
    assert _problems(report, "scanned.pdf") == ["no text layer (scanned or image-only PDF); OCR is not supported"]
    (broken,) = _problems(report, "broken.pdf")
    assert broken.startswith("corrupt PDF") and "\n" not in broken
    assert _problems(report, "riverside-delivery-plan.pdf") == [
        "page 3 of 4 has no text layer (images only); OCR is not supported"]
    assert set(report.added) == {"riverside-delivery-plan", "northmoor-climate-programme",
                                 "eastbrook-corporate-plan", "westvale-annual-plan", "harbour-risk-register"}


def test_page_progress_is_reported(built) -> None:
    _, _, _, calls = built
    pages = [(d, t) for stage, d, t in calls if stage == "pages" and t == 4]
    assert (0, 4) in pages and (4, 4) in pages and len(pages) >= 5


def test_documents_pages_and_metadata_from_content(built) -> None:
    _, _, q, _ = built
    doc = q("SELECT title, council, period, format, n_pages FROM documents WHERE doc_id = 'riverside-delivery-plan'")
    assert doc == [("Riverside District Council Delivery Plan 2025-26", "Riverside District Council", "2025-26",
                    "pdf", 4)]
    assert q("SELECT page, has_text FROM pages WHERE doc_id = 'riverside-delivery-plan' ORDER BY page") == [
        (1, True), (2, True), (3, False), (4, True)]
    north = q("SELECT council, period FROM documents WHERE doc_id = 'northmoor-climate-programme'")
    assert north == [("Northmoor Borough Council", "Q2 2025-26")]


def test_ruled_table_continued_across_pages_with_repeated_header(built) -> None:
    _, _, q, _ = built
    tables = q("SELECT table_id, kind, page_start, page_end, n_rows FROM raw_tables "
               "WHERE doc_id = 'riverside-delivery-plan' AND kind = 'actions'")
    assert len(tables) == 1 and tables[0][2:] == (1, 2, len(f.ACTIONS) + len(f.EXTRA_ACTIONS))
    assert q("SELECT count(*) FROM actions WHERE doc_id = 'riverside-delivery-plan' AND action = 'Action'") == [(0,)]
    pages = dict(q("SELECT page, count(*) FROM actions WHERE doc_id = 'riverside-delivery-plan' GROUP BY page"))
    assert set(pages) == {1, 2} and sum(pages.values()) == len(f.ACTIONS) + len(f.EXTRA_ACTIONS)


def test_table_continued_where_the_columns_line_up(built) -> None:
    _, _, q, _ = built
    tables = q("SELECT kind, page_start, page_end, n_rows FROM raw_tables WHERE doc_id = 'harbour-risk-register'")
    assert tables == [("risks", 1, 2, 40)]
    rows = q("SELECT risk, owner, likelihood, annual_exposure, page FROM risks WHERE doc_id = 'harbour-risk-register' "
             "ORDER BY line_start")
    assert len(rows) == 40 and {r[4] for r in rows} == {1, 2}
    assert rows[-1][:4] == ("Risk number 40: supplier failure in contract lot 40", "Service Manager 40", "1",
                            40_500_000.0)


def test_wrapped_cells_joined_and_new_date_forms(built) -> None:
    _, _, q, _ = built
    rows = {r[0]: r[1:] for r in q(
        "SELECT action, lead_raw, complete_date, complete_date_end, complete_precision, complete_status, department, "
        "page FROM actions WHERE doc_id = 'riverside-delivery-plan'")}
    assert rows[f.LONG_ACTION][:4] == ("Head of Housing Options", date(2025, 3, 1), date(2025, 3, 31), "month")
    assert rows["Cut the time to relet empty council homes"][1:4] == (date(2024, 12, 1), date(2024, 12, 31), "month")
    assert rows["Replace the housing repairs contract"][1] == date(2026, 3, 1)
    assert rows["Review temporary accommodation placements"][1:4] == (date(2024, 1, 1), date(2029, 12, 31), "years")
    assert rows["Publish the tenant satisfaction survey"][4] == "Ongoing"
    assert rows[f.LONG_ACTION][5:] == ("Housing and Homes", 1)


def test_headings_by_font_and_department_from_role_line(built) -> None:
    _, _, q, _ = built
    secs = {h: (lvl, dept, page) for h, lvl, dept, page in q(
        "SELECT heading, level, department, page FROM sections WHERE doc_id = 'riverside-delivery-plan'")}
    assert secs["Housing and Homes"] == (1, "Housing and Homes", 1)
    assert q("SELECT cabinet_member FROM sections WHERE heading = 'Housing and Homes'") == [("Cllr Joan Mercer",)]
    assert secs["Performance Indicators"][2] == 4 and secs["Capital Programme"][2] == 4


def test_kpi_team_outturn_year_rag_and_legend(built) -> None:
    _, _, q, _ = built
    rows = q("""SELECT k.description, k.responsible_raw, v.period, v.kind, v.raw, v.value, v.status
                FROM kpis k JOIN kpi_values v USING (kpi_id)
                WHERE k.doc_id = 'riverside-delivery-plan' AND k.description LIKE 'Households%' ORDER BY v.kind""")
    got = {(r[2], r[3]): (r[4], r[5], r[6]) for r in rows}
    assert rows[0][1] == "Housing Options"
    assert got[("2023/24", "actual")][:2] == ("1,204", 1204.0)
    assert got[("2024/25", "target")][:2] == ("1,100", 1100.0)
    assert got[("2025-26", "rag")][2] == "RED"  # an undated column takes the document's period
    legend = dict(q("SELECT term, meaning FROM legend WHERE doc_id = 'riverside-delivery-plan'"))
    assert legend == {"GREEN": "target met", "AMBER": "within 10% of target", "RED": "more than 10% off target"}


def test_money_units_and_years_in_headers(built) -> None:
    _, _, q, _ = built
    rows = q("""SELECT measure, period, amount, is_total FROM budget_lines WHERE doc_id = 'riverside-delivery-plan'
                AND line_item IN ('Riverside Leisure Centre', 'Total') ORDER BY line_item, measure, period""")
    assert rows == [("Total", None, 10_500_000.0, False), ("amount", "2025-26", 4_500_000.0, False),
                    ("amount", "2026-27", 6_000_000.0, False), ("Total", None, 12_000_000.0, True),
                    ("amount", "2025-26", 5_700_000.0, True), ("amount", "2026-27", 6_300_000.0, True)]


def test_invented_layout_without_ruling_lines(built) -> None:
    """Our own layout: landscape, serif, no ruling lines, a table of aligned text, KPI key/value lines."""
    _, _, q, _ = built
    rows = {r[0]: r[1:] for r in q("SELECT action, lead_raw, complete_date, complete_precision FROM actions "
                                   "WHERE doc_id = 'northmoor-climate-programme'")}
    assert len(rows) == 4
    assert rows["Replace the pool fleet with electric vans"] == ("Tom Okafor", date(2026, 3, 1), "month")
    assert rows["Retrofit insulation in 40 council homes"][2] == "years"
    values = dict(q("""SELECT v.kind, v.value FROM kpis k JOIN kpi_values v USING (kpi_id)
                       WHERE k.doc_id = 'northmoor-climate-programme'
                       AND k.description = 'Council carbon emissions (tonnes CO2e)'"""))
    assert values == {"baseline": 14200.0, "latest": 11950.0, "target": 9000.0}


def test_word_document_styles_and_merged_cells(built) -> None:
    _, _, q, _ = built
    rows = {r[0]: r[1:] for r in q("SELECT action, lead_raw, plan, department, page FROM actions "
                                   "WHERE doc_id = 'eastbrook-corporate-plan'")}
    assert rows["Train 200 volunteer street wardens"][0] == "Lena Fischer"  # cell merged down two rows
    assert rows["Open two community safety hubs"][0] == "Lena Fischer"
    assert rows["Install 40 new street lights on the canal path"][1:] == ("Safer streets", "Thriving Neighbourhoods",
                                                                          None)
    assert q("SELECT amount FROM budget_lines WHERE doc_id = 'eastbrook-corporate-plan' "
             "AND line_item = 'Parks and open spaces' AND measure LIKE 'Net budget%'") == [(2_450_000.0,)]
    assert q("SELECT title, council, period FROM documents WHERE doc_id = 'eastbrook-corporate-plan'") == [
        ("Eastbrook City Council Corporate Plan 2024-28", "Eastbrook City Council", "2024-28")]


def test_html_tables_colspan_rowspan_and_no_script(built) -> None:
    _, _, q, _ = built
    rows = {r[0]: r[1:] for r in q("SELECT action, lead_raw, plan FROM actions WHERE doc_id = 'westvale-annual-plan'")}
    assert rows == {"Refurbish the Jubilee play area": ("Sam O'Neill", "Green spaces"),
                    "New allotment water supply": ("Sam O'Neill", "Green spaces"),
                    "Repaint the war memorial railings": ("Ruth Adeyemi", "Green spaces")}
    (text,) = q("SELECT text FROM pages WHERE doc_id = 'westvale-annual-plan'")[0]
    assert "not a cell" not in text and "Costs include VAT." in text


def test_citation_lines_are_the_readers_lines(built) -> None:
    from assistant.ingest.sourcetext import document_text, from_database

    settings, _, q, _ = built
    (file, start, page) = q("SELECT file, line_start, page FROM actions WHERE action = 'Replace the housing "
                            "repairs contract'")[0]
    text = document_text(file)
    assert text is not None and text.lines[start - 1].startswith("Replace the housing repairs contract\t")
    assert text.page_of(start) == page == 1
    from assistant.sql.connect import connect_readonly

    con = connect_readonly(settings)
    try:
        stored = from_database(con, file)
    finally:
        con.close()
    assert stored is not None and stored.lines == text.lines and stored.line_pages == text.line_pages


def test_prose_chunks_of_a_pdf_carry_pages(built) -> None:
    from assistant.retrieval.source import read_chunks

    settings, _, _, _ = built
    chunks = [c for c in read_chunks(settings).chunks if c.doc_id == "riverside-delivery-plan"]
    prose = [c for c in chunks if c.kind == "prose"]
    assert any("reviewed every quarter by the Cabinet" in c.text and c.page == 1 for c in prose)
    rows = [c for c in chunks if c.kind == "row" and c.table == "actions"]
    assert rows and {c.page for c in rows} == {1, 2}
