"""Extractive text answers: the sentences of the retrieved passages that best match the question.

Sentences are scored by the question words they contain (weighted by rarity across the retrieved
passages) plus the rank of their passage; each chosen sentence is cited at its own source lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.models import Citation, Hit
from assistant.ingest.sections import opens_as_heading
from assistant.router.data import LinesOf, quote
from assistant.router.understand import QUOTED, asks_who_with
from assistant.text import stem, terms  # re-exported: the router imports them from here

#: The cosine similarity of the question to each of some sentences, in order.
Similarity = Callable[[Sequence[str]], Sequence[float]]

#: A full stop that ends an abbreviation, not a sentence: "c. 200", "Dr. Smith", "No. 5", "e.g. Bakewell".
_ABBREVIATION = "".join(rf"(?<!\b{re.escape(a)})" for a in ("c.", "ca.", "No.", "Dr.", "Mr.", "Mrs.", "Ms.",
                                                          "St.", "e.g.", "i.e.", "approx.", "vs.", "Cllr."))
_SPLIT = re.compile(r"(?<=[.!?])" + _ABBREVIATION + r"\s+(?=[A-Z0-9\"'(£])|\s+-\s+(?=[A-Z])|\s*\n+\s*|\s+•\s+")


@dataclass(frozen=True)
class Unit:
    """One sentence of a retrieved passage, at its source line."""

    text: str
    file: str
    line: int
    hit_rank: int
    is_item: bool      # a bullet or numbered list item
    is_heading: bool   # a short line without a full stop, or one ending with ':'
    position: int      # order within its passage
    line_end: int = 0  # the last source line of a sentence wrapped over several (0: the same as `line`)
    group: int = -1    # items cut from one run-on table cell share a group (-1: not such an item)

    @property
    def last_line(self) -> int:
        return max(self.line, self.line_end)


@dataclass(frozen=True)
class Extract:
    """The chosen answer text, its citations and how well it covers the question."""

    text: str
    citations: tuple[Citation, ...]
    coverage: float
    score: float
    best: str = ""   # the single best sentence
    own: str = ""    # the best sentence and those chosen for the other things the question asks


_ITEM = re.compile(r"^\s*(?:[-•*·]|\d{1,2}[.)]|\([a-z0-9]\))\s+")
_NUMBERISH = re.compile(r"£\s?\d|\d[\d,.]*\s?(?:%|m\b|million|bn)|\b\d{2,}")
_DATEISH = re.compile(r"\b(?:19|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|"
                      r"october|november|december)\b", re.IGNORECASE)


def tidy(line: str) -> str:
    """A source line as plain text: HTML and markdown emphasis removed, tabs and pipes as separators."""
    text = re.sub(r"<[^>]+>", " ", line).replace("**", "").replace("\t", " | ")
    text = re.sub(r"\s*\|\s*(\|\s*)*", " | ", text).strip(" |")
    text = re.sub(r"\b(\d{1,2}) (st|nd|rd|th)\b", r"\1\2", text)   # a PDF's raised ordinal: "19 th December"
    return re.sub(r"\s+", " ", text).strip()


#: A list numbered inside one line ("... Fund: 1. Non-elective hospital admissions 2. Delayed Transfers of
#: Care 3. ..."): items 1 and 2 in order, each number after a space or colon and before a capital.
_INLINE_LIST = re.compile(r"(?:^|[\s:])1\.\s+[A-Z].*?\s2\.\s+[A-Z]")
_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|(?<=:)|^)\d{1,2}\.\s+(?=[A-Z])")


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`; a long table row as its cells and run-on items (see `_pieces`)."""
    return [piece for piece, _ in sentence_pieces(text)]


def sentence_pieces(text: str) -> list[tuple[str, int]]:
    """The sentences of `text`, each with its run-on group: -1 for a sentence or cell, else the index of
    the run-on cell its item was cut from (items of one cell are one list)."""
    if _INLINE_LIST.search(text or ""):   # "4 metrics: 1. Non-elective admissions 2. Delayed Transfers ...": items
        text = _INLINE_NUMBER.sub(" • ", text)
    parts = [p.strip(" -•\t") for p in _SPLIT.split(text or "")]
    out: list[tuple[str, int]] = []
    for part in (p for p in parts if len(p.split()) >= 2):
        out += [(piece, group) for piece, group in _pieces(part, len(out)) if len(piece.split()) >= 2]
    return out


#: A sentence longer than this many words is a table row or a run-on cell: it is read cell by cell, and
#: a long cell item by item, so that one fact in it is not buried (and penalised) in a hundred words.
#: Shorter rows stay whole: their other cells hold the figure, date or name asked about.
LONG_UNIT_WORDS = 80
#: In such a row, a cell longer than this many words is a run-on list of items without full stops.
LONG_CELL_WORDS = 30
#: Words after which a capitalised word carries on a phrase ("our Mobility programme", "the Council").
_PHRASE_WORDS = frozenset("the a an our their its his her this that these those of to for in on at by with from "
                          "and or as into new".split())
#: An item boundary inside a run-on cell: a lower-case word or figure, then a capitalised word that
#: starts a new clause in lower case ("... by 2035 Improved air quality ... More houses ..."), not a
#: name with "of" or "and" in it ("... replace Deprivation of Liberty Safeguards").
_RUN_ON = re.compile(r"(?<=[a-z0-9)])\s+(?=[A-Z][a-z]*\s+(?!of\b|and\b)[a-z])")


def _pieces(sentence: str, first_group: int) -> list[tuple[str, int]]:
    """A long sentence as its cells, and a long cell as its run-on items (numbered from `first_group`);
    a short one as it is."""
    if len(sentence.split()) <= LONG_UNIT_WORDS:
        return [(sentence, -1)]
    out: list[tuple[str, int]] = []
    for n, cell in enumerate(c.strip() for c in sentence.split(" | ")):
        if len(cell.split()) <= LONG_CELL_WORDS:
            out.append((cell, -1))
            continue
        start, items = 0, []
        for m in _RUN_ON.finditer(cell):
            before = cell[:m.start()].rsplit(None, 1)[-1]
            if (before[:1].islower() or before[:1].isdigit()) and before.lower() not in _PHRASE_WORDS:
                items.append(cell[start:m.start()].strip())
                start = m.end()
        items.append(cell[start:].strip())
        out += [(item, first_group + n if len(items) > 1 else -1) for item in items if item]
    return out


