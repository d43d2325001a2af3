"""Turn the DuckDB store into searchable chunks: prose passages and typed table rows.

Prose: each source line belongs to the most specific section whose span contains it; lines of
typed tables are left out (their rows are indexed as rows). Contiguous runs of the remaining lines
are split with LangChain's ``RecursiveCharacterTextSplitter`` on paragraph, line and sentence
boundaries, measured in words. Each chunk is an exact substring of its run, so its line span is
exact: the span, read from the file, contains the chunk text.

Rows: every typed row becomes a short labelled text (the action, its lead and dates; the KPI and who
is responsible; the contract title, category and value...) that is embedded and BM25-indexed,
while the text shown and cited is the row's own source lines.

Units (small-to-big retrieval): besides its own vector, a chunk has one vector per line or sentence
(and per section heading, and a row per piece of its defining field). A question about one bullet
of a long list then matches that bullet, and ranks the whole chunk. Tables of contents are skipped.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from assistant.config import REPO_ROOT
# Collapsing whitespace is the only change allowed between a source span and a chunk's text.
from assistant.router.semantic import INDEX_TEXT, PROSE_COLUMNS
from assistant.text import collapse_spaces as normalise

log = logging.getLogger(__name__)

CHUNK_WORDS = 100
OVERLAP_WORDS = 20
MIN_CHUNK_WORDS = 3
MIN_UNIT_WORDS = 4
LONG_LINE_WORDS = 40
UNIT_WINDOW_WORDS = 30
QUOTE_CHARS = 300
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "]
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_HTML = re.compile(r"<[^>]+>")
_DOT_LEADER = re.compile(r"[A-Za-z].*\.{3,}\s*\d{1,3}\s*$")
_PAGE_NO = re.compile(r"\d{1,3}")

Kind = Literal["prose", "row"]


@dataclass(frozen=True)
class Chunk:
    """One indexed unit, with everything needed to cite it."""

    id: str
    kind: Kind
    text: str  # exact source text of the span (whitespace-normalised)
    index_text: str  # what is embedded and BM25-indexed (text plus context)
    doc_id: str
    file: str
    title: str
    council: str
    department: str
    section: str
    line_start: int
    line_end: int
    table: str = ""
    row_id: str = ""
    units: tuple[str, ...] = ()  # lines / sentences of a prose chunk, each embedded on its own
    page: int | None = None  # PDF page of line_start (None for text files)

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything stored for this chunk changes."""
        payload = "\x00".join(str(v) for v in (self.text, self.index_text, self.title, self.council,
                                                self.department, self.section, self.line_start,
                                                self.line_end, self.table, self.row_id, *self.units))
        return hashlib.sha256(payload.encode()).hexdigest()

    def metadata(self) -> dict[str, Any]:
        """Flat metadata (no None values, as Chroma requires)."""
        return {"kind": self.kind, "doc_id": self.doc_id, "file": self.file, "title": self.title,
                "council": self.council, "department": self.department, "section": self.section,
                "line_start": self.line_start, "line_end": self.line_end, "table": self.table,
                "row_id": self.row_id, "fingerprint": self.fingerprint,
                **({"page": self.page} if self.page is not None else {})}

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "index_text": self.index_text, "units": list(self.units),
                **self.metadata()}

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Chunk:
        names = cls.__dataclass_fields__
        values = {k: v for k, v in rec.items() if k in names}
        values["units"] = tuple(values.get("units") or ())
        return cls(**values)

    def vector_entries(self) -> list[VectorEntry]:
        """What goes into Chroma: the chunk itself and each of its units (small-to-big retrieval:
        a unit's match ranks its parent chunk)."""
        entries = [VectorEntry(self.id, self.index_text, self.text, self.metadata())]
        for n, unit in enumerate(self.units):
            meta = {**self.metadata(), "parent": self.id, "fingerprint": _digest(self.fingerprint, unit)}
            entries.append(VectorEntry(f"{self.id}{UNIT_SEP}{n}", unit, unit, meta))
        return entries


UNIT_SEP = "#u"


def parent_id(entry_id: str) -> str:
    """The chunk id of a vector entry id (a unit's parent, or the chunk itself)."""
    return entry_id.split(UNIT_SEP, 1)[0]


