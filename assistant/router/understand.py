"""Question understanding: intent and entities, deterministic and explainable.

`understand(question, lexicon)` returns an `Understanding`: the intent (who / when / how_much /
target / count / list / explain / unknown), the typed tables the question is about, and the
entities found: people (fuzzy, alias-aware, first name or surname alone, typos), departments
(names, abbreviations, phrasings), councils, documents and plan periods, dates and periods, money
amounts, and values of grouping columns ("in ICT"). The `Lexicon` is read from the database at
run time (`Lexicon.from_db`), so nothing here knows a particular document.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from functools import cached_property, lru_cache
from dataclasses import dataclass, field, replace
from datetime import date
from collections.abc import Iterable
from typing import Literal

from rapidfuzz import fuzz, process

from assistant.router.acronyms import expand_acronyms
from assistant.router.semantic import (CAPTION_GROUP, LIST_NOUN_PATTERN, PLACE_GROUPS, ROW_NOUN_PATTERN, SECTION_GROUP,
                                       SYNONYMS, semantics, tables_for)
from assistant.text import NUMBER_WORDS
from assistant.text import ROUTER_STOPWORDS as STOPWORDS
from assistant.text import fold, terms, words  # fold is re-exported: the router imports it from here
from assistant.text import stem as _stem

Intent = Literal["who", "when", "how_much", "target", "count", "list", "explain", "unknown"]

_TITLES = re.compile(r"^(cllr|councillor|mr|mrs|ms|miss|dr|prof|sir|dame)\.?\s+", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()} | {"sept": 9}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_MONTH_RE = "|".join(sorted(list(_MONTHS) + list(_MONTH_ABBR), key=len, reverse=True))


# ----------------------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class Person:
    """A canonical person and every spelling seen for them."""

    name: str
    aliases: tuple[str, ...] = ()
    title: str | None = None


@dataclass(frozen=True)
class Department:
    """A department or portfolio as stored in the database, with the names people use for it."""

    name: str
    council: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    title: str
    council: str
    period: str
    kind: str


@dataclass(frozen=True)
class Lexicon:
    """What the question can refer to, read from the database."""

    people: tuple[Person, ...] = ()
    departments: tuple[Department, ...] = ()
    councils: tuple[str, ...] = ()
    documents: tuple[DocumentInfo, ...] = ()
    groups: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)
    vocabulary: frozenset[str] = frozenset()      # every word of the documents, lower-cased
    stems: frozenset[str] = frozenset()           # their stems
    df: dict[str, int] = field(default_factory=dict, compare=False, hash=False)  # stem -> lines holding it
    n_units: int = 0                              # number of lines counted in df
    bigrams: frozenset[str] = frozenset()         # every pair of adjacent words, lower-cased
    common_words: frozenset[str] = frozenset()    # words the documents also write in lower case
    initials: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # acronym -> phrase (acronyms.py)
    # a row's own code ("12cii" of "12cii) 98% of infants ...", "crr0063") -> the typed tables it is a row of
    row_codes: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False)
    name_pairs: frozenset[str] = frozenset()      # pairs of words written only as a name ("local plan": "Local Plan")

    @classmethod
    def build(cls, people: list[tuple[str, list[str], str | None]], departments: list[tuple[str, str | None]],
              documents: list[DocumentInfo], groups: dict[tuple[str, str], tuple[str, ...]] | None = None,
              vocabulary: frozenset[str] = frozenset(), common_words: frozenset[str] = frozenset(),
              bigrams: frozenset[str] = frozenset(), df: dict[str, int] | None = None,
              n_units: int = 0, initials: dict[str, str] | None = None,
              row_codes: dict[str, tuple[str, ...]] | None = None, name_pairs: frozenset[str] = frozenset()) -> "Lexicon":
        """A lexicon from plain values; department aliases are generated from their names."""
        names = [d for d, _ in departments]
        return cls(
            people=tuple(Person(n, tuple(dict.fromkeys([n, *(a or [])])), t) for n, a, t in people),
            departments=tuple(Department(d, c, department_aliases(d, names)) for d, c in departments),
            councils=tuple(dict.fromkeys(doc.council for doc in documents if doc.council)),
            documents=tuple(documents), groups=dict(groups or {}), vocabulary=vocabulary,
            common_words=common_words, bigrams=bigrams, stems=frozenset(_stem(w) for w in vocabulary),
            df=dict(df or {}), n_units=n_units, initials=dict(initials or {}), row_codes=dict(row_codes or {}),
            name_pairs=name_pairs)

    @cached_property
    def scope_words(self) -> frozenset[str]:
        """Lower-case words of the names of the councils, departments (with their aliases), documents and
        people: words that place a question, not the thing it asks about (computed once)."""
        names = (*self.councils, *(a for d in self.departments for a in (d.name, *d.aliases)),
                 *(d.title for d in self.documents), *(a for p in self.people for a in p.aliases))
        return frozenset(w.lower() for name in names for w in re.findall(r"[A-Za-z][\w'-]*", name))

    def idf(self, stem: str) -> float:
        """Inverse line frequency of a stem (rare words weigh more; unseen words weigh most)."""
        import math

        if not self.n_units:
            return 1.0
        return math.log((self.n_units + 1) / (self.df.get(stem, 0) + 1)) + 0.5


# ----------------------------------------------------------------------------- values found

@dataclass(frozen=True)
class PersonMatch:
    name: str          # canonical
    matched: str       # the words of the question
    score: float
    partial: bool = False  # first name or surname alone


@dataclass(frozen=True)
class DateSpec:
    """A date or period named by the question; `relative` years are resolved against a plan."""

    text: str
    relation: Literal["by", "in", "after", "before"]
    start: date | None = None
    end: date | None = None
    precision: str = "day"        # day | month | season | financial_year | year
    relative: int | None = None   # "next year" = +1, "this year" = 0, "last year" = -1
    fy_label: str | None = None   # "2020-21" for financial years

    def resolve(self, reference_year: int) -> "DateSpec":
        """Turn a relative period into the financial year `reference_year + relative` (it stays marked
        relative: "last year" is read against a plan, so a passage need not name that year)."""
        if self.relative is None:
            return self
        y = reference_year + self.relative
        return DateSpec(self.text, self.relation, date(y, 4, 1), date(y + 1, 3, 31), "financial_year",
                        self.relative, fy_label(y))


def fy_label(first_year: int) -> str:
    """The label of the financial year that starts in `first_year`: 2018 -> "2018-19"."""
    return f"{first_year}-{(first_year + 1) % 100:02d}"


@dataclass(frozen=True)
class Amount:
    op: Literal[">", "<", ">=", "<=", "="]
    value: float
    text: str


@dataclass(frozen=True)
class Understanding:
    """Everything the router knows about one question."""

    question: str
    text: str                     # cleaned, original case
    lower: str
    intent: Intent
    when_kind: Literal["due", "start"] = "due"
    value_kind: str | None = None  # target | latest | actual | floor | previous | rag
    tables: tuple[str, ...] = ()
    people: tuple[PersonMatch, ...] = ()
    departments: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    dates: tuple[DateSpec, ...] = ()
    amounts: tuple[Amount, ...] = ()
    groups: tuple[tuple[str, str, str], ...] = ()   # (table, column, value)
    missing: str | None = None    # "target" for "which KPIs have no target"
    present: str | None = None    # "start" for "how many actions have a start date filled in"
    status: tuple[str, tuple[str, ...]] | None = None  # ("due", ("ongoing",)): a field written as a status word
    unknown_names: tuple[str, ...] = ()  # name-like words absent from the documents
    unknown_councils: tuple[str, ...] = ()  # councils named that the documents are not of
    unknown_terms: tuple[str, ...] = ()  # other topic words absent from the documents
    topic: str = ""               # the words left for finding the row or passage
    follow_up: bool = False
    counting: bool = False        # "how many <things>" where the things are no table: a figure, not money
    lead_text: str | None = None  # "led by the Early years lead": a lead named by a role, no person
    search: str = ""              # the question without the scope words that become filters
    typed: str = ""               # the ask as typed: preamble dropped, acronyms not yet spelled out
    set_aside: tuple[str, ...] = ()   # rows a ranking or total leaves out ("excluding non-delivery of savings")

    @property
    def group_terms(self) -> frozenset[str]:
        """Stems of the group values the question names ("Grants", "Net Budget"): a column or group, not
        a row of its own."""
        return frozenset(t for _, _, v in self.groups for t in terms(v))

    def with_subject(self, words: str, searched: bool = True, **changes) -> Understanding:  # noqa: ANN003
        """This question with `words` (a subject carried over from an earlier turn) added to what it
        asks and, if `searched`, to what it searches, with any other `changes`."""
        search = f"{self.search} {words}" if self.search and searched else self.search
        return replace(self, text=f"{self.text} {words}", search=search, **changes)

    @property
    def search_text(self) -> str:
        """What to search the passages with: the council and plan-period words are filters, and left in
        the query they pull every passage that names them ("Derby", "2016-19") to the top."""
        return self.search or self.text

    def explain(self) -> str:
        parts = [f"intent={self.intent}"]
        for label, value in (("tables", self.tables), ("people", [p.name for p in self.people]),
                             ("departments", self.departments), ("councils", self.councils),
                             ("documents", self.documents), ("dates", [d.text for d in self.dates]),
                             ("amounts", [a.text for a in self.amounts]),
                             ("groups", [g[2] for g in self.groups]), ("unknown", self.unknown_names)):
            if value:
                parts.append(f"{label}={', '.join(map(str, value))}")
        if self.topic:
            parts.append(f"topic={self.topic!r}")
        return "; ".join(parts)


# ----------------------------------------------------------------------------- text helpers

def clean(question: str) -> str:
    """Normalise unicode, drop emoji and control characters, collapse spaces."""
    text = unicodedata.normalize("NFKC", question or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    kept = [ch if (ch.isalnum() or ch in " £$%&'/.,:;?!()-+<>=\"") else " " for ch in text]
    text = re.sub(r"\s+", " ", "".join(kept)).strip()
    text = re.sub(r"\s*\b(?:coming up|upcoming|forthcoming)\b", "", text, flags=re.IGNORECASE)  # every planned row is to come
    return re.sub(r"\b(what|who|when|where|how)(?:'s|s)\b(?=\s)", lambda m: f"{m.group(1)} is", text, flags=re.IGNORECASE)


def has_phrase(folded: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `folded` text as whole words (both folded, see `fold`)."""
    return bool(phrase) and _phrase_pattern(phrase).search(folded) is not None


@lru_cache(maxsize=8192)  # re's own cache holds 512 patterns: a large corpus's names overflow it
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])")


# ----------------------------------------------------------------------------- departments

#: Leading words of a department's name that officers also write as an acronym ("ASC"): three or more.
MIN_LEADING_ACRONYM = 3


def department_aliases(name: str, all_names: list[str] | None = None) -> tuple[str, ...]:
    """Names people use for a department: the name, its acronym (CCP, ASCH / ASC&H), its leading words."""
    if re.fullmatch(r"[A-Z][A-Z&]{1,7}", name):
        return (name,)  # a department named by its acronym ("GET"): never the word "get"
    base = fold(name)
    content = [w for w in re.findall(r"[A-Za-z]+", name.replace("'s", "s")) if w.lower() not in ("and", "of", "the")]
    aliases = [base, fold(name.replace("'", "").replace("\u2019", ""))]
    if len(content) >= 2:
        aliases.append("".join(w[0] for w in content).upper())
        amp = [w[0].upper() for w in content]
        if " and " in f" {name.lower()} " or "&" in name:
            last = len(content) - 1
            aliases.append("".join(amp[:last]) + "&" + amp[last])
        for k in range(len(content) - 1, 1, -1):
            aliases.append(" ".join(content[:k]).lower())
            if k >= MIN_LEADING_ACRONYM:
                aliases.append("".join(w[0] for w in content[:k]).upper())  # "ASC" of Adult Social Care and Health
    # "Children, Young People and Education (Education and Skills)": the part in brackets names it too
    aliases += [form for part in re.findall(r"\(([^()]+)\)", name)
                if len([w for w in part.split() if w.lower() not in ("and", "&", "of", "the")]) >= 2
                for form in (fold(part), fold(part.replace("'", "").replace("\u2019", "")))]
    others = [fold(n) for n in (all_names or []) if n != name]
    # an alias another department's name holds tells them apart no longer, unless that name is the
    # alias itself: "GET" in one table and "Growth, Environment & Transport" in another are one department
    unique = [a for a in dict.fromkeys(aliases) if a == base or not any(
        has_phrase(o, a.lower()) and not (a.isupper() and o == a.lower()) for o in others)]
    return tuple(unique)


#: "and" between the words of a name, which people add or leave out.
_AND = re.compile(r"\s+and\s+")

#: Shortest acronym accepted in lower case ("ete", "ccp"); two letters ("cs") are too often words.
MIN_LOWERCASE_ACRONYM = 3

#: Contractions and greetings that start a preamble; never names ("I'm", "Hi", "Morning").
_NOT_NAMES = frozenset("""i'm im i've ive i'd i'll hi hello hey morning afternoon evening thanks thank cheers
sorry quick dear""".split())


