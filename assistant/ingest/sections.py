"""The heading tree of a document, found from layout: short standalone lines between blank lines.

Levels: 0 the document; 1 a department ("<Name>" followed by "Service Plan ...") or a portfolio
("<Portfolio> – Cllr <Name>"); 2 a numbered part ("Section One", "Appendix A", "Part 2");
3 any other heading (priorities, "Key Performance Measures", ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.ingest.roles import ROLE_REACH, first_director, first_member, roles_in_line, split_roles
from assistant.ingest.tables import is_markdown_row

PORTFOLIO = re.compile(r"^(?P<portfolio>.+?)\s+[–—-]\s+(?P<member>(?:Cllr\.?|Councillor)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})\.*$")
DEPARTMENT_INTRO = re.compile(r"^(departmental\s+)?(service|business|directorate|department)\s+plan\b", re.I)
PART = re.compile(r"^(section|appendix|part|chapter|annex|schedule)\b", re.I)
NOT_HEADING = re.compile(r"^\s*(key|note|notes|source|sources)\s*:|^\s*(draft|final|confidential|official|"
                         r"v\d+(\.\d+)*|version \S+|page \d+( of \d+)?)\.?\s*$", re.I)
TOC_LINE = re.compile(r"\t\s*\d+\s*$|\.{3,}\s*\d*\s*$")


@dataclass(frozen=True)
class Section:
    """One heading and the lines it spans."""

    section_id: str
    parent_id: str | None
    level: int
    heading: str
    path: str
    department: str | None
    line_start: int
    line_end: int
    text: str
    cabinet_member: str | None = None
    director: str | None = None  # director / head of service named with the heading (or inherited)


def clean_heading(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("**", "").replace("#", "")).strip(" :")


def heading_shaped(raw: str) -> bool:
    """The line reads as a heading: short, capitalised, not a list item, table row, sentence or lead-in."""
    s = raw.strip()
    if not s or "\t" in raw or is_markdown_row(raw) or len(s) > 100:
        return False
    if s.startswith(("-", "•", "*", "(", "\"", "“", "·")) and not s.startswith("**"):
        return False
    if s.startswith("#"):
        return True
    if s.rstrip("*").endswith(":") or ";" in s or NOT_HEADING.match(s.replace("*", "")):
        return False  # list lead-ins ("We will:"), legends ("Key: AD – ...; N/Av – ..."), page furniture
    text = clean_heading(s)
    if not text or not (text[0].isupper() or text[0].isdigit()) or text.endswith((".", ",", ";")):
        return False
    return len(text.split()) <= 14 and not re.fullmatch(r"[\d\s.,%£/-]+", text)


#: A heading printed right above its paragraph, with no blank line between, is shorter than that
#: paragraph's first line by at least this much (a wrapped first line fills the width).
HEADING_WIDTH_SHARE = 0.8
#: Words a wrapped line may end on, mid-sentence; a heading never ends on one.
_JOINING = frozenset("a an the of for to and or in on at by with from as including such".split())


def opens_as_heading(lines: Sequence[str], i: int) -> bool:
    """Line i (0-based) reads as a heading where it stands: heading-shaped, not ending on a joining word
    ("... a range of"), and either alone or visibly shorter than the line under it."""
    if not heading_shaped(lines[i]):
        return False
    text = lines[i].strip()
    below = lines[i + 1].strip() if i + 1 < len(lines) else ""
    words = text.split()
    return words[-1].lower() not in _JOINING and (not below or len(text) <= HEADING_WIDTH_SHARE * len(below))


def _is_heading(lines: list[str], i: int) -> bool:
    """Line i (0-based) is a short standalone line that is not a list item, table row or sentence."""
    if not heading_shaped(lines[i]):
        return False
    if lines[i].strip().startswith("#"):
        return True
    prev_blank = i == 0 or not lines[i - 1].strip()
    next_blank = i + 1 >= len(lines) or not lines[i + 1].strip() or "\t" in lines[i + 1] or is_markdown_row(lines[i + 1])
    return prev_blank and next_blank


def _department_name(lines: list[str], i: int) -> str | None:
    """For a 'Service Plan ...' line, the department named on the nearest non-blank line above."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0:
        return None
    name = clean_heading(lines[j])
    if name and len(name.split()) <= 10 and not name.endswith(".") and "\t" not in lines[j]:
        return name
    return None


def find_sections(lines: tuple[str, ...] | list[str], doc_id: str, title: str,
                  headings: Iterable[Any] | None = None) -> list[Section]:
    """The section tree of a document (level 0 is the whole document).

    ``headings`` (line, level, text, department, member), when a reader found them from fonts or
    styles (PDF, Word, HTML), replace the layout rules used for text.
    """
    lines = list(lines)
    n = len(lines)
    if headings is not None:
        given = sorted((h.line, h.level, h.text, h.department, h.member) for h in headings)
        return _build_tree(lines, given, doc_id, title, n)
    heads: list[tuple[int, int, str, str | None, str | None]] = []  # (line_no, level, heading, dept, member)
    dept_lines: set[int] = set()
    for i, raw in enumerate(lines):
        s = raw.strip()
        if "\t" in raw or not s:
            continue
        if DEPARTMENT_INTRO.match(clean_heading(s)) and not TOC_LINE.search(raw):
            name = _department_name(lines, i)
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if name and j >= 0:
                heads = [h for h in heads if h[0] != j + 1]
                heads.append((j + 1, 1, name, name, None))
                dept_lines.add(j + 1)
                dept_lines.add(i + 1)
            continue
        m = PORTFOLIO.match(clean_heading(s))
        if m and _is_heading(lines, i):
            portfolio = m.group("portfolio").strip()
            heads.append((i + 1, 1, clean_heading(s).rstrip("."), portfolio, m.group("member").strip()))
            continue
        title, pairs = split_roles(clean_heading(s).lstrip("# "))
        if pairs and not title:
            continue  # "Director: Ruth Pellow" says who, under a heading; it is no heading itself
        if title and first_member(pairs) and _is_heading(lines, i):
            heads.append((i + 1, 1, title, title, first_member(pairs)))  # "Public Health Cabinet Member X Director Y"
            continue
        if _is_heading(lines, i) and (i + 1) not in dept_lines:
            text = clean_heading(s).lstrip("# ")
            level = 2 if PART.match(text) else 3
            heads.append((i + 1, level, text, None, None))
    heads.sort()
    return _build_tree(lines, _repeats_nested(_subtitles_nested(lines, heads)), doc_id, title, n)


