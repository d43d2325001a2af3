"""A ruled register whose first column is shaded by a gradient (a stack of thin strips) and whose
total line is framed above the header of every page, as in council budget risk registers.

The gradient's strips must not swallow the row lines (pdfplumber snaps edges closer than 3 pt
together): each risk keeps the exposure printed in its own row, the units line ("£m") stays in the
header, and the total line is stored once, as a total row of the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from assistant.ingest.document import meta_for, parse_document
from assistant.ingest.readers import read_source

COLS = [40.0, 140.0, 420.0, 500.0, 600.0, 700.0]  # column edges: Directorate | Risk | Likelihood | Annual | Lifetime
HEADER = ["Directorate", "Risk Title", "Current Likelihood", "Estimated Annual Financial Exposure",
          "Estimated Lifetime Financial Exposure"]
PAGES = [  # (directorate, risk, likelihood, annual, lifetime) per page
    [("CYPE", "High Needs Spending", "4", "", "15.0"), ("ALL", "Savings not delivered", "4", "10.0", "")],
    [("GET", "Waste infrastructure", "3", "20.0", "")],
    [("DCED", "Cyber Security", "2", "", "")],
]
TOTAL = ("TOTAL £m", "30.0", "15.0")


def _hline(c: canvas.Canvas, y: float, x0: float = COLS[0], x1: float = COLS[-1]) -> None:
    c.line(x0, y, x1, y)


def _page(c: canvas.Canvas, risks: list[tuple[str, ...]]) -> None:
    height = landscape(A4)[1]
    c.setLineWidth(0.5)
    # the framed total line above the header, its cells over the last three columns
    top, bottom = height - 40, height - 56
    for x0, x1 in zip(COLS[2:-1], COLS[3:]):
        c.rect(x0, bottom, x1 - x0, top - bottom)
    c.setFont("Helvetica-Bold", 9)
    for text, x0 in zip(TOTAL, COLS[2:]):
        c.drawString(x0 + 4, bottom + 5, text)
    # header (two rows of text in one ruled row), then a ruled units row, then one row per risk
    y = height - 70
    lines = [y, y - 40, y - 56]
    for _ in risks:
        lines.append(lines[-1] - 44)
    c.setFont("Helvetica-Bold", 8)
    for text, x0, x1 in zip(HEADER, COLS, COLS[1:]):
        words = text.split()
        half = (len(words) + 1) // 2
        c.drawString(x0 + 3, y - 14, " ".join(words[:half]))
        if words[half:]:
            c.drawString(x0 + 3, y - 26, " ".join(words[half:]))
    c.setFont("Helvetica", 8)
    for x0 in COLS[3:5]:
        c.drawString(x0 + 3, lines[1] - 11, "£m")
    # the gradient: the first column of the units row and the risk rows shaded by 1.5 pt strips
    strip, shade_top = 1.5, lines[1]
    k = 0
    while shade_top - strip * (k + 1) >= lines[-1]:
        grey = 0.6 + 0.35 * k / 200
        c.setFillColorRGB(grey, grey, 1.0)
        c.rect(COLS[0], shade_top - strip * (k + 1), COLS[1] - COLS[0], strip, stroke=0, fill=1)
        k += 1
    c.setFillColorRGB(0, 0, 0)
    for r, risk in enumerate(risks):
        row_top = lines[2 + r]
        for text, x0 in zip(risk, COLS):
            if text:
                c.drawString(x0 + 3, row_top - 12, text)
    for y_line in lines:
        _hline(c, y_line)
    for x in COLS:
        c.line(x, lines[0], x, lines[-1])
    c.showPage()


def make_register(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    for risks in PAGES:
        _page(c, risks)
    c.save()
    return path


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    path = make_register(tmp_path_factory.mktemp("register") / "risk-register.pdf")
    source = read_source(path)
    return parse_document(source, meta_for(source, {}))


def test_gradient_strips_do_not_merge_rows(register):
    risks = {r["risk"]: r for r in register.rows["risks"]}
    assert sorted(risks) == sorted(risk for page in PAGES for _, risk, *_ in page)
    for page in PAGES:
        for directorate, risk, likelihood, annual, lifetime in page:
            row = risks[risk]
            assert row["owner"] == directorate
            assert row["likelihood"] == likelihood
            assert row["annual_exposure_raw"] == (annual or None)
            assert row["lifetime_exposure_raw"] == (lifetime or None)
            assert row["annual_exposure"] == (float(annual) * 1e6 if annual else None)


def test_units_line_is_header_not_value(register):
    (_, table, kind, _), = [t for t in register.tables if t[2] == "risks"]
    assert kind == "risks"
    assert all("£m" not in c for r in table.rows if not r.total for c in r.cells)
    assert all(not (r.get(k) or "").strip().startswith("£")
               for r in register.rows["risks"] for k in ("annual_exposure_raw", "lifetime_exposure_raw"))


def test_total_above_repeated_header_is_one_total_row(register):
    (_, table, _, _), = [t for t in register.tables if t[2] == "risks"]
    totals = [r for r in table.rows if r.total]
    assert len(totals) == 1
    total = totals[0]
    assert total is table.rows[-1] and total.page == 1
    assert total.cells == ("", "") + TOTAL
    assert [r.index for r in table.rows] == list(range(len(table.rows)))
    assert len(table.rows) == sum(len(p) for p in PAGES) + 1


def test_without_the_fix_pdfplumber_merges_the_rows(tmp_path):
    """The trait is real: pdfplumber alone finds fewer rows on the shaded page than are drawn."""
    import pdfplumber

    from assistant.ingest.pdf import find_page_tables

    path = make_register(tmp_path / "r.pdf")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        plain = max(len(t.rows) for t in page.find_tables())
        ours = max(len(t.rows) for t in find_page_tables(page))
    assert ours == 2 + len(PAGES[0])  # header, units, one row per risk
    assert plain < ours
