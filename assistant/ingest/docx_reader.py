"""Word (.docx) reader: paragraphs, headings and tables in document order (python-docx).

A paragraph styled "Title" or "Heading N" is a heading (Title and Heading 1 are level 2: level 1
is kept for departments); a short paragraph whose text is all bold, or set in a larger size than
the body, is a heading too. Table cells merged across columns (``gridSpan``) or down rows
(``vMerge``) leave covered positions, as in the other structured readers.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.compose import Composed, PageItems, TableItem, TextItem, compose
from assistant.ingest.grid import GridRow
from assistant.ingest.layout import vocabulary

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
#: A short all-bold paragraph (at most this many words) reads as a heading.
BOLD_HEADING_MAX_WORDS = 14
#: A paragraph set this much larger than the body text is a heading.
HEADING_SIZE_RATIO = 1.15
MAX_LEVEL = 6


def _open(path: Path):  # -> docx.document.Document
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # zipfile.BadZipFile, KeyError, PackageNotFoundError, lxml errors
        raise IngestError(f"corrupt Word file: cannot be read ({type(exc).__name__})") from exc


def _para_size(par) -> float | None:
    sizes = [r.font.size.pt for r in par.runs if r.font is not None and r.font.size is not None and r.text.strip()]
    if sizes:
        return max(sizes)
    style = par.style
    while style is not None:
        if style.font is not None and style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return None


def _level(par, body_size: float | None) -> int | None:
    name = (par.style.name if par.style is not None else "") or ""
    text = par.text.strip()
    if not text:
        return None
    if name.lower() == "title":
        return 2
    m = _HEADING_STYLE.match(name)
    if m:
        return min(int(m.group(1)) + 1, MAX_LEVEL)
    words = text.split()
    if len(words) > BOLD_HEADING_MAX_WORDS or text.endswith((".", ",", ";", ":")):
        return None
    runs = [r for r in par.runs if r.text.strip()]
    if runs and all(r.bold or (r.style is not None and r.style.font is not None and r.style.font.bold) for r in runs):
        return 3
    size = _para_size(par)
    if size and body_size and size >= body_size * HEADING_SIZE_RATIO:
        return 2
    return None


def _table_rows(tbl) -> list[GridRow]:
    """Rows of a table with merged cells as covered positions (``None``)."""
    from docx.oxml.ns import qn

    rows: list[GridRow] = []
    for tr in tbl._tbl.tr_lst:
        cells: list[str | None] = []
        covered: set[int] = set()
        for tc in tr.tc_lst:
            tcpr = tc.tcPr
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val"), "1") or 1)
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val"), "continue")
            texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
            text = "\n".join(t for t in texts if t.strip())
            if vmerge == "continue":
                for k in range(span):
                    covered.add(len(cells))
                    cells.append(None)
                continue
            cells.append(text)
            cells.extend([None] * (span - 1))
        rows.append(GridRow(cells, None, None, frozenset(covered)))
    return rows


def read_docx(path: Path) -> Composed:
    """Read a Word document into composed lines, tables and headings."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = _open(path)
    body = document.element.body
    blocks = []
    sizes: Counter[float] = Counter()
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            par = Paragraph(child, document)
            blocks.append(par)
            size = _para_size(par)
            if size:
                sizes[size] += len(par.text)
        elif tag == "tbl":
            blocks.append(Table(child, document))
    body_size = sizes.most_common(1)[0][0] if sizes else None
    items: list[TextItem | TableItem] = []
    texts: list[str] = []
    for b in blocks:
        if isinstance(b, Table):
            rows = _table_rows(b)
            texts.extend(c for r in rows for c in r.cells if c)
            items.append(TableItem(rows))
            continue
        text = b.text
        if not text.strip():
            continue
        level = _level(b, body_size)
        style = (b.style.name if b.style is not None else "") or ""
        prefix = "- " if "list" in style.lower() and not text.lstrip().startswith(("-", "•")) else ""
        for k, part in enumerate(p for p in text.split("\n") if p.strip()):
            items.append(TextItem(prefix + part.strip(), None, None, level, new_block=k == 0))
        texts.append(text)
    return compose([PageItems(1, items)], vocabulary(texts), fmt="docx", paginated=False)
