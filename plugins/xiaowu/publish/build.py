# One way from a data folder to a site: check every file, then build the public model.
#
# `xiaowu export` and the MkDocs plugin both call build(), so the pages and the exports come from the
# same checked data by the same steps. Also the small pieces both need (where the repository shows a
# file, which hand-written pages exist). Nothing here imports MkDocs.
from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin

from xiaowu.check.project import ProjectResult, check_project
from xiaowu.check.run import CheckCache
from xiaowu.pages.site import Made, Site, build_site
from xiaowu.pages.urls import Urls
from xiaowu.publish.audit import account
from xiaowu.publish.exports import exports
from xiaowu.publish.files import Content, OutputBusy, exclusive, write_files
from xiaowu.publish.search import build_index
from xiaowu.publish.tables import Tables
from xiaowu.read.history import last_changed

T = TypeVar("T")

# How hosts name the "view file" page next to their "edit file" page.
_VIEW = (("/-/edit/", "/-/blob/"), ("/_edit/", "/src/branch/"), ("/edit/", "/blob/"))


@dataclass(frozen=True)
class Build:
    result: ProjectResult
    #: The public model: schools with errors are left out (a publishing build refuses to run with any).
    site: Site
    #: The open-data tables of this site, each built once (for the CSV files, the data page, the audit).
    tables: Tables

    def failed(self, strict: bool = False) -> bool:
        return self.result.failed(strict)


@dataclass(frozen=True)
class Remembered:
    """What a preview keeps between rebuilds so that unchanged files are neither checked nor modelled again."""

    checks: CheckCache
    made: Made


def build(data_dir: Path, root: Path, *, today: date, directory_urls: bool = True,
          cache: Remembered | None = None, jobs: int | None = None) -> Build:
    """Check ``data_dir`` and build the site model; ``root`` is the repository (for file history)."""
    checks = cache.checks if cache is not None else None
    result = check_project(data_dir, today=today, jobs=jobs, cache=checks)
    prefix = Path(os.path.relpath(data_dir.resolve(), root.resolve())).as_posix()
    # A school page depends on its file's result and on these (the bureau's files by their digest).
    made = (cache.made, (cache.checks.policy_key, result.oversight.digest, today, directory_urls, prefix)) \
        if cache is not None else None
    site = build_site(result, Urls(directory_urls), prefix, last_changed(root, prefix), made)
    return Build(result, site, Tables(site))


def export_to(out: Path, tables: Tables, site_url: str, handwritten: list[str]) -> int | None:
    """Write the open-data files into ``out`` (each file whole, see publish.files.write_files); the
    number written, or None when another export is writing there (then nothing is written)."""
    try:
        with exclusive(out):
            return write_files(out, exports(tables, site_url, handwritten))
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


@dataclass(frozen=True)
class Finished:
    summary: str
    #: Why the built site cannot be published (empty when it can).
    problems: tuple[str, ...]


class Stop:
    """The switch of a finish running behind a preview: set when a newer build begins; the exports stop
    between two files (nothing of them is swapped in) and the search indexer is killed."""

    __slots__ = ("event", "processes")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.processes: list[subprocess.Popen[str]] = []

    def __call__(self) -> bool:
        return self.event.is_set()

    def started(self, process: subprocess.Popen[str]) -> None:
        self.processes.append(process)
        if self.event.is_set():
            process.kill()

    def set(self) -> None:
        self.event.set()
        for process in self.processes:
            process.kill()


class Stopped(Exception):
    """A finish stopped by its switch."""


def _until(stop: Stop, files: Iterator[tuple[str, Content]]) -> Iterator[tuple[str, Content]]:
    """The files, stopped between them and between the pieces of one (a province's fee table or
    schools.json takes seconds to write: a newer rebuild of a preview does not wait for its end)."""
    for path, content in _checked(stop, files):
        yield path, content if isinstance(content, bytes) else _checked(stop, content)


def _checked(stop: Stop, items: Iterable[T]) -> Iterator[T]:
    """``items`` one by one, Stopped raised before the next once ``stop`` is set."""
    for item in items:
        if stop():
            raise Stopped
        yield item


@dataclass(frozen=True)
class Finishing:
    """How a finish runs: ``stop`` (behind a preview: return early, with no summary and no problem,
    once it is set); ``staged``, the pages already given to the search indexer (publish.search.
    build_index); ``meanwhile``, the site's other files, written while the index is made; ``blocks``,
    the stage's files not written yet (path, bytes: a preview writes them here, behind its pages)."""

    stop: Stop | None = None
    staged: frozenset[str] = frozenset()
    meanwhile: Callable[[], None] | None = None
    blocks: tuple[tuple[str, bytes], ...] = ()


def finish(tables: Tables, site_dir: Path, site_url: str, handwritten: list[str], how: Finishing = Finishing()
           ) -> Finished:
    """After the pages are written: the exports (and ``how.meanwhile``) while the search index is
    made, then an account of every file."""
    files = exports(tables, site_url, handwritten)
    stop, staged, meanwhile = how.stop, how.staged, how.meanwhile

    def other_files() -> None:
        write_files(site_dir, files if stop is None else _until(stop, iter(files)))
        if meanwhile is not None and not (stop is not None and stop()):
            meanwhile()
    try:
        index = build_index(site_dir, staged, stop, other_files, how.blocks)
    except Stopped:
        return Finished("", ())
    if stop is not None and stop():
        return Finished("", ())
    if not index.ok:
        return Finished("", (f"搜索索引生成失败：{index.output.strip()[-2000:]}",))
    report = account(tables, site_dir, index.pages)
    return Finished(report.summary, report.problems)
