"""The JSON API (/api/ask, /api/documents, /api/health) and the middleware that turns every error
into ``{"error": "...", "status": N}``: a client never sees a traceback."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from assistant.config import Settings
from assistant.errors import PlanAssistantError
from assistant.serve import info
from assistant.serve.answers import AnswerService, ApiError, error_status

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_dumps = functools.partial(json.dumps, ensure_ascii=False)
NO_STORE = {"Cache-Control": "no-store"}


def json_response(payload: Any, status: int = 200) -> web.Response:
    return web.json_response(payload, status=status, dumps=_dumps, headers=NO_STORE)


def json_error(status: int, message: str) -> web.Response:
    return json_response({"error": message, "status": status}, status=status)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure as a JSON error; an unexpected exception is logged and shown as 500."""
    started = time.perf_counter()
    try:
        response = await handler(request)
    except ApiError as exc:
        response = json_error(exc.status, exc.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = json_error(exc.status, exc.reason)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        response = json_error(500, "internal error; the server log has the details")
    if request.path.startswith("/api/"):  # the path only: a token in the query string is never logged
        log.info("%s %s %d %.0f ms", request.method, request.path, response.status,
                 (time.perf_counter() - started) * 1000)
    return response


class Api:
    """The API handlers over one answer service and one store."""

    def __init__(self, service: AnswerService, settings: Settings,
                 server_state: Callable[[], dict[str, Any]] | None = None) -> None:
        self.service = service
        self.settings = settings
        self.server_state = server_state or (lambda: {})
        self._index_cache: dict[tuple[Any, ...], int] = {}

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/api/ask", self.ask, allow_head=False),
                web.get("/api/documents", self.documents, allow_head=False),
                web.get("/api/health", self.health, allow_head=False)]

    async def ask(self, request: web.Request) -> web.Response:
        """GET /api/ask?q=...&conversation=...: the answer object of ``ask --json``."""
        conversation = request.query.get("conversation") or None
        return json_response(await self.service.ask(request.query.get("q"), conversation))

    async def documents(self, request: web.Request) -> web.Response:
        """GET /api/documents: the ingested documents."""
        return json_response({"documents": await self._blocking(info.documents, self.settings)})

    async def health(self, request: web.Request) -> web.Response:
        """GET /api/health: documents, rows, index size, versions and the server's counters."""
        payload = await self._blocking(info.health, self.settings, self._index_cache)
        stats = self.service.stats
        payload["server"] = {
            "answers_busy": self.service.busy(),
            "max_concurrent_answers": self.service.limits.max_concurrent_answers,
            "conversations": len(self.service.conversations),
            "answered": stats.answered, "failed": stats.failed, "timed_out": stats.timed_out,
            "refused_busy": stats.refused_busy, "worker_pids": self.service.worker_pids(),
            "uptime_s": round(time.time() - stats.started, 1),
            **self.server_state(),
        }
        return json_response(payload)

    async def _blocking(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a store read in the default executor (never in an answer worker)."""
        try:
            return await asyncio.get_running_loop().run_in_executor(None, fn, *args)
        except PlanAssistantError as exc:
            raise ApiError(error_status(exc), str(exc)) from None
