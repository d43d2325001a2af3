"""The Textual terminal UI of Plan Assistant. ``make_app(backend)`` builds the app.

Importing ``tui`` alone does not import textual; ``make_app`` does, when first used.
"""

from __future__ import annotations

from typing import Any

__all__ = ["make_app"]


def make_app(backend: Any, **options: Any) -> Any:
    """Build the app (see ``tui.app.make_app``)."""
    from tui.app import make_app as _make_app

    return _make_app(backend, **options)