#: A sentence a passage cuts off is read on past its last line for at most this many lines.
SENTENCE_REACH = 3


def units_of(hit: Hit, rank: int, lines_of: LinesOf) -> list[Unit]:
    """The sentences of a hit, read from its source lines (so list items and headings are kept)."""
    c = hit.citation
    lines = lines_of(c.file)
    out: list[Unit] = []
    if not lines or c.line_start < 1:
        for sent in split_sentences(hit.text):
            out.append(Unit(sent, c.file, c.line_start, rank, False, False, len(out)))
        return out
    logical: list[tuple[int, int, str, bool]] = []   # (first line, last line, text, is an item)
    for i in range(c.line_start, min(c.line_end, len(lines)) + 1):
        raw = lines[i - 1]
        text = tidy(_ITEM.sub("", raw))
        if not text:
            continue
        item = bool(_ITEM.match(raw)) and not _numbered_heading(raw, lines, i)
        if logical and not item and _continues(logical[-1][2], text):
            first, _, before, was_item = logical[-1]
            logical[-1] = (first, i, f"{before} {text}", was_item)   # a sentence wrapped onto the next line
        else:
            logical.append((i, i, text, item))
    # a passage cut mid-sentence (an index chunk ends on a wrapped line) reads on to the sentence's end
    i = min(c.line_end, len(lines)) + 1
    while logical and i <= min(c.line_end + SENTENCE_REACH, len(lines)) and not _ITEM.match(lines[i - 1]) and \
            _continues(logical[-1][2], tidy(lines[i - 1])):
        first, _, before, was_item = logical[-1]
        logical[-1] = (first, i, f"{before} {tidy(lines[i - 1])}", was_item)
        i += 1
    for first, last, text, item in logical:
        heading = (not item and len(text.split()) <= 8 and not text.endswith(".")) or text.endswith(":")
        for sent, group in sentence_pieces(text) or [(text, -1)]:
            out.append(Unit(sent, c.file, first, rank, item or group >= 0, heading and group < 0, len(out), last,
                            group))
    return out


#: A numbered heading: "7. Financial Implications" over paragraphs numbered "7.1 ...".
_NUMBERED_TITLE = re.compile(r"^\s*(\d{1,2})[.)]\s+([A-Z][^.]{2,80})$")
#: A heading is short: at most this many words.
HEADING_WORDS = 8


def _numbered_heading(raw: str, lines: tuple[str, ...], at: int) -> bool:
    """Whether line `at` (1-based) is a numbered heading rather than a list item: a short title whose
    next line of text is its first numbered paragraph ("7.1 The current ...")."""
    m = _NUMBERED_TITLE.match(raw)
    if not m or len(m.group(2).split()) > HEADING_WORDS:
        return False
    nxt = next((ln for ln in lines[at:at + 3] if ln.strip()), "")
    return nxt.lstrip().startswith(f"{m.group(1)}.1")


#: Words a sentence never ends with: a line ending with one was wrapped ("... the Joint Local Health and").
_OPEN_ENDINGS = frozenset("the a an and or of to for in on at by with from as into than that which whose our its "
                          "their his her is are was were be been will would has have had".split())
#: A line of at least this many words that ends without a full stop is a wrapped line of prose, not a
#: heading (headings are short: HEADING_WORDS).
WRAPPED_LINE_WORDS = 9


def _continues(before: str, text: str) -> bool:
    """Whether `text` carries on the sentence of the line before it (a wrapped line of a PDF page):
    the line before ends mid-sentence, and this one starts in lower case, or the line before ends on a
    word no sentence ends with, or is a long line of prose and this one is no short heading
    ("... Locally the Robert" / "Wood Johnson model has been adopted ..."); table rows never join."""
    if not before or before.endswith((".", "!", "?", ":")) or " | " in before or " | " in text:
        return False
    if before.endswith(";"):   # "...: Quarter 1, 65.0%; Quarter 2, 65.2%;" / "Quarter 3, 64.6%. ...": a long
        # line of prose goes on past a semicolon (a list's items, each on its own line, start with a bullet)
        return len(before.split()) >= WRAPPED_LINE_WORDS and len(text.split()) > HEADING_WORDS
    if text[:1].islower():
        return True
    last = before.rsplit(None, 1)[-1].lower()
    long_prose = len(before.split()) >= WRAPPED_LINE_WORDS and before[-1:].isalpha() and \
        (len(text.split()) > HEADING_WORDS or text.endswith("."))
    return last in _OPEN_ENDINGS or before.endswith((",", "-", "–")) or long_prose


def coverage(question_terms: list[str], text: str) -> float:
    """Fraction of the question's distinct terms found in `text`."""
    qs = set(question_terms)
    if not qs:
        return 0.0
    found = set(terms(text))
    return len(qs & found) / len(qs)


#: A sentence that counts the very thing asked ("around 111,227 homes", "population is around
#: 256,800") scores this much more for a "how many" question than one that merely holds a figure.
COUNTED_BONUS = 0.2
_COUNT_NUMBER = re.compile(r"(?<![\w.£])(\d{1,3}(?:,\d{3})+|\d+)(?![\d,]*\s?%)(?!\.\d)\b")


def counts_term(text: str, wanted: set[str]) -> bool:
    """Whether a number in `text` counts one of the `wanted` terms: the term within three words after
    it ("111,227 homes"), or the term within three words before it ("population is around 256,800")."""
    for m in _COUNT_NUMBER.finditer(text):
        if re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
            continue  # a year counts nothing
        after = terms(" ".join(text[m.end():].split()[:3]))
        before = terms(" ".join(text[:m.start()].split()[-4:]))
        if wanted & (set(after) | set(before)):
            return True
    return False


#: A sentence naming the things a "what <things> has X done" question asks for scores this much more
#: ("This has seen the delivery of a number of bus interventions such as ..." over the heading's sentence).
THING_BONUS = 0.15
#: "What bus interventions has ...", "which projects will ...": the things asked, before the verb.
_THINGS_ASKED = re.compile(r"\b(?:what|which)\s+((?:[a-z][\w'-]*\s+){0,2}?[a-z][\w'-]*?s)\s+"
                           r"(?:has|have|had|is|are|was|were|does|do|did|will|would|can|could)\b")


