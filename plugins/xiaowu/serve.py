# What `mkdocs serve` keeps between rebuilds (adapter state, kept out of the core): per-file check
# results, QR codes and rendered school pages, all keyed so that any change invalidates; and the
# last good site, shown with the findings while a clerk's file has errors.
from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from xiaowu.check.run import CheckCache
from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.pages.render import Rendered, Renderer
from xiaowu.pages.shell import Shell
from xiaowu.pages.site import Made, Site
from xiaowu.publish.build import Build, Remembered, Stop
from xiaowu.publish.keep import Kept


class ServeMemory:
    """State by nature (it lives as long as one `mkdocs serve`), so a plain class, not a record."""

    __slots__ = ("checks", "remembered", "qr", "last_good", "public_url", "pages", "behind", "shells", "kept", "templates",
                 "papers")

    def __init__(self) -> None:
        self.checks = CheckCache()
        #: The checks and the school pages' models of the last rebuild (publish.build.build).
        self.remembered = Remembered(self.checks, Made())
        self.qr: dict[str, str] = {}
        #: The last site model built from data without errors: what the preview keeps showing while a
        #: clerk's file has errors (with the errors on every page).
        self.last_good: Site | None = None
        #: site_url as mkdocs.yml gives it (`mkdocs serve` replaces config.site_url with its own address).
        self.public_url: str | None = None
        self.pages: dict[str, tuple[tuple[Any, ...], str, Rendered]] = {}
        #: What a rebuild finishes after its pages are served (exports, search index, editor).
        self.behind = Behind()
        #: The shells of the theme by kind of page (fastpages.FastPages.known), tried again next rebuild.
        self.shells: dict[tuple[Any, ...], Shell] = {}
        #: The pages written from shells, kept through MkDocs' cleaning of the site folder.
        self.kept = Kept()
        self.templates = Templates()
        #: Each school's papers by page model (pages.render.Renderer's papers_cache).
        self.papers: dict[int, Any] = {}

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
        if context is None:
            rendered = renderer.render(src, url)
            return Rendered(panel + rendered.html, rendered.toc), []
        return self.page(renderer, src, url, context, panel), []

    def page(self, renderer: Renderer, src: str, url: str, context: tuple[Any, ...], panel: str = "") -> Rendered:
        """A school page or paper (``panel`` on top) is reused between rebuilds while the school's file
        and ``context`` (policy, oversight, day, addresses) are the same, and a county's pages while
        they list the same schools (the very same page models, pages.site.Made) with the same statuses:
        the very same text object, so that the page writer can tell an unchanged page at once
        (publish/keep.py); any other page is rendered afresh."""
        paper = renderer.papers.get(src)
        school = renderer.by_src.get(src) or (paper.school if paper is not None else None)
        county = renderer.counties.get(src) or renderer.compliance_counties.get(src)
        if school is not None:
            key: tuple[Any, ...] | None = (self.checks.stamp(school.result.file), url, *context)
        elif county is not None:  # besides its schools: every county's name (table cells keep them whole)
            key = (county, renderer.whole.pattern, url, *context)
        else:
            key = None
        if key is None or key[0] is None:
            rendered = renderer.render(src, url)
            return Rendered(panel + rendered.html, rendered.toc)
        cached = self.pages.get(src)  # (key, panel, the page with the panel on top): one copy of the text
        if cached is None or cached[0] != key:
            rendered = renderer.render(src, url)
            cached = (key, panel, Rendered(panel + rendered.html, rendered.toc))
        elif cached[1] != panel:  # the same page under other problems
            last = cached[2]
            cached = (key, panel, Rendered(panel + last.html[len(cached[1]):], last.toc))
        self.pages[src] = cached
        return cached[2]


class Templates(BytecodeCache):
    """The theme's templates compiled once per preview (MkDocs makes a new Jinja environment for every
    rebuild, which compiled them all again). Jinja compiles a template again when its source changed
    (it compares a checksum of the source); compiled code is only given to an environment that
    compiles the same way as the one that made it: the same extensions, delimiters, whitespace and
    escaping settings, and the very same filter and test functions (Jinja runs a filter on constant
    arguments while compiling and keeps the result in the code)."""

    def __init__(self) -> None:
        self.code: dict[str, tuple[tuple[Any, ...], bytes]] = {}

    def use(self, env: Environment) -> None:
        env.bytecode_cache = self

    def load_bytecode(self, bucket: Bucket) -> None:
        entry = self.code.get(bucket.key)
        if entry is not None and entry[0] == _compiles(bucket.environment):
            bucket.bytecode_from_string(entry[1])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (_compiles(bucket.environment), bucket.bytecode_to_string())


