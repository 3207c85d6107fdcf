"""`bash scripts/edit.sh`: one command starts the local proxy on loopback only and the preview with the
editor at /admin/, pointed at that proxy; stopping it stops both."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp) listening on ``port``."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                out.append(local.rsplit(":", 1)[0])
    return out


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return str(answer.read().decode("utf-8"))
    except OSError:
        return None


def test_edit_script_serves_the_editor_and_binds_the_proxy_to_loopback() -> None:
    site, proxy = _free_port(), _free_port()
    env = {**os.environ, "XIAOWU_ADDR": f"127.0.0.1:{site}", "XIAOWU_EDITOR_PORT": str(proxy)}
    process = subprocess.Popen(["bash", "scripts/edit.sh"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        config = None
        for _ in range(600):  # the first build of the example site; up to 5 minutes on a busy machine
            config = _get(f"http://127.0.0.1:{site}/admin/config.yml")
            if config and _listening(proxy):
                break
            time.sleep(0.5)
        assert config and f"url: http://127.0.0.1:{proxy}/api/v1" in config
        assert "decap-cms.js" in (_get(f"http://127.0.0.1:{site}/admin/") or "")
        assert _listening(proxy) == ["0100007F"]  # 127.0.0.1 only, never 0.0.0.0 or ::
        process.send_signal(signal.SIGTERM)  # to the script only: it must stop both servers itself
        output = process.communicate(timeout=60)[0].decode("utf-8")
        for _ in range(100):
            if not _listening(proxy) and not _listening(site):
                break
            time.sleep(0.1)
        assert not _listening(proxy) and not _listening(site)
    finally:
        if process.poll() is None or _listening(proxy) or _listening(site):
            os.killpg(process.pid, signal.SIGKILL)  # this test's own process group, whatever is left of it
    assert f"http://127.0.0.1:{site}/admin/" in output
