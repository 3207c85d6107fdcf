# The MkDocs adapter: validate the data folder through the same core as `xiaowu check`, add the
# generated pages, swap in their HTML after Markdown, write the exports, and account for every file.
#
# Every diagnostic is logged with file:line:col under mkdocs.plugins.xiaowu; errors stop the build
# once, after all of them are shown; warnings are logged as warnings so `mkdocs build --strict`
# fails on them. YAML text never reaches Markdown: generated pages are empty until on_page_content.
from __future__ import annotations

import logging
from dataclasses import dataclass, field
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .compliance import BadDate, resolve_today
from .diagnostics import Diagnostic, rule_link
from .accounting import account, write_files
from .export import build_exports
from .history import last_changed
from .project import CheckCache, check_project
from .reference import format_page, rules_page
from .render import HOME_BLOCKS, Rendered, Renderer
from .search import build_index
from .site import Site, Urls, build_site

log = logging.getLogger("mkdocs.plugins.xiaowu")
ASSETS = Path(__file__).parent / "assets"
THEME = Path(__file__).parent / "theme"
_MARKER = re.compile(r"<!--\s*xiaowu:([a-z]+)\s*-->")
# How hosts name the "view file" page next to their "edit file" page.
_VIEW = (("/-/edit/", "/-/blob/"), ("/_edit/", "/src/branch/"), ("/edit/", "/blob/"))


@dataclass
class _Memory:
    """What survives between rebuilds of one `mkdocs serve`: per-file check results, QR codes and
    rendered school pages (pages only while serving), all keyed so that any change invalidates."""

    checks: CheckCache = field(default_factory=CheckCache)
    qr: dict[str, str] = field(default_factory=dict)
    #: The last site model built from data without errors: what the preview keeps showing while a
    #: clerk's file has errors (with the errors on every page).
    last_good: Site | None = None
    #: site_url as mkdocs.yml gives it (`mkdocs serve` replaces config.site_url with its own address).
    public_url: str | None = None
    pages: dict[str, tuple[tuple[Any, ...], Rendered]] = field(default_factory=dict)


class XiaowuConfig(Config):
    """Options. Example::

        plugins:
          - xiaowu:
              data_dir: schools
              strict: false
    """

    #: The data folder holding policy.yml and <county>/<id>.yml, relative to mkdocs.yml.
    data_dir = c.Type(str, default="schools")
    #: Stop the build on warnings too, even without `mkdocs build --strict`.
    strict = c.Type(bool, default=False)


