"""An invented council's quarterly performance report as a PDF (fpdf2), drawn line by line so that the
layouts are exactly those of real reports: sections that name their Cabinet Member and Director on
one line under the heading ("Cabinet Member X Director Y") or in a two-column box; a KPI summary
table "Indicator | Latest | Target | Floor | Previous | RAG"; KPI cards (name and rating, a chart
area, then "Latest: ... | Target: ..., Floor: ... | Previous: ... (Amber)"); a capital table whose
first header cell "Directorate ... Dir" is one merged cell over a name column and an acronym column;
a small count table of risks by level and month; and a framed text box whose title row is cut into
cells by the underlines of its words. The council, people and figures are invented."""

from __future__ import annotations

from pathlib import Path

COUNCIL = "Thornbury Vale District Council"
TITLE = f"{COUNCIL} Quarterly Performance Report"
HOUSING = ("Housing", "Imogen Achterberg", "Barnaby Quillfeather")  # heading, cabinet member, director
WASTE = ("Waste and Recycling", "Cllr Ottilie Brannagh", "Peregrine Lusk")  # in a two-column box
KPI_HEAD = ("Indicator", "Latest", "Target", "Floor", "Previous", "RAG")
KPI_ROWS = [
    ("Households prevented from becoming homeless", "342", "360", "300", "351", "Amber"),
    ("Percentage of void homes relet within 28 days", "91%", "90%", "80%", "88%", "Green"),
    ("Temporary accommodation placements over 6 weeks", "57", "40", "50", "49", "Red"),
]
RAG_PREVIOUS = ["AMBER", "RED", "RED"]  # the summary's previous rating of each KPI_ROWS row
CARDS = [  # name, rating, latest, target, floor, previous, previous rating
    ("Percentage of household waste sent for reuse, recycling or composting", "AMBER", "45%", "50%", "40%",
     "44%", "Amber"),
    ("Missed bin collections per 100,000 collections", "GREEN", "38", "50", "70", "41", "Green"),
]
CAPITAL_ROWS = [  # directorate, acronym, total cost, 2025-26
    ("Housing and Communities", "HAC", "12,450", "3,100"),
    ("Environment and Waste", "ENW", "8,020", "2,275"),
]
RISK_LEVELS = ("Low Risk", "Medium Risk", "High Risk")
RISK_MONTHS = [("Current risk level June 2025", "1", "4", "7"), ("Current risk level September 2025", "2", "5", "5")]
BOX_TITLE = ("RISK0042:", "Depot", "Fire", "Safety")
BOX_TEXT = "Action Outstanding. The fire doors of the main depot are to be replaced by the end of March."


def _grid(pdf, x_edges: list[float], y_edges: list[float], cells: list[list[tuple[int, str, str] | None]],
          merged: dict[int, list[tuple[int, int]]] | None = None, tall: frozenset[tuple[int, int]] = frozenset()
          ) -> None:
    """Draw a ruled table: ``cells[r]`` holds (first column, text, align) per cell of row r; ``merged``
    gives, per row, column spans (first, last) drawn as one cell (no ruling line inside); ``tall``
    holds (row, column) cells that reach down over the next row (no ruling line under them)."""
    merged = merged or {}
    pdf.set_line_width(0.3)
    for r, y in enumerate(y_edges):
        for c in range(len(x_edges) - 1):
            if (r - 1, c) not in tall:
                pdf.line(x_edges[c], y, x_edges[c + 1], y)
    for r in range(len(y_edges) - 1):
        inner = set()
        for a, b in merged.get(r, []):
            inner.update(range(a + 1, b + 1))
        for c, x in enumerate(x_edges):
            if c not in inner:
                pdf.line(x, y_edges[r], x, y_edges[r + 1])
    for r, row in enumerate(cells):
        for cell in row or []:
            if cell is None:
                continue
            col, text, align = cell
            span = next((b for a, b in merged.get(r, []) if a == col), col)
            x0, x1 = x_edges[col], x_edges[span + 1]
            pdf.set_xy(x0 + 1, y_edges[r] + 1)
            pdf.cell(x1 - x0 - 2, y_edges[r + 1] - y_edges[r] - 2, text, align=align)


