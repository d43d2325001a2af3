"""Matching and scoring helpers of the router: how well a row or passage matches a question.

Weighted word coverage (rare words weigh more), the words a question leaves for filtering, namesake
qualifiers ("- CCP"), whether a text names a person, and the balance of passages and rows.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from assistant.models import Hit
from assistant.router.queries import Conditions
from assistant.router.semantic import GENERIC_WORDS
from assistant.router.understand import Lexicon, Understanding, department_aliases, fold
from assistant.text import NUMBER_WORDS, same_family, stem, terms


#: A topic of at most this many words is short: the best sentence that names it in full answers it
#: (broad councillor questions: "what did the council promise on jobs"), and a follow-up that short
#: after a passage is about the passage's subject ("how many schemes?").
SHORT_TOPIC_TERMS = 2


#: A question word found in the text only as another word of its family ("permanent exclusions" for
#: "permanently excluded") counts this much of a word found as asked.
FAMILY_CREDIT = 0.75


def weighted_coverage(question_terms: list[str], text: str, lexicon: Lexicon) -> float:
    """Share of the question's terms found in `text`, each weighted by its rarity in the documents."""
    qs = set(question_terms)
    if not qs:
        return 0.0
    found = set(terms(text))
    weights = {t: lexicon.idf(t) for t in qs}
    return sum(w if t in found else FAMILY_CREDIT * w if any(same_family(t, f) for f in found) else 0.0
               for t, w in weights.items()) / sum(weights.values())


def content_terms(text: str) -> list[str]:
    """Question terms without the words that only name a table or column ("contract", "value")."""
    generic = {stem(w) for w in GENERIC_WORDS}
    found = terms(text)
    kept = [t for t in found if t not in generic]
    return kept or found


#: Words that name a reporting period ("in Quarter 3", "this month"), never a row's topic.
_PERIOD_WORDS = frozenset(stem(w) for w in "quarter quarters month months year years q1 q2 q3 q4".split())


#: Number words count or size things ("five priority areas", "three-year"); like digits, rows need not hold them.
_NUMBER_WORDS = frozenset(NUMBER_WORDS)


#: Words between "how many" and its verb that name no thing counted ("how many still have ...").
_COUNT_ADVERBS = frozenset("still now yet currently actually already really of them these those in total".split())


#: Words that say a question names a group of rows (a band of values, a table by its caption).
_GROUP_WORDS = frozenset({stem(w) for w in ("band", "bands", "tier", "table", "tables")})
#: "Flood-related", "school-based": words that say a row is about the word before them, never in it.
_ABOUT_WORDS = frozenset({stem(w) for w in ("related", "based", "linked", "focused")})


def residual_terms(u: Understanding, strict: bool = False, extra_skip: frozenset[str] = frozenset()
                   ) -> tuple[str, ...]:
    """Topic words of a count or list question that no filter used ("Public Health" in "How many Public
    Health procurements...?"): rows must contain them, so that the count is not of the whole table.

    By default only words that look like names (capitalised, quoted, after "about"/"on") count;
    `strict` keeps every remaining topic word (for aggregates, whose answer must cover the whole
    question), less the stems in `extra_skip`."""
    from assistant.router.semantic import ROW_NOUN_PATTERN, ROW_QUALIFIERS, SYNONYMS
    from assistant.text import ROUTER_STOPWORDS as STOPWORDS

    skip = {stem(w) for w in GENERIC_WORDS} | {stem(w) for nouns in SYNONYMS.values() for n in nouns for w in n.split()
                                          if w not in ROW_QUALIFIERS}
    skip |= {stem(w) for _, _, v in u.groups for w in re.findall(r"[a-z0-9]+", v.lower())}
    skip |= {t for _, _, v in u.groups for t in terms(v)}   # "£50k" of a band "above £50K less than ..."
    if u.groups:   # ... and the word "band" or "table" that says a group was named ("the 25-50k band")
        skip |= _GROUP_WORDS
    skip |= {stem(w) for p in u.people for w in p.name.lower().split()}
    skip |= {stem(w) for p in u.people for w in re.findall(r"[a-z]+", u.lower) if fuzz.ratio(w, p.name.split()[-1].lower()) >= 80}
    skip |= {stem(w) for w in STOPWORDS} | {"els", "other", "besid"} | _PERIOD_WORDS | _NUMBER_WORDS | _ABOUT_WORDS
    skip |= {stem(w) for d in u.documents for w in re.findall(r"[a-z]+", d.lower())}  # words naming a document
    quoted = " ".join(re.findall(r"['\"‘“]([^'\"’”]{3,})['\"’”]", u.text))
    named = " ".join(w for i, w in enumerate(re.findall(r"[A-Za-z][\w'-]*", u.text))
                     if i > 0 and w[:1].isupper() and not u.text.isupper())
    # ... and the words after "about", "mentioning", "are for" ("which ete procurements are for vehicle parts")
    about = " ".join(re.findall(r"\b(?:about|on|regarding|concerning|mention|mentions|mentioning|involving|relating to|related to|"
                                r"(?:are|is|were|was) for|covering|to do with)\s+"
                                r"((?:[\w'-]+\s*){1,3})", u.text, flags=re.IGNORECASE))
    # "which electricity contracts": the word right before a kind of row names the rows wanted
    modifiers = " ".join(re.findall(rf"\b([a-z][\w-]{{3,}})\s+(?:{ROW_NOUN_PATTERN})\b", u.lower))
    # ... and every word of the phrase the kind of row ends ("which public health above-ojeu contracts")
    modifiers += " " + " ".join(re.findall(rf"^(?:which|what|list|any)\s+((?:[a-z][\w&'-]*\s+){{1,3}}?)"
                                           rf"(?:{ROW_NOUN_PATTERN})\b", u.lower.strip()))
    # "how many flood alleviation schemes are in ...": the things counted, named before the verb
    # (not "how many still have ...": an adverb names nothing)
    # (its last word, when others qualify it, is the kind of thing counted, which the table names:
    # "how many flood-related jobs" are the flood contracts)
    counted = " ".join(w for phrase in re.findall(r"\bhow many\s+((?:[\w'-]+\s+){0,3}?[\w'-]+)\s+"
                                                  r"(?:are|is|were|was|does|do|did|have|has)\b", u.lower)
                       for words in [[w for w in phrase.split() if w not in _COUNT_ADVERBS]]
                       for w in (words[:-1] if len(words) > 1 and u.tables else words))
    wanted = set(terms(quoted + " " + named + " " + about + " " + modifiers + " " + counted))
    skip |= extra_skip
    return tuple(dict.fromkeys(t for t in terms(u.topic) if (strict or t in wanted) and t not in skip
                               and not t[:1].isdigit() and len(t) > 2))


