"""Fixtures of the hardening tests (issue 14): homes copied from the session build, and a way to
run the real `plan-assistant` command in another process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import BUNDLED_CORPUS, REPO_ROOT, Settings

#: A safety net for subprocesses, far above their normal run time: a hang fails the test instead
#: of blocking the suite. Not an assertion about speed.
HANG_LIMIT_S = 900


def copy_home(src: Settings, dst: Path, corpus: Path | None = None) -> Settings:
    """A copy of an ingested home (database, index generations, BM25, vector cache)."""
    shutil.copytree(src.home, dst, ignore=shutil.ignore_patterns(".readers", "*.lock"))
    return Settings(home=dst, corpus=corpus or src.corpus)


def cache_only_home(src: Settings, dst: Path, corpus: Path | None = None) -> Settings:
    """An empty home that already has the session's embedding cache (so no model is needed)."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src.cache_dir, dst / "cache")
    return Settings(home=dst, corpus=corpus or src.corpus)


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"PLAN_ASSISTANT_HOME": str(settings.home), "PLAN_ASSISTANT_CORPUS": str(settings.corpus),
                "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "200", "TERM": "xterm-256color"})
    env.update(extra)
    return env


def cli(settings: Settings, *args: str | bytes, input: bytes | None = None, **extra: str
        ) -> subprocess.CompletedProcess:
    """Run `python -m assistant ARGS` against ``settings.home``; bytes out and err."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=input, capture_output=True,
                          env=cli_env(settings, **extra), cwd=str(REPO_ROOT), timeout=HANG_LIMIT_S)


def popen(settings: Settings, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", *args], env=cli_env(settings),
                            cwd=str(REPO_ROOT), **kwargs)


def changed_corpus(dst: Path, old: str, new: str) -> Path:
    """A copy of the bundled corpus with one phrase replaced (in every file that has it)."""
    dst.mkdir(parents=True, exist_ok=True)
    found = False
    for f in BUNDLED_CORPUS.iterdir():
        text = f.read_bytes()
        if old.encode() in text:
            found = True
            text = text.replace(old.encode(), new.encode())
        (dst / f.name).write_bytes(text)
    assert found, old
    return dst


@pytest.fixture
def home(built_settings: Settings, tmp_path: Path) -> Settings:
    """A private, fully ingested copy of the session home."""
    return copy_home(built_settings, tmp_path / "home")
