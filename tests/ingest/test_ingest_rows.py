"""Specific rows, checked against the source text (all four documents, all four departments)."""

from __future__ import annotations

from datetime import date

import pytest

SP = "derbyshire-county-service-plans-2020-21"
PLEDGES = "derby-city-pledges-delivery-plan-2016-19"
CCP_PLAN = "derbyshire-county-council-plan-2021-25"
DC_PLAN = "derby-city-council-plan-2022-25"


def one(q, sql: str, *params):
    rows = q(sql, *params)
    assert len(rows) == 1, rows
    return rows[0]


# --- CCP actions ------------------------------------------------------------------------------

def test_ccp_action_37_channel_shift(q) -> None:
    lead_raw, leads, start_raw, start, precision, complete_raw, complete, end, ref = one(q, """
        SELECT lead_raw, leads, start_raw, start_date, start_precision, complete_raw, complete_date,
               complete_date_end, ref FROM actions WHERE action = 'Deliver the new Channel Shift strategy'""")
    assert (ref, lead_raw, leads) == ("37", "Emma Crapper", ["Emma Crapper"])
    assert (start_raw, start, precision) == ("July 2019", date(2019, 7, 1), "month")
    assert (complete_raw, complete, end) == ("March 2021", date(2021, 3, 1), date(2021, 3, 31))


def test_ccp_action_15_continuation_joined(q) -> None:
    action, line_start, line_end, measures = one(
        q, "SELECT action, line_start, line_end, success_measures FROM actions WHERE doc_id = ? AND department LIKE 'Commissioning%' AND ref = '15'", SP)
    assert action.endswith("reduce the number of assets which are surplus to requirements")
    assert line_end > line_start
    assert "Maintenance backlog and outstanding repairs reduced" in measures
    assert q("SELECT count(*) FROM actions WHERE action LIKE 'are surplus%'")[0][0] == 0


def test_ccp_action_6_sub_rows(q) -> None:
    rows = q("SELECT ref, action, lead_raw FROM actions WHERE doc_id = ? AND department LIKE 'Commissioning%' AND parent_ref = '6' ORDER BY ref", SP)
    assert [r[0] for r in rows] == ["6.1", "6.2", "6.3"]
    assert rows[0][1] == "Corporate Property 2020 programme" and rows[0][2] == "Dave Massingham"
    assert rows[1][1].startswith("Library Services – implementation of the Libraries for Derbyshire")
    assert "<i>" not in rows[1][1]


def test_ccp_action_8_lead_split(q) -> None:
    lead_raw, leads, status = one(q, "SELECT lead_raw, leads, complete_status FROM actions WHERE doc_id = ? AND department LIKE 'Commissioning%' AND ref = '8'", SP)
    assert lead_raw == "All departments/ Emma Crapper"
    assert leads == ["Emma Crapper"]
    assert status == "Ongoing"


def test_ccp_action_10_dates_are_a_status(q) -> None:
    start_raw, start, status, cstatus = one(
        q, "SELECT start_raw, start_date, start_status, complete_status FROM actions WHERE doc_id = ? AND department LIKE 'Commissioning%' AND ref = '10'", SP)
    assert start_raw == "Start and completion dates are dependent upon national negotiations"
    assert start is None and status == start_raw and cstatus == start_raw


def test_ccp_action_28_two_leads(q) -> None:
    leads, plan = one(q, "SELECT leads, in_council_plan FROM actions WHERE doc_id = ? AND department LIKE 'Commissioning%' AND ref = '28'", SP)
    assert leads == ["Sarah Eaton", "Julie Vollar"]
    assert plan == "yes"


def test_ccp_action_7_year_precision_and_not_in_plan(q) -> None:
    start, precision, in_plan = one(
        q, "SELECT start_date, start_precision, in_council_plan FROM actions WHERE doc_id = ? AND department LIKE 'Commissioning%' AND ref = '7'", SP)
    assert (start, precision, in_plan) == (date(2018, 1, 1), "year", "no")


def test_success_measures_html_removed(q) -> None:
    (measures,) = one(q, "SELECT success_measures FROM actions WHERE doc_id = ? AND department LIKE 'Commissioning%' AND ref = '1'", SP)
    assert measures == "All budget savings for the year 2020/21 have been identified and delivered"


# --- ETE --------------------------------------------------------------------------------------

def test_ete_kpi_household_waste_target(q) -> None:
    raw, value, unit = one(q, """
        SELECT v.raw, v.value, v.unit FROM kpi_values v JOIN kpis k USING (kpi_id)
        WHERE k.description = 'Percentage of household waste sent for reuse, recycling and composting'
          AND v.period = '2020-21' AND v.kind = 'target'""")
    assert (raw, value, unit) == ("50%", 50.0, "%")


