"""Answers from one cell of any table: the row found by its label, the column by its header.

"What is the lifetime financial exposure of the High Needs Spending risk?" names a row ("High Needs
Spending") and a column ("Estimated Lifetime Financial Exposure £m"). This answerer reads every
table the ingest kept (`raw_tables` / `raw_rows`), typed or not, so a table in a layout no typed
table fits still answers lookups. It is tried when the typed answerers found nothing.

A cell is chosen when
- the question names its column: a header word, or the period a header is for ("2029-30 Year 5");
- the question names its row: its short text cells (the label) hold the question's identifying
  words, weighted by rarity, after the header's and the table's own words (caption, section,
  document title) are set aside;
- and the whole question is covered by label, header and table words together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from assistant.ingest.normalise import parse_money
from assistant.models import Citation
from assistant.router.compose import difference_as_printed, sum_as_printed
from assistant.router.data import Database, quote, table_rows
from assistant.router.extract import terms, tidy
from assistant.router.understand import Lexicon, correct_typos, period_spellings
from assistant.text import NUMBER_WORDS, negations_spelt_out, sizes_in

#: Cells longer than this are descriptions, not names: they never identify a row.
LABEL_CELL_MAX_CHARS = 160
#: A header is named when the question says at least this share of its words ("annual exposure" of
#: "Estimated Annual Financial Exposure £m"; not "members" of "How will members of the public...").
HEADER_SAID = 0.5
#: ... or at least this many of its words ("annual budget cost" of "Estimated Annual Budget Cost = Charge x
#: Number of Units (£)": a long header is seldom said in half its words).
HEADER_WORDS_SAID = 3
#: Other name cells shown beside the main one are at most this long ("CYPE", not a description).
SHORT_LABEL_CHARS = 40
#: Share of the question's weighted words that label, header and table words must cover together.
CELL_ACCEPT = 0.55
#: A text cell is named by its own words only under a header of at least this many words said in full
#: ("1 year deliverables"); a one-word header ("Action") is the row's own name.
OWN_HEADER_WORDS = 2
#: Share of the words left for the row (after header and table words) that its label must hold.
LABEL_ACCEPT = 0.75
#: Or: the question says this share of the row's name cell ("Borrowing", "High Needs Spending")...
NAME_SAID = 0.6
#: ...and the name covers this share of the words left for the row ("funds the programme" are not names).
NAME_COVER = 0.4
#: A cell value is quoted up to this many characters (a cell listing what will change runs to ~400;
#: a whole page's description cell is cut).
VALUE_CHARS = 800
#: Header words that name no column in particular (every money column says £m or £000s).
UNIT_WORDS = frozenset({"000", "000s", "m", "£m", "£000", "£000s", "k"})
#: A unit in brackets after a header's name ("New Vehicle Optimum Life (Years)"): no word of the name.
_BRACKETED_UNIT = re.compile(r"\((?:years?|months?|weeks?|days?|hours?|£|%|£m|£k|£000s?|no\.?|number|tonnes?)\)",
                             re.IGNORECASE)
_PERIOD = re.compile(r"\b(?:19|20)\d\d\s*[-/]\s*\d{2,4}\b|\b(?:19|20)\d\d\b")
#: "What does AMBER mean", "what is meant by ...": a question for the meaning of a term.
_DEFINITION = re.compile(r"\bwhat (?:does|do|did)\b.*\b(?:mean|stand for)\b|\bmeant by\b|\bmeaning of\b", re.IGNORECASE)
# a column of a figure for each one thing ("Capital Cost per Vehicle"), not per period ("per Year")
_PER_UNIT = r"\bper\s+(?!(?:year|annum|month|week|day|hour|cent)\b)[a-z]"
_PER_UNIT_HEADER = re.compile(_PER_UNIT, re.IGNORECASE)
# a question that asks the figure for one of the things: "cost per vehicle", "£ each", "unit cost"
_ASKS_PER_UNIT = re.compile(_PER_UNIT + r"|\beach\b|\bapiece\b|\bunit (?:cost|price|charge)", re.IGNORECASE)
#: A small number that names a column ("1 year deliverables", "Year 2"), not a year, a money unit or a size.
_SMALL_NUMBER = re.compile(r"(?<![\d£.,/-])\d{1,2}(?![\d.,/%t-])")
_NUMERIC = re.compile(r"^[£$]?\s?-?[\d,]*\.?\d+\s?(?:%|m|k|bn)?$|^[-–—]$", re.IGNORECASE)


#: Words that ask for a figure in general, not for one column ("DCED capital spend planned for
#: 2026-27"): a number cell answers them whatever its header says.
_VALUE_WORDS = frozenset(terms("spend spending spent planned plan cost costs figure figures amount value money "
                               "allocated allocation worth"))

#: Words that point at a column for a year the question also names ("the final yr of the programme
#: (2034-35)"): the year names the column, so they need no row or header of their own.
_PERIOD_ORDINALS = frozenset(terms("final last first opening closing year years yr quarter quarters month months end "
                                   "onwards"))
#: A year carried by at least this many of a table's headers is the table's period ("2025-26 Staffing",
#: "2025-26 Income", "2025-26 Net Cost"), which a question need not say to name one of them.
SHARED_YEAR_HEADERS = 3
#: ... and, for "which quarter-end in the table had the most", the words of the extreme asked and "table"
#: (any period's column of the row will do).
_EXTREME_WORDS = frozenset(terms("most highest largest biggest greatest least lowest smallest fewest table"))


@dataclass(frozen=True)
class TableRow:
    """One row of one ingested table, with where it is."""

    table_id: str
    header: tuple[str, ...]
    cells: tuple[str, ...]
    doc_id: str
    file: str
    section_path: str
    line_start: int
    line_end: int
    page: int | None
    context: str   # caption, section path and document title: words that name the table
    kind: str = "table"   # table | role (a section's "Director: Name" line or Cabinet Member) | legend
    group: str = ""       # the label of the spanning row above it ("Funded By:" over "Grants")
    is_total: bool = False  # a total row ("Total Finance"), as the ingest marked it
    row_index: int = 0      # its place in its table


@dataclass(frozen=True)
class Cell:
    """The chosen cell, its row's label and how well they cover the question."""

    row: TableRow
    column: int
    label: str
    score: float       # weighted share of the question that label, header and table words cover
    label_cover: float  # weighted share of the words left for the row that its label holds
    name_said: float   # share of the row's best-named cell that the question says

    @property
    def header(self) -> str:
        return self.row.header[self.column]

    @property
    def value(self) -> str:
        return self.row.cells[self.column]


