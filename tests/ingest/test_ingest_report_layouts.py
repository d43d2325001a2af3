"""Layouts of council performance reports, on a PDF the test draws (report_factory.py): a KPI summary
table with Latest/Target/Floor/Previous/RAG columns and KPI cards are typed with their values per kind;
the Cabinet Member and Director named under a heading (one line without colons, or a two-column box)
fill sections.cabinet_member and sections.director; a merged header cell over a name and an acronym
column keeps each column's own name; a count table of risks by level keeps its levels as columns
and months as row labels; a framed title cut into cells by its underlines stays one line of text."""

from __future__ import annotations

import pytest

import report_factory as f
from assistant.config import Settings
from assistant.ingest.roles import roles_in_line, split_roles
from assistant.ingest.sections import find_sections

STEM = "thornbury-vale-quarterly-performance-report"


@pytest.fixture(scope="module")
def q(tmp_path_factory: pytest.TempPathFactory):
    from assistant.pipeline import ingest_corpus
    from assistant.sql.connect import connect_readonly

    src = tmp_path_factory.mktemp("report_src")
    f.make_report(src / f"{STEM}.pdf")
    settings = Settings(home=tmp_path_factory.mktemp("report_home"), corpus=src)
    report = ingest_corpus(settings, index=False)
    assert report.problems == ()
    con = connect_readonly(settings)
    yield lambda sql, *p: con.execute(sql, list(p)).fetchall()
    con.close()


def _values(q, description: str) -> dict[tuple[str, str], str]:
    rows = q("""SELECT v.kind, v.period, v.raw FROM kpi_values v JOIN kpis k USING (kpi_id)
                WHERE k.description = ?""", description)
    return {(kind, period): raw for kind, period, raw in rows}


def test_every_kpi_typed_once(q) -> None:
    names = sorted(r[0] for r in q("SELECT description FROM kpis"))
    assert names == sorted([r[0] for r in f.KPI_ROWS] + [c[0] for c in f.CARDS])


def test_summary_table_values_per_kind(q) -> None:
    for k, (name, latest, target, floor, previous, rag) in enumerate(f.KPI_ROWS):
        values = _values(q, name)
        assert values[("latest", "current")] == latest and values[("target", "current")] == target
        assert values[("floor", "current")] == floor and values[("previous", "previous")] == previous
        assert values[("rag", "current")] == rag
        # the previous rating comes from the ratings table, whose KPIs are the same ones
        assert values[("rag", "previous")] == f.RAG_PREVIOUS[k]


def test_rating_header_over_two_columns_beside_an_empty_column(q) -> None:
    (header,) = q("SELECT header FROM raw_tables WHERE header[1] = 'Housing KPIs'")[0]
    assert header == ["Housing KPIs", "RAG rating Latest", "RAG rating Previous", "DoT"]


def test_card_values_and_ratings(q) -> None:
    for name, rating, latest, target, floor, previous, prev_rating in f.CARDS:
        values = _values(q, name)
        assert values[("latest", "current")] == latest and values[("target", "current")] == target
        assert values[("floor", "current")] == floor and values[("previous", "previous")] == previous
        assert values[("rag", "current")] == rating and values[("rag", "previous")] == prev_rating


def test_card_header_names_no_column_twice(q) -> None:
    for (header,) in q("SELECT header FROM raw_tables WHERE kind = 'kpis'"):
        named = [h for h in header if h]
        assert len(named) == len(set(named)), header


@pytest.mark.parametrize("section", [f.HOUSING, f.WASTE])
def test_cabinet_member_and_director_of_a_section(q, section) -> None:
    heading, member, director = section
    rows = q("SELECT level, department, cabinet_member, director FROM sections WHERE heading = ?", heading)
    assert rows == [(1, heading, member, director)]


def test_merged_header_cell_split_by_its_columns(q) -> None:
    (header,) = q("SELECT header FROM raw_tables WHERE 'Total Cost' = ANY(header)")[0]
    assert header == ["Row Ref", "Directorate", "Dir", "Total Cost", "2025-26"]
    cells = [r[0] for r in q("""SELECT cells FROM raw_rows r JOIN raw_tables t USING (table_id)
                                WHERE 'Total Cost' = ANY(t.header) ORDER BY row_index""")]
    assert [c[1:3] for c in cells] == [[d, a] for d, a, _, _ in f.CAPITAL_ROWS]


def test_risk_level_table_keeps_levels_and_months(q) -> None:
    (table_id, header) = q("SELECT table_id, header FROM raw_tables WHERE 'High Risk' = ANY(header)")[0]
    assert header == ["", *f.RISK_LEVELS]
    rows = [r[0] for r in q("SELECT cells FROM raw_rows WHERE table_id = ? ORDER BY row_index", table_id)]
    assert rows == [list(r) for r in f.RISK_MONTHS]


def test_title_cut_by_underlines_stays_one_line(q) -> None:
    title = " ".join(f.BOX_TITLE)
    (text,) = q("SELECT text FROM pages WHERE page = 3")[0]
    assert title in text.splitlines()
    assert not q("SELECT table_id FROM raw_tables WHERE list_contains(header, ?)", f.BOX_TITLE[1])


def test_role_pairs_on_one_line() -> None:
    title, pairs = split_roles("Public Health Cabinet Member Edwina Farrow Director Dr Kwame Osei")
    assert title == "Public Health"
    assert [(p.role, p.name, p.is_director) for p in pairs] == [
        ("cabinet member", "Edwina Farrow", False), ("director", "Dr Kwame Osei", True)]
    assert [(p.role, p.name) for p in roles_in_line("Directors: Ruth Pellow & Amos Treloar")] == [
        ("director", "Ruth Pellow & Amos Treloar")]
    assert [(p.role, p.name) for p in roles_in_line("Interim Corporate Director\tJune Aldous")] == [
        ("interim corporate director", "June Aldous")]
    assert [(p.role, p.name) for p in roles_in_line("Head of Service: Kit Marlowe")] == [
        ("head of service", "Kit Marlowe")]


def test_a_role_with_a_directorate_or_in_a_sentence_names_nobody() -> None:
    assert roles_in_line("Corporate Director Adult Social Care & Health") == []
    assert split_roles("The Director of Public Health will report in March")[1] == []
    assert roles_in_line("the director Edwina Farrow") == []  # a role in running text is lower case


def test_text_document_sections_name_their_director() -> None:
    lines = ["Annual Plan", "",
             "Public Health Cabinet Member Edwina Farrow Director Kwame Osei", "",
             "We will open two new clinics.", "",
             "Libraries", "",
             "Director: Ruth Pellow", "",
             "Opening hours will be longer.", "",
             "Branch Services", "",
             "Mobile library rounds continue."]
    by_heading = {s.heading: s for s in find_sections(lines, "plan", "Annual Plan")}
    ph = by_heading["Public Health"]
    assert (ph.level, ph.department, ph.cabinet_member, ph.director) == (1, "Public Health", "Edwina Farrow",
                                                                          "Kwame Osei")
    assert by_heading["Libraries"].director == "Ruth Pellow"
    # a sibling heading names nobody: it takes the director of the department it sits in
    assert by_heading["Branch Services"].director == "Kwame Osei"
