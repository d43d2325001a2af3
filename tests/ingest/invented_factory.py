"""An invented council's delivery plan, written by the tests in two forms: a PDF made with fpdf2
(not reportlab, as the other PDF tests are: another producer, another drawing of tables) and a
Word file. Its header words differ from the bundled corpus and from docfactory: an action table
"Commitment / Owner / Deadline / Status" long enough to run onto the next page under a repeated
header, with wrapped cells; a KPI table "Indicator | Baseline | Actual 2024/25 | Target 2025/26 |
RAG"; a risk register with exposure in £000s; headings set only by font size. The council, people
and figures are invented."""

from __future__ import annotations

from pathlib import Path

COUNCIL = "Thornbury Vale District Council"
TITLE = f"{COUNCIL} Delivery Plan 2025/26"
LONG_COMMITMENT = ("Bring the three village libraries into a single shared service with longer opening hours, "
                   "a home delivery round for housebound readers and a digital skills drop-in every week")
COMMITMENTS = [
    (LONG_COMMITMENT, "Head of Community Services", "March 2026", "On track"),
    ("Adopt the new Local Plan after the public examination", "Planning Policy Manager", "December 2025",
     "At risk"),
    ("Replace the refuse fleet with electric vehicles", "Fleet and Depot Manager", "Q4 2026/27", "Not started"),
    ("Open the Thornbury Vale business start-up hub", "Economic Development Lead", "Autumn 2025", "Complete"),
] + [(f"Refurbish play area number {i} in the parish of Upper Thornbury", f"Parks Officer {chr(64 + i)}",
      "July 2025", "On track") for i in range(1, 31)]
KPIS = [  # indicator, baseline, actual 2024/25, target 2025/26, RAG
    ("Households supported to avoid homelessness", "310", "342", "360", "Amber"),
    ("Planning applications decided on time (%)", "78%", "86%", "90%", "Green"),
    ("Residual waste per household (kg)", "452", "468", "430", "Red"),
]
RISKS = [  # risk, owner, likelihood, impact, exposure £000s
    ("Temporary accommodation costs exceed budget", "Director of Housing", "4", "4", "1,250"),
    ("Loss of the recycling credits income", "Head of Waste", "3", "3", "420"),
    ("Cyber attack disables council systems", "Chief Digital Officer", "2", "5", "900"),
]
ACTION_HEAD = ("Commitment", "Owner", "Deadline", "Status")
KPI_HEAD = ("Indicator", "Baseline", "Actual 2024/25", "Target 2025/26", "RAG")
RISK_HEAD = ("Risk", "Risk owner", "Likelihood", "Impact", "Exposure £000s")
INTRO = (f"This plan sets out what {COUNCIL} will deliver in 2025/26, who owns each commitment and how "
         "we will know it has worked. Progress is reported to the Executive every quarter.")


def make_fpdf_plan(path: Path) -> Path:
    """The plan as a PDF made with fpdf2: Times headings in larger sizes, grid tables with a grey
    header row repeated on each page."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Times", size=20)
    pdf.multi_cell(0, 10, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", size=11)
    pdf.multi_cell(0, 6, INTRO, new_x="LMARGIN", new_y="NEXT")
    head = FontFace(emphasis="BOLD", fill_color=(220, 220, 220))

    def heading(text: str) -> None:
        pdf.ln(4)
        pdf.set_font("Times", size=15)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Times", size=10)

    def table(header: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
        with pdf.table(col_widths=widths, headings_style=head, repeat_headings=1, line_height=5) as t:
            for row in [header, *rows]:
                r = t.row()
                for cell in row:
                    r.cell(cell)

    heading("Our Commitments")
    pdf.multi_cell(0, 6, "Executive Member: Cllr Imogen Achterberg", new_x="LMARGIN", new_y="NEXT")
    table(ACTION_HEAD, COMMITMENTS, (80, 50, 30, 30))
    heading("Key Performance Indicators")
    table(KPI_HEAD, KPIS, (70, 25, 30, 30, 20))
    heading("Strategic Risk Register")
    table(RISK_HEAD, RISKS, (70, 45, 22, 18, 30))
    pdf.output(str(path))
    return path


def make_docx_plan(path: Path) -> Path:
    """The same plan as a Word file: headings as Heading styles, tables with a header row."""
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=0)
    d.add_paragraph(INTRO)

    def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        t = d.add_table(rows=1 + len(rows), cols=len(header))
        t.style = "Table Grid"
        for r, row in enumerate([header, *rows]):
            for i, cell in enumerate(row):
                t.rows[r].cells[i].text = cell

    d.add_heading("Our Commitments", level=1)
    d.add_paragraph("Executive Member: Cllr Imogen Achterberg")
    table(ACTION_HEAD, COMMITMENTS)
    d.add_heading("Key Performance Indicators", level=1)
    table(KPI_HEAD, KPIS)
    d.add_heading("Strategic Risk Register", level=1)
    table(RISK_HEAD, RISKS)
    d.save(str(path))
    return path
