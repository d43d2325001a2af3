"""The printed total of a department's budget column (assistant/router/department_totals.py), on a tiny
DuckDB built from SQL: one department's total, two compared, and a line named left to the row answerers."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.router.context import Context
from assistant.router.data import Database
from assistant.router.department_totals import department_totals, difference_follow_up
from assistant.router.queries import Conditions
from assistant.router.understand import DocumentInfo, Lexicon, understand
from assistant.text import terms
from tests.router.schema_db import empty_schema

ETE, CCP = "Economy, Transport and Environment", "Commissioning, Communities and Policy"


def _db(home: Path) -> Database:
    source = home / "plan.txt"
    source.write_text("Budgets\nWaste\t44,042\nTOTAL\t76,285\nLegal\t3,000\nTOTAL\t59,625\n", encoding="utf-8")
    settings = Settings(home=home)
    con = empty_schema(settings.db_path)
    con.execute("INSERT INTO documents (doc_id, file, title, council, period, kind, content_hash, n_lines, format) "
                "VALUES ('sp', ?, 'Service Plans', 'Derbyshire County Council', '2020-21', 'plan', 'x', 5, 'text')",
                [str(source)])
    rows = [("b1", "Waste", 44042000, False, ETE, 2), ("b2", "TOTAL", 76285000, True, ETE, 3),
            ("b3", "Legal", 3000000, False, CCP, 4), ("b4", "TOTAL", 59625000, True, CCP, 5)]
    for key, line, amount, total, department, n in rows:
        con.execute("INSERT INTO budget_lines (budget_id, line_item, measure, raw, amount, is_total, doc_id, file, "
                    "council, department, line_start, line_end) VALUES (?, ?, 'Net Budget', ?, ?, ?, 'sp', ?, "
                    "'Derbyshire County Council', ?, ?, ?)", [key, line, str(amount), amount, total, str(source),
                                                              department, n, n])
    con.close()
    return Database(settings)


def _lexicon() -> Lexicon:
    return Lexicon.build(people=[], departments=[(ETE, "Derbyshire County Council"), (CCP, "Derbyshire County Council")],
                         documents=[DocumentInfo("sp", "Service Plans", "Derbyshire County Council", "2020-21", "plan")],
                         groups={("budget_lines", "measure"): ("Net Budget",)})


def _ask(db: Database, question: str, context: Context | None = None):
    u = understand(question, _lexicon())
    scope = Conditions(departments=u.departments)
    words = frozenset(t for d in u.departments for t in terms(d))
    return department_totals(db, u, scope, words, context)


def test_a_department_s_net_budget_is_its_printed_total_and_two_are_compared(tmp_path: Path) -> None:
    db = _db(tmp_path)
    try:
        one = _ask(db, "Economy, Transport and Environment net budget?")
        assert one is not None and "£76,285,000" in one.answer.answer and "Waste" not in one.answer.answer
        two = _ask(db, "which is bigger, the Economy, Transport and Environment net budget or "
                       "Commissioning, Communities and Policy's?")
        assert two is not None and "larger, by £16,660,000" in two.answer.answer
        more = difference_follow_up(db, understand("by how much?", _lexicon()), two.context)
        assert more is not None and "£16,660,000" in more.answer.answer
        assert _ask(db, "Economy, Transport and Environment waste net budget?") is None   # a line named
    finally:
        db.close()


def test_and_the_net_after_a_departments_gross_total_is_its_net_total(assistant) -> None:
    from assistant.router import Conversation

    chat = Conversation(assistant)
    assert "£68,384,990" in chat.ask("What's CCP's total gross controllable budget for 2020/21?").answer
    assert "Net Budget total of Commissioning, Communities and Policy is £59,625,880" in chat.ask("and the net?").answer
    chat = Conversation(assistant)
    chat.ask("What's CCP's total gross controllable budget for 2020/21?")
    gap = chat.ask("how far above the net is it?")
    assert "£8,759,110 less than" in gap.answer, gap.answer


def test_the_words_of_another_column_name_no_line_of_the_budget(assistant) -> None:
    """"How much grant income does the whole children's services budget show?": the Grants column's printed
    total ("income" is a word of another column, never a line's name)."""
    answer = assistant.ask("how much grant income does the whole children's services budget show?")
    assert answer.answer.startswith("The Grants total of Children's Services is -£11,442,401"), answer.answer
