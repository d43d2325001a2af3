"""Normalisation of the values found in plan tables: dates, money, percentages and counts.

Every function keeps the raw text and never raises on odd input: what cannot be read becomes a
status word or a flag, never an exception.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9

SEASONS: dict[str, tuple[int, int]] = {  # start month, end month (end may be in the next year)
    "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2),
}

STATUS_WORDS = (
    "ongoing", "underway", "tbc", "tba", "to be confirmed", "to be agreed", "to be determined",
    "in progress", "completed", "complete", "annual", "annually", "various", "n/a", "n/av", "none",
    "not applicable", "monitor", "ad", "dependent", "rolling", "continuous",
)

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DMY = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?,?\s*(?:\s|[’'‘`]\s*)(\d{{4}}|\d{{2}}\b)", re.I)
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*(?:[-–/]|\bto\b)\s*((?:19|20)\d{2})\b", re.I)
_SEASON_YEAR = re.compile(r"\b(spring|summer|autumn|fall|winter)\s+(\d{4})\b", re.I)
_FIN_YEAR = re.compile(r"\b(20\d{2})\s*[/-]\s*(\d{2}|20\d{2})\b")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_QUARTER = re.compile(r"\bQ([1-4])\s+(20\d{2})\b", re.I)
#: A quarter of a financial year, "Q4 2026/27" or "Quarter 1 2025-26": Q1 is April to June.
_FIN_QUARTER = re.compile(r"\b(?:Q|quarter\s*)([1-4])\s+(20\d{2})\s*[/-]\s*(\d{2}|20\d{2})\b", re.I)
FIN_YEAR_START_MONTH = 4  # English local government financial years run April to March


@dataclass(frozen=True)
class DateValue:
    """A date cell: raw text, normalised period, precision, status word or flag."""

    raw: str | None
    date: date | None = None
    date_end: date | None = None
    precision: str | None = None
    status: str | None = None
    flag: str | None = None

    def columns(self) -> tuple:
        return (self.raw, self.date, self.date_end, self.precision, self.status, self.flag)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year4(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _status_of(text: str) -> str | None:
    low = text.lower().strip(" .*")
    for word in STATUS_WORDS:
        if low == word or low.startswith(word + " ") or low.startswith(word + " –") or low.startswith(word + "-"):
            return text.split("–")[0].split(" - ")[0].strip(" .*")
    return None


def _day_value(raw: str, matched: str, year: int, month: int, day: int) -> DateValue:
    """A day-precision date, or the raw text flagged when the day does not exist (30/02/2023)."""
    try:
        when = date(year, month, day)
    except ValueError:
        return DateValue(raw, flag=f"impossible date: {matched}")
    return DateValue(raw, when, when, "day")


def parse_date(text: str | None) -> DateValue:
    """Normalise a date cell ('March 2021', '01/02/2020', 'Summer 2018', '2020/21', 'Ongoing').

    A status word before a date ('Completed June 2017') is kept as the status next to the date.
    """
    value = _parse_date(text)
    if value.raw and value.date and value.status is None:
        m = re.match(r"^(completed|complete|ongoing|underway|started|commenced|delayed|revised|review(ed)?|tbc|"
                     r"provisional)\b", value.raw, re.I)
        if m:
            return replace(value, status=m.group(1).capitalize())
    return value


def _parse_date(text: str | None) -> DateValue:
    if text is None or not text.strip():
        return DateValue(None if text is None else (text.strip() or None))
    raw = text.strip()
    m = _DMY.search(raw)
    if m:
        return _day_value(raw, m.group(0), _year4(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _DAY_MONTH_YEAR.search(raw)
    if m:
        return _day_value(raw, m.group(0), int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _SEASON_YEAR.search(raw)
    if m:
        start_m, end_m = SEASONS[m.group(1).lower()]
        y = int(m.group(2))
        end_y = y + 1 if end_m < start_m else y
        return DateValue(raw, date(y, start_m, 1), _month_end(end_y, end_m), "season")
    months = list(_MONTH_YEAR.finditer(raw))
    if months:
        spans = [(date(_year4(m.group(2)), MONTHS[m.group(1).lower()], 1),
                  _month_end(_year4(m.group(2)), MONTHS[m.group(1).lower()])) for m in months]
        # "June 24 - Nov 24", "Jan 25-October 25": the whole span, at month precision
        return DateValue(raw, min(a for a, _ in spans), max(b for _, b in spans), "month")
    m = _FIN_QUARTER.search(raw)
    if m and _year4(m.group(3)) == int(m.group(2)) + 1:
        first = FIN_YEAR_START_MONTH + 3 * (int(m.group(1)) - 1)  # 13 is January of the second year
        y, month = int(m.group(2)) + (first - 1) // 12, (first - 1) % 12 + 1
        return DateValue(raw, date(y, month, 1), _month_end(y, month + 2), "month")
    m = _QUARTER.search(raw)
    if m:
        q, y = int(m.group(1)), int(m.group(2))
        return DateValue(raw, date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "month")
    m = _YEAR_RANGE.search(raw)
    if m and int(m.group(2)) > int(m.group(1)) + 1 or (m and re.search(r"\bto\b", m.group(0), re.I)):
        y1, y2 = int(m.group(1)), int(m.group(2))
        if y2 > y1:  # "2024-2029", "2025 to 2026": calendar years, first to last
            return DateValue(raw, date(y1, 1, 1), date(y2, 12, 31), "years")
    m = _FIN_YEAR.search(raw)
    if m:
        y1 = int(m.group(1))
        y2 = _year4(m.group(2)) if len(m.group(2)) == 2 else int(m.group(2))
        if y2 == y1 + 1:
            return DateValue(raw, date(y1, 4, 1), date(y2, 3, 31), "financial_year")
    m = _YEAR.search(raw)
    if m:
        y = int(m.group(1))
        return DateValue(raw, date(y, 1, 1), date(y, 12, 31), "year")
    status = _status_of(raw)
    return DateValue(raw, status=status or raw)


def parse_dates_joined(parts: list[str]) -> DateValue:
    """Several date cells of one logical row (continuation rows): the span of all of them."""
    values = [parse_date(p) for p in parts if p and p.strip()]
    if not values:
        return DateValue(None)
    if len(values) == 1:
        return values[0]
    raw = "; ".join(v.raw or "" for v in values)
    dated = [v for v in values if v.date]
    if not dated:
        return DateValue(raw, status=values[0].status, flag=values[0].flag)
    first = min(dated, key=lambda v: v.date)
    last = max(dated, key=lambda v: v.date_end or v.date)
    flag = next((v.flag for v in values if v.flag), None)
    return DateValue(raw, first.date, last.date_end, first.precision, None, flag)


_MONEY = re.compile(
    r"(?P<neg>\()?\s*(?P<cur>£)?\s*(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<mult>million|bn|billion|m|k)?\b\s*(?P<close>\))?",
    re.I,
)


def parse_money(text: str | None, scale: float = 1.0) -> float | None:
    """Pounds from '£12,250,000.00', '£12.25m', '£1.5 million', '(365,386)' (negative), '325K'.

    ``scale`` multiplies plain numbers (1000 for £'000 columns); explicit m/k suffixes win.
    """
    if not text:
        return None
    m = _MONEY.search(text.replace("\u2212", "-"))
    if not m:
        return None
    try:
        value = float(m.group("num").replace(",", ""))
    except ValueError:
        return None
    mult = (m.group("mult") or "").lower()
    if mult in ("m", "million"):
        value *= 1_000_000
    elif mult in ("bn", "billion"):
        value *= 1_000_000_000
    elif mult == "k":
        value *= 1_000
    else:
        value *= scale
    negative = bool(m.group("neg") and m.group("close")) or text.strip().startswith("-")
    return -value if negative else value


_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_AS_OF = re.compile(r"\(([^()]*)\)\s*$")
VALUE_STATUSES = ("n/av", "n/a", "tbc", "ad", "monitor", "-", "–", "tba", "n/k", "nil")


@dataclass(frozen=True)
class Measure:
    """A KPI cell: number, unit, as-of note, or a status word."""

    raw: str
    value: float | None
    unit: str | None
    as_of: str | None
    status: str | None


def parse_measure(text: str) -> Measure:
    """'£6.046m (Feb 2020)' -> 6046000 £ 'Feb 2020'; '48.2%' -> 48.2 %; 'N/Av' -> status."""
    raw = text.strip()
    body = raw.rstrip("*").strip()
    as_of = None
    while True:
        m = _AS_OF.search(body)
        if not m:
            break
        as_of = m.group(1).strip() if as_of is None else f"{m.group(1).strip()}; {as_of}"
        body = body[: m.start()].strip()
    low = body.lower()
    if low in VALUE_STATUSES or not _NUMBER.search(body):
        return Measure(raw, None, None, as_of, body or raw)
    # text that does not start with a number, £ or a qualifier ("Establish baseline in 20/21",
    # "To be above the national average") is a status, not a value
    if not re.match(r"^([-+]?\s*[£\d.]|(less|more|fewer|greater|below|above|at least|under|over)\b)", low):
        return Measure(raw, None, None, as_of, body)
    if "£" in body:
        return Measure(raw, parse_money(body), "£", as_of, _qualifier(body))
    num = _NUMBER.search(body)
    value = float(num.group(0).replace(",", "")) if num else None
    rest = body[num.end():].strip() if num else ""
    if rest.startswith("%"):
        unit = "%"
    elif rest and re.match(r"^-\s*\d", rest):
        return Measure(raw, None, None, as_of, body)  # a range such as 15-21
    elif rest:
        unit = rest.split()[0].strip(".,;*")
    else:
        unit = None
    return Measure(raw, value, unit, as_of, _qualifier(body))


def _qualifier(body: str) -> str | None:
    m = re.match(r"^(less than|more than|fewer than|greater than|below|above|at least|under|over)\b", body, re.I)
    return m.group(1) if m else None


def clean_text(text: str | None) -> str:
    """Remove HTML tags, list bullets and markdown bold; collapse whitespace."""
    if not text:
        return ""
    t = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    t = re.sub(r"</?(ul|ol|li|p|i|b|em|strong|span|div|u)\b[^>]*>", " ", t, flags=re.I)
    t = t.replace("**", "")
    t = re.sub(r"\s*•\s*", " • ", t)
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^(• )+", "", t)
    return t.strip()
