"""What the TUI needs from the pipeline, as a small protocol, and its implementation over the core.

The TUI only talks to a ``Backend``. ``AssistantBackend`` implements it over the real router,
pipeline and DuckDB store; every heavy import happens lazily inside its methods, and nothing here
imports textual. Methods block: the app calls them from thread workers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from assistant.config import REPO_ROOT, Settings
from assistant.errors import PlanAssistantError
from assistant.models import Answer, Filters

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DocumentOption:
    """A document the user can filter on."""

    doc_id: str
    title: str
    council: str


@dataclass(frozen=True)
class FilterOptions:
    """The values the filter dialog offers."""

    councils: tuple[str, ...] = ()
    documents: tuple[DocumentOption, ...] = ()
    departments: tuple[str, ...] = ()


class Backend(Protocol):
    """Everything the TUI asks of the pipeline (all methods may block)."""

    settings: Settings

    def index_exists(self) -> bool: ...
    def ingest(self, progress: ProgressFn | None = None) -> str: ...
    def warm(self) -> None: ...
    def ask(self, question: str, filters: Filters | None = None) -> Answer: ...
    def reset_conversation(self) -> None: ...
    def read_source(self, file: str) -> list[str]: ...
    def filter_options(self) -> FilterOptions: ...
    def examples(self) -> list[str]: ...


# Shown when the database cannot suggest better ones (e.g. before anything is ingested).
GENERIC_EXAMPLES: tuple[str, ...] = (
    "What are the council's priorities?",
    "How many actions are there in the service plans?",
    "What does the plan say about climate change?",
)
# An off-topic question shows newcomers that the assistant abstains instead of guessing.
OFF_TOPIC_EXAMPLE = "Who won the 1966 World Cup?"


class AssistantBackend:
    """The real backend: router Conversation, ingest pipeline and the DuckDB store of ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.RLock()  # the router is not assumed thread-safe
        self._assistant: Any = None
        self._conversation: Any = None
        self._sources: dict[str, list[str]] = {}

    # -- pipeline -------------------------------------------------------------------------
    def index_exists(self) -> bool:
        """True when both the DuckDB file and the Chroma store exist."""
        if self.settings.chroma_url:  # vectors in a Chroma server (plan-assistant serve): none on disk here
            return self.settings.db_path.exists()
        chroma = self.settings.chroma_dir
        return self.settings.db_path.exists() and chroma.is_dir() and any(chroma.iterdir())

    def ingest(self, progress: ProgressFn | None = None) -> str:
        """Ingest and index the corpus; returns a one-line summary."""
        from assistant.pipeline import ingest_corpus

        with self._lock:
            self.settings.ensure_home()
            report = ingest_corpus(self.settings, index=True, progress=progress)
            self._assistant = self._conversation = None  # reopen the new store on next use
            self._sources.clear()
        return summarize_report(report)

    def _conversation_for_use(self) -> Any:
        if self._conversation is None:
            from assistant.router import Assistant, Conversation

            if self._assistant is None:
                self._assistant = Assistant(self.settings)
            self._conversation = Conversation(self._assistant)
        return self._conversation

    def warm(self) -> None:
        """Load the embedding model and open the stores, so the first answer is quick."""
        with self._lock:
            self._conversation_for_use()
            self._assistant.warm()

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        """Answer through the conversation, so that follow-ups can refer to earlier turns."""
        with self._lock:
            return self._conversation_for_use().ask(question, filters)

    def reset_conversation(self) -> None:
        """Forget earlier turns (a new conversation)."""
        with self._lock:
            self._conversation = None

    # -- sources and metadata ---------------------------------------------------------------
    def read_source(self, file: str) -> list[str]:
        """The lines of a cited file (``corpus/x.txt`` relative to the repo, or absolute)."""
        if file not in self._sources:
            path = resolve_source(file, self.settings)
            try:
                self._sources[file] = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError as exc:
                raise PlanAssistantError(f"cannot open source {file}: {exc.strerror or exc}") from exc
        return self._sources[file]

    def _select(self, sql: str) -> list[tuple[Any, ...]]:
        from assistant.sql.connect import run_select

        _, rows = run_select(self.settings, sql, (), limit=1000)
        return [tuple(r) for r in rows]

    def filter_options(self) -> FilterOptions:
        """Councils, documents and departments present in the database."""
        docs = self._select("SELECT doc_id, coalesce(title, doc_id), coalesce(council, '') "
                            "FROM documents ORDER BY council, title")
        depts = self._select("SELECT DISTINCT department FROM sections "
                             "WHERE department IS NOT NULL AND trim(department) <> '' ORDER BY 1")
        councils = sorted({c for _, _, c in docs if c})
        return FilterOptions(tuple(councils), tuple(DocumentOption(*d) for d in docs),
                             tuple(d for (d,) in depts))

    def examples(self) -> list[str]:
        """Example questions built from what was ingested (one per kind), generic ones otherwise."""
        try:
            found = [q for q in (self._example(sql, template) for sql, template in EXAMPLE_QUERIES) if q]
        except PlanAssistantError as exc:
            log.info("no examples from the database: %s", exc)
            found = []
        except Exception:  # noqa: BLE001 - examples are a convenience, never fatal
            log.exception("example questions failed")
            found = []
        questions = list(dict.fromkeys(found)) or list(GENERIC_EXAMPLES)
        return [*questions, OFF_TOPIC_EXAMPLE]

    def _example(self, sql: str, template: str) -> str | None:
        rows = self._select(sql)
        if not rows or not rows[0][0]:
            return None
        return template.format(phrase(str(rows[0][0])))


