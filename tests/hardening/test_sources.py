"""Citations only ever read files that were ingested (issue 14, F4)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.config import Settings
from assistant.errors import QueryRefused
from assistant.pipeline import ingest_corpus
from assistant.retrieval.source import SourceReader, ingested_files, source_lines
from eval.drill import HOSTILE_LLM
from assistant.sql.guard import run_guarded

GENERIC = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "generic"

#: The drill's hostile LLM replies that name a file to quote (one list, in eval/drill.py).
HOSTILE_REPLIES = [reply for reply in HOSTILE_LLM if " AS file" in reply]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("sources"))
    ingest_corpus(settings, [GENERIC], index=False)
    return settings


def test_only_ingested_files_are_read(small: Settings, tmp_path: Path) -> None:
    files = ingested_files(small)
    assert len(files) == 4
    one = sorted(files)[0]
    assert source_lines(small, one) and source_lines(small, one)[0]
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for other in ("/etc/passwd", "/dev/zero", str(fifo), "../../etc/passwd", "", one + "x"):
        assert source_lines(small, other) == ()


def test_a_file_changed_or_replaced_after_ingest_is_not_read(small: Settings, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "docs"
    shutil.copytree(GENERIC, copy)
    settings = Settings(home=tmp_path / "home")
    ingest_corpus(settings, [copy], index=False)
    reader = SourceReader(settings)
    target = copy / "harbourside-risk-register.tsv"
    file = next(f for f in ingested_files(settings) if f.endswith(target.name))
    assert reader.lines(file)
    target.unlink()
    target.symlink_to("/etc/passwd")
    assert SourceReader(settings).lines(file) == ()


def test_guarded_sql_cannot_name_a_file(small: Settings) -> None:
    for sql in HOSTILE_REPLIES[:5]:
        with pytest.raises(QueryRefused, match="not ingested"):
            run_guarded(small, sql)
    _, columns, rows = run_guarded(small, "SELECT file, line_start FROM actions LIMIT 2")
    assert rows and all(r[0] in ingested_files(small) for r in rows)


@pytest.mark.parametrize("reply", HOSTILE_REPLIES)
def test_a_fake_llm_naming_etc_passwd_gets_no_line_of_it(built_settings: Settings, reply: str) -> None:
    from assistant.router import Assistant

    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()
    fake = FakeListChatModel(responses=[reply, "Nothing."])
    answer = Assistant(built_settings, llm=fake).ask("Tell me the three most valuable procurements")
    payload = json.dumps(answer.to_dict(), ensure_ascii=False)
    assert not any(line.strip() and line in payload for line in passwd[:5])
    assert "/etc/" not in payload and "/dev/zero" not in payload
    allowed = ingested_files(built_settings)
    assert all(c.file in allowed for c in answer.citations)