#: The years of the last vocabulary asked about, kept with that vocabulary (not keyed by its id,
#: which another vocabulary may reuse once the first is gone).
_YEARS: list[tuple[frozenset[str], frozenset[str]]] = []


def years_of(lexicon: Lexicon) -> frozenset[str]:
    """The four-digit years the documents mention (cached per vocabulary)."""
    entry = _YEARS[0] if _YEARS else None
    if entry is None or entry[0] is not lexicon.vocabulary:
        entry = (lexicon.vocabulary, frozenset(w for w in lexicon.vocabulary if re.fullmatch(r"(19|20)\d\d", w)))
        _YEARS[:] = [entry]
    return entry[1]


def near_word(word: str, lexicon: Lexicon) -> bool:
    """True when `word` is a typo of a word of the documents (so not an unknown name)."""
    if not lexicon.vocabulary or len(word) < 5:
        return False
    match = process.extractOne(word.lower(), lexicon.vocabulary, scorer=fuzz.ratio, score_cutoff=85)
    return match is not None


def what_text(hit: Hit) -> str:
    """The row's own label from its index text ("Performance measure: X | ..." -> X)."""
    index = str(hit.metadata.get("index_text") or hit.text)
    first = re.split(r"\s\|\s|\n", index, maxsplit=1)[0]
    return first.split(": ", 1)[1] if ": " in first else first


def suffix_named(label: str, u: Understanding, scope: Conditions) -> bool:
    """True when the qualifier that ends a label ('- CCP', '– Council') is named by the question."""
    m = re.search(r"\s[-–]\s*([A-Za-z()&' ]{2,40})$", label)
    if not m:
        return False
    suffix = fold(m.group(1))
    words_ = set(re.findall(r"[\w&'()]+", fold(u.text)))   # "council-wide" says "council"
    if suffix.split() and set(suffix.split()[:1]) <= words_:
        return True
    return any(suffix == fold(a) for d in scope.departments for a in department_aliases(d))


def strip_suffix(text: str) -> str:
    """The item without a trailing '- CCP' / '– Council' qualifier, for finding namesakes."""
    return re.sub(r"\s*[-–]\s*[A-Za-z()&' ]{1,40}$", "", text).strip().lower()


#: "Total - Strategic Commissioning": the line that sums the lines of the division named after the dash.
_TOTAL_OF = re.compile(r"^\s*total\s*[-–:]\s*(.+?)\s*$", re.IGNORECASE)


def total_of(name: str) -> str:
    """The name a "Total - X" line totals (lower case), or "" for any other line."""
    m = _TOTAL_OF.match(name)
    return m.group(1).lower() if m else ""


