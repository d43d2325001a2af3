"""Scoring: fact matching, correctness, citation coverage, retrieval recall and summaries.

Matching is case-insensitive and forgiving about typography only: quotes, dashes, markdown stars,
whitespace and thousands separators are normalised on both sides, and a fact that starts or ends
with a letter or digit must not be glued to another one ("8.9" does not match "18.9" or "8.95").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.config import REPO_ROOT
from assistant.models import Answer, Citation, Hit
from eval.gold import KINDS, GoldItem

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": " ",
                         "\u2014": " ", "\u2010": " ", "\u2011": " ", "-": " ", "*": " ", "\t": " "})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case text with typographic variants and thousands separators folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = _THOUSANDS.sub("", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def _fact_pattern(fact: str) -> re.Pattern[str]:
    norm = normalise(fact)
    prefix = r"(?<![a-z0-9])" if norm[:1].isalnum() else ""
    suffix = r"(?![a-z0-9])" if norm[-1:].isalnum() else ""
    return re.compile(prefix + re.escape(norm) + suffix)


@lru_cache(maxsize=256)
def _normalised(text: str) -> str:
    return normalise(text)


def contains_fact(text: str, fact: str) -> bool:
    """Whether ``text`` states ``fact`` (see module docstring for the rules)."""
    if not fact.strip():
        return True
    return _fact_pattern(fact).search(_normalised(text)) is not None


def missing_facts(item: GoldItem, text: str) -> tuple[str, ...]:
    """The expected facts that ``text`` does not state (any-of groups shown joined by ' | ')."""
    missing = [m for m in item.must_contain if not contains_fact(text, m)]
    if item.must_contain_any and not any(contains_fact(text, a) for a in item.must_contain_any):
        missing.append(" | ".join(item.must_contain_any))
    return tuple(missing)


def is_correct(item: GoldItem, answer: Answer) -> bool:
    """DESIGN.md §6: every must_contain string (and one of must_contain_any, when given) is in the
    answer; an unanswerable question is correct exactly when the system abstains."""
    if not item.answerable:
        return answer.abstained
    if answer.abstained:
        return False
    return not missing_facts(item, answer.answer)


def route_ok(item: GoldItem, answer: Answer) -> bool | None:
    """Route check for questions with a definite expected route; None when not applicable."""
    if not item.answerable or item.route == "either":
        return None
    return answer.route == item.route


# ---- citations -------------------------------------------------------------------------------

def resolve_source(source_file: str, corpus_dir: Path | None = None) -> Path | None:
    """The file a gold ``source_file`` names: absolute, relative to the repo, or in the corpus."""
    p = Path(source_file)
    candidates = [p] if p.is_absolute() else [REPO_ROOT / p, Path.cwd() / p]
    if corpus_dir is not None:
        candidates.append(Path(corpus_dir) / p.name)
    for c in candidates:
        if c.is_file():
            return c.resolve()
    return None


@lru_cache(maxsize=64)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def quote_spans(path: Path, quote: str) -> tuple[tuple[int, int], ...]:
    """Every (first line, last line) span, 1-based inclusive, where ``quote`` occurs in the file."""
    text = _read(path)
    spans: list[tuple[int, int]] = []
    if not quote:
        return ()
    start = text.find(quote)
    while start != -1:
        first = text.count("\n", 0, start) + 1
        body = quote.rstrip("\n")
        spans.append((first, first + body.count("\n")))
        start = text.find(quote, start + 1)
    return tuple(spans)


def _same_file(cited: str, source: Path) -> bool:
    return Path(cited).name == source.name


def span_covers(citation: Citation, source: Path, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a citation's line span covers one occurrence of the quote in the same file."""
    if not _same_file(citation.file, source):
        return False
    return any(citation.line_start <= a and citation.line_end >= b for a, b in spans)


def citation_ok(item: GoldItem, answer: Answer, corpus_dir: Path | None = None) -> bool | None:
    """Whether one of the answer's citations covers the gold quote; None for unanswerable or
    unlocatable quotes."""
    if not item.answerable:
        return None
    located = _gold_spans(item, corpus_dir)
    if located is None:
        return None
    source, spans = located
    return any(span_covers(c, source, spans) for c in answer.citations)


def _gold_spans(item: GoldItem, corpus_dir: Path | None) -> tuple[Path, tuple[tuple[int, int], ...]] | None:
    """The gold quote's source file and line spans, or None when either cannot be found."""
    source = resolve_source(item.source_file, corpus_dir)
    if source is None:
        return None
    spans = quote_spans(source, item.source_quote)
    return (source, spans) if spans else None