class CellIndex:
    """Every table row of the database with the stems of its label cells and headers (built once
    per database file, see `Database.derived`)."""

    def __init__(self, rows: list[TableRow]) -> None:
        self.rows = rows
        self._label_terms = [[frozenset(terms(c)) - UNIT_WORDS if _is_label(c) else frozenset() for c in r.cells]
                             for r in rows]
        # the initials of a row's names ("hr", "od"): they find and cover the row, but are no words of its name
        self._acronyms = [frozenset().union(*(label_acronyms(c) for c in r.cells if _is_label(c))) for r in rows]
        self._group_terms = [frozenset(terms(r.group)) for r in rows]   # words of the row's group label
        self._text_terms: dict[int, list[frozenset[str]]] = {}   # row -> stems of each of its cells (on demand)
        self._shared_year_terms: dict[str, frozenset[str]] = {}   # table -> years most of its headers carry
        self._postings: dict[str, list[int]] = {}   # label word -> rows whose label holds it
        for r, labels in enumerate(self._label_terms):
            for word in (frozenset().union(*labels) if labels else frozenset()) | self._acronyms[r]:
                self._postings.setdefault(word, []).append(r)
        self._sizes: dict[str, int] = {}   # rows per table
        for r in rows:
            self._sizes[r.table_id] = self._sizes.get(r.table_id, 0) + 1
        self._header_terms: dict[str, list[frozenset[str]]] = {}
        self._context_terms: dict[str, frozenset[str]] = {}
        self._has_periods: dict[str, bool] = {}   # some header of the table is for a year
        self._named_columns: dict[str, list[bool]] = {}   # headers that name their column
        for r in rows:
            if r.table_id not in self._header_terms:
                self._header_terms[r.table_id] = [frozenset(terms(header_name(h))) - UNIT_WORDS
                                                  for h in r.header]
                self._context_terms[r.table_id] = frozenset(terms(r.context))
                self._has_periods[r.table_id] = any(_PERIOD.search(h) for h in r.header)
                self._named_columns[r.table_id] = [_meaningful_header(h) for h in r.header]

    @classmethod
    def load(cls, db: Database) -> "CellIndex":
        rows = []
        group, group_of = "", ""   # the last spanning row's text, and its table
        for r in db.derived("table_rows", table_rows):
            table_id, header, cells, doc_id, file, section = (r["table_id"], r["header"], r["cells"], r["doc_id"],
                                                             r["file"], r["section_path"])
            start, end, page, spanning = r["line_start"], r["line_end"], r["page"], r["spanning"]
            context = " ".join(str(x) for x in (r["caption"], section, r["title"], r.get("doc_kind"),
                                                str(doc_id or "").replace("-", " ")) if x)
            header = tuple(str(h or "") for h in (header or ()))
            cells = tuple(str(c or "") for c in (cells or ()))
            if spanning:  # a group label over the rows below it ("Funded By:"), no row of its own ...
                group, group_of = " ".join(c for c in cells if c.strip()), str(table_id)
                if not any(_NUMERIC.match(c.strip()) for c in cells[1:] if c.strip()):
                    continue   # ... unless it carries figures: "Other Risks (under £10m)  90.0  45.0"
            if len(header) != len(cells) or not any(_meaningful_header(h) for h in header):
                continue
            rows.append(TableRow(str(table_id), header, cells, str(doc_id or ""), str(file or ""),
                                 str(section or ""), int(start or 0), int(end or start or 0),
                                 int(page) if isinstance(page, int) else None, str(context or ""),
                                 group=group if group_of == str(table_id) else "", is_total=bool(r["is_total"]),
                                 row_index=int(r["row_index"] or 0)))
        return cls(rows + _section_roles(db) + _legend(db))

    def best(self, question: str, lexicon: Lexicon, periods: tuple[str, ...] = (),
             skip: frozenset[str] = frozenset(), documents: set[str] | None = None,
             period_header: bool = False, kinds: frozenset[str] | None = None,
             any_period: bool = False) -> Cell | None:
        """The cell the question asks for, or None when no row and column are both named;
        `period_header`: only a column whose header names one of `periods`; `any_period`: "which year
        has the most X" names no year, and any year's column of the row named will do."""
        words = correct_typos(" ".join(re.findall(r"[a-z0-9]+", negations_spelt_out(question.lower()))),
                              lexicon)  # 'developmnet'
        wanted = [t for t in dict.fromkeys(terms(words)) if t not in skip and not t[:1].isdigit()]
        if _DEFINITION.search(question):
            wanted += [t for t in terms("meaning") if t not in wanted]  # "what does X mean": a Meaning column
        if not wanted:
            return None
        weight = {t: lexicon.idf(t) for t in wanted}
        total = sum(weight.values())
        asked_words = set(re.findall(r"[a-z]+", question.lower()))
        ordinals = re.findall(r"\b(?:year|yr)\s*(\d{1,2})\b(?!\s*[-–]\s*\d)", question.lower())   # not "years 1-4"
        spans = set(_SPAN.findall(question.lower()))   # "the 1 year deliverable": not the "4 year deliverables"
        sizes = sizes_in(question)
        per_unit_asked = bool(_ASKS_PER_UNIT.search(question))
        numbers_asked = set(_SMALL_NUMBER.findall(question))
        forms = [f for p in periods for f in period_spellings(p)]
        best: tuple[tuple[float, ...], Cell, float] | None = None
        candidates = sorted({r for t in wanted for r in self._postings.get(t, ())})  # rows naming a word asked
        for r in candidates:
            row = self.rows[r]
            if (documents is not None and row.doc_id not in documents) or (kinds is not None and row.kind not in kinds):
                continue
            if sizes and other_size(sizes, row.cells):
                continue   # "3.0t vans": the row of a "Van - 2.0t" is another size of the thing
            labels = self._label_terms[r]
            headers = self._header_terms[row.table_id]
            context = self._context_terms[row.table_id]
            named_columns = self._named_columns[row.table_id]
            for j, value in enumerate(row.cells):
                if not named_columns[j] or not value.strip():
                    continue
                header_lower = row.header[j].lower()
                named_period = (bool(forms) and any(f in header_lower for f in forms)) or \
                    (any_period and not forms and (bool(_PERIOD.search(row.header[j])) or period_column(row.header[j]))) \
                    or any(re.search(rf"\byear {n}\b", header_lower) for n in ordinals)   # "year 4 of the programme"
                if period_header and not named_period:
                    continue  # only a column for the year asked will do
                own_span = set(_SPAN.findall(header_lower)) if spans else set()
                if own_span and not own_span & spans:
                    continue  # a column for another span of time than the one asked ("4 year" for "1 year")
                if forms and self._has_periods[row.table_id] and not named_period:
                    continue  # the table has a column per year, and this is not the year asked
                header_hit = set(wanted) & headers[j]
                # (a year the table's headers share, "2025-26 Staffing £000s" beside "2025-26 Income £000s", is the
                # table's period, not a word to say of the column; a year of one column tells it apart)
                shared = self._shared_years(row.table_id, row.header)
                header_size = sum(1 for t in headers[j] if t not in shared) or len(headers[j])
                if not named_period and (not header_hit or len(header_hit) < min(HEADER_SAID * header_size,
                                                                                  HEADER_WORDS_SAID)):
                    continue  # the header is not named, or only one word of a longer header is
                label_words = frozenset().union(*(labels[:j] + labels[j + 1:])) | self._group_terms[r] | self._acronyms[r]
                rest = [t for t in wanted if t not in headers[j] and t not in context
                        and not (t in _VALUE_WORDS and _NUMERIC.match(value.strip()))
                        and not (named_period and t in _PERIOD_ORDINALS)
                        and not (named_period and any_period and t in _EXTREME_WORDS)]
                rest_weight = sum(weight[t] for t in rest)
                if rest_weight:
                    label_cover = sum(weight[t] for t in rest if t in label_words) / rest_weight
                else:  # nothing left to name a row: only a table of one row ("Author: Dr Mike Gogarty") answers
                    label_cover = 1.0 if self._sizes[row.table_id] == 1 else 0.0
                precision = _label_precision(labels, j, set(wanted))
                own_named = False
                if label_cover < LABEL_ACCEPT and not (precision >= NAME_SAID and label_cover >= NAME_COVER):
                    # "what's the 1 year deliverable on domestic violence?": a text cell under a header said in
                    # full, named by its own words (a list of things, each its own row); a header of one word
                    # ("What is the action?") is the row's name, and saying it asks no column
                    own_cover = sum(weight[t] for t in rest if t in labels[j]) / rest_weight if rest_weight else 0.0
                    row_cover = self._row_cover(r, j, rest, weight) if precision >= NAME_SAID else 0.0
                    if row_cover >= LABEL_ACCEPT:
                        # "high needs risk: if the safety valve programme doesn't deliver, what's the
                        # consequence?": the row's name said, and the other words are its other cells'
                        label_cover = row_cover
                        label_words = label_words.union(*(t for i, t in enumerate(self._text_terms[r]) if i != j))
                    elif own_cover < LABEL_ACCEPT or _NUMERIC.match(value.strip()) or header_hit != headers[j] or \
                            len(headers[j]) < OWN_HEADER_WORDS:
                        continue
                    else:
                        own_named = True
                        label_cover = own_cover   # (the cell's own words name it)
                        precision = len(labels[j] & set(wanted)) / len(labels[j]) if labels[j] else 0.0
                covered = headers[j] | context | label_words | (labels[j] if own_named else frozenset()) \
                    | (_PERIOD_ORDINALS if named_period else frozenset()) \
                    | (_EXTREME_WORDS if named_period and any_period else frozenset())
                if _NUMERIC.match(value.strip()):
                    covered |= _VALUE_WORDS  # "spend planned": any figure is a spend planned
                cover = sum(w for t, w in weight.items() if t in covered) / total
                if cover < CELL_ACCEPT:
                    continue
                # ties: a figure for each one thing ("Capital Cost per Vehicle") only when the question asks
                # for each one ("per vehicle", "each"), else the figure for all of them ("Capital Cost x
                # No. of Vehicles"); then the header with fewer words the question leaves unsaid, then the
                # later column (a table's bottom line, "Net Cost", comes after its parts)
                rate_fit = bool(_PER_UNIT_HEADER.search(row.header[j])) == per_unit_asked
                # a number the question gives picks the header that says it ("1 year", not "4 year deliverables")
                numbers = set(_SMALL_NUMBER.findall(row.header[j]))
                number_fit = 0 if not numbers_asked or not numbers else (1 if numbers & numbers_asked else -1)
                header_words = set(re.findall(r"[a-z]+", header_lower))
                said = len(header_words & asked_words) / len(header_words) if header_words else 0.0
                # (a header for the span of time asked, "4 year deliverables", before how closely a row is named)
                key = (round(cover, 3), bool(own_span), precision, len(header_hit) + named_period, number_fit, rate_fit,
                       round(said, 3), j)
                # ... then, within one table, the row whose names the question says more of ("HGV 18t
                # Tipper", not "HGV 18t Crane/Tipper", when both share the department cell said in full)
                share = _label_share(labels, j, set(wanted))
                if best is None or key > best[0] or (key == best[0] and row.table_id == best[1].row.table_id
                                                     and share > best[2]):
                    label = row.header[j] if own_named else label_of(row, j, set(wanted))   # ("1 year deliverables: ...")
                    best = (key, Cell(row, j, label, cover, label_cover, precision), share)
        return best[1] if best else None

    def _shared_years(self, table_id: str, header: tuple[str, ...]) -> frozenset[str]:
        """The year terms at least SHARED_YEAR_HEADERS of a table's headers carry (cached per table)."""
        if table_id not in self._shared_year_terms:
            counts = Counter(t for h in header for t in set(terms(h)) if t[:1].isdigit())
            self._shared_year_terms[table_id] = frozenset(t for t, n in counts.items() if n >= SHARED_YEAR_HEADERS)
        return self._shared_year_terms[table_id]

    def _row_cover(self, r: int, column: int, rest: list[str], weight: dict[str, float]) -> float:
        """The weighted share of `rest` that the row's cells other than `column` hold, long texts included."""
        if r not in self._text_terms:
            self._text_terms[r] = [frozenset(terms(c)) for c in self.rows[r].cells]
        held = frozenset().union(*(t for i, t in enumerate(self._text_terms[r]) if i != column))
        total = sum(weight[t] for t in rest)
        return sum(weight[t] for t in rest if t in held) / total if total else 0.0

    def cite(self, cell: Cell, db: Database) -> Citation:
        row = cell.row
        titles = db.doc_titles()
        return Citation(file=row.file, title=titles.get(row.doc_id, row.doc_id), section=row.section_path,
                        line_start=row.line_start, line_end=row.line_end,
                        quote=quote(db.lines(row.file), row.line_start, row.line_end), page=row.page)