def make_report(path: Path) -> Path:
    """The report as a PDF: page 1 summary and sections, page 2 cards, page 3 capital and risks."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=18)
    pdf.set_xy(15, 15)
    pdf.cell(0, 10, TITLE)
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(15, 30)
    pdf.multi_cell(180, 5, "This report sets out the council's key performance indicators for the quarter, "
                           "with their latest results against target and floor standards.")
    pdf.set_font("Helvetica", "B", size=14)
    pdf.set_xy(15, 48)
    pdf.cell(0, 8, HOUSING[0])
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(15, 58)
    pdf.cell(0, 6, f"Cabinet Member {HOUSING[1]}        Director {HOUSING[2]}")
    xs = [15.0, 95.0, 115.0, 135.0, 155.0, 175.0, 195.0]
    ys = [70.0 + 8 * i for i in range(len(KPI_ROWS) + 2)]
    rows = [[(c, t, "L" if c == 0 else "C") for c, t in enumerate(KPI_HEAD)]]
    rows += [[(c, t, "L" if c == 0 else "C") for c, t in enumerate(r)] for r in KPI_ROWS]
    pdf.set_font("Helvetica", size=8)
    _grid(pdf, xs, ys, rows)
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(15, ys[-1] + 3)
    pdf.cell(0, 5, "Housing KPIs by rating")
    # "RAG rating" over Latest | Previous, and a DoT column of arrows (pictures: no text)
    xs2, ys2 = [15.0, 125.0, 150.0, 175.0, 195.0], [ys[-1] + 10 + 7 * i for i in range(len(KPI_ROWS) + 3)]
    pdf.set_font("Helvetica", size=8)
    _grid(pdf, xs2, ys2, [[(0, "Housing KPIs", "L"), (1, "RAG rating", "C"), (3, "DoT", "C")],
                          [(1, "Latest", "C"), (2, "Previous", "C")],
                          *[[(0, r[0], "L"), (1, r[5].upper(), "C"), (2, RAG_PREVIOUS[k], "C")]
                            for k, r in enumerate(KPI_ROWS)]],
          merged={0: [(1, 2)]}, tall=frozenset({(0, 0), (0, 3)}))
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(15, ys2[-1] + 4)
    pdf.multi_cell(180, 5, "Homelessness prevention remains below target because of rising private rents.")
    pdf.set_font("Helvetica", "B", size=14)
    pdf.set_xy(15, 180)
    pdf.cell(0, 8, WASTE[0])
    pdf.set_font("Helvetica", size=10)
    _grid(pdf, [15.0, 60.0, 120.0], [192.0, 199.0, 206.0],
          [[(0, "Cabinet Member", "L"), (1, WASTE[1], "L")], [(0, "Corporate Director", "L"), (1, WASTE[2], "L")]])
    pdf.set_xy(15, 212)
    pdf.multi_cell(180, 5, "Recycling rates recovered in the quarter after the new garden waste round began.")

    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=12)
    pdf.set_xy(15, 15)
    pdf.cell(0, 8, "Key Performance Indicators")
    top = 30.0
    for name, rating, latest, target, floor, previous, prev_rating in CARDS:
        pdf.set_font("Helvetica", size=9)
        xs = [15.0, 75.0, 135.0, 175.0, 195.0]
        ys = [top, top + 10, top + 50, top + 57]
        _grid(pdf, xs, ys,
              [[(0, name, "L"), (3, rating, "C")], [], [(0, f"Latest: {latest}", "C"),
               (1, f"Target: {target}, Floor: {floor}", "C"), (2, f"Previous: {previous} ({prev_rating})", "C")]],
              merged={0: [(0, 2)], 1: [(0, 3)], 2: [(2, 3)]})
        top += 75

    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=12)
    pdf.set_xy(15, 15)
    pdf.cell(0, 8, "Capital Investment Summary")
    pdf.set_font("Helvetica", size=9)
    xs = [15.0, 30.0, 100.0, 120.0, 150.0, 180.0]
    ys = [30.0, 38.0, 45.0, 52.0]
    pdf.set_line_width(0.3)
    _grid(pdf, xs, ys,
          [[(0, "Row Ref", "L"), (1, "Directorate", "L"), (4, "2025-26", "R")],
           *[[(0, str(i + 1), "L"), (1, d, "L"), (2, a, "C"), (3, t, "R"), (4, y, "R")]
             for i, (d, a, t, y) in enumerate(CAPITAL_ROWS)]],
          merged={0: [(1, 2)]})
    pdf.set_xy(101, 31)  # the short name of the acronym column, printed at the right of the merged cell
    pdf.cell(18, 6, "Dir", align="R")
    pdf.set_xy(121, 31)
    pdf.cell(28, 6, "Total Cost", align="R")

    pdf.set_font("Helvetica", "B", size=12)
    pdf.set_xy(15, 70)
    pdf.cell(0, 8, "Corporate Risk Register")
    pdf.set_font("Helvetica", size=9)
    pdf.set_xy(15, 80)
    pdf.multi_cell(180, 5, "The table below shows the number of corporate risks in each risk level in "
                           "September 2025, compared with June 2025.")
    xs = [15.0, 85.0, 120.0, 155.0, 190.0]
    ys = [95.0, 102.0, 112.0, 122.0]
    _grid(pdf, xs, ys, [[(c + 1, t, "C") for c, t in enumerate(RISK_LEVELS)],
                        *[[(c, t, "L" if c == 0 else "C") for c, t in enumerate(r)] for r in RISK_MONTHS]])

    # a framed box whose title words are each underlined: the underlines cut the title row into cells
    top = 140.0
    pdf.rect(15, top, 180, 30)
    pdf.line(15, top + 7, 195, top + 7)
    x = 17.0
    pdf.set_font("Helvetica", "B", size=12)  # a word space of 3.3 pt: each word is a word of its own
    edges = [15.0]
    for word in BOX_TITLE:
        w = pdf.get_string_width(word)
        pdf.text(x, top + 5, word)
        pdf.line(x, top + 5.8, x + w, top + 5.8)
        pdf.line(x, top, x, top + 7)  # the word's underline drawn as a box reaching the frame
        pdf.line(x + w, top, x + w, top + 7)
        edges.append(x + w)
        x += w + pdf.get_string_width(" ")
    pdf.set_font("Helvetica", size=9)
    pdf.set_xy(17, top + 9)
    pdf.multi_cell(176, 5, BOX_TEXT)
    pdf.output(str(path))
    return path
