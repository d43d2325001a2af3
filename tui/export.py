"""Export an answer to Markdown (answer, rows, SQL, citations) and its rows to CSV.

Pure Python (no textual). Files are named from the question, never overwritten.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.errors import PlanAssistantError
from assistant.models import Answer

ROUTE_NAMES = {"sql": "SQL (table facts)", "text": "text (cited passages)", "none": "not found"}


@dataclass(frozen=True)
class ExportResult:
    """Where an export went."""

    markdown: Path
    csv: Path | None


def export_answer(answer: Answer, directory: Path, now: datetime | None = None) -> ExportResult:
    """Write ``<stamp>-<slug>.md`` (and ``.csv`` when the answer has rows) under ``directory``."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        stem = _free_stem(directory, f"{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}-{slug(answer.question)}")
        md_path = directory / f"{stem}.md"
        md_path.write_text(answer_markdown(answer), encoding="utf-8")
        csv_path = None
        if answer.columns and answer.rows:
            csv_path = directory / f"{stem}.csv"
            write_csv(answer, csv_path)
    except OSError as exc:
        raise PlanAssistantError(f"could not export to {directory}: {exc.strerror or exc}") from exc
    return ExportResult(md_path, csv_path)


def slug(text: str, max_len: int = 48) -> str:
    """A file-name-safe slug of a question."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (words[:max_len].rstrip("-")) or "answer"


def _free_stem(directory: Path, stem: str) -> str:
    candidate, n = stem, 2
    while (directory / f"{candidate}.md").exists() or (directory / f"{candidate}.csv").exists():
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def write_csv(answer: Answer, path: Path) -> None:
    """The answer's rows with a header row of its column names."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(answer.columns)
        for row in answer.rows:
            writer.writerow(["" if v is None else str(v) for v in row])


def answer_markdown(answer: Answer) -> str:
    """A self-contained Markdown rendering: question, route, answer, rows, SQL and sources."""
    parts = [f"# {answer.question}", "",
             f"*Route:* {ROUTE_NAMES.get(answer.route, answer.route)}"
             + (" (abstained)" if answer.abstained else "")
             + f" · *confidence:* {answer.confidence:.2f}", "", answer.answer.strip(), ""]
    if answer.columns and answer.rows:
        parts += ["## Rows", "", markdown_table(answer.columns, answer.rows), ""]
    if answer.sql:
        parts += ["## SQL", "", "```sql", answer.sql.strip(), "```", ""]
    if answer.citations:
        parts += ["## Nearest passages (not an answer)" if answer.abstained else "## Sources", ""]
        for n, c in enumerate(answer.citations, 1):
            parts.append(f"{n}. {c.title or c.file} — {c.section} — `{c.file}` lines {c.line_start}–{c.line_end}")
            if c.quote:
                parts.append(f"   > {' '.join(c.quote.split())}")
        parts.append("")
    return "\n".join(parts)


def markdown_table(columns: tuple[str, ...] | list[str], rows: tuple[tuple[Any, ...], ...] | list) -> str:
    """A GitHub-flavoured Markdown table; pipes and newlines in cells are escaped."""
    def cell(v: Any) -> str:
        return "" if v is None else " ".join(str(v).split()).replace("|", "\\|")
    lines = ["| " + " | ".join(cell(c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def answer_plain_text(answer: Answer) -> str:
    """The answer and its numbered sources, for the clipboard."""
    lines = [answer.answer.strip()]
    for n, c in enumerate(answer.citations, 1):
        lines.append(f"[{n}] {c.title or c.file}, {c.section}, {c.file} lines {c.line_start}-{c.line_end}")
    return "\n".join(lines)
