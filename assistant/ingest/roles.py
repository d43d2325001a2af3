"""Who a section names beside its heading: "Cabinet Member Dan Watkins  Director Anjan Ghosh".

Council reports print the responsible people next to a department or division heading, on their own
line or in a small two-column box: a role word (Cabinet Member, Corporate Director, Interim
Director, Head of Service, ...) followed by one or more person names, with or without a colon.
Several pairs may share one line, and a heading may carry them after its title. A name must look
like a person (2-4 capitalised words, no organisational word; see ``people.is_person_name``), so
that "Corporate Director Adult Social Care & Health" (a role and a directorate) names nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.people import is_person_name

#: Role words, most specific first. Capitalised in the source (a role in running text is lower case).
_ROLE = re.compile(
    r"(?<![\w'’])(?P<role>(?i:(?:(?:interim|acting|deputy)\s+)?(?:(?:corporate|executive|strategic|assistant)\s+)?"
    r"directors?|cabinet members?|portfolio holders?|lead members?|chief executive|heads? of service))"
    r"(?![\w'’])")
#: What may stand between a role word and its name.
_SEPARATOR = " \t:–—-"
#: Several names after one role word.
_NAME_JOIN = re.compile(r"\s*(?:,|&|\band\b|/)\s*")
MEMBER_ROLES = ("cabinet member", "portfolio holder", "lead member")
#: How many lines below a heading a role line may sit to belong to it.
ROLE_REACH = 4


@dataclass(frozen=True)
class RoleName:
    """One role word and the name(s) it introduces, as written."""

    role: str  # lower case, singular: "corporate director", "cabinet member"
    name: str

    @property
    def is_member(self) -> bool:
        return self.role in MEMBER_ROLES

    @property
    def is_director(self) -> bool:
        """A responsible officer: any director, a chief executive or a head of service."""
        return not self.is_member


def _singular(role: str) -> str:
    role = re.sub(r"\s+", " ", role.lower()).strip()
    return re.sub(r"\b(director|member|holder|head)s\b", r"\1", role)


def _names(segment: str) -> str | None:
    """The segment as written when it is only person names ("Sydney Hill & Mark Albiston")."""
    text = re.sub(r"\s+", " ", segment.strip(_SEPARATOR)).strip(" .")
    parts = [p for p in _NAME_JOIN.split(text) if p.strip()]
    if not parts or not all(is_person_name(p.strip(" .")) for p in parts):
        return None
    return text


def split_roles(text: str) -> tuple[str, list[RoleName]]:
    """(the text before the first role word, the role/name pairs) of one line.

    Every role word found must be followed by person names only, up to the next role word or the end
    of the line; otherwise the line names nobody and ``(text, [])`` is returned.
    """
    line = text.replace("\t", " ").strip()
    marks = [m for m in _ROLE.finditer(line) if m.group("role")[0].isupper()]
    if not marks:
        return text.strip(), []
    pairs: list[RoleName] = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(line)
        name = _names(line[m.end():end])
        if name is None:
            return text.strip(), []
        pairs.append(RoleName(_singular(m.group("role")), name))
    title = line[:marks[0].start()].strip(_SEPARATOR + ",")
    return title, pairs


def roles_in_line(text: str) -> list[RoleName]:
    """The role/name pairs of a line that holds nothing else ("Director: Lisa Gannon",
    "Cabinet Member\tDan Watkins", "Cabinet Member Dan Watkins Director Anjan Ghosh")."""
    title, pairs = split_roles(text)
    return pairs if not title else []


def first_director(pairs: list[RoleName]) -> str | None:
    return next((p.name for p in pairs if p.is_director), None)


def first_member(pairs: list[RoleName]) -> str | None:
    return next((p.name for p in pairs if p.is_member), None)
