"""Conditions a question puts on a table's figures: "above £100m", "exactly 650", "a negative
unallocated budget". A table aggregate (table_ops.py) keeps the rows, or the year columns of one row,
whose figure meets them.

A sum said with "£" or a scale ("£100m", "250k") is in pounds and is compared with a cell in the unit
its column's header gives ("£000s": 100,000); a bare figure ("exactly 650") is in the column's own unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.router.cells import money_scale
from assistant.router.extract import terms
from assistant.router.understand import AFTER_OPS, COMPARISON_OPS, MOST_NEGATIVE, parse_amounts

#: A bare figure said exactly ("exactly 650", "equal to 12.5%"): no "£" or scale, so in the column's unit.
_BARE_EXACT = re.compile(r"\b(exactly|precisely|equal to)\s+(?!£)(\d[\d,]*(?:\.\d+)?)(?!\s*(?:bn|billion|m|million|k|"
                         r"thousand)\b)(?![\d,.])\s*%?")
#: "how many lines have a 10 year optimum life": a bare figure a row has (not a year, a sum or a share).
_HAVING = re.compile(r"\b(?:have|has|having|had|with)\s+an?\s+(?!(?:19|20)\d\d\b)(\d[\d,]*(?:\.\d+)?)"
                     r"(?![\d,.])(?!\s*(?:%|(?:bn|billion|m|million|k|thousand)\b))(?:[\s-]*(?:years?|yrs?|months?|weeks?|days?)\b)?")
#: "more than 20,000 transactions", "fewer than 50": a bare figure compared (no "£" or scale, so in the
#: column's own unit; not a share, a year, a length of time or an age band such as "under 5s").
_BARE_COMPARED = re.compile(r"\b(" + "|".join(sorted((w for w, op in COMPARISON_OPS.items() if w[0].isalpha() and op != "="
                                                        and w not in ("up to", "in excess of")), key=len, reverse=True))
                            + r")\s+"
                            r"(?!£|(?:19|20)\d\d\b)(\d[\d,]*(?:\.\d+)?)(?![\w,.\-/])"
                            r"(?!\s*%)(?!\s*(?:per ?cent|bn|billion|m|million|k|thousand|years?|yrs?|months?|weeks?|days?|"
                            r"hours?|minutes?|mins?|am|pm)\b)")
#: "replace 6 or more vehicles", "10 and under": a bare figure, then the comparison (not a sum, a year or a
#: share: "£2m or more" is parse_amounts').
_BARE_AFTER = re.compile(r"(?<![£\d,.])(?!(?:19|20)\d\d\b)(\d[\d,]*(?:\.\d+)?)(?![\d,.%])\s+(?:or|and)\s+("
                         + "|".join(AFTER_OPS) + r")\b")
#: "a negative unallocated budget", "in the negative": below zero (not "the most negative", a ranking).
#: Figures asked to be nought: "a net cost of zero", "(zero) allocated", "nil", "nothing allocated".
_ZERO = re.compile(r"\b(?:of|at|is|are|be|=|have|has|having|with)\s+(?:zero|nil|nought|£?0(?:\.0+)?)(?![\d.,%])\b|\(zero\)|"
                   r"\bnothing (?:\(zero\) )?(?:allocated|budgeted|spent|planned)\b")
#: Figures asked to be something at all: "get any grant income", "have any staffing budget", "a non-zero net".
_ANY = re.compile(r"\b(?:get|gets|getting|have|has|having|receive|receives|receiving|with|bring in|brings in)\s+any\b|"
                  r"\bnon-?zero\b|\bnot (?:zero|nil)\b")
#: ... or rows counted or listed as having a kind of money at all: "how many key services have grant income",
#: "which lines get grant funding".
_HAS_MONEY = re.compile(r"\b(have|has|get|gets|receive|receives|with)\s+(?:(?:grant|external)\s+)?"
                        r"(?:income|funding|grants?)\b")
_COUNTED_OR_LISTED = re.compile(r"\b(?:how many|which|what)\b")
_NEGATIVE = re.compile(r"\b(?:negative|below zero|less than zero|minus figure)\b")
#: Figures equal when they differ by less than this (cells print pence and tenths).
EQUAL_WITHIN = 1e-6


@dataclass(frozen=True)
class Condition:
    """A figure's test: `op` against `value`, in pounds when `money` (else in the column's own unit)."""

    op: str          # ">", "<", ">=", "<=", "=", "!="
    value: float
    money: bool
    text: str        # as the question says it ("above £100m", "negative")

    def holds(self, figure: float, header: str) -> bool:
        """Whether a cell's figure under `header` meets the condition."""
        if self.money:
            figure *= money_scale(header) or 1.0
        if self.op in ("=", "!="):
            equal = abs(figure - self.value) < EQUAL_WITHIN * max(1.0, abs(self.value))
            return equal if self.op == "=" else not equal
        return {">": figure > self.value, "<": figure < self.value,
                ">=": figure >= self.value, "<=": figure <= self.value}[self.op]


