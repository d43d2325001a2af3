"""A part's share of its table's total: "borrowing as a % of capital financing in 2025-26", "what share
of the whole programme is funded by grants?".

The part is one cell, found like any other (cells.CellIndex); the whole is the first total row below it
in the same table ("Total Finance" under the rows "Funded By:" lists), in the same column. A table with
no total row below the part, or a part that is itself a total, gives no share.
"""

from __future__ import annotations

import re

from assistant.ingest.normalise import parse_money
from assistant.router.cells import Cell, CellIndex, TableRow

#: Words asking what share of a whole a part is.
ASKS_SHARE = re.compile(r"\b(?:what|which) (?:share|proportion|percentage|fraction|per ?cent|%) of\b|"
                        r"\bas an? (?:%|percentage|share|proportion|per ?cent|fraction) of\b|\bwhat %|"
                        r"\bwhat (?:share|proportion|percentage|fraction)\b|\b(?:%|percentage|share|proportion) "
                        r"of (?:the )?(?:whole|total|entire|overall)\b")
#: Words for the whole a share is of: its table's total column when no year is asked.
_WHOLE = re.compile(r"\b(?:whole|entire|overall|all of)\b")
#: The share words themselves, which name no row or column.
_SHARE_WORDS = re.compile(r"\b(?:what|which) (?:share|proportion|percentage|fraction|per ?cent)\b|%|"
                          r"\b(?:as an?|share|proportion|percentage|fraction|per ?cent)\b")
#: A cell that is a figure, not a name ("15", "-1,429,506.8", "(2,500)").
_FIGURE = re.compile(r"[-–(]?[£]?[\d.,\s]+%?\)?")


def asks_share(lower: str) -> bool:
    """Whether a (lower-case) question asks what share of a whole something is."""
    return bool(ASKS_SHARE.search(lower))


def share_query(text: str) -> str:
    """The question as the cell index reads it: the share words out, "the whole programme" its total."""
    return _SHARE_WORDS.sub(" ", _WHOLE.sub("total", text))


def total_below(index: CellIndex, cell: Cell) -> TableRow | None:
    """The first total row after the cell's row in its table (None when the part is itself a total)."""
    if cell.row.is_total:
        return None
    rows = [r for r in index.rows if r.table_id == cell.row.table_id and r.kind == "table"]
    after = [r for r in rows if r.line_start > cell.row.line_start or
             (r.line_start == cell.row.line_start and r.row_index > cell.row.row_index)]
    return next((r for r in sorted(after, key=lambda r: (r.line_start, r.row_index)) if r.is_total), None)


def row_name(row: TableRow) -> str:
    """A total row's name: its first cell that is not a figure ("Total Finance", not "15" or "-1,429.5")."""
    return next((c.strip() for c in row.cells if c.strip() and not _FIGURE.fullmatch(c.strip())), "the total")


def share_sentence(cell: Cell, total: TableRow) -> str | None:
    """"Borrowing is 16.0% of Total Finance (2025-26 Year 1 £000s: 45,168 of 282,851)."; None when either
    cell holds no number or the whole is not above zero (both below it: the shares of an income)."""
    part, whole = parse_money(cell.value), parse_money(total.cells[cell.column])
    if part is not None and whole is not None and whole < 0 and part <= 0:
        part, whole = -part, -whole   # income written as negative figures ("-149,107.7" of "-466,188.1")
    if part is None or whole is None or whole <= 0:
        return None
    name = row_name(total)
    header = " ".join(cell.header.split())
    return f"{cell.label} is {100 * part / whole:.1f}% of {name} ({header}: {cell.value.strip()} of " \
        f"{total.cells[cell.column].strip()})."
