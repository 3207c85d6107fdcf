#!/usr/bin/env bash
# Set everything up and run the whole test suite (what CI runs through .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/setup-browser.sh
bash scripts/setup-office.sh
# Lint and types first: they take seconds and name the exact line.
.venv/bin/ruff check plugins scripts tests
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