def match_departments(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Departments named in the question, by name, acronym (as written, upper case) or phrasing; "and"
    may stand where the name has none ("Governance and Law" of "Governance, Law & Democracy")."""
    folded = fold(text)
    without_and = _AND.sub(" ", folded)
    found: list[str] = []
    for dep in lexicon.departments:
        for alias in dep.aliases:
            is_acronym = alias.upper() == alias and alias.replace("&", "").isalpha()
            # an acronym matches as written; typed in lower case ("ete", "asch") only when the documents
            # never use it as an ordinary lower-case word
            flags = re.IGNORECASE if is_acronym and alias.lower() not in lexicon.common_words \
                and len(alias) >= MIN_LOWERCASE_ACRONYM else 0
            hit = (re.search(rf"(?<![\w&]){re.escape(alias)}(?![\w&])", text, flags) is not None) if is_acronym \
                else has_phrase(folded, fold(alias)) or (" " in alias and has_phrase(without_and, _AND.sub(" ", fold(alias))))
            if hit and fold(alias) in _ROW_NOUNS and not _said_as_department(folded, fold(alias)) and \
                    not re.search(rf"(?<=[a-z,] ){re.escape(dep.name)}\b", text):   # capitalised as a name mid-sentence
                hit = False   # "when's the procurement going out": a kind of row, not the Procurement section
            if hit and dep.name not in found:
                found.append(dep.name)
                break
        if dep.name not in found and _possessive_named(folded, dep.name):
            found.append(dep.name)
    return tuple(found) + tuple(_joined_acronyms(text, lexicon, found))


def _joined_acronyms(text: str, lexicon: Lexicon, found: list[str]) -> list[str]:
    """Departments whose acronym is an ordinary word ("get") typed in lower case, named only where it is
    joined to a department named already: "cype + get capital", "ete and get"."""
    named = [a for d in lexicon.departments if d.name in found for a in d.aliases if a.upper() == a and a.isalpha()]
    if not named:
        return []
    others = "|".join(re.escape(a) for a in named)
    more = []
    for dep in lexicon.departments:
        if dep.name in found:
            continue
        for alias in dep.aliases:
            if not (alias.upper() == alias and alias.isalpha() and alias.lower() in lexicon.common_words):
                continue
            a = re.escape(alias)
            if re.search(rf"(?<![\w&])(?:{others})\s*(?:\+|&|\band\b|\bor\b|\bvs\.?|\bversus\b|,)\s*{a}(?![\w&])|"
                         rf"(?<![\w&]){a}\s*(?:\+|&|\band\b|\bor\b|\bvs\.?|\bversus\b|,)\s*(?:{others})(?![\w&])",
                         text, re.IGNORECASE):
                more.append(dep.name)
                break
    return more


#: Nouns of rows (procurement, budget, risk...): a department named by one of them alone is named only as one.
_ROW_NOUNS = frozenset(n for nouns in SYNONYMS.values() for n in nouns if " " not in n)


def _said_as_department(folded: str, name: str) -> bool:
    """Whether a department whose name is a noun of rows ("Procurement") is named as a department: "in
    Procurement", "the procurement team / directorate / section", "procurement's ..."."""
    word = re.escape(name)
    return bool(re.search(rf"\b(?:in|within|under|from|by)\s+{word}\b(?!\s+(?:of|for|to|plan|process|contract))|"
                          rf"\b{word}(?:'s|s')?\s+(?:team|directorate|department|division|section|service|function)\b",
                          folded))


#: What may follow a department's possessive first word alone for it to name the department: a table or a
#: part of its plan ("childrens table two", "children's section two"), a sum of money ("childrens £25k-£50k
#: procurements"), a dash, or a noun of rows.
_AFTER_POSSESSIVE = re.compile(r"\s*(?:[-–:£(]|\d|(?:table|section|appendix|part)\b|(?:" + ROW_NOUN_PATTERN + r")\b)")


def _possessive_named(folded: str, name: str) -> bool:
    """Whether the question names a department whose name starts with a possessive ("Children's
    Services") by that word alone, right before a table, a sum, a dash or a noun of rows."""
    first = name.split()[0].lower() if name.split() else ""
    if not re.fullmatch(r"[a-z]+(?:'|’)s", first):
        return False
    word = re.escape(first[:-2])   # "children" of "Children's" (the question, folded, may write "childrens")
    return any(_AFTER_POSSESSIVE.match(folded, m.end()) for m in re.finditer(rf"\b{word}s?\b", folded))


# ----------------------------------------------------------------------------- councils & documents

@lru_cache(maxsize=256)  # pure; asked for every council on every question
def council_aliases(name: str, all_names: tuple[str, ...]) -> tuple[str, ...]:
    base = fold(name)
    trimmed = re.sub(r"\s+council$", "", base)
    words_ = trimmed.split()
    aliases = [base, trimmed]
    if len(words_) >= 2:
        aliases.append(words_[0])
        aliases.append(f"{words_[-1]} council")
        aliases.append(f"the {words_[-1]}")
    others = [fold(n) for n in all_names if n != name]
    return tuple(a for a in dict.fromkeys(aliases) if a == base or not any(has_phrase(o, a) for o in others))


def match_councils(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The councils a question is about; one named only as a partner ("the joint waste project with
    Derby City Council") is not one of them."""
    folded = fold(text)
    out = []
    for c in lexicon.councils:
        aliases = council_aliases(c, lexicon.councils)
        own = folded
        for a in aliases:
            own = re.sub(rf"\b(?:with|alongside)\s+(?:the\s+)?{re.escape(fold(a))}\b", " ", own)
        if any(has_phrase(own, a) for a in aliases):
            out.append(c)
    return tuple(out)


@lru_cache(maxsize=256)  # pure; asked for every document on every question
def period_spellings(period: str) -> tuple[str, ...]:
    """Ways a document or a question writes a year or plan period, lower-case: '2020-21' ->
    '2020-21', '2020/21', '20/21', '20-21', '2020-2021', '2020/2021', '2020 to 2021'; '2021' -> '2021';
    'quarter 4' -> 'quarter 4', 'q4', 'q 4', 'qtr 4'."""
    quarter = re.fullmatch(r"(?:q|qtr|quarter)\s*([1-4])", period.strip().lower())
    if quarter:   # "quarter 4": how reports write a quarter
        n = quarter.group(1)
        return (f"quarter {n}", f"q{n}", f"q {n}", f"qtr {n}")
    m = re.match(r"(?:(19|20)?(\d\d))(?:\s*[-/–]\s*(?:(?:19|20)?(\d\d)))?$", period.strip())
    if not m:
        return (fold(period),)
    century = m.group(1) or "20"
    y1 = century + m.group(2)
    if not m.group(3):
        return (y1,)
    y2 = m.group(3)
    return (f"{y1}-{y2}", f"{y1}/{y2}", f"{y1[2:]}/{y2}", f"{y1[2:]}-{y2}", f"{y1}-{century}{y2}",
            f"{y1}/{century}{y2}", f"{y1} to {century}{y2}")


@lru_cache(maxsize=256)
def same_period(written: object, period: str | None) -> bool:
    """Whether a period as a document writes it ("2024/25", "Q3 2024-25") is the period asked ("2024-25")."""
    if not period or written is None:
        return False
    text = str(written).strip().lower()
    return text == period.lower() or text in period_spellings(period)


def value_of_period(value: dict, period: str | None) -> bool:
    """Whether a measure's value is of the period asked: the period of its column, or the one its cell
    states of itself ("37.3% (2016-17)" printed under 2017-18)."""
    return same_period(value.get("period"), period) or same_period(value.get("as_of"), period)


def _title_pairs(title: str, council: str) -> tuple[str, ...]:
    """Pairs of adjacent content words of a document title ("budget risks", "risks register"), less
    pairs made only of the council's name and words every council document uses ("derby city")."""
    generic = _GENERIC_TITLE_WORDS | set(fold(council).split())
    words = [w for w in fold(title).split() if w.isalpha() and w not in STOPWORDS]
    return tuple(f"{a} {b}" for a, b in zip(words, words[1:]) if not {a, b} <= generic)


def title_acronyms(title: str) -> tuple[str, ...]:
    """Initials of three or more adjacent title words, as officers shorten a document ("qpr" for the
    Quarterly Performance Report, "kss" for the Key Service Statement)."""
    words = [w for w in fold(title).split() if w.isalpha() and w not in STOPWORDS]
    return tuple(dict.fromkeys("".join(w[0] for w in words[i:j]) for i in range(len(words))
                               for j in range(i + MIN_ACRONYM_WORDS, len(words) + 1)))


#: A title acronym covers at least this many words (two letters are too often something else).
MIN_ACRONYM_WORDS = 3

#: Title words that name no document in particular.
_GENERIC_TITLE_WORDS = frozenset("council county city borough district plan plans appendix draft report".split())


def _kind_shared(doc: DocumentInfo, documents: tuple[DocumentInfo, ...]) -> bool:
    """Whether the document's kind is one word that another document's title or kind also holds."""
    kind = fold(doc.kind).split()
    return len(kind) == 1 and any(kind[0] in fold(f"{o.title} {o.kind}").split()
                                  for o in documents if o.doc_id != doc.doc_id)


def match_documents(text: str, lexicon: Lexicon, councils: tuple[str, ...]) -> tuple[str, ...]:
    """Documents named by kind ("service plan", "pledges") and/or plan period ("2021-25")."""
    folded = fold(text)
    scored: list[tuple[int, str]] = []
    taken = {fold(a) for d in lexicon.departments for a in (d.name, *d.aliases)}
    for doc in lexicon.documents:
        score = 0
        kind_words = [w for w in fold(doc.kind).split() if w not in STOPWORDS or w == "plan"]
        if doc.kind and has_phrase(folded, fold(doc.kind)) and not _another_named(text, doc.kind):
            # a one-word kind that another document's title or kind also holds ("budget": the Budget
            # Risks Register) names neither alone; "the concessionary travel budget" is not the KSS
            score += 1 if _kind_shared(doc, lexicon.documents) else 2
        elif any(has_phrase(folded, pair) for pair in _title_pairs(doc.title, doc.council or "")
                 + _title_pairs(doc.doc_id.replace("-", " ").replace("_", " "), doc.council or "")):
            score += 2   # two words of its title in a row: "the budget risks register", "capital investment"
        elif any(has_phrase(folded, a) for a in title_acronyms(doc.title)
                 if a not in taken and a not in lexicon.vocabulary):
            score += 2   # its initials: "the qpr" (not a word, nor a department's initials: "CCP")
        elif kind_words and any(has_phrase(folded, w) and not _another_named(text, w) for w in kind_words
                                if w not in ("plan", "council")):
            score += 1
        if any(has_phrase(folded, v) for v in period_spellings(doc.period)) or start_year_named(folded, doc):
            score += 3
        elif (score or _within_range(folded, doc.period, least=2)) and _within_range(folded, doc.period):
            # a year inside the range of a document named by kind or title (not a bare "by 2028"), or two
            # years inside it ("for 2025-26 and 2026-27 combined"): a programme over years is for them
            score += 3
        if score and councils and doc.council in councils:
            score += 1
        if score >= 2:
            scored.append((score, doc.doc_id))
    if not scored:
        return ()
    best = max(s for s, _ in scored)
    return tuple(d for s, d in scored if s == best)


def _another_named(text: str, kind: str) -> bool:
    """Whether every mention of a kind of document is the end of another thing's capitalised name
    ("the Freight Action Plan", "the Kent Rail Strategy"), not the kind itself ("the action plan")."""
    words = r"\s+".join(re.escape(w) for w in kind.split())
    mentions = list(re.finditer(rf"(?<![\w])(?:(?P<name>(?:[A-Z][\w'’&-]*\s+)+))?{words}(?![\w])", text, re.IGNORECASE))
    return bool(mentions) and all(m.group("name") and m.group(0)[len(m.group("name")):][:1].isupper()
                                  and m.group("name").split()[-1].lower() not in STOPWORDS for m in mentions)


#: The first year of a document's period ("2022" of "2022-25").
_PERIOD_START = re.compile(r"^((?:19|20)\d\d)\s*[-/–]\s*\d{2,4}$")
#: Words that may stand between that year and the word naming the document ("the 2022 Derby plan").
_WORDS_BETWEEN = 2


def start_year_named(folded: str, doc: DocumentInfo) -> str | None:
    """The year, when the question names a document by the first year of its period next to a word of
    its kind or title ("the 2022 plan", "the 2016 pledges", "plan for 2021"); else None."""
    m = _PERIOD_START.match(fold(doc.period or "").strip())
    if not m:
        return None
    year = m.group(1)
    names = {w for w in fold(f"{doc.kind} {doc.title}").split() if w.isalpha() and w not in STOPWORDS}
    names -= set(fold(doc.council or "").split())
    alternatives = "|".join(sorted(map(re.escape, names | {"plan", "plans"})))
    between = rf"(?:[a-z&']+\s+){{0,{_WORDS_BETWEEN}}}"
    if re.search(rf"\b{year}\s+{between}(?:{alternatives})\b|\b(?:{alternatives})\s+(?:for\s+|of\s+)?{year}\b"
                 rf"(?!\s*[-/–]\s*\d)", folded):
        return year
    return None


#: A document period that is a range of years: "2025-26 to 2034-35", "2024-2029".
_PERIOD_RANGE = re.compile(r"^((?:19|20)\d\d)(?:[-/]\d\d)?\s*(?:to|-|–)\s*((?:19|20)\d\d)(?:[-/]\d\d)?$")
#: A financial year or year the question names ("2028-29", "2026/27", "2030").
_YEAR_ASKED = re.compile(r"\b((?:19|20)\d\d)(?:\s*[-/]\s*\d{2,4})?\b")


def _within_range(folded: str, period: str, least: int = 1) -> bool:
    """The question names a year (`least` different years) inside a document's range of years ("2028-29"
    of a capital programme for "2025-26 to 2034-35"): the document is for that year too."""
    m = _PERIOD_RANGE.match(fold(period or "").strip())
    if not m:
        return False
    first, last = int(m.group(1)), int(m.group(2))
    years = [int(y) for y in _YEAR_ASKED.findall(folded)]
    years += [2000 + int(a) for a, b in _SHORT_YEAR.findall(folded) if int(b) == (int(a) + 1) % 100]
    return len({y for y in years if first <= y <= last}) >= least


# ----------------------------------------------------------------------------- people

def _strip_title(name: str) -> str:
    return _TITLES.sub("", name.strip())


def _name_tokens(text: str) -> list[tuple[str, int]]:
    """Word tokens of the original text with their positions (possessives dropped)."""
    return [(m.group(0).removesuffix("'s").removesuffix("'"), m.start())
            for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*", text)]


def match_people(text: str, lexicon: Lexicon, threshold: float = 85.0) -> tuple[PersonMatch, ...]:
    """People named in the question: full names (typos allowed), or a first name / surname alone.

    A lone word matches only when written with a capital (or the question has no case, or it is an
    exact name that the documents never write in lower case), is not a common word, and is not
    glued to another capitalised word that is not part of the name ("Long Eaton" is a place).
    """
    tokens = _name_tokens(text)
    has_case = text != text.lower() and text != text.upper()
    results: dict[str, PersonMatch] = {}
    used: set[int] = set()
    for person in lexicon.people:
        for alias in person.aliases:
            parts = _strip_title(alias).split()
            n = len(parts)
            if n < 2:
                continue
            for i in range(len(tokens) - n + 1):
                span = " ".join(t for t, _ in tokens[i:i + n])
                score = fuzz.ratio(span.lower(), " ".join(parts).lower())
                if score >= threshold and score > results.get(person.name, PersonMatch("", "", 0)).score:
                    results[person.name] = PersonMatch(person.name, span, score)
                    used.update(range(i, i + n))
    for i, (tok, _) in enumerate(tokens):
        if i in used or len(tok) < 3 or tok.lower() in STOPWORDS:
            continue
        lower_ok = tok.lower() not in lexicon.common_words and bool(lexicon.common_words)
        if (not tok[0].isupper() or i == 0) and not lower_ok and lexicon.common_words:
            # a word the documents use in lower case ("social", "health") names no one when typed so, nor
            # as a question's first word, whose capital says nothing ("Social care market ...")
            continue
        prev = tokens[i - 1][0] if i > 0 else ""
        prev_cap = prev[:1].isupper() and prev.lower() not in STOPWORDS and not _TITLES.match(prev + " ")
        prev_title = bool(prev) and bool(_TITLES.match(prev + " "))
        next_cap = i + 1 < len(tokens) and tokens[i + 1][0][:1].isupper() and tokens[i + 1][0].lower() not in STOPWORDS
        for person in lexicon.people:
            if person.name in results:
                continue
            parts = {p for a in person.aliases for p in _strip_title(a).split() if len(p) >= 3}
            if lower_ok is False and tok[0].isupper() and \
                    not any(fuzz.ratio(tok.lower(), _strip_title(a).split()[-1].lower()) >= 88 for a in person.aliases):
                # a word the documents use in lower case names no one by a name's first word alone ("the
                # 'Active' children" is not "Active Kent"); a surname still does ("Cllr Baker")
                parts = set()
            best = max((fuzz.ratio(tok.lower(), p.lower()) for p in parts), default=0)
            need = 100 if len(tok) < 5 or not tok[0].isupper() else 88
            # glued to a capitalised word: a place or a title ("Long Eaton", "Integrated Services"); a
            # sentence's first word is capitalised anyway, so only the next word glues it (not an acronym)
            glued = has_case and not prev_title and (
                (prev_cap or next_cap) if i > 0 else next_cap and not tokens[i + 1][0].isupper())
            if best >= need and not glued:
                results[person.name] = PersonMatch(person.name, tok, best, partial=True)
    full = [m for m in results.values() if not m.partial]
    partial = [m for m in results.values() if m.partial and not any(m.matched in f.matched for f in full)]
    return tuple(sorted(full, key=lambda m: -m.score) + sorted(partial, key=lambda m: -m.score))


# ----------------------------------------------------------------------------- dates and amounts

def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _relation(before: str) -> Literal["by", "in", "after", "before"]:
    tail = before.strip().lower().split()[-3:]
    joined = " ".join(tail)
    if re.search(r"\b(by|until|till|no later than|deadline|up to)$", joined):
        return "by"
    if re.search(r"\b(before)$", joined):
        return "before"
    if re.search(r"\b(after|from|since|beyond)$", joined):
        return "after"
    return "in"


def parse_dates(text: str) -> tuple[DateSpec, ...]:
    """Dates and periods: 'March 2021', 'summer 2018', '2020/21', '2020', '31/03/2021', 'next year'."""
    lower = text.lower()
    found: list[tuple[int, int, DateSpec]] = []

    def add(m: re.Match, spec: DateSpec) -> None:
        if not any(s <= m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), spec))

    for m in re.finditer(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", lower):
        try:
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            continue
        add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), d, d, "day"))
    for m in re.finditer(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b", lower):
        month = _MONTHS.get(m.group(2)) or _MONTH_ABBR[m.group(2)[:4] if m.group(2) == "sept" else m.group(2)[:3]]
        y = int(m.group(3))
        if m.group(1):
            try:
                d = date(y, month, int(m.group(1)))
            except ValueError:
                continue
            add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), d, d, "day"))
        else:
            add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), date(y, month, 1), _month_end(y, month), "month"))
    for m in re.finditer(r"\b(?:q|quarter\s*)([1-4])\s+(?:of\s+)?(\d{4}|\d{2}(?=\s*[/-]\s*\d{2}\b))"
                         r"(?:\s*[/-]\s*(\d{2}|\d{4}))?\b", lower):
        q, y = int(m.group(1)), int(m.group(2))
        y = y + 2000 if y < 100 else y   # "Q2 20/21": a financial year written short
        if m.group(3):   # a quarter of a financial year: Q1 is April to June, Q4 January to March
            first = date(y, 4, 1) if q < 4 else date(y + 1, 1, 1)
            first = date(first.year, first.month + 3 * (q - 1), 1) if q < 4 else first
        else:            # a quarter of a calendar year
            first = date(y, 3 * (q - 1) + 1, 1)
        last_month = first.month + 2
        add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), first, _month_end(first.year, last_month),
                        "quarter"))
    for m in re.finditer(r"\b(spring|summer|autumn|fall|winter)\s+(\d{4})\b", lower):
        a, b = _SEASONS[m.group(1)]
        y = int(m.group(2))
        end = _month_end(y + (b < a), b)
        add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), date(y, a, 1), end, "season"))
    for m in re.finditer(r"\b(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\b", lower):
        y1, y2 = int(m.group(1)), int(m.group(2)[-2:])
        if y2 == (y1 + 1) % 100:
            add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), date(y1, 4, 1), date(y1 + 1, 3, 31),
                            "financial_year", fy_label=f"{y1}-{y2:02d}"))
        else:
            found.append((m.start(), m.end(), DateSpec("", "in")))  # a plan period: consumed, not a date
    for m in _SHORT_YEAR.finditer(lower):
        y1, y2 = int(m.group(1)), int(m.group(2))   # "20/21", "25/26": a financial year written short
        if y2 == (y1 + 1) % 100:
            y = 2000 + y1
            add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), date(y, 4, 1), date(y + 1, 3, 31),
                            "financial_year", fy_label=f"{y}-{y2:02d}"))
    for m in re.finditer(r"\b(19[5-9]\d|20[0-9]\d)\b", lower):
        y = int(m.group(1))
        add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), date(y, 1, 1), date(y, 12, 31), "year"))
    for m in re.finditer(r"\b(next|this|last|previous|coming|current)\s+(financial\s+)?year\b", lower):
        rel = {"next": 1, "coming": 1, "this": 0, "current": 0, "last": -1, "previous": -1}[m.group(1)]
        add(m, DateSpec(m.group(0), _relation(lower[:m.start()]), relative=rel, precision="financial_year"))
    return tuple(spec for _, _, spec in sorted(found, key=lambda f: f[0]) if spec.text)


