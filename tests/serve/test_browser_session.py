"""A browser session without a browser: the page's websocket starts an app process over the same
store, keystrokes ask a question, the answer arrives as terminal output, and closing ends the app."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp

from assistant.serve.browser import plain_text
from serve_helpers import Served

APP_START_S = 120.0  # a new app process imports Textual and the core on a loaded machine
ANSWER_S = 240.0  # the session warms its own model before its first answer
QUIET_S = 3.0  # no output for this long: the app has finished painting its first screen
SETTLE_S = 20.0  # ...or output has been coming for this long: type anyway (keys are queued by the app)


async def _read_until(ws: aiohttp.ClientWebSocketResponse, seen: list[str], done, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            msg = await ws.receive(timeout=QUIET_S)
        except TimeoutError:
            if done(None):
                return True
            continue
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen.append(msg.data.decode("utf-8", errors="replace"))
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return False
        if done(msg):
            return True
    return False


def test_a_browser_session_runs_the_app_and_answers(served: Served) -> None:
    ws_url = served.url.replace("http://", "ws://") + "/ws?width=140&height=40"

    async def run() -> tuple[bool, bool, str]:
        seen: list[str] = []
        async with aiohttp.ClientSession() as http, http.ws_connect(ws_url) as ws:
            # Painted: some output, then a quiet spell (or a while, if something keeps animating).
            t0 = time.monotonic()
            painted = await _read_until(ws, seen, lambda msg: sum(map(len, seen)) > 500 and (
                msg is None or time.monotonic() - t0 > SETTLE_S), APP_START_S)
            await ws.send_str(json.dumps(["stdin", "Who leads the riverside lighting on the towpath?\r"]))
            start = len(seen)
            answered = await _read_until(
                ws, seen, lambda msg: "Natarajan" in plain_text("".join(seen[start:])), ANSWER_S)
        return painted, answered, plain_text("".join(seen))

    painted, answered, text = asyncio.run(run())
    assert painted, text[-2000:]
    assert answered, text[-2000:]

    # Closing the page ends its app process: the server counts no session left.
    deadline = time.monotonic() + 60
    while served.get("/api/health").body["server"]["browser_sessions"] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert served.get("/api/health").body["server"]["browser_sessions"] == 0
