# The MkDocs adapter (the only module that imports MkDocs): check and build through pipeline.build,
# log every finding as file:line:col (errors stop `mkdocs build`; warnings stop `--strict`), add the
# generated pages empty and swap in their HTML after Markdown, so YAML text never reaches Markdown.
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.yaml import yaml_load

from .compliance import BadDate, resolve_today
from .diagnostics import Diagnostic
from .editor.site import write_admin
from .pipeline import ServeMemory, build, finish, source_template
from .reference import format_page, rules_page
from .render import HOME_BLOCKS, Renderer
from .report import log_line

log = logging.getLogger("mkdocs.plugins.xiaowu")
PACKAGE = Path(__file__).parent


class XiaowuConfig(Config):  # type: ignore[no-untyped-call]
    data_dir = c.Type(str, default="schools")  # policy.yml and <county>/<id>.yml, relative to mkdocs.yml
    strict = c.Type(bool, default=False)  # stop on warnings too, even without `mkdocs build --strict`
    editor = c.Type(dict, default={})  # the form editor's git host (backend name, repo, branch, app_id …), README


class XiaowuPlugin(BasePlugin[XiaowuConfig]):  # type: ignore[no-untyped-call]
    renderer: Renderer | None = None
    _memory = ServeMemory()
    _serving = False
    _public_url = ""  # the published address (QR codes, feeds, rule links), never the preview's
    _problems: list[Diagnostic] = []  # while serving: what stops publishing, shown on every page
    _handwritten: list[str] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._memory, self._serving = ServeMemory(), command == "serve"  # this object is kept across serve rebuilds

    def on_config(self, config: Any) -> Any:
        if self._serving and self._memory.public_url is None:
            self._memory.public_url = _configured_site_url(config.config_file_path)
        self._public_url = (self._memory.public_url if self._serving else config.site_url) or ""
        # Our template overrides (lang="zh-CN", sharing metadata) sit under a bureau's custom_dir.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE / "theme"))
        config.extra_css.append("assets/xiaowu/xiaowu.css")
        config.extra_javascript.append("assets/xiaowu/xiaowu.js")
        return config

    def on_pre_build(self, config: Any) -> None:
        memory, root = self._memory, Path(config.config_file_path).parent
        try:
            today = resolve_today()
        except BadDate as exc:
            raise PluginError(str(exc)) from None
        done = build(root / self.config.data_dir, root, today=today, directory_urls=config.use_directory_urls,
                     cache=memory.checks)
        result = done.result
        for d in result.diagnostics:
            (log.error if d.blocking else log.warning)(log_line(d, self._public_url))
        if done.failed(self.config.strict) and not self._serving:
            raise PluginError(f"校务公开资料有 {result.errors} 个错误、{result.warnings} 个警告，已停止发布（详见上方各行）。")
        site, self._problems = memory.keep(done, self.config.strict)
        if self._problems:
            log.warning(f"预览：资料有 {result.errors} 个错误，网站暂时显示上一次正确的资料，每页顶部列出问题；改正后自动刷新。")
        source = source_template(config.repo_url, config.edit_uri, root, config.docs_dir)
        self.renderer = Renderer(site, source, self._public_url, memory.qr)
        self.renderer.prepare_qr()
        # What a school page shows besides its own file: the bureau's files, the day, the addresses.
        self._context = (memory.checks.policy_key, result.oversight.digest, today, self._public_url,
                         config.use_directory_urls, source)
        self._root = root

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.renderer is not None
        pages = [("format.md", format_page()), ("rules.md", rules_page())] + [(s, "") for s in self.renderer.sources()]
        for src, content in pages:  # school and dashboard pages are reached from lists, not the menu
            hidden = InclusionLevel.NOT_IN_NAV if src.startswith(("schools/", "compliance/")) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, src, content=content, inclusion=hidden))
        for asset in ("xiaowu.css", "xiaowu.js"):
            files.append(File.generated(config, f"assets/xiaowu/{asset}", abs_src_path=str(PACKAGE / "assets" / asset)))
        return files

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        # After MkDocs applied exclude_docs/draft_docs: the hand-written pages that will be published.
        self._handwritten = sorted(f.src_uri for f in files.documentation_pages() if f.generated_by is None)
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: Any, files: Files) -> str:
        assert self.renderer is not None
        if not self.renderer.generates(page.file.src_uri):
            return markdown
        page.meta.update(self.renderer.page_meta(page.file.src_uri))
        page.edit_url = None  # no edit pencil for parents: the page ends with "资料来源"
        return ""

    def on_page_content(self, html: str, page: Page, config: Any, files: Files) -> str:
        assert self.renderer is not None
        rendered, unknown = self._memory.content(self.renderer, page.file.src_uri, page.url, html,
                                                 self._context if self._serving else None, self._problems)
        for name in unknown:
            log.warning(f"{page.file.src_uri}: 未知的标记 xiaowu:{name}（可用：{'、'.join(HOME_BLOCKS)}）")
        if rendered.toc:
            page.toc = get_toc([{"level": level, "id": anchor, "name": str(escape(name)), "children": []}
                                for level, anchor, name in rendered.toc])
        return rendered.html

    def on_post_build(self, config: Any) -> None:
        assert self.renderer is not None
        done = finish(self.renderer.site, Path(config.site_dir), self._public_url, self._handwritten)
        log.info(done.summary)
        missing = write_admin(self._root, self._root / self.config.data_dir, self.renderer.site.policy, config,
                              self.config.editor)
        if missing:
            log.info(missing)
        if done.problems and not self._problems:
            raise PluginError("；".join(done.problems) + "。")

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self._root / self.config.data_dir))
        return server


def _configured_site_url(config_file: str | None) -> str:
    """site_url as written in mkdocs.yml (read again: `mkdocs serve` has replaced it in the config)."""
    try:  # a config MkDocs itself just loaded; if it cannot be re-read, print no address
        with open(config_file or "", "rb") as handle:
            value = (yaml_load(handle) or {}).get("site_url")
    except Exception:
        value = ""
    return value if isinstance(value, str) else ""