def names_someone(text: str, lexicon: Lexicon, roles: bool = True) -> bool:
    """True when the text names a known person, or a 'Firstname Surname' pair seen in a name line, or
    (with `roles`) a post such as "Head of Economy"."""
    low = text.lower()
    if any(a.lower() in low for p in lexicon.people for a in p.aliases):
        return True
    for m in re.finditer(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b", text):
        first = m.group(1).lower()
        if first in {p.name.split()[0].lower() for p in lexicon.people} or first in _COMMON_FIRST_NAMES:
            return True
    if re.search(r"\b(?:Cllr|Councillor)\s+[A-Z]", text):
        return True
    if _BODY_SUBJECT.search(text) or _FUNDER.search(text):   # "EIAs represent KPAS at ...", "funded by the X
        return True                                            # project": a team, body or funder answers "who" too
    # a role answers "who" too: "Head of Economy", "CPH lead", "Director: ...", "Cabinet Member ..."
    return roles and bool(_ROLE.search(text))


def names_a_role(text: str) -> bool:
    """Whether the text names a post ("the Executive Director of Place"): its holder must be a person."""
    return bool(_ROLE.search(text))


#: A sentence whose subject is a team or body, doing something: initials ("EIAs represent ...", "TEP had
#: responsibility ...") or a capitalised name ending in a word for a body ("The Countryside Service manages ...").
_BODY_SUBJECT = re.compile(r"(?:^|[.!?:]\s+)(?:The\s+)?(?:[A-Z]{2,6}s?|(?:[A-Z][\w&'’-]*\s+){1,5}(?:Service|Team|Board|"
                           r"Partnership|Trust|Agency|Unit|Group|Forum|Panel|Network|Hub|Council)(?:\s+[Mm]embers)?)\s+"
                           r"(?:continue[sd]? to |continuing to )?"
                           r"(?:represents?|leads?|led|manages?|managed|runs?|ran|delivers?|delivered|ha[sd]|have|will|"
                           r"confirmed|agreed|approved|decided|produced|commissioned|"
                           r"provides?|provided|work|works?|worked|oversees?|oversaw|chairs?|chaired|is responsible|are "
                           r"responsible|was responsible|were responsible)\b")

#: A funder named: "funded by the Kent Downs ... project", "the National Highways funded ... project".
_FUNDER = re.compile(r"\bfunded by (?:the\s+)?[A-Z]|\b[A-Z][\w&]*\)?\s+(?:funded|funds)\b|"
                     # "Produced by: Kent Analytics", "presented to the Supporting Authorities": a body named as
                     # the one that did a thing, or the one it was put to
                     r"\b(?i:[a-z]{3,}ed by):?\s+(?:the\s+)?[A-Z][\w&'’-]+|"
                     r"\b(?:present(?:ed|ing)?|submit(?:ted|ting)?|report(?:ed|ing)?|sent|sending|refer(?:red|ring)?)\s+to\s+"
                     r"(?:the\s+)?[A-Z][\w&'’-]+|"
                     # "worked with Medway Council on ...": the body a thing was done with
                     r"\b(?:work(?:ed|ing|s)?|partnership|jointly)\s+with\s+(?:the\s+)?[A-Z][\w&'’-]+|"
                     # "officers from Legal, Education and Highways were involved": the bodies people came from
                     r"\b(?i:officers|staff|colleagues|representatives)\s+(?:from|of)\s+(?:the\s+)?[A-Z][\w&'’-]+")

#: Titles of posts that answer a "who" question when no person is named.
_ROLE = re.compile(r"\b(?:Head of [A-Z]\w+|(?:Corporate |Executive |Service )?Director\b|Cabinet Member\b|"
                   r"Portfolio Holder\b|Chief [A-Z]\w+|[A-Z]{2,5} lead\b|Lead (?:Member|Officer)\b|"
                   r"(?:[A-Z]\w+ )+(?:Manager|Lead|Officer)\b)")


#: A few very common English first names, to recognise a person named only in prose.
_COMMON_FIRST_NAMES = frozenset("""john james david michael mike paul mark peter andrew richard robert chris
christopher stephen steve simon ian alan tony tom thomas matthew jonathan nick nicholas martin gary kevin
sarah emma helen jane julie claire karen susan sue lisa rachel laura anna kate katherine elizabeth mary
alison angela jo joanne louise nicola amanda joe dean dave don iain isobel linda geoff""".split())


def balance(hits: list[Hit], prose: int = 6, rows: int = 3) -> list[Hit]:
    """At most `prose` passages and `rows` table rows, in their fused order (rows crowd out prose)."""
    kept, n_prose, n_rows = [], 0, 0
    for h in hits:
        if h.kind == "row" and n_rows < rows:
            kept.append(h)
            n_rows += 1
        elif h.kind != "row" and n_prose < prose:
            kept.append(h)
            n_prose += 1
    return kept