def test_ete_departmental_action_from_html_cell(q) -> None:
    lead, complete_status, priority = one(q, """
        SELECT lead_raw, complete_status, priority FROM actions
        WHERE action LIKE 'Implement the recommendations of the Countryside Service Review%'""")
    assert lead == "Claire Brailsford"
    assert complete_status is None
    assert priority == "Maintaining a safe and sustainable environment"


def test_ete_sub_row_highways_review(q) -> None:
    lead, start, complete = one(q, "SELECT lead_raw, start_raw, complete_raw FROM actions WHERE action = 'Highways review'")
    assert (lead, start, complete) == ("Geoff Pickford", "April 2018", "March 2021")


def test_ete_savings_table(q) -> None:
    amount, dept = one(q, "SELECT amount, department FROM savings WHERE item = 'Countryside Service'")
    assert amount == 400000.0 and dept == "Economy, Transport and Environment"


def test_ete_budget_thousands_and_brackets(q) -> None:
    raw, amount = one(q, """SELECT raw, amount FROM budget_lines
        WHERE department = 'Economy, Transport and Environment' AND line_item = 'Planning Services' AND measure = 'Income'""")
    assert (raw, amount) == ("(244)", -244000.0)


def test_ete_impossible_procurement_date_flagged(q) -> None:
    raw, start, flag = one(q, "SELECT start_raw, start_date, start_flag FROM procurements WHERE start_raw = '30/02/2023'")
    assert start is None and flag == "impossible date: 30/02/2023"


# --- CCP procurement, budget, risks, savings, KPIs --------------------------------------------

def test_supply_of_gas(q) -> None:
    value_raw, value, start_raw, start, category = one(
        q, "SELECT value_raw, value, start_raw, start_date, category FROM procurements WHERE title = 'Supply of Gas'")
    assert (value_raw, value) == ("£12,250,000.00", 12_250_000.0)
    assert (start_raw, start) == ("01/02/2020", date(2020, 2, 1))
    assert category == "CCP Joint Corporate Projects"


def test_toxicology_impossible_date_kept(q) -> None:
    raw, start, flag = one(q, "SELECT start_raw, start_date, start_flag FROM procurements WHERE title = 'Provision of Toxicology Services'")
    assert (raw, start, flag) == ("31/09/2020", None, "impossible date: 31/09/2020")


def test_procurement_subcategory(q) -> None:
    (category,) = one(q, "SELECT category FROM procurements WHERE title = 'Vision Derbyshire'")
    assert category == "Organisation, Development & Policy > (a) Policy"


def test_a_column_of_mostly_dashes_is_still_a_column_of_amounts(q) -> None:
    """Children's Services' Grants column is "-" in most rows: a dash is nothing, not text."""
    amount, = one(q, """SELECT amount FROM budget_lines WHERE department = 'Children''s Services'
                        AND line_item = 'Early Help and Safeguarding' AND measure = 'Grants'""")
    assert amount == -2_314_093.0
    assert not q("""SELECT * FROM budget_lines WHERE department = 'Children''s Services' AND measure = 'Grants'
                    AND line_item = 'Performance and Quality'""")   # "-": no line at all


def test_ccp_budget_negative_pounds(q) -> None:
    amount, total = one(q, """SELECT amount, is_total FROM budget_lines WHERE line_item = 'Corporate Finance and ICT'
                              AND measure = 'Unallocated budget'""")
    assert (amount, total) == (-365386.0, False)
    (net,) = one(q, "SELECT amount FROM budget_lines WHERE department = 'Commissioning, Communities and Policy' "
                    "AND is_total AND measure = 'Net Budget'")
    assert net == 59_625_880.0


def test_ccp_kpi_value_with_as_of(q) -> None:
    raw, value, unit, as_of, resp = one(q, """
        SELECT v.raw, v.value, v.unit, v.as_of, k.responsible FROM kpi_values v JOIN kpis k USING (kpi_id)
        WHERE k.description = 'Capital receipts for disposal of land and buildings' AND v.kind = 'latest'""")
    assert (raw, value, unit, as_of) == ("£6.046m (Feb 2020)", 6_046_000.0, "£", "Feb 2020")
    assert resp == ["Dave Massingham"]


def test_ccp_kpi_status_values(q) -> None:
    rows = dict(q("""SELECT v.kind || ' ' || v.period, v.status FROM kpi_values v JOIN kpis k USING (kpi_id)
                     WHERE k.description = 'Number of complaints - Council'"""))
    assert rows["latest 2019-20"] == "AD" and rows["target 2020-21"] == "Monitor"