# (query returning one short phrase, question template); deterministic order, short phrases.
EXAMPLE_QUERIES: tuple[tuple[str, str], ...] = (
    ("SELECT action FROM actions WHERE lead_raw IS NOT NULL AND trim(lead_raw) <> '' "
     "AND length(action) BETWEEN 15 AND 60 ORDER BY length(action), action LIMIT 1",
     'Who leads "{}"?'),
    ("SELECT action FROM actions WHERE complete_date IS NOT NULL "
     "AND length(action) BETWEEN 15 AND 60 ORDER BY complete_date DESC, action LIMIT 1",
     'When is "{}" due to complete?'),
    ("SELECT k.description FROM kpis k JOIN kpi_values v USING (kpi_id) WHERE v.kind = 'target' "
     "AND v.value IS NOT NULL AND length(k.description) BETWEEN 10 AND 60 "
     "ORDER BY length(k.description), k.description LIMIT 1",
     'What is the target for "{}"?'),
    ("SELECT department FROM actions WHERE department IS NOT NULL GROUP BY department "
     "ORDER BY count(*) DESC, department LIMIT 1",
     "How many actions does {} have?"),
    ("SELECT heading FROM sections WHERE level >= 2 AND length(heading) BETWEEN 8 AND 40 "
     "AND heading LIKE '% %' AND NOT regexp_matches(heading, '^[0-9]') "
     "ORDER BY length(text) DESC, heading LIMIT 1",
     'What does the "{}" section say?'),
)


def phrase(text: str) -> str:
    """A table cell as a phrase inside a question: one line, no trailing punctuation."""
    return " ".join(text.split()).rstrip(" .;:,")


def resolve_source(file: str, settings: Settings) -> Path:
    """Find a cited file: absolute, relative to the repo, or by name in the configured corpus."""
    candidates = [Path(file)] if Path(file).is_absolute() else [REPO_ROOT / file]
    candidates.append(Path(settings.corpus) / Path(file).name)
    for path in candidates:
        if path.is_file():
            return path
    raise PlanAssistantError(f"source file not found: {file}")


def summarize_report(report: Any) -> str:
    """One line from an IngestReport, tolerant of counts given as ints or lists."""
    def count(name: str) -> int:
        value = getattr(report, name, 0)
        return len(value) if isinstance(value, (list, tuple, dict, set)) else int(value or 0)

    parts = [f"{count('documents')} documents", f"{count('sections')} sections", f"{count('tables')} tables"]
    problems = count("problems")
    if problems:
        parts.append(f"{problems} problems")
    seconds = getattr(report, "seconds", None)
    return ", ".join(parts) + (f" in {seconds:.1f} s" if isinstance(seconds, (int, float)) else "")
