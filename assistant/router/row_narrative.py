"""Why a register row's thing happens, what could follow from it, how much more it may take: the
sentences of the row's narrative columns (semantic.NARRATIVE) that answer the question.

"contract retender risk: why are retenders dearer, and what could offset the extra cost?" is asked of
one row of the risk register, but of no one column: its cause says why, its consequence what could
offset it. The row's columns are read as passages, in the order the kind of question puts them, and
the extract scorer picks their sentences (a second thing asked gets its own sentence).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.models import Citation, Hit
from assistant.router.extract import Similarity, extract, split_sentences, terms
from assistant.router.semantic import NARRATIVE

#: What kind of narrative question a question is, by its words (the kinds are NARRATIVE's keys).
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("figure", re.compile(r"\bhow much (?:extra|more|additional)\b|\bhow much (?:\w+ ){0,3}on top\b")),
    ("why", re.compile(r"\bwhy\b|\bwhat(?:'s| is| are)? (?:the )?(?:reasons?|causes?|drivers?) (?:for|of|behind)\b")),
    ("outcome", re.compile(r"\bwhat (?:happens|would|could|might|may|will)\b|\bwhat (?:does|do) (?:\w+ ){0,6}"
                           r"(?:say|expect)\b.*\b(?:may|might|could|would|will|have to)\b")),
)


#: A sentence that gives a reason: "... more expensive due to prevailing market conditions", "... as simply
#: not delivering Net Zero by 2050 is not an option".
_REASON = re.compile(r"\b(?:due to|because|owing to|as a result of|caused by|driven by|as simply|since the)\b", re.I)


def narrative_kind(lower: str, table: str) -> str | None:
    """The kind of narrative question `lower` asks of a row of `table`, if the table tells a story."""
    if table not in NARRATIVE:
        return None
    return next((kind for kind, pattern in _KINDS if pattern.search(lower)), None)


@dataclass(frozen=True)
class Narrated:
    """The sentences chosen, each under the column it was read from, the column that answers the kind of
    question first."""

    parts: tuple[tuple[str, str], ...]   # (column, its sentences)
    name_column: str = ""                # the row's name, which a sentence of needs no label

    def text(self) -> str:
        return " ".join(said if column == self.name_column else f"{column.replace('_', ' ').capitalize()}: {said}"
                        for column, said in self.parts)


def narrate(question: str, asked: str, row: Mapping[str, Any], table: str, kind: str, name_column: str,
            similarity: Similarity | None = None) -> Narrated | None:
    """The sentences of `row`'s narrative columns that best answer `question` (its words; `asked`, as
    typed); the whole of the column that answers that kind of question first when no other word of the
    question is in them; None when the row has none of them."""
    order = [c for c in NARRATIVE[table][kind] if str(row.get(c) or "").strip()]
    if not order:
        return None
    words = _beyond_name(question, row, name_column)
    intent = "how_much" if kind == "figure" else "explain"

    def best(columns: list[str], only: re.Pattern[str] | None = None) -> str:
        """The sentences the extract scorer picks from these columns (those `only` matches, if given)."""
        hits = [Hit(score=0.0, text=sentence, citation=Citation(c, "", "", 0, 0, "")) for c in columns
                for sentence in split_sentences(str(row[c])) if only is None or only.search(sentence)]
        found = extract(words, hits, lambda _file: (), intent, similarity=similarity, asked=asked) \
            if hits and terms(words) else None
        return found.text if found is not None else ""

    # what the kind of question asks first: a sentence that gives a reason, for "why"; else the first
    # column's best sentence (all of it when no word of the question is in it)
    reasons = [s for c in order for s in split_sentences(str(row[c])) if _REASON.search(s)] if kind == "why" else []
    first = (best(order, _REASON) or reasons[0]) if reasons else ""
    first = first or best(order[:1]) or str(row[order[0]]).strip()
    chosen = f"{first} {best(order)}"
    parts = []
    for column in order:
        said = [s for s in split_sentences(str(row[column])) if s.rstrip(".") in chosen]
        if said:
            parts.append((column, " ".join(s if s.endswith(".") else f"{s}." for s in said)))
    return Narrated(tuple(parts) or ((order[0], str(row[order[0]]).strip()),), name_column)


#: A sum of money in a sentence: "£1.162m", "£30,000", "£1m-£1.5m".
_MONEY_SAID = re.compile(r"£\s?\d")


def figure_said(question: str, asked: str, row: Mapping[str, Any], table: str, name_column: str,
                similarity: Similarity | None = None) -> Narrated | None:
    """For a row whose money columns are blank, the sentence of its story that states a sum of money and
    best answers `question` ("Costs to date of £1.162m since 2023-24 ..." of the Galley Hill risk, listed
    without an exposure figure); None when no sentence of it states one."""
    if table not in NARRATIVE:
        return None
    columns = [c for c in NARRATIVE[table]["figure"] if str(row.get(c) or "").strip()]
    money = {c: [s for s in split_sentences(str(row[c])) if _MONEY_SAID.search(s)] for c in columns}
    if not any(money.values()):
        return None
    words = _beyond_name(question, row, name_column)
    hits = [Hit(score=0.0, text=sentence, citation=Citation(c, "", "", 0, 0, "")) for c in columns for sentence in money[c]]
    found = extract(words, hits, lambda _file: (), "how_much", similarity=similarity, asked=asked) if terms(words) else None
    chosen = found.best if found is not None else hits[0].text
    # (the column of the sentence chosen, or of the one it is a piece of)
    column = next((c for c in columns if any(chosen in sentence for sentence in money[c])), columns[0])
    return Narrated(((column, chosen if chosen.endswith(".") else f"{chosen}."),), name_column)


def _beyond_name(question: str, row: Mapping[str, Any], name_column: str) -> str:
    """The question's words less those of the row's own name, which every column of its story is about and
    so picks no sentence."""
    named = set(terms(str(row.get(name_column) or "")))
    return " ".join(w for w in question.split() if not set(terms(w)) & named)
