"""Verify an answer against its question before giving it (DESIGN.md §4, "verify before answering").

Checks on the answer's own text (and the lines it quotes):
- the kind of value asked (money for "how much does X cost", a number for "how many", a date for
  "when", a percentage for "what percentage") is stated in the answer; a passage's count is a number
  of things beside a word asked, its figure is in a sentence of the thing named, a figure "per kWh"
  needs that unit;
- the rarest words of the question (names, and the attribute of "what is the X of Y") are in the
  answer; a role asked is named; the period asked is covered.
A failed check names a reason code and a sentence; the router then abstains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.router.acronyms import spelled_out_words
from assistant.router.extract import DONE_ASKED, terms
from assistant.text import index_tokens
from assistant.router.understand import ABBREVIATIONS, ROUTER_WORDS, STOPWORDS, Lexicon, period_spellings

ValueKind = Literal["money", "count", "amount", "date", "percent", "duration", "organisation", "grade"]

_ASK_MONEY = re.compile(r"\bhow much\b(?!\s+(?:of|progress|time|longer|more|less))(?=.*\b(?:cost|costs|costing|spend|spending|spends|spent|"
                        r"money|budget|fund|funding|pot|invest|invested|investment|save|saving|savings|worth|pay|"
                        r"paid|price|grant|allocated|allocation|income|make|makes|made|earn|earns|earned|raise|raises|"
                        r"raised|generate|generates|generated)\b)|\bwhat (?:is|was) the (?:cost|value|price|budget)\b|"
                        r"\b(?:contract|procurement) value\b|\bin (?:pounds|money|cash)\b|\bin £|"
                        r"\b(?:cash|money|financial) sav(?:ing|ings|ed)\b|"   # "the saving in money", "the cash saving"
                        r"\bwhat(?:'s| is| was| are) the (?:[a-z]+ )?(?:fines?|fees?|charges?|penalt(?:y|ies)|prices?)\b|"
                        r"\bhow much (?:money|funding)\b|\bwhat(?:'s| is| was) the (?:[a-z]+ )?cost\b|"
                        # "how much of the capital budget is for the market hall": a sum of money, a part of one
                        r"\bhow much of (?:the |that |this |its |their )?(?:[\w'-]+ ){0,3}?(?:budget|funding|spend|grant|"
                        r"money|allocation|pot|investment)s?\s+(?:is|are|was|were|goes|go|went)\s+(?:spent\s+)?"
                        r"(?:for|on|to|in|towards|into)\b|"
                        r"\bwhat (?:did|does|will|would) [^?]{1,80}\bcost\b|"
                        # "what are the new treatment contracts worth?", "what's the deal worth"
                        r"\bwhat(?:'s| is| was| are| were| will)\b[^?]{1,80}\bworth\s*\??$|"
                        r"\bwhat (?:budget|funding|money|investment|grant) (?:is|was|has|have|will|does|did)\b|"
                        r"^(?:and\s+)?(?:what(?:'s| is| was) the\s+)?(?:budget|cost|price) (?:for|of)\b")
#: "How much is the tariff per kWh": an amount of something, money or not, so at least a number.
_ASK_AMOUNT = re.compile(r"\bhow much\b(?!\s+(?:of|progress|time|longer|more|less|difference|impact|change|"
                         r"further|better|worse|has|have|did|does|do|will))|"
                         r"\bhow much of (?:the |that |this )?£?\d|"   # "how much of the £40m goes to X": a share of a sum
                         r"\bhow much of (?:that|this|it|those|these)\b|"   # "how much of that is for the portal": a share
                         r"\bwhat(?:'s| is| was| are)?\s+(?:the\s+)?(?:[\w'-]+\s+){0,4}?(?:rate|level)\s+(?:of|in|for|per|is|was)\b|"
                         # "whats derby's current smoking prevalence", "how much has footfall gone up so far": a figure
                         r"\bwhats?(?:'s| is| are)?\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:current|latest)\s+[a-z]|"
                         r"\bhow much (?:has|have|did)\b[^?]*\b(?:gone|go|risen|rise|fallen|fall|increased|decreased|"
                         r"grown|dropped|rose|fell)\b")
#: ("what is the current suicide rate in kent", "what no2 level is it aiming for": a figure)
#: A question's start, or the start of its ask after the subject ("LTP5 - what date did ...").
_ASK_START = r"(?:^|[-–:]\s+)(?:and\s+)?"
#: "Fastrack passenger numbers", "visitor numbers at Elvaston": a count of the things the word before names.
_THING_NUMBERS = re.compile(r"\b(?!(?:what|which|the|these|those|their|our|your|its|any|some|phone|telephone|"
                            r"reference|page|row|kpi|line)\b)([a-z]{4,}) numbers\b(?!\s+of\b)")
_ASK_COUNT = re.compile(r"\bhow many\b(?!\s+(?:more\s+|fewer\s+)?(?:percentage\s+)?(?:points|pts|pp)\b)|\bwhat number of\b|\bno\. of\b|" + _ASK_START +
                        r"(?:the\s+)?number of\b|\b(?:target|total|expected|planned) number of\b|"
                        + _THING_NUMBERS.pattern)
_ASK_DATE = re.compile(_ASK_START + r"(?:when|by when|what date|what year|by what (?:date|year))\b|"
                       r"\bwhen (?:is|was|will|does|do|did)\b|\b(?:on |by )?what date\b")
#: "How long is the contract for", "how many years does it run": a length of time.
_ASK_DURATION = re.compile(r"\bhow long\b[^?]{0,80}\b(?:meant|due|expected|set|planned|going|supposed) to (?:run|last)\b|"
                           r"\bhow long (?:is|was|will) (?:the |a |an |this |that |it )?(?:[\w'-]+ ){0,6}?(?:contract|lease|"
                           r"agreement|programme|project|scheme|term|placement|consultation|pilot|trial|funding|grant)s?"
                           r"\b|\bhow long (?:does|did|will) [^?]{1,60}\b(?:last|run)\b|\bfor how long\b|"
                           r"\bhow many (?:years|months|weeks) (?:does|did|will|is|was)\b|"
                           r"\b(?:average|typical|current|usual|median|mean)\s+(?:wait|waiting time)s?\b")
#: ("how many points above target?": a difference of two percentages, in points)
#: (not understand.SHARE_ASKED: "at what %?" closing a question of a month is no ask for a share of anything)
_ASK_PERCENT = re.compile(r"\bwhat (?:(?!hourly |daily |weekly |pay |day |charge |fee |tax )[a-z-]+ )?"
                          r"(?:percentage|proportion|share|rate)\b|\bwhat % \b|"
                          r"\bhow many\s+(?:more\s+|fewer\s+)?(?:percentage\s+)?(?:points|pts|pp)\b")

#: (A figure in millions of a unit that is not money is none: "4.6million kWh", "2 million visitors".)
_NOT_MONEY_UNIT = (r"(?!\s*(?:kwh|mwh|gwh|tonnes?|litres?|miles|km|people|visitors|visits|trips|journeys|passengers|"
                   r"users|hits|views|residents)\b)")
_MONEY = re.compile(rf"£\s?\d|\d\s?(?:million|billion|bn|m|k)\b{_NOT_MONEY_UNIT}|"
                    rf"\b\d[\d,]*\s?(?:pounds)\b|\b\d{{1,3}}(?:,\d{{3}})+(?:\.\d\d)?\b{_NOT_MONEY_UNIT}",
                    re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w/])(?<!(?:19|20)\d\d[-–])(?<!(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) )"
                     r"(?!(?:19|20)\d\d\b)\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|"
                     r"ten|eleven|twelve|dozen|hundred|thousand)\b", re.IGNORECASE)
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
                   r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:ongoing|tbc|spring|summer|autumn|winter|quarter|q[1-4])\b",
                   re.IGNORECASE)
_PERCENT = re.compile(r"\d\s?%|\bper ?cent\b", re.IGNORECASE)
#: A length of time: "three years", "18 months", "a 5-year contract", "from 2020 to 2025".
_DURATION = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[\s-]*(?:years?|yrs?|months?|"
                       r"weeks?|days?)\b|\bfrom\b[^.;|]{1,40}\b(?:to|until|till)\b|\buntil\b|\bannual(?:ly)?\b",
                       re.IGNORECASE)

#: A number that is not a percentage ("12 schemes", not "25%"); as `_NUMBER`, no year, nor the end of a year
#: range "2019-20", nor the year of a month "Dec 19". Rates are taken out first (`_RATE_BASE`).
_WHOLE_NUMBER = re.compile(f"(?:{_NUMBER.pattern})" + r"(?![\d.,]*\s?%|[\d.,]*\s?per ?cent)",
                           re.IGNORECASE)

#: "per kWh", "per vehicle": the unit a figure asked is for. Not a unit: "per cent", periods, "per the
#: surveys" (according to) and averages per person ("per head").
_PER_UNIT = re.compile(r"\bper\s+(?!(?:cent|annum|year|month|week|day|the|a|an|our|their|its|his|her|this|that|"
                       r"head|capita|person|resident|employee|fte)\b)([a-z][a-z0-9]+)|"
                       # "the hourly rate for crossing patrol staff", "the day rate for an agency social worker":
                       # a figure per hour, per day
                       r"\b(hour)ly\s+(?:rate|pay|wage|cost|charge)s?\b|"
                       r"\b(day|week|hour)\s+(?:rate|pay|wage|charge)s?\b")
#: "How much income do X bring in", "what does X generate": money coming in asked ...
_ASKS_INCOME = re.compile(r"\b(?:how much|what)\b[^?]*\b(?:income|takings)\b|"
                          # (money only after "how much": "what electric vehicles has it brought in" asks things)
                          r"\bhow much\b[^?]*\b(?:bring in|brings in|brought in|generates?|generated|earns?|earned)\b")
#: ... which an answer gives only as a figure it calls money coming in.
_INCOME_SAID = re.compile(r"\b(?:income|incomes|receipts?|revenue|fees?|charges?|charging|generat\w*|rais\w*|earn\w*|"
                          r"brings? in|brought in|sales?|takings|surplus)\b", re.IGNORECASE)
#: "How much of the maintenance backlog is in schools?", "how much of that goes on foster care
#: allowances?": a part of a whole, which an answer must name (the whole's figure is no answer).
_PART_OF_WHOLE = re.compile(r"\bhow much of (?:the |that |this |its |their |it )?(?P<whole>[^?]*?)\s*\b(?:is|are|was|were|"
                            r"goes|go|went|gets?|got)\s+(?:spent\s+)?(?:in|on|for|to|towards|into)\s+(?:the\s+)?"
                            r"(?P<part>[a-z][^?]*?)\s*\??$")

#: "How much does a Kent Travel Saver pass cost": the price of one thing ("pass"), not a budget's total.
_ONE_OF = re.compile(r"\bhow much (?:does|do|did|will|would|is|was) (?:a|an|one|each|every) "
                     r"((?:[a-z][a-z-]* ){0,4}?[a-z][a-z-]*) (?:cost|costs|set (?:you|me|us) back)\b")

#: Units of measure a question may ask a figure in, and how a text that gives one writes the unit.
_UNITS: dict[str, str] = {
    "tonnes": r"\btonnes?\b|\btons?\b|\d\s?t\b|\bktco2|\bco2e?\b", "kwh": r"\bkwh\b|\bkilowatt", "mwh": r"\bmwh\b|\bmegawatt",
    "litres": r"\blitres?\b|\bliters?\b", "hectares": r"\bhectares?\b|\bha\b", "acres": r"\bacres?\b",
    "miles": r"\bmiles?\b", "kilometres": r"\bkilomet(?:re|er)s?\b|\bkm\b",
}
#: A figure asked in one of those units: "tonnes of waste sent to landfill", "how many kWh".
_UNIT_ASKED = re.compile(r"(?:^|\b(?:how many|number of|what|the|in))\s*(" + "|".join(_UNITS) + r")\b")


#: How a figure is said to be for one of a unit: "14.2p per unit", "£88 a tonne", "£3/kWh".
_PER_SAID = re.compile(r"(?:\bper|\ba|\ban|\beach|\bevery|/)\s*([a-z][a-z0-9]+)")

#: A rate ("55 per 10k", "1,799 per 100,000"): no number of things.
_RATE_BASE = re.compile(r"(?:\d[\d.,]*\s?)?\bper\s+[\d,]+k?\b", re.IGNORECASE)
#: Words of "how many" questions that name nothing counted.
_COUNT_WORDS = frozenset(terms("how many number total count"))
#: Where a passage's answer breaks into sentences (a table row's cells, " | ", stay one: its figures
#: are the row name's).
_PIECES = re.compile(r"(?<=[.!?])\s+|;\s")
#: A sentence that opens by pointing back ("This makes the service available 24/7 and is projected to
#: save £220,000") is about the subject of the sentence before it.
_POINTS_BACK_AT_START = re.compile(r"^(?:this|these|it|they|that|which|he|she)\b", re.I)


def pieces_of(text: str) -> list[str]:
    """The sentences of an answer, each with those that open by pointing back at it."""
    pieces: list[str] = []
    for piece in _PIECES.split(text):
        if pieces and _POINTS_BACK_AT_START.match(piece.strip()):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces
#: A number of things in a passage: a whole number (no share, no year) that is no sum of money
#: ("£70,000", "£5 million").
_COUNT_OF_THINGS = re.compile(r"(?<![£\d,./])(?:" + _WHOLE_NUMBER.pattern + r")(?!\s?(?:million|billion|bn|m|k)\b)"
                              r"(?!/\d)", re.IGNORECASE)   # no part of a date ("01/10/2020")


def _decimal_cell(piece: str, m: re.Match[str]) -> bool:
    """Whether the number is a whole table cell that counts nothing: one with a decimal part ("| 47,801.9 |"
    of a budget in £000s, a sum or a rate), or a row's reference number ("74 | 38,798.4 | Waste ...")."""
    before, after = piece[:m.start()].rstrip(" -–"), piece[m.end():]
    whole_cell = after.lstrip().startswith("|") or not after.strip(" .")
    if not before.strip() and after.lstrip().startswith("|"):
        return True   # the row's first cell: its reference
    return "." in m.group(0).strip(".") and before.endswith("|") and whole_cell


