"""Export an answer to Markdown (answer, rows, SQL, citations) and its rows to CSV; the copy text.

Pure Python (no textual). Files are named from the question and created exclusively: never
overwritten, never written through a link. CSV cells that a spreadsheet would run as a formula
are prefixed with a quote.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.errors import PlanAssistantError
from assistant.models import Answer, Citation
from assistant.export_safety import safe_csv_cell
from tui.pages import page_span
from tui.text import clean, one_line

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
        with md_path.open("x", encoding="utf-8") as fh:
            fh.write(answer_markdown(answer))
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
    while os.path.lexists(directory / f"{candidate}.md") or os.path.lexists(directory / f"{candidate}.csv"):
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def csv_cell(value: Any) -> str:
    """A CSV cell (assistant/export_safety.py: a would-be formula gets a leading quote)."""
    return safe_csv_cell(value)


def write_csv(answer: Answer, path: Path) -> None:
    """Every column of the answer's rows (original names), one line per row; a new file only."""
    with path.open("x", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([csv_cell(c) for c in answer.columns])
        for row in answer.rows:
            writer.writerow([csv_cell(v) for v in row])


def answer_markdown(answer: Answer) -> str:
    """A self-contained Markdown rendering: question, route, answer, rows, SQL and sources."""
    parts = [f"# {answer.question}", "",
             f"*Route:* {ROUTE_NAMES.get(answer.route, answer.route)}"
             + (" (abstained)" if answer.abstained else "")
             + f" · *confidence:* {answer.confidence:.2f}", "", clean(answer.answer), ""]
    if answer.columns and answer.rows:
        parts += ["## Rows", "", markdown_table(answer.columns, answer.rows), ""]
    if answer.sql:
        parts += ["## SQL", "", "```sql", answer.sql.strip(), "```", ""]
    if answer.citations:
        parts += ["## Nearest passages (not an answer)" if answer.abstained else "## Sources", ""]
        for n, c in enumerate(answer.citations, 1):
            parts.append(f"{n}. {one_line(c.title or c.file)} — {one_line(c.section)} — `{one_line(c.file)}` "
                         f"{place_text(c)}")
            if c.quote:
                parts.append(f"   > {' '.join(clean(c.quote).split())}")
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


def page_of(citation: Citation) -> int | None:
    """The PDF page of a citation, when the citation carries one (optional field)."""
    page = getattr(citation, "page", None)
    return page if isinstance(page, int) and page > 0 else None


def place_text(citation: Citation) -> str:
    """``p. 4, lines 10–12`` (page only for PDF sources; then the lines are counted on that page
    when the citation carries them, see ``tui.pages``)."""
    page = page_of(citation)
    start, end = (page_span(citation) if page else None) or (citation.line_start, citation.line_end)
    span = f"line {start}" if start == end else f"lines {start}–{end}"
    return f"p. {page}, {span}" if page else span


def answer_plain_text(answer: Answer) -> str:
    """The answer, its SQL (when there is one) and its numbered sources, for the clipboard."""
    lines = [f"Q: {one_line(answer.question)}", "", clean(answer.answer)]
    if answer.sql:
        lines += ["", "SQL:", answer.sql.strip()]
    if answer.citations:
        lines += ["", "Nearest passages (not an answer):" if answer.abstained else "Sources:"]
        for n, c in enumerate(answer.citations, 1):
            lines.append(f"[{n}] {one_line(c.title or c.file)}, {one_line(c.section)}, "
                         f"{one_line(c.file)} {place_text(c)}")
    return "\n".join(lines)


def sql_text(answer: Answer) -> str:
    """Just the SQL of an answer ("" when it has none)."""
    return (answer.sql or "").strip()
