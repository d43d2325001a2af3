"""How an answer's rows and citations are shown: which columns, in what order, which source line.

Pure Python (no textual): the card preview, the table view, the source jump and the tests share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.models import Answer, Citation
from tui.text import clean, clean_line

# Provenance columns: needed to find a row's source line, noise on screen.
PROVENANCE_COLUMNS = frozenset({"file", "line_start", "line_end", "doc_id", "section_path",
                                "raw_table_id", "raw_row_index"})
PLAN_COLUMN = "Plan"  # added in front when the rows come from more than one document
_NUMBER = re.compile(r"^(?P<neg>\(|-)?\s*[£$€]?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\)?\s*(?P<unit>[kmb]n?|%)?$", re.I)
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}


def column_title(name: str) -> str:
    """A readable header for a result column: ``complete_raw`` -> ``Complete``."""
    base = name[:-4] if name.endswith("_raw") and len(name) > 4 else name
    return clean_line(base.replace("_", " ")).capitalize() or clean_line(name)


def cell_text(value: Any) -> str:
    """The whole text of a cell on one line (no markup, HTML or control characters)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_line(value)


def short(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


@dataclass(frozen=True)
class RowView:
    """The rows of an answer as shown: column titles and cell texts, plus each row's source."""

    titles: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # full cell texts, in original row order
    sources: tuple[Citation | None, ...]  # the source line of each row, when known

    @property
    def width(self) -> int:
        return len(self.titles)


def row_view(answer: Answer, *, preview: bool = False) -> RowView:
    """Every column but the provenance ones (each row's source is kept aside); ``preview`` also
    drops, for several rows, the columns that are the same in every row. A Plan column comes first
    when the rows come from several documents. (Exports keep every column.)"""
    columns = list(answer.columns)
    indices = [i for i, c in enumerate(columns) if c not in PROVENANCE_COLUMNS]
    if preview and len(answer.rows) > 1:
        varying = [i for i in indices if len({cell_text(r[i]) for r in answer.rows if i < len(r)}) > 1]
        indices = varying or indices
    if not indices:
        indices = list(range(len(columns)))
    sources = tuple(row_source(answer, n) for n in range(len(answer.rows)))
    titles = [column_title(columns[i]) for i in indices]
    rows = [[cell_text(r[i]) if i < len(r) else "" for i in indices] for r in answer.rows]
    files = {s.file for s in sources if s is not None}
    if len(files) > 1:
        titles.insert(0, PLAN_COLUMN)
        for row, source in zip(rows, sources):
            row.insert(0, document_label(answer, source.file) if source else "")
    return RowView(tuple(titles), tuple(tuple(r) for r in rows), sources)


def document_label(answer: Answer, file: str) -> str:
    """A document's title as the answer's citations give it, else its file name."""
    for c in answer.citations:
        if c.file == file and c.title:
            return clean_line(c.title)
    return Path(file).stem


def row_source(answer: Answer, index: int) -> Citation | None:
    """The source line of row ``index``: from its ``file``/``line_start`` columns (the matching
    citation when there is one), else the citation of the same position when each row has one."""
    if not 0 <= index < len(answer.rows):
        return None
    row = answer.rows[index]
    cols = {name: i for i, name in enumerate(answer.columns)}
    if "file" in cols and "line_start" in cols and cols["line_start"] < len(row):
        file, start = row[cols["file"]], row[cols["line_start"]]
        if file and isinstance(start, int):
            end = row[cols["line_end"]] if "line_end" in cols and isinstance(row[cols["line_end"]], int) else start
            for c in answer.citations:
                if c.file == file and c.line_start <= start <= c.line_end:
                    return c
            return Citation(str(file), document_label(answer, str(file)), "", start, max(start, end), "")
    if len(answer.citations) == len(answer.rows):
        return answer.citations[index]
    return None


_MONTH_NUMBERS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")), 1) for m in names}
_DMY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_QUARTER = re.compile(r"\bQ([1-4])\s+(\d{4})\b", re.I)
_YEAR = re.compile(r"^\s*(\d{4})(?:[/-]\d{2,4})?\s*$")


def date_key(text: str) -> int | None:
    """A cell's date as yyyymmdd (UK day/month order; "March 2021" is 1 March; a year alone is
    1 January), or None when it holds no date."""
    m = _ISO.search(text)
    if m:
        return int(m.group(1)) * 10000 + int(m.group(2)) * 100 + int(m.group(3))
    m = _DMY.search(text)
    if m:
        year = int(m.group(3))
        year += 2000 if year < 100 else 0
        return year * 10000 + int(m.group(2)) * 100 + int(m.group(1))
    for m in _MONTH_YEAR.finditer(text):
        month = _MONTH_NUMBERS.get(m.group(2).lower())
        if month:
            return int(m.group(3)) * 10000 + month * 100 + int(m.group(1) or 1)
    m = _QUARTER.search(text)
    if m:
        return int(m.group(2)) * 10000 + (int(m.group(1)) * 3 - 2) * 100 + 1
    m = _YEAR.match(text)
    return int(m.group(1)) * 10000 + 101 if m else None


def is_date_column(cells: list[str]) -> bool:
    """Most filled cells read as dates with a day or a month (a column of bare years is numbers)."""
    filled = [c for c in cells if c.strip()]
    dated = [c for c in filled if date_key(c) is not None and not _YEAR.match(c)]
    return bool(filled) and len(dated) * 2 >= len(filled)


def sort_key(text: str, dates: bool = False) -> tuple[int, float, str]:
    """Sort cells as dates (``dates``: a date column), as numbers when they read as numbers
    (£4,000.00, 12%, (365), 1.2m), else as text (case-insensitive); empty cells last."""
    value = text.strip()
    if not value:
        return (2, 0.0, "")
    if dates:
        day = date_key(value)
        if day is not None:
            return (0, float(day), "")
        return (1, 0.0, value.casefold())
    match = _NUMBER.match(value)
    if match:
        amount = float(match.group("num").replace(",", ""))
        amount *= _SCALE.get((match.group("unit") or "").lower(), 1.0)
        return (0, -amount if match.group("neg") else amount, "")
    return (1, 0.0, value.casefold())


_CITED_LINE = re.compile(r"\((?P<file>[^()]+?),\s*lines?\s+(?P<a>\d+)(?:\s*[-–]\s*(?P<b>\d+))?\)\s*$")


def answer_body(answer: Answer) -> str:
    """The answer text, clean; an abstention's list of nearest passages is left to the citation
    list below it instead of being shown twice."""
    text = clean(answer.answer)
    if not (answer.abstained and answer.citations):
        return text
    cited = {c.file for c in answer.citations}
    kept = [line for line in text.split("\n")
            if not ((m := _CITED_LINE.search(line)) and m.group("file").strip() in cited)]
    if len(kept) == len(text.split("\n")):
        return text
    body = "\n".join(kept).rstrip()
    return body[:-1].rstrip() + " (listed below)." if body.endswith(":") else body
