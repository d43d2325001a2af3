"""A committee report's numbered headings set with the number apart from the title ("7.<gap>Financial
Implications", which the text layer reads with a tab), on a PDF the test draws with fpdf2: each is a
section heading, not a table row, and a question about it brings the paragraph under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings

STEM = "borsetshire-cabinet-report-2025"
PARAGRAPHS = {
    "Financial Implications": ("7.1 The proposals will be delivered at low or no cost within existing "
                               "budgets. 7.2 Any later costs will come back to Cabinet."),
    "Legal Implications": "8.1 The council has a duty to publish the strategy.",
}


def _make(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(15, 15)
    pdf.multi_cell(180, 6, "This report asks Cabinet to agree the delivery plan and its priorities for action.")
    y = 40.0
    for number, (title, text) in enumerate(PARAGRAPHS.items(), start=7):
        pdf.set_font("Helvetica", "B", size=11)
        pdf.set_xy(15, y)
        pdf.cell(10, 6, f"{number}.")
        pdf.set_xy(35, y)   # the title far from its number: the text layer puts a tab between them
        pdf.cell(0, 6, title)
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(15, y + 12)
        pdf.multi_cell(180, 6, text)
        y += 40
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def headings(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    src = tmp_path_factory.mktemp("cabinet_src")
    _make(src / f"{STEM}.pdf")
    settings = Settings(home=tmp_path_factory.mktemp("cabinet_home"), corpus=src)
    report = ingest_corpus(settings, index=False)
    assert report.problems == ()
    con = connect_readonly(settings)
    rows = [h for (h,) in con.execute("SELECT heading FROM sections WHERE doc_id = ? ORDER BY line_start",
                                      [STEM]).fetchall()]
    con.close()
    return rows


def test_a_number_set_apart_from_its_title_is_a_numbered_heading(headings: list[str]) -> None:
    assert "7. Financial Implications" in headings and "8. Legal Implications" in headings
