"""Re-ingesting while an Assistant is open in the same process (as the TUI may): both keep working."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.config import Settings


def test_reingest_with_an_open_assistant_sees_the_new_row(built_settings: Settings, corpus_dir: Path,
                                                          tmp_path: Path) -> None:
    from assistant.pipeline import ingest_corpus
    from assistant.router import Assistant

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    home = tmp_path / "home"
    shutil.copytree(built_settings.home / "cache", home / "cache")  # reuse vectors: embed only what is new
    settings = Settings(home=home, corpus=corpus)
    ingest_corpus(settings, index=True)

    assistant = Assistant(settings)
    before = assistant.ask("Who leads the Channel Shift strategy?")
    assert "Emma Crapper" in before.answer

    plan = corpus / "derbyshire-county-service-plans-2020-21.txt"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("Emma Crapper\tJuly 2019\tMarch 2021", "Joanna Quill\tJuly 2019\tMarch 2021", 1)
    plan.write_text(text, encoding="utf-8")
    report = ingest_corpus(settings, index=True)
    assert not report.problems
    assert any("derbyshire-county-service-plans" in str(f) for f in report.updated)

    after = assistant.ask("Who leads the Channel Shift strategy?")
    assert "Joanna Quill" in after.answer and "Emma Crapper" not in after.answer
