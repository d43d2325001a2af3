"""KPIs written as cards, the same KPI listed twice, and rating legends.

Performance reports often show each KPI as a small box rather than a table row: the measure's
name and its rating on one line, then "Latest: 97%  Target: 97%, Floor: 90%  Previous: 97% (Green)".
Such a line (two or more "<value word>: <value>" pairs) makes a KPI whose name is the nearest text
above it. A report that lists its KPIs in a summary table and again as cards would count each twice:
rows of one document whose names match are merged. Rating words used in a document ("GREEN",
"lr") are looked up in the same document for their meaning ("GREEN  Target has been achieved").
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from assistant.ingest.classify import VALUE_KINDS
from assistant.ingest.normalise import clean_text, parse_measure

_KIND_WORDS = "|".join(sorted(VALUE_KINDS, key=len, reverse=True))
_PAIR = re.compile(rf"\b({_KIND_WORDS})\s*(?::\s*|\s+(?=[-<>£\d]))", re.I)
_RATING = re.compile(r"^(red|amber|green|blue|gold|purple|grey|black|r|a|g|rag|on track|off track|at risk)$", re.I)
_IN_BRACKETS = re.compile(r"\(([^()]*)\)\s*$")
#: A summary row and a KPI with figures are the same KPI when rapidfuzz's WRatio of their names
#: reaches this (and their ratings agree); pairs are taken one to one, best first.
SAME_KPI_SIMILARITY = 60.0
#: How many lines above a values line its KPI name may be.
NAME_REACH = 4
#: A legend meaning has at least this many words.
LEGEND_MIN_WORDS = 2


def value_pairs(text: str) -> list[tuple[str, str]]:
    """('latest', '97%'), ('target', '97%'), ... from 'Latest: 97% Target: 97%, Floor: 90%'."""
    marks = list(_PAIR.finditer(text))
    out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        value = text[m.end():end].strip(" ,;\t")
        if value:
            out.append((m.group(1).lower(), value))
    return out


def _name_above(lines: tuple[str, ...], i: int) -> tuple[str, str | None, int] | None:
    """The KPI name (and a rating word beside it) on the nearest line above line i (0-based)."""
    for j in range(i - 1, max(-1, i - 1 - NAME_REACH), -1):
        cells = [clean_text(c) for c in lines[j].split("\t") if clean_text(c)]
        if not cells or len(value_pairs(lines[j])) >= 2:
            continue
        rating = next((c for c in cells if _RATING.match(c)), None)
        names = [c for c in cells if not _RATING.match(c) and len(c.split()) >= 2 and not _PAIR.match(c)]
        if names:
            return max(names, key=len), rating, j + 1
    return None


def extract_cards(doc: Any) -> None:
    """KPIs from values lines ('Latest: ... Target: ...') into ``doc.rows`` (kpis, kpi_values)."""
    from assistant.ingest.sections import section_at

    lines = doc.lines
    if not lines:
        return
    for i, line in enumerate(lines):
        pairs = value_pairs(line.replace("\t", " "))
        if len({VALUE_KINDS.get(w, w) for w, _ in pairs}) < 2:
            continue
        line_no = i + 1
        idx = next((k for k, t in enumerate(doc.tables) if t[1].line_start <= line_no <= t[1].line_end), None)
        if idx is not None and doc.tables[idx][2] != "unclassified" and not any(
                r["raw_table_id"] == doc.tables[idx][0] for r in doc.rows.get("kpis", []) if "card" in r["kpi_id"]):
            continue  # a row of a typed table that mentions a baseline and a target
        found = _name_above(lines, i)
        if found is None:
            continue
        name, rating, name_line = found
        table_id = doc.tables[idx][0] if idx is not None else None
        if idx is not None and doc.tables[idx][2] == "unclassified":
            tid, table, _, ctx = doc.tables[idx]
            doc.tables[idx] = (tid, table, "kpis", ctx)
        sec = section_at(doc.sections, name_line)
        kpi_id = f"{doc.doc_id}:card{name_line}"
        doc.rows.setdefault("kpis", []).append({
            "kpi_id": kpi_id, "description": name, "responsible_raw": None, "responsible": [], "notes": None,
            "doc_id": doc.doc_id, "file": doc.file, "council": doc.meta.council, "department": sec.department,
            "section_path": sec.path if sec.level else "", "line_start": name_line, "line_end": line_no,
            "raw_table_id": table_id, "raw_row_index": None})
        values = doc.rows.setdefault("kpi_values", [])
        seen = set()
        for word, raw in pairs:
            kind = VALUE_KINDS.get(word, word)
            period = "previous" if kind == "previous" else (doc.meta.period or "current")
            bracket = _IN_BRACKETS.search(raw)
            if bracket and _RATING.match(bracket.group(1).strip()):
                values.append(_value(kpi_id, period, "rag", bracket.group(1).strip(), line_no))
                raw = raw[:bracket.start()].strip()
            if (period, kind) in seen:
                continue
            seen.add((period, kind))
            values.append(_value(kpi_id, period, kind, raw, line_no))
        if rating:
            values.append(_value(kpi_id, doc.meta.period or "current", "rag", rating, name_line))


def _value(kpi_id: str, period: str, kind: str, raw: str, line: int) -> dict[str, Any]:
    if kind == "rag":
        return {"kpi_id": kpi_id, "period": period, "kind": kind, "raw": raw, "value": None, "unit": None,
                "as_of": None, "status": raw.upper() if len(raw) > 1 else raw, "line_start": line}
    m = parse_measure(raw)
    return {"kpi_id": kpi_id, "period": period, "kind": kind, "raw": raw, "value": m.value, "unit": m.unit,
            "as_of": m.as_of, "status": m.status, "line_start": line}


def _norm_name(text: str) -> str:
    t = text.lower().replace("%", " percentage ")
    t = re.sub(r"\bpercent(age)?\s+of\b", " percentage ", t)
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def merge_duplicate_kpis(doc: Any) -> None:
    """A KPI listed twice in one document, once in a summary table with ratings only and once with
    its figures (a card or a table), becomes one row.

    Pairs are matched one to one, most similar names first; a pair needs names at least
    ``SAME_KPI_SIMILARITY`` alike (rapidfuzz WRatio) and, when both carry a latest rating, the same one.
    The row with figures stays; the summary's values it lacks move to it.
    """
    kpis = doc.rows.get("kpis", [])
    values = doc.rows.get("kpi_values", [])
    if len(kpis) < 2:
        return
    by_kpi: dict[str, list[dict[str, Any]]] = {}
    for v in values:
        by_kpi.setdefault(v["kpi_id"], []).append(v)
    summary = [k for k in kpis if by_kpi.get(k["kpi_id"]) and all(v["kind"] == "rag" for v in by_kpi[k["kpi_id"]])]
    full = [k for k in kpis if any(v["kind"] != "rag" for v in by_kpi.get(k["kpi_id"], []))]
    if not summary or not full:
        return

    def rating(k: dict[str, Any]) -> str | None:
        return next((str(v["status"]).upper() for v in by_kpi.get(k["kpi_id"], [])
                     if v["kind"] == "rag" and v["period"] != "previous" and v.get("status")), None)

    pairs = []
    for s_ in summary:
        for f in full:
            if s_.get("raw_table_id") and s_.get("raw_table_id") == f.get("raw_table_id"):
                continue
            score = fuzz.WRatio(_norm_name(s_["description"] or ""), _norm_name(f["description"] or ""))
            if score >= SAME_KPI_SIMILARITY and (rating(s_) is None or rating(f) is None or rating(s_) == rating(f)):
                pairs.append((score, s_["kpi_id"], f["kpi_id"]))
    dropped: dict[str, str] = {}
    taken: set[str] = set()
    for _, sid, fid in sorted(pairs, reverse=True):
        if sid in dropped or fid in taken:
            continue
        dropped[sid] = fid
        taken.add(fid)
    if not dropped:
        return
    index = {k["kpi_id"]: k for k in kpis}
    for sid, fid in dropped.items():
        if index[sid].get("responsible_raw") and not index[fid].get("responsible_raw"):
            index[fid]["responsible_raw"] = index[sid]["responsible_raw"]
    have = {(v["kpi_id"], v["period"], v["kind"]) for v in values if v["kpi_id"] not in dropped}
    kept_values = []
    for v in values:
        target = dropped.get(v["kpi_id"])
        if target is None:
            kept_values.append(v)
        elif (target, v["period"], v["kind"]) not in have:
            have.add((target, v["period"], v["kind"]))
            kept_values.append({**v, "kpi_id": target})
    doc.rows["kpi_values"] = kept_values
    doc.rows["kpis"] = [k for k in kpis if k["kpi_id"] not in dropped]
    doc.mentions = [m for m in doc.mentions if not (m[1] == "kpis" and m[2] in dropped)]


def find_legend(doc: Any) -> list[dict[str, Any]]:
    """Meanings of the rating words a document uses ("GREEN  Target has been achieved or exceeded",
    "lr: below target"), from its own lines."""
    terms = {str(v["status"]).lower() for v in doc.rows.get("kpi_values", []) if v.get("kind") == "rag" and v.get("status")}
    terms |= {str(r.get("rating")).lower() for r in doc.rows.get("risks", []) if r.get("rating")}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    terms = {t for t in terms if t and t != "none"}
    if not terms:
        return out
    inline = re.compile(r"(?:^|[;,(:]\s*|\t|\s{2,})(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                        + r")\*?\s*(?:[:=]|\t|\s[–—-]\s|\s{2,})\s*([^;\t\n]+)", re.I)
    for i, line in enumerate(doc.lines, start=1):
        for m in inline.finditer(line.strip()):
            term, meaning = m.group(1), m.group(2).strip(" .)")
            key = term.lower()
            if key in seen or len(meaning.split()) < LEGEND_MIN_WORDS or _PAIR.search(meaning):
                continue
            seen.add(key)
            out.append({"doc_id": doc.doc_id, "file": doc.file, "term": term, "meaning": clean_text(meaning),
                        "line_start": i, "page": doc.page_of(i)})
    return out
