"""Laying out a structured document (PDF, Word, HTML) as numbered lines, with its tables and headings.

Readers of structured formats hand over pages of items in reading order: text lines (with a heading
level when fonts or styles say so) and tables as grids. The composer writes them as lines, the
same shape as a text export (a table row is one tab-separated line), and keeps for every line its
page and position. Tables become ``RawTable`` objects directly, continued across pages when the
header repeats or the columns line up. Headings come with their level; a heading followed by a
"Cabinet Member" / "Corporate Director" line, or one of several headings "<same title> ~ <name>",
names a department.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from assistant.ingest.grid import GridRow, GridTable, norm_header, read_grid
from assistant.ingest.roles import first_member, roles_in_line, split_roles
from assistant.ingest.tables import RawRow, RawTable, is_total_row
from assistant.text import fold

Box = tuple[float, float, float, float]

#: Columns of two tables line up when their left edges differ by at most this many points.
COLUMN_ALIGN_TOLERANCE = 6.0
#: How many lines below a heading a "Cabinet Member: X" line may sit to belong to it.
ROLE_LINE_REACH = 4
#: The first line of a table's caption is a sub-heading at this level (below parts and headings).
CAPTION_LEVEL = 4
CAPTION_MAX_WORDS = 15
#: Headings deeper than this never name a department.
DEPARTMENT_MAX_LEVEL = 3

ROLE_LINE = re.compile(
    r"^\s*(?P<role>(?i:cabinet members?|portfolio holders?|lead members?|corporate directors?|executive directors?|"
    r"strategic directors?|interim corporate directors?|directors?|chief executive|head of service))"
    r"\s*[:\t–-]\s*"
    r"(?P<name>(?:(?i:cllr|councillor|dr|mr|mrs|ms)\.?\s+)?[A-Z][\w.'’-]*"
    r"(?:(?:\s+|\s*,\s*|\s+&\s+|\s+and\s+)(?:(?i:cllr|councillor|dr)\.?\s+)?[A-Z][\w.'’-]*){1,8})\s*$")
MEMBER_ROLES = ("cabinet member", "portfolio holder", "lead member")
_HEADING_SEPARATOR = re.compile(r"\s*(?:~|\s[–—-]\s|:\s)\s*")
_PART = re.compile(r"^(section|appendix|annex|annexe|part|chapter|schedule)\b", re.I)


@dataclass
class TextItem:
    """One line of running text; tabs separate the cells of an unruled table."""

    text: str
    page: int | None = None
    bbox: Box | None = None
    heading: int | None = None  # heading level (1 = top) when fonts or styles say so
    furniture: bool = False  # running header or footer, page number
    new_block: bool = False  # a paragraph starts here (blank line before)


@dataclass
class TableItem:
    """A table as a grid of cells (None where a merged cell covers the position)."""

    rows: list[GridRow]
    page: int | None = None
    bbox: Box | None = None
    col_x: list[float] | None = None
    furniture: bool = False  # repeated on every page (a running total, a banner)
    col_x1: list[float] | None = None  # right edges of the columns, when known


@dataclass
class PageItems:
    """The items of one page in reading order."""

    number: int
    items: list[TextItem | TableItem] = field(default_factory=list)
    has_text: bool = True


@dataclass(frozen=True)
class PageSpan:
    """Lines of one page (1-based, inclusive)."""

    number: int
    line_start: int
    line_end: int


@dataclass(frozen=True)
class HeadingMark:
    """A heading found from structure: its line, level, text, and department/member it names."""

    line: int
    level: int
    text: str
    department: str | None = None
    member: str | None = None


@dataclass
class Composed:
    """A structured document as lines, with tables, headings and pages."""

    lines: list[str] = field(default_factory=list)
    line_pages: list[int | None] = field(default_factory=list)
    line_boxes: list[Box | None] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    headings: list[HeadingMark] = field(default_factory=list)
    pages: list[PageSpan] = field(default_factory=list)
    empty_pages: list[int] = field(default_factory=list)
    table_lines: set[int] = field(default_factory=set)
    table_columns: dict[int, list[float]] = field(default_factory=dict)  # id(table) -> column edges


class _Writer:
    def __init__(self, vocab: Counter[str] | None) -> None:
        self.out = Composed()
        self.vocab = vocab
        self.last_table: RawTable | None = None
        self.last_grid: GridTable | None = None
        self.last_page: int | None = None
        self.content_since_table = False
        self.last_heading: str | None = None
        # a table's total line drawn as a table of its own (above the header on every page, or
        # below the table): its cells with their left edges, page, box and text line
        self.pending_total: tuple[list[str], list[float], int | None, Box | None, int] | None = None
        self.attached: set[int] = set()  # ids of the total rows joined to a table from outside it

    # ------------------------------------------------------------------ lines
    def line(self, text: str, page: int | None, bbox: Box | None = None) -> int:
        self.out.lines.append(text)
        self.out.line_pages.append(page)
        self.out.line_boxes.append(bbox)
        return len(self.out.lines)

    def blank(self, page: int | None) -> None:
        if self.out.lines and self.out.lines[-1].strip():
            self.line("", page)

    def text(self, item: TextItem) -> None:
        if item.new_block:
            self.blank(item.page)
        n = self.line(item.text, item.page, item.bbox)
        if item.furniture:
            return
        if item.heading is not None and item.text.strip():
            key = re.sub(r"\W+", "", item.text.lower())
            if key == self.last_heading:
                return  # a running title repeated on every page of a section
            self.last_heading = key
            self.out.headings.append(HeadingMark(n, item.heading, re.sub(r"\s+", " ", item.text).strip()))
            if self.last_table is not None:
                self.content_since_table = True
            return
        if item.text.strip():
            self.content_since_table = True

    # ------------------------------------------------------------------ tables
    def table(self, item: TableItem) -> None:
        grid = read_grid(item.rows, self.vocab, item.col_x)
        if grid is None:
            return
        if is_total_line(grid):
            self._total_line(grid, item)
            return
        if item.furniture:
            for row in [*grid.header_rows, *(r for r, _ in grid.body)]:
                self.text(TextItem("\t".join(c or "" for c in row.cells).strip("\t"), row.page, row.bbox, furniture=True))
            return
        if grid.columns <= 1 or is_prose_grid(grid) or (grid.headerless and len(grid.body) == 1 and not self._continues(grid, item)):
            self._as_text(grid, item)
            return
        self.blank(item.page)
        for cap in grid.captions:
            parts = [p.strip() for p in cap.split("\n") if p.strip()]
            for k, part in enumerate(parts):
                # the first line of a caption names the table: a sub-heading (never a department)
                level = CAPTION_LEVEL if k == 0 and len(part.split()) <= CAPTION_MAX_WORDS and \
                    not ROLE_LINE.match(part) else None
                self.text(TextItem(part, item.page, item.bbox, heading=level))
        if self._continues(grid, item):
            self._append(grid, item)
        else:
            self._new(grid, item)
        self.last_grid = grid if not grid.headerless or self.last_grid is None else self.last_grid
        self.last_page = item.page
        self.content_since_table = False
        if self.pending_total is not None and self.last_table is not None and self.pending_total[2] == item.page:
            if self._attach_total(self.last_table, list(grid.col_x), self.pending_total):
                self.pending_total = None

    def _total_line(self, grid: GridTable, item: TableItem) -> None:
        """A table's total line drawn as a one-row table: kept as a text line, and as the total row
        of the table it lines up with (the one just above on the same page, else the next one), once."""
        cells = [(c or "").replace("\t", " ").strip() for c in grid.body[0][0].cells]
        self.blank(item.page)
        n = self.line("\t".join(c for c in cells if c), item.page, item.bbox)  # not content: a table may go on
        if self.last_table is not None and _has_total(self.last_table, cells):
            return  # repeated on every page: stored once
        lefts, rights = list(item.col_x or []), list(item.col_x1 or [])
        if len(lefts) != len(cells) or len(rights) != len(cells):
            lefts = rights = []
        pending = (cells, [(a + b) / 2 for a, b in zip(lefts, rights)], item.page, item.bbox, n)
        last = self.last_table
        if last is not None and self.last_page == item.page and not self.content_since_table and \
                self._attach_total(last, self.out.table_columns.get(id(last), []), pending):
            return
        self.pending_total = pending

    def _attach_total(self, table: RawTable, xs: list[float],
                      pending: tuple[list[str], list[float], int | None, Box | None, int]) -> bool:
        """Add a total line to ``table`` when its cells fall in distinct columns of the table
        (``pending`` holds each cell's horizontal centre)."""
        cells, cxs, page, bbox, n = pending
        if len(xs) != len(table.header) or len(cxs) != len(cells) or table.page_end not in (None, page):
            return False
        if _has_total(table, cells):
            return True
        placed = [""] * len(table.header)
        for c, x in zip(cells, cxs):  # each cell goes to the column its centre falls in
            if not c:
                continue
            cols = [i for i in range(len(xs)) if xs[i] - COLUMN_ALIGN_TOLERANCE <= x]
            if not cols or placed[cols[-1]]:
                return False  # not this table's columns: the line stays text only
            placed[cols[-1]] = c
        row = RawRow(len(table.rows), tuple(placed), n, n, self.out.lines[n - 1], total=True, page=page, bbox=bbox)
        table.rows.append(row)
        self.attached.add(id(row))
        return True

    def finish(self) -> None:
        """Total lines joined from outside a table go after its rows (they sum all of them)."""
        for table in self.out.tables:
            moved = [r for r in table.rows if id(r) in self.attached]
            if moved:
                rows = [r for r in table.rows if id(r) not in self.attached] + moved
                table.rows = [replace(r, index=i) for i, r in enumerate(rows)]

    def _continues(self, grid: GridTable, item: TableItem) -> bool:
        prev, prev_grid = self.last_table, self.last_grid
        if prev is None or prev_grid is None or self.content_since_table or item.page == self.last_page:
            return False
        if not grid.headerless:
            first = norm_header(tuple(c or "" for c in grid.header_rows[0].cells)) if grid.header_rows else ()
            prev_first = norm_header(prev.header_lines[0]) if prev.header_lines else ()
            return norm_header(grid.header) == norm_header(prev.header) or (bool(first) and first == prev_first)
        if grid.columns != len(prev.header):
            return False
        xs, pxs = grid.col_x, self.out.table_columns.get(id(prev), [])
        if xs and pxs and len(xs) == len(pxs):
            return all(abs(a - b) <= COLUMN_ALIGN_TOLERANCE for a, b in zip(xs, pxs))
        return not xs or not pxs

    def _row_line(self, row: GridRow, spanning: bool) -> tuple[tuple[str, ...], str, int]:
        cells = tuple((c or "").replace("\t", " ").strip() for c in row.cells)
        filled = [c for c in cells if c]
        text = filled[0] if spanning and len(filled) == 1 else "\t".join(cells)
        n = self.line(text, row.page, row.bbox)
        self.out.table_lines.add(n)
        return cells, text, n

    def _header_lines(self, grid: GridTable) -> list[tuple[str, ...]]:
        out = []
        for r in grid.header_rows:
            cells = tuple((c or "").replace("\t", " ").strip() for c in r.cells)
            n = self.line("\t".join(cells), r.page, r.bbox)
            self.out.table_lines.add(n)
            out.append(cells)
        return out

    def _new(self, grid: GridTable, item: TableItem) -> None:
        start = len(self.out.lines) + 1
        header_lines = self._header_lines(grid)
        table = RawTable(item_format(item), grid.header, start, max(start, len(self.out.lines)),
                         tuple(header_lines), headerless=grid.headerless)
        table.caption = " ".join(grid.captions) or None
        table.page_start = table.page_end = item.page
        self._rows(table, grid, after_break=False)
        if not table.rows and not header_lines:
            return
        self.out.tables.append(table)
        self.out.table_columns[id(table)] = list(grid.col_x)
        self.last_table = table

    def _append(self, grid: GridTable, item: TableItem) -> None:
        table = self.last_table
        assert table is not None
        self._header_lines(grid)  # the repeated header stays in the text, not among the rows
        self._rows(table, grid, after_break=True)
        table.page_end = item.page

    def _rows(self, table: RawTable, grid: GridTable, after_break: bool) -> None:
        first = True
        labels = {r.raw_text for r in table.rows if r.spanning}
        for row, spanning in grid.body:
            if after_break and spanning and first and _label_text(row) in labels:
                continue  # a group label repeated at the top of the next page: no new group starts
            total = is_total_row(row.cells)
            cells, text, n = self._row_line(row, spanning and not total)
            width = max(len(table.header), len(cells))
            cells = cells + ("",) * (width - len(cells))
            table.rows.append(RawRow(len(table.rows), cells, n, n, text, after_break and first,
                                     spanning=spanning and not total, page=row.page, bbox=row.bbox, total=total))
            table.line_end = n
            first = False

    def _as_text(self, grid: GridTable, item: TableItem) -> None:
        """A one-column grid (a framed box) or a single row: its text as lines."""
        self.blank(item.page)
        for cap in grid.captions:
            self.text(TextItem(cap, item.page, item.bbox))
        sep = " " if is_prose_grid(grid) else "\t"
        for r in grid.header_rows:
            self.text(TextItem(sep.join(c for c in r.cells if c and c.strip()), r.page, r.bbox))
        for row, _ in grid.body:
            for part in sep.join(c for c in row.cells if c and c.strip()).split("\n"):
                if part.strip():
                    self.text(TextItem(part.strip(), row.page, row.bbox))
        self.blank(item.page)


def _has_total(table: RawTable, cells: list[str]) -> bool:
    """Whether the table already holds this total line (the same figures)."""
    mine = [c for c in cells if c]
    return any(r.total and [c for c in r.cells if c] == mine for r in table.rows)


def is_total_line(grid: GridTable) -> bool:
    """A one-row table that is only a total line ("TOTAL £m | 345.0 | 290.0")."""
    return grid.headerless and len(grid.body) == 1 and not grid.header_rows and is_total_row(grid.body[0][0].cells)


def _label_text(row: GridRow) -> str:
    filled = [(c or "").strip() for c in row.cells if (c or "").strip()]
    return filled[0] if len(filled) == 1 else "\t".join((c or "").strip() for c in row.cells)


def item_format(item: TableItem) -> str:
    return "grid"


#: A grid whose cells are mostly single lower-case words is justified prose drawn in a box.
PROSE_GRID_MIN_CELLS = 10
PROSE_GRID_WORD_SHARE = 0.5


def is_prose_grid(grid: GridTable) -> bool:
    """Whether a 'table' is really a paragraph whose words each landed in a cell of their own."""
    cells = [c for r in [*grid.header_rows, *(r for r, _ in grid.body)] for c in r.cells if c and c.strip()]
    if len(cells) < PROSE_GRID_MIN_CELLS:
        return False
    words = sum(1 for c in cells if re.fullmatch(r"[a-z][a-z’'-]*[,.;]?", c.strip()))
    return words / len(cells) >= PROSE_GRID_WORD_SHARE


def compose(pages: list[PageItems], vocab: Counter[str] | None = None, fmt: str = "grid",
            paginated: bool = True) -> Composed:
    """Write pages of items as numbered lines; collect tables, headings and page spans
    (``paginated=False`` for formats without pages: no spans, no page per line)."""
    w = _Writer(vocab)
    for page in pages:
        start = len(w.out.lines) + 1
        if w.out.lines:
            w.blank(page.number)
        if not page.has_text:
            w.out.empty_pages.append(page.number)
        for item in page.items:
            if isinstance(item, TableItem):
                w.table(item)
            else:
                w.text(item)
        end = len(w.out.lines)
        if paginated:
            w.out.pages.append(PageSpan(page.number, start, max(start, end) if end >= start else start))
    w.finish()
    if not paginated:
        w.out.line_pages = [None] * len(w.out.lines)
        w.out.empty_pages = []
    for t in w.out.tables:
        t.format = fmt
    w.out.headings = mark_departments(w.out.headings, w.out.lines)
    return w.out


def mark_departments(headings: list[HeadingMark], lines: list[str]) -> list[HeadingMark]:
    """Headings that name a department or portfolio become level 1, with the member named.

    Two generic signs: a role line right below the heading ("Cabinet Member: Dylan Jeffrey",
    "Corporate Director: Richard Smith"), and a title shared by several headings with a different
    name after a separator ("Proposed Priorities ~ CYPE", "Proposed Priorities ~ Public Health").
    """
    prefixes = Counter()
    split: dict[int, tuple[str, str]] = {}
    for h in headings:
        parts = _HEADING_SEPARATOR.split(h.text, maxsplit=1)
        if h.level > DEPARTMENT_MAX_LEVEL or ROLE_LINE.match(h.text) or _PART.match(h.text):
            continue  # "Appendix G - X" is a part of the document, "Director: Y" a role
        if len(parts) == 2 and parts[0].strip() and parts[1].strip() and len(parts[1].split()) <= 8:
            key = re.sub(r"\W+", " ", parts[0].lower()).strip()
            split[h.line] = (key, parts[1].strip())
            prefixes[key] += 1
    out: list[HeadingMark] = []
    for k, h in enumerate(headings):
        if h.level > DEPARTMENT_MAX_LEVEL or ROLE_LINE.match(h.text):
            out.append(h)
            continue
        title, pairs = split_roles(h.text)
        if title and first_member(pairs):  # "Public Health Cabinet Member Dan Watkins Director Anjan Ghosh"
            out.append(HeadingMark(h.line, 1, title, title, first_member(pairs)))
            continue
        nxt = next((g.line for g in headings[k + 1:] if g.level <= DEPARTMENT_MAX_LEVEL), len(lines) + 1)
        role = _role_below(lines, h.line, min(nxt, h.line + ROLE_LINE_REACH + 1))
        if role:
            member = role[1] if role[0].lower().rstrip("s") in MEMBER_ROLES else None
            out.append(HeadingMark(h.line, 1, h.text, _strip_role(h.text), member))
            continue
        if h.line in split and prefixes[split[h.line][0]] >= 2:
            prefix = split[h.line][0]
            if any(re.sub(r"\W+", " ", (d.department or "").lower()).strip() == prefix for d in out if d.level == 1):
                out.append(h)  # "Customer Services – Call Activity": a topic of a department named before
                continue
            out.append(HeadingMark(h.line, 1, h.text, split[h.line][1], None))
            continue
        out.append(h)
    return _named_again(out)


def _department_key(text: str) -> str:
    """A department's name for comparing headings: folded, "Dept." written out, its bracketed initials
    dropped ("Chief Executive's Dept. (CED)" is "chief executive department")."""
    text = re.sub(r"\s*\([A-Z&]{2,8}\)\s*$", "", text)
    return re.sub(r"\bdept\b\.?", "department", fold(text)).rstrip(".").strip()


def _named_again(headings: list[HeadingMark]) -> list[HeadingMark]:
    """A heading that repeats the name of a department a heading names elsewhere opens that department
    too: a budget book's overview page "Children, Young People & Education (CYPE)" before the pages of
    its tables under "Children, Young People & Education" (with the director's line) is not a topic of
    the department printed before it."""
    names = {_department_key(h.department): h.department for h in headings if h.level == 1 and h.department}
    out = []
    for h in headings:
        name = names.get(_department_key(h.text)) if 1 < h.level <= DEPARTMENT_MAX_LEVEL else None
        out.append(HeadingMark(h.line, 1, h.text, name, None) if name else h)
    return out


def _strip_role(text: str) -> str:
    return re.sub(r"\s*[-–:]\s*(cllr|councillor)\b.*$", "", text, flags=re.I).strip()


def _role_below(lines: list[str], line: int, stop: int) -> tuple[str, str] | None:
    """The first role line ("Cabinet Member: X") in the lines after a heading."""
    for i in range(line, min(stop, len(lines) + 1) - 1):
        text = lines[i].strip()
        if not text:
            continue
        m = ROLE_LINE.match(text.replace("\t", ": ", 1))
        if m:
            return m.group("role").lower(), m.group("name").strip()
        pairs = roles_in_line(text)  # "Cabinet Member Dan Watkins Director Anjan Ghosh", no colon
        if pairs:
            best = next((p for p in pairs if p.is_member), pairs[0])
            return best.role, best.name
    return None
