"""The part of one row a follow-up, or a question about a detail of the row, asks about: "what did
phase 2 include?" after the answer about a pledge whose milestones are "Phase 1 works, including ...;
Phase 2 works, including ...".

A row's text cells are split at "; " (the join of a cell wrapped over sub-rows) and at sentence ends;
the parts that hold every word the follow-up asks about are its answer. Pure: no database, no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.router.extract import split_sentences
from assistant.text import terms

#: A follow-up about part of a row names at most this many words of its own ("phase 2", "the
#: Mackworth links"); a longer question is a new question, answered on its own.
MAX_PART_WORDS = 3

#: At most this many parts are given: the parts that tie for the follow-up's words ("Phase 1 works,
#: including ... commenced"; "Phase 1 works completed") together, but never a whole row's worth.
MAX_PARTS = 3

_NUMBER = re.compile(r"(?<![\w.£%])\d+(?![\w.%])")


def asked_words(topic: str) -> frozenset[str]:
    """The words a follow-up asks about: its topic's terms and its bare numbers ("phase 2": the 2
    matters, though `terms` drops one-character words)."""
    return frozenset(terms(topic)) | frozenset(_NUMBER.findall(topic))


def parts_of(texts: Iterable[str]) -> list[str]:
    """A row's text cells cut into parts: at "; " and at sentence ends, in order, without repeats."""
    parts: list[str] = []
    for text in texts:
        for piece in re.split(r";\s+", text or ""):
            for sentence in split_sentences(piece) or [piece]:
                sentence = sentence.strip(" ;")
                if sentence and sentence not in parts:
                    parts.append(sentence)
    return parts


def parts_asked(topic: str, label: str, texts: Iterable[str]) -> list[str]:
    """The parts of a row (its label excepted: asking about that is asking about the row itself) that
    hold the most words of `topic`, all but at most one of them and every number it writes ("phase
    2", not "phase 1"); [] when the topic is too long, no part holds enough, or more parts than
    MAX_PARTS tie (the words say nothing that picks a part)."""
    asked = asked_words(topic)
    if not asked or len(asked) > MAX_PART_WORDS:
        return []
    numbers = frozenset(_NUMBER.findall(topic))
    scored = [(len(asked & words), part) for part in parts_of(texts) if part != label
              for words in (asked_words(part),) if numbers <= words]
    best = max((n for n, _ in scored), default=0)
    if best == 0 or best < len(asked) - 1:
        return []
    found = [part for n, part in scored if n == best]
    return found if len(found) <= MAX_PARTS else []


#: A question about a detail of a row ("which OBR forecast showed a slower rate ...") names at least
#: this many words the row's label does not hold, and the part answering it holds at least this many
#: of them and at least DETAIL_SHARE of them.
MIN_DETAIL_WORDS = 2
DETAIL_SHARE = 0.5


def detail_parts(topic: str, label: str, texts: Iterable[str]) -> list[str]:
    """The one part of a row (a sentence of its text cells) that holds most of the words a question asks
    beyond the row's name: the detail asked about ("what level of match funding" of a risk whose cause
    says "match funding of over 50%"); [] when no single part holds enough of them."""
    detail = asked_words(topic) - asked_words(label)
    if len(detail) < MIN_DETAIL_WORDS:
        return []
    scored = [(len(detail & asked_words(part)), part) for part in parts_of(texts) if part != label]
    best = max((n for n, _ in scored), default=0)
    found = [part for n, part in scored if n == best]
    if best < MIN_DETAIL_WORDS or best < DETAIL_SHARE * len(detail) or len(found) != 1:
        return []
    return found
