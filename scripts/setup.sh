#!/usr/bin/env bash
# Create .venv (once) and install xiaowu with its dependencies into it. Sourced by serve.sh and test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras="${1:-}"
stamp=".venv/.xiaowu-installed${extras:+-$extras}"
# Reinstall only when the dependency list changed. An install with the test extras also satisfies a
# plain one (the site command after the test command installs nothing).
fresh() { [ -f "$1" ] && [ ! pyproject.toml -nt "$1" ]; }
if ! fresh "$stamp" && { [ -n "$extras" ] || ! fresh .venv/.xiaowu-installed-test; }; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
  touch "$stamp"
fi
# The clerks' form editor served at /admin/ (npm, pinned; skipped when already installed). The test
# install needs it (its browser tests); a site install without Node.js builds without /admin/.
if [ "$extras" = test ]; then
  XIAOWU_EDITOR_REQUIRED=1 bash scripts/setup-editor.sh
else
  bash scripts/setup-editor.sh
fi