def _subtitles_nested(lines: list[str], heads: list[tuple[int, int, str, str | None, str | None]]
                      ) -> list[tuple[int, int, str, str | None, str | None]]:
    """A heading in capitals with only blank lines under it, then a heading of the same level not in
    capitals ("GREEN" / "Protecting and enhancing our environment"): the second is the first's
    subtitle, one level down, so the section's path names both."""
    out = list(heads)
    for k in range(1, len(out)):
        (line, level, text, *_), (next_line, next_level, next_text, dept, member) = out[k - 1], out[k]
        if level == next_level and _in_capitals(text) and not _in_capitals(next_text) and \
                not any(x.strip() for x in lines[line:next_line - 1]):
            out[k] = (next_line, level + 1, next_text, dept, member)
    return out


def _repeats_nested(heads: list[tuple[int, int, str, str | None, str | None]]
                    ) -> list[tuple[int, int, str, str | None, str | None]]:
    """A heading that recurs under one parent, each time right after a heading of its level that does
    not recur ("Keep Children Safe" / "Key Performance Measures" / "Be a good corporate parent" / "Key
    Performance Measures"), is a part of the heading before it, one level down: each priority's KPI
    table then sits under that priority."""
    out = list(heads)
    parents: list[int] = []   # for each heading, the index of the nearest heading above it of a lower level
    for k, (_, level, *_) in enumerate(out):
        j = k - 1
        while j >= 0 and out[j][1] >= level:
            j -= 1
        parents.append(j)
    seen: dict[tuple[int, int, str], list[int]] = {}
    for k, (_, level, text, *_) in enumerate(out):
        seen.setdefault((parents[k], level, text.lower()), []).append(k)
    for (parent, level, _), ks in seen.items():
        if len(ks) < 2:
            continue
        before = [k - 1 for k in ks]
        if all(b > parent and out[b][1] == level and len(seen[(parents[b], level, out[b][2].lower())]) == 1
               for b in before):
            for k in ks:
                line, lvl, text, dept, member = out[k]
                out[k] = (line, lvl + 1, text, dept, member)
    return out


def _in_capitals(text: str) -> bool:
    """Whether every letter of `text` is a capital ("GREEN", "WORKING SMARTER")."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _build_tree(lines, heads, doc_id: str, title: str, n: int) -> list[Section]:
    root_id = f"{doc_id}:s0"
    sections: list[Section] = []
    stack: list[tuple[int, str, str, str | None, str | None, str | None]] = [(0, root_id, title, None, None, None)]
    starts = [h[0] for h in heads] + [n + 1]
    prose_spans: list[tuple[int, int]] = []
    entries = []
    for k, (line_no, level, heading, dept, member) in enumerate(heads):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1]
        department = dept if level == 1 else parent[3]
        cabinet = member if level == 1 else parent[4]
        director = _own_director(lines, line_no, heading, starts[k + 1]) or parent[5]
        sid = f"{doc_id}:s{line_no}"
        path = " > ".join([s[2] for s in stack[1:]] + [heading])
        end = n
        for later_line, later_level, *_ in heads[k + 1:]:
            if later_level <= level:
                end = later_line - 1
                break
        entries.append((sid, parent[1], level, heading, path, department, line_no, end, cabinet, starts[k + 1] - 1,
                        director))
        stack.append((level, sid, heading, department, cabinet, director))
    first = heads[0][0] - 1 if heads else n
    sections.append(Section(root_id, None, 0, title, title, None, 1, n, _prose(lines, 1, first)))
    for sid, parent, level, heading, path, dept, start, end, cabinet, own_end, director in entries:
        prose_spans.append((start, own_end))
        sections.append(Section(sid, parent, level, heading, path, dept, start, end,
                                _prose(lines, start + 1, own_end), cabinet, director))
    return sections


def _own_director(lines: list[str], line_no: int, heading: str, next_heading: int) -> str | None:
    """The director a heading names: in the heading itself ("Public Health Cabinet Member X Director
    Y") or on a role line within ``ROLE_REACH`` lines below it, before the next heading."""
    found = first_director(split_roles(heading)[1]) or first_director(split_roles(lines[line_no - 1])[1])
    if found:
        return found
    for i in range(line_no, min(next_heading - 1, line_no + ROLE_REACH, len(lines))):
        found = first_director(roles_in_line(lines[i]))
        if found:
            return found
    return None


def _prose(lines: list[str], start: int, end: int) -> str:
    """Non-table lines of a span (1-based inclusive), blank runs collapsed."""
    out: list[str] = []
    for raw in lines[start - 1:end]:
        if "\t" in raw or is_markdown_row(raw):
            continue
        s = raw.strip()
        if s or (out and out[-1]):
            out.append(s)
    return "\n".join(out).strip()


def section_at(sections: list[Section], line_no: int) -> Section:
    """The innermost section whose own span contains line_no."""
    best = sections[0]
    for s in sections[1:]:
        if s.line_start <= line_no <= s.line_end and s.level >= best.level:
            best = s
    return best
