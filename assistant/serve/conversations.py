"""Conversation ids kept in memory for the API: bounded in number, forgotten when unused.

Each conversation is pinned to one worker (one ``Assistant``), so that its turns are answered by
the ``Conversation`` object that worker created. Used from the event loop only (no thread locks).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.serve.limits import MAX_CONVERSATION_ID_CHARS

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")


def check_conversation_id(value: str) -> str:
    """The id itself, or ValueError with a message fit for a client."""
    if len(value) > MAX_CONVERSATION_ID_CHARS or not _ID.fullmatch(value):
        raise ValueError(f"conversation must be 1-{MAX_CONVERSATION_ID_CHARS} letters, digits or _ . : - "
                         "(starting with a letter or digit)")
    return value


@dataclass
class ConversationSlot:
    """One conversation: its worker, a lock that orders its turns, and the router's object."""

    id: str
    worker: int
    last_used: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    conversation: Any = None  # assistant.router.Conversation, made in the worker's thread


class ConversationStore:
    """At most ``max_conversations`` slots, least recently used first out; idle ones expire."""

    def __init__(self, max_conversations: int, ttl_s: float, workers: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_conversations = max_conversations
        self.ttl_s = ttl_s
        self.workers = workers
        self._clock = clock
        self._slots: OrderedDict[str, ConversationSlot] = OrderedDict()

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._slots

    def get(self, conversation_id: str) -> ConversationSlot:
        """The slot of this id, created (and pinned to the least loaded worker) if new or expired."""
        now = self._clock()
        self.expire(now)
        slot = self._slots.get(conversation_id)
        if slot is None:
            while len(self._slots) >= self.max_conversations:
                self._slots.popitem(last=False)
            load = [0] * self.workers
            for other in self._slots.values():
                load[other.worker] += 1
            slot = ConversationSlot(conversation_id, worker=load.index(min(load)), last_used=now)
            self._slots[conversation_id] = slot
        slot.last_used = now
        self._slots.move_to_end(conversation_id)
        return slot

    def expire(self, now: float | None = None) -> int:
        """Forget conversations idle for longer than the TTL; returns how many."""
        now = self._clock() if now is None else now
        old = [cid for cid, slot in self._slots.items() if now - slot.last_used > self.ttl_s]
        for cid in old:
            del self._slots[cid]
        return len(old)
