"""The semantic layer: for each typed table, which column answers who, when, how much and what.

The roles are read from the schema contract (`assistant/sql/schema.py`): column names, types and
descriptions. Only the words people use for each table (nouns and synonyms) are vocabulary kept
here. SQL built from this layer is parameterised: identifiers come from the schema, values are
always bound parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.ingest.classify import VALUE_KINDS
from assistant.sql.schema import PROVENANCE, TABLES_BY_NAME, TYPED_TABLES, Column, Table

_PROVENANCE_NAMES = frozenset(c.name for c in PROVENANCE)

#: Words that point a question at a table (besides its own name and singular).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "actions": ("action", "actions", "delivery action", "delivery actions", "task", "tasks", "activity", "activities"),
    "kpis": ("kpi", "kpis", "performance measure", "performance measures", "indicator",
             "indicators", "performance indicator", "measure", "measures", "metric", "metrics"),
    "budget_lines": ("budget", "budgets", "net budget", "gross budget", "controllable budget", "capital",
                     "capital budget", "capital programme", "revenue budget", "net revenue", "gross revenue"),
    "procurements": ("procurement", "procurements", "contract", "contracts", "tender", "tenders",
                     "procurement project", "procurement projects", "forward plan", "forward plans"),
    "risks": ("risk", "risks", "key risk", "key risks", "mitigation", "mitigations",
              # (a risk's own columns: "lifetime exposure: high needs v waste capital infrastructure")
              "exposure", "exposures", "annual exposure", "lifetime exposure", "financial exposure"),
    "savings": ("saving", "savings", "budget savings", "budget reduction", "cuts", "save", "saved"),
    "pledges": ("pledge", "pledges", "cabinet pledge", "cabinet pledges", "super six", "cabinet member",
                "cabinet members", "councillor", "councillors", "cllr"),
    "deliverables": ("deliverable", "deliverables", "1 year deliverable", "4 year deliverable"),
    "outcomes": ("outcome", "outcomes", "must do", "must dos", "must do's", "commitment",
                 "commitments"),
}

#: Nouns that stand for people, not for rows ("which councillors..." asks who).
_PEOPLE_NOUNS = frozenset({"councillors", "cabinet members"})
#: Plural nouns of rows as questions write them ("how many tenders", "which actions"), longest first;
#: "projects" as in "procurement projects".
ROW_NOUNS: tuple[str, ...] = tuple(sorted({n for nouns in SYNONYMS.values() for n in nouns if " " not in n
                                           and n.endswith("s") and n not in _PEOPLE_NOUNS} | {"projects"},
                                          key=lambda n: (-len(n), n)))
#: The same nouns as one regular-expression alternation.
ROW_NOUN_PATTERN = "|".join(ROW_NOUNS)
#: Row nouns also used as mass nouns ("budget savings of £2.586m", "cuts"): alone they ask for no list.
MASS_NOUNS = frozenset({"savings", "cuts", "budgets"})
#: The row nouns that, with a filter, make a question a list ("ETE contracts over £1m").
LIST_NOUN_PATTERN = "|".join(n for n in ROW_NOUNS if n not in MASS_NOUNS)

#: Table nouns that also pick rows: "capital" points at budgets and keeps only the capital ones, so a
#: question's topic keeps the word as a filter (`scoring.residual_terms`).
ROW_QUALIFIERS = frozenset({"capital", "revenue"})

#: Words that name one of a measure's values or its rating ("current RAG", "latest", "floor"): they pick a
#: field of a KPI row, never words its name must hold (the value kinds are the ingest's header words).
#: ("rating" is left out: its stem is "rate", a word of many KPIs' names.)
MEASURE_FIELD_WORDS = frozenset(VALUE_KINDS) | {"rag"}
#: A pseudo group column: phrases of the caption of the table a row came from ("above OJEU threshold",
#: "Table Two"), filtered through `raw_table_id` (queries.where) and matched by runs of words
#: (understand.match_groups), since a question rarely repeats a caption whole.
CAPTION_GROUP = "caption"
#: A pseudo group column: the headings a row sits under ("Keep Children Safe", "Priority: Value for
#: money"), filtered through `section_path` (queries.where) and matched like a caption's phrases.
SECTION_GROUP = "section"
#: Groups that name where a row is printed, not a value of the row: they never make a question about
#: their table by themselves (understand.understand).
PLACE_GROUPS = frozenset({CAPTION_GROUP, SECTION_GROUP})
#: A heading's label, not part of its name ("Priority: " of "Priority: Value for money"); lower case,
#: as the section filter compares headings (queries.where).
HEADING_LABEL = r"^[a-z]+:\s+"

_CAPTION_PARTS = re.compile(r"\(([^()]{3,80})\)|^((?:table|appendix|annex|schedule|part)\s+[\w.]+)\s*[:.\-–]", re.I)


#: A caption without a label or bracketed part names its table when it has at least this many words
#: (a one-word caption such as "Actions" names nothing in particular).
MIN_TITLE_WORDS = 2


def caption_phrases(caption: str) -> tuple[str, ...]:
    """The phrases of a table caption that tell it from its siblings: its bracketed qualifiers and its
    label ("Table Two: Forward Plan (above £50K less than OJEU threshold)" -> "Table Two",
    "above £50K less than OJEU threshold"), else the whole caption."""
    parts = [next(g for g in m.groups() if g).strip() for m in _CAPTION_PARTS.finditer(caption)]
    # a caption with no such parts is a title of its own ("Vehicle Replacement Programme 2020-2021")
    return tuple(dict.fromkeys(parts or ([caption.strip()] if len(caption.split()) >= MIN_TITLE_WORDS else [])))


#: Words of questions that name a column or a table rather than the thing asked about.
GENERIC_WORDS = frozenset("""estimated estimate value values amount figure figures contract contracts procurement
procurements project projects action actions kpi kpis measure measures indicator performance target targets
lead leads responsible budget pledge pledges deliverable deliverables outcome outcomes risk risks saving savings
save saved latest actual date due complete start cabinet member members
councillor councillors cllr period""".split())

#: Singular labels for answers ("3 actions", "1 contract").
LABELS: dict[str, tuple[str, str]] = {
    "actions": ("action", "actions"), "kpis": ("KPI", "KPIs"),
    "budget_lines": ("budget line", "budget lines"), "procurements": ("contract", "contracts"),
    "risks": ("risk", "risks"), "savings": ("saving", "savings"), "pledges": ("pledge", "pledges"),
    "deliverables": ("deliverable", "deliverables"), "outcomes": ("outcome", "outcomes"),
}

@dataclass(frozen=True)
class Wording:
    """How answers speak of one table's rows, and which questions its rows answer."""

    lead_verb: tuple[str, str] = ("has", "have")  # a person and the row: "Julie Vollar leads action 2" (one, many)
    led_by: str = "of"                            # a filter by person, in words: "led by X", "of X"
    people_role: str = ""                         # who is in a group: "People who lead actions"
    list_lead: str | None = ""                    # a list line's lead: "lead X" ("lead "), "X" (""), not shown (None)
    due_verb: str = "be delivered"                # "it is due to complete March 2021"
    answers: tuple[tuple[str, int], ...] = ()     # question kinds its rows answer, with a rank (1 best)
    topic_columns: tuple[str, ...] = ()           # text columns topic words search besides the row's name
    ref_first: bool = False                       # a list shows the row's reference number first
    reduction: bool = False                       # its amounts are cuts (a saving), never what is spent on a thing