def test_ccp_prose_saving(q) -> None:
    raw, amount, period = one(q, "SELECT raw, amount, period FROM savings WHERE item = 'Insurance reductions'")
    assert (raw, amount, period) == ("£350,000", 350000.0, "2020/21")


def test_ccp_risk_rows(q) -> None:
    rows = q("SELECT priority, risk FROM risks WHERE department = 'Commissioning, Communities and Policy' "
             "AND risk LIKE 'Organisational change%'")
    assert rows and rows[0][0] == "High performing and council services"


# --- ASCH -------------------------------------------------------------------------------------

def test_asch_action_alias_resolved(q) -> None:
    lead_raw, leads = one(q, "SELECT lead_raw, leads FROM actions WHERE doc_id = ? AND department = "
                             "'Adult Social Care and Health' AND ref = '4' AND plan LIKE 'Section One%'", SP)
    assert lead_raw == "Julie Vollor" and leads == ["Julie Vollar"]


def test_asch_kpi_single_line_header_periods(q) -> None:
    rows = q("""SELECT v.period, v.kind, v.value FROM kpi_values v JOIN kpis k USING (kpi_id)
                WHERE k.description LIKE '1) Achieved departmental budget savings%' ORDER BY v.period, v.kind""")
    assert rows == [("2017-18", "actual", 12_249_000.0), ("2018-19", "latest", 4_973_000.0),
                    ("2019-20", "target", 5_732_000.0), ("2020-21", "target", 14_305_000.0)]


def test_asch_day_precision_complete(q) -> None:
    complete, precision = one(q, "SELECT complete_date, complete_precision FROM actions WHERE doc_id = ? AND "
                                 "department = 'Adult Social Care and Health' AND ref = '1' AND plan LIKE 'Section One%'", SP)
    assert (complete, precision) == (date(2021, 3, 31), "day")


def test_asch_procurement(q) -> None:
    value, start = one(q, "SELECT value, start_date FROM procurements WHERE title = 'Deaf Communication Support Service'")
    assert (value, start) == (155000.0, date(2021, 4, 1))


# --- CS ---------------------------------------------------------------------------------------

def test_cs_parfremont_alias(q) -> None:
    (aliases,) = one(q, "SELECT aliases FROM people WHERE name = 'Jane Parfremment'")
    assert aliases == ["Jane Parfremment", "Jane Parfremont"]
    rows = q("SELECT DISTINCT leads FROM actions WHERE lead_raw = 'Jane Parfremont'")
    assert rows == [(["Jane Parfremment"],)]


def test_cs_underway_is_status(q) -> None:
    start, status, complete = one(q, """SELECT start_date, start_status, complete_date FROM actions
        WHERE action = 'Continue to drive improvements in the delivery of children''s social care'""")
    assert (start, status, complete) == (None, "Underway", date(2021, 3, 1))


def test_cs_priority_heading(q) -> None:
    (priority,) = one(q, "SELECT priority FROM actions WHERE action LIKE 'Strengthen partnership working within Children%'")
    assert priority == "Value for money"


def test_cs_kpi_qualified_target(q) -> None:
    value, status = one(q, """SELECT v.value, v.status FROM kpi_values v JOIN kpis k USING (kpi_id)
        WHERE k.description = 'Average cost of children in care placements' AND v.kind = 'target'""")
    assert (value, status) == (41000.0, "Less than")


def test_cs_procurement_plain_number(q) -> None:
    (value,) = one(q, "SELECT value FROM procurements WHERE title LIKE 'Stepping Down Children with disabilities%'")
    assert value == 8_000_000.0


# --- Derby City pledges and delivery actions -------------------------------------------------

def test_pledge_with_cabinet_member_and_timeframe(q) -> None:
    ptype, portfolio, member, raw, start, precision = one(q, """
        SELECT pledge_type, portfolio, cabinet_member, timeframe_raw, timeframe_date, timeframe_precision
        FROM pledges WHERE pledge = 'The Council will create 120 new enterprises.'""")
    assert (ptype, portfolio, member) == ("NEW", "Regeneration and Economy", "Cllr Martin Rawson")
    assert (raw, start, precision) == ("October 2019", date(2019, 10, 1), "month")