#: The comparison each word says, for sums of money here and bare figures in cell_conditions.
COMPARISON_OPS = {"over": ">", "above": ">", "more than": ">", "greater than": ">", "exceeding": ">", "exceeds": ">",
                  "exceed": ">", "exceeded": ">", "tops": ">",
                  "in excess of": ">", "at least": ">=", "under": "<", "below": "<", "less than": "<", "fewer than": "<",
                  "up to": "<=", "at most": "<=", ">=": ">=", "<=": "<=", ">": ">", "<": "<", "exactly": "=",
                  "precisely": "=", "equal to": "=",
                  # "valued at £150,000", "worth £30,000": that sum exactly (a sum with "over" after these reads as over)
                  "valued at": "=", "worth": "=", "costing": "=", "priced at": "="}
#: "over £5m", "exceeds £100m": a comparison word (COMPARISON_OPS), then a sum.
_AMOUNT_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(COMPARISON_OPS, key=len, reverse=True)) + r")\s*(£)?\s*"
    r"(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)?\b", re.IGNORECASE)
_SCALE = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}
#: "£2m or more", "£500k and under": the sum first, the comparison after it.
_AMOUNT_AFTER_RE = re.compile(
    r"£\s*(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)?\s+(or|and)\s+"
    r"(more|over|above|upwards|greater|higher|less|under|below|lower|fewer)\b", re.IGNORECASE)
AFTER_OPS = {"more": ">=", "over": ">=", "above": ">=", "upwards": ">=", "greater": ">=", "higher": ">=",
              "less": "<=", "under": "<=", "below": "<=", "lower": "<=", "fewer": "<="}


_RANGE_RE = re.compile(
    r"(?:\bbetween\s+)?£\s*(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)?\s*(?:-|–|to|and)\s*"
    r"£\s*(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)?\b", re.IGNORECASE)


def _money(number: str, scale: str | None) -> float:
    return float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)

#: A band written without "£" but with a scale on its high end: "25k-50k", "(25-50k)", "£1-2m".
_SCALED_RANGE_RE = re.compile(
    r"(?:\bbetween\s+)?(?<![\w/.])£?\s*(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)?\s*(?:-|–|to)\s*"
    r"£?\s*(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)\b", re.IGNORECASE)


def parse_amounts(text: str) -> tuple[Amount, ...]:
    """Money thresholds: 'over £5m', 'less than £100,000', 'at least 2 million', '£25k-£50k'."""
    m = _RANGE_RE.search(text) or _SCALED_RANGE_RE.search(text)
    out: list[Amount] = []
    if m:
        # "25-50k": a low end written without its scale takes the high end's
        low, high = _money(m.group(1), m.group(2) or m.group(4)), _money(m.group(3), m.group(4))
        out += [Amount(">=", min(low, high), m.group(0).strip()), Amount("<=", max(low, high), m.group(0).strip())]
        # "the 25k-50k band ... valued at exactly £25,000": a second amount beside the band
        text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    after = []
    for m in _AMOUNT_AFTER_RE.finditer(text):   # "£2m or more" (read first: "worth £2m or more" is no "worth £2m")
        after.append(Amount(AFTER_OPS[m.group(4).lower()], _money(m.group(1), m.group(2)),  # type: ignore[arg-type]
                            m.group(0).strip()))
        text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for m in _AMOUNT_RE.finditer(text):
        if not m.group(2) and not m.group(4):
            continue  # "over 5 years" is not money
        value = float(m.group(3).replace(",", "")) * _SCALE.get((m.group(4) or "").lower(), 1.0)
        out.append(Amount(COMPARISON_OPS[m.group(1).lower()], value, m.group(0).strip()))  # type: ignore[arg-type]
    return tuple(out + after)


# ----------------------------------------------------------------------------- intent

_COUNT = re.compile(rf"\bhow many\b|\bcount\b|\btotal number of\b|\bnumber of (?:{ROW_NOUN_PATTERN})\b")
#: Words that make "which X ... pledges" a question about X ("which cabinet member made pledges"), not a list.
_VERBS = r"(?:is|are|was|were|has|have|had|do|does|did|made|makes|make|leads?|led|owns?|gave|set|sets)"
_LIST = re.compile(rf"^(?:please\s+)?(?:list|show|name|enumerate|give me)\b|"
                   rf"(?:^(?:and\s+|so\s+)?|\s[-–:]\s*)(?:what|which) (?:are|were) (?:they|those|these|them)\s*\??$|\bbroken down\b|\bitem by item\b|\b(?:which|what) (?:are the |are |)\w*\s*"
                   rf"(?:{ROW_NOUN_PATTERN}|people|officers)\b|^(?:which|what)\s+(?:(?!{_VERBS}\b|[\w-]+['’]s\b)[\w'-]+\s+){{0,3}}"
                   rf"(?:{ROW_NOUN_PATTERN})\b|\ball\b.*\b(?:{LIST_NOUN_PATTERN})\b|"
                   # "anything starting 31/12/2021?", "any others due in March?": the rows of that date, listed
                   r"\b(?:anything|any others?|any more)\s+(?:else\s+)?(?:starting|due|finishing|ending|beginning|"
                   r"completing)\b")
_WHO = re.compile(r"\bwhich (?:\w+ ){0,2}(?:councillor|cllr|cabinet member|officer|director|person|manager)\b|"
                  r"\bwho\b|\bwhom\b|\bwhose\b|\bresponsible\b|\bleads?\b|\bled by\b|\bleading\b|"
                  r"\bowner\b(?![\s-]+(?:operated|occupied|occupiers?)\b)|\bowns\b|"
                  r"\bin charge\b|\bcabinet member\b|\bofficer\b|\baccountable\b")
_TARGET = re.compile(r"\btargets?\b|\baim(?:ing)? (?:for|to)\b|\bheld to\b")   # "what's it being held to for 20-21"
#: Words asking for a measure's value ("latest", "floor", "RAG", "%").
_MEASURE_VALUE = re.compile(r"\b(?:latest|floor|previous|rag|actual|outturn)\b|%|\bpercentage\b")
#: ... or its figures, asked after "starts": "apprenticeship starts - latest?" asks a figure (a count of
#: starts, not a start date).
_STARTS_VALUE = re.compile(_MEASURE_VALUE.pattern + r"|\b(?:actuals|figures?|so far)\b")
_WHEN = re.compile(r"\bwhen\b|\bdue\b|\bdeadline\b|\bcomplet(?:e|ed|ion)\b|\bstart(?:s|ed|ing)?\b|\bbegin\b|"
                   r"\bfinish(?:ed)?\b|\btime ?frame\b|(?<!within )(?<!in )\btime ?scales?\b|\bby when\b|\bwhat date\b|\bdeliver(?:ed)? by\b|\bcommence")
