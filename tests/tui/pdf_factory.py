"""A PDF plan the TUI tests write for themselves (reportlab): prose on page 1, an action table on
page 2 and a KPI table on page 3, so that a citation lands on a page after the first. The council,
people and figures are invented."""

from __future__ import annotations

from pathlib import Path

ACTIONS = [
    ("Open a repair cafe in Larkfield market hall", "Waste Reduction Officer", "September 2025"),
    ("Resurface the cycle path along the Mill Stream", "Highways Engineer", "March 2026"),
    ("Launch a food waste collection for flats", "Recycling Manager", "June 2026"),
]
LEAD_OF_CYCLE_PATH = "Highways Engineer"
PAGE_PARAGRAPHS = 16  # prose paragraphs on pages 1 and 3: more than a screen, so a page can be scrolled to


def make_paged_plan(path: Path) -> Path:
    """Write the plan to ``path`` and return it."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=20, leading=24)
    h2 = ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=8)

    def grid(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]))
        return t

    story = [Paragraph("Larkfield Borough Council Environment Plan 2025-26", title), Spacer(1, 8)]
    story += [Paragraph(f"Paragraph {i}: Larkfield Borough Council will cut waste, improve streets and "
                        "keep residents informed about progress every quarter.", body)
              for i in range(1, PAGE_PARAGRAPHS + 1)]
    story += [PageBreak(), Paragraph("Streets and Waste", h2),
              Paragraph("Cabinet Member: Cllr Rosa Delacroix", body), Spacer(1, 6),
              grid([["Action", "Led by", "Timescale"]] + [list(a) for a in ACTIONS], [85 * mm, 50 * mm, 35 * mm]),
              PageBreak(), Paragraph("Performance Indicators", h2),
              grid([["KPI", "Latest", "Target", "RAG"], ["Household waste recycled (%)", "41%", "45%", "AMBER"]],
                   [85 * mm, 25 * mm, 25 * mm, 20 * mm])]
    story += [Paragraph(f"Note {i}: figures are for the latest quarter and are checked by the performance "
                        "team before publication.", body) for i in range(1, PAGE_PARAGRAPHS + 1)]
    SimpleDocTemplate(str(path), pagesize=A4, title="Larkfield Environment Plan").build(story)
    return path
