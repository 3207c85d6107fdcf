# The MkDocs side of fast pages (README "Fast builds"): school pages and their papers skip MkDocs'
# page steps. They are File objects (links resolve, the sitemap lists them in order), but excluded
# while MkDocs reads and writes pages; per kind of page the real theme renders one page with slots
# (pages/shell.py), a second page rendered the plain way must equal its filled shell, and then every
# page of the kind is written from the shell on all cores (publish/pagewriter.py). Pages without a
# trusted shell are rendered here exactly as MkDocs' own steps would.
from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import escape
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from xiaowu.pages.shell import TOKENS, Shell, inert, kind, make_shell, slot_values
from xiaowu.publish.digests import Signed
from xiaowu.publish.keep import Kept, unit_of
from xiaowu.publish.pagewriter import Job, put, stage_again, write_pages
from xiaowu.publish.search import SEARCH_STAGE, put_away

#: Page events that a shell would skip: with another plugin listening to one, every page goes MkDocs' way.
PAGE_EVENTS = ("pre_page", "page_markdown", "page_content", "page_context", "post_page")
Body = Callable[[str, str], str]  # (source, url) -> the page's HTML body


def others_listen(config: MkDocsConfig, mine: object, events: Sequence[str] = PAGE_EVENTS) -> list[str]:
    """The events (page events unless named) another plugin (or a hook) handles."""
    return sorted({event for event in events for method in config.plugins.events[event]
                   if getattr(method, "__self__", None) is not mine})


def toc_of(entries: Iterable[tuple[int, str, str]]) -> Any:
    """A MkDocs table of contents from (level, anchor, title) entries, the titles escaped here. Pages with
    the same entries share one (a school page's sections vary in a few ways only, so 20,000 school pages
    have a handful): MkDocs and the theme only read a page's table of contents."""
    return _toc(tuple((n, a, t) for n, a, t in entries))


@functools.lru_cache(maxsize=256)
def _toc(entries: tuple[tuple[int, str, str], ...]) -> Any:
    return get_toc([{"level": n, "id": a, "name": str(escape(t)), "children": []} for n, a, t in entries])