_HOW_MUCH = re.compile(r"\bproportion\b|\bnumbers\b|\bexposure\b|\bfloor\b|\bwhat percentage\b|\bhow much\b|\bbudget\b|\bcosts?\b|\bvalue of\b|\bvalued\b|\bworth\b|\bspend\b|"
                       r"\bamount\b|£|\bsavings?\b|\bfigures?\b|\blatest\b|\bactual\b|\bestimated value\b|\bpercentage\b|"
                       r"\brate\b|\bhow (?:high|low|big)\b|\bvalue\b|\brated\b|\brag\b")
_EXPLAIN = re.compile(r"^(?:what|why|how|describe|explain|tell me|summari[sz]e|outline|give an overview|"
                      r"is|are|does|do)\b")
_FOLLOW = re.compile(r"^(?:and|also|what about|how about|and what about)\b|\b(?:it|its|that one|this one|they|them|"
                     r"that department|that council|the same|he|she|his|her)\b|"
                     r"\b(?:which|any) other\b|"   # "which other lines ...": others than the one before
                     r"\bthe (?:new|old|existing|same) ones\b|"   # "the optimum life of the new ones": those just given
                     r"\b(?:does|did|is|was|will) that\b|"   # "how does that compare with 2018-19?": the one before
                     r"^(?:at|for) what\b[^?]*\beach\W*$")   # "at what cost each?": of the things just counted
#: "DACES - who owns it?": a subject, then an ask whose pronoun is that subject; no follow-up. (Not when the
#: subject itself points back: "the third one - what's it for?", "what about ETE - when is it due?".)
#: (A subject may be this long: "the three grants that are new in 25/26 (domestic abuse safe accommodation, ...)";
#: its "that" before a verb is a relative pronoun, not the previous subject.)
OWN_SUBJECT_CHARS = 160
_OWN_SUBJECT = re.compile(r"^(?!(?:and|also|so|what about|how about)\b)(?!(?:[^-–:?]|\b[-–]\b)*\b(?:one|ones|those|these|"
                          r"that(?!\s+(?:is|are|was|were|will|have|has)\b)|"
                          r"this|it|its|they|them|their|same|he|she|his|her)\b)(?:[^-–:?]|\b[-–]\b){2,"
                          rf"{OWN_SUBJECT_CHARS}}}\s[-–:]\s")
#: (A hyphen inside a word or a year, "above-ojeu", "2025-26", is part of the subject.)
_TABLE_WORDS = frozenset(w for nouns in SYNONYMS.values() for n in nouns for w in n.split())
#: What a counted thing has had done to it ("how many applications were completed"): words of its topic.
_COUNTED_STATE = re.compile(r"\b(?:completed|started|delivered|finished|issued|received|approved|closed)\b")
_INTENT_WORDS = frozenset("""lead leads led leading responsible owner owns due deadline complete completed
completion start started starting starts begin finish finished target targets when who whom timeframe timescale
much many count number list show name value valued worth cost costs amount figure figures latest actual
date dates expected planned end ends ending until till run runs finishing finishes deliver delivered
programme""".split())
#: Words that name an operation, a measure or a kind of row: never the topic of an aggregate.
OPERATION_WORDS = frozenset("""largest biggest expensive highest greatest maximum valuable costliest priciest top
smallest lowest cheapest least minimum earliest soonest latest last longest running total sum add adds added up
altogether combined together aggregate average mean most fewest number value values cost costs spend spent
worth much big large high low who whom which leads lead led responsible person officer department directorate
division service team portfolio forward plan planned listed list all every overall ever
first finish finishing due start starting complete completion end ending deadline date dates single one item
items line lines thing things area areas priority priorities receive receives received receiving get gets got
allocated allocate allocation allocations earmarked budgeted""".split())
#: Words that ask for the largest / smallest value of a measure.
#: (with a group value and no table noun, either names the value's table: "the biggest ... project")
#: ... but "the smallest procurement band" names a band of rows (a table's caption), not a row to rank.
_OF_BAND = r"(?!\s+(?:[\w-]+\s+)?(?:band|tier)s?\b)"
MAX_WORDS = re.compile(r"\b(?:largest|biggest|most expensive|highest|greatest|maximum|most valuable|costliest|"
                       r"priciest|top(?![- ]?ups?\b)|largest value|highest value|max|oldest)\b" + _OF_BAND)
#: ("oldest on average": the largest age; "Top-Up Grant", "a top up": a payment, no ranking)
MIN_WORDS = re.compile(r"\b(?:smallest|lowest|cheapest|least expensive|minimum|least valuable|min|youngest|newest)\b"
                       + _OF_BAND)
#: "The most negative recharges": the extreme below zero, the lowest figure (plan.operation_of, table_ops).
MOST_NEGATIVE = re.compile(r"\b(?:most|more|largest|biggest|greatest|highest) (?:negative|minus)\b")
#: "Which directorate has the most grant income": the largest total of something a table names, per group.
#: The groups a "which ... has the most" question ranks rows by (plan._GROUP_DEPT reads the same words).
GROUP_NOUNS = "department|directorate|division|service|portfolio|team|section|area"
_MOST_OF_GROUP = re.compile(rf"\bwhich (?:{GROUP_NOUNS})s?\b.*\b(?:most|least)\b")
#: Words the router reads in questions though the documents may never write them ("biggest").
#: Phrases that set rows aside ("apart from X"): SET_ASIDE reads them; their words are never typos.
SET_ASIDE_PHRASES = ("leaving out", "leave out", "excluding", "except for", "except", "other than", "apart from",
                     "not counting", "ignoring", "besides")
ROUTER_WORDS = _INTENT_WORDS | OPERATION_WORDS | _TABLE_WORDS | frozenset(
    w for p in SET_ASIDE_PHRASES for w in p.split())
_NEUTRAL_PHRASES = re.compile(r"\b(?:in|within)\s+(?:\w+\s+){0,2}time ?scales?\b|\bvalue for money\b|\bbudget savings?\b(?= (?:of|totalling) £)")


#: "Dropped from Green last quarter to Amber this quarter": the previous rating, then the current one.
RATING_CHANGE = re.compile(r"\bfrom\s+(red|amber|green)\b.{0,40}?\bto\s+(red|amber|green)\b")
#: "who" that describes people rather than asks ("the percentage of residents who trust the council").
_RELATIVE_WHO = re.compile(r"\b(?:people|persons|residents|pupils|children|adults|households|families|carers|staff|"
                           r"employees|users|customers|women|men|those|patients|learners|students|tenants|clients|parents|"
                           r"participants|respondents|visitors|attendees|claimants|recipients|applicants|individuals|"
                           r"victims|leavers|workers|volunteers|drivers)\s+who\b")
#: ... or after the measure it qualifies: "% of children in care who've had 3 or more social workers".
_MEASURED_WHO = re.compile(r"(?P<pre>(?:%|\b(?:percentage|proportion|share|number|rate|how many)\b)[^?]*?)"
                           r"\bwho(?:'ve|’ve|'d|’d|'re|’re)?\b")


#: A lead named by a role rather than a person: "led by the Early years lead", "does the DPH lead".
_LED_BY_ROLE = re.compile(r"\b(?:led|owned|run|managed) by (?:the |a |an )?(?P<a>[a-z][\w&/'’ -]{1,50}?)\s*(?:[?.!,]|$|"
                          # "the Lead for Family Hubs": "for" after a role's noun is part of its name
                          r"\b(?:in|(?<!lead )(?<!head )(?<!manager )(?<!officer )(?<!director )for|and|due|that|"
                          r"which|with)\b)|\bdoes (?:the |a |an )?(?P<b>[a-z][\w&/'’ -]{1,40}?) "
                          r"(?:lead|own|run)\b|"
                          # "how many ... is the Head of Economy leading"
                          r"\b(?:is|are) (?:the |a |an )?(?P<c>[a-z][\w&/'’ -]{1,40}?) (?:leading|owning|running)\b|"
                          # "actions with 'All Divisions' as lead"
                          r"\bwith (?:the |a |an )?['‘\"]?(?P<d>[a-z][\w&/ -]{1,40}?)['’\"]? as (?:the |its )?"
                          r"(?:lead|owner)\b")


#: Words that stand for a person or thing already named, never a role ("does she lead").
_NOT_A_ROLE = frozenset("whom who which what them it she he they her him his this that these those we you i "
                        "anyone anybody someone somebody one".split())


def lead_role(lower: str, people: tuple["PersonMatch", ...], names: frozenset[str] = frozenset()) -> str | None:
    """The role a question names as the lead ("early years lead", "dph"), when it names no person;
    `names`: the department and council names the question used ("does ETE lead" names a department)."""
    if people:
        return None
    m = _LED_BY_ROLE.search(lower)
    if not m:
        return None
    if m.group("c") and re.match(r"^\s*(?:and\s+)?who\b", lower):
        return None   # "who is the officer leading that procurement?": asks the lead, names none
    text = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").strip()
    if not text or text.split()[0] in _NOT_A_ROLE or fold(text) in names:
        return None
    return text


#: "Who is X working with?", "with whom ...", "who are its partners": the organisations a passage
#: names, not the officer who leads.
_WHO_WITH = re.compile(r"(?:^|[:–-]\s+)(?:and\s+)?who(?:'s| is| are| was| were| will| does| do| did)\b[^?]*\bwith\s*\??$|"
                       # "who is ASC working with to use TEC rooms" (not "who is leading the work with partners")
                       # (after a preamble too: "derby 22-25: who's the council working with on Ascend?")
                       r"(?:^|[:–-]\s+)(?:and\s+)?who(?:'s| is| are| was| were| will be)\s+(?!(?:responsible|leading|in charge|"
                       r"accountable)\b)(?:[\w&'’-]+\s+){1,4}?(?:working|partnering) with\b|"
                       # "who did the county work with on the new mills scheme?"
                       r"(?:^|[:–-]\s+)(?:and\s+)?who (?:did|does|do|will|would)\s+(?:[\w&'’-]+\s+){1,4}?"
                       r"(?:work|partner|collaborate|team up) with\b|"
                       r"\bwith whom\b|\bwho are (?:the |its |their )?partners\b")


def asks_who_with(lower: str) -> bool:
    """Whether a question asks whom something is done with ("who did the county work with on X")."""
    return bool(_WHO_WITH.search(lower))


#: "Where's the money meant to come from?", "where will the savings come from": a source asked, in words.
_COMES_FROM = re.compile(r"\bwhere(?:'s|s| is| are| does| do| will| did| would)?\b[^?]{0,40}\bcome from\b")


def detect_intent(lower: str, tables: tuple[str, ...]) -> Intent:
    """The first matching rule wins: count, list, who, target, when, how much, explain."""
    # (what a question sets aside asks nothing: "apart from paying the extra transport costs, what's ...")
    text = _MEASURED_WHO.sub(r"\g<pre> ", _RELATIVE_WHO.sub(" ", _NEUTRAL_PHRASES.sub(" ", SET_ASIDE.sub(" ", lower))))
    if _WHO_WITH.search(text):
        return "explain"   # "who is the council developing the model with?": partners, not a lead
    if _COMES_FROM.search(text):
        return "explain"   # "where's the money meant to come from?": how, not how much
    if _COUNT.search(text):
        return "count"
    if _LIST.search(text) and not SHARE_ASKED.search(text):   # ("what % of the outcomes ...": one figure)
        return "list"
    if re.match(r"^(?:and\s+)?(?:when|by when|what date)\b", text):
        return "when"
    if re.match(r"^(?:and\s+)?(?:for\s+)?how long\b", text):
        return "explain"   # "how long have councils been the lead agencies ...": a length of time, said in prose
    if _WHO.search(text):
        return "who"
    if _TARGET.search(text):
        return "target"
    said = {m.group(0) for m in _WHEN.finditer(text)}
    if said and said <= {"starts", "start"} and _STARTS_VALUE.search(text):
        return "how_much"   # "ccp new apprenticeship starts - latest?": a count of starts, not a start date
    if said:
        return "when"
    if _HOW_MUCH.search(text) or _VALUE_OF_IT.search(text):
        return "how_much"
    if _EXPLAIN.search(text) or len(words(text)) >= 3:
        return "explain"
    return "unknown"


#: "X - what was it last quarter?", "what is it now?": the measure's value at a time, not what it is.
_VALUE_OF_IT = re.compile(r"\bwhat(?:'s|’s| is| was| were| are)? (?:it|they) (?:now|currently|at the moment|"
                          r"last (?:quarter|period|month|year)|previously|before|(?:in|at) (?:the )?(?:last|previous) "
                          r"(?:quarter|period|month|year))\b")


_PLURAL_NOUN = re.compile(rf"\b(?:{LIST_NOUN_PATTERN})\b")
#: The grouping column whose values name a kind of row of their table ("outcome", "must do", "difference").
KIND_GROUP = "kind"


#: A financial or academic year written with its second year ("2019-20", "2018/19").
_YEAR_PERIOD = re.compile(r"\b(?:19|20)\d\d\s*[-/]\s*\d{2}\b")
#: A financial year written short: "18/19", "20-21", "25/26 - income?" (the second year follows the first;
#: "10-14 days", "16-17 yr olds" and "16-19-year-olds" are none).
_SHORT_YEAR = re.compile(r"\b(\d\d)\s*[-/]\s*(\d\d)\b(?!\s*(?:yrs?|years?|days?|weeks?|months?|hours?|%)|-)")


def names_year_period(lower: str) -> bool:
    """Whether the question names a financial year ("2018-19", "18/19")."""
    return bool(_YEAR_PERIOD.search(lower)) or any(int(b) == (int(a) + 1) % 100 for a, b in _SHORT_YEAR.findall(lower))
#: Words of a question about what the prose says rather than a value.
#: Words that ask for prose even of a table of measures ("why did the KPI fall in 2019-20?").
_PROSE_WHY = re.compile(r"\b(?:doing|why|describe|explain|how come)\b")


def _names_measures(tables: tuple[str, ...]) -> bool:
    """Whether the question names a kind of row that holds values by year (KPIs)."""
    return any(semantics()[t].values for t in tables if t in semantics())


