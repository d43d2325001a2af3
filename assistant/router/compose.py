"""Answer sentences from typed rows: each names the facts (the person, the date, the figure).

Pure functions of row dicts (columns of `queries.select_rows`) and the semantic layer, so they are
easy to test and never touch the database.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from assistant.ingest.normalise import parse_money
from assistant.router.semantic import TableSemantics
from assistant.router.understand import same_period, value_of_period

MAX_LISTED = 15
#: A list line cuts its row's text at this many characters, so that a long list stays readable...
LIST_ITEM_CHARS = 110
#: ...but a list of at most SHORT_LIST_ROWS rows gives each row's text in full up to this many (a
#: pledge's "increase by 10% ..." is its point, and would be cut off).
SHORT_LIST_ITEM_CHARS = 320
SHORT_LIST_ROWS = 5


def short(text: Any, limit: int = 160) -> str:
    """One line of text, HTML removed, cut at a word boundary."""
    clean = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(text or ""))).strip()
    if len(clean) <= limit:
        return clean
    return clean[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def money(value: Any) -> str:
    """£12,250,000 style, or '' when not a number."""
    if value is None:
        return ""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    sign = "-" if v < 0 else ""
    v = abs(v)
    return f"{sign}£{v:,.0f}" if v == int(v) else f"{sign}£{v:,.2f}"


def people_of(row: dict[str, Any], sem: TableSemantics) -> str:
    """The people of the who column (canonical names), or the raw cell when none were recognised."""
    if not sem.who:
        return ""
    value = row.get(sem.who)
    names = [str(v) for v in value] if isinstance(value, (list, tuple)) else ([str(value)] if value else [])
    raw = str(row.get(sem.who_raw or "", "") or "")
    if names and raw:
        said = {w.lower() for n in names for w in re.findall(r"[A-Za-z]+", n)}
        left = [w for w in re.findall(r"[A-Za-z]+", raw) if w.lower() not in said and w.lower() not in _JOINERS]
        if left:   # the names miss part of what the cell says ("Commercial Ethics and Sustainability Lead")
            return short(raw, WHO_RAW_CHARS)
    if names:
        return join_names(names)
    return short(raw, 80)


#: Words that join names in a cell ("X and Y", "X / Y"), not part of any name.
_JOINERS = frozenset({"and", "or", "with", "the", "of"})
#: A lead cell quoted as written is shortened to this many characters.
WHO_RAW_CHARS = 100


def join_names(names: list[str]) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


#: A row's name is quoted up to this many characters: an action's name may carry what is asked ("...,
#: including hosting a LGA peer assessment in July 2016." ends at 160).
LABEL_CHARS = 240


def label(row: dict[str, Any], sem: TableSemantics) -> str:
    """'action 37 "Deliver the new Channel Shift strategy"' style label of a row."""
    what = short(row.get(sem.what), LABEL_CHARS)
    ref = row.get("ref")
    return f'{sem.label} {ref} "{what}"' if ref else f'{sem.label} "{what}"'


def where_from(row: dict[str, Any]) -> str:
    """(department, council) of a row, for labelling answers."""
    parts = [p for p in (row.get("department"), row.get("council")) if p]
    return f" ({', '.join(dict.fromkeys(parts))})" if parts else ""


def date_text(row: dict[str, Any], sem: TableSemantics, role: str) -> str:
    """The raw date text of a row's due or start date ('March 2021', 'Ongoing'), or ''."""
    # a table whose one date is a start (procurements) keeps it as its `due` role
    spec = sem.date_role(role)
    if spec is None:
        return ""
    return short(row.get(spec.raw) or row.get(spec.status) or "", 80)


def who_sentence(row: dict[str, Any], sem: TableSemantics) -> str:
    who = people_of(row, sem)
    due, start = date_text(row, sem, "due"), date_text(row, sem, "start")
    if not who:   # (its dates still say where it stands: "It is marked Completed September 2016.")
        dated = f" {when_clause(start, due, sem)}" if due or start else ""
        return f"The documents name no lead for {label(row, sem)}{where_from(row)}.{dated}"
    plural = " and " in who or ", " in who
    verb = sem.words.lead_verb[1 if plural else 0]
    if who.lower().rsplit(None, 1)[-1] in {v.lower() for v in sem.words.lead_verb}:
        verb = ""   # the cell says its verb itself: "CPH leads"
    text = f"{who} {verb + ' ' if verb else ''}{label(row, sem)}{where_from(row)}."
    if due or start:
        text += " " + when_clause(start, due, sem)
    return text


