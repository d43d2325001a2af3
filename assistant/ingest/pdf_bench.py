"""PDF parsing benchmark: `python -m assistant.ingest.pdf_bench [FOLDER] [--json out.json]`.

For each PDF of a folder (default ``../shared/pdf`` beside the repository) it times reading and
parsing (pdfplumber, tables, headings, typed rows; no database, no embeddings) and prints the pages,
tables found (and how many fed a typed table), rows per typed table, unclassified tables, seconds
and pages per second. The figures are printed, never asserted.
"""

from __future__ import annotations

import json
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
            "council": doc.meta.council, "period": doc.meta.period, "kind": doc.meta.kind,
            "seconds": round(seconds, 2), "pages/s": round(pages / seconds, 2) if seconds else 0.0}


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
def main(folder: Path, json_out: Path | None, do_check: bool) -> None:
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