def entry_ids(chunk: Chunk) -> list[str]:
    """Ids of a chunk's vectors: its own and one per unit (as ``Chunk.vector_entries`` writes them)."""
    return [chunk.id, *(f"{chunk.id}{UNIT_SEP}{n}" for n in range(len(chunk.units)))]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class VectorEntry:
    """One vector in Chroma: its id, the text embedded, the text stored, and metadata."""

    id: str
    embed_text: str
    document: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    file: str
    title: str
    council: str


@dataclass(frozen=True)
class Section:
    section_id: str
    doc_id: str
    heading: str
    section_path: str
    department: str
    line_start: int
    line_end: int


@dataclass
class SourceFiles:
    """Reads corpus files once; lines are 1-based."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    _cache: dict[str, list[str] | None] = field(default_factory=dict)
    _pages: dict[str, tuple[int | None, ...]] = field(default_factory=dict)

    def page(self, file: str, line: int | None) -> int | None:
        """The PDF page of a line (None for text files)."""
        self.lines(file)
        pages = self._pages.get(file) or ()
        return pages[line - 1] if line and 0 < line <= len(pages) else None

    def lines(self, file: str) -> list[str] | None:
        if file not in self._cache and _structured(file):  # PDF, Word, HTML: the lines the reader laid out
            from assistant.ingest.sourcetext import document_text

            text = document_text(file)
            if text is None:
                self.problems.append((file, "cannot read source file"))
            self._cache[file] = list(text.lines) if text else None
            self._pages[file] = text.line_pages if text else ()
        if file not in self._cache:
            path = resolve_file(file)
            try:
                self._cache[file] = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError as exc:
                self.problems.append((file, f"cannot read source file: {exc}"))
                self._cache[file] = None
        return self._cache[file]

    def span(self, file: str, start: int, end: int) -> str | None:
        lines = self.lines(file)
        if lines is None or start < 1 or end < start:
            return None
        return "\n".join(lines[start - 1:end])


def _structured(file: str) -> bool:
    from assistant.ingest.sourcetext import is_structured

    return is_structured(file)


def resolve_file(file: str) -> Path:
    """A citation path (relative to the repo, or absolute) as a filesystem path."""
    p = Path(file)
    return p if p.is_absolute() else REPO_ROOT / p


def make_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A prefix of ``text`` cut at a word boundary (still an exact substring)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit]


def word_count(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- prose


def _splitter():  # noqa: ANN202 - langchain type imported lazily
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_WORDS, chunk_overlap=OVERLAP_WORDS, length_function=word_count,
        separators=_SEPARATORS, keep_separator="end", strip_whitespace=True)


def line_owners(sections: Sequence[Section], n_lines: int) -> list[int | None]:
    """For each line (index 0 = line 1), the index of the most specific section containing it."""
    owners: list[int | None] = [None] * n_lines
    order = sorted(range(len(sections)),
                   key=lambda i: sections[i].line_end - sections[i].line_start, reverse=True)
    for i in order:
        s = sections[i]
        for line in range(max(1, s.line_start), min(n_lines, s.line_end) + 1):
            owners[line - 1] = i
    return owners


def _runs(lines: Iterable[int]) -> Iterator[tuple[int, int]]:
    """Group sorted line numbers into (first, last) runs of consecutive numbers."""
    start = prev = None
    for line in lines:
        if start is None:
            start = prev = line
        elif line == prev + 1:
            prev = line
        else:
            yield start, prev  # type: ignore[misc]
            start = prev = line
    if start is not None:
        yield start, prev  # type: ignore[misc]


def split_run(lines: Sequence[str], first_line: int, splitter: Any) -> Iterator[tuple[str, int, int]]:
    """Split consecutive source lines into (chunk text, line_start, line_end), spans exact."""
    text = "\n".join(lines)
    if not text.strip():
        return
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    cursor = 0
    for piece in splitter.split_text(text):
        pos = text.find(piece, cursor)
        if pos < 0:
            pos = text.find(piece)
        if pos < 0:  # the splitter rewrote the text: never cite a span we cannot vouch for
            log.warning("chunk not found in its source run at line %d; skipped", first_line)
            continue
        cursor = pos + 1
        a = _line_at(starts, pos)
        b = _line_at(starts, pos + len(piece) - 1)
        yield piece, first_line + a, first_line + b


def _line_at(starts: Sequence[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def prose_chunks(doc: DocInfo, sections: Sequence[Section], table_lines: set[int],
                 sources: SourceFiles) -> list[Chunk]:
    """Prose chunks of one document, each within one section and one run of non-table lines."""
    lines = sources.lines(doc.file)
    if lines is None or not sections:
        return []
    owners = line_owners(sections, len(lines))
    skip = table_lines | contents_lines(lines)
    by_section: dict[int, list[int]] = {}
    for idx, owner in enumerate(owners):
        line = idx + 1
        if owner is not None and line not in skip:
            by_section.setdefault(owner, []).append(line)
    splitter = _splitter()
    out: list[Chunk] = []
    pending: list[str] = []  # headings of sections with no prose of their own, e.g. "Proposed Values"
    for owner in sorted(by_section, key=lambda i: (sections[i].line_start, i)):
        sec = sections[owner]
        heading = normalise(sec.heading).lower()
        made = 0
        for first, last in _runs(by_section[owner]):
            for piece, a, b in split_run(lines[first - 1:last], first, splitter):
                text = normalise(piece)
                if word_count(text) < MIN_CHUNK_WORDS and text.lower() in (heading, ""):
                    continue
                units = chunk_units(piece, text)
                if made == 0:  # the section's headings, so that a question naming the topic finds it
                    units = (" > ".join([*pending, normalise(sec.heading)]), *units)
                out.append(_prose_chunk(doc, sec, text, a, b, tuple(dict.fromkeys(units)), tuple(pending),
                                        sources.page(doc.file, a)))
                made += 1
        pending = [] if made else [*pending, normalise(sec.heading)][-3:]
    return out


def contents_lines(lines: Sequence[str], min_run: int = 3) -> set[int]:
    """Line numbers of tables of contents: runs of at least ``min_run`` entries ending in a page
    number (blank lines and table rules allowed between). They name headings found elsewhere and
    would otherwise outrank the sections themselves."""
    out: set[int] = set()
    run: list[int] = []
    for no, line in enumerate(lines, start=1):
        if _is_contents_entry(line):
            run.append(no)
        elif line.strip() and not set(line.strip()) <= set("|-: "):
            if len(run) >= min_run:
                out.update(run)
            run = []
    if len(run) >= min_run:
        out.update(run)
    return out


def _is_contents_entry(line: str) -> bool:
    """'Heading<TAB>12', '| Heading | 12 |' or 'Heading ..... 12'."""
    cells = [c.strip() for c in re.split(r"[\t|]", line) if c.strip()]
    if len(cells) == 2 and re.search(r"[A-Za-z]", cells[0]) and _PAGE_NO.fullmatch(cells[1]):
        return True
    return bool(_DOT_LEADER.match(line.strip()))


def chunk_units(piece: str, text: str) -> tuple[str, ...]:
    """The lines of a chunk (long lines cut into sentences) with enough words to embed alone.
    Empty when the chunk is a single unit already."""
    units: list[str] = []
    for line in piece.split("\n"):
        units.extend(p for p in short_pieces(normalise(line)) if word_count(p) >= MIN_UNIT_WORDS and p in text)
    units = list(dict.fromkeys(units))
    return tuple(units) if units and units != [text] else ()


def short_pieces(text: str) -> list[str]:
    """``text`` cut to pieces MiniLM embeds well: sentences of a long line, and windows of
    ``UNIT_WINDOW_WORDS`` words of a sentence still too long (e.g. an unpunctuated table cell)."""
    if word_count(text) <= LONG_LINE_WORDS:
        return [text]
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if word_count(sentence) <= LONG_LINE_WORDS:
            out.append(sentence)
        else:
            out.extend(_window_splitter().split_text(sentence))
    return out


@lru_cache(maxsize=1)
def _window_splitter():  # noqa: ANN202 - langchain type imported lazily
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=UNIT_WINDOW_WORDS, chunk_overlap=UNIT_WINDOW_WORDS // 4, length_function=word_count,
        separators=[", ", " "], keep_separator="end", strip_whitespace=True)


def _prose_chunk(doc: DocInfo, sec: Section, text: str, a: int, b: int, units: tuple[str, ...],
                 lead_in: tuple[str, ...] = (), page: int | None = None) -> Chunk:
    """A prose chunk; its index text starts with the document title, the section path and the
    headings just above it that had no text of their own."""
    path = sec.section_path.split(" > ") if sec.section_path else []
    context = " > ".join(p for p in (doc.title, *path[:-1], *lead_in, *path[-1:]) if p)
    digest = hashlib.sha1(text.encode()).hexdigest()[:12]
    return Chunk(id=f"{doc.doc_id}:prose:{a}-{b}:{digest}", kind="prose", text=text,
                 index_text=f"{context}\n{text}", doc_id=doc.doc_id, file=doc.file, title=doc.title,
                 council=doc.council, department=sec.department, section=sec.section_path,
                 line_start=a, line_end=b, units=units, page=page)


# --------------------------------------------------------------------------- rows

# For each typed table: the label shown before it and the (label, column) pairs of its text; the
# semantic layer holds them with everything else it knows of each table.
ROW_TEXT = INDEX_TEXT


def _field(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value if v)
    return normalise(_HTML.sub(" ", str(value))) if value not in (None, "") else ""


def row_main_text(table: str, row: dict[str, Any]) -> str:
    """The defining field of a row: the action, the KPI description, the contract title..."""
    return _field(row, ROW_TEXT[table][1][0][1])


def row_texts(table: str, row: dict[str, Any]) -> list[str]:
    """The row's defining field and its free-text fields (semantic.PROSE_COLUMNS), each embedded on
    its own too, so that a sentence of a risk's consequence is found as readily as its title."""
    columns = (ROW_TEXT[table][1][0][1], *PROSE_COLUMNS.get(table, ()))
    return [value for column in columns if (value := _field(row, column))]


