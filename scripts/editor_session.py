#!/usr/bin/env python3
"""The form editor on a throw-away copy of the data, for the browser tests and the README pictures.

    .venv/bin/python scripts/editor_session.py                 # scripts/screenshots/ and docs/assets/clerks/
    .venv/bin/python scripts/editor_session.py --out /tmp/shots

A session makes a temporary git repository (mkdocs.yml, docs/, schools/ on branch main), builds the
site into it with the editor at /admin/, starts the real local git proxy (decap-server, MODE=git,
bound to 127.0.0.1) on that repository and serves the site on a loopback port. The browser then
works exactly as a clerk's does on `bash scripts/edit.sh`, only every save is a commit on a
branch cms/<county>/<school> (the editorial workflow), as it would be a merge request on the git host.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MODULES = REPO / "editor" / "node_modules"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "scripts" / "screenshots"  # the README's
GUIDE_SHOTS = REPO / "docs" / "assets" / "clerks"  # the clerk guide's (published with the site)
NAMES = ("editor.png", "editor-error.png")
EPOCH = "1795219200"  # 2026-11-21: the example's current term is 2026-秋
GIT = ["git", "-c", "user.name=校务测试", "-c", "user.email=clerk@example.invalid", "-c", "commit.gpgsign=false"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EditorSession:
    """Temporary repository + built site + local proxy + loopback web server (a context manager)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = root / "repo"
        self.proxy_port = free_port()
        self.proxy: subprocess.Popen[bytes] | None = None
        self.server: ThreadingHTTPServer | None = None
        self.site_url = ""

    def __enter__(self) -> EditorSession:
        self.repo.mkdir(parents=True)
        for name in ("docs", "schools"):
            shutil.copytree(REPO / name, self.repo / name)
        shutil.copy(REPO / "mkdocs.yml", self.repo / "mkdocs.yml")
        self.git("init", "-q", "-b", "main")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "示例资料")
        self.build_site()
        self.start_proxy()
        handler = functools.partial(_Quiet, directory=str(self.root / "site"))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.site_url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
        if self.proxy:
            self.proxy.terminate()
            self.proxy.wait(timeout=30)

    def git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run([*GIT, *args], cwd=cwd or self.repo, capture_output=True, text=True, check=True)
        return done.stdout

    def env(self) -> dict[str, str]:
        return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1",
                "XIAOWU_EDITOR_PORT": str(self.proxy_port), "XIAOWU_EDITOR_MODULES": str(MODULES)}

    def build_site(self) -> None:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(self.root / "site")],
                              cwd=self.repo, capture_output=True, text=True, timeout=900, env=self.env())
        if done.returncode != 0 or not (self.root / "site" / "admin" / "config.yml").is_file():
            raise RuntimeError(f"site build failed:\n{done.stderr}")

    def start_proxy(self) -> None:
        env = {**os.environ, "BIND_HOST": "127.0.0.1", "PORT": str(self.proxy_port), "MODE": "git",
               "GIT_REPO_DIRECTORY": str(self.repo), "LOG_LEVEL": "info",
               "GIT_AUTHOR_NAME": "校务测试", "GIT_AUTHOR_EMAIL": "clerk@example.invalid",
               "GIT_COMMITTER_NAME": "校务测试", "GIT_COMMITTER_EMAIL": "clerk@example.invalid"}
        server = MODULES / "decap-server" / "dist" / "index.js"
        with open(self.root / "proxy.log", "wb") as log:  # the proxy's own messages, for a failing test
            self.proxy = subprocess.Popen(["node", str(server)], env=env, cwd=self.repo, stdout=log, stderr=log)
        for _ in range(300):  # up to 30 s for node to start on a busy machine
            try:
                request = urllib.request.Request(self.proxy_url, data=b'{"action":"info"}',
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=2) as answer:
                    if json.load(answer).get("type") == "local_git":
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("decap-server did not start")

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}/api/v1"

    @property
    def admin_url(self) -> str:
        return self.site_url + "admin/"

    def branch_file(self, branch: str, path: str, timeout: float = 60) -> str:
        """The file as committed on ``branch`` (waits for the proxy's commit to land)."""
        for _ in range(int(timeout * 10)):  # the proxy makes the branch first, then commits on it
            shown = subprocess.run([*GIT, "show", f"{branch}:{path}"], cwd=self.repo, capture_output=True, text=True)
            if shown.returncode == 0:
                return shown.stdout
            time.sleep(0.1)
        raise AssertionError(f"no branch {branch} after {timeout} s: {self.git('branch', '-a')}")


# -- Driving the form (Decap CMS gives every input the id "<field name>-field-<n>") ------------------

def field(page: Any, name: str, nth: int = -1) -> Any:
    return page.locator(f'input[id^="{name}-field-"], textarea[id^="{name}-field-"]').nth(nth)


def fill(page: Any, name: str, value: str, nth: int = -1) -> None:
    field(page, name, nth).fill(value)


def choose(page: Any, name: str, text: str, nth: int = -1) -> None:
    """Pick the option of a select whose label contains ``text`` (type to filter, Enter to take)."""
    box = field(page, name, nth)
    box.click()
    box.press_sequentially(text)
    page.keyboard.press("Enter")


def add(page: Any, label: str) -> None:
    """Press "新增<label>" (the last such button: the innermost list just opened)."""
    page.get_by_role("button", name=re.compile(f"^新增{re.escape(label)}")).last.click()


def login(page: Any, session: EditorSession) -> None:
    page.goto(session.admin_url)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("学校资料").first.wait_for()


def screenshots(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, EditorSession(Path(tmp)) as session, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        login(page, session)
        page.goto(session.admin_url + "#/collections/qingshi/entries/qingshi-00003")
        field(page, "amount", 0).wait_for()
        page.wait_for_timeout(500)  # let the preview pane draw before the picture
        page.screenshot(path=str(out / "editor.png"))
        page.goto(session.admin_url + "#/collections/qingshi/new")
        fill(page, "office_phone", "5270681")
        page.get_by_role("button", name="保存").click()
        page.get_by_text("电话号码格式不对").first.wait_for()
        field(page, "office_phone").evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(out / "editor-error.png"))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="folder for the pictures (default: scripts/screenshots and, for the "
                        "clerk guide, docs/assets/clerks)")
    out = parser.parse_args().out
    screenshots(out or SHOTS)
    if out is None:
        GUIDE_SHOTS.mkdir(parents=True, exist_ok=True)
        for name in NAMES:
            shutil.copyfile(SHOTS / name, GUIDE_SHOTS / name)


if __name__ == "__main__":
    main()
