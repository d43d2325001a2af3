"""The router: one question in, one `Answer` out: exact SQL facts, cited passages, or "the documents don't say".

Flow: validate the question, understand it (intent and entities), then
- count / list questions run a SQL template from the semantic layer;
- who / when / target / how-much questions find the row by meaning in the row index, then read
  its fields by SQL (several labelled rows when the same item exists in several places);
- explain questions get the best sentences of the hybrid-retrieved passages;
- and the router abstains when nothing matches well enough (see ABSTAIN_* below).
Every SQL answer cites its rows through their provenance columns, quoting the source lines.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from assistant.config import Settings
from assistant.ingest.classify import role_of
from assistant.ingest.normalise import parse_money
from assistant.ingest.sections import opens_as_heading
from assistant.errors import BadQuestion, PlanAssistantError, QueryRefused
from assistant.models import Answer, Citation, Filters, Hit, dedupe_citations
from assistant.router import cells, compose, line_measures, row_parts
from assistant.router.acronyms import spelled_out_words
from assistant.router.answer_plan import PlanAnswerer, filters_text
from assistant.router.cells import CellIndex
from assistant.router.context import Context, Reply, row_measure
from assistant.router.data import Database, quote
from assistant.router.department_totals import department_totals, difference_follow_up
from assistant.router.decide import INVOLVED_WORDS, ROLE_TABLES, Facts, Step, decide, is_group_who, leads_of_rows, refers_back
from assistant.router.extract import (DOER_ASKED, WHICH_BODY, named_body_above, announced_items, bulleted_cell, items_after_lead_in, body_heading_above, opening_body, items_under_row, counts_term, extract, stem,
                                      terms, tidy)
from assistant.retrieval.chunks import is_part
from assistant.text import index_tokens
from assistant.router.follow_ups import (POINTS_BACK, another_subject, name_pointed_back, items_named_back, period_carried, period_shifted, periods_apart, resolve_follow_up,
                                        subject_swapped)
from assistant.router.described_rows import ASKS_DIRECTOR, described_sentence, find_described, section_director
from assistant.router.compared_turns import (ComparedWith, DatedAgainst, compared_with, date_said, dated_against,
                                             dated_sentence, difference_sentence, final_figure, other_question)
from assistant.router.items import compares, inside_a_name, named_items
from assistant.router.listed_count import listed_count
from assistant.router import prose_sum, table_ops
from assistant.router.acronyms import acronyms_spelled, initials_of_previous
from assistant.router.table_answer import TableAnswerer
from assistant.router.row_narrative import figure_said, narrate, narrative_kind
from assistant.router.plan import (CHANGE_STEMS, ranks_moves, OPERATION_WORDS, QueryPlan, asks_only_fields, asks_same_day, bare_operation, build_plan, counted_keys, period_extreme, conditions_of, edit_plan, named_fields, fields_named, points_at, rows_counted, names_column,
                                   without_period_qualifier,
                                   fields_of, is_what_about, named_field, operation_of, picked_index, with_pick_named,
                                   refers_to_rows, comparative, WHICH_DATED)
from assistant.router.queries import (PROVENANCE_COLS, Conditions, Query, count_rows, display_sql, leads_in, select_rows,
                                     values_of)
from assistant.router.scoring import (balance as _balance, content_terms, names_a_role, names_someone as _names_someone,
                                      near_word as _near_word, residual_terms, strip_suffix as _strip_suffix, total_of,
                                      suffix_named as _suffix_named, weighted_coverage, what_text as _what_text,
                                      years_of as _years, SHORT_TOPIC_TERMS)
from assistant.router.semantic import (CAPTION_GROUP, COLUMN_SYNONYMS, GENERIC_WORDS, MEASURE_FIELD_WORDS, SECTION_GROUP, ROW_QUALIFIERS, SYNONYMS, TableSemantics,
                                       caption_phrases, semantics, tables_for)
from assistant.router.share_of_total import (own_share_sentence, own_total_columns, row_name, share_query, share_sentence,
                                             total_below)
from assistant.sql.schema import TABLES_BY_NAME
from assistant.router.verify import COMPARED_WITH_PERIOD, Verdict, asked_kind, verify
from assistant.router.understand import (KIND_GROUP, MAX_WORDS, fy_label, MIN_WORDS, Lexicon, Understanding, caption_named, council_aliases,
                                         department_aliases, fold, has_phrase, match_departments, match_groups,
                                         parse_dates, period_spellings, QUESTION_START, same_period, value_of_period, strip_preamble, title_acronyms, SET_ASIDE,
                                         understand)

log = logging.getLogger(__name__)

# Abstention, calibrated on tests/router/questions.jsonl (see README of the router tests):
# a row is accepted when its match score (dense similarity + word coverage) reaches ROW_ACCEPT;
# a passage answer needs TEXT_ACCEPT; below, the router says the documents don't say.
ROW_ACCEPT = 0.50
#: A row whose name holds a word the question sets aside ("not counting not knowns") scores this much less.
LEFT_OUT_PENALTY = 0.15
#: A row whose name the question mostly says (this share of its words, weighted by rarity) is the row
#: asked about, though the question's other words ask of its story and are in no row's name.
NAME_SAID = 0.7
#: A row whose own figure is the sum the question writes ("the record office saving (£60k)") scores this
#: much more: the figure names it as well as its words do.
FIGURE_MATCH_BONUS = 0.15
#: A row whose name (less its code, "bii)") is all the question's topic ("and non-opiate?") scores this
#: much more than rows whose names merely hold it ("Alcohol & non-opiate").
EXACT_NAME_BONUS = 0.2
#: How far back a passage's paragraph is read for the names it gives its subject by.
PARAGRAPH_LINES = 8
#: How far back a passage's subject heading is looked for: a heading a font does not mark opens the
#: paragraphs under it, two or three short paragraphs in the reports seen.
SUBJECT_REACH = 16


def _other_qualifier(lower: str, row_name: str) -> bool:
    """"The net zero capital risk": a row whose name says the other kind of spend ("... (revenue spend)")
    and not the one asked is another row, whatever else it shares."""
    asked = {w for w in ROW_QUALIFIERS if re.search(rf"\b{w}\b", lower)}
    said = {w for w in ROW_QUALIFIERS if re.search(rf"\b{w}\b", row_name.lower())}
    return bool(asked and said and not asked & said)


def reads_line_years(lower: str, periods: list[str]) -> bool:
    """Whether a question of a budget line reads it in its years: a year named, or, with none named, a
    movement asked ("how much does it fall from its revised base"); "how much bigger is the gross than
    the net" compares two of its measures, not years."""
    return bool(periods or re.search(table_ops.MOVE_VERBS, lower))


def _own_words_only_table(u: Understanding, context: Context) -> bool:
    """"Whose pledge was it?": a follow-up whose words, less the previous topic carried into it, name no
    more than the kind of row the previous answer was ("pledge")."""
    if not u.follow_up or not context.table or set(u.departments) - set(context.departments) or \
            set(u.councils) - set(context.councils):
        return False   # "and ETE's van - 2.0t?": another department's row
    own = set(terms(u.topic)) - set(terms(context.topic))
    kind = {stem(part) for name in (*SYNONYMS.get(context.table, ()), semantics()[context.table].label)
            for part in name.split()}
    return not (own - kind)


#: "How big", "how large": words that ask a size, not name a row.
_HOW_BIG = re.compile(r"\bhow (big|large|great|wide)\b")

#: An abstention lists at most this many of the nearest passages (what the documents do say).
MAX_NEAREST = 3
#: Characters shown of each nearest passage, and of an answer turned down (whose point may come late).
NEAREST_CHARS = 160
SAID_CHARS = 320
#: A row answer covering less than this share of the question's words may give way to a prose
#: sentence that states a figure and covers at least the second share (see _prefer_prose_figure).
PROSE_OVERRIDE_ROW_COVERAGE = 0.75
PROSE_OVERRIDE_TEXT_COVERAGE = 0.95
TEXT_ACCEPT = 0.40   # see tests/router/README.md: calibrated on eval/blind/dev.jsonl with verify.py on
#: A row fact is given only when the row (its answer and quoted lines) holds at least this share of
#: the question's topic words, weighted by rarity; below, the row is about something else.
ROW_TOPIC_COVERAGE = 0.5  # on blind dev: 0.4 -> 71.6%, 0.5 -> 72.3%, 0.6 -> 68.8% (confident wrong 38, 36, 35)
SAME_ITEM = 88.0       # rapidfuzz ratio above which two rows are "the same item" in different places
MAX_CITATIONS = 20
DONT_SAY = "The documents don't say"
#: A table cell answers before the prose when it covers this share of the question (cells.py).
CELL_STRONG = 0.85
#: Abstentions for want of a matching row or passage, after which one table cell may still answer.
CELL_FALLBACK_CODES = frozenset({"low_match", "row_off_topic", "period_not_covered", "wrong_value_kind",
                                 "rare_words_missing", "unverified", "no_person_named", "figure_not_about_subject"})
_OPERATION_STEMS = frozenset(stem(w) for w in OPERATION_WORDS)
#: "How does that compare with 2018-19?", "against 2018-19": one period set against the latest.
_COMPARED_WITH = re.compile(r"\bcompar\w*|\bversus\b|\bvs\.?(?!\w)|\bagainst\b")
#: Words that set the previous row against another period ("how does that compare with 2018-19?"), no new row.
_COMPARING_STEMS = frozenset(terms("compare compared comparison compares versus vs against")) | CHANGE_STEMS
#: "What else does she lead?", "anything else?": the same person's other rows.
_WHAT_ELSE = re.compile(r"\bwhat else\b|\banything else\b|\bany others?\b|\bwhich others?\b|\bwhat other\b")
#: A heading and the items listed under it, as the text answer joins them ("Headline Initiatives: a; b; c.").
_LISTED = re.compile(r"^([^:;]{3,100}):\s+(.+;.+)$", re.DOTALL)
#: "Who ...", "which pharmacies ...": a follow-up asking for people or things the line must name.
_ASKS_WHO_OR_WHICH = re.compile(r"^\s*(?:and\s+)?(?:who|whose|which [a-z]+s)\b")
#: How much of the line a follow-up's answer only quoted again is shown in the abstention.
SAID_AGAIN_CHARS = 200
#: "Who else ...": people besides those already named.
_ELSE = re.compile(r"\b(?:else|other|besides)\b")
#: "... on it", "with that one", "on the first one": one row of the previous answer.
_ON_ONE_ROW = re.compile(r"\b(?:on|with|for|in|to|of)\s+(?:it|that|this)(?: one)?\s*[?.!]*\s*$|\bthe (?:first|second|"
                         r"third|fourth|fifth|last|\d+(?:st|nd|rd|th)) one\b")
#: Words that ask for a row's figure itself ("how much is the DHART CCTV bit", "its value").
_ASKS_VALUE = re.compile(r"\bhow much (?:is|are|was|will)\b|\bvalue\b|\bworth\b|\bcosts?\b|\bprice\b")
#: Words that ask how a measure changed between periods.
_COMPARE = re.compile(r"\b(?:up or down|down or up|go up|go down|went up|went down|increase[ds]?|decrease[ds]?|rise|rose|"
                      r"fall|fell|improve[ds]?|worse|better|compare[ds]?|change[ds]?|higher or lower|more or less)\b")


#: A passage that gives last year's figure in its own words.
_SAYS_YEAR_BEFORE = re.compile(r"\b(?:last|previous|prior) (?:financial )?(?:year|yr)\b|\ba year (?:ago|earlier|before)\b",
                               re.IGNORECASE)


def _year_before_asked(u: Understanding, cited_periods: list[str], answer: str = "") -> tuple[str, ...]:
    """"Q3 last year", "the same quarter last year": a quarter of the year before the cited report's own
    ("2023-24" of a Q3 2024-25 report), which the answer must be about, unless it says "last year" itself
    ("compared to 1,146 in the same quarter last year"). Without a quarter, "last year" is not read
    (passages say "over the last year" of their own)."""
    if not any(d.relative == -1 and d.precision == "financial_year" for d in u.dates) or _SAYS_YEAR_BEFORE.search(answer):
        return ()
    if not (_BARE_QUARTER.search(u.lower) or re.search(r"\bsame quarter\b", u.lower)):
        return ()
    years = [m for p in cited_periods for m in [re.search(r"\b(20\d\d)-(\d\d)\b", p)] if m]
    return tuple(dict.fromkeys(f"{int(m.group(1)) - 1}-{int(m.group(2)) - 1:02d}" for m in years))


def _periods_asked(u: Understanding) -> tuple[str, ...]:
    """The years and quarters a question names, which an answer must be about. "Last year" is read
    against the plan, and its passages say "over the last twelve months", so it is not one."""
    periods = tuple(d.fy_label or d.text for d in u.dates if d.relative is None and
                    (d.fy_label or d.precision == "year") and re.search(r"\d", d.fy_label or d.text))
    # a quarter asked ("Q4 24/25") must be the quarter the passage or row reports
    quarters = tuple(f"quarter {q.group(1)}" for d in u.dates if d.precision == "quarter" and d.relative is None
                     for q in [re.search(r"\bq(?:uarter|tr)?\s*([1-4])\b", d.text)] if q)
    # ... a quarter without its year too ("at the end of Q2"): the report's own quarter, or none
    # (not one a change is measured from: "up or down on Q2?" is answered by "the previous quarter")
    quarters = quarters or tuple(dict.fromkeys(f"quarter {m.group(1)}" for m in _BARE_QUARTER.finditer(u.lower)
                                               if not COMPARED_WITH_PERIOD.search(u.lower[:m.start()])))
    # ... and the year of a quarter asked ("Q3 2022/23": 2022/23), which the answer must be of too
    years = tuple(y.group(0) for d in u.dates if d.precision == "quarter" and d.relative is None
                  for y in [_QUARTER_YEAR.search(d.text)] if y and y.group(0) not in periods)
    return periods + quarters + years


#: A target asked for ("the 2019-20 target", "target for 2019-20"), not a measure's name ("within target").
_ASKS_TARGET_OF = re.compile(r"(?<!within )(?<!on )(?<!against )(?<!to )\btargets? (?:for|in|of|set)\b|"
                             r"\b(?:19|20)\d\d[-/]\d\d targets?\b|\bwhat(?:'s| is| was| were) the (?:[\w-]+ )?targets?\b")
#: The words a short follow-up starts with before what it names ("and the", "what's its").
_LEADING_FUNCTION_WORDS = re.compile(r"^(?:(?:and|so|what|whats|what s|is|the|its|their|about|how|much)\s+)+")
#: A quarter named on its own: "Q2", "quarter 2", "qtr 2".
_BARE_QUARTER = re.compile(r"\bq(?:uarter|tr)?\s*([1-4])\b")
#: The financial year written with a quarter ("Q3 2022/23", "quarter 3 of 2024-25").
_QUARTER_YEAR = re.compile(r"\b(?:19|20)\d\d\s*[/-]\s*\d{2,4}\b")


