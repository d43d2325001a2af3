"""Shared fixtures: a real corpus, a real DuckDB file and a real Chroma store, built once per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import BUNDLED_CORPUS, REPO_ROOT, Settings  # noqa: E402


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return BUNDLED_CORPUS


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A home with the bundled corpus ingested into DuckDB and indexed in Chroma (built once)."""
    from assistant.pipeline import ingest_corpus

    home = tmp_path_factory.mktemp("home")
    settings = Settings(home=home)
    ingest_corpus(settings, index=True)
    return settings


@pytest.fixture(scope="session")
def db_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A home with the bundled corpus in DuckDB only (no embeddings): fast, for parser tests."""
    from assistant.pipeline import ingest_corpus

    home = tmp_path_factory.mktemp("dbhome")
    settings = Settings(home=home)
    ingest_corpus(settings, index=False)
    return settings