#: A due cell that says the thing is done ("Completed September 2016", "Achieved").
_MARKED_DONE = re.compile(r"(?:completed?|achieved|done|delivered)\b", re.IGNORECASE)


#: A cell that sets a target ("Number of children engaged on the programme. Target 150 in 2017/18.").
_SETS_TARGET = re.compile(r"\btargets?\b|\baim(?:s|ing)? (?:to|for)\b", re.IGNORECASE)


def target_cell(row: dict[str, Any], sem: TableSemantics) -> str:
    """"Action "X" (dept): Success measures: ... Target 150 in 2017/18." for a row of a table without a
    values table whose text cell sets a target; "" when none does."""
    for column in sem.texts:
        cell = " ".join(str(row.get(column) or "").split())
        if cell and _SETS_TARGET.search(cell):
            head = f"{label(row, sem)[0].upper()}{label(row, sem)[1:]}{where_from(row)}"
            return f"{head}: {column.replace('_', ' ').capitalize()}: {short(cell, 400)}"
    return ""


def when_clause(start: str, due: str, sem: TableSemantics) -> str:
    word = "start" if sem.due and sem.due.prefix == "start" else sem.words.due_verb
    bits = []
    if start and sem.start:   # (a start given as a state is quoted as one: "Its start is given as Ongoing")
        bits.append(f"Its start is given as {start}" if start.lower() in ("ongoing", "tbc", "tba", "underway")
                    else f"It starts {start}")
    if due:
        if due.lower() in ("ongoing", "tbc", "tba", "underway"):
            bits.append(f"its {'completion' if word == 'complete' else 'date'} is given as {due}")
        elif _MARKED_DONE.match(due):   # "Completed September 2016": a state, not a date it is due
            bits.append(f"{'it is' if bits else 'It is'} marked {due}")
        else:
            bits.append(f"{'it is' if bits else 'It is'} due to {word} {due}" if word != "start"
                        else f"{'its' if bits else 'Its'} estimated start is {due}")
    text = "; ".join(bits) if len(bits) < 2 else f"{bits[0]} and {bits[1]}"
    return text[0].upper() + text[1:] + "." if text else ""


def when_sentence(row: dict[str, Any], sem: TableSemantics, role: str) -> str:
    due, start = date_text(row, sem, "due"), date_text(row, sem, "start")
    who = people_of(row, sem)
    head = f"{label(row, sem)[0].upper()}{label(row, sem)[1:]}{where_from(row)}"
    if role == "start" and sem.start:
        text = f"{head} starts {start or 'on a date the documents do not give'}"
        text += f" and is due to complete {due}." if due else "."
    elif sem.due and sem.due.prefix == "start":
        text = f"{head} has an estimated start date of {due or 'not given'}."
    elif due:
        text = f"{head}: {when_clause(start, due, sem)}"
    else:
        text = f"{head} has no due date in the documents."
    if who:
        text += f" Lead: {who}."
    return text


#: Where a row's text breaks into sentences: a full stop before a space (not "£5.4m"), a bar or semicolon.
_SENTENCE_BREAK = re.compile(r"\.(?=\s|$)|[|;]")
_STATES_MONEY = re.compile(r"£\s?\d")


def money_clause(row: dict[str, Any], exclude: str = "") -> str:
    """The first sentence of a row's text columns that states a sum of money and is not in `exclude`."""
    for key, value in row.items():
        if not isinstance(value, str) or key in ("file", "doc_id", "council", "section_path"):
            continue
        for part in _SENTENCE_BREAK.split(value):
            text = " ".join(part.split())
            if _STATES_MONEY.search(text) and text not in exclude:
                return text + "."
    return ""


