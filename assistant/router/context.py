"""What a turn leaves for the next one: the rows, people, scope and plan it was about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.models import Answer

if TYPE_CHECKING:
    from assistant.router.plan import QueryPlan


@dataclass(frozen=True)
class Context:
    """What a turn was about, so that a follow-up can refer to it."""

    table: str | None = None
    keys: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    topic: str = ""
    plan: "QueryPlan | None" = None
    intent: str | None = None       # what the turn asked (who / when / target / how_much ...)
    value_kind: str | None = None   # target / latest / actual, for KPI follow-ups ("and the agency share?")
    route: str | None = None        # how the turn was answered: sql | text | none
    table_question: str = ""        # the question a table aggregate answered (table_ops.py): a follow-up adds to it
    table_op: str = ""              # that aggregate's operation (count, sum, max ...)
    items: tuple[str, ...] = ()     # the things a passage's answer listed ("the first one" picks from them)
    question: str = ""              # the question as understood (a passage's follow-up may swap its subject)
    recent: tuple[str, ...] = ()    # the rows of the last one-row answers in `table`, oldest first ("the two")
    section: tuple[str, str] | None = None  # (file, section path) the answer was read from: "that area's budget"
    said: str = ""                  # the turn's answer text: names a follow-up may shorten ("dvm")
    cell_header: str = ""           # the column header a one-cell answer read: "and ETE's van?" asks it again
    row_measure: str = ""           # the measure (column) of a one-row table answer: "and CCP's 3.5t tippers?" asks it
    cell_row: tuple[str, int] | None = None   # (table, first line) of that cell's row: "and the 4 year one?"
    periods: tuple[str, ...] = ()   # the years the last turns asked of the same one row: "how many more is that?"


def row_measure(rows: list[dict[str, Any]]) -> str:
    """The column (a budget line's measure) a one-row table answer read ("Estimated Annual Budget Cost ..."),
    so that "and CCP's 3.5t tippers?" asks that column of the row it names; "" for any other answer."""
    if len(rows) != 1:
        return ""
    return str(rows[0].get("measure") or "")


@dataclass(frozen=True)
class Reply:
    """An answer and the context it leaves for the next turn."""

    answer: Answer
    context: Context
