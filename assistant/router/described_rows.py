"""A row found by what its description says, named by its label: "occupational therapy equipment in
ASCH - which key service is it?" is the "Adaptive & Assistive Technology" row, whose Key Service
Description says "... Occupational Therapy Services ... provide equipment ...".

Tables such as a key service statement describe each row in a long cell. A question that asks which
row (or where a thing sits) and names what the row does, not its name, is answered by the row whose
name and description hold most of the question's own words (weighted by rarity), when one row clearly
holds more than any other. The answer gives the row's name, where it sits (its section), and the
description, citing the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.router.cells import TableRow
from assistant.text import terms

#: "Which key service is it", "which ASCH commissioning line pays for it", "where do academy conversion
#: costs sit", "who delivers the adult skills fund", "which KCC service does registration for Bexley".
ASKS_WHICH_ROW = re.compile(r"\bwhich\s+(?:[\w&'-]+\s+){0,3}?(?:key service|service|budget line|line|team|"
                            r"division)s?\b(?!\s+(?:of|for)\s+(?:it|the|this)\b)|"
                            r"\bwhere\s+(?:do|does|is|are)\b[^?]*\b(?:sit|sits|fall|falls|come|comes|go|goes|"
                            r"belong|belongs)\b|\bwho\s+(?:delivers|provides|runs|looks after|is responsible for)\b")
#: "... and who are the directors?", "which director is over it", "whose division is it in": the office
#: holder of the section the row is printed in is asked as well.
ASKS_DIRECTOR = re.compile(r"\bdirectors?\b|\bwhose (?:division|directorate|department)\b|\bwho(?:'s| is)? over\b")
#: A cell at least this long describes its row (a name or a figure is shorter).
MIN_DESCRIPTION_CHARS = 80
#: A row's name is a cell no longer than this, with a letter in it.
MAX_NAME_CHARS = 90
#: The weighted share of the question's own words that the best row's name and description must hold...
DESCRIBED_ACCEPT = 0.6
#: ...and by how much more than the next row's, so that the row is clearly the one described.
DESCRIBED_MARGIN = 0.15
#: Words of the asking, never of what a row does.
_ASKING = frozenset(terms("which what where who is it does do sit sits fall falls come comes go goes belong key "
                          "service services line lines budget budgets team division unit function programme kcc "
                          "statement kss director directors over pays pay paid delivers deliver provides runs "
                          "looks after responsible council our us"))


@dataclass(frozen=True)
class Described:
    """The row whose description the question matches, its name's and description's columns, and how well."""

    row: TableRow
    name_column: int
    description_column: int
    cover: float


#: A column whose header says it describes the row ("Key Service Description", "Summary", "Purpose");
#: the long cells of other columns (an action's own wording) are the row's name, not its description.
_DESCRIBING_HEADER = re.compile(r"descri|summary|purpose|remit|responsibilit|what (?:it|we|the service) do",
                                re.IGNORECASE)


def _columns(row: TableRow) -> tuple[int, int] | None:
    """(name column, description column) of a row: its longest cell, if it is long enough and under a
    describing header, and the first other cell that is a short text (not a figure)."""
    longest = max(range(len(row.cells)), key=lambda j: len(row.cells[j]), default=None)
    if longest is None or len(row.cells[longest]) < MIN_DESCRIPTION_CHARS or longest >= len(row.header) or \
            not _DESCRIBING_HEADER.search(row.header[longest]):
        return None
    name = next((j for j, c in enumerate(row.cells) if j != longest and c.strip() and
                 len(c) <= MAX_NAME_CHARS and re.search(r"[A-Za-z]{3}", c)), None)
    return None if name is None else (name, longest)


def find_described(rows: list[TableRow], question: str, idf: Callable[[str], float],
                   skip: frozenset[str] = frozenset()) -> Described | None:
    """The one row whose name and description hold most of what the question asks about, or None."""
    asked = [t for t in dict.fromkeys(terms(question)) if t not in _ASKING and t not in skip and not t[:1].isdigit()]
    total = sum(idf(t) for t in asked)
    if not asked or not total:
        return None
    scored: list[tuple[float, TableRow, int, int]] = []
    for row in rows:
        columns = _columns(row) if row.kind == "table" and not row.is_total else None
        if columns is None:
            continue
        said = set(terms(f"{row.cells[columns[0]]} {row.cells[columns[1]]}"))
        scored.append((sum(idf(t) for t in asked if t in said) / total, row, *columns))
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] < DESCRIBED_ACCEPT or \
            (len(scored) > 1 and scored[0][0] - scored[1][0] < DESCRIBED_MARGIN):
        return None
    cover, row, name, description = scored[0]
    return Described(row, name, description, round(cover, 3))


def described_sentence(found: Described) -> str:
    """"Adaptive & Assistive Technology (Key Service, in Adult Social Care & Health > ... Operations):
    Technology enabled care ..."."""
    row = found.row
    where = f", in {row.section_path}" if row.section_path else ""
    header = " ".join(row.header[found.name_column].split()) if found.name_column < len(row.header) else ""
    said = f"{header}{where}" if header else where.removeprefix(", ")
    description = " ".join(row.cells[found.description_column].split())
    return f"{row.cells[found.name_column].strip()} ({said}): {description}"


def section_director(rows: list[TableRow], row: TableRow) -> tuple[str, TableRow] | None:
    """("Director of Adult Social Care & Health Operations: Sydney Hill & Mark Albiston.", the heading's row)
    for the nearest section over the row (its own, else the one above) whose heading names a director."""
    path = row.section_path
    best: TableRow | None = None
    for role in rows:
        if role.kind != "role" or role.doc_id != row.doc_id or not role.section_path:
            continue
        if (path == role.section_path or path.startswith(role.section_path + " > ")) and \
                any("director" in h.lower() for h in role.header) and \
                (best is None or len(role.section_path) > len(best.section_path)):
            best = role
    if best is None:
        return None
    column = max(j for j, h in enumerate(best.header) if "director" in h.lower())
    office = " ".join(best.header[column].split())
    return f"{office} of {best.section_path.split(' > ')[-1]}: {best.cells[column].strip()}.", best

