"""The `tui` command: options and clear errors before any screen opens (no index needed)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assistant.cli import main


def test_tui_help_lists_options() -> None:
    result = CliRunner().invoke(main, ["tui", "--help"])
    assert result.exit_code == 0
    for option in ("--council", "--document", "--department", "--export-dir", "--keys"):
        assert option in result.output


def test_bad_keys_file_is_one_line_error(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text('{"explode": "ctrl+x"}')
    result = CliRunner().invoke(main, ["tui", "--keys", str(keys)], env={"PLAN_ASSISTANT_HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and "unknown action(s) explode" in result.output
    assert "Traceback" not in result.output


def test_missing_keys_file_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tui", "--keys", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "does not exist" in result.output
