"""TUI fixtures: one real backend per session over the session's real index (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from tui.app import PlanAssistantApp, make_app
from tui.backend import AssistantBackend
from tui.history import History


@pytest.fixture(scope="session")
def real_settings(request: pytest.FixtureRequest) -> Settings:
    """The session's real home (DuckDB + Chroma built from the bundled corpus)."""
    return request.getfixturevalue("built_settings")


@pytest.fixture(scope="session")
def backend(real_settings: Settings) -> AssistantBackend:
    """The real backend, shared so the model loads once (each app starts a new conversation)."""
    return AssistantBackend(real_settings)


@pytest.fixture
def app_factory(backend: AssistantBackend, tmp_path: Path):
    """Build an app over the real backend with a private history and export directory."""
    def build(**options: object) -> PlanAssistantApp:
        options.setdefault("history", History(tmp_path / "history.jsonl"))
        options.setdefault("export_dir", tmp_path / "exports")
        options.setdefault("show_timings", False)
        return make_app(backend, **options)
    return build


@pytest.fixture
def fake_backend(tmp_path: Path):
    """A fake backend over the real corpus files (no index, no model)."""
    from fakes import FakeBackend, fake_settings

    return FakeBackend(fake_settings(tmp_path / "home"))


@pytest.fixture
def copies() -> list[str]:
    """What the app asked the fake clipboard to copy."""
    return []


@pytest.fixture
def fake_app(fake_backend, tmp_path: Path, copies: list[str]):
    """Build an app over the fake backend, with a clipboard that is never reachable (file fallback)."""
    from tui.clipboard import copy_text

    def copier(text: str, directory: Path):
        copies.append(text)
        return copy_text(text, directory, commands=[])

    def build(**options: object) -> PlanAssistantApp:
        options.setdefault("history", History(tmp_path / "history.jsonl"))
        options.setdefault("export_dir", tmp_path / "exports")
        options.setdefault("show_timings", False)
        options.setdefault("copier", copier)
        return make_app(fake_backend, **options)
    return build
