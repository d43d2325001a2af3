"""People: splitting lead cells into names, and clustering spellings into canonical people.

Generic rules only: a name is 2-4 capitalised words that are not organisational words; two
spellings are one person when their first names match and their surnames are near-identical
(rapidfuzz ratio), e.g. Parfremont / Parfremment.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

HONORIFICS = ("cllr", "councillor", "dr", "mr", "mrs", "ms", "miss", "prof", "sir", "dame")
ORG_WORDS = {
    "all", "department", "departments", "division", "divisions", "team", "teams", "service", "services",
    "council", "board", "partners", "partnership", "manager", "managers", "director", "directors",
    "head", "heads", "officer", "officers", "group", "unit", "lead", "leads", "tbc", "the", "of", "for",
    "children's", "adult", "care", "health", "public", "county", "city", "staff", "other", "various",
    "members", "cabinet", "member", "portfolio", "strategic", "assistant", "executive", "programme",
}
SURNAME_SIMILARITY = 80.0


def split_names(cell: str | None) -> list[str]:
    """Names in a lead cell: split on '/', ',', ';', '&' and ' and '; drop bracketed notes."""
    if not cell:
        return []
    text = re.sub(r"<[^>]+>", " ", cell)
    text = re.sub(r"\([^)]*\)", " ", text)
    parts = re.split(r"\s*(?:/|,|;|&|\band\b|\+|\n)\s*", text)
    names = []
    for part in parts:
        name = re.sub(r"\s+", " ", part).strip(" .-–*")
        if is_person_name(name):
            names.append(name)
    return names


def is_person_name(text: str) -> bool:
    """2-4 capitalised words (an optional honorific first), none of them organisational."""
    words = text.split()
    if words and words[0].lower().strip(".") in HONORIFICS:
        words = words[1:]
    if not 2 <= len(words) <= 4:
        return False
    for w in words:
        if w.lower() in ORG_WORDS or not re.fullmatch(r"[A-Z][A-Za-z'’-]*\.?", w):
            return False
    return True


def split_title(name: str) -> tuple[str | None, str]:
    """('Cllr', 'Amo Raju') from 'Cllr Amo Raju'."""
    words = name.split()
    if words and words[0].lower().strip(".") in HONORIFICS:
        title = "Cllr" if words[0].lower().startswith(("cllr", "councillor")) else words[0]
        return title, " ".join(words[1:])
    return None, name


@dataclass(frozen=True)
class Person:
    """A canonical person with every spelling seen."""

    person_id: str
    name: str
    aliases: tuple[str, ...]
    title: str | None


def _key(name: str) -> tuple[str, str]:
    parts = name.lower().split()
    return parts[0], " ".join(parts[1:])


def _same_person(a: str, b: str) -> bool:
    fa, sa = _key(a)
    fb, sb = _key(b)
    if fa != fb or not sa or not sb or sa[0] != sb[0]:
        return False
    return sa == sb or fuzz.ratio(sa, sb) >= SURNAME_SIMILARITY


def cluster_people(mentions: list[tuple[str, str | None]]) -> tuple[list[Person], dict[str, str]]:
    """Cluster (name, title) mentions; return the people and a map spelling -> canonical name.

    The canonical spelling is the most frequent one (ties: the alphabetically first), so the
    result does not depend on the order of the mentions.
    """
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for raw, title in mentions:
        t, name = split_title(raw)
        title = title or t
        name = re.sub(r"\s+", " ", name).strip()
        if not name:
            continue
        counts[name] += 1
        if title:
            titles[name] = title
    clusters: list[list[str]] = []
    for name in sorted(counts):
        for cluster in clusters:
            if any(_same_person(name, other) for other in cluster):
                cluster.append(name)
                break
        else:
            clusters.append([name])
    people: list[Person] = []
    canonical: dict[str, str] = {}
    for cluster in clusters:
        best = max(sorted(cluster), key=lambda n: counts[n])
        title = next((titles[n] for n in cluster if n in titles), None)
        pid = "p_" + hashlib.sha1(best.lower().encode()).hexdigest()[:10]
        people.append(Person(pid, best, tuple(sorted(cluster)), title))
        for n in cluster:
            canonical[n] = best
    return people, canonical


def canonical_name(raw: str, canonical: dict[str, str]) -> str:
    """The canonical spelling of one raw mention (honorific dropped)."""
    _, name = split_title(raw)
    name = re.sub(r"\s+", " ", name).strip()
    return canonical.get(name, name)