class FastPages:
    """One build's pages written from shells: taken out of MkDocs' steps (``take``), given shells
    (``prepare``), listed in the sitemap (``sitemap_done`` puts them out again) and written (``write``)."""

    __slots__ = ("files", "shells", "plain", "theme_env", "nav", "light", "known", "groups", "menu")

    def __init__(self, light: Callable[[Page], None], known: dict[tuple[Any, ...], Shell] | None = None) -> None:
        self.files: list[File] = []
        self.shells: dict[str, Shell] = {}
        self.plain: list[Page] = []  # pages of these sources with no trusted shell: rendered the plain way
        self.theme_env: tuple[Environment, Sequence[File]] = (Environment(), [])
        self.nav = Navigation([], [])
        self.light = light  # sets what MkDocs' reading would set on a page (meta, edit link, TOC), cheaply
        #: Shells of an earlier build by group (under `mkdocs serve`): tried first, with the second
        #: page's check alone (a theme that changed since fails it, and the shell is made again).
        self.known = {} if known is None else known
        self.groups: dict[str, tuple[Any, ...] | None] = {}  # each page's group (None: not inert, plain)
        self.menu = frozenset[str]()  # the menu's folders

    def take(self, files: Files, ours: Callable[[str], bool]) -> None:
        """After the menu is made: MkDocs will neither read nor write these pages."""
        self.files = [f for f in files.documentation_pages() if ours(f.src_uri)]
        for file in self.files:
            file.inclusion = InclusionLevel.EXCLUDED

    def prepare(self, env: Environment, files: Files, config: MkDocsConfig, nav: Navigation, body: Body) -> str:
        """Before the sitemap: the pages are in the site again; their shells are made. A line for the log."""
        for file in self.files:
            file.inclusion = InclusionLevel.NOT_IN_NAV
            page = file.page if file.page is not None else Page(None, file, config)
            self.light(page)
        self.nav, self.theme_env = nav, (env, files.documentation_pages(inclusion=InclusionLevel.is_included))
        self.menu = _folders(nav)
        groups: dict[tuple[Any, ...], list[Page]] = {}
        for page in [f.page for f in self.files if f.page is not None]:
            key = self.groups[page.file.src_uri] = self._group(page)
            if key is not None:
                groups.setdefault(key, []).append(page)
            else:
                self.plain.append(page)
        for key, group in groups.items():
            shell = self._shell(key, group, config, files, body) if len(group) > 1 else None
            if shell is None:
                self.plain += group
                continue
            self.shells.update((page.file.src_uri, shell) for page in group)
        return f"xiaowu：{len(self.shells)} 个学校和县区页面、纸质材料套用主题外壳，{len(self.plain)} 个逐页生成。"

    def _group(self, page: Page) -> tuple[Any, ...] | None:
        """The kind of page it is (pages alike share a shell); None: its title or description holds
        what a filter could change, so it is rendered the plain way."""
        if inert(page.meta.get("title", "")) and inert(page.meta.get("description", "")):
            return (_shared(page.url, self.menu), *kind(page))
        return None

    def again(self, pages: Sequence[Page]) -> bool:
        """A narrow rebuild (preview.py): these pages' schools changed; what MkDocs' reading would set
        on them is set again. False if one of them is now of another kind (the shells are made again)."""
        for page in pages:
            self.light(page)
            if self._group(page) != self.groups.get(page.file.src_uri):
                return False
        return True

    def sitemap_done(self) -> None:
        """After the sitemap (which lists them): out of MkDocs' writing of pages."""
        for file in self.files:
            file.inclusion = InclusionLevel.EXCLUDED

    def write(self, config: MkDocsConfig, files: Files, body: Body, workers: int, kept: Kept | None = None,
              signing: dict[str, Signed] | None = None) -> frozenset[str]:
        """Write the pages; the ones (site-relative) whose search block is in the search stage, or that
        have none (publish/search.py: the indexer reads the stage). ``kept``: a preview's pages of its
        last rebuild (publish/keep.py), put back and written only where they changed; ``signing``
        gets every page written, signed (publish/digests.py)."""
        if kept is not None:
            ours = {id(f) for f in self.files}
            kept.restore(config.site_dir, {f.dest_uri for f in self.files},
                         {unit_of(f.dest_uri) for f in files if id(f) not in ours})
        stage = Path(config.site_dir) / SEARCH_STAGE
        if kept is None:  # MkDocs' cleaning leaves hidden folders
            shutil.rmtree(stage, ignore_errors=True)
        else:  # a preview: what a stopped rebuild left there is removed behind it
            put_away(stage)
        langs = {id(shell): shell.search_lang() for shell in {id(s): s for s in self.shells.values()}.values()}
        left = [] if kept is None else [f for f in self.files if f.src_uri in self.shells and kept.carries(f.dest_uri)]
        skip = {id(f) for f in left}  # a narrow rebuild's pages known unchanged: not made again (Kept.stay)
        jobs = [Job(f.src_uri, f.url, f.abs_dest_path, shell, f.page.meta["title"], f.page.meta["description"],
                    "" if lang is None else os.path.join(stage, f.dest_uri), lang or "")
                for f in self.files if f.page and id(f) not in skip and (shell := self.shells.get(f.src_uri)) is not None
                for lang in (langs[id(shell)],)]
        misfits = set(write_pages(jobs, body, workers, kept, signing))
        staging: list[tuple[File, bool]] = []
        if kept is not None and left:
            staging = [(f, langs[id(self.shells[f.src_uri])] is not None) for f in left]
            stage_again(((f.abs_dest_path, os.path.join(stage, f.dest_uri) if lang else "", kept.carried(f.dest_uri))
                         for f, lang in staging), kept)
        made: set[str] = set()
        for page in self.plain + [f.page for f in self.files if f.src_uri in misfits and f.page]:
            self._populate(page, config, files)
            data = self._theme(page, config).encode("utf-8", errors="xmlcharrefreplace")
            page.content = None
            if kept is None or kept.needs(page.file.abs_dest_path, data):
                put(page.file.abs_dest_path, data, made, signing)
        if kept is not None:
            kept.done()
        dest = {f.src_uri: f.dest_uri for f in self.files}  # each job's stage path, relative to the stage
        return frozenset([dest[job.src] for job in jobs if job.stage and job.src not in misfits]
                         + [f.dest_uri for f, lang in staging if lang])

    def _shell(self, key: tuple[Any, ...], group: list[Page], config: MkDocsConfig, files: Files, body: Body
               ) -> Shell | None:
        first, second = group[0], group[1]
        second.content = body(second.file.src_uri, second.url)
        earlier = self.known.get(key)
        shell = earlier if earlier is not None else self._make(first, config, files)
        filled = shell.fill(slot_values(second)) if shell is not None and shell.fits(second.content) else None
        self._populate(second, config, files)  # the plain way: MkDocs' reading, then its page step
        plain = self._theme(second, config)
        if filled != plain and earlier is not None:  # the theme changed since: a shell of this build's
            shell = self._make(first, config, files)
            filled = shell.fill(slot_values(second)) if shell is not None and shell.fits(second.content or "") else None
        second.content = None
        if shell is None or filled is None or filled != plain:
            self.known.pop(key, None)
            return None
        self.known[key] = shell
        return shell

    def _make(self, first: Page, config: MkDocsConfig, files: Files) -> Shell | None:
        """The shell of ``first``'s kind: the page rendered with tokens as its title and description."""
        self._populate(first, config, files)
        saved = dict(first.meta)
        first.meta.update(title=TOKENS["title"], description=TOKENS["description"])
        shell = make_shell(self._theme(first, config), first.url, first.content or "")
        first.meta, first.content = saved, None
        return shell

    @staticmethod
    def _populate(page: Page, config: MkDocsConfig, files: Files) -> None:
        """What MkDocs' reading of a page does (build._populate_page), with every plugin's events."""
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)
        page.render(config, files)
        page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=files)

    def _theme(self, page: Page, config: MkDocsConfig) -> str:
        """What MkDocs' own page step writes for the page (build._build_page)."""
        env, docs = self.theme_env
        page.active = True
        try:
            context = get_context(self.nav, docs, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            return config.plugins.on_post_page(template.render(context), page=page, config=config)
        finally:
            page.active = False


def _folders(nav: Navigation) -> frozenset[str]:
    """The folders of the menu's pages ("schools/" for "schools/", "a/" and "a/b/" for "a/b/c.html")."""
    found: set[str] = set()
    for page in nav.pages:
        parts = page.url.split("/")[:-1]
        found.update("/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
    return frozenset(found)


def _shared(url: str, folders: frozenset[str]) -> str:
    """The longest folder of ``url`` that a menu page is in too: pages alike in it get the same
    relative links to the menu (compliance/a/ and schools/a/, both two deep, do not)."""
    parts = url.split("/")[:-1]
    return next(("/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1) if "/".join(parts[:n]) + "/" in folders), "")


def workers() -> int:
    """How many processes write pages: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
