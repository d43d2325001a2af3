"""A follow-up that sets the figure just given against another item's: "how does that compare with
CCP's 3.5t tippers?", "how does its net compare with prevention's net?".

The follow-up is read here (`compared_with`); the assistant answers its two sides as ordinary
follow-ups (the previous item's figure, then "and <the other item>?"), and `difference_sentence`
says how far apart the two figures are. A comparison with another period ("how does that compare
with 2018-19?") is not this: the KPI answerer compares periods of one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.normalise import parse_money
from assistant.router.understand import DateSpec, parse_dates

#: "How does that compare with X", "and how does its net compare to X's net", "how do they stack up against X".
_COMPARED_WITH = re.compile(
    r"^(?:and\s+|so\s+)?how\s+(?:does|do|did|would)\s+(?:that|it|this|they|its\s+(?P<field>[a-z][\w &'/-]{1,40}?))\s+"
    r"(?:compare|stack up|measure up)\s+(?:with|to|against|next to)\s+(?P<other>[^?]{2,120}?)\s*\??\s*$",
    re.IGNORECASE)
#: "How far above the net is it?", "how much more than the income is that?": the figure just given set
#: against another of the same item, said as a gap.
_HOW_FAR_FROM = re.compile(
    r"^(?:and\s+|so\s+)?(?:how (?:far|much) (?:above|below|over|under|more than|less than|higher than|lower than|"
    r"bigger than|smaller than)|by how much does (?:it|that|this) (?:exceed|beat|top))\s+(?P<other>the\s+[^?]{2,60}?)"
    r"(?:\s+(?:is|was) (?:it|that|this))?\s*\??\s*$", re.IGNORECASE)
#: Another value of the same thing, not another item: "the previous quarter", "the target", "the national
#: average" (a date or period, "2018-19", "December 2023", is read by understand.parse_dates).
_OTHER_VALUE = re.compile(r"\b(?:year|yr|quarter|qtr|q[1-4]|month|period|target|floor|baseline|national|england|"
                          r"average|last|previous|before|earlier)\b", re.IGNORECASE)
#: The figure a one-fact answer ends with: "... is £6,243,855.", "... (3.5t Tipper): 33,000."
_FINAL_FIGURE = re.compile(r"(?:\bis|:)\s+(?P<figure>\(?-?£?\d[\d,]*(?:\.\d+)?\)?%?)(?=[\s.;,]|$)")


#: A second figure at least this many times the first is also said as a ratio ("2.0 times as much").
RATIO_SAID = 2.0


@dataclass(frozen=True)
class ComparedWith:
    """The two sides a comparing follow-up asks: its own field of the previous item (or the figure just
    given, when it names none) and the other item."""

    field: str | None   # "net" of "how does its net compare ..."
    other: str          # "prevention's net", "ccp's 3.5t tippers"


def compared_with(question: str) -> ComparedWith | None:
    """The comparison a follow-up asks of the previous item and another, or None."""
    said = " ".join(question.split())
    far = _HOW_FAR_FROM.match(said)
    if far and not _OTHER_VALUE.search(far.group("other")) and not parse_dates(far.group("other")):
        return ComparedWith(None, far.group("other"))   # "how far above the net is it?": "and the net?"
    m = _COMPARED_WITH.match(said)
    if not m or _OTHER_VALUE.search(m.group("other")) or parse_dates(m.group("other")):
        return None
    return ComparedWith(m.group("field"), m.group("other"))


def other_question(asked: ComparedWith) -> str:
    """The follow-up that asks the other item's figure: "and prevention's net?", "and ccp's 3.5t tippers?"."""
    other = asked.other
    if asked.field and asked.field.lower() not in other.lower():
        other = f"{other} {asked.field}"
    return f"and {other}?"


def final_figure(answer: str) -> tuple[str, float] | None:
    """The figure a one-fact answer gives, as written and as a number, read from its first line."""
    matches = list(_FINAL_FIGURE.finditer(answer.split("\n", 1)[0]))
    if not matches:
        return None
    written = matches[-1].group("figure")
    value = parse_money(written)
    return None if value is None else (written, value)


