"""Aggregates over the rows of any one table, whatever its columns: counts, totals, averages, the
largest and smallest row, two rows or groups compared, and the group with the most.

The typed tables (actions, KPIs, procurements, ...) answer aggregates over the columns the semantic
layer knows. A document's other tables ("Vehicle Replacement Programme 2020-2021", "Number of phone
calls to Contact Point (thousands)", "Complaints Monitoring") keep every cell in `raw_rows`, and their
numbers (a quantity, a cost per vehicle, a quarter's complaints) are in columns no typed table has.
This answerer reads them:
- the table: one whose name (caption or heading), context, headers and cells explain the question's
  words, with its name or a numeric column's header said outright;
- the column: the numeric column whose header the question names (its words, or the year or quarter
  it is for);
- the rows: those whose cells hold the question's remaining words, or the department it names;
- the operation: from the wording (`plan.operation_of`, "how many", "which is bigger, X or Y").
It passes (returns None) whenever one of these is not clear, so the typed answerers keep the rest.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any, Callable, Literal

from assistant.models import Citation
from assistant.router import column_compare, named_rows
from assistant.router.cell_conditions import Condition, condition_words, figure_conditions, without_band
from assistant.router.cells import (UNIT_WORDS, YEAR_NUMBER_HEADER, YEAR_NUMBERS, adding_words, money_scale, other_size,
                                    with_unit, year_column)
from assistant.router.data import Database, quote
from assistant.router.extract import stem, terms
from assistant.router.plan import SUM_VERB, comparative, operation_of, ranks_by_date
from assistant.router.semantic import LABELS, ROW_NOUNS
from assistant.router.sheets import ID_HEADER, NEUTRAL_WORDS, Line, Sheet, Sheets, number
from assistant.router.understand import MOST_NEGATIVE, SET_ASIDE, Lexicon, parse_dates, period_spellings
from assistant.router.verify import counted_words
from assistant.text import fold, sizes_in
from assistant.text import words as plain_words

Op = Literal["count", "list", "sum", "average", "max", "min", "group_top", "compare", "change"]

#: Share of the question's required words (weighted by rarity) that the table may leave unexplained
#: (a loose word of a long question); one word in five that another table holds is too many.
UNEXPLAINED_MAX = 0.15
#: The table's name must be said: at least this share of its name's content words...
NAME_SAID = 0.5
#: ...or a numeric column's header by at least this share of its words ("annual budget cost").
HEADER_SAID = 0.5
#: A name or header is said by at least this many of its words: one word ("care", "funding") is a
#: topic many tables share, not the name of one.
MIN_WORDS_SAID = 2
#: A word that only one table's cells hold names that table only when it is at least this long (not "hr").
MIN_ONLY_WORD = 4
#: The column asked must hold a number in at least this share of the rows chosen; fewer, and the
#: table's text was not read cleanly (cells run together), so its sums would be wrong.
VALUED_SHARE = 0.6
#: Rows listed beside an aggregate's answer (the largest few; the cited rows).
SHOWN_ROWS = 3
#: Rows named in a "which X has the most rows" answer (the follow-up "list them" gives them all).
LISTED_ROWS = 10
MAX_ROWS_CITED = 20
#: A label column's header this short and all letters ("Dir") may be the short form of the noun counted.
SHORT_HEADER = 4
#: The noun counted or listed is among this many words after "how many" / "which" ("which ccp divisions").
COUNTED_NOUN_WINDOW = 3

#: A column counting things ("Quantity to Replace", "Number of Units"): "how many" sums it.
_QUANTITY_HEADER = re.compile(r"\b(?:quantity|qty|number of|no\.? of|units|count)\b", re.IGNORECASE)
#: "leaving out finance's zero", "excluding X", "apart from X", "after X, which ...": the rows (or columns) set
#: aside, up to a break (one pattern, understand's).
_LEFT_OUT = SET_ASIDE
#: A table is named as a division by a name of its department of at least this many words ("Integrated
#: Children's Services"), not by the department's initials alone ("CYPE" of a CYPE table of another division).
DIVISION_NAME_WORDS = 2
#: Department names whose stems are remembered (a corpus has a few hundred names and aliases).
NAME_TERMS_CACHE = 4096
#: "(incl prior yrs)", "including grants": what the figure asked takes in.
INCLUDING = re.compile(r"\b(?:incl\.?|including|inclusive of)\s+[^),;?.]+|"
                       r"(?<=[,(])\s*[^),;?.]+?\s+(?:included|inclusive)\b")   # ", prior years' spend included"
#: A column a condition tests is named within this many words of it ("with a cost per vehicle over £50k").
CONDITION_NAME_WORDS = 4
#: "how many vehicle lines / types": the rows are counted, not the quantity column added up.
_COUNTS_LINES = re.compile(r"\bhow many\s+(?:[\w&/-]+\s+){0,2}?(?:lines|types|rows|entries|kinds|items|categories)\b")
#: A per-unit or rate column does not add up ("Estimated Capital Cost per Vehicle").
_RATE_HEADER = re.compile(r"\bper\b|%|\brate\b|\baverage\b|\bpercentage\b", re.IGNORECASE)
#: A column for one year ("2025-26 Year 1 £000s"), and columns that span years ("Total Cost", "Prior Years").
_DATE_HEADER = re.compile(r"\b(?:date|start|due|timescale|timeframe|deadline)\b", re.IGNORECASE)
#: "Which is bigger, X or Y", "X vs Y", "compare X and Y", "more on X or on Y".
_COMPARE = re.compile(r"\b(?:vs\.?|versus|compared? (?:to|with)|compare)\b|"
                      r"\bhow much (?:more|less|bigger|larger|higher|greater|smaller|lower)\b.*\bthan\b|"
                      r"\b(?:bigger|larger|higher|greater|more|less|smaller|lower|cheaper|dearer)\b.*\bor\b|"
                      r"\bor\b.*\b(?:bigger|larger|higher|greater|more|less|smaller|lower)\b|"
                      r"^(?:is|are|was|were)\b.*\b(?:bigger|larger|higher|greater|more|less|smaller|lower|cheaper|"
                      r"dearer)\s+than\b")   # "is the countryside saving bigger than the digital derbyshire one"
_HOW_MANY = re.compile(r"\bhow many\b")
#: "Which user has the most ...", "which service had the fewest ...": the group (or row) ranked first.
_WHICH_MOST = re.compile(r"\bwhich\s+(?!(?:is|are|was|were|has|had|have|does|do|did|one|of)\b)(\w+)\b.*\b(?:most|largest|biggest|highest|greatest|fewest|least|smallest|"
                         r"lowest)\b")
_ASCENDING = re.compile(r"\b(?:fewest|least|smallest|lowest|cheapest|minimum)\b")
#: "Which divisions have a negative ...", "list the years ...": the rows (or years) that meet a condition.
_WHICH_ROWS = re.compile(r"^(?:please\s+)?(?:which|what|list|show|name|give me)\b|\bin which\b")
#: "across 2025-26 to 2034-35", "between 2026-27 and 2028-29": a span of years, whose figures a "how
#: much" adds up.
_YEAR_SPAN = re.compile(r"\b(?:across|from|between|over|in)\s+(?:the\s+)?(?:years?\s+)?(?:20)?\d\d[-/](?:20)?\d\d\s+"
                        r"(?:to|and|until|through|-)\s+(?:20)?\d\d[-/](?:20)?\d\d\b")
#: A cell that says "nothing" in a table of figures: blank, or a dash.
#: The verbs of a figure's movement: "drops", "rose", "went up", "changed".
MOVE_VERBS = (r"\b(?:drops?|dropped|falls?|fell|fallen|rises?|rose|risen|increases?|increased|decreases?|decreased|"
              r"changes?|changed|grows?|grew|grown|(?:go|goes|went|gone) (?:up|down))\b")
#: A figure's movement between two years ("drop from 2025-26 to 2026-27", "how much did it go up between ...").
_CHANGED = re.compile(r"\b(?:how much|by how much|how far)\b.*" + MOVE_VERBS + "|"
                      # "change from 26-27 to 27-28?", "rise on the 2024-25 base?": the change asked without "how much"
                      r"\b(?:change|rise|increase|decrease|drop|fall|growth|movement)\s+(?:from|between|on|since)\b|"
                      # "2027-28 v 2028-29, what's the fall": the change asked of two years
                      r"\bwhat(?:'s| is| was)? the (?:drop|fall|rise|increase|decrease|change|growth|movement)\b|"
                      # "developer contributions drop 2027-28 to 2028-29 - by how much?": the change, then the ask
                      + MOVE_VERBS + r".*\b(?:by how much|how much)\b")
#: The words of a change asked ("change", "rise", "drop", "go up").
_CHANGE_WORD = re.compile(r"\b(?:drops?|dropped|falls?|fell|rises?|rose|increases?|increased|decreases?|decreased|changes?|"
                          r"changed|grows?|grew|growth|movement|vs|versus|lower|higher|bigger|smaller|later|earlier)\b")
#: A word of digits and letters that names a thing ("4x4", "4x4s"), not a number, year or sum.
_CODE_WORD = re.compile(r"\d+[a-z]+\d+[a-z]*")
#: A yes-or-no question about any rows of a kind: "is ccp replacing any HGVs", "are there any ... ?".
_ANY_ROWS = re.compile(r"^(?:is|are|does|do|did|will|has|have|was|were)\b[^?]*\bany\b")
_NIL_CELL = re.compile(r"^\s*[-–—]?\s*$")
_HOW_MUCH = re.compile(r"\bhow much\b")
#: "all ten years added up", "over the five years": every year column of the row.
ALL_YEARS = re.compile(r"\ball\s+(?:the\s+)?(?:ten|five|\d+)\s+years\b|\b(?:over|across)\s+(?:all\s+)?the\s+"
                       r"(?:ten|five|\d+)\s+years\b|\bacross all (?:the )?years\b")
#: "yrs 1-4", "years 2 to 5": a programme's years by their number ("2026-27 Year 2 £000s").
#: "In how many of the ten years ...", "which years ...": the year columns of one row are counted, not rows.
_YEARS_COUNTED = re.compile(r"\b(?:how many|which|what)\s+(?:of the\s+)?(?:\w+\s+){0,3}?years\b|"
                            r"\bin which (?:\w+\s+){0,2}?years?\b")


@dataclass(frozen=True)
class Result:
    """An aggregate's answer: its sentence, the rows it used and where they are."""

    text: str
    sheet: Sheet
    rows: tuple[Line, ...]
    operation: Op
    measure: str | None
    filters: tuple[str, ...]
    confidence: float

    def plan(self) -> dict[str, Any]:
        """The answer contract's `plan`: the operation over the raw table, its column and filters."""
        out: dict[str, Any] = {"operation": self.operation, "tables": [f"raw_rows:{self.sheet.table_id}"],
                               "filters": {"contains": list(self.filters)} if self.filters else {},
                               "fields": ["value"], "table_name": self.sheet.name}
        if self.measure:
            out["measure"] = self.measure
        return out

    def citations(self, db: Database) -> tuple[Citation, ...]:
        lines = db.lines(self.sheet.file)
        return tuple(Citation(file=self.sheet.file, title=self.sheet.title, section=self.sheet.section,
                              line_start=r.line_start, line_end=r.line_end,
                              quote=quote(lines, r.line_start, r.line_end), page=r.page)
                     for r in self.rows[:MAX_ROWS_CITED])


