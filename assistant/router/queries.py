"""SQL templates composed from the semantic layer: identifiers from the schema, values as parameters.

Nothing the user typed is ever pasted into SQL: every value becomes a `?` parameter. `display_sql`
renders a statement with its parameters as quoted literals, for showing only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlglot import exp

from assistant.router.semantic import CAPTION_GROUP, HEADING_LABEL, HEADING_PARTS, SECTION_GROUP, TableSemantics
from assistant.router.understand import Amount, DateSpec
from assistant.text import size_pattern

PROVENANCE_COLS = ("doc_id", "file", "council", "department", "section_path", "line_start", "line_end", "page")


@dataclass(frozen=True)
class Query:
    """One parameterised statement and the table it reads."""

    sql: str
    params: tuple[Any, ...] = ()
    table: str = ""


@dataclass(frozen=True)
class Conditions:
    """Row filters, all bound as parameters."""

    person: str | None = None
    exclude_people: tuple[str, ...] = ()
    exclude_keys: tuple[str, ...] = ()   # rows already given ("what else does she lead")
    beside: tuple[str, ...] = ()         # rows of the tables these rows were printed in ("any other ... in that table")
    departments: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    dates: tuple[DateSpec, ...] = ()
    date_role: str = "due"            # due | start
    amounts: tuple[Amount, ...] = ()
    groups: tuple[tuple[str, str], ...] = ()   # (column, value)
    missing: str | None = None        # who | due | target | value
    present: str | None = None        # who | start | due | target | value: the field is given
    keys: tuple[str, ...] = field(default=())
    contains: tuple[str, ...] = ()    # word stems the row's text, groups or section must all contain
    sizes: tuple[tuple[float, str], ...] = ()   # sizes asked ("3.5t"): a row naming another size in that unit is out
    later_than: tuple[str, ...] = ()     # rows dated after every one of these rows ("the next one to start after those")
    same_date_as: tuple[str, ...] = ()   # rows dated the same day as one of these ("anything else starting that day")
    same_group_as: tuple[str, ...] = ()  # rows of the same group values (a procurement's band) as these ("in that band")
    set_aside: tuple[tuple[str, ...], ...] = ()   # rows left out: those whose name holds every word start of one item
    rating: str | None = None         # a RAG rating the row's current value carries ("RED")
    previous_rating: str | None = None  # the rating it carried the period before ("GREEN" of "from Green to Amber")
    status: tuple[str, tuple[str, ...]] | None = None  # (due | start | target, status words the field holds)
    lead_text: str | None = None      # a lead named by a role, not a person: words the lead as written holds
    negated: bool = False             # the rows the filters do NOT select ("which of those don't start in 2020")


#: Stems longer than this whose last "i" stands for a "y" are matched without it ("ski" stays "ski").
MIN_Y_STEM = 3


#: A value lower-cased without its "and"s and "&"s, its spaces single: two spellings of one group compare equal.
_WITHOUT_AND = "trim(regexp_replace(regexp_replace(lower({}), '(^|\\s)(and|&)(\\s|$)', ' ', 'g'), '\\s+', ' ', 'g'))"


def display_columns(sem: TableSemantics) -> tuple[str, ...]:
    """The columns shown for a row of this table: what, who, when, how much, group."""
    cols = [sem.what]
    if sem.who_raw:
        cols.append(sem.who_raw)
    for role in sem.date_roles():
        cols.append(role.raw)
    if sem.amount_raw:
        cols.append(sem.amount_raw)
    cols.extend(g for g in sem.groups if g not in cols)
    if sem.words.ref_first:
        cols.insert(0, "ref")
    return tuple(dict.fromkeys(cols))


def _has_period(sem: TableSemantics) -> bool:
    """Whether the table keeps each row's financial year in a `period` column."""
    from assistant.sql.schema import TABLES_BY_NAME

    return not (sem.due or sem.start) and any(c.name == "period" for c in TABLES_BY_NAME[sem.table].columns)


