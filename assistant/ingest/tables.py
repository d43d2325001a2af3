"""Finding tables in text: tab-separated blocks, markdown pipe tables and CSV files.

Logical tables are rebuilt from page-broken exports: a header repeated at a page break is merged
into the table above, a headerless block right after a table continues it, and a second header
line of periods or units ("\t2017-18\t2018-19") is folded into the header.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace

from assistant.ingest.classify import is_header_line

_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_SUBHEADER_CELL = re.compile(
    r"^\s*(\(?£'?0*\)?|\(£\)|£|%|(19|20)\d{2}\s*[-/–]\s*\d{2,4}|(19|20)\d{2}|q[1-4].*|"
    r"actual|latest|target|estimate|forecast|budget|outturn)\s*$", re.I)


@dataclass(frozen=True)
class RawRow:
    """One data line of a table, cells as written."""

    index: int
    cells: tuple[str, ...]
    line_start: int
    line_end: int
    raw_text: str
    after_break: bool = False  # first row after a page-break header repeat or gap
    spanning: bool = False  # one merged cell across the table: a group label (structured formats)
    page: int | None = None  # PDF page of the row
    bbox: tuple[float, float, float, float] | None = None  # position on the page (points)
    total: bool = False  # the table's printed total line ("TOTAL £m 345.0 290.0"), not a data row


#: A row whose label starts with Total, with figures beside it, is the table's total.
TOTAL_LABEL = re.compile(r"^\s*(grand\s+)?total\b", re.I)
_FIGURE = re.compile(r"^[-–(£]*\s*[\d,]*\.?\d+\s*[)%mk]?$", re.I)


def is_total_row(cells: list[str | None] | tuple[str, ...]) -> bool:
    """A row labelled Total (its first filled cell that is not a figure: a row reference may come
    first) with at least one figure after the label."""
    filled = [(c or "").strip() for c in cells if (c or "").strip()]
    label = next((i for i, c in enumerate(filled) if not _FIGURE.match(c)), None)
    if label is None or not TOTAL_LABEL.match(filled[label]):
        return False
    return any(_FIGURE.match(c) for c in filled[label + 1:])


def mark_totals(table: "RawTable") -> None:
    """Flag the total lines of a table read from text (structured readers flag their own)."""
    table.rows = [replace(r, total=True) if not r.total and not r.spanning and is_total_row(r.cells) else r
                  for r in table.rows]


@dataclass
class RawTable:
    """A logical table: its header (possibly two lines merged) and all its data rows."""

    format: str
    header: tuple[str, ...]
    line_start: int
    line_end: int
    header_lines: tuple[str, ...] = ()
    rows: list[RawRow] = field(default_factory=list)
    headerless: bool = False
    ragged: list[int] = field(default_factory=list)  # line numbers with more cells than the header
    caption: str | None = None  # title rows above the header (structured formats)
    page_start: int | None = None
    page_end: int | None = None

    def add_row(self, cells: tuple[str, ...], line_no: int, raw: str, after_break: bool = False) -> None:
        if len([c for c in cells[len(self.header):] if c.strip()]) > 0:
            self.ragged.append(line_no)
        width = max(len(self.header), len(cells))
        cells = tuple(cells) + ("",) * (width - len(cells))
        self.rows.append(RawRow(len(self.rows), cells, line_no, line_no, raw, after_break))
        self.line_end = max(self.line_end, line_no)


def split_tsv(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in line.split("\t"))


def split_markdown(line: str) -> tuple[str, ...]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return tuple(c.strip() for c in re.split(r"(?<!\\)\|", body))


def is_markdown_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2


def is_separator(cells: tuple[str, ...]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_SEPARATOR_CELL.match(c) for c in filled)


def _is_subheader(cells: tuple[str, ...]) -> bool:
    """A second header line: empty first cell and only periods/units/value words after it."""
    if not cells or cells[0].strip():
        return False
    filled = [c for c in cells[1:] if c.strip()]
    return bool(filled) and all(_SUBHEADER_CELL.match(c) for c in filled)


def _merge_header(top: tuple[str, ...], sub: tuple[str, ...]) -> tuple[str, ...]:
    width = max(len(top), len(sub))
    top = top + ("",) * (width - len(top))
    sub = sub + ("",) * (width - len(sub))
    return tuple(f"{a} {b}".strip() for a, b in zip(top, sub))


def _norm(cells: tuple[str, ...]) -> tuple[str, ...]:
    out = [re.sub(r"\s+", " ", c).strip().lower() for c in cells]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


@dataclass(frozen=True)
class _Block:
    format: str
    start: int  # 1-based line number of first line
    lines: tuple[tuple[int, str, tuple[str, ...]], ...]  # (line_no, raw, cells)


#: Rows written "a | b | c" without a leading pipe need this many consecutive lines to be a table.
MIN_PIPE_LINES = 2
#: Columns aligned with spaces: at least this many consecutive lines, cells separated by two or
#: more spaces, and this share of the rows starting every cell where a header cell starts.
MIN_ALIGNED_LINES = 3
ALIGNED_SHARE = 0.67
ALIGN_SLACK = 2  # characters a cell may start left or right of its column
ALIGNED_CELL_MAX_WORDS = 12
_PIPE_ROW = re.compile(r"\S\s*\|\s*\S")
_GAP = re.compile(r"\S( {2,})(?=\S)")


def _pipe_cells(line: str) -> tuple[str, ...] | None:
    """Cells of 'a | b | c' (no leading pipe), or None."""
    s = line.strip()
    if not s or s.startswith("|") or "\t" in s or not _PIPE_ROW.search(s):
        return None
    return tuple(c.strip() for c in re.split(r"(?<!\\)\|", s))


def _cell_starts(line: str) -> list[int]:
    """Where each space-separated cell of a line starts (cells split by two or more spaces)."""
    body = line.rstrip()
    first = len(body) - len(body.lstrip())
    return [first] + [m.end(1) for m in _GAP.finditer(body)]


def _aligned_candidate(line: str) -> bool:
    return bool(line.strip()) and "\t" not in line and not line.lstrip().startswith("|") and \
        len(_cell_starts(line)) >= 2


def _slice(line: str, bounds: list[int]) -> tuple[str, ...]:
    """A line cut into cells at the columns' starting positions (cells may be empty)."""
    cells = [""] * len(bounds)
    starts = _cell_starts(line)
    body = line.rstrip()
    for k, a in enumerate(starts):
        b = starts[k + 1] if k + 1 < len(starts) else len(body)
        col = max((j for j, x in enumerate(bounds) if x <= a + ALIGN_SLACK), default=0)
        cells[col] = (cells[col] + " " + body[a:b].strip()).strip()
    return tuple(cells)


