# A preview's own way through `mkdocs serve`: its server (the data folder watched, the findings added
# to each page as it is sent) and the narrow rebuild.
#
# The narrow rebuild (README "Fast builds"). When nothing but school files changed since the
# last rebuild of `mkdocs serve`, MkDocs' own steps (listing the files, the menu, a File and a Page
# object for every page, emptying the site folder, copying the theme's files, the sitemap) would give
# the very same result, so the plugin runs only its own: the check, the model, the pages whose parts
# changed, and MkDocs' own pages again (they show figures of every school) through MkDocs' own page
# functions. Which files changed is told by their size, times, inode and kind (a stat is cheap), and
# the check trusts that: it reads only the changed files and uses its last walk of the folder again.
# A file with errors changes no page at all: the preview keeps showing the last good site, and the
# server adds the findings to each page it sends (serve.Overlay).
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.utils import get_build_date

from xiaowu.check.run import Since
from xiaowu.fastpages import FastPages
from xiaowu.pages.reference import format_page, rules_page
from xiaowu.pages.render import Renderer
from xiaowu.publish.build import Build
from xiaowu.serve import Overlay, ServeMemory
from xiaowu.watch import DataWatch, Stamp, stamps, watch_data

log = logging.getLogger("mkdocs.plugins.xiaowu")

#: Events of other plugins (or hooks) that a narrow rebuild would not run: with any, every rebuild is MkDocs' own.
BUILD_EVENTS = ("serve", "pre_build", "files", "nav", "env", "post_build", "pre_template", "template_context",
                "post_template", "pre_page", "page_markdown", "page_content", "page_context", "post_page")
_YAML = (".yml", ".yaml")
#: Generated pages whose Markdown is the same for every site (the data format, the rule catalogue):
#: a narrow rebuild leaves them as they are.
STATIC_PAGES = {"format.md": format_page, "rules.md": rules_page}
#: A file written this close before a snapshot may be written again within the same tick of the
#: file system's clock, keeping its size and times ("racy" in git's words): it counts as changed.
#: Linux stamps a local file's times from a clock that ticks every few milliseconds; a file whose
#: time is a whole second comes from a file system that keeps whole (FAT: even) seconds.
RACY_NS, RACY_COARSE_NS = 50_000_000, 2_000_000_000

try:  # MkDocs' own reading and writing of a page; without them (another MkDocs), no narrow rebuild
    from mkdocs.commands.build import _build_page, _populate_page
except ImportError:  # pragma: no cover - depends on the MkDocs release
    _build_page = _populate_page = None  # type: ignore[assignment]


def school_file(path: str, data_dir: str, docs_dir: str) -> bool | None:
    """Whether ``path`` is a school file of ``data_dir`` (a YAML file inside a county's folder, and
    not among the pages); None for a file the check leaves out (a README); False for anything else
    (the bureau's files too)."""
    relative = os.path.relpath(path, data_dir).split(os.sep)
    if relative[0] == os.pardir or not os.path.relpath(path, docs_dir).startswith(os.pardir):
        return False
    if relative[-1].lower().startswith("readme."):
        return None
    return len(relative) > 1 and relative[-1].endswith(_YAML)


class Narrow:
    """State by nature (one per `mkdocs serve`): what the last rebuild was made from, and whether it
    may be followed by a narrow one (``ready``: set when its pages were written from shells and kept);
    ``narrowing`` while a narrow one writes its pages; how the data folder is watched (watch_data);
    how the findings are shown (``overlay``: by the server; None, in every page)."""

    __slots__ = ("config", "roots", "data", "taken", "taken_at", "ready", "day", "narrowing", "watching", "overlay")

    def __init__(self) -> None:
        self.config: MkDocsConfig | None = None
        self.roots: tuple[str, ...] = ()
        self.data, self.day = "", ""
        self.taken: dict[str, Stamp] = {}
        self.taken_at, self.ready, self.narrowing = 0, False, False
        self.watching: DataWatch | None = None
        self.overlay: Overlay | None = None  # the findings added to each page as the server sends it

    def begin(self, config: MkDocsConfig, data_dir: str) -> None:
        """First thing in every whole rebuild: what it is made from (taken before it reads any of it)."""
        self.config, self.ready, self.data = config, False, os.path.abspath(data_dir)
        self.roots = (config.docs_dir, config.config_file_path or "", *config.theme.dirs, *config.watch, self.data)
        self.taken_at, self.taken, self.day = time.time_ns(), stamps(self.roots), get_build_date()

    def plan(self) -> tuple[tuple[int, dict[str, Stamp]], list[str], Since] | None:
        """The files now, the school files changed since the last rebuild, and what the check may
        trust of the rest (Since), when nothing else changed that the last rebuild was made from
        and no file was added, removed or changed kind (no school file at all: nothing to rebuild);
        None: MkDocs' whole rebuild."""
        if not self.ready or _populate_page is None or get_build_date() != self.day \
                or not type(self.config).__module__.startswith("mkdocs."):  # (ProperDocs: its own functions)
            return None
        now_at, now = time.time_ns(), stamps(self.roots)
        taken = self.taken
        differ = {path for path in now.keys() | taken.keys() if now.get(path) != taken.get(path)}
        racy = [path for path, st in now.items()  # the same stamps, but perhaps not the same bytes
                if st[1] >= self.taken_at - (RACY_COARSE_NS if st[1] % 1_000_000_000 == 0 else RACY_NS)]
        changed = sorted(differ.union(racy))
        docs = os.path.abspath(self.config.docs_dir if self.config is not None else "")
        kinds = [school_file(path, self.data, docs) for path in changed]
        schools = [path for path, kind in zip(changed, kinds) if kind]
        if not schools and False not in kinds:  # nothing the site is made from (a hidden file, a README)
            return (now_at, now), [], Since(frozenset())
        if False in kinds or not schools or any(path not in now or path not in taken or now[path][4:] != taken[path][4:]
                                               for path in schools):
            return None  # a bureau file, a page, the config, a folder; a school added, removed or made a link
        return (now_at, now), [path for path in schools if path in differ] or schools, Since(frozenset(schools))

    def done(self, now: tuple[int, dict[str, Stamp]]) -> None:
        (self.taken_at, self.taken), self.ready = now, True

    def unwatch(self) -> None:
        if self.watching is not None:
            self.watching.stop()
            self.watching = None


