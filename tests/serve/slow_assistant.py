"""A fake Assistant for worker-process tests: "slow" questions never finish; answers name the pid."""

from __future__ import annotations

import os
import time
from typing import Any

from assistant.models import Answer


class PidAnswer(Answer):
    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "pid": os.getpid()}


class SlowAssistant:
    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def warm(self) -> None:
        return None

    def ask(self, question: str) -> Answer:
        if "slow" in question:
            time.sleep(600)
        return PidAnswer(question=question, route="text", answer=f"echo {question}")


class EchoConversation:
    def __init__(self, assistant: SlowAssistant) -> None:
        self.assistant = assistant
        self.turns: list[str] = []

    def ask(self, question: str) -> Answer:
        self.turns.append(question)
        return PidAnswer(question=question, route="text", answer=f"turn {len(self.turns)}: {question}")
