"""The runner, metrics and reports, on a gold file and corpus of our own in a temp dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings
from assistant.models import Answer, Citation
from eval.gold import GoldError, load_gold, parse_gold
from eval.metrics import (citation_ok, contains_fact, is_correct, missing_facts, percentile, quote_spans,
                          retrieval_hit)
from eval.report import write_reports
from eval.runner import run_eval, select

SOURCE = """Service Plan
Actions\tLead\tStart\tComplete
1. Deliver the channel shift strategy\tAda Lovelace\tJuly 2019\tMarch 2021
2. Review the library estate\tAlan Turing\tApril 2020\tOctober 2020
The council has 1,954 staff.
"""


def _gold_lines(source: str) -> list[dict]:
    return [
        {"id": "q1", "question": "Who leads the channel shift strategy?", "kind": "lead", "route": "sql",
         "answer": "Ada Lovelace", "must_contain": ["Ada Lovelace"], "source_file": source,
         "source_quote": "1. Deliver the channel shift strategy"},
        {"id": "q2", "question": "When does the library review complete?", "kind": "deadline", "route": "sql",
         "answer": "October 2020", "must_contain": ["October 2020"], "source_file": source,
         "source_quote": "2. Review the library estate"},
        {"id": "q3", "question": "How many staff?", "kind": "text", "route": "text", "answer": "1,954",
         "must_contain": [], "must_contain_any": ["1,954", "about two thousand"], "source_file": source,
         "source_quote": "The council has 1,954 staff."},
        {"id": "q4", "question": "Who leads the moon base?", "kind": "unanswerable", "route": "either",
         "answer": "", "must_contain": [], "source_file": source, "source_quote": "Service Plan"},
    ]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "plan.txt").write_text(SOURCE, encoding="utf-8")
    return d


@pytest.fixture
def gold_file(tmp_path: Path, corpus: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    src = str(corpus / "plan.txt")
    path.write_text("\n".join(json.dumps(r) for r in _gold_lines(src)) + "\n", encoding="utf-8")
    return path


def _cite(path: Path, a: int, b: int) -> Citation:
    return Citation(file=str(path), title="plan", section="", line_start=a, line_end=b, quote="")


class ScriptedSystem:
    """A stand-in for the assistant that answers from a script (the runner is under test here)."""

    name = "scripted"

    def __init__(self, source: Path) -> None:
        self.source = source

    def ask(self, question: str) -> Answer:
        if "channel" in question:
            return Answer(question, "sql", "Ada Lovelace leads it.", citations=(_cite(self.source, 3, 3),))
        if "library" in question:  # wrong date, wrong citation
            return Answer(question, "text", "It completes in April 2020.", citations=(_cite(self.source, 5, 5),))
        if "staff" in question:
            return Answer(question, "text", "The council has 1954 staff.", citations=(_cite(self.source, 4, 5),))
        raise RuntimeError("boom")

    def retrieve(self, question: str, k: int = 5) -> list:
        from assistant.models import Hit

        return [Hit(score=1.0, text="", citation=_cite(self.source, 5, 5))]


# ---- gold loading ----------------------------------------------------------------------------

def test_a_valid_gold_file_loads(gold_file: Path) -> None:
    items = load_gold(gold_file)
    assert [i.id for i in items] == ["q1", "q2", "q3", "q4"]
    assert items[2].must_contain_any == ("1,954", "about two thousand")
    assert not items[3].answerable


def test_schema_problems_are_all_reported_with_line_numbers() -> None:
    good = json.dumps(_gold_lines("x.txt")[0])
    bad_kind = json.dumps({**_gold_lines("x.txt")[1], "kind": "weather"})
    missing = json.dumps({"id": "m", "question": "q"})
    no_facts = json.dumps({**_gold_lines("x.txt")[1], "id": "nf", "must_contain": []})
    text = "\n".join([good, "{not json", bad_kind, missing, good, no_facts])
    with pytest.raises(GoldError) as err:
        parse_gold(text, "g.jsonl")
    msg = str(err.value)
    assert "line 2: not valid JSON" in msg
    assert "line 3: kind 'weather'" in msg
    assert "line 4: missing fields 'kind', 'route', 'answer'" in msg
    assert "line 5: duplicate id 'q1'" in msg
    assert "line 6: an answerable question needs must_contain" in msg


def test_missing_and_empty_gold_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(GoldError, match="no questions"):
        load_gold(empty)


# ---- metrics ---------------------------------------------------------------------------------

def test_fact_matching_rules() -> None:
    assert contains_fact("Latest: 8.9 (Dec 2019).", "8.9")
    assert not contains_fact("Latest: 18.9", "8.9")
    assert not contains_fact("Latest: 8.95", "8.9")
    assert contains_fact("1001 complaints", "1,001")
    assert contains_fact("High-performing council services", "High performing council services")
    assert contains_fact("Jane Parfremment’s action", "Jane Parfremment's")
    assert contains_fact("led by **Emma Crapper**", "emma crapper")
    assert not contains_fact("March 20210", "March 2021")


def test_correctness_abstention_and_citations(gold_file: Path, corpus: Path) -> None:
    q1, q2, q3, q4 = load_gold(gold_file)
    src = corpus / "plan.txt"
    assert quote_spans(src, q1.source_quote) == ((3, 3),)
    good = Answer(q1.question, "sql", "Ada Lovelace", citations=(_cite(src, 2, 4),))
    assert is_correct(q1, good) and citation_ok(q1, good)
    assert not is_correct(q1, Answer(q1.question, "none", "Ada Lovelace", abstained=True))
    assert missing_facts(q3, "about 2000") == ("1,954 | about two thousand",)
    assert is_correct(q4, Answer(q4.question, "none", "Not in the documents.", abstained=True))
    assert not is_correct(q4, Answer(q4.question, "text", "The moon base is led by Ada."))
    assert citation_ok(q4, good) is None
    from assistant.models import Hit

    assert retrieval_hit(q3, [Hit(1.0, "", _cite(src, 5, 6))]) is True
    assert retrieval_hit(q3, [Hit(1.0, "", _cite(src, 1, 4))]) is False


def test_percentile() -> None:
    assert percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 50) != percentile([], 50)  # NaN


# ---- runner and reports ----------------------------------------------------------------------

def test_run_eval_scores_a_scripted_system(gold_file: Path, corpus: Path, tmp_path: Path) -> None:
    items = load_gold(gold_file)
    settings = Settings(home=tmp_path / "home", corpus=corpus)
    run = run_eval(settings, items, ["scripted"], gold=str(gold_file),
                   factory=lambda name, s: ScriptedSystem(corpus / "plan.txt"))
    s = run.summaries["scripted"]
    assert (s.accuracy.hits, s.accuracy.total) == (2, 4)
    assert s.per_kind["lead"].value == 1.0 and s.per_kind["deadline"].value == 0.0
    assert (s.route_accuracy.hits, s.route_accuracy.total) == (2, 3)
    assert (s.citation_accuracy.hits, s.citation_accuracy.total) == (2, 3)
    assert (s.recall_at_5.hits, s.recall_at_5.total) == (1, 1)
    assert s.abstention_recall.value == 0.0 and s.abstention_precision.total == 0
    assert s.errors == 1
    assert (s.grounded_accuracy.hits, s.grounded_accuracy.total) == (2, 4)
    failed = {r.id: r for r in run.results["scripted"] if not r.correct}
    assert set(failed) == {"q2", "q4"}
    assert failed["q2"].missing == ("October 2020",)
    assert failed["q4"].error == "RuntimeError: boom"

    paths = write_reports(run, tmp_path / "reports", json_path=tmp_path / "out.json")
    md = paths.markdown.read_text(encoding="utf-8")
    assert "| lead | 1 | 100.0% (1/1) |" in md
    assert "| plan.txt | 4 | 50.0% (2/4) |" in md
    assert "**q2**" in md and "missing: October 2020" in md and "It completes in April 2020." in md
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["summaries"]["scripted"]["accuracy"]["value"] == 0.5
    assert paths.chart is not None and paths.chart.stat().st_size > 1000


def test_select_is_deterministic(gold_file: Path) -> None:
    items = load_gold(gold_file)
    assert [i.id for i in select(items, every=2)] == ["q1", "q3"]
    assert [i.id for i in select(items, limit=1)] == ["q1"]
    assert [i.id for i in select(items, kinds=["text"])] == ["q3"]


# ---- CLI -------------------------------------------------------------------------------------

def test_eval_cli_runs_bm25_and_writes_three_reports(gold_file: Path, corpus: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PLAN_ASSISTANT_CORPUS", str(corpus))
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_file), "--system", "bm25", "--no-baselines",
                                       "--out-dir", str(out), "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "bm25" in result.output
    assert {p.name for p in out.iterdir()} >= {"eval.md", "eval.json", "eval.png"}
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["n_questions"] == 4 and data["primary"] == "bm25"


def test_eval_cli_reports_a_bad_gold_file_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(bad), "--system", "bm25", "--no-baselines"])
    assert result.exit_code != 0
    assert "missing fields 'question'" in result.output
    assert "Traceback" not in result.output


def test_eval_cli_rejects_an_unknown_kind(gold_file: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_file), "--kind", "weather"])
    assert result.exit_code == 2
    assert "unknown kind" in result.output


def test_quotes_missing_from_their_source_are_reported(gold_file: Path, corpus: Path, tmp_path: Path) -> None:
    items = load_gold(gold_file)
    broken = [items[0].__class__(**{**items[0].__dict__, "id": "lost", "source_quote": "not in the file"})]
    run = run_eval(Settings(home=tmp_path / "h", corpus=corpus), items + broken, ["scripted"],
                   factory=lambda name, s: ScriptedSystem(corpus / "plan.txt"))
    assert run.unlocated == ("lost",)
    assert next(r for r in run.results["scripted"] if r.id == "lost").citation_ok is None
    md = write_reports(run, tmp_path / "rep").markdown.read_text(encoding="utf-8")
    assert "Quotes not found in their source (1" in md and "Failure breakdown" in md


def test_a_system_returning_something_else_is_an_error_not_a_crash(gold_file: Path, corpus: Path,
                                                                  tmp_path: Path) -> None:
    class Broken:
        name = "broken"

        def ask(self, question: str) -> str:
            return "not an Answer"

    run = run_eval(Settings(home=tmp_path / "h", corpus=corpus), load_gold(gold_file), ["broken"],
                   factory=lambda name, s: Broken())
    assert run.summaries["broken"].errors == 4 and run.summaries["broken"].accuracy.hits == 0


def test_bad_configuration_is_one_line(monkeypatch: pytest.MonkeyPatch, gold_file: Path) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_SQL_ROW_LIMIT", "lots")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_file), "--system", "bm25", "--no-baselines"])
    assert result.exit_code == 1
    assert "invalid configuration: PLAN_ASSISTANT_SQL_ROW_LIMIT" in result.output
    assert "Traceback" not in result.output


def test_fail_under_turns_a_low_score_into_a_failing_exit(gold_file: Path, corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_CORPUS", str(corpus))
    args = ["eval", "--gold", str(gold_file), "--system", "bm25", "--no-baselines", "--out-dir", str(tmp_path)]
    low = CliRunner().invoke(main, [*args, "--fail-under", "99"])
    assert low.exit_code == 1 and "is below --fail-under 99.0%" in low.output
    assert CliRunner().invoke(main, [*args, "--fail-under", "0"]).exit_code == 0


def test_baselines_can_be_comma_separated_and_are_validated(gold_file: Path, corpus: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_CORPUS", str(corpus))
    bad = CliRunner().invoke(main, ["eval", "--gold", str(gold_file), "--baseline", "bm25,gpt"])
    assert bad.exit_code == 2 and "unknown baseline(s) gpt" in bad.output
    ok = CliRunner().invoke(main, ["eval", "--gold", str(gold_file), "--system", "bm25", "--baseline", "bm25",
                                   "--out-dir", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
