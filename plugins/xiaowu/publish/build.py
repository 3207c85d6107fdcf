# One way from a data folder to a site: check every file, then build the public model.
#
# `xiaowu export` and the MkDocs plugin both call build(), so the pages and the exports come from the
# same checked data by the same steps. Also the small pieces both need (where the repository shows a
# file, which hand-written pages exist). Nothing here imports MkDocs.
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from xiaowu.publish.files import OutputBusy, account, exclusive, write_files
from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.publish.exports import exports
from xiaowu.read.history import last_changed
from xiaowu.check.project import CheckCache, ProjectResult, check_project
from xiaowu.pages.render import Rendered, Renderer
from xiaowu.publish.search import build_index
from xiaowu.pages.site import Site, build_site
from xiaowu.pages.urls import Urls

# How hosts name the "view file" page next to their "edit file" page.
_VIEW = (("/-/edit/", "/-/blob/"), ("/_edit/", "/src/branch/"), ("/edit/", "/blob/"))


@dataclass(frozen=True)
class Build:
    result: ProjectResult
    #: The public model: schools with errors are left out (a publishing build refuses to run with any).
    site: Site

    def failed(self, strict: bool = False) -> bool:
        return self.result.failed(strict)


def build(data_dir: Path, root: Path, *, today: date, directory_urls: bool = True,
          cache: CheckCache | None = None, jobs: int | None = None) -> Build:
    """Check ``data_dir`` and build the site model; ``root`` is the repository (for file history)."""
    result = check_project(data_dir, today=today, jobs=jobs, cache=cache)
    prefix = Path(os.path.relpath(data_dir.resolve(), root.resolve())).as_posix()
    return Build(result, build_site(result, Urls(directory_urls), prefix, last_changed(root, prefix)))


def export_to(out: Path, site: Site, site_url: str, handwritten: list[str]) -> int | None:
    """Write the open-data files into ``out`` (each file whole, see accounting.write_files); the
    number written, or None when another export is writing there (then nothing is written)."""
    try:
        with exclusive(out):
            return write_files(out, exports(site, site_url, handwritten))
    except OutputBusy:
        return None


def handwritten_pages(docs: Path) -> list[str]:
    """The Markdown pages of a docs folder, as MkDocs names them (hidden folders left out)."""
    if not docs.is_dir():
        return []
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                  if not any(part.startswith(".") for part in p.relative_to(docs).parts))


def source_template(repo_url: str | None, edit_uri: str | None, root: Path, docs_dir: str) -> str:
    """The URL where the repository shows a file ``{path}`` (from MkDocs' repo_url and edit_uri), or "".

    >>> source_template("https://github.com/a/b", "edit/main/docs/", Path("/r"), "/r/docs")
    'https://github.com/a/b/blob/main/{path}'
    """
    if not repo_url or not edit_uri or edit_uri.startswith(("?", "#")):
        return ""
    up = Path(os.path.relpath(root, docs_dir)).as_posix()
    edit = urljoin(repo_url.rstrip("/") + "/", edit_uri + up + "/") + "{path}"
    for before, after in _VIEW:
        if before in edit:
            return edit.replace(before, after, 1)
    return edit


@dataclass
class ServeMemory:
    """What survives between rebuilds of one `mkdocs serve`: per-file check results, QR codes and
    rendered school pages, all keyed so that any change invalidates."""

    checks: CheckCache = field(default_factory=CheckCache)
    qr: dict[str, str] = field(default_factory=dict)
    #: The last site model built from data without errors: what the preview keeps showing while a
    #: clerk's file has errors (with the errors on every page).
    last_good: Site | None = None
    #: site_url as mkdocs.yml gives it (`mkdocs serve` replaces config.site_url with its own address).
    public_url: str | None = None
    pages: dict[str, tuple[tuple[Any, ...], Rendered]] = field(default_factory=dict)

    def keep(self, done: Build, strict: bool) -> tuple[Site, list[Diagnostic]]:
        """The site the preview shows, and the findings to show on every page.

        A file with errors must not take the preview down: the last good site is kept, with every
        finding that stops publishing on every page, until the clerk fixes it (on the very first
        build, the schools without errors)."""
        if not done.failed(strict):
            self.last_good = done.site
            return done.site, []
        problems = [d for d in done.result.diagnostics if d.blocking or strict]
        return (self.last_good or done.site), problems

    def content(self, renderer: Renderer, src: str, url: str, html: str, context: tuple[Any, ...] | None,
                problems: list[Diagnostic]) -> tuple[Rendered, list[str]]:
        """A page's HTML after Markdown: a generated page rendered (reused while serving, when
        ``context`` is given), or a hand-written one with its markers filled; the preview's panel of
        problems on top of either. Also the names of unknown markers."""
        panel = renderer.problems(problems) if problems else ""
        if not renderer.generates(src):
            filled, unknown = renderer.fill_markers(html, url)
            return Rendered(panel + filled), unknown
        rendered = self.page(renderer, src, url, context) if context is not None else renderer.render(src, url)
        return Rendered(panel + rendered.html, rendered.toc), []

    def page(self, renderer: Renderer, src: str, url: str, context: tuple[Any, ...]) -> Rendered:
        """A school page is reused between rebuilds while its file and ``context`` (policy, day,
        addresses) are the same; any other page is rendered afresh."""
        school = renderer.by_src.get(src)
        if school is None:
            return renderer.render(src, url)
        key = (self.checks.stamp(school.result.file), url, *context)
        cached = self.pages.get(src)
        if cached is None or cached[0] != key or key[0] is None:
            cached = (key, renderer.render(src, url))
            self.pages[src] = cached
        return cached[1]


@dataclass(frozen=True)
class Finished:
    summary: str
    #: Why the built site cannot be published (an empty list when it can).
    problems: list[str]


def finish(site: Site, site_dir: Path, site_url: str, handwritten: list[str]) -> Finished:
    """After the pages are written: the exports, the search index, and an account of every file."""
    write_files(site_dir, exports(site, site_url, handwritten))
    index = build_index(site_dir)
    if not index.ok:
        return Finished("", [f"搜索索引生成失败：{index.output.strip()[-2000:]}"])
    report = account(site, site_dir, index.pages)
    return Finished(report.summary, list(report.problems))
