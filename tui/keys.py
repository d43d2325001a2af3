"""Keybindings as data: one table maps each action to its keys, label and footer visibility.

Users override keys with a JSON object ``{"action": "key[,key]"}`` in
``$PLAN_ASSISTANT_HOME/tui-keys.json`` (or a file given to ``plan-assistant tui --keys``).
This module does not import textual, so the table can be read and tested anywhere.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeySpec:
    """One user-facing command: the action it runs, its keys, its label and where it shows."""

    action: str
    keys: str  # textual key names, comma-separated alternatives
    label: str
    description: str
    footer: bool = True
    priority: bool = True


# Order matters: the footer shows the keys with footer=True in this order, and a narrow terminal
# cuts it at the right, so the keys that matter most come first.
DEFAULT_KEYS: tuple[KeySpec, ...] = (
    KeySpec("help", "f1", "Help", "Show this help screen"),
    KeySpec("copy_answer", "ctrl+y", "Copy", "Copy the selected answer (text, SQL, sources)"),
    KeySpec("export", "ctrl+s", "Export", "Export the selected answer to Markdown and its rows to CSV"),
    KeySpec("show_table", "ctrl+g", "Table", "Show all rows of the selected answer in a full-screen table"),
    KeySpec("open_source", "ctrl+o", "Source", "Open the selected citation in the source viewer"),
    KeySpec("next_citation", "ctrl+n", "Next cite", "Select the next citation of the selected answer"),
    KeySpec("prev_citation", "ctrl+p", "Prev cite", "Select the previous citation", footer=False),
    KeySpec("prev_card", "ctrl+up", "Prev answer", "Select the previous answer card and scroll to it"),
    KeySpec("next_card", "ctrl+down", "Next answer", "Select the next answer card and scroll to it"),
    KeySpec("toggle_sql", "ctrl+t", "SQL", "Show or hide the SQL behind the selected answer"),
    KeySpec("copy_sql", "f4", "Copy SQL", "Copy only the SQL of the selected answer"),
    KeySpec("filters", "ctrl+f", "Filters", "Choose council, document and department filters"),
    KeySpec("history", "ctrl+r", "History", "Search the question history", footer=False),
    KeySpec("clear", "ctrl+l", "Clear", "Clear the transcript and start a new conversation (^z undoes)"),
    KeySpec("undo_clear", "ctrl+z", "Undo clear", "Bring back the transcript and conversation just cleared",
            footer=False),
    KeySpec("focus_input", "f2", "Input", "Jump back to the question box", footer=False),
    KeySpec("scroll_up", "pageup", "Page up", "Scroll the transcript up (works from the input)",
            footer=False),
    KeySpec("scroll_down", "pagedown", "Page down", "Scroll the transcript down", footer=False),
    KeySpec("cancel", "escape", "Cancel", "Cancel the answer in progress (and queued questions)",
            footer=False, priority=False),
    KeySpec("quit", "ctrl+q", "Quit", "Quit Plan Assistant"),
)

# Keys handled by widgets rather than app bindings; listed on the help screen only.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "Ask the question; the box clears at once, so you can type the next one"),
    ("↑ / ↓", "Previous / next question from the history"),
    ("tab", "Move focus: input, examples, tables, citations"),
    ("enter/click", "On a citation: open it in the source viewer; on \"show all rows\": the table view"),
    ("table view", "s sorts by the column under the cursor (again: reverse) · enter shows the whole row · "
                   "o opens the row's source line · ←/→ scroll the columns"),
    ("source viewer", "/ searches · n / N next / previous match · g goes to a line · "
                      "s jumps to a section · ] / [ next / previous citation · "
                      "for a PDF: p / P next / previous page, g then p 5 goes to page 5"),
    ("esc", "In a dialog, the table view or the source viewer: close it"),
)

KEYS_FILE_NAME = "tui-keys.json"


def load_keymap(path: Path | None) -> tuple[KeySpec, ...]:
    """The default key table with the overrides of a JSON file applied (missing file: defaults)."""
    if path is None or not path.exists():
        return DEFAULT_KEYS
    try:
        overrides = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read key bindings from {path}: {exc}") from exc
    return apply_overrides(DEFAULT_KEYS, overrides, source=str(path))


def apply_overrides(specs: tuple[KeySpec, ...], overrides: object, source: str = "keymap") -> tuple[KeySpec, ...]:
    """Replace the keys of the named actions; unknown actions or non-string keys are errors."""
    if not isinstance(overrides, dict):
        raise ConfigError(f"{source}: expected a JSON object of action -> keys")
    known = {s.action for s in specs}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown action(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    bad = sorted(a for a, k in overrides.items() if not isinstance(k, str) or not k.strip())
    if bad:
        raise ConfigError(f"{source}: keys must be non-empty strings for {', '.join(bad)}")
    return tuple(replace(s, keys=overrides[s.action].strip()) if s.action in overrides else s for s in specs)


ARROWS = {"up": "↑", "down": "↓", "left": "←", "right": "→"}


def display_key(keys: str) -> str:
    """A compact human form of a key string: ``ctrl+o`` -> ``^o``, ``f1`` -> ``F1``, ``ctrl+up`` -> ``^↑``."""
    parts = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("ctrl+"):
            key = "^" + ARROWS.get(key[5:], key[5:])
        elif len(key) >= 2 and key[0] == "f" and key[1:].isdigit():
            key = key.upper()
        parts.append(key)
    return " / ".join(parts)
