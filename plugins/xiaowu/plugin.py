# The MkDocs adapter (with fastpages and preview, its helpers): check and build through publish.build,
# log every finding as file:line:col (errors stop `mkdocs build`; warnings stop `--strict`), add the
# generated pages empty and swap in their HTML after Markdown, so YAML text never reaches Markdown.
from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from xiaowu.check.run import Since
from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.fastpages import FastPages, others_listen, toc_of, workers
from xiaowu.pages.render import HOME_BLOCKS, Renderer
from xiaowu.finish import Publishing, configured_site_url, finish_site, record_site
from xiaowu.preview import BUILD_EVENTS, STATIC_PAGES, Narrow, serve
from xiaowu.publish.build import Build, build, source_template
from xiaowu.publish.digests import Signed, snapshot
from xiaowu.publish.tables import Tables, data_page
from xiaowu.read.today import BadDate, resolve_today
from xiaowu.report import log_line
from xiaowu.serve import ServeMemory

log = logging.getLogger("mkdocs.plugins.xiaowu")
PAGES = Path(__file__).parent / "pages"


class XiaowuConfig(Config):  # type: ignore[no-untyped-call]
    data_dir = c.Type(str, default="schools")  # policy.yml and <county>/<id>.yml, relative to mkdocs.yml
    strict = c.Type(bool, default=False)  # stop on warnings too, even without `mkdocs build --strict`
    editor = c.Type(dict, default={})  # the form editor's git host (backend name, repo, branch, app_id …), README
    # School pages filled into a shell of the theme, same bytes (README "Fast builds"); false: MkDocs' own.
    fast_pages = c.Type(bool, default=True)


