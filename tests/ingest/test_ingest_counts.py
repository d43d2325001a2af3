"""Hand-verified counts per department of the Derbyshire service plans.

How they were counted (from corpus/derbyshire-county-service-plans-2020-21.txt, independently of
the parser, with awk over tab-separated fields; department ranges from the "<Department>" +
"Service Plan 2017-2021" title lines: CCP lines 1-713, ETE 714-1319, ASCH 1320-1741, CS 1742-2112):

- actions: lines inside tables whose header starts "Actions<TAB>Lead", ended by the next other
  header or prose line; header repeats skipped; lines whose first field is empty, a dash
  separator, or starts lower-case with Lead/Start/Complete empty are continuations (not counted).
  CCP = 47 numbered actions + 4 "- " sub-rows (6.1-6.3, 21.1) + 2 departmental = 53 (also read by
  eye), ETE 51, ASCH 23 (14 council + 9 departmental), CS 29.
- KPIs: lines inside tables whose header starts "Description<TAB>", minus the second header line
  of periods (first field empty): CCP 39, ETE 36, ASCH 58, CS 63; their non-empty value cells in
  the four value columns (Actual/Actual/Latest/Target or the ASCH variants): CCP 156, ETE 143,
  ASCH 215, CS 248.
- procurements: lines inside "Contract Title<TAB>" tables whose 2nd and 3rd fields are not both
  empty (category rows such as "ICT", "Legal Services" excluded): CCP 224 (13 category rows),
  ETE 189, ASCH 61, CS 35; minus the summary lines titled "TOTAL:" or "NIL" (ASCH: 6 + 1, found
  with grep -c $'^TOTAL:\t\|^NIL\t'), which are not projects: ASCH 54.
"""

from __future__ import annotations

import pytest

CCP = "Commissioning, Communities and Policy"
ETE = "Economy, Transport and Environment"
ASCH = "Adult Social Care and Health"
CS = "Children's Services"
SERVICE_PLANS = "derbyshire-county-service-plans-2020-21"

EXPECTED = {
    CCP: {"actions": 53, "kpis": 39, "kpi_values": 156, "procurements": 224},
    ETE: {"actions": 51, "kpis": 36, "kpi_values": 143, "procurements": 189},
    ASCH: {"actions": 23, "kpis": 58, "kpi_values": 215, "procurements": 54},
    CS: {"actions": 29, "kpis": 63, "kpi_values": 248, "procurements": 35},
}


@pytest.mark.parametrize("department", list(EXPECTED))
def test_counts_per_department(q, department: str) -> None:
    exp = EXPECTED[department]
    n = lambda t: q(f"SELECT count(*) FROM {t} WHERE doc_id = ? AND department = ?",  # noqa: E731
                    SERVICE_PLANS, department)[0][0]
    assert n("actions") == exp["actions"]
    assert n("kpis") == exp["kpis"]
    assert n("procurements") == exp["procurements"]
    values = q("SELECT count(*) FROM kpi_values v JOIN kpis k USING (kpi_id) WHERE k.department = ?", department)
    assert values[0][0] == exp["kpi_values"]


def test_procurement_category_rows_are_not_rows(q) -> None:
    cats = q("SELECT DISTINCT category FROM procurements WHERE department = ? AND category IS NOT NULL", CCP)
    names = {c for (c,) in cats}
    assert {"ICT", "Legal Services", "Pensions", "Finance", "CCP Joint Corporate Projects"} <= names
    assert q("SELECT count(*) FROM procurements WHERE title IN ('ICT', 'Legal Services', 'Pensions')")[0][0] == 0


def test_every_document_and_department_present(q) -> None:
    docs = {d for (d,) in q("SELECT doc_id FROM documents")}
    assert len(docs) == 4
    depts = {d for (d,) in q("SELECT DISTINCT department FROM sections WHERE level = 1 AND doc_id = ?", SERVICE_PLANS)}
    assert depts == {CCP, ETE, ASCH, CS}
    portfolios = q("SELECT count(DISTINCT department) FROM pledges WHERE cabinet_member IS NOT NULL")[0][0]
    assert portfolios == 8  # eight "<Portfolio> – Cllr <Name>" headings in the pledges document
