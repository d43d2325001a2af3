"""Run gold questions through systems (the assistant and baselines) and score every answer."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from assistant.config import Settings
from assistant.errors import PlanAssistantError
from assistant.models import Answer, Hit
from eval.baselines import System, make_baseline
from eval.gold import GoldItem
from eval.metrics import (ItemResult, Summary, citation_ok, is_correct, missing_facts, quote_spans,
                          resolve_source, retrieval_hit, route_ok, summarise)

log = logging.getLogger(__name__)

OURS = "ours"
RECALL_K = 5
ProgressFn = Callable[[str, int, int], None]


class OursSystem:
    """The system under test: ``assistant.router.Assistant``, plus its retriever for recall@5."""

    name = OURS

    def __init__(self, settings: Settings) -> None:
        try:
            from assistant.router import Assistant
        except ImportError as exc:
            raise PlanAssistantError(f"the assistant (assistant.router.Assistant) is not available: {exc}") from exc
        self._settings = settings
        self._assistant = Assistant(settings)
        self._retriever = None
        warm = getattr(self._assistant, "warm", None)
        if callable(warm):
            warm()

    def ask(self, question: str) -> Answer:
        return self._assistant.ask(question)

    def retrieve(self, question: str, k: int = RECALL_K) -> list[Hit]:
        if self._retriever is None:
            from assistant.retrieval import Retriever

            self._retriever = Retriever(self._settings)
        return list(self._retriever.search(question, k=k))

    def close(self) -> None:
        return None


def ensure_ingested(settings: Settings, progress: ProgressFn | None = None) -> None:
    """Build the database and index when they do not exist yet (a fresh clone)."""
    if settings.db_path.exists():
        return
    log.info("no database at %s: ingesting %s first", settings.db_path, settings.corpus)
    from assistant.pipeline import ingest_corpus

    ingest_corpus(settings, index=True, progress=progress)


def make_system(name: str, settings: Settings) -> System:
    """``ours`` or a baseline name."""
    if name == OURS:
        ensure_ingested(settings)
        return OursSystem(settings)
    return make_baseline(name, settings)


def _error_answer(question: str, message: str) -> Answer:
    return Answer(question=question, route="none", answer="", abstained=False, explanation=message)


def evaluate_item(system: System, item: GoldItem, corpus_dir: Path | None = None,
                  recall_kinds: Sequence[str] = ("text",)) -> ItemResult:
    """Ask one question, time it and score it; errors are recorded, never raised."""
    error: str | None = None
    start = time.perf_counter()
    try:
        answer = system.ask(item.question)
    except PlanAssistantError as exc:
        answer, error = _error_answer(item.question, str(exc)), f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - one bad question must not stop the run
        log.exception("system %s failed on %s", system.name, item.id)
        answer, error = _error_answer(item.question, str(exc)), f"{type(exc).__name__}: {exc}"
    latency = (time.perf_counter() - start) * 1000.0
    if error is None and not isinstance(answer, Answer):
        error = f"TypeError: {system.name}.ask returned {type(answer).__name__}, not Answer"
        answer = _error_answer(item.question, error)
    recall = None
    retrieve = getattr(system, "retrieve", None)
    if item.kind in recall_kinds and callable(retrieve):
        try:
            recall = retrieval_hit(item, retrieve(item.question, RECALL_K), corpus_dir)
        except Exception as exc:  # noqa: BLE001 - recall is optional
            log.warning("retrieval for recall@5 failed on %s: %s", item.id, exc)
    correct = error is None and is_correct(item, answer)
    return ItemResult(
        id=item.id, kind=item.kind, question=item.question, expected=item.answer,
        expected_facts=item.must_contain + ((" | ".join(item.must_contain_any),) if item.must_contain_any else ()),
        answer=answer.answer, route=answer.route, abstained=answer.abstained, correct=correct,
        route_ok=route_ok(item, answer), citation_ok=citation_ok(item, answer, corpus_dir),
        recall_hit=recall, latency_ms=latency,
        missing=() if correct or not item.answerable else missing_facts(item, answer.answer),
        error=error, explanation=getattr(answer, "explanation", "") or "", source_file=item.source_file)


def run_system(system: System, items: Sequence[GoldItem], corpus_dir: Path | None = None,
               progress: ProgressFn | None = None) -> list[ItemResult]:
    """Every gold question through one system, in order."""
    results: list[ItemResult] = []
    for i, item in enumerate(items, start=1):
        results.append(evaluate_item(system, item, corpus_dir))
        if progress:
            progress(system.name, i, len(items))
    return results


@dataclass(frozen=True)
class EvalRun:
    """Everything one `plan-assistant eval` run measured."""

    gold: str
    n_questions: int
    started_at: str
    systems: tuple[str, ...]
    results: dict[str, tuple[ItemResult, ...]] = field(default_factory=dict)
    summaries: dict[str, Summary] = field(default_factory=dict)
    setup_seconds: dict[str, float] = field(default_factory=dict)
    unlocated: tuple[str, ...] = ()  # ids whose source_quote could not be found (no citation/recall check)

    @property
    def primary(self) -> str:
        """The system the report is about (ours when present)."""
        return OURS if OURS in self.systems else self.systems[0]


def run_eval(settings: Settings, items: Sequence[GoldItem], system_names: Sequence[str], gold: str = "",
             progress: ProgressFn | None = None,
             factory: Callable[[str, Settings], System] = make_system) -> EvalRun:
    """Build each system, run the gold questions through it and summarise."""
    if not items:
        raise PlanAssistantError("no gold questions to run")
    if not system_names:
        raise PlanAssistantError("no system to evaluate")
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results: dict[str, tuple[ItemResult, ...]] = {}
    summaries: dict[str, Summary] = {}
    setup: dict[str, float] = {}
    for name in dict.fromkeys(system_names):
        t0 = time.perf_counter()
        system = factory(name, settings)
        setup[name] = round(time.perf_counter() - t0, 3)
        try:
            res = tuple(run_system(system, items, Path(settings.corpus), progress))
        finally:
            close = getattr(system, "close", None)
            if callable(close):
                close()
        results[name] = res
        summaries[name] = summarise(name, res)
    return EvalRun(gold=gold, n_questions=len(items), started_at=started, systems=tuple(results),
                   results=results, summaries=summaries, setup_seconds=setup,
                   unlocated=unlocated_quotes(items, Path(settings.corpus)))


def unlocated_quotes(items: Sequence[GoldItem], corpus_dir: Path | None = None) -> tuple[str, ...]:
    """Ids of answerable questions whose source file or quote cannot be found, with a warning each."""
    missing: list[str] = []
    for item in items:
        if not item.answerable:
            continue
        source = resolve_source(item.source_file, corpus_dir)
        if source is None or not quote_spans(source, item.source_quote):
            log.warning("%s: source_quote not found in %s; citation and recall are not checked for it",
                        item.id, item.source_file)
            missing.append(item.id)
    return tuple(missing)


def select(items: Sequence[GoldItem], limit: int | None = None, every: int | None = None,
           kinds: Sequence[str] = ()) -> list[GoldItem]:
    """A deterministic subset: only some kinds, every n-th question, then at most ``limit``."""
    out = [i for i in items if not kinds or i.kind in kinds]
    if every and every > 1:
        out = out[::every]
    if limit is not None and limit >= 0:
        out = out[:limit]
    return out


__all__ = ["EvalRun", "OURS", "OursSystem", "ensure_ingested", "evaluate_item",
           "make_system", "run_eval", "run_system", "select"]