#: "One" that counts nothing: "One way in which ...", "one of the ...", "one another".
_ONE_NOT_COUNTED = re.compile(r"\s+(?:way|of|another|such|more|day|time|who|that|which|hand)\b", re.I)
#: A figure printed with pence ("800,000.00" in a forward plan's value column) is a sum of money, no count.
#: ("11.02 days" is a figure of days: pence need thousands or whole pounds, "45.00".)
_PRICE_FORMAT = re.compile(r"\d{1,3}(?:,\d{3})+\.\d\d|\d+\.00")


#: A measure that is an average, a share or a rate of things ("Average number of days between ...",
#: "Proportion of 65+ people ..."): a row of it gives no number of those things.
_RATE_WORDS = "average|mean|median|proportion|percentage|rate|ratio|share"
_NOT_A_COUNT = re.compile(rf"\b(?:{_RATE_WORDS})\s+(?:number\s+)?of\b|%\s+of\b", re.IGNORECASE)
#: ... unless the question asks for one ("how many sick days per head").
_ASKS_A_RATE = re.compile(rf"\b(?:per|{_RATE_WORDS})\b|%")


#: "how many school crossing patrol staff does derby have": the words of the things counted, up to
#: the question's verb or preposition.
_COUNTED = re.compile(r"\bhow many\s+(?!(?:" + r"|".join(("are", "is", "were", "was", "did", "do", "does", "have", "has",
                                                           "had", "will", "got", "get", "in", "on", "at", "for", "of",
                                                           "of them", "there", "by", "so far", "to date", "since",
                                                           "until", "before", "after", "during", "over", "now",
                                                           "altogether", "overall")) + r")\b)(?!(?:19|20)\d\d\b)"
                      r"((?:[\w'’&-]+\s+){0,4}?[\w'’&-]+?)(?=\s+(?:are|is|were|was|did|do|does|have|has|had|will|would|"
                      r"can|could|got|get|gets|took|take|takes|went|came|received|attended|used|reached|been|in|on|"
                      # (the things' own verb: "how many volunteers run ...", "how many staff work in ...")
                      r"run|runs|ran|work|works|worked|live|lives|lived|use|uses|need|needs|needed|attend|attends|"
                      r"visit|visited|join|joined|make|makes|made|provide|provides|own|owns|manage|manages|access|"
                      r"accessed|benefit|benefited|benefitted|apply|applied|complete|completed|volunteer|volunteered|"
                      r"at|for|with|of|from|by|to|under|across|within|there)\b|\s*[?.,;:]|\s*$)")
