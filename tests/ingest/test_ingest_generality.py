"""Generality: documents written for the tests, in layouts the corpus does not use (markdown
headings and tables, CSV files, other header words), land in the typed tables."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from assistant.config import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "generic"


@pytest.fixture(scope="module")
def generic(tmp_path_factory: pytest.TempPathFactory):
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    src = tmp_path_factory.mktemp("generic_src")
    for f in FIXTURES.iterdir():
        shutil.copy(f, src / f.name)
    settings = Settings(home=tmp_path_factory.mktemp("generic_home"), corpus=src)
    report = ingest_corpus(settings, index=False)
    con = connect_readonly(settings)
    yield report, lambda sql, *p: con.execute(sql, list(p)).fetchall()
    con.close()


def test_no_problems_and_everything_typed(generic) -> None:
    report, q = generic
    assert report.problems == ()
    assert report.documents == 4
    assert report.unclassified_tables == 0
    assert report.rows["risks"] == 2
    assert report.rows["actions"] == 7 and report.rows["procurements"] == 3
    assert report.rows["pledges"] == 2 and report.rows["kpis"] == 2 and report.rows["kpi_values"] == 4


def test_responsible_officer_and_target_date(generic) -> None:
    _, q = generic
    rows = q("SELECT ref, leads, complete_date, complete_precision, complete_flag FROM actions "
             "WHERE doc_id = 'harbourside-corporate-plan-2023-26' AND ref LIKE 'H%' ORDER BY ref")
    assert rows[0] == ("H1", ["Marcus Oyelaran"], date(2024, 6, 1), "month", None)
    assert rows[1][1] == ["Fiona McAllister", "Marcus Oyelaran"]
    assert rows[1][2:4] == (date(2025, 4, 1), "financial_year")
    assert rows[2][2] is None and rows[2][4] == "impossible date: 31/02/2024"


def test_owner_and_by_when(generic) -> None:
    _, q = generic
    rows = dict(q("SELECT action, complete_status FROM actions WHERE lead_raw LIKE 'Ade Okonkwo%'"))
    assert rows["Renegotiate the waste collection contract"] == "TBC"
    (leads, dept, section) = q("SELECT leads, department, section_path FROM actions "
                               "WHERE action LIKE 'Launch a digital%'")[0]
    assert leads == ["Ade Okonkwo"] and dept == "Resources" and section.startswith("Resources – Cllr Tom Bradwell")


def test_markdown_pledges_with_portfolio(generic) -> None:
    _, q = generic
    member, portfolio, precision = q("SELECT cabinet_member, portfolio, timeframe_precision FROM pledges "
                                     "WHERE pledge LIKE 'We will bring 150 empty homes%'")[0]
    assert (member, portfolio, precision) == ("Cllr Priya Shah", "Housing and Regeneration", "season")


def test_markdown_kpis(generic) -> None:
    _, q = generic
    rows = q("""SELECT v.period, v.kind, v.value, v.unit FROM kpi_values v JOIN kpis k USING (kpi_id)
                WHERE k.description = 'Average days to process a benefit claim' ORDER BY v.period""")
    assert rows == [("2022/23", "baseline", 21.0, "days"), ("2024/25", "target", 15.0, "days")]


def test_csv_files(generic) -> None:
    _, q = generic
    rows = q("SELECT title, value, start_precision, start_flag FROM procurements ORDER BY line_start")
    assert rows[0] == ("Grounds maintenance, parks and cemeteries", 2_400_000.0, "day", None)
    assert rows[1][1:3] == (12_000_000.0, "season")
    assert rows[2][1] == -15000.0 and rows[2][3] == "impossible date: 31/09/2024"
    action = q("SELECT lead_raw, complete_status, success_measures FROM actions WHERE action LIKE 'Plant 10,000 trees%'")
    assert action == [("Marcus Oyelaran", "Ongoing", "Trees planted per year")]


def test_tsv_file(generic) -> None:
    _, q = generic
    assert q("SELECT risk, mitigation FROM risks ORDER BY line_start")[0] == (
        "Loss of key ICT systems", "Tested disaster recovery plan")
    assert q("SELECT format FROM raw_tables WHERE doc_id = 'harbourside-risk-register'") == [("tsv",)]


def test_metadata_detected_without_manifest(generic) -> None:
    _, q = generic
    title, council, period = q("SELECT title, council, period FROM documents "
                               "WHERE doc_id = 'harbourside-corporate-plan-2023-26'")[0]
    assert (title, council, period) == ("Harbourside Borough Council", "Harbourside Borough Council", "2023-26")


def test_alias_clustering_is_generic(generic) -> None:
    _, q = generic
    assert q("SELECT aliases FROM people WHERE name = 'Fiona McAllister'") == [(["Fiona McAllister", "Fiona Mcallister"],)]
