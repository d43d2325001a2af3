"""A headless Chromium check of the served page: load it, wait for the app, ask, screenshot.

Chromium (Debian's ``chromium``) is driven over the DevTools protocol with aiohttp's websocket
client, so nothing beyond the runtime dependencies is needed. Before the page loads, a small script
records what the page's websocket receives (the app's terminal output), so the check can tell that
the app painted and that an answer arrived, as text, while the screenshot shows it.

    python -m assistant.serve.browser http://127.0.0.1:8000/ --question "..." --expect WORD --out shot.png
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-dev-shm-usage", "--disable-extensions", "--no-first-run",
                  "--no-default-browser-check", "--mute-audio", "--hide-scrollbars")
WINDOW = (1280, 800)
#: Chromium prints its DevTools address within a second or two; allow for a loaded machine.
LAUNCH_TIMEOUT_S = 60.0
#: From page load to the app's first paint: a new app process imports Textual and the core.
APP_TIMEOUT_S = 120.0
#: From pressing Enter to the answer on screen: the session loads the model first.
ANSWER_TIMEOUT_S = 180.0
POLL_S = 0.5
#: The app has painted when this much terminal output arrived and then nothing for QUIET_S (or for
#: SETTLE_S in all, if something keeps animating); keys typed earlier are queued by the app anyway.
PAINT_CHARS = 500
QUIET_S = 3.0
SETTLE_S = 20.0

# Collect every frame the page's websocket receives, decoded as UTF-8 text, in window.__paOutput.
RECORDER_JS = """
(() => {
  window.__paOutput = [];
  const decoder = new TextDecoder('utf-8');
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') { window.__paOutput.push(event.data); }
      else if (event.data instanceof ArrayBuffer) { window.__paOutput.push(decoder.decode(event.data)); }
      else if (event.data && event.data.arrayBuffer) {
        event.data.arrayBuffer().then((b) => window.__paOutput.push(decoder.decode(b)));
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();
"""
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def plain_text(terminal_output: str) -> str:
    """Terminal output without escape sequences (cursor moves become nothing)."""
    return _ESCAPES.sub("", terminal_output)


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass(frozen=True)
class PageCheck:
    """What the browser saw."""

    screenshot: Path
    painted: bool  # the app's output reached the page's terminal
    answered: bool  # the expected text appeared after the question (True when nothing was asked)
    text: str  # the terminal output as plain text
    seconds: float


class DevTools:
    """A minimal DevTools protocol client: commands with ids over one browser websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = count(1)

    async def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        msg_id = next(self._ids)
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        await self.ws.send_str(json.dumps(message))
        async for frame in self.ws:
            data = json.loads(frame.data)
            if data.get("id") == msg_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
        raise RuntimeError("the browser closed the DevTools connection")


async def _launch(chromium: str, profile: str) -> tuple[subprocess.Popen[bytes], str]:
    proc = subprocess.Popen([chromium, *CHROMIUM_FLAGS, f"--window-size={WINDOW[0]},{WINDOW[1]}",
                             "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    deadline = time.monotonic() + LAUNCH_TIMEOUT_S
    seen = b""
    while time.monotonic() < deadline:
        chunk = proc.stderr.read() or b""
        seen += chunk
        found = re.search(rb"DevTools listening on (ws://\S+)", seen)
        if found:
            return proc, found.group(1).decode()
        if proc.poll() is not None:
            break
        await asyncio.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"chromium did not start: {seen.decode(errors='replace')[-500:]}")


async def _output(tools: DevTools, session: str) -> str:
    got = await tools.call("Runtime.evaluate", {"expression": "(window.__paOutput || []).join('')",
                                                "returnByValue": True}, session)
    return str(got.get("result", {}).get("value") or "")


async def _wait_for(tools: DevTools, session: str, needle: str, timeout: float, start: int = 0) -> tuple[bool, str]:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = plain_text(await _output(tools, session))
        if needle in text[start:]:
            return True, text
        await asyncio.sleep(POLL_S)
    return False, text


async def _wait_painted(tools: DevTools, session: str, timeout: float) -> tuple[bool, str]:
    start = time.monotonic()
    deadline = start + timeout
    last, since = -1, start
    text = ""
    while time.monotonic() < deadline:
        text = await _output(tools, session)
        now = time.monotonic()
        if len(text) != last:
            last, since = len(text), now
        if len(text) > PAINT_CHARS and (now - since >= QUIET_S or now - start >= SETTLE_S):
            return True, plain_text(text)
        await asyncio.sleep(POLL_S)
    return False, plain_text(text)


async def _type(tools: DevTools, session: str, text: str) -> None:
    await tools.call("Runtime.evaluate", {"expression":
                     "document.querySelector('.xterm-helper-textarea') && "
                     "document.querySelector('.xterm-helper-textarea').focus()"}, session)
    await tools.call("Input.insertText", {"text": text}, session)
    enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13}
    await tools.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **enter}, session)
    await tools.call("Input.dispatchKeyEvent", {"type": "keyUp", **enter}, session)


async def check_page(url: str, screenshot: Path, question: str | None = None, expect: str | None = None,
                     chromium: str | None = None) -> PageCheck:
    """Open ``url`` in headless Chromium, wait for the app, optionally ask ``question`` and wait for
    ``expect`` in the app's output, then save a PNG screenshot."""
    browser = chromium or find_chromium()
    if browser is None:
        raise RuntimeError("no chromium on PATH; on Debian: apt-get install -y chromium")
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pa-chromium-") as profile:
        proc, endpoint = await _launch(browser, profile)
        try:
            async with aiohttp.ClientSession() as http, http.ws_connect(endpoint, max_msg_size=0) as ws:
                tools = DevTools(ws)
                target = await tools.call("Target.createTarget", {"url": "about:blank"})
                attached = await tools.call("Target.attachToTarget",
                                            {"targetId": target["targetId"], "flatten": True})
                session = attached["sessionId"]
                await tools.call("Page.enable", {}, session)
                await tools.call("Runtime.enable", {}, session)
                await tools.call("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER_JS}, session)
                await tools.call("Page.navigate", {"url": url}, session)
                painted, text = await _wait_painted(tools, session, APP_TIMEOUT_S)
                answered = not question
                if painted and question:
                    before = len(text)
                    await _type(tools, session, question)
                    answered, text = await _wait_for(tools, session, expect or question, ANSWER_TIMEOUT_S,
                                                     start=before)
                    await asyncio.sleep(1.0)  # let the last frames paint before the screenshot
                shot = await tools.call("Page.captureScreenshot", {"format": "png"}, session)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
                await tools.call("Page.navigate", {"url": "about:blank"}, session)  # ends the app session
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return PageCheck(screenshot, painted, answered, text, time.monotonic() - t0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--question")
    parser.add_argument("--expect", help="text the answer must show (default: nothing checked)")
    parser.add_argument("--out", type=Path, default=Path("plan-assistant-page.png"))
    args = parser.parse_args(argv)
    result = asyncio.run(check_page(args.url, args.out, args.question, args.expect))
    print(f"painted={result.painted} answered={result.answered} seconds={result.seconds:.1f} "
          f"screenshot={result.screenshot}")
    return 0 if result.painted and result.answered else 1


if __name__ == "__main__":
    sys.exit(main())