#: Nouns that count the same things ("how many pupils" is answered by "5,766 students").
_SAME_THINGS = (frozenset(terms("pupils students children child kids youngsters learners young people")),
                frozenset(terms("people residents participants individuals adults customers users")),
                frozenset(terms("staff employees workers officers posts fte")))
#: The words after a number that say what it counts ("10 children's centres to ..."): this many are read.
COUNT_NOUN_WINDOW = 3


def counted_phrase(lower: str) -> str | None:
    """The things a "how many" question counts, as it writes them ("social media platforms"), or None."""
    m = _COUNTED.search(lower)
    return m.group(1) if m else None


def counted_words(lower: str) -> set[str]:
    """Stems of the things a "how many" question counts ("staff", "school", "patrol", "crossing")."""
    m = _COUNTED.search(lower) or _THING_NUMBERS.search(lower)
    counted = set(terms(m.group(1))) - _COUNT_WORDS if m else set()
    return counted.union(*(same for same in _SAME_THINGS if same & counted))


def _counts_something_else(after: str, counted: frozenset[str] | set[str]) -> bool:
    """Whether the words right after a number name things other than those counted ("30 locations"
    when staff are counted); a number followed by a stop word, a cell border or nothing says nothing."""
    following = re.findall(r"[A-Za-z][\w'’-]*|\d[\d,.]*|[^\s\w]", after)[:COUNT_NOUN_WINDOW]
    if not counted or not following or not following[0][:1].isalpha() or not terms(following[0]):
        return False
    return not any(set(terms(w)) & counted for w in following)


#: A number that labels something ("Outcome 1", "Phase 2", "KPI 3", "Year 7") counts nothing.
_LABEL_BEFORE = re.compile(r"\b(?:outcome|phase|priority|kpi|year|table|tranche|stage|section|page|action|appendix|"
                           r"annex|part|round|level|tier|band|no\.?|ref|item|step|objective|theme)\s*$", re.IGNORECASE)


def _counts_words_asked(piece: str, wanted: set[str]) -> bool:
    """Whether a number in `piece` is followed by a word of the question ("12 libraries")."""
    return any(set(terms(" ".join(piece[m.end():].split()[:COUNT_NOUN_WINDOW]))) & wanted
               for m in _COUNT_OF_THINGS.finditer(piece))


def counts_asked(text: str, wanted: set[str], counted: frozenset[str] | set[str] = frozenset(),
                 sentences: bool = True) -> bool:
    """Whether a sentence of `text` gives a number of things (not money, a share or a year) and a word
    asked ("Waste Watchers ... approximately 5,766 year 7 and 8 students"), the number not one of other
    things than those `counted` ("maintain 10 children's centres" counts no families); read sentence by
    sentence, the sentence must name a thing counted. `sentences`: `text` is a passage, read sentence by
    sentence; else one row's answer, all of it about the row."""
    for piece in _PIECES.split(text) if sentences else [text]:
        piece = _RATE_BASE.sub(" ", piece)
        said = set(terms(piece))
        if sentences and counted and not said & set(counted) and not _counts_words_asked(piece, wanted):
            # "Fastrack passenger numbers": a sentence counting contacts, in Quarter 3, counts no passengers
            # (unless a number in it counts a word of the question: "12 libraries and three family hubs")
            continue
        if wanted & said and any(not _counts_something_else(piece[m.end():], counted)
                                              and not _LABEL_BEFORE.search(piece[:m.start()])
                                              and not _PRICE_FORMAT.fullmatch(m.group(0))
                                              and not _decimal_cell(piece, m)
                                              and not (m.group(0).lower() == "one" and _ONE_NOT_COUNTED.match(piece[m.end():]))
                                              for m in _COUNT_OF_THINGS.finditer(piece)):
            return True
    return False


#: "Which company holds the mortuary contract?": a supplier, provider or contractor by name.
_ASK_ORGANISATION = re.compile(r"\b(?:which|what|who is the|who's the|who are the)\s+(?:company|companies|firm|firms|"
                               r"supplier|suppliers|contractor|contractors|provider|providers|operator)\b|"
                               # "who currently supplies the council's gas": a supplier ("who provides" may be
                               # answered by a body no word marks as one: "Crown Commercial Service")
                               r"\bwho\s+(?:currently\s+|now\s+)?supplies\b")
#: An organisation's name as written: a word only a body's name has ("Invicta Law Ltd", "... NHS Foundation
#: Trust"); a council is no supplier.
_ORGANISATION = re.compile(r"\b(?:Ltd|Limited|plc|PLC|LLP|Inc|CIC|Trust|Partnership|Association|Foundation|Company|"
                           r"University|College|Group)\b")
#: "What overall grade did Ofsted give ...": an inspectorate's judgement.
_ASK_GRADE = re.compile(r"\b(?:grade|graded|judgement|judgment|rating|rated)\b[^?]*\b(?:ofsted|cqc|inspect\w*)\b|"
                        r"\b(?:ofsted|cqc)\b[^?]*\b(?:grade|graded|judgement|judgment|rating|rated)\b")
#: ... as a document writes one: "rated Good", "judged 'Requires Improvement'", "Outstanding".
_GRADE = re.compile(r"\b(?:Outstanding|Good|Requires Improvement|Inadequate)\b|\b(?:rated|judged|graded)\s+(?:as\s+)?"
                    r"['\"‘“]?(?:[Oo]utstanding|[Gg]ood|[Rr]equires [Ii]mprovement|[Ii]nadequate)\b")
_PATTERNS: dict[ValueKind, re.Pattern[str]] = {"money": _MONEY, "count": _NUMBER, "amount": _NUMBER, "date": _DATE,
                                               "percent": _PERCENT, "duration": _DURATION,
                                               "organisation": _ORGANISATION, "grade": _GRADE}

#: A question word held by at most this share of the documents' lines is "rare": an answer that
#: leaves it out is about something else. (At 0.2% of ~5,000 lines that is about ten lines.)
RARE_LINE_SHARE = 0.002
#: Words shorter than this are never treated as rare (abbreviations and numbers vary in form).
MIN_RARE_WORD = 4


@dataclass(frozen=True)
class Verdict:
    ok: bool
    code: str | None = None
    reason: str = ""


#: "How many ... completed / closed / filled": the state of the things counted, which a measure must count.
#: Words that ask for a sum of money, or are said of any thing ("new"): no words of what the sum is for.
_MONEY_ASK_STEMS = frozenset(terms("cost costs costing spend spent spending budget worth price money pay paid fund "
                                   "funding value new total much will going"))
#: A national, England or regional figure asked to compare with ("the england average re-referral rate",
#: "how does Kent's rate compare with national?") ...
_ASKS_BENCHMARK = re.compile(r"\b(?:england|national|regional)\s+(?:average|rate|figure|benchmark|level|mean|comparator)s?\b|"
                             r"\bcompar\w*\s+(?:with|to|against)\s+(?:the\s+)?(?:england|national|regional)\b|"
                             r"\b(?:nationally|regionally)\b")