# ----------------------------------------------------------------------------- the question

def counts_altogether(lower: str) -> bool:
    """"How many ... altogether / in total": a count of rows (their quantities added), never one row's figure."""
    found = operation_of(lower)
    return found is not None and found[0] == "sum" and _HOW_MANY.search(lower) is not None


def operation(lower: str, intent: str) -> Op | None:
    """The aggregate the wording asks for, if any; with conditions on figures ("above £100m"), "how
    many" counts the rows (or years) that meet them and "which" lists them."""
    conditions = figure_conditions(lower)
    if conditions and _HOW_MANY.search(lower):
        return "count"   # "how many directorates have a total cost above £100m": not a total
    if _CHANGED.search(lower) and sum(1 for d in parse_dates(lower) if d.fy_label) in (1, 2) and not _COMPARE.search(lower):
        return "change"   # "how much does GET capital drop from 2025-26 to 2026-27", "... go up by in 2025-26"
    if _COMPARE.search(lower) or column_compare.asked(lower) is not None:
        return "compare"
    if _WHICH_MOST.search(lower):
        return "group_top"
    found = operation_of(lower) or comparative(lower)
    if counts_altogether(lower):
        return "count"   # "how many altogether": the quantities counted (a quantity column's figures added)
    if found is not None and found[0] in ("sum", "average", "max", "min", "group_top"):
        return found[0]  # type: ignore[return-value]
    if intent == "count" or _HOW_MANY.search(lower):
        return "count"
    if _HOW_MUCH.search(lower) and (_YEAR_SPAN.search(lower) or ALL_YEARS.search(lower)):
        return "sum"   # "how much do loan repayments put in across 2025-26 to 2034-35"
    if conditions and _WHICH_ROWS.search(lower):
        return "list"
    if _ANY_ROWS.search(lower):
        return "list"   # "is ccp replacing any HGVs": the rows that mention them, listed
    if _HOW_MUCH.search(lower) and _LEFT_OUT.search(lower):
        return "sum"   # "how much is for everything except GET": the other rows added up
    return None


@dataclass(frozen=True)
class Asked:
    """The question as this answerer reads it."""

    lower: str
    op: Op
    descending: bool
    words: tuple[str, ...]        # content stems, scope words removed
    said: frozenset[str]          # every content stem of the question, scope words too ("Public Transport")
    weight: dict[str, float]
    periods: tuple[str, ...]      # spellings of the years asked ("2020-21", "2020/21")
    departments: tuple[str, ...]  # names of the departments asked, folded
    department_aliases: tuple[tuple[str, ...], ...]
    years: tuple[int, ...] = ()   # first years of the financial years asked (2025 of "2025-26"), as said
    documents: frozenset[str] = frozenset()   # documents named by kind or title: a table titled as its document is named
    tables: frozenset[str] = frozenset()      # tables the conversation is about (the previous answer's rows): named
    status: tuple[str, ...] = ()               # status words a row's cell must hold ("completed", "ongoing", "tbc")
    conditions: tuple[Condition, ...] = ()     # tests a figure must meet ("above £100m", "exactly 650")
    excluded: frozenset[str] = frozenset()     # words of the rows set aside ("leaving out finance's zero")
    text: str = ""                             # the question as typed (initials in capitals: "H&T")

    @cached_property
    def typed_initials(self) -> frozenset[str]:
        """Stems of the initials the question types in capitals, however short ("HGVs": hgv), read once."""
        return frozenset(t for w in re.findall(r"\b([A-Z]{2,})s?\b", self.text) for t in terms(w))


def ask(u: Any, lexicon: Lexicon, scope_words: frozenset[str], departments: tuple[str, ...],
        aliases: Callable[[str], tuple[str, ...]], documents: frozenset[str] = frozenset(),
        op: Op | None = None, descending: bool | None = None) -> Asked | None:
    """Read an understood question (`router.understand.Understanding`) for a table aggregate; `op`
    and `descending` given: a follow-up's own operation, over the words of the question it adds to."""
    # a band the question names by its sums ("ETE's 25k-50k procurements") is a group, not a test of figures
    conditions = without_band(figure_conditions(u.lower), tuple(v for _, _, v in getattr(u, "groups", ())))
    op = op or operation(u.lower, u.intent)
    if op is None:
        return None
    if any(not d.fy_label and d.relative is None for d in u.dates):
        # "procurements starting in 2020": a date filter needs the typed rows' start or due dates; a
        # table's cells cannot say which date is which, and the filter must not be dropped ("this
        # year" is the plan's own year: every row of the plan is of it)
        return None
    if descending is None:
        descending = not (_ASCENDING.search(u.lower) or MOST_NEGATIVE.search(u.lower))
    status_stems = {t for w in (u.status[1] if getattr(u, "status", None) else ()) for t in terms(w)}
    said_conditions = condition_words(conditions) | {t for m in SUM_VERB.finditer(u.lower) for t in terms(m.group(1))}
    left_out = _LEFT_OUT.search(u.lower)
    aside_said = (left_out.group("a") or left_out.group("b")) if left_out else ""
    excluded = frozenset(terms(aside_said))
    if left_out:   # "everything except GET": the department set aside is no scope of the rows
        aside = f" {fold(aside_said)} "
        departments = tuple(d for d in departments if not any(f" {fold(a)} " in aside for a in (d, *aliases(d))))
    setting_aside = frozenset(terms(left_out.group(0))) if left_out else frozenset()   # "not counting": no row's words
    # "the total cost (incl prior yrs)": what a figure takes in names neither its row nor its column
    setting_aside |= frozenset(t for m in INCLUDING.finditer(u.lower) for t in terms(m.group(0)))
    if op in ("change", "compare"):   # "change from 26-27 to 27-28", "how much lower is the later year": no row's words
        setting_aside |= frozenset(t for m in _CHANGE_WORD.finditer(u.lower) for t in terms(m.group(0)))
    if op == "sum":   # "across 25-26 and 26-27 together": how the figures are taken, no row's words
        setting_aside |= adding_words(u.lower)
    words = tuple(t for t in dict.fromkeys(terms(u.text)) if t not in scope_words
                  and (not t[:1].isdigit() or _CODE_WORD.fullmatch(t))
                  and t not in status_stems and t not in said_conditions and t not in setting_aside)
    periods = tuple(f for d in u.dates if d.fy_label for f in period_spellings(d.fy_label))
    return Asked(u.lower, op, descending, words, frozenset(terms(u.text)), {t: lexicon.idf(t) for t in words}, periods,
                 tuple(fold(d) for d in departments),
                 tuple(tuple(fold(a) for a in aliases(d)) for d in departments),
                 tuple(dict.fromkeys(int(d.fy_label[:4]) for d in u.dates if d.fy_label)), documents,
                 status=tuple(u.status[1]) if getattr(u, "status", None) else (), conditions=conditions,
                 excluded=excluded, text=u.text)


