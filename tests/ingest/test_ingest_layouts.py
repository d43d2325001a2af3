"""Text layouts the bundled corpus does not use: rows written 'a | b | c' without a leading pipe,
columns aligned with spaces, semicolon-separated CSV, a 'Team' owner, 'Outturn 2023/24' in a
header, a status legend written in the prose, and council and period read from the content."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.config import Settings

PIPES = """Oakfield Borough Council
Team Performance Report 2024/25

Our key performance indicators are listed below with the team that owns each one.

KPI | Team | Outturn 2023/24 | Target 2024/25 | Status
Households in temporary accommodation | Housing Options | 1,204 | 1,100 | lr
Missed bin collections per 100,000 | Waste Services | 52 | 40 | g
Housing benefit claims processed in 20 days (%) | Benefits Team | 88% | 90% | lr

Legend: lr: below target; g: on target

Service Measures

Measure                          Owner              Baseline    Latest    Target
Staff sickness days per FTE      HR Team            9.1         8.4       8.0
Invoices paid in 30 days (%)     Finance Team       88%         91%       95%
Complaints answered on time      Customer Care      71%                   85%
"""

SEMICOLON_CSV = """Action;Owner;Deadline;Budget (£)
Resurface the market square;Dana Whitfield;Autumn 2025;"120,000"
Replace the CCTV cameras;Omar Haddad;March '26;"45,500"
Review the parking strategy;Dana Whitfield;2025-2027;"0"
"""


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory):
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    src = tmp_path_factory.mktemp("layouts_src")
    (src / "oakfield-team-kpis.txt").write_text(PIPES, encoding="utf-8")
    (src / "oakfield-highways-actions.csv").write_text(SEMICOLON_CSV, encoding="utf-8")
    settings = Settings(home=tmp_path_factory.mktemp("layouts_home"), corpus=src)
    report = ingest_corpus(settings, index=False)
    con = connect_readonly(settings)
    yield report, lambda sql, *p: con.execute(sql, list(p)).fetchall()
    con.close()


def test_no_problems_and_every_table_typed(layouts) -> None:
    report, _ = layouts
    assert report.problems == ()
    assert report.unclassified_tables == 0
    assert report.rows["kpis"] == 6 and report.rows["actions"] == 3


def test_pipe_rows_without_leading_pipe_team_owner_and_outturn_year(layouts) -> None:
    _, q = layouts
    rows = q("""SELECT k.responsible_raw, v.period, v.kind, v.value, v.status FROM kpis k JOIN kpi_values v USING (kpi_id)
                WHERE k.description = 'Households in temporary accommodation' ORDER BY v.kind""")
    assert rows == [("Housing Options", "2023/24", "actual", 1204.0, None),
                    ("Housing Options", "2024-25", "rag", None, "lr"),  # undated: the document's period
                    ("Housing Options", "2024/25", "target", 1100.0, None)]
    teams = q("SELECT responsible_raw, count(*) FROM kpis WHERE doc_id = 'oakfield-team-kpis' "
              "GROUP BY 1 ORDER BY 1")
    assert ("Housing Options", 1) in teams and ("Benefits Team", 1) in teams


def test_space_aligned_columns_with_an_empty_cell(layouts) -> None:
    _, q = layouts
    rows = dict(q("""SELECT v.kind, v.raw FROM kpis k JOIN kpi_values v USING (kpi_id)
                     WHERE k.description = 'Complaints answered on time'"""))
    assert rows == {"baseline": "71%", "target": "85%"}
    (owner,) = q("SELECT responsible_raw FROM kpis WHERE description = 'Staff sickness days per FTE'")[0]
    assert owner == "HR Team"


def test_status_legend_from_the_prose(layouts) -> None:
    _, q = layouts
    assert dict(q("SELECT term, meaning FROM legend WHERE doc_id = 'oakfield-team-kpis'")) == {
        "lr": "below target", "g": "on target"}


def test_council_and_period_from_the_content(layouts) -> None:
    _, q = layouts
    assert q("SELECT council, period, kind FROM documents WHERE doc_id = 'oakfield-team-kpis'") == [
        ("Oakfield Borough Council", "2024-25", "performance report")]


def test_semicolon_csv(layouts) -> None:
    _, q = layouts
    rows = q("SELECT action, lead_raw, complete_date, complete_precision FROM actions "
             "WHERE doc_id = 'oakfield-highways-actions' ORDER BY line_start")
    assert rows == [("Resurface the market square", "Dana Whitfield", date(2025, 9, 1), "season"),
                    ("Replace the CCTV cameras", "Omar Haddad", date(2026, 3, 1), "month"),
                    ("Review the parking strategy", "Dana Whitfield", date(2025, 1, 1), "years")]