def aligned_blocks(lines: tuple[str, ...] | list[str]) -> dict[int, tuple[str, ...]]:
    """Line number -> cells for runs of lines whose cells line up in columns (space-aligned tables)."""
    out: dict[int, tuple[str, ...]] = {}
    i = 0
    n = len(lines)
    while i < n:
        if not _aligned_candidate(lines[i]):
            i += 1
            continue
        j = i
        while j < n and (_aligned_candidate(lines[j]) or (j > i and lines[j].startswith("  ") and lines[j].strip())):
            j += 1
        run = list(range(i, j))
        if len(run) >= MIN_ALIGNED_LINES:
            bounds = _cell_starts(lines[i])
            fits = [all(any(abs(a - b) <= ALIGN_SLACK for b in bounds) for a in _cell_starts(lines[k]))
                    for k in run[1:]]
            cells = [_slice(lines[k], bounds) for k in run]
            short = all(len(c.split()) <= ALIGNED_CELL_MAX_WORDS for row in cells for c in row)
            if sum(fits) >= ALIGNED_SHARE * len(fits) and short:
                for k, row in zip(run, cells):
                    out[k + 1] = row
        i = max(j, i + 1)
    return out


def _blocks(lines: tuple[str, ...] | list[str]) -> list[_Block]:
    """Runs of consecutive tab-separated, markdown, 'a | b' or space-aligned lines."""
    blocks: list[_Block] = []
    current: list[tuple[int, str, tuple[str, ...]]] = []
    fmt = None
    aligned = aligned_blocks(lines)
    pipes = {i: c for i, line in enumerate(lines, start=1) if (c := _pipe_cells(line)) is not None}
    for i, line in enumerate(lines, start=1):
        if is_markdown_row(line):
            kind, cells = "markdown", split_markdown(line)
        elif "\t" in line and line.strip():
            kind, cells = "tsv", split_tsv(line)
        elif i in pipes and (i - 1 in pipes or i + 1 in pipes):
            kind, cells = "pipe", pipes[i]
        elif i in aligned:
            kind, cells = "aligned", aligned[i]
        else:
            kind, cells = None, ()
        if kind != fmt and current:
            blocks.append(_Block(fmt or "", current[0][0], tuple(current)))
            current = []
        fmt = kind
        if kind:
            current.append((i, line, cells))
    if current:
        blocks.append(_Block(fmt or "", current[0][0], tuple(current)))
    return [part for b in blocks for part in _split_at_headers(b)]


