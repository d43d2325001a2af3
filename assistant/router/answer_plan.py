"""The SQL-plan answerer: runs a `QueryPlan` and says what it found, citing the rows it used.

Operations: max / min (with ties), sum and average (an item listed more than once in a document
is counted once, and the answer says so), group-top (who leads the most, which department has the
most), count, list and lookup over rows picked by a follow-up.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from assistant.ingest.normalise import parse_money
from assistant.models import Answer, Citation, dedupe_citations
from assistant.router import compose
from assistant.router.cells import money_scale, with_unit
from assistant.router.compose import dedupe_items
from assistant.router.context import Context, Reply, row_measure
from assistant.router.data import Database
from assistant.router.plan import VALUE_MEASURES, QueryPlan
from assistant.router.plan_sql import all_rows, group_counts, ordered_rows, value_rows
from assistant.router.queries import Conditions, Query, display_columns, display_sql, where
from assistant.router.semantic import CAPTION_GROUP, ROW_QUALIFIERS, SECTION_GROUP, TableSemantics, semantics
from assistant.router.understand import Amount, has_phrase, set_aside
from assistant.text import as_written, fold, terms

#: Citations attached to one answer; the answer says how many rows there were in all.
MAX_CITED_ROWS = 20
#: Rows shown after the top one of a max/min answer.
RUNNERS_UP = 2
#: Rows read for a sum, an average or a count: all of them in practice (a capped sum would be wrong).
AGGREGATE_ROW_LIMIT = 1_000_000
#: Stems of the words that say which kind of budget a row is ("capital", "revenue").
_QUALIFIER_STEMS = frozenset(terms(" ".join(ROW_QUALIFIERS)))
#: Groups named (with their figures) in a group-top answer, the leader first.
GROUPS_SHOWN = 10


def _cites(db: Database, rows: list[dict[str, Any]]) -> tuple[Citation, ...]:
    return dedupe_citations([db.cite(r) for r in rows], MAX_CITED_ROWS)


def filters_text(c: Conditions, sem: TableSemantics, question: str = "") -> list[str]:
    """Row filters in words ("in ETE", "due by March 2021", "over £1m", "mentioning 'roads'"), in one place.

    Topic stems are shown as the question wrote them.
    """
    bits = []
    if c.departments:   # as the question names them ("CYPE and GET"), not every spelling each has
        said = [d for d in c.departments if has_phrase(fold(question), fold(d))] if question else []
        bits.append("in " + " and ".join(said or c.departments))
    elif c.councils:
        bits.append("in " + " and ".join(c.councils))
    for value in dict.fromkeys(v for _, v in c.groups):  # one label read from two columns is said once
        columns = [col for col, v in c.groups if v == value]
        if not any(col in sem.groups or col in (SECTION_GROUP, CAPTION_GROUP) for col in columns):
            bits.append(f"with {columns[0].replace('_', ' ')} {value}")   # "a likelihood of 1" names a column
            continue
        bits.append(f"{'under' if SECTION_GROUP in columns else 'in'} {value}")   # a heading's rows; a category's
    if c.person:
        bits.append(f"{sem.words.led_by} {c.person}")
    for spec in c.dates:
        if not (sem.due or sem.start):   # a table by period: the year's rows ("for 2029-30")
            bits.append(f"for {spec.fy_label or spec.text}")
            continue
        verb = "starting" if c.date_role == "start" or (sem.due and sem.due.prefix == "start") else "due"
        bits.append(f"{verb} {'on' if spec.relation == 'in' and spec.precision == 'day' else spec.relation} {spec.text}")
    if c.lead_text and sem.who_raw:
        bits.append(f"led by {c.lead_text}")
    for amount in dict.fromkeys(c.amounts):
        bits.append(_amount_text(amount))
    if c.missing:
        bits.append(f"with no {c.missing if c.missing != 'who' else 'lead'}")
    if c.present:
        bits.append(f"with a {c.present if c.present != 'who' else 'lead'}" + (" date" if c.present in ("start", "due") else "")
                    + " given")
    if c.status:   # "with start TBC (or the like)", "with due date 'ongoing - reported annually'"
        role, words = c.status
        said = words[0].upper() if len(words[0]) <= 3 else f"'{words[0]}'"
        bits.append(f"with {role if role != 'due' else 'due date'} {said}" + (" (or the like)" if len(words) > 1 else ""))
    if c.rating:
        previous = f" after {c.previous_rating} the period before" if c.previous_rating else ""
        bits.append(f"rated {c.rating}{previous}")
    if c.contains:
        bits.append("mentioning " + " and ".join(f"'{w}'" for w in as_written(c.contains, question)))
    if c.negated and bits:
        bits = ["not " + " and ".join(bits)]   # "not starting in april 2020"
    if c.set_aside:   # "leaving out 'non-delivery of savings'", as the question wrote it
        named = set_aside(question.lower()) or tuple(" ".join(item) for item in c.set_aside)
        bits.append("leaving out " + " and ".join(f"'{p}'" for p in named))
    return bits


#: A total of rows the question names one by one says each of them, up to this many.
MAX_ITEMISED = 6


def _amount_text(amount: Amount) -> str:
    """"worth exactly £25,000"; "over £1m"; a strict bound loosened to take in an exact match says so."""
    if amount.op == "=":
        return f"worth {amount.text}"
    if len(amount.op) == 1 or amount.text.split()[0] in ("at", "up", ">=", "<=") or \
            re.search(r"\b(?:or|and) \w+$", amount.text):   # "£2m or more" says its own bound
        return amount.text
    return f"{amount.text} or exactly {compose.money(amount.value)} (none is strictly {amount.text})"


def _where_text(plan: QueryPlan, sem: TableSemantics, question: str = "") -> str:
    """The plan's filters in words, and which rows it picked."""
    bits = filters_text(plan.conditions, sem, question)
    if plan.items:
        bits.append("named (" + "; ".join(plan.items) + ")")
    elif plan.conditions.keys:
        bits.append("among the previous answer's rows")
    return (" " + " ".join(bits)) if bits else ""