def _period_holds(span: str, asked: str) -> bool:
    """Whether a document's period ("2022-25", "2025-26 to 2034-35", "Q3 2024-25") holds the year asked
    ("2023-24", a financial year, must start before the span ends; "2024", a calendar year, may be its last)."""
    start = re.match(r"((?:19|20)\d\d)", asked)
    bounds = [int(y) for y in re.findall(r"(?:19|20)\d\d", span)]
    bounds += [bounds[-1] // 100 * 100 + int(y) for y in re.findall(r"(?<=[-–/])(\d\d)\b", span)] if bounds else []
    if not start or not bounds:
        return False
    year, first, last = int(start.group(1)), min(bounds), max(bounds)
    return first <= year < last if re.search(r"[-–/]", asked) else first <= year <= last


class Assistant:
    """Answers questions over one `Settings.home`. Thread-safe for sequential use; `warm()` preloads."""

    def __init__(self, settings: Settings | None = None, llm: Any = None) -> None:
        from assistant.router.llm import LLMPlugin

        self.settings = settings or Settings()
        self.db = Database(self.settings)
        self._retriever: Any = None
        self.llm: LLMPlugin | None = LLMPlugin(llm) if llm is not None else None
        self._llm_spec_loaded = llm is not None
        self.tables = TableAnswerer(self.db, self._scope_names)   # aggregates over any table's own columns

    # ------------------------------------------------------------------ public API

    def warm(self) -> "Assistant":
        """Open the database, read the lexicon, load the search index and the embedding model."""
        self.db.lexicon()
        self.db.derived("cells", CellIndex.load)   # the table cells, read once per database file
        self.retriever.warm()
        with single_threaded_torch():
            self._search("warm up", Conditions(), kind=None, tables=None, k=1)
        return self

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        """Answer one question (no conversation context)."""
        return self.respond(question, filters).answer

    def respond(self, question: str, filters: Filters | None = None, context: Context | None = None) -> Reply:
        """Answer one question, resolving follow-ups against `context`. A fault of the router itself costs
        that one answer (logged, and said plainly, abstain_reason "internal_error"), never the session."""
        try:
            return self._respond(question, filters, context)
        except PlanAssistantError:
            raise
        except Exception as exc:  # noqa: BLE001 - the last guard between a router bug and the user
            log.error("answering %r failed: %s: %s", str(question)[:200], type(exc).__name__, exc)
            log.debug("the failure's traceback", exc_info=True)
            said = (f"Sorry - answering this failed inside the assistant ({type(exc).__name__}); it has been "
                    "logged. Please ask it another way.")
            return Reply(Answer(question=str(question or ""), route="none", answer=said, abstained=True,
                                explanation=f"internal error: {type(exc).__name__}: {exc}",
                                abstain_reason="internal_error"), context or Context())

    def _respond(self, question: str, filters: Filters | None, context: Context | None) -> Reply:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        problem = self._check(question)
        if problem:
            reply = Reply(Answer(question=str(question or ""), route="none", answer=problem, abstained=True,
                                 explanation="rejected before routing", abstain_reason="bad_question"),
                          context or Context())
        else:
            lexicon = self.db.lexicon()
            unknown = _unknown_filter(filters or Filters(), lexicon)
            if unknown:
                return Reply(Answer(question=question, route="none", answer=unknown, abstained=True,
                                    explanation="a filter matches nothing in the documents",
                                    abstain_reason="unknown_filter"), context or Context())
            if context is not None and context.said:   # "which dvm action ..." after "derwent valley mills ..."
                question = initials_of_previous(question, context.said, lambda w: w in lexicon.vocabulary or (
                    w in lexicon.initials or any(w == fold(a) for d in lexicon.departments for a in (d.name, *d.aliases))))
                # "who leads the action on that strategy?" after an answer naming one strategy
                question = name_pointed_back(question, _previous_answer(context))
            compared = compared_with(question) if context is not None and context.said else None
            if compared:   # "how does that compare with CCP's 3.5t tippers?": both figures and their difference
                reply = self._compared_turns(question, compared, filters, context, t0)
                if reply is not None:
                    return reply
            dated = dated_against(question) if context is not None and context.said else None
            if dated:   # "does the ford one start before that?": its date, set against the previous one's
                reply = self._dated_turns(question, dated, filters, context, t0)
                if reply is not None:
                    return reply
            # "Hi - ... Who leads X and when is it due?": split after the greeting and context are dropped
            parts = split_compound(_scope_kept(strip_preamble(question), question, lexicon)) or split_compound(question)
            if parts:
                return self._compound(question, parts, filters, context, t0)
            context = _with_rows_counted(question, context)
            u = understand(question, lexicon)
            listed = _listed_item(question, context)
            if listed:   # "how many 4 year deliverables are under the first one?" after a listed answer
                u = replace(understand(listed, lexicon), question=question)
            shifted = period_shifted(question, context) or period_carried(question, context) or \
                periods_apart(question, context)
            if shifted:   # "and the year before?" after a question of 2018-19: the same question of 2017-18
                u = replace(understand(shifted, lexicon), question=question)
            named_back = items_named_back(question, context)
            if named_back:   # "and their capital combined?" after "Green and Vibrant gross revenue combined"
                u = replace(understand(named_back, lexicon), question=question)
            swapped = subject_swapped(u, context)
            if swapped:   # "and for the falls programme?" after a passage: the same question of it
                u = replace(understand(swapped, lexicon), question=question)
            added = self._added_to_table_question(u, question, context, filters or Filters(), lexicon)
            own_departments = u.departments
            u = self._captions_in_scope(self._asked_elsewhere(u if swapped else resolve_follow_up(u, context), context))
            timings["understand"] = (time.perf_counter() - t0) * 1000
            reply = added or self._route(u, filters or Filters(), context or Context(), lexicon, timings)
            if reply.answer.abstained and u.departments != own_departments and not own_departments and \
                    not POINTS_BACK.search(u.lower):
                # "and the fresh meat one?" after a CCP contract: the department carried over from the
                # previous turn held nothing that answers; the question, which names its own subject
                # ("it" would be the previous one's), asked of every department
                wider = self._route(replace(u, departments=()), filters or Filters(), context or Context(), lexicon,
                                    timings)
                reply = reply if wider.answer.abstained else wider
            if reply.context.intent is None:
                reply = Reply(reply.answer, replace(reply.context, intent=u.intent, value_kind=u.value_kind))
            reply = Reply(reply.answer, replace(reply.context, route=reply.answer.route, question=u.text,
                                                said=_said_lately(u.text, reply.answer.answer, context),
                                                section=_read_from(reply.answer) or reply.context.section,
                                                recent=_recent_rows(reply, context),
                                                periods=_periods_lately(u, reply, context),
                                                cell_row=reply.context.cell_row or self._row_quoted(reply.answer)))
        timings["total"] = (time.perf_counter() - t0) * 1000
        return Reply(replace(reply.answer, timings_ms=timings), reply.context)

    def _compound(self, question: str, parts: list[str], filters: Filters | None, context: Context | None,
                  t0: float) -> Reply:
        """Two items asked about at once ("X and Y - when are they due?"): each answered, then joined."""
        replies: list[Reply] = []
        item = _shared_item(parts)
        for part in parts:  # each part after the one before it: "... and when is it due?" asks of the same row
            previous = replies[-1].context if replies and not replies[-1].answer.abstained else context
            bare = part[len(item):] if item else ""
            if replies and bare and previous is not None and len(previous.keys) == 1 and previous.table and \
                    named_field(bare.lower(), previous.table):
                # "X - when's it due and what's the output?": a column of the row the first ask found
                reply = self.respond(bare, filters, previous)
                if not reply.answer.abstained:
                    replies.append(reply)
                    continue
            director = self._director_of_row(part, previous) if replies and previous is not None else None
            if director is not None:   # "... which key service is it and who are the directors?"
                replies.append(director)
                continue
            replies.append(self.respond(part, filters, previous if _REFERS_BACK.search(part) else context))
        answers = [r.answer for r in replies]
        text = "\n".join(f"- {a.answer}" for a in answers)
        citations = dedupe_citations([c for a in answers for c in a.citations], MAX_CITATIONS)
        answered = [a for a in answers if not a.abstained]
        answer = Answer(question=question, route=answered[0].route if answered else "none", answer=text,
                        abstained=not answered, confidence=min(a.confidence for a in answers), citations=citations,
                        sql=";\n".join(a.sql for a in answers if a.sql),
                        abstain_reason=None if answered else answers[0].abstain_reason,
                        explanation="compound question, asked as: " + " | ".join(parts),
                        timings_ms={"total": (time.perf_counter() - t0) * 1000})
        return Reply(answer, replies[-1].context)

    def _compared_turns(self, question: str, compared: ComparedWith, filters: Filters | None, context: Context,
                        t0: float) -> Reply | None:
        """The previous item's figure (its field named, or the one just given) and the other item's, asked
        as follow-ups, then how far apart they are; None when either side gives no one figure."""
        first = self.respond(f"and its {compared.field}?", filters, context) if compared.field else None
        if first is not None and first.answer.abstained:
            return None
        mine = final_figure(first.answer.answer if first else _previous_answer(context))
        if mine is None:
            return None
        second = self.respond(other_question(compared), filters, first.context if first else context)
        theirs = None if second.answer.abstained else final_figure(second.answer.answer)
        if theirs is None:
            return None
        answers = [a.answer for a in (first, second) if a is not None]
        gap = difference_sentence(compared, mine, theirs, "the first" if first else "the previous answer")
        text = "\n".join([a.answer for a in answers] + [gap])
        answer = Answer(question=question, route=second.answer.route, answer=text,
                        confidence=min(a.confidence for a in answers),
                        citations=dedupe_citations([c for a in answers for c in a.citations], MAX_CITATIONS),
                        sql=";\n".join(a.sql for a in answers if a.sql),
                        explanation="compared with the previous item, asked as: " + " | ".join(a.question for a in answers),
                        timings_ms={"total": (time.perf_counter() - t0) * 1000})
        return Reply(answer, second.context)

    def _dated_turns(self, question: str, dated: DatedAgainst, filters: Filters | None, context: Context,
                     t0: float) -> Reply | None:
        """"Does the ford one start before that?": the other item asked as a follow-up ("and the ford one?"),
        its start (or end) set against the one the previous answer gave; None when either gives no date."""
        mine = date_said(_previous_answer(context), dated.ends)
        if mine is None:
            return None
        other = self.respond(f"and {dated.other}?", filters, context)
        theirs = None if other.answer.abstained else date_said(other.answer.answer, dated.ends)
        if theirs is None:
            return None
        text = f"{dated_sentence(dated, dated.other, theirs, mine)}\n{other.answer.answer}"
        answer = replace(other.answer, question=question, answer=text,
                         explanation="set against the previous item's date, asked as: " + other.answer.question,
                         timings_ms={"total": (time.perf_counter() - t0) * 1000})
        return Reply(answer, other.context)

    @property
    def retriever(self) -> Any:
        if self._retriever is None:
            from assistant.retrieval import Retriever

            self._retriever = Retriever(self.settings)
        return self._retriever

    def plugin(self) -> Any:
        """The optional LLM plug-in, built once from `settings.llm`."""
        if not self._llm_spec_loaded:
            from assistant.router.llm import LLMPlugin

            self._llm_spec_loaded = True
            self.llm = LLMPlugin.from_spec(self.settings.llm)
        return self.llm

    # ------------------------------------------------------------------ validation

    def _check(self, question: Any) -> str | None:
        if not isinstance(question, str):
            return "Please ask the question as text."
        if not question.strip():
            return "Please type a question, for example: Who leads the Channel Shift strategy?"
        limit = self.settings.max_question_chars
        if len(question) > limit:
            return (f"The question is too long ({len(question):,} characters; the limit is {limit:,}). "
                    "Please ask it in a sentence or two.")
        if not re.search(r"[A-Za-z0-9]", question):
            return "The question has no words in it; please ask in words, for example: When is action 37 due?"
        return None

    # ------------------------------------------------------------------ routing

    def _route(self, u: Understanding, filters: Filters, context: Context, lexicon: Lexicon,
               timings: dict[str, float]) -> Reply:
        """The typed answerers' reply; when they abstain for want of a match, one cell of any table
        whose row label and column header the question names (cells.py)."""
        reply = self._route_typed(u, filters, context, lexicon, timings)
        if not reply.answer.abstained or reply.answer.abstain_reason not in CELL_FALLBACK_CODES:
            return reply
        cell = self._cell(u, self._scope(u, filters, lexicon), lexicon)
        if cell is None:
            return reply
        return Reply(replace(cell.answer, explanation=f"{cell.answer.explanation}; answered by cell after "
                                                      f"{reply.answer.abstain_reason}"), cell.context)

    def _cell(self, u: Understanding, scope: Conditions, lexicon: Lexicon, strong: bool = False,
              kinds: tuple[str, ...] | None = None, share: bool = False, context: Context | None = None
              ) -> Reply | None:
        """An answer from one table cell named by row label and column header, verified like any other;
        `strong`: only a cell whose row name the question says and whose match is near complete; `share`:
        the cell's share of the total row below it (share_of_total.py); `context`: a follow-up naming no
        column ("and ETE's van - 2.0t?") asks the column the previous cell answer read."""
        index = self.db.derived("cells", CellIndex.load)
        # (a year that only named the documents of that period still names a table's column for it:
        # "care leavers service 25/26 - income?" of a budget book whose columns are "2025-26 Income")
        periods = tuple(d.fy_label for d in (u.dates or parse_dates(u.text)) if d.fy_label)
        councils = {d.doc_id: d.council for d in lexicon.documents}
        skip = frozenset(stem(w) for c in scope.councils for w in re.findall(r"[a-z]+", c.lower()))
        # words that named the documents ("the qpr") name no cell's row; nor, for a role ("which
        # director is named for public health kpis"), a one-word noun for the kind of row
        titles = {d.doc_id: d.title for d in lexicon.documents}
        skip |= frozenset(a for d in scope.documents for a in title_acronyms(titles.get(d, "")))
        if kinds is not None and "role" in kinds:
            skip |= frozenset(stem(n) for t in u.tables for n in SYNONYMS.get(t, ())
                              if " " not in n and n not in ROW_QUALIFIERS)
        # "who wrote it": the role that does so ("Author")
        query = cells.role_query(u.text) if kinds is not None and "role" in kinds else u.text
        if kinds is not None and "table" in kinds:
            query = without_period_qualifier(query)   # "which year of the ten-year programme ...": not the row
        as_typed = query   # (a row may write the department as the question does: "GET/DCED")
        query = _departments_spelt_out(query, scope.departments, lexicon)
        if context is not None and context.cell_row and u.follow_up and not share:
            beside = self._cell_beside(u, index, context)
            if beside is not None:   # "and the matching 4 year one?": another column of the same row
                return beside
        header = "" if context is None else context.cell_header or (
            context.row_measure if another_subject(u.lower) else "")   # (a table answer's: "and CCP's tippers?")
        if context is not None and header and u.follow_up and not set(terms(header)) & set(terms(u.text)):
            query, as_typed = (f"{q} {cells.header_name(header)}" for q in (query, as_typed))
        adds = cells.ADDED_UP.search(u.lower) is not None
        # "income plus grants combined": the adding words name no row or column ("in total" may name a
        # table's Total row: "how many vehicles in total are being replaced")
        skip |= cells.adding_words(u.lower) - {stem("total")}
        if len(periods) >= 2:   # "how big is the swing from 2025-26 to 2026-27": words of a change name no cell
            skip |= frozenset(stem(w) for m in line_measures.ASKS_CHANGE.finditer(u.lower) for w in m.group(0).split())
            skip |= frozenset(stem(w) for w in _HOW_BIG.findall(u.lower))
        if share:
            query, as_typed = share_query(query), share_query(as_typed)
        cell = None
        # the documents the question seemed to name; then, for a year asked, any document of its
        # councils with a column for that year (a plan named by its period is not a year's figure),
        # taken when it covers the question better
        spellings = (query,) if as_typed == query else (query, as_typed)
        if share:   # (a whole called "the annual exposure total" names no row: the same question without it)
            spellings = tuple(dict.fromkeys((*spellings, *(share_query(q, whole=False) for q in spellings))))
        for documents in dict.fromkeys((scope.documents, ()) if periods else (scope.documents,)):
            allowed = {d for d, c in councils.items() if (not documents or d in documents)
                       and (not scope.councils or c in scope.councils)} if documents or scope.councils else None
            for asked in spellings:
                found = index.best(asked, lexicon, periods=periods, skip=skip, documents=allowed,
                                   period_header=documents != scope.documents,
                                   kinds=frozenset(kinds) if kinds is not None else None,
                                   any_period=period_extreme(u.lower) is not None)
                if share and found is not None and found.row.is_total and own_total_columns(u.lower, found.row) is None:
                    continue   # the whole's own row is no part of it
                if found is not None and (cell is None or found.score > cell.score):
                    cell = found
        if cell is None or (strong and (cell.score < CELL_STRONG or (cell.label_cover < cells.LABEL_ACCEPT
                                                                       and cell.name_said < cells.NAME_SAID))):
            return None
        if share:
            return self._share_of_total(u, index, cell)
        extreme = period_extreme(u.lower)
        within, numbered = asked_range(u)
        text = (cells.period_extreme(index, cell, extreme == "min", within, numbered,
                                     move=extreme if extreme in ("fall", "rise") else None) if extreme else None) or \
            cells.period_sentence(cell, periods, change=bool(line_measures.ASKS_CHANGE.search(u.lower))) or \
            cells.sentence(cell)
        # another column of the same row the question names ("... - which directorate, and how likely?")
        also = [f"{' '.join(h.split())} {v.strip()}" for i, (h, v) in enumerate(zip(cell.row.header, cell.row.cells))
                if i != cell.column and h and v and v.strip() and names_column(u.lower, h.strip().lower())]
        if also:
            text = text.rstrip(".") + "; " + "; ".join(also) + "."
        added = cells.added_columns(u.text, cell) if adds else None
        text = added or text
        citation = index.cite(cell, self.db)
        verdict = verify(u.text, text, f"{citation.quote} {citation.section} {citation.title}", lexicon,
                         periods=periods, asked=u.typed, quoted=True)
        if not verdict.ok:
            log.info("cell answer %r refused: %s", text, verdict.code)
            return None
        columns, rows = cells.columns_and_rows(cell)
        answer = Answer(question=u.question, route="sql", answer=text, confidence=round(min(0.95, cell.score), 3),
                        citations=(citation,), columns=columns, rows=rows,
                        explanation=f"{u.explain()}; cell={cell.row.table_id}:{cell.header!r}")
        # the typed row the cell's table row was read into, for a follow-up about another of its fields
        typed = self.db.typed_row_at(cell.row.table_id, cell.row.line_start) if cell.row.kind == "table" else None
        return Reply(answer, Context(table=typed[0] if typed else None, keys=(typed[1],) if typed else (),
                                     topic=u.topic, departments=scope.departments, councils=scope.councils,
                                     documents=(cell.row.doc_id,), cell_header=cell.header,
                                     cell_row=(cell.row.table_id, cell.row.line_start)))

    def _row_quoted(self, answer: Answer) -> tuple[str, int] | None:
        """(table, line) of the table row a passage's answer quotes first, or a one-row SQL answer cites:
        "and the matching 4 year one?", "and the annual charge per vehicle?" read another of its columns."""
        if answer.abstained or not answer.citations or not (
                answer.route == "text" or answer.route == "sql" and len(answer.citations) == 1):
            return None
        cited = answer.citations[0]
        if cited.line_start != cited.line_end:
            return None
        index = self.db.derived("cells", CellIndex.load)
        row = next((r for r in index.rows if r.file == cited.file and r.line_start == cited.line_start
                    and r.kind == "table"), None)
        return (row.table_id, row.line_start) if row is not None else None

    def _cell_beside(self, u: Understanding, index: CellIndex, context: Context) -> Reply | None:
        """"And the matching 4 year one?" after a cell: the column the follow-up names of the same row."""
        table, line = context.cell_row or ("", 0)
        row = next((r for r in index.rows if r.table_id == table and r.line_start == line and r.kind == "table"), None)
        column = cells.other_column_asked(u.typed or u.text, row, context.cell_header) if row is not None else None
        if row is None or column is None:
            return None
        if u.intent == "who" and role_of(row.header[column]) != "lead":
            return None   # "whose pledge was it?": a person, never the pledge's own column
        label = cells.label_of(row, column, set(terms(u.text)))
        cell = cells.Cell(row, column, label, 1.0, 1.0, 1.0)
        text = cells.sentence(cell) if label != "this row" else \
            f"{' '.join(cell.header.split())}, in the same row: {tidy(cell.value).rstrip('.')}."   # (long names)
        columns, rows = cells.columns_and_rows(cell)
        answer = Answer(question=u.question, route="sql", answer=text, confidence=0.9,
                        citations=(index.cite(cell, self.db),), columns=columns, rows=rows,
                        explanation=f"{u.explain()}; cell beside the previous one={table}:{cell.header!r}")
        typed = self.db.typed_row_at(table, line)   # (its typed row, for "which priority's that under?")
        return Reply(answer, Context(table=typed[0] if typed else None, keys=(typed[1],) if typed else (),
                                     topic=u.topic, documents=(row.doc_id,), cell_header=cell.header,
                                     cell_row=(table, line)))

    def _described_row(self, u: Understanding, scope: Conditions, lexicon: Lexicon) -> Reply | None:
        """"Occupational therapy equipment in ASCH - which key service is it?": the row of a table of
        described rows whose name and description hold the question's words (described_rows.py)."""
        index = self.db.derived("cells", CellIndex.load)
        rows = [r for r in index.rows if r.kind == "table" and (not scope.documents or r.doc_id in scope.documents)]
        skip = frozenset(terms(" ".join(self._scope_names(scope.departments, scope.councils))))
        found = find_described(rows, u.text, lexicon.idf, skip)
        if found is None:
            return None
        cell = cells.Cell(found.row, found.description_column, found.row.cells[found.name_column], found.cover, 1.0, 1.0)
        columns, table_rows = cells.columns_and_rows(cell)
        said = described_sentence(found)
        director = section_director(index.rows, found.row) if ASKS_DIRECTOR.search(u.lower) else None
        if director is not None:   # "... and who are the directors?": the section's office holder
            said = f"{said} {director[0]}"
        answer = Answer(question=u.question, route="sql", answer=said,
                        confidence=round(min(0.9, found.cover), 3), citations=(index.cite(cell, self.db),),
                        columns=columns, rows=table_rows,
                        explanation=f"{u.explain()}; row described={found.row.table_id}:{found.row.line_start} "
                                    f"({found.cover:.2f} of the question's words)")
        return Reply(answer, Context(topic=u.topic, documents=(found.row.doc_id,), cell_header=cell.header,
                                     cell_row=(found.row.table_id, found.row.line_start)))

    def _director_of_row(self, part: str, previous: Context) -> Reply | None:
        """"Who are the directors?" asked with a row just found by its description: the director of the
        section the row is printed in (described_rows.section_director)."""
        if not previous.cell_row or not ASKS_DIRECTOR.search(part.lower()):
            return None
        index = self.db.derived("cells", CellIndex.load)
        table, line = previous.cell_row
        row = next((r for r in index.rows if r.table_id == table and r.line_start == line and r.kind == "table"), None)
        director = section_director(index.rows, row) if row is not None else None
        if director is None:
            return None
        said, role = director
        answer = Answer(question=part, route="sql", answer=said, confidence=0.9,
                        citations=(index.cite(cells.Cell(role, len(role.cells) - 1, role.cells[0], 1.0, 1.0, 1.0), self.db),),
                        explanation="the director of the section the previous row is printed in")
        return Reply(answer, previous)

    def _share_of_total(self, u: Understanding, index: CellIndex, cell: cells.Cell) -> Reply | None:
        """"Borrowing as a % of capital financing in 2025-26": the cell's share of its table's total row,
        citing both rows; "what % of total borrowing was spent in prior years": one column of the row
        over its own total column."""
        own = own_total_columns(u.lower, cell.row)
        if own is not None:
            text = own_share_sentence(cell.row, cell.label, *own)
            if text is None:
                return None
            columns, rows = cells.columns_and_rows(cells.Cell(cell.row, own[0], cell.label, cell.score, 1.0, 1.0))
            answer = Answer(question=u.question, route="sql", answer=text, confidence=round(min(0.95, cell.score), 3),
                            citations=(index.cite(cell, self.db),), columns=columns, rows=rows,
                            explanation=f"{u.explain()}; share of the row's total={cell.row.table_id}:"
                                        f"{cell.row.header[own[0]]!r}/{cell.row.header[own[1]]!r}")
            return Reply(answer, Context(topic=u.topic, documents=(cell.row.doc_id,)))
        total = total_below(index, cell)
        text = share_sentence(cell, total) if total is not None else None
        if text is None:
            return None
        whole = cells.Cell(total, cell.column, row_name(total), cell.score, 1.0, 1.0)
        citations = (index.cite(cell, self.db), index.cite(whole, self.db))
        columns, rows = cells.columns_and_rows(cell)
        answer = Answer(question=u.question, route="sql", answer=text, confidence=round(min(0.95, cell.score), 3),
                        citations=citations, columns=columns, rows=(*rows, tuple(total.cells)),
                        explanation=f"{u.explain()}; share of total={cell.row.table_id}:{cell.header!r}")
        return Reply(answer, Context(topic=u.topic, documents=(cell.row.doc_id,)))

    def _added_to_table_question(self, u: Understanding, question: str, context: Context | None, filters: Filters,
                                 lexicon: Lexicon) -> Reply | None:
        """A follow-up to a table aggregate ("only the CCP ones", "what do they cost in total?", "the
        largest of those?"): the previous question with the new words, answered from the same table."""
        if context is None or not context.table_question or not (
                u.follow_up or refers_to_rows(u.lower) or is_what_about(u.lower) or re.match(r"^\s*only\b", u.lower)
                or bare_operation(u) or _terse_operation(u)):   # "which is more negative?", "combined capital cost?"
            return None
        if any(w not in OPERATION_WORDS for w in u.unknown_terms):
            return None   # "what resale value are they expecting?": a word the documents never use asks of no column
        columns = tuple(v for _, c, v in u.groups if c == "measure")
        if context.table_op in ("max", "min") and context.keys and asks_only_fields(u.lower, columns):
            return None   # "and its income?" after the largest line: a column of that line (the typed rows')
        own = table_ops.operation(u.lower, u.intent)
        found = comparative(u.lower) or operation_of(u.lower)
        if own is None and u.intent in ("when", "who", "target"):
            return None  # "when does it start?": a field of the rows, not a new aggregate
        op = (own, found[1] if found else True) if own else None
        if op is None and (u.intent == "how_much" and refers_to_rows(u.lower) or
                           _AND_THE.match(u.lower) and context.table_op in ("count", "sum")):
            # "what's the capital cost of those?", "and the yearly charge?" after a count or a total: their
            # figures of that column, added up
            op = ("sum", True)
        merged = self._captions_in_scope(understand(f"{context.table_question} {question}", lexicon))
        reply = self.tables.answer(merged, self._scope(merged, filters, lexicon), lexicon, op=op)
        if reply is None or not reply.answer.citations:
            return None   # (no row at all: "and highway road safety's net?" asks a row, not a narrower list)
        answer = replace(reply.answer, question=question, explanation=f"{reply.answer.explanation}; follow-up of "
                                                                         f"{context.table_question!r}")
        return Reply(answer, reply.context)

    def _route_typed(self, u: Understanding, filters: Filters, context: Context, lexicon: Lexicon,
                     timings: dict[str, float]) -> Reply:
        scope = self._scope(u, filters, lexicon)
        if any(d.relative is not None for d in u.dates):
            year = self.db.reference_year(scope.documents, u.tables)
            if year is not None:
                u = replace(u, dates=tuple(d.resolve(year) for d in u.dates))
        if u.intent in ("explain", "unknown") and sum(1 for d in u.dates if d.fy_label) >= 2 and _COMPARE.search(u.lower):
            u = replace(u, intent="how_much")  # "did X go up or down between 2017-18 and 2018-19"
        facts = Facts(gap=self._out_of_corpus(u, lexicon), plugin=self.plugin() is not None,
                      absent=bool(self._absent_in_scope(u, scope)))
        steps = decide(u, context, scope, facts)
        for step in steps:
            try:
                reply = self._run_step(step, u, scope, context, lexicon, timings)
            except QueryRefused as exc:
                log.warning("%s query refused: %s", step.answerer, exc)
                if step.answerer == "plan":
                    continue
                reply = self._text(u, scope, timings)
            if reply is not None:
                return _with_steps(reply, steps, step)
        raise AssertionError("decide() ends with an answerer that always answers")  # text or abstain

    def _run_step(self, step: Step, u: Understanding, scope: Conditions, context: Context, lexicon: Lexicon,
                  timings: dict[str, float]) -> Reply | None:
        """One answerer of the decision: its reply, or None to pass to the next step."""
        if step.answerer == "abstain":
            hits = [] if step.code == "no_follow_up_context" else None
            return self._abstain(u, step.message, scope, timings, hits=hits, reason_code=step.code or "low_match")
        if step.answerer == "plan":
            reply = self._planned(u, scope, context)
            return self._period_checked(u, scope, timings, reply) if reply is not None else None
        if step.answerer == "aggregate":
            reply = self._aggregate(u, scope, context)
            if reply is None or reply.answer.rows:
                return reply
            # nothing matched: a passage may still answer (one that gives what is asked); else say "none",
            # if we understood it all
            text = self._verified(u, scope, timings, self._text(u, scope, timings))
            return text if not text.answer.abstained or residual_terms(u) else reply
        if step.answerer == "row_part":
            return self._row_part(u, context)
        if step.answerer == "row_narrative":
            found = self._row_narrative(u, scope, timings)
            return self._verified(u, scope, timings, found) if found is not None else None
        if step.answerer == "row_field":
            found = self._row_field(u, scope, timings)
            return self._verified(u, scope, timings, found) if found is not None else None
        if step.answerer == "table_op":
            tables = self.tables
            # ("and ETE's 4x4s - how many altogether?" after a CCP row: a count of that table's rows)
            before = tables.tables_of(context)
            found = tables.answer(u, scope, lexicon) or tables.answer(
                u, scope, lexicon, tables=before, counts_rows=table_ops.counts_altogether(u.lower) and not u.people)
            if found is None and before and context.row_measure and u.follow_up and \
                    not set(terms(context.row_measure)) & set(terms(u.text)):
                # "which other highways lines are negative?" after a line's net budget: of that column
                measured = replace(u, text=f"{u.text} {context.row_measure}", lower=f"{u.lower} {context.row_measure.lower()}")
                found = tables.answer(measured, scope, lexicon, tables=before)
            return found
        if step.answerer == "described_row":
            return self._described_row(u, scope, lexicon)
        if step.answerer == "who_in_group":
            return self._who_in_group(u, scope, context)
        if step.answerer == "row_fact":
            reply = self._row_fact(u, scope, context, timings)
            if reply is None:
                return None
            verified = self._verified(u, scope, timings, self._prefer_prose_figure(u, scope, context, timings, reply))
            if verified.answer.abstained and verified.answer.abstain_reason in _OFF_TOPIC and not reply.answer.abstained:
                # the nearest row is about something else (or not of the name asked): a table cell the question
                # names, else the later steps ("when did adoptions east midlands become operational": a passage)
                return self._cell(u, scope, lexicon)
            if verified.answer.abstained and verified.answer.abstain_reason == "period_not_covered":
                # the row has no figure for the year asked: a table by year may (else the row's answer stands)
                return self._cell(u, scope, lexicon) or verified
            return verified
        if step.answerer == "llm_sql":
            return self._llm_sql(u, scope)
        if step.answerer == "cell":
            return self._cell(u, scope, lexicon, strong=step.kinds is None, kinds=step.kinds, context=context)
        if step.answerer == "share":
            return self._cell(u, scope, lexicon, kinds=("table",), share=True)
        if step.answerer == "text":
            # "and that area's budget?": the passages of the section the previous answer was read from
            # (a short question right after a passage's answer, "how many community locations?", asks of it too,
            # when that passage's section says every word of it)
            near = context.section if POINTS_BACK.search(u.lower) or u.follow_up or (
                context.route == "text" and len(content_terms(u.topic)) <= SHORT_TOPIC_TERMS) else None
            reply = self._text(u, scope, timings, near=near)
            reply = self._verified(u, scope, timings, reply) if step.verify else reply
            return self._said_again(u, scope, timings, context, reply)
        raise ValueError(f"unknown answerer {step.answerer!r}")

    def _said_again(self, u: Understanding, scope: Conditions, timings: dict[str, float], context: Context,
                    reply: Reply) -> Reply:
        """A follow-up asking who or which things, whose passage answer only quotes again the row the
        previous answer was ("which pharmacies will deliver it?" after a contract's value: its own line),
        with no word the previous answer did not say, names nobody new: an abstention that says so. (A
        row the previous answer gave only part of may still answer, and a figure it gave may be asked
        again: "how many community locations?")"""
        a = reply.answer
        if a.abstained or a.route != "text" or not a.citations or not u.follow_up or not context.keys or \
                not context.table or context.table not in semantics() or not context.said:
            return reply
        if not _ASKS_WHO_OR_WHICH.match(u.lower) or not set(terms(a.answer)) <= set(terms(context.said)):
            return reply   # ("how many community locations?" after a pledge that says "12": the same line answers)
        row = self._one_row(semantics()[context.table], context.keys[0])
        if row is None or not row.get("file"):
            return reply
        start, end = int(row.get("line_start") or 0), int(row.get("line_end") or row.get("line_start") or 0)
        if any(c.file != row["file"] or c.line_start < start or c.line_end > end for c in a.citations):
            return reply
        return self._abstain(u, f"{DONT_SAY}: they say no more about it than the line already given "
                                f"({a.citations[0].quote.strip()[:SAID_AGAIN_CHARS]}).", scope, timings,
                             confidence=a.confidence, reason_code="unverified", citations=list(a.citations))

    def _period_checked(self, u: Understanding, scope: Conditions, timings: dict[str, float], reply: Reply) -> Reply:
        """A table answer to a question naming a year, from a table with no dates of its own ("the CCP net
        budget for 2021/22" from the 2020/21 budget): an abstention unless the answer, its rows or the
        section, caption or document it cites is of that year."""
        a = reply.answer
        table = reply.context.table
        if a.abstained or a.route != "sql" or not table or table not in semantics() or semantics()[table].date_roles():
            return reply
        documents = {d.doc_id: d.period for d in self.db.lexicon().documents}
        spans = [documents.get(Path(c.file).stem) or "" for c in a.citations]
        said = " ".join([a.answer, *spans, *(f"{c.quote} {c.section} {c.title}" for c in a.citations),
                         *(str(v) for row in a.rows[:MAX_CITATIONS] for v in row if v is not None)]).lower()
        missing = [p for p in _periods_asked(u) if not any(form in said for form in period_spellings(p))
                   and not any(_period_holds(span, p) for span in spans)]
        if not missing:
            return reply
        where = a.citations[0].section.split(" > ")[-1] if a.citations and a.citations[0].section else ""
        nearest = f" The nearest answer, from {where!r}: {a.answer}" if where else f" The nearest answer: {a.answer}"
        return self._abstain(u, f"{DONT_SAY}: nothing that comes close is about {missing[0]}.{nearest}", scope, timings,
                             confidence=a.confidence, reason_code="period_not_covered", citations=list(a.citations))

    def _verified(self, u: Understanding, scope: Conditions, timings: dict[str, float], reply: Reply) -> Reply:
        """The reply, or an abstention when its text does not give what the question asks (verify.py)."""
        a = reply.answer
        if a.abstained or (a.route == "sql" and refers_back(u)):
            return reply
        evidence = " ".join(f"{c.quote} {c.section} {c.title}" for c in a.citations)
        if a.route == "text" and a.citations:   # "these Solar PV systems": the paragraph names its subject before
            evidence += " " + self._paragraph_before(a.citations[0])
        evidence += " " + " ".join(str(v) for row in a.rows[:MAX_CITATIONS] for v in row if v is not None)
        periods = _periods_asked(u)
        # what dates the answer besides its own words is read only when a period is asked (a query less)
        # (and the header of a table whose row it quotes: "2018-19" heads the column of a figure)
        spans = {d.doc_id: d.period or "" for d in self.db.lexicon().documents}
        periods += _year_before_asked(u, [spans.get(Path(c.file).stem, "") for c in a.citations[:1]], a.answer)
        dated_by = " ".join([*self.db.section_leads(a.citations[:MAX_CITATIONS]),
                             *self.db.table_headers(a.citations[:MAX_CITATIONS])]) if periods else ""
        if periods:   # ... and the period of the document cited: a Q3 2024-25 report's "Quarter 3" is of 2024-25
            dated_by += " " + " ".join(dict.fromkeys(spans.get(Path(c.file).stem, "") for c in a.citations[:MAX_CITATIONS]))
        # a figure a passage quotes from a table of cuts ("- **TU Facilities Time – £50,000**" is a saving)
        reduction = a.route == "text" and asked_kind(u.lower) == "money" and any(
            semantics()[t].words.reduction for t in self.db.rows_on_lines(a.citations[:MAX_CITATIONS]))
        if u.intent == "when" and _ASKS_FINISH.search(u.lower) and a.citations and (a.route == "text" or a.plan is None):
            # "when will the records office database go live", "when does the gas contract end": a row of a
            # table that dates only when a thing starts (a procurement's start) gives no date it goes live,
            # opens or ends
            quoted = {reply.context.table} if a.route == "sql" and reply.context.table else \
                self.db.rows_on_lines(a.citations[:1])
            if quoted and all(t in semantics() and semantics()[t].date_roles() and
                              all(r.prefix == "start" for r in semantics()[t].date_roles()) for t in quoted):
                return self._abstain(u, f"{DONT_SAY}: the nearest row gives only when it starts, not the date "
                                        f"asked ({_ASKS_FINISH.search(u.lower).group(0)}).", scope, timings,
                                     confidence=a.confidence, reason_code="field_not_given",
                                     said=[(a.answer, a.citations[0])])
        listed = listed_count(u.lower, a.answer) if a.route == "text" else None
        if listed:   # "how many platforms was it on?" of "on Facebook, Instagram and Snapchat": the names counted
            a = replace(a, answer=listed)
            reply = Reply(a, reply.context)
        # (what the question sets aside, "not the golf club earthworks", the answer need not say)
        verdict = verify(SET_ASIDE.sub(" ", u.text), a.answer, evidence, self.db.lexicon(), periods=periods, dated_by=dated_by,
                         reduction=reduction,
                         scope_names=" ".join(self._scope_names(u.departments, u.councils)), passage=a.route == "text",
                         asked=u.typed, quoted=a.route == "sql" and a.plan is None)
        if verdict.ok and a.route == "sql" and a.plan is None:
            # "go up or down between" asks how a measure changed; those words name no row
            changed = {t for m in _COMPARE.finditer(u.lower) for t in terms(m.group(0))} | {stem("between")}
            # a compound is said by its parts, "-wide" by the whole it spans ("council-wide": the row "– Council")
            # ("as a whole" says the same: "the Council as a whole" is the row "– Council")
            parts = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", re.sub(r"(?<=[a-z])-wide\b|\bas a whole\b|\bwhole\b", "",
                                                                u.topic or u.text))
            wanted = [t for t in content_terms(parts)
                      if t != "number" and t not in changed and not t[:1].isdigit()]
            said = f"{a.answer} {evidence}"
            said += " " + " ".join(spelled_out_words(u.text, said))   # "Gypsy, Roma and Traveller" is "GRT"
            covered = weighted_coverage(wanted, said, self.db.lexicon()) if wanted else 1.0
            if covered < ROW_TOPIC_COVERAGE:
                verdict = Verdict(False, "row_off_topic", "the nearest row is about something else")
        if verdict.ok and a.route == "sql" and a.plan is None and scope.departments and \
                not _mentions_department(f"{a.answer} {evidence}", scope.departments):
            verdict = Verdict(False, "row_off_topic", f"the nearest row is not about {' or '.join(scope.departments)}")
        if verdict.ok:
            return reply
        turned_down = [(a.answer, a.citations[0])] if a.route == "text" and a.citations else []
        return self._abstain(u, f"{DONT_SAY}: {verdict.reason}.", scope, timings, confidence=a.confidence,
                             reason_code=verdict.code or "unverified", said=turned_down)

    def _paragraph_before(self, citation: Citation) -> str:
        """The lines of the cited passage's paragraph before it (back to a blank line, at most
        PARAGRAPH_LINES): where "these systems" were named ("... iChoosr's Solar Together opportunity")."""
        lines = self.db.lines(citation.file)
        start = citation.line_start - 1   # 0-based index of the first cited line
        before: list[str] = []
        for i in range(start - 1, max(-1, start - 1 - PARAGRAPH_LINES), -1):
            if i >= len(lines) or not lines[i].strip():
                break
            before.insert(0, lines[i])
        # ... and the heading its paragraphs run under though no font marks it one ("Kent & Medway Local
        # Nature Recovery Strategy (LNRS)" over "In November, the full draft strategy and maps were ...")
        for i in range(min(start, len(lines)) - 1, max(-1, start - 1 - SUBJECT_REACH), -1):
            if opens_as_heading(lines, i) and (i == 0 or not lines[i - 1].strip()):
                before.insert(0, lines[i])
                break
        return " ".join(before)

    def _scope_names(self, departments: tuple[str, ...], councils: tuple[str, ...] = ()) -> list[str]:
        """Every name of these departments and councils (their names and the aliases people use)."""
        lexicon = self.db.lexicon()
        names = [a for d in lexicon.departments if d.name in departments for a in (d.name, *d.aliases)]
        return names + [a for c in councils for a in council_aliases(c, lexicon.councils)]

    def _section_of_previous(self, u: Understanding, context: Context) -> Reply | None:
        """"Which priority area is that under?" after a passage: the headings it was read under (and the
        label of the table row it was, "Sustainable waste and transport | ..."), cited to the section."""
        if not (context.route == "text" and context.section and _UNDER_WHICH.match(u.lower)):
            return None
        file, path = context.section
        answered = _previous_answer(context)
        label = answered.split(" | ", 1)[0].strip() if " | " in answered else ""
        label = label if label and len(label.split()) <= ROW_LABEL_WORDS else ""
        heads = " > ".join(h.strip() for h in path.split(">"))
        text = (f"It is \"{label}\", under {heads}." if label else f"It is under {heads}.")
        start, _ = self.db.section_start(file, path) or (1, 1)   # the section's heading line
        citation = Citation(file=file, title=self.db.doc_titles().get(Path(file).stem, ""), section=path,
                            line_start=start, line_end=start, quote=quote(self.db.lines(file), start, start))
        answer = Answer(question=u.question, route="text", answer=text, confidence=0.8, citations=(citation,),
                        explanation=f"{u.explain()}; the section the previous answer was read from")
        return Reply(answer, context)

    def _planned(self, u: Understanding, scope: Conditions, context: Context) -> Reply | None:
        """A follow-up that edits the previous plan, or an aggregate plan (max/min, sum, group-top)."""
        # "smallest procurements": no row holds "smallest"
        contains = residual_terms(u, extra_skip=frozenset(t for m in (*MAX_WORDS.finditer(u.lower), *MIN_WORDS.finditer(u.lower))
                                                          for t in terms(m.group(0))))
        plan: QueryPlan | None = None
        sibling = self._sibling_row(u, scope, context)   # "and completed?" after "... recruited to"
        if sibling is not None:
            return sibling
        under = self._section_of_previous(u, context)   # "which priority area is that under?" after a passage
        if under is not None:
            return under
        by_how_much = difference_follow_up(self.db, u, context)   # "by how much?" after two totals
        if by_how_much is not None:
            return by_how_much
        if u.departments:   # "ETE's net controllable budget?", "which is bigger, ETE's or CCP's?": printed totals
            named = frozenset(t for n in self._scope_names(scope.departments) for t in terms(n))
            totals = department_totals(self.db, u, scope, named, context)
            if totals is not None:
                return totals
        if context.table and context.keys and context.people and _WHAT_ELSE.search(u.lower) and \
                semantics()[context.table].who:
            # "what else does she lead?": the person's other rows
            plan = QueryPlan("list", context.table, Conditions(person=context.people[0], exclude_keys=context.keys),
                             reason="follow-up: the same person's other rows")
            reply = PlanAnswerer(self.db, self.settings.sql_row_limit).answer(u.question, plan, context)
            if reply is not None:
                return Reply(replace(reply.answer, plan=plan.to_dict()), replace(reply.context, people=context.people))
        field = named_field(u.lower, context.table) if context.table and context.keys else None
        # "which priority outcome is that under?": a kind of row said right after the field's name is its name
        after = re.search(rf"\b{re.escape(field.replace('_', ' '))}\w*\s+([a-z]+)", u.lower) if field else None
        named_tables = set(u.tables) - set(tables_for(after.group(1)) if after else ())
        if field:   # "which shared outcomes does it serve?": a table's noun inside the name of the field asked
            named_tables -= set(tables_for(" ".join(n for n in COLUMN_SYNONYMS.get(context.table or "", {}).get(field, ())
                                                    if n in u.lower)))
        one_row = len(context.keys) == 1 and re.search(r"\b(?:it|its|this|that)\b", u.lower)   # "which ... does it serve?"
        if field and not named_tables - {context.table} and (u.intent not in ("count", "list") or
                                                             (u.intent == "list" and one_row)) and \
                field != semantics()[context.table or ""].what:
            return self._field_of_rows(u, context, field)
        # "and its premises?" after a budget line: a column of the same line ("measure" values of a long-form table)
        columns = tuple(v for t, c, v in u.groups if t == context.table and c == "measure")
        measured = () if columns else self._measure_of_previous(u, context)   # "cost per vehicle?"
        if measured:
            u = replace(u, groups=(*u.groups, (context.table or "", "measure", measured[0])))
        if context.table and context.keys and (asks_only_fields(u.lower, columns) or measured):
            plan = QueryPlan("lookup", context.table, Conditions(keys=context.keys), fields=fields_of(u),
                             reason="follow-up: other fields of the previous rows")
            return self._pick(u, plan, context, scope)
        pair = self._that_or_named(u, scope, context)   # "which starts first - that or the ETC7611 contract?"
        if pair is not None:
            return pair
        if context.table and (context.plan is not None or context.keys):
            previous = context.plan or QueryPlan("list", context.table, Conditions(keys=context.keys))
            if context.plan is not None or points_at(u.lower, context.keys) or asks_same_day(u.lower) or \
                    (bare_operation(u) and len(context.keys) > 1):   # "together?" after two rows
                topic = residual_terms(u, strict=True, extra_skip=_OPERATION_STEMS | _column_stems((context.table,))
                                       | _FOLLOW_UP_STEMS | CHANGE_STEMS)
                plan = edit_plan(u, previous, counted_keys(u.lower, context.keys, context.plan), scope, contains, topic)
            if plan is not None and plan.operation == "lookup":
                return self._pick(u, plan, context, scope)
        if plan is None and not ranks_moves(u.lower):   # (a ranking by change names no items to compare)
            plan = self._items_plan(u, scope)
        if plan is None and (operation_of(u.lower) is not None or ranks_moves(u.lower)):
            strict = residual_terms(u, strict=True, extra_skip=_OPERATION_STEMS | _column_stems(u.tables)
                                    | self._measure_stems(u))
            plan = build_plan(u, scope, tuple(dict.fromkeys(contains + strict)))
        if plan is None:
            return None
        reply = PlanAnswerer(self.db, self.settings.sql_row_limit).answer(u.question, plan, context)
        if reply is None:
            return None
        if plan.reason == "follow-up: filter the previous rows" and plan.conditions.contains and not reply.answer.rows \
                and not re.search(r"\b(?:of|among|out of) (?:those|these|them)\b", u.lower):
            return None   # "... for the ones living in their own home": words no previous row holds ask of a new row
        answer = replace(reply.answer, plan=plan.to_dict(),
                         explanation=f"{u.explain()}; {reply.answer.explanation}")
        ctx = reply.context
        if plan.conditions.keys and not ctx.people and context.people:
            ctx = replace(ctx, people=context.people)  # "those" keep the person they were about
        return Reply(answer, ctx)

    def _measure_of_previous(self, u: Understanding, context: Context) -> tuple[str, ...]:
        """"Cost per vehicle?" after one line of a long-form table (a row per line and column): the one column
        ("measure") of that line whose name holds every word of a short question ("Estimated Capital Cost per
        Vehicle")."""
        sem = semantics().get(context.table or "")
        asked = set(content_terms(u.text))
        if not (sem and context.keys and "measure" in {c.name for c in TABLES_BY_NAME[sem.table].columns}) or not asked or \
                len(re.findall(r"[a-z]+", u.lower)) > MAX_MEASURE_FOLLOW_UP_WORDS:
            return ()
        keys = context.keys[:MAX_CITATIONS]
        query = Query(f"SELECT DISTINCT s.measure FROM {sem.table} s JOIN {sem.table} t ON s.doc_id = t.doc_id AND "
                      f"s.raw_table_id IS NOT DISTINCT FROM t.raw_table_id AND s.raw_row_index IS NOT DISTINCT FROM "
                      f"t.raw_row_index AND s.line_start = t.line_start WHERE t.{sem.key} IN "
                      f"({', '.join('?' * len(keys))})", tuple(keys))
        measures = [str(m) for (m,) in self.db.run(query).rows if m]
        if len(measures) < 2:
            return ()   # one row per line: its "measure" is a text of the row (a pledge's milestone), no column
        named = [m for m in measures if asked <= set(terms(m))]
        if len(named) > 1:   # "cost per vehicle": the one that says the question's words as it says them
            said = _LEADING_FUNCTION_WORDS.sub("", " ".join(re.findall(r"[a-z0-9]+", u.lower)))   # "and the ..."
            named = [m for m in named if has_phrase(" ".join(re.findall(r"[a-z0-9]+", m.lower())), said)]
        return (named[0],) if len(named) == 1 else ()

    def _measure_stems(self, u: Understanding) -> frozenset[str]:
        """Words of a long-form table's column names ("Grants", "Income") once the question names one of
        them ("grant income"): they pick the column, never words a row must hold."""
        if not u.tables or not any(t == u.tables[0] and c == "measure" for t, c, _ in u.groups):
            return frozenset()
        values = self.db.lexicon().groups.get((u.tables[0], "measure"), ())
        return frozenset(t for v in values for t in terms(v))

    def _that_or_named(self, u: Understanding, scope: Conditions, context: Context) -> Reply | None:
        """"Which starts first - that or the street lighting cables contract (ETC7611)?": the ranking asked,
        over the previous answer's one row and the row the rest of the question names."""
        m = _THAT_OR.search(u.lower)
        if m is None or not context.table or len(context.keys) != 1:
            return None
        other = u.text[m.start("other"):m.end("other")] if len(u.text) == len(u.lower) else m.group("other")
        key = self._row_named(replace(u, text=other, lower=other.lower()), scope, context.table)
        plan = build_plan(replace(u, tables=(context.table,)), scope, ())
        if key is None or key in context.keys or plan is None or plan.operation not in ("max", "min"):
            return None
        plan = replace(plan, conditions=Conditions(keys=(context.keys[0], key)), limit=1,
                       reason=f"{plan.operation} of the previous row and the one named")
        return PlanAnswerer(self.db, self.settings.sql_row_limit).answer(u.question, plan, context)

    def _item_bases(self, sem: TableSemantics, base: Conditions) -> Iterator[Conditions]:
        """The filters named items are looked for under, first as the question gives them; then without its
        row qualifier ("revenue" may be a word of one item's name, "Revenue Inflation"); then with each group
        value swapped for another of its column sharing a word ("employee budget" read as the Employees
        column, where these lines' is "Employee Related")."""
        yield base
        if base.contains:
            base = replace(base, contains=())
            yield base
        for column, value in base.groups:
            for other in self.db.lexicon().groups.get((sem.table, column), ()):
                if other != value and set(terms(other)) & set(terms(value)):
                    yield replace(base, groups=tuple((c, other if (c, v) == (column, value) else v)
                                                     for c, v in base.groups))

    def _items_plan(self, u: Understanding, scope: Conditions) -> QueryPlan | None:
        """A sum or comparison of rows the question names one by one ("waste + countryside savings
        together?", "more capital into Vibrant or Working Smarter?")."""
        found = operation_of(u.lower)
        compare, smaller = compares(u.lower)
        if not u.tables or not (compare or (found and found[0] in ("sum", "average", "max", "min"))):
            return None
        sem = semantics()[u.tables[0]]
        if not sem.amount:
            return None
        # (a qualifier said in one item's piece only is a word of that item's name: "high needs v waste capital
        # infrastructure" asks no capital rows of High Needs)
        qualifiers = tuple(stem(w) for w in ROW_QUALIFIERS if re.search(rf"\b{w}\b", u.lower)
                           and not inside_a_name(u.lower, w))
        base = replace(scope, groups=tuple((c, v) for t, c, v in u.groups if t == sem.table), contains=qualifiers)
        items = next(filter(None, (named_items(u.text, u.topic, sem, b, lambda q: self.db.run(q).dicts())
                                   for b in self._item_bases(sem, base))), None)
        if items is None:
            return None
        if found and found[0] in ("sum", "average") and not compare:
            op, descending = found
        else:
            op, descending = ("min", False) if (items.smaller or (found and found[0] == "min")) else ("max", True)
        return QueryPlan(op, sem.table, Conditions(keys=items.keys), measure="amount", descending=descending,
                         limit=len(items.keys), fields=("value",), amount=sem.amount_named(u.lower),
                         items=items.items, reason=f"{op} of the named items")

    def _row_field(self, u: Understanding, scope: Conditions, timings: dict[str, float]) -> Reply | None:
        """"What's the consequence listed for the PROW investment risk?": the column the question names
        (`fields_named`) of the row its other words find."""
        table, field = fields_named(u)
        if table is None or field is None:
            return None
        named = set(terms(field.replace("_", " "))) | set(terms("column listed register behind given says"))
        # "... - what's the consequence if it goes wrong?": the clause names no row
        named |= {t for m in _IF_IT_HAPPENS.finditer(u.lower) for t in terms(m.group(0))}
        topic = " ".join(w for w in u.topic.split() if not set(terms(w)) & named)
        t0 = time.perf_counter()
        picked = self._find_rows(replace(u, topic=topic), scope, (table,)) if terms(topic) else []
        timings["retrieve"] = timings.get("retrieve", 0.0) + (time.perf_counter() - t0) * 1000
        if not picked:
            return None
        # the row and its namesakes (two risks both titled "Market Sustainability", of two directorates)
        return self._field_of_rows(u, Context(table=table, keys=tuple(k for _, k, _ in picked[:MAX_CITATIONS])), field,
                                   first=True)

    def _row_narrative(self, u: Understanding, scope: Conditions, timings: dict[str, float]) -> Reply | None:
        """"contract retender risk: why are retenders dearer?": the sentences of the named row's narrative
        columns that answer why, what could follow or how much more (router.row_narrative)."""
        table = next((t for t in u.tables if narrative_kind(u.lower, t)), None)
        if table is None or semantics()[table].amount_named(u.lower):
            return None   # "the annual exposure of ...": a figure column answers
        sem = semantics()[table]
        t0 = time.perf_counter()
        # the row the question finds, else the one whose name it says (its other words ask of the row's
        # story: "why are retenders dearer, and what could offset the extra cost?")
        key = next((k for _, k, _ in self._find_rows(u, scope, (table,))), None) or self._row_named(u, scope, table)
        timings["retrieve"] = timings.get("retrieve", 0.0) + (time.perf_counter() - t0) * 1000
        if key is None:
            return None
        query = Query(f"SELECT * FROM {table} WHERE {sem.key} = ?", (key,))
        rows = self.db.run(query).dicts()
        said = narrate(u.text, u.question, rows[0], table, narrative_kind(u.lower, table) or "why", sem.what,
                       similarity=lambda texts: self._sentence_cosines(u.text, texts)) if rows else None
        if said is None:
            return None
        row = rows[0]
        head = compose.label(row, sem)
        answer = Answer(question=u.question, route="sql", confidence=0.8,
                        answer=f"{head[:1].upper()}{head[1:]}{compose.where_from(row)}: {said.text()}",
                        citations=(self.db.cite(row),), sql=display_sql(query),
                        columns=(sem.what, *(c for c, _ in said.parts)),
                        rows=((row.get(sem.what), *(row.get(c) for c, _ in said.parts)),),
                        plan=QueryPlan("lookup", table, Conditions(keys=(key,)),
                                       fields=tuple(c for c, _ in said.parts),
                                       reason="the named row's narrative columns").to_dict(),
                        explanation=f"{u.explain()}; sentences of {', '.join(c for c, _ in said.parts)} of one {sem.label}")
        return Reply(answer, Context(table=table, keys=(key,), topic=u.topic,
                                     departments=scope.departments, councils=scope.councils, intent=u.intent))

    def _row_named(self, u: Understanding, scope: Conditions, table: str) -> str | None:
        """The key of the row of `table` most of whose name the question says (NAME_SAID), when one row
        says more of it than any other."""
        hits = [h for h in self._search(u.text, scope, kind="row", tables=(table,), k=12) if h.row_id]
        lexicon = self.db.lexicon()
        said = sorted(((weighted_coverage(content_terms(_what_text(h)), u.text, lexicon), h.row_id) for h in hits),
                      key=lambda x: -x[0])
        sem = semantics()[table]

        def name(key: str) -> str:
            return str((self._one_row(sem, key) or {}).get(sem.what) or "")
        # (two rows that say as much of it are one unless they are namesakes: the same risk printed twice)
        if not said or said[0][0] < NAME_SAID or (len(said) > 1 and said[1][0] == said[0][0]
                                                  and name(said[1][1]) != name(said[0][1])):
            return None
        return said[0][1]

    def _field_of_rows(self, u: Understanding, context: Context, field: str, first: bool = False) -> Reply | None:
        """One named column of the previous answer's rows ("what is his portfolio?"); `first`: of the row a
        question found itself ("the consequence of the PROW risk")."""
        sem = semantics()[context.table or ""]
        keys = context.keys[:MAX_CITATIONS]
        # "whose portfolio?": the person the row names as well as the field
        whose = sem.who if sem.who and field != sem.who and _WHOSE.match(u.lower) else None
        cols = list(dict.fromkeys([sem.key, sem.what, field, *([whose] if whose else []), *PROVENANCE_COLS]))
        query = Query(f"SELECT {', '.join(cols)} FROM {sem.table} WHERE {sem.key} IN ({', '.join('?' * len(keys))}) "
                      f"ORDER BY line_start", tuple(keys))
        rows = self.db.run(query).dicts()
        if not rows:
            return None
        name = field.replace("_", " ")
        values = list(dict.fromkeys(str(r.get(field) or "").strip() for r in rows))
        if first:
            def one(r: dict[str, Any]) -> str:
                value = str(r.get(field) or "").strip()
                # a last cell that runs on as a list under its row ("... in place." then "- Robust contract ...")
                more = items_under_row(self.db.lines(str(r.get("file") or "")), int(r.get("line_end") or 0), value) \
                    if value else []
                value = "; ".join([value.rstrip(" ."), *(m.rstrip(" .") for m in more)]) + "." if more else value
                label = f"{sem.label} \"{compose.short(r.get(sem.what), 160)}\""
                return (f"The {name} of {label}{compose.where_from(r)}: {value}" if value
                        else f"The documents give no {name} for {label}{compose.where_from(r)}.")
            text = one(rows[0]) if len(rows) == 1 else \
                f"{len(rows)} {sem.plural} of that name:\n" + "\n".join(f"- {one(r)}" for r in rows)
        elif len(values) == 1:
            value = values[0]
            verb = "are" if re.search(r"[^s]s$", name) else "is"   # "the success measures are ..."
            text = (f"The {name} {verb} {value} (for {len(rows)} {sem.plural if len(rows) > 1 else sem.label} "
                    f"of the previous answer)." if value else f"The documents give no {name} for them.")
            people = list(dict.fromkeys(p for r in rows for p in compose.as_list(r.get(whose)) if p)) if whose else []
            if people and value:
                text = f"{compose.join_names(people)}: the {name} is {value}."
        else:
            text = "\n".join(f"- {compose.label(r, sem)}: {name} {r.get(field) or 'not given'}" for r in rows)
        answer = Answer(question=u.question, route="sql", answer=text, confidence=0.9,
                        citations=dedupe_citations([self.db.cite(r) for r in rows], MAX_CITATIONS),
                        sql=display_sql(query), columns=(sem.what, field),
                        rows=tuple((r.get(sem.what), r.get(field)) for r in rows),
                        plan=QueryPlan("lookup", sem.table, Conditions(keys=keys), fields=(field,),
                                       reason="follow-up: a named column of the previous rows").to_dict(),
                        explanation=f"{u.explain()}; field {field} of the previous rows")
        return Reply(answer, replace(context, intent=u.intent))

    def _pick(self, u: Understanding, plan: QueryPlan, context: Context, scope: Conditions) -> Reply | None:
        """Fields of rows of the previous answer: all of them, or the one picked ("the second one")."""
        keys = context.keys
        if plan.pick is not None:
            if not -len(keys) <= plan.pick < len(keys):
                return self._abstain(u, f"The previous answer has {len(keys)} row(s); there is no row "
                                        f"{plan.pick + 1} to pick.", scope, {}, hits=[], reason_code="no_such_row")
            keys = (keys[plan.pick],)
        elif plan.conditions.contains:   # "the education one": the previous rows whose own name holds the word
            sem = semantics()[plan.table]
            named = self.db.run(Query(f"SELECT {sem.key}, {sem.what} FROM {sem.table} WHERE {sem.key} IN "
                                      f"({', '.join('?' * len(keys))})", keys)).rows
            chosen = tuple(str(k) for k, what in named if set(plan.conditions.contains) <= set(terms(str(what or ""))))
            if not chosen:
                return None
            keys = tuple(k for k in keys if k in chosen)
        table = plan.table
        intent = u.intent if u.intent in ROLE_TABLES else ("who" if semantics()[table].who else "how_much")
        if re.search(r"\b(?:else|other|besides)\b", u.lower):
            intent = "who"
        reply = self._read_rows(u, intent, [(table, k, 1.0) for k in keys[:6]], scope)
        if reply is None:
            return None
        answer = replace(reply.answer, plan=plan.to_dict())
        others = [p for p in reply.context.people if p not in context.people]
        if intent == "who" and re.search(r"\b(?:else|other|besides)\b", u.lower) and context.people and not others:
            answer = replace(answer, answer=f"No one else is named: {compose.join_names(list(reply.context.people))} "
                                            f"is the only person given. {answer.answer}")
        return Reply(answer, replace(reply.context, plan=context.plan, intent=intent,  # "gross?" asked how much
                                     keys=keys if plan.pick is not None else reply.context.keys))

    def _scope(self, u: Understanding, filters: Filters, lexicon: Lexicon) -> Conditions:
        """Councils, departments and documents from the question and the user's filters."""
        departments = list(u.departments)
        councils = list(u.councils)
        documents = list(u.documents)
        if filters.department:
            departments = list(match_departments(filters.department, lexicon)) or \
                [d.name for d in lexicon.departments if fold(filters.department) in fold(d.name)] or departments
        if filters.council:
            councils = [c for c in lexicon.councils if fold(filters.council) in fold(c)] or councils
        if filters.document:
            want = fold(filters.document)
            documents = [d.doc_id for d in lexicon.documents
                         if want in (fold(d.doc_id), fold(d.title)) or want in fold(d.doc_id) or want in fold(d.title)] \
                or documents
        if documents and councils:
            docs = {d.doc_id: d.council for d in lexicon.documents}
            documents = [d for d in documents if docs.get(d) in councils] or documents
        if departments and councils:
            owner = {d.name: d.council for d in lexicon.departments}
            departments = [d for d in departments if owner.get(d) in councils or owner.get(d) is None]
        return Conditions(departments=tuple(departments), councils=tuple(councils), documents=tuple(documents))

    def _out_of_corpus(self, u: Understanding, lexicon: Lexicon) -> tuple[str, str] | None:
        """A reason to abstain at once: names or years that appear nowhere in the documents."""
        if u.unknown_councils:
            return "unknown_name", (f"{DONT_SAY} anything about {u.unknown_councils[0]}: they are the plans of "
                                    f"{compose.join_names(list(lexicon.councils))} only.")
        unknown = [w for w in u.unknown_names if not _near_word(w, lexicon)]
        if unknown:
            return "unknown_name", f"{DONT_SAY} anything about {' '.join(unknown)}: that name appears nowhere in them."
        years = _years(lexicon)
        for spec in u.dates:
            quarter_of = re.search(r"((?:19|20)\d\d)\s*[/-]\s*(\d{2,4})", spec.text) if spec.precision == "quarter" else None
            if quarter_of and years and f"fy{quarter_of.group(1)}-{quarter_of.group(2)[-2:]}" not in lexicon.vocabulary:
                return "unknown_period", f"{DONT_SAY} anything about {spec.text}: no figure or date in them is for that year."
            if spec.fy_label and years and f"fy{spec.fy_label}" not in lexicon.vocabulary:
                return "unknown_period", f"{DONT_SAY} anything about {spec.text}: no figure or date in them is for that year."
            if spec.start and spec.end and years:
                span = {str(y) for y in range(spec.start.year, spec.end.year + 1)}
                if not span & years:
                    return "unknown_period", f"{DONT_SAY} anything about {spec.text}: no date in them falls in that period."
        return None

    def _absent_in_scope(self, u: Understanding, scope: Conditions) -> str | None:
        """The question names a kind of row (pledges, contracts...) that the named council has none of."""
        if not (u.tables and scope.councils):
            return None
        sem = semantics()[u.tables[0]]
        n = self.db.run(count_rows(sem, Conditions(councils=scope.councils))).rows[0][0]
        if n:
            return None
        return f"{DONT_SAY}: they hold no {sem.plural} for {' or '.join(scope.councils)}."

    # ------------------------------------------------------------------ SQL: aggregations and lists

    def _tables_for_people(self, u: Understanding) -> tuple[str, ...]:
        return tuple(t for t in ROLE_TABLES["who"] if semantics()[t].who)

    def _aggregate(self, u: Understanding, scope: Conditions, context: Context) -> Reply | None:
        tables = u.tables or (self._tables_for_people(u) if u.people else ())
        if not tables:
            return None
        people = _people_to_query(u)
        results: list[tuple[str | None, TableSemantics, list[dict[str, Any]], Query]] = []
        candidate_tables = tables if (people and not u.tables) else tables[:1]
        for table in candidate_tables:
            sem = semantics()[table]
            for person in people or [None]:
                if person and not sem.who:
                    continue
                cond = self._conditions(u, scope, sem, person)
                if cond == Conditions() and len(residual_terms(u, strict=True)) >= UNFILTERED_TOPIC_WORDS:
                    # "what savings has the LED street lighting project made?": a topic no filter took
                    # up is no question about every row of the table
                    continue
                query = select_rows(sem, cond, self.settings.sql_row_limit)
                rows = self.db.run(query).dicts()
                if not rows and cond.documents and u.documents:
                    # the documents the question seemed to name hold none of these rows: any document
                    cond = replace(cond, documents=())
                    query = select_rows(sem, cond, self.settings.sql_row_limit)
                    rows = self.db.run(query).dicts()
                if not rows and any(c == SECTION_GROUP for c, _ in cond.groups):
                    # no rows under a heading of that name here ("value for money" KPIs of a department
                    # whose KPIs sit under no such heading): its words are the topic instead
                    u = replace(u, groups=tuple(g for g in u.groups if g[1] != SECTION_GROUP))
                    cond = self._conditions(u, scope, sem, person)
                    query = select_rows(sem, cond, self.settings.sql_row_limit)
                    rows = self.db.run(query).dicts()
                if not rows and any(a.op in (">", "<") for a in cond.amounts):
                    inclusive = tuple(replace(a, op=a.op + "=") if a.op in (">", "<") else a for a in cond.amounts)
                    query = select_rows(sem, replace(cond, amounts=inclusive), self.settings.sql_row_limit)
                    rows = self.db.run(query).dicts()
                    u = replace(u, amounts=inclusive)
                if rows or not people or len(candidate_tables) == 1:
                    results.append((person, sem, rows, query))
        nonempty = [r for r in results if r[2]] or results[:1]
        if not nonempty:
            return None
        texts, citations, shown_rows, sqls = [], [], [], []
        for person, sem, rows, query in nonempty:
            texts.append(self._aggregate_text(u, sem, rows, person, scope))
            citations += [self.db.cite(r) for r in rows]
            shown_rows += [(sem, r) for r in rows]
            sqls.append(display_sql(count_rows(sem, self._conditions(u, scope, sem, person))
                                    if u.intent == "count" else query))
        first_sem = nonempty[0][1]
        columns, rows = _table_of(first_sem, [r for s, r in shown_rows if s is first_sem])
        keys = tuple(str(r[s.key]) for s, r in shown_rows)
        answer = Answer(
            question=u.question, route="sql", answer="\n\n".join(texts), confidence=0.9 if shown_rows else 0.6,
            citations=dedupe_citations(citations, MAX_CITATIONS), sql=";\n".join(sqls), columns=columns, rows=rows,
            explanation=f"{u.explain()}; template={u.intent}")
        plan = QueryPlan("count" if u.intent == "count" else "list", first_sem.table,
                         self._conditions(u, scope, first_sem, nonempty[0][0]), reason=f"template {u.intent}")
        answer = replace(answer, plan=plan.to_dict())
        return Reply(answer, Context(first_sem.table, keys, tuple(p for p in people if p), scope.departments,
                                     scope.councils, scope.documents, u.topic, plan))

    def _conditions(self, u: Understanding, scope: Conditions, sem: TableSemantics, person: str | None) -> Conditions:
        """The row filters of a list or count: the one resolver (plan.conditions_of), with this person.
        The people a count counts ("how many cabinet members made pledges") are no words of its rows."""
        contains = residual_terms(u)
        counted = compose.COUNTS_PEOPLE.search(u.lower) if u.intent == "count" and sem.who and \
            compose.counts_people(u.lower) else None
        if counted:   # ... nor is the verb of the rows' people ("made" pledges, "lead" actions)
            said = set(terms(" ".join((counted.group(0), *sem.words.lead_verb))))
            contains = type(contains)(t for t in contains if t not in said)
        return replace(conditions_of(u, scope, sem, contains), person=person)

    def _qualifiers(self, u: Understanding, scope: Conditions, sem: TableSemantics, kind_said: bool = False,
                    conditions: Conditions | None = None) -> str:
        """The filters of a list, count or who-leads-most in words; its person is said by the caller;
        `kind_said`: the kind of row filtered on is the noun, so no filter; `conditions`: the filters, when
        the caller has resolved them already."""
        conditions = replace(conditions or self._conditions(u, scope, sem, None), person=None)
        if kind_said:
            conditions = replace(conditions, groups=tuple(g for g in conditions.groups if g[0] != KIND_GROUP))
        bits = filters_text(conditions, sem, u.text)
        return (" " + " ".join(bits)) if bits else ""

    def _aggregate_text(self, u: Understanding, sem: TableSemantics, rows: list[dict[str, Any]],
                        person: str | None, scope: Conditions) -> str:
        n = len(rows)
        noun = sem.label if n == 1 else sem.plural
        # the kind of row the question filters on is the noun: "There are 3 differences ...", not "3 outcomes in difference"
        conditions = self._conditions(u, scope, sem, None)
        kinds = [v for c, v in conditions.groups if c == KIND_GROUP]
        if len(kinds) == 1:
            noun = kinds[0] if n == 1 else f"{kinds[0]}s"
        qualifiers = self._qualifiers(u, scope, sem, kind_said=len(kinds) == 1, conditions=conditions)
        if u.intent == "count" and not person and sem.who and compose.counts_people(u.lower):
            return compose.people_counted(rows, sem, qualifiers, self.db.spellings())[0]   # "how many people lead ..."
        total = compose.total_text(rows, sem)
        if person:
            verb = sem.words.lead_verb[0]
            intro = f"{person} {verb} {n} {noun}{qualifiers}{total}"
        else:
            intro = f"There {'is' if n == 1 else 'are'} {n} {noun}{qualifiers}{total}"
        if n == 0:
            return intro + "."
        if u.intent == "count" and n > compose.MAX_LISTED:
            return intro + "."
        return compose.list_text(rows, sem, intro + ":")

    def _others_on_row(self, u: Understanding, context: Context) -> Reply | None:
        """"Who else works on it?" / "on the first one": the other people the previous row names."""
        if not (context.table and context.keys and _ELSE.search(u.lower) and _ON_ONE_ROW.search(u.lower)):
            return None
        sem = semantics()[context.table]
        if not sem.who:
            return None
        index = picked_index(u.lower)
        key = context.keys[index] if index is not None and index < len(context.keys) else context.keys[0]
        row = self._one_row(sem, key)
        if row is None:
            return None
        people = [p for p in compose.as_list(row.get(sem.who)) if p]
        # the lead as written may name a role beside the people ("Joe Battye/ Head of Economic Development")
        written = [w.strip() for w in re.split(r"\s*(?:/|,|;|&|\band\b|\bwith\b)\s*", str(row.get(sem.who_raw) or ""))
                   if w.strip() and w.strip().strip("()") and not any(fuzz.partial_ratio(w, p) >= SAME_ITEM for p in people)]
        people += [w.strip("() ") for w in written]
        others = [p for p in people if p not in context.people]
        head = compose.label(row, sem)
        if others:
            text = f"Also named on {head}: {compose.join_names(others)}" + (
                f" (with {compose.join_names([p for p in people if p not in others])})." if len(others) < len(people)
                else ".")
        else:
            text = f"No one else: {head} names {compose.join_names(people) or 'no lead'} only."
        answer = Answer(question=u.question, route="sql", answer=text, confidence=0.85,
                        citations=(self.db.cite(row),), explanation=f"{u.explain()}; the other people of {key}")
        return Reply(answer, replace(context, keys=(key,), people=tuple(people)))

    def _one_row(self, sem: TableSemantics, key: str) -> dict[str, Any] | None:
        """The row of `sem`'s table with primary key `key`, or None."""
        rows = self.db.run(Query(f"SELECT * FROM {sem.table} WHERE {sem.key} = ?", (key,))).dicts()
        return rows[0] if rows else None

    def _row_part(self, u: Understanding, context: Context) -> Reply | None:
        """"What did phase 2 include?" after a pledge's answer: the parts of that row's text that name
        what the follow-up asks about (row_parts.py), cited to the row; None when no part does."""
        sem = semantics()[context.table or ""]
        key = context.keys[0]
        if u.intent in ("count", "how_much"):   # "how many community locations?": the part that counts them
            counted = set(terms(u.topic)) - {"number"}
            found = self._parts_of_row(sem, key, lambda label, texts: [
                p for p in row_parts.parts_of([label, *texts]) if counts_term(p, counted)][:1], frozenset(counted))
        elif u.intent == "who":   # "who's involved in it?": the part that says who it involves or works with
            asked = set(terms(u.lower)) & INVOLVED_WORDS
            found = self._parts_of_row(sem, key, lambda label, texts: [
                p for p in row_parts.parts_of([label, *texts]) if asked & set(terms(p))][:2])
        else:
            found = self._parts_of_row(sem, key, lambda label, texts: row_parts.parts_asked(u.topic, label, texts))
        if found is None:
            return None
        text, citation = found
        answer = Answer(question=u.question, route="sql", answer=text, confidence=0.8,
                        citations=(citation,), explanation=f"{u.explain()}; part of {key}")
        return Reply(answer, replace(context, intent=u.intent, value_kind=None))

    def _parts_of_row(self, sem: TableSemantics, key: str, pick: Callable[[str, list[str]], list[str]],
                      asked: frozenset[str] = frozenset()) -> tuple[str, Citation] | None:
        """The parts of one row's text cells that `pick` chooses (given its label and its texts), said
        after the row's label, with the row's citation; None when it picks none, or only parts of the
        label when the label does not hold every one of the words `asked`."""
        row = self._one_row(sem, key)
        if row is None:
            return None
        label = str(row.get(sem.what) or "")
        parts = pick(label, [str(row.get(c) or "") for c in sem.texts])
        if not parts:
            return None
        head = compose.label(row, sem)
        rest = [p for p in parts if p.rstrip(" .") not in label]   # (a part of its own label is said by the label)
        if not rest and not (asked and asked <= set(terms(label))):
            # the row's name alone, unless it says every word asked ("how many community locations?" of "...
            # drop in sessions at 12 community locations"), says nothing of it: "and what's the national rate?"
            return None
        text = f"{head[:1].upper()}{head[1:]}{compose.where_from(row)}" + (
            ": " + "; ".join(p.rstrip(" .") for p in rest) if rest else "") + "."
        return text, self.db.cite(row)

    def _who_in_group(self, u: Understanding, scope: Conditions, context: Context) -> Reply | None:
        on_row = self._others_on_row(u, context)
        if on_row is not None:
            return on_row
        named = [t for t in u.tables if semantics()[t].who]
        candidates = named or ([] if u.tables else [t for t in ROLE_TABLES["who"] if semantics()[t].who])
        if u.tables and not named:
            # "who owns the most risks?" where risks record no owner: another table's leads would
            # answer a different question
            candidates = []
        exclude = context.people if re.search(r"\b(else|other|besides)\b", u.lower) else ()
        for table in candidates:
            sem = semantics()[table]
            cond = replace(self._conditions(u, scope, sem, None), exclude_people=exclude)
            if leads_of_rows(u.lower) and not is_group_who(u, scope):
                # "who leads the employee well-being actions": rows with every word of the topic, not only names
                cond = replace(cond, contains=residual_terms(u, strict=True))
            query = leads_in(sem, cond)
            result = self.db.run(query)
            if result.rows:
                break
        else:
            if u.tables:
                plural = semantics()[u.tables[0]].plural
                return self._abstain(u, f"{DONT_SAY}: the {plural} they list name no lead or owner to count.",
                                     scope, {}, hits=[], reason_code="no_person_named")
            return None
        where = self._qualifiers(u, scope, sem)
        people = [f"{p} ({n})" for p, n in result.rows]
        other = "Other people" if exclude else "People"
        role = sem.words.people_role or f"are named in {sem.plural}"
        text = (f"{other} who {role}{where}: {compose.join_names(people)} "
                f"(number of {sem.plural} in brackets).")
        rows_q = select_rows(sem, cond)
        rows = [r for r in self.db.run(rows_q).dicts()
                if not exclude or set(r.get(sem.who) or []) - set(exclude)]
        cites = [self.db.cite(r) for r in rows]
        answer = Answer(question=u.question, route="sql", answer=text, confidence=0.85,
                        citations=dedupe_citations(cites, MAX_CITATIONS), sql=display_sql(query),
                        columns=tuple(result.columns), rows=result.rows, explanation=f"{u.explain()}; template=who_in_group")
        return Reply(answer, Context(sem.table, tuple(str(r[sem.key]) for r in rows), tuple(p for p, _ in result.rows),
                                     scope.departments, scope.councils, scope.documents, u.topic))

    # ------------------------------------------------------------------ SQL: one fact about one row

    def _row_fact(self, u: Understanding, scope: Conditions, context: Context, timings: dict[str, float]) -> Reply | None:
        intent = "how_much" if u.intent == "count" else u.intent
        tables = _role_tables(intent, u)
        if not tables:
            return None
        swapped = self._swapped_topic(u, context) if context.keys and context.table in tables else None
        if swapped:  # "what about vibrant?": the same fact of the row the new words name
            text = f"{u.text} {swapped}"
            u = u.with_subject(swapped, topic=swapped, groups=u.groups or match_groups(text, self.db.lexicon(), tables))
            picked = self._find_rows(u, scope, tables)
        elif context.keys and context.table in tables and (refers_back(u) or _own_words_only_table(u, context)) \
                and not self._new_subject(u, context):
            picked = [(context.table, k, 1.0) for k in context.keys[:5]]
        else:
            t0 = time.perf_counter()
            picked = self._find_rows(u, scope, tables)
            timings["retrieve"] = (time.perf_counter() - t0) * 1000
        if not picked:
            return None
        contrasted = self._contrasted_row(u, picked[0])
        if contrasted is not None:   # "primary vs secondary": the row beside it with the other word in its name
            picked = [picked[0], contrasted]
        t0 = time.perf_counter()
        reply = self._read_rows(u, intent, picked, scope)
        timings["sql"] = (time.perf_counter() - t0) * 1000
        together = compose.added_up(reply.answer.columns, reply.answer.rows) \
            if reply is not None and cells.ADDED_UP.search(u.lower) else None
        if together:   # "income plus grants combined": the line's two figures added up
            reply = Reply(replace(reply.answer, answer=f"{reply.answer.answer} {together}"), reply.context)
        if reply is not None and intent in ("how_much", "explain", "unknown"):
            # the best row, or a namesake of it (the same risk printed twice), that says the detail asked
            return next((r for t, k, _ in picked for r in [self._row_detail(u, t, k, reply)] if r), reply)
        return reply

    def _row_detail(self, u: Understanding, table: str, key: str, reply: Reply) -> Reply | None:
        """"Waste gate fee risk: which OBR forecast showed a slower rate?": a question about a detail of
        one row that none of its fields gives is answered by the sentence of its text that says it."""
        sem = semantics()[table]
        if not sem.texts or sem.values:
            return None   # a measure's values are its fields
        if sem.amount and sem.amount_named(u.lower):
            # a money column the question names is a field; a second thing asked after it ("lifetime exposure,
            # and how much of the project did the latest PSDS funding cover?") is a detail of its text
            then = compose.THEN_ASKED.search(u.lower)
            row = self._one_row(sem, key) if then else None
            parts = row_parts.detail_parts(u.lower[then.end():], str(row.get(sem.what) or ""),
                                           [str(row.get(c) or "") for c in sem.texts]) if row and then else []
            if not parts:
                return None
            said = "; ".join(p.rstrip(" .") for p in parts) + "."
            answer = replace(reply.answer, answer=f"{reply.answer.answer.rstrip()} {said}",
                             explanation=f"{reply.answer.explanation}; and the part of {key} asked after it")
            return Reply(answer, reply.context)
        found = self._parts_of_row(sem, key, lambda label, texts: row_parts.detail_parts(u.topic, label, texts))
        if found is None:
            return None
        text, citation = found
        answer = replace(reply.answer, answer=text, confidence=0.75, citations=(citation,),
                         explanation=f"{reply.answer.explanation}; the part of {key} the question asks about")
        return Reply(answer, reply.context)

    def _captions_in_scope(self, u: Understanding) -> Understanding:
        """Table captions named among the tables of the question's departments and councils only.
        "The Adult Social Care council priorities delivery plan" names Adult Social Care's table
        "Section One – Council Priorities" (another department's "Council Priorities Delivery Plan"
        is out of scope, and the two share "council priorities", which tells them apart only here)."""
        if not (u.departments or u.councils):
            return u
        rows = [(caption, kind) for caption, kind, department, council in self.db.derived("captions", _table_captions)
                if (not u.departments or department in (None, *u.departments))
                and (not u.councils or council in (None, *u.councils))]
        captions = [g for g in u.groups if g[1] == CAPTION_GROUP]
        # (... or one of their headings: "Section Two – Departmental Priorities", a caption elsewhere)
        kept = [g for g in captions if any(g[2].lower() in c.lower() for c, _ in rows) or self._heading_in_scope(g[2], u)]
        if captions and len(kept) == len(captions):
            return u
        phrases = tuple(dict.fromkeys(p for c, _ in rows for p in caption_phrases(c)))
        again = caption_named(fold(u.lower), phrases) if phrases else None
        kinds = {k for c, k in rows if k and again in caption_phrases(c)} if again else set()
        renamed = [(k, CAPTION_GROUP, again) for k in sorted(kinds) if not u.tables or k in u.tables]
        if not renamed and len(kept) == len(captions):
            return u
        return replace(u, groups=tuple(g for g in u.groups if g[1] != CAPTION_GROUP or g in kept) + tuple(renamed))

    def _heading_in_scope(self, phrase: str, u: Understanding) -> bool:
        """Whether a section of the question's departments (or councils) is headed with the phrase."""
        scope = [("department", d) for d in u.departments] or [("council", c) for c in u.councils]
        where = " OR ".join(f"{column} = ?" for column, _ in scope)
        query = Query(f"SELECT 1 FROM sections WHERE ({where}) AND strpos(lower(section_path), lower(?)) > 0 LIMIT 1",
                      (*(v for _, v in scope), phrase))
        return bool(scope) and bool(self.db.run(query).rows)

    def _asked_elsewhere(self, u: Understanding, context: Context | None) -> Understanding:
        """"what about ETE?" after a row's answer: the same question of the same kind of row in the
        department or council it names (the previous row's label, less its own department's names)."""
        if context is None or not context.table or not context.keys or not is_what_about(u.lower) or \
                not (u.departments or u.councils) or set(content_terms(u.topic)) - {"number"}:
            return u
        sem = semantics()[context.table]
        row = self._one_row(sem, context.keys[0])
        if row is None or not row.get(sem.what):
            return u
        drop = set(terms(" ".join(self._scope_names((*context.departments, *u.departments)))))
        topic = " ".join(w for w in re.findall(r"[A-Za-z0-9£%'-]+", str(row[sem.what]).lower())
                         if terms(w) and not set(terms(w)) & drop)
        if not content_terms(topic):
            return u
        return u.with_subject(topic, topic=topic, tables=(context.table,),
                       intent=context.intent or u.intent,  # type: ignore[arg-type]
                       value_kind=u.value_kind or context.value_kind)  # type: ignore[arg-type]

    def _new_subject(self, u: Understanding, context: Context) -> bool:
        """"And how much was landfilled?" after the recycling KPI: a word of its own that names no
        field and that the previous rows do not hold asks about another row of the same kind."""
        if not context.table:
            return False
        fields = _column_stems((context.table,)) | frozenset(stem(w) for w in GENERIC_WORDS) | _OPERATION_STEMS
        fields |= u.group_terms | _COMPARING_STEMS   # "and its grants line?": a measure named
        carried = set(terms(context.topic))   # (the previous topic, carried into "whose pledge was it?")
        own = [t for t in content_terms(u.topic) if t not in fields and not t[:1].isdigit() and t not in carried]
        if not own:
            return False
        sem = semantics()[context.table]
        keys = context.keys[:MAX_CITATIONS]
        held = set(terms(" ".join(str(r[0] or "") for r in self.db.run(Query(
            f"SELECT {sem.what} FROM {sem.table} WHERE {sem.key} IN ({', '.join('?' * len(keys))})", keys)).rows)))
        return not any(t in held for t in own)

    def _swapped_topic(self, u: Understanding, context: Context) -> str | None:
        """For "what about <X>?" whose words the previous rows do not hold: X with the previous turn's
        other topic words (its measure, "capital"), less the words that named the previous rows."""
        if not (is_what_about(u.lower) and terms(u.topic) and context.table):
            return None
        sem = semantics()[context.table]
        keys = context.keys[:MAX_CITATIONS]
        labels = " ".join(str(r[0] or "") for r in self.db.run(Query(
            f"SELECT {sem.what} FROM {sem.table} WHERE {sem.key} IN ({', '.join('?' * len(keys))})", keys)).rows)
        named = set(terms(labels))
        if set(terms(u.topic)) <= named:
            return None  # the new words name the same rows
        kept = [w for w in context.topic.split() if not set(terms(w)) & named]
        return " ".join([u.topic, *kept]).strip()

    def _find_rows(self, u: Understanding, scope: Conditions, tables: tuple[str, ...]) -> list[tuple[str, str, float]]:
        """Rows the question is about: (table, key, score), the best and its namesakes elsewhere."""
        query = u.topic or u.text
        # "NEET (not counting not knowns)": a row whose name holds what the question leaves out is not the one
        # (unless the rest of the question says it too: "transport risk - apart from paying the transport costs")
        left_out = {t for m in SET_ASIDE.finditer(u.lower) for t in terms(m.group("a") or m.group("b") or "")} \
            - set(terms(SET_ASIDE.sub(" ", u.lower)))
        if not [t for t in content_terms(query) if t != "number"]:
            return []  # nothing to look for beyond the kind of question
        hits = self._search(query, scope, kind="row", tables=tables, k=12)
        if u.people:
            names = {p.name for p in u.people}
            hits = [h for h in hits if any(n.split()[-1].lower() in h.text.lower() for n in names)] or hits
        wanted = set(content_terms(query))
        # words the topic set aside as scope that a row's own name holds ("the Invest in Derbyshire programme")
        aside = set(content_terms(u.text)) - wanted
        names = [a.lower() for p in self.db.lexicon().people for a in p.aliases] if u.intent == "who" else []
        documents = frozenset(document_terms(u.documents, self.db.lexicon()))
        sums = _sums_said(u.text)   # "the record office saving (£60k)": the row whose figure it is
        scored = sorted(((self._row_score(query, h, documents | _field_stems(h.table), u.typed)
                          + (FIGURE_MATCH_BONUS if sums and sums & _sums_said(h.text) else 0.0)
                          + (EXACT_NAME_BONUS if _named_exactly(query, _what_text(h)) or
                             _named_before_noun(u.lower, _what_text(h), h.table) or
                             _named_as_subject(u.lower, _what_text(h)) else 0.0)
                          + 0.1 * _suffix_named(_what_text(h), u, scope)
                          + _scope_named(aside, wanted, set(terms(_what_text(h))))
                          + 0.1 * fuzz.ratio(query.lower(), _what_text(h).lower()) / 100
                          + (0.08 if names and any(n in h.text.lower() for n in names) else 0.0)
                          - (LEFT_OUT_PENALTY if left_out & set(terms(_what_text(h))) else 0.0)
                          - (LEFT_OUT_PENALTY if _other_qualifier(u.lower, _what_text(h)) else 0.0), h) for h in hits
                         if h.row_id and wanted & set(terms(_what_text(h)))), key=lambda x: -x[0])
        if not scored or scored[0][0] < ROW_ACCEPT:
            log.info("no row above %.2f for %r (best %.2f)", ROW_ACCEPT, query, scored[0][0] if scored else 0)
            if scope.departments:
                # the row may sit under another department that works "with" the one named; the
                # answer must still name it (_verified checks), so look everywhere once
                return self._find_rows(u, replace(scope, departments=()), tables)
            return []
        best_score, best = scored[0]
        best_what = _what_text(best)
        picked = [(best.table or "", best.row_id or "", best_score)]
        for score, hit in scored[1:]:
            if hit.table == best.table and score >= best_score - 0.15 and hit.row_id != best.row_id and \
                    fuzz.token_sort_ratio(_strip_suffix(_what_text(hit)), _strip_suffix(best_what)) >= SAME_ITEM:
                picked.append((hit.table or "", hit.row_id or "", score))
        if len(picked) > 1:
            labels = {h.row_id: _what_text(h) for _, h in scored}
            named = [p for p in picked if _suffix_named(labels.get(p[1], ""), u, scope)]
            picked = named or picked
            if not re.search(r"\btotal", u.lower):
                # "strategic commissioning (integrated and adults) line": the line of that name, not the
                # "Total - Strategic Commissioning (...)" line of the division it belongs to
                own = {labels.get(p[1], "").strip().lower() for p in picked}
                picked = [p for p in picked if total_of(labels.get(p[1], "")) not in own] or picked
        return picked[:6]

    def _prefer_prose_figure(self, u: Understanding, scope: Conditions, context: Context,
                             timings: dict[str, float], reply: Reply) -> Reply:
        """A 'how many / how much' row answer that covers the question only in part gives way to a
        sentence that states a figure and covers every word of the question ("44,056 people attended
        the Sexual Health Service" over a chlamydia-rate KPI that merely shares "sexual health")."""
        if u.intent not in ("how_much", "count") or reply.answer.abstained or not reply.answer.citations or \
                (context.keys and refers_back(u)):
            return reply
        if u.tables and semantics()[u.tables[0]].amount_named(u.lower):
            return reply  # the question names one of the row's money columns ("lifetime exposure")
        lexicon = self.db.lexicon()
        wanted = [t for t in content_terms(u.topic or u.text) if t != "number"]
        row_cov = max(weighted_coverage(wanted, c.quote, lexicon) for c in reply.answer.citations)
        if row_cov >= PROSE_OVERRIDE_ROW_COVERAGE:
            return reply
        text = self._text(u, scope, timings)
        sentence = text.answer.answer
        if text.answer.abstained or not _states_figure(sentence) or \
                weighted_coverage(wanted, sentence, lexicon) < PROSE_OVERRIDE_TEXT_COVERAGE:
            return reply
        return text

    def _row_score(self, query: str, hit: Hit, aside: frozenset[str] = frozenset(), typed: str = "") -> float:
        """Match score of a row: its dense similarity, plus how many question words it contains
        (words in `aside` pick the row's field or document, so a row need not contain them; an acronym
        the question `typed`, "SARs", is in a row that spells it out, "Subject Access requests")."""
        dense = float(hit.metadata.get("dense_score", 0.0) or 0.0)
        wanted = content_terms(query)
        if hit.table and semantics()[hit.table].values:   # "current RAG" picks a KPI's field, not its name
            # (nor do the words of its move: "how much better than previous qtr")
            wanted = [t for t in wanted if t not in _MEASURE_FIELD_STEMS and t not in CHANGE_STEMS] or wanted
        text = hit.metadata.get("index_text") or hit.text
        spelled = acronyms_spelled(typed, _what_text(hit)) if typed else set()
        if spelled:
            text = f"{text} {' '.join(spelled)}"
        cov = weighted_coverage(wanted, text, self.db.lexicon())
        named = [t for t in wanted if t not in aside]
        if named and len(named) < len(wanted):   # the row need not hold them, but may
            cov = max(cov, weighted_coverage(named, text, self.db.lexicon()))
        return 0.5 * dense + 0.5 * cov

    def _search(self, query: str, scope: Conditions, kind: str | None, tables: tuple[str, ...] | None,
                k: int) -> list[Hit]:
        filt = Filters(council=scope.councils[0] if len(scope.councils) == 1 else None,
                       department=scope.departments[0] if len(scope.departments) == 1 else None,
                       document=scope.documents[0] if len(scope.documents) == 1 else None)
        try:
            with single_threaded_torch():
                hits = self.retriever.search(query, k=k, filters=None if filt.is_empty() else filt, kind=kind,
                                             tables=list(tables) if tables else None)
        except BadQuestion:
            hits = []
        if len(scope.departments) > 1:
            # several departments (one written several ways: "CYPE", "Children, Young People & Education")
            # (as one department filters: only theirs, unless none of theirs matches at all)
            hits = [h for h in hits if h.metadata.get("department") in scope.departments] or hits
        if not hits and filt.department:
            wider = Filters(council=filt.council, document=filt.document)  # relax the department only
            try:
                with single_threaded_torch():
                    hits = self.retriever.search(query, k=k, filters=None if wider.is_empty() else wider,
                                                 kind=kind, tables=list(tables) if tables else None)
            except BadQuestion:
                hits = []
        return hits

    def _sibling_row(self, u: Understanding, scope: Conditions, context: Context) -> Reply | None:
        """"And completed?" after "Number of apprenticeships recruited to by department": the row printed
        near the one before whose name is that one's with the follow-up's words in place of its own
        (all the follow-up's words, and most of the previous row's), asked the same way."""
        if not (context.table and len(context.keys) == 1 and (_SIBLING_ASK.match(u.lower) or _SCOPE_OF_ROW.search(u.lower))):
            return None
        sem = semantics()[context.table]
        # "completed" is an intent word, and a topic word here; "council" is a word of a row's name too
        # ("Number of new apprenticeship starts – Council"), so the index's tokens, not the router's terms
        own = {t for t in index_tokens(u.lower) if not t[:1].isdigit()} - _SIBLING_FILLER   # (a year asks, names no row)
        if not own or len(own) > SIBLING_WORDS:
            return None
        before = self._one_row(sem, context.keys[0])
        if before is None:
            return None
        was = set(index_tokens(str(before.get(sem.what) or "")))
        found = [(len(was & set(index_tokens(str(name or "")))), key) for key, name in self._rows_near(sem, context.keys[0])
                 if own <= set(index_tokens(str(name or "")))]
        best = [k for n, k in found if n == max((n for n, _ in found), default=0) and n * 2 >= len(was)]
        if own <= was and _SCOPE_OF_ROW.search(u.lower):
            best = [context.keys[0]]   # "the council-wide target" after the council's own row: that row
        if len(best) != 1:
            return None
        intent = context.intent if context.intent in ("how_much", "target", "who", "when") else u.intent
        asked = replace(u, value_kind=u.value_kind or context.value_kind)  # type: ignore[arg-type]
        if not u.dates and context.question:   # "and for the council as a whole?" after "... in 2017-18?": that year
            asked = replace(asked, dates=tuple(d for d in parse_dates(context.question.lower()) if d.fy_label))
        return self._read_rows(asked, intent, [(context.table, best[0], 1.0)], scope)

    def _rows_near(self, sem: TableSemantics, key: str) -> list[tuple[Any, Any]]:
        """(key, name) of the other rows of `sem`'s table printed within SIBLING_LINES of row `key`."""
        return self.db.run(Query(
            f"SELECT s.{sem.key}, s.{sem.what} FROM {sem.table} s JOIN {sem.table} t ON s.doc_id = t.doc_id "
            f"AND abs(s.line_start - t.line_start) <= ? AND s.{sem.key} <> t.{sem.key} WHERE t.{sem.key} = ?",
            (SIBLING_LINES, key))).rows

    def _contrasted_row(self, u: Understanding, best: tuple[str, str, float]) -> tuple[str, str, float] | None:
        """"% of pupils in good or better schools - primary vs secondary": the question sets two words
        against each other (_CONTRASTED) and the row found names one of them; the row printed near it whose
        name is the same with the other word in its place. None when there is no such row."""
        m = _CONTRASTED.search(u.lower) or _COMPARED_PAIR.search(u.lower)
        table, key, score = best
        if m is None or table not in semantics():
            return None
        sem = semantics()[table]
        row = self._one_row(sem, key)
        if row is None:
            return None
        name = set(index_tokens(str(row.get(sem.what) or "")))
        a, b = set(index_tokens(m.group("a"))), set(index_tokens(m.group("b")))
        if not a or not b or not (a <= name or b <= name) or a == b:
            return None   # the row names neither
        if a <= name and b <= name:   # "neet vs neet + not known": the row says the longer; the other says less
            if not (a < b or b < a):
                return None
            other, own = (a, b) if a < b else (b, a)
            own = own - other
        else:
            other, own = (a, b) if b <= name else (b, a)
        rest = name - own
        found = [(len(rest & set(index_tokens(str(n or "")))), str(k)) for k, n in self._rows_near(sem, key)
                 if other <= set(index_tokens(str(n or ""))) and not own <= set(index_tokens(str(n or "")))]
        best_n = max((n for n, _ in found), default=0)
        keys = [k for n, k in found if n == best_n and n * 2 >= len(rest)]
        return (table, keys[0], score) if len(keys) == 1 else None

    def _read_rows(self, u: Understanding, intent: str, picked: list[tuple[str, str, float]],
                   scope: Conditions) -> Reply | None:
        table = picked[0][0]
        named_amount = semantics()[table].amount_named(u.lower)
        sem = semantics()[table].with_amount(named_amount)
        keys = tuple(k for t, k, _ in picked if t == table)
        if sem.groups and "measure" in sem.groups:
            keys = self._measure_of_line(u, sem, keys)
        keys = self._period_of_line(u, sem, keys)
        query = select_rows(sem, Conditions(keys=keys))
        rows = self.db.run(query).dicts()
        order = {k: i for i, k in enumerate(keys)}
        rows.sort(key=lambda r: order.get(str(r[sem.key]), 99))
        if not rows:
            return None
        sqls = [display_sql(query)]
        sentences = []
        values_rows: list[dict[str, Any]] = []
        if sem.values and intent in ("target", "how_much", "when"):
            vq = values_of(sem, keys)
            values_rows = self.db.run(vq).dicts()
            sqls.append(display_sql(vq))
        period = next((d.fy_label for d in u.dates if d.fy_label), None)
        compared = [d.fy_label for d in u.dates if d.fy_label]
        if len(compared) == 1 and _CHANGE_BY_YEAR.search(u.lower):
            compared = [fy_label(int(compared[0][:4]) - 1), compared[0]]   # "how much did it rise by 18-19": from 17-18
        stated = False   # a blank figure whose row states a sum in its text (figure_said): the answer,
        # unless the question names the blank column as such ("annual exposure")
        for row in rows:
            mine = [v for v in values_rows if str(v[sem.key]) == str(row[sem.key])]
            latest = next((str(v["period"]) for v in mine if v.get("kind") == "latest" and v.get("value") is not None
                           and str(v.get("period")).lower() != "previous"), None)
            if len(compared) == 1 and latest and latest != compared[0] and _COMPARED_WITH.search(u.lower):
                compared = [compared[0], latest]   # "how does that compare with 2018-19?": against the latest
            if sem.values and len(compared) >= 2 and values_rows:
                sentences.append(compose.compare_sentence(row, mine, compared))
                continue
            # ("how much better than target was the previous %": the previous figure against the target, below)
            change = compose.previous_change(mine) if sem.values and compose.ASKS_PREVIOUS_CHANGE.search(u.lower) \
                and not compose.gap_asked(u.lower) else ""
            if change:   # "change on the previous figure?": the latest set against the one before it
                sentences.append(f"{compose.kpi_sentence(row, mine, 'latest', period)} {change}")
            elif sem.values and intent in ("target", "how_much", "when"):
                want = "target" if intent == "target" else (u.value_kind or "latest")
                sentences.append(compose.kpi_sentence(row, mine, want, period))
                apart = compose.gap_asked(u.lower)
                gap = compose.target_gap(mine, period, apart[1], base=apart[0]) if apart else ""
                if gap:   # "how far short of target": the latest set against the target
                    sentences[-1] += f" {gap}"
            elif intent == "target" and not sem.values and (aimed := compose.target_cell(row, sem)):
                sentences.append(aimed)   # "whats the 17/18 target?" of an action: the cell that sets it
            elif intent == "who":
                sentences.append(compose.who_sentence(row, sem))
                member = self.db.cabinet_member(row) if sem.who and not row.get(sem.who) else None
                if member:   # no lead of its own: the Cabinet Member whose section (portfolio) it is in
                    sentences[-1] += f" It is in the portfolio of {member}" + (
                        f" ({row['department']})." if row.get("department") else ".")
            elif intent == "when" and sem.amount and sem.due and sem.due.prefix == "start":
                sentences.append(compose.amount_sentence(row, sem))
            elif intent == "when":
                sentences.append(compose.when_sentence(row, sem, u.when_kind) + _dated_mention(u, row, sem))
            elif intent == "how_much" and sem.amount:
                sentences.append(compose.amount_sentence(row, sem))
                blank = all(row.get(name) is None and not str(row.get(raw or "") or "").strip()
                            for name, raw in (sem.amounts or ((sem.amount, sem.amount_raw),)))
                said = figure_said(u.text, u.question, row, table, sem.what,
                                   similarity=lambda texts: self._sentence_cosines(u.text, texts)) if blank else None
                if said is not None:   # no exposure figure, but its story states a sum ("Costs to date of £1.162m")
                    sentences[-1] += f" {said.text()}"
                    stated = True
            else:
                sentences.append(compose.who_sentence(row, sem) if sem.who else compose.row_line(row, sem))
                if intent == "how_much" and not sem.amount:
                    # "how much is going into it": a row with no money column may state the sum in its text
                    money = compose.money_clause(row, exclude=sentences[-1])
                    if money:
                        sentences[-1] = f"{sentences[-1].rstrip('.')}. {money}"
        # a column the question also names ("... - directorate and likelihood?"), when the sentence lacks it
        extra = [c for c in named_fields(u.lower, table) if c not in (sem.what, sem.who, sem.who_raw)]
        for i, row in enumerate(rows[:len(sentences)]):
            said = [f"{c.replace('_', ' ')} {row[c]}" for c in extra
                    if row.get(c) not in (None, "") and str(row[c]) not in sentences[i]]
            if said:
                sentences[i] = sentences[i].rstrip(".") + "; " + "; ".join(said) + "."
            lead_in = self.db.lead_in(table, str(row[sem.key])) if is_part(str(row.get(sem.what) or "")) else ""
            if lead_in:   # "biii) Alcohol" is a part of "4c) Substance misuse - ... successful completions"
                sentences[i] = f"{sentences[i].rstrip('.')} (a part of “{lead_in.rstrip(': ')}”)."
        years = [d for d in u.dates if d.precision == "year" and d.start]
        if values_rows and years and not any(str(d.start.year) in str(v.get("period")) for d in years for v in values_rows):
            return None  # a year the figures do not cover: a passage may say more
        quarters = [d for d in u.dates if d.precision == "quarter"]
        if values_rows and quarters and not any(_same_quarter(d, v.get("period")) or _month_in(d, v.get("raw"))
                                                for d in quarters for v in values_rows):
            have = sorted({str(v.get("period")) for v in values_rows})
            return self._abstain(u, f"{DONT_SAY} what the figure is for {quarters[0].text}: they give "
                                    f"{compose.join_names(have)} only. " + " ".join(sentences), scope, {},
                                 hits=[], confidence=0.3, citations=[self.db.cite(r) for r in rows],
                                 reason_code="period_not_given")
        dated = next((v for d in quarters for v in values_rows
                      if not _same_quarter(d, v.get("period")) and _month_in(d, v.get("raw"))), None)
        if dated is not None and sentences:   # "17.5% (Dec 19)" for "Q3 19/20": say that Dec 19 is in it
            month = _VALUE_MONTH.search(str(dated.get("raw"))).group(0)
            asked = quarters[0]
            number = (asked.start.month - 4) % 12 // 3 + 1   # quarters of the financial year (April to March)
            sentences[-1] = f"{sentences[-1].rstrip('.')}. {month} falls in quarter {number} ({asked.text})."
        if values_rows and period and len(compared) < 2 and not any(value_of_period(v, period) for v in values_rows):
            have = sorted({str(v.get("period")) for v in values_rows})
            return self._abstain(u, f"{DONT_SAY} what the figure is for {period}: they give "
                                    f"{compose.join_names(have)} only. " + " ".join(sentences), scope, {},
                                 hits=[], confidence=0.3, citations=[self.db.cite(r) for r in rows],
                                 reason_code="period_not_given")
        if values_rows and period and len(compared) < 2 and _ASKS_TARGET_OF.search(u.lower) and \
                not _target_asked_apart(u.lower) and \
                not any(same_period(v.get("period"), period) and v.get("kind") == "target" for v in values_rows):
            # "what was the 2019-20 target": the latest of 2019-20 and the 2020-21 target are no answer
            return self._abstain(u, f"{DONT_SAY} what the target for {period} is: no target is given for that "
                                    f"year. What they do give: " + " ".join(sentences), scope, {},
                                 hits=[], confidence=0.3, citations=[self.db.cite(r) for r in rows],
                                 reason_code="period_not_given")
        # ("what was carer satisfaction in 2019-20": a past year's figure asked with no kind named is what was
        # achieved; a target for that year is no answer)
        past = u.value_kind in (None, "actual") and _WHAT_WAS.search(u.lower) is not None and len(compared) < 2 and \
            not any(same_period(v.get("period"), period) and v.get("kind") not in ("target", "floor")
                    for v in values_rows)
        if values_rows and period and (past or u.value_kind == "actual" and re.search(r"\bactual|\bachiev|\bmanag|\bdid\b", u.lower)
                                       and not any(same_period(v.get("period"), period) and v.get("kind") == "actual"
                                                   for v in values_rows)):
            return self._abstain(u, f"{DONT_SAY} what was actually achieved in {period}: no actual is given for "
                                    f"that year. What they do give: " + " ".join(sentences), scope, {},
                                 hits=[], confidence=0.3, citations=[self.db.cite(r) for r in rows],
                                 reason_code="period_not_given")
        written = _no_figure_for(values_rows, period) if values_rows and period and len(compared) < 2 else None
        if written is not None:
            # "how many charging points in 2018-19": the row gives 2018-19 only as "n/a"
            return self._abstain(u, f"{DONT_SAY} what the figure is for {period}: it is written “{written}” there. "
                                    f"What they do give: " + " ".join(sentences), scope, {},
                                 hits=[], confidence=0.3, citations=[self.db.cite(r) for r in rows],
                                 reason_code="field_not_given")
        asked_amounts = ((sem.amount, sem.amount_raw),) if named_amount else (sem.amounts or ((sem.amount, sem.amount_raw),))
        if intent == "how_much" and sem.amount and not (stated and not semantics()[table].names_amount_column(u.lower)) \
                and (named_amount or (len(sem.amounts) <= 1 and _ASKS_VALUE.search(u.lower))) \
                and not any(row.get(name) is not None or (raw and str(row.get(raw) or "").strip())
                            for row in rows for name, raw in asked_amounts):
            # the row is found but its figure (the one named: "lifetime exposure") is blank: not an answer to "how much"
            # the heading it is listed under may say why ("Other Risks (under £10m - individual amounts not included)")
            under = [f"It is listed under “{h}”." for h in dict.fromkeys(str(r.get("section_path") or r.get("priority") or "")
                                                                         for r in rows)
                     if h and h not in " ".join(sentences)]
            return self._abstain(u, f"{DONT_SAY}: no figure is given for it. " + " ".join([*sentences, *under[:1]]),
                                 scope, {}, hits=[], confidence=0.3, citations=[self.db.cite(r) for r in rows],
                                 reason_code="field_not_given")
        if line_measures.one_line(rows, sem):   # measures of one line: each, and their difference if asked
            # (two years of it: the change from the earlier to the later)
            years = line_measures.year_change_sentence(rows, sem) if line_measures.ASKS_CHANGE.search(u.lower) else ""
            gap = years or (line_measures.difference_sentence(rows, sem)
                            if line_measures.ASKS_DIFFERENCE.search(f"{u.lower} {u.topic}") else "")
            text = " ".join([*sentences, gap]).strip()
        elif len(rows) > 1:
            names = {_strip_suffix(str(r.get(sem.what) or "")) for r in rows}   # ("Number of complaints - CCP" / "- Council")
            # "the difference between X and Y net budgets": two lines, and how far apart their figures are
            gap = line_measures.difference_sentence(rows, sem) if sem.amount and \
                line_measures.ASKS_DIFFERENCE.search(u.lower) else ""
            intro = f"This {sem.label} appears in {len(rows)} places; each is answered separately:" if len(names) == 1 \
                and not gap else f"The {len(rows)} {sem.plural} asked:"   # "primary vs secondary": two rows, one each
            text = intro + "\n" + "\n".join(f"- {s}" for s in sentences) + (f"\n{gap}" if gap else "")
        else:
            text = sentences[0]
        citations = [self.db.cite(r) for r in rows]
        columns, table_rows = _table_of(sem, rows)
        if values_rows:
            columns, table_rows = _values_table(sem, rows, values_rows)
        confidence = round(min(0.99, max(s for _, _, s in picked)), 3)
        answer = Answer(question=u.question, route="sql", answer=text, confidence=confidence,
                        citations=dedupe_citations(citations), sql=";\n".join(sqls), columns=columns, rows=table_rows,
                        explanation=f"{u.explain()}; row={table}:{','.join(keys)}")
        people = tuple(n for r in rows for n in (r.get(sem.who) or []) if isinstance(r.get(sem.who), list))
        return Reply(answer, Context(table, keys, people, tuple(dict.fromkeys(
            [r["department"] for r in rows if r.get("department")])) or scope.departments,
            scope.councils, scope.documents, u.topic, row_measure=row_measure(rows)))

    def _period_of_line(self, u: Understanding, sem: TableSemantics, keys: tuple[str, ...]) -> tuple[str, ...]:
        """For tables with a period column (budgets by year), the same line in the year asked."""
        periods = [d.fy_label for d in u.dates if d.fy_label]
        if not reads_line_years(u.lower, periods) or sem.values:
            return keys
        columns = {c.name for c in TABLES_BY_NAME[sem.table].columns}
        if "period" not in columns:
            return keys
        # the same measure first ("Net Budget" in another year), else the one sharing most words with it
        # ("Net Cost" for "Revised Base Budget (Net Cost)"), else any ("Year 5" is a year's own column)
        has_measure = "measure" in columns
        same = "(s.measure IS NOT DISTINCT FROM t.measure) DESC, " if has_measure else ""
        measures = ", s.measure, t.measure" if has_measure else ", NULL, NULL"
        out = []
        for key in keys:
            q = Query(f"SELECT s.{sem.key}, s.period{measures} FROM {sem.table} s JOIN {sem.table} t ON s.doc_id = t.doc_id "
                      f"AND s.{sem.what} IS NOT DISTINCT FROM t.{sem.what} "
                      f"AND s.raw_table_id IS NOT DISTINCT FROM t.raw_table_id WHERE t.{sem.key} = ? "
                      f"ORDER BY {same}s.line_start", (key,))
            siblings = self.db.run(q).rows
            forms = {p: period_spellings(p) for p in periods}

            def of_year(period: Any, spellings: Any) -> bool:
                return bool(period) and any(str(period).lower() in f or f in str(period).lower() for f in spellings)
            # a stable sort: the same measure stays first, ties keep the lines' order
            ranked = sorted(((k, m, was, period) for k, period, m, was in siblings), key=lambda r: (
                r[1] != r[2], -len(set(terms(str(r[1] or ""))) & set(terms(str(r[2] or ""))))))
            match = [r for r in ranked if any(of_year(r[3], fs) for fs in forms.values())]
            line_years = list(dict.fromkeys(str(p) for _, p, _, _ in siblings if p))
            if line_measures.ASKS_CHANGE.search(u.lower) and (len(periods) >= 2 or len(line_years) == 2):
                # "how much more in 25/26 than 24/25", "how much has it gone up on the 24/25 base": the line in
                # each year asked (or in its two years), to be set against each other
                years = periods if len(periods) >= 2 else line_years
                each = [next((r[0] for r in ranked if of_year(r[3], period_spellings(y))), None) for y in years]
                if all(each) and len(set(each)) == len(each):
                    out.extend(each)
                    continue
            out.append(match[0][0] if match else key)
        return tuple(dict.fromkeys(out))

    def _measure_of_line(self, u: Understanding, sem: TableSemantics, keys: tuple[str, ...]) -> tuple[str, ...]:
        """For long-form tables (one row per line and column), the column the question names, else the last."""
        wanted = [v for t, c, v in u.groups if t == sem.table and c == "measure"]
        out = []
        for key in keys:
            q = Query(f"SELECT s.{sem.key}, s.measure, s.{sem.what} FROM {sem.table} s JOIN {sem.table} t ON "
                      f"s.doc_id = t.doc_id AND s.{sem.what} IS NOT DISTINCT FROM t.{sem.what} AND "
                      f"s.raw_table_id IS NOT DISTINCT FROM t.raw_table_id AND "
                      f"s.raw_row_index IS NOT DISTINCT FROM t.raw_row_index AND s.line_start = t.line_start "
                      f"WHERE t.{sem.key} = ? ORDER BY s.{sem.key}", (key,))
            # in the line's own column order: "…:c10" after "…:c9", not after "…:c1"
            found = sorted(self.db.run(q).rows, key=lambda row: [int(p) if p.isdigit() else p
                                                                 for p in re.split(r"(\d+)", str(row[0]))])
            siblings = [(k, m) for k, m, _ in found]
            # the words that name the line ("... Community Based Services") name none of its columns ("Base")
            asked = set(terms(u.text)) - set(terms(str(found[0][2] or ""))) if found else set(terms(u.text))
            # "the total cost, prior years' spend included": what a figure takes in names no column of it
            asked -= set(terms(" ".join(m.group(0) for m in table_ops.INCLUDING.finditer(u.lower))))
            # ... nor do the words of a heading it is under ("in the ASCH controllable budget": not the
            # Controllable Recharges column)
            asked -= set(terms(" ".join(v for t, c, v in u.groups if t == sem.table and c != "measure")))
            generic = {stem(w) for w in ("budget", "budgets")}  # every measure of a budget table says "budget"
            # the column the question's words named (understand.match_groups: "grant income" is Grants) first
            # ... unless the line's own name is all that says it ("the Advice and Other Staffing line": no Staffing)
            said = [m for m in wanted if set(terms(str(m))) & asked]
            overlap = [(m in said, len((set(terms(str(m))) - generic) & asked),
                        len(set(terms(str(m))) & asked) / max(len(terms(str(m))), 1), i, k)
                       for i, (k, m) in enumerate(siblings)
                       if set(terms(str(m))) <= asked or m in said or (set(terms(str(m))) - generic) & asked]
            overlap = [(b, i, k) for _, _, b, i, k in sorted(overlap, key=lambda x: (not x[0], -x[1], -x[2]))]
            named = [k for _, _, k in overlap]
            several = line_measures.measures_named(asked - generic, siblings)   # "gross and net"
            out.extend(several or [named[0] if named else (siblings[-1][0] if siblings else key)])
        return tuple(dict.fromkeys(out))

    # ------------------------------------------------------------------ LLM text-to-SQL

    def _llm_sql(self, u: Understanding, scope: Conditions) -> Reply | None:
        from assistant.sql.guard import run_guarded

        plugin = self.plugin()
        try:
            sql = plugin.text_to_sql(u.text)
            guarded, columns, rows = run_guarded(self.settings, sql)
        except QueryRefused as exc:
            log.warning("LLM SQL refused: %s", exc)
            return None
        except PlanAssistantError:
            raise
        except Exception as exc:  # a provider failure must not break the offline answer
            log.warning("LLM text-to-SQL failed: %s", exc)
            return None
        if not rows:
            return None
        dicts = [dict(zip(columns, r)) for r in rows]
        cites = [self.db.cite(d) for d in dicts if d.get("file") and d.get("line_start")]
        preview = "; ".join(", ".join(f"{c}={compose.short(v, 60)}" for c, v in d.items()
                                      if c not in ("file", "line_start", "line_end")) for d in dicts[:10])
        text = f"{len(rows)} row{'s' if len(rows) != 1 else ''}: {preview}"
        answer = Answer(question=u.question, route="sql", answer=text, confidence=0.6,
                        citations=dedupe_citations(cites, MAX_CITATIONS), sql=guarded.sql, columns=tuple(columns),
                        rows=tuple(tuple(r) for r in rows), explanation=f"{u.explain()}; llm text-to-sql")
        return Reply(answer, Context(topic=u.topic))

    # ------------------------------------------------------------------ text answers and abstention

    def _text(self, u: Understanding, scope: Conditions, timings: dict[str, float],
              near: tuple[str, str] | None = None) -> Reply:
        """The best sentences of the retrieved passages; with `near` (file, section path), only that
        section's passages when one of them says every word of the topic."""
        t0 = time.perf_counter()
        query = u.search_text
        hits = _balance(self._search(query, scope, kind=None, tables=None, k=50)) if terms(query) else []
        if near is not None:
            same = [h for h in hits if (h.citation.file, h.citation.section) == near]
            if not same:   # the section's passages, found by its heading's words too
                same = [h for h in self._search(f"{query} {near[1]}", scope, kind=None, tables=None, k=50)
                        if (h.citation.file, h.citation.section) == near]
            if any(set(terms(u.topic)) <= set(terms(h.text)) for h in same):
                hits = same
        timings["retrieve"] = timings.get("retrieve", 0.0) + (time.perf_counter() - t0) * 1000
        if not hits:
            return self._abstain(u, f"{DONT_SAY}: nothing in them matches this question.", scope, timings, hits,
                                 reason_code="no_match")
        wants_list = bool(re.search(r"(?:^|[-–:]\s*)(?:what|which) are\b|\blist\b|\bpriorities\b|\bvalues\b", u.lower))
        dates = " ".join(d.text for d in u.dates)
        topic = u.topic.removeprefix("number ") if "number" not in u.lower else u.topic
        # words that only name a kind of row ("pledges") pick no sentence when the topic has others
        generic = {stem(w) for w in GENERIC_WORDS}
        if u.intent == "who":   # "which cabinet member is responsible for X": the post is what the sentence names
            generic -= set(terms(" ".join(m.group(0) for m in _ROLE_ASKED.finditer(u.lower))))
        # ... nor do the words that name the document asked about ("the budget risks register: what is
        # meant to replace the gas boilers"): they pick its title line, not the sentence asked for
        generic |= document_terms(u.documents, self.db.lexicon())
        topic = " ".join(w for w in topic.split() if stem(w) not in generic) or topic
        found = extract(f"{topic or query} {dates}".strip(), hits, self.db.lines, u.intent, wants_list,
                        similarity=lambda texts: self._sentence_cosines(u.text, texts), asked=u.text,
                        money=asked_kind(u.lower) == "money")
        confidence = self._text_confidence(u, hits, found, topic)
        if (found is None or confidence < TEXT_ACCEPT) and scope.documents and u.documents and near is None:
            # the documents the question seemed to name ("the Integrated Care Strategy" is a title's words)
            # say nothing good enough: any document may, as for rows (_table_answer)
            # ... when the passage found speaks of what named them (the words the question and the titles share)
            wider = self._text(u, replace(scope, documents=()), timings)
            naming = set(terms(u.text)) & document_terms(u.documents, self.db.lexicon())
            said = " ".join(f"{c.section} {c.quote}" for c in wider.answer.citations) + f" {wider.answer.answer}"
            if not wider.answer.abstained and naming and naming <= set(terms(said)):
                return wider
        if found is None or confidence < TEXT_ACCEPT:
            return self._abstain(u, f"{DONT_SAY}: no passage answers this question well enough.", scope,
                                 timings, hits, confidence)
        text, citations = found.text, list(found.citations)
        listed_items: tuple[str, ...] = ()
        if wants_list and citations:   # "what are the four focus areas": the items the sentence announces
            first = citations[0]
            lines = self.db.lines(first.file)
            items = announced_items(text, lines, first.line_end, u.lower)
            last = citations[-1]
            if not items and last.file == first.file:   # "...; Enablers:": the lines it leads into
                items = items_after_lead_in(text, lines, last.line_end)
            listed_items = tuple(t for _, t in items)
            if items:
                text = f"{text.rstrip('.').rstrip(':')}: " + "; ".join(t for _, t in items) + "."
                citations = [replace(first, line_end=items[-1][0], quote=quote(lines, first.line_start, items[-1][0]))]
        listed = _LISTED.match(text)
        if listed and not listed_items:   # "Proposed Priorities: A; B; C; D." lists them too
            listed_items = tuple(i.strip(" .") for i in listed.group(2).split(";") if i.strip(" ."))
        first_lines = self.db.lines(citations[0].file) if citations and re.search(r"\bhow many\b", u.lower) \
            and not listed else ()
        bulleted = bulleted_cell(first_lines[citations[0].line_start - 1], u.topic) \
            if 0 < (citations[0].line_start if first_lines else 0) <= len(first_lines) else None
        if bulleted is not None:   # "how many trainings are listed under X": the items of the cell X leads
            lead, items = bulleted
            text = f"{len(items)} under “{lead}”: " + "; ".join(items) + "."
            listed_items, citations = tuple(items), citations[:1]
        if re.search(r"\bhow many\b", u.lower) and listed and \
                set(terms(listed.group(1))) & (set(content_terms(u.topic)) - {"number"}):
            # "how many headline initiatives": the items listed under the heading that names them, counted
            text = f"{listed.group(2).count(';') + 1} {text}"   # "5 Headline Initiatives: ..."
        if prose_sum.asks_difference(u.lower) and (apart := prose_sum.differed(u.text, text)):
            text = f"{prose_sum.difference_sentence(*apart)} {text}"   # "more non-UASC or UASC, by how many"
        elif prose_sum.asks_added(u.lower) and (together := prose_sum.added(u.text, text)):
            text = f"{prose_sum.sentence(*together)} {text}"   # "combined followers": the passage's counts added
        elif (left := prose_sum.left_to_do(u.text, text)) is not None:
            text = f"{left[0]:,.0f} still to do ({left[1]}). {text}"   # "52 homes (49 completed)": 3
        if u.intent == "who" and not _ASKS_BODIES.search(u.lower) and \
                not _names_someone(text, lexicon=self.db.lexicon(),
                                   roles=not (names_a_role(u.text) or _ROLE_ASKED.search(u.lower))):
            # (a question of which cabinet member is not answered by a passage that says "Cabinet Member")
            # "which cabinet member is responsible for X": the passage names none, but the portfolio's
            # section it is printed in does ("Neighbourhoods and Public Protection – Cllr Asaf Afzal")
            member = self.db.cabinet_member({"file": citations[0].file, "section_path": citations[0].section}) \
                if citations and _ROLE_ASKED.search(u.lower) else None
            # ... "which team did X": the heading of the team whose list of work it is in
            body = WHICH_BODY.search(u.lower) if citations and member is None else None
            team = body_heading_above(self.db.lines(citations[0].file), citations[0].line_start, body.group(1)) \
                if body else None
            if team is None and member is None and citations and DOER_ASKED.search(strip_preamble(u.question).lower()):
                # "whos widening the bridge at brockhill": the body whose paragraph of work says it
                team = named_body_above(self.db.lines(citations[0].file), citations[0].line_start)
            opened = opening_body(text) if body and member is None and team is None else None
            if opened:
                # "which GET division leads the transport capital schemes": the passage's paragraph opens with
                # the body's name, which the extract already gives ("Highways and Transportation (HT): ...")
                team, text = opened, text[len(opened) + 1:].lstrip()
            if member is None and team is None:
                return self._abstain(u, f"{DONT_SAY} who: no passage about this names a person.", scope, timings,
                                     hits, confidence, reason_code="no_person_named")
            place = citations[0].section.split(" > ")[0]
            text = f"{member}: the Cabinet Member of “{place}”, where it is listed. {text}" if member else \
                f"{team}: {text}"
        plugin = self.plugin()
        if plugin is not None:
            try:
                text = plugin.synthesize(u.text, [h.text for h in hits[:4]]) or text
                citations = [h.citation for h in hits[:4]]
            except Exception as exc:  # keep the extractive answer
                log.warning("LLM synthesis failed: %s", exc)
        answer = Answer(question=u.question, route="text", answer=text, confidence=round(confidence, 3),
                        citations=dedupe_citations(citations),
                        explanation=f"{u.explain()}; text from {len(hits)} passages")
        # the passage quoted first (a typed row's, for "whose pledge was it?"), else the best one
        quoted = citations[0] if citations else None
        first = next((h for h in hits if quoted is not None and h.citation.file == quoted.file and h.table
                      and h.citation.line_start <= quoted.line_start <= h.citation.line_end), hits[0])
        # the department of the passage quoted first: "which cabinet member's section is that under?"
        department = first.metadata.get("department") if isinstance(first.metadata, dict) else None
        departments = scope.departments or ((str(department),) if department else ())
        return Reply(answer, Context(first.table, (first.row_id,) if first.row_id else (), (), departments,
                                     scope.councils, scope.documents, u.topic, items=listed_items))

    def _sentence_cosines(self, query: str, texts: Sequence[str]) -> list[float]:
        with single_threaded_torch():
            return self.retriever.sentence_cosines(query, texts)

    def _text_confidence(self, u: Understanding, hits: list[Hit], found: Any, topic: str | None = None) -> float:
        """Dense similarity of the best passage, and how many question words the passages and the chosen
        sentences hold (`topic`: the words that pick a sentence, less those naming the document asked of and
        its period, which filter); lowered by topic words that appear nowhere in the documents."""
        dense = max(float(h.metadata.get("dense_score", 0.0) or 0.0) for h in hits[:3])
        said_period = {t for d in u.dates for t in terms(d.text)} if u.documents else set()
        q = [t for t in content_terms(topic or u.topic or u.text) if t not in said_period] or \
            content_terms(topic or u.topic or u.text)
        lexicon = self.db.lexicon()
        cov = weighted_coverage(q, " ".join(h.metadata.get("index_text") or h.text for h in hits[:3]), lexicon)
        sent_cov = weighted_coverage(q, found.best, lexicon) if found else 0.0
        conf = 0.4 * dense + 0.3 * cov + 0.3 * sent_cov
        n_topic = max(len(u.topic.split()), 1)
        conf *= 1 - 0.6 * len(u.unknown_terms) / n_topic
        years = {str(y) for d in u.dates if d.start and d.end for y in range(d.start.year, d.end.year + 1)}
        own = found.own or found.best if found else ""
        if years and found and not any(y in own or y[2:] in re.findall(r"\d{2}", own) for y in years):
            conf *= 0.6  # a question about a period needs a passage that names it (in a sentence answering it)
        topic = [t for t in content_terms(u.topic) if not t[:1].isdigit()]
        if found and 0 < len(topic) <= SHORT_TOPIC_TERMS and not u.unknown_terms and \
                set(topic) <= set(terms(found.best)):
            conf = max(conf, TEXT_ACCEPT)  # "anything on homelessness?": the best sentence names the whole topic
        return conf

    def _abstain(self, u: Understanding, reason: str, scope: Conditions, timings: dict[str, float],
                 hits: list[Hit] | None = None, confidence: float = 0.0,
                 citations: list[Citation] | None = None, reason_code: str = "low_match",
                 said: Sequence[tuple[str, Citation]] = ()) -> Reply:
        """An abstention: the reason, then the nearest things the documents do say (the text of an
        answer that was turned down and its citation, `said`, first)."""
        if hits is None and terms(u.topic or u.text):
            hits = self._search(u.text, scope, kind=None, tables=None, k=3)
        said = [(t, c) for t, c in said if t.strip()][:MAX_NEAREST]
        seen = {(c.file, c.line_start) for _, c in said}
        nearest = [h for h in (hits or []) if (h.citation.file, h.citation.line_start) not in seen][:MAX_NEAREST - len(said)]
        text = reason
        lines = [(t, c, SAID_CHARS) for t, c in said] + [(tidy(h.text).lstrip("-•* "), h.citation, NEAREST_CHARS) for h in nearest]
        if lines:
            text += " The nearest things they do say:\n" + "\n".join(
                f"- {compose.short(quote, n)} ({c.file}, lines {c.line_start}-{c.line_end})" for quote, c, n in lines)
        answer = Answer(question=u.question, route="none", answer=text, abstained=True,
                        confidence=round(confidence, 3), abstain_reason=reason_code,
                        citations=dedupe_citations(tuple(citations or []) + tuple(c for _, c in said) + tuple(h.citation for h in nearest)),
                        explanation=f"{u.explain()}; abstained")
        return Reply(answer, Context(topic=u.topic, departments=scope.departments, councils=scope.councils,
                                     documents=scope.documents))


