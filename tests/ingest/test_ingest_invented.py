"""A layout the reader was not written against: an invented council's delivery plan
(invented_factory.py) rendered with fpdf2, and as a Word file, lands in the typed tables the same
way: commitments with owner and deadline (the table runs onto page 2 under a repeated header),
KPI values per period, risks with their owner and exposure in £000s, and pages on PDF rows."""

from __future__ import annotations

from datetime import date

import pytest

import invented_factory as f
from assistant.config import Settings

FORMATS = {"pdf": f.make_fpdf_plan, "docx": f.make_docx_plan}
FILE_STEM = "thornbury-vale-delivery-plan-2025-26"


@pytest.fixture(scope="module", params=sorted(FORMATS))
def plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    kind = request.param
    src = tmp_path_factory.mktemp(f"invented_{kind}")
    FORMATS[kind](src / f"{FILE_STEM}.{kind}")
    settings = Settings(home=tmp_path_factory.mktemp(f"invented_{kind}_home"), corpus=src)
    report = ingest_corpus(settings, index=False)
    con = connect_readonly(settings)
    yield kind, report, lambda sql, *p: con.execute(sql, list(p)).fetchall()
    con.close()


def test_every_table_typed(plan) -> None:
    _, report, q = plan
    assert report.problems == () and report.unclassified_tables == 0
    assert report.rows["actions"] == len(f.COMMITMENTS)  # one table, though it runs over two pages
    assert report.rows["kpis"] == len(f.KPIS) and report.rows["risks"] == len(f.RISKS)
    assert q("SELECT council FROM documents") == [(f.COUNCIL,)]


def test_commitments_with_owner_and_deadline(plan) -> None:
    _, _, q = plan
    rows = q("SELECT action, lead_raw, complete_raw, complete_date, complete_date_end FROM actions ORDER BY line_start")
    assert [r[:3] for r in rows] == [c[:3] for c in f.COMMITMENTS]  # wrapped cells joined, no header repeats
    by_action = {r[0]: r[3:] for r in rows}
    assert by_action[f.LONG_COMMITMENT] == (date(2026, 3, 1), date(2026, 3, 31))
    # a quarter of a financial year: Q4 of 2026/27 is January to March 2027
    assert by_action["Replace the refuse fleet with electric vehicles"] == (date(2027, 1, 1), date(2027, 3, 31))


def test_kpi_values_per_period(plan) -> None:
    _, _, q = plan
    rows = q("""SELECT v.kind, v.period, v.value FROM kpi_values v JOIN kpis k USING (kpi_id)
                WHERE k.description = 'Planning applications decided on time (%)' ORDER BY v.kind""")
    values = {(kind, period): value for kind, period, value in rows}
    assert values[("actual", "2024/25")] == 86.0 and values[("target", "2025/26")] == 90.0
    assert [v for (k, _), v in values.items() if k == "baseline"] == [78.0]
    assert q("""SELECT v.status FROM kpi_values v JOIN kpis k USING (kpi_id)
                WHERE k.description = 'Residual waste per household (kg)' AND v.kind = 'rag'""") == [("Red",)]


def test_risks_with_owner_and_exposure_in_thousands(plan) -> None:
    _, _, q = plan
    rows = q("SELECT risk, owner, likelihood, annual_exposure FROM risks ORDER BY line_start")
    assert rows == [(r, owner, likelihood, float(exposure.replace(",", "")) * 1000)
                    for r, owner, likelihood, _, exposure in f.RISKS]


def test_pdf_rows_carry_pages(plan) -> None:
    kind, _, q = plan
    pages = q("SELECT min(page), max(page), count(*) FILTER (WHERE page IS NULL) FROM actions")[0]
    if kind == "pdf":
        assert pages == (1, 2, 0)  # the commitments run from page 1 onto page 2
        assert q("SELECT DISTINCT page FROM risks") == [(2,)]
    else:
        assert pages == (None, None, len(f.COMMITMENTS))  # Word files have no pages
