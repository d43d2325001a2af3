"""Follow-up questions read against the previous turn: what a follow-up leaves out ("it", "that
department", "and for the falls programme?") filled in from the turn's context (context.py)."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.router.context import Context
from assistant.router.decide import ROLE_TABLES, ROLE_TITLE
from assistant.router.understand import PersonMatch, Understanding
from assistant.router.scoring import SHORT_TOPIC_TERMS, content_terms
from assistant.text import terms


#: "and for the falls programme?", "what about libraries?": the same question of another subject.
_ANOTHER_SUBJECT = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+|^and\s+(?:for|in|on|of|with)\s+|"
                              # "and over 85s?": a few words of their own, no question word nor pronoun
                              r"^and\s+(?=(?:(?!(?:who|whom|whose|what|when|where|which|why|how|is|are|does|do|did|it|its|"
                              r"they|them|their|that|this|those|these|the)\b)[\w'’&.-]+\s*){1,3}\??$)")


def another_subject(lower: str) -> bool:
    """Whether a follow-up only names another subject ("and CCP's 3.5t tippers?", "what about ETE?")."""
    return _ANOTHER_SUBJECT.match(lower) is not None


def subject_swapped(u: Understanding, context: Context | None) -> str | None:
    """After a passage's answer (or an abstention), "and for X?" asks the previous question of X: that
    question with the span its subject words covered replaced by X; None when it is no such follow-up."""
    m = _ANOTHER_SUBJECT.match(u.lower)
    if context is None or context.route not in ("text", "none") or not context.question or not m \
            or not terms(u.topic) or u.people or u.departments or u.councils:
        return None   # a person, department or council named is a scope, not a subject
    subject = u.text[m.end():].strip(" ?.!")
    if re.search(r"\s[-–:]\s", subject):
        return None   # "what about X - <a question of its own>": that question is asked
    old = set(terms(context.topic))
    spans = [t for t in re.finditer(r"[\w'’&/-]+", context.question) if set(terms(t.group(0))) & old]
    if not subject or not spans:
        return None
    return context.question[:spans[0].start()] + subject + context.question[spans[-1].end():]


#: "the matching action in the ETE service plan", "the corresponding KPI": a row of another table about
#: the previous answer's subject.
_MATCHING = re.compile(r"\b(matching|corresponding|equivalent|related)\s+(?!to\b)[a-z]")


#: "how many have been transferred ...": a count of things the question does not name, the previous turn's.
_NOTHING_COUNTED = re.compile(r"^(?:and\s+|so\s+)?how many\s+(?:have|has|had|are|were|will|would)\b")


#: A period written in words ("in the first year", "this year"): the previous turn's, which a follow-up
#: naming its own date ("and how many by 2024?") replaces.
_PERIOD_WORDS = re.compile(r"\b(?:in\s+)?(?:the\s+)?(?:(?:first|second|third|fourth|final|last|next|this|current)\s+)?"
                           r"(?:year|yr|quarter|qtr)s?\b")


def _own_period_kept(u: Understanding, topic: str) -> str:
    """The previous turn's topic, less its period words when the follow-up names a date of its own."""
    if not u.dates:
        return topic
    return re.sub(r"\s+", " ", _PERIOD_WORDS.sub(" ", topic)).strip() or topic


#: Words that point back at the previous turn's subject ("for that", "of it", "its budget").
POINTS_BACK = re.compile(r"\b(?:that|it|its|this|those|these|them)\b")