# ----------------------------------------------------------------------------- answering

def _spelt(sheets: Sheets, asked: Asked) -> Asked:
    """The question's words as the tables write them: an acronym's plural ("HGVs") as the acronym."""
    def own(t: str) -> str:
        return t[:-1] if t not in sheets.words and t.endswith("s") and t[:-1] in sheets.words else t
    words = tuple(dict.fromkeys(own(t) for t in asked.words))
    return replace(asked, words=words, weight={own(t): w for t, w in asked.weight.items()})


def answer(sheets: Sheets, asked: Asked, allowed: Callable[[Sheet], bool]) -> Result | None:
    """The aggregate over the table the question names, or None when no table is clearly meant."""
    periods = column_compare.asked(asked.lower) if asked.op == "compare" else None
    if periods is not None:   # "which had a lower X in Oct-Dec 24 than in Jul-Sep 24": two columns of each row
        return _periods_compared(sheets, asked, periods, allowed)
    if asked.op == "sum" and (names := named_rows.listed(asked.text or asked.lower)):
        listed = _listed_sum(sheets, asked, names, allowed)   # "(Carer Services, Community Services and ...)"
        if listed is not None:   # (else the brackets gave one row's other names: "(arts council, district ... etc)")
            return listed
    candidates: list[tuple[tuple[float, ...], Sheet, list[Line], tuple[str, ...]]] = []
    # words no table holds ("briefing", "afternoon" of a preamble) tell no table apart: set aside
    asked = _spelt(sheets, asked)
    # a sum the conditions test ("over £100m") may name a band of a table, but need not be in one
    tested = {t for c in asked.conditions for t in terms(c.text)}
    required = [t for t in asked.words if t not in NEUTRAL_WORDS and t in sheets.words and t not in tested]
    total = sum(asked.weight[t] for t in required)
    one_row_years = _one_row_years(asked)
    sizes = sizes_in(asked.text or asked.lower)
    for sheet in sheets.sheets:
        if not allowed(sheet):
            continue
        rows = _in_department(sheet, asked)
        if not rows:
            continue
        table_words = sheet.name_words | sheet.context_words | frozenset().union(*sheet.header_words)
        cell_words = frozenset().union(*(r.words for r in rows + (list(sheet.totals) if one_row_years else [])))
        unexplained = sum(asked.weight[t] for t in required if t not in table_words and t not in cell_words)
        if total and unexplained > UNEXPLAINED_MAX * total:
            continue
        # the name as said, the department or council words in it too ("... – Leisure, Culture and Tourism")
        # (a name all of whose words are the scope's, "Adult Social Care", names the scope, not a table)
        # (a name of one word, "Funded By", is said by that word when the question also tests its figures:
        # "which grants in the funding summary are over £100m"; alone, "funding" names no table)
        name_share = max((len(content & asked.said) / len(content) for words, content in sheet.name_phrases
                          if len(words & asked.said) >= (min(MIN_WORDS_SAID, len(words)) if asked.conditions
                                                         else MIN_WORDS_SAID) and content & set(asked.words)),
                         default=1.0 if sheet.table_id in asked.tables or (
                             sheet.doc_id in asked.documents and _is_title(sheet)) else 0.0)
        # a header said whole names its column ("supplies & services", "total cost"), one word of it
        # ("income") when the question also names the kind of row ("which budget line brings in the most income")
        kind_said = _kind_said(sheet, asked)
        whole = MIN_WORDS_SAID - 1 if kind_said else MIN_WORDS_SAID
        # ... or, with the kind of row said, a word only its header has ("which lines have negative recharges")
        headers_with = Counter(t for words in sheet.header_words for t in words) if kind_said else Counter()
        header_said = any(sheet.numeric[j] and (_header_said(sheet, j, asked) or _header_said_whole(sheet, j, asked, whole)
                                                or (kind_said and _header_word_own(sheet, j, asked, headers_with)))
                          for j in range(len(sheet.header))) or _years_added(sheet, asked)
        # a division's own table, in another department (a department's own table is not named by it)
        # (a bare count is not of it: "how many FTE are in the Public Health division", "how many E&S KPIs")
        division = fold(sheet.department) not in asked.departments and not (asked.op == "count" and not asked.conditions)
        if division and _division_named(sheet, asked, least=DIVISION_NAME_WORDS):
            name_share = 1.0   # "which integrated children's services line ...": the division's own table
        elif division and name_share < NAME_SAID and _division_named(sheet, asked):
            name_share = NAME_SAID   # "... in Growth & Communities": named by one word of a department's name
        if name_share < NAME_SAID and _only_table_of(sheets, sheet, cell_words, asked):
            name_share = NAME_SAID   # "how many gritters are being replaced": a word of its name and one only it holds
        if name_share < NAME_SAID and (not header_said or asked.op == "count" and not asked.conditions):
            continue  # neither the table's name nor (but for a count of rows) a column's header is said
        # the words only cells hold select rows; a comparison's two sides each hold some of them
        filters = () if asked.op == "compare" else tuple(t for t in required if t not in table_words and t in cell_words)
        # rows set aside by their own words ("leaving out finance"); words of the headers set aside columns
        drop = asked.excluded - frozenset().union(*sheet.header_words)
        # a status asked of a column the question names ("no value yet (TBA)") is read in that column only
        # (its header's words less those that name the table: "procurements" names no start column)
        named = set(asked.words) - sheet.name_words - sheet.context_words
        status_columns = [j for j, words in enumerate(sheet.header_words) if words & named] if asked.status else []
        kept = [r for r in rows if all(t in r.words for t in filters) and _has_status(r, asked.status, status_columns)
                and not drop & r.words and not (sizes and other_size(sizes, r.cells))]   # "3.5t": not a 3.0t row
        aside = {r.group for r in rows if drop & r.words}
        if len(aside) == 1 and not filters:   # "everything except GET": the rows of GET's own group, not the funding
            kept = [r for r in kept if r.group in aside]
        if not kept and filters and one_row_years:   # "total cash limit for yrs 1-4 added up": a printed total's years
            kept = [r for r in sheet.totals if all(t in r.words for t in filters)]
        if not kept:
            continue
        at_table = sum(asked.weight[t] for t in required if t in table_words) / total if total else 1.0
        key = (round(1 - unexplained / total if total else 1.0, 3), round(name_share, 3), round(at_table, 3),
               header_said)
        candidates.append((key, sheet, kept, filters))
    # the best-named table first; the next when the operation cannot run on it (no such column)
    for key, sheet, rows, filters in sorted(candidates, key=lambda c: c[0], reverse=True):
        siblings = [s for s in sheets.sheets if s is not sheet and s.doc_id == sheet.doc_id and s.name == sheet.name]
        result = _run(sheet, rows, filters, asked, confidence=min(0.9, key[0]), siblings=siblings)
        if result is not None:
            return result
    return None


def _listed_sum(sheets: Sheets, asked: Asked, names: list[str], allowed: Callable[[Sheet], bool]) -> Result | None:
    """The figures of the rows a question lists by name, added up: the column the question names (the
    same header in each row's table), else the one column every listed row gives a figure in (when two
    such columns give the same figures, "Grants" and "Net Cost" of a grant, either is that figure)."""
    context = named_rows.context_words(asked.said, names, lambda t: asked.weight.get(t, 1.0))
    picked = named_rows.pick(names, (s for s in sheets.sheets if allowed(s)), context, sheets.words, asked.periods)
    if picked is None:
        return None
    columns = {named for p in picked if (named := _measure(p.sheet, asked, adds_up=True)) is not None
               and _header_weight(p.sheet, named, asked) > 0}
    headers = {" ".join(p.sheet.header[j].split()) for p in picked for j in columns}
    if len(headers) != 1:   # no column named, or different ones: the figure every listed row gives
        given = [{" ".join(p.sheet.header[j].split()): number(p.row.cells[j]) for j in range(len(p.sheet.header))
                  if p.sheet.numeric[j] and number(p.row.cells[j])} for p in picked]
        shared = set.intersection(*(set(g) for g in given))
        sums = {round(sum(g[h] for g in given), 6) for h in shared}   # type: ignore[misc]
        if not shared or len(sums) != 1:
            return None
        headers = {sorted(shared)[0]}
    header = headers.pop()
    values, columns_of = [], []
    for p in picked:
        j = next(k for k, h in enumerate(p.sheet.header) if " ".join(h.split()) == header)
        value = number(p.row.cells[j])
        if value is None:
            return None
        values.append(value)
        columns_of.append(j)
    first = picked[0].sheet
    where = f'"{first.name}"' + (f" ({first.department})" if first.department else "")
    shown = ", ".join(f"{named_rows.row_name(p.sheet, p.row)} {p.row.cells[j].strip()}" for p, j in zip(picked, columns_of))
    tables = len({p.sheet.table_id for p in picked})
    text = f"{_fmt(sum(values), header)} in total: {header} of the {len(picked)} rows named ({shown}), from " + \
        (f"{tables} tables of {first.title}." if tables > 1 else f"{where}.")
    return Result(text, first, tuple(p.row for p in picked), "sum", header, (), 0.8)


