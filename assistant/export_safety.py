"""Writing exports safely: new regular files only, and CSV cells that no spreadsheet runs.

``create_export_file(directory, name)`` creates a new file with ``O_CREAT | O_EXCL | O_NOFOLLOW``:
it never overwrites a file and never writes through a symbolic link (a pre-planted dangling link
to ``~/.bashrc`` makes the name taken, so the next free name is used). ``safe_export_name`` keeps
a file name inside the export directory. ``safe_csv_cell`` neutralises spreadsheet formulas
(CSV injection: ``=HYPERLINK(...)``, ``@SUM(...)``, ``+cmd|...``) by prefixing a quote, while
plain numbers such as ``-365,386`` stay numbers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Any

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection list, plus
#: the full-width forms some spreadsheets fold to them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[-+]?[£$€]?(\d[\d,]*)?(\.\d+)?([eE][-+]?\d+)?%?$")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|\u202a-\u202e\u2066-\u2069]")
#: Longest file name written (bytes, as most file systems allow 255).
MAX_NAME_BYTES = 200
#: Names tried after the first one is taken (name-2, name-3, ...).
MAX_NAME_ATTEMPTS = 1000


def safe_csv_cell(value: Any) -> str:
    """A CSV cell as text; one a spreadsheet would run as a formula gets a leading ``'``."""
    text = "" if value is None else str(value)
    head = text.lstrip(" ")
    if head.startswith(FORMULA_STARTS) and not _NUMBER.match(text.strip()):
        return "'" + text
    return text


def safe_csv_row(values: Any) -> list[str]:
    return [safe_csv_cell(v) for v in values]


def safe_export_name(name: str, default: str = "export") -> str:
    """``name`` as one plain file name: no directories, separators, control characters or leading
    dots; cut to ``MAX_NAME_BYTES`` (keeping the extension)."""
    base = _UNSAFE_NAME.sub("-", str(name or "")).strip(" .-")
    base = os.fsencode(base).decode("utf-8", "replace") if base else ""
    if not base or base in (".", ".."):
        base = default
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = base, ""
    suffix = f".{ext}" if ext else ""
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES and stem:
        stem = stem[:-1]
    return (stem or default) + suffix


def safe_export_path(directory: Path, name: str) -> Path:
    """A path for ``name`` directly inside ``directory`` (see ``safe_export_name``)."""
    return Path(directory) / safe_export_name(name)


def create_export_file(directory: Path, name: str, mode: str = "w", encoding: str | None = "utf-8",
                       newline: str | None = "") -> tuple[Path, IO[Any]]:
    """Create and open a new regular file for ``name`` in ``directory`` (name-2, name-3... when it is
    taken by anything, a dangling link included). Raises ``OSError`` when the directory is not a
    directory or no name is free."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if not directory.is_dir():
        raise NotADirectoryError(f"not a directory: {directory}")
    first = safe_export_name(name)
    stem, dot, ext = first.rpartition(".")
    if not dot:
        stem, ext = first, ""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for n in range(1, MAX_NAME_ATTEMPTS + 1):
        candidate = first if n == 1 else f"{stem}-{n}" + (f".{ext}" if ext else "")
        path = directory / candidate
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            continue
        binary = "b" in mode
        return path, os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": encoding, "newline": newline}))
    raise FileExistsError(f"no free file name for {first} in {directory}")
