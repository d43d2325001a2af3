"""Every table of a database as plain rows with what names them: the catalogue that aggregates over
any one table read (table_ops.py), built once per database file.

A `Sheet` is one ingested table (`raw_tables` / `raw_rows`, typed or not): its name (caption, else the
heading above it), the words of its context and headers, which columns hold numbers and which hold
short names, and its data rows (printed totals and group labels left out). A table continued after a
page break (same section, name and header) is one sheet.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

from assistant.ingest.normalise import parse_money
from assistant.router.data import Database, table_rows
from assistant.router.extract import stem, terms
from assistant.router.plan import OPERATION_WORDS
from assistant.router.semantic import GENERIC_WORDS, caption_phrases

#: A column is numeric when at least this share of its non-empty cells are numbers.
NUMERIC_SHARE = 0.6
#: A row label cell longer than this is a description, not a name to filter or group by...
LABEL_CHARS = 80
#: ...and a column is a column of names when at least this share of its cells are that short (a
#: contract title column keeps its one long title).
LABEL_SHARE = 0.8

#: A cell that is one number ("16,359", "(2,311)", "£1.2m", "94%").
NUMBER_CELL = re.compile(r"^\(?[£$]?\s?-?[\d,]*\.?\d+\s?(?:%|m|k|bn)?\)?$", re.IGNORECASE)
#: Columns of numbers that are identifiers, not measures ("Row Ref", "No.", "Code").
ID_HEADER = re.compile(r"\b(?:ref|reference|code|id|no\.?|number)\s*$|^\s*(?:#|no\.?|ref)\b", re.IGNORECASE)
_TOTAL_LABEL = re.compile(r"^\s*(?:grand\s+)?totals?\b", re.IGNORECASE)
#: Words that ask, but never name a table, column or row.
NEUTRAL_WORDS = frozenset(stem(w) for w in OPERATION_WORDS | GENERIC_WORDS | frozenset(
    "bigger larger higher greater more less smaller lower cheaper dearer compare compared versus vs difference "
    "by how many number total listed there own each year years across one two three four five six seven eight nine "
    "ten excluding except besides apart other others else put puts putting summary summaries breakdown table "
    "tables".split()))
# ("... (excluding prior years)": which columns, not which table; "the funding summary", "the breakdown": a
# table in general, not which one)


@dataclass(frozen=True)
class Line:
    """One data row of a table."""

    cells: tuple[str, ...]
    line_start: int
    line_end: int
    page: int | None
    words: frozenset[str]   # stems of its label cells
    index: int = 0          # raw_rows.row_index (typed rows point back to it)
    group: frozenset[str] = frozenset()   # stems of the group label above it ("Funded By:"), if any


@dataclass(frozen=True)
class Sheet:
    """One ingested table with its name, headers and data rows (totals and group labels left out)."""

    table_id: str
    doc_id: str
    file: str
    title: str
    council: str
    department: str
    name: str            # caption, else the last heading above the table
    section: str
    kind: str            # the typed table it fed, or 'unclassified'
    header: tuple[str, ...]
    rows: tuple[Line, ...]
    name_words: frozenset[str]
    name_phrases: tuple[tuple[frozenset[str], frozenset[str]], ...]   # (all stems, content stems) of the name
    #                                                                     and of its parts (caption_phrases)
    context_words: frozenset[str]   # section path, document title and kind, department
    header_words: tuple[frozenset[str], ...]
    numeric: tuple[bool, ...]
    labels: tuple[bool, ...]        # columns of short text: names to filter and group by
    totals: tuple[Line, ...] = ()   # the printed total rows: one row's years ("total cash limit, years 1-4")

    @property
    def cell_words(self) -> frozenset[str]:
        return frozenset().union(*(r.words for r in self.rows)) if self.rows else frozenset()


class Sheets:
    """Every table of the database as a `Sheet` (built once per database file, `Database.derived`)."""

    def __init__(self, sheets: list[Sheet]) -> None:
        self.sheets = sheets
        self.words: frozenset[str] = frozenset().union(*(
            s.name_words | s.context_words | frozenset().union(*s.header_words) | s.cell_words
            | frozenset().union(*(r.words for r in s.totals)) for s in sheets))
        #: how many tables' cells hold each word: a word one table alone holds ("gritter") points at it
        self.cell_tables: Counter[str] = Counter(t for s in sheets for t in s.cell_words)

    @classmethod
    def load(cls, db: Database) -> "Sheets":
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in db.derived("table_rows", table_rows):
            grouped[str(row["table_id"])].append(row)
        return cls(_continued([s for rows in grouped.values() if (s := _sheet(rows)) is not None]))


#: A cell that says there is nothing: "None", "None identified", "N/A", "Nil" (a dash in a table of figures
#: is a nil figure, so it is not one).
_NOTHING = re.compile(r"^\s*(?:none(?: identified)?|n/?a|nil)\s*\.?\s*$", re.IGNORECASE)


def _placeholder(cells: tuple[str, ...]) -> bool:
    """A row that only says there is nothing under its group ("A focus on prevention | None"): no item."""
    rest = [c for c in cells[1:] if c.strip()]
    return bool(rest) and all(_NOTHING.match(c) for c in rest)


#: A spanning row this short is a group label ("Funded By:"), not a note printed across the table.
GROUP_LABEL_CHARS = 40


def _continued(sheets: list[Sheet]) -> list[Sheet]:
    """Tables of one section with the same name and header (a table continued after a page break or a
    repeated header) as one sheet, their rows in order."""
    merged: dict[tuple[str, str, str, tuple[str, ...]], Sheet] = {}
    for sheet in sorted(sheets, key=lambda s: (s.doc_id, s.rows[0].line_start if s.rows else 0)):
        key = (sheet.doc_id, sheet.name, sheet.section, sheet.header)
        first = merged.get(key)
        merged[key] = sheet if first is None or not sheet.name else \
            replace(first, rows=first.rows + sheet.rows, totals=first.totals + sheet.totals)
    return list(merged.values())


def _sheet(rows: list[dict[str, Any]]) -> Sheet | None:
    first = rows[0]
    table_id, doc_id, file, kind = first["table_id"], first["doc_id"], first["file"], first["kind"]
    title, doc_kind = first["title"] or doc_id, first["doc_kind"] or ""
    council, department, caption = first["council"] or "", first["department"] or "", first["caption"]
    section = first["section_path"] or ""
    header = tuple(" ".join(str(h or "").split()) for h in (first["header"] or ()))
    if not any(re.search(r"[a-z]{2}", h.lower()) and not re.fullmatch(r"column \d+", h.lower()) for h in header):
        return None  # a table with no header to name its columns
    lines, total_lines = [], []
    group: frozenset[str] = frozenset()   # the words of the group label above ("Funded By:"): the rows under it are of it
    for r in rows:
        cells = tuple(" ".join(str(c or "").split()) for c in (r["cells"] or ()))
        if r["spanning"]:
            label = " ".join(c for c in cells if c)
            group = frozenset(terms(label)) if len(label) <= GROUP_LABEL_CHARS else frozenset()
            continue
        if len(cells) != len(header) or _placeholder(cells):
            continue
        start, page = r["line_start"], r["page"]
        total = r["is_total"] or any(_TOTAL_LABEL.match(c) for c in cells[:2])
        (total_lines if total else lines).append(cells + (int(start or 0), int(r["line_end"] or start or 0),
                                                          page if isinstance(page, int) else None,
                                                          int(r["row_index"] or 0), group))
    if not lines:
        return None
    n = len(header)
    numeric = tuple(_is_numeric_column([r[j] for r in lines]) and not ID_HEADER.search(header[j]) for j in range(n))
    labels = tuple(not numeric[j] and not ID_HEADER.search(header[j])
                   and sum(len(r[j]) <= LABEL_CHARS for r in lines) >= LABEL_SHARE * len(lines) for j in range(n))
    data, totals = (tuple(Line(tuple(r[:n]), r[n], r[n + 1], r[n + 2],
                               frozenset(t for j in range(n) if labels[j] for t in terms(r[j])) | r[n + 4], r[n + 3],
                               r[n + 4])
                          for r in part) for part in (lines, total_lines))
    name = " ".join((str(caption or "").strip() or section.split(">")[-1].strip()).split())
    return Sheet(str(table_id), str(doc_id), str(file), str(title), str(council), str(department), name,
                 str(section), str(kind or ""), header, data, frozenset(terms(name)),
                 tuple((p, p - NEUTRAL_WORDS) for p in dict.fromkeys(frozenset(t for t in terms(x) if not t[:1].isdigit())
                                                                for x in (name, *caption_phrases(name)))
                       if p - NEUTRAL_WORDS),
                 frozenset(terms(f"{section} {title} {doc_kind} {department} {str(doc_id).replace('-', ' ')}")),
                 tuple(frozenset(terms(h)) for h in header), numeric, labels, totals)


def _is_numeric_column(values: list[str]) -> bool:
    filled = [v for v in values if v.strip() and v.strip() not in ("-", "–", "—")]
    if not filled:
        return False
    numbers = sum(1 for v in filled if NUMBER_CELL.match(v) and parse_money(v) is not None)
    return numbers >= NUMERIC_SHARE * len(filled) and numbers > 0


def number(value: str) -> float | None:
    """A cell's number ('(2,311)' is -2311), or None for text and blanks."""
    text = value.strip()
    return parse_money(text) if text and NUMBER_CELL.match(text) else None
