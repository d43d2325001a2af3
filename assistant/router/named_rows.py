"""Rows a question names one by one in a list: "the three Adult In House lines (Carer Services,
Community Services and Enablement Services)", "GET's divisional management cost lines (ECE, Growth &
Communities, H&T)". Each listed name picks one row of the tables (table_ops adds up their figures).

A listed name names a row when each of its words is a word of the row's name, or, for a word written as
initials ("ECE", "H&T", "NI"), when its letters are the initials of words in a row of the name
("Environment and Circular Economy", "Highways & Transportation", "National Insurance"). Of the rows a
name fits, the one with most of the question's other words ("Adult In House", "divisional management")
is meant; a tie between rows of different figures names no row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from assistant.router.extract import terms
from assistant.router.sheets import NEUTRAL_WORDS, Line, Sheet
from assistant.text import NUMBER_WORDS

#: A list in brackets: "(Carer Services, Community Services and Enablement Services)".
_BRACKETS = re.compile(r"\(([^()]{3,300})\)")
#: The separators of a list: commas (with or without "and") and a last "and" ("&" joins words of a name).
_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
#: How many names a list may give: more is a sentence in brackets, not a list of rows.
LISTED_MAX = 8
#: A listed name of more words than this is a phrase, not the name of a row.
NAME_WORDS_MAX = 5
#: A list without a comma ("(Carer Services and Enablement Services)") is a list only when the question
#: counts its names ("the two lines"): "(Operations and County Wide)" is one name with an "and" in it.
_COUNT_WORDS = {**NUMBER_WORDS, "both": 2}   # ("both": two)
#: A word written as initials: capitals ("ECE", "NI"), or letters joined by "&" or "/" ("H&T", "h&t").
_INITIALS = re.compile(r"^(?:[A-Z]{2,5}|[A-Za-z](?:[&/][A-Za-z]){1,4})$")
#: Words of a name that have no initial of their own ("Highways & Transportation" is H&T).
_JOINING = frozenset("and of the for in on to".split())
#: A word of the tables no longer than this, that no table holds, may be initials typed in lower case ("ece").
INITIALS_MAX = 4


@dataclass(frozen=True)
class Picked:
    """A listed name and the row it names."""

    name: str
    sheet: Sheet
    row: Line


#: Two or more names joined by "and" before the words that add them up: "what do grants and developer
#: contributions add up to", "CYPE and GET capital together" (a word of the column may stand between).
_ADDED_UP = re.compile(r"(?:^|[:;,?-]\s*|\b(?:what|how much)\s+(?:do|does|did|are|is|were)\s+(?:the\s+)?)"
                       r"(?P<names>[A-Za-z][\w&'’ /-]{2,120}?\s+and\s+[\w&'’ /-]{2,60}?)"
                       r"\s+(?:(?:capital|budgets?|spend|spending|net|gross|figures?|lines?|values?|funding)\s+)?"
                       r"(?:add(?:ed)? up|together|combined|come to)\b", re.IGNORECASE)
#: A year in a name joined by "and" ("2026-27"): the list is of years, not of rows.
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: Words that ask, not name: left off the front of the first name ("what do grants ...").
_ASKING = re.compile(r"^(?:(?:what|how much|and|so|the|do|does|did|are|is|were)\s+)+", re.IGNORECASE)


def listed(text: str) -> list[str]:
    """The names a question lists in brackets (two or more), or joined by "and" before the words that
    add them up; [] when it lists none."""
    added = _ADDED_UP.search(text)
    if added and not _BRACKETS.search(text):
        names = [_ASKING.sub("", n).strip(" .;:'\"") for n in _SEPARATOR.split(added.group("names"))]
        names = [n for n in names if n]
        # "for 2025-26 and 2026-27 combined": years joined, one row's columns added up (table_ops), no rows
        if 2 <= len(names) <= LISTED_MAX and all(len(n.split()) <= NAME_WORDS_MAX for n in names) \
                and not any(_YEAR.search(n) for n in names):
            return names
    for m in _BRACKETS.finditer(text):
        inside = m.group(1).strip()
        names = [n.strip(" .;:'\"") for n in _SEPARATOR.split(inside) if n.strip(" .;:'\"")]
        if not 2 <= len(names) <= LISTED_MAX or any(len(n.split()) > NAME_WORDS_MAX for n in names):
            continue
        counted = [v for w, v in _COUNT_WORDS.items() if re.search(rf"\b{w}\b", text.lower())]
        if "," in inside or len(names) in counted:
            return names
    return []


def row_name(sheet: Sheet, row: Line) -> str:
    """A row's name: its first cell of a column of short names."""
    return next((c for j, c in enumerate(row.cells) if sheet.labels[j] and re.search(r"[A-Za-z]", c)), "")


def _initials(name: str) -> str:
    """The initials of a name's words, joining words left out: "Highways & Transportation" -> "HT"."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", name) if w.lower() not in _JOINING).upper()


def names_row(listed_name: str, name: str, table_words: frozenset[str]) -> bool:
    """Every word of the listed name is a word of the row's name, or initials of some of its words."""
    name_terms = set(terms(name))
    initials = _initials(name)
    fitted = False
    for word in listed_name.split():
        letters = re.sub(r"[^A-Za-z]", "", word).upper()
        as_initials = bool(_INITIALS.match(word)) or (
            len(letters) <= INITIALS_MAX and not set(terms(word)) & table_words and len(letters) >= 2)
        if as_initials and letters in initials:
            fitted = True
            continue
        stems = terms(word)
        if not stems:
            continue   # "&", "and": joins the words of the name
        if not set(stems) <= name_terms:
            return False
        fitted = True
    return fitted


def pick(names: list[str], sheets: Iterable[Sheet], context: dict[str, float],
         table_words: frozenset[str], periods: tuple[str, ...] = ()) -> list[Picked] | None:
    """The one row each listed name names, all in one document, or None when a name names none or two
    different rows equally (the same row printed twice is one). `context`: the question's other words and
    their weights (the rows' shared words); `table_words`: every word the tables hold; `periods`: the
    spellings of the years asked, which break a tie between a row's tables (a programme printed over two
    pages: the page with a column for the year)."""
    sheets = list(sheets)
    found: list[Picked] = []
    for listed_name in names:
        scored: list[tuple[tuple[float, bool], Sheet, Line]] = []
        for sheet in sheets:
            words = sheet.name_words | sheet.context_words | frozenset().union(*sheet.header_words)
            dated = any(f in h.lower() for h in sheet.header for f in periods)
            for row in sheet.rows:
                name = row_name(sheet, row)
                if name and names_row(listed_name, name, table_words):
                    held = sum(w for t, w in context.items() if t in row.words or t in words)
                    scored.append(((held, dated), sheet, row))
        if not scored:
            return None
        best = max(s for s, _, _ in scored)
        top = [(sheet, row) for s, sheet, row in scored if s == best]
        if len({row.cells for _, row in top}) > 1:
            return None
        found.append(Picked(listed_name, *top[0]))
    if len({p.sheet.doc_id for p in found}) > 1 or len({(p.sheet.table_id, p.row.index) for p in found}) < len(found):
        return None
    return found


def context_words(said: Iterable[str], names: list[str], weight: Callable[[str], float]) -> dict[str, float]:
    """The question's words outside the list, that say what the rows share ("adult", "hous", "divis")."""
    inside = {t for n in names for t in terms(n)}
    return {t: weight(t) for t in said if t not in inside and t not in NEUTRAL_WORDS and not t[:1].isdigit()}
