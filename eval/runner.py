"""Run gold questions through systems (the assistant and baselines) and score every answer.

Single questions are asked one by one. The turns of a dialogue are asked in order through one fresh
conversation of the system (``system.conversation()``: for the assistant, one
``assistant.router.Conversation``); a system without conversations (the baselines) answers each
turn on its own. Every turn is scored like a single question.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

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


class Asker(Protocol):
    """Anything that answers a question: a system, or one conversation of it."""

    def ask(self, question: str) -> Answer: ...


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

    def conversation(self) -> Asker:
        """A fresh ``assistant.router.Conversation`` over the same warm assistant."""
        from assistant.router import Conversation

        return Conversation(self._assistant)

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
                  recall_kinds: Sequence[str] = ("text",), asker: Asker | None = None) -> ItemResult:
    """Ask one question (through ``asker``, a conversation, when given), time it and score it;
    errors are recorded, never raised. Recall@5 is measured for single questions only (a follow-up
    alone is not a retrieval query)."""
    error: str | None = None
    start = time.perf_counter()
    try:
        answer = (asker or system).ask(item.question)
    except PlanAssistantError as exc:
        answer, error = _error_answer(item.question, str(exc)), f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - one bad question must not stop the run
        log.exception("system %s failed on %s", system.name, item.id)
        answer, error = _error_answer(item.question, str(exc)), f"{type(exc).__name__}: {exc}"
    latency = (time.perf_counter() - start) * 1000.0
    if error is None and getattr(answer, "abstain_reason", None) == "internal_error":
        error = answer.explanation   # the router's own fault, answered as an apology: still an error
    if error is None and not isinstance(answer, Answer):
        error = f"TypeError: {system.name}.ask returned {type(answer).__name__}, not Answer"
        answer = _error_answer(item.question, error)
    recall = None
    retrieve = getattr(system, "retrieve", None)
    if item.kind in recall_kinds and item.dialogue is None and callable(retrieve):
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
        error=error, explanation=getattr(answer, "explanation", "") or "", source_file=item.source_file,
        op=item.operation, style=item.style, dialogue=item.dialogue, turn=item.turn, gold_file=item.gold_file,
        expected_route=item.route)


def units(items: Sequence[GoldItem]) -> list[tuple[GoldItem, ...]]:
    """The items grouped into what is asked as one: a single question, or all turns of a dialogue."""
    out: list[tuple[GoldItem, ...]] = []
    for item in items:
        prev = out[-1][-1] if out else None
        if (item.dialogue is not None and prev is not None and prev.dialogue == item.dialogue
                and prev.gold_file == item.gold_file):
            out[-1] = (*out[-1], item)
        else:
            out.append((item,))
    return out


def new_conversation(system: System) -> Asker:
    """A fresh conversation of the system, or the system itself when it has none."""
    factory = getattr(system, "conversation", None)
    return factory() if callable(factory) else system


def run_system(system: System, items: Sequence[GoldItem], corpus_dir: Path | None = None,
               progress: ProgressFn | None = None) -> list[ItemResult]:
    """Every gold question through one system, in order; each dialogue in its own conversation."""
    results: list[ItemResult] = []
    for unit in units(items):
        asker: Asker | None = None
        if unit[0].dialogue is not None:
            try:
                asker = new_conversation(system)
            except Exception as exc:  # noqa: BLE001 - scored as an error on every turn below
                log.exception("system %s could not start a conversation for %s", system.name, unit[0].dialogue)
                asker = _Failing(f"{type(exc).__name__}: {exc}")
        for item in unit:
            results.append(evaluate_item(system, item, corpus_dir, asker=asker))
            if progress:
                progress(system.name, len(results), len(items))
    return results


class _Failing:
    """A conversation that could not be started: every turn raises the same error."""

    def __init__(self, message: str) -> None:
        self.message = message

    def ask(self, question: str) -> Answer:
        raise PlanAssistantError(f"no conversation: {self.message}")


@dataclass(frozen=True)
class EvalRun:
    """Everything one `plan-assistant eval` run measured."""

    gold: str
    n_questions: int  # scored questions, every dialogue turn counted
    started_at: str
    systems: tuple[str, ...]
    results: dict[str, tuple[ItemResult, ...]] = field(default_factory=dict)
    summaries: dict[str, Summary] = field(default_factory=dict)
    setup_seconds: dict[str, float] = field(default_factory=dict)
    unlocated: tuple[str, ...] = ()  # ids whose source_quote could not be found (no citation/recall check)
    n_dialogues: int = 0

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
                   unlocated=unlocated_quotes(items, Path(settings.corpus)),
                   n_dialogues=sum(1 for u in units(items) if u[0].dialogue is not None))


def unlocated_quotes(items: Sequence[GoldItem], corpus_dir: Path | None = None) -> tuple[str, ...]:
    """Ids of answerable questions whose source file or quote cannot be found, with one warning."""
    missing: list[str] = []
    for item in items:
        if not item.answerable:
            continue
        source = resolve_source(item.source_file, corpus_dir)
        if source is None or not quote_spans(source, item.source_quote):
            log.debug("%s: source_quote not found in %s", item.id, item.source_file)
            missing.append(item.id)
    if missing:
        log.warning("%d source_quote(s) not found in their source file (citation and recall are not checked "
                    "for them): %s", len(missing), ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else ""))
    return tuple(missing)


def select(items: Sequence[GoldItem], limit: int | None = None, every: int | None = None,
           kinds: Sequence[str] = ()) -> list[GoldItem]:
    """A deterministic subset: only some kinds, every n-th question, then at most ``limit``.

    A dialogue counts as one unit and is never split: it is kept whole when any of its turns is of
    a chosen kind."""
    out = [u for u in units(items) if not kinds or any(i.kind in kinds for i in u)]
    if every and every > 1:
        out = out[::every]
    if limit is not None and limit >= 0:
        out = out[:limit]
    return [i for u in out for i in u]


__all__ = ["Asker", "EvalRun", "OURS", "OursSystem", "ensure_ingested", "evaluate_item",
           "make_system", "new_conversation", "run_eval", "run_system", "select", "units"]
