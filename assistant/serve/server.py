"""One aiohttp server: textual-serve's page and websocket (one app process per browser session)
plus the JSON API, behind the JSON-error and token middlewares.

``textual_serve.server.Server`` builds its aiohttp application in ``_make_app``; this subclass adds
the API routes and the middlewares to that application, derives the page's URLs from each request
(or ``public_url``), limits the number of browser sessions, and runs the application with its own
runner so that it can listen on port 0, print the address it got, and stop cleanly on a signal.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import signal
import sys
from collections.abc import Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from assistant.config import Settings
from assistant.serve.answers import AnswerService, ApiError
from assistant.serve.api import Api, json_errors
from assistant.serve.auth import make_auth_middleware
from assistant.serve.limits import MAX_REQUEST_LINE, ServeLimits

log = logging.getLogger(__name__)

TITLE = "Plan Assistant"
DEFAULT_FONT_SIZE = 16
FONT_SIZES = range(8, 41)  # what ?fontsize= may ask for


def app_command() -> str:
    """The shell command textual-serve starts for each browser session: the TUI of this install."""
    return shlex.join([sys.executable, "-m", "assistant", "tui"])


class CouncilServer(Server):
    """textual-serve's Server with the API, the token check and the session limit."""

    def __init__(self, settings: Settings, *, host: str = "127.0.0.1", port: int = 8000,
                 token: str | None = None, limits: ServeLimits | None = None, public_url: str | None = None,
                 command: str | None = None, service: AnswerService | None = None, warm: bool = True) -> None:
        super().__init__(command or app_command(), host=host, port=port, title=TITLE, public_url=public_url)
        self.settings = settings
        self.token = token
        self.limits = limits or ServeLimits()
        self.page_url = public_url.rstrip("/") if public_url else None
        self.service = service or AnswerService(settings, self.limits)
        self.api = Api(self.service, settings, server_state=lambda: {"browser_sessions": self.sessions})
        self.sessions = 0
        self.warm = warm
        self._warming: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ application

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(json_errors)  # outermost: the token check's refusals are JSON too
        app.middlewares.append(make_auth_middleware(self.token))
        app.add_routes(self.api.routes())
        return app

    async def on_startup(self, app: web.Application) -> None:
        if self.warm:  # in the background: the server answers /api/health at once
            self._warming = asyncio.get_running_loop().create_task(self.service.warm())

    async def on_shutdown(self, app: web.Application) -> None:
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()
        self.service.close()

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        """The page, with its websocket and static URLs on the address the browser used."""
        base = self.page_url or f"{request.scheme}://{request.host}"
        scheme, rest = base.split(":", 1)
        try:
            font_size = int(request.query.get("fontsize", DEFAULT_FONT_SIZE))
        except ValueError:
            font_size = DEFAULT_FONT_SIZE
        context = {
            "font_size": font_size if font_size in FONT_SIZES else DEFAULT_FONT_SIZE,
            "app_websocket_url": f"{'wss' if scheme == 'https' else 'ws'}:{rest}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser session (an app process), refused with 503 beyond the session limit."""
        if self.sessions >= self.limits.max_browser_sessions:
            raise ApiError(503, f"{self.sessions} browser sessions are open, the limit of this server; "
                                "try again later")
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    # ------------------------------------------------------------------ running

    def run(self, ready: Callable[[str], Any] = print) -> None:
        """Serve until SIGINT or SIGTERM; ``ready`` gets the URL once the port is open."""
        asyncio.run(self.serve_until_stopped(ready))

    async def serve_until_stopped(self, ready: Callable[[str], Any], stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):  # not the main thread (tests)
                pass
        runner = web.AppRunner(await self._make_app(), access_log=None,
                               max_line_size=MAX_REQUEST_LINE, max_field_size=MAX_REQUEST_LINE)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            host, port = runner.addresses[0][:2]
            shown = f"[{host}]" if ":" in host else host
            ready(f"http://{shown}:{port}")
            await stop.wait()
        finally:
            await runner.cleanup()
