"""Fixtures for the retrieval tests: one warm Retriever over the session index (tests/conftest.py)."""

from __future__ import annotations

import pytest

from assistant.config import Settings


@pytest.fixture(scope="session")
def retriever(built_settings: Settings):
    """The session's index, loaded once (model, BM25 and Chroma warm)."""
    from assistant.retrieval.search import Retriever

    return Retriever(built_settings).warm()