#: Other names people give a column ("what's the output?" of an action: its success measures).
COLUMN_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    # "which shared outcomes does it serve?": the column a plan headed "Shared Outcome" (read as its priority)
    # ("how's that measured?": the measure, though "measured" is the word with an ending, no name of it)
    # ("how will success be judged", "what does success look like": its success measures too)
    "actions": {"success_measures": ("output", "measure of success", "success measure", "measured", "judged",
                                     "success look like"),
                "priority": ("shared outcome",)},
    "pledges": {"measure": ("milestone", "measured")},
    # "what does the risk register say the council may have to do", "what would it lead to": its consequence
    "risks": {"consequence": ("impact", "effect", "have to do", "would mean", "lead to", "result in"),
              # "how many are rated likely (4)", "risks rated 4": a likelihood score
              "likelihood": ("rated likely", "rated unlikely", "rated"),
              # "where the directorate is ALL": a register's owner column is headed "Directorate"
              "owner": ("directorate",),
              # "what's the council doing about the funding gap risk": what is done about a risk
              "mitigation": ("doing about", "being done about", "done about")},
}


#: The text columns that tell a row's story, in the order they answer each kind of narrative question
#: (router.row_narrative): "why ..." (its cause first), "what could happen / may have to do" (its
#: consequence first), "how much more might be needed" (the column that gives figures in prose first).
NARRATIVE: dict[str, dict[str, tuple[str, ...]]] = {
    # (a register without cause and event columns describes the risk under its name: "Prolonged recovery
    # and funding gap The Council continues to face reductions in funding ...")
    "risks": {"why": ("cause", "risk", "event", "consequence", "mitigation"),
              "outcome": ("consequence", "event", "risk", "mitigation", "cause"),
              "figure": ("event", "cause", "risk", "consequence", "mitigation")},
}


