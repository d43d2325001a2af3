"""Documents the ingest tests write for themselves: PDFs (reportlab), Word files (python-docx) and
HTML pages, in the layouts councils publish. Nothing here is copied from a real council document;
the councils, people and figures are invented.
"""

from __future__ import annotations

from pathlib import Path

LONG_ACTION = ("Open a one-stop housing advice hub in the town centre library so that residents can get "
               "help with rent arrears, repairs and homelessness in one visit")
ACTIONS = [
    (LONG_ACTION, "Head of Housing Options", "March '25", "Hub open five days a week"),
    ("Cut the time to relet empty council homes", "Lettings Manager", "December 24", "Average relet time"),
    ("Replace the housing repairs contract", "Asset Manager", "Mar 2026", "New contract signed"),
    ("Review temporary accommodation placements", "Housing Options Team", "2024-2029", "Fewer placements"),
    ("Publish the tenant satisfaction survey", "Tenant Engagement Lead", "Ongoing", "Survey published"),
]
# enough rows that the table runs onto a second page, where reportlab repeats the header
EXTRA_ACTIONS = [(f"Deliver estate improvement scheme number {i} on the Riverside estates",
                  f"Estates Officer {chr(65 + i % 26)}", "June 2025", "Scheme complete") for i in range(1, 31)]

KPIS = [
    ("Households in temporary accommodation", "Housing Options", "1,204", "1,100", "RED"),
    ("Missed bin collections per 100,000", "Waste Services", "52", "40", "AMBER"),
    ("Invoices paid within 30 days (%)", "Finance", "91%", "95%", "GREEN"),
]


def _styles():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=20, leading=24)
    h2 = ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=8)
    return body, cell, title, h2


def _grid_table(rows, widths, header_rows: int = 1):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    t = Table(rows, colWidths=widths, repeatRows=header_rows)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("FONTNAME", (0, 0), (-1, header_rows - 1), "Helvetica-Bold")]))
    return t