def _section_roles(db: Database) -> list[TableRow]:
    """Each department's Cabinet Member, as named in its section headings, as a two-column table."""
    from assistant.router.queries import Query

    result = db.run(Query(
        "SELECT s.department, s.cabinet_member, s.doc_id, any_value(s.file), min(s.line_start), min(s.page), "
        "any_value(s.section_path), any_value(d.title) FROM sections s LEFT JOIN documents d USING (doc_id) "
        "WHERE s.cabinet_member IS NOT NULL AND s.cabinet_member <> '' AND s.department IS NOT NULL "
        "GROUP BY s.department, s.cabinet_member, s.doc_id ORDER BY s.doc_id, s.department"))
    rows = [TableRow(f"sections:{doc_id}", ("Department", "Cabinet Member"), (str(department), str(member)),
                     str(doc_id), str(file or ""), str(section or ""), int(start or 0), int(start or 0),
                     int(page) if isinstance(page, int) else None, _named(title, doc_id), kind="role")
            for department, member, doc_id, file, start, page, section, title in result.rows]
    return rows + _section_directors(db) + _role_lines(db)


#: A section names its director on its heading line or within this many lines below it.
DIRECTOR_LINES = 4


def _section_directors(db: Database) -> list[TableRow]:
    """Each section's Director (sections.director), as a table of section, department and director:
    a department's own, and a division's where it is not the department's."""
    from assistant.router.queries import Query

    if "director" not in {c for c, *_ in db.run(Query("DESCRIBE sections")).rows}:
        return []  # a database ingested before sections named their director
    result = db.run(Query(
        "WITH own AS (SELECT doc_id, department, director FROM sections WHERE heading = department "
        "AND director IS NOT NULL) "
        "SELECT s.heading, coalesce(s.department, ''), s.director, s.doc_id, any_value(s.file), min(s.line_start), "
        "min(s.line_end), min(s.page), any_value(s.section_path), any_value(d.title) "
        "FROM sections s LEFT JOIN documents d USING (doc_id) "
        "WHERE s.director IS NOT NULL AND s.director <> '' AND (s.heading = s.department OR NOT EXISTS ("
        "SELECT 1 FROM own o WHERE o.doc_id = s.doc_id AND o.department = s.department AND o.director = s.director)) "
        "GROUP BY s.heading, s.department, s.director, s.doc_id ORDER BY s.doc_id, min(s.line_start)"))
    return [TableRow(f"directors:{doc_id}", ("Section", "Department", "Director"),
                     (str(heading), str(department), str(director)), str(doc_id), str(file or ""), str(section or ""),
                     int(start or 0), min(int(end or start or 0), int(start or 0) + DIRECTOR_LINES),
                     int(page) if isinstance(page, int) else None, _named(title, doc_id), kind="role")
            for heading, department, director, doc_id, file, start, end, page, section, title in result.rows]


