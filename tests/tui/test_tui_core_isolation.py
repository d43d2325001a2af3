"""The core must not import textual (DESIGN.md §1): checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys


CORE = ("assistant", "assistant.cli", "assistant.router", "assistant.pipeline", "tui", "tui.backend",
        "tui.export", "tui.history", "tui.keys", "tui.cli", "tui.bench", "tui.text", "tui.rows", "tui.clipboard")


def test_core_imports_without_textual() -> None:
    code = ("import importlib, sys\n"
            f"for name in {CORE!r}:\n"
            "    importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "print('TEXTUAL:' + ','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "TEXTUAL:"
