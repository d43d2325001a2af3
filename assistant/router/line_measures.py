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


def difference_sentence(rows: list[dict[str, Any]], sem: TableSemantics) -> str:
    """"The annual gross revenue budget is larger than the net revenue budget by £1,900,000 (£1.9m)." for two
    measures with an amount; "" otherwise."""
    if len(rows) != 2 or any(r.get(sem.amount or "") is None for r in rows):
        return ""
    a, b = sorted(rows, key=lambda r: -float(r[sem.amount]))
    gap = float(a[sem.amount]) - float(b[sem.amount])
    if not gap:
        return f"The {a.get('measure')} and the {b.get('measure')} are the same."
    return (f"The {a.get('measure')} is larger than the {b.get('measure')} by {compose.money(gap)} "
            f"({compose.money_short(gap)}).")