#: ... the benchmark's own figure ("what's the national rate?", "the national gap it's compared with").
_ASKS_BENCHMARK_FIGURE = re.compile(r"\b(?:england|national|regional)\s+(?:average|rate|figure|benchmark|level|mean|gap|"
                                    r"comparator)s?\b")
#: "How does Kent compare with regional and national figures": how, which words may answer.
_HOW_COMPARES = re.compile(r"\bhow (?:does|do|did|is|are|was|were|has|have)\b[^?]*\bcompar")
#: ... which an answer gives only if it says whose figure it is.
_BENCHMARK_SAID = re.compile(r"\b(?:england|english|national|nationally|regional|regionally|statistical neighbou?rs?|"
                             r"comparators?|benchmarks?|uk|great britain|gb)\b", re.IGNORECASE)
#: ... and with a figure of it said after the word ("the England average of 22.4%") or just before ("41.6 for
#: England"), not
#: only an aim of matching it ("to maintain above national performance", "in line with the national average").
BENCHMARK_FIGURE_WORDS = 8
_BENCHMARK_FIGURE = re.compile(rf"{_BENCHMARK_SAID.pattern}(?:\W+[A-Za-z][\w'-]*){{0,{BENCHMARK_FIGURE_WORDS}}}?\W+\d|"
                               rf"\d[\d.,]*%?\s+(?:for|in|across)\s+(?:the\s+)?{_BENCHMARK_SAID.pattern}",
                               re.IGNORECASE)
_STATE_COUNTED = re.compile(r"\bhow many\b[^?]*?\b(completed|closed|filled|approved|finished|resolved|upheld|issued|"
                            r"withdrawn|cancelled|rejected|refused)\b")


#: "Which two schools ...": the things named, as many as said.
_WHICH_N = re.compile(r"\bwhich\s+(two|three|four|five|six|2|3|4|5|6)\s+([a-z]{3,})\b")
#: ... which a passage names after a colon or "namely", "including", "such as".
_NAMES_AFTER = re.compile(r":\s*[A-Z]|\b(?:namely|including|such as)\b")


def asked_kind(lower: str) -> ValueKind | None:
    """The kind of value a question asks for, if it asks for one."""
    if _ASK_ORGANISATION.search(lower):
        return "organisation"
    if _ASK_PERCENT.search(lower):
        return "percent"
    if _ASK_DURATION.search(lower):
        return "duration"
    if _ASK_MONEY.search(lower):
        return "money"
    if _ASK_COUNT.search(lower):
        return "count"
    if _ASK_GRADE.search(lower):   # (after a count: "how many care homes are rated inadequate")
        return "grade"
    if _ASK_AMOUNT.search(lower):
        return "amount"
    if _ASK_DATE.search(lower):
        return "date"
    return None


#: Figures that state no quantity: "24/7" services.
_NOT_A_FIGURE = re.compile(r"\b24\s?/\s?7\b|\b24 hours a day\b", re.IGNORECASE)


def states_kind(text: str, kind: ValueKind) -> bool:
    """Whether `text` states a value of `kind` (a count may also be stated as money or a percentage)."""
    text = _NOT_A_FIGURE.sub(" ", text)
    if kind in ("count", "money"):   # a rate's base ("per 100,000 population") is no count or sum of money
        text = _RATE_BASE.sub(" ", text)
    if kind == "count":   # a number of things: not a share ("25%") nor a rate ("55 per 10k") answers "how many"
        return bool(_WHOLE_NUMBER.search(text) or _MONEY.search(text))
    if kind == "amount":  # a number, or an amount written with its unit ("£40m", "85%")
        return bool(_NUMBER.search(text) or _MONEY.search(text) or _PERCENT.search(text))
    return bool(_PATTERNS[kind].search(text))


_LABELLED = re.compile(_LABEL_BEFORE.pattern.replace(r"\s*$", r"\s*\d+\b"), re.IGNORECASE)
#: A question about how things stand now, not what is aimed for ("current", "so far", "to date").
_ASKS_NOW = re.compile(r"\b(?:current|currently|so far|to date|now|at present|at the moment|achieved|actually)\b")
#: A sentence that gives an aim, not a result: "will", "aim", "with a view to increase by 10%".
_AIM = re.compile(r"\b(?:will|aims?|aiming|targets?|ambition|with a view to|plan to|intend|expected to|achieve|reach|"
                  r"potentially(?=\s+(?:up to\s+)?[\d£])|"   # "enough for potentially 5000 jobs"
                  r"by 20\d\d|by (?:year|yr) \d+)\b",
                  re.IGNORECASE)
#: A question asking for a target ("what's the target number of ...", "what target has X set").
_ASKS_TARGET = re.compile(r"\b(?:what|which)(?:'s|s| is| was| are)?\s+(?:the\s+)?(?:[\w/-]+\s+){0,3}targets?\b|"
                          r"\btargets?\s+(?:for|of|number|figure|level|rate)\b")
#: ... unless it also says how things stand ("currently 45%, and will rise to 50%").
_STANDS = re.compile(r"\b(?:currently|is now|was|were|stood|stands|reached|achieved|latest|as at|so far|to date)\b",
                     re.IGNORECASE)


def only_aims(answer_text: str, kind: ValueKind) -> bool:
    """Every sentence of the answer that gives a figure of `kind` gives an aim, none how things stand."""
    # (a number that labels something, "Outcome 5", and a year are no figure)
    unlabelled = [re.sub(r"\b(?:19|20)\d\d\b", " ", _LABELLED.sub(" ", p)) for p in pieces_of(answer_text)]
    figures = [p for p in unlabelled if states_kind(p, kind)]
    return bool(figures) and all(_AIM.search(p) and not _STANDS.search(p) for p in figures)


#: A figure as written: "£40m", "1,234", "three" (with its money unit, so "£40m" is not "40 staff").
_FIGURE = re.compile(r"£?\s?\d[\d,]*(?:\.\d+)?\s?(?:million|billion|bn|m|k)?\b|\b(?:one|two|three|four|five|six|"
                     r"seven|eight|nine|ten|eleven|twelve)\b", re.IGNORECASE)


def _figure_key(text: str) -> str:
    return re.sub(r"[£,\s]", "", text.lower())


def without_echoes(answer_text: str, question: str) -> str:
    """The answer without the figures the question itself writes: "how much of the £40m goes to
    Chesterfield" is not answered by "investing £40m", nor "how many notices in the first three
    months" by "three months"."""
    asked = {_figure_key(m.group(0)) for m in _FIGURE.finditer(question)}
    if not asked:
        return answer_text
    return _FIGURE.sub(lambda m: " " if _figure_key(m.group(0)) in asked else m.group(0), answer_text)


#: Three or more names written as a list: "Ashbourne, Bakewell, Matlock, Buxton and Glossop".
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}"
_NAME_LIST = re.compile(rf"{_NAME}(?:,\s+{_NAME})+,?\s+(?:and|&)\s+{_NAME}")


#: Words that tell one group of people from another of the same kind: a passage about one is no answer
#: about another ("the caseload target for adult social workers": the children's teams' target).
CONTRASTS: tuple[tuple[frozenset[str], ...], ...] = tuple(tuple(frozenset(terms(side)) for side in sides) for sides in (
    ("adult adults", "child children childrens"),
    ("primary", "secondary"),
    ("men male males", "women female females"),
))


def contrasted(question: str, answer_text: str) -> tuple[str, str] | None:
    """(asked, said) when the question names one side of a contrast (adults) and the answer speaks only
    of the other (children)."""
    asked, said = set(terms(question)), set(terms(answer_text))
    for sides in CONTRASTS:
        for i, side in enumerate(sides):
            others = [o for j, o in enumerate(sides) if j != i]
            if side & asked and not any(o & asked for o in others) and not side & said and any(o & said for o in others):
                return sorted(side & asked)[0], sorted(next(o & said for o in others if o & said))[0]
    return None




