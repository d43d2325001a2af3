"""The conversation store (bounded, expiring, pinned) and the token rules, in-process."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from assistant.errors import ConfigError
from assistant.serve.api import json_errors
from assistant.serve.auth import TOKEN_COOKIE, check_bind, is_loopback, make_auth_middleware
from assistant.serve.conversations import ConversationStore, check_conversation_id


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_conversations_expire_after_the_ttl() -> None:
    clock = Clock()
    store = ConversationStore(max_conversations=10, ttl_s=60, workers=2, clock=clock)
    first = store.get("a")
    clock.now = 30
    assert store.get("a") is first  # used again: still there
    clock.now = 30 + 61
    assert store.get("b") is not None and "a" not in store


def test_the_least_recently_used_conversation_goes_first() -> None:
    store = ConversationStore(max_conversations=2, ttl_s=1000, workers=1, clock=Clock())
    store.get("a"), store.get("b"), store.get("a"), store.get("c")
    assert "a" in store and "c" in store and "b" not in store and len(store) == 2


def test_new_conversations_go_to_the_least_loaded_worker() -> None:
    store = ConversationStore(max_conversations=10, ttl_s=1000, workers=3, clock=Clock())
    assert sorted(store.get(cid).worker for cid in "abc") == [0, 1, 2]
    assert store.get("a").worker == store.get("a").worker


@pytest.mark.parametrize("cid", ["a", "officer-1", "team.ccp:42", "x" * 64])
def test_good_conversation_ids(cid: str) -> None:
    assert check_conversation_id(cid) == cid


@pytest.mark.parametrize("cid", ["", "-x", "a b", "../x", "x" * 65, "é"])
def test_bad_conversation_ids(cid: str) -> None:
    with pytest.raises(ValueError):
        check_conversation_id(cid)


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("[::1]", True), ("127.0.0.2", True), ("0.0.0.0", False),
                                            ("10.1.2.3", False), ("plans.council.internal", False)])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_binding_beyond_loopback_needs_a_long_token() -> None:
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", "a-long-enough-secret-token")
    with pytest.raises(ConfigError, match="token"):
        check_bind("0.0.0.0", None)
    with pytest.raises(ConfigError, match="at least"):
        check_bind("0.0.0.0", "short")


def test_the_token_middleware_accepts_header_query_and_cookie() -> None:
    token = "s3cret-token-for-the-test"

    async def hello(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def run() -> dict[str, object]:
        app = web.Application(middlewares=[json_errors, make_auth_middleware(token)])
        app.router.add_get("/api/health", hello)
        app.router.add_get("/", hello)
        out: dict[str, object] = {}
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            out["none"] = (await client.get("/api/health")).status
            wrong = await client.get("/api/health", headers={"Authorization": "Bearer nope"})
            out["wrong"] = (wrong.status, (await wrong.json())["error"])
            out["bearer"] = (await client.get("/api/health", headers={"Authorization": f"Bearer {token}"})).status
            out["header"] = (await client.get("/api/health", headers={"X-Plan-Assistant-Token": token})).status
            page = await client.get(f"/?token={token}")
            out["query"] = page.status
            out["cookie_set"] = TOKEN_COOKIE in page.cookies
            out["with_cookie"] = (await client.get("/api/health")).status  # the client keeps the cookie
        return out

    got = asyncio.run(run())
    assert got["none"] == 401
    assert got["wrong"] == (401, "the token is not valid")
    assert got["bearer"] == got["header"] == got["query"] == got["with_cookie"] == 200
    assert got["cookie_set"] is True
