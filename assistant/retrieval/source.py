"""Read the DuckDB store: chunks for the index, and the source lines that citations quote.

``read_chunks`` turns documents, sections and typed rows into chunks. ``source_lines`` /
``SourceReader`` is the one reader of cited files: it only reads a file that the ``documents``
table lists, only while its bytes still hash to the ingested ``content_hash``, only if it is a
regular file under ``MAX_SOURCE_BYTES``; anything else reads as no lines. A SQL result, an LLM or
a crafted citation can therefore never make the assistant show ``/etc/passwd`` or read
``/dev/zero``.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import NotIngestedError
from assistant.retrieval.chunks import (ROW_TEXT, Chunk, DocInfo, Section, SourceFiles, prose_chunks, row_chunk, row_main_text,
                                       sub_item_of)
from assistant.sql.schema import TABLES_BY_NAME

log = logging.getLogger(__name__)

ROW_TABLES: tuple[str, ...] = tuple(ROW_TEXT)


@dataclass(frozen=True)
class CorpusChunks:
    """All chunks built from one DuckDB file, and what could not be indexed."""

    chunks: tuple[Chunk, ...]
    problems: tuple[tuple[str, str], ...]


def _connect(settings: Settings):  # noqa: ANN202 - duckdb imported lazily
    """The same hardened read-only connection as every other reader, so that DuckDB, which refuses
    two connections to one file with different settings in one process, never sees a mismatch."""
    from assistant.sql.connect import connect_readonly

    if not settings.db_path.exists():
        raise NotIngestedError(f"No database at {settings.db_path}; run `plan-assistant ingest` first.")
    return connect_readonly(settings)


def _dicts(con: Any, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _existing_tables(con: Any) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def _table_lines(con: Any) -> dict[str, set[int]]:
    """Per document, the source lines of tables that fed a typed table (indexed as rows instead)."""
    out: dict[str, set[int]] = defaultdict(set)
    for doc_id, a, b in con.execute(
            "SELECT doc_id, line_start, line_end FROM raw_tables "
            "WHERE kind IS NOT NULL AND kind <> 'unclassified'").fetchall():
        if a and b:
            out[doc_id].update(range(int(a), int(b) + 1))
    return out


def _budget_groups(rows: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Budget lines are stored long (one row per line and column): regroup them per source row."""
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r.get("doc_id"), r.get("raw_table_id"), r.get("raw_row_index"), r.get("line_start"),
                r.get("line_item"))].append(r)
    out = []
    for members in groups.values():
        first = dict(members[0])
        first["measure"] = " | ".join(f"{m.get('measure') or 'value'}: {m.get('raw') or ''}".strip()
                                      for m in members)
        first["raw"] = ""
        out.append((str(first["budget_id"]), first))
    return out


def read_chunks(settings: Settings, db_path: Path | None = None) -> CorpusChunks:
    """Every prose and row chunk of the ingested corpus (of ``db_path``: default the live file)."""
    if db_path is not None:
        from assistant.sql.connect import connect_readonly

        con = connect_readonly(settings, db_path)
        try:
            return _read(con)
        finally:
            con.close()
    con = _connect(settings)
    try:
        return _read(con)
    finally:
        con.close()


