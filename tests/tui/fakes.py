"""A fake backend for pilot and snapshot tests: deterministic answers built from the real corpus
files (so citations point at real lines), gates to hold an answer or the model load, and a record
of what was asked.

Answers are chosen by the kind of question (a list, a lookup, passages, markup in data), not
tuned to any particular wording the router would see.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import BUNDLED_CORPUS, Settings
from assistant.models import Answer, Citation, Filters
from tui.backend import DocumentOption, FilterOptions, Heading

SERVICE_PLANS = "corpus/derbyshire-county-service-plans-2020-21.txt"
COUNCIL_PLAN = "corpus/derby-city-council-plan-2022-25.txt"
SERVICE_TITLE = "Derbyshire County Council Service Plans 2020-21"
COUNCIL_TITLE = "Derby City Council Plan 2022-25"
_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
MARKUP = "[/b] [link=https://example.invalid]click me[/link] [bold]not bold :x:"


def corpus_lines(file: str) -> list[str]:
    return (BUNDLED_CORPUS.parent / file).read_text(encoding="utf-8").split("\n")


def procurement_rows(limit: int) -> list[tuple[str, str, str, int]]:
    """(title, value, start, line) for the first ``limit`` forward-plan lines of the service plans."""
    found = []
    for n, line in enumerate(corpus_lines(SERVICE_PLANS), 1):
        cells = line.split("\t")
        if len(cells) == 3 and cells[1].startswith("£") and _DATE.match(cells[2].strip()):
            found.append((cells[0].strip(), cells[1].strip(), cells[2].strip(), n))
            if len(found) == limit:
                break
    return found


def list_answer(question: str, count: int = 36) -> Answer:
    rows = procurement_rows(count)
    columns = ("title", "value_raw", "start_raw", "department", "council", "file", "line_start", "line_end")
    table = tuple((t, v, s, "Commissioning, Communities and Policy", "Derbyshire County Council", SERVICE_PLANS, n, n)
                  for t, v, s, n in rows)
    lines = [f"{i}) {t} — starts {s} — {v}" for i, (t, v, s, _) in enumerate(rows, 1)]
    citations = tuple(Citation(SERVICE_PLANS, SERVICE_TITLE, "Forward Plan of Procurement Projects", n, n,
                               corpus_lines(SERVICE_PLANS)[n - 1].replace("\t", " | ")) for *_, n in rows)
    return Answer(question=question, route="sql",
                  answer=f"There are {len(rows)} contracts on the forward plan:\n" + "\n".join(lines),
                  confidence=0.9, citations=citations,
                  sql="SELECT title, value_raw, start_raw FROM procurements ORDER BY line_start",
                  columns=columns, rows=table)


def lookup_answer(question: str) -> Answer:
    title, value, start, n = procurement_rows(3)[2]
    return Answer(question=question, route="sql",
                  answer=f"**{title}** is worth {value} and starts {start}.", confidence=0.85,
                  citations=(Citation(SERVICE_PLANS, SERVICE_TITLE, "Forward Plan of Procurement Projects", n, n,
                                      corpus_lines(SERVICE_PLANS)[n - 1].replace("\t", " | ")),),
                  sql=f"SELECT title, value_raw, start_raw FROM procurements WHERE line_start = {n}",
                  columns=("title", "value_raw", "start_raw", "file", "line_start", "line_end"),
                  rows=((title, value, start, SERVICE_PLANS, n, n),))


def passage_answer(question: str) -> Answer:
    lines = corpus_lines(COUNCIL_PLAN)
    n = next(i for i, line in enumerate(lines, 1) if len(line) > 200)
    return Answer(question=question, route="text", answer="<p>" + lines[n - 1][:300] + "</p>", confidence=0.7,
                  citations=(Citation(COUNCIL_PLAN, COUNCIL_TITLE, "Our priorities", n, n, lines[n - 1][:120]),))


def markup_answer(question: str) -> Answer:
    return Answer(question=question, route="sql", answer=f"The cell says {MARKUP}", confidence=0.9,
                  citations=(Citation("corpus/[/y]odd[link=x].txt", "[bold]Title[/bold] [/b]", "[/i] section",
                                      1, 1, "quote [/b] :x:"),),
                  sql="SELECT '[/b]' AS a", columns=("a[/b]", "b"), rows=(("[/b]", "[link=https://x]y"),))


@dataclass
class FakeBackend:
    """Implements ``tui.backend.Backend`` without the pipeline."""

    settings: Settings
    asked: list[str] = field(default_factory=list)
    ask_gate: threading.Event = field(default_factory=threading.Event)
    warm_gate: threading.Event = field(default_factory=threading.Event)
    conversations: int = 0
    restored: list[object] = field(default_factory=list)
    pages: dict[str, tuple[int | None, ...]] = field(default_factory=dict)  # file -> page of each line
    example_questions: tuple[str, ...] = (
        "Who is responsible for Highways review and when will it be done?",
        "KPI target for Spend on agency staff - CCP?",
        "Which Finance contracts are coming up, and what are they worth?",
        "Commissioning, Communities and Policy - number of actions?",
    )

    def __post_init__(self) -> None:
        self.ask_gate.set()
        self.warm_gate.set()

    def index_exists(self) -> bool:
        return True

    def ingest(self, progress=None) -> str:  # noqa: ANN001
        return "nothing"

    def warm(self) -> None:
        self.warm_gate.wait(timeout=60)

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        self.asked.append(question)
        self.ask_gate.wait(timeout=60)
        low = question.lower()
        if "markup" in low:
            return markup_answer(question)
        if "list" in low or "contracts" in low:
            return list_answer(question)
        if "worth" in low or "value" in low:
            return lookup_answer(question)
        self.warm_gate.wait(timeout=60)  # passages need the model
        return passage_answer(question)

    def reset_conversation(self) -> None:
        self.conversations += 1

    def detach_conversation(self) -> object:
        self.conversations += 1
        return f"conversation-{self.conversations - 1}"

    def restore_conversation(self, token: object) -> None:
        self.restored.append(token)

    def read_source(self, file: str) -> list[str]:
        return corpus_lines(file)

    def line_pages(self, file: str) -> tuple[int | None, ...]:
        return self.pages.get(file, ())

    def outline(self, file: str) -> list[Heading]:
        return [Heading(n, 2, line.strip()) for n, line in enumerate(corpus_lines(file), 1)
                if re.match(r"^\d+\. [A-Z]", line) and "\t" not in line and len(line) < 60]

    def filter_options(self) -> FilterOptions:
        docs = (DocumentOption("derby-city-council-plan-2022-25", COUNCIL_TITLE, "Derby City Council"),
                DocumentOption("derby-city-pledges-delivery-plan-2016-19", "Derby City Pledges 2016-19",
                               "Derby City Council"),
                DocumentOption("derbyshire-county-service-plans-2020-21", SERVICE_TITLE, "Derbyshire County Council"))
        by_doc = {"derby-city-pledges-delivery-plan-2016-19": ("Finance and Governance", "Urban Renewal (Housing)"),
                  "derbyshire-county-service-plans-2020-21": ("Adult Social Care and Health", "Children's Services")}
        departments = tuple(sorted({d for ds in by_doc.values() for d in ds}))
        return FilterOptions(("Derby City Council", "Derbyshire County Council"), docs, departments, by_doc)

    def examples(self) -> list[str]:
        return list(self.example_questions)


def fake_settings(home: Path) -> Settings:
    return Settings(home=home)
