#!/usr/bin/env python3
"""Screenshots of a school page on a phone (360 px) and a desktop (1280 px), for the README.

    .venv/bin/python scripts/screenshots.py                  # writes scripts/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots

Builds the example site into a temporary folder (the date fixed by SOURCE_DATE_EPOCH, so the pictures
only change when the pages do), serves it on a loopback port and photographs it with Debian's
Chromium through Playwright (installed by scripts/setup-browser.sh, which the test command runs).
"""
from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SCHOOL = "schools/qingshi/qingshi-00003/"
#: (file name, viewport width, viewport height, device pixel ratio, phone?)
SHOTS = (("school-phone.png", 360, 740, 2, True), ("school-desktop.png", 1280, 800, 1, False))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def build(project: Path) -> Path:
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795219200", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")], cwd=project,
                   check=True, env=env)
    return project / "site"


def photograph(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{SCHOOL}"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for name, width, height, scale, phone in SHOTS:
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                              is_mobile=phone, has_touch=phone, locale="zh-CN")
                page = context.new_page()
                page.goto(url)
                page.screenshot(path=str(out / name))
                written.append(out / name)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "scripts" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        for path in photograph(build(Path(temporary)), args.out):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