def _periods_compared(sheets: Sheets, asked: Asked, periods: column_compare.Asked,
                      allowed: Callable[[Sheet], bool]) -> Result | None:
    """The rows whose value for one period is above (or below) their value for another."""
    # words no table holds ("took"), and words that only ask ("more"), tell no table apart
    periods = replace(periods, words=tuple(t for t in periods.words if t in sheets.words and t not in NEUTRAL_WORDS))
    found = column_compare.rows_compared([s for s in sheets.sheets if allowed(s)], periods, asked.weight)
    if found is None:
        return None
    sheet, first, second, kept = found
    where = f'"{sheet.name}"' + (f" ({sheet.department})" if sheet.department else "")
    h1, h2 = (" ".join(sheet.header[j].split()) for j in (first, second))
    word = "higher" if periods.up else "lower"
    listed = "; ".join(f"{_label(sheet, r)} ({_fmt(a, h1)} against {_fmt(b, h2)})"
                       for r, a, b in kept[:column_compare.LISTED_ROWS])
    valued = sum(1 for r in sheet.rows if number(r.cells[first]) is not None and number(r.cells[second]) is not None)
    text = (f"{len(kept)} of the {valued} rows of {where} have a {word} {h1} than {h2}"
            + (f": {listed}" + ("; …" if len(kept) > column_compare.LISTED_ROWS else "") if kept else "") + ".")
    return Result(text, sheet, tuple(r for r, _, _ in kept), "compare", f"{h1} vs {h2}", (), 0.8)


def _only_table_of(sheets: Sheets, sheet: Sheet, cell_words: frozenset[str], asked: Asked) -> bool:
    """The question says a content word of the table's name and a word that this table's cells alone
    hold, of all the tables ("gritter" of the vehicle replacement programme)."""
    named = any(content & set(asked.words) for _, content in sheet.name_phrases)
    # initials typed in capitals are a word however short ("HGVs"), and so is a code ("4x4")
    return named and any(sheets.cell_tables[t] == 1 and t in cell_words and t not in NEUTRAL_WORDS
                         and (len(t) >= MIN_ONLY_WORD or t in asked.typed_initials or _CODE_WORD.fullmatch(t))
                         for t in asked.words)


def _has_status(row: Line, status: tuple[str, ...], columns: list[int] | None = None) -> bool:
    """The row holds one of the status words asked in a cell of its own ("Completed November 2016"), in
    one of `columns` when the question names any."""
    if not status:
        return True
    cells = [row.cells[j] for j in columns if j < len(row.cells)] if columns else row.cells
    return any(re.search(rf"^\s*{re.escape(w)}\b", c, re.IGNORECASE) for c in cells for w in status)


def _is_title(sheet: Sheet) -> bool:
    """The table's name is its document's title (a capital programme that is one table): naming the
    document names the table."""
    return bool(sheet.name) and fold(sheet.name) in fold(sheet.title)


def _in_department(sheet: Sheet, asked: Asked) -> list[Line]:
    """The table's rows in the departments asked: those whose cells name it (a table of departments,
    "User: Economy, Transport and Environment"), else all of them when the table is the department's."""
    if not asked.departments:
        return list(sheet.rows)
    names = {a for group in asked.department_aliases for a in group}
    named = [r for r in sheet.rows if any(fold(c) in names for j, c in enumerate(r.cells) if sheet.labels[j])]
    if named:
        return named
    # the table of a division the question names by a name of the department ("Integrated Children's
    # Services (Operations and County Wide)" for "CYPE (Integrated Children's Services)")
    if fold(sheet.department) in asked.departments or _division_named(sheet, asked):
        return list(sheet.rows)
    return []


def _division_named(sheet: Sheet, asked: Asked, least: int = 1) -> bool:
    """The table is of a division the question names by a name of its department: every word of one of
    the department's names (of at least `least` words) is a word of the table's name ("Integrated
    Children's Services ...")."""
    return any(len(words := _name_terms(a)) >= least and words <= sheet.name_words
               for group in asked.department_aliases for a in group)


@lru_cache(maxsize=NAME_TERMS_CACHE)
def _name_terms(name: str) -> frozenset[str]:
    """A department name's stems, read once (every table asks them of every alias)."""
    return frozenset(terms(name))


def _said(words: frozenset[str], asked: Asked) -> float:
    """Share of a name's words the question says."""
    return len(words & set(asked.words)) / len(words) if words else 0.0


#: Words that count a table's rows whatever they hold ("how many lines", "how many items").
_ROW_WORDS = frozenset(terms("rows lines items entries things ones"))


def _counts_rows(sheet: Sheet, asked: Asked) -> bool:
    """Whether "how many X" counts the table's rows: X is a noun of rows (semantic.ROW_NOUNS), of this
    table's kind, or a word of its headers; or the question names nothing counted."""
    counted = counted_words(asked.lower)
    if not counted:
        return True
    nouns = set(terms(" ".join(ROW_NOUNS + LABELS.get(sheet.kind, ())))) | _ROW_WORDS
    return bool(counted & (nouns | frozenset().union(*sheet.header_words)))


def _header_said(sheet: Sheet, column: int, asked: Asked) -> bool:
    """The question names this column: enough of its header's words, and two or more of them that ask
    for something ("annual budget cost", "quarter to Dec"; not "total" alone, nor a year)."""
    words = sheet.header_words[column] - UNIT_WORDS
    said = (words - NEUTRAL_WORDS) & set(asked.words)
    return len(said) >= MIN_WORDS_SAID and _said(frozenset(t for t in words if not t[:1].isdigit()), asked) >= HEADER_SAID


def _one_row_years(asked: Asked) -> bool:
    """The question reads one row's year columns: a total over years, or the years meeting a condition."""
    if asked.op == "count":
        return bool(asked.conditions and _YEARS_COUNTED.search(asked.lower))
    if asked.op == "change":
        return len(asked.years) in (1, 2)
    if asked.op == "compare":   # "how much lower is yr 2 than yr 1", "2029-30 vs 2030-31": one row's two years
        return len(_year_numbers(asked.lower)) == 2 or len(asked.years) == 2
    return asked.op == "sum" and (len(asked.years) >= 2 or bool(ALL_YEARS.search(asked.lower))
                                  or bool(YEAR_NUMBERS.search(asked.lower)))


def _years_added(sheet: Sheet, asked: Asked) -> bool:
    """A total over years names the table's year columns: a year asked is one of them, or every year is
    asked ("all ten years added up") of a table by year."""
    years = [y for j, h in enumerate(sheet.header) if sheet.numeric[j] and (y := year_column(h)) is not None]
    if asked.op == "count" and asked.conditions and _YEARS_COUNTED.search(asked.lower):
        return len(years) >= 2   # "in how many of the ten years is borrowing above 40,000"
    if asked.op == "compare" and len(_year_numbers(asked.lower)) == 2:   # "how much lower is yr 2 than yr 1"
        return any(YEAR_NUMBER_HEADER.search(h) for h in sheet.header)
    if asked.op == "compare" and len(asked.years) == 2:   # "GET capital 2029-30 vs 2030-31"
        return len(set(years) & set(asked.years)) == 2
    if asked.op not in ("sum", "change"):
        return False
    return bool(set(years) & set(asked.years)) if len(asked.years) >= 2 or asked.op == "change" else \
        len(years) >= 2 and bool(ALL_YEARS.search(asked.lower) or YEAR_NUMBERS.search(asked.lower))


def _header_said_whole(sheet: Sheet, column: int, asked: Asked, least: int = MIN_WORDS_SAID) -> bool:
    """The question says every word of a header of at least `least` words, however plain ("total cost
    above £100m", "the largest supplies & services budget")."""
    words = {t for t in sheet.header_words[column] - UNIT_WORDS if not t[:1].isdigit()}
    return len(words) >= least and words <= set(asked.words)