def amount_sentence(row: dict[str, Any], sem: TableSemantics) -> str:
    raw = row.get(sem.amount_raw or "") if sem.amount_raw else None
    value = row.get(sem.amount or "")
    figure = short(raw, 60) if raw else money(value)
    head = label(row, sem)
    if sem.due and sem.due.prefix == "start":  # a contract: its value and its estimated start
        text = f'The estimated value of {head}{where_from(row)} is {figure or "not given"}'
        start = date_text(row, sem, "due")
        if start:
            text += f", with an estimated procurement start of {start}"
        if row.get("category"):
            text += f" (category: {short(row['category'], 60)})"
        return text + "."
    if "measure" in sem.groups:  # a budget: the measure named ("net budget") and its amount
        measure = row.get("measure") or "budget"
        exact = money(value)
        shown = figure if figure and re.search(r"[£a-zA-Z]", figure) else (exact or figure)
        if exact and shown != exact:
            shown = f"{shown} ({exact})"
        elif exact and figure and figure != exact and figure.replace(",", "") != exact.strip("£").replace(",", ""):
            shown = f"{exact} ({figure} as printed)"  # a figure in thousands: "£27,506,600 (27,506.6 as printed)"
        return f'The {measure} for "{short(row.get(sem.what), 80)}"{where_from(row)} is {shown}.'
    if len(sem.amounts) > 1:  # "annual exposure not given; lifetime exposure £165,000,000 (165.0 as printed)"
        named_first = sorted(sem.amounts, key=lambda a: a[0] != sem.amount)
        parts = [f"{sem.amount_label(name)} {_figure(row.get(raw or ''), row.get(name))}" for name, raw in named_first]
        return f"{head[0].upper()}{head[1:]}{where_from(row)}: {'; '.join(parts)}."
    return f"{head[0].upper()}{head[1:]}{where_from(row)}: {figure or 'no figure given'}."


def _figure(raw: Any, value: Any) -> str:
    """A money cell: as printed when it says its unit, else the amount in pounds with the printed figure."""
    printed = short(raw, 60) if raw else ""
    if printed and re.search(r"[£a-zA-Z]", printed):
        return printed
    exact = money(value)
    if exact:
        return f"{exact} ({printed} as printed)" if printed and printed != exact else exact
    return printed or "not given"


#: "how far short of target", "how many tonnes under target", "by how many is the latest above target",
#: "the gap to target": the latest value set against the target.
ASKS_TARGET_GAP = re.compile(r"\b(?:how far|by how (?:much|many)|how (?:much|many)(?: [a-z]+)?|how comfortably)\b.*\b(?:short of|off|"
                             r"under|over|above|below|from|behind|ahead of|beat(?:ing)?|miss(?:ing|ed)?|exceed\w*|"
                             r"better than|worse than)\s+"
                             r"(?:the |its |their )?(?:[\d.,]+\s?%?\s+|(?:20)?\d\d[/-]\d\d\s+)?(?:target|floor)\b|\b(?:gap|difference|distance|margin|headroom|separat\w*)\b.*\b(?:target|floor)\b|"
                             # "target minus floor?", "the floor less the target"
                             r"\b(?:target|floor)\s+(?:minus|less|take away)\s+(?:the\s+|its\s+)?(?:target|floor)\b|"
                             # "would-recommend rate vs target?", "foster households against its floor standard",
                             # "previous qtr v target?"
                             r"\b(?:vs\.?|v\.?|versus|against|compar\w* (?:with|to|against)|relative to)\s+(?:the |its |their )?"
                             r"(?:target|floor)\b|"
                             # "how close to the floor is it?", "how near its target"
                             r"\bhow (?:close|near)\s+(?:to\s+)?(?:the |its |their )?(?:target|floor)\b|"
                             # "how close is the latest to target"
                             r"\bhow (?:close|near|far)\s+(?:is|are|was|were)\s+(?:[\w%]+\s+){1,3}?(?:to|from)\s+"
                             r"(?:the |its |their )?(?:target|floor)\b|"
                             # "how far apart are the target and floor"
                             r"\bhow far apart\b.*\b(?:target|floor)\b|\b(?:target|floor)\b.*\bhow far apart\b")


#: The set values of a measure a gap may be asked between ("target minus floor").
_SET_VALUES = re.compile(r"\b(target|floor)s?\b")