def row_index_text(table: str, row: dict[str, Any], section: str) -> str:
    """The labelled text of a typed row, e.g. 'Action: ... | Lead: ... | Complete: ...'."""
    label, fields = ROW_TEXT[table]
    parts: list[str] = []
    for i, (name, column) in enumerate(fields):
        value = _field(row, column)
        if not value:
            continue
        head = label if i == 0 else name
        parts.append(f"{head}: {value}" if head else value)
    if not parts:
        return ""
    return " | ".join(parts) + (f"\n({section})" if section else "")


#: A row that is one part of the row before it: "bi) Opiate", "cii) Non-opiate", "(a) Policy".
_SUB_ITEM = re.compile(r"^(?:[a-z]?[ivx]{1,4}\)|\([a-z]\)|[a-z]\))\s")


def is_part(row_text: str) -> bool:
    """Whether a row's text opens as a part of a list of parts does ("bi) Opiate", "(a) Policy")."""
    return bool(_SUB_ITEM.match(row_text))


def sub_item_of(row_text: str, lead_in: str) -> bool:
    """Whether a row ("bi) Opiate") is a part of the row that leads into it, one ending with a colon
    ("4c) Substance misuse - Percentage of successful completions ... :")."""
    return lead_in.rstrip().endswith(":") and is_part(row_text)


