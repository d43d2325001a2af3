"""One writer at a time, readers across ingests (issue 14, F1/F2), with real processes."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path

from assistant.config import Settings
from assistant.locking import ingest_lock
from assistant.retrieval import generations, lexical
from assistant.retrieval.store import ChromaStore
from assistant.sql.connect import run_select
from tests.hardening.conftest import HANG_LIMIT_S, cache_only_home, changed_corpus, cli, popen


def _read_until(stream, needle: str, sink: list[str]) -> bool:
    """Read lines from ``stream`` into ``sink`` until one contains ``needle`` (False at EOF)."""
    for raw in iter(stream.readline, b""):
        sink.append(raw.decode("utf-8", "replace"))
        if needle in sink[-1]:
            return True
    return False


def _assert_consistent(settings: Settings) -> None:
    """Database, BM25 records and vectors agree, and every kind of search answers."""
    pointer = generations.read_pointer(settings.chroma_dir)
    assert pointer is not None and pointer.bm25 == lexical.current_version(settings.home)
    store = ChromaStore(settings.chroma_dir, create=False)
    ids = set(store.fingerprints())
    store.close()
    assert len(ids) == pointer.vectors
    records = lexical.load(settings.home)
    assert records is not None and {c.id for c in records.chunks} <= ids
    _, docs = run_select(settings, "SELECT doc_id FROM documents")
    assert {c.doc_id for c in records.chunks} == {d for (d,) in docs}
    for mode in ("dense", "hybrid"):
        out = cli(settings, "search", "--json", "--mode", mode, "--k", "3", "channel shift strategy")
        assert out.returncode == 0, out.stderr.decode()
        assert json.loads(out.stdout)["hits"]
    assert not any(settings.home.glob("plan.duckdb.building-*"))
    assert not any(settings.chroma_dir.glob(generations.BUILD_PREFIX + "*"))


def test_a_second_ingest_waits_for_the_first_with_a_message(built_settings: Settings, tmp_path: Path) -> None:
    settings = cache_only_home(built_settings, tmp_path / "home")
    with ingest_lock(settings):
        refused = cli(settings, "ingest", "--no-wait")
        assert refused.returncode == 1
        assert b"another ingest" in refused.stderr and b"Traceback" not in refused.stderr
        waiting = popen(settings, "ingest", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        seen: list[str] = []
        assert _read_until(waiting.stderr, "waiting for it to finish", seen), seen
        assert waiting.poll() is None  # still waiting while the lock is held
        assert not settings.db_path.exists()
    out, err = waiting.communicate(timeout=HANG_LIMIT_S)
    assert waiting.returncode == 0, err.decode()
    _assert_consistent(settings)


def test_two_ingests_at_once_leave_one_consistent_index(built_settings: Settings, tmp_path: Path) -> None:
    settings = cache_only_home(built_settings, tmp_path / "home")
    first = popen(settings, "ingest", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = settings.home / "ingest.lock"
    while first.poll() is None and f"pid {first.pid} " not in (lock.read_text() if lock.exists() else ""):
        time.sleep(0.01)  # start the second once the first is ingesting (a fresh home: seconds of work)
    procs = [first, popen(settings, "ingest", stdout=subprocess.PIPE, stderr=subprocess.PIPE)]
    results = [p.communicate(timeout=HANG_LIMIT_S) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [r[1].decode()[-2000:] for r in results]
    assert sum(b"waiting for it to finish" in err for _, err in results) == 1
    _assert_consistent(settings)
    again = cli(settings, "ingest")
    assert again.returncode == 0 and b"upserted=0" in again.stdout


def test_an_ask_session_keeps_answering_across_another_process_ingest(built_settings: Settings,
                                                                      tmp_path: Path) -> None:
    from tests.hardening.conftest import copy_home

    settings = copy_home(built_settings, tmp_path / "home")
    session = popen(settings, "ask", "--jsonl", "-", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE)
    errors: list[bytes] = []
    threading.Thread(target=lambda: errors.extend(session.stderr), daemon=True).start()
    question = "Who leads the Channel Shift strategy?\n"

    def ask() -> dict:
        session.stdin.write(question.encode())
        session.stdin.flush()
        line = session.stdout.readline()
        assert line, b"".join(errors).decode()[-3000:]
        return json.loads(line)

    try:
        first = ask()
        assert "Emma Crapper" in first["answer"], first
        corpus = changed_corpus(tmp_path / "corpus", "Emma Crapper", "Zed Quinton")
        result = cli(Settings(home=settings.home, corpus=corpus), "ingest")
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        for _ in range(3):  # and it goes on answering
            after = ask()
            assert "error" not in after and "Zed Quinton" in after["answer"], after
    finally:
        session.stdin.close()
        session.wait(timeout=HANG_LIMIT_S)
    assert session.returncode == 0, b"".join(errors).decode()[-3000:]
    assert b"Traceback" not in b"".join(errors)
