"""Losslessness: every table-like line of every corpus document is in raw_tables/raw_rows, and in
a typed table whenever its table's header was recognised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.ingest.tables import is_markdown_row, is_separator, split_markdown, split_tsv

CORPUS_FILES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "corpus").glob("*.txt"))


def table_like_lines(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line number, cells) of markdown rows and tab-separated lines (the brief asks for lines with
    >= 3 cells; we check every line with a tab, which includes them)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if is_markdown_row(line):
            out.append((n, split_markdown(line)))
        elif "\t" in line and line.strip():
            out.append((n, split_tsv(line)))
    return out


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_table_line_is_stored(q, corpus_dir: Path, name: str) -> None:
    doc_id = name.removesuffix(".txt")
    rows = q("""SELECT r.table_id, r.line_start, r.line_end, r.cells, t.kind FROM raw_rows r
                JOIN raw_tables t USING (table_id) WHERE t.doc_id = ?""", doc_id)
    tables = q("SELECT table_id, line_start, line_end, header, kind FROM raw_tables WHERE doc_id = ?", doc_id)
    by_line = {}
    for table_id, start, end, cells, kind in rows:
        for n in range(start, end + 1):
            by_line[n] = (table_id, cells, kind)
    typed = {}
    for table in ("actions", "kpis", "procurements", "risks", "savings", "pledges", "deliverables", "outcomes",
                  "budget_lines"):
        for tid, start, end in q(f"SELECT raw_table_id, line_start, line_end FROM {table} WHERE doc_id = ? "
                                 "AND raw_table_id IS NOT NULL", doc_id):
            for n in range(start, end + 1):
                typed.setdefault((tid, n), set()).add(table)
    lines = table_like_lines(corpus_dir / name)
    assert lines, "every corpus document has tables"
    missing, untyped = [], []
    for n, cells in lines:
        content = [c for c in cells if c.strip()]
        if n in by_line:
            table_id, stored, kind = by_line[n]
            assert [c for c in stored if c.strip()] == content, f"line {n} cells differ"
            summary = re.match(r"^(total|nil)\b", content[0], re.I)  # "TOTAL:" / "NIL" lines stay raw
            if kind != "unclassified" and len(content) > 1 and not summary and (table_id, n) not in typed:
                untyped.append(n)
            continue
        if not content or is_separator(cells):
            continue
        # a header line (first, second or repeated at a page break): its words are in the header
        headers = [h for tid, s, e, h, k in tables if s <= n <= e]
        assert headers, f"line {n} of {name} is in no table: {cells[:2]}"
        joined = " ".join(headers[0]).lower()
        if not all(c.lower() in joined for c in content):
            missing.append(n)
    assert not missing, f"table lines of {name} not stored: {missing[:10]}"
    assert not untyped, f"rows of recognised tables of {name} not in a typed table: {untyped[:10]}"


def test_unclassified_tables_are_kept(q) -> None:
    rows = q("""SELECT count(*) FROM raw_rows r JOIN raw_tables t USING (table_id) WHERE t.kind = 'unclassified'""")
    assert rows[0][0] > 0
    vehicles = q("SELECT n_rows, header[1] FROM raw_tables WHERE header[1] = 'User'")
    assert vehicles and vehicles[0][0] >= 10
