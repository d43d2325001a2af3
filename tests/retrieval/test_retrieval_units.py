"""Fast unit tests of the pieces that need no index: chunk spans, contents detection, fusion,
tokenising, filter matching, the vector cache, and the dev set itself."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import BadQuestion
from assistant.retrieval import chunks as ch
from assistant.retrieval.evaluate import DEFAULT_DEV, load_dev
from assistant.retrieval.fusion import rrf, weighted_sum
from assistant.retrieval.lexical import tokenize
from assistant.retrieval.search import _match


def test_split_run_spans_are_exact() -> None:
    words = [f"word{i}" for i in range(400)]
    lines = [" ".join(words[i:i + 17]) + "." for i in range(0, 400, 17)]
    lines.insert(5, "")
    pieces = list(ch.split_run(lines, 101, ch._splitter()))
    assert len(pieces) > 3
    for text, a, b in pieces:
        assert 101 <= a <= b <= 100 + len(lines)
        assert ch.normalise(text) in ch.normalise("\n".join(lines[a - 101:b - 100]))
        assert ch.word_count(text) <= ch.CHUNK_WORDS


def test_one_long_line_is_cut_into_sentences_with_the_same_span() -> None:
    line = " ".join(f"Sentence number {i} says something about the council plan." for i in range(60))
    pieces = list(ch.split_run([line], 7, ch._splitter()))
    assert len(pieces) > 1 and all((a, b) == (7, 7) for _, a, b in pieces)
    assert all(p in line for p, _, _ in pieces)


def test_line_owners_prefer_the_most_specific_section() -> None:
    secs = [ch.Section("s0", "d", "Doc", "Doc", "", 1, 20), ch.Section("s1", "d", "A", "A", "", 3, 10),
            ch.Section("s2", "d", "B", "A > B", "", 5, 8)]
    owners = ch.line_owners(secs, 20)
    assert owners[0] == 0 and owners[3] == 1 and owners[5] == 2 and owners[9] == 1 and owners[15] == 0


def test_contents_pages_are_recognised_from_layout() -> None:
    lines = ["Contents", "", "Introduction\t2", "Our plan\t3", "Budget ....... 9", "", "| Pledges | 12 |",
             "Real prose follows here.", "Employees\t12\t40\t7"]
    assert ch.contents_lines(lines) == {3, 4, 5, 7}
    assert ch.contents_lines(["Only one\t3", "prose"]) == set()


def test_chunk_units_are_lines_and_sentences_of_the_chunk() -> None:
    piece = "Heading\n- First bullet with enough words\n- Second bullet with enough words"
    units = ch.chunk_units(piece, ch.normalise(piece))
    assert units == ("- First bullet with enough words", "- Second bullet with enough words")


def test_make_quote_is_a_prefix_cut_at_a_word() -> None:
    text = "word " * 200
    quote = ch.make_quote(text.strip())
    assert text.startswith(quote) and len(quote) <= ch.QUOTE_CHARS and not quote.endswith(" ")


def test_row_index_text_labels_fields_and_strips_html() -> None:
    row = {"action": "Deliver the <i>new</i> strategy", "lead_raw": "A Person", "complete_raw": "March 2021",
           "success_measures": None}
    text = ch.row_index_text("actions", row, "Dept > Section")
    assert text.startswith("Action: Deliver the new strategy | Lead: A Person | Complete: March 2021")
    assert "<i>" not in text and "Success" not in text and text.endswith("(Dept > Section)")


def test_a_row_that_is_a_part_of_the_row_leading_into_it_is_indexed_with_its_words() -> None:
    """"bi) Opiate" under "4c) Substance misuse - Percentage of successful completions ...:" is found by
    "successful completions for opiates"; a numbered row after it ("5) ...") is no part of it."""
    lead_in = "4c) Substance misuse - Percentage of successful completions as a proportion of all in treatment:"
    assert ch.sub_item_of("bi) Opiate", lead_in) and ch.sub_item_of("(a) Policy", "Organisation, Development:")
    assert not ch.sub_item_of("5) The proportion of people", lead_in)
    assert not ch.sub_item_of("bi) Opiate", "4b) Sexual health - HIV late diagnosis (%)")


def test_fusion_functions() -> None:
    assert [i for i, _ in rrf([["a", "b"], ["b", "c"]])] == ["b", "a", "c"]
    fused = weighted_sum(["a", "b", "a", "c"], {"a": 1.0, "b": 0.2}, {"a": 0.2, "b": 0.7, "c": 0.6}, 0.3)
    assert [c for c, _ in fused] == ["b", "a", "c"]
    assert dict(fused) == pytest.approx({"a": 0.44, "b": 0.55, "c": 0.42})


def test_tokenize_stems_and_drops_question_words() -> None:
    assert tokenize("What are the Council's VALUES?") == tokenize("council value")
    assert tokenize("🙂 “council” ’") == ["council"] and tokenize("🙂 ? !") == []


def test_filter_values_match_whole_words() -> None:
    councils = {"Derby City Council", "Derbyshire County Council"}
    assert _match("council", "Derby", councils) == ["Derby City Council"]
    assert _match("council", "derbyshire county council", councils) == ["Derbyshire County Council"]
    with pytest.raises(BadQuestion, match="No council matches 'Leeds'"):
        _match("council", "Leeds", councils)


def test_dev_set_is_well_formed(repo_root: Path) -> None:
    questions = load_dev(DEFAULT_DEV)
    assert len(questions) >= 40
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        for file, a, b in q.spans:
            lines = (repo_root / file).read_text(encoding="utf-8").splitlines()
            assert 1 <= a <= b <= len(lines), q.id
            assert any(line.strip() for line in lines[a - 1:b]), q.id


def test_dev_loader_reports_bad_lines(tmp_path: Path) -> None:
    bad = tmp_path / "dev.jsonl"
    bad.write_text(json.dumps({"id": "x", "question": "q"}) + "\n")
    with pytest.raises(BadQuestion, match="dev.jsonl:1"):
        load_dev(bad)


def test_embedder_and_vector_cache(tmp_path: Path) -> None:
    from assistant.retrieval.embeddings import VectorCache, get_embedder

    emb = get_embedder()
    assert emb is get_embedder()
    v = emb.embed_query("Who leads the channel shift strategy?")
    assert v.shape == (384,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-4
    with VectorCache(tmp_path) as cache:
        first, stats1 = cache.embed(["alpha beta gamma", "delta", "alpha beta gamma"])
        second, stats2 = cache.embed(["delta", "alpha beta gamma"])
    assert (stats1.misses, stats2.misses, stats2.hits) == (2, 0, 2)
    assert np.allclose(first[0], second[1]) and np.allclose(first[1], second[0])


def test_a_risk_row_is_indexed_and_embedded_by_its_cause_event_and_consequence() -> None:
    row = {"risk": "Strategic Headquarters", "owner": "DCED", "likelihood": "3",
           "cause": "Sub optimal solution for the headquarters after the decision to market the site.",
           "event": "Provision of a dedicated council chamber cannot be afforded within the allocation.",
           "consequence": "Higher future maintenance, running and holding costs."}
    text = ch.row_index_text("risks", row, "")
    assert text.startswith("Risk: Strategic Headquarters | Cause: Sub optimal")
    assert "council chamber" in text and "holding costs" in text
    # each free-text field is also a unit of its own; a short label (the owner) is not
    assert ch.row_texts("risks", row) == [row["risk"], row["cause"], row["event"], row["consequence"]]
    # an action's success measures are indexed but not embedded on their own
    action = {"action": "Deliver the plan", "success_measures": "Fewer people waiting for a service"}
    assert ch.row_texts("actions", action) == ["Deliver the plan"]
