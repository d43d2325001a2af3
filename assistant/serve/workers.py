"""Answerers: the router's Assistant behind a small blocking interface, in this process or in a
worker process of its own.

A server answers in worker processes (``ProcessAnswerer``), one Assistant each, because
- DuckDB shares one database instance per path inside a process: while any connection to the old
  file is open, a new connection joins it, so several Assistants in one process could keep reading
  a database that an ingest has replaced. With one Assistant per process the router's own
  reopen-on-swap is enough, and the server process itself keeps no connection open;
- a stuck answer can be stopped: the worker is killed and started again on the next question.

Protocol: the parent writes one JSON object per line to the worker's stdin (first the
configuration, then ``{"op": "ask" | "warm", ...}``) and reads one JSON reply per line from a
private copy of the worker's stdout; anything the libraries print goes to stderr.

    python -m assistant.serve.workers   (started by ProcessAnswerer, never by hand)
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any, Protocol

from assistant.config import Settings
from assistant.errors import PlanAssistantError
from assistant.serve.answers import ApiError, answer_to_json, error_status
from assistant.serve.conversations import ConversationStore
from assistant.serve.limits import MAX_TURNS_KEPT, ServeLimits

log = logging.getLogger(__name__)

ROUTER_ASSISTANT = "assistant.router:Assistant"
ROUTER_CONVERSATION = "assistant.router:Conversation"
#: Seconds a worker gets to exit after its stdin closes, before it is killed.
STOP_GRACE_S = 5.0


class Answerer(Protocol):
    """Answers one question at a time (blocking); ``abort`` may be called from another thread."""

    def ask(self, question: str, conversation: str | None) -> dict[str, Any]: ...
    def warm(self) -> None: ...
    def abort(self) -> None: ...
    def close(self) -> None: ...


def load(spec: str) -> Callable[..., Any]:
    """``module:attribute`` -> the attribute."""
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


class LocalAnswerer:
    """An Assistant in this process, with its conversations (bounded and expiring)."""

    def __init__(self, settings: Settings, limits: ServeLimits | None = None,
                 make_assistant: Callable[[Settings], Any] | None = None,
                 make_conversation: Callable[[Any], Any] | None = None) -> None:
        limits = limits or ServeLimits()
        self.settings = settings
        self._make_assistant = make_assistant or load(ROUTER_ASSISTANT)
        self._make_conversation = make_conversation or load(ROUTER_CONVERSATION)
        self._assistant: Any = None
        self._conversations = ConversationStore(limits.max_conversations, limits.conversation_ttl_s, workers=1)

    @property
    def assistant(self) -> Any:
        if self._assistant is None:
            self._assistant = self._make_assistant(self.settings)
        return self._assistant

    def warm(self) -> None:
        self.assistant.warm()

    def ask(self, question: str, conversation: str | None) -> dict[str, Any]:
        from assistant.sql.connect import database_version

        if conversation is None:
            before = database_version(self.settings)
            answer = self.assistant.ask(question)
            if database_version(self.settings) != before:  # an ingest swapped the file mid-answer
                answer = self.assistant.ask(question)
            return answer_to_json(answer)
        slot = self._conversations.get(conversation)
        if slot.conversation is None:
            slot.conversation = self._make_conversation(self.assistant)
        answer = slot.conversation.ask(question)
        turns = getattr(slot.conversation, "turns", None)
        if isinstance(turns, list) and len(turns) > MAX_TURNS_KEPT:
            del turns[:-MAX_TURNS_KEPT]
        return answer_to_json(answer)

    def abort(self) -> None:
        """A thread cannot be stopped: the answer runs to its end."""

    def close(self) -> None:
        self._assistant = None


class WorkerLost(PlanAssistantError):
    """The worker process stopped (killed after a time limit, or crashed) before it replied."""


class ProcessAnswerer:
    """A ``LocalAnswerer`` in a worker process of its own, started on first use and after a kill."""

    def __init__(self, settings: Settings, limits: ServeLimits | None = None,
                 assistant_spec: str = ROUTER_ASSISTANT, conversation_spec: str = ROUTER_CONVERSATION,
                 env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.limits = limits or ServeLimits()
        self.config = {"settings": json.loads(settings.model_dump_json()), "assistant": assistant_spec,
                       "conversation": conversation_spec, "max_conversations": self.limits.max_conversations,
                       "conversation_ttl_s": self.limits.conversation_ttl_s}
        self.env = env
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def _process(self) -> subprocess.Popen[str]:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = subprocess.Popen([sys.executable, "-m", "assistant.serve.workers"],
                                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                              encoding="utf-8", env=self.env, start_new_session=True)
                self._send(self._proc, self.config)
            return self._proc

    @staticmethod
    def _send(proc: subprocess.Popen[str], message: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
        proc.stdin.flush()

    def _call(self, message: dict[str, Any]) -> Any:
        proc = self._process()
        try:
            self._send(proc, message)
            assert proc.stdout is not None
            line = proc.stdout.readline()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise WorkerLost(f"the answer worker stopped ({exc})") from None
        if not line:
            raise WorkerLost("the answer worker stopped before it replied; it restarts on the next question")
        reply = json.loads(line)
        if not reply.get("ok"):
            raise ApiError(int(reply.get("status", 500)), str(reply.get("error", "internal error")))
        return reply.get("answer")

    def ask(self, question: str, conversation: str | None) -> dict[str, Any]:
        return self._call({"op": "ask", "q": question, "conversation": conversation})

    def warm(self) -> None:
        self._call({"op": "warm"})

    def abort(self) -> None:
        """Kill the worker (its conversations are lost); the blocked ``ask`` raises ``WorkerLost``."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=STOP_GRACE_S)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------------- the worker process


def _serve(requests: IO[str], replies: IO[str]) -> None:
    config = json.loads(requests.readline())
    settings = Settings.model_validate(config["settings"])
    limits = ServeLimits(max_conversations=config["max_conversations"],
                         conversation_ttl_s=config["conversation_ttl_s"])
    answerer = LocalAnswerer(settings, limits, load(config["assistant"]), load(config["conversation"]))
    for line in requests:
        request = json.loads(line)
        try:
            if request["op"] == "warm":
                answerer.warm()
                reply: dict[str, Any] = {"ok": True}
            else:
                reply = {"ok": True, "answer": answerer.ask(request["q"], request.get("conversation"))}
        except ApiError as exc:
            reply = {"ok": False, "status": exc.status, "error": exc.message}
        except PlanAssistantError as exc:
            reply = {"ok": False, "status": error_status(exc), "error": str(exc)}
        except Exception:
            log.exception("answering %r failed", str(request.get("q"))[:200])
            reply = {"ok": False, "status": 500, "error": "internal error while answering; the server log has "
                                                          "the details"}
        replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
        replies.flush()


def main() -> None:
    """Run as a worker: replies on a private copy of stdout, everything else printed goes to stderr."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
        os.environ.setdefault(name, value)
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s worker %(name)s: %(message)s")
    _serve(sys.stdin, replies)


if __name__ == "__main__":
    main()