def _read(con: Any) -> CorpusChunks:
    sources = SourceFiles()
    tables = _existing_tables(con)
    docs = {d["doc_id"]: DocInfo(d["doc_id"], d["file"], d.get("title") or d["doc_id"], d.get("council") or "")
            for d in _dicts(con, "SELECT doc_id, file, title, council FROM documents ORDER BY doc_id")}
    sections: dict[str, list[Section]] = defaultdict(list)
    for s in _dicts(con, "SELECT section_id, doc_id, heading, section_path, department, line_start, line_end "
                         "FROM sections ORDER BY doc_id, line_start, line_end DESC"):
        if s["line_start"] is None or s["line_end"] is None:
            continue
        sections[s["doc_id"]].append(Section(s["section_id"], s["doc_id"], s["heading"] or "",
                                             s["section_path"] or "", s["department"] or "",
                                             int(s["line_start"]), int(s["line_end"])))
    table_lines = _table_lines(con) if "raw_tables" in tables else {}
    chunks: list[Chunk] = []
    for doc in docs.values():
        chunks.extend(prose_chunks(doc, sections.get(doc.doc_id, []), table_lines.get(doc.doc_id, set()), sources))
    problems: list[tuple[str, str]] = []
    for table in ROW_TABLES:
        if table in tables:
            rows, skipped = _row_chunks(con, table, docs, sources)
            chunks.extend(rows)
            if skipped:
                problems.append((table, f"{skipped} rows without text or provenance were not indexed"))
    problems = list(sources.problems) + problems
    seen: set[str] = set()
    unique: list[Chunk] = []
    for c in chunks:
        if c.id in seen:
            problems.append((c.file, f"duplicate chunk id {c.id} skipped"))
            continue
        seen.add(c.id)
        unique.append(c)
    return CorpusChunks(tuple(unique), tuple(problems))


def _row_chunks(con: Any, table: str, docs: dict[str, DocInfo], sources: SourceFiles) -> tuple[list[Chunk], int]:
    """Chunks of one typed table, and how many rows had nothing to index."""
    key = TABLES_BY_NAME[table].primary_key or ""
    rows = _dicts(con, f"SELECT * FROM {table} ORDER BY doc_id, line_start")  # noqa: S608 - our table names
    items = _budget_groups(rows) if table == "budget_lines" else [(str(r[key]), r) for r in rows]
    out: list[Chunk] = []
    skipped = 0
    lead_in: dict[str, str] = {}   # the last row of each table that ends with a colon (its parts follow it)
    for row_key, row in items:
        doc = docs.get(row.get("doc_id"))
        main = row_main_text(table, row)
        place = str(row.get("raw_table_id") or row.get("doc_id"))
        parent = lead_in.get(place, "")
        chunk = row_chunk(table, row_key, row, doc, sources, lead_in=parent if sub_item_of(main, parent) else "") \
            if doc else None
        if main.rstrip().endswith(":"):
            lead_in[place] = main
        elif not sub_item_of(main, parent):
            lead_in.pop(place, None)
        if chunk is None:
            skipped += 1
        else:
            out.append(chunk)
    if skipped:
        log.warning("%s: %d rows without text or provenance were not indexed", table, skipped)
    return out, skipped


# --------------------------------------------------------------------------- cited source lines

#: Largest source file that is read for quotes (the bundled documents are under 0.2 MB).
MAX_SOURCE_BYTES = 64 * 2**20
#: Source files whose lines are kept in memory (per reader).
LINE_CACHE_FILES = 32


@dataclass(frozen=True)
class IngestedFile:
    """One row of the documents table: the file as cited, and what it held when ingested."""

    file: str
    content_hash: str


def resolve_path(file: str) -> Path:
    """A citation path (relative to the repo, or absolute) as a filesystem path."""
    from assistant.config import REPO_ROOT

    p = Path(file)
    return p if p.is_absolute() else REPO_ROOT / p


def ingested_documents(settings: Settings) -> dict[str, IngestedFile]:
    """file -> IngestedFile for every document of the live database ({} without one)."""
    from assistant.sql.connect import run_select

    if not settings.db_path.exists():
        return {}
    _, rows = run_select(settings, "SELECT file, content_hash FROM documents", limit=0)
    return {str(f): IngestedFile(str(f), str(h or "")) for f, h in rows if f}


def ingested_files(settings: Settings) -> frozenset[str]:
    """The ``file`` values of the documents table: the only files a citation may name."""
    return frozenset(ingested_documents(settings))


