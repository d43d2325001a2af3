"""Search on the real corpus, model and Chroma store: exact citations, filters, bad input, rows."""

from __future__ import annotations

import re

import pytest

from assistant.config import Settings
from assistant.errors import BadQuestion, NotIngestedError
from assistant.models import Filters
from assistant.retrieval.chunks import normalise, resolve_file
from assistant.retrieval.evaluate import DEFAULT_DEV, load_dev
from assistant.sql.schema import TABLES_BY_NAME, TYPED_TABLES

SERVICE_PLANS = "corpus/derbyshire-county-service-plans-2020-21.txt"


def span_text(file: str, a: int, b: int) -> str:
    lines = resolve_file(file).read_text(encoding="utf-8").splitlines()
    return normalise("\n".join(lines[a - 1:b]))


def test_every_indexed_chunk_is_contained_in_its_line_span(retriever) -> None:
    chunks = retriever.chunks
    assert len(chunks) > 1000
    assert {c.kind for c in chunks} == {"prose", "row"}
    for c in chunks:
        assert c.file.startswith("corpus/") and 1 <= c.line_start <= c.line_end
        assert c.text and c.text in span_text(c.file, c.line_start, c.line_end), c.id


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_citations_of_many_hits_are_exact(retriever, mode: str) -> None:
    questions = load_dev(DEFAULT_DEV)[::3]
    n = 0
    for q in questions:
        for hit in retriever.search(q.question, k=10, mode=mode):
            c = hit.citation
            source = span_text(c.file, c.line_start, c.line_end)
            assert hit.text in source and c.quote in source and c.quote in hit.text
            assert c.title and c.file.startswith("corpus/")
            n += 1
    assert n >= 300


def test_hits_are_distinct_and_ordered(retriever) -> None:
    hits = retriever.search("library services", k=20)
    keys = [(h.citation.file, h.citation.line_start, h.citation.line_end, h.text) for h in hits]
    assert len(keys) == len(set(keys)) == 20
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_row_hits_carry_their_duckdb_key(retriever, built_settings: Settings) -> None:
    import duckdb

    hits = retriever.search("Who leads the channel shift strategy?", k=5, kind="row")
    assert hits and all(h.kind == "row" and h.table in TYPED_TABLES and h.row_id for h in hits)
    top = hits[0]
    assert top.table == "actions" and "Channel Shift" in top.text and top.citation.line_start == 339
    con = duckdb.connect(str(built_settings.db_path), read_only=True)
    try:
        key = TABLES_BY_NAME[top.table].primary_key
        row = con.execute(f"SELECT lead_raw, line_start FROM {top.table} WHERE {key} = ?", [top.row_id]).fetchone()
    finally:
        con.close()
    assert row == ("Emma Crapper", 339)


def test_table_filter_and_prose_filter(retriever) -> None:
    kpis = retriever.search("sickness absence", k=8, tables=["kpis"])
    assert kpis and all(h.table == "kpis" for h in kpis)
    prose = retriever.search("sickness absence", k=8, kind="prose")
    assert prose and all(h.kind == "prose" and h.table is None for h in prose)
    with pytest.raises(BadQuestion, match="No indexed table named nonsense"):
        retriever.search("x y", tables=["nonsense"])


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_council_document_and_department_filters(retriever, mode: str) -> None:
    city = retriever.search("housing and homes", k=10, filters=Filters(council="Derby City"), mode=mode)
    assert city and all(h.metadata["council"] == "Derby City Council" for h in city)
    doc = retriever.search("budget", k=10, mode=mode,
                           filters=Filters(document="derbyshire-county-council-plan-2021-25.txt"))
    assert doc and all(h.citation.file.endswith("derbyshire-county-council-plan-2021-25.txt") for h in doc)
    dept = retriever.search("budget savings", k=10, mode=mode, filters=Filters(department="Children's Services"))
    assert dept and all(h.metadata["department"] == "Children's Services" for h in dept)


