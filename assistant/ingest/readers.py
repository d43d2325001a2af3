"""Reading source files into lines, with clear errors for inputs we cannot use."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import IngestError

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".csv": "csv",
                 ".tsv": "tsv", ".tab": "tsv", "": "text"}


@dataclass(frozen=True)
class SourceText:
    """A decoded source file."""

    path: Path
    lines: tuple[str, ...]
    format: str  # text | markdown | csv | tsv
    encoding: str
    content_hash: str
    note: str | None = None  # e.g. decoded as Latin-1


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path) -> SourceText:
    """Read and decode one file; raise ``IngestError`` with a one-line reason when unusable."""
    if not path.exists():
        raise IngestError(f"no such file: {path}")
    if path.is_dir():
        raise IngestError(f"is a directory, not a document: {path}")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        raise IngestError("PDF is not supported yet; export it to text (e.g. pdftotext) and ingest the .txt")
    if not data.strip():
        raise IngestError("empty file: nothing to ingest")
    if b"\x00" in data[:8192]:
        raise IngestError("binary file: not a text document")
    if suffix not in TEXT_SUFFIXES:
        raise IngestError(f"unsupported file type '{suffix}': use .txt, .md, .csv or .tsv")
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
