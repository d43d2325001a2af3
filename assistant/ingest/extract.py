"""From a classified raw table to typed rows (actions, kpis, procurements, ...).

Each extractor works from the column roles of ``classify.HeaderInfo``: continuation rows (an empty
or lower-case first cell with the key columns empty) are joined to the row above, "- " rows become
sub-rows of the last numbered row, and single-cell rows in procurement or pledge tables are group
labels (category, NEW / PROTECT).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.ingest.classify import HeaderInfo
from assistant.ingest.normalise import (DateValue, clean_text, parse_date, parse_dates_joined, parse_measure,
                                        parse_money)
from assistant.ingest.tables import RawTable

Row = dict[str, Any]


@dataclass(frozen=True)
class TableContext:
    """Where a table sits: provenance shared by all its rows."""

    doc_id: str
    file: str
    council: str | None
    department: str | None
    section_path: str
    heading: str | None  # nearest level-3 heading (priority or topic)
    part: str | None  # nearest level-2 heading (Section One..., Appendix...)
    cabinet_member: str | None
    table_id: str
    period: str | None = None  # a period (2020-21, 2020/21) named in the section's prose
    theme: str | None = None  # heading with a bare label heading above it, e.g. "GREEN – Protecting ..."
    doc_period: str | None = None  # the period of the whole document ("Q3 2024-25"), for undated columns


@dataclass
class Extracted:
    """Typed rows of one table and the people they name."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    mentions: list[tuple[str, str, str, str]] = field(default_factory=list)  # (name_raw, table, row_id, role)

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)


@dataclass
class _Logical:
    """A logical row: parts per column from one or more raw rows."""

    parts: list[list[str]]
    first_index: int
    line_start: int
    line_end: int
    label: str | None = None  # group label in force (category, NEW/PROTECT)

    def text(self, i: int | None) -> str:
        if i is None or i >= len(self.parts):
            return ""
        return clean_text(" ".join(p for p in self.parts[i] if p))

    def raw(self, i: int | None) -> str:
        if i is None or i >= len(self.parts):
            return ""
        return " ".join(p for p in self.parts[i] if p).strip()

    def dates(self, i: int | None) -> DateValue:
        if i is None or i >= len(self.parts):
            return DateValue(None)
        parts = [clean_text(q) for p in self.parts[i] for q in _CELL_ITEMS.split(p) if clean_text(q)]
        return parse_dates_joined(parts) if len(parts) > 1 else parse_date(parts[0] if parts else None)


_CELL_ITEMS = re.compile(r"</p>\s*<p>|<br\s*/?>|</li>\s*<li>|\s+•\s+", re.I)


def _prov(ctx: TableContext, lr: _Logical) -> Row:
    return {"doc_id": ctx.doc_id, "file": ctx.file, "council": ctx.council, "department": ctx.department,
            "section_path": ctx.section_path, "line_start": lr.line_start, "line_end": lr.line_end,
            "raw_table_id": ctx.table_id, "raw_row_index": lr.first_index}


def _date_cols(prefix: str, d: DateValue) -> Row:
    return {f"{prefix}_raw": d.raw, f"{prefix}_date": d.date, f"{prefix}_date_end": d.date_end,
            f"{prefix}_precision": d.precision, f"{prefix}_status": d.status, f"{prefix}_flag": d.flag}


def _is_group_row(cells: tuple[str, ...], key: int = 0) -> bool:
    filled = [i for i, c in enumerate(cells) if clean_text(c)]
    return filled == [key]


def logical_rows(table: RawTable, main: int, key_cols: list[int], group_labels: bool = False,
                 label_test=None) -> list[_Logical]:
    """Join continuation rows to the row above; collect group labels when asked."""
    out: list[_Logical] = []
    label: str | None = None
    width = len(table.header)
    for row in table.rows:
        cells = row.cells
        if not any(clean_text(c) for c in cells) or row.total:
            continue  # a total line sums the rows: it stays in raw_rows only
        if row.spanning:  # one merged cell across the table: a group label
            label = clean_text(next(c for c in cells if clean_text(c)))
            continue
        if group_labels and _is_group_row(cells, main) and (label_test is None or label_test(clean_text(cells[main]))):
            label = clean_text(cells[main])
            continue
        first = clean_text(cells[main]) if main < len(cells) else ""
        keys_empty = all(not clean_text(cells[k]) for k in key_cols if k < len(cells))
        continuation = out and (not first or (first[:1].islower() and keys_empty))
        if continuation:
            prev = out[-1]
            for i, c in enumerate(cells):
                if c.strip():
                    while len(prev.parts) <= i:
                        prev.parts.append([])
                    prev.parts[i].append(c)
            prev.line_end = max(prev.line_end, row.line_end)
            continue
        parts = [[c] if c.strip() else [] for c in cells] + [[] for _ in range(max(0, width - len(cells)))]
        out.append(_Logical(parts, row.index, row.line_start, row.line_end, label))
    return out


