"""Reading source files into lines, with clear errors for inputs we cannot use.

Text formats (.txt, .md, .csv, .tsv) are decoded as they are. Structured formats (.pdf, .docx,
.html) are laid out as lines by their readers (``pdf``, ``docx_reader``, ``html_reader``), which
also hand over the tables and headings they read from the structure, and the page of every line.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import IngestError

if TYPE_CHECKING:
    from assistant.ingest.compose import Composed, HeadingMark, PageSpan
    from assistant.ingest.tables import RawTable

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".csv": "csv",
                 ".tsv": "tsv", ".tab": "tsv", "": "text"}
STRUCTURED_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html"}
SUPPORTED = ", ".join(sorted({*TEXT_SUFFIXES, *STRUCTURED_SUFFIXES} - {""}))

PageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class SourceText:
    """A decoded source file."""

    path: Path
    lines: tuple[str, ...]
    format: str  # text | markdown | csv | tsv | pdf | docx | html
    encoding: str
    content_hash: str
    note: str | None = None  # e.g. decoded as Latin-1
    # structured formats only (PDF, Word, HTML): what the reader read from the structure
    tables: tuple[RawTable, ...] | None = None  # None: find tables in the lines
    headings: tuple[HeadingMark, ...] | None = None  # None: find headings from the layout of the lines
    pages: tuple[PageSpan, ...] = ()
    line_pages: tuple[int | None, ...] = ()  # page of each line (1-based list index = line - 1)
    line_boxes: tuple[Any, ...] = ()  # (x0, top, x1, bottom) of each line on its page, or None
    table_lines: frozenset[int] = frozenset()  # lines written from structured tables

    def page_of(self, line: int | None) -> int | None:
        """The page a line is on (None for text formats)."""
        if not line or not self.line_pages or line > len(self.line_pages):
            return None
        return self.line_pages[line - 1]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, progress: PageProgress | None = None) -> SourceText:
    """Read and decode one file; raise ``IngestError`` with a one-line reason when unusable.

    ``progress(done, total)`` is called per page of a PDF.
    """
    if not path.exists():
        raise IngestError(f"no such file: {path}")
    if path.is_dir():
        raise IngestError(f"is a directory, not a document: {path}")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if not data.strip():
        raise IngestError("empty file: nothing to ingest")
    if data.startswith(b"%PDF") or suffix == ".pdf":
        if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
            raise IngestError("corrupt PDF: no PDF header")
        from assistant.ingest.pdf import read_pdf

        return structured_source(path, read_pdf(path, progress), "pdf", data)
    if suffix == ".docx":
        from assistant.ingest.docx_reader import read_docx

        return structured_source(path, read_docx(path), "docx", data)
    if suffix in (".html", ".htm", ".xhtml"):
        from assistant.ingest.html_reader import read_html

        return structured_source(path, read_html(data), "html", data)
    if suffix in TEXT_SUFFIXES and _utf16_encoding(data):  # issue 14: UTF-16 is text, not "binary"
        return _utf16_source(path, data, suffix)
    if b"\x00" in data[:8192]:
        raise IngestError("binary file: not a text document")
    if suffix not in TEXT_SUFFIXES:
        raise IngestError(f"unsupported file type '{suffix}': use {SUPPORTED}")
    note = None
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace") if _is_cp1252(data) else data.decode("latin-1")
        encoding = "latin-1"
        note = "not UTF-8: decoded as Latin-1/Windows-1252"
    if _control_ratio(text) > 0.05:
        raise IngestError("binary file: too many control characters to be text")
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceText(path, lines, TEXT_SUFFIXES[suffix], encoding, content_hash(data), note)


def structured_source(path: Path, doc: Composed, fmt: str, data: bytes) -> SourceText:
    """A source read from a structured format, with its tables, headings and pages."""
    if not any(line.strip() for line in doc.lines):
        raise IngestError(f"no text found in this {fmt.upper()} file")
    note = None
    if doc.empty_pages:
        shown = ", ".join(map(str, doc.empty_pages[:10])) + (" ..." if len(doc.empty_pages) > 10 else "")
        note = (f"page{'s' if len(doc.empty_pages) > 1 else ''} {shown} of {len(doc.pages)} "
                f"{'have' if len(doc.empty_pages) > 1 else 'has'} no text layer (images only); OCR is not supported")
    from assistant.ingest.sourcetext import remember

    remember(path, tuple(doc.lines), tuple(doc.line_pages))
    return SourceText(path, tuple(doc.lines), fmt, "binary", content_hash(data), note,
                      tables=tuple(doc.tables), headings=tuple(doc.headings), pages=tuple(doc.pages),
                      line_pages=tuple(doc.line_pages), line_boxes=tuple(doc.line_boxes),
                      table_lines=frozenset(doc.table_lines))


#: Share of the bytes of one parity that must be NUL for BOM-less text to be taken as UTF-16.
UTF16_NUL_SHARE = 0.3


def _utf16_encoding(data: bytes) -> str | None:
    """'utf-16' (with a byte-order mark), 'utf-16-le'/'utf-16-be' (mostly ASCII text without one), or None."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = data[:8192]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0) / (len(sample) / 2), sample[1::2].count(0) / (len(sample) / 2)
    if odd >= UTF16_NUL_SHARE and even == 0:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE and odd == 0:
        return "utf-16-be"
    return None


def _utf16_source(path: Path, data: bytes, suffix: str) -> SourceText:
    """A UTF-16 text file, decoded (reported in the note, like any file that is not UTF-8)."""
    encoding = _utf16_encoding(data) or "utf-16"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(f"looks like UTF-16 but does not decode as it ({exc.reason})") from exc
    text = text.lstrip("\ufeff")
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceText(path, lines, TEXT_SUFFIXES[suffix], "utf-16", content_hash(data),
                      "not UTF-8: decoded as UTF-16")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / len(sample)