class XiaowuPlugin(BasePlugin[XiaowuConfig]):
    site: Site | None = None
    renderer: Renderer | None = None
    _generated: set[str] = set()
    _handwritten: list[str] = []

    _memory: _Memory = _Memory()
    _serving = False
    #: The published address: QR codes, printed addresses, feeds and rule links use it, never the preview's.
    _public_url = ""
    #: While serving: the findings that stop publishing, shown at the top of every page until fixed.
    _problems: list[Diagnostic] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this plugin object across serve rebuilds.
        self._memory = _Memory()
        self._serving = command == "serve"

    def _root(self, config: Any) -> Path:
        return Path(config.config_file_path).parent

    def on_config(self, config: Any) -> Any:
        if self._serving:
            if self._memory.public_url is None:
                self._memory.public_url = _configured_site_url(config.config_file_path)
            self._public_url = self._memory.public_url
        else:
            self._public_url = config.site_url or ""
        # Our template overrides (lang="zh-CN", sharing metadata) sit under a bureau's custom_dir.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        config.extra_css.append("assets/xiaowu/xiaowu.css")
        config.extra_javascript.append("assets/xiaowu/xiaowu.js")
        return config

    def on_pre_build(self, config: Any) -> None:
        data_dir = self._root(config) / self.config.data_dir
        memory = self._memory
        try:
            today = resolve_today()
        except BadDate as exc:
            raise PluginError(str(exc)) from None
        result = check_project(data_dir, today=today, cache=memory.checks)
        for d in result.diagnostics:
            line = f"{d.file}:{d.line}:{d.column}: {d.code} {d.message}（帮助：{d.help}；详见：{rule_link(d.code, self._public_url)}）"
            (log.error if d.blocking else log.warning)(line)
        failed = bool(result.errors or (self.config.strict and result.warnings))
        if failed and not self._serving:
            raise PluginError(f"校务公开资料有 {result.errors} 个错误、{result.warnings} 个警告，已停止发布（详见上方各行）。")
        # Previewing: a file with errors must not take the preview down. Keep showing the last good
        # data, with every finding on every page, until the clerk fixes it (`mkdocs build` still stops).
        self._problems = [d for d in result.diagnostics if d.blocking or self.config.strict] if failed else []
        if failed:
            log.warning(f"预览：资料有 {result.errors} 个错误，网站暂时显示上一次正确的资料，每页顶部列出问题；改正后自动刷新。")
        if failed and memory.last_good is not None:
            self.site = memory.last_good
        else:
            prefix = Path(os.path.relpath(data_dir, self._root(config))).as_posix()
            self.site = build_site(result, Urls(config.use_directory_urls), prefix,
                                   last_changed(self._root(config), prefix))
            if not failed:
                memory.last_good = self.site
        self.renderer = Renderer(self.site, self._source_template(config), self._public_url, memory.qr)
        self.renderer.prepare_qr()
        # Everything a rendered school page depends on besides its own file.
        self._page_context = (memory.checks.policy_key, today, self._public_url, config.use_directory_urls,
                              self._source_template(config))

    def _edit_template(self, config: Any) -> str:
        """The edit URL of a repository path ``{path}``, from MkDocs' repo_url and edit_uri."""
        if not config.repo_url or not config.edit_uri or config.edit_uri.startswith(("?", "#")):
            return ""
        up = Path(os.path.relpath(self._root(config), config.docs_dir)).as_posix()
        return urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri + up + "/") + "{path}"

    def _source_template(self, config: Any) -> str:
        edit = self._edit_template(config)
        for before, after in _VIEW:
            if before in edit:
                return edit.replace(before, after, 1)
        return edit

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.renderer is not None
        self._generated = set(self.renderer.sources())
        for name, content in (("format.md", format_page()), ("rules.md", rules_page())):
            files.append(File.generated(config, name, content=content))
        for src in self.renderer.sources():
            hidden = src.startswith(("schools/", "compliance/"))
            page = File.generated(config, src, content="",
                                  inclusion=InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED)
            files.append(page)
        for asset in ("xiaowu.css", "xiaowu.js"):
            files.append(File.generated(config, f"assets/xiaowu/{asset}", abs_src_path=str(ASSETS / asset)))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: Any, files: Files) -> str:
        assert self.renderer is not None
        src = page.file.src_uri
        if src not in self._generated:
            return markdown
        meta = self.renderer.meta(src)
        # Material prints meta.title and meta.description unescaped: they must be HTML already.
        page.meta["title"] = str(escape(meta.title))
        page.meta["description"] = str(escape(meta.description))
        # Full width for wide tables (no table-of-contents column); no edit pencil for parents (the
        # page ends with a small "资料来源" link instead).
        page.meta["hide"] = ["toc"]
        page.edit_url = None
        return ""

    def on_page_content(self, html: str, page: Page, config: Any, files: Files) -> str:
        assert self.renderer is not None
        src = page.file.src_uri
        if src in self._generated:
            rendered = self._render(src, page.url)
            page.toc = get_toc([{"level": level, "id": anchor, "name": str(escape(name)), "children": []}
                                for level, anchor, name in rendered.toc])
            return self._problem_panel() + rendered.html
        return self._problem_panel() + _MARKER.sub(lambda m: self._block(m.group(1), page), html)

    def _problem_panel(self) -> str:
        if not self._problems or self.renderer is None:
            return ""
        return self.renderer.problems(self._problems)

    def _render(self, src: str, url: str) -> Rendered:
        """School pages are reused between rebuilds while their file, the policy and the day are the same."""
        assert self.renderer is not None
        school = self.renderer.by_src.get(src)
        if school is None or not self._serving:
            return self.renderer.render(src, url)
        key = (self._memory.checks.stamp(school.result.file), url, *self._page_context)
        cached = self._memory.pages.get(src)
        if cached is None or cached[0] != key or key[0] is None:
            cached = (key, self.renderer.render(src, url))
            self._memory.pages[src] = cached
        return cached[1]

    def _block(self, name: str, page: Page) -> str:
        assert self.renderer is not None
        if name not in HOME_BLOCKS:
            log.warning(f"{page.file.src_uri}: 未知的标记 xiaowu:{name}（可用：{'、'.join(HOME_BLOCKS)}）")
            return ""
        return self.renderer.home_block(name, page.url)

    def on_post_build(self, config: Any) -> None:
        assert self.site is not None
        site_dir = Path(config.site_dir)
        write_files(site_dir, build_exports(self.site, self._public_url, self._handwritten))
        index = build_index(site_dir)
        if not index.ok:
            raise PluginError(f"搜索索引生成失败：{index.output.strip()[-2000:]}")
        report = account(self.site, site_dir, index.pages)
        log.info(report.summary)
        if report.problems and not self._problems:
            raise PluginError("；".join(report.problems) + "。")

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        # After MkDocs applied exclude_docs/draft_docs: the hand-written pages that will be published.
        self._handwritten = sorted(f.src_uri for f in files.documentation_pages() if f.generated_by is None)
        return nav

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self._root(config) / self.config.data_dir))
        return server



def _configured_site_url(config_file: str | None) -> str:
    """site_url as written in mkdocs.yml (read again: `mkdocs serve` has replaced it in the config)."""
    if not config_file:
        return ""
    try:
        from mkdocs.utils.yaml import yaml_load

        with open(config_file, "rb") as handle:
            value = (yaml_load(handle) or {}).get("site_url")
    except Exception:  # a config MkDocs itself just loaded; if it cannot be re-read, print no address
        return ""
    return value if isinstance(value, str) else ""