_REF = re.compile(r"^\s*(\d{1,3}[a-z]?)[.)]\s+(?=\S)")
_SUB = re.compile(r"^\s*[-–•]\s+")


def _plan_mark(text: str) -> str | None:
    t = text.strip().lower()
    if not t:
        return None
    if t in ("✓", "✔", "yes", "y", "x", "☑"):
        return "yes"
    if t in ("✗", "✘", "no", "n", "☐"):
        return "no"
    return text.strip()


def extract_actions(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    main = info.index("action")
    if main is None:
        main = info.index("title") or 0
    key_cols = [i for i in (info.index("lead"), info.index("start"), info.index("due")) if i is not None]
    parent_ref: str | None = None
    sub_count = 0
    for lr in logical_rows(table, main, key_cols):
        text = lr.text(main)
        ref = lr.text(info.index("ref")) or None
        pref = None
        m = _REF.match(text)
        if ref:
            parent_ref, sub_count = ref, 0
        elif m:
            ref = m.group(1)
            text = text[m.end():].strip()
            parent_ref, sub_count = ref, 0
        elif _SUB.match(text):
            text = _SUB.sub("", text, count=1).strip()
            pref = parent_ref
            sub_count += 1
            ref = f"{parent_ref}.{sub_count}" if parent_ref else None
        else:
            parent_ref, sub_count = None, 0
        if not re.search(r"[A-Za-z]{2}", text):
            continue  # a count or a code where the action should be: not an action row
        row_id = f"{ctx.table_id}:r{lr.first_index}"
        lead_raw = lr.raw(info.index("lead")) or None
        start, complete = lr.dates(info.index("start")), lr.dates(info.index("due"))
        if complete.raw is None and start.status and re.search(r"\bcomplet|\bend\b", start.status, re.I):
            complete = DateValue(None, status=start.status)  # "Start and completion dates are dependent upon ..."
        row: Row = {
            "action_id": row_id, "ref": ref, "parent_ref": pref, "action": text,
            "lead_raw": clean_text(lead_raw) or None, "leads": [],
            **_date_cols("start", start),
            **_date_cols("complete", complete),
            "success_measures": lr.text(info.index("success")) or None,
            "in_council_plan": _plan_mark(lr.text(info.index("in_plan"))),
            "priority": lr.text(info.index("priority")) or lr.label or _priority_from_heading(ctx.heading),
            "difference": lr.text(info.index("difference")) or None,
            "plan": lr.label or ctx.part or ctx.heading,
            **_prov(ctx, lr),
        }
        out.add("actions", row)
        if lead_raw:
            out.mentions.append((clean_text(lead_raw), "actions", row_id, "lead"))


def _priority_from_heading(heading: str | None) -> str | None:
    if not heading:
        return None
    return re.sub(r"^priority\s*[:–-]\s*", "", heading, flags=re.I).strip() or None


_PERIOD = re.compile(r"((?:19|20)\d{2}\s*[-/–]\s*\d{2,4}|(?:19|20)\d{2})")
_RATING_WORD = re.compile(r"^(red|amber|green|blue|gold|r|a|g|rag|on track|off track|at risk|complete[d]?)\b", re.I)


def value_column(header: str, rating: bool = False, current: str | None = None) -> tuple[str, str]:
    """(kind, period) of a KPI value column: 'Outturn 2023/24' -> ('actual', '2023/24'),
    'Latest' -> ('latest', ``current`` or 'current'), 'RAG rating Previous' -> ('rag', 'previous')."""
    from assistant.ingest.classify import VALUE_KINDS

    words = re.findall(r"[a-z]+", header.lower())
    m = _PERIOD.search(header)
    when = next((w for w in words if w in VALUE_KINDS), None)
    if rating:
        kind = "rag"
    else:
        kind = VALUE_KINDS.get(words[0], words[0]) if words else "value"
    if m:
        period = re.sub(r"\s+", "", m.group(1)).replace("–", "-")
    else:
        period = "previous" if when == "previous" else (current or "current")
    return kind, period


def extract_kpis(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    desc = info.index("description")
    if desc is None:
        desc = 0
    value_cols = info.indices("kpi_value") + info.indices("rating")
    resp = info.index("lead")
    seen_keys: set[tuple[str, str]] = set()
    col_keys: dict[int, tuple[str, str]] = {}
    for i in value_cols:
        head = table.header[i]
        kind, period = value_column(head, info.roles[i] == "rating", ctx.doc_period)
        key = (period, kind)
        n = 2
        while key in seen_keys:
            key = (f"{period} ({n})", kind)
            n += 1
        seen_keys.add(key)
        col_keys[i] = key
    for lr in logical_rows(table, desc, value_cols):
        description = re.sub(r"^[•·\-]\s*", "", lr.text(desc))
        if not description:
            continue
        kpi_id = f"{ctx.table_id}:r{lr.first_index}"
        notes = "; ".join(sorted({"*" for i in value_cols if lr.raw(i).endswith("*")})) or None
        resp_raw = lr.text(resp) or None
        out.add("kpis", {"kpi_id": kpi_id, "description": description, "responsible_raw": resp_raw,
                         "responsible": [], "notes": notes, **_prov(ctx, lr)})
        if resp_raw:
            out.mentions.append((resp_raw, "kpis", kpi_id, "responsible"))
        for i in value_cols:
            raw = lr.text(i)
            if not raw:
                continue
            meas = parse_measure(raw)
            period, kind = col_keys[i]
            out.add("kpi_values", {"kpi_id": kpi_id, "period": period, "kind": kind, "raw": raw,
                                   "value": meas.value, "unit": meas.unit, "as_of": meas.as_of,
                                   "status": meas.status, "line_start": lr.line_start})


SUMMARY_LABEL = re.compile(r"^(grand\s+)?(sub-?\s*)?(total|nil|none)\b\s*[:.]?\s*(\w+\s*)?$", re.I)
_SUBCATEGORY = re.compile(r"^\(?[a-z0-9ivx]{1,4}\)\s+\S", re.I)


def extract_procurements(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    title = info.index("title") or 0
    value, start = info.index("value"), info.index("start")
    if start is None:
        start = info.index("due")
    top: str | None = None
    category: str | None = None
    for lr in logical_rows(table, title, [i for i in (value, start) if i is not None]):
        cells_filled = [i for i, p in enumerate(lr.parts) if p]
        if cells_filled == [title] and len(lr.parts[title]) == 1:
            label = lr.text(title)
            if _SUBCATEGORY.match(label) and top:
                category = f"{top} > {label}"
            else:
                top = category = label
            continue
        if SUMMARY_LABEL.match(lr.text(title)):
            continue  # "TOTAL:" / "NIL" lines summarise the table; they stay in raw_rows only
        row_id = f"{ctx.table_id}:r{lr.first_index}"
        value_raw = lr.text(value) or None
        out.add("procurements", {
            "procurement_id": row_id, "category": category, "title": lr.text(title),
            "value_raw": value_raw, "value": parse_money(value_raw) if value_raw else None,
            **_date_cols("start", lr.dates(start)), **_prov(ctx, lr)})


def _scale_of(header_cell: str, table: RawTable) -> float:
    """Pounds per unit of a money column, from its header or the table's unit line."""
    if re.search(r"£\s*m\b|£m\b|\(£m\)|£\s*millions?|\bm£", header_cell, re.I):
        return 1_000_000.0
    blob = header_cell + " " + " ".join(" ".join(h) for h in table.header_lines)
    if re.search(r"£\s*'?\s*000|'000|£k\b|\(£k\)|£\s*thousands?", header_cell, re.I) or (
            re.search(r"£\s*'?\s*000", blob) and not re.search(r"\(£\)|£$", header_cell)):
        return 1000.0
    if re.search(r"£\s*m\b|\(£m\)", blob) and not re.search(r"\(£\)|£$", header_cell):
        return 1_000_000.0
    return 1.0


_MONEY_CELL = re.compile(r"^[-–(]?\s*£?\s*[\d,]*\.?\d+\s*[mk]?\)?$", re.I)
_UNIT_WORDS = re.compile(r"\s*(\(£\)|£\s*'?000'?s?|\(£'?000'?s?\)|£\s*m\b|\(£m\)|£)\s*", re.I)
#: A column is numeric when at least this share of its filled cells are amounts.
NUMERIC_COLUMN_SHARE = 0.6


#: A cell that is only a dash: nothing in that column for that row (it neither makes a column text nor
#: gives a line an amount).
NIL_CELL = re.compile(r"^\s*[-–—]\s*$")


def _column_kinds(table: RawTable, info: HeaderInfo) -> tuple[int, list[int]]:
    """The row-label column and the amount columns of a budget table, read from the cells."""
    width = len(table.header)
    filled = [[clean_text(r.cells[i]) for r in table.rows if i < len(r.cells) and clean_text(r.cells[i])
               and not NIL_CELL.match(clean_text(r.cells[i]))] for i in range(width)]
    numeric = [bool(f) and sum(1 for c in f if _MONEY_CELL.match(c)) / len(f) >= NUMERIC_COLUMN_SHARE for f in filled]
    label = info.index("label")
    if label is None or numeric[label]:
        texts = [i for i in range(width) if filled[i] and not numeric[i] and info.roles[i] != "ref"]
        label = texts[0] if texts else 0
    values = [i for i in range(width) if i != label and numeric[i] and info.roles[i] != "ref"]
    return label, values


#: A cell that is only a unit or a header word ("£m", "£000s", "%") is a fragment of the header, never a value.
UNIT_ONLY = re.compile(r"^\s*(\(?£\s*(m|k|bn|million|'?000'?s?)\)?|%|£)\s*$", re.I)


def extract_budget(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    label_col, value_cols = _column_kinds(table, info)
    per_column = any(_PERIOD.search(table.header[i]) for i in value_cols if i < len(table.header))
    m = None if per_column else (_PERIOD.search(ctx.section_path or "") or _PERIOD.search(" ".join(table.header)))
    default_period = m.group(1) if m else None  # a "Total" beside year columns spans them all: no year
    group = None
    for row in table.rows:
        label = clean_text(row.cells[label_col]) if label_col < len(row.cells) else ""
        values = [(i, clean_text(row.cells[i])) for i in value_cols
                  if i < len(row.cells) and clean_text(row.cells[i]) and not UNIT_ONLY.match(clean_text(row.cells[i]))
                  and not NIL_CELL.match(clean_text(row.cells[i]))]
        if not values and not row.spanning and any(i < len(row.cells) and NIL_CELL.match(clean_text(row.cells[i]))
                                                   for i in value_cols):
            continue   # a line with nothing but dashes: no amounts, and no heading of a group either
        if row.spanning or not values:
            if label or row.spanning:
                group = (label or clean_text(next((c for c in row.cells if clean_text(c)), ""))).rstrip(":")
            continue
        for i, raw in values:
            header = table.header[i] if i < len(table.header) else f"column {i + 1}"
            own = _PERIOD.search(header)
            period = own.group(1) if own else default_period
            measure = _UNIT_WORDS.sub(" ", header)
            if own:
                measure = measure.replace(own.group(1), " ")
            measure = re.sub(r"\s+", " ", measure).strip(" -–") or "amount"  # "2025-26 £m": an amount for a year
            amount = parse_money(raw, scale=_scale_of(header, table))
            bid = f"{ctx.table_id}:r{row.index}:c{i}"
            out.add("budget_lines", {
                "budget_id": bid, "line_item": label or (group or ""), "measure": measure, "period": period,
                "raw": raw, "amount": amount, "is_total": row.total or bool(re.match(r"^(grand\s+)?total\b", label, re.I)),
                "doc_id": ctx.doc_id, "file": ctx.file, "council": ctx.council, "department": ctx.department,
                "section_path": ctx.section_path + (f" > {group}" if group else ""),
                "line_start": row.line_start, "line_end": row.line_end, "raw_table_id": ctx.table_id,
                "raw_row_index": row.index})


def extract_risks(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    pcol = info.index("priority")
    rcol = info.index("risk")
    mcol = info.index("mitigation")
    label_col = info.index("label")
    exposure = info.indices("exposure")
    lifetime = next((i for i in exposure if re.search(r"lifetime|whole life|total|cumulative", table.header[i], re.I)),
                    None)
    annual = next((i for i in exposure if i != lifetime), None)
    if pcol is None and label_col is None:
        pcol = 0 if rcol != 0 else None
    priority = None
    category = None
    lead = info.index("lead")
    for lr in logical_rows(table, rcol if rcol is not None else 0, []):
        p = lr.text(pcol) if pcol is not None else ""
        r, mi = lr.text(rcol), lr.text(mcol)
        if p:
            priority = p
        category = lr.label or category
        if not r and not mi:
            continue
        owner = lr.text(label_col) or lr.text(lead) or None
        for k, (r, mi) in enumerate(_paired_paragraphs(lr.raw(rcol), lr.raw(mcol)) or [(r, mi)]):
            row_id = f"{ctx.table_id}:r{lr.first_index}" + (f"p{k}" if k else "")
            _add_risk(out, table, info, ctx, lr, row_id, priority if pcol is not None else category, r, mi, category,
                      owner, annual, lifetime)
        if lead is not None and lr.text(lead):
            out.mentions.append((lr.text(lead), "risks", f"{ctx.table_id}:r{lr.first_index}", "owner"))


def _paired_paragraphs(risk: str, mitigation: str) -> list[tuple[str, str]]:
    """Several risks written as paragraphs of one cell, each beside its own paragraph of mitigation
    ("<p>Failure to maintain assets</p> <p>Ash dieback</p>"): the pairs, as text; [] for one risk or when
    the paragraphs do not pair up."""
    risks = [clean_text(p) for p in _PARAGRAPH.findall(risk)]
    mitigations = [clean_text(p) for p in _PARAGRAPH.findall(mitigation)]
    if len(risks) < 2 or len(risks) != len(mitigations) or not all(risks):
        return []
    return list(zip(risks, mitigations))


_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.I | re.S)


def _add_risk(out: "Extracted", table: RawTable, info: HeaderInfo, ctx: TableContext, lr: "_Logical", row_id: str,
              priority: str | None, r: str, mi: str, category: str | None, owner: str | None,
              annual: int | None, lifetime: int | None) -> None:
    """One risk row: its text, its register's columns and its exposures."""
    row = {"risk_id": row_id, "priority": priority, "risk": r or None, "mitigation": mi or None,
           "category": category, "owner": owner,
           "cause": lr.text(info.index("cause")) or None, "event": lr.text(info.index("event")) or None,
           "consequence": lr.text(info.index("consequence")) or None,
           "likelihood": lr.text(info.index("likelihood")) or None,
           "rating": lr.text(info.index("rating")) or None,
           **_prov(ctx, lr)}
    if not row["department"] and info.index("label") is not None:
        row["department"] = owner  # a register's "Directorate" column says whose risk it is
    for col, name in ((annual, "annual_exposure"), (lifetime, "lifetime_exposure")):
        raw = "" if UNIT_ONLY.match(lr.text(col)) else lr.text(col)
        row[f"{name}_raw"] = raw or None
        row[name] = parse_money(raw, scale=_scale_of(table.header[col], table)) if raw and col is not None else None
    out.add("risks", row)


def extract_savings(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    found = _PERIOD.search(ctx.section_path or "")
    period = found.group(1) if found else ctx.period
    for row in table.rows:
        if row.total:
            continue  # the table's total line: raw_rows only
        cells = [clean_text(c) for c in row.cells]
        money = next((c for c in cells if re.fullmatch(r"\(?£?\s*[\d,.]+\s*(m|k|million)?\)?", c or "")), None)
        texts = [c for c in cells if c and c != money]
        if not texts:
            continue
        item = texts[0]
        desc = max(texts[1:], key=len) if len(texts) > 1 else None
        out.add("savings", {"saving_id": f"{ctx.table_id}:r{row.index}", "item": item, "raw": money,
                            "amount": parse_money(money) if money else None,
                            "period": period, "description": desc,
                            "doc_id": ctx.doc_id, "file": ctx.file, "council": ctx.council,
                            "department": ctx.department, "section_path": ctx.section_path,
                            "line_start": row.line_start, "line_end": row.line_end,
                            "raw_table_id": ctx.table_id, "raw_row_index": row.index})


def _pledge_label(text: str) -> bool:
    return len(text.split()) <= 4 and text.upper() == text and any(ch.isalpha() for ch in text)


def extract_pledges(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    main = info.index("pledge") or 0
    default_type = None
    if ctx.heading:
        m = re.match(r"^(.*?)\s+pledges?$", ctx.heading, re.I)
        if m and m.group(1):
            default_type = m.group(1).upper()
    for lr in logical_rows(table, main, [], group_labels=True, label_test=_pledge_label):
        row_id = f"{ctx.table_id}:r{lr.first_index}"
        member = ctx.cabinet_member
        out.add("pledges", {
            "pledge_id": row_id, "pledge_type": lr.label or default_type, "portfolio": ctx.department,
            "cabinet_member": member, "pledge": lr.text(main),
            "recognition": lr.text(info.index("recognition")) or None,
            "measure": _join_parts(lr, info.index("success")),
            **_date_cols("timeframe", lr.dates(info.index("due"))),
            "outcome": lr.text(info.index("priority")) or None, **_prov(ctx, lr)})
        if member:
            out.mentions.append((member, "pledges", row_id, "cabinet member"))


def _join_parts(lr: _Logical, i: int | None) -> str | None:
    if i is None or i >= len(lr.parts):
        return None
    parts = [clean_text(p) for p in lr.parts[i] if clean_text(p)]
    return "; ".join(parts) or None


def extract_deliverables(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    cols = info.indices("deliverable")
    for row in table.rows:
        for i in cols:
            text = clean_text(row.cells[i]) if i < len(row.cells) else ""
            if not text:
                continue
            m = re.search(r"(\d+)\s*years?", table.header[i], re.I)
            horizon = f"{m.group(1)} year" if m else table.header[i]
            out.add("deliverables", {
                "deliverable_id": f"{ctx.table_id}:r{row.index}:c{i}", "priority": _priority_from_heading(ctx.heading),
                "horizon": horizon, "deliverable": text, "doc_id": ctx.doc_id, "file": ctx.file,
                "council": ctx.council, "department": ctx.department, "section_path": ctx.section_path,
                "line_start": row.line_start, "line_end": row.line_end, "raw_table_id": ctx.table_id,
                "raw_row_index": row.index})


_OUTCOME_KIND = {"priority": "outcome", "mustdo": "must do", "difference": "difference",
                 "action": "action", "success": "measure"}


def extract_outcomes(table: RawTable, info: HeaderInfo, ctx: TableContext, out: Extracted) -> None:
    current_outcome = None
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            text = clean_text(cell)
            if not text:
                continue
            role = info.roles[i] if i < len(info.roles) else None
            kind = _OUTCOME_KIND.get(role or "", "other")
            if kind == "outcome":
                current_outcome = text
            out.add("outcomes", {
                "outcome_id": f"{ctx.table_id}:r{row.index}:c{i}",
                "priority": (ctx.theme or ctx.heading) if kind == "outcome" else (current_outcome or ctx.theme),
                "kind": kind, "outcome": text, "doc_id": ctx.doc_id, "file": ctx.file, "council": ctx.council,
                "department": ctx.department, "section_path": ctx.section_path, "line_start": row.line_start,
                "line_end": row.line_end, "raw_table_id": ctx.table_id, "raw_row_index": row.index})


EXTRACTORS = {
    "actions": extract_actions, "kpis": extract_kpis, "procurements": extract_procurements,
    "budget_lines": extract_budget, "risks": extract_risks, "savings": extract_savings,
    "pledges": extract_pledges, "deliverables": extract_deliverables, "outcomes": extract_outcomes,
}


def extract_table(table: RawTable, info: HeaderInfo, ctx: TableContext) -> Extracted:
    """Typed rows of one table (empty when it is unclassified)."""
    out = Extracted()
    fn = EXTRACTORS.get(info.kind)
    if fn:
        fn(table, info, ctx, out)
    return out