def _date_sql(sem: TableSemantics, role_name: str, spec: DateSpec, params: list[Any]) -> str | None:
    role = sem.date_role(role_name)
    if role is None or spec.start is None or spec.end is None:
        return None
    if spec.relation == "by":
        params.append(spec.end)
        return f"{role.date_end} <= ?"
    if spec.relation == "before":
        params.append(spec.start)
        return f"{role.date_end} < ?"
    if spec.relation == "after":
        params.append(spec.end)
        return f"{role.date} > ?"
    params.extend([spec.start, spec.end])
    clause = f"({role.date} >= ? AND {role.date_end} <= ?)"
    if spec.precision == "year" and spec.start.year == spec.end.year:
        # a date written impossibly ("30/02/2023") has no DATE, but still names its year
        params.append(f"%{spec.start.year}%")
        clause = f"({clause} OR ({role.date} IS NULL AND {role.raw} LIKE ?))"
    return clause


def _status_sql(sem: TableSemantics, status: tuple[str, tuple[str, ...]], alias: str, params: list[Any]) -> str | None:
    """Rows whose date (or target) is written as one of the status words ("Ongoing", "TBC")."""
    role_name, words = status
    if role_name == "target" and sem.values:
        params.extend(f"%{w}%" for w in words)
        return (f"EXISTS (SELECT 1 FROM {sem.values} v WHERE v.{sem.key} = {alias}.{sem.key} AND v.kind = 'target' "
                f"AND ({' OR '.join(['lower(coalesce(v.status, v.raw)) LIKE ?'] * len(words))}))")
    role = sem.date_role(role_name)
    if role is None:
        return None
    # (a status said as the cell writes it, "ongoing – reported annually", is read in the cell as written;
    # a dash is any dash)
    params.extend("%" + re.sub(r"\s*[-–—]\s*", "%", w) + "%" for w in words)
    cell = f"lower(concat_ws(' ', {alias}.{role.status}, {alias}.{role.raw}))"
    return f"({' OR '.join([f'{cell} LIKE ?'] * len(words))})"


def _missing_sql(sem: TableSemantics, missing: str, alias: str) -> str | None:
    if missing == "who" and sem.who:
        return f"({sem.who} IS NULL OR len({sem.who}) = 0)" if sem.who_is_list else f"{sem.who} IS NULL"
    if missing == "due" and sem.due:
        return f"{sem.due.date} IS NULL"
    if missing == "start" and sem.start:
        return f"{sem.start.date} IS NULL"
    if missing in ("target", "value") and sem.values:
        kind = "target" if missing == "target" else "latest"
        return (f"NOT EXISTS (SELECT 1 FROM {sem.values} v WHERE v.{sem.key} = {alias}.{sem.key} "
                f"AND v.kind = '{kind}' AND v.value IS NOT NULL)")
    if missing == "value" and sem.amount:
        return f"{sem.amount} IS NULL"
    return None


#: Cell texts that stand for "nothing here": a row whose main text is one of them is no item.
PLACEHOLDERS = ("none identified", "none", "n/a", "na", "-", "–", "tbc", "nil", "not applicable")


def _same_values(sem: TableSemantics, alias: str, columns: tuple[str, ...], keys: tuple[str, ...],
                 clauses: list[str], params: list[Any]) -> None:
    """Clauses keeping the rows whose value in each of `columns` is one the rows `keys` have."""
    marks = ", ".join("?" * len(keys))
    for column in columns:
        clauses.append(f"coalesce({alias}.{column}, '') IN (SELECT coalesce(x.{column}, '') FROM {sem.table} x "
                       f"WHERE x.{sem.key} IN ({marks}))")
        params.extend(keys)


