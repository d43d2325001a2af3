"""Clean, safe display text from data: no markup, table pipes, HTML or terminal escapes.

Everything the TUI shows that came from documents, answers, file names or questions passes
through ``safe`` (control characters out) and usually ``clean`` (Markdown/HTML/pipe-table
residue out, run-together dates separated). Pure Python: no textual import.
Widgets then wrap the result in ``rich.text.Text`` so that ``[/b]`` or ``[link=...]`` stay literal.
"""

from __future__ import annotations

import html
import re

# C0 controls except tab and newline, DEL, C1 controls, and whole ANSI escape sequences.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")  # direction overrides can disguise text

_BLOCK_TAGS = re.compile(r"</?(?:p|div|ul|ol|table|tr|h[1-6]|br|hr|section|article)\b[^>]*>", re.I)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_CELL_TAGS = re.compile(r"</t[dh]>\s*<t[dh]\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STRAY_BOLD = re.compile(r"\*\*|__")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_PIPE_SEPARATOR = re.compile(r"^\s*[-*]?\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPE_ROW = re.compile(r"^\s*(?:[-*]\s+)?\|(.*?)\|?\s*$")
_BULLET = re.compile(r"^(\s*)[-*]\s+(?=\S)", re.M)

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_DATE = (rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\.?\s+\d{{4}}"
         r"|\d{1,2}/\d{1,2}/\d{2,4}|Q[1-4]\s+\d{4}(?:/\d{2,4})?)")
# A date directly followed (only whitespace between) by another date: "June 2017 July 2017".
_RUN_OF_DATES = re.compile(rf"(?<![\w/])({_DATE})\s+(?=(?:{_DATE})(?![\w/]))")

PIPE_CELL_JOIN = " · "  # how the cells of a Markdown table row are shown on one line


def safe(text: object) -> str:
    """``text`` as a string without terminal escapes or control characters (tab and newline kept)."""
    if text is None:
        return ""
    value = str(text)
    value = _ANSI.sub("", value)
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _BIDI.sub("", value)


def one_line(text: object) -> str:
    """``safe`` text on a single line, whitespace collapsed (titles, file names, cells)."""
    return " ".join(safe(text).split())


def clean(text: object) -> str:
    """Readable plain text from answer or quote text that may hold Markdown, HTML or pipe tables."""
    value = safe(text)
    if "<" in value or "&" in value:
        value = _CELL_TAGS.sub(PIPE_CELL_JOIN, value)
        value = _LIST_ITEM.sub("\n• ", value)
        value = _BLOCK_TAGS.sub("\n", value)
        value = _ANY_TAG.sub("", value)
        value = html.unescape(value)
        value = safe(value)  # entities may have produced control characters
    value = _HEADING.sub("", value)
    lines = [pipe_row(line) for line in value.split("\n") if not _PIPE_SEPARATOR.match(line) or "|" not in line]
    value = "\n".join(lines)
    value = _BOLD.sub(r"\2", value)
    value = _STRAY_BOLD.sub("", value)
    value = _BULLET.sub(r"\1• ", value)
    value = separate_dates(value)
    value = re.sub(r"[ \t]+\n", "\n", value)
    value = re.sub(r"[ \t]{2,}", " ", value)
    value = re.sub(r"\n{3,}", "\n\n", value)
    return value.strip()


def clean_line(text: object) -> str:
    """``clean`` text on one line (table cells, quotes in lists)."""
    return " ".join(clean(text).split())


def separate_dates(text: str) -> str:
    """Put a comma between dates that the source ran together ("June 2017 July 2017")."""
    return _RUN_OF_DATES.sub(r"\1, ", text)


def pipe_row(line: str) -> str:
    """A Markdown table row ``- | a | b |`` as ``a · b``; other lines unchanged."""
    row = _PIPE_ROW.match(line)
    if row:
        return PIPE_CELL_JOIN.join(c.strip() for c in row.group(1).split("|") if c.strip())
    if " | " in line:
        return line.replace(" | ", PIPE_CELL_JOIN)
    return line
