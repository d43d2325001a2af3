"""Parameterised SQL for a `QueryPlan`: ordered rows, value rows of KPIs, group counts.

Identifiers come from the semantic layer, values are `?` parameters (see `queries.where`).
"""

from __future__ import annotations

from assistant.router.plan import QueryPlan
from assistant.router.queries import PROVENANCE_COLS, Query, display_columns, where
from assistant.router.semantic import TableSemantics
from assistant.router.understand import period_spellings

#: Rows fetched for an ordered answer: the top one, its ties and a few runners-up to show.
ORDERED_FETCH = 10


def _columns(sem: TableSemantics) -> list[str]:
    cols = [sem.key, *display_columns(sem), *PROVENANCE_COLS]
    for extra in (sem.who, sem.amount, sem.total_flag, "raw_table_id", "raw_row_index"):  # raw_*: printed totals
        if extra and extra not in cols:
            cols.append(extra)
    for role in sem.date_roles():
        for c in (role.date, role.date_end):
            if c not in cols:
                cols.append(c)
    return [f"t.{c}" for c in dict.fromkeys(cols)]


def _where_sql(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def ordered_rows(sem: TableSemantics, plan: QueryPlan, limit: int = ORDERED_FETCH) -> Query:
    """Rows ordered by the plan's measure (amount, due, start or span), nulls left out."""
    clauses, params = where(sem, plan.conditions)
    if sem.total_flag:
        clauses.append(f"NOT coalesce(t.{sem.total_flag}, false)")  # a printed TOTAL is not an item
    desc = "DESC" if plan.descending else "ASC"
    if plan.measure == "amount" and sem.amount:
        clauses.append(f"t.{sem.amount} IS NOT NULL")
        # a column of credits (income printed as "(7,106)") is largest where it is most negative
        order = f"(CASE WHEN max(t.{sem.amount}) OVER () <= 0 THEN -t.{sem.amount} ELSE t.{sem.amount} END) {desc}"
    elif plan.measure == "span" and sem.start and sem.due:
        clauses += [f"t.{sem.start.date} IS NOT NULL", f"t.{sem.due.date_end} IS NOT NULL"]
        order = f"(t.{sem.due.date_end} - t.{sem.start.date}) {desc}"
    else:
        role = sem.date_role(plan.measure)
        if role is None:
            raise ValueError(f"{sem.table} has no date to order by")
        column = role.date_end if plan.descending else role.date
        clauses.append(f"t.{column} IS NOT NULL")
        order = f"t.{column} {desc}"
    select = _columns(sem)
    if plan.measure == "span" and sem.start and sem.due:
        select.append(f"(t.{sem.due.date_end} - t.{sem.start.date}) AS span_days")
    sql = (f"SELECT {', '.join(select)} FROM {sem.table} t{_where_sql(clauses)} "
           f"ORDER BY {order}, t.doc_id, t.line_start LIMIT {int(limit)}")
    return Query(sql, tuple(params), sem.table)


def value_rows(sem: TableSemantics, plan: QueryPlan, limit: int | None = ORDERED_FETCH) -> Query:
    """Rows of a table with a values table (KPIs) joined to one kind of value, ordered by it."""
    assert sem.values
    if plan.measure == "change":
        return change_rows(sem, plan, limit)
    clauses, params = where(sem, plan.conditions)
    clauses += ["v.kind = ?", "v.value IS NOT NULL"]
    params.append(plan.measure or "target")
    if plan.period:  # the period as the document writes it: "2024/25" is 2024-25
        spellings = period_spellings(plan.period)
        clauses.append(f"lower(v.period) IN ({', '.join('?' * len(spellings))})")
        params.extend(spellings)
    desc = "DESC" if plan.descending else "ASC"
    select = _columns(sem) + ["v.period AS value_period", "v.kind AS value_kind", "v.raw AS value_raw",
                              "v.value AS value_number", "v.unit AS value_unit"]
    sql = (f"SELECT {', '.join(select)} FROM {sem.table} t JOIN {sem.values} v ON v.{sem.key} = t.{sem.key}"
           f"{_where_sql(clauses)} ORDER BY v.value {desc}, t.doc_id, t.line_start")
    if limit:
        sql += f" LIMIT {int(limit)}"
    return Query(sql, tuple(params), sem.table)


def change_rows(sem: TableSemantics, plan: QueryPlan, limit: int | None = ORDERED_FETCH) -> Query:
    """Rows of a table with a values table, ordered by their latest figure less the one printed as its
    previous (of the same unit): "which KPI fell the most on the previous quarter"; or less their floor or
    target (`plan.against`) of the same period: "which KPI sits furthest above its floor"."""
    assert sem.values
    clauses, params = where(sem, plan.conditions)
    clauses += ["v.kind = 'latest'", "lower(v.period) <> 'previous'", "v.value IS NOT NULL",
                "p.kind = ?", "p.value IS NOT NULL", "coalesce(v.unit, '') = coalesce(p.unit, '')"]
    params.append(plan.against)
    if plan.against != "previous":   # a floor or target of the latest's own period
        clauses.append("p.period = v.period")
    desc = "DESC" if plan.descending else "ASC"
    select = _columns(sem) + ["v.period AS value_period", "'change' AS value_kind", "v.raw AS value_raw",
                              "p.raw AS previous_raw", "(v.value - p.value) AS value_number", "v.unit AS value_unit"]
    sql = (f"SELECT {', '.join(select)} FROM {sem.table} t JOIN {sem.values} v ON v.{sem.key} = t.{sem.key} "
           f"JOIN {sem.values} p ON p.{sem.key} = t.{sem.key}{_where_sql(clauses)} "
           f"ORDER BY (v.value - p.value) {desc}, t.doc_id, t.line_start")
    if limit:
        sql += f" LIMIT {int(limit)}"
    return Query(sql, tuple(params), sem.table)


def all_rows(sem: TableSemantics, plan: QueryPlan, limit: int) -> Query:
    """Every matching row (for sums, counts and lists), in document order."""
    clauses, params = where(sem, plan.conditions)
    sql = (f"SELECT {', '.join(_columns(sem))} FROM {sem.table} t{_where_sql(clauses)} "
           f"ORDER BY t.doc_id, t.line_start LIMIT {int(limit)}")
    return Query(sql, tuple(params), sem.table)


#: The Cabinet Member the section of a row's department names (a portfolio's heading "Finance and
#: Governance – Cllr Baggy Shanker").
SECTION_MEMBER = ("(SELECT any_value(s.cabinet_member) FROM sections s WHERE s.doc_id = t.doc_id AND "
                  "s.department = t.department AND s.cabinet_member IS NOT NULL AND s.cabinet_member <> '')")


def group_counts(sem: TableSemantics, plan: QueryPlan) -> Query:
    """Rows (or the sum of their amounts) per person or department, largest first."""
    clauses, params = where(sem, plan.conditions)
    if plan.group_by == "who" and sem.who:
        member = f"unnest(t.{sem.who})" if sem.who_is_list else f"t.{sem.who}"
    elif plan.group_by == "cabinet_member":
        member = SECTION_MEMBER
    else:
        member = "t.department"
    value = f"t.{sem.amount}" if plan.measure == "amount" and sem.amount else "NULL"
    inner = (f"SELECT {member} AS grp, t.{sem.key} AS k, {value} AS amount FROM {sem.table} t"
             f"{_where_sql(clauses)}")
    measure = "sum(amount)" if plan.measure == "amount" else "count(DISTINCT k)"
    desc = "DESC" if plan.descending else "ASC"
    sql = (f"SELECT grp, {measure} AS n FROM ({inner}) s WHERE grp IS NOT NULL "
           f"GROUP BY grp ORDER BY n {desc}, grp")
    return Query(sql, tuple(params), sem.table)