def _header_word_own(sheet: Sheet, column: int, asked: Asked, headers_with: Counter[str]) -> bool:
    """The question says a word of this header that no other header of the table has ("recharges" of
    "Controllable Recharges"); `headers_with`: how many of the table's headers hold each word."""
    own = {t for t in sheet.header_words[column] - UNIT_WORDS - NEUTRAL_WORDS
           if headers_with[t] == 1 and len(t) >= MIN_ONLY_WORD and not t[:1].isdigit()}
    return bool(own & set(asked.words))


def _kind_said(sheet: Sheet, asked: Asked) -> bool:
    """The question names the kind of row the table holds ("budget line", "contract")."""
    label = LABELS.get(sheet.kind)
    # the name's last word is the row itself: "which lines have ..." of a table of budget lines
    return label is not None and any(terms(name)[-1:] and terms(name)[-1] in asked.said for name in label)


def _header_share(sheet: Sheet, column: int, asked: Asked) -> float:
    """Share of a header's words the question says (a year or quarter it is for counts half)."""
    words = sheet.header_words[column] - UNIT_WORDS
    share = _said(words, asked)
    header = sheet.header[column].lower()
    if asked.periods and any(p.lower() in header for p in asked.periods):
        share += 0.5   # the column for the year asked
    return share


def _header_weight(sheet: Sheet, column: int, asked: Asked) -> float:
    """The rarity-weighted words of a header the question says, beyond those that named the table."""
    words = (sheet.header_words[column] - UNIT_WORDS) & set(asked.words)
    weight = sum(asked.weight[t] for t in words if t not in sheet.name_words)
    header = sheet.header[column].lower()
    if asked.periods and any(p.lower() in header for p in asked.periods):
        weight += max(asked.weight.values(), default=1.0)
    return weight


#: "per vehicle", "per unit": the unit a figure asked is for.
_PER_ASKED = re.compile(r"\bper\s+([a-z]+)")


def _per_unit_column(sheet: Sheet, asked: Asked) -> int | None:
    """The numeric column whose header gives a figure per the unit the question asks ("cost per vehicle"
    of "Estimated Capital Cost per Vehicle (£)"), when the question asks per something and one such
    column also has the question's other header words most."""
    m = _PER_ASKED.search(asked.lower)
    if not m:
        return None
    unit = stem(m.group(1))
    found = [j for j in range(len(sheet.header)) if sheet.numeric[j]
             and any(stem(w) == unit for w in re.findall(r"\bper\s+([a-z]+)", sheet.header[j].lower()))]
    if not found:
        return None
    best = max(found, key=lambda j: (_header_weight(sheet, j, asked), _header_share(sheet, j, asked)))
    # another column the question names more ("and the annual budget cost?") is asked instead
    others = [_header_weight(sheet, j, asked) for j in range(len(sheet.header)) if sheet.numeric[j] and j not in found]
    return best if _header_weight(sheet, best, asked) >= max(others, default=0.0) else None


def _measure(sheet: Sheet, asked: Asked, adds_up: bool, tested: int | None = None) -> int | None:
    """The numeric column the question names; the only one when it names none. `tested`: the column the
    question's conditions are on ("with a 10-year optimum life"), taken only when no other is named."""
    scored = [(round(_header_weight(sheet, j, asked), 3), not (adds_up and _RATE_HEADER.search(sheet.header[j])),
               _header_share(sheet, j, asked), j) for j in range(len(sheet.header)) if sheet.numeric[j]]
    named = [s for s in scored if s[0] > 0 and s[3] != tested] or [s for s in scored if s[0] > 0]
    if named:
        return max(named)[3]
    return scored[0][3] if len(scored) == 1 else None


def _run(sheet: Sheet, rows: list[Line], filters: tuple[str, ...], asked: Asked, confidence: float,
         siblings: list[Sheet] | None = None) -> Result | None:
    op = asked.op
    where = f'"{sheet.name}"' + (f" ({sheet.department})" if sheet.department else "")
    which = f" that mention {', '.join(_as_written(filters, rows))}" if filters else ""
    # the departments a column of departments was filtered by ("User: Commissioning, Communities and Policy")
    named = sorted({c for r in rows for j, c in enumerate(r.cells) if sheet.labels[j]
                    and any(fold(c) in group for group in asked.department_aliases)})
    if named and fold(sheet.department) not in {fold(n) for n in named}:
        which += f"{' and' if which else ''} for {' and '.join(named)}"
    set_aside = _LEFT_OUT.search(asked.text.lower() or asked.lower) if asked.excluded else None
    if set_aside:   # "except GET": said in the answer, as the question writes it
        group = "a" if set_aside.group("a") else "b"
        which += f", leaving out {(asked.text or asked.lower)[set_aside.start(group):set_aside.end(group)]}"
    if asked.status:   # the status word the rows hold ("TBA"), else the first one asked
        word = next((w for w in asked.status if any(_has_status(r, (w,)) for r in rows)), asked.status[0])
        which += f"{' and' if which else ''} marked {word.upper() if len(word) <= 3 else word}"
    banded = without_band(asked.conditions, (sheet.name,))   # "Table One (above £25K less than £50K)"
    if banded != asked.conditions:
        asked = replace(asked, conditions=banded)
    tested = None
    if asked.conditions:
        if _YEARS_COUNTED.search(asked.lower):
            return _years_meeting(sheet, rows, filters, asked, where, confidence, siblings or [])
        met = _rows_meeting(sheet, rows, asked)
        if met is None:
            return None
        tested, rows, things = met
        if op in ("count", "list"):
            return _listed(sheet, rows, tested, things, filters, asked, where + which, confidence)
        # a total, average or ranking of the rows that meet the conditions ("the largest line above £1m")
    if op == "list":
        return _mentioning(sheet, rows, filters, asked, where + which, confidence) if filters else None
    if op == "count":
        if any(sheet.numeric[j] and not _QUANTITY_HEADER.search(sheet.header[j]) and _header_said(sheet, j, asked)
               for j in range(len(sheet.header))):
            return None  # "how many KPIs are GREEN": the number is a cell of the column named, not a count of rows
        quantity = _quantity_column(sheet, asked)
        if quantity is None and not _counts_rows(sheet, asked):
            return None  # "how many care leavers does the council support": its rows are actions about them
        noun = LABELS.get(sheet.kind, ("row", "rows"))
        n = len(rows)
        if quantity is not None:
            amount = sum(number(r.cells[quantity]) or 0 for r in rows)
            text = (f"{_fmt(amount, '')} in all: the {sheet.header[quantity]} of the {n} "
                    f"{noun[0] if n == 1 else noun[1]} of {where}{which}.")
            return Result(text, sheet, tuple(rows), op, sheet.header[quantity], filters, confidence)
        text = f"{n} {noun[0] if n == 1 else noun[1]} of {where}{which}."
        return Result(text, sheet, tuple(rows), op, None, filters, confidence)
    if op == "group_top":
        most = _most_rows(sheet, rows, asked, where + which)
        if most is not None:
            return Result(most[0], sheet, most[1], op, None, filters, confidence)
    if op == "sum" and _one_row_years(asked):
        return _sum_over_years(sheet, rows, filters, asked, where, confidence, siblings or [])
    if op == "change":
        return _change_over_years(sheet, rows, filters, asked, where, confidence, siblings or [])
    if op in ("max", "min") and ranks_by_date(asked.lower):
        return None   # "the latest start date": a table's date cells are not figures (the typed rows order them)
    # a rate adds up to nothing; of one row, its figure per unit is the one asked ("and the cost per vehicle?")
    per = _per_unit_column(sheet, asked) if op in ("max", "min", "group_top") or \
        (op in ("sum", "average") and len(rows) == 1) else None
    if per is not None and op == "group_top":
        op = "max" if asked.descending else "min"   # "which type costs the most per vehicle": a row's own rate
    column = per if per is not None else _measure(sheet, asked, adds_up=op in ("sum", "compare", "group_top"),
                                                  tested=tested)
    if column is None:
        return None
    header = sheet.header[column]
    valued = [(r, v) for r in rows if (v := number(r.cells[column])) is not None]
    if not valued or len(valued) < VALUED_SHARE * len(rows):
        return None
    if op in ("sum", "average"):
        amount = sum(v for _, v in valued)
        if op == "average":
            amount /= len(valued)
        word = "in total" if op == "sum" else "on average"
        text = f"{_fmt(amount, header)} {word}: {header} over {len(valued)} rows of {where}{which}."
        if len(valued) == 1:   # one row named: its own figure, not a total "over 1 rows"
            text = f"{_fmt(amount, header)}: {header} of {_label(sheet, valued[0][0])} in {where}{which}."
        return Result(text, sheet, tuple(r for r, _ in valued), op, header, filters, confidence)
    if op == "compare":   # two rows named; else one row's two years ("how much lower than the 24-25 base")
        if not (asked.years or len(_year_numbers(asked.lower)) == 2):
            return _compare(sheet, valued, column, asked, where, filters, confidence)
        # the row named, or the one row of the scope ("GET capital 2029-30 vs 2030-31")
        named = _rows_named([*rows, *sheet.totals], asked) or ([valued[0][0]] if len(valued) == 1 else [])
        return _compare(sheet, valued, column, asked, where, filters, confidence) or \
            _change_over_years(sheet, named, filters, asked, where, confidence, siblings or [])
    if op == "group_top":
        grouped = _grouped(sheet, valued, column, asked)
        if grouped is not None:
            return Result(grouped, sheet, tuple(r for r, _ in valued), op, header, filters, confidence)
    # income printed "(7,106)": the largest is the most negative (unless the question asks for that itself)
    credits = all(v <= 0 for _, v in valued) and not MOST_NEGATIVE.search(asked.lower)
    ordered = sorted(valued, key=lambda rv: -rv[1] if credits else rv[1], reverse=asked.descending)
    top, value = ordered[0]
    word = "largest" if asked.descending else "smallest"
    rest = "; ".join(f"{_label(sheet, r)} {_fmt(v, header)}" for r, v in ordered[1:SHOWN_ROWS])
    text = (f"{_label(sheet, top)} has the {word} {header}: {_fmt(value, header)}, of {len(valued)} rows of "
            f"{where}{which}." + (f" Next: {rest}." if rest else ""))
    return Result(text, sheet, tuple(r for r, _ in ordered), "max" if asked.descending else "min", header, filters,
                  confidence)


