#!/usr/bin/env bash
# Install the clerks' form editor (Decap CMS and its local git proxy decap-server, both pinned in
# editor/package-lock.json) into editor/node_modules. Called by setup.sh; once installed, nothing here
# touches the network again until package-lock.json changes.
# Without Node.js the site still builds, only without /admin/ (unless XIAOWU_EDITOR_REQUIRED=1: the test
# install and scripts/edit.sh need the editor).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
stamp=editor/node_modules/.xiaowu-installed
if [ -f "$stamp" ] && [ ! editor/package-lock.json -nt "$stamp" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "资料填报编辑器需要 Node.js 20 和 npm（Debian：sudo apt-get install nodejs npm）；未安装时网站不含 /admin/。" >&2
  if [ "${XIAOWU_EDITOR_REQUIRED:-}" = 1 ]; then
    exit 1
  fi
  exit 0
fi
echo "installing the form editor (Decap CMS, pinned in editor/package-lock.json)" >&2
(cd editor && npm ci --no-audit --no-fund --loglevel=error)
touch "$stamp"
