"""Unit tests of normalisation: dates, money, measures, HTML cleaning and people."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.ingest.classify import classify_header, role_of
from assistant.ingest.normalise import clean_text, parse_date, parse_measure, parse_money
from assistant.ingest.people import cluster_people, split_names


@pytest.mark.parametrize("raw, start, end, precision", [
    ("March 2021", date(2021, 3, 1), date(2021, 3, 31), "month"),
    ("Nov 2018", date(2018, 11, 1), date(2018, 11, 30), "month"),
    ("Sept 2019", date(2019, 9, 1), date(2019, 9, 30), "month"),
    ("01/02/2020", date(2020, 2, 1), date(2020, 2, 1), "day"),
    ("31 March 2021", date(2021, 3, 31), date(2021, 3, 31), "day"),
    ("Summer 2018", date(2018, 6, 1), date(2018, 8, 31), "season"),
    ("Winter 2019", date(2019, 12, 1), date(2020, 2, 29), "season"),
    ("2020/21", date(2020, 4, 1), date(2021, 3, 31), "financial_year"),
    ("2020-21", date(2020, 4, 1), date(2021, 3, 31), "financial_year"),
    ("2018", date(2018, 1, 1), date(2018, 12, 31), "year"),
    ("June 2020 (Phase 2)", date(2020, 6, 1), date(2020, 6, 30), "month"),
    ("Q3 2024", date(2024, 7, 1), date(2024, 9, 30), "month"),
    ("Q4 2026/27", date(2027, 1, 1), date(2027, 3, 31), "month"),  # quarters of a financial year
    ("Quarter 1 2025-26", date(2025, 4, 1), date(2025, 6, 30), "month"),
])
def test_dates(raw: str, start: date, end: date, precision: str) -> None:
    d = parse_date(raw)
    assert (d.raw, d.date, d.date_end, d.precision, d.status, d.flag) == (raw, start, end, precision, None, None)


@pytest.mark.parametrize("raw, status", [
    ("Ongoing", "Ongoing"), ("Underway", "Underway"), ("TBC", "TBC"), ("To be confirmed", "To be confirmed"),
    ("Ongoing – reported annually", "Ongoing"),
    ("Start and completion dates are dependent upon national negotiations",
     "Start and completion dates are dependent upon national negotiations"),
])
def test_status_words_are_not_dates(raw: str, status: str) -> None:
    d = parse_date(raw)
    assert d.date is None and d.status == status and d.raw == raw


def test_status_word_before_a_date() -> None:
    d = parse_date("Completed June 2017")
    assert (d.date, d.precision, d.status) == (date(2017, 6, 1), "month", "Completed")


@pytest.mark.parametrize("raw", ["30/02/2023", "31/09/2020", "29/02/2021"])
def test_impossible_dates_are_flagged_not_dropped(raw: str) -> None:
    d = parse_date(raw)
    assert d.raw == raw and d.date is None and d.flag == f"impossible date: {raw}"


@pytest.mark.parametrize("raw, scale, value", [
    ("£12,250,000.00", 1, 12_250_000.0), ("£12.25m", 1, 12_250_000.0), ("£1.5 million", 1, 1_500_000.0),
    ("(365,386)", 1, -365_386.0), ("(244)", 1000, -244_000.0), ("1,238", 1000, 1_238_000.0),
    ("325K", 1, 325_000.0), ("£84,000", 1, 84_000.0), ("N/A", 1, None), ("", 1, None),
])
def test_money(raw: str, scale: float, value: float | None) -> None:
    assert parse_money(raw, scale=scale) == value


@pytest.mark.parametrize("raw, value, unit, as_of, status", [
    ("48.2%", 48.2, "%", None, None),
    ("£6.046m (Feb 2020)", 6_046_000.0, "£", "Feb 2020", None),
    ("8.9 (Dec 2019)", 8.9, None, "Dec 2019", None),
    ("1,118 delegates", 1118.0, "delegates", None, None),
    ("N/Av", None, None, None, "N/Av"),
    ("AD", None, None, None, "AD"),
    ("Monitor", None, None, None, "Monitor"),
    ("Less than £155,000", 155_000.0, "£", None, "Less than"),
    ("15-21", None, None, None, "15-21"),
    ("Establish baseline in 20/21", None, None, None, "Establish baseline in 20/21"),
    ("28.4 (p) (2018/19 a/y)", 28.4, None, "p; 2018/19 a/y", None),
])
def test_measures(raw, value, unit, as_of, status) -> None:
    m = parse_measure(raw)
    assert (m.value, m.unit, m.as_of, m.status) == (value, unit, as_of, status)


def test_clean_html_fragments() -> None:
    raw = '<ul style="list-style-type: none"> • Transferred five libraries • Reduced spend </ul> <p>more</p>'
    assert clean_text(raw) == "Transferred five libraries • Reduced spend more"
    assert clean_text("Library Services – the <i>Libraries for Derbyshire</i> strategy") == \
        "Library Services – the Libraries for Derbyshire strategy"


def test_split_names() -> None:
    assert split_names("Sarah Eaton / Julie Vollar (ASC&H)") == ["Sarah Eaton", "Julie Vollar"]
    assert split_names("All departments/ Emma Crapper") == ["Emma Crapper"]
    assert split_names("Fiona McAllister and Marcus Oyelaran") == ["Fiona McAllister", "Marcus Oyelaran"]
    assert split_names("Head of Economic Development") == []
    assert split_names("All Divisions") == []


def test_cluster_people_spelling_variants() -> None:
    people, canonical = cluster_people([("Jane Parfremment", None)] * 3 + [("Jane Parfremont", None),
                                        ("Julie Vollar", None), ("Julie Vollor", None), ("Julie Vollar", None),
                                        ("Emma Alexander", None), ("Emma Crapper", None),
                                        ("Cllr Amo Raju", None)])
    assert canonical["Jane Parfremont"] == "Jane Parfremment"
    assert canonical["Julie Vollor"] == "Julie Vollar"
    assert canonical["Emma Crapper"] == "Emma Crapper" and canonical["Emma Alexander"] == "Emma Alexander"
    raju = [p for p in people if p.name == "Amo Raju"]
    assert raju and raju[0].title == "Cllr"
    assert len(people) == 5


@pytest.mark.parametrize("header, role", [
    ("Responsible Officer", "lead"), ("Owner", "lead"), ("Lead", "lead"), ("Cabinet Member", "lead"),
    ("Complete", "due"), ("Target date", "due"), ("Timeframe", "due"), ("By when", "due"), ("Deadline", "due"),
    ("Start", "start"), ("Success Measures", "success"), ("Deliverable listed in the Council Plan", "in_plan"),
    ("Council Plan Priority", "priority"), ("Estimated Amount/Value (£)", "value"), ("Contract Title", "title"),
    ("Risk owner", "lead"), ("Risk", "risk"), ("Exposure £000s", "exposure"),
])
def test_header_roles(header: str, role: str) -> None:
    assert role_of(header) == role


def test_header_kinds() -> None:
    assert classify_header(("Action", "Responsible Officer", "Target Date")).kind == "actions"
    assert classify_header(("Description", "Actual 2017-18", "Target 2020-21")).kind == "kpis"
    assert classify_header(("Contract Title", "Estimated Value £", "Estimated Contract Start Date")).kind == "procurements"
    assert classify_header(("Priority", "Key Risks", "Mitigations")).kind == "risks"
    assert classify_header(("Colour", "Shape", "Size")).kind == "unclassified"