def _label(row: dict[str, Any], sem: TableSemantics) -> str:
    return compose.short(row.get(sem.what), 120)


def _figure(row: dict[str, Any], sem: TableSemantics, plan: QueryPlan) -> str:
    if plan.measure == "amount":
        raw = compose.short(row.get(sem.amount_raw or ""), 40)
        if raw.startswith("£") or not raw:
            return raw
        exact = compose.money(row.get(sem.amount))
        # a figure in thousands ("44,042" under £'000) is said in pounds and as printed
        return f"{exact} ({raw} as printed)" if exact and raw.replace(",", "") != exact.strip("£").replace(",", "") \
            else exact
    if plan.measure == "change":   # "latest 94% for Q3 2024-25 against 97% previous: down 3 percentage points"
        moved = float(row.get("value_number") or 0)
        size = f"{abs(moved):,.2f}".rstrip("0").rstrip(".")
        size += (" percentage point" + ("" if abs(moved) == 1 else "s")) if row.get("value_unit") == "%" else ""
        if plan.against != "previous":   # "latest 94% against the floor 80%: 14 percentage points above"
            return (f"latest {row.get('value_raw')} for {row.get('value_period')} against the {plan.against} "
                    f"{row.get('previous_raw')}: " + (f"{size} {'above' if moved > 0 else 'below'}" if moved else "on it"))
        return (f"latest {row.get('value_raw')} for {row.get('value_period')} against {row.get('previous_raw')} "
                f"previous: {'up' if moved > 0 else 'down' if moved < 0 else 'unchanged'}{f' {size}' if moved else ''}")
    if plan.measure in VALUE_MEASURES:   # (a "previous" figure's period is printed as "previous")
        period = row.get("value_period")
        return f"{plan.measure} {row.get('value_raw')}" + (f" for {period}" if period and period != plan.measure else "")
    if plan.measure == "span":
        start = compose.date_text(row, sem, "start")
        due = compose.date_text(row, sem, "due")
        return f"from {start} to {due}"
    role = "start" if plan.measure == "start" else "due"
    return ("starts " if role == "start" or (sem.due and sem.due.prefix == "start") else "due ") + \
        compose.date_text(row, sem, role)


