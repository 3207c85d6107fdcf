#!/usr/bin/env bash
# Set everything up and run the whole test suite (what CI runs through .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/setup-browser.sh
exec .venv/bin/python -m pytest "$@"