def _sum_over_years(sheet: Sheet, rows: list[Line], filters: tuple[str, ...], asked: Asked, where: str,
                    confidence: float, siblings: list[Sheet]) -> Result | None:
    """A row's values added up over the year columns from the first year asked to the last ("borrowing
    across 2025-26 to 2028-29"), when the question names one row; the same row in the table's other
    parts (a programme whose later years are printed on another page) adds its years too. No year
    named ("all ten years added up"): every year column. A blank or dash cell is nil; a cell of words
    is not a figure, and nothing is added."""
    if len(rows) != 1:
        return None
    row = rows[0]
    parts = _row_parts(sheet, row, siblings)
    cells = _year_cells(parts)
    numbered = YEAR_NUMBERS.search(asked.lower)
    if len(asked.years) < 2 and numbered:   # "yrs 1-4": the columns headed "Year 1" to "Year 4"
        first, last = sorted(int(n) for n in numbered.groups())
        cells = {y: c for y, c in cells.items()
                 if (m := YEAR_NUMBER_HEADER.search(c[0])) and first <= int(m.group(1)) <= last}
    low, high = (min(asked.years), max(asked.years)) if len(asked.years) >= 2 else (min(cells, default=0),
                                                                                     max(cells, default=0))
    picked = {year: cell for year, cell in cells.items() if low <= year <= high}
    if len(picked) < 2 or any(v is None and not _NIL_CELL.match(c) for _, c, v in picked.values()) or \
            all(v is None for _, _, v in picked.values()):
        return None
    columns = [(h, c.strip() or "blank", float(v or 0)) for h, c, v in (picked[y] for y in sorted(picked))]
    header = columns[0][0]
    total = sum(v for _, _, v in columns)
    shown = "; ".join(f"{h} {c}" for h, c, _ in columns)
    text = (f"{_fmt(total, header)} in total: {_label(sheet, row)} over {len(columns)} years, "
            f"{columns[0][0]} to {columns[-1][0]}, in {where} ({shown}).")
    return Result(text, sheet, tuple(line for _, line in parts), "sum", f"{columns[0][0]} .. {columns[-1][0]}",
                  filters, confidence)


def _change_over_years(sheet: Sheet, rows: list[Line], filters: tuple[str, ...], asked: Asked, where: str,
                       confidence: float, siblings: list[Sheet]) -> Result | None:
    """One row's figure in the first year asked against the second ("GET capital drops from 159,098 in
    2025-26 to 144,489 in 2026-27"), when the question names one row and both years are columns of it."""
    numbered = _year_numbers(asked.lower)
    if len(rows) != 1 or (len(asked.years) not in (1, 2) and len(numbered) != 2):
        return None
    row = rows[0]
    parts = _row_parts(sheet, row, siblings)
    cells = _year_cells(parts, asked)
    by_number = {int(m.group(1)): year for year, (h, _, _) in cells.items() if (m := YEAR_NUMBER_HEADER.search(h))}
    if not asked.years:   # "how much lower is yr 2 than yr 1": the columns headed "Year 2" and "Year 1", in order
        if not all(n in by_number for n in numbered):
            return None
        first, second = sorted(by_number[n] for n in numbered)
    elif len(asked.years) == 2:
        first, second = asked.years   # in the order the question says them ("from 2025-26 to 2026-27")
    elif len(cells) == 2:   # one year named of a row with two ("lower than the 24-25 base"): the two, in order
        first, second = sorted(cells)
    else:   # "how much does it go up by in 2025-26": from the year before
        first, second = asked.years[0] - 1, asked.years[0]
    if first not in cells or second not in cells or cells[first][2] is None or cells[second][2] is None:
        return None
    (h1, c1, v1), (h2, c2, v2) = cells[first], cells[second]
    if not _same_measure(h1, h2):
        return None   # "2024-25 Net Cost" against "2025-26 Grants" is no change of one figure
    change = v2 - v1   # type: ignore[operator]
    word = "rises" if change > 0 else "falls" if change < 0 else "stays"
    # the difference written as the cells are (their decimals), then as money
    decimals = max(len(c.strip().rpartition(".")[2]) if "." in c else 0 for c in (c1, c2))
    printed = f"{abs(change):,.{decimals}f}"
    text = (f"{_label(sheet, row)} {word} from {c1.strip()} ({h1}) to {c2.strip()} ({h2}) in {where}"
            + (f", a {'rise' if change > 0 else 'drop'} of {printed}: {_fmt(abs(change), h1, (c1, c2))}." if change else "."))
    return Result(text, sheet, tuple(line for _, line in parts), "compare", f"{h1} vs {h2}", filters, confidence)


def _row_parts(sheet: Sheet, row: Line, siblings: list[Sheet]) -> list[tuple[Sheet, Line]]:
    """The row, and the same row (same labels) in the table's other parts: a programme whose later
    years are printed on another page."""
    label = tuple(c for j, c in enumerate(row.cells) if sheet.labels[j])
    parts: list[tuple[Sheet, Line]] = [(sheet, row)]
    for other in siblings:
        same = [r for r in (*other.rows, *other.totals)
                if tuple(c for j, c in enumerate(r.cells) if other.labels[j]) == label]
        if len(same) == 1:
            parts.append((other, same[0]))
    return parts


def _year_numbers(lower: str) -> list[int]:
    """The years a question names by their number in a programme ("yr 2", "year 1"), in its order."""
    return [int(n) for n in re.findall(r"\b(?:year|yr)s?\s+(\d{1,2})\b(?!\s*(?:-|–|to|through)\s*\d)", lower)]


def _rows_named(rows: list[Line], asked: Asked) -> list[Line]:
    """The row whose name holds the most of the question's words ([] when none does, or two tie)."""
    said = set(asked.words)
    held = [len(said & r.words) for r in rows]
    best = max(held, default=0)
    return [r for r, n in zip(rows, held) if n == best] if best and held.count(best) == 1 else []


def _same_measure(first: str, second: str) -> bool:
    """Whether two year columns' headers measure the same thing: their words less years, units and
    figures share one ("2024-25 Revised Base Budget (Net Cost)" and "2025-26 Net Cost"), or neither has
    any ("2025-26 Year 1 £000s")."""
    def measure(header: str) -> set[str]:
        return {t for t in terms(header) if not t[:1].isdigit()} - UNIT_WORDS - {"year", "yr"}
    a, b = measure(first), measure(second)
    return bool(a & b) or not (a or b)


def _year_cells(parts: list[tuple[Sheet, Line]], asked: Asked | None = None) -> dict[int, tuple[str, str, float | None]]:
    """Year -> (header, cell, figure) of each year column of a row over its table's parts (the first
    part that has the year); of several columns for one year ("2025-26 Staffing", "2025-26 Net Cost"), the
    one whose header the question names most of, else the last (a year's bottom line comes last)."""
    cells: dict[int, tuple[str, str, float | None]] = {}
    said: dict[int, int] = {}
    done: set[int] = set()   # the years an earlier part gave
    for part, line in parts:
        mine: set[int] = set()
        for j, h in enumerate(part.header):
            year = year_column(h)
            if year is None or not part.numeric[j] or ID_HEADER.search(h) or year in done:
                continue
            named = len((part.header_words[j] - UNIT_WORDS - NEUTRAL_WORDS) & set(asked.words)) if asked else 0
            if year not in mine or named >= said[year]:
                cells[year], said[year] = (h, line.cells[j], number(line.cells[j])), named
                mine.add(year)
        done |= mine
    return cells