def _split_at_headers(block: _Block) -> list[_Block]:
    """Split a block where a header line starts inside it (prose with tabs above a table)."""
    cuts = [k for k, (_, _, cells) in enumerate(block.lines)
            if k > 0 and is_header_line(cells) and not _is_subheader(cells)
            and not is_header_line(block.lines[k - 1][2])]
    if not cuts:
        return [block]
    out = []
    bounds = [0, *cuts, len(block.lines)]
    for a, b in zip(bounds, bounds[1:]):
        part = block.lines[a:b]
        out.append(_Block(block.format, part[0][0], tuple(part)))
    return out


_FURNITURE = re.compile(r"^\s*(\d{1,3}|page \d+.*|draft|continued\.*|\(continued\))?\s*$", re.I)


def _only_blank_between(lines, a: int, b: int) -> bool:
    """True when the lines strictly between 1-based numbers a and b are blank or page furniture."""
    return all(_FURNITURE.match(lines[i - 1]) for i in range(a + 1, b))


def find_tables(lines: tuple[str, ...] | list[str]) -> list[RawTable]:
    """All logical tables of a text document."""
    tables: list[RawTable] = []
    open_table: RawTable | None = None
    for block in _blocks(lines):
        rows = list(block.lines)
        first_cells = rows[0][2]
        if open_table is not None and open_table.format == block.format:
            repeat = _norm(first_cells) == _norm(open_table.header_lines[0] if open_table.header_lines else ())
            adjacent = _only_blank_between(lines, open_table.line_end, block.start)
            if repeat and adjacent:
                rows = rows[1:]
                if rows and len(open_table.header_lines) > 1 and _norm(rows[0][2]) == _norm(open_table.header_lines[1]):
                    rows = rows[1:]
                _append_rows(open_table, rows, after_break=True)
                open_table.line_end = max(open_table.line_end, block.lines[-1][0])
                continue
            if adjacent and not is_header_line(first_cells) and not _starts_new_table(first_cells, open_table):
                _append_rows(open_table, rows, after_break=True)
                continue
        open_table = _new_table(block)
        open_table.caption = caption_above(lines, block.start)
        tables.append(open_table)
    return tables


#: A caption is a title line at most this many words long, just above the table (the longest seen,
#: "Table Two: Forward Plan of Procurements (above £50K less than OJEU threshold) Due to commence
#: prior to April 2022", has 19).
MAX_CAPTION_WORDS = 24
#: ...with at most this many blank lines between it and the header.
MAX_CAPTION_GAP = 2


