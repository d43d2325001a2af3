"""A PDF's lines for quotes come from the pages the ingest stored, not from parsing the PDF again
(seconds for a long report); they are the same lines, and a changed file is still refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assistant.config import Settings
from assistant.ingest import readers
from assistant.retrieval.source import SourceReader, stored_page_lines


def _write_pdf(path: Path) -> None:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, 3):
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(72, 780, f"Section {page}: Parks and open spaces")
        pdf.setFont("Helvetica", 11)
        for i in range(5):
            pdf.drawString(72, 740 - 18 * i, f"Page {page} line {i + 1}: the council will improve park number {i}.")
        pdf.showPage()
    pdf.save()


@pytest.fixture()
def pdf_home(tmp_path: Path) -> tuple[Settings, str]:
    from assistant.pipeline import ingest_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_pdf(corpus / "parks.pdf")
    settings = Settings(home=tmp_path / "home", corpus=corpus)
    report = ingest_corpus(settings, index=False)
    assert report.problems == ()
    return settings, str(corpus / "parks.pdf")


def test_pdf_lines_come_from_the_stored_pages(pdf_home: tuple[Settings, str], monkeypatch: pytest.MonkeyPatch) -> None:
    settings, file = pdf_home
    parsed = tuple(readers.read_source(Path(file)).lines)
    assert stored_page_lines(settings, file) == parsed

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the PDF was parsed again")

    monkeypatch.setattr(readers, "read_source", no_parsing)
    assert SourceReader(settings).lines(file) == parsed
    assert any("Page 2 line 3" in line for line in parsed)


def test_a_changed_pdf_is_not_quoted(pdf_home: tuple[Settings, str]) -> None:
    settings, file = pdf_home
    Path(file).write_bytes(Path(file).read_bytes() + b"\n%changed\n")
    assert SourceReader(settings).lines(file) == ()