def gap_asked(lower: str) -> tuple[str, str] | None:
    """The two values a question asks how far apart they are: (the latest, "target" or "floor"), or, when
    it names both set values and not the latest ("how many tonnes separate the target and the floor"),
    those two in the order said; None when it asks no gap."""
    m = ASKS_TARGET_GAP.search(lower)
    if m is None:
        return None
    named = list(dict.fromkeys(k.group(1) for k in _SET_VALUES.finditer(lower)))
    if len(named) == 2 and not re.search(r"\b(?:latest|current|now)\b", lower):
        return named[0], named[1]
    # "how far short of target was the previous figure?": the value printed as the previous one, said in the
    # same ask ("how far under the floor is it, and what was it last qtr?" asks the previous one apart)
    then = THEN_ASKED.search(lower, m.start())
    ask = lower[:then.start()] if then else lower
    base = "previous" if _PREVIOUS_VALUE.search(ask) and not re.search(r"\b(?:latest|current|now)\b", ask) \
        else "latest"
    return base, ("floor" if "floor" in m.group(0) else "target")


#: A second question after the first: ", and what was it last qtr?".
THEN_ASKED = re.compile(r",?\s+and\s+(?:what|whats|what's|when|who|how|which|is|was|has)\b")
#: The value printed as a measure's previous one: "the previous figure", "last quarter", "the prior qtr".
_PREVIOUS = r"\b(?:previous|prior|last (?:quarter|qtr)|(?:quarter|qtr) before)\b"
_PREVIOUS_VALUE = re.compile(_PREVIOUS)


def target_gap(values: list[dict[str, Any]], period: str | None = None, against: str = "target",
               base: str = "latest") -> str:
    """"The latest (34%) is 26 percentage points below the target (60%)." for a KPI's latest value (or
    another of its values, `base`) and its target (or floor) of the same period (the period asked, else
    the latest's); "" when either is not a figure."""
    def of(kind: str) -> list[dict[str, Any]]:   # (the previous value is the one period "previous" may be)
        return [v for v in values if v.get("kind") == kind and v.get("value") is not None
                and (kind == "previous" or str(v.get("period")).lower() != "previous")]
    latest = [v for v in of(base) if not period or same_period(v.get("period"), period)] or of(base)
    if not latest:
        return ""
    now = latest[-1]
    # (the target of the year asked, "how far short of the 20/21 target is the latest", else of the latest's)
    target = next((v for v in of(against) if period and same_period(v.get("period"), period)), None) or \
        next((v for v in of(against) if v.get("period") == now.get("period")), None) or \
        (of(against)[-1] if len(of(against)) == 1 else None)
    if target is None or (now.get("unit") or "") != (target.get("unit") or ""):
        return ""
    gap = float(now["value"]) - float(target["value"])
    unit = (" percentage point" if abs(gap) == 1 else " percentage points") if now.get("unit") == "%" else ""
    size = f"{abs(gap):,.2f}".rstrip("0").rstrip(".") + unit
    # a target of another period than the latest says which ("the 2020-21 target (20)")
    of_target = f"the {target.get('period')} {against}" if target.get("period") != now.get("period") else f"the {against}"
    said = f"The {base} ({now.get('raw')}" + (f", {now.get('period')})" if of_target != f"the {against}" and
                                                base != "previous" else ")")   # (the previous one's period is "previous")
    if not gap:
        return f"{said} is on {of_target} ({target.get('raw')})."
    return f"{said} is {size} {'above' if gap > 0 else 'below'} {of_target} ({target.get('raw')})."


#: "change on the previous figure?", "how many points up on last quarter?", "did it go up or down against the
#: previous figure": the latest set against the figure before it.
ASKS_PREVIOUS_CHANGE = re.compile(r"\b(?:chang\w*|up or down|up|down|rise|rose|risen|fall|fell|fallen|increas\w*|"
                                  r"decreas\w*|improv\w*|worse\w*|better|difference|moved?|vs\.?|versus|against|"
                                  r"compar\w*)\b.*" + _PREVIOUS + "|" + _PREVIOUS + r".*\b(?:chang\w*|up or down|difference)\b")


def previous_change(values: list[dict[str, Any]]) -> str:
    """"Up 61 on the previous figure (5,473 to 5,534)." for a KPI's latest value and the one printed as
    its previous; "" when either is not a figure or their units differ."""
    def figure(kind: str, previous: bool) -> dict[str, Any] | None:
        found = [v for v in values if v.get("kind") == kind and v.get("value") is not None
                 and (str(v.get("period")).lower() == "previous") == previous]
        return found[-1] if found else None
    now, before = figure("latest", False), figure("previous", True)
    if now is None or before is None or (now.get("unit") or "") != (before.get("unit") or ""):
        return ""
    change = float(now["value"]) - float(before["value"])
    unit = (" percentage point" if abs(change) == 1 else " percentage points") if now.get("unit") == "%" else ""
    size = f"{abs(change):,.2f}".rstrip("0").rstrip(".") + unit
    if not change:
        return f"Unchanged on the previous figure ({before.get('raw')})."
    return f"{'Up' if change > 0 else 'Down'} {size} on the previous figure ({before.get('raw')} to {now.get('raw')})."


