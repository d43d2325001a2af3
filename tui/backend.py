"""What the TUI needs from the pipeline, as a small protocol, and its implementation over the core.

The TUI only talks to a ``Backend``. ``AssistantBackend`` implements it over the real router,
pipeline and DuckDB store; every heavy import happens lazily inside its methods, and nothing here
imports textual. Methods block: the app calls them from thread workers.

Warm-up (loading the embedding model) does not hold the lock that answers take, so a question
that needs no model (a SQL plan) is answered while the model is still loading; one that needs it
waits inside the retrieval stage's own lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from pathlib import Path
from typing import Any, Protocol

from assistant.config import REPO_ROOT, Settings
from assistant.errors import PlanAssistantError
from assistant.models import Answer, Filters
from tui.pages import PageMap

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
PAGED_SUFFIXES = frozenset({".pdf"})  # formats whose lines are on pages (Word and HTML have none)


@dataclass(frozen=True)
class DocumentOption:
    """A document the user can filter on."""

    doc_id: str
    title: str
    council: str


@dataclass(frozen=True)
class FilterOptions:
    """The values the filter dialog offers; ``document_departments`` maps a doc_id to its
    departments, so the department choice can narrow to the chosen document (or council)."""

    councils: tuple[str, ...] = ()
    documents: tuple[DocumentOption, ...] = ()
    departments: tuple[str, ...] = ()
    document_departments: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)

    def documents_of(self, council: str | None) -> tuple[DocumentOption, ...]:
        """The documents of ``council`` (all of them when None)."""
        return tuple(d for d in self.documents if council is None or d.council == council)

    def departments_of(self, council: str | None, document: str | None) -> tuple[str, ...]:
        """Departments of the document, else of the council's documents, else all of them."""
        if not self.document_departments or (council is None and document is None):
            return self.departments
        docs = [document] if document is not None else [d.doc_id for d in self.documents_of(council)]
        found = {dept for doc in docs for dept in self.document_departments.get(doc, ())}
        return tuple(d for d in self.departments if d in found)


@dataclass(frozen=True)
class Heading:
    """A section heading of a source file, for the viewer's "jump to section"."""

    line: int
    level: int
    heading: str


class Backend(Protocol):
    """Everything the TUI asks of the pipeline (all methods may block)."""

    settings: Settings

    def index_exists(self) -> bool: ...
    def ingest(self, progress: ProgressFn | None = None) -> str: ...
    def warm(self) -> None: ...
    def ask(self, question: str, filters: Filters | None = None) -> Answer: ...
    def reset_conversation(self) -> None: ...
    def detach_conversation(self) -> object: ...
    def restore_conversation(self, token: object) -> None: ...
    def read_source(self, file: str) -> list[str]: ...
    def line_pages(self, file: str) -> tuple[int | None, ...]: ...
    def outline(self, file: str) -> list[Heading]: ...
    def filter_options(self) -> FilterOptions: ...
    def examples(self) -> list[str]: ...


# Shown when the database cannot suggest better ones (e.g. before anything is ingested).
GENERIC_EXAMPLES: tuple[str, ...] = (
    "What are the council's priorities?",
    "How many actions are there in the service plans?",
    "What are we doing about climate change?",
)
MAX_EXAMPLES = 6  # the empty state shows at most this many example questions


