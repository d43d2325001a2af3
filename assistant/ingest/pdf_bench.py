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


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), default=DEFAULT_FOLDER)
@click.option("--json", "json_out", type=click.Path(path_type=Path), default=None, help="Also write the figures here.")
def main(folder: Path, json_out: Path | None) -> None:
    """Print parsing figures per PDF of FOLDER (parsing only: no database, no embeddings)."""
    from rich.console import Console
    from rich.table import Table

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
