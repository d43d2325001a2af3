"""The `plan-assistant` command: a click group whose subcommands are imported lazily.

Each pipeline stage owns its commands in its own module; this file only maps names to them, so
that `--help` and `sql` stay instant (no torch import).
"""

from __future__ import annotations

import importlib
import sys

import click

from assistant.errors import PlanAssistantError

# name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "ingest": "assistant.ingest.cli:ingest",
    "sql": "assistant.sql.cli:sql",
    "tables": "assistant.sql.cli:tables",
    "search": "assistant.retrieval.cli:search",
    "ask": "assistant.router.cli:ask",
    "chat": "assistant.router.cli:chat",
    "tui": "tui.cli:tui",
    "eval": "eval.cli:eval_command",
    "bench": "eval.cli:bench_command",
    "serve": "assistant.serve.cli:serve",
    "model": "assistant.retrieval.model_cli:model",
}

HELP_SUMMARIES: dict[str, str] = {
    "ingest": "Parse the corpus into DuckDB and index it in Chroma.",
    "sql": "Run a read-only SELECT on the plan database.",
    "tables": "List the tables and their columns.",
    "search": "Hybrid search over passages and table rows.",
    "ask": "Answer a question (SQL facts, cited passages, or 'not in the documents').",
    "chat": "A line-mode conversation on stdin/stdout (follow-ups use earlier answers).",
    "tui": "Open the terminal UI (the default).",
    "eval": "Measure accuracy against a gold set, with baselines.",
    "bench": "Print ingest and query benchmarks.",
    "serve": "Serve the assistant to browsers and a JSON API (one port; token beyond loopback).",
    "model": "Export the embedding model to ONNX once (cached) and show or check it.",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand only when it is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        if ctx.resilient_parsing or "--help" in sys.argv[1:2]:
            return click.Command(cmd_name, help=HELP_SUMMARIES.get(cmd_name, ""))
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, HELP_SUMMARIES.get(name, "")) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except PlanAssistantError as exc:
            from assistant.textsafe import one_line  # messages may quote data: print them as text

            click.echo(f"Error: {one_line(exc, limit=1000)}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="plan-assistant")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Plan Assistant: ask questions of council plan documents, offline.

    With no command, opens the terminal UI on the bundled corpus.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(LazyGroup.get_command(main, ctx, "tui"))  # type: ignore[arg-type]


#: Commands that only read: once they are done the process ends at once, output flushed, without
#: running native libraries' exit-time destructors. Under load, a long `ask --jsonl` session that
#: had seen an ingest replace the database was aborted at exit by a C++ runtime ("terminate called…
#: exception not rethrown", SIGABRT) after every answer had been written.
FAST_EXIT_COMMANDS = frozenset({"ask", "chat", "search", "sql", "tables"})


def run() -> None:
    """The console entry point (`plan-assistant`, `python -m assistant`): `main`, then for the
    read-only commands an immediate exit with the same status."""
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    try:
        main()
    except SystemExit as exc:
        if command not in FAST_EXIT_COMMANDS:
            raise
        import logging
        import os

        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, (int, type(None))):
            print(exc.code, file=sys.stderr)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more can be written anyway
                pass
        logging.shutdown()
        os._exit(code)