def _printed_lower(value: dict[str, Any]) -> str:
    """A value as printed, for comparing two ratings ("Amber", "AMBER")."""
    return str(value.get("raw") or "").strip().lower()


def kpi_sentence(row: dict[str, Any], values: list[dict[str, Any]], want: str | None,
                 period: str | None) -> str:
    """A KPI with its target, latest value and actuals, the wanted one first."""
    name = short(row.get("description"), 160)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for v in values:
        by_kind.setdefault(str(v.get("kind")), []).append(v)

    def pick(kind: str) -> dict[str, Any] | None:
        items = by_kind.get(kind, [])
        current = [v for v in items if str(v.get("period")).lower() != "previous"]
        if kind != "previous" and current:
            items = current  # this period's rating, not the previous period's printed beside it
        if period:
            exact = [v for v in items if value_of_period(v, period)]
            if exact:
                return exact[0]
        return items[-1] if items else None

    kinds = ("target", "latest", "actual", "floor", "previous", "rag")
    order = [want] if want in kinds else []
    order += [k for k in kinds if k not in order and k in by_kind]
    parts = []
    if period:  # the period asked about first, whatever its kind (a cell may state its own: "37.3% (2016-17)")
        for v in values:
            if value_of_period(v, period):
                said = "" if same_period(v.get("as_of"), period) else f" for {period}"
                parts.append(f"{v.get('kind')} {short(v.get('raw'), 60)}{said}")
    for kind in order:
        v = pick(kind)
        if v is not None and not value_of_period(v, period):
            if str(v.get("period")).lower() == "previous":   # the previous period's value, undated
                parts.append(f"{kind if kind == 'previous' else 'previous ' + kind} {short(v.get('raw'), 60)}")
            else:
                parts.append(f"{kind} {short(v.get('raw'), 60)} for {v.get('period')}")
                before = [p for p in by_kind.get(kind, []) if str(p.get("period")).lower() == "previous"]
                if kind == "rag" and before and _printed_lower(before[0]) != _printed_lower(v):   # the rating it moved from
                    parts[-1] += f" (previous rag {short(before[0].get('raw'), 20)})"
    where = where_from(row)
    if not parts:
        return f'The KPI "{name}"{where} has no values in the documents.'
    text = f'"{name}"{where}: ' + "; ".join(parts) + "."
    who = short(row.get("responsible_raw"), 60)
    if who:
        text += f" Responsible: {who}."
    return text


def row_line(row: dict[str, Any], sem: TableSemantics, width: int = LIST_ITEM_CHARS) -> str:
    """One line of a list: the row (its text cut at `width` characters) and its key facts."""
    bits = [short(row.get(sem.what), width)]
    who = people_of(row, sem)
    if who and sem.words.list_lead is not None:
        bits.append(f"{sem.words.list_lead}{who}")
    due = date_text(row, sem, "due")
    if due:
        bits.append(("starts " if sem.due and sem.due.prefix == "start" else "due ") + due)
    if sem.amount:
        figure = short(row.get(sem.amount_raw or ""), 40) or money(row.get(sem.amount))
        if figure:
            bits.append(figure)
    if "target" in row:
        bits.append(f"target {short(row.get('target'), 60) or 'none given'}")
    ref = row.get("ref")
    head = f"{ref}. " if ref else ""
    return head + " — ".join(bits)


def money_short(value: float) -> str:
    """£1.576m / £250k style."""
    v = abs(value)
    sign = "-" if value < 0 else ""
    if v >= 1e6:
        return f"{sign}£{v / 1e6:.3f}".rstrip("0").rstrip(".") + "m"
    if v >= 1e3:
        return f"{sign}£{v / 1e3:.1f}".rstrip("0").rstrip(".") + "k"
    return f"{sign}£{v:,.0f}"


