"""A table whose rows are the departments (a capital summary by directorate) has no department of
its own: "which directorate has the most" is its largest row. Tested on a tiny DuckDB built from SQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.config import Settings
from assistant.router.answer_plan import PlanAnswerer
from assistant.router.context import Context
from assistant.router.data import Database
from assistant.router.plan import QueryPlan
from assistant.router.queries import Conditions
from assistant.router.understand import Lexicon, understand
from tests.router.schema_db import empty_schema

LINES = ["Capital summary", "1\tAdult Social Care & Health\t7,003", "2\tGrowth, Environment & Transport\t1,283,493",
         "3\tTotal Cash Limit\t2,002,563"]


def _db(home: Path) -> Database:
    source = home / "capital.txt"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    settings = Settings(home=home)
    f = str(source)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    con = empty_schema(settings.db_path)
    con.execute(f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                f"VALUES ('cap', '{f}', 'Capital Summary', 'Kent County Council', '2025-35', 'budget', '{digest}', 4, 'text')")
    con.execute(f"INSERT INTO budget_lines (budget_id, line_item, measure, raw, amount, is_total, doc_id, file, council, "
                f"department, line_start, line_end) VALUES "
                f"('b1', 'Adult Social Care & Health', 'Total Cost', '7,003', 7003000, false, 'cap', '{f}', 'Kent County Council', NULL, 2, 2), "
                f"('b2', 'Growth, Environment & Transport', 'Total Cost', '1,283,493', 1283493000, false, 'cap', '{f}', 'Kent County Council', NULL, 3, 3), "
                f"('b3', 'Total Cash Limit', 'Total Cost', '2,002,563', 2002563000, true, 'cap', '{f}', 'Kent County Council', NULL, 4, 4)")
    con.close()
    return Database(settings)


def test_the_department_with_the_most_is_the_largest_row_of_a_table_of_departments(tmp_path: Path) -> None:
    db = _db(tmp_path)
    try:
        plan = QueryPlan("group_top", "budget_lines", Conditions(groups=(("measure", "Total Cost"),)), measure="amount",
                         group_by="department", descending=True, limit=3)
        reply = PlanAnswerer(db).answer("which directorate has the most expensive capital programme?", plan, Context())
        assert reply is not None and "Growth, Environment & Transport" in reply.answer.answer
        assert "Total Cash Limit" not in reply.answer.answer.split(":")[0]  # the printed total is no department
    finally:
        db.close()


def test_an_amount_a_named_group_holds_is_no_second_filter() -> None:
    lexicon = Lexicon.build(people=[], departments=[], documents=[],
                            groups={("risks", "category"): ("Significant Risks (over £10m)",)})
    u = understand("how many of the significant risks (over £10m) have a likelihood of 3?", lexicon)
    assert ("risks", "category", "Significant Risks (over £10m)") in u.groups and u.amounts == ()


def test_a_division_inside_a_department_filters_by_the_row_s_section_path(tmp_path: Path) -> None:
    """"Which public health budget line is largest": Public Health is a heading inside Adult Social Care
    & Health, not the rows' department, and still selects them."""
    source = tmp_path / "kss.txt"
    source.write_text("Key services\nPublic Health - Children's Programme\t33,907.0\nOlder People\t90,000.0\n",
                      encoding="utf-8")
    settings = Settings(home=tmp_path)
    f = str(source)
    con = empty_schema(settings.db_path)
    con.execute(f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                f"VALUES ('kss', '{f}', 'Key Services', 'Kent County Council', '2025-26', 'budget', 'x', 3, 'text')")
    con.execute(f"INSERT INTO budget_lines (budget_id, line_item, measure, raw, amount, is_total, doc_id, file, council, "
                f"department, section_path, line_start, line_end) VALUES "
                f"('b1', 'Public Health - Children''s Programme', 'Gross', '33,907.0', 33907000, false, 'kss', '{f}', "
                f"'Kent County Council', 'Adult Social Care & Health', 'Adult Social Care & Health > Public Health', 2, 2), "
                f"('b2', 'Older People', 'Gross', '90,000.0', 90000000, false, 'kss', '{f}', "
                f"'Kent County Council', 'Adult Social Care & Health', 'Adult Social Care & Health > Older People', 3, 3)")
    con.close()
    db = Database(settings)
    try:
        plan = QueryPlan("max", "budget_lines", Conditions(departments=("Public Health",)), measure="amount")
        reply = PlanAnswerer(db).answer("which public health budget line is largest?", plan, Context())
        assert reply is not None and "Children's Programme" in reply.answer.answer
        assert "Older People" not in reply.answer.answer
    finally:
        db.close()


def test_the_largest_line_of_a_long_form_table_compares_lines_in_one_column(tmp_path: Path) -> None:
    """One row per line and column: the largest line is read in the column the question names ("gross
    spend": Gross Expenditure), else in the line's last column, and a line never runs against itself."""
    source = tmp_path / "kss.txt"
    source.write_text("Key services\nSexual Health\t16,180.1\t0.0\nSchools\t9,000.0\t8,000.0\n", encoding="utf-8")
    settings = Settings(home=tmp_path)
    f = str(source)
    con = empty_schema(settings.db_path)
    con.execute(f"INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                f"VALUES ('kss', '{f}', 'Key Services', 'Kent County Council', '2025-26', 'budget', 'x', 3, 'text')")
    rows = [("t1:r0:c1", "Sexual Health", "Gross Expenditure", 16180100, 2), ("t1:r0:c2", "Sexual Health", "Net Cost", 0, 2),
            ("t1:r1:c1", "Schools", "Gross Expenditure", 9000000, 3), ("t1:r1:c2", "Schools", "Net Cost", 8000000, 3)]
    for key, line, measure, amount, n in rows:
        con.execute("INSERT INTO budget_lines (budget_id, line_item, measure, raw, amount, is_total, doc_id, file, "
                    "council, department, line_start, line_end) VALUES (?, ?, ?, ?, ?, false, 'kss', ?, "
                    "'Kent County Council', 'Public Health', ?, ?)", [key, line, measure, str(amount), amount, f, n, n])
    con.close()
    db = Database(settings)
    try:
        plan = QueryPlan("max", "budget_lines", Conditions(departments=("Public Health",)), measure="amount")
        gross = PlanAnswerer(db).answer("which line has the largest gross spend?", plan, Context())
        assert gross is not None and gross.answer.answer.startswith("The largest") and "Sexual Health" in \
            gross.answer.answer.split("Next")[0] and "Gross Expenditure" in gross.answer.answer
        net = PlanAnswerer(db).answer("which line is the largest?", plan, Context())
        assert net is not None and "Schools" in net.answer.answer.split("Next")[0] and "Net Cost" in net.answer.answer
        assert net.answer.answer.count("Schools") == 1   # its other column is no runner-up
    finally:
        db.close()
