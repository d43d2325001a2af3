"""Writing parsed documents into DuckDB, removing old versions, and clustering people."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import date, datetime, timezone
from typing import Any, Iterable

from assistant.ingest.document import ParsedDocument
from assistant.ingest.people import canonical_name, cluster_people, split_names, split_title
from assistant.sql.schema import TABLES_BY_NAME, TYPED_TABLES

log = logging.getLogger(__name__)

CHUNK = 200


def insert_rows(con, table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert dict rows (missing keys become NULL) through a temporary JSON-lines file.

    DuckDB's ``read_json`` with the schema's column types is about ten times faster than
    parameterised INSERTs; the file is our own, written and removed here.
    """
    columns = TABLES_BY_NAME[table].columns
    names = [c.name for c in columns]
    fd, path = tempfile.mkstemp(prefix=f"ingest-{table}-", suffix=".jsonl")
    total = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({c: row.get(c) for c in names}, default=_json_default, ensure_ascii=False))
                f.write("\n")
                total += 1
        if total:
            spec = ", ".join(f"'{c.name}': '{c.type}'" for c in columns)
            col_list = ", ".join(names)
            con.execute(f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM read_json(?, "
                        f"format='newline_delimited', columns={{{spec}}})", [path])
    finally:
        os.unlink(path)
    return total


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def delete_document(con, doc_id: str) -> None:
    """Remove every row that came from one document."""
    prefix = doc_id + ":"
    con.execute("DELETE FROM raw_rows WHERE table_id IN (SELECT table_id FROM raw_tables WHERE doc_id = ?)", [doc_id])
    con.execute("DELETE FROM kpi_values WHERE starts_with(kpi_id, ?)", [prefix])
    con.execute("DELETE FROM person_links WHERE starts_with(row_id, ?)", [prefix])
    for name in (*TYPED_TABLES, "raw_tables", "sections", "pages", "legend", "documents"):
        con.execute(f"DELETE FROM {name} WHERE doc_id = ?", [doc_id])


def write_document(con, doc: ParsedDocument) -> None:
    """Insert one parsed document (its old rows must be deleted first)."""
    insert_rows(con, "documents", [{
        "doc_id": doc.doc_id, "file": doc.file, "title": doc.meta.title, "council": doc.meta.council,
        "period": doc.meta.period, "kind": doc.meta.kind, "content_hash": doc.content_hash,
        "n_lines": doc.n_lines, "ingested_at": datetime.now(timezone.utc).replace(tzinfo=None),
        "format": doc.format, "n_pages": len(doc.pages) or None}])
    insert_rows(con, "pages", ({
        "doc_id": doc.doc_id, "file": doc.file, "page": p.number, "line_start": p.line_start,
        "line_end": p.line_end, "has_text": any(line.strip() for line in doc.lines[p.line_start - 1:p.line_end]),
        "text": "\n".join(doc.lines[p.line_start - 1:p.line_end])} for p in _page_spans(doc)))
    insert_rows(con, "sections", ({
        "section_id": s.section_id, "doc_id": doc.doc_id, "file": doc.file, "parent_id": s.parent_id,
        "level": s.level, "heading": s.heading, "section_path": s.path, "department": s.department,
        "council": doc.meta.council, "line_start": s.line_start, "line_end": s.line_end, "text": s.text,
        "page": doc.page_of(s.line_start), "cabinet_member": s.cabinet_member,
        "director": s.director}
        for s in doc.sections))
    insert_rows(con, "raw_tables", ({
        "table_id": tid, "doc_id": doc.doc_id, "file": doc.file, "council": doc.meta.council,
        "department": ctx.department, "section_path": ctx.section_path, "kind": kind, "format": t.format,
        "header": list(t.header), "line_start": t.line_start, "line_end": t.line_end, "n_rows": len(t.rows),
        "page_start": t.page_start or doc.page_of(t.line_start), "page_end": t.page_end or doc.page_of(t.line_end),
        "caption": t.caption}
        for tid, t, kind, ctx in doc.tables))
    insert_rows(con, "raw_rows", ({
        "table_id": tid, "row_index": r.index, "cells": list(r.cells), "line_start": r.line_start,
        "line_end": r.line_end, "raw_text": r.raw_text, "page": r.page or doc.page_of(r.line_start),
        "bbox": [round(v, 1) for v in r.bbox] if r.bbox else None, "spanning": r.spanning,
        "is_total": r.total}
        for tid, t, _, _ in doc.tables for r in t.rows))
    for name, rows in doc.rows.items():
        insert_rows(con, name, rows)
    insert_rows(con, "legend", doc.legend)
    links = []
    for cell, table, row_id, role in doc.mentions:
        names = split_names(cell) if role != "cabinet member" else [cell]
        for name in names:
            links.append({"person_id": None, "table_name": table, "row_id": row_id, "role": role, "name_raw": name})
    insert_rows(con, "person_links", links)


def _page_spans(doc: ParsedDocument) -> list:
    """The pages of a paginated document; a Word or HTML file is one span numbered 0 (its lines
    are kept so that citations can be quoted without reading the file again)."""
    from assistant.ingest.compose import PageSpan

    if doc.pages:
        return list(doc.pages)
    if doc.format in ("docx", "html") and doc.lines:
        return [PageSpan(0, 1, len(doc.lines))]
    return []


def recluster_people(con) -> int:
    """Rebuild `people` from every name in person_links and write canonical names back."""
    mentions = [(n, None) for (n,) in con.execute("SELECT name_raw FROM person_links ORDER BY name_raw").fetchall()]
    people, canonical = cluster_people(mentions)
    con.execute("DELETE FROM people")
    insert_rows(con, "people", ({"person_id": p.person_id, "name": p.name, "aliases": list(p.aliases),
                                 "title": p.title} for p in people))
    by_name = {p.name: p for p in people}
    con.execute("CREATE OR REPLACE TEMP TABLE _pmap (name_raw VARCHAR, person_id VARCHAR)")
    insert_rows_raw(con, "_pmap", [(n, by_name[canonical_name(n, canonical)].person_id)
                                    for (n,) in con.execute("SELECT DISTINCT name_raw FROM person_links").fetchall()
                                    if canonical_name(n, canonical) in by_name])
    con.execute("UPDATE person_links SET person_id = m.person_id FROM _pmap m WHERE person_links.name_raw = m.name_raw")
    _update_lists(con, "actions", "action_id", "lead_raw", "leads", canonical)
    _update_lists(con, "kpis", "kpi_id", "responsible_raw", "responsible", canonical)
    rows = con.execute("SELECT DISTINCT cabinet_member FROM pledges WHERE cabinet_member IS NOT NULL").fetchall()
    for (member,) in rows:
        title, _ = split_title(member)
        new = canonical_name(member, canonical)
        new = f"{title} {new}" if title else new
        if new != member:
            con.execute("UPDATE pledges SET cabinet_member = ? WHERE cabinet_member = ?", [new, member])
    return len(people)


def insert_rows_raw(con, table: str, rows: list[tuple]) -> None:
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i:i + CHUNK]
        if not chunk:
            continue
        ph = "(" + ", ".join("?" for _ in chunk[0]) + ")"
        con.execute(f"INSERT INTO {table} VALUES " + ", ".join([ph] * len(chunk)), [v for r in chunk for v in r])


def _update_lists(con, table: str, key: str, raw_col: str, list_col: str, canonical: dict[str, str]) -> None:
    pairs = []
    for row_id, raw in con.execute(f"SELECT {key}, {raw_col} FROM {table} WHERE {raw_col} IS NOT NULL").fetchall():
        names = []
        for n in split_names(raw):
            c = canonical_name(n, canonical)
            if c not in names:
                names.append(c)
        pairs.append((row_id, names))
    con.execute("CREATE OR REPLACE TEMP TABLE _lmap (row_id VARCHAR, names VARCHAR[])")
    insert_rows_raw(con, "_lmap", pairs)
    con.execute(f"UPDATE {table} SET {list_col} = m.names FROM _lmap m WHERE {table}.{key} = m.row_id")