def where(sem: TableSemantics, cond: Conditions, alias: str = "t") -> tuple[list[str], list[Any]]:
    """WHERE clauses and their parameters for `cond` on table `sem`."""
    clauses: list[str] = [f"lower(trim(coalesce({alias}.{sem.what}, ''))) NOT IN "
                          f"({', '.join('?' * len(PLACEHOLDERS))})"]
    params: list[Any] = list(PLACEHOLDERS)
    if cond.keys:
        clauses.append(f"{alias}.{sem.key} IN ({', '.join('?' * len(cond.keys))})")
        params.extend(cond.keys)
    if cond.beside:
        marks = ", ".join("?" * len(cond.beside))
        clauses.append(f"{alias}.raw_table_id IN (SELECT raw_table_id FROM {sem.table} WHERE {sem.key} IN ({marks}))")
        params.extend(cond.beside)
    if cond.exclude_keys:
        clauses.append(f"{alias}.{sem.key} NOT IN ({', '.join('?' * len(cond.exclude_keys))})")
        params.extend(cond.exclude_keys)
    selecting = len(clauses)   # the clauses after this point are the filters a negated plan inverts
    if cond.person and sem.who:
        clauses.append(f"({alias}.{sem.key} IN (SELECT l.row_id FROM person_links l JOIN people p USING (person_id) "
                       f"WHERE l.table_name = ? AND p.name = ?) OR "
                       + (f"list_contains({alias}.{sem.who}, ?))" if sem.who_is_list else f"{alias}.{sem.who} = ?)"))
        params.extend([sem.table, cond.person, cond.person])
    if cond.lead_text and sem.who_raw:
        # "the actions led by the Early years lead": the lead as written holds the role's words
        clauses.append(f"strpos(lower(coalesce({alias}.{sem.who_raw}, '')), lower(?)) > 0")
        params.append(cond.lead_text)
    for column, values in (("department", cond.departments), ("council", cond.councils), ("doc_id", cond.documents)):
        if values:
            marks = ', '.join('?' * len(values))
            if column == "department":
                # a table of departments (a capital summary by directorate) has no department of its
                # own: its row names one ("5 | Deputy Chief Executive's Department | DCED | ...")
                # ...and a division inside a department ("Public Health" of "Adult Social Care & Health >
                # Public Health") is a heading of the row's section path
                clauses.append(f"({alias}.department IN ({marks}) OR ({alias}.department IS NULL AND EXISTS ("
                               f"SELECT 1 FROM raw_rows rr, unnest(rr.cells) AS cell(c) WHERE rr.table_id = "
                               f"{alias}.raw_table_id AND rr.row_index = {alias}.raw_row_index AND "
                               f"lower(trim(cell.c)) IN ({', '.join(['lower(?)'] * len(values))}))) OR "
                               f"list_has_any(string_split(coalesce({alias}.section_path, ''), ' > '), [{marks}]))")
                params.extend(values)
                params.extend(values)
            else:
                clauses.append(f"{alias}.{column} IN ({marks})")
            params.extend(values)
    for spec in cond.dates:
        clause = _date_sql(sem, cond.date_role, spec, params)
        if clause is None and spec.fy_label and _has_period(sem):
            # a table by period (a budget line's year column, "2029-30 Year 5"): the rows of the year asked
            clause = f"{alias}.period = ?"
            params.append(spec.fy_label)
        if clause:
            clauses.append(clause)
    if sem.amount:
        for amount in cond.amounts:
            clauses.append(f"{alias}.{sem.amount} {amount.op} ?")
            params.append(amount.value)
    for column, value in cond.groups:
        if column == CAPTION_GROUP:  # rows of the tables whose caption holds the phrase
            # ... or rows under a heading that says it (one department's caption is another's heading:
            # "Section Two – Departmental Priorities")
            clauses.append(f"({alias}.raw_table_id IN (SELECT table_id FROM raw_tables WHERE "
                           f"strpos(lower(caption), lower(?)) > 0) OR "
                           f"strpos(lower(coalesce({alias}.section_path, '')), lower(?)) > 0)")
            params.append(value)
        elif column == SECTION_GROUP:  # rows under a heading of that name
            # (a heading may carry a label: "Priority: Value for money")
            # ... or a part of it ("... Projects – up to 31 March 2022: Public Health": semantic.HEADING_PARTS)
            clauses.append(f"len(list_filter(string_split(lower(coalesce({alias}.section_path, '')), ' > '), "
                           f"lambda h: regexp_replace(h, ?, '') = lower(?) OR "
                           f"list_contains(regexp_split_to_array(h, ?), lower(?)))) > 0")
            params.extend([HEADING_LABEL, value, HEADING_PARTS.pattern])
        else:  # the value as a whole-word part of the row's, or the row's of it ("net revenue budget"
            # and "annual net revenue budget" are one measure written two ways)
            # ... or the same words but for an "and" ("High performing and council services")
            # ... never its negation, either way ("Non Staffing" is no "Staffing" column, nor the reverse)
            clauses.append(f"((strpos(' ' || lower({alias}.{column}) || ' ', ' ' || lower(?) || ' ') > 0 OR "
                           f"strpos(' ' || lower(?) || ' ', ' ' || lower({alias}.{column}) || ' ') > 0 OR "
                           f"{_WITHOUT_AND.format(f'{alias}.{column}')} = {_WITHOUT_AND.format('?')}) AND "
                           f"strpos(lower({alias}.{column}), 'non ' || lower(?)) = 0 AND "
                           f"strpos(lower({alias}.{column}), 'non-' || lower(?)) = 0 AND "
                           f"strpos(lower(?), 'non ' || lower({alias}.{column})) = 0 AND "
                           f"strpos(lower(?), 'non-' || lower({alias}.{column})) = 0)")
            params.extend((value,) * 7)
            continue
        params.append(value)
    if cond.rating and sem.values:
        # the current rating: a RAG value or a latest value's status, not the previous period's
        clauses.append(f"{alias}.{sem.key} IN (SELECT v.{sem.key} FROM {sem.values} v WHERE upper(v.status) = ? "
                       f"AND v.kind IN ('rag', 'latest') AND v.period <> 'previous')")
        params.append(cond.rating.upper())
    if cond.previous_rating and sem.values:
        clauses.append(f"{alias}.{sem.key} IN (SELECT v.{sem.key} FROM {sem.values} v WHERE upper(v.status) = ? "
                       f"AND v.kind = 'rag' AND v.period = 'previous')")
        params.append(cond.previous_rating.upper())
    if cond.contains:
        # the row's name, groups, period words ("three-year period") and section: what names the row
        cols = [f"{alias}.{c}" for c in (sem.what, *sem.groups, *sem.words.topic_columns, "section_path",
                                         "department")]
        haystack = f"lower(concat_ws(' ', {', '.join(cols)}))"
        for stem in cond.contains:
            clauses.append(f"{haystack} LIKE ?")
            # a stem's "i" is the word's "y" ("skegbi" of "Skegby", "qualiti" of "quality")
            params.append(f"%{stem[:-1] if stem.endswith('i') and len(stem) > MIN_Y_STEM else stem}%")
    if cond.sizes:
        # "3.5t vans": not the "3.0t Van" row; a row naming no size in the unit may still be meant
        named = f"lower(concat_ws(' ', {', '.join(f'{alias}.{c}' for c in (sem.what, *sem.groups, *sem.words.topic_columns))}))"
        for unit in dict.fromkeys(u for _, u in cond.sizes):
            asked = "|".join(f"({size_pattern(s, unit)})" for s in cond.sizes if s[1] == unit)
            clauses.append(f"(NOT regexp_matches({named}, ?) OR regexp_matches({named}, ?))")
            params.extend([size_pattern(None, unit), asked])
    role = sem.date_role(cond.date_role)   # the date "later than" and "the same day as" compare
    if cond.later_than:
        if role is not None:
            marks = ", ".join("?" * len(cond.later_than))
            clauses.append(f"{alias}.{role.date} > (SELECT max(x.{role.date_end}) FROM {sem.table} x "
                           f"WHERE x.{sem.key} IN ({marks}))")
            params.extend(cond.later_than)
            _same_values(sem, alias, ("department", *sem.groups), cond.later_than, clauses, params)   # and kind
    if cond.same_date_as:
        if role is not None:
            marks = ", ".join("?" * len(cond.same_date_as))
            clauses.append(f"{alias}.{role.date} IN (SELECT x.{role.date} FROM {sem.table} x "
                           f"WHERE x.{sem.key} IN ({marks}))")
            params.extend(cond.same_date_as)
    if cond.same_group_as:   # "anything else in that band": of the same band as them
        _same_values(sem, alias, sem.groups, cond.same_group_as, clauses, params)
    if cond.set_aside:
        # "excluding non-delivery of savings": the rows whose name (or group) says every word of it
        named = f"lower(concat_ws(' ', {', '.join(f'{alias}.{c}' for c in (sem.what, *sem.groups))}))"
        for item in cond.set_aside:
            clauses.append(f"NOT ({' AND '.join(f'{named} LIKE ?' for _ in item)})")
            params.extend(f"%{t}%" for t in item)   # (word starts as written: plan.name_prefixes)
    if cond.status:
        clause = _status_sql(sem, cond.status, alias, params)
        if clause:
            clauses.append(clause)
    if cond.present:
        clause = _missing_sql(sem, cond.present, alias)
        if clause:
            clauses.append(f"NOT ({clause})")
    if cond.missing:
        clause = _missing_sql(sem, cond.missing, alias)
        if clause:
            clauses.append(clause)
    if cond.negated and len(clauses) > selecting:
        # a row the filters cannot judge (no date given) is not one they select either
        clauses[selecting:] = [f"NOT coalesce(({' AND '.join(clauses[selecting:])}), false)"]
    return clauses, params


