"""Ingest while serving: questions asked during another process's ingest keep being answered from
one consistent store, and after it new questions see the new document without a restart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from serve_helpers import MILLBROOK, RIVERSIDE, Served, ingest, start_serve, stop_process, write_corpus

LIGHTING = "Who leads the riverside lighting on the towpath?"
LIBRARY = "Who leads the Millbrook library extension?"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    corpus = write_corpus(tmp_path_factory.mktemp("live_corpus"), ("riverside-plan-2025-28.md", RIVERSIDE))
    home = tmp_path_factory.mktemp("live_home")
    ingest(home, corpus)
    server = start_serve(home, corpus)
    yield server, corpus
    stop_process(server.proc)


def test_new_questions_see_a_new_ingest_and_none_fails_during_it(live: tuple[Served, Path]) -> None:
    served, corpus = live
    before = served.get("/api/health").body
    absent = served.get("/api/ask", q=LIBRARY)
    assert absent.status == 200 and "Llewellyn" not in absent.body["answer"]

    during: list[tuple[int, str]] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            reply = served.get("/api/ask", q=LIGHTING)
            during.append((reply.status, reply.body.get("answer", "") if isinstance(reply.body, dict) else ""))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        write_corpus(corpus, ("riverside-libraries-2025-28.md", MILLBROOK))
        ingest(served.home, corpus)
    finally:
        stop.set()
        asker.join(timeout=300)

    assert during, "no question was asked during the ingest"
    assert all(status == 200 and "Natarajan" in answer for status, answer in during), during

    after = served.get("/api/health").body
    assert after["database_version"] != before["database_version"]
    assert after["documents"] == 2 and after["rows"]["actions"] == 5
    found = served.get("/api/ask", q=LIBRARY)
    assert found.status == 200 and "Llewellyn" in found.body["answer"]
    assert len(served.get("/api/documents").body["documents"]) == 2
