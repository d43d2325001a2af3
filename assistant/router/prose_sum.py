"""Figures a passage gives one by one, added up when the question asks for them together: "combined
followers of the new facebook and instagram channels" of "1,090 followers on Facebook and 332 followers
on Instagram"; "libraries plus family hubs" of "12 libraries and three family hubs". And what is left
when the question asks how many are still to do: "create 52 homes (49 completed)" leaves 3.

A figure is taken when the word right after it (or the one after that) is a word of the question, so
that only the things asked are added ("1,090 followers", "three family hubs"), never a year, a
percentage or a sum of money.
"""

from __future__ import annotations

import re

from assistant.router.extract import terms
from assistant.router.plan import operation_of
from assistant.text import NUMBER_WORDS

#: A count in a sentence and the two words after it: "1,090 followers on", "three family hubs".
#: (A share in brackets and a verb may come between: "1,036 (51.4%) were non-UASC care leavers".)
_COUNTED = re.compile(r"(?<![£$\w.,-])(?P<n>\d{1,3}(?:,\d{3})+|\d+|" + "|".join(NUMBER_WORDS) + r")"
                      r"(?![\w%.,-]|\.\d)(?:\s*\([\d.,]+%\))?(?:\s+(?:were|are|was|is))?"
                      r"\s+(?P<a>[A-Za-z][\w'’-]*)(?:\s+(?P<b>[A-Za-z][\w'’-]*))?", re.IGNORECASE)
#: "libraries plus family hubs", "A and B combined": the question adds things up.
_PLUS = re.compile(r"\bplus\b")
#: Units of time: a number of them is a length of time, not a count of things.
_TIME_UNIT = re.compile(r"^(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)$", re.IGNORECASE)
#: A number of four digits from 1900 to 2099 is a year, not a count.
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def asks_added(lower: str) -> bool:
    """The question asks for several figures together ("combined", "in total", "plus")."""
    found = operation_of(lower)
    return bool(_PLUS.search(lower) or (found and found[0] == "sum"))


def added(question: str, text: str) -> tuple[float, list[str]] | None:
    """The total of the counts in `text` whose thing counted the question names, with each count as
    written; None unless two or more are found."""
    asked = set(terms(question))
    parts: list[tuple[float, str]] = []
    for m in _COUNTED.finditer(text):
        raw = m.group("n")
        if _YEAR.match(raw):
            continue
        following = [w for w in (m.group("a"), m.group("b")) if w]
        if _TIME_UNIT.match(following[0]):
            continue   # "lifetimes of around 25 years": a length of time, never one of the things added
        named = max((k for k, w in enumerate(following) if set(terms(w)) & asked), default=None)
        if named is None:
            continue
        value = float(NUMBER_WORDS.get(raw.lower(), 0) or raw.replace(",", ""))
        parts.append((value, " ".join([raw, *following[:named + 1]])))
    if len(parts) < 2:
        return None
    return sum(v for v, _ in parts), [p for _, p in parts]


#: "More non-UASC or UASC, and by how many?", "how many more X than Y": two counts set against each other.
_ASKS_DIFFERENCE = re.compile(r"\bby how many\b|\bhow many more\b|\bdifference between\b")


def asks_difference(lower: str) -> bool:
    """The question asks how far apart two counts are."""
    return bool(_ASKS_DIFFERENCE.search(lower))


def differed(question: str, text: str) -> tuple[float, list[str]] | None:
    """The larger less the smaller of the two counts in `text` whose things counted the question names
    (with each as written, larger first); None unless exactly two different things are counted."""
    found = added(question, text)
    if found is None:
        return None
    _, parts = found
    values = [float(NUMBER_WORDS.get(p.split()[0].lower(), 0) or p.split()[0].replace(",", "")) for p in parts]
    if len(parts) == 3:   # "Of the 2,016 care leavers, 1,036 ... and 980 ...": the whole the two make is set aside
        whole = next((i for i in range(3) if values[i] == sum(values) - values[i]), None)
        if whole is not None:
            parts, values = [p for i, p in enumerate(parts) if i != whole], [v for i, v in enumerate(values) if i != whole]
    if len(parts) != 2 or values[0] == values[1]:
        return None
    pairs = sorted(zip(values, parts), reverse=True)
    return pairs[0][0] - pairs[1][0], [p for _, p in pairs]


def difference_sentence(gap: float, parts: list[str]) -> str:
    """"56 more (1,036 were non-UASC care leavers against 980 were UASC)"."""
    shown = f"{gap:,.0f}" if gap == int(gap) else f"{gap:,.2f}".rstrip("0").rstrip(".")
    return f"{shown} more ({parts[0]} against {parts[1]})."


def sentence(total: float, parts: list[str]) -> str:
    """"1,422 in all (1,090 followers on Facebook + 332 followers on Instagram)"."""
    shown = f"{total:,.0f}" if total == int(total) else f"{total:,.2f}".rstrip("0").rstrip(".")
    return f"{shown} in all ({' + '.join(parts)})."


#: "how many still to finish", "how many are left", "how many remain outstanding".
_ASKS_LEFT = re.compile(r"\bhow many\b.*\b(?:still|left|remain\w*|outstanding|yet to|not yet|to go)\b")
#: "52 homes (49 completed)", "52 homes, 49 of them completed", "52 homes of which 49 are complete".
_DONE_OF = re.compile(r"(?<![£\d,.])(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+(?P<a>(?:[A-Za-z][\w'’-]*\s+){0,4}?[A-Za-z][\w'’-]*)\s*"
                      r"(?:\(|,\s*|\s+of which\s+|\s+with\s+)(?P<m>\d{1,3}(?:,\d{3})+|\d+)\s*(?:of them\s+)?"
                      r"(?:are |have been |were |now )?(?:completed|complete|done|delivered|finished|built)\b")


def left_to_do(question: str, text: str) -> tuple[float, str] | None:
    """What is still to do of a number the passage gives with how many of it are done, when the
    question asks how many are left and names the thing counted: (left, "52 homes - 49 completed")."""
    if not _ASKS_LEFT.search(question.lower()):
        return None
    asked = set(terms(question))
    for m in _DONE_OF.finditer(text):
        if not set(terms(m.group("a"))) & asked:
            continue
        total, done = (float(m.group(k).replace(",", "")) for k in ("n", "m"))
        if done <= total:
            return total - done, f"{m.group('n')} {m.group('a')} - {m.group('m')} completed"
    return None