class Steps(Protocol):
    """The plugin, as a narrow rebuild sees it."""

    narrow: Narrow
    memory: ServeMemory
    fast: FastPages | None
    renderer: Renderer | None
    files: Files
    nav: Navigation
    context: tuple[Any, ...]  # what every school page shows besides its file: bureau files, day (third), addresses

    def check(self, config: MkDocsConfig, since: Since | None = None) -> Build: ...
    def use(self, config: MkDocsConfig, done: Build) -> None: ...


def serve(steps: Steps, server: Any, builder: Callable[[], Any], data: str, strict: Callable[[], bool]) -> None:
    """A preview's server: the data folder watched through the system's events (watch.py), the findings
    added to each page as it is sent (serve.Overlay; the first build's pages show its findings
    themselves), and its builder, which it looks up at each change, replaced by one that rebuilds
    narrowly when it can and runs MkDocs' whole build otherwise."""
    steps.narrow.watching = watch_data(server, data)
    steps.narrow.overlay = Overlay.install(server)

    def rebuild_or_whole() -> None:
        plan = steps.narrow.plan()
        if plan is None or not rebuild(steps, strict(), *plan):
            builder()
    server.builder = rebuild_or_whole


def rebuild(steps: Steps, strict: bool, now: tuple[int, dict[str, Stamp]], changed: list[str], since: Since) -> bool:
    """The narrow rebuild, after ``Narrow.plan`` (nothing at all when nothing changed); False (before
    any page is written, or after a failure that leaves nothing kept) when MkDocs' whole rebuild must follow."""
    config, fast, last, memory = steps.narrow.config, steps.fast, steps.renderer, steps.memory
    if not changed:  # (the watcher saw a hidden file, a README, a folder's times)
        log.info("预览：网站用到的文件都没有改动，不必重新生成。")
        return True
    if config is None or fast is None or last is None:
        return False
    started, steps.narrow.ready = time.monotonic(), False  # until this one's pages are written
    memory.behind.cancel()
    done = steps.check(config, since)
    if done.failed(strict or bool(config.strict)) and (steps.narrow.overlay is None or config.strict):
        return False  # the whole rebuild writes the findings into every page (`mkdocs serve --strict`: stops)
    if done.result.today != steps.context[2]:
        return False  # a new day
    steps.use(config, done)
    renderer = steps.renderer
    assert renderer is not None
    if renderer.site is last.site:  # errors: the last good site stays as it is, the server shows the findings
        memory.behind.resume()
        steps.narrow.done(now)
        log.info(f"预览：资料有错误，页面仍是上一次正确的资料，只更新了每页顶部的问题列表，用时 {time.monotonic() - started:.2f} 秒。")
        return True
    same: list[Any] = []  # the pages and papers of schools whose page model is the very same: unchanged
    new: list[Any] = []  # those of schools with a new model (the county pages, which list schools, are in neither)
    for file in fast.files:
        school = renderer.shows(file.src_uri)
        if school is not None:
            (same if school is last.shows(file.src_uri) else new).append(file)
    if renderer.sources() != last.sources() or not fast.again([f.page for f in new if f.page]):
        return False
    try:
        mkdocs_pages(config, steps.files, steps.nav, fast.theme_env[0])
        memory.kept.stay(config.site_dir, frozenset(f.dest_uri for f in same))
        steps.narrow.narrowing = True
        config.plugins.on_post_build(config=config)  # the plugin's alone (BUILD_EVENTS)
    except Exception:
        memory.kept.drop(config.site_dir)  # nothing of this rebuild is trusted by the whole one that follows
        log.exception("预览：只重新生成改动的页面时出错，改为完整重新生成。")
        return False
    finally:
        steps.narrow.narrowing = False
    steps.narrow.done(now)
    log.info(f"预览：只有 {len(changed)} 个学校资料文件改动，只重新生成了有关的页面，用时 {time.monotonic() - started:.2f} 秒。")
    return True


def mkdocs_pages(config: MkDocsConfig, files: Files, nav: Navigation, env: Environment) -> int:
    """MkDocs' own pages read and written again as its build does (its page functions, every plugin's
    page events; ``docs`` as its build gives them to the theme), but for STATIC_PAGES; the pages
    written from shells are out of its writing (InclusionLevel.EXCLUDED). How many were written."""
    docs: Sequence[Any] = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    again = [file for file in docs if file.src_uri not in STATIC_PAGES or file.generated_by is None]
    for file in again:
        _populate_page(file.page, config, files)
    for file in again:
        _build_page(file.page, config, docs, nav, env, excluded=file.inclusion.is_excluded())
    return len(again)
