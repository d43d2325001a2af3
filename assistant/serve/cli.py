"""`plan-assistant serve`: the assistant for a whole council, in browsers and as a JSON API."""

from __future__ import annotations

import logging
import os

import click

from assistant.serve.limits import (ANSWER_TIMEOUT_S, MAX_BROWSER_SESSIONS, MAX_CONCURRENT_ANSWERS,
                                    QUEUE_TIMEOUT_S)

#: Libraries that log every request at INFO (the Chroma client logs each HTTP call it makes).
QUIET_LOGGERS = ("httpx", "chromadb", "textual-serve")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs a token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port for the page and the API (0 picks a free one and prints it).")
@click.option("--token", envvar="PLAN_ASSISTANT_TOKEN", default=None, show_envvar=True,
              help="Shared secret checked by the page and the API (prefer the environment variable: "
                   "command lines are visible to other users).")
@click.option("--public-url", default=None,
              help="The URL browsers use, when it differs from the request's (a TLS proxy in front).")
@click.option("--max-answers", default=MAX_CONCURRENT_ANSWERS, show_default=True, type=click.IntRange(1, 64),
              help="Answers computed at once (one worker process with its own Assistant each).")
@click.option("--answer-timeout", default=ANSWER_TIMEOUT_S, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one answer may take before the client gets a 504.")
@click.option("--queue-timeout", default=QUEUE_TIMEOUT_S, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a request waits for a free answer slot before a 503.")
@click.option("--max-sessions", default=MAX_BROWSER_SESSIONS, show_default=True, type=click.IntRange(1, 1000),
              help="Browser sessions at once (each is an app process).")
def serve(host: str, port: int, token: str | None, public_url: str | None, max_answers: int,
          answer_timeout: float, queue_timeout: float, max_sessions: int) -> None:
    """Serve the assistant to browsers (the terminal UI in a web page) and a JSON API on one port.

    \b
    GET /api/ask?q=...&conversation=ID   the answer object of `ask --json`
    GET /api/documents                   the ingested documents
    GET /api/health                      documents, rows, index size, versions
    """
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
        os.environ.setdefault(name, value)
    from assistant.config import get_settings
    from assistant.errors import NotIngestedError
    from assistant.serve.auth import TOKEN_ENV, check_bind
    from assistant.serve.limits import ServeLimits
    from assistant.serve.server import CouncilServer

    token = token or None
    check_bind(host, token)
    settings = get_settings()
    if not settings.db_path.exists():
        raise NotIngestedError(f"no database at {settings.db_path}; run `plan-assistant ingest` first")
    os.environ.pop(TOKEN_ENV, None)  # browser sessions' app processes need no token
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in QUIET_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    limits = ServeLimits(max_concurrent_answers=max_answers, answer_timeout_s=answer_timeout,
                         queue_timeout_s=queue_timeout, max_browser_sessions=max_sessions)
    server = CouncilServer(settings, host=host, port=port, token=token, limits=limits, public_url=public_url)

    def ready(url: str) -> None:
        where = settings.chroma_url or settings.chroma_dir
        click.echo(f"Plan Assistant serving {url} (page: {url}/{'?token=...' if token else ''}, "
                   f"API: {url}/api/health); store {settings.home}, vectors in {where}. Ctrl+C stops.",
                   err=False)

    server.run(ready)
