"""A budget book opens each directorate with an overview page, "Housing Services (HS)", before the
pages of its tables under "Housing Services" and its director's line: the overview belongs to that
directorate, not to the one printed before it. The PDF is drawn by the test; names are invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assistant.config import Settings

_PAGES = [
    ("Parks & Leisure (P&L)", None, "The Parks & Leisure directorate runs the country parks and the bowls greens."),
    ("Parks & Leisure", "Corporate Director: Wilhelmina Oakes", "Country parks cost 1,200.5 to run this year."),
    ("Housing Services (HS)", None, "Housing Services runs the tenancy sustainment team and the loan fund."),
    ("Housing Services", "Corporate Director: Casimir Penrose", "Tenancy sustainment costs 845.0 this year."),
]


def _write(path: Path) -> None:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for heading, role, body in _PAGES:
        pdf.setFont("Helvetica-Bold", 15)
        pdf.drawString(60, 780, heading)
        pdf.setFont("Helvetica", 10)
        y = 750
        if role:
            pdf.drawString(60, y, role)
            y -= 30
        pdf.drawString(60, y, body)
        pdf.showPage()
    pdf.save()


@pytest.fixture(scope="module")
def q(tmp_path_factory: pytest.TempPathFactory):
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    src = tmp_path_factory.mktemp("overview_src")
    _write(src / "northmoor-budget-book-2026-27.pdf")
    settings = Settings(home=tmp_path_factory.mktemp("overview_home"), corpus=src)
    assert ingest_corpus(settings, index=False).problems == ()
    con = connect_readonly(settings)
    yield lambda sql, *p: con.execute(sql, list(p)).fetchall()
    con.close()


@pytest.mark.parametrize("words, department", [("tenancy sustainment team", "Housing Services"),
                                               ("bowls greens", "Parks & Leisure"),
                                               ("Tenancy sustainment costs", "Housing Services")])
def test_an_overview_page_belongs_to_the_directorate_it_names(q, words: str, department: str) -> None:
    rows = q("SELECT department FROM sections WHERE strpos(text, ?) > 0 ORDER BY level DESC LIMIT 1", words)
    assert rows == [(department,)]