def make_plan_pdf(path: Path) -> Path:
    """A council delivery plan: title and headings by font, a ruled action table with wrapped cells
    that continues on the next page under a repeated header, a page with only a drawing, a KPI
    table with RAG ratings and its legend, and a capital table in £m with years in the header."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus.flowables import Flowable

    body, cell, title, h2 = _styles()

    class Drawing(Flowable):  # a page with shapes only: no text layer
        def wrap(self, *_):
            return 150 * mm, 150 * mm

        def draw(self):
            self.canv.rect(10, 10, 300, 300, fill=1)
            self.canv.circle(160, 160, 80, fill=0)

    story = [Paragraph("Riverside District Council Delivery Plan 2025-26", title), Spacer(1, 8),
             Paragraph("This plan sets out what Riverside District Council will deliver in 2025-26 and who "
                       "leads each action. It is reviewed every quarter by the Cabinet.", body),
             Paragraph("Housing and Homes", h2),
             Paragraph("Cabinet Member: Cllr Joan Mercer", body), Spacer(1, 6)]
    header = ["Action", "Led by", "Timescale", "Measure"]
    rows = [header] + [[Paragraph(a, cell), Paragraph(b, cell), c, Paragraph(d, cell)]
                       for a, b, c, d in ACTIONS + EXTRA_ACTIONS]
    story += [_grid_table(rows, [75 * mm, 40 * mm, 25 * mm, 40 * mm]), PageBreak(), Drawing(), PageBreak()]
    story += [Paragraph("Performance Indicators", h2),
              Paragraph("RAG key: GREEN: target met; AMBER: within 10% of target; RED: more than 10% off target",
                        body), Spacer(1, 6)]
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")
    kpi_rows = [[Paragraph(h, head) for h in ("KPI", "Team", "Outturn 2023/24", "Target 2024/25", "RAG")]] + \
        [list(k) for k in KPIS]
    story += [_grid_table(kpi_rows, [70 * mm, 35 * mm, 25 * mm, 25 * mm, 15 * mm]), Spacer(1, 10),
              Paragraph("Capital Programme", h2)]
    cap = [["Scheme", "2025-26", "2026-27", "Total"], ["", "£m", "£m", "£m"],
           ["Riverside Leisure Centre", "4.5", "6.0", "10.5"], ["Town Hall roof", "1.2", "0.3", "1.5"],
           ["Total", "5.7", "6.3", "12.0"]]
    story.append(_grid_table(cap, [70 * mm, 25 * mm, 25 * mm, 25 * mm], header_rows=2))
    SimpleDocTemplate(str(path), pagesize=A4, title="Riverside Delivery Plan").build(story)
    return path


def make_continued_without_header_pdf(path: Path) -> Path:
    """A ruled register whose second page goes on without repeating the header: the columns line up."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body, cell, title, h2 = _styles()
    rows = [["Risk", "Owner", "Likelihood", "Annual exposure £m"]] + [
        [Paragraph(f"Risk number {i}: supplier failure in contract lot {i}", cell), f"Service Manager {i}",
         str(1 + i % 5), f"{i}.5"]
        for i in range(1, 41)]
    story = [Paragraph("Corporate Risk Register", title), _grid_table(rows, [80 * mm, 40 * mm, 25 * mm, 35 * mm],
                                                                     header_rows=0)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def make_invented_pdf(path: Path) -> Path:
    """A layout of our own, unlike the bundled documents: landscape, serif type, a heading set only in
    a larger size, no ruling lines at all (the table is columns of text), key/value KPI lines."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    w, h = landscape(A4)
    c.setFont("Times-Bold", 22)
    c.drawString(60, h - 60, "Northmoor Borough Council")
    c.setFont("Times-Roman", 16)
    c.drawString(60, h - 85, "Climate Action Programme, Quarter 2 2025/26")
    c.setFont("Times-Roman", 11)
    y = h - 120
    for line in ("The programme brings together the council's work on buildings, transport and green spaces.",
                 "Each line below shows the lead officer and the date the work should be finished."):
        c.drawString(60, y, line)
        y -= 15
    y -= 15
    c.setFont("Times-Bold", 15)
    c.drawString(60, y, "Programme milestones")
    y -= 25
    cols = [60, 330, 520, 650]
    c.setFont("Times-Bold", 11)
    for x, text in zip(cols, ("Milestone", "Lead officer", "Deadline", "Budget £000s")):
        c.drawString(x, y, text)
    c.setFont("Times-Roman", 11)
    milestones = [("Install solar panels on the civic centre", "Priya Natarajan", "September 2025", "850"),
                  ("Replace the pool fleet with electric vans", "Tom Okafor", "March '26", "1,200"),
                  ("Plant 5,000 trees in Northmoor parks", "Grace Lindqvist", "Winter 2025", "95"),
                  ("Retrofit insulation in 40 council homes", "Priya Natarajan", "2025-2027", "2,400")]
    for row in milestones:
        y -= 18
        for x, text in zip(cols, row):
            c.drawString(x, y, text)
    y -= 40
    c.setFont("Times-Bold", 15)
    c.drawString(60, y, "Headline measure")
    c.setFont("Times-Roman", 11)
    y -= 22
    c.drawString(60, y, "Council carbon emissions (tonnes CO2e)")
    y -= 16
    c.drawString(60, y, "Baseline: 14,200    Latest: 11,950    Target: 9,000")
    c.showPage()
    c.save()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="open-sesame")
    c.drawString(72, 720, "Confidential plan")
    c.showPage()
    c.save()
    return path


def make_image_only_pdf(path: Path) -> Path:
    """A 'scanned' PDF: pages with pictures only, no text layer."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    return path


def make_corrupt_pdf(path: Path, good: Path) -> Path:
    """The first third of a real PDF: the header is there, the page tree is not."""
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def make_docx(path: Path) -> Path:
    """A Word plan: Title and Heading styles, a bold paragraph heading, and a table with a merged
    group row (gridSpan) and a cell merged down two rows (vMerge)."""
    import docx

    d = docx.Document()
    d.add_paragraph("Eastbrook City Council Corporate Plan 2024-28", style="Title")
    d.add_paragraph("Eastbrook City Council will focus on four priorities over the next four years.")
    d.add_heading("Thriving Neighbourhoods", level=1)
    d.add_paragraph("Portfolio Holder: Cllr Aisha Rahman")
    t = d.add_table(rows=5, cols=3)
    for i, text in enumerate(("Commitment", "Owner", "By when")):
        t.rows[0].cells[i].text = text
    group = t.rows[1].cells[0].merge(t.rows[1].cells[2])
    group.text = "Safer streets"
    t.rows[2].cells[0].text = "Install 40 new street lights on the canal path"
    t.rows[2].cells[1].text = "Marek Nowak"
    t.rows[2].cells[2].text = "Autumn 2025"
    t.rows[3].cells[0].text = "Open two community safety hubs"
    owner = t.rows[3].cells[1].merge(t.rows[4].cells[1])
    owner.text = "Lena Fischer"
    t.rows[3].cells[2].text = "By when: TBC"
    t.rows[4].cells[0].text = "Train 200 volunteer street wardens"
    t.rows[4].cells[2].text = "March 2026"
    d.add_heading("Budget", level=1)
    b = d.add_table(rows=3, cols=3)
    for r, values in enumerate((("Service", "Net budget £'000", "Gross budget £'000"),
                                ("Parks and open spaces", "2,450", "3,100"), ("Street cleaning", "1,830", "2,020"))):
        for i, v in enumerate(values):
            b.rows[r].cells[i].text = v
    d.save(str(path))
    return path


HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Westvale Parish Plan</title><style>td {padding: 2px}</style></head>
<body>
<h1>Westvale Town Council Annual Plan 2025/26</h1>
<p>Westvale Town Council agreed this plan in April 2025. It lists our projects and who is responsible.</p>
<h2>Projects</h2>
<table border="1">
<caption>Community projects</caption>
<tr><th>Project</th><th>Responsible Officer</th><th>Deadline</th><th>Cost (&pound;)</th></tr>
<tr><td colspan="4">Green spaces</td></tr>
<tr><td>Refurbish the Jubilee play area</td><td rowspan="2">Sam O'Neill</td><td>July 2025</td><td>45,000</td></tr>
<tr><td>New allotment water supply</td><td>Spring 2026</td><td>8,500</td></tr>
<tr><td>Repaint the war memorial railings</td><td>Ruth Adeyemi</td><td>Ongoing</td><td>1,200</td></tr>
</table>
<h2>Notes</h2>
<ul><li>Costs include VAT.</li><li>Dates may move if grants are delayed.</li></ul>
<script>var x = "<td>not a cell</td>";</script>
</body></html>
"""


def make_html(path: Path) -> Path:
    path.write_text(HTML, encoding="utf-8")
    return path
