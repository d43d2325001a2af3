"""A passage is about the heading its paragraphs run under, even when no blank line or font marks that
heading as one: the question may name the subject only the heading gives."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.ingest.sections import heading_shaped, opens_as_heading

_PLAN = """Riverside Borough Council
Environment Report 2026

Nature and Coast

Riverside Wetland Restoration Programme (RWRP)
Following the spring workshops the draft habitat maps were refined and the priority
species for the estuary were agreed with volunteers.

In October, the full draft strategy and maps were presented to the Harbour Trust and the
parish councils for review. No objections were received and the work remains on track.

Street Lighting

The lantern replacement contract was extended for a further year while suppliers were
assessed against the new energy standard.
"""


def test_heading_shape() -> None:
    assert heading_shaped("Riverside Wetland Restoration Programme (RWRP)")
    assert heading_shaped("Nature and Coast")
    assert not heading_shaped("In October, the full draft strategy and maps were presented.")
    assert not heading_shaped("We will:")
    assert not heading_shaped("• Pollinators of the county")
    assert not heading_shaped("Name\tLead\tDate")
    # where it stands: a paragraph's wrapped first line is no heading, a short line over a paragraph is
    lines = ["Growth and Communities (GC) - responsible for the development of a range of",
             "growth and community related strategies including the Cultural Strategy.", "",
             "Riverside Wetland Restoration Programme (RWRP)",
             "Following the spring workshops the draft habitat maps were refined and the priority"]
    assert not opens_as_heading(lines, 0) and opens_as_heading(lines, 3)


def test_the_subject_a_heading_gives_is_said_of_the_paragraphs_under_it(built_settings: Settings,
                                                                        tmp_path: Path) -> None:
    import shutil

    from assistant.pipeline import ingest_corpus
    from assistant.router import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "riverside-environment-report-2026.txt").write_text(_PLAN, encoding="utf-8")
    home = tmp_path / "home"
    shutil.copytree(built_settings.home / "cache", home / "cache")   # the model's cache: nothing downloads
    settings = Settings(home=home, corpus=corpus)
    assert not ingest_corpus(settings, index=True).problems
    assistant = Assistant(settings)
    try:
        reply = assistant.ask("Wetland Restoration Programme: who were the full draft strategy and maps presented to?")
        assert not reply.abstained, reply.answer
        assert "Harbour Trust" in reply.answer
        # ... while a subject no heading or line gives is still not said
        refused = assistant.ask("Moorland Grazing Programme: who were the full draft strategy and maps presented to?")
        assert refused.abstained, refused.answer
    finally:
        assistant.db.close()
