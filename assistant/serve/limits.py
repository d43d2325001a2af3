"""The bounds of one server: every number a named constant with the reason for its value."""

from __future__ import annotations

from dataclasses import dataclass

#: Answers computed at once, each by its own Assistant in its own worker process. The reference
#: machine has 2 cores and one warm answer keeps one core busy; more would only queue on the CPU and
#: cost one more worker (about 290 MB measured with the bundled corpus) each.
MAX_CONCURRENT_ANSWERS = 2
#: Wall time one answer may take before the client gets a 504. Warm answers take tens to hundreds of
#: ms; a question that takes this long is stuck on something, and its worker process is killed.
ANSWER_TIMEOUT_S = 30.0
#: How long a request waits for a free Assistant before a 503: enough for a burst of clients to drain
#: through two slots, short enough that an overloaded server says so.
QUEUE_TIMEOUT_S = 60.0
#: Conversations kept in memory; the least recently used is forgotten beyond this.
MAX_CONVERSATIONS = 1000
#: A conversation unused for this long is forgotten (half an hour of a meeting).
CONVERSATION_TTL_S = 1800.0
#: Turns a conversation keeps: a follow-up refers to the previous turn only, so a long session needs
#: no more than a short memory.
MAX_TURNS_KEPT = 20
#: Conversation ids: short, printable, no separators that need escaping.
MAX_CONVERSATION_ID_CHARS = 64
#: Browser sessions at once: each is its own app process with the model loaded (hundreds of MB).
MAX_BROWSER_SESSIONS = 8
#: Request line and header size accepted by the HTTP parser: a question of the maximum length, fully
#: percent-encoded UTF-8 (up to 12 characters per character), fits; aiohttp's default is 8190.
MAX_REQUEST_LINE = 32 * 1024
#: A token shorter than this is refused for a non-loopback server (it could be guessed).
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class ServeLimits:
    """The limits a server runs with (defaults above; the CLI can change some)."""

    max_concurrent_answers: int = MAX_CONCURRENT_ANSWERS
    answer_timeout_s: float = ANSWER_TIMEOUT_S
    queue_timeout_s: float = QUEUE_TIMEOUT_S
    max_conversations: int = MAX_CONVERSATIONS
    conversation_ttl_s: float = CONVERSATION_TTL_S
    max_browser_sessions: int = MAX_BROWSER_SESSIONS

    def __post_init__(self) -> None:
        for name in ("max_concurrent_answers", "max_conversations", "max_browser_sessions"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("answer_timeout_s", "queue_timeout_s", "conversation_ttl_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
