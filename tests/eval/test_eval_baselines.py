"""The baselines on real corpus files: real bm25s, the real bundled MiniLM model and a real Chroma."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import BUNDLED_CORPUS, REPO_ROOT, Settings
from assistant.errors import ConfigError
from eval.baselines import Bm25Baseline, NaiveRag, chunk_passages, make_baseline
from eval.gold import GoldItem

COUNCIL_PLAN = "derbyshire-county-council-plan-2021-25.txt"


def _cited_text(citation) -> str:  # noqa: ANN001
    path = REPO_ROOT / citation.file if not Path(citation.file).is_absolute() else Path(citation.file)
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[citation.line_start - 1:citation.line_end])


def _item(question: str, quote: str, file: str) -> GoldItem:
    return GoldItem(id="t", question=question, kind="text", route="text", answer="", must_contain=(),
                    must_contain_any=(), source_file=file, source_quote=quote)


@pytest.fixture(scope="module")
def bm25() -> Bm25Baseline:
    return Bm25Baseline(Settings(corpus=BUNDLED_CORPUS))


def test_bm25_answers_extractively_with_an_exact_citation(bm25: Bm25Baseline) -> None:
    from eval.metrics import retrieval_hit

    answer = bm25.ask("What happened at Toddbrook Reservoir dam?")
    assert not answer.abstained and answer.route == "text"
    assert "Toddbrook" in answer.answer
    (cite,) = answer.citations
    assert answer.answer in _cited_text(cite)
    item = _item("", "The Toddbrook Reservoir was one of the major incidents",
                 "corpus/derbyshire-county-service-plans-2020-21.txt")
    assert retrieval_hit(item, bm25.retrieve("Toddbrook Reservoir", 5))


def test_bm25_returns_an_empty_answer_for_unknown_words(bm25: Bm25Baseline) -> None:
    answer = bm25.ask("xyzzy plugh")
    assert answer.answer == "" and answer.citations == ()


def test_chunks_map_back_to_their_lines() -> None:
    for p in chunk_passages(BUNDLED_CORPUS)[:200]:
        assert p.text.strip() in _cited_text(p.citation()) or p.text.strip()[:80] in _cited_text(p.citation())


def test_naive_rag_uses_our_embeddings_and_chroma(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(BUNDLED_CORPUS / COUNCIL_PLAN, corpus / COUNCIL_PLAN)
    rag = NaiveRag(Settings(home=tmp_path / "home", corpus=corpus))
    try:
        hits = rag.retrieve("How many highway schemes are in the Local Transport Programme?", 3)
        assert len(hits) == 3 and hits[0].score >= hits[-1].score
        answer = rag.ask("How many highway schemes are in the Local Transport Programme?")
        assert "280 highway schemes" in answer.answer
        assert answer.citations[0].line_start <= 120 <= answer.citations[0].line_end
        assert (tmp_path / "home" / "cache").is_dir()  # vectors cached by content hash
    finally:
        rag.close()


def test_unknown_baseline_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown baseline 'gpt'"):
        make_baseline("gpt", Settings())


def test_an_empty_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no .txt or .md files"):
        Bm25Baseline(Settings(corpus=tmp_path))