# ---------------------------------------------------------------------- helpers

#: "2029-30 onwards", "from 2027-28 on": the years from one named; "up to 2028-29": the years to it.
_ONWARDS = re.compile(r"\bonwards?\b|\bfrom \S+ on\b|\band (?:after|later)\b|\bthereafter\b")
_UP_TO = re.compile(r"\b(?:up to|until|to|through|before)\s+(?:the\s+)?(?:(?:19|20)\d\d)")
#: The last year of a range "onwards" has none: every later column is in it.
OPEN_END = 9999


def asked_range(u: Understanding) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The years a "which year ..." question looks at: first years of the financial years (inclusive,
    from one named "onwards", up to one, or between two) and a range of programme year numbers."""
    years = sorted({int(d.fy_label[:4]) for d in u.dates if d.fy_label})
    within = None
    if len(years) >= 2:
        within = (years[0], years[-1])
    elif years and _ONWARDS.search(u.lower):
        within = (years[0], OPEN_END)
    elif years and _UP_TO.search(u.lower):
        within = (0, years[0])
    m = cells.YEAR_NUMBERS.search(u.lower)
    numbered = tuple(sorted((int(m.group(1)), int(m.group(2))))) if m else None
    return within, numbered   # type: ignore[return-value]


def document_terms(documents: tuple[str, ...], lexicon: Lexicon) -> set[str]:
    """The terms of the titles and kinds of the documents a question names ("the budget risks register"):
    they say where to look, not what to find."""
    named = {d.doc_id: d for d in lexicon.documents}
    # (and the initials it may be named by: "the qpr" of the Quarterly Performance Report)
    return set(terms(" ".join(f"{named[d].title} {named[d].kind} {' '.join(title_acronyms(named[d].title))}"
                              for d in documents if d in named)))


#: "The department's", "the directorate": a department the question's context sentence names.
_THE_DEPARTMENT = re.compile(r"\bthe (?:department|directorate|division)(?=(?:'s|’s)?\b)", re.IGNORECASE)


def _scope_kept(stripped: str, question: str, lexicon: Lexicon) -> str:
    """The question less its preamble, with "the department" written as the one department the preamble
    names ("I'm pulling together the CCP finance pack. What's the department's total ...?")."""
    if stripped == question or not _THE_DEPARTMENT.search(stripped) or match_departments(stripped, lexicon):
        return stripped
    named = match_departments(question, lexicon)
    return _THE_DEPARTMENT.sub(named[0], stripped, count=1) if len(named) == 1 else stripped


def _departments_spelt_out(text: str, departments: tuple[str, ...], lexicon: Lexicon) -> str:
    """The question with the short names of the departments it is about spelt out ("ete countryside
    services income" -> "Economy, Transport and Environment countryside ..."), as a table's context
    names them."""
    for d in lexicon.departments:
        if d.name in departments:
            for alias in sorted(d.aliases, key=len, reverse=True):
                if fold(alias) not in fold(d.name):
                    text = re.sub(rf"(?<![\w&])'?{re.escape(alias)}(?:'s)?(?![\w&])", d.name, text, flags=re.IGNORECASE)
    return text


def _table_captions(db: Database) -> list[tuple[str, str | None, str | None, str | None]]:
    """Every table caption with its table kind, department and council (read once per database file)."""
    return [(str(c), k, d, n) for c, k, d, n in db.run(Query(
        "SELECT DISTINCT caption, kind, department, council FROM raw_tables WHERE caption IS NOT NULL")).rows]


@contextmanager
def single_threaded_torch() -> Iterator[None]:
    """Embed one query on one thread, then restore the thread count.

    On a small shared machine, torch's multi-threaded kernels spin against other processes: one
    short query took 200-320 ms (p50) with 2 threads and 8-12 ms with 1 under load (measured with
    the bundled MiniLM). Batch embedding (ingest) keeps its own setting.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _mentions_department(text: str, departments: tuple[str, ...]) -> bool:
    """Whether `text` names one of the departments, by name or by a name people use for it."""
    folded = fold(text)
    return any(has_phrase(folded, fold(alias)) for d in departments for alias in department_aliases(d))


def _listed_item(question: str, context: Context | None) -> str | None:
    """The question with "the first one" ("the third one", "number 2") written as the thing a passage's
    answer listed in that place, when the previous answer was such a list; else None."""
    if context is None or not context.items:
        return None
    index = picked_index(question.lower())
    if index is None or not -len(context.items) <= index < len(context.items):
        return None
    return with_pick_named(question, context.items[index].rstrip("."))


def _states_figure(text: str) -> bool:
    """Whether `text` states a number other than a year ("44,056 people", "£7.1 million", "52%")."""
    return any(not re.fullmatch(r"(?:19|20)\d\d", n) for n in re.findall(r"\d[\d,.]*\d|\d", text))


#: "And completed?", "what about offered?": a short follow-up that may name a row beside the one before.
_SIBLING_ASK = re.compile(r"^(?:and|what about|how about)\b")
#: (its words, and "whole", "overall", "-wide": "and for the whole council?" asks the row for the council)
_SIBLING_FILLER = frozenset(index_tokens("and what about how many much number the its their figure latest target "
                                         "whole entire overall wide own for in what's whats"))
#: ... or a question that names the scope of the row asked, not a new topic: "what's the council-wide target
#: for 20/21?", "what's CCP's own target?", "for the council as a whole?"
_SCOPE_OF_ROW = re.compile(r"\b\w+[- ]wide\b|\b\w+'?s own\b|\bas a whole\b")
#: ...with at most this many words of its own,
SIBLING_WORDS = 2
#: ...printed within this many lines of the row before.
SIBLING_LINES = 12

#: Two words a question sets against each other: "primary vs secondary", "men or women", "neet vs neet + not known".
_CONTRASTED = re.compile(r"(?:^|[\s,:(-])(?P<a>[a-z][\w+&' -]{1,30}?)\s+(?:vs\.?|versus|v)\s+(?P<b>[a-z][\w+&' -]{1,30}?)"
                         r"(?=\s*(?:[,?;:)]|$| - |\s+(?:latest|target|figure|actual|in|for)\b))")

#: ... or "how do primary and secondary compare".
_COMPARED_PAIR = re.compile(r"\bhow do(?:es)?\s+(?P<a>[a-z][\w+&'-]{1,20})\s+and\s+(?P<b>[a-z][\w+&'-]{1,20})\s+compare\b")

#: "Which outcome is that under?", "which priority area is it in?": the headings above the previous passage.
_UNDER_WHICH = re.compile(r"^(?:and\s+)?(?:which|what)\s+(?:[\w-]+\s+){0,3}?(?:is|was|are|were)\s+(?:that|it|this|they|"
                          r"those)\s+(?:under|in|part of|from)\s*\??$")
#: A table row's first cell of at most this many words is its label ("Sustainable waste and transport").
ROW_LABEL_WORDS = 8

#: A list or count that no filter narrows answers a question with fewer topic words of its own than this
#: ("what savings are there?"), not one about a particular thing ("... the LED street lighting project").
UNFILTERED_TOPIC_WORDS = 2

#: Why a row's answer is about something else than asked: later answerers may find what is.
_OFF_TOPIC = frozenset({"row_off_topic", "name_not_said", "rare_words_missing",
                        "wrong_value_kind",   # (a rate's row for "how many": a passage may give the count)
                        "row_excludes_subject"})   # (a KPI "excluding UASC" for beds freed from the UASC scheme)

#: The conversation's recent questions and answers kept for names a follow-up shortens, in characters
#: (about three turns).
SAID_LATELY_CHARS = 2000


def _said_lately(question: str, answer: str, context: Context | None) -> str:
    """This turn's question and answer, then the turns before, up to SAID_LATELY_CHARS."""
    return f"{question}\n{answer}\n{context.said if context else ''}"[:SAID_LATELY_CHARS]


def _previous_answer(context: Context) -> str:
    """The first line of the previous turn's answer, read back from `Context.said` (_said_lately)."""
    if not context.said.startswith(f"{context.question}\n"):
        return ""
    return context.said[len(context.question) + 1:].split("\n", 1)[0]


#: A total or ranking of at most this many words with no person, department or document of its own
#: ("combined capital cost?") is of the rows before.
TERSE_OPERATION_WORDS = 3


#: What a table writes in a measure's cell for a period it has no figure for.
_NOT_AVAILABLE = frozenset({"n/a", "na", "n.a.", "not available", "-", "–", "—", ""})


def _no_figure_for(values: list[dict[str, Any]], period: str) -> str | None:
    """The cell text ("n/a") when every value of the rows for the period asked says it has no figure;
    None when one gives a figure or a word that answers ("tbc", "Monitor")."""
    of_period = [v for v in values if same_period(v.get("period"), period)]
    if not of_period or any(v.get("value") is not None or str(v.get("raw") or "").strip().lower() not in _NOT_AVAILABLE
                            for v in of_period):
        return None
    return str(of_period[0].get("raw") or "").strip() or "blank"


def _terse_operation(u: Understanding) -> bool:
    found = operation_of(u.lower)
    return bool(found and found[0] in ("sum", "average", "max", "min") and not (u.people or u.departments or u.documents)
                and len(re.findall(r"[a-z]+", u.lower)) <= TERSE_OPERATION_WORDS)


#: "And the yearly charge?": a short follow-up naming another column of the rows before.
_AND_THE = re.compile(r"^(?:and|what about|how about)\s+(?:the|its|their)\s+(?:[\w-]+\s*){1,4}\??$")

#: "Who are the statutory members of the partnership?": bodies, not people, answer it.
_ASKS_BODIES = re.compile(r"\bwho (?:are|were) (?:the |its |their )?(?:\w+ ){0,2}(?:members|partners|organisations|"
                          r"organizations|bodies|agencies|stakeholders|signatories)\b")

#: "The consequence if it goes wrong / if it happens": how a risk's field is asked, no words of the risk.
_IF_IT_HAPPENS = re.compile(r"\b(?:if|when|should)\s+(?:it|this|that|the risk)\s+(?:goes wrong|go wrong|happens|happen|"
                            r"materiali[sz]es|occurs|comes about|comes to pass)\b")
#: "... - that or the street lighting cables contract?": the previous row set beside one the question names.
_THAT_OR = re.compile(r"\b(?:that|it|this(?: one)?|the (?:previous|last|same) one)\s+or\s+(?:the\s+)?"
                      r"(?P<other>[^?]{4,160}?)\s*\??\s*$")
#: A part of a compound question that points back at the part before it.
_REFERS_BACK = re.compile(r"\b(?:it|its|that|this|he|she)\b|\beach\W*$|^and\b", re.IGNORECASE)   # ("at what cost each?")


def _shared_item(parts: list[str]) -> str:
    """The item every part of a split question starts with ("X - "), or "" when they name different ones."""
    m = re.match(r"^(.+?\s[-–—:]\s)", parts[0])
    return m.group(1) if m and all(p.startswith(m.group(1)) for p in parts) else ""


#: "X and Y - when are they due?", "X and Y: who leads them?": two items, then one question about both.
_COMPOUND = re.compile(r"^\s*(?P<a>[^?]{4,120}?)\s+(?:and|&)\s+(?P<b>[^?]{4,120}?)\s*(?:[-–—:,])\s*"
                       r"(?P<ask>(?:when|who|what|how|which)\b[^?]*\b(?:they|them|both|their)\b[^?]*\??)\s*$",
                       re.IGNORECASE)
_PLURAL_TO_ONE = ((r"\bare they\b", "is it"), (r"\bdo they\b", "does it"), (r"\bwere they\b", "was it"),
                  (r"\bthey are\b", "it is"), (r"\bthey\b", "it"), (r"\bthem\b", "it"), (r"\btheir\b", "its"),
                  (r"\bboth\b", "it"))


#: "Technology division - net budget 25-26 and who's the director": one item, then two asks of it.
_TWO_ASKS = re.compile(r"^\s*(?P<item>[^?]{3,120}?)\s+[-–—:]\s+(?P<q1>[^?]{3,80}?),?\s+and\s+"
                       r"(?P<q2>(?:who|when|what|how|which|is|does|whose)\b[^?]{2,80})\??\s*$", re.IGNORECASE)
#: "Who leads the comms review and when is it due?": a question, then a second one about the same thing
#: ("how many 3.0t vans is ETE replacing and at what cost each?").
_THEN_ASK = re.compile(r"^\s*(?P<q1>(?:who|when|what|which|how)\b[^?]{8,160}?),?\s+and\s+"
                       r"(?P<q2>(?:who|whose|when|what|which|how)\b[^?]*\b(?:it|its|they|that|this|he|she)\b[^?]*|"
                       r"(?:at|for) what\b[^?]*\beach)\??\s*$",
                       re.IGNORECASE)
#: "Whos the RO for X, and has a 20/21 target been set?": a question, then a yes-or-no one of the same thing
#: that names no pronoun.
_THEN_YES_NO = re.compile(r"^\s*(?P<q1>(?:who|whos|who's|when|what|whats|what's|which|by when)\b[^?]{8,160}?),\s+and\s+"
                          r"(?P<q2>(?:has|have|is|are|was|were|does|did)\s+(?:a|an|the|any)\b(?![^?]*\b(?:it|its|they|"
                          r"them|their|that|this|he|she)\b)[^?]{3,80}?)\??\s*$", re.IGNORECASE)
#: "Who leads on strengthening DACES, and what's the 20/21 target for learners completing programmes?": a
#: question of who, then (after a comma) a question of its own, asked as a follow-up of the first.
_THEN_OWN_ASK = re.compile(r"^\s*(?P<q1>(?:who|whos|who's|which (?:officer|person|councillor|cllr|cabinet member|"
                           r"director|manager|lead|member))\b[^?,]{8,160}?),\s+and\s+"
                           r"(?P<q2>(?:what|whats|what's|when|whens|when's|how|which)\b[^?]{6,120}?)\??\s*$",
                           re.IGNORECASE)
#: The first ask of a two-ask question names a field of the item.
_FIELD_ASK = re.compile(r"\b(?:who|when|what|which|how|budget|net|gross|target|latest|due|cost|value|lead|leads|"
                        r"exposure|rag|rating|floor|director|owner|figure|timescale|deadline)\b", re.IGNORECASE)


#: "ETE's HGV gritters - capital cost each and the annual charge per vehicle?": one item, then two of its
#: figures, each named in a few words (not "gross and net": one line's measures are answered together).
_TWO_FIELDS = re.compile(r"^\s*(?P<item>[^?]{3,120}?)\s+[-–—:]\s+(?P<f1>[^?]{6,60}?),?\s+and\s+(?P<f2>[^?]{6,60}?)\??\s*$",
                         re.IGNORECASE)
#: Words that name a figure of a row, two of which a _TWO_FIELDS question asks.
_FIGURE_NAMED = re.compile(r"\b(?:cost|costs|charge|value|price|budget|target|latest|spend|saving|exposure|"
                           r"income|grant|total|how many)\b", re.IGNORECASE)
#: "X - how many, and the capital cost?": a bare "how many" asks the item's quantity, one figure of it.
_BARE_HOW_MANY = re.compile(r"\s*how many\s*", re.IGNORECASE)


#: "RO for reducing KSIs on derbyshire roads? + latest KSI number": a question, then after its question mark
#: a second ask joined by "+" / "plus" / "also".
_THEN_PLUS = re.compile(r"^\s*(?P<q1>[^?]{8,200}?)\s*\?\s*(?:\+|plus\b|and also\b|also\b)\s*(?P<q2>[^?]{3,120}?)\s*\??\s*$",
                        re.IGNORECASE)


def split_compound(question: str) -> list[str] | None:
    """The two questions a compound question asks ("X - when is it due?", "Y - when is it due?"),
    or None for any other question. A second question about the same thing ("... and when is it
    due?") is asked after the first, as a follow-up."""
    plus = _THEN_PLUS.match(question)
    if plus:   # "... roads? + latest KSI number": the second asked as a follow-up ("and the latest KSI number?")
        second = plus.group("q2").strip()
        lead = "and " if QUESTION_START.match(second) else "and the "
        return [plus.group("q1").strip() + "?", lead + re.sub(r"^(?:the|its)\s+", "", second, flags=re.IGNORECASE) + "?"]
    fields = _TWO_FIELDS.match(question)
    if fields and all(_FIGURE_NAMED.search(fields.group(f)) and len(fields.group(f).split()) >= 2 and
                      (not QUESTION_START.match(fields.group(f)) or _BARE_HOW_MANY.fullmatch(fields.group(f)))
                      for f in ("f1", "f2")):
        item = fields.group("item").strip()
        return [f"{item} - {fields.group('f1').strip()}?", f"{item} - {fields.group('f2').strip()}?"]
    two = _TWO_ASKS.match(question)
    if two and _FIELD_ASK.search(two.group("q1")) and not _COMPOUND.match(question):
        item = two.group("item").strip()
        return [f"{item} - {two.group('q1').strip()}?", f"{item} - {two.group('q2').strip()}?"]
    then = _THEN_ASK.match(question)
    if then:
        return [then.group("q1").strip() + "?", then.group("q2").strip() + "?"]
    then_own = _THEN_OWN_ASK.match(question)
    if then_own:   # "who leads on X, and what's the 20/21 target for Y?": the second asked after the first
        return [then_own.group("q1").strip() + "?", "and " + then_own.group("q2").strip() + "?"]
    yes_no = _THEN_YES_NO.match(question)
    if yes_no:   # "whos the RO for X, and has a 20/21 target been set?": the second asked of X ("for it")
        return [yes_no.group("q1").strip() + "?", yes_no.group("q2").strip() + " for it?"]
    m = _COMPOUND.match(question)
    if not m:
        return None
    ask = m.group("ask")
    for pattern, one in _PLURAL_TO_ONE:
        ask = re.sub(pattern, one, ask, flags=re.IGNORECASE)
    ask = ask if ask.endswith("?") else ask + "?"
    return [f"{m.group('a').strip()} - {ask}", f"{m.group('b').strip()} - {ask}"]


def _target_asked_apart(lower: str) -> bool:
    """Whether the target is asked after the rest, with no year of its own ("how many ... in 2019-20, and
    what's the target?"): the year is of the figure asked first, not of the target."""
    then = compose.THEN_ASKED.search(lower)
    if then is None:
        return False
    first, second = lower[:then.start()], lower[then.start():]
    return bool(re.search(r"\btargets?\b", second)) and not re.search(r"\btargets?\b", first) and \
        not parse_dates(second)


def _same_quarter(asked: Any, written: Any) -> bool:
    """Whether a value's period as written ("Q3 2024-25") is the quarter asked."""
    from assistant.router.understand import parse_dates

    spans = [d for d in parse_dates(str(written or "")) if d.precision == "quarter"]
    return any(d.start == asked.start for d in spans)


#: A month and year a value is dated by, as written beside it: "17.5% (Dec 19)", "(Sep 2019)".
_VALUE_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*'?((?:19|20)?\d\d)\b",
                          re.IGNORECASE)