def _order(sem: TableSemantics) -> str:
    return "t.doc_id, t.line_start"


def select_rows(sem: TableSemantics, cond: Conditions, limit: int = 500) -> Query:
    """The rows matching `cond`, with display and provenance columns."""
    cols = [sem.key, *display_columns(sem), *PROVENANCE_COLS]
    if sem.who and sem.who not in cols:
        cols.append(sem.who)
    for amount, raw in sem.amounts:   # every money column: a row with several is answered with each
        cols += [c for c in (amount, raw) if c and c not in cols]
    cols += [c for c in sem.texts if c not in cols]   # every text cell, for what the answer may quote
    cols += [c for c in sem.words.topic_columns if c not in cols]   # and what names the row's period
    clauses, params = where(sem, cond)
    select = [f"t.{c}" for c in dict.fromkeys(cols)]
    if sem.values:
        select.append(f"(SELECT string_agg(v.raw || ' (' || v.period || ')', '; ' ORDER BY v.period) FROM {sem.values} v "
                      f"WHERE v.{sem.key} = t.{sem.key} AND v.kind = 'target') AS target")
    sql = f"SELECT {', '.join(select)} FROM {sem.table} t"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += f" ORDER BY {_order(sem)} LIMIT {int(limit)}"
    return Query(sql, tuple(params), sem.table)


