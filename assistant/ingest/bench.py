"""Ingest benchmark: `python -m assistant.ingest.bench [--factor 20]`.

Measures the DuckDB ingest only (parsing, normalising, writing; no embeddings, no Chroma) of the
bundled corpus and of a synthetic corpus ``factor`` times larger, each into a fresh temporary home,
and prints time, rows and rows per second.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click

from assistant.config import BUNDLED_CORPUS, Settings


def _measure(label: str, corpus: Path, home: Path) -> dict[str, float | int | str]:
    from assistant.pipeline import ingest_corpus

    t0 = time.perf_counter()
    report = ingest_corpus(Settings(home=home, corpus=corpus), index=False)
    seconds = time.perf_counter() - t0
    typed = sum(report.rows.values())
    lines = sum(len(f.read_text(encoding="utf-8", errors="replace").splitlines())
                for f in corpus.iterdir() if f.is_file() and f.name != "manifest.json")
    return {"corpus": label, "documents": report.documents, "lines": lines, "tables": report.tables,
            "typed rows": typed, "seconds": round(seconds, 3), "rows/s": round(typed / seconds) if seconds else 0,
            "lines/s": round(lines / seconds) if seconds else 0, "problems": len(report.problems)}


@click.command()
@click.option("--factor", default=20, show_default=True, help="Size of the synthetic corpus (copies).")
@click.option("--corpus", type=click.Path(path_type=Path, exists=True, file_okay=False), default=BUNDLED_CORPUS)
def main(factor: int, corpus: Path) -> None:
    """Print DuckDB ingest time and rows/s for the corpus and a synthetic corpus `factor` x larger."""
    from rich.console import Console
    from rich.table import Table

    from assistant.ingest.synthetic import make_synthetic_corpus

    results = []
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as tmp:
        root = Path(tmp)
        results.append(_measure("bundled", corpus, root / "home1"))
        synth = root / "synthetic"
        t0 = time.perf_counter()
        make_synthetic_corpus(corpus, synth, factor=factor)
        gen = time.perf_counter() - t0
        results.append(_measure(f"synthetic x{factor}", synth, root / "home2"))
    table = Table(title="Ingest benchmark (DuckDB only: no embeddings, no Chroma)")
    for key in results[0]:
        table.add_column(key, justify="right" if key != "corpus" else "left")
    for r in results:
        table.add_row(*[str(v) for v in r.values()])
    console = Console(width=140)
    console.print(table)
    console.print(f"synthetic corpus generated in {gen:.2f} s")


if __name__ == "__main__":
    main()
