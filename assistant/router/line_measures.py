"""Several measures of one line of a long-form table asked together: "derby 2022-25 vibrant - gross and net
revenue budget?", "how much bigger is growth's gross revenue budget than its net?". A measure is named by
its own words (those no other measure of the line has: "gross", "net", "capital"); when two or more are
named, each is answered, and two are set against each other when a difference is asked."""

from __future__ import annotations

import re
from typing import Any

from assistant.router import compose
from assistant.router.semantic import TableSemantics
from assistant.text import terms

#: "how much bigger ... than", "by how much", "the difference / gap between": a difference is asked.
ASKS_DIFFERENCE = re.compile(r"\b(?:how much (?:bigger|larger|more|higher|greater|smaller|less|lower)|by how much|"
                             r"difference|gap|differ|differs)\b")


#: "how much more in 25/26 than 24/25", "how much has it gone up", "change between", "net cost compared
#: with the revised base": figures of two years set against each other.
ASKS_CHANGE = re.compile(r"\b(?:how much (?:bigger|larger|more|higher|greater|smaller|less|lower)|by how much|"
                         r"difference|gap|chang\w*|up|down|rise|rose|risen|increas\w*|decreas\w*|fall|fell|fallen|"
                         r"grow|grew|grown|drop\w*|reduc\w*|compared? (?:with|to|against)|vs\.?|versus|swing|"
                         # "net budget 25/26 against its 24/25 base": a figure set beside its own earlier one
                         r"against(?= (?:the |its |their )?(?:[\w/-]+ )?(?:base|baseline|revised base)\b))\b")


def measures_named(asked: set[str], siblings: list[tuple[str, str]]) -> list[str]:
    """The keys of the measures (key, measure name) whose own words the question says, in the line's
    order, when at least two are named; else []."""
    words = [set(terms(str(m))) for _, m in siblings]
    named = []
    for i, (key, _) in enumerate(siblings):
        others = set().union(*(w for j, w in enumerate(words) if j != i)) if len(words) > 1 else set()
        if (words[i] - others) & asked:
            named.append(key)
    return named if len(named) >= 2 else []


def one_line(rows: list[dict[str, Any]], sem: TableSemantics) -> bool:
    """Whether the rows are different measures of one line (one label, one source line)."""
    return len(rows) > 1 and "measure" in sem.groups and len({(r.get(sem.what), r.get("line_start")) for r in rows}) == 1 \
        and len({r.get("measure") for r in rows}) == len(rows)


def year_change_sentence(rows: list[dict[str, Any]], sem: TableSemantics) -> str:
    """"From 147,382.5 (Revised Base Budget (Net Cost), 2024-25) to 149,107.7 (Net Cost, 2025-26): up
    1,725.2 (£1,725,200)." for one line in two years, earlier first; "" unless two figures of two years."""
    if len(rows) != 2 or any(r.get(sem.amount or "") is None or not r.get("period") for r in rows) or \
            rows[0].get("period") == rows[1].get("period"):
        return ""
    before, after = sorted(rows, key=lambda r: str(r.get("period")))
    # income written as negatives (-149,107.7) grows as it gets more negative: sizes are compared
    sign = -1 if float(before[sem.amount]) < 0 and float(after[sem.amount]) < 0 else 1
    change = sign * (float(after[sem.amount]) - float(before[sem.amount]))
    # the change in the table's own unit ("1,725.2" of £000s), as many decimals as the figures print
    said = compose.difference_as_printed(str(after.get("raw") or ""), str(before.get("raw") or "")) or ""
    size = f"{said} ({compose.money(abs(change))})" if said else compose.money(abs(change))
    way = "up" if change > 0 else "down" if change < 0 else "unchanged"
    return (f"From {before.get('raw')} ({before.get('measure')}, {before.get('period')}) to {after.get('raw')} "
            f"({after.get('measure')}, {after.get('period')}): {way}{f' {size}' if change else ''}.")


def difference_sentence(rows: list[dict[str, Any]], sem: TableSemantics) -> str:
    """"The annual gross revenue budget is larger than the net revenue budget by £1,900,000 (£1.9m)." for two
    measures of one line, or two lines' same measure, with an amount; "" otherwise."""
    if len(rows) != 2 or any(r.get(sem.amount or "") is None for r in rows):
        return ""
    a, b = sorted(rows, key=lambda r: -float(r[sem.amount]))
    gap = float(a[sem.amount]) - float(b[sem.amount])
    if a.get("measure") == b.get("measure"):   # two lines' same measure: named by their lines
        first = f"the {a.get('measure')} of \"{a.get(sem.what)}\" ({compose.money(float(a[sem.amount]))})"
        second = f"that of \"{b.get(sem.what)}\" ({compose.money(float(b[sem.amount]))})"
    else:
        first, second = f"The {a.get('measure')}", f"the {b.get('measure')}"
    if not gap:
        return f"{first[:1].upper()}{first[1:]} and {second} are the same."
    return (f"{first[:1].upper()}{first[1:]} is larger than {second} by {compose.money(gap)} "
            f"({compose.money_short(gap)}).")