#: "Who did the county work with on X": a sentence naming partners ("... delivered in partnership with the
#: Environment Agency, the Mersey Forest and the Landowner") scores this much more.
PARTNERS_BONUS = 0.2
#: ... and the partners of the best sentence are read from at most this many sentences after it.
PARTNERS_REACH = 3
_WITH_PARTNERS = re.compile(r"\b(?:partnership|partners?|working|worked|together|jointly|collaborat\w*)\s+with\b|"
                            r"\bpartners\b", re.IGNORECASE)


def asked_things(question: str) -> set[str]:
    """Stems of the things a "what/which <things> has ..." question asks for (a plural noun phrase)."""
    m = _THINGS_ASKED.search(question.lower())
    return set(terms(m.group(1))) if m else set()


#: "For how long", "how many years": a length of time asked, which a sentence gives as a number of years,
#: months, weeks or days ("the highest for nearly 9 years").
_ASKS_HOW_LONG = re.compile(r"\bhow long\b|\bhow many (?:years|months|weeks|days)\b")
_DURATIONISH = re.compile(r"\b(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+"
                          r"(?:years?|months?|weeks?|days?|decades?)\b|\b(?:over|more than|nearly|almost|about) a decade\b|"
                          r"\bdecades\b", re.IGNORECASE)
#: ... and such a sentence scores this much more.
DURATION_BONUS = 0.2


#: A sentence holding such a phrase word for word scores this much more than one holding its words
#: apart ("the 'Better Lives' transformation programme" over "Better support people to live at home"):
#: a tie-breaker (at 0.3 it outweighed the question's other words and chose a heading that only names the
#: phrase, "Super Six Pledges:", over the row that answers).
PHRASE_BONUS = 0.1


def named_phrases(question: str) -> list[tuple[str, bool]]:
    """The multi-word phrases `question` quotes, each with whether its case counts: one typed with capitals
    after its first word is a name only as capitalised ('Better Lives', not "bigger and better lives");
    one typed in lower case matches in any case. (Capitalised runs that are not quoted name most questions'
    subjects, "Whitemoor Centre", "Governance Working Party", whose words already count.)"""
    quoted = [(p, True) if any(w[:1].isupper() for w in p.split()[1:]) else (p.lower(), False)
              for p in (_fold_phrase(m.group(1)) for m in QUOTED.finditer(question))]
    return list(dict.fromkeys(p for p in quoted if len(p[0].split()) >= 2))


def holds_phrase(text: str, phrases: list[tuple[str, bool]]) -> bool:
    """True when `text` holds one of `phrases` word for word."""
    folded = _fold_phrase(text)
    return any(p in (folded if cased else folded.lower()) for p, cased in phrases)


def _fold_phrase(text: str) -> str:
    """Quotes dropped and runs of spaces as one: for matching a phrase word for word."""
    return re.sub(r"\s+", " ", re.sub(r"['‘’\"“”]", "", text)).strip()


def _bonus(intent: str, text: str, wanted: set[str] = frozenset()) -> float:
    if intent in ("how_much", "count") and wanted and counts_term(text, wanted):
        return 0.2 + COUNTED_BONUS
    if intent in ("how_much", "count", "target") and _NUMBERISH.search(text):
        return 0.2
    if intent == "when" and _DATEISH.search(text):
        return 0.2
    if intent == "who" and _DONE_BY.search(text):
        return 0.2   # "Produced by: Kent Analytics", "led by the Head of Service"
    return 0.0


#: A target with its figure: "Target 3,000 in 2017/18", "a target of 95%".
_TARGETISH = re.compile(r"\btargets?\b[^.|]{0,40}?\d|\d[^.|]{0,40}?\btarget", re.IGNORECASE)
#: A sum of money as written: "£690,000", "£2 million".
_MONEYISH = re.compile(r"£\s?\d")
#: Who did a thing, written after it: "Produced by: Kent Analytics", "led by the Head of Service".
_DONE_BY = re.compile(r"\b[A-Za-z]{3,}ed by:?\s+(?:the\s+)?[A-Z]")


#: A "when" answer without a date takes one from the next few sentences of its passage, at most this far.
DATE_REACH = 3
#: ...read from the lines after it when its passage ends there (a heading, then its paragraph).
DATE_LINES = 6

#: How many of the best sentences by words are re-scored by meaning (the embedding model's cosine
#: between the question and the sentence), and how much that cosine adds to a sentence's score.
RERANK_DEPTH = 12
RERANK_WEIGHT = 0.3