#: A line of a section that names a role and its holder: "Director: Haroona Chughtai",
#: "Interim Corporate Director - John Betts", "Cabinet Member for Housing: Cllr Jo Bloggs".
#: Verbs that ask for a role's holder by what the role does: "who wrote the report" asks for its Author.
ROLE_VERBS: dict[str, str] = {"wrote": "author", "written": "author", "authored": "author"}


def role_query(question: str) -> str:
    """The question with each verb of `ROLE_VERBS` written as the role it names ("who author the report")."""
    for verb, role in ROLE_VERBS.items():
        question = re.sub(rf"\b{verb}\b", role, question, flags=re.IGNORECASE)
    return question


_ROLE_WORDS = "Director|Member|Officer|Lead|Head|Manager|Holder|Executive|Leader|Author|From"   # a role's last word
#: A person's name as a role line writes it, titles allowed ("Dr Mike Gogarty", "Cllr Jo Bloggs").
_PERSON = r"((?:Cllr\.?\s|Councillor\s|Dr\.?\s|Mr\.?\s|Mrs\.?\s|Ms\.?\s)?[A-Z][a-z'’-]+(?:\s[A-Z][a-zA-Z'’-]+){1,3})"
_ROLE_LINE = re.compile(
    rf"^\s*((?:[A-Z][A-Za-z&()'’-]*\s){{0,4}}(?:{_ROLE_WORDS})"
    r"(?:\s(?:for|of)\s[A-Z][\w&,'’ ]{2,60})?)\s*[:\-–]\s*" + _PERSON + r"\s*(?:,[^:]{0,80})?$")
