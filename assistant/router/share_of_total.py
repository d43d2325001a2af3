"""A part's share of a whole: "borrowing as a % of capital financing in 2025-26", "what share of the
whole programme is funded by grants?", "what % of total borrowing was spent in prior years?".

The part is one cell, found like any other (cells.CellIndex). The whole is either
- the row's own total column ("Total Cost"), when the question's whole says "total" and its part names
  another column of the row ("... was spent in prior years": "Prior Years Spend"); or
- the table's total row in the same column: the first below the part ("Total Finance" under the rows
  "Funded By:" lists), else the last above it (a register's "TOTAL £m" printed over its rows).
A part that is itself a total row has no total row for a whole.
"""

from __future__ import annotations

import re

from assistant.ingest.normalise import parse_money
from assistant.router.cells import UNIT_WORDS, Cell, CellIndex, TableRow, header_name
from assistant.text import terms

#: Words asking what share of a whole a part is.
ASKS_SHARE = re.compile(r"\b(?:what|which) (?:share|proportion|percentage|fraction|per ?cent|%) of\b|"
                        r"\bas an? (?:%|percentage|share|proportion|per ?cent|fraction) of\b|\bwhat %|"
                        r"\bwhat (?:share|proportion|percentage|fraction)\b|\b(?:%|percentage|share|proportion) "
                        r"of (?:the )?(?:whole|total|entire|overall)\b|"
                        # "how much of the year 4 cash limit is CYPE, as a percentage?"
                        r"\bhow much of\b.*\bas an? (?:%|percentage|share|proportion|per ?cent|fraction)\s*[?.!]*$")
#: Words for the whole a share is of: its table's total column when no year is asked.
_WHOLE = re.compile(r"\b(?:whole|entire|overall|all of)\b")
#: The share words themselves, which name no row or column.
_SHARE_WORDS = re.compile(r"\bhow much of\b|\b(?:what|which) (?:share|proportion|percentage|fraction|per ?cent)\b|%|"
                          r"\b(?:as an?|share|proportion|percentage|fraction|per ?cent)\b")
#: A cell that is a figure, not a name ("15", "-1,429,506.8", "(2,500)").
_FIGURE = re.compile(r"[-–(]?[£]?[\d.,\s]+%?\)?")
#: A column holding each row's own whole ("Total Cost £000s", "Total").
_TOTAL_COLUMN = re.compile(r"^\s*total\b", re.IGNORECASE)
#: "what share of <whole> was <part>" and "<part> as a % of <whole>".
_SHARE_OF = re.compile(r"(?:\b(?:share|proportion|percentage|fraction|per ?cent)|%) of (?P<whole>.+?) (?:is|was|are|were|"
                       r"has|have|went|goes|go|did|does|do)\b(?P<part>.+)$")
_HOW_MUCH_OF = re.compile(r"\bhow much of (?P<whole>.+?) (?:is|was|are|were|goes to|went to) (?P<part>.+?),?\s*as an? "
                         r"(?:%|percentage|share|proportion|per ?cent|fraction)\s*[?.!]*$")
_AS_SHARE_OF = re.compile(r"^(?P<part>.+?)\bas an? (?:%|percentage|share|proportion|per ?cent|fraction) of "
                          r"(?P<whole>.+)$")
#: Words saying a whole is a total.
_SAYS_TOTAL = re.compile(r"\b(?:total|whole|entire|overall)\b")
#: Words of a header that say its period, not what its figures are ("2026-27 Year 2 £000s").
_HEADER_PERIOD_WORDS = frozenset(terms("year years yr quarter quarters month months"))
#: A header is named in the part when the part says at least this share of its words ("spent in prior
#: years" says two of "Prior Years Spend": "spent" is not "spend").
PART_HEADER_SAID = 0.5


def asks_share(lower: str) -> bool:
    """Whether a (lower-case) question asks what share of a whole something is."""
    return bool(ASKS_SHARE.search(lower))


def share_query(text: str, whole: bool = True) -> str:
    """The question as the cell index reads it: the share words out, "the whole programme" its total
    (`whole`: the word that may name a total column or row is kept, else it is left out too)."""
    text = _SHARE_WORDS.sub(" ", _WHOLE.sub("total", text))
    return text if whole else _SAYS_TOTAL.sub(" ", text)