def row_chunk(table: str, key: str, row: dict[str, Any], doc: DocInfo, sources: SourceFiles,
              lead_in: str = "") -> Chunk | None:
    """A chunk for one typed row, cited by its provenance line span; None if it has no text. A row
    that is part of the one before it (`lead_in`, see sub_item_of) is indexed with that row's words."""
    start, end = row.get("line_start"), row.get("line_end") or row.get("line_start")
    if not start:
        return None
    span = sources.span(doc.file, int(start), int(end))
    index_text = row_index_text(table, row, row.get("section_path") or "")
    if lead_in and index_text:   # (after the row's own label, which answers read first)
        index_text = f"{index_text}\nPart of: {lead_in}"
    if not span or not span.strip() or not index_text:
        return None
    units = tuple(dict.fromkeys(p for text in row_texts(table, row) for p in short_pieces(text)
                                if word_count(p) >= MIN_UNIT_WORDS and p != index_text))
    return Chunk(id=f"{doc.doc_id}:{table}:{key}", kind="row", text=normalise(span), units=units,
                 index_text=index_text, doc_id=doc.doc_id, file=doc.file, title=doc.title,
                 council=row.get("council") or doc.council, department=row.get("department") or "",
                 section=row.get("section_path") or "", line_start=int(start), line_end=int(end),
                 table=table, row_id=str(key), page=row.get("page") or sources.page(doc.file, int(start)))
