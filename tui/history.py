"""Question history: up/down recall like a shell, substring search, persisted one question a line.

Pure Python (no textual), so it is unit-testable and reusable.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

MAX_ENTRIES = 1000


class History:
    """Past questions, oldest first, with a cursor for up/down navigation."""

    def __init__(self, path: Path | None = None, entries: list[str] | None = None) -> None:
        self.path = path
        self.entries: list[str] = list(entries or [])
        if path is not None and entries is None:
            self.entries = _load(path)
        self._cursor: int | None = None  # index into entries while browsing, None = not browsing
        self._draft = ""

    def add(self, question: str) -> None:
        """Record a question (consecutive duplicates collapse) and persist it."""
        question = question.strip()
        self.reset()
        if not question:
            return
        if self.entries and self.entries[-1] == question:
            return
        self.entries.append(question)
        del self.entries[:-MAX_ENTRIES]
        self._save(question)

    def reset(self) -> None:
        """Stop browsing (after a question is asked or the input is edited)."""
        self._cursor = None
        self._draft = ""

    def previous(self, current: str) -> str | None:
        """The question before the cursor (``current`` is kept as the draft); None at the start."""
        if not self.entries:
            return None
        if self._cursor is None:
            self._draft = current
            self._cursor = len(self.entries)
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self.entries[self._cursor]

    def next(self) -> str | None:
        """The question after the cursor, the draft past the newest, None when not browsing."""
        if self._cursor is None:
            return None
        self._cursor += 1
        if self._cursor >= len(self.entries):
            draft = self._draft
            self.reset()
            return draft
        return self.entries[self._cursor]

    def search(self, text: str, limit: int = 200) -> list[str]:
        """Distinct questions containing every word of ``text`` (case-insensitive), newest first."""
        words = text.lower().split()
        seen: set[str] = set()
        found: list[str] = []
        for entry in reversed(self.entries):
            low = entry.lower()
            if entry in seen or not all(w in low for w in words):
                continue
            seen.add(entry)
            found.append(entry)
            if len(found) >= limit:
                break
        return found

    def _save(self, question: str) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(question) + "\n")
        except OSError as exc:  # history is a convenience: never break asking over it
            log.warning("could not save history to %s: %s", self.path, exc)


def _load(path: Path) -> list[str]:
    """Read a history file (one JSON string a line); unreadable lines are skipped with a warning."""
    if not path.exists():
        return []
    entries: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        log.warning("could not read history %s: %s", path, exc)
        return []
    for n, line in enumerate(lines, 1):
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            log.warning("history %s line %d is not JSON; skipped", path, n)
            continue
        if isinstance(value, str) and value.strip():
            entries.append(value)
    return entries[-MAX_ENTRIES:]