def total_below(index: CellIndex, cell: Cell) -> TableRow | None:
    """The first total row after the cell's row in its table, else a total printed at the table's head,
    before any row it adds up ("TOTAL £m" over a register), with a figure in the cell's column; a total
    after other rows adds up those ("Grants" under "Funded By:" is no part of the "Total Cash Limit"
    above it). None when the part is itself a total."""
    row = cell.row
    if row.is_total:
        return None
    rows = sorted((r for r in index.rows if r.table_id == row.table_id and r.kind == "table"),
                  key=lambda r: (r.line_start, r.row_index))
    place = (row.line_start, row.row_index)
    after = next((r for r in rows if r.is_total and (r.line_start, r.row_index) > place), None)
    if after is not None:
        return after
    head = next((r for r in rows if not r.is_total), None)
    return next((r for r in rows if r.is_total and head is not None and (r.line_start, r.row_index) <
                 (head.line_start, head.row_index) and cell.column < len(r.cells)
                 and parse_money(r.cells[cell.column]) is not None), None)


def whole_and_part(lower: str) -> tuple[str, str] | None:
    """The words naming the whole and the part of a share question, or None when they cannot be told apart."""
    m = _SHARE_OF.search(lower) or _AS_SHARE_OF.search(lower) or _HOW_MUCH_OF.search(lower)
    return (m.group("whole"), m.group("part")) if m else None


def own_total_columns(lower: str, row: TableRow) -> tuple[int, int] | None:
    """(part column, whole column) when the share asked is of another column of the same row: the whole
    names a column by its header ("what share of ... total gross is staffing": Gross Expenditure), or says
    "total" of a row with a total column ("what % of total borrowing was spent in prior years": Total
    Cost); the part names another of its columns by header."""
    split = whole_and_part(lower)
    if split is None:
        return None
    whole = _column_said(set(terms(split[0])), row, skip=None)
    if whole is None:
        totals = [i for i, h in enumerate(row.header) if _TOTAL_COLUMN.match(h)]
        if not totals or not _SAYS_TOTAL.search(split[0]):
            return None
        whole = totals[0]
    part = _column_said(set(terms(split[1])), row, skip=whole)
    return (part, whole) if part is not None else None


def _column_said(said: set[str], row: TableRow, skip: int | None) -> int | None:
    """The column (other than `skip`) holding a figure whose header's words (less units) `said` says the
    largest share of, at least PART_HEADER_SAID, counted with its years ("spent in 2025-26": "2025-26 Year 1")
    or without them ("gross": "2025-26 Gross Expenditure"); None when none does."""
    best: tuple[float, int] | None = None
    for j, header in enumerate(row.header):
        words = set(terms(header_name(header))) - UNIT_WORDS
        named = {t for t in words if not t[:1].isdigit() and t not in _HEADER_PERIOD_WORDS}
        if j == skip or not words or j >= len(row.cells) or parse_money(row.cells[j]) is None:
            continue
        share = max(len(words & said) / len(words), len(named & said) / len(named) if named else 0.0)
        if share >= PART_HEADER_SAID and (best is None or share > best[0]):
            best = (share, j)
    return best[1] if best is not None else None


def row_name(row: TableRow) -> str:
    """A total row's name: its first cell that is not a figure ("Total Finance", not "15" or "-1,429.5")."""
    return next((c.strip() for c in row.cells if c.strip() and not _FIGURE.fullmatch(c.strip())), "the total")


def _percent(part_text: str, whole_text: str) -> float | None:
    """The part as a percentage of the whole; None when either holds no number or the whole is not
    above zero (both below it: the shares of an income)."""
    part, whole = parse_money(part_text), parse_money(whole_text)
    if part is not None and whole is not None and whole < 0 and part <= 0:
        part, whole = -part, -whole   # income written as negative figures ("-149,107.7" of "-466,188.1")
    elif part is not None and whole is not None and part < 0 < whole:
        part = -part   # an income written negative against a gross spend ("-1,373.9" of "5,173.6")
    if part is None or whole is None or whole <= 0:
        return None
    return 100 * part / whole


def share_sentence(cell: Cell, total: TableRow) -> str | None:
    """"Borrowing is 16.0% of Total Finance (2025-26 Year 1 £000s: 45,168 of 282,851)."; None when
    no share can be given (_percent)."""
    percent = _percent(cell.value, total.cells[cell.column])
    if percent is None:
        return None
    header = " ".join(cell.header.split())
    return f"{cell.label} is {percent:.1f}% of {row_name(total)} ({header}: {cell.value.strip()} of " \
        f"{total.cells[cell.column].strip()})."


def own_share_sentence(row: TableRow, label: str, part: int, total: int) -> str | None:
    """"Borrowing: Prior Years Spend £000s 74,486 is 16.9% of its Total Cost £000s 441,101."; None when
    no share can be given (_percent)."""
    percent = _percent(row.cells[part], row.cells[total])
    if percent is None:
        return None
    return f"{label}: {' '.join(row.header[part].split())} {row.cells[part].strip()} is {percent:.1f}% of its " \
        f"{' '.join(row.header[total].split())} {row.cells[total].strip()}."
