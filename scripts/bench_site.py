#!/usr/bin/env python3
"""What a phone downloads: search bytes per query and the weight of a school page, at scale.

For each size it generates that many schools, builds the site (timing it), serves it from a local
server that compresses text the way a normal web server does (gzip for HTML/CSS/JS/JSON; Pagefind's
own files are already compressed), and replays a fixed list of queries in Debian's Chromium, each in a
fresh browser profile (cold cache, the worst case). It prints one JSON line per measurement and a
summary table.

    python scripts/bench_site.py --sizes 600 20000
"""
from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from collections.abc import Iterator

REPO = Path(__file__).resolve().parents[1]
QUERIES = ["柳湾小学", "青石县城关幼儿园", "住宿费", "课后服务", "伙食费", "教辅材料费", "白河县", "保教费 民办"]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv")


class Compressing(SimpleHTTPRequestHandler):
    """gzip for text, as nginx's `gzip on` would; everything else as is."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def serve(root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Compressing, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def build(size: int, work: Path) -> tuple[Path, dict[str, Any]]:
    project = work / f"site-{size}"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    subprocess.run([sys.executable, str(REPO / "scripts" / "generate_example.py"), "--schools", str(size),
                    "--out", str(project / "schools")], check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1795219200"})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    index = sum(f.stat().st_size for f in (project / "site" / "pagefind").rglob("*") if f.is_file())
    return project / "site", {"build_s": round(seconds, 1), "build_peak_mb_upper_bound": round(peak),
                              "pagefind_bytes_on_disk": index}


def measure(site: Path, size: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, Any]] = []
    school = sorted((site / "schools" / "qingshi").glob("qingshi-*/index.html"))[0].parent
    school_url = school.relative_to(site).as_posix() + "/"
    for base in serve(site):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for query in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                page.goto(base)
                page.wait_for_load_state("networkidle")
                fetched: list[Any] = []
                page.on("requestfinished", lambda request: fetched.append(request))
                page.fill("#xw-q", query)
                page.wait_for_selector(".xw-search-status:not(:empty):not(:has-text('正在查找'))", timeout=120_000)
                page.wait_for_load_state("networkidle")
                status = page.locator(".xw-search-status").inner_text()
                transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in fetched)
                rows.append({"schools": size, "query": query, "kb": round(transferred / 1024, 1),
                             "requests": len(fetched), "status": status})
                context.close()
            context = browser.new_context()
            page = context.new_page()
            fetched = []
            page.on("requestfinished", lambda request: fetched.append(request))
            page.goto(base + school_url)
            page.wait_for_load_state("networkidle")
            html = next(r for r in fetched if r.url.endswith(school_url))
            rows.append({"schools": size, "page": school_url,
                         "html_kb": round((school / "index.html").stat().st_size / 1024, 1),
                         "html_transfer_kb": round(html.sizes()["responseBodySize"] / 1024, 1),
                         "total_transfer_kb": round(sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
                                                        for r in fetched) / 1024, 1),
                         "requests": len(fetched)})
            context.close()
            browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 20000])
    parser.add_argument("--work", type=Path, default=None, help="where to build (default: a temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="xiaowu-bench-"))
    summary = []
    for size in args.sizes:
        site, info = build(size, work)
        print(json.dumps({"schools": size, **info}, ensure_ascii=False), flush=True)
        rows = measure(site, size)
        for row in rows:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        queries = [r["kb"] for r in rows if "query" in r]
        summary.append((size, max(queries), sorted(queries)[len(queries) // 2], rows[-1], info))
    print()
    print("| schools | search KB per query (median / max) | school page HTML (raw / gzip) | school page total transfer | build |")
    print("| --- | --- | --- | --- | --- |")
    for size, worst, median, page, info in summary:
        print(f"| {size:,} | {median} / {worst} | {page['html_kb']} KB / {page['html_transfer_kb']} KB | "
              f"{page['total_transfer_kb']} KB ({page['requests']} requests) | {info['build_s']} s |")


if __name__ == "__main__":
    main()