def _month_in(asked: Any, raw: Any) -> bool:
    """Whether the month a value is dated by ("Dec 19") falls in the quarter asked (Q3 2019-20)."""
    from assistant.router.understand import _MONTH_ABBR

    for m in _VALUE_MONTH.finditer(str(raw or "")):
        year = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
        month = _MONTH_ABBR[m.group(1).lower()[:3]]
        if asked.start and asked.end and asked.start <= date(year, month, 1) <= asked.end:
            return True
    return False


_YEARISH = re.compile(r"\b(?:19|20)\d\d\b")


def _dated_mention(u: Understanding, row: dict[str, Any], sem: TableSemantics) -> str:
    """For a "when" answer: another cell of the row that says, with a year, the thing the question
    asks about when the row's title does not ("when will the pool open?" of a pledge to start
    building it, whose measure says "…the new pool opening in 2020…")."""
    title = set(terms(str(row.get(sem.what) or "")))
    asked = [t for t in content_terms(u.topic or u.text) if t not in title and not t[:1].isdigit()]
    if not asked:
        return ""
    for column in sem.texts:
        cell = str(row.get(column) or "")
        if column != sem.what and _YEARISH.search(cell) and set(asked) & set(terms(cell)):
            return f" It also says: \u201c{compose.short(cell, 200)}\u201d"
    return ""