#: A role on a line of its own with its holder on the next line, as a report's contact details write
#: them ("Author" / "Dr Mike Gogarty", "Relevant Director" / "Dr Anjan Ghosh").
_ROLE_ALONE = re.compile(rf"^\s*((?:[A-Z][A-Za-z&()'’-]*\s){{0,3}}(?:{_ROLE_WORDS}))\s*:?\s*$")
_PERSON_LINE = re.compile(r"^\s*" + _PERSON + r"\s*$")


def _role_lines(db: Database) -> list[TableRow]:
    """Each "Role: Name" line of a section, as a row (section heading, holder) under the role's header."""
    from assistant.router.queries import Query

    result = db.run(Query(
        "SELECT s.section_id, s.heading, s.text, s.doc_id, s.file, s.line_start, s.line_end, s.page, s.section_path, "
        "d.title FROM sections s LEFT JOIN documents d USING (doc_id) WHERE s.text IS NOT NULL AND s.heading IS NOT NULL "
        f"AND (regexp_matches(s.text, '({_ROLE_WORDS})\\s*([:\\-–]|\\n)') "
        f"OR regexp_matches(s.heading, '({_ROLE_WORDS})\\s*:?\\s*$'))"))
    rows = []
    for section_id, heading, text, doc_id, file, start, end, page, path, title in result.rows:
        lines = db.lines(str(file or "")) if file else ()
        # a heading that is a role ("Author") over its holder's name: the role on a line of its own
        text_lines = ([str(heading)] if _ROLE_ALONE.match(str(heading)) else []) + str(text).splitlines()
        for i, line in enumerate(text_lines):
            m = _ROLE_LINE.match(line)
            alone = _ROLE_ALONE.match(line)
            below = _PERSON_LINE.match(text_lines[i + 1]) if alone and i + 1 < len(text_lines) else None
            if below and alone:
                m = _RoleMatch(alone.group(1), below.group(1))
            if not m:
                continue
            at = next((i + 1 for i in range(int(start or 1) - 1, min(int(end or start or 1), len(lines)))
                       if line.strip() and line.strip() in lines[i]), int(start or 0))
            rows.append(TableRow(f"roles:{section_id}", ("Section", " ".join(m.group(1).split())),
                                 (str(heading), m.group(2)), str(doc_id), str(file or ""), str(path or ""), at, at,
                                 int(page) if isinstance(page, int) else None, _named(title, doc_id), kind="role"))
    return rows


class _RoleMatch:
    """A role and its holder found on two lines, read like a one-line match (groups 1 and 2)."""

    def __init__(self, role: str, holder: str) -> None:
        self._groups = (role, holder)

    def group(self, i: int) -> str:
        return self._groups[i - 1]


def _named(title: Any, doc_id: Any) -> str:
    """Words that name a document: its title and its file name ("key service statement")."""
    return f"{title or ''} {str(doc_id or '').replace('-', ' ')}".strip()


def _legend(db: Database) -> list[TableRow]:
    """The ratings a document defines ("AMBER: Floor Standard achieved but Target not met")."""
    from assistant.router.queries import Query

    result = db.run(Query("SELECT l.term, l.meaning, l.doc_id, l.file, l.line_start, l.page, d.title FROM legend l "
                          "LEFT JOIN documents d USING (doc_id) ORDER BY l.doc_id, l.line_start"))
    return [TableRow(f"legend:{doc_id}", ("Rating", "Meaning"), (str(term), str(meaning)), str(doc_id),
                     str(file or ""), "", int(start or 0), int(start or 0),
                     int(page) if isinstance(page, int) else None, f"rating legend key status {_named(title, doc_id)}",
                     kind="legend")
            for term, meaning, doc_id, file, start, page, title in result.rows]


