"""Tables given as grids of cells (PDF ruling lines, Word and HTML tables) into header and rows.

A grid cell is text (wrapped lines joined by newlines) or None where a merged cell covers that
position. From the grid, whatever its source: wrapped lines are joined, columns that a merged cell
split in some rows only are put back together, caption rows above the header are taken out, a
header written over several rows (names, then years, then units) is folded into one, and rows
of one merged cell across the table are marked as group labels.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from assistant.ingest.layout import join_wrapped

Cell = str | None

#: A header cell is a short label: at most this many words.
HEADER_MAX_WORDS = 12
#: A label merged across at least this many more columns, followed only by figures, is a group row.
GROUP_LABEL_MIN_SPAN = 2
#: A merged header cell of one header row passes its text to the columns it covers only when it is a
#: short label ("2025-26" over two columns); a longer one (a KPI card's title) names its first column.
INHERIT_MAX_WORDS = 4
#: Cells of a sub-header row (years, units, value words) have at most this many words.
SUBHEADER_MAX_WORDS = 4

_UNIT_CELL = re.compile(
    r"^\s*(\(?£\s*'?\s*0{3}'?s?\)?|\(?£\s*(m|k|bn|million)\)?|£|%|\(£\)|no\.?|number|"
    r"(fy\s*)?(19|20)\d{2}(\s*[-/–]\s*\d{2,4})?|year\s*\d+|yr\s*\d+|q[1-4]\b.*|quarter\s*\d.*|"
    r"(actual|latest|target|estimate|forecast|budget|outturn|baseline|previous|current|floor|rag|status|"
    r"change|variance|trend|dot)(\s+rating)?)\s*$", re.I)
#: A money unit or a bare "%" at the start of a cell, alone or before a figure: the last line of a
#: header that fell below the header's ruling line ("£m" over a value column).
_UNIT_FRAGMENT = re.compile(r"^\s*(\(?£\s*(m|k|bn|'?000'?s?)\)?|%)(?=\s*$|\s+[-–(£]*\s*[\d,]*\.?\d)", re.I)
_NUMERIC = re.compile(r"^[-–(£]*\s*[\d,.]+\s*[)%mk]?$", re.I)


@dataclass
class GridRow:
    """One row of a grid and where it sits (page and box, when known)."""

    cells: list[Cell]
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    covered_above: frozenset[int] = frozenset()  # positions covered by a taller cell of a row above


@dataclass
class GridTable:
    """A grid read as captions, header and body."""

    captions: list[str]
    header: tuple[str, ...]
    header_rows: list[GridRow]
    body: list[tuple[GridRow, bool]]  # (row with joined cell texts, spans the whole table)
    headerless: bool = False
    columns: int = 0
    col_x: list[float] = field(default_factory=list)  # left edges of the columns, when known


def _filled(cells: list[Cell]) -> list[str]:
    return [c for c in cells if c is not None and c.strip()]


def join_cells(rows: list[GridRow], vocab: Counter[str] | None) -> list[GridRow]:
    """Wrapped lines of every cell joined into one line (None kept)."""
    return [GridRow([None if c is None else join_wrapped(c, vocab) for c in r.cells], r.page, r.bbox)
            for r in rows]


def merge_row_fragments(rows: list[GridRow]) -> list[GridRow]:
    """Rows with positions covered by taller cells of the row above.

    When most of a row is covered, it is a fragment of the row above (a cell split by shading or by
    a ruling line drawn in one column only): its text joins that row. Otherwise it is a row of its
    own that shares the taller cell ("rowspan"), whose text it takes for those positions.
    """
    out: list[GridRow] = []
    for r in rows:
        prev = out[-1] if out else None
        under_real = prev is not None and all(
            i < len(prev.cells) and prev.cells[i] is not None for i, c in enumerate(r.cells) if c and c.strip())
        mostly_covered = len(r.covered_above) * 2 >= len(r.cells)
        if r.covered_above and prev is not None and not mostly_covered:
            cells = list(r.cells)
            for i in r.covered_above:
                if i < len(cells) and i < len(prev.cells) and prev.cells[i]:
                    cells[i] = prev.cells[i]
            out.append(GridRow(cells, r.page, r.bbox, r.covered_above))
            continue
        if r.covered_above and prev is not None and under_real:
            cells = list(prev.cells) + [None] * max(0, len(r.cells) - len(prev.cells))
            for i, c in enumerate(r.cells):
                if c is not None and c.strip():
                    cells[i] = f"{cells[i]}\n{c}" if (cells[i] or "").strip() else c
            box = prev.bbox
            if prev.bbox and r.bbox:
                box = (min(prev.bbox[0], r.bbox[0]), min(prev.bbox[1], r.bbox[1]), max(prev.bbox[2], r.bbox[2]),
                       max(prev.bbox[3], r.bbox[3]))
            out[-1] = GridRow(cells, prev.page, box, prev.covered_above)
            continue
        out.append(r)
    return out


def merge_split_columns(rows: list[GridRow], col_x: list[float] | None = None) -> tuple[list[GridRow], list[float]]:
    """Merge neighbouring columns that no row fills both of, when a merged cell covers one of them
    in some row: a cell boundary drawn in some rows only ("Shared Outcome" over two columns)."""
    width = max((len(r.cells) for r in rows), default=0)
    grid = [list(r.cells) + [None] * (width - len(r.cells)) for r in rows]
    xs = list(col_x or [])
    c = 0
    while c < width - 1:
        both = any((a or "").strip() and (b or "").strip() for a, b in ((g[c], g[c + 1]) for g in grid))
        covered = any(g[c] is None or g[c + 1] is None for g in grid)
        # a row where c is covered by a cell from the left and c + 1 starts a cell of its own with text
        # ("RAG rating" over Latest | Previous, then "DoT"), in a grid where other rows draw both cells,
        # shows a real edge between them
        edge = any(g[c] is None and (g[c + 1] or "").strip() for g in grid) and \
            any(g[c] is not None and g[c + 1] is not None for g in grid)
        if not both and covered and not edge:
            for g in grid:
                a, b = g[c], g[c + 1]
                g[c] = (a or "") + (b or "") if (a is not None or b is not None) else None
                del g[c + 1]
            if len(xs) > c + 1:
                del xs[c + 1]
            width -= 1
            continue
        c += 1
    # drop columns with no text at all
    keep = [i for i in range(width) if any((g[i] or "").strip() for g in grid)]
    out = [GridRow([g[i] for i in keep], r.page, r.bbox) for g, r in zip(grid, rows)]
    return out, [xs[i] for i in keep if i < len(xs)]


def looks_like_header(cells: list[Cell]) -> bool:
    """Short labels, not numbers: the first row of a table that names its columns."""
    filled = _filled(cells)
    if not filled:
        return False
    if any(len(c.split()) > HEADER_MAX_WORDS for c in filled):
        return False
    numeric = sum(1 for c in filled if _NUMERIC.match(c.strip()) and not _UNIT_CELL.match(c))
    return numeric == 0 and (len(filled) >= 2 or len(cells) == 1)


def is_subheader(cells: list[Cell]) -> bool:
    """Years, units or value words under a header ("2025-26", "£000s", "Latest")."""
    filled = _filled(cells)
    if not filled or any(len(c.split()) > SUBHEADER_MAX_WORDS for c in filled):
        return False
    if all(_UNIT_CELL.match(c) for c in filled):
        return True
    first_empty = not (cells[0] or "").strip()
    return first_empty and all(re.fullmatch(r"[A-Za-z][A-Za-z ./&'-]*", c.strip()) for c in filled)


def is_spanning(cells: list[Cell], covered_above: frozenset[int] = frozenset()) -> bool:
    """A group label, not a data row: one merged cell across the row, or a label merged across
    several columns followed only by its subtotals ("Other Risks (under £10m)  90.0  45.0")."""
    filled = [i for i, c in enumerate(cells) if c is not None and c.strip()]
    if len(cells) <= 1 or not filled:
        return False
    if len(filled) == 1 and any(c is None for c in cells):
        return True
    first = filled[0]
    run = 0
    for c in cells[first + 1:]:
        if c is not None:
            break
        run += 1
    across = run - len([i for i in range(first + 1, first + 1 + run) if i in covered_above])
    rest = [cells[i] for i in filled[1:]]
    return first == 0 and across >= GROUP_LABEL_MIN_SPAN and all(_NUMERIC.match((c or "").strip()) for c in rest)


def _inherit(header: list[Cell]) -> list[str]:
    """Header cells covered by a merged cell take the text of the cell that covers them."""
    out: list[str] = []
    for i, c in enumerate(header):
        if c is None and i > 0:
            out.append(out[-1])
        else:
            out.append((c or "").strip())
    return out


def read_grid(rows: list[GridRow], vocab: Counter[str] | None = None,
              col_x: list[float] | None = None) -> GridTable | None:
    """Captions, header and body of a grid; None when nothing is left."""
    rows = [r for r in merge_row_fragments(rows) if _filled(r.cells)]
    captions: list[str] = []  # lines kept apart: "Division name\nDirector: X"
    while len(rows) > 1 and max(len(r.cells) for r in rows) > 1 and is_spanning(rows[0].cells):
        captions.append(_filled(rows[0].cells)[0])
        rows = rows[1:]
    rows = join_cells(rows, vocab)
    rows, xs = merge_split_columns(rows, col_x)
    rows = [r for r in rows if _filled(r.cells)]
    if not rows:
        return None
    width = len(rows[0].cells)
    first = rows[0]
    if not looks_like_header(first.cells) or len(rows) == 1 and width > 1:
        header = tuple(f"column {i + 1}" for i in range(width))
        return GridTable(captions, header, [], [(r, is_spanning(r.cells, r.covered_above)) for r in rows], True,
                         width, xs)
    header_rows = [first]
    merged = _inherit(first.cells)
    k = 1
    while k < len(rows) and is_subheader(rows[k].cells):
        sub = _inherit(rows[k].cells) if rows[k].cells[0] is not None else [(c or "") for c in rows[k].cells]
        merged = [f"{a} {b}".strip() if b and b != a else a for a, b in zip(merged, sub)]
        header_rows.append(rows[k])
        k += 1
    if len(header_rows) == 1:  # a long label over several columns names the first only (a card's title)
        merged = [h if first.cells[i] is not None or len(h.split()) <= INHERIT_MAX_WORDS else ""
                  for i, h in enumerate(merged)]
    merged = _lift_units(rows, k, merged)
    body = [(r, is_spanning(r.cells, r.covered_above)) for r in rows[k:]]
    return GridTable(captions, tuple(re.sub(r"\s+", " ", h) for h in merged), header_rows, body, False, width, xs)


def _lift_units(rows: list[GridRow], k: int, header: list[str]) -> list[str]:
    """Units printed at the top of the first body row's cells ("£m") belong to the header: they
    go to the header of their column and out of the cell (a header fragment is never a value)."""
    if k >= len(rows):
        return header
    first = rows[k]
    cells = list(first.cells)
    out = list(header)
    for i, c in enumerate(cells):
        m = _UNIT_FRAGMENT.match(c or "") if i < len(out) else None
        if m is None:
            continue
        unit = m.group(1).strip()
        if not out[i].lower().replace(" ", "").endswith(unit.lower().replace(" ", "")):
            out[i] = f"{out[i]} {unit}".strip()
        cells[i] = (c or "")[m.end():].strip()
    if cells != list(first.cells):
        rows[k] = GridRow(cells, first.page, first.bbox, first.covered_above)
    return out


def norm_header(header: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A header compared across pages: lower case, no spaces (wrapping may differ)."""
    return tuple(re.sub(r"[\s\W_]+", "", h.lower()) for h in header)
