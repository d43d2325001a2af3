"""One document: metadata (manifest or detected), sections, raw tables and typed rows."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import relative_file
from assistant.ingest.cards import extract_cards, find_legend, merge_duplicate_kpis
from assistant.ingest.classify import classify_header
from assistant.ingest.extract import Extracted, Row, TableContext, extract_table
from assistant.ingest.normalise import clean_text, parse_money
from assistant.ingest.readers import SourceText
from assistant.ingest.sections import Section, find_sections, section_at
from assistant.ingest.tables import RawTable, find_tables, mark_totals, parse_delimited, sniff_delimiter

log = logging.getLogger(__name__)

KINDS = (("service plan", r"service plan"), ("pledges", r"\bpledges?\b"), ("delivery plan", r"delivery plan"),
         ("council plan", r"council plan|corporate plan"),
         ("performance report", r"performance (monitoring )?report|quarterly performance|performance indicators"),
         ("risk register", r"risks? register"), ("capital programme", r"capital (investment|programme|strategy)"),
         ("budget", r"\bbudget\b|revenue spending|key service statement|medium term financial"),
         ("action plan", r"action plan|priorities and actions"),
         ("report", r"decision number|recommendations?:|report to|cabinet report"))

#: Organisations called "... Council" that are not local authorities.
NOT_COUNCILS = frozenset("""arts research security privy european medical nursing sport sports design funding youth
student students heritage british national science engineering economic social local health county city borough
district town parish the our full this that each every""".split())
#: Lines at the top of a document read for its title, council and period (its first page, or so).
HEAD_LINES = 80

@dataclass(frozen=True)
class DocMeta:
    """Title, council, period and kind of a document."""

    title: str
    council: str | None
    period: str | None
    kind: str


@dataclass
class ParsedDocument:
    """Everything extracted from one file."""

    doc_id: str
    file: str
    meta: DocMeta
    content_hash: str
    n_lines: int
    sections: list[Section]
    tables: list[tuple[str, RawTable, str, TableContext]]  # (table_id, table, kind, ctx)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    mentions: list[tuple[str, str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = "text"
    pages: tuple[Any, ...] = ()  # PageSpan per page (structured formats)
    line_pages: tuple[int | None, ...] = ()
    lines: tuple[str, ...] = ()
    legend: list[dict[str, Any]] = field(default_factory=list)

    def page_of(self, line: int | None) -> int | None:
        """The page a line is on (None for text formats)."""
        if not line or not self.line_pages or line > len(self.line_pages):
            return None
        return self.line_pages[line - 1]


def load_manifest(directory: Path) -> dict[str, dict[str, Any]]:
    """The manifest.json of a corpus directory ({} when absent or unreadable)."""
    path = directory / "manifest.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("manifest %s unreadable: %s", path, exc)
        return {}


def detect_title(lines: tuple[str, ...], path: Path, headings=None) -> str:
    """A committee report's "Subject:" line, else the headings opening a structured document, else
    the first line with words (text files), else the file name."""
    if path.suffix.lower() in (".csv", ".tsv", ".tab"):
        return path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    for k, line in enumerate(lines[:HEAD_LINES]):
        m = re.match(r"^\s*(?:subject|title)\s*:\s*(.{6,})$", clean_text(line), re.I)
        if m:
            title = m.group(1).strip()
            nxt = clean_text(lines[k + 1]) if k + 1 < len(lines) else ""
            if nxt and len(nxt.split()) <= 6 and ":" not in nxt:
                title = f"{title} {nxt}"  # a subject wrapped onto a second line
            return title[:150]
    if headings:
        first = [h for h in headings if h.line <= HEAD_LINES][:3]
        opening = [first[0]] if first else []
        for h in first[1:]:
            between = [ln for ln in lines[opening[-1].line:h.line - 1] if ln.strip()]
            if between:
                break
            opening.append(h)
        if opening:
            return " ".join(h.text for h in opening)[:150]
    return next((clean_text(line).lstrip("# ") for line in lines if len(clean_text(line).lstrip("# ")) > 3),
                path.stem)[:150]


_COUNCIL = re.compile(r"\b(?:[A-Z][a-z]+(?:[ -](?:and|upon|on|of)?[ -]?)?){1,3}"
                      r"(?:County |City |Borough |District |Metropolitan Borough |Town |Parish )?Council\b")


def detect_council(text: str) -> str | None:
    """The most named local council in a text ("Kent County Council"), ignoring "Arts Council" and
    "the Council"; names with County/City/Borough/District win over bare ones."""
    counts = Counter(re.sub(r"\s+", " ", m.group(0)).strip() for m in _COUNCIL.finditer(text))
    best = None
    for name, n in sorted(counts.items(), key=lambda kv: (-bool(re.search(
            r"(County|City|Borough|District|Town|Parish) Council$", kv[0])), -kv[1])):
        first = name.split()[0].lower()
        if first in NOT_COUNCILS or name.lower().startswith(("county council", "city council")):
            continue
        best = name
        break
    return best


_ACRONYM_TYPES = {"CC": "County Council", "BC": "Borough Council", "DC": "District Council",
                  "MBC": "Metropolitan Borough Council"}
#: An acronym ("KCC") and a place name starting with its letter ("Kent") must each occur this often
#: for the council to be read from them.
ACRONYM_MIN_USES = 3


def council_from_acronym(text: str) -> str | None:
    """'Kent County Council' from a text that says "KCC" and "Kent" often but never the full name."""
    acronyms = Counter(m.group(0) for m in re.finditer(r"\b[A-Z](?:CC|MBC|BC|DC)\b", text))
    for acronym, n in acronyms.most_common(2):
        if n < ACRONYM_MIN_USES:
            break
        places = Counter(m.group(0) for m in re.finditer(rf"(?<![.!?]\s)\b{acronym[0]}[a-z]{{2,}}\b", text))
        for place, k in places.most_common(3):
            if k >= ACRONYM_MIN_USES and place.lower() not in NOT_COUNCILS:
                return f"{place} {_ACRONYM_TYPES[acronym[1:]]}"
    return None


_FY = r"(?:19|20)\d{2}\s*[-–/]\s*(?:(?:19|20)?\d{2})"


def detect_period(*texts: str) -> str | None:
    """The period a document covers, from the first text that names one: "Q3 2024-25",
    "2025-26 to 2034-35", "2025-26", "2024-2029"."""
    for text in texts:
        m = re.search(rf"(?:quarter|qtr|q)\s*([1-4])\b[\s,]*(?:of\s+)?({_FY})", text, re.I) or \
            re.search(rf"({_FY})[\s,]*(?:quarter|qtr|q)\s*([1-4])\b", text, re.I)
        if m:
            q, fy = (m.group(1), m.group(2)) if m.group(1).isdigit() and len(m.group(1)) == 1 else (m.group(2), m.group(1))
            return f"Q{q} {_fy(fy)}"
        m = re.search(rf"({_FY})\s*(?:to|-|–)\s*({_FY})", text, re.I)
        if m:
            return f"{_fy(m.group(1))} to {_fy(m.group(2))}"
        years = Counter(_fy(m.group(1)) for m in re.finditer(rf"\b({_FY})\b", text))
        if years:
            return years.most_common(1)[0][0]
    return None


def _fy(text: str) -> str:
    m = re.match(r"((?:19|20)\d{2})\s*[-–/]\s*((?:19|20)?(\d{2}))", text)
    if not m:
        return text
    return f"{m.group(1)}-{m.group(3)}" if len(m.group(2)) in (2, 4) else text


def detect_meta(lines: tuple[str, ...], path: Path, headings=None, line_pages=()) -> DocMeta:
    """Title, council, period and kind from the content, for files missing from the manifest
    (for a paginated document, its first page)."""
    first_page = [ln for ln, p in zip(lines, line_pages) if p == 1][:HEAD_LINES] if any(line_pages) else []
    top = tuple(first_page) or lines[:HEAD_LINES]
    title = detect_title(lines, path, [h for h in headings or [] if h.line <= len(top) + 1] if headings else None)
    head = "\n".join(top)
    council = detect_council(title) or detect_council("\n".join(lines[:300])) or \
        council_from_acronym("\n".join(lines[:2000]))
    period = detect_period(title, head, path.stem.replace("_", "-"))
    low_title, low = (title + " " + path.stem).lower(), head.lower()
    kind = next((k for k, pat in KINDS if re.search(pat, low_title)), None) or \
        next((k for k, pat in KINDS if re.search(pat, low)), "other")
    return DocMeta(title, council, period, kind)


def meta_for(source: SourceText, manifest: dict[str, dict[str, Any]]) -> DocMeta:
    entry = manifest.get(source.path.name)
    detected = detect_meta(source.lines, source.path, source.headings, source.line_pages)
    if not entry:
        return detected
    return DocMeta(entry.get("title") or detected.title, entry.get("council") or detected.council,
                   entry.get("period") or detected.period, entry.get("kind") or detected.kind)


def _tables_of(source: SourceText) -> list[RawTable]:
    if source.format == "csv":
        return parse_delimited(source.lines, sniff_delimiter(source.lines), "csv")
    if source.format == "tsv":
        return parse_delimited(source.lines, "\t", "tsv")
    if source.tables is not None:
        # tables read from the structure, plus tables found from the alignment of the other lines
        rest = ["" if i in source.table_lines else line for i, line in enumerate(source.lines, start=1)]
        aligned = [t for t in find_tables(rest) if len(t.rows) >= MIN_ALIGNED_ROWS]
        for t in aligned:
            t.page_start, t.page_end = source.page_of(t.line_start), source.page_of(t.line_end)
        return sorted([*source.tables, *aligned], key=lambda t: t.line_start)
    return find_tables(source.lines)


#: A table found only from the alignment of text lines needs this many data rows.
MIN_ALIGNED_ROWS = 2


def _context(doc_id: str, file: str, council: str | None, sections: list[Section], line: int,
             table_id: str, doc_period: str | None = None) -> TableContext:
    sec = section_at(sections, line)
    by_id = {s.section_id: s for s in sections}
    chain = []
    s: Section | None = sec
    while s is not None:
        chain.append(s)
        s = by_id.get(s.parent_id) if s.parent_id else None
    heading = next((c.heading for c in chain if c.level == 3), None)
    part = next((c.heading for c in chain if c.level == 2), None)
    found = re.search(r"\b(20\d{2}\s*[/-]\s*\d{2})\b", sec.text or "")
    theme = _label_of(sections, sec) if sec.level == 3 else heading
    return TableContext(doc_id, file, council, sec.department, sec.path if sec.level else "", heading, part,
                        sec.cabinet_member, table_id, found.group(1).replace(" ", "") if found else None, theme,
                        doc_period)


def parse_document(source: SourceText, meta: DocMeta) -> ParsedDocument:
    """Parse a decoded source into sections, raw tables and typed rows."""
    doc_id = source.path.stem
    file = relative_file(source.path)
    sections = find_sections(source.lines, doc_id, meta.title, source.headings)
    doc = ParsedDocument(doc_id, file, meta, source.content_hash, len(source.lines), sections, [],
                         format=source.format, pages=source.pages, line_pages=source.line_pages,
                         lines=source.lines)
    for table in _tables_of(source):
        mark_totals(table)
        table_id = f"{doc_id}:t{table.line_start}"
        ctx = _context(doc_id, file, meta.council, sections, table.line_start, table_id, meta.period)
        info = classify_header(table.header, ctx.section_path)
        extracted: Extracted = extract_table(table, info, ctx)
        kind = info.kind if any(extracted.rows.values()) or not table.rows else "unclassified"
        doc.tables.append((table_id, table, kind, ctx))
        for name, rows in extracted.rows.items():
            doc.rows.setdefault(name, []).extend(rows)
        doc.mentions.extend(extracted.mentions)
        if table.ragged and not (source.tables is not None and table.format in ("tsv", "aligned")):
            doc.warnings.append(f"ragged table at line {table.line_start}: rows at lines "
                                f"{', '.join(map(str, table.ragged[:5]))} do not match the header's "
                                f"{len(table.header)} columns (cells kept in raw_rows)")
    _prose_savings(source, doc, sections, meta)
    _prose_budgets(source, doc, sections, meta)
    extract_cards(doc)
    merge_duplicate_kpis(doc)
    doc.legend = find_legend(doc)
    if doc.line_pages:
        for rows in doc.rows.values():
            for row in rows:
                if "line_start" in row and row.get("page") is None:
                    row["page"] = doc.page_of(row.get("line_start"))
    return doc


_SAVING_BULLET = re.compile(r"^\s*[-•]\s*\*\*(?P<item>[^*]+?)\s+[–-]\s+(?P<amount>£[\d,.]+\s*(?:m|k|million)?)\s*\*\*\s*$")


def _prose_savings(source: SourceText, doc: ParsedDocument, sections: list[Section], meta: DocMeta) -> None:
    """Savings written as bold bullets ('- **Insurance reductions – £350,000**') in a savings section."""
    lines = source.lines
    for i, line in enumerate(lines, start=1):
        m = _SAVING_BULLET.match(line)
        if not m:
            continue
        sec = section_at(sections, i)
        if not re.search(r"saving", sec.text or "", re.I):
            continue
        desc_lines = []
        j = i
        while j < len(lines) and len(desc_lines) < 3:
            nxt = lines[j].strip()
            if _SAVING_BULLET.match(lines[j]) or "\t" in lines[j]:
                break
            if nxt:
                desc_lines.append(nxt)
            elif desc_lines:
                break
            j += 1
        end = j if desc_lines else i
        period = re.search(r"(20\d{2}\s*[/-]\s*\d{2})\b", sec.text or "")
        doc.rows.setdefault("savings", []).append({
            "saving_id": f"{doc.doc_id}:l{i}", "item": m.group("item").strip(), "raw": m.group("amount").strip(),
            "amount": parse_money(m.group("amount")), "period": period.group(1).replace(" ", "") if period else None,
            "description": " ".join(desc_lines) or None, "doc_id": doc.doc_id, "file": doc.file,
            "council": meta.council, "department": sec.department, "section_path": sec.path if sec.level else "",
            "line_start": i, "line_end": end, "raw_table_id": None, "raw_row_index": None})


_BUDGET_SENTENCE = re.compile(
    r"(?P<measure>(?:(?:annual|yearly)\s+)?(?:(?:gross|net)\s+)?(?:revenue|capital)\s+budget)"
    r"(?:\s+for\s+(?:a|the)\s+(?P<period>[\w-]+(?:\s+[\w-]+)?\s+period))?"
    r"[^£.]{0,80}?\b(?:of|is|was|totals?)\s+(?P<amount>£\s?[\d,.]+\s*(?:million|bn|billion|m|k)?)", re.I)


def _label_of(sections: list[Section], sec: Section) -> str:
    """The heading of a section, prefixed by a bare label heading just above it (e.g. 'GREEN'): a
    sibling, or the parent a subtitle is nested under (sections._subtitles_nested)."""
    idx = sections.index(sec)
    prev = sections[idx - 1] if idx > 1 else None
    if prev is not None and not prev.text and (prev.level == sec.level or prev.section_id == sec.parent_id) and \
            prev.line_start >= sec.line_start - 3:
        return f"{prev.heading} – {sec.heading}"
    return sec.heading


def _prose_budgets(source: SourceText, doc: ParsedDocument, sections: list[Section], meta: DocMeta) -> None:
    """Budget figures stated in prose ('an annual net revenue budget of £29 million') per section."""
    seen: set[tuple[str, str, float | None]] = set()
    for i, line in enumerate(source.lines, start=1):
        if "\t" in line or "budget" not in line.lower():
            continue
        sec = section_at(sections, i)
        if sec.level == 0:
            continue
        label = _label_of(sections, sec)
        for k, m in enumerate(_BUDGET_SENTENCE.finditer(line)):
            measure = re.sub(r"\s+", " ", m.group("measure")).strip().lower()
            amount = parse_money(m.group("amount"))
            key = (label, measure, amount)
            if key in seen:
                continue
            seen.add(key)
            doc.rows.setdefault("budget_lines", []).append({
                "budget_id": f"{doc.doc_id}:l{i}:b{k}", "line_item": label, "measure": measure,
                "period": m.group("period") or ("annual" if "annual" in measure else None),
                "raw": m.group("amount").strip(), "amount": amount, "is_total": False, "doc_id": doc.doc_id,
                "file": doc.file, "council": meta.council, "department": sec.department,
                "section_path": sec.path, "line_start": i, "line_end": i, "raw_table_id": None,
                "raw_row_index": None})
