"""Headless timings of the TUI over the real backend: ``python -m tui.bench [--size 120x40]``.

Prints the time to first paint, to model ready, per question from Enter to its card on screen,
and to open a source. Uses the configured home (``PLAN_ASSISTANT_HOME``), which must be ingested.
"""

from __future__ import annotations

import asyncio
import os
import time

import click


async def _measure(size: tuple[int, int], questions: list[str]) -> list[tuple[str, float]]:
    from assistant.config import get_settings
    from tui.app import make_app
    from tui.backend import AssistantBackend
    from tui.history import History
    from tui.screens import SourceScreen
    from tui.widgets import AnswerCard

    figures: list[tuple[str, float]] = []
    backend = AssistantBackend(get_settings())
    t0 = time.perf_counter()
    app = make_app(backend, history=History(), show_timings=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        figures.append(("first paint", time.perf_counter() - t0))
        while not app.model_ready:
            if app.query_one("#status").model_state.startswith("error"):
                raise click.ClickException(f"the model did not load: {app.query_one('#status').model_state}")
            await pilot.pause(0.05)
        figures.append(("model ready", time.perf_counter() - t0))
        questions = questions or app.examples
        for question in questions:
            before = len(app.query(AnswerCard))
            start = time.perf_counter()
            app.ask(question)
            while len(app.query(AnswerCard)) == before and app.busy:
                await pilot.pause(0.01)
            await pilot.pause()
            figures.append((f"answer card: {question}", time.perf_counter() - start))
        start = time.perf_counter()
        await pilot.press("ctrl+o")
        while not isinstance(app.screen, SourceScreen):
            await pilot.pause(0.01)
        await pilot.pause()
        figures.append(("open source viewer", time.perf_counter() - start))
    return figures


@click.command()
@click.option("--size", default="120x40", help="Terminal size WIDTHxHEIGHT.")
@click.argument("questions", nargs=-1)
def main(size: str, questions: tuple[str, ...]) -> None:
    """Time the TUI (default questions: the example questions it offers)."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
        os.environ.setdefault(name, value)
    width, height = (int(x) for x in size.lower().split("x"))
    for label, seconds in asyncio.run(_measure((width, height), list(questions))):
        click.echo(f"{seconds * 1000:9.1f} ms  {label}")


if __name__ == "__main__":
    main()
