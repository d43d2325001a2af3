"""A department's total of a budget column, as its own table prints it: "ETE's net controllable budget?",
"which is bigger, ETE's net budget or CCP's?". The total line is read for each department named (one or
two), and two are compared with the difference between them. A question that names a line of the
budget ("ETE's waste net budget") is no such question, and is left to the row answerers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant.models import Answer
from assistant.router import compose
from assistant.router.context import Context, Reply
from assistant.router.data import Database
from assistant.router.follow_ups import BY_HOW_MUCH
from assistant.router.queries import Conditions, Query, display_sql, where
from assistant.router.scoring import content_terms
from assistant.router.semantic import semantics
from assistant.router.understand import Understanding
from assistant.text import terms

#: The table whose printed totals are read.
TABLE = "budget_lines"
#: At most this many departments are read (two are compared).
MAX_DEPARTMENTS = 2
#: Words that say which total is asked, or that two are compared; they name no line of the budget.
_TOTAL_WORDS = frozenset(terms("net gross total overall controllable approved revenue budget budgets department "
                               "departments directorate whole bigger larger higher greater more less "
                               "smaller lower which compare compared difference than versus vs much what how"))

def _previous_totals(db: Database, context: Context) -> list[dict[str, Any]]:
    """The previous answer's rows when they are printed totals of the budget table."""
    if context.table != TABLE or not context.keys:
        return []
    sem = semantics()[TABLE]
    marks = ", ".join("?" * len(context.keys))
    rows = db.run(Query(f"SELECT t.* FROM {TABLE} t WHERE t.{sem.key} IN ({marks})", tuple(context.keys), TABLE)).dicts()
    return rows if rows and all(r.get("is_total") for r in rows) else []


def _previous_pair(db: Database, context: Context) -> list[dict[str, Any]]:
    """The two rows with an amount the previous answers were about: the last answer's two rows, or the
    rows of the last two one-row answers ("the biggest?", "and the smallest?")."""
    sem = semantics().get(context.table or "")
    keys = context.keys if len(context.keys) == 2 else context.recent[-2:] if len(context.keys) == 1 else ()
    if sem is None or not sem.amount or len(set(keys)) != 2:
        return []
    rows = db.run(Query(f"SELECT t.* FROM {sem.table} t WHERE t.{sem.key} IN (?, ?)", tuple(keys), sem.table)).dicts()
    return rows if len(rows) == 2 and all(r.get(sem.amount) is not None for r in rows) else []


#: The table's own noun, which a column's name need not be said with ("the net" of "Net Budget").
_TABLE_NOUN = frozenset(terms("budget"))


def _measure_said(question: str, measures: tuple[str, ...]) -> list[str]:
    """The one column whose words, less the table's noun, the question says all of ("net" -> "Net Budget")."""
    asked = set(terms(question))
    said = [m for m in measures if (own := set(terms(m)) - _TABLE_NOUN) and own <= asked]
    return said if len(said) == 1 else []


def difference_follow_up(db: Database, u: Understanding, context: Context) -> Reply | None:
    """"By how much?", "what's the gap between them?" after two departments' totals, or after two rows
    with an amount: the difference between them."""
    if not BY_HOW_MUCH.search(u.lower):
        return None
    rows = _previous_totals(db, context)
    if len(rows) == 2:
        sem = semantics()[TABLE]
        a, b = sorted(rows, key=lambda r: -float(r[sem.amount] or 0))
        named = (f"{a['department']}'s {a['measure']} total", f"{b['department']}'s")
    else:
        rows = _previous_pair(db, context)
        if len(rows) != 2:
            return None
        sem = semantics()[context.table or ""]
        a, b = sorted(rows, key=lambda r: -float(r[sem.amount] or 0))
        named = (f'"{a[sem.what]}"', f'"{b[sem.what]}"')
        if a[sem.what] == b[sem.what] and a.get("measure") and b.get("measure"):   # two measures of one line
            named = (f'The {a["measure"]} of "{a[sem.what]}"', f"its {b['measure']}")
    gap = float(a[sem.amount]) - float(b[sem.amount])
    text = (f"{named[0]} ({compose.money(a[sem.amount])}) is larger than {named[1]} ({compose.money(b[sem.amount])}) "
            f"by {compose.money(gap)} ({compose.money_short(gap)}).")
    answer = Answer(question=u.question, route="sql", answer=text, confidence=0.9,
                    citations=tuple(db.cite(r) for r in (a, b)),
                    explanation=f"{u.explain()}; the difference between the two rows before")
    # "and for working smarter?" next asks the same difference of another line
    return Reply(answer, replace(context, topic=f"{context.topic} difference".strip()))