#: A count of things not yet done ("still waiting to be completed", "outstanding", "in the backlog"), and the
#: words a passage says such a count with.
_STILL_WAITING = re.compile(r"\b(?:still|yet to be|not yet)\s+(?:\w+\s+){0,2}?(?:waiting|awaiting|outstanding|pending|"
                            r"to be|in progress|open)\b|\b(?:awaiting|outstanding|backlog|waiting list)\b")
_WAITING_SAID = re.compile(r"\b(?:waiting|awaiting|await|outstanding|backlog|pending|queue|yet to be|not yet)\b", re.I)


#: A question about what is spent; words for savings; a figure said to be spent.
_ASKS_SPEND = re.compile(r"\b(?:spend|spends|spending|spent|cost of running|costs? to run)\b")
_SAVING = re.compile(r"\bsav(?:e|es|ed|ing|ings)\b|\bcuts?\b|\breductions?\b", re.IGNORECASE)
_SPEND_SAID = re.compile(r"\b(?:spend|spends|spending|spent|expenditure|gross|budget of)\b", re.IGNORECASE)


#: "The number please, not the rate": a rate the question turns down.
_NOT_THE_RATE = re.compile(r"\bnot (?:the |a |as a )?(?:rate|percentage|share|proportion|%)")


#: A year written in a text ("2019", "2019-20", "2019/20").
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
#: Words before a period that a figure is set against, not the period it is for: "40% up on 2018", "than in
#: 2018", "up or down on Q2" (read by the router for the quarters a question asks too).
COMPARED_WITH_PERIOD = re.compile(r"\b(?:on|than|since|from|against|vs\.?|versus|compared (?:to|with))\s+"
                                  r"(?:in\s+|the\s+|last\s+)?$")


def only_compared(answer_text: str, spellings: Sequence[str]) -> bool:
    """Whether every piece of the answer that names the period asked names it only as a comparison
    ("up on 2018"), and another year is named beside it (the figure's own)."""
    named = False
    for piece in pieces_of(answer_text):
        low = piece.lower()
        at = [m.start() for form in spellings if form for m in re.finditer(re.escape(form), low)]
        if not at:
            continue
        named = True
        if any(not COMPARED_WITH_PERIOD.search(low[:i]) for i in at):
            return False
        if not _YEARS.search(re.sub("|".join(re.escape(f) for f in spellings if f), " ", low)):
            return False   # no other year: the comparison's year may be the figure's too
    return named


def one_of_a_list(answer_text: str, named: set[str], asked: set[str], kind: ValueKind) -> str | None:
    """The list of names (as written) that the answer's figure is given for together, when the question
    names one of them but not the others; None when the figure is said of what the question names."""
    for piece in pieces_of(answer_text):
        if not states_kind(piece, kind):
            continue
        for m in _NAME_LIST.finditer(piece):
            members = [set(terms(n)) for n in re.split(r",\s+|,?\s+(?:and|&)\s+", m.group(0))]
            if any(named & own for own in members) and not all(own & asked for own in members):
                return m.group(0)
    return None


def named_terms(question: str) -> list[str]:
    """Stems of the words a question writes with a capital inside a sentence: names of things
    ("Toddbrook", "Green Action Grants"), which an answer about them must mention."""
    out = []
    for m in re.finditer(r"[A-Za-z][\w'-]*", question):
        word = m.group(0)
        before = question[:m.start()]
        if word[:1].isupper() and not word.isupper() and before.strip() and \
                not re.search(r"[.?!:;\-]\s*$", before):
            out += terms(word)
    return out


#: A name of several words the question writes with capitals ("City Centre Plan", "Heritage Lottery Fund",
#: "Florence Nightingale Community Hospital"); "&", "and", "of" may join its words.
_NAME_RUN = re.compile(r"[A-Z][a-z][\w'-]*(?:\s+(?:(?:&|and|of|for)\s+)?[A-Z][a-z][\w'-]*)+")
_JOINERS = frozenset({"&", "and", "of", "for"})


