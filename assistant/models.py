"""Frozen value types shared by every stage: the answer contract of DESIGN.md §5."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Route = Literal["sql", "text", "none"]


@dataclass(frozen=True)
class Citation:
    """Where a fact came from: a line span of a corpus file (1-based, inclusive), and for a PDF
    the page it is on (lines count through the document's extracted text)."""

    file: str  # relative to the repo, e.g. "corpus/x.txt"
    title: str
    section: str
    line_start: int
    line_end: int
    quote: str
    page: int | None = None  # PDF page of line_start; None for text files

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Filters:
    """Optional restrictions on what is searched or queried."""

    council: str | None = None
    document: str | None = None  # doc_id or file name
    department: str | None = None

    def is_empty(self) -> bool:
        return not (self.council or self.document or self.department)


@dataclass(frozen=True)
class Hit:
    """One retrieved passage or table row."""

    score: float
    text: str
    citation: Citation
    kind: Literal["prose", "row"] = "prose"
    table: str | None = None  # typed table name when kind == "row"
    row_id: str | None = None  # primary key in that table
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "text": self.text, "kind": self.kind, "table": self.table,
                "row_id": self.row_id, "citation": self.citation.to_dict()}


@dataclass(frozen=True)
class Answer:
    """What the assistant says about one question (DESIGN.md §5)."""

    question: str
    route: Route
    answer: str
    abstained: bool = False
    confidence: float = 0.0
    citations: tuple[Citation, ...] = ()
    sql: str | None = None
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    explanation: str = ""  # how the router decided, for --explain and the TUI
    plan: dict[str, Any] | None = field(default=None, compare=False, hash=False)  # QueryPlan.to_dict()
    abstain_reason: str | None = None  # a code when abstained: unknown_name, low_match, ... (router)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "route": self.route,
            "answer": self.answer,
            "abstained": self.abstained,
            "abstain_reason": self.abstain_reason,
            "confidence": round(float(self.confidence), 4),
            "citations": [c.to_dict() for c in self.citations],
            "sql": self.sql,
            "columns": list(self.columns),
            "rows": [[_jsonable(v) for v in row] for row in self.rows],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "plan": self.plan,
        }


def _jsonable(value: Any) -> Any:
    """Dates and decimals as strings, everything else unchanged."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def dedupe_citations(citations: "tuple[Citation, ...] | list[Citation]", limit: int | None = None
                     ) -> tuple[Citation, ...]:
    """Citations without repeats of the same file and line span (first kept), at most `limit`."""
    seen: set[tuple[str, int, int]] = set()
    kept: list[Citation] = []
    for c in citations:
        key = (c.file, c.line_start, c.line_end)
        if key not in seen:
            seen.add(key)
            kept.append(c)
            if limit is not None and len(kept) >= limit:
                break
    return tuple(kept)
