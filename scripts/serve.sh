#!/usr/bin/env bash
# Set everything up and serve the example site at http://127.0.0.1:8000/ (Ctrl+C to stop).
# Another address or port: XIAOWU_ADDR=127.0.0.1:8001 bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
addr="${XIAOWU_ADDR:-127.0.0.1:8000}"
# A plain message instead of a traceback when the port is taken (often: a preview already running).
if ! .venv/bin/python - "$addr" <<'PY'
import socket, sys
host, _, port = sys.argv[1].rpartition(":")
try:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host.strip("[]") or "127.0.0.1", int(port)))
except (OSError, ValueError) as exc:
    print(f"无法使用地址 {sys.argv[1]}：{'端口已被占用（可能已经有一个预览在运行，请先关闭它）' if isinstance(exc, OSError) else '格式应为 主机:端口'}。", file=sys.stderr)
    print(f"换一个端口：XIAOWU_ADDR=127.0.0.1:{int(port) + 1 if port.isdigit() else 8001} bash scripts/serve.sh", file=sys.stderr)
    sys.exit(1)
PY
then
  exit 1
fi
# Material's end-of-life notice is for maintainers (README), not for clerks previewing their file.
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve --dev-addr "$addr" "$@"
