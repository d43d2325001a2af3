"""`plan-assistant eval` and `plan-assistant bench`."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.config import Settings

log = logging.getLogger(__name__)

BASELINE_NAMES = ("naive-rag", "bm25")
SYSTEM_NAMES = ("ours", *BASELINE_NAMES)


def _offline_env() -> None:
    for key, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
        os.environ.setdefault(key, value)


def _baselines(values: tuple[str, ...]) -> tuple[str, ...]:
    """Baseline names from repeated and/or comma-separated options, validated."""
    names = tuple(n.strip() for v in values for n in v.split(",") if n.strip())
    bad = [n for n in names if n not in BASELINE_NAMES]
    if bad:
        raise click.BadParameter(f"unknown baseline(s) {', '.join(bad)}; choose from {', '.join(BASELINE_NAMES)}")
    return names


def _settings() -> Settings:
    """Settings from the environment, with a one-line error instead of a validation traceback."""
    from pydantic import ValidationError

    from assistant.errors import ConfigError

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"PLAN_ASSISTANT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigError(f"invalid configuration: {problems}") from exc


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


@click.command("eval")
@click.option("--gold", "gold_paths", type=click.Path(path_type=Path), multiple=True,
              help="Gold JSONL file, questions and/or dialogues (repeatable: the files are run together "
                   "and also reported one by one; default: eval/gold.jsonl).")
@click.option("--json", "json_out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the JSON report here.")
@click.option("--baseline", "baselines", multiple=True, callback=lambda ctx, param, value: _baselines(value),
              metavar="NAME[,NAME]", help=f"Baseline(s) beside the assistant: {', '.join(BASELINE_NAMES)} "
                                           "(repeatable or comma-separated; default: all).")
@click.option("--no-baselines", is_flag=True, help="Run only the system under test.")
@click.option("--system", "system", type=click.Choice(SYSTEM_NAMES), default="ours", show_default=True,
              help="The system under test.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N questions.")
@click.option("--every", type=click.IntRange(min=1), default=None, help="Only every N-th question.")
@click.option("--kind", "kinds", multiple=True, help="Only questions of this kind (repeatable).")
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Report directory (default: eval/reports).")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="Exit with status 1 when the accuracy (%) of the system under test is below this.")
def eval_command(gold_paths: tuple[Path, ...], json_out: Path | None, baselines: tuple[str, ...], no_baselines: bool,
                 system: str, limit: int | None, every: int | None, kinds: tuple[str, ...],
                 out_dir: Path | None, fail_under: float | None) -> None:
    """Measure accuracy against a gold set, beside the naive-rag and bm25 baselines."""
    _offline_env()
    from eval.gold import KINDS, default_gold_path, load_golds
    from eval.report import (REPORTS_DIR, conversation_table, headline_table, metrics_table, per_gold_file_table,
                             per_kind_table, per_op_table, write_reports)
    from eval.runner import run_eval, select

    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise click.BadParameter(f"unknown kind(s) {', '.join(bad)}; choose from {', '.join(KINDS)}",
                                 param_hint="--kind")
    paths = list(gold_paths) or [default_gold_path()]
    items = select(load_golds(paths), limit=limit, every=every, kinds=kinds)
    if not items:
        raise click.UsageError("no gold question left after --kind/--every/--limit")
    systems = [system] + ([] if no_baselines else [b for b in (baselines or BASELINE_NAMES) if b != system])
    console = Console(stderr=True)
    settings = _settings()
    if "ours" in systems and not settings.db_path.exists():
        console.print(f"No database at {settings.db_path}: ingesting {settings.corpus} first (one-off, a few minutes).")
    with _progress(console) as bar:
        run = run_eval(settings, items, systems, gold=", ".join(map(str, paths)), progress=_bar_updater(bar))
    written = write_reports(run, out_dir or REPORTS_DIR, json_out)
    out = Console()
    for title, lines in (("Accuracy", headline_table(run)), ("Per gold file", per_gold_file_table(run)),
                         ("Per kind", per_kind_table(run)), ("Per operation", per_op_table(run)),
                         ("Conversations", conversation_table(run)), ("Metrics", metrics_table(run))):
        if lines:
            out.print(_markdown_table(title, lines))
    out.print(f"Reports: {written.markdown}  {written.json}  {written.chart or '(no chart)'}")
    accuracy = run.summaries[run.primary].accuracy.value or 0.0
    if fail_under is not None and 100 * accuracy < fail_under:
        raise click.ClickException(f"accuracy {100 * accuracy:.1f}% is below --fail-under {fail_under:.1f}%")


def _bar_updater(bar: Progress):  # noqa: ANN202 - returns a ProgressFn
    """A progress callback with one bar per system."""
    tasks: dict[str, object] = {}

    def progress(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done)  # type: ignore[arg-type]

    return progress


def _markdown_table(title: str, lines: list[str]) -> Table:
    """A rich table from the Markdown table lines of the report (one source of truth)."""
    def cells(line: str) -> list[str]:
        return [c.strip().replace("**", "") for c in line.strip().strip("|").split("|")]

    table = Table(title=title, title_justify="left")
    for head in cells(lines[0]):
        table.add_column(head)
    for line in lines[2:]:
        table.add_row(*cells(line))
    return table


@click.command("bench")
@click.option("--json", "json_out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the JSON figures here.")
@click.option("--factor", type=click.IntRange(min=1), default=20, show_default=True,
              help="Size of the synthetic corpus, as a multiple of the bundled one.")
@click.option("--skip-synthetic", is_flag=True, help="Do not ingest the synthetic corpus.")
@click.option("--index-synthetic/--no-index-synthetic", default=True, show_default=True,
              help="Embed and index the synthetic corpus too, and time queries over it.")
@click.option("--queries", type=click.IntRange(min=1), default=60, show_default=True,
              help="How many gold questions to time per route measurement.")
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Report directory (default: eval/reports).")
def bench_command(json_out: Path | None, factor: int, skip_synthetic: bool, index_synthetic: bool, queries: int,
                  out_dir: Path | None) -> None:
    """Print whole-process benchmarks: ingest, query latency per route, memory, cold start."""
    _offline_env()
    from eval.bench import BenchOptions, render_rows, run_bench, write_bench
    from eval.report import REPORTS_DIR

    console = Console(stderr=True)
    options = BenchOptions(factor=factor, synthetic=not skip_synthetic, index_synthetic=index_synthetic,
                           queries=queries)
    with console.status("benchmarking…") as status:
        result = run_bench(_settings(), options, note=lambda msg: status.update(msg))
    table = Table(title="Plan Assistant benchmarks", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in render_rows(result):
        table.add_row(label, value)
    Console().print(table)
    path = write_bench(result, out_dir or REPORTS_DIR, json_out)
    Console().print(f"Saved: {path}")
