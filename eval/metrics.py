"""Scoring: fact matching, correctness, citation coverage, retrieval recall and summaries.

Matching is case-insensitive and forgiving about typography only: quotes, dashes, markdown stars,
whitespace and thousands separators are normalised on both sides, and a fact that starts or ends
with a letter or digit must not be glued to another one ("8.9" does not match "18.9" or "8.95").

Money is the one place where formatting goes beyond typography: a fact that is nothing but an amount
of money also matches any sterling amount in the answer with exactly the same value, however it is
written ("£8.4m" matches "£8.4 million", "£8,400,000", "£8.40m"). An amount of money is a number
with the £ sign and an optional unit ("£8.4m", "£6,000,000", "£ 1.25 million", "£2bn", "£41k"), or a
number with a unit word that cannot mean anything else ("8.4 million", "2 billion", "3mn", "1.2bn";
not "81m", which may be metres, nor "10k"). The answer's amount needs the £ sign; no rounding is
allowed ("£8.4m" does not match "£8,412,000"); a fact with other words around the amount is matched
as text only. Units: k/thousand (10³), m/mn/million (10⁶), bn/billion (10⁹).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.config import REPO_ROOT
from assistant.models import Answer, Citation, Hit
from assistant.text import normalise
from eval.gold import KIND_OPS, KINDS, OPS, GoldItem


@lru_cache(maxsize=4096)
def _fact_pattern(fact: str) -> re.Pattern[str]:
    norm = normalise(fact)
    prefix = r"(?<![a-z0-9])" if norm[:1].isalnum() else ""
    suffix = r"(?![a-z0-9])" if norm[-1:].isalnum() else ""
    return re.compile(prefix + re.escape(norm) + suffix)


@lru_cache(maxsize=256)
def _normalised(text: str) -> str:
    return normalise(text)


# A sterling amount in normalised text (thousands separators already removed): "£8.4m", "£ 8.4 million".
_MONEY = re.compile(r"£\s?(\d+(?:\.\d+)?)\s?(k|thousand|m|mn|million|bn|billion)?(?!\.?[a-z0-9])")
_MONEY_SCALE: dict[str, int] = {"": 1, "k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6,
                                "million": 10**6, "bn": 10**9, "billion": 10**9}


def _money_value(number: str, unit: str | None) -> Decimal | None:
    try:
        return Decimal(number) * _MONEY_SCALE[unit or ""]
    except (InvalidOperation, KeyError):
        return None


# An amount without the £ sign, whose unit word says it is an amount of money ("8.4 million").
_AMOUNT_WORDS = re.compile(r"(\d+(?:\.\d+)?)\s?(million|billion|mn|bn)")


@lru_cache(maxsize=4096)
def money_fact(fact: str) -> Decimal | None:
    """The value of a fact that is only an amount of money ("£8.4m", "8.4 million" -> 8400000), else None."""
    norm = normalise(fact)
    m = _MONEY.fullmatch(norm) or _AMOUNT_WORDS.fullmatch(norm)
    return _money_value(m.group(1), m.group(2)) if m else None


def money_values(text: str) -> set[Decimal]:
    """Every sterling amount the text states, as values."""
    values = (_money_value(m.group(1), m.group(2)) for m in _MONEY.finditer(_normalised(text)))
    return {v for v in values if v is not None}


def contains_fact(text: str, fact: str) -> bool:
    """Whether ``text`` states ``fact`` (see module docstring for the rules)."""
    if not fact.strip():
        return True
    if _fact_pattern(fact).search(_normalised(text)) is not None:
        return True
    value = money_fact(fact)
    return value is not None and value in money_values(text)


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
    op: str = ""  # the operation asked for (GoldItem.operation)
    style: tuple[str, ...] = ()
    dialogue: str | None = None  # dialogue id of a conversation turn
    turn: int = 0  # 1-based turn number in its dialogue; 0 for a single question
    gold_file: str = ""
    expected_route: str = ""

    @property
    def confident_wrong(self) -> bool:
        """Answered (no abstention, no error) and not correct: the worst outcome (DESIGN.md §4)."""
        return not self.correct and not self.abstained and self.error is None

    def to_dict(self) -> dict[str, object]:
        out = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}
        out["confident_wrong"] = self.confident_wrong
        return out


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
    per_op: dict[str, Rate] = field(default_factory=dict)
    per_style: dict[str, Rate] = field(default_factory=dict)  # a question counts once per style label
    per_gold_file: dict[str, Rate] = field(default_factory=dict)
    single_accuracy: Rate = Rate(0, 0)  # questions outside dialogues
    turn_accuracy: Rate = Rate(0, 0)  # every turn of every dialogue
    per_turn: dict[int, Rate] = field(default_factory=dict)  # by 1-based turn number
    dialogue_accuracy: Rate = Rate(0, 0)  # dialogues with every turn correct
    confident_wrong: int = 0  # answered, not abstained, not correct (errors excluded)
    confident_wrong_unanswerable: int = 0  # of which: an unanswerable question answered

    def to_dict(self) -> dict[str, object]:
        return {
            "system": self.system,
            "accuracy": self.accuracy.to_dict(),
            "per_kind": {k: r.to_dict() for k, r in self.per_kind.items()},
            "per_op": {k: r.to_dict() for k, r in self.per_op.items()},
            "per_style": {k: r.to_dict() for k, r in self.per_style.items()},
            "per_gold_file": {k: r.to_dict() for k, r in self.per_gold_file.items()},
            "single_accuracy": self.single_accuracy.to_dict(),
            "turn_accuracy": self.turn_accuracy.to_dict(),
            "per_turn": {str(k): r.to_dict() for k, r in self.per_turn.items()},
            "dialogue_accuracy": self.dialogue_accuracy.to_dict(),
            "confident_wrong": self.confident_wrong,
            "confident_wrong_unanswerable": self.confident_wrong_unanswerable,
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


def _grouped(results: Sequence[ItemResult], keys: Callable[[ItemResult], Iterable[Any]],
             order: Sequence[Any] = ()) -> dict[Any, Rate]:
    """Accuracy per key (a result may have several keys), known keys in ``order`` first."""
    groups: dict[Any, list[bool]] = {}
    for r in results:
        for key in keys(r):
            groups.setdefault(key, []).append(r.correct)
    ordered = [k for k in order if k in groups] + sorted((k for k in groups if k not in order), key=str)
    return {k: Rate(sum(groups[k]), len(groups[k])) for k in ordered}


def abstention_rates(results: Sequence[ItemResult]) -> tuple[Rate, Rate]:
    """Precision and recall of abstaining; the positive class is "abstained", the truth is kind
    ``unanswerable``. Precision: abstentions on unanswerable questions / all abstentions; recall:
    unanswerable questions abstained on / all unanswerable questions."""
    unanswerable = [r for r in results if r.kind == "unanswerable"]
    abstained = [r for r in results if r.abstained]
    return (Rate(sum(1 for r in abstained if r.kind == "unanswerable"), len(abstained)),
            Rate(sum(1 for r in unanswerable if r.abstained), len(unanswerable)))


def dialogue_rates(results: Sequence[ItemResult]) -> tuple[Rate, dict[int, Rate], Rate]:
    """Turn accuracy over all dialogue turns, per turn number, and whole dialogues all correct."""
    turns = [r for r in results if r.dialogue is not None]
    per_turn = _grouped(turns, lambda r: (r.turn,), order=sorted({r.turn for r in turns}))
    by_dialogue: dict[tuple[str, str], list[bool]] = {}
    for r in turns:
        by_dialogue.setdefault((r.gold_file, r.dialogue or ""), []).append(r.correct)
    whole = Rate(sum(1 for flags in by_dialogue.values() if all(flags)), len(by_dialogue))
    return rate(r.correct for r in turns), per_turn, whole


def summarise(system: str, results: Sequence[ItemResult]) -> Summary:
    """Aggregate item results into the metrics of the report."""
    per_kind = {k: rate(r.correct for r in results if r.kind == k) for k in KINDS}
    per_kind = {k: v for k, v in per_kind.items() if v.total}
    precision, recall = abstention_rates(results)
    turn_accuracy, per_turn, dialogue_accuracy = dialogue_rates(results)
    wrong = [r for r in results if r.confident_wrong]
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
        abstention_precision=precision,
        abstention_recall=recall,
        citation_accuracy=rate(r.citation_ok for r in results),
        recall_at_5=rate(r.recall_hit for r in results),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        errors=sum(1 for r in results if r.error is not None),
        latency_by_route=by_route,
        grounded_accuracy=rate(r.correct and r.citation_ok is not False for r in results),
        per_op=_grouped(results, lambda r: (r.op or KIND_OPS.get(r.kind, r.kind),), order=OPS),
        per_style=_grouped(results, lambda r: r.style),
        per_gold_file=_grouped(results, lambda r: (r.gold_file,) if r.gold_file else (),
                               order=list(dict.fromkeys(r.gold_file for r in results))),
        single_accuracy=rate(r.correct for r in results if r.dialogue is None),
        turn_accuracy=turn_accuracy,
        per_turn=per_turn,
        dialogue_accuracy=dialogue_accuracy,
        confident_wrong=len(wrong),
        confident_wrong_unanswerable=sum(1 for r in wrong if r.kind == "unanswerable"),
    )
