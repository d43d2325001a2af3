"""Who may use a server: loopback without a token, anything else only with one.

A token is accepted as ``Authorization: Bearer <token>``, an ``X-Plan-Assistant-Token`` header,
``?token=<token>`` or the cookie that a page opened with ``?token=`` sets, so that the browser's
static files and its websocket (same origin) carry it too. Without a token the server only answers
requests addressed to a loopback name (a DNS-rebinding page cannot reach it), and a request with a
foreign ``Origin`` (another site driving the websocket or the API) is refused in both modes.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from assistant.errors import ConfigError
from assistant.serve.answers import ApiError
from assistant.serve.limits import MIN_TOKEN_CHARS

TOKEN_ENV = "PLAN_ASSISTANT_TOKEN"
TOKEN_HEADER = "X-Plan-Assistant-Token"
TOKEN_COOKIE = "plan_assistant_token"
TOKEN_QUERY = "token"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1), with or without brackets."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token that is long enough to resist guessing."""
    if is_loopback(host):
        if token is not None and len(token) < MIN_TOKEN_CHARS:
            raise ConfigError(f"the token must be at least {MIN_TOKEN_CHARS} characters")
        return
    if not token:
        raise ConfigError(f"--host {host} is reachable from other machines: give a token with --token or "
                          f"{TOKEN_ENV} (e.g. `export {TOKEN_ENV}=$(python -c 'import secrets; "
                          "print(secrets.token_urlsafe(24))')`)")
    if len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(f"the token must be at least {MIN_TOKEN_CHARS} characters")


def presented_token(request: web.Request) -> tuple[str | None, str]:
    """The token a request carries and where it came from (header, query, cookie or none)."""
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip(), "header"
    if TOKEN_HEADER in request.headers:
        return request.headers[TOKEN_HEADER].strip(), "header"
    if TOKEN_QUERY in request.query:
        return request.query[TOKEN_QUERY], "query"
    if TOKEN_COOKIE in request.cookies:
        return request.cookies[TOKEN_COOKIE], "cookie"
    return None, "none"


def _same_origin(request: web.Request) -> bool:
    """No Origin header (curl, scripts, same-origin GETs) or the server's own origin."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.host.lower()


def make_auth_middleware(token: str | None) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """The middleware enforcing the rules above (``token=None``: loopback mode)."""
    expected = token.encode("utf-8") if token else None

    @web.middleware
    async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not _same_origin(request):
            raise ApiError(403, "requests from another site are refused")
        source = "none"
        if expected is None:
            if not is_loopback(request.url.host or ""):
                raise ApiError(403, "this server only answers requests addressed to localhost; "
                                    "start it with --host and a token to serve other machines")
        else:
            got, source = presented_token(request)
            if got is None:
                raise ApiError(401, f"a token is required: open /?{TOKEN_QUERY}=... in the browser, or send "
                                    "'Authorization: Bearer ...' to the API")
            if not hmac.compare_digest(got.encode("utf-8"), expected):
                raise ApiError(401, "the token is not valid")
        response = await handler(request)
        if expected is not None and source == "query" and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, token or "", httponly=True, samesite="Strict", path="/",
                                secure=request.secure)
        return response

    return auth
