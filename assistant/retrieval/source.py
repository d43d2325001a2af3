"""Read documents, sections and typed rows from the DuckDB store and turn them into chunks."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from assistant.config import Settings
from assistant.errors import NotIngestedError
from assistant.retrieval.chunks import ROW_TEXT, Chunk, DocInfo, Section, SourceFiles, prose_chunks, row_chunk
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


def read_chunks(settings: Settings) -> CorpusChunks:
    """Every prose and row chunk of the ingested corpus."""
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
    for row_key, row in items:
        doc = docs.get(row.get("doc_id"))
        chunk = row_chunk(table, row_key, row, doc, sources) if doc else None
        if chunk is None:
            skipped += 1
        else:
            out.append(chunk)
    if skipped:
        log.warning("%s: %d rows without text or provenance were not indexed", table, skipped)
    return out, skipped