def sentence(cell: Cell) -> str:
    """'Estimated Lifetime Financial Exposure £m of High Needs Spending (CYPE): £165.0m.'"""
    value = tidy(cell.value)   # (a cell's HTML list markup and emphasis are no part of its text)
    if len(value) > VALUE_CHARS:
        value = value[: VALUE_CHARS - 1].rstrip() + "…"
    header = tidy(cell.header)
    shown = with_unit(value, header)
    end = "" if shown.endswith((".", "!", "?", "…")) else "."   # (a cell that ends its own sentence)
    if cell.label.lower() == header.lower():  # a role named by its own heading: "Author: Dr Mike Gogarty"
        return f"{header}: {shown}{end}"
    return f"{header} for {cell.label}: {shown}{end}"


def _start_year(text: str) -> int | None:
    m = _PERIOD.search(text)
    return int(m.group(0)[:4]) if m else None


#: Headers over several years: a total or the years before ("Total Cost", "Prior Years Spend").
_SPANS_YEARS = re.compile(r"\b(?:total|prior|cumulative|later)\b", re.IGNORECASE)


def year_column(header: str) -> int | None:
    """The first year of the one year a column is for ("2025-26 Year 1 £000s" -> 2025); None for a
    column over several years ("Total Cost", "Prior Years Spend") or for none."""
    return None if _SPANS_YEARS.search(header) else _start_year(header)


#: A column for one month or quarter-end: "Dec-23", "Mar 2024", "Sept-24".
_MONTH_COLUMN = re.compile(r"^\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[-\s']+(?:\d{2}|\d{4})\s*$",
                           re.IGNORECASE)


#: A programme's year by its number in a header: "2029-30 Year 5 £000s".
YEAR_NUMBER_HEADER = re.compile(r"\byear\s+(\d{1,2})\b", re.IGNORECASE)
#: A range of a programme's years by their numbers in a question: "years 5 to 10", "yrs 1-4".
YEAR_NUMBERS = re.compile(r"\b(?:years?|yrs?)\s+(\d{1,2})\s*(?:-|–|to|and|through)\s*(\d{1,2})\b")


def period_column(header: str) -> bool:
    """Whether a column is for one period: a year ("2025-26 Year 1 £000s") or a month ("Dec-23")."""
    return year_column(header) is not None or bool(_MONTH_COLUMN.match(header))


#: A span of time a column is for: "1 year deliverables", "12 month rolling".
_SPAN = re.compile(r"\b(\d{1,2})[- ]?(?:years?|yrs?|months?)\b")


def period_sentence(cell: Cell, periods: tuple[str, ...], change: bool = False) -> str | None:
    """The row's value in every year column from the first period asked to the last ("DCED capital
    per year from 2029-30 to 2034-35"), or None when the row has fewer than two such columns; with
    `change`, how far the value moved from the first of those years to the last ("the swing")."""
    years = [y for y in (_start_year(p) for p in periods) if y is not None]
    if len(years) < 2:
        return None
    low, high = min(years), max(years)
    in_range = [(j, y) for j, h in enumerate(cell.row.header)
                if (y := _start_year(h)) is not None and low <= y <= high and cell.row.cells[j].strip()]
    # a year with several columns ("2025-26 Staffing", "2025-26 Net Cost") gives the one the cell was
    # found in, or those most like it ("2024-25 Revised Base Budget (Net Cost)" beside "2025-26 Net Cost")
    own = frozenset(terms(_without_year(cell.header))) - UNIT_WORDS
    kept: list[int] = []
    for year in sorted({y for _, y in in_range}):
        columns = [j for j, y in in_range if y == year]
        if cell.column in columns:
            kept.append(cell.column)
            continue
        like = {j: len(own & (frozenset(terms(_without_year(cell.row.header[j]))) - UNIT_WORDS)) for j in columns}
        most = max(like.values())
        kept += [j for j in columns if like[j] == most or not most]
    picked = [(" ".join(cell.row.header[j].split()), " ".join(cell.row.cells[j].split())) for j in sorted(kept)]
    if len(picked) < 2:
        return None
    text = f"{cell.label}: " + "; ".join(f"{h} {with_unit(v, h)}" for h, v in picked) + "."
    (h1, v1), (h2, v2) = picked[0], picked[-1]
    first, last = parse_money(v1), parse_money(v2)
    if change and first is not None and last is not None:
        gap = last - first
        way = "up" if gap > 0 else "down" if gap < 0 else "unchanged"
        size = f" {with_unit(difference_as_printed(v1, v2) or '', h2)}" if gap else ""
        text += f" From {v1} ({_year_of(h1)}) to {v2} ({_year_of(h2)}): {way}{size}."
    return text


def _without_year(header: str) -> str:
    """A header less the years in it ("Net Cost £000s" of "2025-26 Net Cost £000s")."""
    return _PERIOD.sub(" ", header)


def _year_of(header: str) -> str:
    """The year a period column is headed by ("2025-26" of "2025-26 Year 1 £000s"), else the header."""
    m = re.search(r"(?:19|20)\d\d\s*[-/]\s*\d\d", header)
    return m.group(0) if m else " ".join(header.split())