def figure_conditions(lower: str) -> tuple[Condition, ...]:
    """The conditions a (lower-case) question puts on figures, in the order it says them."""
    found = [Condition(a.op, a.value, True, a.text) for a in parse_amounts(lower)]
    found += [Condition("=", float(m.group(2).replace(",", "")), False, m.group(0).strip())
              for m in _BARE_EXACT.finditer(lower)]
    found += [Condition("=", float(m.group(1).replace(",", "")), False, f"of {m.group(1)}") for m in _HAVING.finditer(lower)]
    found += [Condition(COMPARISON_OPS[m.group(1)], float(m.group(2).replace(",", "")), False, m.group(0).strip())
              for m in _BARE_COMPARED.finditer(lower) if not any(m.group(0).strip() in c.text for c in found)]
    found += [Condition(AFTER_OPS[m.group(2)], float(m.group(1).replace(",", "")), False, m.group(0).strip())
              for m in _BARE_AFTER.finditer(lower)]
    if _NEGATIVE.search(lower) and not MOST_NEGATIVE.search(lower):
        found.append(Condition("<", 0.0, False, "negative"))
    zero = _ZERO.search(lower)
    if zero:   # "a net cost of zero", "nothing allocated": figures of 0
        found.append(Condition("=", 0.0, False, zero.group(0).strip()))
    some = _ANY.search(lower)
    # (only when no other test is put on the figures: "have income over £2,000" is that test alone)
    has = _HAS_MONEY.search(lower) if _COUNTED_OR_LISTED.search(lower) and not found else None
    if (some or has) and not zero:   # "lines that get any grant income", "a non-zero income": figures other than 0
        # (the verb alone says the condition: "grant income" still names the column)
        found.append(Condition("!=", 0.0, False, some.group(0).strip() if some else has.group(1)))
    return tuple(found)


def condition_words(conditions: tuple[Condition, ...]) -> frozenset[str]:
    """Stems of the words that say the conditions ("exactly", "negative"): they name no row or column.
    (A sum of money, "£25k", may name a table's band, "above £25K less than £50K": it is kept.)"""
    return frozenset(t for c in conditions for t in terms(c.text) if not t.startswith("£"))


def without_band(conditions: tuple[Condition, ...], names: tuple[str, ...]) -> tuple[Condition, ...]:
    """The conditions less the sums of money that a name states ("Table One ... (above £25K less than
    £50K)", a band "25k-50k"): said of a table or a group, they name it rather than test its figures."""
    money = {(c.value, c.op[0]) for c in conditions if c.money}
    # the same sum bounding the same way ("above £25K" in the name, "over £25k" asked); "under £25k" of a
    # table named "above £25K less than £50K" is a test of its figures
    if not money or not any(money <= {(a.value, a.op[0]) for a in parse_amounts(n)} for n in names if n):
        return conditions
    return tuple(c for c in conditions if not c.money)

