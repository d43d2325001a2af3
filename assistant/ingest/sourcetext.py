"""The lines a citation counts, for any ingested file, and the page each line is on.

Text files are their own lines. A PDF, Word or HTML file is cited through the lines its reader
laid out at ingest (a table row is one tab-separated line); those are what ``line_start`` /
``line_end`` count. They are taken, in order of cost, from what this process read at ingest, from
the ``pages`` table of a database, or by reading the file again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Structured sources kept in memory, most recent first.
MEMO_FILES = 16


@dataclass(frozen=True)
class DocumentText:
    """The lines of one ingested file and the page of each (None for unpaginated formats)."""

    lines: tuple[str, ...]
    line_pages: tuple[int | None, ...] = ()

    def page_of(self, line: int | None) -> int | None:
        if not line or not self.line_pages or line > len(self.line_pages):
            return None
        return self.line_pages[line - 1]


_MEMO: OrderedDict[tuple[str, str], DocumentText] = OrderedDict()
_LOCK = threading.Lock()


def _key(path: Path) -> tuple[str, str]:
    try:
        st = path.stat()
        return str(path.resolve()), f"{st.st_mtime_ns}:{st.st_size}"
    except OSError:
        return str(path), ""


def remember(path: Path, lines: tuple[str, ...], line_pages: tuple[int | None, ...]) -> None:
    """Keep the lines a reader laid out for ``path`` (called by the readers)."""
    with _LOCK:
        _MEMO[_key(path)] = DocumentText(tuple(lines), tuple(line_pages))
        _MEMO.move_to_end(_key(path))
        while len(_MEMO) > MEMO_FILES:
            _MEMO.popitem(last=False)


def is_structured(file: str | Path) -> bool:
    from assistant.ingest.readers import STRUCTURED_SUFFIXES

    return Path(file).suffix.lower() in STRUCTURED_SUFFIXES


def _resolve(file: str | Path) -> Path:
    from assistant.config import REPO_ROOT

    p = Path(file)
    return p if p.is_absolute() else REPO_ROOT / p


def from_database(con: Any, file: str) -> DocumentText | None:
    """A structured document's lines and pages from the ``pages`` table of an open connection."""
    try:
        rows = con.execute("SELECT page, line_start, line_end, text FROM pages WHERE file = ? ORDER BY page",
                           [file]).fetchall()
    except Exception:  # an older database without the table
        return None
    if not rows:
        return None
    lines: list[str] = []
    pages: list[int | None] = []
    for page, start, end, text in rows:
        part = (text or "").split("\n")
        part += [""] * max(0, (end - start + 1) - len(part))
        lines.extend(part[: end - start + 1])
        pages.extend([page if page else None] * (end - start + 1))
    return DocumentText(tuple(lines), tuple(pages))


def document_text(file: str | Path, con: Any = None) -> DocumentText | None:
    """The lines (and pages) of an ingested file, as citations count them; None if unreadable."""
    path = _resolve(file)
    if not is_structured(path):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        return DocumentText(tuple(text.splitlines()))
    with _LOCK:
        hit = _MEMO.get(_key(path))
    if hit is not None:
        return hit
    if con is not None:
        stored = from_database(con, str(file))
        if stored is not None:
            return stored
    from assistant.errors import IngestError
    from assistant.ingest.readers import read_source

    try:
        source = read_source(path)
    except (IngestError, OSError) as exc:
        log.warning("cannot read %s: %s", file, exc)
        return None
    return DocumentText(source.lines, source.line_pages)
