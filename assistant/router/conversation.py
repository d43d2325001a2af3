"""A conversation: follow-up questions resolved against the previous turn.

"and when is it due?" reuses the row of the previous answer; "who else leads actions in that
department?" reuses its department and leaves out the people already named. The TUI uses this
same object.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models import Answer, Filters
from assistant.router.assistant import Assistant
from assistant.router.context import Context


@dataclass(frozen=True)
class Turn:
    question: str
    answer: Answer
    context: Context


class Conversation:
    """Asks questions in order, each with the context left by the previous one."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.turns: list[Turn] = []

    @property
    def context(self) -> Context | None:
        return self.turns[-1].context if self.turns else None

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        previous = self.context
        reply = self.assistant.respond(question, filters, previous)
        # an abstention leaves the earlier answer as the thing later follow-ups refer to
        context = previous if reply.answer.abstained and previous is not None else reply.context
        self.turns.append(Turn(question, reply.answer, context))
        return reply.answer

    def reset(self) -> None:
        self.turns.clear()