def department_totals(db: Database, u: Understanding, scope: Conditions, department_words: frozenset[str],
                      context: Context | None = None) -> Reply | None:
    """The printed totals of the budget column the question names for the departments it names, or None.
    `department_words`: stems of the names and aliases of those departments (they name no line). After
    totals of another department, "what about children's services net?" reads the same column."""
    if context is not None and context.keys and u.follow_up and not _previous_totals(db, context):
        return None   # "and its agency and contracted services?": a column of the line before
    if not u.tables and context is not None and _previous_totals(db, context):
        u = replace(u, tables=(TABLE,), intent="how_much" if u.intent in ("explain", "unknown") else u.intent)
    if not u.tables or u.tables[0] != TABLE or not 1 <= len(scope.departments) <= MAX_DEPARTMENTS \
            or u.intent not in ("how_much", "explain", "unknown"):
        return None
    measures = [v for t, c, v in u.groups if t == TABLE and c == "measure"]
    if not measures and context is not None and _previous_totals(db, context):
        # "and the net?" after a department's gross total: the one column named by its own word ("Net
        # Budget" less the table's noun), else the same column as before
        measures = _measure_said(u.text, db.lexicon().groups.get((TABLE, "measure"), ()))
    if not measures and context is not None:
        before = {str(r["measure"]) for r in _previous_totals(db, context)}
        measures = sorted(before) if len(before) == 1 else []
    if len(measures) != 1:
        return None
    # (the words of the table's columns name a column, never a line: "grant income" is the Grants column)
    columns = frozenset(t for m in db.lexicon().groups.get((TABLE, "measure"), ()) for t in terms(m))
    named = u.group_terms | department_words | _TOTAL_WORDS | columns
    if [t for t in content_terms(u.topic) if t not in named and not t[:1].isdigit()]:
        return None   # a line of the budget is named
    sem = semantics()[TABLE]
    groups = tuple((c, v) for t, c, v in u.groups if t == TABLE and c != "measure") + (("measure", measures[0]),)
    clauses, params = where(sem, Conditions(departments=scope.departments, councils=scope.councils,
                                            documents=scope.documents, groups=groups))
    query = Query(f"SELECT t.* FROM {TABLE} t WHERE {' AND '.join([*clauses, 't.is_total'])} "
                  f"ORDER BY t.line_start", tuple(params), TABLE)
    rows = [r for r in db.run(query).dicts() if r.get(sem.amount) is not None]
    per: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        per.setdefault(str(r.get("department")), []).append(r)
    if set(per) != set(scope.departments) or any(len(v) != 1 for v in per.values()):
        return None   # a department without its one printed total (or with several): not this answerer's
    found = [per[d][0] for d in scope.departments]
    measure = measures[0]
    lines = [f"The {measure} total of {r['department']} is {compose.money(r[sem.amount])} "
             f"(\"{r[sem.what]}\", {r.get(sem.amount_raw or '') or r[sem.amount]} as printed)." for r in found]
    if len(found) == 2:
        a, b = sorted(found, key=lambda r: -float(r[sem.amount]))
        difference = float(a[sem.amount]) - float(b[sem.amount])
        lines.append(f"{a['department']}'s is larger, by {compose.money(difference)}." if difference
                     else "The two are the same.")
    answer = Answer(question=u.question, route="sql", answer=" ".join(line for line in lines if line),
                    confidence=0.9, citations=tuple(db.cite(r) for r in found), sql=display_sql(query),
                    explanation=f"{u.explain()}; the printed {measure} total of each department named")
    return Reply(answer, Context(TABLE, tuple(str(r[sem.key]) for r in found), (), scope.departments,
                                 scope.councils, scope.documents, u.topic))
