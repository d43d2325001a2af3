"""Conversations by id, for callers that interleave several (``ask --jsonl``, an API).

Each id gets its own `Conversation` over one shared `Assistant`; the oldest is dropped when more
than `MAX_CONVERSATIONS` are open, so a long batch cannot grow without bound.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from assistant.models import Answer, Filters
from assistant.router.conversation import Conversation

#: Conversations kept open at once; the least recently used is forgotten beyond this.
MAX_CONVERSATIONS = 1000


class Sessions:
    """Open conversations keyed by a caller's id."""

    def __init__(self, assistant: Any, limit: int = MAX_CONVERSATIONS) -> None:
        self.assistant = assistant
        self.limit = limit
        self._open: OrderedDict[str, Conversation] = OrderedDict()

    def ask(self, question: str, conversation: str | None = None, filters: Filters | None = None) -> Answer:
        """Answer in the named conversation (new if unseen), or on its own when no id is given."""
        if conversation is None:
            return self.assistant.ask(question, filters)
        conv = self._open.pop(conversation, None) or Conversation(self.assistant)
        self._open[conversation] = conv
        while len(self._open) > self.limit:
            self._open.popitem(last=False)
        return conv.ask(question, filters)

    def __len__(self) -> int:
        return len(self._open)
