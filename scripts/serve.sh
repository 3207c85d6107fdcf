#!/usr/bin/env bash
# Set everything up and serve the example site at http://127.0.0.1:8000/ (Ctrl+C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/mkdocs serve --dev-addr "${XIAOWU_ADDR:-127.0.0.1:8000}" "$@"
