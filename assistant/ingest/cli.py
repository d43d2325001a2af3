"""`plan-assistant ingest [PATH...] [--no-index]`: progress bar, then a summary table."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.config import get_settings


def _summary(report) -> Table:
    table = Table(title="Ingest summary", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(report.documents))
    table.add_row("  added / updated / skipped / removed",
                  f"{len(report.added)} / {len(report.updated)} / {len(report.skipped)} / {len(report.removed)}")
    table.add_row("sections", str(report.sections))
    table.add_row("tables", str(report.tables))
    for name, n in report.rows.items():
        table.add_row(f"rows: {name}", str(n))
    table.add_row("people", str(report.people))
    table.add_row("unclassified tables", str(report.unclassified_tables))
    table.add_row("problems", str(len(report.problems)))
    table.add_row("seconds", f"{report.seconds:.2f}")
    return table


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-index", is_flag=True, help="Only build DuckDB; skip the Chroma/BM25 index.")
def ingest(paths: tuple[Path, ...], no_index: bool) -> None:
    """Parse documents (default: the bundled corpus) into DuckDB, then index them.

    The database mirrors the documents given: unchanged files are skipped, changed ones replaced,
    missing ones removed. Exit code 1 when any file had a problem.
    """
    from assistant.pipeline import ingest_corpus

    settings = get_settings()
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        report = ingest_corpus(settings, list(paths) or None, index=not no_index, progress=progress)
    out = Console()
    out.print(_summary(report))
    if report.index_stats is not None:
        out.print(f"index: {report.index_stats}")
    for file, message in report.problems:
        out.print(f"[red]problem[/red] {file}: {message}", soft_wrap=True)
    if report.problems:
        raise SystemExit(1)