def difference_sentence(asked: ComparedWith, first: tuple[str, float], second: tuple[str, float],
                        first_named: str = "the first") -> str:
    """"prevention's net (£3,516,231) is £2,727,624 less than the first (£6,243,855)"; `first_named` says
    which figure the first is ("the previous answer" when it was not asked again)."""
    gap = second[1] - first[1]
    other = asked.other[:1].upper() + asked.other[1:]   # (it begins the sentence: "The net (£59,625,880) ...")
    if gap == 0:
        return f"{other} ({second[0]}) is the same as {first_named} ({first[0]})."
    size = abs(gap)
    number = f"{size:,.0f}" if size == int(size) else f"{size:,.2f}"
    points = first[0].endswith("%") and second[0].endswith("%")
    written = ("£" if "£" in first[0] + second[0] else "") + number + (" percentage points" if points else "")
    ratio = (f", {second[1] / first[1]:.1f} times as much" if not points and first[1] > 0 and
             second[1] / first[1] >= RATIO_SAID else "")
    return (f"{other} ({second[0]}) is {written} {'more' if gap > 0 else 'less'} than {first_named} "
            f"({first[0]}){ratio}.")


#: "Does the ford one start before that?", "did the BMW contract begin after it?": the date of another item
#: set against the previous item's, yes or no.
_DATED_AGAINST = re.compile(
    r"^(?:and\s+|so\s+)?(?:does|do|did|will|would|is|was)\s+(?P<other>[^?]{2,80}?)\s+"
    r"(?P<verb>start|begin|commence|finish|end|complete|conclude)s?\s+"
    r"(?P<order>before|after|earlier than|later than|sooner than)\s+(?:that|it|this|that one|this one|the previous one)"
    r"\s*\??\s*$", re.IGNORECASE)
#: Where an answer says when a row starts, and when it ends.
_START_SAID = re.compile(r"\b(?:start|starts|starting|begins?|commenc\w*)\b(?:\s+(?:of|on|in|is))?\s+(?P<rest>[^.;|]+)",
                         re.IGNORECASE)
_END_SAID = re.compile(r"\b(?:complete|completes|completion|due|ends?|finish\w*|conclud\w*)\b(?:\s+(?:of|on|in|by|is))?"
                       r"\s+(?P<rest>[^.;|]+)", re.IGNORECASE)


@dataclass(frozen=True)
class DatedAgainst:
    """Another item whose start (or end) is asked to fall before (or after) the previous item's."""

    other: str        # "the ford one"
    ends: bool        # its end asked, not its start
    before: bool      # "before" / "earlier than", not "after"


def dated_against(question: str) -> DatedAgainst | None:
    """The date comparison a follow-up asks of another item and the previous one, or None."""
    m = _DATED_AGAINST.match(" ".join(question.split()))
    if not m:
        return None
    return DatedAgainst(m.group("other"), m.group("verb").lower() not in ("start", "begin", "commence"),
                        m.group("order").lower() in ("before", "earlier than", "sooner than"))


def date_said(answer: str, ends: bool) -> DateSpec | None:
    """The start (or end) date an answer's first line gives, or None when it gives no one date of it."""
    line = answer.split("\n", 1)[0]
    for m in (_END_SAID if ends else _START_SAID).finditer(line):
        found = parse_dates(m.group("rest"))
        if found:
            return found[0]
    return None


def dated_sentence(asked: DatedAgainst, other_label: str, theirs: DateSpec, mine: DateSpec) -> str:
    """"Yes: the ford one starts 31/01/2022, before the previous one (11/02/2022)."; "it cannot be told"
    when the two dates overlap at the precision given ("2021" and "March 2021")."""
    verb = "ends" if asked.ends else "starts"
    if theirs.end < mine.start:
        order = "before"
    elif theirs.start > mine.end:
        order = "after"
    elif theirs.start == mine.start and theirs.end == mine.end:
        return f"No: {other_label} {verb} {theirs.text}, the same as the previous one."
    else:
        return (f"The documents do not say which is first: {other_label} {verb} {theirs.text} and the previous one "
                f"{mine.text}.")
    yes = (order == "before") == asked.before
    return f"{'Yes' if yes else 'No'}: {other_label} {verb} {theirs.text}, {order} the previous one ({mine.text})."