def _where_from(row: dict[str, Any]) -> str:
    bits = [b for b in (row.get("department"), row.get("council")) if b]
    return f" ({', '.join(dict.fromkeys(bits))})" if bits else ""


def _of_one_unit(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows in the unit most of them share (percentages when as many), and the rest, each in order."""
    counts = Counter(r.get("value_unit") or "" for r in rows)
    if len(counts) <= 1:
        return rows, []
    unit = max(counts, key=lambda u: (counts[u], u == "%"))
    return [r for r in rows if (r.get("value_unit") or "") == unit], [r for r in rows if (r.get("value_unit") or "") != unit]


def _measure_key(row: dict[str, Any], sem: TableSemantics, plan: QueryPlan) -> Any:
    if plan.measure == "amount":
        return row.get(sem.amount)
    if (plan.measure in VALUE_MEASURES or plan.measure == "change"):
        return row.get("value_number")
    if plan.measure == "span":
        return row.get("span_days")
    role = sem.date_role(plan.measure)
    if role is None:
        return None
    return row.get(role.date_end if plan.descending else role.date)


class PlanAnswerer:
    """Answers a `QueryPlan` from the database."""

    def __init__(self, db: Database, row_limit: int = 500) -> None:
        self.db = db
        self.row_limit = row_limit

    def answer(self, question: str, plan: QueryPlan, context: Context) -> Reply | None:
        sem = semantics()[plan.table].with_amount(plan.amount)
        plan = self._one_measure(question, plan, sem)
        if plan.operation in ("max", "min"):
            return self._extreme(question, plan, sem, context)
        if plan.operation in ("sum", "average"):
            return self._total(question, plan, sem, context)
        if plan.operation == "group_top":
            return self._group(question, plan, sem, context)
        if plan.operation in ("list", "count"):
            return self._list(question, plan, sem, context)
        return None  # lookups are read by the row-fact answerer

    def _one_measure(self, question: str, plan: QueryPlan, sem: TableSemantics) -> QueryPlan:
        """A largest line (or a department's total) of a long-form table, one row per line and column,
        compares lines in one column: the column whose words the question uses ("gross spend": Gross
        Expenditure), else the line's last (its net or total). A line is never compared with itself."""
        if "measure" not in sem.groups or plan.measure != "amount" or \
                plan.operation not in ("max", "min", "group_top") or \
                any(column == "measure" for column, _ in plan.conditions.groups):
            return plan
        clauses, params = where(sem, plan.conditions)
        # a column's place in its table: the last index of the measure in a line (its key ends ":c<n>")
        query = Query(f"SELECT t.measure, max(TRY_CAST(regexp_extract(t.{sem.key}, ':c(\\d+)$', 1) AS INTEGER)) "
                      f"FROM {sem.table} t WHERE {' AND '.join(clauses)} AND t.measure IS NOT NULL GROUP BY t.measure",
                      tuple(params), sem.table)
        order = {str(m): -1 if i is None else int(i) for m, i in self.db.run(query).rows}
        if len(order) < 2:
            return plan
        asked = set(terms(question)) - _GENERIC_MEASURE
        named = {m: len((set(terms(m)) - _GENERIC_MEASURE) & asked) for m in order}
        best = max(order, key=lambda m: (named[m], order[m]))
        groups = (*plan.conditions.groups, ("measure", best))
        return replace(plan, conditions=replace(plan.conditions, groups=groups))

    # ------------------------------------------------------------------ operations

    def _extreme(self, question: str, plan: QueryPlan, sem: TableSemantics, context: Context) -> Reply | None:
        query = value_rows(sem, plan) if (plan.measure in VALUE_MEASURES or plan.measure == "change") and sem.values \
            else ordered_rows(sem, plan)
        rows = self.db.run(query).dicts()
        other_units: list[dict[str, Any]] = []
        if plan.measure == "change":   # a move of 3 percentage points and one of 662 tonnes are not ranked together
            rows, other_units = _of_one_unit(rows)
        if not rows:
            return None
        top_value = _measure_key(rows[0], sem, plan)
        top = [r for r in rows if _measure_key(r, sem, plan) == top_value]
        if plan.measure == "amount":
            top, _ = dedupe_items(top, sem)  # the same contract listed twice is one largest contract
        word = {("amount", True): "largest", ("amount", False): "smallest", ("span", True): "longest-running",
                ("span", False): "shortest", ("due", True): "last due", ("due", False): "first due",
                ("start", True): "last to start", ("start", False): "first to start"}.get(
            (plan.measure or "", plan.descending), "highest" if plan.descending else "lowest")
        if plan.measure == "change" and plan.against != "previous":
            word = f"latest furthest {'above' if plan.descending else 'below'} its {plan.against}"
        elif plan.measure == "change":
            word = f"largest {'rise' if plan.descending else 'fall'} on the previous figure"
        elif plan.measure in VALUE_MEASURES:
            word = f"{'highest' if plan.descending else 'lowest'} {plan.measure}"
            if plan.period:
                word += f" for {plan.period}"
        where = _where_text(plan, sem, question)
        units = {r.get("value_unit") for r in rows if r.get("value_unit")}
        lines = []
        ranked_n = plan.limit if plan.limit > 1 and not plan.items else 1   # (items named are compared, not ranked)
        if ranked_n > 1:   # "the three most valuable procurements": that many, in order
            ranked, _ = dedupe_items(rows, sem) if plan.measure == "amount" else (rows, [])
            top, rest = ranked[:ranked_n], []
            lines.append(f"The {len(top)} {word} {sem.plural}{where}:")
            lines += [f"{i}) {_label(r, sem)}{_where_from(r)}: {_figure(r, sem, plan)}" for i, r in enumerate(top, 1)]
        elif len(top) == 1:
            r = top[0]
            lead = f"The {sem.label}{where} with the {word}" if plan.measure == "change" else f"The {word} {sem.label}{where}"
            lines.append(f"{lead} is \"{_label(r, sem)}\"{_where_from(r)}: {_figure(r, sem, plan)}.")
        else:
            lines.append(f"{len(top)} {sem.plural}{where} share the {word} value ({_figure(top[0], sem, plan)}):")
            lines += [f"- {_label(r, sem)}{_where_from(r)}" for r in top[:MAX_CITED_ROWS]]
        if ranked_n == 1:
            rest, _ = dedupe_items(top + [r for r in rows if r not in top], sem)
            rest = [r for r in rest if r not in top][:RUNNERS_UP]
        if rest:
            lines.append("Next: " + "; ".join(f"{_label(r, sem)} ({_figure(r, sem, plan)})" for r in rest) + ".")
        if other_units:
            lines.append("Not ranked with these, being measured in other units: " + "; ".join(
                f"{_label(r, sem)} ({_figure(r, sem, plan)})" for r in other_units[:RUNNERS_UP]) + ".")
        if len(units) > 1:
            lines.append(f"Note: these values are in different units ({', '.join(sorted(units))}).")
        elif plan.items and plan.measure == "amount" and sem.amount and len(rows) == 2 and len(top) == 1:
            # two things named one by one ("the gap between Green and Vibrant"): how far apart they are
            gap = abs(float(rows[0][sem.amount] or 0) - float(rows[1][sem.amount] or 0))
            printed = [str(r.get(sem.amount_raw or "") or "").strip() for r in rows[:2]]
            # ... in the table's own unit too, when it prints its figures without one ("944" of £'000s)
            apart = compose.difference_as_printed(*printed) if all(p and not p.startswith("£") for p in printed) else None
            own = f"; {apart} as printed" if apart and apart != compose.money(gap).strip("£") else ""
            lines.append(f"The difference between them is {compose.money(gap)} ({compose.money_short(gap)}{own}).")
        cols, table = self._table(sem, top if ranked_n > 1 else rows, plan)
        answer = Answer(question=question, route="sql", answer="\n".join(lines), confidence=0.85,
                        citations=_cites(self.db, top + rest), sql=display_sql(query), columns=cols, rows=table,
                        explanation=f"plan: {plan.reason}")
        keys = tuple(str(r[sem.key]) for r in top)
        return Reply(answer, replace(self._context(plan, sem, rows), keys=keys))

    def _total(self, question: str, plan: QueryPlan, sem: TableSemantics, context: Context) -> Reply | None:
        extra_cites: list[dict[str, Any]] = []   # a printed total line, cited beside the rows
        if plan.measure in VALUE_MEASURES and sem.values:
            query = value_rows(sem, plan, limit=None)
            rows = self.db.run(query).dicts()
            values = [float(r["value_number"]) for r in rows]
            if not rows:
                return None
            units = sorted({r.get("value_unit") or "" for r in rows})
            if len(units) > 1 or plan.operation == "sum":
                return None  # adding measures of different kinds means nothing: let prose answer
            figure = sum(values) / len(values)
            text = (f"The average {plan.measure} of {len(rows)} {sem.plural}{_where_text(plan, sem, question)} is "
                    f"{figure:,.2f}{units[0] if units[0] == '%' else ''}.")
        else:
            if not sem.amount:
                return None
            query = all_rows(sem, plan, AGGREGATE_ROW_LIMIT)
            all_found = [r for r in self.db.run(query).dicts() if isinstance(r.get(sem.amount), (int, float))]
            if not all_found:
                return None
            where = _where_text(plan, sem, question)
            printed = [r for r in all_found if sem.total_flag and r.get(sem.total_flag)]
            if printed and plan.operation == "sum":
                return self._printed_totals(question, plan, sem, printed, query)
            all_found = [r for r in all_found if not (sem.total_flag and r.get(sem.total_flag))]
            if _one_line_many_columns(all_found, sem, plan):
                return None   # "the total of recycled loan repayments": a line's own total column, not its columns added
            rows, repeated = dedupe_items(all_found, sem)
            amounts = [float(r[sem.amount]) for r in rows]
            total = sum(amounts)
            if plan.operation == "average":
                avg = total / len(amounts)
                text = f"The average value of {len(rows)} {sem.plural}{where} is {compose.money(avg)}."
            else:
                text = (f"The {len(rows)} {sem.plural if len(rows) != 1 else sem.label}{where} add up to "
                        f"{compose.money(total)} ({compose.money_short(total)}).")
                if plan.items and len(rows) <= MAX_ITEMISED:   # "A plus B combined": each, then the total
                    text = text.rstrip(".") + ": " + "; ".join(f"{_label(r, sem)} {_figure(r, sem, plan)}"
                                                               for r in rows) + "."
                printed_total = self._raw_total(sem, plan, rows) if plan.operation == "sum" else None
                if printed_total is not None:
                    figure, header, total_row = printed_total
                    text = (f"The document prints a total {header} of {with_unit(figure, header)}"
                            + (f"; the {len(rows)} {sem.plural} with a figure of their own add up to "
                               f"{compose.money(total)} ({compose.money_short(total)}), the rest is not itemised."
                               if abs(_as_number(figure, header) - total) > 0.5 else "."))
                    extra_cites = [total_row]
            if repeated:
                text += (f" {len(all_found) - len(rows)} repeated listing(s) of the same item were counted once: "
                         f"{'; '.join(repeated[:5])}.")
        cols, table = self._table(sem, rows, plan)
        cited = _cites(self.db, rows)
        if extra_cites:
            cited = dedupe_citations([self.db.cite(r) for r in extra_cites] + list(cited), MAX_CITED_ROWS)
        answer = Answer(question=question, route="sql", answer=text, confidence=0.85,
                        citations=cited, sql=display_sql(query), columns=cols, rows=table,
                        explanation=f"plan: {plan.reason}")
        return Reply(answer, self._context(plan, sem, rows))

    def _raw_total(self, sem: TableSemantics, plan: QueryPlan, rows: list[dict[str, Any]]
                   ) -> tuple[str, str, dict[str, Any]] | None:
        """The total line the document prints for the table these rows come from, in the rows' money
        column: (figure as printed, the column's header, the total row's provenance), or None. Only
        for a sum over the whole table (a total of some rows is not the printed total)."""
        c = plan.conditions
        if c.departments or c.person or c.dates or c.amounts or c.groups or c.contains or c.keys or c.missing \
                or c.present or c.rating or not sem.amount_raw:
            return None
        tables = sorted({str(r["raw_table_id"]) for r in rows if r.get("raw_table_id")})
        if len(tables) != 1:
            return None
        from assistant.router.queries import Query

        cells = {int(i): list(v or []) for i, v in self.db.run(Query(
            "SELECT row_index, cells FROM raw_rows WHERE table_id = ?", (tables[0],))).rows}
        column = None
        for r in rows:   # the raw column that holds this money column: where a row's printed figure sits
            raw = str(r.get(sem.amount_raw) or "").strip()
            row_cells = cells.get(int(r.get("raw_row_index") or -1), [])
            if raw and raw in row_cells:
                column = row_cells.index(raw)
                break
        total = self.db.run(Query(
            "SELECT r.cells, r.line_start, r.line_end, r.page, t.header, t.doc_id, t.file, t.council, t.section_path "
            "FROM raw_rows r JOIN raw_tables t USING (table_id) WHERE r.table_id = ? AND r.is_total "
            "ORDER BY r.row_index DESC LIMIT 1", (tables[0],))).dicts()
        if column is None or not total:
            return None
        found = total[0]
        figure = str((found["cells"] or [])[column] if column < len(found["cells"] or []) else "").strip()
        if not figure:
            return None
        header = " ".join(str((found["header"] or [])[column] if column < len(found["header"] or []) else "").split())
        provenance = {k: found[k] for k in ("doc_id", "file", "council", "section_path", "line_start", "line_end",
                                            "page")}
        provenance[sem.key] = f"{tables[0]}:total"
        return figure, f"({header})" if header else "", provenance

    def _group_totals(self, plan: QueryPlan, sem: TableSemantics) -> list[tuple[str, float]]:
        """(group, number of rows or their total value), the leader first."""
        if plan.measure == "amount" and sem.amount:
            query = all_rows(sem, plan, AGGREGATE_ROW_LIMIT)  # totals in Python: an item listed twice counts once
            return self._deduped_group_totals(sem, plan, self.db.run(query).dicts())
        return [tuple(r) for r in self.db.run(group_counts(sem, plan)).rows]

    def _deduped_group_totals(self, sem: TableSemantics, plan: QueryPlan, rows: list[dict[str, Any]]
                              ) -> list[tuple[str, float]]:
        """Total value per department with an item listed twice counted once, largest first."""
        rows = [r for r in rows if isinstance(r.get(sem.amount), (int, float)) and r.get("department")
                and not (sem.total_flag and r.get(sem.total_flag))]
        totals: dict[str, float] = {}
        for department in dict.fromkeys(r["department"] for r in rows):
            kept, _ = dedupe_items([r for r in rows if r["department"] == department], sem)
            totals[department] = sum(float(r[sem.amount]) for r in kept)
        # a column printed negative throughout (income, grants): "the most" is the largest sum, not the nearest 0
        sign = -1 if totals and max(totals.values()) <= 0 < -min(totals.values()) else 1
        return sorted(totals.items(), key=lambda kv: (-sign * kv[1] if plan.descending else sign * kv[1], kv[0]))

    def _printed_totals(self, question: str, plan: QueryPlan, sem: TableSemantics, rows: list[dict[str, Any]],
                        query: Any) -> Reply:
        """The document's own TOTAL rows, quoted as printed rather than re-added."""
        lines = [f"{_label(r, sem)} {compose.short(r.get('measure') or '', 40)}{_where_from(r)}: "
                 f"{compose.short(r.get(sem.amount_raw or ''), 30) or compose.money(r.get(sem.amount))} "
                 f"({compose.money(r.get(sem.amount))})".replace("  ", " ") for r in rows[:MAX_CITED_ROWS]]
        intro = "The total as printed in the document" if len(rows) == 1 else \
            f"The documents print {len(rows)} totals{_where_text(plan, sem, question)}"
        text = intro + (": " + lines[0] + "." if len(rows) == 1 else ":\n" + "\n".join(f"- {ln}" for ln in lines))
        cols, table = self._table(sem, rows, plan)
        answer = Answer(question=question, route="sql", answer=text, confidence=0.85, citations=_cites(self.db, rows),
                        sql=display_sql(query), columns=cols, rows=table, explanation=f"plan: {plan.reason}; printed total")
        return Reply(answer, self._context(plan, sem, rows))

    def _group(self, question: str, plan: QueryPlan, sem: TableSemantics, context: Context) -> Reply | None:
        groups = self._group_totals(plan, sem)
        qualifiers = tuple(c for c in plan.conditions.contains if c in _QUALIFIER_STEMS)
        if not groups and qualifiers:
            # "the most grant income in the revenue budget": no department's rows say "revenue" (the
            # document is the revenue budget), so the word qualifies no row
            plan = replace(plan, conditions=replace(plan.conditions, contains=tuple(
                c for c in plan.conditions.contains if c not in qualifiers)))
            groups = self._group_totals(plan, sem)
        query = group_counts(sem, plan)
        if not groups and plan.group_by == "department" and plan.measure == "amount" and sem.amount:
            # rows of no department: a table whose rows are the departments (a capital summary by
            # directorate), so the department with the most is the largest row
            return self._extreme(question, replace(plan, operation="max" if plan.descending else "min",
                                                   group_by=None, limit=1), sem, context)
        if not groups:
            return None
        amount = plan.measure == "amount"
        top_n = groups[0][1]
        leaders = [g for g, n in groups if n == top_n]

        def figure(n: Any) -> str:
            return compose.money(n) if amount else f"{n} {sem.plural if n != 1 else sem.label}"

        unit = "total value" if amount else f"number of {sem.plural}"
        what = (f"{'largest' if plan.descending else 'smallest'} total value of {sem.plural}" if amount
                else f"{'most' if plan.descending else 'fewest'} {sem.plural}")
        verb = "has" if len(leaders) == 1 else "have"
        if plan.group_by == "who":
            one, many = sem.words.lead_verb
            verb = one if len(leaders) == 1 else many
        shown = "; ".join(f"{g} ({compose.money(n) if amount else n})" for g, n in groups[:GROUPS_SHOWN])
        text = (f"{' and '.join(leaders)} {verb} the {what}{_where_text(plan, sem, question)}: {figure(top_n)}. "
                f"By {unit}: {shown}.")
        rows = self.db.run(all_rows(sem, plan, self.row_limit)).dicts()
        if plan.group_by == "who" and sem.who:
            rows = [r for r in rows if set(compose.as_list(r.get(sem.who))) & set(leaders)]
        elif plan.group_by == "cabinet_member":
            members = dict(self.db.run(Query(
                "SELECT department, any_value(cabinet_member) FROM sections WHERE cabinet_member IS NOT NULL AND "
                "cabinet_member <> '' GROUP BY department")).rows)
            rows = [r for r in rows if members.get(r.get("department")) in leaders]
            text = text.replace(": ", " (as Cabinet Member of their department's section): ", 1)
        else:
            rows = [r for r in rows if r.get("department") in leaders]
        answer = Answer(question=question, route="sql", answer=text, confidence=0.85,
                        citations=_cites(self.db, rows), sql=display_sql(query),
                        columns=("group", "n"), rows=tuple(tuple(g) for g in groups),
                        explanation=f"plan: {plan.reason}")
        ctx = self._context(plan, sem, rows)
        return Reply(answer, replace(ctx, people=tuple(leaders) if plan.group_by == "who" else ()))

    def _list(self, question: str, plan: QueryPlan, sem: TableSemantics, context: Context) -> Reply | None:
        query = all_rows(sem, plan, AGGREGATE_ROW_LIMIT)  # the number said must be the number there are
        rows = self.db.run(query).dicts()
        if context.keys:
            order = {k: i for i, k in enumerate(context.keys)}
            rows.sort(key=lambda r: order.get(str(r[sem.key]), len(order)))
        n = len(rows)
        noun = sem.label if n == 1 else sem.plural
        if plan.operation == "count" and sem.who and compose.counts_people(question.lower()):
            return self._people_counted(question, plan, sem, rows, query)
        intro = f"{'There is' if n == 1 else 'There are'} {n} {noun}{_where_text(plan, sem, question)}"
        if n == 0:
            text = intro.replace("There are 0", "There are no") + "."
        elif plan.operation == "count" and n > compose.MAX_LISTED:
            text = intro + "."
        else:
            text = compose.list_text(rows, sem, intro + ":")
        cols, table = self._table(sem, rows, plan)
        answer = Answer(question=question, route="sql", answer=text, confidence=0.85 if rows else 0.6,
                        citations=_cites(self.db, rows), sql=display_sql(query), columns=cols, rows=table,
                        explanation=f"plan: {plan.reason}")
        return Reply(answer, self._context(plan, sem, rows))

    def _people_counted(self, question: str, plan: QueryPlan, sem: TableSemantics, rows: list[dict[str, Any]],
                        query: Query) -> Reply:
        """"How many people lead actions in ETE": the different people the rows name, not the rows."""
        text, people = compose.people_counted(rows, sem, _where_text(plan, sem, question), self.db.spellings())
        answer = Answer(question=question, route="sql", answer=text, confidence=0.85 if rows else 0.6,
                        citations=_cites(self.db, rows), sql=display_sql(query), columns=("person",),
                        rows=tuple((p,) for p in people), explanation=f"plan: {plan.reason}; people counted")
        return Reply(answer, replace(self._context(plan, sem, rows), people=tuple(people)))

    # ------------------------------------------------------------------ helpers

    def _table(self, sem: TableSemantics, rows: list[dict[str, Any]], plan: QueryPlan
               ) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
        cols = list(display_columns(sem))
        if plan.measure in VALUE_MEASURES:
            cols += ["value_period", "value_kind", "value_raw"]
        cols += ["department", "council", "file", "line_start", "line_end"]
        return tuple(cols), tuple(tuple(r.get(c) for c in cols) for r in rows)

    def _context(self, plan: QueryPlan, sem: TableSemantics, rows: list[dict[str, Any]]) -> Context:
        c = plan.conditions
        people: tuple[str, ...] = (c.person,) if c.person else ()
        return Context(sem.table, tuple(dict.fromkeys(str(r[sem.key]) for r in rows)), people, c.departments,
                       c.councils, c.documents, " ".join(c.contains), plan, row_measure=row_measure(rows))



#: Words every column of a budget table may hold: they name no one column.
_GENERIC_MEASURE = frozenset(terms("budget budgets line lines total"))


def _one_line_many_columns(rows: list[dict[str, Any]], sem: TableSemantics, plan: QueryPlan) -> bool:
    """The rows are one line of a long-form table in several of its columns (no column asked): adding
    its Total Cost to its Prior Years and its years means nothing. (Columns asked one at a time, "transport
    budget?" then "and premises?", are rows chosen by key: "total of the two?" adds them.)"""
    if "measure" not in sem.groups or any(column == "measure" for column, _ in plan.conditions.groups) or \
            plan.conditions.keys:
        return False
    lines = {fold(str(r.get(sem.what) or "")) for r in rows}   # one line, though printed on two pages
    return len(lines) == 1 and len({r.get("measure") for r in rows}) > 1


def _as_number(figure: str, header: str) -> float:
    """A printed figure in pounds, scaled by its header's unit ("345.0" under "£m" -> 345,000,000)."""
    value = parse_money(figure, scale=money_scale(header) or 1.0)
    return float("nan") if value is None else value
