"""The route as data: which answerers to try for an understood question, in order, and why.

`decide` is pure: it reads the understood question, the conversation context, the scope and a few
facts the router looked up beforehand (`Facts`), and returns `Step`s. The router (assistant.py) runs
them in order; each answerer either answers or passes to the next step. Keeping the decision here
means a routing rule is one line of data with its reason, tested without a database or a model.

Answerers (one method each on `Assistant`, same signature):
- ``abstain``: say the documents don't say, with the step's code and sentence;
- ``plan``: a typed query plan (an aggregate, or a follow-up that edits the previous plan);
- ``row_part``: the part of the previous row a follow-up asks about ("what did phase 2 include?");
- ``table_op``: an aggregate over any one table the question names, by whatever columns it has;
- ``aggregate``: a list or count of the named rows;
- ``who_in_group``: who leads the rows of a group ("who leads actions in CCP");
- ``row_fact``: one row's fields (who, when, target, how much), found by meaning;
- ``llm_sql``: the optional LLM's SQL;
- ``cell``: one cell of any table, named by its row label and column header;
- ``share``: a cell's share of the total row below it in its table;
- ``described_row``: the row whose long description cell says what the question names ("which key
  service is it?"), named by its label;
- ``text``: the best sentences of the retrieved passages (always last: it answers or abstains).
After the steps, a ``cell`` is tried again when the answer abstained for want of a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.router.context import Context
from assistant.router.described_rows import ASKS_WHICH_ROW
from assistant.router.extract import stem, terms
from assistant.router.plan import asks_which_period, fields_named, refers_to_rows
from assistant.router.queries import Conditions
from assistant.router.row_narrative import narrative_kind
from assistant.router.semantic import GENERIC_WORDS, role_tables, semantics
from assistant.router.share_of_total import asks_share
from assistant.router.table_ops import operation as table_operation
from assistant.router.understand import Understanding
from assistant.router.verify import asked_office

Answerer = Literal["abstain", "plan", "row_part", "row_narrative", "row_field", "table_op", "aggregate", "who_in_group",
                   "row_fact", "llm_sql", "cell", "share", "described_row", "text"]

#: The tables whose rows answer each kind of fact question, best first.
ROLE_TABLES: dict[str, tuple[str, ...]] = role_tables()

#: Titles of roles that sections name beside their holder ("Corporate Director", "Cabinet Member").
ROLE_TITLE = re.compile(r"\b(?:director|cabinet member|portfolio holder|head of|chief executive|leader of|author|"
                         r"report (?:is )?from|paper (?:is )?from|written by|wrote|authored)\b")

#: A question pointing at "those" rows with more topic words than this names its own rows ("the
#: channel shift strategy and the comms review - when are they due?"), so it is no follow-up.
MAX_FOLLOW_UP_TOPIC = 3

#: "who's the lead officer on it?", "who runs that one?": a question about the previous row itself.
_OF_IT = re.compile(r"\b(?:on|for|of|leads?|leading|runs?|running|owns?|manages?|responsible for|in charge of)\s+"
                    r"(?:it|that|this)(?: one)?\s*\??$")

NO_CONTEXT = ("I can't tell what this follow-up refers to: there is no earlier answer about a particular action, "
              "measure or contract. Please ask the whole question, e.g. \"When is the Channel Shift strategy due?\"")


@dataclass(frozen=True)
class Step:
    """One answerer to try, why, and (for ``abstain``) the reason code and sentence."""

    answerer: Answerer
    reason: str
    code: str | None = None
    message: str = ""
    verify: bool = True   # check the answer against the question before giving it (verify.py)
    kinds: tuple[str, ...] | None = None  # cell: only rows of these kinds (cells.TableRow.kind)

    def __str__(self) -> str:
        return f"{self.answerer} ({self.reason})"


@dataclass(frozen=True)
class Facts:
    """What the router looked up before deciding."""

    gap: tuple[str, str] | None = None   # (code, sentence): names or years the documents never mention
    absent: bool = False                 # the council named has none of the kind of row named
    plugin: bool = False                 # an LLM plug-in is configured


def decide(u: Understanding, context: Context, scope: Conditions, facts: Facts) -> tuple[Step, ...]:
    """The answerers to try for `u`, in order, each with its reason."""
    if facts.gap:
        return (Step("abstain", "a name or year the documents never mention", facts.gap[0], facts.gap[1]),)
    if u.intent == "who" and not u.people and context.table and context.keys and _OF_IT.search(u.lower) and \
            not semantics()[context.table].who:
        plural = semantics()[context.table].plural
        return (Step("abstain", "who leads the previous row, of a kind of row that names no one", "field_not_given",
                     f"The documents don't say: the {plural} they list name no lead or officer."),)
    steps = [Step("plan", "an aggregate, or a follow-up that edits the previous plan")]
    if asks_part_of_row(u, context):
        steps.append(Step("row_part", "the part of the previous row the follow-up names"))
    if not u.follow_up and table_operation(u.lower, u.intent) == "sum" and sum(1 for d in u.dates if d.fy_label) >= 2:
        # a total over a range of years is one row's year columns added up, which no typed row holds
        steps.insert(0, Step("table_op", "a row's values added up over the years asked"))
    names_its_rows = bool(u.tables and (scope.departments or scope.councils or u.groups))  # "the CCP risks - what are they?"
    if (refers_back(u) or (refers_to_rows(u.lower) and len(terms(u.topic)) <= MAX_FOLLOW_UP_TOPIC)) and \
            not context.keys and not u.people and not names_its_rows:
        return (*steps, Step("abstain", "a follow-up with nothing before it", "no_follow_up_context", NO_CONTEXT))
    if facts.absent:
        return (*steps, Step("text", "the council named has no such rows: only the prose can answer"))
    which_period = asks_which_period(u.lower)
    if which_period:   # the answer is a column (a year), so no aggregate over rows answers it, not even the plan's
        steps.insert(0 if not u.follow_up else len(steps),
                     Step("cell", "the year a row of a table by year is largest or smallest in", kinds=("table",)))
    if (not u.follow_up or context.keys) and table_operation(u.lower, u.intent) is not None and not which_period \
            and not (u.missing or u.present not in (None, "value")):
        # (a field given or not is a filter of typed rows only; an aggregate over a table's figures reads
        # only the rows that give one)
        steps.append(Step("table_op", "an aggregate over a table the question names, by its own columns"))
    if (not u.follow_up or not context.question) and asks_share(u.lower):   # ("what % of its gross": no turn before)
        # "borrowing as a % of capital financing": a cell set against its table's total, which no row holds
        steps.insert(0, Step("share", "a part's share of its table's total"))
    if not u.follow_up and any(narrative_kind(u.lower, t) for t in u.tables):
        # "contract retender risk: why are retenders dearer?": the row's cause, not a figure or one column
        steps.insert(0, Step("row_narrative", "why, what could follow or how much more, from the named row's story"))
    if u.intent == "list" and not u.follow_up and fields_named(u)[1] is not None:
        # "the prolonged recovery risk - what are the mitigations?": a list in one row's column
        steps.append(Step("row_field", "the column the question names of the one row it names"))
    if u.intent in ("count", "list") and (u.tables or u.people or u.missing or u.present):
        steps.append(Step("aggregate", f"a {u.intent} of named rows"))
    if u.intent == "who" and ROLE_TITLE.search(u.lower):  # "who is the director of ETE": the office, not the leads
        steps.append(Step("cell", "a role title a section names ('Director: ...')", kinds=("role",)))
    # ("whose portfolio was that?" after one row asks of that row, not of its department's rows)
    of_one_row = bool(refers_back(u) and len(context.keys) == 1)
    if u.intent == "who" and not u.people and not asked_office(u.lower) and not of_one_row and \
            (is_group_who(u, scope) or re.search(r"\bmost\b", u.lower) or leads_of_rows(u.lower)):
        steps.append(Step("who_in_group", "who leads the rows of a group"))
    if not u.follow_up and u.intent != "list" and fields_named(u)[1] is not None:
        steps.append(Step("row_field", "the column the question names of the row it names"))
    if u.intent in ROLE_TABLES or (u.intent == "count" and not u.tables):
        steps.append(Step("row_fact", f"a {u.intent} fact of one row"))
    if facts.plugin and (u.intent == "unknown" or (u.tables and u.intent in ("explain", "list", "count"))):
        steps.append(Step("llm_sql", "the LLM plug-in writes SQL"))
    steps.append(Step("cell", "a table cell the question names outright"))
    if not u.follow_up and ASKS_WHICH_ROW.search(u.lower):
        # "occupational therapy equipment - which key service is it?": the row its description matches
        steps.append(Step("described_row", "the row whose description says what the question names"))
    steps.append(Step("text", "the best passage"))
    return tuple(steps)


def asks_part_of_row(u: Understanding, context: Context) -> bool:
    """"What did phase 2 include?" after one row's answer: a question of what, with no rows or people of
    its own, that says a word of the previous subject or follows up ("and phase 1?"); a short count of
    something ("how many community locations?"); or who is involved in it."""
    if context.table and len(context.keys) == 1 and u.intent in ("count", "how_much") and not (u.tables or u.people) \
            and 0 < len(terms(u.topic.removeprefix("number "))) <= COUNTED_PART_WORDS:
        return True   # "how many community locations?" after the pledge that runs drop-ins at 12 of them
    if context.table and len(context.keys) == 1 and u.intent == "who" and _WHO_ELSE_IN_IT.search(u.lower):
        return True   # "who's involved in it?" after the MASH action: the bodies its text says it involves
    return bool(context.table and len(context.keys) == 1 and u.intent in ("explain", "unknown")
                and not (u.tables or u.people)
                and (u.follow_up or set(terms(u.topic)) & set(terms(context.topic))))


#: "Who's involved in it?", "which partners are involved?", "who does it work with?": bodies a row's text names,
#: by these words (INVOLVED_WORDS, the stems a part of the row that answers holds).
_WHO_ELSE_IN_IT = re.compile(r"\b(?:involved|involves?|partners?|work(?:s|ing)? with)\b.*\b(?:it|that|this|them)\b|"
                             r"\b(?:it|that|this)\b.*\b(?:involve[sd]?|work(?:s|ing)? with|partners?)\b")
INVOLVED_WORDS = frozenset(terms("involve involved involving partner partners work working"))
#: A count asked right after one row's answer asks of that row when it names at most this many words.
COUNTED_PART_WORDS = 3


#: Words that name a row of any table, not which one ("its grants line").
_ROW_WORDS = frozenset(stem(w) for w in ("line", "lines", "row", "rows", "figure"))


def refers_back(u: Understanding) -> bool:
    """A follow-up with at most one topic word of its own ("and the target?"); a word naming a column
    or group value ("and its grants line?": Grants) or a generic row word ("line") is none of its own."""
    if not u.follow_up:
        return False
    named = u.group_terms | _ROW_WORDS
    return len(terms(u.topic)) <= 1 or not [t for t in terms(u.topic) if t not in named]


#: "who leads the children's 'good corporate parent' actions": the leads of every row the words name, not one
#: row's (a table's rows said in the plural, after the words that name them).
_LEADS_OF_ROWS = re.compile(r"\bwho (?:leads|owns|is responsible for|are responsible for|is in charge of) (?:the |all (?:the )?)"
                            r"(?:[\w'’&-]+ ){1,6}?(?:actions|pledges|kpis|measures|deliverables|risks|procurements)\b")


def leads_of_rows(lower: str) -> bool:
    """"Who leads the employee well-being actions": the leads of every row those words name."""
    return bool(_LEADS_OF_ROWS.search(lower))


def is_group_who(u: Understanding, scope: Conditions) -> bool:
    """"Who leads actions in CCP?": a table noun and a group, but no particular row."""
    generic = {stem(w) for w in GENERIC_WORDS | {"else", "other", "besides", "department", "departments", "council"}}
    rest = [t for t in terms(u.topic) if t not in generic and not t[:1].isdigit()]
    return bool(u.tables or scope.departments) and (bool(scope.departments or scope.councils or u.groups)) and len(rest) <= 1
