#!/usr/bin/env bash
# Try the clerks' form editor on this working copy, no account needed:
#   bash scripts/edit.sh        then open http://127.0.0.1:8000/admin/ and click 登录
# It starts Decap CMS's local proxy (decap-server) on 127.0.0.1 only and the site preview (mkdocs serve).
# Saves are written into schools/ of this working copy (see them with git diff). With
# XIAOWU_EDITOR_MODE=git the proxy commits each save instead (on the branch in the editor config).
# Other ports: XIAOWU_ADDR=127.0.0.1:8001 XIAOWU_EDITOR_PORT=8091 bash scripts/edit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
XIAOWU_EDITOR_REQUIRED=1 bash scripts/setup.sh
addr="${XIAOWU_ADDR:-127.0.0.1:8000}"
export XIAOWU_EDITOR_PORT="${XIAOWU_EDITOR_PORT:-8081}"
if ! .venv/bin/python - "$XIAOWU_EDITOR_PORT" <<'PY'
import socket, sys
try:
    with socket.socket() as s:
        s.bind(("127.0.0.1", int(sys.argv[1])))
except (OSError, ValueError):
    print(f"端口 {sys.argv[1]} 已被占用（可能已经有一个编辑器在运行）。换一个：XIAOWU_EDITOR_PORT=8091 bash scripts/edit.sh", file=sys.stderr)
    sys.exit(1)
PY
then
  exit 1
fi
# decap-server listens on every interface unless BIND_HOST is set: loopback only, so nobody else on
# the network can write into this working copy.
BIND_HOST=127.0.0.1 PORT="$XIAOWU_EDITOR_PORT" MODE="${XIAOWU_EDITOR_MODE:-fs}" GIT_REPO_DIRECTORY="$PWD" \
  LOG_LEVEL="${XIAOWU_EDITOR_LOG:-warn}" node editor/node_modules/decap-server/dist/index.js &
proxy=$!
export NO_MKDOCS_2_WARNING=1
.venv/bin/mkdocs serve --dev-addr "$addr" "$@" &
preview=$!
# Ctrl+C (or being stopped) ends both servers.
trap 'kill "$proxy" "$preview" 2>/dev/null || true' EXIT INT TERM
echo "资料填报编辑器：http://$addr/admin/ （点“登录”即可，不需要账号；保存后用 git diff 查看改动，./xiaowu check 检查）" >&2
wait "$preview"
