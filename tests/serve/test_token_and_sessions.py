"""A served process with a token (and one browser session at most): the page and the API refuse a
missing or wrong token; binding beyond loopback without a token is refused before serving."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from serve_helpers import Served, clean_env, start_serve, stop_process

TOKEN = "council-test-token-0123456789"


@pytest.fixture(scope="module")
def guarded(council_home: Path, council_corpus: Path) -> Iterator[Served]:
    server = start_serve(council_home, council_corpus, "--max-sessions", "1", PLAN_ASSISTANT_TOKEN=TOKEN)
    yield server
    stop_process(server.proc)


def test_api_and_page_refuse_a_missing_or_wrong_token(guarded: Served) -> None:
    for path in ("/api/health", "/api/documents", "/api/ask", "/"):
        missing = guarded.get(path, q="Who leads the riverside lighting?")
        assert missing.status == 401, path
        assert "token is required" in missing.body["error"]
    wrong = guarded.get("/api/health", {"Authorization": "Bearer not-the-token-at-all"})
    assert wrong.status == 401 and wrong.body["error"] == "the token is not valid"


def test_api_and_page_accept_the_token(guarded: Served) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    answer = guarded.get("/api/ask", bearer, q="Who leads the riverside lighting on the towpath?")
    assert answer.status == 200 and "Natarajan" in answer.body["answer"]
    page = guarded.get("/", token=TOKEN)
    assert page.status == 200 and "textual-terminal" in page.body
    assert "plan_assistant_token=" in page.headers.get("Set-Cookie", "")
    assert "HttpOnly" in page.headers["Set-Cookie"]


def test_a_second_browser_session_beyond_the_limit_is_refused(guarded: Served) -> None:
    ws_url = guarded.url.replace("http://", "ws://") + "/ws?width=100&height=30"
    headers = {"Authorization": f"Bearer {TOKEN}"}

    async def run() -> tuple[int | None, int | None]:
        async with aiohttp.ClientSession() as http:
            try:
                async with http.ws_connect(ws_url):
                    pass
            except aiohttp.WSServerHandshakeError as err:
                without_token = err.status
            else:
                without_token = None
            async with http.ws_connect(ws_url, headers=headers) as first:
                await first.receive(timeout=120)  # the app process has started and written
                try:
                    async with http.ws_connect(ws_url, headers=headers):
                        second = None
                except aiohttp.WSServerHandshakeError as err:
                    second = err.status
        return without_token, second

    assert asyncio.run(run()) == (401, 503)


def test_serving_beyond_loopback_without_a_token_is_refused(tmp_path: Path, council_home: Path) -> None:
    env = clean_env(PLAN_ASSISTANT_HOME=str(council_home))
    for extra in ([], ["--token", "short"]):
        done = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "0",
                               *extra], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode != 0
        assert done.stderr.startswith("Error: ") and "token" in done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
