"""Rows of one table whose value in one period's column is above or below their value in another's:
"which transactions had a lower online share in Oct-Dec 24 than in Jul-Sep 24", "which service areas
took more calls in the 12 months to Dec 24 than in the 12 months to Dec 23", "which lines rose from
2024-25 to 2025-26".

The two columns are found by the periods the question writes (months, years, "12 months", quarters),
all of whose words a column's header must hold; the table by the question's other words. It passes
(returns None) unless both columns and the table are clear.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from assistant.ingest.normalise import MONTHS
from assistant.router.sheets import Line, Sheet, number
from assistant.text import terms

#: "lower/more ... in A than (in) B": the comparative and the two periods.
_THAN = re.compile(r"\b(more|higher|greater|bigger|larger|fewer|lower|less|smaller)\b.*?\b(?:in|for|during)\s+"
                   r"(?:the\s+)?(.+?)\s+than\s+(?:in\s+|for\s+|during\s+)?(?:the\s+)?(.+?)\s*[?.!]*$")
#: "rose / fell ... from A to B" or "between A and B".
_CHANGE = re.compile(r"\b(rose|risen|increased|grew|gone up|went up|fell|fallen|decreased|dropped|gone down|went down|"
                     r"declined|reduced)\b.*?\b(?:from|between)\s+(?:the\s+)?(.+?)\s*[?.!]*$")
#: Where "from A to B" / "between A and B" may split (a period may hold "to" itself: "quarter to Sep 24").
_SPLIT = re.compile(r"\s+(?:to|and)\s+(?:the\s+)?")
_UP_WORDS = frozenset({"more", "higher", "greater", "bigger", "larger", "rose", "risen", "increased", "grew",
                       "gone up", "went up"})

#: A period's words: a month, a year (written in two or four digits), a quarter, "12 months" / "12m".
_PERIOD_TOKEN = re.compile(r"\b(?:(\d{1,2})\s?(?:m|months?)\b|(" + "|".join(sorted(MONTHS, key=len, reverse=True)) +
                           r")|((?:19|20)?\d\d)|q([1-4])|quarter\s+([1-4]))\b", re.IGNORECASE)

#: The table must be named by at least this share of the question's other words (rarity-weighted).
TABLE_WORDS_SAID = 0.5
#: Rows named beside the answer.
LISTED_ROWS = 12


@dataclass(frozen=True)
class Asked:
    """The two periods compared and which way: `up` asks for rows whose value in `first` is the larger."""

    first: frozenset[str]
    second: frozenset[str]
    up: bool
    words: tuple[str, ...]     # the question's other content stems (the table and the measure)


def period_tokens(text: str) -> frozenset[str]:
    """The period words of a phrase or header, normalised: "Oct 24 – Dec 24" -> {oct, dec, 24};
    "12m to Dec 2024" -> {12m, dec, 24}; "Q3" -> {q3}."""
    out: set[str] = set()
    for m in _PERIOD_TOKEN.finditer(text.lower()):
        months, month, year, quarter, quarter_word = m.groups()
        if months:
            out.add(f"{int(months)}m")
        elif month:
            out.add(calendar.month_abbr[MONTHS[month]].lower())
        elif year:
            out.add(year[-2:])
        else:
            out.add(f"q{quarter or quarter_word}")
    return frozenset(out)


def asked(lower: str) -> Asked | None:
    """The comparison a question asks for, if it compares two periods of each row."""
    m = _THAN.search(lower)
    if m:
        up, first, second = m.group(1) in _UP_WORDS, m.group(2), m.group(3)
    else:
        m = _CHANGE.search(lower)
        if not m:
            return None
        tail = m.group(2)
        # the first split whose both sides are periods; "rose from A to B": the later period (B) is the larger
        sides = next(((tail[split.end():], tail[:split.start()]) for split in _SPLIT.finditer(tail)
                      if period_tokens(tail[:split.start()]) and period_tokens(tail[split.end():])), None)
        if sides is None:
            return None
        up, (first, second) = m.group(1) in _UP_WORDS, sides
    a, b = period_tokens(first), period_tokens(second)
    if not a or not b or a == b:
        return None
    rest = lower[:m.start()] + " " + m.group(1)
    words = tuple(t for t in dict.fromkeys(terms(rest)) if t not in a | b and not t[:1].isdigit())
    return Asked(a, b, up, words)


def _column(sheet: Sheet, period: frozenset[str]) -> int | None:
    """The one numeric column whose header holds every word of the period."""
    found = [j for j, h in enumerate(sheet.header) if sheet.numeric[j] and period <= period_tokens(h)]
    if len(found) > 1:   # "Dec 24" in "Oct 24 – Dec 24" and in "12m to Dec 24": the header with no other period
        exact = [j for j in found if period_tokens(sheet.header[j]) == period]
        found = exact or found
    return found[0] if len(found) == 1 else None


#: A table, its two columns, and the rows kept with their two values.
Compared = tuple[Sheet, int, int, list[tuple[Line, float, float]]]


def rows_compared(sheets: list[Sheet], question: Asked, weight: dict[str, float]) -> Compared | None:
    """The table the question names with its two columns, and the rows whose values compare as asked."""
    best: tuple[float, Sheet, int, int] | None = None
    total = sum(weight.get(t, 1.0) for t in question.words) or 1.0
    for sheet in sheets:
        first, second = _column(sheet, question.first), _column(sheet, question.second)
        if first is None or second is None or first == second:
            continue
        words = sheet.name_words | sheet.context_words | frozenset().union(*sheet.header_words) | \
            frozenset().union(*(r.words for r in sheet.rows))
        said = sum(weight.get(t, 1.0) for t in question.words if t in words) / total
        if said >= TABLE_WORDS_SAID and (best is None or said > best[0]):
            best = (said, sheet, first, second)
    if best is None:
        return None
    _, sheet, first, second = best
    kept = []
    for row in sheet.rows:
        a, b = number(row.cells[first]), number(row.cells[second])
        if a is not None and b is not None and (a > b if question.up else a < b):
            kept.append((row, a, b))
    return sheet, first, second, kept