def _name_pairs(question: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    """Adjacent word pairs of the several-word names a question writes with capitals mid-sentence that
    the documents also write side by side: the documents name that thing, so an answer about it names
    it too. Pairs of the names of councils, departments, documents and people are the scope, not the
    thing asked, and are left out."""
    scope = lexicon.scope_words
    pairs: list[tuple[str, str]] = []
    for m in _NAME_RUN.finditer(question):
        words = [w for w in m.group(0).split() if w.lower() not in _JOINERS]
        if not question[:m.start()].strip() or re.search(r"[.?!:;\-]\s*$", question[:m.start()]):
            words = words[1:]   # a sentence's first word is capitalised anyway
        for a, b in zip(words, words[1:]):
            a, b = a.lower(), b.lower()
            if not (a in scope and b in scope) and (f"{a} {b}" in lexicon.bigrams or
                                                     f"{a} {_plain(b)}" in lexicon.bigrams):
                pairs.append((a, b))
    return pairs


def _typed_name_pairs(question: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    """Adjacent words of a question, typed in any case ("derby's new local plan"), that the documents
    write only as a name ("Local Plan"); not the scope's names, nor a function word ("the department's")."""
    # the names of the scope, and of the documents by their file names ("key service statement")
    scope = lexicon.scope_words | {w for d in lexicon.documents for w in re.split(r"[-_ ]+", f"{d.doc_id} {d.kind}".lower())}
    # a word of a council's, department's or person's name places the question ("Kent Enablement at Home"
    # is "KEaH"; "Communities and Policy department")
    # (a pair of its words, or one of them beside a word for a body: "Policy department", "Derbyshire County";
    # not one of its words beside any other: "Call Derbyshire" is a name of its own)
    placed = {w.lower() for name in (*lexicon.councils, *(a for d in lexicon.departments for a in (d.name, *d.aliases)),
                                     *(a for p in lexicon.people for a in p.aliases))
              for w in re.findall(r"[A-Za-z][\w'-]*", name)}
    typed = [_plain(w) for w in re.findall(r"[A-Za-z][\w'-]*", question)]
    return [(a, b) for a, b in zip(typed, typed[1:]) if f"{a} {b}" in lexicon.name_pairs
            and not (a in scope and b in scope) and not (a.lower() in placed and (b.lower() in placed or b.lower() in _BODY_WORDS))
            and not (b.lower() in placed and (a.lower() in placed or a.lower() in _BODY_WORDS))
            and index_tokens(a) and index_tokens(b)]


#: Words for a body a place's or department's name is written beside ("the Policy department").
_BODY_WORDS = frozenset("department departments directorate council county city borough district team service services "
                        "division portfolio cabinet member members".split())


def _plain(word: str) -> str:
    """A word as names are compared: lower case, without a possessive ("Forum's": forum) or a closing
    quote ("the 'Better Lives' programme")."""
    return re.sub(r"'s$", "", word.lower().rstrip("'"))


#: "(excluding schools)", "excl. academies", "not including agency staff": what a measure leaves out.
_EXCLUDING = re.compile(r"\b(?:excluding|excludes|excl\.?|not including|other than)\s+([a-z][a-z' -]{1,40}?)(?=\)|,|;|\.|\?|$| and\b| in\b| –| -)")


def excluded_asked(lower: str, answer: str) -> str | None:
    """The thing an answer's measure says it leaves out ("excluding schools") that the question asks
    about ("emissions from kcc schools"), unless the question says so too; else None."""
    if _EXCLUDING.search(lower):
        return None
    asked = set(terms(lower))
    # (a thing the answer also says elsewhere is not left out of it: "12 in house beds were released from
    # the UASC scheme" beside another measure's "(excluding UASC)")
    elsewhere = set(terms(_EXCLUDING.sub(" ", answer)))
    for m in _EXCLUDING.finditer(answer):
        left = set(terms(m.group(1)))
        if left and left <= asked and not left <= elsewhere:
            return m.group(1).strip()
    return None


def names_missing(question: str, said: str, lexicon: Lexicon, answer: str | None = None) -> list[str]:
    """The several-word names of the question ("City Centre Plan") that the answer and its evidence do
    not write, though the documents do: the answer is about something else. Words the answer writes
    as an acronym ("Gypsy, Roma and Traveller": GRT) are named by it."""
    said = said.replace("\u2019", "'").replace("\u2018", "'")   # "Kent’s Future" as "Kent's Future"
    words = [_plain(w) for w in re.findall(r"[A-Za-z][\w'-]*", said) if w.lower() not in _JOINERS]
    written = {f"{a} {b}" for a, b in zip(words, words[1:])}
    written |= {f"{a} {b[:-1]}" for a, b in zip(words, words[1:]) if b.endswith("s")}   # "Cabinet Members"
    short = {w.lower() for w in spelled_out_words(question, said)}
    missing = [f"{a} {b}" for a, b in _name_pairs(question, lexicon)
               if f"{_plain(a)} {_plain(b)}" not in written and f"{_plain(a)} {_plain(b)[:-1]}" not in written
               and not {a, b} <= short]   # "NHS Health Checks" asked, "an NHS Health Check" written
    # a name typed in lower case may be written about in other words ("a new strategy to improve staff
    # health and wellbeing"): both its words must be said near each other, not apart ("local suppliers")
    missing += [f"{a} {b}" for a, b in _typed_name_pairs(question, lexicon) if f"{a} {b}" not in missing
                and not _said_near(index_tokens(a), index_tokens(b), f"{answer or ''} {said}") and not {a, b} <= short]
    return missing


#: The words of a name typed in lower case are said of one thing when at most this many words apart.
NAME_WORDS_APART = 8


def _said_near(first: list[str], second: list[str], text: str) -> bool:
    """Whether a stem of `first` and one of `second` are said within NAME_WORDS_APART words of each other."""
    stems = [set(index_tokens(w.replace("-", ""))) for w in re.findall(r"[A-Za-z][\w'-]*", text)]   # "well-being"
    at_first = [i for i, s in enumerate(stems) if s & set(first)]
    at_second = [i for i, s in enumerate(stems) if s & set(second)]
    return any(abs(i - j) <= NAME_WORDS_APART for i in at_first for j in at_second)


#: "What's the salary of X", "what is the turnout for Y": the attribute asked of something.
_ATTRIBUTE = re.compile(r"^(?:so\s+)?(?:what(?:'s| is| was| are| were)|how (?:much|many) (?:is|was|are|were)) "
                        r"(?:the |a |an |its |their )?([a-z][a-z-]*(?: [a-z][a-z-]*)?) (?:of|for|on|in)\b")


#: "What's Derbyshire's weekly foster carer allowance?": the attribute is the last word of what is
#: asked of the possessor.
_POSSESSED = re.compile(r"^(?:so\s+)?what(?:'s| is| was| are| were) (?:the )?[\w&-]+(?:'s|’s|s') (?:[a-z][a-z-]* ){0,3}?"
                        r"([a-z][a-z-]*)\s*[?.!]*$")


#: Attributes that are a row's fields, which answers give under their own words ("the deadline on X":
#: "it is due to complete March 2026"), so they need not be named.
_FIELD_ATTRIBUTES = frozenset(terms("deadline timescale timeframe date due end target lead owner cost value "
                                    "budget rating status floor baseline latest"))


def asked_attribute(lower: str) -> list[str]:
    """Stems of the attribute a "what is the X of Y" question asks ("salary"), which an answer must name
    when the documents seldom do; a row's field ("deadline") is not such an attribute."""
    m = _ATTRIBUTE.search(lower) or _POSSESSED.search(lower.strip())
    return [t for t in terms(m.group(1)) if t not in _FIELD_ATTRIBUTES] if m else []


#: The short forms people write (understand.ABBREVIATIONS) as stems, with the stems of what they stand for:
#: an answer naming "Cllr Baggy Shanker" names a councillor.
_SHORT_FORMS = tuple((frozenset(terms(short)), tuple(terms(full))) for short, full in ABBREVIATIONS.items() if terms(short))


def unknown_attribute(lower: str, lexicon: Lexicon) -> str | None:
    """The word of the attribute asked ("what's derbyshire's weekly foster carer allowance") that the
    documents never write, in any form: nothing in them can give it. (Typos were corrected before.)"""
    m = _ATTRIBUTE.search(lower) or _POSSESSED.search(lower.strip())
    if m is None or not lexicon.vocabulary:
        return None
    return next((w for w in m.group(1).split() if len(w) >= MIN_RARE_WORD and w.isalpha() and terms(w)
                 and not set(terms(w)) & _FIELD_ATTRIBUTES and not _written(w, lexicon)), None)


def _written(word: str, lexicon: Lexicon) -> bool:
    """Whether the documents write this word, or its singular or plural ("allowance" is not "allow"), or
    the router reads it."""
    forms = {word, f"{word}s", f"{word}es", word[:-1] if word.endswith("s") else word}
    return bool(forms & lexicon.vocabulary) or word in ROUTER_WORDS or word in STOPWORDS


#: "which ward has the lowest ...", "what district got ...": the kind of thing the answer must name.
_WHICH_THING = re.compile(r"^(?:and\s+)?which\s+(?:[a-z]+\s+)?([a-z]{4,})\s+(?:has|have|had|is|was|are|were|gets|got|"
                          r"saw|did|does|do|will|would|received|receives)\b")
#: "how is X split between the districts", "broken down by ward": the parts the answer must name.
_SPLIT_BY = re.compile(r"\b(?:split|broken down|divided|shared out|allocated)\s+(?:between|by|across|among|per)\s+"
                       r"(?:the\s+|each\s+|its\s+)?([a-z]{4,})\b")


def split_by(lower: str) -> list[str]:
    """Stems of the parts "how is X split between the districts" asks the answer to name."""
    m = _SPLIT_BY.search(lower)
    return terms(m.group(1)) if m else []


def which_thing(lower: str) -> list[str]:
    """Stems of the X of "which X has ...": checked, like names, when the documents seldom write it
    ("which ward has the lowest life expectancy")."""
    m = _WHICH_THING.search(lower.strip())
    return terms(m.group(1)) if m else []


def name_words(question: str, lexicon: Lexicon) -> list[str]:
    """Stems of the question's words that the documents only ever write with a capital ("toddbrook"):
    names, however the question is typed."""
    if not lexicon.common_words:
        return []
    return [t for w in re.findall(r"[a-z][\w'-]*", question.lower())
            if w in lexicon.vocabulary and w not in lexicon.common_words for t in terms(w)]


def rare_terms(question_terms: list[str], lexicon: Lexicon) -> list[str]:
    """Question terms that few lines of the documents hold (and that the documents do hold)."""
    if not lexicon.n_units:
        return []
    limit = max(1, int(lexicon.n_units * RARE_LINE_SHARE))
    return [t for t in dict.fromkeys(question_terms)
            if len(t) >= MIN_RARE_WORD and not t[:1].isdigit() and 0 < lexicon.df.get(t, 0) <= limit]


#: "the Executive Director of Place", "the Cabinet Member for Housing": the role's object is what
#: tells one holder of the role from another, so an answer must name it. ("Responsible officer for X",
#: "lead officer for X": X is the action led, not an office.)
_ROLE_OF = re.compile(r"\b(?<!responsible )(?<!lead )(?:director|head|manager|member|lead|leader|officer|chair|holder)\s+(?:of|for)\s+"
                      r"(?:the\s+)?([a-z][a-z&' -]*?)(?=\s+(?:at|in|on|within|according|per|as|from|by|under|"
                      r"this|next|last|make|made|makes|set|give|gave|lead|leads|led|have|has|had|do|does|did|"
                      r"sign|signed|agree|agreed|announce|announced)\b|[?.,;:(]|$)")   # (a verb ends it: "... council make")
#: Titles of offices a person holds (not "officer" or "lead": an action's responsible officer is its lead).
_OFFICES = frozenset({"director", "head", "manager", "chair", "leader", "member"})
#: The object of a role is a name of a few words ("Highways & Transportation"); more is something else.
ROLE_OBJECT_TERMS = 4


def role_object(lower: str) -> list[str]:
    """Stems of the object of a role the question asks about ("place" of "director of place")."""
    m = _ROLE_OF.search(lower)
    return terms(m.group(1))[:ROLE_OBJECT_TERMS] if m else []


#: Titles that say who holds an office: a "Cllr" is a (cabinet) member.
_TITLED = {"member": frozenset(terms("cllr councillor"))}
#: An office with a rank before it: the holder of the office itself is another person.
_RANKED_OFFICE = re.compile(r"\b(deputy|assistant|associate|interim|acting|vice)[\s-]+(?:director|head|manager|chair|"
                            r"leader|member|chief|officer)\b")


def asked_office(lower: str) -> str | None:
    """The office a "who is the <office> of X" question asks for its holder ("director"), if any."""
    title = _ROLE_OF.search(lower)
    word = title.group(0).split()[0] if title else None
    verb = re.match(r"^\s*(?:and\s+)?who\s+(chair|head)s\b", lower)   # "who chairs the board": its chair
    return verb.group(1) if verb else word if word in _OFFICES and lower.lstrip().startswith("who") else None


#: What a "when" question asks happens ("when will it open"): a sentence saying it of something else
#: ("the new Care Centre is due to open in spring 2020") continues no subject.
_WHEN_VERBS = frozenset(terms("open opens opening start starts begin begins finish finishes end ends complete "
                              "completed due launch launched held happen happened run ran close closes publish"))


def verify(question: str, answer_text: str, evidence_text: str, lexicon: Lexicon,
           periods: tuple[str, ...] = (), scope_names: str = "", passage: bool = False, asked: str = "",
           quoted: bool = False, dated_by: str = "", reduction: bool = False) -> Verdict:
    """Check an answer (and the passages or rows it quotes) against the question; `periods` are the
    years the question names, one of which the answer must mention. `scope_names`: the names of the
    departments and councils the answer is filtered to (a role's object may be one of them, "ETE").
    `passage`: the answer is sentences of a passage, so a count must be a number of the things asked.
    `asked`: the question as typed, before its acronyms were spelled out (whose capitals name nothing).
    `quoted`: the answer quotes one row's text (not an aggregate's count), so a count is checked as in a
    passage. `dated_by`: what else says which year the answer is of (its section's opening line), read
    only for the period asked. `reduction`: the answer's figure is a row of a table of cuts (a saving)."""
    lower = question.lower()
    question_terms = named_terms(question) + asked_attribute(lower) + which_thing(lower)
    absent = unknown_attribute(lower, lexicon)
    if absent:
        return Verdict(False, "rare_words_missing", f"nothing in them mentions {absent!r}")
    kind = asked_kind(lower)
    # the figures the answer gives, less those the question itself writes
    valued = without_echoes(answer_text, question) if kind in ("money", "count", "amount", "percent") else answer_text
    if kind is not None and not states_kind(valued, kind):
        word = {"money": "amount of money", "count": "number", "amount": "figure", "date": "date",
                "percent": "percentage", "duration": "length of time", "organisation": "company or organisation",
                "grade": "grade or judgement"}[kind]
        return Verdict(False, "wrong_value_kind", f"the passage that comes closest gives no {word}")
    if passage and kind in ("amount", "percent", "count") and _ASKS_NOW.search(lower) and not _AIM.search(lower) and \
            only_aims(valued, kind):
        # "how much has city centre footfall gone up so far": "we will ... with a view to increase by 10%"
        return Verdict(False, "only_aim_given", "the documents give only an aim or target, not how things stand")
    if passage and _ASKS_TARGET.search(lower) and not _AIM.search(valued) and "|" not in answer_text:
        # "what target has KCC set for voluntary staff turnover": a passage saying how things stand (a
        # table row's target is in a column whose header the row does not repeat)
        return Verdict(False, "no_target_given", "the passage that comes closest gives no target, only how things stand")
    if (passage or quoted) and kind == "count" and \
            not counts_asked(valued, set(terms(lower)) - _COUNT_WORDS - set(terms(scope_names)), counted_words(lower),
                             sentences=passage):
        # "how many visitors did the Crescent get": a passage about it that gives only a sum of money,
        # or numbers of other things
        return Verdict(False, "wrong_value_kind", "the passage that comes closest gives no number of what is asked")
    which = _WHICH_N.search(lower) if passage else None
    if which and re.search(rf"\b{which.group(1)}\s+(?:[a-z]+\s+)?{re.escape(which.group(2)[:-1])}\w*\b(?!\s*[:(–-])",
                           answer_text, re.IGNORECASE) and not _NAMES_AFTER.search(answer_text):
        # "which two schools are being added": "... to two additional schools" says how many, not which
        return Verdict(False, "names_not_given", f"the passage that comes closest says how many {which.group(2)}, "
                                                  f"not which")
    waiting = _STILL_WAITING.search(lower) if kind == "count" and (passage or quoted) else None
    if waiting and not _WAITING_SAID.search(f"{answer_text} {evidence_text}"):
        # "how many DoLS applications were still waiting to be completed": a passage of those received and
        # those completed says nothing of those waiting
        return Verdict(False, "wrong_value_kind", "nothing that comes close says how many are still waiting")
    # "How many of the 19 vacancies have been filled": the state a part of a known whole is in (the whole is
    # given, the part may not be). ("How many were sorted at first contact" may say it in other words.)
    done = DONE_ASKED.search(lower) if kind == "count" and (passage or quoted) else None
    if done and done.group("of") and not set(terms(done.group("done"))) & set(terms(f"{answer_text} {evidence_text}")):
        # a passage that does not say "filled" gives no such count
        return Verdict(False, "wrong_value_kind", f"nothing that comes close says how many were {done.group('done')}")
    benchmark = _ASKS_BENCHMARK.search(lower)
    # (the benchmark's own figure asked, "what's the national rate?", needs a figure of it; "how does Kent
    # compare with national?" may be answered in words: "above regional and national comparators")
    figure_asked = _ASKS_BENCHMARK_FIGURE.search(lower) and not _HOW_COMPARES.search(lower)
    if benchmark and not (_BENCHMARK_FIGURE if figure_asked else _BENCHMARK_SAID).search(answer_text):
        # "what's the england average re-referral rate to compare with our 22.2%": Kent's own figures only
        return Verdict(False, "field_not_given", "the nearest passage gives no national or regional figure")
    state = _STATE_COUNTED.search(lower) if kind == "count" and (quoted or passage and " | " in answer_text) else None
    if state and not set(terms(state.group(1))) & set(terms(answer_text.split(" | ")[0])):
        # "how many apprenticeships did CCP see completed": a row counting new starts counts no completions
        return Verdict(False, "wrong_value_kind", f"the nearest measure does not count those {state.group(1)}")
    # (a passage that quotes a table row is read as a row: "Rate of children in care per 10k | 47 | 52")
    if (quoted or passage and " | " in answer_text) and kind == "count" and _NOT_A_COUNT.search(answer_text) and \
            not _ASKS_A_RATE.search(_NOT_THE_RATE.sub(" ", lower)):
        # "how many children were adopted": a row measuring an average or a share of them is no count
        return Verdict(False, "wrong_value_kind", "the nearest measure is an average or a share, not a number")
    named = set(question_terms) | set(name_words(question, lexicon))   # typed in lower case too
    if passage and kind in ("money", "amount", "percent") and named:
        # "how much is in the Green Action Grants pot": the figure must be said of the thing named,
        # not of the sentence beside it ("the £8.4m pot hole fund")
        pieces = pieces_of(valued)
        if any(named & set(terms(p)) for p in pieces) and \
                not any(states_kind(p, kind) and named & set(terms(p)) for p in pieces):
            return Verdict(False, "figure_not_about_subject", "the figure the passage gives is about something else")
    elif passage and kind == "money":
        # ... and, the question naming nothing in capitals ("what will the new real time information bus screens
        # cost?"), the sum must be said in a sentence with a word of what is asked about, not beside it
        # ("... Real Time Information screens ... coming shortly. ... a new BSIP allocation of £23.1m")
        # (a table row's cells are all said of the row: "cloud management service ... | ... £600,000 per year")
        about = set(terms(question)) - _MONEY_ASK_STEMS if " | " not in valued else set()
        pieces = pieces_of(valued)
        if about and any(about & set(terms(p)) for p in pieces) and \
                not any(states_kind(p, kind) and about & set(terms(p)) for p in pieces):
            return Verdict(False, "figure_not_about_subject", "the sum the passage gives is about something else")
    if passage and kind in ("money", "amount", "count") and named:
        shared = one_of_a_list(valued, named, set(terms(asked or question)), kind)
        if shared:
            # "how many of the OLEV charge points are going into Bakewell": 20 for "Ashbourne, Bakewell,
            # Matlock, Buxton and Glossop" together is no figure for Bakewell
            return Verdict(False, "split_not_given", f"the figure they give is for {shared} together, not for each")
    if kind == "money" and _ASKS_SPEND.search(lower) and not _SAVING.search(lower) and \
            (reduction or _SAVING.search(f"{answer_text} {evidence_text}")) and not _SPEND_SAID.search(answer_text):
        # "how much does the county spend on TU facilities time": "TU Facilities Time – £50,000" under
        # "Budget savings" is what it will save, not what it spends
        return Verdict(False, "figure_not_about_subject", "the figure they give is a saving, not what is spent")
    other_side = contrasted(question, answer_text) if passage else None
    if other_side:
        # "the caseload target for adult social workers": a passage about children's social workers
        return Verdict(False, "scope_contrast", f"the passage that comes closest is about {other_side[1]}, not {other_side[0]}")
    if passage and kind == "date":
        # "when will the Florence Nightingale Community Hospital open": the date must be said in a sentence
        # of the thing named (its rarest name word, as typed), not of the Belper centre beside it
        typed = asked or question
        known = [t for t in set(named_terms(typed)) | set(name_words(typed, lexicon)) if lexicon.df.get(t, 0)]
        if known:
            rarest = min(known, key=lambda t: (lexicon.df[t], t))
            pieces = pieces_of(answer_text)
            # (a table row's date cell dates the whole row: "... presenting the Annual Governance Statement to
            # the Audit and Accounts Committee. | December 2017 | Outcome 8")
            rows = [line for line in answer_text.split("\n") if " | " in line]
            # (... or in the sentence right after one that names it, when that sentence opens with a word of
            # the question the first did not say: "TEP had responsibility for the ... (SENCO). Conference held
            # on 8th October"; not "... Community Hospital. The new Community Care Centre ... in spring 2020")
            follows = [b for a, b in zip(pieces, pieces[1:]) if rarest in terms(a) and terms(b) and
                       terms(b)[0] in set(terms(typed)) - set(terms(a)) - _WHEN_VERBS]
            if any(rarest in terms(p) for p in pieces) and \
                    not any(states_kind(p, kind) and (rarest in terms(p) or p in follows) for p in [*pieces, *rows]):
                return Verdict(False, "figure_not_about_subject", "the date the passage gives is about something else")
    said = (answer_text + " " + evidence_text).lower()
    left_out = excluded_asked(lower, answer_text.lower())
    if left_out:
        # "GHG emissions from KCC schools": the measure is "... (excluding schools)"
        return Verdict(False, "row_excludes_subject", f"the figure they give leaves out {left_out}")
    per = _PER_UNIT.search(lower)
    one = _ONE_OF.search(lower)
    unit = next(g for g in per.groups() if g) if per else one.group(1).split()[-1] if one and kind == "money" else None
    if unit and not any(set(terms(unit)) & set(terms(m.group(1))) for m in _PER_SAID.finditer(said)):
        # "how much is the tariff per kWh", "how much does a travel saver pass cost": a figure per
        # something else, or a budget's total, is no answer
        return Verdict(False, "wrong_value_kind", f"nothing that comes close gives a figure per {unit}")
    if _ASKS_INCOME.search(lower) and not _INCOME_SAID.search(answer_text):
        # "how much income do the pay and display machines bring in": the machines' contract value is a spend
        return Verdict(False, "wrong_value_kind", "nothing that comes close gives an income; the figure they give "
                                                  "is not one")
    part = _PART_OF_WHOLE.search(lower)
    unnamed_part = [t for t in terms(part.group("part")) if t not in set(terms(said))] if part else []
    if unnamed_part:
        # "how much of the property maintenance backlog is in schools": the backlog's own figure says nothing
        # of the schools' share of it
        return Verdict(False, "part_not_given", f"nothing that comes close says how much of it is "
                                                f"{'in' if ' in ' in part.group(0) else 'for'} {part.group('part')}")
    unit_asked = _UNIT_ASKED.search(lower)
    if unit_asked and not re.search(_UNITS[unit_asked.group(1)], said):
        # "tonnes of municipal waste sent to landfill": a percentage landfilled is no weight
        return Verdict(False, "wrong_value_kind", f"nothing that comes close gives a figure in {unit_asked.group(1)}")
    dated = f"{said} {dated_by.lower()}"
    for period in periods:
        if not any(form in dated for form in period_spellings(period)):
            return Verdict(False, "period_not_covered", f"nothing that comes close is about {period}")
        # (a year only: a quarter recurs each year, "up on Quarter 3, 2023/24" is of this year's Quarter 3)
        if passage and kind in ("count", "amount", "money") and _YEARS.search(period) and \
                only_compared(answer_text, period_spellings(period)):
            # "how many referrals in 2018": "11,541 referrals over the 2019 calendar year (40% up on 2018)"
            return Verdict(False, "period_not_covered", f"the figure they give is for another year; {period} is "
                                                        f"named only as what it is compared with")
    found = set(terms(answer_text + " " + evidence_text))
    found |= {t for short, full in _SHORT_FORMS if short <= found for t in full}   # "Cllr": a councillor
    # an acronym's plural ("HWRCs") is the acronym the documents write ("HWRC")
    # ... and words the passage writes as an acronym ("Gypsy, Roma and Traveller": "GRT") are named by it
    missing = [t for t in rare_terms(question_terms, lexicon) if t not in found and t.rstrip("s") not in found]
    if missing:
        short = {t for w in spelled_out_words(question, answer_text + " " + evidence_text) for t in terms(w)}
        missing = [t for t in missing if t not in short]
    missing += [t for t in split_by(lower) if lexicon.df.get(t, 0) and t not in found and t not in missing]
    if missing:
        return Verdict(False, "rare_words_missing",
                       f"nothing that comes close mentions {' or '.join(repr(m) for m in missing[:3])}")
    unnamed = names_missing(asked or question, answer_text + " " + evidence_text, lexicon, answer=answer_text)
    if unnamed:
        return Verdict(False, "name_not_said", f"nothing that comes close mentions {unnamed[0]!r}")
    role = [t for t in role_object(lower) if t not in found and t not in terms(scope_names)]
    if role:
        return Verdict(False, "role_not_named", f"nothing that comes close names that role for {' '.join(role)!r}")
    rank = _RANKED_OFFICE.search(lower) if re.search(r"\bwho\b|\bname\b", lower) else None
    if rank and rank.group(1) not in said:
        # "who is the deputy director of public health": the director is not the deputy
        return Verdict(False, "role_not_named", f"nothing that comes close names a {rank.group(0)}")
    office = asked_office(lower)
    if office and not (set(terms(office)) | _TITLED.get(office, frozenset())) & found:
        # "who is the Director of Public Health": an action's lead in Public Health is no director
        return Verdict(False, "role_not_named", f"nothing that comes close names a {office}")
    return Verdict(True)
