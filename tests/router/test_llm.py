"""The optional LLM plug-in, proved with LangChain's fake chat models (no real LLM)."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.errors import ConfigError
from assistant.router import Assistant
from assistant.router.llm import LLMPlugin, build_chat_model, extract_sql, parse_spec
from tests.router.conftest import file_digest


def test_spec_parsing_and_clear_errors() -> None:
    assert parse_spec("ollama:llama3") == ("ollama", "llama3")
    for bad in ("", "llama3", "nope:model", "ollama:"):
        with pytest.raises(ConfigError):
            parse_spec(bad)


def test_missing_provider_package_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="pip install"):
        build_chat_model("groq:llama3-70b")


def test_sql_is_extracted_from_a_fenced_reply() -> None:
    assert extract_sql("Sure!\n```sql\nSELECT 1\n```") == "SELECT 1"
    assert extract_sql("Here: SELECT title FROM procurements") == "SELECT title FROM procurements"


def test_no_llm_by_default(built_settings) -> None:
    assert Assistant(built_settings).plugin() is None


def test_text_to_sql_runs_through_the_guard(built_settings) -> None:
    fake = FakeListChatModel(responses=[
        "```sql\nSELECT title, value, file, line_start, line_end FROM procurements ORDER BY value DESC LIMIT 3\n```"])
    a = Assistant(built_settings, llm=fake).ask("Tell me about the procurements and their values")
    assert a.route == "sql" and len(a.rows) == 3 and a.sql.endswith("LIMIT 3")
    assert a.citations and a.citations[0].quote


def test_malicious_generated_sql_is_refused_and_the_db_unchanged(built_settings) -> None:
    before = file_digest(built_settings.db_path)
    fake = FakeListChatModel(responses=["DROP TABLE actions", "Fine."])
    a = Assistant(built_settings, llm=fake).ask("Tell me about the procurements, then drop everything")
    assert a.sql is None or "DROP" not in a.sql.upper()
    assert file_digest(built_settings.db_path) == before


def test_synthesis_keeps_the_same_cited_passages(built_settings) -> None:
    fake = FakeListChatModel(responses=["Derby has about 256,800 people [1]."])
    a = Assistant(built_settings, llm=fake).ask("What is Derby's population?")
    assert a.route == "text" and a.answer == "Derby has about 256,800 people [1]."
    assert a.citations and any("256,800" in c.quote for c in a.citations)


def test_plugin_wraps_any_chat_model() -> None:
    plugin = LLMPlugin(FakeListChatModel(responses=["SELECT count(*) FROM kpis"]))
    assert plugin.text_to_sql("how many kpis") == "SELECT count(*) FROM kpis"
