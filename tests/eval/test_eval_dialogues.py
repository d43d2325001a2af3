"""Dialogues, operations, styles, abstention, confident-wrong answers and latency in the eval.

The component under test is the eval (loader, runner, metrics, reports), so the assistant is a fake
with a scripted conversation memory.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings
from assistant.models import Answer
from eval.gold import KIND_OPS, GoldError, load_golds, parse_gold
from eval.metrics import ItemResult, contains_fact, money_fact, summarise
from eval.report import conversation_table, per_op_table, write_reports
from eval.runner import run_eval, select, units

SOURCE = """Service Plan
Actions\tLead\tStart\tComplete
1. Deliver the channel shift strategy\tAda Lovelace\tJuly 2019\tMarch 2021
2. Review the library estate\tAlan Turing\tApril 2020\tOctober 2020
The Pot Hole Fund is £8.4m.
"""


def _q(id_: str | None, question: str, kind: str, facts: list[str], **extra: object) -> dict:
    rec = {"question": question, "kind": kind, "route": "either", "answer": "; ".join(facts),
           "must_contain": facts, "source_file": "plan.txt", "source_quote": "Service Plan", **extra}
    return rec if id_ is None else {"id": id_, **rec}


SINGLES = [
    _q("s1", "Who leads the channel shift strategy?", "lead", ["Ada Lovelace"], style="terse"),
    _q("s2", "how many actions are there", "count", ["2"], op="count", style=["terse", "lowercase"]),
    _q("s3", "what is the biggest fund", "budget", ["£8.4m"], op="maxmin"),
    _q("s4", "who leads the moon base", "unanswerable", []),
    _q("s5", "who leads the sea wall", "unanswerable", []),
]
DIALOGUES = [
    {"id": "d1", "style": "follow-up", "turns": [
        _q(None, "Who leads the channel shift strategy?", "lead", ["Ada Lovelace"]),
        _q(None, "when is it due?", "deadline", ["March 2021"]),
        _q(None, "and when does it start?", "deadline", ["July 2019"])]},
    {"id": "d2", "turns": [
        _q("d2-a", "Who leads the library review?", "lead", ["Alan Turing"]),
        _q("d2-b", "when is it due?", "deadline", ["October 2020"]),
        _q("d2-c", "who leads the moon base then?", "unanswerable", [])]},
]


class FakeConversation:
    """Remembers the row of the previous turn, as the real Conversation does."""

    def __init__(self, system: FakeAssistant) -> None:
        self.system = system
        self.row: str | None = None

    def ask(self, question: str) -> Answer:
        q = question.lower()
        if "channel" in q:
            self.row = "channel"
        elif "library" in q:
            self.row = "library"
        if "due" in q and self.row == "channel":
            return Answer(question, "sql", "It is due in March 2021.")
        if "due" in q and self.row == "library":
            return Answer(question, "sql", "It completes in April 2020.")  # wrong: a confident wrong answer
        if "start" in q:
            return Answer(question, "none", "I cannot tell.", abstained=True)  # wrong: an abstention
        return self.system.ask(question)


class FakeAssistant:
    """A scripted assistant: the eval is under test, not the router."""

    name = "fake"

    def __init__(self) -> None:
        self.conversations = 0

    def conversation(self) -> FakeConversation:
        self.conversations += 1
        return FakeConversation(self)

    def ask(self, question: str) -> Answer:
        q = question.lower()
        if "channel" in q:
            return Answer(question, "sql", "Ada Lovelace leads it.")
        if "library" in q:
            return Answer(question, "sql", "Alan Turing leads it.")
        if "how many" in q:
            return Answer(question, "sql", "There are 3 actions.")  # wrong count
        if "biggest" in q:
            return Answer(question, "sql", "The Pot Hole Fund: £8.4 million.")  # right, other money format
        if "sea wall" in q:
            return Answer(question, "text", "Ada Lovelace leads the sea wall.")  # answered an unanswerable
        return Answer(question, "none", "The documents don't say.", abstained=True)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "plan.txt").write_text(SOURCE, encoding="utf-8")
    return d


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    singles, dialogues = tmp_path / "dev.jsonl", tmp_path / "conversations_dev.jsonl"
    singles.write_text("\n".join(json.dumps(r) for r in SINGLES) + "\n", encoding="utf-8")
    dialogues.write_text("\n".join(json.dumps(r) for r in DIALOGUES) + "\n", encoding="utf-8")
    return singles, dialogues


def _run(files: tuple[Path, Path], corpus: Path, tmp_path: Path, system: FakeAssistant | None = None):  # noqa: ANN202
    fake = system or FakeAssistant()
    items = load_golds(files)
    return fake, run_eval(Settings(home=tmp_path / "home", corpus=corpus), items, ["fake"],
                          gold="dev+conv", factory=lambda name, s: fake)


# ---- loading ---------------------------------------------------------------------------------

def test_dialogues_are_flattened_into_numbered_turns(files: tuple[Path, Path]) -> None:
    items = load_golds(files)
    assert [i.id for i in items] == ["s1", "s2", "s3", "s4", "s5", "d1#1", "d1#2", "d1#3", "d2-a", "d2-b", "d2-c"]
    d1 = [i for i in items if i.dialogue == "d1"]
    assert [i.turn for i in d1] == [1, 2, 3] and all(i.style == ("follow-up",) for i in d1)
    assert items[0].dialogue is None and items[0].turn == 0
    assert items[0].gold_file == str(files[0]) and d1[0].gold_file == str(files[1])
    assert [len(u) for u in units(items)] == [1, 1, 1, 1, 1, 3, 3]


def test_op_is_given_or_inferred_from_the_kind(files: tuple[Path, Path]) -> None:
    by_id = {i.id: i for i in load_golds(files)}
    assert by_id["s3"].operation == "maxmin" and by_id["s3"].kind == "budget"
    assert by_id["s1"].operation == KIND_OPS["lead"] == "lookup"
    assert by_id["s4"].operation == "unanswerable"
    assert by_id["s2"].style == ("terse", "lowercase")


def test_bad_dialogues_and_ops_are_reported_with_line_and_turn() -> None:
    bad_op = json.dumps(_q("x", "q?", "lead", ["A"], op="average-ish"))
    no_turns = json.dumps({"id": "d", "turns": []})
    bad_turn = json.dumps({"id": "e", "turns": [_q(None, "q?", "lead", ["A"]), {"question": "and?"}]})
    bad_style = json.dumps(_q("y", "q?", "lead", ["A"], style=3))
    with pytest.raises(GoldError) as err:
        parse_gold("\n".join([bad_op, no_turns, bad_turn, bad_style]), "g.jsonl")
    msg = str(err.value)
    assert "line 1: op 'average-ish' is not one of lookup" in msg
    assert "line 2: 'turns' must be a non-empty list" in msg
    assert "line 3 turn 2: missing fields 'kind'" in msg
    assert "line 4: 'style' must be a string or a list of strings" in msg


def test_an_unanswerable_question_may_have_no_source_but_an_answerable_one_may_not() -> None:
    none = json.dumps({**_q("u", "who leads the moon base", "unanswerable", []), "source_file": None,
                       "source_quote": None})
    (item,) = parse_gold(none)
    assert item.source_file == "" and item.source_quote == "" and not item.answerable
    with pytest.raises(GoldError, match="line 1: field 'source_file' must be a string"):
        parse_gold(json.dumps({**_q("a", "who leads x", "lead", ["A"]), "source_file": None}))


@pytest.mark.parametrize("name", ["dev.jsonl", "conversations_dev.jsonl", "test.jsonl", "conversations_test.jsonl"])
def test_the_blind_sets_load_with_this_loader(name: str) -> None:
    """Schema only: the blind files are read by the runner as they are (their content is not checked here)."""
    path = Path(__file__).resolve().parents[2] / "eval" / "blind" / name
    items = load_golds([path])
    assert items and all(i.gold_file == str(path) for i in items)
    if name.startswith("conversations"):
        assert all(i.dialogue is not None and i.turn >= 1 for i in items)


def test_an_id_in_two_gold_files_is_an_error(files: tuple[Path, Path]) -> None:
    with pytest.raises(GoldError, match="id 's1' of .* is also in"):
        load_golds([files[0], files[0]])


def test_select_never_splits_a_dialogue(files: tuple[Path, Path]) -> None:
    items = load_golds(files)
    assert [i.id for i in select(items, kinds=["deadline"])] == ["d1#1", "d1#2", "d1#3", "d2-a", "d2-b", "d2-c"]
    assert [i.id for i in select(items, every=3)] == ["s1", "s4", "d2-a", "d2-b", "d2-c"]
    assert [i.id for i in select(items, limit=6)][-3:] == ["d1#1", "d1#2", "d1#3"]


# ---- scoring ---------------------------------------------------------------------------------

def test_each_dialogue_runs_in_its_own_conversation_and_every_turn_is_scored(
        files: tuple[Path, Path], corpus: Path, tmp_path: Path) -> None:
    fake, run = _run(files, corpus, tmp_path)
    assert fake.conversations == 2
    res = {r.id: r for r in run.results["fake"]}
    assert res["d1#2"].correct and res["d1#2"].answer == "It is due in March 2021."
    assert not res["d1#3"].correct and res["d1#3"].abstained
    assert not res["d2-b"].correct and res["d2-b"].confident_wrong
    assert res["d2-c"].correct  # abstained on an unanswerable turn
    s = run.summaries["fake"]
    assert (s.turn_accuracy.hits, s.turn_accuracy.total) == (4, 6)
    assert {t: (r.hits, r.total) for t, r in s.per_turn.items()} == {1: (2, 2), 2: (1, 2), 3: (1, 2)}
    assert (s.dialogue_accuracy.hits, s.dialogue_accuracy.total) == (0, 2)
    assert (s.single_accuracy.hits, s.single_accuracy.total) == (3, 5)
    assert run.n_dialogues == 2 and run.n_questions == 11


def test_without_conversations_each_turn_is_asked_alone(files: tuple[Path, Path], corpus: Path,
                                                         tmp_path: Path) -> None:
    class Alone(FakeAssistant):
        conversation = None  # type: ignore[assignment]

    _, run = _run(files, corpus, tmp_path, Alone())
    res = {r.id: r for r in run.results["fake"]}
    assert res["d1#2"].abstained and not res["d1#2"].correct  # "when is it due?" alone


def test_a_conversation_that_cannot_start_is_an_error_on_each_turn(files: tuple[Path, Path], corpus: Path,
                                                                    tmp_path: Path) -> None:
    class NoStart(FakeAssistant):
        def conversation(self) -> FakeConversation:
            raise RuntimeError("no context store")

    _, run = _run(files, corpus, tmp_path, NoStart())
    turns = [r for r in run.results["fake"] if r.dialogue]
    assert len(turns) == 6 and all(r.error and "no context store" in r.error for r in turns)
    assert run.summaries["fake"].errors == 6


def test_accuracy_per_operation(files: tuple[Path, Path], corpus: Path, tmp_path: Path) -> None:
    _, run = _run(files, corpus, tmp_path)
    per_op = {op: (r.hits, r.total) for op, r in run.summaries["fake"].per_op.items()}
    # lookup: s1, d1#1, d1#2, d1#3, d2-a, d2-b; count: s2; maxmin: s3; unanswerable: s4, s5, d2-c
    assert per_op == {"lookup": (4, 6), "count": (0, 1), "maxmin": (1, 1), "unanswerable": (2, 3)}
    assert list(per_op) == ["lookup", "count", "maxmin", "unanswerable"]  # OPS order
    table = per_op_table(run)
    assert "| maxmin | 1 | 100.0% (1/1) |" in table and "| lookup | 6 | 66.7% (4/6) |" in table
    styles = {k: (r.hits, r.total) for k, r in run.summaries["fake"].per_style.items()}
    assert styles == {"follow-up": (2, 3), "lowercase": (0, 1), "terse": (1, 2)}


def test_abstention_precision_and_recall(files: tuple[Path, Path], corpus: Path, tmp_path: Path) -> None:
    _, run = _run(files, corpus, tmp_path)
    s = run.summaries["fake"]
    # abstained: s4, d1#3, d2-c; of which unanswerable: s4, d2-c. Unanswerable: s4, s5, d2-c.
    assert (s.abstention_precision.hits, s.abstention_precision.total) == (2, 3)
    assert (s.abstention_recall.hits, s.abstention_recall.total) == (2, 3)


def test_confident_wrong_answers_are_counted(files: tuple[Path, Path], corpus: Path, tmp_path: Path) -> None:
    _, run = _run(files, corpus, tmp_path)
    s = run.summaries["fake"]
    wrong = sorted(r.id for r in run.results["fake"] if r.confident_wrong)
    assert wrong == ["d2-b", "s2", "s5"]  # an abstention (d1#3) is wrong but not confident
    assert (s.confident_wrong, s.confident_wrong_unanswerable) == (3, 1)
    assert s.to_dict()["confident_wrong"] == 3


def test_errors_are_not_confident_wrong() -> None:
    base = dict(kind="lead", question="q", expected="", expected_facts=(), answer="", route="none",
                correct=False, route_ok=None, citation_ok=None, recall_hit=None, latency_ms=1.0)
    assert not ItemResult(id="e", abstained=False, error="boom", **base).confident_wrong
    assert not ItemResult(id="a", abstained=True, **base).confident_wrong
    assert ItemResult(id="w", abstained=False, **base).confident_wrong


def test_latency_percentiles_over_answered_questions() -> None:
    base = dict(kind="lead", question="q", expected="", expected_facts=(), answer="", route="sql",
                abstained=False, correct=True, route_ok=None, citation_ok=None, recall_hit=None)
    results = [ItemResult(id=f"q{i}", latency_ms=float(ms), **base) for i, ms in enumerate(range(10, 210, 10))]
    results.append(ItemResult(id="err", latency_ms=9999.0, error="boom", **base))  # errors are left out
    s = summarise("fake", results)
    assert s.latency_p50_ms == pytest.approx(105.0)  # 20 values 10..200
    assert s.latency_p95_ms == pytest.approx(190.5)
    assert math.isnan(summarise("none", []).latency_p50_ms)


def test_money_formats_match_by_value_only() -> None:
    assert money_fact("£8.4m") == money_fact("£8,400,000") == money_fact("£8.4 million")
    assert money_fact("8.4m") is None and money_fact("£8.4m pot hole fund") is None
    assert contains_fact("The Pot Hole Fund is £8.4 million.", "£8.4m")
    assert contains_fact("a contract of £6m", "£6,000,000")
    assert contains_fact("£41k", "£41,000") and contains_fact("£1.5bn", "£1,500 million")
    assert not contains_fact("£18.4m", "£8.4m")  # a different value
    assert not contains_fact("£8,412,000", "£8.4m")  # no rounding
    assert not contains_fact("8.4 million", "£8.4m")  # the answer must say it is money
    assert contains_fact("£8,400,000", "8.4 million")  # a fact may say it by its unit word
    assert money_fact("81m") is None and not contains_fact("£81,000,000", "81m")  # "m" may be metres


# ---- reports and CLI -------------------------------------------------------------------------

def test_reports_show_conversations_ops_and_failures_with_context(files: tuple[Path, Path], corpus: Path,
                                                                   tmp_path: Path) -> None:
    _, run = _run(files, corpus, tmp_path)
    assert "| turn 2 | 50.0% (1/2) |" in conversation_table(run)
    paths = write_reports(run, tmp_path / "rep", json_path=tmp_path / "out.json")
    md = paths.markdown.read_text(encoding="utf-8")
    assert "## Conversations" in md and "## Accuracy per operation" in md and "## Accuracy per gold file" in md
    assert "| confident wrong answers | 3 (1 on unanswerable questions) |" in md
    assert "**d2-b** [deadline, op lookup, route sql, dialogue d2 turn 2] when is it due?" in md
    assert "  - after: Who leads the library review?" in md
    assert "It completes in April 2020." in md
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    s = data["summaries"]["fake"]
    assert s["per_turn"]["2"]["hits"] == 1 and s["per_op"]["maxmin"]["value"] == 1.0
    assert data["n_dialogues"] == 2
    assert next(r for r in data["results"]["fake"] if r["id"] == "d2-b")["confident_wrong"] is True


def test_eval_cli_takes_several_gold_files(files: tuple[Path, Path], corpus: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PLAN_ASSISTANT_CORPUS", str(corpus))
    result = CliRunner().invoke(main, ["eval", "--gold", str(files[0]), "--gold", str(files[1]),
                                       "--system", "bm25", "--no-baselines", "--out-dir", str(tmp_path / "r"),
                                       "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    for title in ("Per gold file", "Per operation", "Conversations", "confident wrong answers",
                  "warm latency p95"):
        assert title in result.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["n_questions"] == 11 and data["n_dialogues"] == 2
    assert set(data["summaries"]["bm25"]["per_gold_file"]) == {str(files[0]), str(files[1])}