def period_extreme(index: "CellIndex", cell: Cell, lowest: bool, within: tuple[int, int] | None = None,
                   numbered: tuple[int, int] | None = None, move: str | None = None) -> str | None:
    """The year (or month) column in which the cell's row (and the same row continued in another table of
    the document, a programme printed over two pages) has its smallest or largest value; with `move`
    ("fall" or "rise"), the two periods in a row between which it falls or rises the most."""
    # the row's own name cell ("Total Cash Limit"; "DCED" of "DCED (Deputy Chief Executive's Department)")
    label = max((c for c in cell.row.cells if c.strip() and c in cell.label and _is_label(c)), key=len,
                default=cell.label)
    pairs: list[tuple[str, str, float]] = []
    for row in index.rows:
        if row.doc_id != cell.row.doc_id or label not in row.cells:
            continue
        for header, value in zip(row.header, row.cells):
            number = parse_money(value) if _NUMERIC.match(value.strip().strip("()")) else None
            year = year_column(header)
            if within and (year is None or not within[0] <= year <= within[1]):
                continue   # "2029-30 onwards": only the years asked
            n = YEAR_NUMBER_HEADER.search(header)
            if numbered and (n is None or not numbered[0] <= int(n.group(1)) <= numbered[1]):
                continue   # "years 5 to 10": only the columns headed Year 5 to Year 10
            if period_column(header) and number is not None:
                pairs.append((" ".join(header.split()), " ".join(value.split()), number))
    if len(pairs) < 2:
        return None
    if move is not None:
        steps = [(a, b, b[2] - a[2]) for a, b in zip(pairs, pairs[1:])]
        (h1, v1, _), (h2, v2, _), gap = (min if move == "fall" else max)(steps, key=lambda s: s[2])
        if (gap < 0) != (move == "fall") or not gap:
            return None   # it never falls (or rises) from one period to the next
        size = f"{abs(gap):,.1f}".removesuffix(".0")
        return (f"{label} {'falls' if gap < 0 else 'rises'} most from {h1} to {h2}: {with_unit(v1, h1)} to "
                f"{with_unit(v2, h2)}, a {'fall' if gap < 0 else 'rise'} of {with_unit(size, h1)}. By year: "
                + "; ".join(f"{h} {v}" for h, v, _ in pairs) + ".")
    header, value, _ = (min if lowest else max)(pairs, key=lambda p: p[2])
    word = "smallest" if lowest else "largest"
    by = "year" if all(year_column(h) is not None for h, _, _ in pairs) else "period"
    return (f"{label} is {word} in {header}: {with_unit(value, header)}. By {by}: "
            + "; ".join(f"{h} {v}" for h, v, _ in pairs) + ".")


def money_scale(header: str) -> float | None:
    """Pounds per unit of a money column, from its header ('£m' -> 1,000,000; '£000s' -> 1,000)."""
    if re.search(r"£\s?m\b|£\s?million|\(£m\)", header, re.IGNORECASE):
        return 1e6
    if re.search(r"£\s?'?000s?|£k\b", header, re.IGNORECASE):
        return 1e3
    return None


def with_unit(value: str, header: str) -> str:
    """A number under a money header, written as money ('165.0' under '£m' -> '£165.0m')."""
    number = value.replace(",", "")
    scale = money_scale(header)
    if scale is None or not re.fullmatch(r"-?\d+(?:\.\d+)?", number):
        return value
    if scale == 1e6:
        return f"£{value}m"
    pounds = float(number) * scale
    if abs(pounds) < 1e6:   # "£45 thousand (£45,000)", not "(£0.0m)"
        return f"£{value} thousand (£{pounds:,.0f})"
    return f"£{value} thousand (£{pounds / 1e6:,.1f}m)"


#: Parts of a name that its initials are taken from one by one ("Human Resources & Organisational
#: Development" is "HR & OD" as well as "HROD").
_NAME_PARTS = re.compile(r"\s*(?:&|\band\b|,|/|\s[-–—]\s)\s*")
_SMALL_WORDS = frozenset({"of", "the", "for", "in", "on", "to", "a", "an"})


def label_acronyms(cell: str) -> frozenset[str]:
    """The initials people write for a row's name: each part's and the whole name's, lower case, of at
    least two letters ("hr", "od", "hrod" for "Human Resources & Organisational Development")."""
    def initials(text: str) -> str:
        return "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text) if w.lower() not in _SMALL_WORDS).lower()
    if len(cell) > SHORT_LABEL_CHARS * 2 or not re.search(r"[A-Z]", cell):
        return frozenset()
    # (a short form the name already carries in brackets is no word of it: "Unaccompanied Asylum Seeking
    # (UAS) Children" is "uasc")
    bare = re.sub(r"\s*\([A-Z]{2,}\)", " ", cell)
    forms = {initials(part) for part in _NAME_PARTS.split(cell) if len(part.split()) >= 2} | {initials(cell), initials(bare)}
    return frozenset(f for f in forms if len(f) >= 2)


#: A follow-up names another column of the row answered before by this share of its header's words.
BESIDE_SAID = 0.5
#: Number words a question may write for a header's figure ("the four year one": "4 year deliverables").
_NUMBER_WORDS = {w: str(n) for w, n in NUMBER_WORDS.items()}