def _unknown_filter(filters: Filters, lexicon: Lexicon) -> str | None:
    """A sentence naming a user filter (department, council, document) that matches nothing, with
    the closest values the documents have; None when every filter given matches something."""
    from rapidfuzz import process

    options = {"department": [d.name for d in lexicon.departments], "council": list(lexicon.councils),
               "document": [d.doc_id for d in lexicon.documents] + [d.title for d in lexicon.documents]}
    for name, value in (("department", filters.department), ("council", filters.council),
                        ("document", filters.document)):
        if not value:
            continue
        want = fold(value)
        known = options[name]
        if name == "department" and match_departments(value, lexicon):
            continue
        if any(want and (want in fold(k) or fold(k) == want) for k in known):
            continue
        near = [m[0] for m in process.extract(value, known, limit=3, score_cutoff=50)]
        hint = f" Did you mean {' or '.join(repr(n) for n in near)}?" if near else \
            f" The documents have: {', '.join(sorted(set(known))[:8])}."
        return f"No {name} in the documents matches {value!r}, so nothing was searched.{hint}"
    return None


#: Stems of the words that name a measure's value or rating (semantic.MEASURE_FIELD_WORDS).
_MEASURE_FIELD_STEMS = frozenset(stem(w) for w in MEASURE_FIELD_WORDS)