def _read_regular(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None for anything else (a FIFO,
    a device, a directory, a dangling or looping link, a file too large). Never blocks."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


class SourceReader:
    """Lines of ingested files, as the ingest read them (1-based: line n is ``lines[n - 1]``).

    Thread-safe; the list of documents is re-read when the database file is replaced."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._docs: dict[str, IngestedFile] = {}
        self._docs_version: str | None = None
        self._lines: OrderedDict[tuple[str, str], tuple[str, ...]] = OrderedDict()

    def documents(self) -> dict[str, IngestedFile]:
        from assistant.sql.connect import database_version

        version = database_version(self.settings)
        with self._lock:
            if version != self._docs_version:
                self._docs = ingested_documents(self.settings) if version else {}
                self._docs_version = version
            return self._docs

    def allowed(self, file: str) -> bool:
        """True if ``file`` names an ingested document."""
        return isinstance(file, str) and file in self.documents()

    def lines(self, file: str) -> tuple[str, ...]:
        """The lines of an ingested file, or () if it is not one, is gone, or has changed since."""
        doc = self.documents().get(file) if isinstance(file, str) else None
        if doc is None:
            if file:
                log.warning("not reading %r: it is not an ingested document", str(file)[:200])
            return ()
        key = (doc.file, doc.content_hash)
        with self._lock:
            if key in self._lines:
                self._lines.move_to_end(key)
                return self._lines[key]
        lines = self._load(doc, self.settings)
        if lines:
            with self._lock:
                self._lines[key] = lines
                while len(self._lines) > LINE_CACHE_FILES:
                    self._lines.popitem(last=False)
        return lines

    def span(self, file: str, line_start: int, line_end: int) -> tuple[str, ...]:
        """Lines ``line_start..line_end`` (1-based, inclusive) of an ingested file."""
        lines = self.lines(file)
        if not lines or line_start < 1 or line_end < line_start:
            return ()
        return lines[line_start - 1:line_end]

    @staticmethod
    def _load(doc: IngestedFile, settings: Settings | None = None) -> tuple[str, ...]:
        import hashlib

        from assistant.errors import IngestError
        from assistant.ingest.readers import read_source

        path = resolve_path(doc.file)
        data = _read_regular(path)
        if data is None or hashlib.sha256(data).hexdigest() != doc.content_hash:
            log.warning("not reading %s: missing, not a regular file, too large or changed since ingest",
                        doc.file)
            return ()
        stored = stored_page_lines(settings, doc.file) if settings is not None else None
        if stored:  # a paged document (PDF): its lines as ingested, without parsing the file again
            return stored
        try:
            source = read_source(path)
        except (IngestError, OSError) as exc:
            log.warning("cannot read %s: %s", doc.file, exc)
            return ()
        if source.content_hash != doc.content_hash:  # replaced between the check and the read
            return ()
        return tuple(source.lines)


def stored_page_lines(settings: Settings, file: str) -> tuple[str, ...] | None:
    """The lines of a paged document as the ingest stored them (the `pages` table), when every
    page's lines are there and number as the page says; None otherwise (read the file instead).
    Reading a PDF's lines again would parse it again: seconds for a long report."""
    from assistant.sql.connect import run_select

    try:
        _, rows = run_select(settings, "SELECT p.line_start, p.line_end, p.text FROM pages p JOIN documents d "
                                       "USING (doc_id) WHERE d.file = ? ORDER BY p.page", (file,), limit=0)
    except Exception as exc:  # noqa: BLE001 - an older database without pages: read the file
        log.debug("no stored pages for %s: %s", file, exc)
        return None
    if not rows:
        return None
    lines: list[str] = []
    for start, end, text in rows:
        if start is None or end is None:
            continue
        page = str(text or "").split("\n") if text else []
        if len(page) != int(end) - int(start) + 1 or int(start) != len(lines) + 1:
            return None   # not the lines as numbered: read the file
        lines += page
    return tuple(lines) or None


_READERS: dict[tuple[str, str], SourceReader] = {}
_READERS_LOCK = threading.Lock()


def source_reader(settings: Settings) -> SourceReader:
    """The shared ``SourceReader`` of a home (one per database path)."""
    key = (str(settings.db_path), str(settings.home))
    with _READERS_LOCK:
        if key not in _READERS:
            _READERS[key] = SourceReader(settings)
        return _READERS[key]


def source_lines(settings: Settings, file: str) -> tuple[str, ...]:
    """The lines of ``file`` if it is an ingested document (see ``SourceReader.lines``), else ()."""
    return source_reader(settings).lines(file)