#: The words of each typed table (a table not listed speaks plainly: "X has 3 risks").
WORDING: dict[str, Wording] = {
    "actions": Wording(("leads", "lead"), "led by", "lead actions", "lead ", "complete",
                       (("who", 1), ("when", 1)), ref_first=True),
    "kpis": Wording(("is responsible for", "are responsible for"), "of", "are responsible for KPIs", "",
                    answers=(("who", 2), ("target", 1), ("how_much", 4))),
    "pledges": Wording(("made", "made"), "of", "are cabinet members with pledges", None,
                       answers=(("who", 3), ("when", 2))),
    "procurements": Wording(answers=(("when", 3), ("how_much", 1))),
    "budget_lines": Wording(answers=(("how_much", 2),), topic_columns=("period",)),
    "savings": Wording(answers=(("how_much", 3),), reduction=True),
    "risks": Wording(answers=(("how_much", 5),)),
}


def role_tables() -> dict[str, tuple[str, ...]]:
    """The tables whose rows answer each kind of fact question (who, when, target, how much), best first."""
    out: dict[str, list[tuple[int, str]]] = {}
    for table, words in WORDING.items():
        for role, rank in words.answers:
            out.setdefault(role, []).append((rank, table))
    return {role: tuple(t for _, t in sorted(ranked)) for role, ranked in out.items()}


_WHAT_HINTS = ("the ", "title", "what is")
_GROUP_NAMES = ("category", "priority", "portfolio", "pledge_type", "horizon", "kind")
_NOT_TEXT = ("raw", "period", "ref", "parent_ref", "in_council_plan", "plan")


@dataclass(frozen=True)
class DateRole:
    """A date of a row: the columns written by ingestion for one `<prefix>_*` group."""

    prefix: str
    raw: str
    date: str
    date_end: str
    status: str