class AssistantBackend:
    """The real backend: router Conversation, ingest pipeline and the DuckDB store of ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.RLock()  # answers and ingest, one at a time
        self._assistant: Any = None
        self._conversation: Any = None
        self._sources: dict[str, Any] = {}  # file -> DocumentText (lines and their pages)
        self._ingested: frozenset[str] | None = None
        self._page_maps: dict[str, PageMap] = {}

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
            # another process's ingest holds the lock: say so on the progress screen while waiting
            on_wait = (lambda message: progress(message, 0, 0)) if progress else None
            report = ingest_corpus(self.settings, index=True, progress=progress, on_wait=on_wait)
            self._assistant = self._conversation = None  # reopen the new store on next use
            self._sources.clear()
            self._page_maps.clear()
            self._ingested = None
        return summarize_report(report)

    def _conversation_for_use(self) -> Any:
        if self._conversation is None:
            from assistant.router import Assistant, Conversation

            if self._assistant is None:
                self._assistant = Assistant(self.settings)
            self._conversation = Conversation(self._assistant)
        return self._conversation

    def warm(self) -> None:
        """Load the embedding model and open the stores, so the first answer is quick.

        Only creating the assistant holds the answer lock; the slow model load runs beside
        answers, so that a question needing no model is not kept waiting behind it."""
        with self._lock:
            self._conversation_for_use()
            assistant = self._assistant
        assistant.warm()

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        """Answer through the conversation, so that follow-ups can refer to earlier turns; a PDF
        citation comes back with its page and its lines counted on that page (``tui.pages``)."""
        with self._lock:
            answer = self._conversation_for_use().ask(question, filters)
        return self.with_page_lines(answer)

    def with_page_lines(self, answer: Answer) -> Answer:
        """``answer`` with each PDF citation as a ``PageCitation`` (page and lines on that page)."""
        cited = tuple(self._page_map(c.file).cite(c) for c in answer.citations)
        return answer if cited == answer.citations else replace(answer, citations=cited)

    def _page_map(self, file: str) -> PageMap:
        if file not in self._page_maps:
            pages: tuple[int | None, ...] = ()
            if Path(file).suffix.lower() in PAGED_SUFFIXES:
                try:
                    pages = self.line_pages(file)
                except PlanAssistantError as exc:  # a label without page lines, not a failure
                    log.info("no pages for %s: %s", file, exc)
            self._page_maps[file] = PageMap(pages)
        return self._page_maps[file]

    def reset_conversation(self) -> None:
        """Forget earlier turns (a new conversation)."""
        with self._lock:
            self._conversation = None

    def detach_conversation(self) -> object:
        """Start a new conversation and return the old one, for ``restore_conversation`` (undo)."""
        with self._lock:
            old, self._conversation = self._conversation, None
            return old

    def restore_conversation(self, token: object) -> None:
        """Go back to a conversation returned by ``detach_conversation``."""
        with self._lock:
            if token is not None:
                self._conversation = token

    # -- sources and metadata ---------------------------------------------------------------
    def read_source(self, file: str) -> list[str]:
        """The lines of a cited, ingested file, numbered as its citations count them (for a PDF,
        Word or HTML file: the lines its reader laid out at ingest).

        Only files listed in the ``documents`` table are read, whatever a citation names."""
        return list(self._document(file).lines)

    def line_pages(self, file: str) -> tuple[int | None, ...]:
        """The page of each line of a PDF source (empty for formats without pages)."""
        return tuple(self._document(file).line_pages)

    def _document(self, file: str) -> Any:
        if file not in self._sources:
            if file not in self._ingested_files():
                raise PlanAssistantError(f"not an ingested document: {file}")
            self._sources[file] = load_document(file, self.settings)
        return self._sources[file]

    def _ingested_files(self) -> frozenset[str]:
        if self._ingested is None:
            self._ingested = frozenset(str(f) for (f,) in self._select("SELECT file FROM documents"))
        return self._ingested

    def outline(self, file: str) -> list[Heading]:
        """The section headings of an ingested file with their first lines, in file order."""
        from assistant.sql.connect import run_select

        _, rows = run_select(self.settings, "SELECT line_start, level, heading FROM sections "
                             "WHERE file = ? AND heading IS NOT NULL AND level > 0 "
                             "ORDER BY line_start, level", (file,), limit=5000)
        return [Heading(int(line), int(level or 0), str(heading)) for line, level, heading in rows
                if line is not None and str(heading).strip()]

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
        by_doc: dict[str, list[str]] = {}
        for doc_id, dept in self._select("SELECT DISTINCT doc_id, department FROM sections "
                                         "WHERE department IS NOT NULL AND trim(department) <> '' ORDER BY 1, 2"):
            by_doc.setdefault(str(doc_id), []).append(str(dept))
        return FilterOptions(tuple(councils), tuple(DocumentOption(*d) for d in docs),
                             tuple(d for (d,) in depts), {k: tuple(v) for k, v in by_doc.items()})

    def examples(self) -> list[str]:
        """Example questions built from what was ingested, alternating a councillor's words and an
        officer's; generic ones when the database cannot suggest any."""
        found: dict[str, list[str]] = {"councillor": [], "officer": []}
        for example in example_queries():
            try:
                question = self._example(example.sql, example.template)
            except PlanAssistantError as exc:
                log.info("no example from the database: %s", exc)
                continue
            except Exception:  # noqa: BLE001 - examples are a convenience, never fatal
                log.exception("example question failed")
                continue
            if question:
                found[example.voice].append(question)
        mixed = [q for pair in zip_longest(found["councillor"], found["officer"]) for q in pair if q]
        return list(dict.fromkeys(mixed))[:MAX_EXAMPLES] or list(GENERIC_EXAMPLES)

    def _example(self, sql: str, template: str) -> str | None:
        rows = self._select(sql)
        if not rows or not rows[0][0]:
            return None
        return template.format(phrase(str(rows[0][0])))


@dataclass(frozen=True)
class ExampleQuery:
    """A query returning one short phrase, the question it goes into, and whose words those are."""

    sql: str
    template: str
    voice: str  # "councillor" (plain words) or "officer" (the plans' own terms)