#: Words of a follow-up that point at the previous rows or pick among them, never a topic they must hold.
_FOLLOW_UP_STEMS = frozenset(terms("those these them they ones one only just which what still also any"))


def _column_stems(tables: tuple[str, ...]) -> frozenset[str]:
    """Stems of the words of the named table's column names ("lifetime exposure", "likelihood"):
    words that pick a column, never words a row must contain."""
    if not tables:
        return frozenset()
    return frozenset(stem(w) for c in TABLES_BY_NAME[tables[0]].columns for w in c.name.split("_") if len(w) > 2)


#: Sums of money as written ("£60k", "£60,000", "£1.5 million").
_SUM_WRITTEN = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?\s*(?:million|bn|billion|m|k)?\b", re.IGNORECASE)


def _sums_said(text: str) -> set[float]:
    """The sums of money a text writes, in pounds."""
    return {v for m in _SUM_WRITTEN.finditer(text) if (v := parse_money(m.group(0))) is not None}


#: The code a row's name starts with: "bii)", "4c)", "1.2", "(a)".
_LEADING_CODE = re.compile(r"^\s*(?:\(?[0-9a-z]{1,5}\)|\d+(?:\.\d+)*\.?)\s+", re.IGNORECASE)


def _named_exactly(topic: str, name: str) -> bool:
    """Whether the topic is the row's name itself (its code and case aside)."""
    return bool(topic.strip()) and fold(_LEADING_CODE.sub("", name)) == fold(topic)


