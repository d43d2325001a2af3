"""The router: questions in, answers out (SQL facts, cited passages, or an honest abstention).

`Assistant(settings).ask(question, filters=None) -> Answer`, `Assistant.warm()`, and
`Conversation(assistant).ask(...)` for follow-ups. Imported lazily so that importing this package
loads neither DuckDB nor the embedding model.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["Assistant", "Conversation"]

_EXPORTS = {"Assistant": "assistant.router.assistant", "Conversation": "assistant.router.conversation"}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant.router' has no attribute {name!r}")
    return getattr(import_module(module), name)