def resolve_follow_up(u: Understanding, context: Context | None) -> Understanding:
    """Fill what a follow-up leaves out ("that department", "it") from the previous turn; "and the
    agency share?" after a KPI's latest value asks the same of another row."""
    if context is None:
        return u
    if u.intent == "who" and not (u.departments or u.people) and context.departments and \
            POINTS_BACK.search(u.lower) and ROLE_TITLE.search(u.lower):
        # "which cabinet member's section is that under?": the office of the previous answer's department
        return replace(u, departments=context.departments, councils=u.councils or context.councils)
    # a passage's answer, an abstention, or one table cell (no typed row to refer to)
    about_topic = context.route in ("text", "none") or (context.route == "sql" and not context.keys
                                                        and not context.table and not context.table_question)
    matching = _MATCHING.search(u.lower)
    if about_topic and matching and context.topic:   # "the matching action": matching is no word of its subject
        u = replace(u, topic=" ".join(w for w in u.topic.split() if w != matching.group(1)))
    if about_topic and context.topic and not u.people \
            and (not (u.tables or u.groups) or POINTS_BACK.search(u.lower) or matching or _NOTHING_COUNTED.match(u.lower)) \
            and len(terms(u.topic)) <= SHORT_TOPIC_TERMS and not re.match(r"^(?:what|how) about\b", u.lower):
        # "how many schemes?" after a passage about roads, "and the 4 year deliverable for that?" after
        # one about libraries, "and at the 2011 census?" after a question the passages did not answer:
        # ask it of the same subject
        # (searched with it only when the follow-up's own words name at most one thing: "and what % of
        # homes does the council own?" finds its own passage)
        carried = _own_period_kept(u, context.topic)
        return u.with_subject(carried, searched=len(set(content_terms(u.topic)) - {"number"}) <= 1,
                              topic=f"{u.topic} {carried}".strip())
    if not (u.follow_up or not u.topic):
        return u
    if not u.people and context.people and re.search(r"\b(?:she|he|her|him|his|they|them|their)\b", u.lower) \
            and not re.search(r"\b(?:those|these|them all)\b", u.lower):
        u = replace(u, people=(PersonMatch(context.people[0], context.people[0], 100.0),))  # "does she lead"
    if u.intent in ("explain", "unknown") and context.intent in ROLE_TABLES and context.table and \
            re.match(r"^(?:and|also|what about|how about|and what about)\b", u.lower) and u.topic:
        u = replace(u, intent=context.intent,  # type: ignore[arg-type]
                    value_kind=u.value_kind or context.value_kind,  # type: ignore[arg-type]
                    tables=u.tables or (context.table,))
    # another council named ("what about derbyshire county - ..."): the previous council's departments
    # and documents are not carried over to it
    same_council = not u.councils or set(u.councils) <= set(context.councils)
    departments = u.departments or (context.departments if same_council and (
        re.search(r"\b(that|this|same)\b", u.lower) or u.follow_up) else ())
    return replace(u, departments=departments, councils=u.councils or context.councils,
                   documents=u.documents or (context.documents if same_council else ()),
                   tables=u.tables or ((context.table,) if context.table and u.intent in ("count", "list") else ()))


#: "and their capital combined?", "what's the gap between their capital budgets?": the things the
#: previous answer named one by one, pointed back at.
_THEIR = re.compile(r"\b(?:their|them|they|those|these|both)\b(?:\s+two)?")


def items_named_back(question: str, context: Context | None) -> str | None:
    """After a sum or comparison of rows named one by one ("Green and Vibrant gross revenue combined"),
    the follow-up with its pronoun written as those names ("and Green and Vibrant capital combined?"),
    so that it is asked of the same rows with its own measure; None when it is no such follow-up."""
    plan = context.plan if context is not None else None
    if plan is None or len(plan.items) < 2:
        return None
    m = _THEIR.search(question.lower())
    if m is None:
        return None
    return question[:m.start()] + " and ".join(plan.items) + question[m.end():]



#: "And the year before?", "the previous year?", "and the year after?": the previous question of another year.
_NEXT_YEAR = re.compile(r"^(?:and\s+|so\s+|what about\s+|how about\s+)?(?:(?:for|in)\s+)?(?:the\s+|that\s+)?"
                        r"(?:(?P<before>(?:year|yr) (?:before|prior|earlier)|previous (?:year|yr)|prior (?:year|yr))|"
                        r"(?P<after>(?:year|yr) after|following (?:year|yr)|next (?:year|yr)))\s*\??$")
#: A financial year as a question writes it: "2018-19", "2018/19", "18-19".
_FINANCIAL_YEAR = re.compile(r"\b(?P<a>(?:19|20)?\d\d)\s*[-/]\s*(?P<b>\d\d)\b")


def period_shifted(question: str, context: Context | None) -> str | None:
    """"And the year before?" after "Number of compliments - council-wide, 2018-19?": the previous
    question with its financial year one earlier ("... 2017-18?"); None when it is no such follow-up or
    the previous question names no financial year."""
    m = _NEXT_YEAR.match(question.strip().lower())
    if context is None or not context.question or not m:
        return None
    years = _financial_years(context.question)
    if len(years) != 1:
        return None
    y = years[0]
    step = -1 if m.group("before") else 1
    first = int(y.group("a")[-2:]) + step
    century = y.group("a")[:-2]
    shifted = f"{century}{first % 100:02d}-{(first + 1) % 100:02d}"
    return context.question[:y.start()] + shifted + context.question[y.end():]


def _financial_years(text: str) -> list[re.Match[str]]:
    """The financial years a question writes ("2018-19", "18/19"): two years in a row, not a range."""
    return [y for y in _FINANCIAL_YEAR.finditer(text) if (int(y.group("a")[-2:]) + 1) % 100 == int(y.group("b"))]


