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
from assistant.ingest.classify import classify_header
from assistant.ingest.extract import Extracted, Row, TableContext, extract_table
from assistant.ingest.normalise import clean_text, parse_money
from assistant.ingest.readers import SourceText
from assistant.ingest.sections import Section, find_sections, section_at
from assistant.ingest.tables import RawTable, find_tables, parse_delimited

log = logging.getLogger(__name__)

KINDS = (("service plan", r"service plan"), ("pledges", r"\bpledges?\b"), ("delivery plan", r"delivery plan"),
         ("council plan", r"council plan|corporate plan"))


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


def detect_meta(lines: tuple[str, ...], path: Path) -> DocMeta:
    """Title, council, period and kind from the content, for files missing from the manifest."""
    head = "\n".join(lines[:300])
    if path.suffix.lower() in (".csv", ".tsv", ".tab"):
        title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    else:
        title = next((clean_text(line).lstrip("# ") for line in lines if len(clean_text(line).lstrip("# ")) > 3),
                     path.stem)[:150]
    councils = Counter(m.group(0).strip() for m in re.finditer(
        r"\b(?:[A-Z][a-z]+ ){1,3}(?:County |City |Borough |District |Metropolitan Borough )?Council\b", head))
    council = None
    for name, _ in councils.most_common():
        if not name.lower().startswith(("the ", "our ", "full ", "this ", "county council", "city council")):
            council = name
            break
    m = re.search(r"\b(20\d{2})\s*[-–/]\s*(?:20)?(\d{2})\b", path.stem + " " + head)
    period = f"{m.group(1)}-{m.group(2)}" if m else None
    low = (path.stem + " " + head).lower()
    kind = next((k for k, pat in KINDS if re.search(pat, low)), "other")
    return DocMeta(title, council, period, kind)


def meta_for(source: SourceText, manifest: dict[str, dict[str, Any]]) -> DocMeta:
    entry = manifest.get(source.path.name)
    detected = detect_meta(source.lines, source.path)
    if not entry:
        return detected
    return DocMeta(entry.get("title") or detected.title, entry.get("council") or detected.council,
                   entry.get("period") or detected.period, entry.get("kind") or detected.kind)


def _tables_of(source: SourceText) -> list[RawTable]:
    if source.format == "csv":
        return parse_delimited(source.lines, ",", "csv")
    if source.format == "tsv":
        return parse_delimited(source.lines, "\t", "tsv")
    return find_tables(source.lines)


def _context(doc_id: str, file: str, council: str | None, sections: list[Section], line: int,
             table_id: str) -> TableContext:
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
                        sec.cabinet_member, table_id, found.group(1).replace(" ", "") if found else None, theme)


def parse_document(source: SourceText, meta: DocMeta) -> ParsedDocument:
    """Parse a decoded source into sections, raw tables and typed rows."""
    doc_id = source.path.stem
    file = relative_file(source.path)
    sections = find_sections(source.lines, doc_id, meta.title)
    doc = ParsedDocument(doc_id, file, meta, source.content_hash, len(source.lines), sections, [])
    for table in _tables_of(source):
        table_id = f"{doc_id}:t{table.line_start}"
        ctx = _context(doc_id, file, meta.council, sections, table.line_start, table_id)
        info = classify_header(table.header, ctx.section_path)
        extracted: Extracted = extract_table(table, info, ctx)
        kind = info.kind if any(extracted.rows.values()) or info.kind != "unclassified" else "unclassified"
        doc.tables.append((table_id, table, kind, ctx))
        for name, rows in extracted.rows.items():
            doc.rows.setdefault(name, []).extend(rows)
        doc.mentions.extend(extracted.mentions)
        if table.ragged:
            doc.warnings.append(f"ragged table at line {table.line_start}: rows at lines "
                                f"{', '.join(map(str, table.ragged[:5]))} do not match the header's "
                                f"{len(table.header)} columns (cells kept in raw_rows)")
    _prose_savings(source, doc, sections, meta)
    _prose_budgets(source, doc, sections, meta)
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
    """The heading of a section, prefixed by a bare label heading just above it (e.g. 'GREEN')."""
    idx = sections.index(sec)
    prev = sections[idx - 1] if idx > 1 else None
    if prev is not None and prev.level == sec.level and not prev.text and prev.line_end >= sec.line_start - 2:
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
