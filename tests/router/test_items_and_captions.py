"""Named items ("A + B together", "more into A or B") and table captions as filters ("above the OJEU
threshold", "Table One"), over a tiny DuckDB built from SQL text."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from assistant.router.answer_plan import PlanAnswerer
from assistant.router.context import Context
from assistant.router.data import Database
from assistant.router.items import compares, named_items
from assistant.router.plan import QueryPlan
from assistant.router.queries import Conditions
from assistant.router.semantic import CAPTION_GROUP, SECTION_GROUP, caption_phrases, section_phrases, semantics
from assistant.router.understand import caption_named, caption_of_band
from assistant.text import fold

from tests.router.schema_db import empty_schema, keys_where
from tests.router.test_plan_units import open_tiny

BANDS = ("Table One", "above £25K less than £50K", "Table Two", "above £50K less than OJEU threshold",
         "Table Three", "above OJEU threshold")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db, _ = open_tiny(tmp_path_factory.mktemp("items"))
    yield db
    db.close()


def _rows(db: Database):
    return lambda q: db.run(q).dicts()


# ----------------------------------------------------------------------------- named items

def test_two_named_contracts_are_summed_exactly(tiny: Database) -> None:
    sem = semantics()["procurements"]
    question = "highways maintenance + street lighting contracts together?"
    items = named_items(question, "highways maintenance street lighting contracts together", sem, Conditions(),
                        _rows(tiny))
    assert items is not None and set(items.keys) == {"p1", "p3"}
    assert items.items == ("highways maintenance", "street lighting") and not items.compare
    plan = QueryPlan("sum", "procurements", Conditions(keys=items.keys), measure="amount", items=items.items)
    reply = PlanAnswerer(tiny).answer(question, plan, Context())
    assert reply is not None and "£15,000,000" in reply.answer.answer
    assert "named (highways maintenance; street lighting)" in reply.answer.answer
    # each item named is said with its own figure, as well as the total
    assert reply.answer.answer.count("£") >= 3 and reply.answer.answer.index("£15,000,000") < \
        reply.answer.answer.index(": ")
    assert {c.line_start for c in reply.answer.citations} == {3, 5}


def test_or_between_two_items_is_a_comparison(tiny: Database) -> None:
    sem = semantics()["procurements"]
    question = "is more going into the library software or the street lighting upgrade?"
    items = named_items(question, "going library software street lighting upgrade", sem, Conditions(), _rows(tiny))
    assert items is not None and set(items.keys) == {"p2", "p3"} and items.compare and not items.smaller
    assert compares("which is cheaper, a or b") == (True, True)


def test_than_and_v_part_two_compared_items(tiny: Database) -> None:
    """"How much bigger is A than B", "A v B": two items compared."""
    sem = semantics()["procurements"]
    for question in ("how much bigger is the library software than the street lighting upgrade?",
                     "library software v street lighting upgrade - which is more?"):
        items = named_items(question, "bigger library software street lighting upgrade", sem, Conditions(), _rows(tiny))
        assert items is not None and set(items.keys) == {"p2", "p3"}, question
        assert compares(question)[0], question


def test_a_piece_naming_no_row_means_no_list_of_items(tiny: Database) -> None:
    sem = semantics()["procurements"]
    assert named_items("highways maintenance and swimming pools together", "highways maintenance swimming pools",
                       sem, Conditions(), _rows(tiny)) is None
    assert named_items("total of highways maintenance", "highways maintenance", sem, Conditions(), _rows(tiny)) is None


def test_a_contract_listed_twice_is_one_item_with_both_rows(tiny: Database) -> None:
    sem = semantics()["procurements"]
    items = named_items("fleet vehicles lease and legal advice panel - total?", "fleet vehicles lease legal advice panel",
                        sem, Conditions(), _rows(tiny))
    assert items is not None and set(items.keys) == {"p4", "p5", "p6"}


# ----------------------------------------------------------------------------- captions

def test_caption_phrases_are_the_label_and_the_bracketed_qualifiers() -> None:
    assert caption_phrases("Table Two: Forward Plan of Procurements (above £50K less than OJEU threshold) Due to "
                           "commence prior to April 2022") == ("Table Two", "above £50K less than OJEU threshold")
    assert caption_phrases("Vehicle Replacement Programme 2020-2021") == ("Vehicle Replacement Programme 2020-2021",)
    assert caption_phrases("Measures") == ()  # one word names no table in particular


TITLES = ("Vehicle Replacement Programme 2020-2021", "Neighbourhoods and Public Protection - Cllr Asaf Afzal",
          "Be a good corporate parent to children in care and care leavers")


def test_a_whole_title_is_named_only_by_most_of_its_words() -> None:
    assert caption_named(fold("how many HGVs are in the vehicle replacement programme?"), TITLES) == TITLES[0]
    assert caption_named(fold("how many pledges did Cllr Asaf Afzal make?"), TITLES) is None
    assert caption_named(fold("actions in the adult social care and health plan"), TITLES) is None


@pytest.mark.parametrize("question, phrase", [
    ("How many Public Health procurements above the OJEU threshold are planned?", "above OJEU threshold"),
    ("total of public health's above-OJEU procurements", "above OJEU threshold"),
    ("adult care procurements below the OJEU threshold", "above £50K less than OJEU threshold"),
    ("which contracts are in Table One", "Table One"),
    ("ETE contracts in the 50k-to-OJEU band starting 01/09/2020", "above £50K less than OJEU threshold"),
    ("ete 50k-ojeu band - what's starting 01/09/2020?", "above £50K less than OJEU threshold"),
])
def test_a_caption_is_named_by_a_run_of_its_words_no_other_caption_has(question: str, phrase: str) -> None:
    assert caption_named(fold(question), BANDS) == phrase


@pytest.mark.parametrize("question", ["contracts above £50k", "the ojeu threshold", "largest contract"])
def test_amounts_and_shared_words_name_no_caption(question: str) -> None:
    assert caption_named(fold(question), BANDS) is None


def test_a_band_of_amounts_names_the_caption_with_the_same_bounds() -> None:
    assert caption_of_band("children's services £25k-£50k procurements", BANDS) == "above £25K less than £50K"
    assert caption_of_band("contracts over £1m", BANDS) is None
    # the band, not the exact amount beside it, names the caption
    assert caption_of_band("25k-50k band contracts worth exactly £30,000", BANDS) == "above £25K less than £50K"


def test_a_caption_group_filters_rows_by_their_table_caption(tmp_path: Path) -> None:
    con = empty_schema(tmp_path / "c.duckdb")
    con.execute("INSERT INTO raw_tables (table_id, caption) VALUES ('t1', 'Table One: Plan (above £25K less than "
                "£50K)'), ('t3', 'Table Three: Plan (above OJEU threshold)')")
    con.execute("INSERT INTO procurements (procurement_id, title, value, raw_table_id) VALUES "
                "('p1', 'Uniforms', 36000, 't1'), ('p2', 'Homes contractors', 2400000, 't3'), "
                "('p3', 'Pre-paid cards', 192000, 't3')")
    assert keys_where(con, "procurements", Conditions(groups=((CAPTION_GROUP, "above OJEU threshold"),))) == \
        ["p2", "p3"]
    con.close()


def test_a_group_value_matches_the_same_words_written_longer_or_shorter(tmp_path: Path) -> None:
    con = empty_schema(tmp_path / "g.duckdb")
    con.execute("INSERT INTO budget_lines (budget_id, line_item, measure, amount) VALUES "
                "('b1', 'GREEN', 'annual net revenue budget', 29), ('b2', 'VIBRANT', 'net revenue budget', 5.2), "
                "('b3', 'GREEN', 'capital budget', 121.1), ('b4', 'GREEN', 'annual gross revenue budget', 41.7)")
    for asked in ("annual net revenue budget", "net revenue budget"):
        assert keys_where(con, "budget_lines", Conditions(groups=(("measure", asked),))) == ["b1", "b2"], asked
    con.close()


def test_a_group_value_is_not_its_negation(tmp_path: Path) -> None:
    """"The biggest staffing budget": the Staffing column, not "Non Staffing" (which says the word whole)."""
    con = empty_schema(tmp_path / "n.duckdb")
    con.execute("INSERT INTO budget_lines (budget_id, line_item, measure, amount) VALUES "
                "('b1', 'Case Management', 'Staffing', 44088.2), ('b2', 'Residential Care', 'Non Staffing', 228967), "
                "('b3', 'Enablement', 'Non-Staffing', 10)")
    assert keys_where(con, "budget_lines", Conditions(groups=(("measure", "Staffing"),))) == ["b1"]
    assert keys_where(con, "budget_lines", Conditions(groups=(("measure", "Non Staffing"),))) == ["b2"]
    con.close()


def test_the_headings_above_rows_name_groups_of_them_but_not_departments_parts_or_kinds() -> None:
    paths = ["Children's Services > Section Two – Priorities > Keep Children Safe > Key Performance Measures",
             "Children's Services > Section One > Priority: Value for money > Key Performance Measures"]
    assert section_phrases(paths, frozenset({"children's services"})) == ("Keep Children Safe", "Value for money")


def test_a_heading_group_filters_rows_by_a_part_of_their_section_path(tmp_path: Path) -> None:
    con = empty_schema(tmp_path / "s.duckdb")
    con.execute("INSERT INTO kpis (kpi_id, description, section_path) VALUES "
                "('k1', 'Children going missing', 'CS > Keep Children Safe > Key Performance Measures'), "
                "('k2', 'Sickness absence', 'CS > Priority: Value for money > Key Performance Measures'), "
                "('k3', 'Keep children safe online campaign reach', 'CS > Other > Key Performance Measures')")
    assert keys_where(con, "kpis", Conditions(groups=((SECTION_GROUP, "Keep Children Safe"),))) == ["k1"]
    assert keys_where(con, "kpis", Conditions(groups=((SECTION_GROUP, "Value for money"),))) == ["k2"]
    con.close()


def test_the_part_of_a_heading_naming_its_kind_of_row_names_a_group_of_them(tmp_path: Path) -> None:
    """"Forward Plan of Procurement Projects – up to 31 March 2022: Public Health": the heading names the
    procurements, its last part ("Public Health") a group of them; the date part names none."""
    paths = ["ASCH > Forward Plan of Procurement Projects – up to 31 March 2022: Public Health",
             "ASCH > Forward Plan of Procurement Projects – up to 31 March 2022: Adult Care"]
    assert section_phrases(paths, frozenset({"asch"})) == ("Public Health", "Adult Care")
    con = empty_schema(tmp_path / "p.duckdb")
    con.execute("INSERT INTO procurements (procurement_id, title, value, section_path) VALUES "
                f"('p1', 'Falls Prevention Services', 735000, '{paths[0]}'), "
                f"('p2', 'Home care', 2400000, '{paths[1]}'), "
                "('p3', 'Public health campaign', 50000, 'ETE > Forward Plan')")
    assert keys_where(con, "procurements", Conditions(groups=((SECTION_GROUP, "Public Health"),))) == ["p1"]
    con.close()


def test_the_rows_beside_given_rows_are_the_rest_of_their_table(tmp_path: Path) -> None:
    con = empty_schema(tmp_path / "b.duckdb")
    con.execute("INSERT INTO procurements (procurement_id, title, value, raw_table_id) VALUES "
                "('p1', 'Screening', 75000, 't2'), ('p2', 'Offender health', 75000, 't2'), "
                "('p3', 'Obesity', 150000, 't2'), ('p4', 'Roofs', 75000, 't3')")
    assert keys_where(con, "procurements", Conditions(beside=("p1",), exclude_keys=("p1",))) == ["p2", "p3"]
    con.close()


def test_items_under_a_rows_last_cell_carry_it_on() -> None:
    from assistant.router.extract import items_under_row
    lines = ["Risk | Mitigation", "Unregulated provision | Robust oversight in place.", "",
             "- Robust contract monitoring", "- Strengthening commissioning", "", "Next paragraph."]
    assert items_under_row(lines, 2, "Robust oversight in place.") == ["Robust contract monitoring",
                                                                       "Strengthening commissioning"]
    assert items_under_row(lines, 2, "Unregulated provision") == []   # not the row's last cell
    assert items_under_row(lines, 7, "Next paragraph.") == []


def test_a_band_from_a_sum_to_a_named_bound_names_its_caption() -> None:
    """"Between £50k and the OJEU threshold": the caption with that sum and that bound; a bound it does not
    name names none."""
    assert caption_of_band("adult care procurements between £50k and the OJEU threshold", BANDS) == \
        "above £50K less than OJEU threshold"
    assert caption_of_band("contracts between £50k and the end of the year", BANDS) is None


def test_a_difference_asked_after_the_items_names_no_item(tiny: Database) -> None:
    """"A v B, what's the difference?": the last piece asks, it names no row; a qualifier said in one
    piece only ("waste capital infrastructure") is a word of that item's name."""
    from assistant.router.items import inside_a_name

    sem = semantics()["procurements"]
    items = named_items("library software v street lighting upgrade, what's the difference?",
                        "library software street lighting upgrade difference", sem, Conditions(), _rows(tiny))
    assert items is not None and set(items.keys) == {"p2", "p3"} and items.compare
    assert inside_a_name("lifetime exposure: high needs v waste capital infrastructure, what's the difference?", "capital")
    assert not inside_a_name("and green and vibrant capital combined?", "capital")   # it qualifies both
    assert not inside_a_name("waste capital and countryside capital savings", "capital")   # said of each
