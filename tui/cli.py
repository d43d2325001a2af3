"""`plan-assistant tui`: open the terminal UI on the configured corpus and home."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from assistant.config import get_settings
from assistant.models import Filters

EXPORT_DIR_ENV = "PLAN_ASSISTANT_EXPORT_DIR"


@click.command("tui")
@click.option("--council", help="Start with this council filter.")
@click.option("--document", help="Start with this document filter (doc_id or file name).")
@click.option("--department", help="Start with this department filter.")
@click.option("--export-dir", type=click.Path(file_okay=False, path_type=Path), envvar=EXPORT_DIR_ENV,
              help="Where exports go (default: $PLAN_ASSISTANT_HOME/exports).")
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON file of key overrides (default: $PLAN_ASSISTANT_HOME/tui-keys.json).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write debug logs here (default: $PLAN_ASSISTANT_HOME/tui.log).")
def tui(council: str | None, document: str | None, department: str | None, export_dir: Path | None,
        keys_file: Path | None, log_file: Path | None) -> None:
    """Open the terminal UI (ingests first if there is no index yet)."""
    from tui.app import make_app
    from tui.backend import AssistantBackend
    from tui.keys import KEYS_FILE_NAME, load_keymap

    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
        os.environ.setdefault(name, value)
    if export_dir is None and os.environ.get(EXPORT_DIR_ENV):  # `plan-assistant` alone skips click's envvar
        export_dir = Path(os.environ[EXPORT_DIR_ENV])
    settings = get_settings()
    home = settings.ensure_home()
    keymap = load_keymap(keys_file or home / KEYS_FILE_NAME)  # a bad file stops here, as one line
    # Textual owns the terminal: logs go to a file, never to stderr.
    logging.basicConfig(filename=str(log_file or home / "tui.log"), level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_app(AssistantBackend(settings), keymap=keymap, export_dir=export_dir,
                   filters=Filters(council, document, department))
    app.run()
    # Every file the TUI writes is closed by now (history, exports, logs flushed below; DuckDB is
    # read-only). Skip the interpreter's slow teardown of torch/chromadb (~1.7 s) so quitting is instant.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(app.return_code or 0)