def _conditions_said(asked: Asked) -> str:
    """The conditions as the question says them ("above £25k and under £50k")."""
    def said(c: Condition) -> str:   # "have zero income", "get any grant": "of zero", "other than zero"
        if not c.value and not c.money and c.op in ("=", "!="):
            return "of zero" if c.op == "=" else "other than zero"
        return c.text
    return " and ".join(said(c) for c in asked.conditions)


def _years_meeting(sheet: Sheet, rows: list[Line], filters: tuple[str, ...], asked: Asked, where: str,
                   confidence: float, siblings: list[Sheet]) -> Result | None:
    """The year columns of the one row named whose figure meets the conditions ("in how many of the ten
    years are capital receipts exactly 650"), over the table's parts printed on other pages."""
    if len(rows) != 1:
        return None
    parts = _row_parts(sheet, rows[0], siblings)
    years = {year: (" ".join(h.split()), cell.strip() or "blank",   # year -> (header, cell, meets the conditions)
                    value is not None and all(c.holds(value, h) for c in asked.conditions))
             for year, (h, cell, value) in _year_cells(parts).items()}
    if len(years) < 2:
        return None
    met = [(h, c) for _, (h, c, ok) in sorted(years.items()) if ok]
    others = "; ".join(f"{h} {c}" for _, (h, c, ok) in sorted(years.items()) if not ok)
    text = (f"{len(met)} of the {len(years)} years of {_label(sheet, rows[0])} in {where} are "
            f"{_conditions_said(asked)}" + (f": {'; '.join(f'{h} {c}' for h, c in met)}" if met else "") + "."
            + (f" The others: {others}." if others else ""))
    return Result(text, sheet, tuple(line for _, line in parts), asked.op, "years", filters, confidence)


def _counted_columns(sheet: Sheet, asked: Asked) -> list[int]:
    """The label columns that the noun counted or listed names ("how many directorates": "Directorate"
    and its short form "Dir"; "which ccp divisions": "Division"): a row is one of those things when it
    fills them."""
    m = re.search(r"\b(?:how many|which|what|list(?: the)?)((?:\s+[a-z]+){1,%d})" % COUNTED_NOUN_WINDOW, asked.lower)
    for noun in m.group(1).split() if m else ():
        named = {stem(noun), stem(noun.rstrip("s"))}
        found = [j for j, h in enumerate(sheet.header) if sheet.labels[j] and h.strip() and (
            sheet.header_words[j] & named or (h.strip().isalpha() and len(h.strip()) <= SHORT_HEADER and
                                              len(noun) > len(h.strip()) and noun.startswith(h.strip().lower())))]
        if found:
            return found
    return []


def _rows_meeting(sheet: Sheet, rows: list[Line], asked: Asked) -> tuple[int, list[Line], list[int]] | None:
    """The column the conditions are on (the one named), the rows whose figure in it meets them, of the
    things counted or listed, and the label columns that name those things."""
    column = _tested_column(sheet, asked)
    if column is None:
        column = _measure(sheet, asked, adds_up=False)
    if column is None:
        column = _units_counted(sheet, asked)
    if column is None:
        return None
    header = sheet.header[column]
    things = _counted_columns(sheet, asked)
    if things:
        rows = [r for r in rows if all(r.cells[j].strip() for j in things)]
    # income printed negative ("-149,107.7" of a grant): "over £100m" is of its size
    figures = [v for r in rows if (v := number(r.cells[column])) is not None]
    credits = bool(figures) and all(v <= 0 for v in figures) and not MOST_NEGATIVE.search(asked.lower) and \
        not any(c.value < 0 or c.text == "negative" for c in asked.conditions)
    kept = [r for r in rows if (v := number(r.cells[column])) is not None
            and all(c.holds(abs(v) if credits else v, header) for c in asked.conditions)]
    return column, kept, things


#: A bare figure of things right before their plural noun: "replace 6 or more vehicles" (not "10 years").
_UNITS_AFTER = re.compile(r"^\s*(?!(?:years|months|weeks|days|hours|per)\b)[a-z]{3,}s\b")


def _units_counted(sheet: Sheet, asked: Asked) -> int | None:
    """The table's one quantity column ("Quantity to Replace") when a bare figure tested is a number of
    things ("lines that replace 6 or more vehicles") and no column is named for it."""
    quantities = [j for j in range(len(sheet.header)) if sheet.numeric[j] and _QUANTITY_HEADER.match(sheet.header[j].strip())]
    if len(quantities) != 1:   # (one headed by it: not "Cost x No. of Vehicles")
        return None
    for condition in asked.conditions:
        at = asked.lower.find(condition.text)
        if not condition.money and at >= 0 and _UNITS_AFTER.match(asked.lower[at + len(condition.text):]):
            return quantities[0]
    return None


def _tested_column(sheet: Sheet, asked: Asked) -> int | None:
    """The numeric column named right beside a condition ("with a cost per vehicle over £50,000", "a
    negative net budget"), when the question names others too ("the total annual charge of ..."); None
    when none is named there. Columns named alike there ("in the quarter") are told apart by the word right
    beside the condition ("have income over"), then by the words a little further off ("... to Dec 24"),
    then by their order. Words of the label columns' headers name the rows, not the column."""
    labels = frozenset().union(*(sheet.header_words[j] for j in range(len(sheet.header)) if not sheet.numeric[j]))

    def shares(width: int) -> dict[int, int]:
        found: dict[int, int] = {}
        for condition in asked.conditions:
            at = asked.lower.find(condition.text)
            if at < 0:
                continue
            beside = " ".join(asked.lower[:at].split()[-width:] + asked.lower[at + len(condition.text):].split()[:width])
            words = set(terms(beside)) - labels
            for j in range(len(sheet.header)):
                shared = len((sheet.header_words[j] - UNIT_WORDS) & words) if sheet.numeric[j] else 0
                if shared:
                    found[j] = max(shared, found.get(j, 0))
        return found

    near, next_to, further = shares(CONDITION_NAME_WORDS), shares(1), shares(2 * CONDITION_NAME_WORDS)
    if not near:
        return None
    return max(near, key=lambda j: (near[j], next_to.get(j, 0), further.get(j, 0), -j))


def _quantity_column(sheet: Sheet, asked: Asked) -> int | None:
    """The column of how many units a row is ("Quantity to Replace") when the question counts units
    ("how many vehicles"), not the rows themselves ("how many vehicle lines")."""
    if _COUNTS_LINES.search(asked.lower):
        return None
    return next((j for j in range(len(sheet.header)) if sheet.numeric[j] and _QUANTITY_HEADER.search(sheet.header[j])),
                None)


def _listed(sheet: Sheet, rows: list[Line], column: int, things: list[int], filters: tuple[str, ...], asked: Asked,
            where: str, confidence: float) -> Result:
    """The rows that meet the conditions, counted and named with their figures (`things`: the label
    columns of the things counted)."""
    header = " ".join(sheet.header[column].split())
    noun = LABELS.get(sheet.kind, ("row", "rows"))
    if things:
        noun = (sheet.header[things[0]].strip().lower(), sheet.header[things[0]].strip().lower() + "s")
    shown = "; ".join(f"{_label(sheet, r)}: {r.cells[column].strip()}" for r in rows[:LISTED_ROWS])
    text = (f"{len(rows)} {noun[0] if len(rows) == 1 else noun[1]} of {where} "
            f"{'has' if len(rows) == 1 else 'have'} {header} {_conditions_said(asked)}"
            + (f": {shown}" + ("; …" if len(rows) > LISTED_ROWS else "") if rows else "") + ".")
    quantity = _quantity_column(sheet, asked) if asked.op == "count" else None
    if quantity is not None and quantity != column and rows:   # "how many vehicles ...": the units, then the lines
        units = sum(number(r.cells[quantity]) or 0 for r in rows)
        each = "; ".join(f"{_label(sheet, r)}: {r.cells[quantity].strip()}" for r in rows[:LISTED_ROWS])
        text = (f"{_fmt(units, '')} in all ({sheet.header[quantity].strip()}) on the {len(rows)} "
                f"{noun[0] if len(rows) == 1 else noun[1]} of {where} with {header} {_conditions_said(asked)}: {each}"
                + ("; …" if len(rows) > LISTED_ROWS else "") + ".")
    return Result(text, sheet, tuple(rows), asked.op, header, filters, confidence)


