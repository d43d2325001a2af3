"""The index in a real Chroma server (`chroma run`): ingest writes there, every process reads there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.retrieval.store import make_client, parse_chroma_url
from serve_helpers import clean_env, free_port


def test_ingest_into_a_chroma_server_and_answer_through_it(chroma_server: str, council_corpus: Path,
                                                          settings_for) -> None:
    from assistant.pipeline import ingest_corpus
    from assistant.router import Assistant

    settings: Settings = settings_for(council_corpus, chroma_url=chroma_server)
    report = ingest_corpus(settings, index=True)
    assert report.index_stats is not None and report.index_stats.vectors > 0

    # The vectors are in the server: its collections hold every vector the ingest wrote.
    client = make_client(settings.chroma_dir, url=chroma_server)
    held = sum(client.get_collection(c if isinstance(c, str) else c.name).count()
               for c in client.list_collections())
    assert held >= report.index_stats.vectors

    answer = Assistant(settings).ask("Who leads the riverside lighting on the towpath?")
    assert not answer.abstained
    assert "Natarajan" in answer.answer

    # Another process with the same home and server URL reads the same index.
    env = clean_env(PLAN_ASSISTANT_HOME=str(settings.home), PLAN_ASSISTANT_CORPUS=str(council_corpus),
                    PLAN_ASSISTANT_CHROMA_URL=chroma_server)
    done = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json",
                           "When are the east bank flood defences due?"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    payload = json.loads(done.stdout)
    assert "December 2027" in payload["answer"]


def test_an_unreachable_chroma_server_is_a_one_line_config_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(ConfigError, match="cannot reach the Chroma server"):
        make_client(tmp_path / "chroma", url=url)


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8001", ("127.0.0.1", 8001, False)),
    ("https://vectors.council.internal", ("vectors.council.internal", 8000, True)),
    ("http://[::1]:9000/", ("::1", 9000, False)),
])
def test_chroma_urls_are_parsed(url: str, expected: tuple[str, int, bool]) -> None:
    assert parse_chroma_url(url) == expected


@pytest.mark.parametrize("url", ["127.0.0.1:8000", "ftp://host:1", "http://host:notaport", "http://host:1/path"])
def test_bad_chroma_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        parse_chroma_url(url)
