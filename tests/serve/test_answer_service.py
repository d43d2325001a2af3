"""AnswerService with fake assistants: bounded concurrency, time limit, queue limit, conversations
pinned to one worker and answered in order, errors as ApiError; and a worker process that is killed
when its answer takes too long, then answers again."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import NotIngestedError
from assistant.models import Answer
from assistant.serve.answers import AnswerService, ApiError
from assistant.serve.limits import ServeLimits
from assistant.serve.workers import LocalAnswerer, ProcessAnswerer
from serve_helpers import clean_env


@dataclass
class FakeAssistant:
    """Answers by echoing; can be made to block or fail; records concurrency."""

    gate: threading.Event | None = None
    fail: Exception | None = None
    active: list[int] = field(default_factory=lambda: [0, 0])  # [now, peak], shared between fakes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ask(self, question: str) -> Answer:
        with self.lock:
            self.active[0] += 1
            self.active[1] = max(self.active[1], self.active[0])
        try:
            if self.gate is not None:
                self.gate.wait(30)
            if self.fail is not None:
                raise self.fail
            return Answer(question=question, route="text", answer=f"echo {question}")
        finally:
            with self.lock:
                self.active[0] -= 1

    def warm(self) -> None:
        return None


class FakeConversation:
    """Answers with the number of earlier turns, so order and context are visible."""

    def __init__(self, assistant: FakeAssistant) -> None:
        self.assistant = assistant
        self.turns: list[str] = []

    def ask(self, question: str) -> Answer:
        self.assistant.ask(question)
        self.turns.append(question)
        return Answer(question=question, route="text", answer=f"turn {len(self.turns)}: {question}")


def service(tmp_path: Path, fakes: list[FakeAssistant], **limits: float) -> AnswerService:
    settings, bounds = Settings(home=tmp_path), ServeLimits(**limits)
    return AnswerService(settings, bounds, make_answerer=lambda i: LocalAnswerer(
        settings, bounds, make_assistant=lambda _: fakes[i], make_conversation=FakeConversation))


def test_answers_are_the_ask_json_object(tmp_path: Path) -> None:
    async def run() -> dict:
        return await service(tmp_path, [FakeAssistant(), FakeAssistant()]).ask("hello there")

    payload = asyncio.run(run())
    assert payload["answer"] == "echo hello there"
    assert payload == Answer(question="hello there", route="text", answer="echo hello there").to_dict()


def test_no_more_answers_at_once_than_the_limit(tmp_path: Path) -> None:
    gate = threading.Event()
    shared = [0, 0]
    fakes = [FakeAssistant(gate=gate, active=shared) for _ in range(2)]

    async def run() -> list[dict]:
        svc = service(tmp_path, fakes, max_concurrent_answers=2)
        tasks = [asyncio.create_task(svc.ask(f"q{i}")) for i in range(6)]
        while svc.busy() < 2:
            await asyncio.sleep(0.01)
        gate.set()
        return await asyncio.gather(*tasks)

    results = asyncio.run(run())
    assert [r["answer"] for r in results] == [f"echo q{i}" for i in range(6)]
    assert shared[1] == 2


def test_a_slow_answer_gets_504_and_frees_its_worker_when_done(tmp_path: Path) -> None:
    gate = threading.Event()

    async def run() -> tuple[int, str, int]:
        svc = service(tmp_path, [FakeAssistant(gate=gate)], max_concurrent_answers=1, answer_timeout_s=0.2)
        with pytest.raises(ApiError) as err:
            await svc.ask("slow")
        busy_after_timeout = svc.busy()
        gate.set()
        while svc.busy():
            await asyncio.sleep(0.01)
        again = await svc.ask("next")
        return err.value.status, again["answer"], busy_after_timeout

    status, answer, busy = asyncio.run(run())
    assert status == 504 and busy == 1 and answer == "echo next"


def test_a_full_queue_gets_503(tmp_path: Path) -> None:
    gate = threading.Event()

    async def run() -> int:
        svc = service(tmp_path, [FakeAssistant(gate=gate)], max_concurrent_answers=1, queue_timeout_s=0.2,
                      answer_timeout_s=30)
        first = asyncio.create_task(svc.ask("first"))
        while not svc.busy():
            await asyncio.sleep(0.01)
        with pytest.raises(ApiError) as err:
            await svc.ask("second")
        gate.set()
        await first
        return err.value.status

    assert asyncio.run(run()) == 503


def test_conversations_keep_turns_in_order_on_one_worker(tmp_path: Path) -> None:
    async def run() -> tuple[list[str], list[str], int]:
        svc = service(tmp_path, [FakeAssistant(), FakeAssistant()], max_concurrent_answers=2)
        a = await asyncio.gather(*[svc.ask(f"a{i}", "alice") for i in range(4)])
        b = [(await svc.ask("b0", "bob"))["answer"]]
        return [r["answer"] for r in a], b, len(svc.conversations)

    alice, bob, kept = asyncio.run(run())
    assert alice == ["turn 1: a0", "turn 2: a1", "turn 3: a2", "turn 4: a3"]
    assert bob == ["turn 1: b0"] and kept == 2


def test_core_errors_and_bad_input_become_api_errors(tmp_path: Path) -> None:
    async def run(svc: AnswerService, question: str | None, conversation: str | None = None) -> int:
        with pytest.raises(ApiError) as err:
            await svc.ask(question, conversation)
        return err.value.status

    not_ingested = service(tmp_path, [FakeAssistant(fail=NotIngestedError("run ingest first"))],
                           max_concurrent_answers=1)
    crashing = service(tmp_path, [FakeAssistant(fail=RuntimeError("boom"))], max_concurrent_answers=1)
    plain = service(tmp_path, [FakeAssistant()], max_concurrent_answers=1)
    assert asyncio.run(run(not_ingested, "q")) == 503
    assert asyncio.run(run(crashing, "q")) == 500
    assert asyncio.run(run(plain, None)) == 400
    assert asyncio.run(run(plain, "x" * 5000)) == 400
    assert asyncio.run(run(plain, "q", "no spaces allowed")) == 400


def test_a_worker_process_past_the_time_limit_is_killed_and_restarted(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    limits = ServeLimits(max_concurrent_answers=1, answer_timeout_s=2.0)
    env = clean_env(PYTHONPATH=str(Path(__file__).parent))
    answerers: list[ProcessAnswerer] = []

    def make(index: int) -> ProcessAnswerer:
        answerers.append(ProcessAnswerer(settings, limits, assistant_spec="slow_assistant:SlowAssistant",
                                         conversation_spec="slow_assistant:EchoConversation", env=env))
        return answerers[-1]

    async def run() -> tuple[dict, int, int | None, dict, dict]:
        svc = AnswerService(settings, limits, make_answerer=make)
        await svc.warm()
        first_pid = answerers[0].pid
        with pytest.raises(ApiError) as err:
            await svc.ask("please be slow")
        while svc.busy():  # the killed worker's thread returns at once
            await asyncio.sleep(0.05)
        after = await svc.ask("quick one")
        talk = await svc.ask("hello", "c1"), await svc.ask("again", "c1")
        svc.close()
        return after, err.value.status, first_pid, talk[0], talk[1]

    after, status, first_pid, one, two = asyncio.run(run())
    assert status == 504
    assert after["answer"] == "echo quick one"
    assert first_pid is not None and after["pid"] != first_pid  # a new worker process answered
    assert (one["answer"], two["answer"]) == ("turn 1: hello", "turn 2: again")
    assert one["conversation"] == two["conversation"] == "c1"