_PROSE_ASK = re.compile(r"\b(?:doing|plans?|planned|planning|say|says|said|about|why|describe|explain|priorit\w*|"
                        r"ambitions?|aims?|vision|approach|achieve\w*|done|promis\w*|pledg\w*|risks?|actions?|"
                        r"outcomes?|deliver\w*|happen\w*)\b")


#: Fields only a measure has ("the previous quarter", "its floor", "the RAG").
_MEASURE_FIELD = re.compile(r"\b(?:previous|floor|outturn|rag)\b|\b(?:quarter|period|month) before\b")
#: ... with the value it asks for said ("previous quarter's %", "the floor figure"): a value, whatever the
#: measure's own words ("outcomes", "plans") would otherwise ask.
_FIELD_VALUE = re.compile(r"%|\b(?:figure|value|score|rate|percentage|number|level)\b")
#: "How did the number of calls change compared with the previous quarter": how, not a field.
_HOW_CHANGED = re.compile(r"\b(?:chang\w*|compar\w*|differ\w*|why)\b")
#: "... - change on last quarter?", "movement since the previous quarter": a measure's value set against
#: its previous one, asked as a figure (not "how did it change", which a passage explains).
_CHANGE_ON_LAST = re.compile(r"\b(?:change|movement|difference|shift)\s+(?:on|from|since|against|vs\.?|versus|"
                             r"compared (?:with|to))\s+(?:the\s+)?(?:last|previous|prior)\s+(?:quarter|period|month|"
                             r"year|qtr|q)\b")
#: "... - list them", "list the ...": the rows asked for, whatever else the question says of them.
_LIST_THEM = re.compile(r"\blist (?:them|these|those|all|every|each)\b|^\s*list\b|[-–:]\s*list\s*\??\s*$")
#: "What's starting 01/10/2020?", "what is due in March?": the rows of a date, not the date of a row.
_WHAT_ON_DATE = re.compile(r"\bwhat(?:'s|’s| is| are)?\s+(?:(?:due|set|planned|scheduled)\s+(?:to\s+)?)?"
                           r"(?:starting|starts?|due|finishing|finish(?:es)?|ending|ends?|beginning|begins?)\b")
#: Words that ask for a date outright.
_ASKS_WHEN = re.compile(r"\bwhen\b|\bdue\b|\bdeadline\b|\bwhat date\b|\bstart(?:s|ed|ing)?\b|\bbegin|\bfinish")


#: "how many flood schemes are in the procurement plan": the things counted are rows of the table
#: the question names after them, not the value of a "Number of ..." measure.
_IN_TABLE = re.compile(r"\b(?:are|is|were|was)\s+(?:there\s+)?(?:in|on|within|under|listed in|included in)\b")


#: "children's procurements - fresh meat, what's it worth?": the ask is of one row ("it"), which the
#: plural noun only places.
_ONE_ROW_ASKED = re.compile(r"\b(?:what(?:'s|’s| is| was| will)|how much is|when (?:does|is|will|did)|who (?:leads|owns))\s+it\b"
                            r"|\bis it (?:worth|due)\b")


#: "What % said they got the outcomes they wanted": a share asked, one figure, never a list of rows.
SHARE_ASKED = re.compile(r"\bwhat (?:%|(?:percentage|proportion|share|rate|per ?cent)\b)")
#: "Table two (50k to OJEU) - how many start 01/04/2020?": rows of a table counted by a date of theirs.
_HOW_MANY_DATED = re.compile(r"\bhow many (?:of (?:them|these|those) )?(?:start|begin|end|finish|expire|are due)\b")
#: "How many of the priority areas have a net budget over £20m": rows of a table counted by a sum they meet.
_HOW_MANY_OF = re.compile(r"\bhow many of (?:the |its |their |our )?")
#: "How's the saving going to be made?", "how will it be delivered?": the way a thing is done.
_HOW_DONE = re.compile(r"\bhow(?:'s|’s| is| are| will| would| do| does| did| was| were)\b[^?]*?\b(?:be |been |get |gets )?"
                       r"(?:made|achieved|delivered|found|done|met|saved|funded|paid for|reduced|cut)\b")
#: "What's in the 25-50k band?", "what is under Table Two?": the rows a filter holds.
_WHATS_IN = re.compile(r"^(?:so\s+|and\s+)?what(?:'s|’s| is| are| goes)\s+(?:in|on|under|within)\b")


#: A question that ends by asking one field by name: "... - what's the event?", "what is its consequence".
_ENDS_ASKING_FIELD = re.compile(r"\bwhat(?:'s|s|’s| is| was| are| were)? (?:the |its |their )?(?:risk |stated |given )?"
                                r"([a-z]+)\s*\??\s*$")


def _asks_text_field(lower: str, tables: tuple[str, ...]) -> bool:
    """Whether the question ends asking a descriptive text column of a table it names ("the ALL capital
    risk about project costs ... - what's the event?": the event, whatever money its subject mentions)."""
    m = _ENDS_ASKING_FIELD.search(lower)
    if not m:
        return False
    asked = _stem(m.group(1))
    return any(_stem(column) == asked for t in tables if t in semantics()
               for column in semantics()[t].texts if column not in (semantics()[t].what, semantics()[t].who))


def refine_intent(intent: Intent, lower: str, tables: tuple[str, ...], has_person: bool, has_filter: bool,
                  plural_values: tuple[str, ...] = ()) -> Intent:
    """Second look: a person given to a "who" question asks what they lead; plural nouns with filters list
    (a kind of row named in the plural too, `plural_values`: "what differences will people see for X");
    a measure's value asked of something "completed in timescales" is no "when"; a text field asked by
    name is no figure."""
    if intent == "how_much" and _asks_text_field(lower, tables) and not re.search(r"\bhow (?:much|many)\b", lower):
        return "explain"
    if intent == "how_much" and _HOW_DONE.search(lower) and not re.search(r"\bhow (?:much|many)\b", lower):
        return "explain"   # "how's the record office saving (£60k) going to be made?": the way, not the sum
    if intent == "when" and tables and has_filter and _WHAT_ON_DATE.search(lower):
        return "list"   # "ete 50k-ojeu band - what's starting 01/10/2020?": the rows that start then
    if intent == "when" and _MEASURE_VALUE.search(lower) and not _ASKS_WHEN.search(lower):
        return "how_much"   # "SARs completed in statutory timescales - latest % and floor?"
    if intent == "who" and has_person and not re.match(r"^(?:and\s+)?(?:who|whom)\b", lower):
        return "list"
    if intent == "who" and tables and _LIST_THEM.search(lower) and not re.match(r"^(?:and\s+)?(?:who|whom)\b", lower):
        return "list"   # "ETE actions with 'All Divisions' as lead - list them": the rows, not their lead
    if intent in ("how_much", "when", "explain", "unknown") and tables and has_filter and (
            _PLURAL_NOUN.search(lower) or any(re.search(rf"\b{re.escape(v)}s\b", lower) for v in plural_values)) \
            and not _ONE_ROW_ASKED.search(lower) and not SHARE_ASKED.search(lower):
        return "list"
    if intent in ("explain", "unknown") and has_person and tables:
        return "list"
    if intent in ("explain", "unknown") and SHARE_ASKED.search(lower):
        return "how_much"   # "what % said they got the outcomes they wanted": a measure's value
    if intent in ("explain", "unknown") and tables and has_filter and _WHATS_IN.search(lower):
        return "list"   # "what's in childrens services' smallest procurement band?": its rows
    if intent in ("explain", "unknown") and _CHANGE_ON_LAST.search(lower) and not re.search(r"\b(?:how|why)\b", lower):
        return "how_much"   # "LD young people in settled accommodation - change on last quarter?": two values
    if intent in ("explain", "unknown") and _MEASURE_FIELD.search(lower) and _FIELD_VALUE.search(lower) and \
            not _HOW_CHANGED.search(lower):
        return "how_much"   # "cases closed with outcomes that come back - previous quarter's %?": a value asked
    if intent in ("explain", "unknown") and (names_year_period(lower) or _MEASURE_FIELD.search(lower)
                                             and not _HOW_CHANGED.search(lower)) and not _PROSE_ASK.search(lower):
        # "ETE sickness absence 2019-20?", "care leavers in EET - what was it the previous quarter?": a
        # measure's value for a year, or one of its fields
        return "how_much"
    if intent in ("explain", "unknown") and names_year_period(lower) and _names_measures(tables) and \
            not _PROSE_WHY.search(lower):
        return "how_much"   # "asch kpi: share of carers who find advice about services, 2017-18?": a KPI's year
    if intent == "count" and re.search(rf"\b(?:{ROW_NOUN_PATTERN})\b.*\bhow many (?:of (?:them|these|those) )?"
                                       r"(?:still |now |yet |currently |actually )?"
                                       r"(?:have|has|are|is|were|was|do|does|did|will|start|begin|end|finish)\b", lower):
        return intent  # "CCP procurements - how many have no start date yet?": the rows named before
    m = re.search(r"\bhow many\s+(?:[\w'’&-]+\s+){0,2}?(\w+)", lower)
    if intent == "count" and m and not has_person and not _PLURAL_NOUN.search(lower[m.start():m.end() + 1]) \
            and not re.search(rf"\bhow many (?:\S+ ){{0,6}}(?:{ROW_NOUN_PATTERN})\b", lower) \
            and not (tables and _IN_TABLE.search(lower[m.end():])) \
            and not (tables and has_filter and _HOW_MANY_DATED.search(lower)) \
            and not (tables and _HOW_MANY_OF.search(lower) and parse_amounts(lower)):
        return "how_much"
    return intent


def _value_kind(lower: str) -> str | None:
    """Which value of a measure the question asks for: target, latest, actual, floor, previous, rag."""
    if re.search(r"\bfloor\b", lower):
        return "floor"
    if re.search(r"\bprevious(?:ly)?\b|\blast (?:quarter|period|time)\b|\b(?:quarter|period|month) before\b", lower):
        return "previous"
    if re.search(r"\b(?:rag|rating|rated)\b", lower):
        # "latest figure and RAG": a value as well as the rating, so every value (ratings with them)
        return None if re.search(r"\b(?:latest|figure|value|current|performance)\b", lower) else "rag"
    if _TARGET.search(lower):
        return "target"
    if re.search(r"\blatest\b|\bcurrent\b|\bmost recent\b|\bnow\b", lower):
        return "latest"
    if re.search(r"\bactual\b|\bwas\b|\bachieved\b", lower):
        return "actual"
    return None


#: Status words a date or target cell holds instead of a value, and the spellings each covers.
_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "ongoing": ("ongoing",),
    "tbc": ("tbc", "tba", "tbd", "to be confirmed", "to be agreed", "unknown"),
    "completed": ("completed", "complete"),
    "monitor": ("monitor",),   # a KPI's target cell "Monitor": no target is set, the figure is watched
}
_STATUS = re.compile(r"\b(ongoing)\b|\b(tbc|tba|tbd|to be (?:confirmed|agreed|decided)|not (?:yet )?(?:known|confirmed)|"
                     r"no (?:start |completion |end |due )?date yet)\b|\b(?:(?:already|been|are|is|was|were|"
                     r"marked(?: as)?)\s+)+(complete|completed)\b|"
                     # "'Monitor' as the 2020-21 target", "a target of monitor" (not "how do we monitor X")
                     r"['‘\"“](monitor)['’\"”]|\b(monitor)\b(?=\s+(?:as\s+)?(?:the\s+|a\s+|its\s+|their\s+)?"
                     r"(?:(?:20)?\d\d[-/]\d\d\s+)?targets?\b)|\btargets?\s+(?:of|is|as|set as)\s+(monitor)\b")


def status_of(lower: str) -> tuple[str, tuple[str, ...]] | None:
    """The status a question filters a date or target on ("'ongoing' as the completion date", "a TBC
    target", "no start date yet (TBC/TBA)", "already completed"): the field and the words it holds."""
    m = _STATUS.search(lower)
    if not m:
        return None
    key = "ongoing" if m.group(1) else "tbc" if m.group(2) else "completed" if m.group(3) else "monitor"
    role = "target" if re.search(r"\btargets?\b", lower) and key in ("tbc", "monitor") else \
        "start" if re.search(r"\b(?:start|begin|commence)", lower) else "due"
    quoted = next((q.group(1) for q in QUOTED.finditer(lower) if q.start(1) <= m.start() < q.end(1)), None)
    if quoted and len(quoted.split()) > 1:   # "which actions are 'Ongoing – reported annually'": the cell as quoted
        return role, (quoted.strip(),)
    return role, _STATUS_WORDS[key]


#: A phrase in quotes ("'Ongoing – reported annually'"), not an apostrophe inside a word ("children's").
#: A phrase in quotes ("which actions are 'Ongoing – reported annually'", "what is 'Better Lives'?").
QUOTED = re.compile(r"(?<![\w])['‘\"“]([^'‘’\"“”?]{3,80})['’\"”](?![\w])")


#: "Have a start date filled in", "has a target set": rows whose field is given (the field, then how it is given).
_PRESENT = re.compile(r"\b(?:have|has|having|with)\s+(?:a|an|any|their|its)\s+(start date|start|completion date|due date|"
                      r"end date|target|lead|owner|value)s?\s+(?:filled in|filled|given|set|entered|recorded|stated|"
                      r"specified|listed|in place|named)\b")


def _present(lower: str) -> str | None:
    """The field a question asks to be given ("who", "start", "due", "target", "value"), or None."""
    m = _PRESENT.search(lower)
    if not m:
        return None
    word = m.group(1)
    return {"start date": "start", "start": "start", "completion date": "due", "due date": "due", "end date": "due",
            "lead": "who", "owner": "who"}.get(word, word)


def _missing(lower: str) -> str | None:
    m = re.search(r"\b(?:no|without|missing|lack|lacking|not have an?)\s+(target|lead|leads|date|completion date|"
                  r"due date|value|responsible officer|owner)s?\b", lower)
    if not m:
        return None
    word = m.group(1)
    return {"leads": "who", "lead": "who", "owner": "who", "responsible officer": "who",
            "completion date": "due", "due date": "due", "date": "due"}.get(word, word)