#: Where a question asks a second thing: "..., and what shortfall would ...", "who owns it, how likely,
#: and what's the consequence?", "why ...? what could offset it?".
_SECOND_ASK = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\?\s+)(?=(?:what|what's|how|when|who|whose|which|why|where|"
                         r"is|are|does|do)\b)", re.IGNORECASE)


def asked_parts(asked: str, wanted: set[str]) -> list[set[str]]:
    """The terms of `wanted` each part of a question that asks several things holds ([] for one ask)."""
    parts = [set(terms(p)) & wanted for p in _SECOND_ASK.split(asked or "")]
    parts = [p for p in parts if p]
    return parts if len(parts) > 1 else []


def _answer_each_part(chosen: list[Unit], units: list[Unit], parts: list[set[str]],
                      idf: dict[str, float]) -> list[Unit]:
    """`chosen` with, for each part of the question that no chosen sentence speaks to, the sentence of
    the same passage that holds most of that part's words (in passage order)."""
    out = list(chosen)
    if not parts:
        return out
    for part in parts:
        missing = part - set(terms(" ".join(c.text for c in out)))
        if not missing:
            continue
        scored = [(sum(idf.get(t, 0.0) for t in set(terms(u.text)) & missing), u) for u in units if u not in out]
        best = max(scored, key=lambda x: x[0], default=(0.0, None))
        if best[1] is not None and best[0] > 0:
            out.append(best[1])
    return sorted(out, key=lambda u: (u.hit_rank, u.position)) if len(out) > len(chosen) else out


#: A thing named by a kind and a small number ("Year 7", "Key Stage 2", "Phase 3", "Tranche 5"): one word, so
#: that "Year 7" is not "Year 9" (a one-digit number is no term of its own).
_NUMBERED_NAME = re.compile(r"\b(year|yr|key stage|ks|phase|tranche|stage|tier|level|lot|band|cohort|round)\s*(\d{1,2})\b",
                            re.IGNORECASE)
#: "How many applications were completed", "how many of the 19 vacancies have been filled": the verb of what
#: was done (`done`), and whether it is asked of a part of a whole the question gives (`of`).
DONE_ASKED = re.compile(r"\bhow many(?P<of> of)?\b[^?]*?\b(?:have|has|had|were|was|are|is)\s+(?:(?:been|now|actually|"
                        r"already|since|so far)\s+)*(?P<done>[a-z]{3,}ed)\b")


def numbered_names(text: str) -> list[str]:
    """The numbered names a text says, each as one word ("year7", "keystage2")."""
    kinds = {"yr": "year", "ks": "keystage"}
    return [f"{kinds.get(k, k).replace(' ', '')}{n}" for k, n in
            ((m.group(1).lower(), m.group(2)) for m in _NUMBERED_NAME.finditer(text or ""))]


def _words(text: str) -> set[str]:
    """A text's terms, with its numbered names as words of their own; a word said only as "non-X" is not
    said ("The number of non-UASC children" says nothing of UASC)."""
    said = set(terms(text))
    negated = set(terms(" ".join(re.findall(r"\bnon-([A-Za-z][\w]*)", text, flags=re.IGNORECASE))))
    plain = set(terms(re.sub(r"\bnon-[A-Za-z]\w*", " ", text, flags=re.IGNORECASE)))
    return (said - (negated - plain)) | set(numbered_names(text))


def extract(question: str, hits: list[Hit], lines_of: LinesOf, intent: str = "explain", wants_list: bool = False,
            similarity: Similarity | None = None, asked: str = "", money: bool = False) -> Extract | None:
    """The best sentences of the hits for `question`, with citations of their exact lines; `asked`, the
    question as typed, gets a sentence for each thing it asks; `money`: it asks a sum of money."""
    q = _words(f"{question} {' '.join(numbered_names(asked))}")
    if not q or not hits:
        return None
    per_hit = [units_of(h, r, lines_of) for r, h in enumerate(hits)]
    docs = [_words(" ".join(u.text for u in us)) for us in per_hit]
    idf = {t: math.log(1 + len(docs) / (1 + sum(t in d for d in docs))) + 0.1 for t in q}
    total = sum(idf.values()) or 1.0
    # "how many homes": the things counted are the question's words after "how many" (or "number")
    counted = set(terms(" ".join(re.findall(r"\b(?:how many|number(?: of)?)\s+((?:[\w'-]+\s*){1,3})",
                                            question.lower())))) - {"number"} or q
    # "how many applications were completed": a sentence that says the thing was done counts it
    done = DONE_ASKED.search((asked or question).lower()) if intent in ("count", "how_much") else None
    done_stem = set(terms(done.group("done"))) if done else set()
    things = asked_things(asked or question)   # "what bus interventions has X delivered": interventions
    with_whom = asks_who_with((asked or question).lower())
    how_long = _ASKS_HOW_LONG.search((asked or question).lower()) is not None
    phrases = named_phrases(asked or question)
    scored: list[tuple[float, Unit]] = []
    for us, hit in zip(per_hit, hits):
        context = f"{hit.citation.section} {_headings_above(hit, lines_of)}"
        section = set(terms(context)) & q  # words of the headings above count half
        for u in us:
            found = _words(u.text)
            matched = q & found
            if matched:
                score = (sum(idf[t] for t in matched) + 0.5 * sum(idf[t] for t in section - matched)) / total \
                    + 0.15 / (1 + u.hit_rank) + _bonus(intent, u.text, counted) - 0.002 * len(u.text.split()) \
                    + (COUNTED_BONUS if done_stem and done_stem <= found and _COUNT_NUMBER.search(u.text) else 0.0) \
                    + (THING_BONUS if things and things <= found else 0.0) \
                    + (PARTNERS_BONUS if with_whom and _WITH_PARTNERS.search(u.text) else 0.0) \
                    + (DURATION_BONUS if how_long and _DURATIONISH.search(u.text) else 0.0) \
                    + (PHRASE_BONUS if phrases and holds_phrase(u.text, phrases) else 0.0) \
                    - 0.003 * max(0, len(u.text.split()) - 40) - 0.01 * _first_match(u.text, matched)
                scored.append((score, u))
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    if similarity is not None:
        top = scored[:RERANK_DEPTH]
        cosines = similarity([u.text for _, u in top])
        scored = sorted(((s + RERANK_WEIGHT * c, u) for (s, u), c in zip(top, cosines)), key=lambda x: -x[0]) \
            + scored[RERANK_DEPTH:]
    best_score, best = scored[0]
    if intent == "who" and _ROLE.search(best.text):
        named = _name_line_near(best, lines_of)
        if named is not None:
            return Extract(_join([named, best]) if not best.is_heading else f"{named.text}, {best.text}.",
                           _citations([named, best], hits, lines_of), coverage(list(q), best.text), best_score, best.text,
                           f"{named.text} {best.text}")
    chosen = _expand(best, per_hit[best.hit_rank], wants_list, lines_of)
    described = _description_of(best, per_hit[best.hit_rank]) if intent == "explain" and len(chosen) == 1 else None
    if described is not None:   # "- **Derbyshire Record Office – £60,000**" then "Opening hours ... will be reviewed."
        chosen.append(described)
    if len(chosen) == 1 and len(best.text.split()) < 25:
        nxt = [u for u in per_hit[best.hit_rank] if u.line == best.line and u.position == best.position + 1]
        if nxt and not best.is_heading:
            chosen.append(nxt[0])
    if len(chosen) > 1 and chosen[-1].text.endswith(":"):
        # "... | We will: • Deliver 8 business engagement events • Engage at least 250 companies": what the
        # sentence a short one brought in introduces is its list, on the same line or the lines after it
        chosen += _introduced(chosen[-1], per_hit[chosen[-1].hit_rank], lines_of)
    if intent == "explain" and chosen[-1] is best and " | " in tidy(lines_of(best.file)[best.line - 1] if
                                                           0 < best.line <= len(lines_of(best.file)) else ""):
        # a table's last row whose last cell runs on as a list under it ("Robust senior management oversight
        # ... in place." then "- Robust contract and quality monitoring ...")
        chosen += _trailing_items(best, per_hit[best.hit_rank], lines_of)
    if intent == "how_much" and not any(_NUMBERISH.search(c.text) for c in chosen):
        # "how much does X save": the figure is often in the next cell or sentence of the same line
        figure = next((u for u in per_hit[best.hit_rank] if u.line == best.line and u.position > best.position
                       and _NUMBERISH.search(u.text)), None)
        if figure is not None:
            chosen.append(figure)
    if intent == "target" and not any(_TARGETISH.search(c.text) for c in chosen):
        # "and the city on the move target?": "... moved into 1 x 30 minutes of physical activity." then
        # "Target 3,000 in 2017/18." in the same cell: the sentence that sets the target
        aim = next((u for u in per_hit[best.hit_rank] if u.line == best.line and u.position > best.position
                    and _TARGETISH.search(u.text)), None)
        if aim is not None:
            chosen.append(aim)
    if money and not any(_MONEYISH.search(c.text) for c in chosen):
        # "what was the saving in money": "... saved 4.6million kWh. This equates to £690,000 ...": the next
        # sentence of the same line that gives the sum
        sum_of_money = next((u for u in per_hit[best.hit_rank] if u.line == best.line and u.position > best.position
                             and _MONEYISH.search(u.text)), None)
        if sum_of_money is not None:
            chosen.append(sum_of_money)
    if intent == "when" and not any(_DATEISH.search(c.text) for c in chosen):
        # "what date did county council approve LTP5": a heading line, then the paragraph giving its date
        hit = hits[best.hit_rank]
        after = Hit(score=0.0, text="", citation=replace(hit.citation, line_start=best.last_line + 1,
                                                          line_end=best.last_line + DATE_LINES))
        following = [u for u in per_hit[best.hit_rank] if u.position > best.position][:DATE_REACH] or \
            units_of(after, best.hit_rank, lines_of)[:DATE_REACH]
        dated = next((u for u in following if _DATEISH.search(u.text) and set(terms(u.text)) & q), None)
        if dated is not None:
            chosen.append(dated)
    if with_whom and not any(_WITH_PARTNERS.search(c.text) for c in chosen):
        # "who did the county work with on X": the sentence after it in its passage that names the partners
        partners = next((u for u in per_hit[best.hit_rank] if 0 < u.position - best.position <= PARTNERS_REACH
                         and _WITH_PARTNERS.search(u.text)), None)
        if partners is not None:
            chosen.append(partners)
    if len(chosen) <= 2:
        for score, u in scored[1:4]:
            # a strong sentence that says a word of the question the chosen ones do not (a year or figure
            # alone is no such word: "since Quarter 4, 2022/23" of another measure answers no "Q3 2022/23")
            new = set(terms(u.text)) & q - set(terms(" ".join(c.text for c in chosen)))
            if score >= 0.8 * best_score and all(u.text != c.text for c in chosen) and \
                    any(not t[:1].isdigit() for t in new):
                chosen.append(u)
                break
    parts = asked_parts(asked, q)
    chosen = _answer_each_part(chosen, per_hit[best.hit_rank], parts, idf)
    # the sentences that answer what the question asks: the best, and those of its passage that hold the
    # words of another thing asked
    others = set().union(*parts) - set(terms(best.text))
    answering = [best, *(u for u in chosen if u is not best and u.hit_rank == best.hit_rank
                         and others & set(terms(u.text)))]
    if intent == "explain" and not wants_list:
        siblings = [u for u in _siblings(best, per_hit[best.hit_rank], q) if u not in chosen]
        chosen = sorted([*chosen, *siblings], key=lambda u: (u.hit_rank, u.position)) if siblings else chosen
        chosen += _corroborating(scored, chosen, best_score)
    body = WHICH_BODY.search((asked or question).lower())
    if body and re.match(rf"(?:the|this) {body.group(1)}\b", best.text, re.I) and best in chosen:
        # "which division looks after the loan funds": "The division ... administers ..." is said of the
        # one the paragraphs above name ("Growth and Communities (GC) - responsible for ...")
        named = _body_named_above(best, body.group(1), hits[best.hit_rank], lines_of)
        if named is not None:
            chosen.insert(0, named)
    before = _antecedent(best, per_hit[best.hit_rank])
    if before is not None and before not in chosen:
        # "This has since been resolved ...": said of the sentence before it, which the answer needs
        chosen.insert(chosen.index(best) if best in chosen else 0, before)
    chosen = _without_repeats(chosen)
    text = _join(chosen)
    cites = _citations(chosen, hits, lines_of)
    return Extract(text, cites, coverage(list(q), best.text), best_score, best.text,
                   " ".join(u.text for u in answering))


#: A sentence that opens by pointing back at the one before it: "This has since been resolved", "It was ...".
_OPENS_POINTING_BACK = re.compile(r"^(?:This|These|That|Those|It|They)\s+(?:has|have|had|is|are|was|were|will|would|means?|"
                          r"meant|led|leads|resulted|caused)\b")


def _antecedent(best: Unit, units: list[Unit]) -> Unit | None:
    """The sentence right before `best` in its passage when `best` opens by pointing back at it; else None."""
    if not _OPENS_POINTING_BACK.match(best.text):
        return None
    before = next((u for u in units if u.position == best.position - 1), None)
    return before if before is not None and not before.is_heading and not before.is_item else None


#: "Which division / team / service ..." asks for a body a passage may call only "the division".
WHICH_BODY = re.compile(r"\bwhich (?:[\w&-]+ ){0,2}?(division|team|service|directorate|department|unit|section|board)\b")
#: A paragraph opening with a body's name, then a dash or colon and what it does.
_NAME_BEFORE_DASH = re.compile(r"^([A-Z][^.:;]{2,80}?)\s+[-–—:]\s+\S")
#: How far back the paragraph naming "the division" is looked for (lines).
NAMING_REACH = 30


def _body_named_above(best: Unit, noun: str, hit: Hit, lines_of: LinesOf) -> Unit | None:
    """The first sentence of the nearest paragraph above that does not itself open "The <noun>": the one
    naming the body the later paragraphs go on about; None past a heading or NAMING_REACH lines."""
    lines = lines_of(best.file)
    # (from its own line: a sentence within a paragraph may be a unit of the paragraph's first line,
    # "Highways and Transportation (HT) - responsible for ... The division also leads on ...")
    for i in range(best.line, max(0, best.line - NAMING_REACH), -1):
        text = lines[i - 1].strip() if i <= len(lines) else ""
        if not text or (i > 1 and lines[i - 2].strip()) or text[0].islower():
            continue   # not a paragraph's first line (one in lower case goes on from before a page break)
        if re.match(rf"(?:the|this) {noun}\b", text, re.I):
            continue
        if opens_as_heading(lines, i - 1):
            return None
        start = Hit(score=0.0, text="", citation=replace(hit.citation, line_start=i, line_end=i))
        found = units_of(start, best.hit_rank, lines_of)
        if not found:
            return None
        name = _NAME_BEFORE_DASH.match(found[0].text)   # "Growth and Communities (GC) - responsible for ..."
        return replace(found[0], text=f"{name.group(1)}:", line_end=i) if name else found[0]
    return None


def body_heading_above(lines: Sequence[str], line: int, noun: str) -> str | None:
    """The nearest heading above line `line` (1-based) that names a body of the kind asked ("Safer Road
    Users Team" over the list of what "the Team delivered"), within NAMING_REACH lines."""
    for i in range(line - 2, max(-1, line - 2 - NAMING_REACH), -1):
        text = lines[i].strip() if i < len(lines) else ""
        if text and re.search(rf"\b{noun}s?$", text, re.I) and opens_as_heading(lines, i):
            return text
    return None


#: A heading that is a body's name: written with its initials ("Kent Country Parks (KCP)"), or ending in
#: a word for a body ("Safer Road Users Team").
_BODY_HEADING = re.compile(r"^[A-Z][\w&,'’ -]{2,80}?(?:\s\([A-Z][A-Za-z&]{1,7}\)|\s(?:Team|Service|Services|Unit|"
                           r"Partnership|Board|Division|Directorate))$")
#: "Who's widening the bridge", "who delivered the scheme": someone doing a thing, not an office held.
DOER_ASKED = re.compile(r"^\s*(?:and\s+)?who(?:'s|s|’s| is| are| was| were| will be)?\s+(?!the\b|a\b|an\b|its?\b)"
                        r"[a-z]+(?:ing|ed)\b|^\s*(?:and\s+)?who\s+(?!is\b|are\b|was\b|were\b)[a-z]+s\b")


def named_body_above(lines: Sequence[str], line: int) -> str | None:
    """The nearest heading above line `line` (1-based), within NAMING_REACH lines, that is a body's name
    ("Kent Country Parks (KCP)" over its paragraph of work); None when the nearest heading is none."""
    for i in range(line - 1, max(-1, line - 1 - NAMING_REACH), -1):
        text = lines[i].strip() if 0 <= i < len(lines) else ""
        if text and opens_as_heading(lines, i):
            return text if _BODY_HEADING.match(text) else None
    return None


def opening_body(answer: str) -> str | None:
    """The body's name an extract opens with ("Highways and Transportation (HT): The division also leads
    ..."), as `_body_named_above` writes it, or None."""
    m = re.match(r"([^:\n]{3,80}):\s", answer)
    return m.group(1) if m and _BODY_HEADING.match(m.group(1)) else None


def _without_repeats(chosen: list[Unit]) -> list[Unit]:
    """The sentences less those another one already says: a passage read on past its chunk's end holds
    the start of the next chunk ("... recyclable loan funds such as No Use Empty (NUE) ..." then "funds
    such as No Use Empty (NUE) ...")."""
    kept: list[Unit] = []
    for k, u in enumerate(chosen):
        said = any(c is not u and (u.text in c.text and (len(c.text) > len(u.text) or j < k))
                   for j, c in enumerate(chosen))
        if not said:
            kept.append(u)
    return kept


#: A list item that only names a thing and its figure ("Derbyshire Record Office – £60,000"), whose next
#: line says what it is: at most this many words.
LABEL_ITEM_WORDS = 10


def _description_of(best: Unit, units: list[Unit]) -> Unit | None:
    """The sentence on the line after a short item that only labels something ("- **Arts – £208,000**"):
    what the item is, or how it will be done; None when the next line is another item or a heading."""
    if not best.is_item or len(best.text.split()) > LABEL_ITEM_WORDS:
        return None
    following = next((u for u in units if u.position > best.position), None)
    if following is None or following.line != best.last_line + 1 or following.is_item or following.is_heading:
        return None
    return following


def _corroborating(scored: list[tuple[float, Unit]], chosen: list[Unit], best_score: float,
                   most: int = 2, ratio: float = 0.75) -> list[Unit]:
    """For a broad 'what is being done about X' question, strong sentences from other passages too."""
    used = {u.hit_rank for u in chosen}
    texts = {u.text for u in chosen}
    extra: list[Unit] = []
    for score, u in scored[1:12]:
        if len(extra) >= most or score < ratio * best_score:
            break
        if u.hit_rank in used or u.text in texts or u.is_heading or len(u.text.split()) < 6:
            continue
        extra.append(u)
        used.add(u.hit_rank)
        texts.add(u.text)
    return extra


_ROLE = re.compile(r"\b(?:director|head of|chief|manager|leader|cabinet member|officer|executive|councillor|"
                   r"chair|mayor)\b", re.IGNORECASE)
_NAME_LINE = re.compile(r"^(?:(?:Cllr|Councillor|Dr|Mr|Mrs|Ms)\.? )?[A-Z][a-z]+(?:[- ][A-Z][a-z'’]+){1,3}$")


def _first_match(text: str, matched: set[str]) -> int:
    """Position of the first question word in a sentence (a sentence about X tends to start with X)."""
    for i, w in enumerate(terms(text)):
        if w in matched:
            return min(i, 10)
    return 10


def _headings_above(hit: Hit, lines_of: LinesOf, reach: int = 6) -> str:
    """Short heading-like lines just above a passage ('GROWTH' above a priority's budget paragraph)."""
    lines = lines_of(hit.citation.file)
    found = []
    for i in range(hit.citation.line_start - 1, max(hit.citation.line_start - 1 - reach, 0), -1):
        text = tidy(lines[i - 1]) if i - 1 < len(lines) else ""
        if text and len(text.split()) <= 5 and not text.endswith("."):
            found.append(text)
    return " ".join(found)


def _name_line_near(unit: Unit, lines_of: LinesOf) -> Unit | None:
    """A line holding only a person's name right above or below a role line ("Emma Alexander" /
    "Executive Director – ..."), as in signature blocks."""
    lines = lines_of(unit.file)
    for i in (unit.line - 1, unit.line + 1, unit.line - 2):
        if 1 <= i <= len(lines):
            text = tidy(lines[i - 1])
            if _NAME_LINE.match(text) and len(text.split()) <= 4:
                return Unit(text, unit.file, i, unit.hit_rank, False, False, unit.position)
    return None


#: The first paragraph under a heading is read up to about this many words.
PARAGRAPH_WORDS = 60


def _following_items(best: Unit, lines_of: LinesOf, limit: int = 10) -> list[Unit]:
    """What a heading introduces, read from the file (it may lie beyond the passage): its list items,
    or else its first paragraph. Sub-headings right under it are skipped."""
    lines = lines_of(best.file)
    items: list[Unit] = []
    intro: list[Unit] = []
    for i in range(best.line + 1, min(best.line + 25, len(lines)) + 1):
        raw = lines[i - 1]
        text = tidy(_ITEM.sub("", raw))
        if not text:
            continue
        if _ITEM.match(raw):
            items.append(Unit(text, best.file, i, best.hit_rank, True, False, best.position + len(items) + 1))
            if len(items) >= limit:
                break
            continue
        if items and (raw[:1].isspace() or text[:1].islower()):
            last = items[-1]  # a list item wrapped onto the next line
            items[-1] = Unit(f"{last.text} {text}", last.file, last.line, last.hit_rank, True, False, last.position)
            continue
        if items:
            break  # the list ended
        if len(text.split()) <= 4 and not text.endswith("."):
            continue  # a sub-heading
        if text.endswith(":") and not intro:
            intro.append(Unit(text.rstrip(":"), best.file, i, best.hit_rank, False, False, best.position + 1))
            continue  # "We want Derbyshire to have:" introduces the list that follows
        # the first paragraph, its lines joined (a PDF page wraps it), up to its first sentences
        last = i
        while last < len(lines) and lines[last].strip() and not _ITEM.match(lines[last]) and \
                _continues(text, tidy(lines[last])) and len(text.split()) < PARAGRAPH_WORDS:
            text = f"{text} {tidy(lines[last])}"
            last += 1
        return [Unit(text, best.file, i, best.hit_rank, False, False, best.position + 1, last)]
    return items or intro


#: A sentence ending with ':' brings at most this many of the items it introduces.
INTRODUCED_ITEMS = 10


def _introduced(intro: Unit, units: list[Unit], lines_of: LinesOf) -> list[Unit]:
    """The list a sentence ending with ':' introduces: the sentences after it on its own line (a table
    cell's bullets), or else the items on the lines after it."""
    same_line = [u for u in units if u.line == intro.line and u.position > intro.position][:INTRODUCED_ITEMS]
    items = same_line or [u for u in _following_items(intro, lines_of, INTRODUCED_ITEMS) if u.is_item]
    return [replace(u, is_item=True) for u in items]


#: A row's last line must end with this many of its last cell's characters for the items under it to be that
#: cell's (a cell wrapped over lines ends the row with its end, not its start).
CELL_END_CHARS = 40


def items_under_row(lines: Sequence[str], line_end: int, last_cell: str) -> list[str]:
    """The list items right under a table row's last line (1-based; one blank line between at most) when
    the row ends with `last_cell`: they carry on that cell ("Robust ... in place." then "- Robust contract
    ..."). [] otherwise."""
    if not last_cell or not 0 < line_end <= len(lines) or \
            not tidy(lines[line_end - 1]).rstrip(" |").endswith(tidy(last_cell)[-CELL_END_CHARS:]):
        return []
    return [text for _, text in _items_after(lines, line_end)]


def _items_after(lines: Sequence[str], line: int) -> list[tuple[int, str]]:
    """(line, text) of the list items right after line `line` (1-based), one blank line between at most,
    up to INTRODUCED_ITEMS."""
    i = line + 1
    if i <= len(lines) and not lines[i - 1].strip():
        i += 1
    items: list[tuple[int, str]] = []
    while i <= len(lines) and _ITEM.match(lines[i - 1]) and len(items) < INTRODUCED_ITEMS:
        items.append((i, tidy(_ITEM.sub("", lines[i - 1]))))
        i += 1
    return items


def _trailing_items(best: Unit, units: list[Unit], lines_of: LinesOf) -> list[Unit]:
    """The list items right under a table row (one blank line between at most) when the row is the table's
    last and `best` is its last cell: they carry on that cell. [] otherwise."""
    if any(u.line == best.line and u.position > best.position for u in units):
        return []
    return [Unit(text, best.file, i, best.hit_rank, True, False, best.position + n + 1)
            for n, (i, text) in enumerate(_items_after(lines_of(best.file), best.last_line))]


def _expand(best: Unit, units: list[Unit], wants_list: bool, lines_of: LinesOf) -> list[Unit]:
    """A heading or an item of a list brings the whole list (intro line first), up to 10 items."""
    idx = units.index(best)
    if best.is_heading or best.text.endswith(":"):
        same_line = _introduced(best, units, lines_of) if best.text.endswith(":") else []
        items = same_line or _following_items(best, lines_of)
        return [best, *items] if items else [best]
    if best.is_item and wants_list:
        def same_list(u: Unit) -> bool:   # run-on items of one cell of one line (groups restart per line)
            return u.is_item and u.group == best.group and (best.group < 0 or u.line == best.line)

        start = idx
        while start > 0 and same_list(units[start - 1]):
            start -= 1
        block = [u for u in units[start:] if same_list(u)][:10]
        intro = [units[start - 1]] if start > 0 else []
        return intro + block
    following = units[idx + 1] if idx + 1 < len(units) else None
    if wants_list and following is not None and following.group >= 0 and following.line == best.line:
        # "what are the must dos under X": a row's first cell names the run-on list in the next one
        return [best, *[u for u in units[idx + 1:] if u.group == following.group and u.line == best.line][:10]]
    return [best]


#: A run-on item chosen for a broad question brings at most this many other items of its row that
#: share a word with the question ("air quality": the two air-quality plans and the outcome).
SIBLING_ITEMS = 3


def _siblings(best: Unit, units: list[Unit], q: set[str]) -> list[Unit]:
    """The other items of `best`'s table row that share a question word, in the row's order."""
    if best.group < 0:
        return []
    return [u for u in units if u.line == best.line and u is not best and u.group >= 0
            and set(terms(u.text)) & q][:SIBLING_ITEMS]


def _join(units: list[Unit]) -> str:
    if len(units) > 1 and (units[0].is_heading or units[0].text.endswith(":")):
        head = units[0].text.rstrip(":")   # (a sentence of a paragraph that ends by introducing a list ends itself)
        return f"{head}{' ' if head.endswith(('.', '!', '?')) else ': '}" + "; ".join(u.text.rstrip(".;") for u in units[1:]) + "."
    if units and all(u.is_item for u in units[1:]) and len(units) > 2:
        return units[0].text.rstrip(":.") + ": " + "; ".join(u.text.rstrip(".;") for u in units[1:]) + "."
    text, listing = "", False
    for u in units:
        if u.is_item and (listing or text.endswith(":")):   # the items a sentence ending with ':' introduces
            text = f"{text}{' ' if text.endswith(':') else '; '}{u.text.rstrip('.;')}"
            listing = True
            continue
        if listing:
            text, listing = text + ".", False
        text = f"{text} {u.text if u.text.endswith(('.', '!', '?', ':')) else u.text + '.'}".strip()
    return text + "." if listing or text.endswith(":") else text


def _citations(units: list[Unit], hits: list[Hit], lines_of: LinesOf) -> tuple[Citation, ...]:
    """One citation per passage used, spanning the lines of the sentences taken from it."""
    out = []
    for rank in dict.fromkeys(u.hit_rank for u in units):
        mine = [u for u in units if u.hit_rank == rank]
        c = hits[rank].citation
        start, end = min(u.line for u in mine), max(u.last_line for u in mine)
        out.append(replace(c, line_start=start, line_end=end, quote=quote(lines_of(c.file), start, end)))
    return tuple(out)


# ----------------------------------------------------------------------------- announced lists

#: Words for the small numbers a sentence announces a list by ("in four key focus areas").
_COUNT_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
#: "four key focus areas", "5 priorities": a number and, within a few words, a plural noun.
_ANNOUNCED = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|[2-9]|10)\s+(?:[a-z-]+\s+){0,3}?[a-z-]+s\b",
                        re.IGNORECASE)
