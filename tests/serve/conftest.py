"""Fixtures for the serve tests: real `chroma run` and `plan-assistant serve` processes on free loopback
ports, started here and stopped at the end of the session."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from serve_helpers import (RIVERSIDE, STARTUP_TIMEOUT_S, Served, clean_env, free_port, http_get, ingest,
                           start_serve, stop_process, write_corpus)


@pytest.fixture(scope="session")
def council_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("council_corpus"), ("riverside-plan-2025-28.md", RIVERSIDE))


@pytest.fixture(scope="session")
def council_home(tmp_path_factory: pytest.TempPathFactory, council_corpus: Path) -> Path:
    """A home with the small corpus ingested and indexed in local files."""
    home = tmp_path_factory.mktemp("council_home")
    ingest(home, council_corpus)
    return home


@pytest.fixture(scope="session")
def served(council_home: Path, council_corpus: Path) -> Iterator[Served]:
    """One loopback server without a token over ``council_home``."""
    server = start_serve(council_home, council_corpus)
    yield server
    stop_process(server.proc)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`, the chromadb package's console script) on a free port."""
    chroma = Path(sys.executable).parent / "chroma"
    exe = str(chroma) if chroma.exists() else shutil.which("chroma")
    assert exe, "the chromadb package's `chroma` script is missing from the venv"
    data = tmp_path_factory.mktemp("chroma_server")
    port = free_port()
    log = open(data.parent / f"{data.name}.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=clean_env())
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"chroma run exited with {proc.returncode}")
        try:
            if http_get(f"{url}/api/v2/heartbeat", timeout=5).status == 200:
                break
        except OSError:
            pass
        time.sleep(0.3)
    else:
        stop_process(proc)
        raise AssertionError("chroma run did not answer its heartbeat")
    yield url
    stop_process(proc)
    log.close()


@pytest.fixture
def settings_for(tmp_path: Path):
    """Settings over a fresh home for a corpus (and optionally a Chroma server)."""

    def make(corpus: Path, chroma_url: str | None = None) -> Settings:
        return Settings(home=tmp_path / "home", corpus=corpus, chroma_url=chroma_url)

    return make


#: The headless Chromium check runs only when asked for: Chromium is not installed by the project's
#: own files (see README "Serve a council"), and a missing browser must not turn into a silent skip.
BROWSER_TESTS_ENV = "PLAN_ASSISTANT_BROWSER_TESTS"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) tests marked ``browser`` unless PLAN_ASSISTANT_BROWSER_TESTS=1."""
    import os

    if os.environ.get(BROWSER_TESTS_ENV) == "1":
        return
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
