#!/usr/bin/env bash
# Create .venv if missing and install the project with its test extras (idempotent).
# Says what it is doing: the first install takes about 2.5 minutes (about 1.9 GB of packages,
# torch CPU included); when everything is already installed it takes about 13 s.
set -euo pipefail
cd "$(dirname "$0")/.."

TICK_SECONDS=15  # how often a long install says it is still working

say() { printf 'setup: %s\n' "$*"; }

started=$SECONDS
if [ ! -x .venv/bin/python ]; then
  say "creating the virtual environment in .venv"
  python3 -m venv .venv
fi
if [ -x .venv/bin/plan-assistant ]; then
  say "checking that .venv is up to date with pyproject.toml (usually about 13 s)"
else
  say "installing Plan Assistant and its dependencies into .venv (torch CPU, sentence-transformers,"
  say "chromadb, duckdb, textual...): usually about 2.5 minutes and 1.9 GB the first time"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]" >"$log" 2>&1 &
pip_pid=$!
while kill -0 "$pip_pid" 2>/dev/null; do
  for _ in $(seq "$TICK_SECONDS"); do
    kill -0 "$pip_pid" 2>/dev/null || break 2
    sleep 1
  done
  say "still working... $((SECONDS - started)) s so far"
done
if ! wait "$pip_pid"; then
  grep -v "is ignored: it is neither a file nor a directory" "$log" >&2 || true
  echo "setup failed: pip install -e .[test] (the lines above say why)" >&2
  exit 1
fi
say "done in $((SECONDS - started)) s. Start the assistant with: .venv/bin/plan-assistant"
say "(its first start builds the index of the bundled corpus, about 2 minutes; later starts take seconds)"
