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
# Material for MkDocs prints a 13-line English end-of-life notice on every `mkdocs build/serve` unless
# NO_MKDOCS_2_WARNING is set (its documented switch). Every command in the README runs this venv's
# Python, so set it there, at interpreter start (a .pth line), for a fresh shell too; an explicit
# NO_MKDOCS_2_WARNING= (empty) in the environment shows the notice again. README: "只发布经过检查的网站".
site_packages="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")' > "$site_packages/xiaowu-quiet-material.pth"
# The clerks' form editor served at /admin/ (npm, pinned; skipped when already installed). The test
# install needs it (its browser tests); a site install without Node.js builds without /admin/.
if [ "$extras" = test ]; then
  XIAOWU_EDITOR_REQUIRED=1 bash scripts/setup-editor.sh
else
  bash scripts/setup-editor.sh
fi