def caption_above(lines: tuple[str, ...] | list[str], start: int) -> str | None:
    """The title line right above a text table ("Table Two: Forward Plan of Procurements (above £50K
    less than OJEU threshold)"): short, not a sentence (no full stop at its end), not a table row."""
    i, gap = start - 1, 0
    while i >= 1 and not lines[i - 1].strip():
        i, gap = i - 1, gap + 1
    if i < 1 or gap > MAX_CAPTION_GAP:
        return None
    line = lines[i - 1].strip()
    if "\t" in line or is_markdown_row(line) or line.endswith((".", ",", ";", ":")) or ". " in line or \
            len(line.split()) > MAX_CAPTION_WORDS or _FURNITURE.match(line):
        return None
    return line


def _starts_new_table(cells: tuple[str, ...], table: RawTable) -> bool:
    """A headerless block is a new table when it is much wider than the open table."""
    return len(cells) > len(table.header) + 2


def _new_table(block: _Block) -> RawTable:
    rows = list(block.lines)
    line_no, _, cells = rows[0]
    if block.format == "tsv" and not is_header_line(cells) and _looks_like_data(cells):
        header = tuple(f"column {i + 1}" for i in range(len(cells)))
        table = RawTable(block.format, header, line_no, line_no, (), headerless=True)
        _append_rows(table, rows, after_break=False)
        return table
    header_lines = [cells]
    header = cells
    rest = rows[1:]
    while rest and (is_separator(rest[0][2]) or _is_subheader(rest[0][2])):
        if _is_subheader(rest[0][2]):
            header = _merge_header(header, rest[0][2])
            header_lines.append(rest[0][2])
        rest = rest[1:]
    table = RawTable(block.format, tuple(header), line_no, rows[len(rows) - len(rest) - 1][0],
                     tuple(header_lines))
    _append_rows(table, rest, after_break=False)
    return table


def _looks_like_data(cells: tuple[str, ...]) -> bool:
    """A first line that reads as data: a long sentence, or money/number cells."""
    filled = [c for c in cells if c.strip()]
    if any(len(c.split()) > 12 for c in filled):
        return True
    return sum(1 for c in filled if re.fullmatch(r"[£(]?\s*[\d,.]+\s*[)mk%]?", c.strip())) >= 1 and len(filled) >= 2


def _append_rows(table: RawTable, rows, after_break: bool) -> None:
    first = True
    for line_no, raw, cells in rows:
        if is_separator(cells):
            table.line_end = max(table.line_end, line_no)
            continue
        table.add_row(cells, line_no, raw, after_break=after_break and first)
        first = False


def sniff_delimiter(lines: tuple[str, ...] | list[str]) -> str:
    """',' or ';' (continental CSV) or tab, whichever splits the first lines most consistently."""
    sample = [line for line in lines[:20] if line.strip()]
    best, best_score = ",", -1.0
    for d in (",", ";", "\t", "|"):
        counts = [len(next(csv.reader([line], delimiter=d))) for line in sample]
        if not counts or max(counts) < 2:
            continue
        same = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = same * counts[0]
        if score > best_score + 0.5:
            best, best_score = d, score
    return best


def parse_delimited(lines: tuple[str, ...] | list[str], delimiter: str, fmt: str) -> list[RawTable]:
    """A CSV or TSV file as one table (first record is the header); quoted newlines allowed."""
    text = "\n".join(lines)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    table: RawTable | None = None
    prev_line = 0
    for record in reader:
        start, end = prev_line + 1, reader.line_num
        prev_line = reader.line_num
        cells = tuple(c.strip() for c in record)
        if not any(cells):
            continue
        if table is None:
            table = RawTable(fmt, cells, start, end, (cells,))
            continue
        if len(cells) < len(table.header):
            table.ragged.append(start)
        raw = "\n".join(lines[start - 1:end])
        width = max(len(table.header), len(cells))
        if len(cells) > len(table.header) and any(c for c in cells[len(table.header):]):
            table.ragged.append(start)
        cells = cells + ("",) * (width - len(cells))
        table.rows.append(RawRow(len(table.rows), cells, start, end, raw))
        table.line_end = end
    return [table] if table else []
