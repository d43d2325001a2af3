"""The bundled gold set is valid: schema, coverage, and every quote and fact present in its source."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.config import BUNDLED_CORPUS
from eval.gold import KINDS, GoldItem, default_gold_path, load_gold
from eval.metrics import contains_fact, quote_spans, resolve_source

MIN_QUESTIONS = 150
HOLDOUT = default_gold_path().with_name("holdout.jsonl")


@pytest.fixture(scope="module")
def gold() -> list[GoldItem]:
    return load_gold(default_gold_path())


@pytest.fixture(scope="module")
def every_item(gold: list[GoldItem]) -> list[GoldItem]:
    """The gold set and the held-out set (kept out of tuning loops), checked by the same rules."""
    return gold + load_gold(HOLDOUT)


@lru_cache(maxsize=16)
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _source(item: GoldItem) -> Path:
    path = resolve_source(item.source_file)
    assert path is not None, f"{item.id}: source file {item.source_file} not found"
    return path


def test_size_and_every_kind(gold: list[GoldItem]) -> None:
    assert len(gold) >= MIN_QUESTIONS
    counts = Counter(i.kind for i in gold)
    assert set(counts) == set(KINDS)
    assert min(counts.values()) >= 10, counts


def test_every_document_is_covered(gold: list[GoldItem]) -> None:
    documents = {p.name for p in BUNDLED_CORPUS.glob("*.txt")}
    covered = Counter(Path(i.source_file).name for i in gold if i.answerable)
    assert documents <= set(covered), documents - set(covered)
    assert min(covered[d] for d in documents) >= 10, covered


def _department_starts(lines: list[str]) -> list[tuple[int, str]]:
    """Departments of a service-plan document, found from the layout: the name is the last
    non-empty line before a 'Service Plan 20xx-20xx' line."""
    starts: list[tuple[int, str]] = []
    for no, line in enumerate(lines):
        if re.match(r"^Service Plan \d{4}-\d{4}", line.strip()):
            prev = next((j for j in range(no - 1, -1, -1) if lines[j].strip()), None)
            if prev is not None:
                starts.append((prev + 1, lines[prev].strip()))
    return starts


def test_every_department_is_covered(gold: list[GoldItem]) -> None:
    for doc in BUNDLED_CORPUS.glob("*.txt"):
        lines = _text(doc).splitlines()
        starts = _department_starts(lines)
        if not starts:
            continue
        assert len(starts) >= 4, starts
        per_dept: Counter[str] = Counter()
        for item in gold:
            if not item.answerable or Path(item.source_file).name != doc.name:
                continue
            first_line = quote_spans(_source(item), item.source_quote)[0][0]
            owners = [name for start, name in starts if start <= first_line]
            if owners:
                per_dept[owners[-1]] += 1
        for _, name in starts:
            assert per_dept[name] >= 10, (name, per_dept)


def test_quotes_are_exact_substrings_of_their_source(every_item: list[GoldItem]) -> None:
    for item in every_item:
        assert item.source_quote, item.id
        assert item.source_quote in _text(_source(item)), item.id


def test_expected_facts_occur_in_the_source(every_item: list[GoldItem]) -> None:
    for item in every_item:
        text = _text(_source(item))
        for fact in item.must_contain:
            assert contains_fact(text, fact), f"{item.id}: {fact!r} not in {item.source_file}"
        if item.must_contain_any:
            assert any(contains_fact(text, a) for a in item.must_contain_any), item.id


def test_unanswerable_and_count_questions_are_well_formed(every_item: list[GoldItem]) -> None:
    for item in every_item:
        if item.kind == "unanswerable":
            assert not item.must_contain and not item.must_contain_any, item.id
        if item.kind == "count":
            facts = item.must_contain + item.must_contain_any
            assert any(re.fullmatch(r"\d+|[a-z]+", f) for f in facts), item.id


def test_name_variants_typos_and_disambiguation_are_present(gold: list[GoldItem]) -> None:
    text = " ".join(i.question for i in gold)
    assert "Parfremment" in text and "Parfremont" in text
    assert "Vollar" in text and "Vollor" in text
    assert re.search(r"\bCCP\b", text) and "whole Council" in text
    assert "Derby City" in text and "Derbyshire" in text
    assert any(i.question[:1].islower() for i in gold), "casual phrasing"


def test_the_held_out_set_is_distinct(gold: list[GoldItem]) -> None:
    holdout = load_gold(HOLDOUT)
    assert {i.kind for i in holdout} == set(KINDS)
    assert not {i.id for i in holdout} & {i.id for i in gold}
    assert not {i.question.lower() for i in holdout} & {i.question.lower() for i in gold}