def test_pledge_protect_and_season(q) -> None:
    ptype, member, start, end, precision = one(q, """
        SELECT pledge_type, cabinet_member, timeframe_date, timeframe_date_end, timeframe_precision
        FROM pledges WHERE pledge LIKE 'The Council will complete the upgrade to Derby%'""")
    assert (ptype, member, precision) == ("PROTECT", "Cllr Martin Rawson", "season")
    assert (start, end) == (date(2018, 6, 1), date(2018, 8, 31))


def test_pledge_continuation_rows_joined(q) -> None:
    raw, start, end, measure = one(q, """
        SELECT timeframe_raw, timeframe_date, timeframe_date_end, measure FROM pledges
        WHERE pledge LIKE 'The Council will build 5km of extra cycle track%'""")
    assert raw.count(";") >= 3
    assert start == date(2017, 6, 1) and end == date(2019, 3, 31)
    assert "Phase 2 works completed." in measure


def test_super_six_pledge_type(q) -> None:
    n = q("SELECT count(*) FROM pledges WHERE pledge_type = 'SUPER SIX'")[0][0]
    assert n == 6


def test_derby_delivery_action_timeframe(q) -> None:
    dept, complete, priority, difference = one(q, """
        SELECT department, complete_date, priority, difference FROM actions
        WHERE action LIKE 'Accelerate housing delivery within the City Centre%'""")
    assert dept == "Regeneration and Economy" and complete == date(2019, 3, 1)
    assert priority.startswith("Outcome 5") and difference.startswith("It will take pressure off")


# --- Derbyshire council plan 2021-25, Derby City plan 2022-25 ----------------------------------

def test_county_plan_deliverables(q) -> None:
    rows = dict(q("SELECT horizon, count(*) FROM deliverables WHERE doc_id = ? GROUP BY horizon", CCP_PLAN))
    assert set(rows) == {"1 year", "4 year"}
    horizon, priority = one(q, "SELECT horizon, priority FROM deliverables WHERE deliverable LIKE "
                               "'Created a £15m grant fund to support business%'")
    assert (horizon, priority) == ("1 year", "Resilient, healthy and safe communities")


def test_county_plan_4_year_deliverable(q) -> None:
    horizon, priority = one(q, "SELECT horizon, priority FROM deliverables WHERE deliverable = "
                               "'Achieved excellence in procurement and contract management'")
    assert (horizon, priority) == ("4 year", "High performing, value for money and resident focused services")


def test_derby_city_plan_outcomes(q) -> None:
    rows = q("SELECT kind FROM outcomes WHERE doc_id = ? AND outcome = 'Cleaner air and lower CO2 emissions'", DC_PLAN)
    assert rows == [("outcome",)]
    must = q("SELECT count(*) FROM outcomes WHERE doc_id = ? AND kind = 'must do'", DC_PLAN)[0][0]
    assert must >= 10


@pytest.mark.parametrize("table", ["actions", "kpis", "procurements", "pledges", "deliverables", "budget_lines"])
def test_provenance_on_every_row(q, table: str) -> None:
    prose_ok = "AND section_path IS NULL" if table == "budget_lines" else ""  # prose budgets have no raw table
    bad = q(f"SELECT count(*) FROM {table} WHERE file IS NULL OR line_start IS NULL OR line_end < line_start "
            f"OR doc_id IS NULL OR (raw_table_id IS NULL {prose_ok})")
    assert bad[0][0] == 0


def test_derby_city_prose_budgets(q) -> None:
    rows = q("""SELECT measure, amount, period FROM budget_lines WHERE doc_id = ? AND line_item LIKE 'GREEN%'
                ORDER BY measure""", DC_PLAN)
    assert rows == [("annual gross revenue budget", 41_700_000.0, "annual"),
                    ("annual net revenue budget", 29_000_000.0, "annual"),
                    ("capital budget", 121_100_000.0, "three-year period")]
    n = q("SELECT count(*) FROM budget_lines WHERE doc_id = ? AND measure = 'capital budget'", DC_PLAN)[0][0]
    assert n == 5  # five priority areas; the repeated RESILIENT page is not counted twice


def test_risks_written_as_paragraphs_of_one_cell_are_one_row_each(q) -> None:
    """ETE's "Prosperous and green Derbyshire" cell holds three risks as <p> paragraphs, each beside its
    own paragraph of mitigation: three rows, each with its own mitigation."""
    rows = q("SELECT risk, mitigation FROM risks WHERE department = 'Economy, Transport and Environment' "
             "AND priority = 'Prosperous and green Derbyshire' ORDER BY risk_id")
    assert [r[0][:22] for r in rows] == ["Failure to maintain as", "Management of DCC wate", "Ash dieback - Serious "]
    assert rows[2][1].startswith("The Countryside Service is initiating a programme")
