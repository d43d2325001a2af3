"""The typed query plan: what a question asks of the tables, as data (DESIGN.md §4).

`build_plan(u, scope)` composes small recognisers (operation, measure, grouping) over an
`Understanding` into a `QueryPlan`, or returns None when the question is not an aggregate the
plan executor answers (a single row's fact and prose questions keep their own answerers).
`edit_plan(u, previous)` turns a follow-up ("which of those finish in 2021", "only the CCP ones",
"the most expensive of those", "what about ETE?") into an edit of the previous turn's plan.
Nothing here runs SQL; `plan_sql` turns a plan into parameterised statements.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from assistant.ingest.classify import VALUE_KINDS
from assistant.ingest.normalise import parse_money
from assistant.router.queries import Conditions
from assistant.text import NUMBER_WORDS, ROUTER_STOPWORDS, sizes_in, terms
from assistant.router.semantic import COLUMN_SYNONYMS, LABELS, SYNONYMS, TableSemantics, semantics
from assistant.router.verify import counted_words
from assistant.router.understand import GROUP_NOUNS, MAX_WORDS, MIN_WORDS, MAX_WORDS as _MAX, MIN_WORDS as _MIN, MOST_NEGATIVE, OPERATION_WORDS, RATING_CHANGE, Amount, Understanding

Operation = Literal["lookup", "list", "count", "sum", "average", "max", "min", "group_top"]
Measure = Literal["amount", "target", "latest", "actual", "floor", "previous", "baseline", "forecast", "due", "start",
                  "span", "change"]
#: The kinds of value a KPI's values table holds (those ingest gives its value columns): a plan measure
#: that is one of them reads that table ("which KPI has the highest floor").
VALUE_MEASURES: frozenset[str] = frozenset(VALUE_KINDS.values())

#: The verbs of a date a superlative may follow ("which one starts latest", "finishes first").
_DATE_VERB = r"(?:starts?|starting|begins?|finish(?:es)?|finishing|ends?|ending|completes?|completing|is due|are due)"
_EARLIEST = re.compile(r"\b(?:earliest|soonest|first (?:to|one to) (?:start|finish|complete|end|be due))\b|"
                       rf"\b{_DATE_VERB}\s+(?:the\s+)?(?:earliest|soonest|first)\b")
_LAST_DUE = re.compile(r"\b(?:latest|last)\s+(?:\w+\s+){0,2}?(?:to\s+)?(?:due|finish|finishing|complet\w*|end|ending|"
                       r"deadline|start|starting)\b|" rf"\b{_DATE_VERB}\s+(?:the\s+)?(?:latest|last)\b")
_LONGEST = re.compile(r"\blongest(?:[- ]running)?\b")
#: "What does it net to?", "what do they come to?": a total asked with a verb ("net" here names no column).
SUM_VERB = re.compile(r"\bwhat (?:do|does|did|would|will) [\w\s'’&-]{1,60}?\b(net|come) to\b")
#: "Total - Finance": a printed total line's name, before a dash and a name ("ccp total - how much?" asks a sum).
_TOTAL_LINE_NAME = r"(?!\s+[-–]\s+(?!(?:" + "|".join(sorted(ROUTER_STOPWORDS)) + r")\b)[a-z])"
_SUM = re.compile(r"\b(?:total(?! number)" + _TOTAL_LINE_NAME + r"|in total|add(?:s|ed|ing)? up|sum|altogether|combined|all together|together|"
                  r"aggregate)\b|" + SUM_VERB.pattern)
#: (Not a measure's own name: "the daily average per 100k population", "the weekly average of days lost".)
_AVERAGE = re.compile(r"\b(?<!daily )(?<!weekly )(?<!monthly )(?<!annual )(?<!yearly )(?<!quarterly )"
                      r"(?:average|mean)\b")
_GROUP_TOP = re.compile(r"\b(?:who|which (?:officer|person|councillor|cabinet member|lead))\b.*\b(?:most|highest "
                        r"number|largest number|fewest|least|lowest number|smallest number)\b|"
                        r"\b(?:most|fewest) (?:actions|kpis|contracts|pledges)\b.*\bwho\b")
_GROUP_DEPT = re.compile(rf"\bwhich (?:{GROUP_NOUNS})s?\b.*\b(?:most|"
                         r"biggest|largest|highest|fewest|least|smallest|lowest)\b")
#: "Which cabinet member has the most delivery actions": rows counted by the Cabinet Member their
#: department's section names (sections.cabinet_member), whatever the table's own lead column.
_BY_MEMBER = re.compile(r"\bwhich (?:cabinet member|portfolio holder|councillor|cllr|lead member)\b")
_FEWEST = re.compile(r"\b(?:fewest|least|smallest|lowest)\b")
_DATE_WORDS = re.compile(r"\b(?:due|finish|complet\w*|end|deadline|start\w*|begin\w*|when)\b")
_MONEY_WORDS = re.compile(r"\b(?:expensive|cost\w*|value\w*|worth|£|money|spend\w*|budget|amount|contract|"
                          r"procurement|saving\w*|pric\w*|cheap\w*|income|grants?|gross|net|expenditure|"
                          r"exposure|funding)\b|£")


@dataclass(frozen=True)
class QueryPlan:
    """The typed meaning of a table question: one operation over one typed table's filtered rows."""

    operation: Operation
    table: str
    conditions: Conditions = Conditions()
    measure: Measure | None = None
    period: str | None = None          # financial-year label for KPI values ("2020-21")
    group_by: str | None = None        # "who" | "department" | "cabinet_member" (of the row's department's section)
    descending: bool = True            # max / most (True) or min / fewest (False)
    limit: int = 1
    fields: tuple[str, ...] = ()       # who | due | start | value | target | latest | actual | everything
    pick: int | None = None            # 0-based index into the previous answer's rows ("the second one")
    amount: str | None = None          # the money column named, when the table has several ("lifetime")
    items: tuple[str, ...] = ()        # the items the question named one by one (their rows are the keys)
    against: str = "previous"          # what a "change" sets the latest against: previous | floor | target
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain JSON values (the answer contract's `plan`)."""
        c = self.conditions
        filters: dict[str, Any] = {}
        for name in ("person", "departments", "councils", "documents", "groups", "contains", "missing", "present"):
            value = getattr(c, name)
            if value:
                filters[name] = list(value) if isinstance(value, tuple) else value
        if c.dates:
            filters["dates"] = {"role": c.date_role, "periods": [d.text for d in c.dates]}
        if c.amounts:
            filters["amounts"] = [a.text for a in c.amounts]
        if c.keys:
            filters["rows"] = len(c.keys)
        if c.set_aside:
            filters["set_aside"] = [" ".join(item) for item in c.set_aside]
        out: dict[str, Any] = {"operation": self.operation, "tables": [self.table], "filters": filters,
                               "fields": list(self.fields)}
        if self.items:
            filters["items"] = list(self.items)
        for name in ("measure", "amount", "period", "group_by", "pick"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.measure == "change":   # the latest set against the previous figure, the floor or the target
            out["against"] = self.against
        if self.operation in ("max", "min", "group_top"):
            out["order"] = "desc" if self.descending else "asc"
            out["limit"] = self.limit
        if self.reason:
            out["reason"] = self.reason
        return out


# ----------------------------------------------------------------------------- recognisers

#: Wordings of aggregate operations, tried in order (group-by before plain superlatives, dates
#: before amounts): (pattern, operation, descending).
_OPERATIONS: tuple[tuple[re.Pattern[str], Operation, bool | None], ...] = (
    (_GROUP_TOP, "group_top", None), (_GROUP_DEPT, "group_top", None), (_LONGEST, "max", True),
    (_EARLIEST, "min", False), (_LAST_DUE, "max", True), (_MAX, "max", True), (_MIN, "min", False),
    (_AVERAGE, "average", True), (_SUM, "sum", True),
)


_WHICH_PERIOD = re.compile(r"\b(?:which|what)\s+(?:financial\s+)?(?:year|period|quarter(?:[- ]end)?|month)\b")


def asks_which_period(lower: str) -> bool:
    """"Which year of the programme has the smallest total": the period a row's value is largest or
    smallest in, not a row."""
    return period_extreme(lower) is not None


#: "which year has the most developer contributions": "most" of an amount is its largest value.
_MORE_WORDS = re.compile(r"\b(?:most|more|highest|largest|biggest|greatest)\b")
_LESS_WORDS = re.compile(r"\b(?:least|less|fewest|lowest|smallest)\b")


#: "(in) which year of the ten-year programme (are ...)": the words after "which year of" say which
#: years (the table's), not which row, up to the verb of the question.
_PERIOD_QUALIFIER = re.compile(r"\b((?:which|what)\s+(?:financial\s+)?(?:year|period))\s+of\s+(?:the\s+|this\s+)?"
                               r"[\w' -]{1,40}?(?=\s+(?:is|are|was|were|has|have|had|does|do|did|will|sees?|saw)\b)",
                               re.IGNORECASE)


def without_period_qualifier(text: str) -> str:
    """The question without what qualifies its "which year" ("of the ten-year programme")."""
    return _PERIOD_QUALIFIER.sub(r"\1", text)


#: "Between which two years does GET's capital budget fall the most": the move from one period to the next.
_BETWEEN_PERIODS = re.compile(r"\bbetween which (?:two )?(?:consecutive )?(?:financial )?(?:years|periods|quarters)\b|"
                              r"\bwhich (?:two )?consecutive (?:years|periods|quarters)\b")
_FALLS = re.compile(r"\b(?:falls?|fell|drops?|dropped|decreas\w*|declin\w*|shrinks?|goes down|go down)\b")
_RISES = re.compile(r"\b(?:rises?|rose|increas\w*|grows?|grew|goes up|go up|jumps?)\b")


def period_extreme(lower: str) -> Literal["max", "min", "fall", "rise"] | None:
    """Whether a "which year ..." question asks for the period a row's value is largest ("max") or
    smallest ("min") in, or the two periods between which it falls or rises the most ("fall", "rise");
    None when it asks no such thing."""
    if _BETWEEN_PERIODS.search(lower) and (_FALLS.search(lower) or _RISES.search(lower)):
        return "fall" if _FALLS.search(lower) else "rise"
    if not _WHICH_PERIOD.search(lower):
        return None
    found = operation_of(lower)
    if found is not None and found[0] in ("max", "min"):
        return found[0]  # type: ignore[return-value]
    return "min" if _LESS_WORDS.search(lower) else "max" if _MORE_WORDS.search(lower) else None


def operation_of(lower: str) -> tuple[Operation, bool] | None:
    """An aggregate operation named by the wording, with its direction (descending?); a group-by's
    direction comes from "most" or "fewest"."""
    for pattern, operation, descending in _OPERATIONS:
        if pattern.search(lower):
            direction = (not _FEWEST.search(lower)) if descending is None else descending
            if MOST_NEGATIVE.search(lower):   # "the most negative recharges": the lowest figure
                return ("min" if operation == "max" else operation), not direction
            return operation, direction
    return None


def ranks_by_date(lower: str) -> bool:
    """The question orders rows by a date ("the latest start date", "which finishes first")."""
    return bool(_EARLIEST.search(lower) or _LAST_DUE.search(lower))


#: A figure's movement: down ("fell", "dropped", "worsened") or up ("rose", "went up", "grew").
_MOVED = re.compile(r"\b(?P<down>fell|fallen|falls?|dropped|drops?|decreas\w*|declin\w*|(?:went|gone|gone|go) down)\b|"
                    r"\b(?P<up>rose|risen|rises?|increas\w*|grew|grown|(?:went|gone|go) up)\b")
#: ... ranked ("the most", "biggest"), set against the figure before ("the previous quarter", "last quarter").
_MOST = re.compile(r"\b(?:most|biggest|largest|greatest|sharpest)\b")
_ON_PREVIOUS = re.compile(r"\b(?:previous|prior|last) (?:quarter|qtr|period|figure)\b|\bquarter before\b|"
                          r"\bsince last (?:quarter|qtr)\b")


def moved_most(lower: str) -> bool | None:
    """Whether a question ranks measures by their move from the previous figure: True for the largest rise
    ("which KPI went up the most on last quarter"), False for the largest fall, None when it does not."""
    moved = _MOVED.search(lower)
    if moved is None or not _MOST.search(lower) or not _ON_PREVIOUS.search(lower):
        return None
    return moved.group("up") is not None


#: "which KPI sits furthest above its floor", "most below target": measures ranked by their latest less
#: their floor (or target), of the same period.
_FURTHEST = re.compile(r"\b(?:furthest|farthest|most|highest|biggest|largest|widest)\b[^?]*?\b(?P<way>above|over|ahead of|"
                       r"below|under|short of|behind)\s+(?:the |its |their )?(?P<against>floor|target)s?\b")


def ranked_by_gap(lower: str) -> tuple[str, bool] | None:
    """("floor" or "target", True for furthest above / False for furthest below) when a question ranks
    measures by their latest's distance from that value; None when it does not."""
    m = _FURTHEST.search(lower)
    if m is None:
        return None
    return m.group("against"), m.group("way") in ("above", "over", "ahead of")


def ranks_moves(lower: str) -> bool:
    """Whether a question ranks measures by a move: on the previous figure, or away from the floor or target."""
    return moved_most(lower) is not None or ranked_by_gap(lower) is not None


def measure_of(lower: str, sem: TableSemantics, u: Understanding) -> Measure | None:
    """Which value of the table an ordering or a sum reads."""
    if _LONGEST.search(lower) and sem.due and sem.start:
        return "span"
    wants_date = ranks_by_date(lower)
    if sem.values and not wants_date:
        return u.value_kind or "target"
    if wants_date or (_DATE_WORDS.search(lower) and not _MONEY_WORDS.search(lower)):
        if u.when_kind == "start" and sem.start:
            return "start"
        if sem.due:
            return "start" if sem.due.prefix == "start" else "due"
        return None
    if sem.amount:
        return "amount"
    return None


def named_column_values(lower: str, table: str, text: str = "") -> tuple[tuple[str, str], ...]:
    """Filters a question writes as a text column's name and a value: "a likelihood of 1",
    "category is ICT", "priority: high" (columns as the schema names them); `text`, the question as
    written: a value in capitals is one even when it is a common word ("the directorate is ALL")."""
    from assistant.sql.schema import TABLES_BY_NAME

    found: list[tuple[int, int, str, str]] = []   # (start, end, column, value)
    for column in TABLES_BY_NAME[table].columns:
        if column.type != "VARCHAR" or column.name.endswith("_raw") or column.name in _NOT_FILTERS:
            continue
        m = None
        for said in (column.name.replace("_", " "), *COLUMN_SYNONYMS.get(table, {}).get(column.name, ())):
            name = re.escape(said)   # the column as named, or as people name it ("rated likely (4)")
            m = re.search(rf"\b{name}\s*(?:of|is|=|:|at|was|score of|rating of)\s+['\"]?([\w.&/-]+)", lower) or \
                re.search(rf"\b{name}(?:\s+(?:rating|score))?\s*(?:of|is|=|:|at|was)?\s*(?:\(\s*)?(\d{{1,2}})\b(?![.,/-]\d)",
                          lower)
            if m:
                break
        written = text[m.start(1):m.end(1)] if m and len(text) == len(lower) else ""
        if m and (m.group(1) not in _VALUE_STOP or (written.isupper() and len(written) > 1)):
            # "a likelihood of 3", "likelihood rating (1, very unlikely)", "directorate is ALL"
            found.append((m.start(), m.end(), column.name, m.group(1)))
    # a column's name inside another's phrase ("rating" of "likelihood rating (1)") is no filter of its own
    return tuple((c, v) for s, e, c, v in found if not any(s2 < s < e2 for s2, e2, *_ in found))


#: Text columns that record where a row came from: never a value to filter on, nor a field a follow-up asks for.
_PROVENANCE_TEXT = frozenset({"doc_id", "file", "section_path", "raw_table_id", "plan"})
#: ...and the scope columns, which the scope resolver already filters on.
_NOT_FILTERS = _PROVENANCE_TEXT | {"council", "department"}
#: Words after "<column> of" that are not values ("the priority of the action").
_VALUE_STOP = frozenset({"the", "a", "an", "this", "that", "each", "every", "all", "any", "its", "their", "it"})


#: Words that say how a row's value or rating moved ("which of those went down?"), never its topic.
CHANGE_STEMS = frozenset(terms("dropped fell fall falls slipped moved went go gone changed improved improve rose rise "
                               "rises up down increased decreased worse better worsened last previous quarter this"))


def conditions_of(u: Understanding, scope: Conditions, sem: TableSemantics, contains: tuple[str, ...]) -> Conditions:
    """The row filters of a plan: the scope plus people, dates, amounts, groups and topic words."""
    groups = tuple((c, v) for t, c, v in u.groups if t == sem.table)
    groups += tuple(g for g in named_column_values(u.lower, sem.table, u.text) if g[0] not in {c for c, _ in groups})
    person = next((p.name for p in u.people if not p.partial), None) or next((p.name for p in u.people), None)
    rating = rating_of(u.lower) if sem.values else None
    previous = previous_rating_of(u.lower) if sem.values else None
    if rating:  # the rating's own words name the filter, not the rows' text
        words = {rating.lower(), (previous or "").lower(), "rag", "rate", "rated"} | CHANGE_STEMS
        contains = tuple(c for c in contains if c not in words)
    # "the budget risks register 2025-26": a year the named documents carry in their names names them
    dates = tuple(d for d in u.dates if not (scope.documents and d.fy_label and
                                             all(d.fy_label in doc for doc in scope.documents)))
    if sem.values and u.value_kind:   # "the highest floor": the value read, not words of the rows
        read = set(terms(" ".join(w for w, k in VALUE_KINDS.items() if k == u.value_kind)))
        contains = tuple(c for c in contains if c not in read)
    if u.lead_text and sem.who_raw:  # the role's words name the lead, not the rows' text
        role = set(terms(u.lead_text))
        contains = tuple(c for c in contains if c not in role)
    return replace(scope, person=person if sem.who else None, dates=dates, date_role=u.when_kind,
                   lead_text=u.lead_text if sem.who_raw else None,
                   amounts=u.amounts, groups=groups, missing=u.missing, present=u.present, contains=contains, rating=rating,
                   sizes=tuple(sorted(sizes_in(u.text))),
                   previous_rating=previous, set_aside=tuple(w for w in (name_prefixes(p) for p in u.set_aside) if w),
                   status=u.status if _status_column(sem, u.status) else None)


#: A word's start that names it in a row's text: the stem, or as much of it as the word writes ("sav" of
#: savings, whose stem "save" the text never writes), never shorter than this.
MIN_PREFIX = 3


#: Words of a set-aside phrase that say which figure or which kind of row, never a row's name.
_NOT_NAME_WORDS = frozenset("zero zeros nil nothing blank blanks empty figure figures amount amounts value values "
                            "line lines row rows one ones item items".split())


def name_prefixes(phrase: str) -> tuple[str, ...]:
    """The starts of a phrase's content words as its rows write them: "non-delivery of savings" ->
    ("non", "deliver", "sav")."""
    out = []
    for word in re.findall(r"[a-z0-9]+", phrase.lower()):
        if word in _NOT_NAME_WORDS:
            continue   # "leaving out finance's zero": the figure set aside names no row
        for t in terms(word):
            common = next((k for k in range(min(len(t), len(word)), 0, -1) if word[:k] == t[:k]), 0)
            out.append(t[:max(common, MIN_PREFIX)] if common >= MIN_PREFIX else t)
    return tuple(dict.fromkeys(out))


def _status_column(sem: TableSemantics, status: tuple[str, tuple[str, ...]] | None) -> bool:
    """Whether the table has the field a status filter reads."""
    if status is None:
        return False
    return bool(sem.values) if status[0] == "target" else bool(sem.start or sem.due)  # a table's one date


#: A RAG colour used as a rating: "rated red", "RAG rated Red", "red-rated", "amber KPIs", "in the red".
_RATING = re.compile(r"\b(?:rag[- ]?)?rated\s+(?:as\s+)?(red|amber|green)\b|\b(red|amber|green)[- ]rated\b|"
                     r"\b(red|amber|green)\s+(?:kpis?|indicators?|measures?|ratings?)\b|\brag (?:rating|status) "
                     r"(?:of |is |was )?(red|amber|green)\b|\bin the (red|amber)\b|\brating (?:of |is )?(red|amber|green)\b|"
                     r"\b(?:kpis?|indicators?|measures?)\s+(?:are\s+|were\s+|that are\s+|which are\s+|at\s+)?"
                     r"(red|amber|green)\b")


def rating_of(lower: str) -> str | None:
    """The RAG rating a question filters on, upper case ("RED"), if it names one as a rating."""
    change = RATING_CHANGE.search(lower)
    if change:
        return change.group(2).upper()   # "dropped from Green to Amber": rated Amber now
    # "prosperous-and-green KPIs": a colour inside a hyphenated name is no rating
    m = _RATING.search(re.sub(r"-(?:and-)?(?:red|amber|green)\b", " x", lower))
    return next((g.upper() for g in m.groups() if g), None) if m else None


def previous_rating_of(lower: str) -> str | None:
    """The rating a question says a row had before ("from Green ... to Amber"), upper case."""
    change = RATING_CHANGE.search(lower)
    return change.group(1).upper() if change else None


def fields_of(u: Understanding) -> tuple[str, ...]:
    """The fields a question asks for, from its intent."""
    return {"who": ("who",), "when": ("start",) if u.when_kind == "start" else ("due",),
            "target": ("target",), "how_much": ("value",)}.get(u.intent, ())


#: "The three most valuable procurements", "top 5 contracts": how many of the ranked rows are asked.
_TOP_N = re.compile(r"\b(?:top|the)\s+(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s+(?=(?:most|least|largest|"
                    r"biggest|highest|greatest|smallest|lowest|cheapest|costliest|priciest)\b)|"
                    r"\btop\s+(?P<m>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\b")
#: At most this many ranked rows are listed, however many are asked.
MAX_RANKED = 10


def ranked_count(lower: str) -> int:
    """How many of the largest (or smallest) rows the question asks for: 1 unless it says a number
    before the superlative ("the three most valuable") or after "top"."""
    m = _TOP_N.search(lower)
    if not m or not (MAX_WORDS.search(lower) or MIN_WORDS.search(lower) or m.group("m")):
        return 1
    said = (m.group("n") or m.group("m")).lower()
    n = NUMBER_WORDS.get(said) or int(said)
    return max(1, min(n, MAX_RANKED))


def build_plan(u: Understanding, scope: Conditions, contains: tuple[str, ...]) -> QueryPlan | None:
    """A plan for an aggregate question over a named table (max/min, sum, average, group-top)."""
    found = operation_of(u.lower)
    if not u.tables:
        return None
    table = u.tables[0]
    sem = semantics()[table]
    rose = moved_most(u.lower) if sem.values else None
    if rose is not None:   # "which KPI fell the most compared with the previous quarter": the change, ranked
        said = {t for m in (*_MOVED.finditer(u.lower), *_ON_PREVIOUS.finditer(u.lower), *_MOST.finditer(u.lower))
                for t in terms(m.group(0))} | set(terms("compared with against versus vs"))
        cond = replace(conditions_of(u, scope, sem, tuple(c for c in contains if c not in said)), dates=())
        return QueryPlan("max" if rose else "min", table, cond, measure="change", descending=rose,
                         limit=ranked_count(u.lower), fields=fields_of(u),
                         reason=f"{'largest rise' if rose else 'largest fall'} on the previous figure")
    gap = ranked_by_gap(u.lower) if sem.values else None
    if gap is not None:   # "which E&T KPI sits furthest above its floor": the latest less the floor, ranked
        against, above = gap
        said = set(terms(f"{_FURTHEST.search(u.lower).group(0)} sits sit is are furthest"))
        cond = replace(conditions_of(u, scope, sem, tuple(c for c in contains if c not in said)), dates=())
        return QueryPlan("max" if above else "min", table, cond, measure="change", descending=above, against=against,
                         limit=ranked_count(u.lower), fields=fields_of(u),
                         reason=f"furthest {'above' if above else 'below'} the {against}")
    if found is None:
        return None
    op, descending = found
    cond = conditions_of(u, scope, sem, contains)
    if op == "group_top":
        by = "department" if _GROUP_DEPT.search(u.lower) else "cabinet_member" if _BY_MEMBER.search(u.lower) else "who"
        if by == "who" and not sem.who:
            return None
        if by == "department" and len(cond.departments) == 1 and sem.amount:
            # "in CCP, which division has the largest net budget": the divisions are the department's rows
            op, descending = ("max", True) if descending else ("min", False)
    if op == "group_top":
        measure = "amount" if by == "department" and sem.amount and _MONEY_WORDS.search(
            re.sub(r"\bcontracts?\b|\bprocurements?\b", " ", u.lower)) else None
        return QueryPlan("group_top", table, cond, measure=measure, group_by=by, descending=descending,
                         limit=3, reason=f"'{'most' if descending else 'fewest'}' grouped by {by}")
    measure = measure_of(u.lower, sem, u)
    if measure is None:
        return None
    period = next((d.fy_label for d in u.dates if d.fy_label), None) if sem.values else None
    if sem.values:
        cond = replace(cond, dates=())  # the year names the KPI value's period, not a row date
    if op in ("sum", "average") and measure != "amount" and measure not in VALUE_MEASURES:
        return None
    return QueryPlan(op, table, cond, measure=measure, period=period, descending=descending,
                     limit=ranked_count(u.lower) if op in ("max", "min") else 1,
                     fields=fields_of(u), amount=sem.amount_named(u.lower) if measure == "amount" else None,
                     reason=f"{op} of {measure}")


#: Words that name the operation, the measure or the kind of row, never the topic of an aggregate.
# ----------------------------------------------------------------------------- follow-ups

_THOSE = re.compile(r"\b(?:of those|of these|of them|those|these|them|the ones|ones|that list|the list|"
                    r"among them|out of those)\b|\bthey\b(?=.*\b(?:add|total|sum|cost|worth|come to|due|finish|"
                    r"start|lead)\b)|\btheir\b(?=.*\b(?:combined|total|together|altogether|add|sum)\b)|^(?:and\s+|so\s+)?(?:what|which) (?:are|were) they\s*\??$")
_ORDINAL = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
            "fifth": 4, "5th": 4, "last": -1}
_PICK = re.compile(r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\s+(?:one|item|row|"
                   r"action|contract|kpi|pledge|measure|entry)\b|\b(?:number|no\.?|#)\s*(\d)\b")
_WHAT_ABOUT = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\b|^(?:and|same)\s+(?:for|in)\b|^(?:now\s+)?(?:and\s+)?"
                         r"(?:for|in)\s+\w+\s*\??$")


#: Words of a follow-up that only asks for other fields of the same rows ("target?", "and the lead?").
_FIELD_ONLY = frozenset("""and what about how the its their his her is was are who lead leads led by owner ro
responsible when due date deadline start starts started finish finishes end ends complete completion target
targets tgt latest actual value cost costs worth much net gross budget figure amount it that this one please
so then ok okay revenue capital s in charge of on for officer person""".split())


def asks_only_fields(lower: str, columns: tuple[str, ...] = ()) -> bool:
    """A short question made only of field words: "target?", "and when is it due?", "who leads it?";
    or of field words and the names of `columns` of a long-form table ("and its premises?")."""
    lower = lower.replace("&", " and ")   # ("supplies & services" names "Supplies and Services")
    rest = lower = " ".join(lower.split())
    for column in sorted(columns, key=len, reverse=True):
        rest = re.sub(rf"(?<![a-z]){re.escape(' '.join(column.lower().replace('&', ' and ').split()))}(?![a-z])", " ",
                      rest)
    if rest != lower:
        words = re.findall(r"[a-z]+", rest)
        return len(words) <= 6 and all(w in _FIELD_ONLY for w in words)
    found = re.findall(r"[a-z]+", lower)
    return 0 < len(found) <= 6 and all(w in _FIELD_ONLY for w in found) and bool(
        set(found) & {"who", "lead", "leads", "led", "owner", "ro", "responsible", "when", "due", "date", "deadline",
                      "start", "starts", "finish", "end", "complete", "completion", "target", "targets", "tgt",
                      "latest", "actual", "value", "cost", "costs", "worth", "much", "net", "gross", "revenue",
                      "capital"})


def with_pick_named(text: str, name: str) -> str:
    """The text with its "the first one" ("number 2") replaced by the name of the thing picked."""
    return re.compile(_PICK.pattern, re.IGNORECASE).sub(name, text, count=1)


def picked_index(lower: str) -> int | None:
    """'the second one' -> 1, 'the last one' -> -1, 'number 3' -> 2."""
    m = _PICK.search(lower)
    if not m:
        return None
    if m.group(1):
        return _ORDINAL[m.group(1)]
    return int(m.group(2)) - 1


#: "any other £75k ones in that table?", "which others in the same list start in May?": other rows of the
#: table the previous rows were printed in.
#: "What's the next one to start after those?", "and the one that starts the month after?": the first later row.
_NEXT_AFTER = re.compile(r"\bnext (?:one|ones|contract|action|project|row)?\s*(?:to (?:start|finish|end|complete)|due|"
                         r"starting|finishing)?\s*after (?:those|them|these|that|it)\b|"
                         r"\bthe (?:one|next one) (?:that )?(?:starts?|is due|finish(?:es)?|ends?) (?:the )?(?:month|week|"
                         r"year|day) after\b|\bwhat(?:'s| is| comes) next\b")
#: "Anything else starting the same day?", "any others due that day?": rows of the previous rows' date.
_SAME_DAY = re.compile(r"\b(?:else|others?|another)\b.*\b(?:the same|that) (?:day|date)\b|"
                       r"\b(?:on|starting|starts?|due|finishing|ending) (?:the same|that) (?:day|date)\b")
def _start_or_due(sem: TableSemantics) -> str:
    """The date role a follow-up on "the same day" or "the next one after" reads: a row's start when it has
    one (a procurement's only date is its start), else its due date."""
    return "start" if sem.start or (sem.due and sem.due.prefix == "start") else "due"


def asks_same_day(lower: str) -> bool:
    """"Anything else starting the same day?": a follow-up for rows of the previous rows' date."""
    return bool(_SAME_DAY.search(lower))


#: "... in that table / band / list": the previous rows' own table.
_IN_THAT_TABLE = re.compile(r"\b(?:in|from|of|on) (?:that|the same|this) (?:table|list|band|category|bracket|section)\b")
#: "... in that band / category": of the previous rows' group (a procurement's band), not only their table.
_IN_THAT_BAND = re.compile(r"\b(?:in|from|of) (?:that|the same|this) (?:band|category|bracket)\b")
_OTHER_IN_TABLE = re.compile(r"\bother(?:s| ones?| \S+ ones?| \S+)?\b.*\b(?:in|from|of|on) (?:that|the same|this) "
                             r"(?:table|list|band|section)\b")


#: "Which of those ...", "which ones ...", "any of them ...": a filter over the previous rows.
_WHICH_OF = re.compile(r"\b(?:which|what|any|how many)\s+(?:of\s+)?(?:those|these|them|ones)\b|\bwhich ones\b")


def _bare_amounts(lower: str) -> tuple[Amount, ...]:
    """Sums of money written with no comparison ("£75k ones"): rows of exactly that value."""
    found = [parse_money(m.group(0)) for m in re.finditer(r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|million)?\b", lower)]
    return tuple(Amount("=", v, f"£{v:,.0f}") for v in found if v is not None)


def refers_to_rows(lower: str) -> bool:
    """Whether the question points at the previous answer's rows ("those", "the first one", "the
    education one")."""
    return bool(_THOSE.search(lower) or picked_index(lower) is not None or picked_word(lower))


#: "Which starts first?", "which one ends later?": which of the two rows just asked about comes first by a date.
WHICH_DATED = re.compile(r"^\s*(?:and\s+|so\s+)?which(?: one)?\s+(?:starts?|begins?|commences?|ends?|finish(?:es)?|"
                         r"completes?|(?:is\s+)?due|opens?|comes?)\s+(?:first|earlier|earliest|sooner|later|last|latest)"
                         r"\s*[?.!]*\s*$")


def points_at(lower: str, keys: tuple[str, ...]) -> bool:
    """Whether the question points at these rows: as "those", or by their number ("the two"), or, of two
    rows, as "which" of them comes first."""
    return refers_to_rows(lower) or (bool(keys) and rows_counted(lower) == len(keys)) or \
        (len(keys) == 2 and WHICH_DATED.match(lower) is not None)


def counted_keys(lower: str, keys: tuple[str, ...], previous: "QueryPlan | None") -> tuple[str, ...]:
    """The rows a follow-up points at: the previous answer's, or, when it counts out as many rows as
    the previous plan was over and the answer had another number, those ("total of the four?" after
    "the biggest one?" over four rows)."""
    n = rows_counted(lower)
    if n is None or n == len(keys) or previous is None or len(previous.conditions.keys) != n:
        return keys
    return previous.conditions.keys


_COUNTS = {**NUMBER_WORDS, "2": 2, "3": 3, "4": 4}
#: "what do the two add up to?", "which of the three starts first?", "both": that many rows named
#: before, not "the three years" or "both councils".
_THE_N = re.compile(r"\b(?:the|all|those|these)\s+(two|three|four|2|3|4)\b(?![\s-]*(?:years?|months?|quarters?|weeks?|"
                    r"days?|councils?|priorit|plans?|periods?)\b)|\b(both)\b(?!\s+(?:councils?|of the councils|plans))")


def rows_counted(lower: str) -> int | None:
    """How many earlier rows a follow-up counts out ("the two" -> 2, "both" -> 2), if it does."""
    m = _THE_N.search(lower)
    return None if m is None else 2 if m.group(2) else _COUNTS[m.group(1)]


#: "the education one", "the care leavers one": a row of the previous answer named by words of its own
#: (up to three).
_PICK_WORD = re.compile(r"\bthe ((?:[a-z][a-z-]{2,}\s+){0,2}[a-z][a-z-]{2,}) one\b")


def picked_word(lower: str) -> str | None:
    """The words a follow-up names one of the previous rows by ("the education one" -> "education",
    "the care leavers one" -> "care leavers")."""
    m = _PICK_WORD.search(lower)
    if m is None or any(w in _ORDINAL or w in _BARE_WORDS or w in OPERATION_WORDS for w in m.group(1).split()) \
            or operation_of(m.group(0)) or comparative(m.group(0)):
        return None   # "the biggest one", "the cheaper one": an operation on the rows, not a word of one
    return m.group(1)


def bare_operation(u: Understanding) -> bool:
    """A superlative or total with nothing of its own to apply to ("which is the smallest?", "and the
    biggest one?", "total?"): it applies to the previous answer's rows."""
    found = operation_of(u.lower) or comparative(u.lower)
    # (a table a follow-up is taken to be about is the previous turn's: only its own words count)
    if not found or found[0] not in ("max", "min", "sum", "average") or u.people:
        return False
    own = [w for w in re.findall(r"[a-z]+", u.lower) if w not in OPERATION_WORDS and w not in _BARE_WORDS]
    return not own


#: Words a bare follow-up may hold besides the operation ("and which is the smallest one?").
_BARE_WORDS = frozenset("and so then which what is was are the one ones of it its them they please ok okay more less "
                        "negative minus bigger larger smaller higher lower cheaper dearer costlier pricier greater "
                        "expensive valuable".split())


def named_field(lower: str, table: str) -> str | None:
    """A column of `table` a short follow-up asks for by name ("what is his portfolio?", "which
    department is that in?", "the likelihood?"), when it is not one of the usual fields."""
    words = re.findall(r"[a-z]+", lower)
    if not words or len(words) > MAX_FIELD_FOLLOW_UP_WORDS:
        return None
    return next(iter(named_fields(lower, table)), None)


#: A question word names a column by another form of its name ("how likely": likelihood) when they
#: share a beginning of at least this many letters, most of the word.
FIELD_FORM_PREFIX = 5
FIELD_FORM_SHARE = 0.6


def names_column(lower: str, name: str) -> bool:
    """Whether the question names a column called `name`, in its own form or another ("how likely")."""
    if re.search(rf"\b{re.escape(name)}s?\b(?!-)", lower):   # not "council-wide"
        return True
    # another form of a word of the name ("likely" of "Current Likelihood (1-5)"); the same word, or
    # the word with an ending ("completed" of "complete precision"), is no name of it
    own = re.findall(r"[a-z]{%d,}" % FIELD_FORM_PREFIX, name)
    for word in re.findall(r"[a-z]{%d,}" % FIELD_FORM_PREFIX, lower):
        for part in own:
            shared = len(os.path.commonprefix([word, part]))
            if not (word.startswith(part) or part.startswith(word)) and shared >= FIELD_FORM_PREFIX \
                    and shared >= FIELD_FORM_SHARE * len(word):
                return True
    return False


#: Columns the ingest keeps about how a cell was read (as printed, a date's precision, status or flag), which
#: no question asks for by name ("completion?" asks when, not "complete precision").
_PARSE_NOTES = ("_raw", "_precision", "_flag", "_status")


def named_fields(lower: str, table: str) -> tuple[str, ...]:
    """The text columns of `table` the question names ("likelihood", "how likely", "category", "owner")."""
    from assistant.sql.schema import TABLES_BY_NAME

    other_names = COLUMN_SYNONYMS.get(table, {})
    return tuple(column.name for column in TABLES_BY_NAME[table].columns
                 if column.type == "VARCHAR" and not column.name.endswith(_PARSE_NOTES)
                 and column.name not in _PROVENANCE_TEXT and any(
                     names_column(lower, name) for name in (column.name.replace("_", " "),
                                                            *other_names.get(column.name, ()))))


#: After a column's name, a word that makes it part of another noun ("priority programmes"), not the
#: column asked for ("the consequence listed", "the cause column", "the mitigation?").
_COMPOUND_OF = re.compile(r"^s?\s+(?!(?:listed|given|column|field|cell|entry|recorded|shown|says?|is|are|was|were|"
                          r"of|for|in|on|does|do|did|the|a|an|and|or|to|from|by|with|that|this|it|they)\b)[a-z]{3,}")


def fields_named(u: Any) -> tuple[str | None, str | None]:
    """The one table a question names and the one text column of it it asks for ("what's the consequence
    listed for the PROW investment risk?": risks, consequence), when that is not the row's name or its
    lead; else (None, None). `u` is an understood question (`router.understand.Understanding`)."""
    if len(u.tables) != 1 or u.tables[0] not in semantics():
        return None, None
    table = u.tables[0]
    sem = semantics()[table]
    if u.intent not in ("explain", "unknown") and not (u.intent == "list" and _of_one_row(u.lower, sem.label, sem.plural)):
        return None, None
    # the council or department a row is of names where it is, not what is asked of it
    # ... nor does a column named as the scope before a colon ("resilient priority: what differences ...")
    fields = [f for f in named_fields(u.lower, table) if f not in (sem.what, sem.who, "council", "department")
              and not _COMPOUND_OF.search(after := u.lower.split(f.replace("_", " "), 1)[-1])
              and not _SCOPE_LABEL.match(after)]
    return (table, fields[0]) if len(fields) == 1 else (None, None)


#: After a column's name, the colon or dash that makes it a label of the question's scope ("resilient
#: priority: what differences ..."), not the column asked.
_SCOPE_LABEL = re.compile(r"^s?\s*(?::|\s[-–]\s)\s*\S")


def _of_one_row(lower: str, label: str, plural: str) -> bool:
    """Whether a list question asks of one row ("the prolonged recovery risk - what are the
    mitigations?"): it says the table's noun in the singular only."""
    return bool(re.search(rf"\b{re.escape(label.lower())}\b", lower)) and \
        not re.search(rf"\b{re.escape(plural.lower())}\b", lower)


#: A follow-up that names a column is short: "what is his portfolio?", "and the category?".
MAX_FIELD_FOLLOW_UP_WORDS = 8



def is_what_about(lower: str) -> bool:
    return bool(_WHAT_ABOUT.search(lower.strip()))


#: "how many is that?", "how many are there?": the number of the previous answer's rows.
def counts_other_things(lower: str, table: str) -> bool:
    """Whether "how many <things>" counts things other than a table's rows ("how many care leavers took up
    those apprenticeships" after actions); "how many of them", "how many are there" count the rows."""
    counted = counted_words(lower)
    if not counted or _HOW_MANY_THAT.search(lower):
        return False
    nouns = set(terms(" ".join((*SYNONYMS.get(table, ()), *LABELS.get(table, ())))))
    return not counted & nouns


_HOW_MANY_THAT = re.compile(r"^(?:and |so )?how many (?:is|are|was|were) (?:that|those|they|them|there)\b|"
                            r"\bhow many of (?:them|those|these)\b")


#: Among the previous rows, "the more expensive of those", "the cheaper one": the largest or smallest.
_MORE = re.compile(r"\b(?:more expensive|bigger|larger|higher|greater|dearer|costlier|pricier|more valuable)\b")
_LESS = re.compile(r"\b(?:cheaper|smaller|lower|less expensive|less valuable)\b")


def comparative(lower: str) -> tuple[Operation, bool] | None:
    """A comparative said of the previous rows, as the largest (or smallest) of them ("more negative":
    the lowest figure)."""
    if MOST_NEGATIVE.search(lower):
        return "min", False
    if _MORE.search(lower):
        return "max", True
    if _LESS.search(lower):
        return "min", False
    return None


#: A follow-up that asks for the previous rows its filter does not select.
_NEGATED = re.compile(r"\b(?:don'?t|do not|doesn'?t|does not|aren'?t|are not|isn'?t|is not|won'?t|will not|"
                      r"not|other than|except|excluding)\b")


def edit_plan(u: Understanding, previous: QueryPlan, keys: tuple[str, ...], scope: Conditions,
              contains: tuple[str, ...], topic: tuple[str, ...] = ()) -> QueryPlan | None:
    """The previous plan edited by a follow-up, or None when the question does not edit it.

    `contains`: the words that look like names; `topic`: every topic word, which filters the previous
    rows when nothing else does ("which of them are elvaston?")."""
    sem = semantics()[previous.table]
    lower = u.lower
    if is_what_about(lower) and not refers_to_rows(lower):
        # "what about ETE?": the same question with the scope (or person, or topic) replaced
        base = previous.conditions
        new = replace(base, keys=(),
                      departments=scope.departments or (() if scope.councils else base.departments),
                      councils=scope.councils or base.councils, documents=scope.documents or base.documents,
                      person=(u.people[0].name if u.people and sem.who else base.person),
                      dates=u.dates or base.dates, contains=contains if contains and not (
                          # a department or council carried over from the previous question is no new scope
                          set(scope.departments) - set(base.departments) or set(scope.councils) - set(base.councils)
                          or u.people) else base.contains)
        return replace(previous, conditions=new, pick=None, reason="follow-up: scope replaced")
    if keys and _NEXT_AFTER.search(lower) and (sem.start or sem.due):
        # "what's the next one to start after those?": the first row of the same table dated after them all
        role = _start_or_due(sem)
        later = replace(Conditions(beside=keys, exclude_keys=keys, later_than=keys), date_role=role)
        return QueryPlan("min", previous.table, later, measure=role, descending=False,
                         reason="follow-up: the next row of the previous rows' table after them")
    if keys and _SAME_DAY.search(lower) and (sem.start or sem.due):
        # "anything else in that table starting the same day?": the rest of the previous rows' table of
        # their date (of its own table when it says so; of any of its department's otherwise)
        role = _start_or_due(sem)
        same = Conditions(beside=keys if _IN_THAT_TABLE.search(lower) else (), exclude_keys=keys, same_date_as=keys,
                          same_group_as=keys if _IN_THAT_BAND.search(lower) else (),
                          date_role=role, departments=() if _IN_THAT_TABLE.search(lower) else scope.departments)
        return QueryPlan("list", previous.table, same, reason="follow-up: the other rows of the previous rows' date")
    if keys and _OTHER_IN_TABLE.search(lower):
        # "any other £75k ones in that table?": the rest of the table the previous rows were printed in
        others = replace(Conditions(beside=keys, exclude_keys=keys), amounts=u.amounts or _bare_amounts(lower),
                         dates=u.dates, date_role=u.when_kind)
        return QueryPlan("list", previous.table, others, reason="follow-up: the other rows of the previous rows' table")
    if not ((points_at(lower, keys) or bare_operation(u) or _HOW_MANY_THAT.search(lower)) and keys):
        return None
    if counts_other_things(lower, previous.table):
        return None   # "how many care leavers took up those apprenticeships": people, not the rows
    index = picked_index(lower)
    # "which of those are £150k?": a sum of money said with no comparison picks the rows of that value
    amounts = u.amounts or (_bare_amounts(lower) if _WHICH_OF.search(lower) else ())
    restricted = replace(Conditions(keys=keys), departments=scope.departments, councils=scope.councils,
                         dates=u.dates, date_role=u.when_kind, amounts=amounts,
                         groups=tuple((c, v) for t, c, v in u.groups if t == sem.table),
                         person=(u.people[0].name if u.people and sem.who else None),
                         status=u.status if _status_column(sem, u.status) else None)
    if _NEGATED.search(lower) and restricted != replace(Conditions(keys=keys), date_role=u.when_kind):
        restricted = replace(restricted, negated=True)   # "which of those don't start in April 2020"
    if index is not None:
        return QueryPlan("lookup", previous.table, Conditions(keys=keys), fields=fields_of(u) or ("everything",),
                         pick=index, reason="follow-up: pick a row of the previous answer")
    word = picked_word(lower)
    if word:
        return QueryPlan("lookup", previous.table, Conditions(keys=keys, contains=tuple(terms(word))),
                         fields=fields_of(u) or ("everything",), reason=f"follow-up: the previous row about {word!r}")
    found = operation_of(lower) or comparative(lower)
    if found and found[0] in ("max", "min", "sum", "average"):
        measure = measure_of(lower, sem, u) or previous.measure
        if previous.operation in ("max", "min") and bare_operation(u):
            restricted = previous.conditions  # "and the biggest one?" after "the smallest": the same rows
        if measure:
            return QueryPlan(found[0], previous.table, restricted, measure=measure, period=previous.period,
                             descending=found[1], fields=fields_of(u),
                             reason=f"follow-up: {found[0]} over the previous rows")
    if re.search(r"\bhow many\b|\bcount\b|\bnumber of\b", lower):
        return QueryPlan("count", previous.table, restricted, reason="follow-up: count the previous rows")
    if u.intent in ("who", "when", "target", "how_much") and not (u.dates or amounts or scope.departments
                                                                  or scope.councils or u.groups or u.people
                                                                  or restricted.status):
        return QueryPlan("lookup", previous.table, Conditions(keys=keys), fields=fields_of(u),
                         reason="follow-up: fields of the previous rows")
    if not (restricted.dates or restricted.amounts or restricted.groups or restricted.person or restricted.status
            or restricted.negated or set(restricted.departments) - set(previous.conditions.departments)) \
            and (contains or topic):
        restricted = replace(restricted, contains=contains or topic)   # "which of them are elvaston?"
    return QueryPlan("list", previous.table, restricted, reason="follow-up: filter the previous rows")
