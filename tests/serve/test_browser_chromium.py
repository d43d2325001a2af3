"""Headless Chromium loads the served page, the app paints, a question typed into the page is
answered, and a screenshot shows it. Run with PLAN_ASSISTANT_BROWSER_TESTS=1 (needs `chromium`)."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from assistant.serve.browser import check_page, find_chromium
from serve_helpers import Served

pytestmark = pytest.mark.browser


def test_chromium_shows_the_app_and_an_answer(served: Served, tmp_path: Path) -> None:
    assert find_chromium(), "PLAN_ASSISTANT_BROWSER_TESTS=1 needs chromium (apt-get install -y chromium)"
    shot = tmp_path / "page.png"
    result = asyncio.run(check_page(f"{served.url}/", shot, question="Who leads the riverside lighting on the towpath?",
                                    expect="Natarajan"))
    keep = os.environ.get("PLAN_ASSISTANT_BROWSER_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "page.png")
    assert result.painted, result.text[-2000:]
    assert result.answered, result.text[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