#: Two rows are "the same item listed twice" when their labels match at least this well
#: (rapidfuzz token_sort_ratio) and their amounts are equal.
SAME_ITEM_RATIO = 92.0


def dedupe_items(rows: list[dict[str, Any]], sem: TableSemantics) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows with the same label and amount counted once; returns (distinct rows, labels seen twice)."""
    kept: list[dict[str, Any]] = []
    repeated: list[str] = []
    for row in rows:
        twin = next((k for k in kept if k.get(sem.amount) == row.get(sem.amount) and
                     fuzz.token_sort_ratio(str(k.get(sem.what) or ""), str(row.get(sem.what) or "")) >= SAME_ITEM_RATIO),
                    None)
        if twin is None:
            kept.append(row)
        else:
            repeated.append(short(row.get(sem.what), 60))
    return kept, list(dict.fromkeys(repeated))


def total_text(rows: list[dict[str, Any]], sem: TableSemantics) -> str:
    """' totalling £1,576,000 (£1.576m)' for rows with amounts, else ''; an item listed twice
    counts once, and the text says so."""
    if not sem.amount:
        return ""
    valued = [r for r in rows if isinstance(r.get(sem.amount), (int, float))]
    kept, repeated = dedupe_items(valued, sem)
    if len(kept) < 2:
        return ""
    total = sum(float(r[sem.amount]) for r in kept)
    note = f", counting {len(valued) - len(kept)} repeated listing(s) once" if repeated else ""
    return f" totalling {money(total)} ({money_short(total)}{note})"


def list_text(rows: list[dict[str, Any]], sem: TableSemantics, intro: str) -> str:
    """An introduction, then up to MAX_LISTED numbered rows, then how many more."""
    lines = [intro]
    width = SHORT_LIST_ITEM_CHARS if len(rows) <= SHORT_LIST_ROWS else LIST_ITEM_CHARS
    for i, row in enumerate(rows[:MAX_LISTED], start=1):
        lines.append(f"{i}) {row_line(row, sem, width)}")
    if len(rows) > MAX_LISTED:
        lines.append(f"… and {len(rows) - MAX_LISTED} more (see the table).")
    return "\n".join(lines)


def compare_sentence(row: dict[str, Any], values: list[dict[str, Any]], periods: list[str]) -> str:
    """A KPI's values in two or more periods (actual, else latest, else target) and the direction."""
    name = short(row.get("description"), 160)
    rank = {"actual": 0, "latest": 1, "target": 2}
    chosen: list[tuple[str, dict[str, Any]]] = []
    for period in periods:
        found = sorted((v for v in values if same_period(v.get("period"), period)), key=lambda v: rank.get(str(v.get("kind")), 9))
        if found:
            chosen.append((period, found[0]))
    if not chosen:
        return f'The KPI "{name}"{where_from(row)} has no values for {" or ".join(periods)}.'
    parts = [f"{v.get('kind')} {short(v.get('raw'), 40)} in {p}" for p, v in chosen]
    text = f'"{name}"{where_from(row)}: ' + "; ".join(parts) + "."
    missing = [p for p in periods if p not in {c[0] for c in chosen}]
    if missing:
        text += f" No value is given for {' or '.join(missing)}."
    # the change runs forward in time, whichever period the question says first, and says by how much
    (p1, v1), (p2, v2) = sorted(chosen[:2], key=lambda c: c[0]) if len(chosen) >= 2 else (chosen[0], chosen[0])
    first, second = v1.get("value"), v2.get("value")
    if len(chosen) >= 2 and isinstance(first, (int, float)) and isinstance(second, (int, float)):
        word = "went up" if second > first else "went down" if second < first else "stayed the same"
        gap = abs(float(second) - float(first))
        unit = " percentage points" if v1.get("unit") == "%" and v2.get("unit") == "%" else ""
        by = f" by {_as_raws_write(gap, str(v1.get('raw') or ''), str(v2.get('raw') or ''))}{unit}" if gap else ""
        text += f" From {p1} to {p2} it {word}{by}."
    return text


#: A figure as a cell writes it: "£1.532m" is "£", "1.532" and "m".
_RAW_FIGURE = re.compile(r"^\s*(£?)\s*(\d[\d,]*(?:\.(\d+))?)\s*(m|k|bn)?\b", re.IGNORECASE)


