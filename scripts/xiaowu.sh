#!/usr/bin/env bash
# Run the xiaowu command from this checkout's .venv, setting it up first if needed (used by pre-commit
# and by ./xiaowu at the repository root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh" >&2
exec "$root/.venv/bin/xiaowu" "$@"