#: An item of an announced list is a short line: a heading or a bullet, not a sentence of prose.
ITEM_MAX_WORDS = 8
#: The items are looked for within this many lines after the sentence that announces them.
ITEM_LINES = 80


def announced_items(sentence: str, lines: tuple[str, ...], after: int, asked: str = "") -> list[tuple[int, str]]:
    """The items a sentence announces by number ("... in four key focus areas."), read as the next short
    lines (headings or bullets) of the document after line `after` (1-based); [] when there are not
    that many, or when the question names another number of things."""
    m = _ANNOUNCED.search(sentence)
    if not m:
        return []
    n = int(m.group(1)) if m.group(1).isdigit() else _COUNT_WORDS[m.group(1).lower()]
    said = [int(x) if x.isdigit() else _COUNT_WORDS[x] for x in re.findall(
        r"\b(two|three|four|five|six|seven|eight|nine|ten|[2-9]|10)\b", asked.lower())]
    if said and n not in said:
        return []
    items: list[tuple[int, str]] = []
    for i in range(after, min(len(lines), after + ITEM_LINES)):
        text = tidy(_ITEM.sub("", lines[i])).strip()
        if not text:
            continue
        words = text.split()
        if len(words) <= ITEM_MAX_WORDS and not text.endswith((".", ":", ";", ",")) and text[:1].isupper():
            items.append((i + 1, text))
            if len(items) == n:
                return items
    return []