def _as_raws_write(gap: float, first: str, second: str) -> str:
    """A difference written as both figures are ("£3.070m" less "£1.532m" is "£1.538m"), else plainly."""
    found = [_RAW_FIGURE.match(r) for r in (first, second)]
    a, b = found
    if a and b and (a.group(1), (a.group(4) or "").lower()) == (b.group(1), (b.group(4) or "").lower()):
        decimals = max(len(a.group(3) or ""), len(b.group(3) or ""))
        written = abs(float(b.group(2).replace(",", "")) - float(a.group(2).replace(",", "")))
        return f"{a.group(1)}{written:,.{decimals}f}{a.group(4) or ''}"
    return f"{gap:,.2f}".rstrip("0").rstrip(".")


#: "how many people lead actions in ETE", "how many cabinet members made pledges": the different people
#: named on the rows are counted, not the rows.
COUNTS_PEOPLE = re.compile(r"\bhow many (?:different |distinct |separate |individual )?(?:people|persons|officers|"
                           r"leads|leaders|managers|directors|members|cabinet members|councillors|cllrs|owners|"
                           r"individuals)\b")


#: ... when they are the rows' people: they lead, own, make or are named on the rows ("how many people
#: attended the conference" counts no one on a table's rows).
_PEOPLE_ROLE = re.compile(r"\b(?:lead|leads|leading|led|own|owns|owning|made|make|makes|responsible|named|"
                          r"behind|in charge)\b")


def counts_people(lower: str) -> bool:
    """Whether a count question counts the different people on the rows ("how many people lead actions")."""
    asked = COUNTS_PEOPLE.search(lower)
    return bool(asked and _PEOPLE_ROLE.search(lower[asked.end():]))


def people_counted(rows: list[dict[str, Any]], sem: TableSemantics, where: str,
                   canonical: dict[str, str]) -> tuple[str, list[str]]:
    """The sentence counting the different people the rows name (in their column of people), and them;
    `canonical`: each spelling seen of a person -> their one name ("Jane Parfremont" is "Jane Parfremment")."""
    people = list(dict.fromkeys(canonical.get(p.strip(), p.strip()) for r in rows for p in as_list(r.get(sem.who))
                                if p.strip()))
    n = len(people)
    noun = sem.label if len(rows) == 1 else sem.plural
    nobody = sum(1 for r in rows if not any(p.strip() for p in as_list(r.get(sem.who))))
    text = (f"{n} {'person is' if n == 1 else 'different people are'} named on the {len(rows)} {noun}{where}"
            + (f": {', '.join(people)}" if people else "")
            + (f" ({nobody} of the {sem.plural} name{'s' if nobody == 1 else ''} no one)." if nobody else "."))
    return text, people


def as_list(value: Any) -> list[str]:
    """A people (or other) column as a list of strings: a list column, one value, or nothing."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def added_up(columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> str | None:
    """"Income plus grants combined" of one line read as two rows (one per measure): "Together: -4,330.4
    (-2,632.6 + -1,697.8)."; None unless two or more rows of one name give figures as printed."""
    if "raw" not in columns or len(rows) < 2 or len({r[0] for r in rows}) != 1:
        return None
    printed = [str(r[columns.index("raw")] or "").strip() for r in rows]
    total = sum_as_printed(printed)
    return f"Together: {total} ({' + '.join(printed)})." if total is not None else None


def sum_as_printed(printed: list[str]) -> str | None:
    """Figures as a table prints them ("-2,632.6", "(362)") added up, written with as many decimals as the
    most precise of them ("-4,330.4"); None when one is no figure."""
    figures = [f for f in (parse_money(p) for p in printed) if f is not None]
    if len(figures) != len(printed):
        return None
    places = max(len(p.split(".")[1]) if "." in p else 0 for p in printed)
    return f"{sum(figures):,.{places}f}"


def difference_as_printed(first: str, second: str) -> str | None:
    """How far apart two figures are as a table prints them ("944", "471" -> "473"), with as many
    decimals as the more precise; None when one is no figure."""
    a, b = parse_money(first), parse_money(second)
    if a is None or b is None:
        return None
    places = max(len(m.group(1)) if (m := re.search(r"\.(\d+)", p)) else 0 for p in (first, second))
    return f"{abs(a - b):,.{places}f}"
