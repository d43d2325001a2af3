"""Copy text to the system clipboard, or say honestly that we could not and write it to a file.

A terminal app cannot know whether the terminal accepted an OSC 52 clipboard sequence, so the
TUI never claims "copied" on that alone: it tries a clipboard program first (wl-copy, xclip,
xsel, pbcopy, clip.exe), and otherwise writes the text to a file and names it. Pure Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

COPY_TIMEOUT_S = 3.0  # a clipboard program that takes longer is treated as failed
FALLBACK_FILE_NAME = "last-copy.txt"


@dataclass(frozen=True)
class CopyResult:
    """How a copy went: ``program`` names the clipboard tool used; ``file`` is where the text was
    written when no tool worked (or None); ``error`` says why the file could not be written."""

    program: str | None
    file: Path | None
    error: str | None = None

    @property
    def copied(self) -> bool:
        return self.program is not None


def clipboard_commands(env: dict[str, str] | None = None, platform: str = sys.platform) -> list[list[str]]:
    """Clipboard programs that can work in this session, best first (empty when none can)."""
    env = dict(os.environ) if env is None else env
    found: list[list[str]] = []

    def add(*argv: str) -> None:
        if shutil.which(argv[0]):
            found.append(list(argv))

    if platform == "darwin":
        add("pbcopy")
    if env.get("WAYLAND_DISPLAY"):
        add("wl-copy")
    if env.get("DISPLAY"):
        add("xclip", "-selection", "clipboard")
        add("xsel", "--clipboard", "--input")
    if env.get("WSL_DISTRO_NAME"):
        add("clip.exe")
    return found


def run_copy(argv: Sequence[str], text: str) -> bool:
    """Feed ``text`` to a clipboard program; True if it exited 0 in time."""
    try:
        done = subprocess.run(list(argv), input=text.encode("utf-8"), timeout=COPY_TIMEOUT_S,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def copy_text(text: str, fallback_dir: Path,
              commands: list[list[str]] | None = None,
              runner: Callable[[Sequence[str], str], bool] = run_copy) -> CopyResult:
    """Copy ``text`` with the first clipboard program that works, else write it to a file."""
    for argv in clipboard_commands() if commands is None else commands:
        if runner(argv, text):
            return CopyResult(program=argv[0], file=None)
    path = fallback_dir / FALLBACK_FILE_NAME
    try:
        fallback_dir.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():  # write only a regular file of our own, never through a planted link
            path.unlink()
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        return CopyResult(program=None, file=None, error=f"{path}: {exc.strerror or exc}")
    return CopyResult(program=None, file=path)
