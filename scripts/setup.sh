#!/usr/bin/env bash
# Create .venv if missing and install the project with its test extras (idempotent, ~13 s when current).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
log=$(mktemp)
if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]" >"$log" 2>&1; then
  grep -v "is ignored: it is neither a file nor a directory" "$log" >&2
  echo "setup failed: pip install -e .[test]" >&2
  exit 1
fi
rm -f "$log"
