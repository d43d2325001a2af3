"""Answers for the API: a few workers, each answering one question at a time, with queue and time limits.

The service keeps ``max_concurrent_answers`` workers, each an ``Answerer`` (``assistant.serve.workers``:
by default an Assistant in a worker process of its own) driven from a one-thread executor. A plain
question takes any free worker; a conversation is pinned to one worker, whose ``Conversation``
object keeps its context. A request waits at most ``queue_timeout_s`` for its worker (then 503) and
at most ``answer_timeout_s`` for the answer (then 504, and the worker is aborted: a worker process is
killed and starts again on its next question).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from assistant.config import Settings
from assistant.errors import BadQuestion, NotIngestedError, PlanAssistantError
from assistant.models import Answer
from assistant.serve.conversations import ConversationSlot, ConversationStore, check_conversation_id
from assistant.serve.limits import ServeLimits

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a client should see as ``{"error": message}`` with this HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The answer object exactly as ``plan-assistant ask --json`` prints it."""
    return answer.to_dict()


def error_status(exc: PlanAssistantError) -> int:
    """The HTTP status of a core error: not ingested yet 503, a bad question 400, else 500."""
    if isinstance(exc, NotIngestedError):
        return 503
    if isinstance(exc, BadQuestion):
        return 400
    return 500


@dataclass
class _Worker:
    index: int
    executor: ThreadPoolExecutor
    answerer: Any  # an assistant.serve.workers.Answerer


@dataclass
class ServiceStats:
    """Counters shown by /api/health."""

    answered: int = 0
    failed: int = 0
    timed_out: int = 0
    refused_busy: int = 0
    started: float = field(default_factory=time.time)


def process_answerers(settings: Settings, limits: ServeLimits) -> Callable[[int], Any]:
    """Worker ``i`` is an Assistant in a worker process of its own (see ``assistant.serve.workers``)."""

    def make(index: int) -> Any:
        from assistant.serve.workers import ProcessAnswerer

        return ProcessAnswerer(settings, limits)

    return make


class AnswerService:
    """Answers questions, alone or in conversations, within the limits."""

    def __init__(self, settings: Settings, limits: ServeLimits | None = None,
                 make_answerer: Callable[[int], Any] | None = None) -> None:
        self.settings = settings
        self.limits = limits or ServeLimits()
        make = make_answerer or process_answerers(settings, self.limits)
        n = self.limits.max_concurrent_answers
        self._workers = [_Worker(i, ThreadPoolExecutor(1, thread_name_prefix=f"answer-{i}"), make(i))
                         for i in range(n)]
        self._free: set[int] = set(range(n))
        self._cond: asyncio.Condition | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.conversations = ConversationStore(self.limits.max_conversations, self.limits.conversation_ttl_s, n)
        self.stats = ServiceStats()

    # ------------------------------------------------------------------ public

    def check_question(self, question: str | None) -> str:
        """The question, or ApiError 400 when it is missing, blank or too long."""
        if question is None or not question.strip():
            raise ApiError(400, "give a question as ?q=..., e.g. /api/ask?q=Who+leads+the+channel+shift+strategy")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise ApiError(400, f"the question is too long ({len(question):,} characters; the limit is {limit:,})")
        return question

    async def ask(self, question: str | None, conversation_id: str | None = None) -> dict[str, Any]:
        """The answer object of ``ask --json`` (plus ``conversation`` when one was given)."""
        text = self.check_question(question)
        slot: ConversationSlot | None = None
        if conversation_id is not None:
            try:
                check_conversation_id(conversation_id)
            except ValueError as exc:
                raise ApiError(400, str(exc)) from None
            slot = self.conversations.get(conversation_id)
            await self._wait(slot.lock.acquire(), "an earlier question of this conversation")
        try:
            worker = await self._acquire(slot.worker if slot else None)
        except BaseException:
            if slot is not None:
                slot.lock.release()
            raise
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(worker.executor, worker.answerer.ask, text, conversation_id)
        future.add_done_callback(lambda f: self._finished(f, worker, slot))
        try:
            payload = await asyncio.wait_for(asyncio.shield(future), self.limits.answer_timeout_s)
        except TimeoutError:
            self.stats.timed_out += 1
            worker.answerer.abort()
            raise ApiError(504, f"no answer within {self.limits.answer_timeout_s:g} s; try a shorter or "
                                "more specific question") from None
        except ApiError:
            self.stats.failed += 1
            raise
        except PlanAssistantError as exc:
            self.stats.failed += 1
            raise ApiError(error_status(exc), str(exc)) from None
        except Exception:
            self.stats.failed += 1
            log.exception("answering %r failed", text[:200])
            raise ApiError(500, "internal error while answering; the server log has the details") from None
        self.stats.answered += 1
        if conversation_id is not None:
            payload["conversation"] = conversation_id
        return payload

    async def warm(self) -> None:
        """Make and warm every worker's Assistant (model, index, lexicon) in its own thread."""
        loop = asyncio.get_running_loop()
        jobs = [loop.run_in_executor(w.executor, w.answerer.warm) for w in self._workers]
        for result in await asyncio.gather(*jobs, return_exceptions=True):
            if isinstance(result, BaseException):
                log.warning("warm-up failed: %s", result)

    def busy(self) -> int:
        """Workers answering right now."""
        return len(self._workers) - len(self._free)

    def worker_pids(self) -> list[int]:
        """Process ids of the running worker processes (for memory figures)."""
        return [pid for w in self._workers if (pid := getattr(w.answerer, "pid", None))]

    def close(self) -> None:
        for worker in self._workers:
            worker.executor.shutdown(wait=False, cancel_futures=True)
            worker.answerer.close()

    # ------------------------------------------------------------------ workers

    async def _wait(self, awaitable: Any, what: str) -> Any:
        try:
            return await asyncio.wait_for(awaitable, self.limits.queue_timeout_s)
        except TimeoutError:
            self.stats.refused_busy += 1
            raise ApiError(503, f"the server is busy (waited {self.limits.queue_timeout_s:g} s for {what}); "
                                "try again shortly") from None

    async def _acquire(self, wanted: int | None) -> _Worker:
        """A free worker (the wanted one for a conversation), marked busy."""
        if self._cond is None:
            self._cond = asyncio.Condition()
        cond = self._cond

        def ready() -> bool:
            return wanted in self._free if wanted is not None else bool(self._free)

        async def take() -> int:
            async with cond:
                await cond.wait_for(ready)
                index = wanted if wanted is not None else min(self._free)
                self._free.discard(index)
                return index

        return self._workers[await self._wait(take(), "a free answer slot")]

    def _finished(self, future: asyncio.Future[Any], worker: _Worker, slot: ConversationSlot | None) -> None:
        """Runs in the loop when the worker's thread is done (also after a timeout)."""
        if not future.cancelled():
            future.exception()  # retrieved: a late failure after a timeout is not "never retrieved"
        self._free.add(worker.index)
        if slot is not None:
            slot.lock.release()
        task = asyncio.get_running_loop().create_task(self._notify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self) -> None:
        if self._cond is not None:
            async with self._cond:
                self._cond.notify_all()
