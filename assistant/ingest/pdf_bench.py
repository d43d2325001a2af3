"""PDF parsing benchmark: `python -m assistant.ingest.pdf_bench [FOLDER] [--json out.json]`.

For each PDF of a folder (default ``../shared/pdf`` beside the repository) it times reading and
parsing (pdfplumber, tables, headings, typed rows; no database, no embeddings) and prints the pages,
tables found (and how many fed a typed table), rows per typed table, unclassified tables, seconds
and pages per second. The figures are printed, never asserted.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import click

from assistant.config import REPO_ROOT

DEFAULT_FOLDER = REPO_ROOT.parent / "shared" / "pdf"


def measure(path: Path) -> dict[str, object]:
    """Parse one PDF and return its figures."""
    from assistant.errors import IngestError
    from assistant.ingest.document import meta_for, parse_document
    from assistant.ingest.readers import read_source

    t0 = time.perf_counter()
    try:
        source = read_source(path)
        doc = parse_document(source, meta_for(source, {}))
    except IngestError as exc:
        return {"document": path.name, "error": str(exc), "seconds": round(time.perf_counter() - t0, 2)}
    seconds = time.perf_counter() - t0
    kinds = Counter(kind for _, _, kind, _ in doc.tables)
    rows = {name: len(r) for name, r in sorted(doc.rows.items()) if r}
    pages = len(source.pages)
    return {"document": path.name, "pages": pages, "tables": len(doc.tables),
            "typed tables": sum(n for k, n in kinds.items() if k != "unclassified"),
            "unclassified": kinds.get("unclassified", 0), "rows": rows, "sections": len(doc.sections),
            "fill": value_fill(doc), "council": doc.meta.council, "period": doc.meta.period, "kind": doc.meta.kind,
            "seconds": round(seconds, 2), "pages/s": round(pages / seconds, 2) if seconds else 0.0}


#: Value columns of the typed tables whose filled cells are counted (a value lost by the reader shows
#: up here as an empty cell). kpi_values and budget_lines hold one row per value: counted per kind/measure.
VALUE_COLUMNS = {"risks": ("likelihood", "annual_exposure", "lifetime_exposure"),
                 "actions": ("lead_raw", "complete_raw", "success_measures")}
#: A raw column counts as a value column when at least this share of its filled cells are figures.
RAW_NUMERIC_SHARE = 0.6
_FIGURE = re.compile(r"^[-–(£]*\s*[\d,]*\.?\d+\s*[)%mk]?$", re.I)


def value_fill(doc) -> dict[str, dict[str, str]]:  # doc: assistant.ingest.document.Document
    """Per typed table, how many rows have each value column filled ("filled/rows")."""
    out: dict[str, dict[str, str]] = {}
    for table, columns in VALUE_COLUMNS.items():
        rows = doc.rows.get(table, [])
        if rows:
            out[table] = {c: f"{sum(1 for r in rows if r.get(c) not in (None, ''))}/{len(rows)}" for c in columns}
    values = doc.rows.get("kpi_values", [])
    if values:
        kinds = Counter(v["kind"] for v in values)
        out["kpi_values"] = {k: f"{sum(1 for v in values if v['kind'] == k and (v.get('value') is not None or v.get('status')))}/{n}"
                             for k, n in sorted(kinds.items())}
    lines = doc.rows.get("budget_lines", [])
    if lines:
        measures = Counter(b["measure"] for b in lines)
        out["budget_lines"] = {m: f"{sum(1 for b in lines if b['measure'] == m and b.get('amount') is not None)}/{n}"
                               for m, n in sorted(measures.items())}
        out["budget_lines"]["is_total"] = str(sum(1 for b in lines if b.get("is_total")))
    for _, t, kind, _ in doc.tables:  # figures columns of the raw tables that fed a typed table
        body = [r for r in t.rows if not r.spanning and not getattr(r, "total", False)]
        if kind == "unclassified" or not body:
            continue
        cols = out.setdefault(f"raw {kind} figures", {})
        for i, h in enumerate(t.header):
            cells = [r.cells[i].strip() for r in body if i < len(r.cells) and r.cells[i].strip()]
            if cells and sum(1 for c in cells if _FIGURE.match(c)) >= RAW_NUMERIC_SHARE * len(cells):
                key = " ".join(h.split()[:4]) or f"column {i + 1}"
                a, b = (int(x) for x in cols.get(key, "0/0").split("/"))
                cols[key] = f"{a + sum(1 for c in cells if _FIGURE.match(c))}/{b + len(body)}"
    raw_totals = [r for _, t, _, _ in doc.tables for r in t.rows if getattr(r, "total", False)]
    if raw_totals:
        out["raw_rows"] = {"total rows": str(len(raw_totals))}
    return out


#: Words of a row's defining text compared with pdfplumber's page text (pdfplumber interleaves the
#: lines of wrapped cells with their neighbours', so only the start of a cell is contiguous there).
CHECK_WORDS = 2
_MAIN_TEXT = {"actions": "action", "kpis": "description", "risks": "risk", "budget_lines": "line_item"}


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def check(path: Path) -> dict[str, object]:
    """Compare typed rows with pdfplumber's own text of their page: the first words of each row's
    defining text and each KPI value must be there. Also counts rows per department."""
    from collections import defaultdict

    import pdfplumber

    from assistant.ingest.document import meta_for, parse_document
    from assistant.ingest.readers import read_source

    source = read_source(path)
    doc = parse_document(source, meta_for(source, {}))
    with pdfplumber.open(path) as pdf:
        pages = {i: _norm(p.extract_text() or "") for i, p in enumerate(pdf.pages, start=1)}
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_department: dict[str, Counter[str]] = defaultdict(Counter)
    for table, column in _MAIN_TEXT.items():
        for row in doc.rows.get(table, []):
            text = " ".join(_norm(str(row.get(column) or "")).split()[:CHECK_WORDS])
            page = row.get("page")
            if not text or not page:
                continue
            found[table][1] += 1
            found[table][0] += text in pages.get(page, "")
            per_department[table][str(row.get("department"))] += 1
    kpi_pages = {k["kpi_id"]: k.get("page") for k in doc.rows.get("kpis", [])}
    for v in doc.rows.get("kpi_values", []):
        page = kpi_pages.get(v["kpi_id"])
        if page and v.get("raw"):
            found["kpi_values"][1] += 1
            found["kpi_values"][0] += _norm(v["raw"]) in pages.get(page, "")
    return {"document": path.name, "found": {k: tuple(v) for k, v in found.items()},
            "per_department": {k: dict(v) for k, v in per_department.items()}}


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), default=DEFAULT_FOLDER)
@click.option("--json", "json_out", type=click.Path(path_type=Path), default=None, help="Also write the figures here.")
@click.option("--check", "do_check", is_flag=True,
              help="Also compare typed rows with pdfplumber's text of their page, and count rows per department.")
@click.option("--fill", "do_fill", is_flag=True,
              help="Also print, per typed table, how many rows have each value column filled.")
def main(folder: Path, json_out: Path | None, do_check: bool, do_fill: bool) -> None:
    """Print parsing figures per PDF of FOLDER (parsing only: no database, no embeddings)."""
    from rich.console import Console
    from rich.table import Table

    if do_check:
        for p in sorted(folder.glob("*.pdf")):
            r = check(p)
            print(r["document"])
            for table, (ok, total) in r["found"].items():  # type: ignore[union-attr]
                print(f"  {table}: {ok}/{total} found in pdfplumber's text of their page")
            for table, counts in r["per_department"].items():  # type: ignore[union-attr]
                print(f"  {table} per department: " + ", ".join(f"{d} {n}" for d, n in sorted(counts.items())))
    results = [measure(p) for p in sorted(folder.glob("*.pdf"))]
    table = Table(title=f"PDF parsing benchmark: {folder}")
    for col in ("document", "pages", "tables", "typed", "unclassified", "rows typed per kind", "seconds", "pages/s"):
        table.add_column(col, justify="left" if col in ("document", "rows typed per kind") else "right")
    for r in results:
        if "error" in r:
            table.add_row(str(r["document"]), "-", "-", "-", "-", str(r["error"]), str(r["seconds"]), "-")
            continue
        rows = ", ".join(f"{k} {v}" for k, v in r["rows"].items())  # type: ignore[union-attr]
        table.add_row(str(r["document"]), str(r["pages"]), str(r["tables"]), str(r["typed tables"]),
                      str(r["unclassified"]), rows or "-", f"{r['seconds']:.2f}", f"{r['pages/s']:.1f}")
    if do_fill:
        for r in results:
            if "error" not in r:
                print(r["document"])
                for t, cols in r["fill"].items():  # type: ignore[union-attr]
                    print(f"  {t}: " + ", ".join(f"{c} {v}" for c, v in cols.items()))
    ok = [r for r in results if "error" not in r]
    pages = sum(int(r["pages"]) for r in ok)  # type: ignore[call-overload]
    seconds = sum(float(r["seconds"]) for r in ok)  # type: ignore[arg-type]
    console = Console(width=200)
    console.print(table)
    console.print(f"total: {len(ok)} PDFs, {pages} pages in {seconds:.2f} s = "
                  f"{pages / seconds if seconds else 0:.2f} pages/s (parsing only; embedding excluded)")
    if json_out:
        json_out.write_text(json.dumps({"folder": str(folder), "documents": results,
                                        "pages": pages, "seconds": round(seconds, 2)}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
