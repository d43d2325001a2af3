"""`plan-assistant ingest [PATH...] [--no-index]`: progress bar, then a summary table."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from assistant.config import get_settings
from assistant.textsafe import plain, plain_console, rich_text


class _RateColumn(ProgressColumn):
    """Items per second of a stage: vectors/s while embedding (issue 11), else files or rows/s."""

    def render(self, task: Task) -> Text:
        if not task.speed:
            return Text("")
        unit = "vectors/s" if task.description == "embed" else "/s"
        return Text(f"{task.speed:,.0f} {unit}".replace(" /s", "/s"), style="progress.data.speed")


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
@click.option("--no-wait", is_flag=True,
              help="If another ingest is running in this home, stop at once instead of waiting for it.")
def ingest(paths: tuple[Path, ...], no_index: bool, no_wait: bool) -> None:
    """Parse documents (default: the bundled corpus) into DuckDB, then index them.

    The database mirrors the documents given: unchanged files are skipped, changed ones replaced,
    missing ones removed. Files that cannot be read are reported and the rest goes on. Exit code 1
    when there was any problem (files or index).
    """
    from assistant.pipeline import ingest_corpus

    settings = get_settings()
    console = Console(stderr=True, highlight=False, emoji=False)
    err = plain_console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  _RateColumn(), TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(plain(stage), total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        def waiting(message: str) -> None:
            bar.console.print(rich_text(message))

        report = ingest_corpus(settings, list(paths) or None, index=not no_index, progress=progress,
                               wait=not no_wait, on_wait=waiting)
    out = plain_console()
    out.print(_summary(report))
    if report.index_stats is not None:
        out.print(rich_text(f"index: {report.index_stats}"))
    if report.cleaned:
        out.print(rich_text(f"removed {len(report.cleaned)} left-over file(s) of an interrupted ingest"))
    for file, message in report.left_out:
        out.print(rich_text(f"left out {file}: {message}", newlines=False), soft_wrap=True)
    for file, message in report.problems:
        line = Text("problem ", style="red")
        line.append_text(rich_text(f"{file}: {message}", newlines=False))
        out.print(line, soft_wrap=True)
    if report.problems:
        err.print(f"{len(report.problems)} problem(s)")
        raise SystemExit(1)