class XiaowuPlugin(BasePlugin[XiaowuConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.renderer: Renderer | None = None
        self.tables: Tables | None = None
        # Kept across the rebuilds of one `mkdocs serve` (a narrow rebuild's state too: preview.Narrow).
        self.memory, self.serving, self.narrow = ServeMemory(), False, Narrow()
        self.public_url = ""  # the published address (QR codes, feeds, rule links), never the preview's
        self.problems: list[Diagnostic] = []  # while serving: what stops publishing, shown on every page
        self.handwritten: list[str] = []
        self.context, self.root = tuple[Any, ...](), Path()
        self.fast: FastPages | None = None  # this build's school pages and papers written from shells
        self.files, self.nav = Files([]), Navigation([], [])
        # Pages whose search block is in the search stage (fastpages); pages signed for the build record.
        self.staged, self.signed = frozenset[str](), dict[str, Signed]()
        self.data_before: dict[str, Signed] | None = None  # a build's data folder before it is read (its record)

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.memory, self.serving, self.narrow = ServeMemory(), command == "serve", Narrow()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.serving and self.memory.public_url is None:
            self.memory.public_url = configured_site_url(config.config_file_path)
        self.public_url = (self.memory.public_url if self.serving else config.site_url) or ""
        # Our template overrides (lang="zh-CN", sharing metadata) sit under a bureau's custom_dir.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PAGES / "theme"))
        config.extra_css.append("assets/xiaowu/xiaowu.css")
        config.extra_javascript.append("assets/xiaowu/xiaowu.js")
        if self.serving:  # what this rebuild is made from, before any of it is read (preview.Narrow)
            self.narrow.begin(config, str(Path(config.config_file_path).parent / self.config.data_dir))
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.memory.behind.cancel()  # the last rebuild's exports and index: this one's replace them
        data = Path(config.config_file_path).parent / self.config.data_dir
        self.data_before = None if self.serving else snapshot(data)  # what the record names, if unchanged at the end
        done = self.check(config)
        if done.failed(self.config.strict) and not self.serving:
            self._log(config, done)
            result = done.result
            raise PluginError(f"校务公开资料有 {result.errors} 个错误、{result.warnings} 个警告，已停止发布（详见上方各行）。")
        self.use(config, done)
        if self._keeping(config):  # last, just before MkDocs empties the site folder (on_build_error undoes it)
            self.memory.kept.stash(config.site_dir)

    def check(self, config: MkDocsConfig, since: Since | None = None) -> Build:
        self.root = Path(config.config_file_path).parent
        try:
            today = resolve_today()
        except BadDate as exc:
            raise PluginError(str(exc)) from None
        self.memory.checks.since = since  # what a preview's narrow rebuild saw change (preview.Narrow.plan)
        return build(self.root / self.config.data_dir, self.root, today=today, directory_urls=config.use_directory_urls,
                     cache=self.memory.remembered)

    def _log(self, config: MkDocsConfig, done: Build) -> None:
        # A finding's "详见" link opens the rules page of the site being looked at: the preview's own
        # address under `mkdocs serve` (mkdocs sets config.site_url to it), else the published one.
        rules_site = (config.site_url if self.serving else self.public_url) or ""
        for d in done.result.diagnostics:
            (log.error if d.blocking else log.warning)(log_line(d, rules_site))

    def use(self, config: MkDocsConfig, done: Build) -> None:
        """The site this build shows (under `mkdocs serve`, the last good one while a file has errors)."""
        memory, result = self.memory, done.result
        self._log(config, done)
        site, self.problems = memory.keep(done, self.config.strict)
        if self.problems:
            log.warning(f"预览：资料有 {result.errors} 个错误，网站暂时显示上一次正确的资料，每页顶部列出问题；改正后自动刷新。")
        overlay = self.narrow.overlay  # the server adds the findings to each page (else they are in every page)
        source = source_template(config.repo_url, config.edit_uri, self.root, config.docs_dir)
        self.tables = done.tables if site is done.site else Tables(site)
        tables = self.tables
        self.renderer = Renderer(site, source, self.public_url, memory.qr, {"data.md": lambda: data_page(tables)},
                                 papers_cache=memory.papers)
        self.renderer.prepare_qr()
        if overlay is not None:
            overlay.html = self.renderer.problems(self.problems).encode() if self.problems else b""
        # What a school page shows besides its own file: the bureau's files, the day, the addresses.
        self.context = (memory.checks.policy_key, result.oversight.digest, result.today, self.public_url,
                        config.use_directory_urls, source)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.renderer is not None
        pages = [(src, text()) for src, text in STATIC_PAGES.items()] + [(s, "") for s in self.renderer.sources()]
        for src, content in pages:  # school and dashboard pages are reached from lists, not the menu
            hidden = InclusionLevel.NOT_IN_NAV if src.startswith(("schools/", "compliance/")) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, src, content=content, inclusion=hidden))
        for asset in ("xiaowu.css", "xiaowu.js"):
            files.append(File.generated(config, f"assets/xiaowu/{asset}", abs_src_path=str(PAGES / "assets" / asset)))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # After MkDocs applied exclude_docs/draft_docs: the hand-written pages that will be published.
        self.handwritten = sorted(f.src_uri for f in files.documentation_pages() if f.generated_by is None)
        self.fast, self.nav, renderer = None, nav, self.renderer
        if self.config.fast_pages and renderer is not None:
            listening = others_listen(config, self)
            if listening:
                log.info(f"xiaowu：其他插件处理页面事件（{'、'.join(listening)}），学校页面逐页生成。")
            else:
                self.fast = FastPages(self._light, self.memory.shells if self.serving else None)
                self.fast.take(files, renderer.many)
        if self.fast is None:  # MkDocs writes every page: nothing of the last rebuild is kept
            self.memory.kept.drop(config.site_dir)
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.renderer is not None
        if not self.renderer.generates(page.file.src_uri):
            return markdown
        page.meta.update(self.renderer.page_meta(page.file.src_uri))
        page.edit_url = None  # no edit pencil for parents: the page ends with "资料来源"
        return ""

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.renderer is not None
        rendered, unknown = self.memory.content(self.renderer, page.file.src_uri, page.url, html,
                                                self.context if self.serving else None, self._panel())
        for name in unknown:
            log.warning(f"{page.file.src_uri}: 未知的标记 xiaowu:{name}（可用：{'、'.join(HOME_BLOCKS)}）")
        if rendered.toc:
            page.toc = toc_of(rendered.toc)
        return rendered.html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Fast pages: per kind of school page and paper (pages.shell.kind) the theme renders one with
        slots, checked against a second rendered the plain way (fastpages.FastPages)."""
        self.files = files
        if self.serving:
            self.memory.templates.use(env)
        if self.fast is not None:
            log.info(self.fast.prepare(env, files, config, self.nav, self._body))
        return env

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "sitemap.xml" and self.fast is not None:
            self.fast.sitemap_done()  # listed there; now out of MkDocs' page writing (ours, on_post_build)
        return output

    def _light(self, page: Page) -> None:
        """What MkDocs' reading of a generated page leaves on it, without reading it (the body apart)."""
        assert self.renderer is not None
        src = page.file.src_uri
        page.markdown, page.meta, page.edit_url = "", self.renderer.page_meta(src), None
        school = self.renderer.by_src.get(src)
        entries = self.renderer.toc(school) if school is not None else ()
        page.toc = toc_of(entries)

    def _body(self, src: str, url: str) -> str:
        assert self.renderer is not None
        return self.memory.content(self.renderer, src, url, "", self.context if self.serving else None,
                                   self._panel())[0].html

    def _panel(self) -> list[Diagnostic]:  # the findings written into every page: none while the server adds them
        return self.problems if self.narrow.overlay is None else []

    @event_priority(100)  # first: other plugins' post_build events see every page of the site
    def _write_pages(self, *, config: MkDocsConfig) -> None:
        self.staged, self.signed = frozenset(), {}
        if self.fast is not None:  # signed unless something may write into the pages after us
            signing = None if self.serving or others_listen(config, self, ("post_build",)) else self.signed
            self.staged = self.fast.write(config, self.files, self._body, 1 if self.serving else workers(),
                                          self.memory.kept if self._keeping(config) else None, signing)

    @event_priority(-100)  # after other plugins' files: the build record lists every file of the site
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        assert self.tables is not None
        how = Publishing(self.root, self.root / self.config.data_dir, self.config.editor, self.public_url,
                         self.handwritten, self.staged, quiet=bool(self.problems))
        if self.serving:  # the pages are served now; the exports, search index and editor follow
            keeping = self._keeping(config)  # else the stage's files are written already
            how = dataclasses.replace(how, blocks=tuple(self.memory.kept.blocks) if keeping else ())
            self.memory.behind.run(functools.partial(finish_site, config, self.tables, how), light=self.narrow.narrowing)
            self.narrow.ready = keeping and self.fast is not None and not self._panel() \
                and not others_listen(config, self, BUILD_EVENTS)
            return
        finish_site(config, self.tables, how, None)
        record_site(config, self.tables, self.root / self.config.data_dir, self.config.strict, self.signed, self.data_before)

    on_post_build = CombinedEvent(_write_pages, _finish_site)

    def _keeping(self, config: MkDocsConfig) -> bool:
        """A preview keeps its pages between rebuilds unless another plugin's or a hook's post_build may write there."""
        return self.serving and bool(self.config.fast_pages) and not others_listen(config, self, ("post_build",))

    def on_build_error(self, *, error: Exception) -> None:
        self.narrow.ready = False
        if self.serving and self.memory.kept.site:
            self.memory.kept.undo(self.memory.kept.site)

    def on_shutdown(self) -> None:
        self.memory.behind.cancel()
        self.narrow.unwatch()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        serve(self, server, builder, str(self.root / self.config.data_dir), lambda: self.config.strict)  # (preview.py)
        return server
