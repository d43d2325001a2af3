"""Rows a question names one by one: "waste + countryside savings together?", "is more capital going
into Vibrant or Working Smarter?", "Buxton Museum, the Record Office and Trading Standards - total?".

The question is cut at its list separators (commas, "and", "or", "+", "vs"); each piece keeps the
topic words no filter used, and names the rows of the table that contain a run of those words (the
longest run that names a few rows). Only when every piece names rows is it a question about named
items; the plan then sums or compares exactly those rows (`Conditions.keys`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from assistant.router.queries import Conditions, Query, where
from assistant.router.semantic import GENERIC_WORDS, SYNONYMS, TableSemantics
from assistant.router.understand import OPERATION_WORDS
from assistant.text import ROUTER_STOPWORDS, as_written, sizes_in, stem, terms

#: Where a question's list of items breaks: "A, B and C", "A + B", "A or B", "A vs B", "A v B", "bigger is A
#: than B".
_SEPARATORS = re.compile(r"\s*(?:,|;|\+|\bplus\b|\band\b|\bor\b|\bvs\.?|\bv\.?(?=\s)|\bversus\b|\bagainst\b|\bthan\b)\s*",
                         re.IGNORECASE)
#: "Is more going into A or B", "A vs B", "compare A and B": the larger (or smaller) of the items.
_COMPARE = re.compile(r"\b(?:more|bigger|larger|higher|greater|less|smaller|lower|fewer|cheaper|dearer)\b.*"
                      r"\b(?:or|vs\.?|v\.?(?=\s)|versus|than)\b|\b(?:compare|compared|vs\.?|versus)\b|\bv\.?(?=\s)|"
                      r"\b(?:gap|difference)\b")   # "the gap between A and B": compared, with the difference
_COMPARE_LOW = re.compile(r"\b(?:less|smaller|lower|fewer|cheaper)\b")

#: Words that elsewhere ask a size or an order but may begin a row's name ("High Needs", "Top Up", "First
#: Steps"): kept in an item's words when the run with them names a few rows.
_NAME_WORDS_TOO = frozenset(stem(w) for w in ("high", "low", "big", "large", "top", "first", "last", "single"))
#: A piece naming more rows than this names a group ("roads"), not an item.
MAX_ROWS_PER_ITEM = 3
#: A list names at least two items and, read this way, at most this many.
MAX_ITEMS = 6
#: Runs of topic words tried per piece, longest first, at most this long.
MAX_RUN = 5


@dataclass(frozen=True)
class NamedItems:
    """The rows each piece of the question named, in the question's order."""

    items: tuple[str, ...]                 # the words of each piece that named its rows, as written
    keys: tuple[str, ...]                  # every row named, each once
    compare: bool = False                  # "more ... A or B": the larger (or smaller) is asked
    smaller: bool = False                  # "which is cheaper": the smaller


def compares(lower: str) -> tuple[bool, bool]:
    """Whether the wording compares items ("more A or B"), and whether it asks for the smaller."""
    if not _COMPARE.search(lower):
        return False, False
    return True, bool(_COMPARE_LOW.search(lower))


def inside_a_name(lower: str, word: str) -> bool:
    """Whether `word` is said inside one list piece only, between two words of a name ("high needs v waste
    capital infrastructure"), not after the last item, where it qualifies them all ("green and vibrant
    capital combined")."""
    pieces = [p for p in _SEPARATORS.split(lower) if p and p.strip()]
    saying = [p for p in pieces if re.search(rf"\b{re.escape(word)}\b", p)]
    if len(saying) != 1:
        return False
    m = re.search(rf"(\w+)\s+{re.escape(word)}\s+(\w+)", saying[0])
    return m is not None and all(w not in OPERATION_WORDS and w not in ROUTER_STOPWORDS for w in m.groups())


def _skip_stems(sem: TableSemantics) -> frozenset[str]:
    from assistant.router.plan import OPERATION_WORDS

    words = set(OPERATION_WORDS) | set(GENERIC_WORDS) | {w for n in SYNONYMS.get(sem.table, ()) for w in n.split()}
    words |= {"more", "less", "bigger", "smaller", "larger", "higher", "lower", "greater", "fewer", "going", "go",
              "goes", "spent", "compare", "compared", "versus", "vs", "put", "into", "get", "gets", "getting",
              "difference", "gap", "apart", "between"}
    return frozenset(stem(w) for w in words)


def _runs(words: list[str]) -> list[tuple[str, ...]]:
    """Contiguous runs of `words`, longest first (then leftmost)."""
    n = len(words)
    return [tuple(words[i:i + size]) for size in range(min(n, MAX_RUN), 0, -1) for i in range(n - size + 1)]


def named_items(u_text: str, topic: str, sem: TableSemantics, base: Conditions,
                rows_of: Callable[[Query], list[dict[str, object]]]) -> NamedItems | None:
    """The rows each listed item of the question names, or None when it lists no items of `sem`."""
    pieces = [p for p in _SEPARATORS.split(u_text) if p and p.strip()]
    if not 2 <= len(pieces) <= MAX_ITEMS * 2:
        return None
    topic_terms = set(terms(topic))
    skip = _skip_stems(sem)
    found: list[tuple[str, tuple[str, ...]]] = []
    for piece in pieces:
        words = [t for t in terms(piece) if t in topic_terms and t not in skip and not t[:1].isdigit()]
        if not words:
            continue  # "what do they", "add up to": no item in this piece
        # (a name may hold a word that elsewhere asks a size or an order, "High Needs", so runs of two or more
        # words with those are tried first)
        whole = [t for t in terms(piece) if t in topic_terms and not t[:1].isdigit()
                 and (t not in skip or t in _NAME_WORDS_TOO)]
        tried = [r for r in _runs(whole) if len(r) >= 2 and set(r) - set(words)] if whole != words else []
        for run in [*tried, *_runs(words)]:
            cond = replace(base, contains=tuple(dict.fromkeys(base.contains + run)),
                           sizes=tuple(sorted(sizes_in(piece))))   # "3.5t vans": not the 3.0t ones
            clauses, params = where(sem, cond)
            keys = [str(r[sem.key]) for r in rows_of(Query(
                f"SELECT t.{sem.key} FROM {sem.table} t WHERE {' AND '.join(clauses)} LIMIT {MAX_ROWS_PER_ITEM + 1}",
                tuple(params)))]
            if 1 <= len(keys) <= MAX_ROWS_PER_ITEM:
                found.append((" ".join(as_written(run, piece)), tuple(keys)))
                break
        else:
            return None  # a piece with topic words that names no few rows: not a list of items
    if not 2 <= len(found) <= MAX_ITEMS:
        return None
    all_keys = tuple(dict.fromkeys(k for _, ks in found for k in ks))
    if len(all_keys) < 2:
        return None
    compare, smaller = compares(u_text.lower())
    return NamedItems(tuple(w for w, _ in found), all_keys, compare, smaller)