#: "By how much?", "so how many more ...", "what's the difference ...": how far apart two figures before are.
_APART = (r"^(?:and\s+|so\s+)?(?:by how (?:much|many)|how (?:much|many) (?:more|fewer|less|bigger|larger|higher|lower|"
          r"smaller|up|down)|what(?:'s| is| was) the (?:difference|gap|change|increase|decrease|rise|fall)|"
          # "difference between them?", "the gap?", "how far apart are they?"
          r"(?:the\s+)?(?:difference|gap)(?=\s+between\s+(?:them|the two|those|these|both)\b|\s*\??\s*$)|"
          r"how far apart (?:are|were) (?:they|the two|those|these)|"
          # "so how much did it narrow?", "how far has it gone down?"
          r"how (?:much|many|far) (?:did|has|have|does|do) (?:it|that|they|the gap) (?:narrow\w*|widen\w*|shr[iu]nk|"
          r"improv\w*|worsen\w*|chang\w*|(?:go|gone) (?:up|down)|fall|fallen|rise|risen|drop\w*|grow|grown|"
          r"increas\w*|decreas\w*|clos\w*))\b")
BY_HOW_MUCH = re.compile(_APART, re.IGNORECASE)
#: ... with nothing else asked: "so how many more is that?", "what's the difference between them?".
_HOW_FAR_APART = re.compile(_APART + r"(?:\s+(?:is|was|'s)?\s*(?:that|it|then|between (?:them|the two)))*\s*\??\s*$",
                            re.IGNORECASE)


def periods_apart(question: str, context: Context | None) -> str | None:
    """"So how many more is that?" after one row's figure for one year, then for another ("and
    2019-20?"): that row's two years set side by side ("and 2017-18 vs 2019-20?"); None otherwise."""
    if context is None or len(context.keys) != 1 or len(set(context.periods)) != 2 or \
            not _HOW_FAR_APART.match(question.strip()):
        return None
    first, second = context.periods
    return f"and {first} vs {second}?"


#: "Same year for ...", "that year", "the same period": the year the previous question asked.
_SAME_YEAR = re.compile(r"\b(?:the\s+)?same\s+(?:financial\s+)?(?:year|yr|period)\b|\bthat\s+(?:year|yr)\b")


def period_carried(question: str, context: Context | None) -> str | None:
    """"Same year for the ones living in their own home?" after a question of 2018-19: the question with
    that year written in; None when it names no such year or the previous question names no one year."""
    m = _SAME_YEAR.search(question.lower())
    if context is None or not context.question or not m:
        return None
    years = {y.group(0) for y in _financial_years(context.question)}
    if len(years) != 1:
        return None
    rest = f"{question[:m.start()]} {question[m.end():]}".strip()
    # "... for the ones living in their own home": a new subject of the previous question, not its rows
    rest = re.sub(r"^(?:and\s+)?(?:for|of|in|on)?\s*(?:the ones?|those|them)\b\s*", "", rest, flags=re.IGNORECASE)
    return f"{rest.rstrip(' ?')} in {years.pop()}?"


#: "Who leads the action on that strategy?": a kind of thing the previous answer named...
_THAT_THING = re.compile(r"\b(?:that|this|the same)\s+(?P<noun>[a-z]{4,})\b", re.IGNORECASE)
#: ...but not the scope or a part of the conversation itself ("that department", "that year", "that one").
_NOT_NAMED_THINGS = frozenset("""department council year quarter period table band list area figure total
value amount number date time answer question document plan""".split())


def name_pointed_back(question: str, previous_answer: str) -> str:
    """The question with its "that strategy" written as the one name of that kind the previous answer
    gives ("the older peoples housing, accommodation and support strategy"); unchanged otherwise."""
    m = _THAT_THING.search(question)
    if m is None or m.group("noun").lower() in _NOT_NAMED_THINGS or not previous_answer:
        return question
    noun = m.group("noun").lower()
    name = re.compile(r"((?:[A-Z][\w'’-]*,?\s+(?:(?:and|of|for|the|&)\s+)?){1,8}" + noun[0].upper() +
                      re.escape(noun[1:]) + r"s?)\b")
    found = {n.group(1) for n in name.finditer(previous_answer)}
    if len(found) != 1:
        return question
    # (in lower case, as people type names: a name in capitals is read as a title to match whole)
    return f"{question[:m.start()]}the {found.pop().lower()}{question[m.end():]}"