@dataclass(frozen=True)
class TableSemantics:
    """Which columns of one typed table answer which kind of question."""

    table: str
    key: str
    label: str
    plural: str
    what: str
    who: str | None = None          # list of canonical names, or one name
    who_raw: str | None = None      # as written, for quotes
    who_is_list: bool = False
    due: DateRole | None = None     # the "when is it due / complete" date
    start: DateRole | None = None
    amount: str | None = None       # DOUBLE in pounds or units
    amount_raw: str | None = None
    groups: tuple[str, ...] = ()    # columns a question can filter on by value ("in ICT")
    texts: tuple[str, ...] = ()     # every descriptive text column (for display)
    values: str | None = None       # child table of values by period and kind (kpi_values)
    total_flag: str | None = None   # BOOLEAN column marking a printed TOTAL row (sums read it, not add it)
    amounts: tuple[tuple[str, str | None], ...] = ()  # every money column and its raw twin ("annual", "lifetime")
    words: Wording = Wording()      # how answers speak of the rows (WORDING)

    def date_roles(self) -> tuple[DateRole, ...]:
        return tuple(r for r in (self.due, self.start) if r is not None)

    def date_role(self, name: str | None) -> DateRole | None:
        """The date column a question's "start" or "due" reads: the start when asked and the table has
        one, else the due date."""
        return self.start if name == "start" and self.start else self.due

    def amount_named(self, lower: str) -> str | None:
        """The money column a question names by a word only that column has ("lifetime exposure"), if any."""
        if len(self.amounts) < 2:
            return None
        words = [set(name.split("_")) for name, _ in self.amounts]
        shared = set.intersection(*words)
        for (name, _), own in zip(self.amounts, words):
            if any(re.search(rf"\b{w}", lower) for w in own - shared):
                return name
        return None

    def names_amount_column(self, lower: str) -> bool:
        """Whether a question names a money column as such: by every word of its name ("annual
        exposure") or by the word all of them share ("exposure"), not by one word of it ("annual spend")."""
        words = [set(name.split("_")) for name, _ in (self.amounts or ((self.amount, ""),)) if name]
        if not words:
            return False
        shared = set.intersection(*words) if len(words) > 1 else set()
        return any(all(re.search(rf"\b{w}", lower) for w in own) for own in words) or \
            any(re.search(rf"\b{w}", lower) for w in shared)

    def with_amount(self, name: str | None) -> "TableSemantics":
        """This table with `name` as its money column (unchanged for None or an unknown column)."""
        raw = dict(self.amounts).get(name or "", "")
        if not name or raw == "" or name == self.amount:
            return self
        return replace(self, amount=name, amount_raw=raw)

    def field_words(self) -> frozenset[str]:
        """Words of the names of the columns a question may ask for ("lifetime exposure", "likelihood"):
        they pick a field of a row, so a row's own text need not hold them. The row's name column and
        the parts that say how a value is stored ("raw", "date", "flag") are not among them."""
        return frozenset(w for c in _data_columns(TABLES_BY_NAME[self.table]) if c.name != self.what
                         for w in c.name.split("_") if len(w) > 2 and w not in _STORAGE_WORDS)

    def amount_label(self, name: str) -> str:
        """'lifetime exposure' for lifetime_exposure."""
        return name.replace("_", " ")


#: Parts of column names that say how a value is stored, never what it is.
_STORAGE_WORDS = frozenset({"raw", "date", "end", "precision", "status", "flag", "ref", "parent", "is"})


def _data_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if c.name not in _PROVENANCE_NAMES and c.name != table.primary_key]


def _date_role(table: Table, prefix: str) -> DateRole | None:
    names = {c.name for c in table.columns}
    if f"{prefix}_date" not in names:
        return None
    return DateRole(prefix, f"{prefix}_raw", f"{prefix}_date", f"{prefix}_date_end", f"{prefix}_status")


def _date_prefixes(table: Table) -> list[str]:
    return [c.name[: -len("_date")] for c in table.columns if c.name.endswith("_date") and c.type == "DATE"]


def _who(cols: list[Column]) -> tuple[str | None, str | None, bool]:
    """The canonical-name column (a list of names, or a single name) and its raw twin."""
    for c in cols:
        if "canonical name" in c.description.lower():
            raw = next((r.name for r in cols if r.name.startswith(c.name.rstrip("s")) and r.name.endswith("_raw")), None)
            return c.name, raw or c.name, c.type.endswith("[]")
    for c in cols:  # no canonical names: a column that holds the row's owner as written
        if c.type == "VARCHAR" and c.name in _OWNER_COLUMNS:
            return c.name, c.name, False
    return None, None, False