def _mentioning(sheet: Sheet, rows: list[Line], filters: tuple[str, ...], asked: Asked, where: str,
                confidence: float) -> Result:
    """The rows that mention the words the question filters by ("any HGVs"), named, with the figure of
    the column the question names, if it names one."""
    column = _measure(sheet, asked, adds_up=False)
    if column is not None and _header_weight(sheet, column, asked) <= 0:
        column = None
    noun = LABELS.get(sheet.kind, ("row", "rows"))
    shown = "; ".join(_label(sheet, r) + (f": {r.cells[column].strip()}" if column is not None else "")
                      for r in rows[:LISTED_ROWS])
    yes = "Yes: " if _ANY_ROWS.search(asked.lower) else ""
    text = (f"{yes}{len(rows)} {noun[0] if len(rows) == 1 else noun[1]} of {where}: {shown}"
            + ("; …" if len(rows) > LISTED_ROWS else "") + ".")
    return Result(text, sheet, tuple(rows), "list", sheet.header[column] if column is not None else None, filters,
                  confidence)


def _most_rows(sheet: Sheet, rows: list[Line], asked: Asked, where: str) -> tuple[str, tuple[Line, ...]] | None:
    """"Which start date has the most contracts": the value of the column named ("Estimated Start
    Date") that the most rows share, with those rows; None when the question names a numeric column
    to add up instead ("which user has the most spend")."""
    m = _WHICH_MOST.search(asked.lower)
    if m is None:
        return None
    named = set(terms(m.group(1)))
    after = set(terms(asked.lower[m.end():]))
    amounts = [j for j in range(len(sheet.header)) if sheet.numeric[j] and not _DATE_HEADER.search(sheet.header[j])]
    if any((sheet.header_words[j] - UNIT_WORDS) & after for j in amounts):
        return None
    column = next((j for j in range(len(sheet.header)) if j not in amounts and sheet.header_words[j] & named), None)
    if column is None:
        return None
    groups: dict[str, list[Line]] = defaultdict(list)
    for r in rows:
        if r.cells[column].strip():
            groups[r.cells[column].strip()].append(r)
    if len(groups) < 2 or len(groups) == len(rows):
        return None   # every row its own value: nothing is shared
    ordered = sorted(groups.items(), key=lambda kv: len(kv[1]), reverse=asked.descending)
    value, top = ordered[0]
    tied = [k for k, v in ordered[1:] if len(v) == len(top)]
    noun = LABELS.get(sheet.kind, ("row", "rows"))
    word = "most" if asked.descending else "fewest"
    header = sheet.header[column]
    text = (f"{value} ({header}) has the {word} {noun[1]}: {len(top)} of the {len(rows)} of {where}"
            + (f", tied with {', '.join(tied[:SHOWN_ROWS])}" if tied else "")
            + f". They are: {'; '.join(_first_label(sheet, r, column) for r in top[:LISTED_ROWS])}"
            + ("; …" if len(top) > LISTED_ROWS else "") + "."
            + (f" Next: {'; '.join(f'{k} {len(v)}' for k, v in ordered[1:SHOWN_ROWS] if k not in tied)}." if len(ordered) > 1 else ""))
    return text, tuple(top)


def _grouped(sheet: Sheet, valued: list[tuple[Line, float]], column: int, asked: Asked) -> str | None:
    """The group (a label column's value shared by several rows) with the largest or smallest total."""
    m = _WHICH_MOST.search(asked.lower)
    named = set(terms(m.group(1))) if m else set()
    # the column "which <noun>" names first ("which user"), then the other label columns
    for j in sorted(range(len(sheet.header)), key=lambda j: not (sheet.header_words[j] & named)):
        if not sheet.labels[j] or _DATE_HEADER.search(sheet.header[j]):
            continue  # dates are no groups ("01/08/2020 has the largest total")
        sums: dict[str, float] = defaultdict(float)
        for r, v in valued:
            sums[r.cells[j]] += v
        if len(sums) < 2 or len(sums) == len(valued):
            continue  # every row its own group: a plain largest row
        ordered = sorted(sums.items(), key=lambda kv: kv[1], reverse=asked.descending)
        word = "largest" if asked.descending else "smallest"
        rest = "; ".join(f"{k} {_fmt(v, sheet.header[column])}" for k, v in ordered[1:SHOWN_ROWS])
        return (f"{ordered[0][0]} has the {word} total {sheet.header[column]}: "
                f"{_fmt(ordered[0][1], sheet.header[column])} in \"{sheet.name}\"." + (f" Next: {rest}." if rest else ""))
    return None


def _compare(sheet: Sheet, valued: list[tuple[Line, float]], column: int, asked: Asked, where: str,
             filters: tuple[str, ...], confidence: float) -> Result | None:
    """Two row names or departments the question names, each one's total of the column."""
    header = sheet.header[column]
    sides: dict[str, list[tuple[Line, float]]] = {}
    said: dict[str, str] = {}   # each side's name as the question says it
    names = {a: d for d, group in zip(asked.departments, asked.department_aliases) for a in group}
    spoken = f" {' '.join(plain_words(fold(asked.lower)))} "   # "people's ... community-based" as plain words
    for r, v in valued:
        for j, cell in enumerate(r.cells):
            if not sheet.labels[j] or not cell:
                continue
            folded = fold(cell)
            phrase = folded if folded in names else _name_said(plain_words(folded), spoken, asked) if terms(cell) else None
            if phrase:
                sides.setdefault(cell, []).append((r, v))
                said[cell] = phrase
                break
    # a name inside another one named ("Highways" of "Highway Network Planning"; "adult learning" of
    # "adult learning disability community based services") is not a side of its own
    sides = {k: v for k, v in sides.items() if not any(
        k != o and (fold(k).rstrip(":s") in fold(o) or (said[k] != said[o] and said[k] in said[o])) for o in sides)}
    if len(sides) != 2:
        return None
    (a, ra), (b, rb) = sorted(sides.items(), key=lambda kv: -sum(v for _, v in kv[1]))
    sa, sb = sum(v for _, v in ra), sum(v for _, v in rb)
    text = (f"{a} is larger: {_fmt(sa, header)} against {_fmt(sb, header)} for {b} ({header}, {where}), "
            f"a difference of {_fmt(sa - sb, header)}.")
    if sa == sb:
        text = f"{a} and {b} are the same: {_fmt(sa, header)} each ({header}, {where})."
    return Result(text, sheet, tuple(r for r, _ in ra + rb), "compare", header, filters, confidence)


def _first_label(sheet: Sheet, row: Line, besides: int) -> str:
    """A row's first short text cell other than column `besides` (the value it was grouped by)."""
    return next((c for j, c in enumerate(row.cells) if j != besides and sheet.labels[j] and c), "this row")


def _name_said(name: list[str], spoken: str, asked: Asked) -> str | None:
    """The row's name as the question writes it, whole or up to an "and" that adds to it ("Adult Learning
    Disability - Community Based Services" of "... Community Based Services & Support for Carers")."""
    ends = [len(name)] + [k for k in range(len(name) - 1, MIN_WORDS_SAID - 1, -1) if name[k] == "and"]
    return next((" ".join(name[:k]) for k in ends
                 if set(terms(" ".join(name[:k]))) <= asked.said and f" {' '.join(name[:k])} " in spoken), None)


def _label(sheet: Sheet, row: Line) -> str:
    """A row's name: its first short text cells (up to two)."""
    names = [c for j, c in sorted(enumerate(row.cells), key=lambda jc: bool(_DATE_HEADER.search(sheet.header[jc[0]])))
             if sheet.labels[j] and c][:2]   # names before dates
    return " – ".join(names) or "this row"


def _as_written(stems: tuple[str, ...], rows: list[Line]) -> list[str]:
    shown = {stem(w.lower()): w for r in rows[:5] for c in r.cells for w in re.findall(r"[A-Za-z][\w'-]*", c)}
    return [shown.get(t, t) for t in stems]


def _fmt(value: float, header: str, written: tuple[str, ...] = ()) -> str:
    """A number written as the column writes it: money with its unit, a percentage, or plain; or, when
    the header says no unit, as the cells it comes from all write theirs (`written`: "£73,002", "£147,772")."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    whole = abs(value - round(value)) < 1e-9
    plain = f"{value:,.0f}" if whole else f"{value:,.2f}".rstrip("0").rstrip(".")
    if money_scale(header):   # £m or £000s: written as a cell of that column is (cells.with_unit)
        return sign + with_unit(plain, header)
    if "£" in header or (written and all(c.strip().startswith("£") and not c.strip()[-1:].isalpha() for c in written)):
        return f"{sign}£{plain}"
    if "%" in header:
        return f"{sign}{plain}%"
    return sign + plain