def test_unknown_filter_values_are_explained(retriever) -> None:
    with pytest.raises(BadQuestion, match="No council matches 'Atlantis'. Known values: Derby City Council"):
        retriever.search("roads", filters=Filters(council="Atlantis"))
    with pytest.raises(BadQuestion, match="No document matches"):
        retriever.search("roads", filters=Filters(document="no-such-plan"))


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "?!", "🙂🙂"])
def test_empty_queries_get_a_clear_message(retriever, query: str) -> None:
    with pytest.raises(BadQuestion, match="empty|no words"):
        retriever.search(query)


@pytest.mark.parametrize("kwargs, match", [({"k": 0}, "k must be"), ({"mode": "magic"}, "Unknown search mode"),
                                           ({"kind": "table"}, "Unknown kind")])
def test_bad_arguments_are_explained(retriever, kwargs: dict, match: str) -> None:
    with pytest.raises(BadQuestion, match=match):
        retriever.search("roads", **kwargs)


def test_a_10000_character_query_is_handled(retriever) -> None:
    long = ("What is the council doing about climate change and carbon emissions? " * 200)[:10_000]
    hits = retriever.search(long, k=5)
    assert len(hits) == 5


@pytest.mark.parametrize("query", ["Who leads the “channel shift” strategy? 🙂", "l'équipe «channel shift» — ✓",
                                   'channel "shift" strategy\'s lead'])
def test_unicode_emoji_and_quotes(retriever, query: str) -> None:
    hits = retriever.search(query, k=5)
    assert any(h.citation.line_start == 339 for h in hits)


def test_capitals_and_typos_still_find_the_passage(retriever) -> None:
    for query in ("WHO LEADS THE CHANNEL SHIFT STRATEGY?", "who leeds the chanel shfit stratgey",
                  "how mcuh is the contract for suply of gas"):
        hits = retriever.search(query, k=5)
        assert any(h.citation.file == SERVICE_PLANS and h.citation.line_start in (339, 450) for h in hits), query


# How deep a dense-only search with four typos must find a climate passage. Measured on the
# bundled corpus (issue 11): float32 vectors rank one 4th at cosine 0.383, below three unrelated
# passages and with the 5th to 7th within 0.005 of it; int8 weights (the default backend, vectors
# at cosine 0.993 to float32) move such scores by about 0.01 and rank it 6th (4th to 10th
# depending on which layers are quantised). The top 5 tested a 0.005 margin, not typo tolerance.
TYPO_DENSE_K = 10


def test_dense_alone_tolerates_typos(retriever) -> None:
    hits = retriever.search("wat is the councl doing abut climat change", k=TYPO_DENSE_K, mode="dense")
    assert any(re.search(r"climate|carbon", h.text, re.I) for h in hits)


def test_not_ingested_home_says_so(tmp_path) -> None:
    from assistant.retrieval.search import Retriever

    with pytest.raises(NotIngestedError, match="plan-assistant ingest"):
        Retriever(Settings(home=tmp_path)).search("roads")


def test_dev_set_quality(built_settings: Settings) -> None:
    """The numbers reported by `python -m assistant.retrieval.evaluate`, on the session index."""
    from assistant.retrieval.evaluate import evaluate

    scores = {s.mode: s for s in evaluate(built_settings, load_dev(DEFAULT_DEV))}
    hybrid = scores["hybrid"]
    assert hybrid.recall_at_5 >= 0.9
    assert hybrid.recall_at_5 >= max(scores["bm25"].recall_at_5, scores["dense"].recall_at_5)
    assert hybrid.mrr > max(scores["bm25"].mrr, scores["dense"].mrr)


def test_sentence_cosines_rank_the_sentence_that_answers_first(retriever) -> None:
    """The router re-scores a passage's sentences by meaning: the index's own unit vectors where the
    sentence is one of its units, the model for any other sentence, same scale either way."""
    answer = "Investing £40m in well maintained roads."
    other = "We will promote the entitlement to funded childcare places for three and four year olds."
    made_up = "The roads budget was spent on resurfacing and pothole repairs."
    got = retriever.sentence_cosines("how much is going into the roads?", [answer, other, made_up])
    assert len(got) == 3 and all(-1.0 <= c <= 1.0 for c in got)
    assert got[0] > got[1] and got[2] > got[1]
    assert retriever.sentence_cosines("how much is going into the roads?", [answer]) == [got[0]]  # cached, same
