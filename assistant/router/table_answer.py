"""Answers from a table aggregate (table_ops.py) as the router gives them: the question read with its
scope, the aggregate verified against the question, cited by its rows, and the context it leaves for
a follow-up (the typed rows it used, or the question to add to)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Callable

from assistant.models import Answer
from assistant.router import table_ops
from assistant.router.context import Context, Reply
from assistant.router.data import Database
from assistant.router.extract import terms
from assistant.router.plan import QueryPlan
from assistant.router.queries import Conditions, Query
from assistant.router.semantic import PLACE_GROUPS, semantics
from assistant.router.understand import Lexicon, Understanding, fold
from assistant.router.verify import verify

log = logging.getLogger(__name__)

#: Rows of an aggregate cited, shown and left for a follow-up.
MAX_ROWS = 20


class TableAnswerer:
    """Table aggregates over one database; `scope_names` gives every name of the departments and
    councils in scope (the router's, so that their words name no table)."""

    def __init__(self, db: Database, scope_names: Callable[[tuple[str, ...], tuple[str, ...]], list[str]]) -> None:
        self.db = db
        self.scope_names = scope_names

    def tables_of(self, context: Context) -> frozenset[str]:
        """The tables the previous answer's rows came from ("which division has the biggest net?" after a
        division's net budget asks of that table)."""
        if not context.table or not context.keys:
            return frozenset()
        sem = semantics()[context.table]
        keys = context.keys[:MAX_ROWS]
        return frozenset(str(t) for (t,) in self.db.run(Query(
            f"SELECT DISTINCT raw_table_id FROM {sem.table} WHERE raw_table_id IS NOT NULL AND {sem.key} IN "
            f"({', '.join('?' * len(keys))})", keys)).rows)

    def answer(self, u: Understanding, scope: Conditions, lexicon: Lexicon,
               op: tuple[table_ops.Op, bool] | None = None, tables: frozenset[str] | None = None,
               counts_rows: bool = False) -> Reply | None:
        """An aggregate over the rows of one table the question names, by its own columns; `op`: the
        operation and direction a follow-up asks for; `tables`: the tables the conversation is about;
        `counts_rows`: a count asked of them is of their rows ("how many altogether"), not one row's figure."""
        sheets = self.db.derived("sheets", table_ops.Sheets.load)
        scope_words = frozenset(terms(" ".join(self.scope_names(scope.departments, scope.councils))))
        titles = {d.doc_id: d.title for d in lexicon.documents}
        scope_words |= frozenset(t for d in scope.documents for t in terms(f"{titles.get(d, '')} {d.replace('-', ' ')}"))
        aliases = {d.name: d.aliases for d in lexicon.departments}
        kinds = {d.doc_id: f"{d.kind} {d.title}" for d in lexicon.documents}
        said = set(terms(u.text))
        named = frozenset(d for d in scope.documents if len(set(terms(kinds.get(d, ""))) & said) >= table_ops.MIN_WORDS_SAID)
        asked = table_ops.ask(u, lexicon, scope_words, scope.departments, lambda d: (d, *aliases.get(d, ())), named,
                              *(op or (None, None)))
        if asked is None or tables == frozenset() or (tables and asked.op == "count" and not counts_rows):
            return None  # a count after a row ("how many recruited to?") asks its figure, not its table's rows
        if tables:
            asked = replace(asked, tables=tables)

        typed = frozenset(semantics())

        def allowed(sheet: table_ops.Sheet) -> bool:
            # "Keep Children Safe - how many KPIs sit under it?": a table of actions of that name is not
            # one of the KPIs the question names
            return (not scope.documents or sheet.doc_id in scope.documents) and \
                (not scope.councils or sheet.council in scope.councils) and \
                not (u.tables and sheet.kind in typed and sheet.kind not in u.tables)

        result = table_ops.answer(sheets, asked, allowed)
        if result is None:
            return None
        headers = [fold(h) for h in result.sheet.header]
        if result.operation in ("count", "list") and not asked.conditions and any(
                t == result.sheet.kind and c not in PLACE_GROUPS and any(fold(v) in h for h in headers)
                for t, c, v in u.groups):
            # "how many 4 year deliverables": a value of the typed rows that this table prints as one of its
            # columns ("4 year deliverables"), so its rows cannot be counted by it; the typed rows can
            return None
        citations = result.citations(self.db)
        verdict = verify(u.text, result.text, " ".join(f"{c.quote} {c.section} {c.title}" for c in citations)
                         + f" {result.sheet.name} {' '.join(result.sheet.header)}", lexicon, asked=u.typed)
        if not verdict.ok:
            log.info("table aggregate %r refused: %s", result.text, verdict.code)
            return None
        answer = Answer(question=u.question, route="sql", answer=result.text, confidence=round(result.confidence, 3),
                        citations=citations, columns=result.sheet.header,
                        rows=tuple(r.cells for r in result.rows[:MAX_ROWS]), plan=result.plan(),
                        explanation=f"{u.explain()}; table={result.sheet.table_id} {result.operation} "
                                    f"of {result.measure!r}")
        return Reply(answer, self.context_of(u, scope, result))

    def context_of(self, u: Understanding, scope: Conditions, result: table_ops.Result) -> Context:
        """What a table aggregate leaves for a follow-up: the typed rows it used, when its table is typed
        ("the more expensive of those?", "when does it start?")."""
        context = Context(topic=u.topic, departments=scope.departments, councils=scope.councils,
                          documents=(result.sheet.doc_id,), table_question=u.text, table_op=result.operation)
        sem = semantics().get(result.sheet.kind)
        if sem is None or not result.rows:
            return context
        # the row a largest or smallest names; else every row used, in the answer's order
        indexes = [r.index for r in result.rows[:1 if result.operation in ("max", "min") else MAX_ROWS]]
        found = {int(i): str(k) for k, i in self.db.run(Query(
            f"SELECT {sem.key}, raw_row_index FROM {sem.table} WHERE raw_table_id = ? AND raw_row_index IN "
            f"({', '.join('?' * len(indexes))})", (result.sheet.table_id, *indexes))).rows}
        keys = tuple(found[i] for i in indexes if i in found)
        if not keys:
            return context
        plan = QueryPlan("list", sem.table, Conditions(keys=keys), reason="the rows of a table aggregate")
        context = replace(context, table=sem.table, keys=keys, plan=plan)
        if result.operation == "group_top" and result.measure is None:
            # "which start date has the most contracts": a follow-up is about those rows ("list them",
            # "what do they add up to?"), not the question asked again of the whole table
            context = replace(context, table_question="")
        return context