def retrieval_hit(item: GoldItem, hits: Iterable[Hit], corpus_dir: Path | None = None) -> bool | None:
    """Recall@k for one question: a retrieved passage's span overlaps the gold quote."""
    located = _gold_spans(item, corpus_dir)
    if located is None:
        return None
    source, spans = located
    for hit in hits:
        c = hit.citation
        if _same_file(c.file, source) and any(c.line_start <= b and c.line_end >= a for a, b in spans):
            return True
    return False


# ---- aggregation -----------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); NaN for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    pos = (len(s) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


@dataclass(frozen=True)
class Rate:
    """A proportion with its counts (value is None when nothing was measured)."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def to_dict(self) -> dict[str, float | int | None]:
        v = self.value
        return {"value": None if v is None else round(v, 4), "hits": self.hits, "total": self.total}


def rate(flags: Iterable[bool | None]) -> Rate:
    """Proportion of True among the non-None flags."""
    measured = [f for f in flags if f is not None]
    return Rate(sum(1 for f in measured if f), len(measured))


@dataclass(frozen=True)
class ItemResult:
    """The outcome of one gold question for one system."""

    id: str
    kind: str
    question: str
    expected: str
    expected_facts: tuple[str, ...]
    answer: str
    route: str
    abstained: bool
    correct: bool
    route_ok: bool | None
    citation_ok: bool | None
    recall_hit: bool | None
    latency_ms: float
    missing: tuple[str, ...] = ()
    error: str | None = None
    explanation: str = ""  # how the system decided (Answer.explanation), to act on a failure
    source_file: str = ""

    def to_dict(self) -> dict[str, object]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Summary:
    """All metrics of one system over one gold set."""

    system: str
    accuracy: Rate
    per_kind: dict[str, Rate]
    route_accuracy: Rate
    abstention_precision: Rate
    abstention_recall: Rate
    citation_accuracy: Rate
    recall_at_5: Rate
    latency_p50_ms: float
    latency_p95_ms: float
    errors: int
    latency_by_route: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    grounded_accuracy: Rate = Rate(0, 0)  # correct and (for answerable) citing the quote's lines

    def to_dict(self) -> dict[str, object]:
        return {
            "system": self.system,
            "accuracy": self.accuracy.to_dict(),
            "per_kind": {k: r.to_dict() for k, r in self.per_kind.items()},
            "route_accuracy": self.route_accuracy.to_dict(),
            "abstention_precision": self.abstention_precision.to_dict(),
            "abstention_recall": self.abstention_recall.to_dict(),
            "citation_accuracy": self.citation_accuracy.to_dict(),
            "grounded_accuracy": self.grounded_accuracy.to_dict(),
            "recall_at_5": self.recall_at_5.to_dict(),
            "latency_p50_ms": _round(self.latency_p50_ms),
            "latency_p95_ms": _round(self.latency_p95_ms),
            "latency_by_route": {r: {"p50_ms": _round(a), "p95_ms": _round(b), "n": n}
                                 for r, (a, b, n) in self.latency_by_route.items()},
            "errors": self.errors,
        }


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 2)


def summarise(system: str, results: Sequence[ItemResult]) -> Summary:
    """Aggregate item results into the metrics of the report."""
    per_kind = {k: rate(r.correct for r in results if r.kind == k) for k in KINDS}
    per_kind = {k: v for k, v in per_kind.items() if v.total}
    unanswerable = [r for r in results if r.kind == "unanswerable"]
    abstained = [r for r in results if r.abstained]
    latencies = [r.latency_ms for r in results if r.error is None]
    by_route: dict[str, tuple[float, float, int]] = {}
    for route in sorted({r.route for r in results if r.error is None}):
        lat = [r.latency_ms for r in results if r.route == route and r.error is None]
        by_route[route] = (percentile(lat, 50), percentile(lat, 95), len(lat))
    return Summary(
        system=system,
        accuracy=rate(r.correct for r in results),
        per_kind=per_kind,
        route_accuracy=rate(r.route_ok for r in results),
        abstention_precision=Rate(sum(1 for r in abstained if r.kind == "unanswerable"), len(abstained)),
        abstention_recall=Rate(sum(1 for r in unanswerable if r.abstained), len(unanswerable)),
        citation_accuracy=rate(r.citation_ok for r in results),
        recall_at_5=rate(r.recall_hit for r in results),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        errors=sum(1 for r in results if r.error is not None),
        latency_by_route=by_route,
        grounded_accuracy=rate(r.correct and r.citation_ok is not False for r in results),
    )