#: Columns that name who answers for a row when a table has no canonical-name column.
_OWNER_COLUMNS = ("owner", "lead", "responsible_officer")


def _amounts(cols: list[Column]) -> tuple[tuple[str, str | None], ...]:
    """Every DOUBLE column with its as-written twin (`<name>_raw`, or `raw`)."""
    return tuple((c.name, next((r.name for r in cols if r.name in (f"{c.name}_raw", "raw")), None))
                 for c in cols if c.type == "DOUBLE")


def _what(cols: list[Column]) -> str:
    texts = [c for c in cols if c.type == "VARCHAR" and not c.name.endswith(("_raw", "_status", "_flag",
                                                                            "_precision"))]
    for c in texts:
        if c.description.lower().startswith(_WHAT_HINTS) or "title" in c.description.lower():
            return c.name
    return texts[0].name


def derive(table: Table) -> TableSemantics:
    """Read the roles of `table`'s columns from the schema contract."""
    cols = _data_columns(table)
    prefixes = _date_prefixes(table)
    due_prefix = next((p for p in prefixes if p != "start"), prefixes[0] if prefixes else None)
    who, who_raw, who_list = _who(cols)
    amounts = _amounts(cols)
    amount, amount_raw = amounts[0] if amounts else (None, None)
    label, plural = LABELS.get(table.name, (table.name.rstrip("s"), table.name))
    groups = tuple(c.name for c in cols if c.type == "VARCHAR" and
                   (c.name in _GROUP_NAMES or "column header" in c.description))
    what = _what(cols)
    texts = tuple(c.name for c in cols if c.type == "VARCHAR" and c.name not in groups and
                  not c.name.endswith(("_raw", "_status", "_flag", "_precision")) and c.name not in _NOT_TEXT)
    return TableSemantics(
        table=table.name, key=table.primary_key or "", label=label, plural=plural, what=what,
        who=who, who_raw=who_raw, who_is_list=who_list,
        due=_date_role(table, due_prefix) if due_prefix else None,
        start=_date_role(table, "start") if "start" in prefixes and due_prefix != "start" else None,
        amount=amount, amount_raw=amount_raw, groups=groups, texts=texts, values=_values_table(table),
        total_flag=next((c.name for c in cols if c.type == "BOOLEAN" and "total" in c.description.lower()), None),
        amounts=amounts, words=WORDING.get(table.name, Wording()))


def _values_table(table: Table) -> str | None:
    """A non-typed table keyed by this table's key with period and kind columns (e.g. kpi_values)."""
    for other in TABLES_BY_NAME.values():
        names = {c.name for c in other.columns}
        if other.name != table.name and other.name not in TYPED_TABLES and table.primary_key in names \
                and {"period", "kind", "raw"} <= names:
            return other.name
    return None


@lru_cache(maxsize=1)
def semantics() -> dict[str, TableSemantics]:
    """The semantic layer of every typed table, by name."""
    return {name: derive(TABLES_BY_NAME[name]) for name in TYPED_TABLES}


#: Where a heading's parts meet: a spaced dash or a colon.
HEADING_PARTS = re.compile(r"\s+[–—-]\s+|:\s+")


def section_phrases(paths: list[str], skip: frozenset[str]) -> tuple[str, ...]:
    """The headings of section paths that can name the rows under them, less a label ("Priority: "):
    at least MIN_TITLE_WORDS words, not a department, council or document (in `skip`, lower case), not
    a numbered part ("Section Two – ...") and not a kind of row ("Key Performance Measures" names the
    KPIs, not one group of them)."""
    def names_rows(h: str) -> bool:
        return not (len(h.split()) < MIN_TITLE_WORDS or h.lower() in skip or re.match(
            r"(?:section|appendix|part|chapter|annex|schedule|table)\b", h, re.I) or tables_for(h.lower()))

    out: dict[str, None] = {}
    for path in paths:
        for heading in path.split(" > "):
            h = re.sub(HEADING_LABEL, "", heading.strip(), flags=re.I)   # "Priority: Value for money": "Value for money"
            if names_rows(h):
                out[h] = None
                continue
            # "Forward Plan of Procurement Projects – up to 31 March 2022: Public Health": a heading naming
            # its kind of row, whose part after a dash or colon names the group ("Public Health"; a date
            # names none)
            for part in HEADING_PARTS.split(h)[1:]:
                if names_rows(part) and not re.search(r"\d", part):
                    out[part] = None
    return tuple(out)


