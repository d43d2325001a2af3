"""`plan-assistant serve` on a loopback port without a token: the JSON API and the page."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

from serve_helpers import Served, http_get

LIGHTING = "Who leads the riverside lighting on the towpath?"


def test_ask_returns_the_answer_object_of_ask_json(served: Served) -> None:
    reply = served.get("/api/ask", q=LIGHTING)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert "Natarajan" in reply.body["answer"] and not reply.body["abstained"]
    assert reply.body["citations"] and reply.body["question"] == LIGHTING

    cli = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", LIGHTING], env=served.env,
                         capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr[-2000:]
    expected = json.loads(cli.stdout)
    assert set(reply.body) == set(expected)
    assert reply.body["answer"] == expected["answer"]
    assert reply.body["citations"] == expected["citations"]


def test_a_conversation_keeps_its_context_per_id(served: Served) -> None:
    first = served.get("/api/ask", q=LIGHTING, conversation="officer-1")
    assert first.status == 200 and first.body["conversation"] == "officer-1"
    follow_up = served.get("/api/ask", q="And when is it due?", conversation="officer-1")
    assert follow_up.status == 200
    assert "March 2026" in follow_up.body["answer"]

    elsewhere = served.get("/api/ask", q="And when is it due?", conversation="officer-2")
    alone = served.get("/api/ask", q="And when is it due?")
    for reply in (elsewhere, alone):  # no earlier turn there: nothing to refer to
        assert reply.status == 200
        assert "March 2026" not in reply.body["answer"]


def test_documents_lists_what_was_ingested(served: Served) -> None:
    reply = served.get("/api/documents")
    assert reply.status == 200
    (doc,) = reply.body["documents"]
    assert doc["doc_id"] == "riverside-plan-2025-28"
    assert doc["title"].startswith("Riverside Borough Council")


def test_health_reports_documents_rows_index_and_version(served: Served) -> None:
    reply = served.get("/api/health")
    assert reply.status == 200
    body = reply.body
    assert body["status"] == "ok"
    assert body["documents"] == 1
    assert body["rows"]["actions"] == 3 and body["rows_total"] >= 3
    assert body["index"]["backend"] == "local" and body["index"]["vectors"] > 0
    assert body["version"] and body["database_version"]
    assert body["server"]["max_concurrent_answers"] >= 1


def test_bad_requests_get_json_errors(served: Served) -> None:
    cases = {
        "no question": served.get("/api/ask"),
        "blank question": served.get("/api/ask", q="   "),
        "too long": served.get("/api/ask", q="why " * 600),
        "bad conversation id": served.get("/api/ask", q=LIGHTING, conversation="../../etc"),
        "unknown path": served.get("/api/nothing-here"),
    }
    post = urllib.request.Request(f"{served.url}/api/ask?q=hello", method="POST")
    try:
        urllib.request.urlopen(post, timeout=60)
    except urllib.error.HTTPError as err:
        cases["wrong method"] = type("R", (), {"status": err.code, "body": json.loads(err.read())})()
    expected = {"no question": 400, "blank question": 400, "too long": 400, "bad conversation id": 400,
                "unknown path": 404, "wrong method": 405}
    for name, reply in cases.items():
        assert reply.status == expected[name], name
        assert isinstance(reply.body, dict) and reply.body["status"] == reply.status, name
        assert reply.body["error"] and "Traceback" not in reply.body["error"], name
    assert "2,000" in cases["too long"].body["error"]


def test_requests_from_other_sites_or_names_are_refused(served: Served) -> None:
    foreign = served.get("/api/health", {"Origin": "http://attacker.example"})
    assert foreign.status == 403 and "another site" in foreign.body["error"]
    rebound = served.get("/api/health", {"Host": "attacker.example"})
    assert rebound.status == 403
    same = served.get("/api/health", {"Origin": served.url})
    assert same.status == 200


def test_the_page_loads_with_its_websocket_on_the_same_address(served: Served) -> None:
    page = served.get("/")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    websocket = served.url.replace("http://", "ws://") + "/ws"
    assert f'data-session-websocket-url="{websocket}"' in page.body
    assert "Plan Assistant" in page.body
    script = http_get(f"{served.url}/static/js/textual.js")
    assert script.status == 200 and len(script.body) > 1000