def match_groups(original: str, lexicon: Lexicon, tables: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """Values of grouping columns (procurement category, priority...) named in the question."""
    folded = fold(original)
    out: list[tuple[str, str, str]] = []
    for (table, column), values in lexicon.groups.items():
        if tables and table not in tables:
            continue
        if column == CAPTION_GROUP:
            phrase = caption_named(folded, values) or caption_of_band(original, values)
            if phrase:
                out.append((table, column, phrase))
            continue
        if column == SECTION_GROUP:   # a heading names rows only of a table the question names
            phrase = caption_named(folded, values) if tables else None
            if phrase:
                out.append((table, column, phrase))
            continue
        found: list[tuple[str, re.Match[str]]] = []
        for value in sorted(values, key=len, reverse=True):
            v = fold(value)
            common = all(w in lexicon.common_words for w in value.lower().split())
            if value.isupper() and common and not re.search(rf"\b{re.escape(value)}\b", original):
                continue  # NEW / PROTECT are marks, not the words "new" or "protect"
            if v in _DETERMINERS and re.search(rf"\b{v}\s+(?!than\b)[a-z]", folded):
                continue  # "which other lines": a determiner, not the value "Other"
            # "Grants" said "grant"; "difference" said "differences" (not "outcomes", the noun of the table itself)
            one_word = " " not in v
            plural = v + "s" if one_word and v[-1:].isalpha() and not v.endswith("s") else ""
            for form in (v, v[:-1] if v.endswith("s") and one_word else "",
                         plural if plural not in SYNONYMS.get(table, ()) else ""):
                m = _phrase_pattern(form).search(folded) if len(form) >= 3 and form not in STOPWORDS else None
                if m:
                    found.append((value, m))
                    break
        if found:
            # the longest value said; but "grant income" names the Grants column: a value said right before
            # another one qualifies it, and is the one meant
            value, m = found[0]
            value = next((w for w, n in found if n.end() + 1 == m.start() and folded[n.end()] == " "), value)
            out.append((table, column, value))
        else:
            implied = frozenset(t for noun in SYNONYMS.get(table, ()) if " " not in noun for t in terms(noun))
            value = _value_in_any_order(folded, values, implied) or value_of_amounts(original, values)
            if value is not None:
                out.append((table, column, value))
    return tuple(out)


def value_of_amounts(original: str, values: tuple[str, ...]) -> str | None:
    """The one group value that states the question's amounts, comparison included ("under £10m" of
    "Other Risks (under £10m - individual amounts not included)", not of "Significant Risks (over £10m)")."""
    asked = {(a.op, a.value) for a in parse_amounts(original)}
    if not asked:
        return None
    same = [v for v in values if {(a.op, a.value) for a in parse_amounts(v)} == asked]
    return same[0] if len(same) == 1 else None


#: Group values that are also determiners before a noun ("Other" of "which other lines").
_DETERMINERS = frozenset({"other", "others", "all", "any", "some", "each", "every", "none"})
#: Words that say how often a figure is given, not which figure ("annual net revenue budget").
_PERIOD_STEMS = frozenset(terms("annual annually yearly year years"))
#: A group value of at most this many words is also named by its words in any order ("the ASC
#: budget (net)" names "Net Budget"); longer values must be written as they are.
MAX_UNORDERED_VALUE_WORDS = 4


def _value_in_any_order(folded: str, values: tuple[str, ...], implied: frozenset[str] = frozenset()) -> str | None:
    """The value with the most words (two to `MAX_UNORDERED_VALUE_WORDS`) whose words are all in
    the question, in any order and form, if exactly one such value has that many."""
    asked = set(terms(folded))
    # the table's own noun ("budget") or a period word ("annual") need not be said: "the total annual
    # net revenue" names "annual net revenue budget"
    shared = implied | _PERIOD_STEMS
    found: list[tuple[int, frozenset[str], str]] = []
    for value in values:
        words = [w for w in terms(value) if not w[:1].isdigit()]
        told = frozenset(words) - shared
        if 2 <= len(words) <= MAX_UNORDERED_VALUE_WORDS and len(set(words)) == len(words) and \
                (set(words) <= asked or (len(told) >= 2 and told <= asked)):
            found.append((len(set(words) & asked), told, value))
    if not found:
        return None
    most = max(n for n, _, _ in found)
    best = [(told, v) for n, told, v in found if n == most]
    # values told apart by the same words ("annual net revenue budget", "net revenue budget"): the longest
    return max(best, key=lambda b: (len(b[1]), b[1]))[1] if len({told for told, _ in best}) == 1 else None


#: Words of a caption phrase that do not tell tables apart by themselves: comparisons and amounts.
_CAPTION_FILLER = frozenset("above below over under less more than greater fewer between up to from and or the a an "
                            "of for in".split())
#: A caption phrase is named by a run of at least this many of its words, in order.
MIN_CAPTION_RUN = 2


#: Comparison words a caption and a question may write differently ("below" / "less than").
#: "The 50k-to-OJEU band" is "above £50K less than OJEU threshold": a band's upper bound after "to".
_CAPTION_SAME = {"below": "less", "under": "less", "over": "above", "more": "above", "exceeding": "above",
                 "to": "less"}


def _caption_words(text: str) -> list[str]:
    """A caption's or question's words for matching runs: comparisons written one way, "£50k" as "50k"."""
    text = re.sub(r"(\d[\d.,]*[km]?)-(?=[a-z])", r"\1 to ", text)   # "the 50k-ojeu band": 50k to OJEU
    return [_singular(_CAPTION_SAME.get(w, w)).lstrip("£") for w in re.split(r"[\s-]+", text)
            if w and w not in ("the", "a", "an", "than")]


def _singular(word: str) -> str:
    """A plural written as its singular ("priorities" / "priority"), so a question and a caption that
    write the same noun in two numbers share a run of words."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=64)
def _caption_runs(phrases: tuple[str, ...]) -> dict[str, frozenset[tuple[str, ...]]]:
    """Each caption phrase's runs of words (computed once per set of phrases, not per question)."""
    out: dict[str, frozenset[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = _caption_words(fold(phrase))
        out[phrase] = frozenset(tuple(words[i:j]) for i in range(len(words))
                                for j in range(i + MIN_CAPTION_RUN, len(words) + 1))
    return out


#: A caption phrase of more content words than this (a whole title rather than a qualifier such as
#: "above OJEU threshold") is named only by a run holding more than half of them.
SHORT_CAPTION_WORDS = 3


#: Words that number a caption rather than say what its table holds ("Section One", "Part 2").
_CAPTION_LABEL_WORDS = frozenset("section part table appendix annex schedule one two three four five six seven eight "
                                 "nine ten".split())


def _content_words(phrase: str) -> set[str]:
    return {w for w in _caption_words(fold(phrase)) if w not in _CAPTION_FILLER and w not in _CAPTION_LABEL_WORDS
            and not re.fullmatch(r"[£\d.,%/–-]+[km]?", w)}


def caption_named(folded: str, phrases: tuple[str, ...]) -> str | None:
    """The caption phrase the question names by a run of its words that no other phrase has ("above
    the OJEU threshold" names "above OJEU threshold", not "above £50K less than OJEU threshold").
    The run must hold a word that is no amount or comparison, so "above £50K" stays an amount filter."""
    question = _caption_words(folded)
    best: tuple[int, str] | None = None
    runs_of = _caption_runs(phrases)
    asked = {tuple(question[i:j]) for i in range(len(question))
             for j in range(i + MIN_CAPTION_RUN, min(len(question), i + 12) + 1)}
    for phrase, runs in runs_of.items():
        for run in runs & asked:
            if not any(w not in _CAPTION_FILLER and not re.fullmatch(r"£?[\d.,]+[km]?", w) for w in run):
                continue
            if any(run in other for p, other in runs_of.items() if p != phrase):
                continue  # a run two captions share tells them not apart
            content = _content_words(phrase)
            if len(content) > SHORT_CAPTION_WORDS and 2 * len(content & set(run)) <= len(content):
                continue  # "care and" is no name for "Be a good corporate parent to children in care and care leavers"
            if best is None or len(run) > best[0]:
                best = (len(run), phrase)
    return best[1] if best else None


#: "Between £50k and the OJEU threshold": a band from a sum to a bound the documents name in words.
_BETWEEN_SUM_AND_NAMED = re.compile(r"\bbetween\s+£\s*(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million|k|thousand)?\s+and\s+"
                                    r"(?:the\s+)?([a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2})", re.IGNORECASE)


def caption_of_band(original: str, phrases: tuple[str, ...]) -> str | None:
    """The one caption phrase whose amounts are the question's amounts ("£25k-£50k" and "above £25K
    less than £50K"), or whose one amount and named bound the question gives ("between £50k and the OJEU
    threshold"): a band the document draws its tables by."""
    for m in _BETWEEN_SUM_AND_NAMED.finditer(original):
        low, bound = _money(m.group(1), m.group(2)), fold(m.group(3)).split()
        same = [p for p in phrases if {a.value for a in parse_amounts(p)} == {low} and bound[0] in fold(p).split()]
        if len(same) == 1:
            return same[0]
    by_text: dict[str, set[float]] = {}
    for a in parse_amounts(original):   # a band's two ends share their text ("25k-50k")
        by_text.setdefault(a.text, set()).add(a.value)
    for asked in sorted(by_text.values(), key=len, reverse=True):
        same = [p for p in phrases if {a.value for a in parse_amounts(p)} == asked]
        if len(same) == 1:
            return same[0]
    return None


def _unknown_people(tokens: list[tuple[str, int]], lexicon: Lexicon, matched: set[str]) -> list[str]:
    """'Emma Hobbs': a capitalised pair that looks like a person (one word is a known first name or
    surname) but is no known person and never written in the documents."""
    firsts = {_strip_title(a).split()[0].lower() for p in lexicon.people for a in p.aliases if _strip_title(a).split()}
    lasts = {_strip_title(a).split()[-1].lower() for p in lexicon.people for a in p.aliases if _strip_title(a).split()}
    out = []
    for (a, _), (b, _) in zip(tokens, tokens[1:]):
        if not (a[:1].isupper() and b[:1].isupper()) or a.lower() in matched or b.lower() in matched:
            continue
        if a.lower() in STOPWORDS or b.lower() in STOPWORDS or a.isupper() or b.isupper():
            continue
        if (a.lower() in firsts or b.lower() in lasts) and f"{a.lower()} {b.lower()}" not in lexicon.bigrams:
            out.append(f"{a} {b}")
    return out


#: "nottinghamshire county council": the place that names a council, however it is typed.
_COUNCIL_PLACE = re.compile(r"\b([a-z][a-z'-]+)(?:'s)?\s+(?:county|city|borough|district|metropolitan|town|parish)"
                            r"\s+council\b", re.IGNORECASE)


def unknown_councils(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Councils the question names by a place no council of the documents has ("nottinghamshire county
    council"), however it is typed."""
    places = {w for c in lexicon.councils for w in re.findall(r"[a-z'-]+", c.lower())}   # "royal borough of X" too
    if not places:
        return ()
    return tuple(dict.fromkeys(m.group(0).replace("'s ", " ") for m in _COUNCIL_PLACE.finditer(text)
                               if m.group(1).lower() not in places and m.group(1).lower() not in STOPWORDS))


def _unknown_names(text: str, lexicon: Lexicon, people: tuple[PersonMatch, ...]) -> tuple[str, ...]:
    """Capitalised words inside the question that appear nowhere in the documents, and unknown people."""
    if not lexicon.vocabulary:
        return ()
    matched = {w.lower() for p in people for w in p.matched.split()}
    tokens = _name_tokens(text)
    out = _unknown_people(tokens, lexicon, matched) if lexicon.bigrams else []

    for i, (tok, pos) in enumerate(tokens):
        low = tok.lower()
        if i == 0 or not tok[:1].isupper() or tok.isupper() or low in STOPWORDS or low in matched:
            continue
        if low in _NOT_NAMES or re.search(r"[.?!:;\-]\s*$", text[:pos]):
            continue  # a sentence's first word, a greeting or a contraction is not a name
        # "Oct-Dec", "Fund-funded" (of "ARF-funded" spelled out): each part of a joined word is known
        if all(_known_name_part(part, lexicon) for part in low.split("-") if part) \
                or any(tok in name for name in out):
            continue
        out.append(tok)
    return tuple(out)


def _known_name_part(low: str, lexicon: Lexicon) -> bool:
    """Whether a word (lower case) is no unknown name: a month, a table's word or a word of the documents."""
    # (one letter is a unit or an initial: the "K" of "£50K-to-OJEU")
    return len(low) <= 1 or low in _MONTHS or low[:3] in _MONTH_ABBR and len(low) <= 4 or low in _TABLE_WORDS or \
        low in STOPWORDS or low in lexicon.vocabulary or low.rstrip("s") in lexicon.vocabulary


#: A typed word is read as the known word it misspells when their fuzzy ratio (0-100) is at least this.
TYPO_SCORE = 85
#: Shorter words are never corrected: too many short words are one letter apart.
MIN_TYPO_WORD = 5


def correct_typos(topic: str, lexicon: Lexicon) -> str:
    """Replace topic words unknown to the documents by their nearest document word ('chanel' -> 'channel');
    words the router reads ("most expensive") are no typos, though the documents never write them."""
    if not lexicon.vocabulary:
        return topic
    out = []
    for w in topic.split():
        if len(w) >= MIN_TYPO_WORD and w.isalpha() and not _known_word(w, lexicon):
            out.append(_misspelt(w, lexicon, lexicon.vocabulary) or w)
        else:
            out.append(w)
    return " ".join(out)


def _known_word(low: str, lexicon: Lexicon) -> bool:
    """Whether a lower-case word is no typo: the documents write it (or its stem), or the router reads it."""
    return low in lexicon.vocabulary or low in ROUTER_WORDS or low in STOPWORDS or _stem(low) in lexicon.stems


#: The known words (the documents' and the router's) of the last vocabulary asked about, with it.
_KNOWN: list[tuple[frozenset[str], tuple[str, ...]]] = []


def correct_spelling(text: str, lexicon: Lexicon) -> str:
    """The question with each lower-case word that neither the documents nor the router know replaced by
    the known word it misspells ('procuerment' -> 'procurement', 'bigegst' -> 'biggest'), before anything
    reads it. A word written with a capital may be a name: it is read as a document word only when it has
    that word's very letters in another order ("Envirnoment", "Goverannce"); else it stays, and an unknown
    name is reported, not guessed."""
    if not lexicon.vocabulary:
        return text
    if not _KNOWN or _KNOWN[0][0] is not lexicon.vocabulary:
        _KNOWN[:] = [(lexicon.vocabulary, tuple(sorted(lexicon.vocabulary | ROUTER_WORDS)))]
    known = _KNOWN[0][1]

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        low = w.lower()
        if _known_word(low, lexicon):
            return w
        if w[:1].isupper():
            same = _transposed(low, lexicon) if w[1:].islower() else None
            return same[:1].upper() + same[1:] if same else w
        return _misspelt(w, lexicon, known) or w

    return re.sub(r"(?<![\w'’-])[A-Za-z][a-z]{%d,}(?![\w'’-])" % (MIN_TYPO_WORD - 1), fix, text)


def _misspelt(word: str, lexicon: Lexicon, known: Iterable[str]) -> str | None:
    """The known word `word` misspells: the one document word with its letters in another order
    ("leaevrs" -> "leavers", not "leaders"), else the nearest known word by fuzzy ratio."""
    match = _transposed(word, lexicon) or process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
    return match if isinstance(match, str) else match[0] if match else None


#: The anagram index of the last vocabulary asked about, with that vocabulary itself: holding it keeps
#: its id from being reused by another vocabulary (a cache keyed by id alone went stale).
_ANAGRAMS: list[tuple[frozenset[str], dict[str, tuple[str, ...]]]] = []


def _transposed(word: str, lexicon: Lexicon) -> str | None:
    """The one document word with the same first letter and the same letters in another order
    ("reveiw" -> "review", "helath" -> "health"): two letters swapped, which fuzzy ratios score low."""
    entry = _ANAGRAMS[0] if _ANAGRAMS else None
    if entry is None or entry[0] is not lexicon.vocabulary:
        index: dict[str, list[str]] = {}
        for v in lexicon.vocabulary:
            if v.isalpha():
                index.setdefault("".join(sorted(v)), []).append(v)
        entry = (lexicon.vocabulary, {k: tuple(vs) for k, vs in index.items()})
        _ANAGRAMS[:] = [entry]
    same = [v for v in entry[1].get("".join(sorted(word)), ()) if v[0] == word[0]]
    return same[0] if len(same) == 1 else None


def _unknown_terms(topic: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Topic words (5+ letters) that appear nowhere in the documents, even allowing for plurals."""
    if not lexicon.vocabulary:
        return ()
    return tuple(w for w in topic.split() if len(w) >= 5 and w.isalpha() and w not in lexicon.vocabulary
                 and _stem(w) not in lexicon.stems)


#: "where is it now", "where do we stand now": an ask for the latest value, no words of the topic.
_WHERE_NOW = re.compile(r"\bwhere (?:is|are|does|do) (?:it|they|that|this|we)(?: stand| sit)? now\b")


#: "at the moment", "so far", "how far short of target": when, and how far from the target, not what.
_ASKING_ONLY = re.compile(r"\bat the moment\b|\bright now\b|\bso far\b|\bto date\b|\b(?:being\s+)?held to\b|"
                          r"\b(?:been|be|being)\s+(?:set|agreed|confirmed)\b|\bhow far\b(?:\s+(?:short|off|behind|ahead))?|"
                          r"\b(?:short of|behind|ahead of)\s+(?=(?:the |its |their )?target\b)|"
                          # "after admin & employee savings, which is the next biggest": the one ranked before
                          r"\bafter\s+(?:[\w'-]+\s+){1,6}?(?=(?:which|what)\b.*\b(?:next|second)\b)|\bnext\b(?=\s+(?:biggest|"
                          r"largest|highest|smallest|lowest)\b)|"
                          # "and back in 17-18?", "going back to 2017": when, not a word of a row ("back office")
                          r"\b(?:going\s+|way\s+)?back\s+(?=(?:in|to|at)\s+(?:\d|q\d|quarter|the (?:year|start|beginning)|"
                          r"'\d)|then\b)")


#: Rows a question sets aside: "excluding X", "leaving out X", "other than X", and, before a ranking,
#: "after X, which ..." (the one ranked before).
#: "X (the roundabout contract itself, not the golf club earthworks)": a near namesake the question sets aside,
#: named by two words or more ("..., not the rate" sets aside a kind of figure, not a row).
_NOT_THE = r"(?:[(,;–]|\s-)\s*not\s+the(?=\s+[\w'&-]+\s+[\w'&-]+)"
SET_ASIDE = re.compile(r"(?:\b(?:" + "|".join(SET_ASIDE_PHRASES) + r")|" + _NOT_THE + r")"
                       r"\s+(?P<a>.+?)(?=\s*[,;?.!)]|\s+(?:and|but)\s|$)|"
                       r"^after\s+(?P<b>[^,?]{3,60}?),\s*(?=(?:which|what|who)\b)")
#: A question that ranks, adds up or counts rows: only its set-aside rows are left out of them.
_RANKS_OR_ADDS = re.compile(MAX_WORDS.pattern + "|" + MIN_WORDS.pattern + r"|\bhow many\b|\b(?:total|sum|add(?:s|ed)? up|"
                            r"altogether|combined|most|least|fewest)\b")


def set_aside(lower: str) -> tuple[str, ...]:
    """The rows a ranking, total or count leaves out, as the question names them; () when it sets none
    aside, or is no ranking, total or count ("the GHG emissions (excluding schools)" names a measure)."""
    if not _RANKS_OR_ADDS.search(lower):
        return ()
    return tuple((m.group("a") or m.group("b")).strip() for m in SET_ASIDE.finditer(lower))


#: "cabinet member's portfolio", "councillor's section": whose section a row is in, not a pledge.
_OWNER_OF_SECTION = re.compile(r"\b(?:cabinet member|councillor|cllr|portfolio holder)s?\s+(?:portfolio|section|remit|area)\b")


def set_aside_removed(lower: str) -> str:
    """The question without the phrases that set rows aside."""
    return SET_ASIDE.sub(" ", lower)


def _topic(lower: str, u_entities: list[str]) -> str:
    text = re.sub(r"\bin charge(?: of)?\b", " ", fold(lower))  # "who's in charge of X": a who question, not charges
    text = _ASKING_ONLY.sub(" ", _WHERE_NOW.sub(" ", text))
    for phrase in sorted((fold(p) for p in u_entities if p), key=len, reverse=True):
        if phrase:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text)
    kept = [w for w in re.findall(r"[a-z0-9£%][a-z0-9£%'.\-/]*", text)
            if w not in STOPWORDS and w not in _INTENT_WORDS]
    return " ".join(kept)


#: Shortest word that may be split in two ("potholes" -> "pot holes"); each half has at least
#: MIN_SPLIT_PART letters so that prefixes such as "re" or "un" never split a word.
MIN_SPLIT_WORD = 6
MIN_SPLIT_PART = 3


def split_joined(text: str, lexicon: Lexicon) -> str:
    """Write words the way the documents do: a word they never use but whose halves they write as
    a pair becomes the pair ("potholes" -> "pot holes"); a pair they never write but whose joined
    form they use becomes one word ("child care" -> "childcare")."""
    if not lexicon.vocabulary:
        return text

    def split(m: re.Match) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < MIN_SPLIT_WORD or low in lexicon.vocabulary or _stem(low) in lexicon.stems:
            return word
        stemmed = low[:-1] if low.endswith("s") else low
        for i in range(MIN_SPLIT_PART, len(stemmed) - MIN_SPLIT_PART + 1):
            a, b = stemmed[:i], stemmed[i:]
            if f"{a} {b}" in lexicon.bigrams or f"{a} {b}s" in lexicon.bigrams:
                return f"{a} {b}{'s' if low.endswith('s') and stemmed != low else ''}"
        return word

    text = re.sub(r"[A-Za-z]+", split, text)

    def join(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        joined = f"{a}{b}".lower()
        if joined in lexicon.vocabulary and f"{a} {b}".lower() not in lexicon.bigrams:
            return f"{a}{b}"
        return m.group(0)

    return re.sub(r"\b([A-Za-z]{2,}) ([A-Za-z]{2,})\b", join, text)


_PREAMBLE = re.compile(r"^\s*(?:hi|hello|hey|morning|good (?:morning|afternoon|evening)|afternoon|evening|thanks|"
                       r"thank you|sorry|quick one|quick question|(?:a\s+)?bit of an?\s+\w+\s+(?:one|question)|"
                       r"(?:an?\s+)?(?:odd|random|strange|silly|daft)\s+(?:one|question)|i'm|i am|i've|i have|we're|we are|for the|as part of|"
                       r"ahead of|i need|i'd like|could you|can you help|"
                       # "Pulling together the update for the Cabinet Member -", "prepping for scrutiny -": the work
                       # the asker is doing
                       r"(?:pulling|putting) together|prepping|preparing|drafting|writing up|working on|getting ready|"
                       # "Councillor here -", "Officer from ETE here:": who is asking
                       r"(?!(?:who|whom|what|when|where|which|why|how|is|are|does|do|did|any|the|this|that|these|"
                       r"those|it|its)\b)[a-z'’]+(?:\s+[a-z'’]+){0,3}\s+here(?=\s*(?:[-–,:!.]|$)))\b", re.IGNORECASE)
#: A part that opens as a question of its own ("who ...", "is ...", "list ...").
QUESTION_START = re.compile(r"^\s*(?:who|whom|whose|what|when|where|which|why|how|is|are|does|do|did|can|could|"
                            r"will|has|have|list|show|name|tell|give)\b", re.IGNORECASE)


#: "I need Derby's population figure ...": a request for what follows it.
_I_NEED = re.compile(r"^\s*(?:i|we)\s+(?:need|want|would like)\s+(?:to (?:know|see|have|find|check)\s+)?", re.IGNORECASE)
#: "I'm drafting the briefing for members and need the ETE savings ...": the request after "need".
_NEED = re.compile(r"^\s*(?:i'm|i am|we're|we are)\s+\w+ing\b[^.;:?]*?\b(?:and|so)\s+(?:i\s+|we\s+)?"
                   r"(?:need|want|would like|'d like)\s+(?:to (?:know|see|have)\s+)?", re.IGNORECASE)


#: Words that greet and say nothing of the question ("Hi, quick one", "Morning").
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|morning|good \w+|afternoon|evening|thanks|thank you|sorry|"
                       r"quick (?:one|question))\b", re.IGNORECASE)
#: After a greeting, a whole sentence of at least this many words is context ("prepping for committee
#: tomorrow and someone is bound to ask about Pause."); a shorter part before " - " is the subject.
CONTEXT_SENTENCE_WORDS = 6
#: "Who is down as leading that, and when ...": a demonstrative standing alone points at the context.
_POINTS_TO_CONTEXT = re.compile(r"\b(?:that|this|those|these)\b(?=\s*(?:[,?.!;]|and\b|$))", re.IGNORECASE)
#: A part that speaks of the asker ("I'm preparing for scrutiny", "the board asked me"): context.
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|we|we're|we've|our|us)\b", re.IGNORECASE)


def _less_greeting(text: str) -> str:
    """The text less the greeting words it starts with."""
    while True:
        m = _GREETING.match(text)
        if not m:
            return text
        text = text[m.end():].lstrip(" ,!.-–")


#: "Can you tell me who leads X?", "As a member I'd like to know how much ...": a request that wraps the
#: question it asks.
_REQUEST = re.compile(r"^\s*(?:as an? [a-z]+(?: [a-z]+)?,?\s+)?(?:please\s+)?(?:(?:can|could|would) you(?: please)? (?:tell me|let me know|find out|"
                      r"check|confirm)|do you know|i(?:'d| would) like to know|i want to know|please tell me)\s*,?\s*"
                      r"(?=(?:who|whom|whose|what|when|where|which|why|how|is|are|does|do|did|by when)\b)", re.IGNORECASE)


def strip_preamble(text: str) -> str:
    """Drop leading greetings and context ("Hi - sorry to bother you, I'm preparing for a scrutiny
    meeting: who is ...?") when a question follows; keep the text as it is otherwise. After a greeting,
    a part that speaks of the asker, or a whole sentence, is context; any other part ("waste watchers -
    how many ...") is the subject, and stays."""
    text = _REQUEST.sub("", text, count=1)
    parts = re.split(r"(?<=[.:!?;])\s+|\s+[-–]\s+", text)
    if len(parts) >= 2 and _PREAMBLE.search(parts[0]) and _NEED.match(parts[1]):
        return _NEED.sub("", " ".join(parts[1:]), count=1).strip()
    if len(parts) < 2:
        return text
    if re.search(r"[.!:;]\s*$", parts[0]) and _FIRST_PERSON.search(parts[0]) and not QUESTION_START.search(parts[0]) \
            and QUESTION_START.search(parts[1]):
        # "A resident in Belper has emailed me about the World Heritage Site. When is ...": a sentence about
        # the asker, then the question (what the sentence is "about" may be the question's subject: kept)
        rest = text[text.find(parts[1], len(parts[0])):].strip()
        about = re.search(r"\babout\b(?!\s+(?:this|that|it|them|these|those)\b)", parts[0])
        if len(terms(rest)) >= 3 and not _POINTS_TO_CONTEXT.search(rest):
            return f"{parts[0][about.start():].rstrip()} {rest}" if about else rest
    for i, part in enumerate(parts[:-1]):
        context = i and _PREAMBLE.search(parts[0]) and not QUESTION_START.search(part) and (
            _FIRST_PERSON.search(part) or (part.rstrip()[-1:] in ".;!" and len(part.split()) >= CONTEXT_SENTENCE_WORDS))
        # (a part ending in a colon names what the question after it is about: "Prepping for scrutiny - Live
        # Well clients recommending the service: by how much ...")
        if not _PREAMBLE.search(part) and not context:
            break
    else:
        i = len(parts) - 1
    if i == 0:
        return text
    # the rest as written, its own dashes kept ("technology division - net budget 25-26 and who's the director")
    at = 0
    for part in parts[:i]:
        at = text.find(part, at) + len(part)
    at = text.find(parts[i], at)
    rest = text[at:].strip() if at >= 0 else " ".join(parts[i:]).strip()
    # words of its own: "who leads the Pause Project and when is it due" has them; years are none
    # ("how much did it narrow between 2017/18 and 2018/19" asks of what the context named)
    own = len([t for t in terms(rest) if not t[:1].isdigit()])
    if re.search(r"\b(?:it|this|that|them|they|he|she|him|her)\b", rest, re.IGNORECASE) and own <= 2 \
            or _POINTS_TO_CONTEXT.search(rest) or len(rest.split()) < 4 or own <= 1:
        # "... need to name the officer who leads on X. Who is it?", "... they want to know when X goes
        # out to procurement - do we have a date?": the context holds the question, less the greeting
        # words themselves ("Hi, for the workshop I need X - what are they?")
        said = [m.group(1) for part in parts[:i] for m in QUOTED.finditer(part)]
        pronoun = re.search(r"\b(?:it|this|that)\b", rest, re.IGNORECASE)
        if len(said) == 1 and pronoun and QUESTION_START.search(rest):
            # "... and 'Better Lives' keeps coming up - what actually is it?": the one thing the context
            # quotes is what the pronoun points at
            return f"{rest[:pronoun.start()]}'{said[0]}'{rest[pronoun.end():]}"
        rest = _less_greeting(" ".join(parts).strip())
    wanted = _I_NEED.sub("", rest, count=1)
    if wanted != rest and len(terms(wanted)) >= 2:
        return wanted   # "Quick one - I need Derby's population figure as the plan gives it": what is needed
    if QUESTION_START.search(rest) or rest.endswith("?"):
        return rest
    # a terse question after a greeting ("hi, quick one - chlamydia detection rate target 20/21")
    return _less_greeting(text) or text


#: Short forms officers type, written out before anything else reads the question. Only whole
#: words are replaced, and never a word the documents themselves use (checked at run time).
ABBREVIATIONS: dict[str, str] = {
    "tgt": "target", "tgts": "targets", "yr": "year", "yrs": "years", "ppl": "people", "mgmt": "management",
    "comms": "communications", "dept": "department", "depts": "departments", "govt": "government",
    "ro": "responsible officer", "ros": "responsible officers", "approx": "approximately", "info": "information",
    "wk": "week", "wks": "weeks", "mth": "month", "mths": "months", "no.": "number", "nos.": "numbers",
    "kpi's": "kpis", "q1": "quarter 1", "q2": "quarter 2", "q3": "quarter 3", "q4": "quarter 4",
    "prog": "programme", "progs": "programmes", "prog.": "programme", "qtr": "quarter", "qtrs": "quarters",
    "cab": "cabinet", "cttee": "committee", "ctte": "committee", "cllr": "councillor", "cllrs": "councillors",
}
#: Short forms written out even where the documents use them too: they mean the same there ("5 yr plan").
_ALWAYS_EXPANDED = frozenset({"ro", "no.", "yr", "yrs"})


#: Everyday phrasings the documents write another way ("how many people live in Derby": its population).
EVERYDAY_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhow many (?:people|residents|inhabitants) (?:live|are living|reside) in\b", re.I),
     "what is the population of"),
    (re.compile(r"\b(?:number of )?(?:people|residents) living in\b", re.I), "the population of"),
)


#: A span of time written with a number word ("one-year", "four year"), as tables head it: "1 year".
#: (Hyphenated, or before the noun it qualifies: not "which two years does it fall", "over four years to".)
_SPAN_IN_WORDS = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")(?:-|\s+(?=(?:years?|months?|weeks?)"
                            r"\s+(?!(?:" + "|".join(sorted(STOPWORDS)) + r"|ago|running|old)\b)[a-z]))"
                            r"(years?|months?|weeks?)\b", re.IGNORECASE)


#: "The income line", "which lines": a line of a table of figures.
_A_LINE = re.compile(r"\blines?\b")


def everyday_phrases(text: str) -> str:
    """The question with each everyday phrasing written as the documents say it ("one-year
    deliverable" as "1 year deliverable", as the plan heads its column)."""
    for pattern, said in EVERYDAY_PHRASES:
        text = pattern.sub(said, text)
    return _SPAN_IN_WORDS.sub(lambda m: f"{NUMBER_WORDS[m.group(1).lower()]} {m.group(2)}", text)


def expand_abbreviations(text: str, lexicon: Lexicon) -> str:
    """Write out officers' short forms ("RO", "tgt", "yr") unless the documents use the short form."""
    def repl(m: re.Match) -> str:
        word = m.group(0)
        low = word.lower()
        full = ABBREVIATIONS.get(low)
        if full is None or (low.rstrip(".") in lexicon.vocabulary and low not in _ALWAYS_EXPANDED):
            return word
        return full
    return re.sub(r"(?<![\w'])(?:no\.|nos\.|[A-Za-z][A-Za-z0-9']*)(?![\w'])", repl, text)


def understand(question: str, lexicon: Lexicon) -> Understanding:
    """Intent and entities of one question."""
    typed = strip_preamble(clean(question))
    text = everyday_phrases(expand_abbreviations(typed, lexicon))
    text = split_joined(expand_acronyms(text, lexicon.initials, lexicon.vocabulary), lexicon)
    text = correct_spelling(text, lexicon)
    lower = text.lower()
    aside = set_aside(lower)
    # (the rows set aside name no table: "excluding non-delivery of savings" of a ranking of risks)
    table_words = fold(_NEUTRAL_PHRASES.sub(" ", set_aside_removed(lower) if aside else lower))
    # "which cabinet member's portfolio has X": the owner of X's section, whatever kind of row X is
    table_words = _OWNER_OF_SECTION.sub(" ", table_words)
    tables = tables_for(table_words)
    departments = match_departments(text, lexicon)
    if departments and len(tables) > 1:
        # "How many actions has Procurement committed to?": a department's name is not a table noun
        named = [a for d in lexicon.departments if d.name in departments for a in d.aliases]
        rest = table_words
        for alias in sorted(named, key=len, reverse=True):
            rest = _phrase_pattern(fold(alias)).sub(" ", rest)
        tables = tables_for(rest) or tables
    if not tables:   # "asc&h 12cii - infants getting a new baby review": a row's own code names its table
        tables = tuple(dict.fromkeys(t for w in re.findall(r"[a-z0-9]+", lower) for t in lexicon.row_codes.get(w, ())))
    intent = detect_intent(lower, tables)
    people = match_people(text, lexicon)
    councils = match_councils(text, lexicon)
    documents = match_documents(text, lexicon, councils)
    dates = parse_dates(text)
    # "the 2022 plan": a year that named a document is no date asked about
    named_years = {start_year_named(fold(text), d) for d in lexicon.documents if d.doc_id in documents}
    dates = tuple(d for d in dates if not (d.precision == "year" and d.text in named_years))
    amounts = parse_amounts(text)
    groups = match_groups(text, lexicon, tables)
    # "the other risks (under £10m) in the budget risk register": the table a named group value is of comes first
    grouped = [t for t in tables if any(g[0] == t and g[1] not in PLACE_GROUPS for g in groups)]
    if not tables and (MAX_WORDS.search(lower) or MIN_WORDS.search(lower) or _MOST_OF_GROUP.search(lower)):
        # "the biggest property services (above OJEU) project": the largest of a category is of its table
        # ("which directorate has the most grant income": the greatest total of a measure, likewise)
        grouped = list(dict.fromkeys(g[0] for g in groups if g[1] not in PLACE_GROUPS))
    elif not tables and (intent in ("count", "list") or dates and _WHAT_ON_DATE.search(lower)):
        # "how many property services above-OJEU projects start ...": the number or the list of a category
        # written out whole (or a caption's band) is of its table ("community ... service" names no
        # "Community Services"); "ete 50k-ojeu band - what's starting 01/10/2020?" likewise
        grouped = list(dict.fromkeys(g[0] for g in groups if g[1] not in PLACE_GROUPS and has_phrase(
            fold(re.sub(r"[-()]", " ", lower)), fold(re.sub(r"[-()]", " ", g[2].lower())))
            or g[1] == CAPTION_GROUP and parse_amounts(g[2])))   # a band of money names its table's rows
    tables = tuple(dict.fromkeys([*grouped, *tables]))
    if not tables and _A_LINE.search(lower):
        # "ete performance and engagement - income line?": a measure named with "line" is a budget's line
        tables = tuple(dict.fromkeys(t for t, c, _ in groups if c == "measure"))
        intent = "how_much" if tables and intent in ("explain", "unknown") else intent   # (its figure is asked)
    captions = [fold(v) for t, c, _ in groups if c == CAPTION_GROUP for v in lexicon.groups.get((t, c), ())]
    # "Table One (above £25K less than £50K)": the caption's own band selects the rows (its bounds
    # are the document's, inclusive), so the same words are no second, strict amount filter
    # ...and so is an amount a named group value holds ("Significant Risks (over £10m)")
    named_values = captions + [fold(v) for _, c, v in groups if c != CAPTION_GROUP]
    amounts = tuple(a for a in amounts if not any(fold(a.text) in value for value in named_values)
                    and not caption_of_band(a.text, tuple(captions)))
    when_kind: Literal["due", "start"] = "start" if re.search(r"\bstart|\bbegin|\bcommence", lower) else "due"
    # a group value that names a kind of row ("difference", "must do") said in the plural lists those rows
    # of another group named ("... for the decent, sufficient and affordable housing outcome"); alone it
    # would list every row of that kind, whatever else the question says ("under the safe city outcome")
    kinds = tuple(fold(v) for _, c, v in groups if c == KIND_GROUP) if any(
        c not in (KIND_GROUP, *PLACE_GROUPS) for _, c, _ in groups) else ()
    intent = refine_intent(intent, lower, tables, bool(people), bool(amounts or dates or groups or departments), kinds)
    # a heading selects the rows a count or list is over ("how many KPIs under Keep Children Safe"); any
    # other question finds its row by all its words, the heading's among them
    groups = tuple(g for g in groups if g[1] != SECTION_GROUP or intent in ("count", "list"))
    # "property services above-OJEU projects": a category whose value says the caption's words names the
    # rows itself (a department's table of that band may carry no caption)
    groups = tuple(g for g in groups if g[1] != CAPTION_GROUP or not any(
        h[0] == g[0] and h[1] not in PLACE_GROUPS and _content_words(g[2]) & _content_words(h[2]) for h in groups))
    if intent in ("explain", "unknown") and tables and RATING_CHANGE.search(lower):
        intent = "list"   # "which KPI dropped from Green to Amber": the rows whose rating changed so
    named = frozenset(fold(a) for d in lexicon.departments if d.name in departments for a in (d.name, *d.aliases))
    lead = lead_role(lower, people, named | frozenset(fold(c) for c in councils))
    entity_words = [p.matched for p in people] + [d.text for d in dates] + [a.text for a in amounts]
    entity_words += [lead] if lead else []   # a lead named by its role filters on the lead, names no row
    entity_words += [m.group(0) for m in _STATUS.finditer(lower)]  # a status filters; it names no row
    entity_words += [a for d in lexicon.departments if d.name in departments for a in d.aliases]
    entity_words += [a for c in councils for a in council_aliases(c, lexicon.councils)]
    entity_words += [v for d in lexicon.documents if d.doc_id in documents for v in period_spellings(d.period)]
    entity_words += [y for y in named_years if y]
    # "excluding non-delivery of savings": those rows, and the words setting them aside, are not the topic
    # (and a near namesake set aside in any question: "..., not the golf club earthworks")
    topic = correct_typos(_topic(set_aside_removed(lower) if aside or re.search(_NOT_THE, lower) else lower,
                                 entity_words), lexicon)
    # a department's name stays: "the Executive Director of ETE" is about that department's words
    scope_words = [a for c in councils for a in council_aliases(c, lexicon.councils)]
    scope_words += [v for d in lexicon.documents if d.doc_id in documents for v in period_spellings(d.period)]
    scope_words += [y for y in named_years if y]
    if intent in ("how_much", "count") and re.search(r"\bhow many\b", lower):
        # "how many applications were completed": the things counted are the completed ones (no date asked)
        done = [m.group(0) for m in _COUNTED_STATE.finditer(lower) if m.group(0) not in topic.split()]
        topic = " ".join([topic, *done]).strip()
        if "number" not in topic:
            topic = f"number {topic}"  # "how many X" is asked of a "Number of X" measure
    return Understanding(
        question=question, text=text, lower=lower, intent=intent, when_kind=when_kind,
        value_kind=_value_kind(lower), tables=tables, people=people, departments=departments,
        councils=councils, documents=documents, dates=dates, amounts=amounts, groups=groups,
        lead_text=lead, missing=_missing(lower), present=_present(lower), status=status_of(lower), unknown_names=_unknown_names(text, lexicon, people),
        unknown_councils=unknown_councils(text, lexicon),
        topic=topic, unknown_terms=_unknown_terms(topic, lexicon), follow_up=bool(_FOLLOW.search(lower)) and not _OWN_SUBJECT.match(lower),
        counting=intent == "how_much" and bool(re.search(r"\bhow many\b", lower)),
        search=_without_phrases(lower, scope_words), typed=typed, set_aside=aside)


def _without_phrases(lower: str, phrases: list[str]) -> str:
    """`lower` with each phrase removed as whole words (longest first); empty when nothing but
    stop words would be left."""
    text = fold(lower)
    for phrase in sorted((fold(p) for p in phrases if p), key=len, reverse=True):
        text = _phrase_pattern(phrase).sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" -:,")
    return text if any(w not in STOPWORDS for w in re.findall(r"[a-z0-9£%]+", text)) else ""