def _named_before_noun(lower: str, name: str, table: str | None) -> bool:
    """Whether the question names the row whole, right before a noun of its table: "the income risk" is the
    risk "Income", not "Non delivery of Savings and income ..."."""
    nouns = "|".join(re.escape(n) for n in SYNONYMS.get(table or "", ()))
    folded = fold(_LEADING_CODE.sub("", name))
    return bool(nouns and folded) and re.search(rf"\b(?:the|a|an)\s+{re.escape(folded)}\s+(?:{nouns})\b",
                                                fold(lower)) is not None


#: A row's name said whole as what the question is about must be this many words long ("Buxton Fairfield
#: Roundabout"): one word ("Buxton") is more often a part of other names than a name.
MIN_WHOLE_NAME_WORDS = 2


def _named_as_subject(lower: str, name: str) -> bool:
    """Whether the question opens with the row's whole name, set off by punctuation: "buxton fairfield
    roundabout (the contract itself, not the golf club earthworks) - value and start?"."""
    words = re.findall(r"[^\W_]+", _LEADING_CODE.sub("", name).lower())
    if len(words) < MIN_WHOLE_NAME_WORDS:
        return False
    return re.match(rf"\s*(?:the\s+)?{'[^a-z0-9]+'.join(map(re.escape, words))}\s*(?:[(:;,?–-]|$)", lower) is not None


