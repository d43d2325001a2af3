"""The LangChain retriever and the `search` CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner

from assistant.cli import main
from assistant.config import Settings


def run(settings: Settings, *args: str):
    return CliRunner().invoke(main, list(args), env={"PLAN_ASSISTANT_HOME": str(settings.home)})


def test_langchain_retriever_returns_cited_documents(retriever) -> None:
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    from assistant.retrieval.langchain import PlanRetriever

    lc = PlanRetriever(retriever=retriever, k=3)
    assert isinstance(lc, BaseRetriever)
    docs = lc.invoke("What is the council doing about climate change?")
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    for d in docs:
        assert {"file", "title", "section", "line_start", "line_end", "quote", "score", "kind"} <= set(d.metadata)
        assert d.page_content and d.metadata["quote"] in d.page_content
    rows = PlanRetriever(retriever=retriever, k=2, kind="row").invoke("channel shift")
    assert all(d.metadata["kind"] == "row" and d.metadata["row_id"] for d in rows)


def test_search_cli_json_shape(built_settings: Settings) -> None:
    result = run(built_settings, "search", "Who leads the channel shift strategy?", "--k", "3", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"query", "hits"} and payload["query"] == "Who leads the channel shift strategy?"
    assert len(payload["hits"]) == 3
    for hit in payload["hits"]:
        assert set(hit) == {"score", "text", "citation"}
        assert set(hit["citation"]) == {"file", "title", "section", "page", "line_start", "line_end", "quote"}
        assert hit["citation"]["file"].startswith("corpus/") and isinstance(hit["citation"]["line_start"], int)
    assert payload["hits"][0]["citation"]["line_start"] == 339


def test_search_cli_text_output_and_filters(built_settings: Settings) -> None:
    result = run(built_settings, "search", "swimming pool", "--council", "Derby City", "--k", "2")
    assert result.exit_code == 0, result.output
    assert "1. " in result.output and "corpus/derby-city" in result.output and "derbyshire" not in result.output
    rows = run(built_settings, "search", "gas", "--kind", "row", "--mode", "bm25", "--json")
    assert rows.exit_code == 0 and json.loads(rows.output)["hits"]


def test_search_cli_bad_input_is_one_line(built_settings: Settings) -> None:
    for args in (["search", "   "], ["search", "roads", "--council", "Atlantis"]):
        result = run(built_settings, *args)
        assert result.exit_code != 0
        assert "Error:" in result.output and "Traceback" not in result.output
    long = run(built_settings, "search", "roads " * 2000, "--k", "1")
    assert long.exit_code == 0 and "only the first" in long.output