def count_rows(sem: TableSemantics, cond: Conditions) -> Query:
    clauses, params = where(sem, cond)
    sql = f"SELECT count(*) AS n FROM {sem.table} t"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return Query(sql, tuple(params), sem.table)


def leads_in(sem: TableSemantics, cond: Conditions) -> Query:
    """Distinct people of the who column among matching rows, with their number of rows."""
    clauses, params = where(sem, cond)
    person = f"unnest(t.{sem.who})" if sem.who_is_list else f"t.{sem.who}"
    inner = f"SELECT {person} AS person, t.{sem.key} AS k FROM {sem.table} t"
    if clauses:
        inner += " WHERE " + " AND ".join(clauses)
    outer_where = " WHERE person IS NOT NULL"
    if cond.exclude_people:
        outer_where += f" AND person NOT IN ({', '.join('?' * len(cond.exclude_people))})"
        params.extend(cond.exclude_people)
    sql = (f"SELECT person, count(DISTINCT k) AS n FROM ({inner}) s{outer_where} "
           f"GROUP BY person ORDER BY n DESC, person")
    return Query(sql, tuple(params), sem.table)


def values_of(sem: TableSemantics, keys: tuple[str, ...]) -> Query:
    """The period values (actual / latest / target) of rows of a table with a values table."""
    assert sem.values
    marks = ", ".join("?" * len(keys))
    sql = (f"SELECT {sem.key}, period, kind, raw, value, unit, as_of, status, line_start FROM {sem.values} "
           f"WHERE {sem.key} IN ({marks}) ORDER BY {sem.key}, period, kind")
    return Query(sql, tuple(keys), sem.values)


def display_sql(query: Query) -> str:
    """The statement with its parameters inlined as quoted literals: for display only, never run."""
    parts = query.sql.split("?")
    out = [parts[0]]
    for value, part in zip(query.params, parts[1:]):
        out.append(_literal(value))
        out.append(part)
    return "".join(out)


def _literal(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return exp.Literal.number(value).sql()
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return exp.Literal.string(str(value)).sql(dialect="duckdb")