def _field_stems(table: str | None) -> frozenset[str]:
    """Stems of the words that name a field of `table` (semantic.TableSemantics.field_words)."""
    return frozenset(stem(w) for w in semantics()[table].field_words()) if table in semantics() else frozenset()


def _with_steps(reply: Reply, steps: tuple[Step, ...], answered: Step) -> Reply:
    """The reply with the decision in its explanation: the steps planned and the one that answered."""
    route = " > ".join(s.answerer for s in steps)
    return Reply(replace(reply.answer, explanation=f"{reply.answer.explanation}; steps={route}; "
                                                   f"answered by {answered.answerer}"), reply.context)


#: A row whose own name holds a word the topic set aside as scope ("Invest in Derbyshire" for "the invest in
#: derbyshire programme") gains this much per word, up to the most; a row found by its topic alone scores
#: ROW_ACCEPT and up, so this only orders rows that share the topic.
SCOPE_WORD_NAMED = 0.04
SCOPE_WORDS_NAMED_MAX = 0.08
#: ... and only a row holding more than this share of the topic's words.
TOPIC_SHARE_FOR_SCOPE = 0.5


def _scope_named(aside: set[str], wanted: set[str], row: set[str]) -> float:
    """A row's gain for the scope words its own name holds, when it holds most topic words too (two rows
    of "invest": the one named "Invest in Derbyshire" is the Derbyshire programme)."""
    return min(SCOPE_WORDS_NAMED_MAX, SCOPE_WORD_NAMED * len(aside & row)) \
        if len(wanted & row) > TOPIC_SHARE_FOR_SCOPE * len(wanted) else 0.0


#: A figure asked in the past tense: "what was X in 2019-20", "how did X do in 2018-19".
_WHAT_WAS = re.compile(r"\bwhat (?:was|were)\b|\bhow (?:did|was|were)\b")
#: A "when" asking for a thing's end or opening, not its start: "go live", "open", "be finished".
_ASKS_FINISH = re.compile(r"\bgo(?:es)? live\b|\b(?:open|opens|opening|launch|launches|finish|finishes|end|ends|"
                          r"complete|completed|be (?:ready|built|delivered|in place))\b")
#: The post a "who" question asks for, named in its words ("which cabinet member", "the portfolio holder").
_ROLE_ASKED = re.compile(r"\b(?:cabinet members?|portfolio holders?|lead members?|councillors?|cllr)\b")


def _people_to_query(u: Understanding) -> list[str]:
    full = [p.name for p in u.people if not p.partial]
    return full or [p.name for p in u.people]


#: Words asking what is spent on a thing (not what is saved or cut from it).
_SPENT_ON = re.compile(r"\b(?:spend|spends|spent|spending|cost of|costs|budgeted|budget for)\b")


def _role_tables(intent: str, u: Understanding) -> tuple[str, ...]:
    if intent == "when" and (u.when_kind == "due" or _ASKS_FINISH.search(u.lower)):
        # a completion date is never read from a table that only records when something starts
        # ("start and end dates?" asks one too; _verified refuses such a row for it)
        allowed = tuple(t for t in ROLE_TABLES["when"] if t in u.tables or not (
            semantics()[t].due and semantics()[t].due.prefix == "start"))
        named = tuple(t for t in u.tables if t in allowed)
        return named or allowed
    if u.counting:
        return tuple(t for t in ROLE_TABLES["how_much"] if semantics()[t].values)  # a count is a KPI figure
    allowed = ROLE_TABLES.get(intent, ())
    named = tuple(t for t in u.tables if t in allowed)
    if named:
        return named
    if intent == "how_much" and _SPENT_ON.search(u.lower):
        # "how much does the county spend on TU facilities time": a saving on it is no spend
        allowed = tuple(t for t in allowed if not semantics()[t].words.reduction)
    if u.tables and intent == "how_much" and semantics()[u.tables[0]].values:
        return (u.tables[0],)
    return allowed


def _table_of(sem: TableSemantics, rows: list[dict[str, Any]]) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    from assistant.router.queries import display_columns

    cols = (*display_columns(sem), "department", "council", "file", "line_start", "line_end")
    return tuple(cols), tuple(tuple(r.get(c) for c in cols) for r in rows)


def _values_table(sem: TableSemantics, rows: list[dict[str, Any]], values: list[dict[str, Any]]):
    names = {str(r[sem.key]): r for r in rows}
    cols = (sem.what, "period", "kind", "raw", "department", "file", "line_start")
    out = []
    for v in values:
        r = names.get(str(v[sem.key]), {})
        out.append((r.get(sem.what), v.get("period"), v.get("kind"), v.get("raw"), r.get("department"),
                    r.get("file"), v.get("line_start")))
    return cols, tuple(out)



#: "Cost per vehicle?" after a line: a short question of at most this many words names a column of it.
MAX_MEASURE_FOLLOW_UP_WORDS = 4
#: "Whose portfolio?": the person a field belongs to.
_WHOSE = re.compile(r"^\s*(?:and\s+)?whose\b")
#: How many one-row answers a conversation remembers for "the two", "all three".
MAX_RECENT = 4
#: "together?", "and combined?", "what do they come to together?": a bare total of at most this many words
#: adds up the rows asked one at a time before it.
MAX_BARE_SUM_WORDS = 6


#: "Which is cheaper?", "which one's bigger?": a comparative of the rows just asked about.
_WHICH_IS = re.compile(r"^\s*(?:and\s+|so\s+)?which(?: one)?(?:'s|\s+is|\s+was)\b")


#: "How much did it rise by 18-19?", "what was the change in 2019-20": a change over the one year named.
_CHANGE_BY_YEAR = re.compile(r"(?:" + table_ops.MOVE_VERBS + r"|\b(?:rise|increase|grow|fall|drop|decrease|change)\b)"
                             r"[^?]*?\b(?:by|in|during)\s+(?:(?:19|20)?\d\d)\s*[-/]\s*\d\d\b")


def _periods_lately(u: Understanding, reply: Reply, context: Context | None) -> tuple[str, ...]:
    """The years the last two turns asked of the reply's one row ("in 2017-18?", then "and 2019-20?"),
    oldest first; a turn about another row, or naming no year, starts again."""
    ctx = reply.context
    asked = tuple(dict.fromkeys(d.fy_label for d in u.dates if d.fy_label))
    if reply.answer.abstained or len(ctx.keys) != 1 or not asked:
        return ()
    earlier = context.periods if context is not None and context.keys == ctx.keys else ()
    return tuple(dict.fromkeys(earlier + asked))[-2:]


def _recent_rows(reply: Reply, context: Context | None) -> tuple[str, ...]:
    """The rows of the last one-row answers of the reply's table, this one last."""
    ctx = reply.context
    if reply.answer.abstained or not ctx.table or len(ctx.keys) != 1:
        return ctx.recent if ctx.table and context is not None and ctx.table == context.table else ()
    earlier = context.recent if context is not None and context.table == ctx.table else ()
    return (tuple(k for k in earlier if k != ctx.keys[0]) + ctx.keys)[-MAX_RECENT:]


def _with_rows_counted(question: str, context: Context | None) -> Context | None:
    """"What do the two add up to?" after two one-row answers: the context of those rows together."""
    n = rows_counted(question.lower()) if context is not None else None
    if n is None and context is not None and len(context.keys) == 1 and len(context.recent) >= 2 and \
            (operation_of(question.lower()) or ("",))[0] == "sum" and \
            len(re.findall(r"[a-z]+", question.lower())) <= MAX_BARE_SUM_WORDS:
        n = len(context.recent)   # "together?" after rows asked one at a time: a sum of one row is none
    if n is None and context is not None and len(context.keys) == 1 and len(context.recent) >= 2 and \
            _WHICH_IS.match(question.lower()) and comparative(question.lower()) and \
            len(re.findall(r"[a-z]+", question.lower())) <= MAX_BARE_SUM_WORDS:
        n = 2   # "which is cheaper?" after two rows asked one after the other: of those two
    if n is None and context is not None and len(context.keys) == 1 and len(context.recent) >= 2 and \
            WHICH_DATED.match(question.lower()):
        n = 2   # "which starts first?" after two rows asked one after the other: the earlier of those two
    if context is None or n is None or len(context.keys) >= n or len(context.recent) < n:
        return context
    return replace(context, keys=context.recent[-n:], plan=None, table_question="", table_op="")


def _read_from(answer: Answer) -> tuple[str, str] | None:
    """(file, section path) of an answer's first citation: where a follow-up's "that area" is."""
    return (answer.citations[0].file, answer.citations[0].section) if answer.citations and not answer.abstained else None


def _end_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."