def other_column_asked(question: str, row: TableRow, previous: str) -> int | None:
    """The column of `row` a follow-up names instead of the `previous` header ("and the matching 4 year one?"
    after a "1 year deliverables" cell): the header whose words, its figures too, the question says most
    of, at least BESIDE_SAID of them; None when none, or the previous column, is named best."""
    tokens = re.findall(r"[a-z0-9]+", question.lower())
    # ("the four year one": a number word before its unit is a figure; "one" alone stands for the thing)
    words = {_NUMBER_WORDS[w] if w in _NUMBER_WORDS and (w != "one" or nxt in ("year", "yr")) else w
             for w, nxt in zip(tokens, [*tokens[1:], ""])}
    asked = set(terms(" ".join(words))) | {w for w in words if w.isdigit()}
    scored = []
    for j, header in enumerate(row.header):
        name = (set(terms(header_name(header))) | set(re.findall(r"\b\d+\b", header_name(header)))) - UNIT_WORDS
        if not name or not row.cells[j].strip():
            continue
        said = name & asked
        # (a header of one word said whole; or two of its words and most of it: "deliverable" alone does not
        # name "Deliverable listed in the Council Plan")
        if said and (len(name) == 1 or len(said) >= 2):
            scored.append((len(said) / len(name), j))
    best = max(scored, default=None)
    if best is None or best[0] < BESIDE_SAID or \
            any(s == best[0] and j != best[1] for s, j in scored):   # two headers said alike: neither
        return None
    return None if " ".join(row.header[best[1]].split()) == " ".join(previous.split()) else best[1]


def header_name(header: str) -> str:
    """A header's name less a unit in brackets ("New Vehicle Optimum Life (Years)": its first four words)."""
    return " ".join(_BRACKETED_UNIT.sub(" ", header).split())


def other_size(asked: set[tuple[float, str]], cells: tuple[str, ...] | list[str]) -> bool:
    """The row's name cells give a size in a unit the question sizes too, and none the question asks."""
    said = set().union(*(sizes_in(c) for c in cells if _is_label(c))) if cells else set()
    units = {u for _, u in asked}
    same_unit = {s for s in said if s[1] in units}
    return bool(same_unit) and not (same_unit & asked)


#: Words that say figures are added ("income plus grants combined", "across two years together"): they
#: name no row or column (table_ops sets them aside too).
ADDED_UP = re.compile(r"\b(?:plus|combined|together|altogether|all told|between them|in total|added up|add up|"
                      r"sum of)\b")


def adding_words(lower: str) -> frozenset[str]:
    """Stems of the words of a (lower-case) question that say its figures are added."""
    return frozenset(t for m in ADDED_UP.finditer(lower) for t in terms(m.group(0)))


def added_columns(question: str, cell: Cell) -> str | None:
    """"Care leavers service - income plus grants combined?": the figures of the columns of the cell's row
    the question names in full (less their year and unit), of the cell's year, added up; None unless the
    cell's own column is one of two or more such."""
    words = set(terms(question))
    period = _PERIOD.findall(cell.row.header[cell.column])
    picked = []
    for i, (header, value) in enumerate(zip(cell.row.header, cell.row.cells)):
        name = set(terms(header_name(_PERIOD.sub(" ", header)))) - UNIT_WORDS
        if name and name <= words and _PERIOD.findall(header) == period and parse_money(value) is not None:
            picked.append(i)
    if cell.column not in picked or len(picked) < 2:
        return None
    figures = [cell.row.cells[i].strip() for i in picked]
    parts = " + ".join(f"{' '.join(cell.row.header[i].split())} {f}" for i, f in zip(picked, figures))
    return f"{cell.label}: {parts} = {sum_as_printed(figures)}."


def _is_label(cell: str) -> bool:
    text = cell.strip()
    return bool(text) and len(text) <= LABEL_CELL_MAX_CHARS and not _NUMERIC.match(text)


def _meaningful_header(header: str) -> bool:
    """A header that names its column (not 'column 3', not blank)."""
    text = header.strip().lower()
    return bool(re.search(r"[a-z]{2}|\d{4}", text)) and not re.fullmatch(r"column \d+", text)


def _label_precision(labels: list[frozenset[str]], column: int, wanted: set[str]) -> float:
    """How much of the row's best-matching name cell the question says (1.0: every word of it)."""
    shares = [len(words & wanted) / len(words) for i, words in enumerate(labels) if i != column and words]
    return max(shares, default=0.0)


def _label_share(labels: list[frozenset[str]], column: int, wanted: set[str]) -> float:
    """How much of all the row's name cells together the question says."""
    words = frozenset().union(*(w for i, w in enumerate(labels) if i != column)) if labels else frozenset()
    return len(words & wanted) / len(words) if words else 0.0


def label_of(row: TableRow, column: int, wanted: set[str]) -> str:
    """The row's name: the text cell the question names best, then up to two other short ones."""
    names = [(len(set(terms(c)) & wanted) / max(len(terms(c)), 1), i, " ".join(c.split()))
             for i, c in enumerate(row.cells) if i != column and _is_label(c)]
    if not names:
        return "this row"
    names.sort(key=lambda n: (-n[0], n[1]))
    main = names[0][2]
    rest = [n for _, _, n in names[1:] if len(n) <= SHORT_LABEL_CHARS][:2]
    return f"{main} ({', '.join(rest)})" if rest else main


def columns_and_rows(cell: Cell) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    """The whole row as a one-row table, for the answer's table view."""
    return tuple(" ".join(h.split()) or f"column {i + 1}" for i, h in enumerate(cell.row.header)), \
        (tuple(cell.row.cells),)