# Deterministic order and short phrases. Councillors ask in plain words; officers use the plans'
# terms (lead officer, KPI target, number of). Templates only; every phrase comes from the data,
# and the SQL names tables and columns by their roles in the semantic layer.
EXAMPLE_PHRASE_CHARS = (15, 50)   # an example's phrase is this long: short enough to read, long enough to mean
EXAMPLE_GROUP_ROWS = (3, 15)      # a group suggested has this many rows: a real group, not a whole table


def example_queries() -> tuple[ExampleQuery, ...]:
    """The example questions' queries, read from the semantic layer: the first table whose rows have
    a lead and a due date, the first with values by period, the first with money, a group and a date."""
    from assistant.router.semantic import semantics

    sems = list(semantics().values())
    led = next((s for s in sems if s.who_raw and s.due), None)
    measured = next((s for s in sems if s.values), None)
    priced = next((s for s in sems if s.amount and s.due and s.groups), None)
    short, long_ = EXAMPLE_PHRASE_CHARS
    out: list[ExampleQuery] = []

    def with_value(kind: str, order: str) -> str:
        assert measured is not None
        what = f"k.{measured.what}"
        return (f"SELECT {what} FROM {measured.table} k WHERE length({what}) BETWEEN 12 AND {long_} "
                f"AND regexp_matches({what}, '^[A-Z][a-z]+ [a-z]+ ') AND EXISTS (SELECT 1 FROM {measured.values} v "
                f"WHERE v.{measured.key} = k.{measured.key} AND v.kind = '{kind}' AND v.value IS NOT NULL) "
                f"ORDER BY length({what}) {order}, {what} LIMIT 1")

    if led and led.due:
        out.append(ExampleQuery(
            f"SELECT {led.what} FROM {led.table} WHERE {led.who_raw} IS NOT NULL AND trim({led.who_raw}) <> '' "
            f"AND {led.due.date} IS NOT NULL AND length({led.what}) BETWEEN {short} AND {long_} "
            f"ORDER BY length({led.what}), {led.what} LIMIT 1",
            "Who is responsible for {} and when will it be done?", "councillor"))
    if measured:
        out.append(ExampleQuery(with_value("target", "ASC"), "KPI target for {}?", "officer"))
    if priced:
        group, (fewest, most) = priced.groups[0], EXAMPLE_GROUP_ROWS
        out.append(ExampleQuery(
            f"SELECT {group} FROM {priced.table} WHERE {group} IS NOT NULL AND length({group}) <= 25 "
            f"GROUP BY {group} HAVING count(*) BETWEEN {fewest} AND {most} ORDER BY count(*) DESC, {group} LIMIT 1",
            "Which {} contracts are coming up, and what are they worth?", "councillor"))
    if led:
        out.append(ExampleQuery(
            f"SELECT department FROM {led.table} WHERE department IS NOT NULL GROUP BY department "
            f"ORDER BY count(*) DESC, department LIMIT 1", "{} - number of actions?", "officer"))
    if measured:
        out.append(ExampleQuery(with_value("latest", "DESC"), "Are we on track with {}?", "councillor"))
    if led and led.due:
        out.append(ExampleQuery(
            f"SELECT {led.what} FROM {led.table} WHERE {led.due.date} IS NOT NULL AND {led.who_raw} IS NOT NULL "
            f"AND length({led.what}) BETWEEN {short} AND 60 ORDER BY {led.due.date} DESC, {led.what} LIMIT 1",
            "{} - lead officer and completion date?", "officer"))
    return tuple(out)


def phrase(text: str) -> str:
    """A table cell as a phrase inside a question: one line, no trailing punctuation."""
    return " ".join(text.split()).rstrip(" .;:,")


def load_document(file: str, settings: Settings) -> Any:
    """The lines and pages of an ingested file, through the ingest stage's ``document_text`` (which
    reads a structured file's lines from the ``pages`` table); a ``DocumentText``."""
    from assistant.ingest.sourcetext import DocumentText, document_text
    from assistant.sql.connect import connect_readonly

    path = resolve_source(file, settings)
    name = file if (REPO_ROOT / file).is_file() or Path(file).is_absolute() else str(path)
    con = None
    try:
        con = connect_readonly(settings)
    except PlanAssistantError as exc:
        log.info("no database for page numbers: %s", exc)
    try:
        doc = document_text(name, con)
    finally:
        if con is not None:
            con.close()
    if doc is None:
        raise PlanAssistantError(f"cannot read {Path(file).name}: see the log for why")
    return doc if isinstance(doc, DocumentText) else DocumentText(tuple(doc.lines))


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
