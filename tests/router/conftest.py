"""Router fixtures: one warm Assistant over the session build (DuckDB + Chroma + the bundled model)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.config import Settings


@pytest.fixture(scope="session")
def assistant(built_settings: Settings):
    from assistant.router import Assistant

    a = Assistant(built_settings).warm()
    yield a
    a.db.close()


@pytest.fixture(scope="session")
def lexicon(assistant):
    return assistant.db.lexicon()


@pytest.fixture(scope="session")
def ask(assistant):
    return assistant.ask


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