#: A cell listing things under its own lead: "Family Hubs Workforce Development • Trauma Informed ... • MECC ...".
_BULLET = re.compile(r"\s+[•▪●◦]\s+")
#: The lead of a bulleted cell names what a question counts when it holds at least this share of its words.
BULLET_LEAD_SAID = 0.5


def bulleted_cell(line: str, asked: str) -> tuple[str, list[str]] | None:
    """(lead, items) of a cell of the line (cells split by tabs) that is a lead followed by two or more
    bulleted items, when the question says enough of the lead's words (BULLET_LEAD_SAID); else None."""
    said = set(terms(asked))
    for cell in line.split("\t"):
        lead, *items = _BULLET.split(cell.strip())
        lead_words = set(terms(lead))
        items = [tidy(i).strip(" ;,") for i in items if i.strip(" ;,")]
        if len(items) >= 2 and lead_words and len(lead_words & said) >= BULLET_LEAD_SAID * len(lead_words):
            return tidy(lead).strip(" :"), items
    return None


#: A list under a lead-in that ends with a colon ("Enablers:") has at most this many lines.
LEAD_IN_ITEMS = 12


def items_after_lead_in(sentence: str, lines: tuple[str, ...], after: int) -> list[tuple[int, str]]:
    """The lines a sentence ending with a colon leads into ("Enablers:" and the three lines under it):
    the next non-blank lines after line `after` (1-based), up to the first blank line after them; []
    when the sentence does not end with a colon or more than LEAD_IN_ITEMS lines follow unbroken."""
    if not sentence.rstrip(" .").endswith(":"):
        return []
    items: list[tuple[int, str]] = []
    for i in range(after, min(len(lines), after + LEAD_IN_ITEMS + 2)):
        text = tidy(_ITEM.sub("", lines[i])).strip()
        if not text:
            if items:
                return items
            continue
        items.append((i + 1, text))
        if len(items) > LEAD_IN_ITEMS:
            return []
    return items