def tables_for(words: str) -> tuple[str, ...]:
    """Typed tables whose nouns appear in the (normalised, lower-case) text, most specific first."""
    import re

    found: list[tuple[int, str, int, int]] = []   # (noun length, table, start, end)
    for table, nouns in SYNONYMS.items():
        # a qualifier ("capital") points at its table only after every table named by a noun of its own
        spans = [(0 if n in ROW_QUALIFIERS else len(n), m.start(), m.end()) for n in nouns
                 for m in re.finditer(rf"\b{re.escape(n)}\b", words)]
        if spans:
            length, start, end = max(spans)
            found.append((length, table, start, end))
    # a noun right before another table's noun only qualifies it: "budget risks" are risks
    starts = {start for _, _, start, _ in found}
    modifier = {table for _, table, _, end in found if end + 1 in starts}
    return tuple(t for _, t, _, _ in sorted(found, key=lambda x: (x[1] in modifier, -x[0])))


#: How a typed row reads in the search index: the label shown before it and the (label, column)
#: pairs of its text ("Action: ... | Lead: ... | Complete: ..."); retrieval.chunks writes it.
INDEX_TEXT: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "actions": ("Action", (("", "action"), ("Lead", "lead_raw"), ("Start", "start_raw"),
                           ("Complete", "complete_raw"), ("Success measures", "success_measures"),
                           ("Difference", "difference"), ("Priority", "priority"))),
    "kpis": ("Performance measure", (("", "description"), ("Responsible", "responsible_raw"),
                                     ("Notes", "notes"))),
    "procurements": ("Procurement", (("", "title"), ("Category", "category"), ("Value", "value_raw"),
                                     ("Start", "start_raw"))),
    "pledges": ("Pledge", (("", "pledge"), ("Type", "pledge_type"), ("Cabinet member", "cabinet_member"),
                           ("Portfolio", "portfolio"), ("Recognition", "recognition"),
                           ("Measure", "measure"), ("Timeframe", "timeframe_raw"), ("Outcome", "outcome"))),
    "deliverables": ("Deliverable", (("", "deliverable"), ("Horizon", "horizon"), ("Priority", "priority"))),
    "outcomes": ("Outcome", (("", "outcome"), ("Kind", "kind"), ("Priority", "priority"))),
    "risks": ("Risk", (("", "risk"), ("Cause", "cause"), ("Event", "event"), ("Consequence", "consequence"),
                       ("Mitigation", "mitigation"), ("Priority", "priority"), ("Owner", "owner"),
                       ("Category", "category"), ("Annual exposure", "annual_exposure_raw"),
                       ("Lifetime exposure", "lifetime_exposure_raw"), ("Likelihood", "likelihood"))),
    "savings": ("Saving", (("", "item"), ("Amount", "raw"), ("Year", "period"), ("", "description"))),
    "budget_lines": ("Budget", (("", "line_item"), ("", "measure"), ("Period", "period"), ("", "raw"))),
}

#: Columns of free text that are a row's substance beside its short defining one (a risk's title
#: says little; its cause, event and consequence say what it is): the index embeds their sentences
#: one by one too. Not an action's success measures or a pledge's measure: embedded on their own,
#: they outranked the passages that answer (dev run a287 lost five bundled items that way).
PROSE_COLUMNS: dict[str, tuple[str, ...]] = {
    "risks": ("cause", "event", "consequence", "mitigation"),
}
