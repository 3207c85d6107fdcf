"""Shared set-up for the browser tests: Debian's Chromium driven by Playwright, and a local server.

The test command installs /usr/bin/chromium (Playwright's own browser download does not work here).
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


REPO = Path(__file__).resolve().parents[1]
#: The build day of the example site in these tests: 2026-11-21 (late refunds, rectifications and settlements).
EPOCH = "1795219200"


def build_example(project: Path) -> Path:
    """The example site built in ``project`` from a copy of the repository's docs, schools and mkdocs.yml."""
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site")], cwd=project,
                          capture_output=True, text=True, timeout=900, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr
    return project / "site"


def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, for as long as the generator is open."""
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: the test command installs it (scripts/test.sh)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free loopback port for as long as the generator is open; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
