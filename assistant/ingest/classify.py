"""Header semantics: which role each column plays, and which typed table a header feeds.

Roles are recognised from the words of a header cell, never from positions or document names, so
that "Responsible Officer", "Owner" and "Lead" are all leads, and "Complete", "Target date",
"Timeframe", "By when" and "Deadline" are all due dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Header semantics, as data: for each role, the words of a header cell that give it, in priority
#: order (the first role whose pattern matches a cell wins). A new synonym is one line here.
HEADER_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("ref", r"^(ref|ref\.|reference|no\.?|number|#|id|item no\.?|row ref\.?|row)$"),
    ("in_plan", r"deliverable listed|listed in (the )?council plan|in (the )?council plan\?"),
    ("deliverable", r"^\d+\s*years?\s+deliverables?$|^deliverables?$"),
    ("pledge", r"\bpledges?\b"),
    ("recognition", r"recognise|recognize"),
    ("difference", r"difference"),
    ("mustdo", r"must\s*do"),
    ("likelihood", r"likelihood|probability"),
    ("exposure", r"exposure|financial impact|impact\s*\(?£|£m?\)?\s*impact"),
    ("cause", r"\bcause\b|^source\b|^trigger"),
    ("event", r"risk event|^event$"),
    ("consequence", r"consequence|^effect"),
    ("lead", r"^risk (owners?|leads?|managers?)$"),  # "Risk owner" names who, not a second risk column
    ("risk", r"\brisks?\b"),
    ("mitigation", r"mitigat|controls?$"),
    ("title", r"contract title|^title$|project title|^contract$|^procurement( project)?$|^project$"),
    ("value", r"(estimated )?(amount|value)\b|contract value|\(£\)\s*$"),
    ("start", r"\bstart"),
    ("due", r"^complet|target date|timeframe|time frame|time ?scales?|by when|deadline|due( date)?$"
            r"|^due\b|end date|completion|^when\b|^date$|^target year$"),
    ("lead", r"\blead\b|\bleads\b|\bled by\b|responsible|^owners?\b|accountable|officer|cabinet members?|"
             r"portfolio holder|lead member|^who\b|^teams?$|\bteam$|^directorate lead"),
    ("rating", r"^rag\b|\brag rating|^rating$|^status$|^rag status|^current status"),
    ("kpi_value", r"^(actual|latest|target|baseline|outturn|forecast|current|previous|floor|projected)\b"),
    ("success", r"success|how will (we|it be) measured?|measure of|^measures?$|^kpis?\b|outputs?$"),
    ("description", r"^description$|indicator|performance measure|^measure( description)?$|^metric|kpis$"),
    ("priority", r"priorit|outcome|theme|objective|^aim$"),
    ("action", r"^actions?\b|what is the action|^activit|^tasks?$|^key actions?|^what\b|^commitments?$|"
               r"committed to|^milestones?$|^initiatives?$|^interventions?$"),
    ("saving", r"saving"),
    ("label", r"^division$|^service( area)?$|^department$|^category$|^area$|^item$|^user$|^scheme|"
              r"^key service$|^directorate$|^funding category$|^budget (line|heading)$|^line item$"),
)
ROLE_PATTERNS = HEADER_SYNONYMS  # the name used before the table was widened

#: Roles given only by short headers: value and rating columns are named in a few words.
SHORT_ROLES = frozenset({"kpi_value", "rating"})
SHORT_ROLE_MAX_WORDS = 6
_SENTENCE = re.compile(r"\b(has|have|had|been|is|are|was|were|will|not|met|achieved)\b")

#: Kinds of KPI value columns, from the first word of the header ("Outturn 2023/24" is an actual).
VALUE_KINDS: dict[str, str] = {
    "actual": "actual", "outturn": "actual", "latest": "latest", "current": "latest", "target": "target",
    "baseline": "baseline", "forecast": "forecast", "projected": "forecast", "previous": "previous",
    "floor": "floor",
}

#: Words of budget table headers (money columns, with their unit).
BUDGET_WORDS = re.compile(
    r"employee|premises|transport|supplies|agency|transfer|unallocated|recharge|gross|income|grants?\b"
    r"|net\b|budget|expenditure|£\s*'?000|£\s*k\b|£m\b|\(£m\)|total|staffing|spend\b|cost\b", re.I)

def role_of(header_cell: str) -> str | None:
    """The role of one header cell, or None."""
    text = re.sub(r"\s+", " ", header_cell.replace("*", "")).strip().lower()
    if not text:
        return None
    for role, pattern in ROLE_PATTERNS:
        if re.search(pattern, text):
            if role in SHORT_ROLES and (len(text.split()) > SHORT_ROLE_MAX_WORDS or _SENTENCE.search(text)):
                continue  # "Target has been achieved or exceeded" is a sentence, not a column name
            return role
    return None


@dataclass(frozen=True)
class HeaderInfo:
    """The roles of a header's columns and the typed table they feed."""

    roles: tuple[str | None, ...]
    kind: str  # typed table name or 'unclassified'

    def index(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def indices(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]


def classify_header(header: tuple[str, ...] | list[str], section: str = "") -> HeaderInfo:
    """Recognise the column roles of a header and decide which typed table it feeds."""
    roles = tuple(role_of(h) for h in header)
    if "kpi_value" in roles or ("rating" in roles and "action" not in roles):
        # beside value columns, "Measure" / "KPI" / "Indicator" names the measure itself
        roles = tuple("description" if r == "success" else r for r in roles)
        if "description" not in roles and roles and roles[0] in (None, "label"):
            roles = ("description", *roles[1:])
    present = {r for r in roles if r}
    kind = "unclassified"
    if "deliverable" in present:
        kind = "deliverables"
    elif "pledge" in present:
        kind = "pledges"
    elif "mustdo" in present or ("priority" in present and "difference" in present and "action" not in present
                                  and "due" not in present):
        kind = "outcomes"
    elif "risk" in present and ({"mitigation", "priority", "likelihood", "consequence", "exposure", "cause",
                                 "event", "lead", "rating"} & present):
        kind = "risks"
    elif "title" in present and ("value" in present or "start" in present) and "lead" not in present:
        kind = "procurements"
    elif "title" in present and "lead" in present and ("due" in present or "value" in present):
        kind = "actions"  # projects with an officer and a deadline: actions that also have a cost
    elif ("kpi_value" in present or "rating" in present and "action" not in present) and (
            {"description", "success"} & present or roles[0] in (None, "description", "success", "label")):
        kind = "kpis"
    elif "action" in present and ({"lead", "due", "start", "success", "difference"} & present):
        kind = "actions"
    elif (money := sum(1 for h in header[1:] if BUDGET_WORDS.search(h or ""))) >= 3 or (
            money >= 2 and money == len(header) - 1 and any("£" in (h or "") for h in header)):
        kind = "budget_lines"  # a small table counts when every column after the label is money
    elif "saving" in present or re.search(r"saving", section, re.I) and len(header) >= 2:
        kind = "savings" if len(header) >= 2 else kind
    return HeaderInfo(roles, kind)


def header_strength(cells: tuple[str, ...] | list[str]) -> int:
    """How many cells of a line look like header words (used to tell headers from data rows)."""
    n = 0
    for c in cells:
        c = c.strip()
        if not c or len(c) > 60 or "<" in c:
            continue
        if role_of(c) or BUDGET_WORDS.search(c):
            n += 1
    return n


def is_header_line(cells: tuple[str, ...] | list[str]) -> bool:
    """A line whose non-empty cells are mostly short header words."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2 or any(len(c.split()) > 10 or "<" in c for c in filled):
        return False
    return header_strength(cells) >= max(2, (len(filled) + 1) // 2)