def _compiles(env: Environment) -> tuple[Any, ...]:
    """Everything of an environment that its compiled code depends on."""
    return (tuple(sorted(env.extensions)), env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
            env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
            env.keep_trailing_newline, env.optimized, env.is_async, env.autoescape, env.finalize, env.undefined,
            env.template_class, getattr(env, "newstyle_gettext", None),
            tuple(sorted((name, id(f)) for name, f in env.filters.items())),
            tuple(sorted((name, id(f)) for name, f in env.tests.items())))


class Behind:
    """One job at a time behind the preview, in a thread: started when a rebuild's pages are written,
    stopped (its switch set, the thread joined) before the next rebuild cleans the site folder; a job
    that ran to its end is followed by a tidying of memory (``tidy``): a light one after a narrow
    rebuild (``light``), a full one after MkDocs' whole rebuild or once the objects left out of the
    collector's scans have grown by FULL_AFTER since the last full one."""

    __slots__ = ("thread", "stop", "frozen", "last")

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.stop = Stop()
        self.frozen = 0  # objects left out of the collector's scans after the last full tidying
        self.last: tuple[Callable[[Stop], None], bool] | None = None  # the job last started, until it ran to its end

    def run(self, job: Callable[[Stop], None], light: bool = False) -> None:
        self.cancel()
        self.stop, self.last = Stop(), (job, light)
        self.thread = threading.Thread(target=self._then_tidy, args=(job, self.stop, light), name="xiaowu-finish",
                                       daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def resume(self) -> None:
        """The last job started again if it was stopped before its end (by a rebuild that then changed
        nothing it is made from)."""
        if self.last is not None:
            self.run(*self.last)

    def _then_tidy(self, job: Callable[[Stop], None], stop: Stop, light: bool) -> None:
        try:
            job(stop)
        finally:  # (a job that failed is not started again: it would fail again)
            if not stop():
                self.last = None
        if stop():
            return
        tidy(light)
        if light and gc.get_freeze_count() > self.frozen * (1 + FULL_AFTER):
            tidy()  # cycles that became garbage among what was left out are freed now and then
            light = False
        if not light:
            self.frozen = gc.get_freeze_count()


#: A light tidying is followed by a full one once the frozen objects grew by this share.
FULL_AFTER = 0.05


def tidy(light: bool = False) -> None:
    """Behind a preview, once a rebuild's work is done: one full collection of cyclic garbage, then
    every object still alive (the province's checked files, models and kept pages, millions of them
    at 20,000 schools) is left out of the collector's later scans (``gc.freeze``). Without it, each
    rebuild's allocations set off full collections that walked all of them, a third of a rebuild at
    20,000 schools. The next full tidying puts them back first, so what became garbage is freed then.
    A ``light`` one collects and leaves out only what is new since the last (a narrow rebuild makes
    few objects; a full collection at 20,000 schools takes seconds, and an edit saved meanwhile waits)."""
    if not light:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


class Overlay:
    """What the preview's server adds to each page as it sends it: the panel of findings while the
    data has errors (README "Findings on every page of the preview"). The pages on disk stay those of
    the last good site, the same bytes as its build, so an edit that brings or fixes an error changes
    no page that the findings alone would change. It wraps the server's own addition of its reload
    script (`LiveReloadServer._inject_js_into_html`, MkDocs 1.2 to 1.6); a server without it gets the
    panel written into each page instead."""

    __slots__ = ("html",)

    def __init__(self) -> None:
        self.html = b""  # the panel (pages.render.Renderer.problems), empty while there is nothing to show

    @classmethod
    def install(cls, server: Any) -> Overlay | None:
        add = getattr(server, "_inject_js_into_html", None)
        if not callable(add):
            return None
        overlay = cls()

        def inject(content: bytes, *args: Any, **kwargs: Any) -> bytes:
            return overlay.add(add(content, *args, **kwargs))
        server._inject_js_into_html = inject  # an attribute of this server, before the class's method
        return overlay

    def add(self, content: bytes) -> bytes:
        """The panel first in the page's content (Material's ``<article>``), else first in its body; only
        in the site's pages (those that load the plugin's stylesheet: not the form editor's)."""
        html = self.html
        if not html or _OURS not in content:
            return content
        at = _ARTICLE.search(content) or _BODY.search(content)
        end = at.end() if at else 0
        return content[:end] + html + content[end:]


_ARTICLE, _BODY = re.compile(rb"<article\b[^>]*>"), re.compile(rb"<body\b[^>]*>")
_OURS = b"assets/xiaowu/xiaowu.css"  # plugin.on_config adds it to every page of the site
